"""``sotegraph map`` and ``sotegraph report``: self-contained HTML pages of a store.

Each reads an existing store (``--store DIR`` or ``--endpoint URL``) or builds the graph in
memory from ``PATH...``, then calls :func:`sotegraph.maps.write_map` or
:func:`sotegraph.report.write_report`.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sotegraph.cli import app
from sotegraph.cli._options import EndpointOpt, StoreOpt, fail
from sotegraph.cli.network import NoNlpOpt, PathsArg, open_source
from sotegraph.errors import SotegraphError

console = Console(stderr=True)


class LevelChoice(enum.StrEnum):
    """``--level``."""

    COUNTY = "county"
    REGION = "region"
    MUNICIPALITY = "municipality"


class MeasureChoice(enum.StrEnum):
    """``--measure``."""

    PROJECTS = "projects"
    GRANTED = "granted"
    REALISED = "realised"


class PeriodChoice(enum.StrEnum):
    """``--period``."""

    ALL = "all"
    P2007 = "2007-2013"
    P2014 = "2014-2020"


class InferredChoice(enum.StrEnum):
    """``--inferred``."""

    INCLUDE = "include"
    EXCLUDE = "exclude"


OutputOpt = Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")]
SoteOnly = Annotated[
    bool,
    typer.Option("--sote-only", help="Show first only projects judged sote (sg:soteRelevance)."),
]
TitleOpt = Annotated[str | None, typer.Option("--title", help="The page title.")]


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


@app.command("map")
def map_command(
    paths: PathsArg = None,
    output: OutputOpt = Path("map.html"),
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    level: Annotated[
        LevelChoice, typer.Option("--level", help="Areas drawn first (the page switches).")
    ] = LevelChoice.COUNTY,
    measure: Annotated[
        MeasureChoice, typer.Option("--measure", help="What the colours show first.")
    ] = MeasureChoice.PROJECTS,
    period: Annotated[
        PeriodChoice, typer.Option("--period", help="Programme period shown first.")
    ] = PeriodChoice.ALL,
    year: Annotated[
        int | None, typer.Option("--year", help="Only projects that started in this year.")
    ] = None,
    sote_only: SoteOnly = False,
    inferred: Annotated[
        InferredChoice,
        typer.Option("--inferred", help="Count areas inferred from the authority or implementer."),
    ] = InferredChoice.INCLUDE,
    title: TitleOpt = None,
    no_nlp: NoNlpOpt = False,
) -> None:
    """Write a self-contained map page (offline): projects and funding by wellbeing county,
    region or municipality. Exit 0 on success, 2 on usage errors or a store that fails."""
    from sotegraph.maps import write_map

    source = open_source(paths, store, endpoint, no_nlp=no_nlp)
    try:
        written = write_map(
            source,
            output,
            level=level.value,
            measure=measure.value,
            period=None if period is PeriodChoice.ALL else period.value,
            year=year,
            sote_only=sote_only,
            inferred=inferred is InferredChoice.INCLUDE,
            title=title or "sotegraph: hankkeet alueittain / projects by area",
        )
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    finally:
        source.close()
    console.print(f"wrote {written} ({_size(written)})")


@app.command("report")
def report_command(
    paths: PathsArg = None,
    output: OutputOpt = Path("report.html"),
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    top: Annotated[
        int, typer.Option("--top", min=1, help="How many organisations the table lists.")
    ] = 20,
    no_network: Annotated[
        bool, typer.Option("--no-network", help="Leave out the organisations' network view.")
    ] = False,
    sote_only: SoteOnly = False,
    title: TitleOpt = None,
    no_nlp: NoNlpOpt = False,
) -> None:
    """Write one self-contained HTML report (offline): map, charts over time, top organisations
    and their network. Exit 0 on success, 2 on usage errors or a store that fails."""
    from sotegraph.report import write_report

    source = open_source(paths, store, endpoint, no_nlp=no_nlp)
    try:
        written = write_report(
            source,
            output,
            title=title or "sotegraph: raportti / report",
            top=top,
            network=not no_network,
            sote_only=sote_only,
        )
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    finally:
        source.close()
    console.print(f"wrote {written} ({_size(written)})")

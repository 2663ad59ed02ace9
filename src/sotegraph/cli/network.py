"""``sotegraph network``, ``sotegraph overlap`` and ``sotegraph view``.

Each reads an existing store (``--store DIR`` or ``--endpoint URL``) or builds the graph in
memory from ``PATH...``, then calls one function of :mod:`sotegraph.network` and
:mod:`sotegraph.export`.
"""

from __future__ import annotations

import enum
import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sotegraph.cli import app
from sotegraph.cli._options import EndpointOpt, StoreOpt, fail, open_from_cli
from sotegraph.errors import SotegraphError
from sotegraph.export import ExportFormat
from sotegraph.store import Store

console = Console(stderr=True)
out = Console()


class Kind(enum.StrEnum):
    """Which network to build."""

    COPARTICIPATION = "coparticipation"
    OVERLAP = "overlap"
    BIPARTITE = "bipartite"


class RowFormat(enum.StrEnum):
    """How ``sotegraph overlap`` prints its ranking."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Files and folders to build the graph from in memory (no --store)."),
]
NoNlpOpt = Annotated[bool, typer.Option("--no-nlp", help="Do not run spaCy over prose.")]


def open_source(
    paths: list[Path] | None, store: Path | None, endpoint: str | None, *, no_nlp: bool = False
) -> Store:
    """The store to read: a folder, an endpoint, or a graph built in memory from ``paths``.

    Raises
    ------
    typer.Exit
        With code 2 when none or more than one source is given or the store cannot be opened.
    """
    given = sum(x is not None and x != [] for x in (paths or None, store, endpoint))
    if given != 1:
        raise fail("give exactly one of PATH..., --store DIR, --endpoint URL")
    if not paths:
        return open_from_cli(store, endpoint, read_only=True, existing=True)
    from sotegraph.builder import build

    try:
        kg = build(list(paths), use_nlp=not no_nlp, validate=False)
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    result = kg.last_build
    if result is not None:
        for failure in result.failed:
            console.print(f"[yellow]skipped:[/yellow] {failure}")
        if not result.built:
            raise fail("nothing readable was given")
    return kg.store


def _parse_by(by: str) -> list[str]:
    from sotegraph.network import OverlapBy

    kinds = [b.strip().lower() for b in by.split(",") if b.strip()]
    valid = {b.value for b in OverlapBy}
    bad = [b for b in kinds if b not in valid]
    if bad or not kinds:
        raise fail(f"--by {by!r}: use a comma-separated list of {', '.join(sorted(valid))}")
    return kinds


def _parse_weights(weights: list[str] | None) -> dict[str, float]:
    parsed: dict[str, float] = {}
    for item in weights or []:
        for part in item.split(","):
            key, sep, value = part.partition("=")
            try:
                if not sep:
                    raise ValueError(part)
                parsed[key.strip().lower()] = float(value)
            except ValueError:
                raise fail(f"--weight {part!r}: write KIND=NUMBER, e.g. partners=2") from None
    return parsed


def _graph(
    store: Store, kind: Kind, by: list[str], weights: dict[str, float], min_weight: int
) -> Any:
    from sotegraph.network import (
        annotate,
        bipartite_graph,
        coparticipation_graph,
        load_network_data,
        overlap_graph,
    )

    data = load_network_data(store)
    if kind is Kind.COPARTICIPATION:
        g = coparticipation_graph(data, min_weight=min_weight)
    elif kind is Kind.OVERLAP:
        g = overlap_graph(data, by=by, weights=weights)
    else:
        g = bipartite_graph(data)
    return annotate(g)


@app.command()
def network(
    paths: PathsArg = None,
    kind: Annotated[Kind, typer.Option("--kind", help="Which network.")] = Kind.COPARTICIPATION,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", help="File format (default: from the file suffix)."),
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")] = Path(
        "network.graphml"
    ),
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    by: Annotated[
        str, typer.Option("--by", help="Overlap kinds for --kind overlap.")
    ] = "partners,places,themes,groups,time",
    weight: Annotated[
        list[str] | None,
        typer.Option("--weight", help="Overlap weights, e.g. partners=2,time=0.5."),
    ] = None,
    min_weight: Annotated[
        int, typer.Option("--min-weight", help="Co-participation: least shared projects.")
    ] = 1,
    no_nlp: NoNlpOpt = False,
) -> None:
    """Write the co-participation, overlap or bipartite network (GraphML, GEXF, Cytoscape.js
    JSON, node-link JSON, CSV or HTML). Exit 0 on success, 2 on usage errors."""
    from sotegraph.export import export_graph, xml_forbidden

    kinds, weights = _parse_by(by), _parse_weights(weight)
    source = open_source(paths, store, endpoint, no_nlp=no_nlp)
    try:
        g = _graph(source, kind, kinds, weights, min_weight)
        xml = (fmt or ExportFormat.from_path(output)) in (ExportFormat.GRAPHML, ExportFormat.GEXF)
        replaced = xml_forbidden(g) if xml else 0
        written = export_graph(g, output, format=fmt, title=f"sotegraph {kind.value}")
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    finally:
        source.close()
    if replaced:
        console.print(
            f"[yellow]warning:[/yellow] {replaced} names or values hold characters XML 1.0 "
            "forbids (control characters); written as U+FFFD (the JSON, CSV and RDF exports "
            "keep them)"
        )
    for path in written:
        console.print(
            f"wrote {path}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges ({kind.value})"
        )


@app.command()
def overlap(
    paths: PathsArg = None,
    by: Annotated[
        str, typer.Option("--by", help="Comma-separated: partners, places, themes, groups, time.")
    ] = "partners,places,themes,groups,time",
    top: Annotated[int, typer.Option("--top", help="How many pairs to show.")] = 20,
    weight: Annotated[
        list[str] | None, typer.Option("--weight", help="Weights, e.g. partners=2,time=0.5.")
    ] = None,
    fmt: Annotated[RowFormat, typer.Option("--format", help="Output format.")] = RowFormat.TABLE,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    no_nlp: NoNlpOpt = False,
) -> None:
    """Rank project pairs by their combined overlap (Jaccard per kind, weighted mean)."""
    from sotegraph.network import load_network_data, project_overlap

    kinds, weights = _parse_by(by), _parse_weights(weight)
    source = open_source(paths, store, endpoint, no_nlp=no_nlp)
    try:
        pairs = project_overlap(load_network_data(source), by=kinds, weights=weights, top=top)
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    finally:
        source.close()
    rows = [
        {
            "score": round(p.score, 4),
            "project1": p.project1,
            "name1": p.label1,
            "project2": p.project2,
            "name2": p.label2,
            **{f"shared_{k}": n for k, n in p.shared.items()},
        }
        for p in pairs
    ]
    if fmt is RowFormat.JSON:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if fmt is RowFormat.CSV:
        from sotegraph.export import write_csv

        buf = io.StringIO()
        columns = list(rows[0]) if rows else ["score"]
        write_csv(buf, columns, ([r.get(c) for c in columns] for r in rows))
        typer.echo(buf.getvalue(), nl=False)
        return
    table = Table(title=f"project overlap by {', '.join(kinds)}")
    table.add_column("score", justify="right")
    table.add_column("project 1")
    table.add_column("project 2")
    for k in kinds:
        table.add_column(k, justify="right")
    for p in pairs:
        table.add_row(
            f"{p.score:.3f}", p.label1, p.label2, *(str(p.shared.get(k, 0)) for k in kinds)
        )
    out.print(table)


@app.command()
def view(
    paths: PathsArg = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path(
        "network.html"
    ),
    kind: Annotated[Kind, typer.Option("--kind", help="Which network to show.")] = Kind.BIPARTITE,
    title: Annotated[str, typer.Option("--title", help="Page title.")] = "sotegraph network",
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    no_nlp: NoNlpOpt = False,
) -> None:
    """Write a self-contained interactive HTML view (opens offline; nothing is fetched)."""
    from sotegraph.export import export_graph

    source = open_source(paths, store, endpoint, no_nlp=no_nlp)
    try:
        g = _graph(source, kind, ["partners", "places", "themes", "groups", "time"], {}, 1)
        [written] = export_graph(g, output, format="html", title=title)
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    finally:
        source.close()
    console.print(f"wrote {written}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")

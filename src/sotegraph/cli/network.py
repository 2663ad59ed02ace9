"""``sotegraph network``, ``sotegraph overlap`` and ``sotegraph view``.

Each reads an existing store (``--store DIR`` or ``--endpoint URL``) or builds the graph in
memory from ``PATH...``, then calls one function of :mod:`sotegraph.network` and
:mod:`sotegraph.export`.
"""

from __future__ import annotations

import enum
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from sotegraph.cli import app
from sotegraph.cli._options import EndpointOpt, StoreOpt, fail, open_from_cli, parse_weights
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
AroundOpt = Annotated[
    str | None,
    typer.Option("--around", help="Only the nodes within --hops of this node (an IRI or a name)."),
]
HopsOpt = Annotated[int, typer.Option("--hops", min=0, help="How far from --around.")]
RegionOpt = Annotated[
    list[str] | None,
    typer.Option("--region", help="Only projects in this region (name or code; repeatable)."),
]
CountyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--county", help="Only projects in this wellbeing county (code or name; repeatable)."
    ),
]
ThemeOpt = Annotated[
    list[str] | None, typer.Option("--theme", help="Only projects with this theme (repeatable).")
]
PeriodOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--period",
        help="Only projects of this programme period (2014-2020) or running in these years "
        "(2016, 2016-2018); repeatable.",
    ),
]
SoteOnlyOpt = Annotated[
    bool, typer.Option("--sote-only", help="Only projects classified as sote development.")
]
MinDegreeOpt = Annotated[
    int | None, typer.Option("--min-degree", min=0, help="Only nodes with this many neighbours.")
]
DropIsolatedOpt = Annotated[
    bool, typer.Option("--drop-isolated", help="Leave out nodes without any edge.")
]


@dataclass(frozen=True, slots=True)
class Subset:
    """The subset options of ``network`` and ``view`` (and the project filters of ``overlap``)."""

    region: list[str] | None = None
    county: list[str] | None = None
    theme: list[str] | None = None
    period: list[str] | None = None
    sote_only: bool = False
    around: str | None = None
    hops: int = 1
    min_degree: int | None = None
    drop_isolated: bool = False

    def groups(self) -> set[str]:
        """The attribute groups the project filters need."""
        need: set[str] = set()
        if self.region or self.county:
            need.add("areas")
        if self.theme:
            need.add("themes")
        if self.period:
            need.add("project")
        return need

    def whole(self) -> bool:
        """Whether the options keep every project and every node."""
        return not (
            self.region
            or self.county
            or self.theme
            or self.period
            or self.sote_only
            or self.around is not None
            or self.min_degree
            or self.drop_isolated
        )

    def filter_data(self, data: Any) -> Any:
        from sotegraph.network import filter_projects

        return filter_projects(
            data, region=self.region, county=self.county, theme=self.theme, period=self.period
        )

    def cut(self, g: Any) -> Any:
        from sotegraph.network import subset

        if self.around is None and not self.min_degree and not self.drop_isolated:
            return g
        return subset(
            g,
            around=self.around,
            hops=self.hops,
            min_degree=self.min_degree,
            drop_isolated=self.drop_isolated,
        )


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


def _graph(
    store: Store,
    kind: Kind,
    by: list[str],
    weights: dict[str, float],
    min_weight: int,
    cut: Subset,
    *,
    attributes: bool | set[str] = True,
) -> Any:
    """Select what the network needs, build it, cut it down and annotate it.

    Raises
    ------
    SotegraphError
        If a query fails, ``--around`` fits no node or several (:class:`AmbiguousNameError`).
    """
    from sotegraph.network import (
        annotate,
        bipartite_graph,
        coparticipation_graph,
        load_network_data,
        overlap_graph,
    )

    kinds = by if kind is Kind.OVERLAP else ["partners"]
    groups = attributes if isinstance(attributes, set) else None
    wanted: bool | set[str] = attributes if groups is None else groups | cut.groups()
    if kind is Kind.BIPARTITE and isinstance(wanted, set):
        wanted = wanted | {"roles"}
    data = load_network_data(
        store, kinds=kinds, attributes=wanted, sote=True if cut.sote_only else None
    )
    data = cut.filter_data(data)
    if kind is Kind.COPARTICIPATION:
        g = coparticipation_graph(data, min_weight=min_weight)
    elif kind is Kind.OVERLAP:
        g = overlap_graph(data, by=by, weights=weights)
    else:
        g = bipartite_graph(data)
    return annotate(cut.cut(g))


def _parse_attributes(text: str) -> bool | set[str]:
    from sotegraph.network import ATTRIBUTES

    value = text.strip().lower()
    if value == "all":
        return True
    if value == "none":
        return set()
    groups = {a.strip() for a in value.split(",") if a.strip()}
    bad = sorted(groups - set(ATTRIBUTES))
    if bad:
        raise fail(
            f"--attributes {text!r}: use all, none or a comma-separated list of "
            f"{', '.join(ATTRIBUTES)}"
        )
    return groups


def _fail_on(exc: SotegraphError) -> typer.Exit:
    """The CLI's answer to a library error: an ambiguous name lists its candidates."""
    from sotegraph.network import AmbiguousNameError

    if isinstance(exc, AmbiguousNameError):
        exit_ = fail(f"--around {exc.name!r} fits {len(exc.candidates)} nodes; give one of:")
        for node, label in exc.candidates[:20]:
            console.print(f"  {label}  <{node}>", markup=False, soft_wrap=True)
        if len(exc.candidates) > 20:
            console.print(f"  … and {len(exc.candidates) - 20} more", soft_wrap=True)
        return exit_
    return fail(str(exc))


def _check_subset(cut: Subset) -> None:
    if not cut.period:
        return
    from sotegraph.network import NodeFilter

    try:
        NodeFilter.create(period=cut.period)
    except SotegraphError as exc:
        raise fail(f"--period: {exc}") from exc


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
    attributes: Annotated[
        str,
        typer.Option(
            "--attributes",
            help="Node attributes beyond type, label and the centralities: none (fast), all "
            "(what the view shows), or some of project, organisation, roles, areas, themes, "
            "groups, sote, documents. Subset filters add what they test.",
        ),
    ] = "none",
    around: AroundOpt = None,
    hops: HopsOpt = 1,
    region: RegionOpt = None,
    county: CountyOpt = None,
    theme: ThemeOpt = None,
    period: PeriodOpt = None,
    sote_only: SoteOnlyOpt = False,
    min_degree: MinDegreeOpt = None,
    drop_isolated: DropIsolatedOpt = False,
    no_nlp: NoNlpOpt = False,
) -> None:
    """Write the co-participation, overlap or bipartite network (GraphML, GEXF, Cytoscape.js
    JSON, node-link JSON, CSV or HTML), whole or a subset. Exit 0 on success, 2 on usage
    errors (an --around name that fits several nodes lists them)."""
    from sotegraph.cli._network_plain import report_written, write_network

    kinds, weights = _parse_by(by), parse_weights(weight, example="partners=2")
    groups = _parse_attributes(attributes)
    cut = Subset(region, county, theme, period, sote_only, around, hops, min_degree, drop_isolated)
    _check_subset(cut)
    source = open_source(paths, store, endpoint, no_nlp=no_nlp)
    try:
        if kind is Kind.COPARTICIPATION and groups == set() and cut.whole():
            from sotegraph.network import coparticipation_network

            g = coparticipation_network(source, min_weight=min_weight)  # the same, sooner
        else:
            g = _graph(source, kind, kinds, weights, min_weight, cut, attributes=groups)
        written, replaced = write_network(g, output, fmt, title=f"sotegraph {kind.value}")
    except SotegraphError as exc:
        raise _fail_on(exc) from exc
    finally:
        source.close()
    report_written(g, written, replaced, kind.value)


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
    region: RegionOpt = None,
    county: CountyOpt = None,
    theme: ThemeOpt = None,
    period: PeriodOpt = None,
    sote_only: SoteOnlyOpt = False,
    no_nlp: NoNlpOpt = False,
) -> None:
    """Rank project pairs by their combined overlap (Jaccard per kind, weighted mean), over
    all projects or those of a region, county, theme, period or the sote projects."""
    from sotegraph.network import load_network_data, project_overlap

    kinds, weights = _parse_by(by), parse_weights(weight, example="partners=2")
    cut = Subset(region, county, theme, period, sote_only)
    _check_subset(cut)
    source = open_source(paths, store, endpoint, no_nlp=no_nlp)
    try:
        data = load_network_data(
            source, kinds=kinds, attributes=cut.groups(), sote=True if sote_only else None
        )
        pairs = project_overlap(cut.filter_data(data), by=kinds, weights=weights, top=top)
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
    from rich.table import Table

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
    around: AroundOpt = None,
    hops: HopsOpt = 1,
    region: RegionOpt = None,
    county: CountyOpt = None,
    theme: ThemeOpt = None,
    period: PeriodOpt = None,
    sote_only: SoteOnlyOpt = False,
    min_degree: MinDegreeOpt = None,
    drop_isolated: DropIsolatedOpt = False,
    no_nlp: NoNlpOpt = False,
) -> None:
    """Write a self-contained interactive HTML view (opens offline; nothing is fetched), of
    the whole network or a subset. Exit 2 on usage errors (an --around name that fits several
    nodes lists them)."""
    from sotegraph.export import export_graph

    cut = Subset(region, county, theme, period, sote_only, around, hops, min_degree, drop_isolated)
    _check_subset(cut)
    source = open_source(paths, store, endpoint, no_nlp=no_nlp)
    try:
        g = _graph(source, kind, ["partners", "places", "themes", "groups", "time"], {}, 1, cut)
        [written] = export_graph(g, output, format="html", title=title)
    except SotegraphError as exc:
        raise _fail_on(exc) from exc
    finally:
        source.close()
    console.print(f"wrote {written}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")

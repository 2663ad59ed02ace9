"""``sotegraph build`` and ``sotegraph info``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from sotegraph.builder import BuildResult, KnowledgeGraph
from sotegraph.cli import app
from sotegraph.cli._options import (
    EndpointOpt,
    StoreDirOpt,
    StoreOpt,
    UpdateEndpointOpt,
    fail,
    open_from_cli,
)
from sotegraph.errors import SotegraphError

console = Console(stderr=True)
out = Console()

_STAGES = {"read": "Reading files", "extract": "Extracting facts", "store": "Storing graphs"}


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to read.")],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Also write all named graphs here (.trig, .nq, .ttl, .jsonld)."),
    ] = None,
    include_personal_data: Annotated[
        bool,
        typer.Option(
            "--include-personal-data",
            help="Keep names (also of implementers that are people), e-mails and phone numbers.",
        ),
    ] = False,
    no_nlp: Annotated[bool, typer.Option("--no-nlp", help="Do not run spaCy over prose.")] = False,
    no_validate: Annotated[
        bool, typer.Option("--no-validate", help="Skip SHACL validation.")
    ] = False,
    show_warnings: Annotated[
        int, typer.Option("--show-warnings", help="How many extraction warnings to list.")
    ] = 20,
) -> None:
    """Read files, extract facts, validate and store them as one named graph per document.

    Exit code 0 when everything built, 1 when some documents failed (the rest are stored) or
    SHACL found violations, 2 when nothing readable was given.
    """
    from sotegraph.export import export_rdf

    backend = open_from_cli(store, endpoint, update_endpoint, endpoint_wins=True)
    kg = KnowledgeGraph(backend, include_personal_data=include_personal_data)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        result = kg.add_paths(
            paths, use_nlp=not no_nlp, validate=not no_validate, progress=progress
        )
    if out_file is not None and (result.built or result.unchanged):
        try:
            export_rdf(kg.store, out_file)
        except SotegraphError as exc:
            kg.close()
            raise fail(str(exc)) from exc
        console.print(f"wrote {out_file}")
    render_build(result, show_warnings=show_warnings)
    kg.close()
    raise typer.Exit(result.exit_code)


def render_build(result: BuildResult, *, show_warnings: int = 20) -> None:
    """Print a build summary: counts, failures, warnings, validation."""
    for failure in result.failed:
        console.print(f"[red]failed:[/red] {failure}")
    if result.warnings and show_warnings:
        for w in result.warnings[:show_warnings]:
            console.print(f"[yellow]warning:[/yellow] {w}")
        if len(result.warnings) > show_warnings:
            console.print(f"… and {len(result.warnings) - show_warnings} more warnings")
    for facts in result.facts:
        stats = getattr(facts, "stats", None)
        if stats is not None:
            console.print(f"bulk table {stats}")
    if result.validation is not None:
        v = result.validation
        counts = dict.fromkeys(("Violation", "Warning", "Info"), 0)
        for r in v.results:
            counts[str(getattr(r.severity, "value", r.severity))] = (
                counts.get(str(getattr(r.severity, "value", r.severity)), 0) + 1
            )
        state = "[green]conforms[/green]" if v.conforms else "[red]does not conform[/red]"
        console.print(
            f"SHACL: {state} — {counts['Violation']} violations, {counts['Warning']} warnings, "
            f"{counts['Info']} notes (details: sotegraph validate)"
        )
    if result.withheld:
        console.print(
            f"personal data: the names of {result.withheld} implementers that are people "
            "(private persons, sole traders) were withheld; --include-personal-data keeps them"
        )
    console.print(
        f"documents: {result.read} read, {result.built} built, {result.unchanged} unchanged, "
        f"{result.warned} warned, {len(result.failed)} failed; "
        f"{result.projects} projects, {result.triples} triples written"
    )


@app.command()
def info(
    store: StoreDirOpt,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Optional files/folders: show which are new, changed or unchanged."),
    ] = None,
) -> None:
    """Show what a store holds: documents, counts of resources and triples."""
    kg = KnowledgeGraph(open_from_cli(store, read_only=True, existing=True))
    stats = kg.stats()
    table = Table(title=f"sotegraph store {store}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in stats.items():
        table.add_row(key, str(value))
    out.print(table)
    docs = Table(title="documents")
    for col in ("source", "genre", "ingested", "sha256"):
        docs.add_column(col)
    for row in kg.documents():
        docs.add_row(
            str(row.get("source")),
            str(row.get("genre")),
            str(row.get("ingested")),
            str(row.get("doc", ""))[-64:][:12],
        )
    out.print(docs)
    if paths:
        for status, items in kg.changes(paths).items():
            for item in items:
                out.print(f"{status}: {item}")
    kg.close()

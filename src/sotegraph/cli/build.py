"""``sotegraph build`` and ``sotegraph info``."""

from __future__ import annotations

import contextlib
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
from sotegraph.cli import app, error_message
from sotegraph.cli._options import (
    EndpointOpt,
    StoreOpt,
    TimeoutOpt,
    UpdateEndpointOpt,
    fail,
    open_from_cli,
)
from sotegraph.errors import SotegraphError
from sotegraph.read.limits import (
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_MAX_HTML_DEPTH,
    DEFAULT_MAX_TEXT_CHARS,
    ReadLimits,
)

console = Console(stderr=True)
out = Console()

_STAGES = {
    "read": "Reading files",
    "extract": "Extracting facts",
    "rows": "Table rows (in batches)",
    "store": "Storing graphs",
}


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
    max_file_mb: Annotated[
        float,
        typer.Option(
            "--max-file-mb",
            min=0,
            envvar="SOTEGRAPH_MAX_FILE_MB",
            help="Largest file read, in MB; a larger one fails alone (0: no limit).",
        ),
    ] = DEFAULT_MAX_FILE_BYTES / 1e6,
    max_text_chars: Annotated[
        int,
        typer.Option(
            "--max-text-chars",
            min=0,
            envvar="SOTEGRAPH_MAX_TEXT_CHARS",
            help="Longest text of one document, in characters (not project lists; 0: no limit).",
        ),
    ] = DEFAULT_MAX_TEXT_CHARS,
    max_html_depth: Annotated[
        int,
        typer.Option(
            "--max-html-depth",
            min=0,
            envvar="SOTEGRAPH_MAX_HTML_DEPTH",
            help="Deepest nesting of elements in an HTML page (0: no limit).",
        ),
    ] = DEFAULT_MAX_HTML_DEPTH,
    timeout: TimeoutOpt = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            envvar="SOTEGRAPH_WORKERS",
            help="Processes that extract documents (default: one per core; 1: no pool).",
            show_default=False,
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help="Extract on this Dask cluster (pip install 'sotegraph[dask]'); "
            "this process resolves, validates and writes.",
        ),
    ] = None,
) -> None:
    """Read files, extract facts, validate and store them as one named graph per document.

    Exit code 0 when everything built, 1 when some documents failed (the rest are stored) or
    SHACL found violations, 2 when nothing readable was given or the store failed (an
    endpoint that refuses, does not answer or stops, a full disk): the documents stored
    before stay, and a rerun adds the rest.
    """
    from sotegraph.export import export_rdf

    if scheduler is not None:
        from sotegraph.parallel import require_dask

        try:
            require_dask()
        except SotegraphError as exc:
            raise fail(error_message(exc)) from exc
    limits = ReadLimits(
        max_file_bytes=round(max_file_mb * 1e6) or None,
        max_text_chars=max_text_chars or None,
        max_html_depth=max_html_depth or None,
    )
    backend = open_from_cli(store, endpoint, update_endpoint, timeout=timeout, endpoint_wins=True)
    kg = KnowledgeGraph(backend, include_personal_data=include_personal_data)
    try:
        result = _add(
            kg,
            paths,
            use_nlp=not no_nlp,
            validate=not no_validate,
            limits=limits,
            workers=workers,
            scheduler=scheduler,
        )
    except SotegraphError as exc:
        _close_after_failure(kg)
        raise fail(
            f"{error_message(exc)}; the documents stored before are kept, run the build "
            "again to add the rest"
        ) from exc
    if out_file is not None and (result.built or result.unchanged):
        try:
            export_rdf(kg.store, out_file)
        except SotegraphError as exc:
            _close_after_failure(kg)
            raise fail(error_message(exc)) from exc
        console.print(f"wrote {out_file}")
    render_build(result, show_warnings=show_warnings)
    kg.close()
    raise typer.Exit(result.exit_code)


def _add(
    kg: KnowledgeGraph,
    paths: list[Path],
    *,
    use_nlp: bool,
    validate: bool,
    limits: ReadLimits | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> BuildResult:
    """Build ``paths`` into ``kg`` with a progress bar on stderr."""
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

        return kg.add_paths(
            paths,
            use_nlp=use_nlp,
            validate=validate,
            progress=progress,
            limits=limits,
            workers=workers,
            scheduler=scheduler,
        )


def _close_after_failure(kg: KnowledgeGraph) -> None:
    """Close the store after an error; the error is reported, a second one would hide it."""
    with contextlib.suppress(SotegraphError):  # e.g. the last flush on a full disk
        kg.close()


def render_build(result: BuildResult, *, show_warnings: int = 20) -> None:
    """Print a build summary: counts, failures, warnings, validation."""
    for failure in result.failed:
        console.print(f"[red]failed:[/red] {failure}")
    if result.warnings and show_warnings:
        for w in result.warnings[:show_warnings]:
            console.print(f"[yellow]warning:[/yellow] {w}")
        if len(result.warnings) > show_warnings:
            console.print(f"… and {len(result.warnings) - show_warnings} more warnings")
    for stats in result.tables:
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
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Optional files/folders: show which are new, changed or unchanged."),
    ] = None,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Show what a store (--store or --endpoint) holds: documents, counts of resources and
    triples."""
    kg = KnowledgeGraph(
        open_from_cli(store, endpoint, read_only=True, existing=True, required=True)
    )
    stats = kg.stats()
    # on a line of its own: a table's title wraps at the table's width (a long URL would)
    out.print(f"sotegraph store {store if store is not None else endpoint}", markup=False)
    table = Table()
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

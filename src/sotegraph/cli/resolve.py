"""``sotegraph resolve-report``: what resolution merges, what it keeps apart, what it misses."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sotegraph.cli import app
from sotegraph.errors import InputError, SotegraphError
from sotegraph.resolve import ResolutionReport

console = Console(stderr=True)
out = Console()


class ReportFormat(StrEnum):
    """Output formats of the resolution report."""

    TEXT = "text"
    JSON = "json"


def resolution_report(
    paths: list[Path],
    *,
    curations: Path | None = None,
    use_nlp: bool = True,
    include_personal_data: bool = False,
) -> tuple[ResolutionReport, list[str]]:
    """Read and extract ``paths``, resolve them together and return the report and failures.

    Organisations that are people (private persons, sole traders) are reported under their
    withheld labels unless ``include_personal_data``.

    Raises
    ------
    InputError
        If none of the paths can be read.
    """
    from sotegraph.extract import extract
    from sotegraph.read import iter_paths, read_document
    from sotegraph.resolve import Resolver

    files = iter_paths(list(paths))
    facts = []
    failed: list[str] = []
    for path in files:
        try:
            facts.append(extract(read_document(path), use_nlp=use_nlp))
        except InputError as exc:
            failed.append(str(exc))
    if not facts:
        raise InputError("no readable document among the given paths", file=str(paths[0]))
    if not include_personal_data:
        from sotegraph.privacy import withhold_private_organisations

        for f in facts:
            withhold_private_organisations(f)
    resolver = Resolver(curations=curations)
    resolver.resolve_all(facts)
    return resolver.report(), failed


@app.command("resolve-report")
def resolve_report(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to read.")],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="text (readable) or json (everything).")
    ] = ReportFormat.TEXT,
    curations: Annotated[
        Path | None,
        typer.Option("--curations", help="A curations CSV to use instead of the shipped one."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Entries shown per section (text).")] = 40,
    no_nlp: Annotated[bool, typer.Option("--no-nlp", help="Do not run spaCy over prose.")] = False,
    include_personal_data: Annotated[
        bool,
        typer.Option(
            "--include-personal-data",
            help="Show the names of organisations that are people (private persons, sole traders).",
        ),
    ] = False,
) -> None:
    """Extract the given files, resolve them together and print the resolution report.

    Lists the names merged into each resource, near misses that were not merged, new
    organisations, bad Y-tunnus values and unresolved places, for a person to curate in
    data/curations.csv. Exit code 0, or 2 when nothing could be read.
    """
    try:
        report, failed = resolution_report(
            paths,
            curations=curations,
            use_nlp=not no_nlp,
            include_personal_data=include_personal_data,
        )
    except SotegraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    for msg in failed:
        console.print(f"[yellow]skipped:[/yellow] {msg}")
    if fmt is ReportFormat.JSON:
        out.print_json(report.to_json())
        return
    counts = Table(title="Resolution", show_header=False)
    for key, value in report.counts.items():
        counts.add_row(key.replace("_", " "), str(value))
    out.print(counts)
    text = report.render(limit=limit)
    body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    if body:
        out.print(body, markup=False, highlight=False)

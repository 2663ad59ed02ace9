"""``sotegraph resolve-report``: what resolution merges, what it keeps apart, what it misses."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sotegraph.cli import app
from sotegraph.cli._options import fail
from sotegraph.errors import SotegraphError

console = Console(stderr=True)
out = Console()


class ReportFormat(StrEnum):
    """Output formats of the resolution report."""

    TEXT = "text"
    JSON = "json"


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
        from sotegraph.builder import resolution_report

        report, failed = resolution_report(
            paths,
            curations=curations,
            use_nlp=not no_nlp,
            include_personal_data=include_personal_data,
        )
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
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

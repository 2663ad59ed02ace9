"""``sotegraph evaluate`` (score extraction against gold facts) and ``sotegraph explain``.

Exit codes: ``evaluate`` 0 when every F1 target is met, 1 when one is not, 2 for unreadable
input; ``explain`` 0 when evidence was found, 1 when none, 2 when the store cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sotegraph.cli import app
from sotegraph.cli._options import EndpointOpt, StoreOpt, fail, open_from_cli
from sotegraph.errors import SotegraphError

console = Console(stderr=True)
out = Console()


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold facts (the format of seeds.json).")],
    corpus: Annotated[
        Path | None,
        typer.Argument(help="Folder of the texts (default: ../corpus/seeds beside the gold)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    show: Annotated[
        int, typer.Option("--show", help="How many misses and false hits to list per type.")
    ] = 1000,
) -> None:
    """Extract the corpus and print precision, recall and F1 per fact type, with every miss
    and false hit."""
    from sotegraph.evaluate import FACT_TYPES, TARGETS
    from sotegraph.evaluate import evaluate as run

    try:
        report = run(gold, corpus)
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
        raise typer.Exit(0 if report.meets_targets() else 1)
    table = Table(
        title=f"Extraction vs gold ({len(report.documents)} documents, "
        f"names matched by {report.matching})"
    )
    for col in ("fact type", "P", "R", "F1", "TP", "FP", "FN", "target"):
        table.add_column(col, justify="left" if col == "fact type" else "right")
    for t in FACT_TYPES:
        s = report.scores[t]
        goal = TARGETS.get(t)
        mark = ""
        if goal is not None:
            mark = (
                f"[green]≥{goal:.2f} ✓[/green]"
                if s.f1 + 1e-9 >= goal
                else f"[red]≥{goal:.2f} ✗[/red]"
            )
        table.add_row(
            t,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.tp),
            str(s.fp),
            str(s.fn),
            mark,
        )
    out.print(table)
    for t in FACT_TYPES:
        s = report.scores[t]
        for label, items in (("miss", s.misses), ("false hit", s.false_hits)):
            for item in items[:show]:
                out.print(f"  [bold]{t}[/bold] {label}: {item}")
    for note in report.notes:
        out.print(f"  [dim]note: {note}[/dim]")
    raise typer.Exit(0 if report.meets_targets() else 1)


@app.command()
def explain(
    iri: Annotated[str, typer.Argument(help="A participation, organisation or project IRI.")],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Show the sentences a fact came from (participation nodes with sg:sentence and
    prov:wasDerivedFrom)."""
    from sotegraph.evaluate import explain as run

    with open_from_cli(store, endpoint, read_only=store is not None, endpoint_wins=True) as backend:
        try:
            found = run(backend, iri)
        except SotegraphError as exc:
            raise fail(str(exc)) from exc
    if not found:
        console.print(f"no participation evidence for {iri}")
        raise typer.Exit(1)
    out.print(f"[bold]Evidence for {iri}[/bold] ({len(found)} participation nodes)")
    for e in found:
        where = e.source or e.document or ""
        if e.line is not None:
            where += f":{e.line}"
        if e.char_start is not None:
            where += f" [{e.char_start}–{e.char_end}]"
        out.print(
            f"\n[bold]{e.project_label or e.project}[/bold] —[cyan]{e.role}[/cyan]→ "
            f"[bold]{e.organisation_label or e.organisation}[/bold]"
        )
        if e.sentence:
            out.print(f"  “{e.sentence}”", highlight=False)
        if e.cue:
            out.print(f"  cue: [italic]{e.cue}[/italic]", highlight=False)
        out.print(f"  from: {where}", highlight=False)
        out.print(f"  node: {e.node}", highlight=False)

"""``sotegraph evaluate`` (score extraction against gold facts) and ``sotegraph explain``.

Exit codes: ``evaluate`` 0 when every F1 target is met and no personal-data string of the gold
is in the built graph, 1 when a target is not met, 2 for unreadable input (a gold file that
cannot be read, is not JSON or has not the shape of a gold file, a missing corpus folder);
with ``--relevance FILE`` the sote-relevance classifier is scored too (precision and recall of
*sote* ≥ 0.9, else 1);
``explain`` 0 when evidence was found, 1 when none, 2 when the store cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sotegraph.cli import app
from sotegraph.cli._options import EndpointOpt, StoreOpt, TimeoutOpt, fail, open_from_cli
from sotegraph.errors import SotegraphError

if TYPE_CHECKING:  # pragma: no cover
    from sotegraph.evaluate import EvaluationReport, RelevanceReport

console = Console(stderr=True)
out = Console()


@app.command()
def evaluate(
    gold: Annotated[
        Path | None, typer.Argument(help="Gold facts (the format of seeds.json).")
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Argument(help="Folder of the texts (default: ../corpus/seeds beside the gold)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    show: Annotated[
        int, typer.Option("--show", help="How many misses and false hits to list per type.")
    ] = 1000,
    relevance: Annotated[
        Path | None,
        typer.Option(
            "--relevance",
            help="Also score sote relevance on this CSV (code, list, label; e.g. "
            "sote_relevance_dev.csv); the lists are read from ../corpus/bulk beside it.",
        ),
    ] = None,
) -> None:
    """Extract the corpus and print precision, recall and F1 per fact type and per genre,
    with every miss and false hit, and count the gold's personal-data strings in the graph
    built without personal data. With ``--relevance``, print the precision and recall of
    *sote* of the sote-relevance classifier on labelled listed projects."""
    from sotegraph.evaluate import evaluate as run

    if gold is None and relevance is None:
        raise fail("give a gold file (GOLD) or --relevance FILE, or both")
    met = True
    if relevance is not None:
        met = _relevance(relevance, as_json=as_json, show=show)
        if gold is None:
            raise typer.Exit(0 if met else 1)
    assert gold is not None
    try:
        report = run(gold, corpus)
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
        raise typer.Exit(0 if report.meets_targets() else 1)
    out.print(_fact_table(report))
    if report.genres:
        out.print(_genre_table(report))
    else:
        out.print("  [dim]no document_info in the gold: no per-genre rows[/dim]")
    _print_details(report, show)
    raise typer.Exit(0 if report.meets_targets() and met else 1)


def _relevance(path: Path, *, as_json: bool, show: int) -> bool:
    """Score the sote-relevance classifier on ``path``; print; return whether it met the
    targets."""
    from sotegraph.evaluate import evaluate_relevance

    try:
        report = evaluate_relevance(path)
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "relevance": [
                        {
                            "subset": s.subset,
                            "rows": s.rows,
                            "precision": s.precision,
                            "recall": s.recall,
                            "tp": s.tp,
                            "fp": s.fp,
                            "fn": s.fn,
                        }
                        for s in report.scores
                    ],
                    "errors": [
                        {"code": r.code, "gold": r.gold, "predicted": r.predicted}
                        for r in report.errors
                    ],
                    "missing": report.missing,
                },
                ensure_ascii=False,
            )
        )
        return report.meets_targets()
    out.print(_relevance_table(report))
    for r in report.errors[:show]:
        out.print(
            f"  [bold]{r.error}[/bold] {r.list}/{r.code} (gold {r.gold}, predicted "
            f"{r.predicted}): {escape(r.title)}",
            highlight=False,
        )
    for m in report.missing:
        out.print(f"  [red]not in the lists[/red]: {escape(m)}")
    return report.meets_targets()


def _relevance_table(report: RelevanceReport) -> Table:
    from sotegraph.evaluate import RELEVANCE_TARGET

    table = Table(title=f"Sote relevance vs {report.gold} ({len(report.rows)} rows)")
    table.add_column("rows", justify="left")
    for col in ("n", "P (sote)", "R (sote)", "TP", "FP", "FN", "target"):
        table.add_column(col, justify="right")
    table.add_column("gold → predicted (sote/borderline/not)", justify="left")
    for s in report.scores:
        ok = min(s.precision, s.recall) + 1e-9 >= RELEVANCE_TARGET
        mark = (
            f"[green]≥{RELEVANCE_TARGET:.2f} ✓[/green]"
            if ok
            else f"[red]≥{RELEVANCE_TARGET:.2f} ✗[/red]"
        )
        matrix = "; ".join(
            f"{g}: "
            + "/".join(str(s.confusion.get((g, p), 0)) for p in ("sote", "borderline", "not"))
            for g in ("sote", "borderline", "not")
        )
        table.add_row(
            s.subset,
            str(s.rows),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            str(s.tp),
            str(s.fp),
            str(s.fn),
            mark,
            matrix,
        )
    table.caption = (
        "precision and recall of sote; a gold borderline row is never an error (FP: predicted "
        "sote, gold not; FN: gold sote, predicted borderline or not); halves by the code's "
        "SHA-256 (second hex digit even: A)"
    )
    return table


def _fact_table(report: EvaluationReport) -> Table:
    from sotegraph.evaluate import FACT_TYPES, PERSONAL_DATA, TARGETS

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
        # nothing in the gold and nothing extracted: no score to give (not a perfect one)
        empty = not (s.tp or s.fp or s.fn)
        table.add_row(
            t,
            *(("—",) * 3 if empty else (f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")),
            str(s.tp),
            str(s.fp),
            str(s.fn),
            mark,
        )
    table.add_section()
    pd = report.personal_data
    if pd is None:
        table.add_row(PERSONAL_DATA, "", "", "", "", "", "", "[dim]not checked[/dim]")
    else:
        mark = "[green]=0 ✓[/green]" if pd.count == 0 else "[red]=0 ✗[/red]"
        table.add_row(PERSONAL_DATA, "", "", "", "", str(pd.count), "", mark)
        table.caption = (
            f"{PERSONAL_DATA}: how many of the gold's {pd.strings} strings the graph built "
            f"without personal data holds (FP column; {pd.terms} literals and IRIs searched)"
        )
    return table


def _genre_table(report: EvaluationReport) -> Table:
    table = Table(title="Per genre (document_info): every fact type of the genre's documents")
    for col in ("genre", "docs", "P", "R", "F1", "TP", "FP", "FN", "elsewhere"):
        table.add_column(col, justify="left" if col == "genre" else "right")
    for g in report.genres:
        docs = str(len(g.documents))
        if g.read < len(g.documents):
            docs += f" ({len(g.documents) - g.read} not read)"
        table.add_row(
            g.genre,
            docs,
            f"{g.precision:.3f}",
            f"{g.recall:.3f}",
            f"{g.f1:.3f}",
            str(g.tp),
            str(g.fp),
            str(g.fn),
            str(g.elsewhere),
        )
    table.caption = (
        "elsewhere: gold facts of the genre's documents that only other genres' documents "
        "yielded (not counted here)"
    )
    return table


def _print_details(report: EvaluationReport, show: int) -> None:
    from sotegraph.evaluate import FACT_TYPES, PERSONAL_DATA

    for t in FACT_TYPES:
        s = report.scores[t]
        for label, items in (("miss", s.misses), ("false hit", s.false_hits)):
            for item in items[:show]:
                out.print(f"  [bold]{t}[/bold] {label}: {escape(item)}")
    if report.distractors_total:
        out.print(
            f"  distractors extracted in a role: {len(report.distractors)} of "
            f"{report.distractors_total} (each a false hit of its role row)"
        )
        for d in report.distractors:
            roles = ", ".join(f"{role} of {project}" for project, role in d.extracted)
            out.print(
                f"  [bold]distractor[/bold] {escape(d.document)}: {d.organisation} as {roles}"
            )
    pd = report.personal_data
    if pd is not None:
        for found in pd.found:
            out.print(
                f"  [bold]{PERSONAL_DATA}[/bold] found: {escape(found.string)} "
                f"in {escape(found.term)}",
                highlight=False,
            )
        for failed in pd.failed:
            out.print(f"  [dim]personal-data build: {escape(failed)}[/dim]")
    for note in report.notes:
        out.print(f"  [dim]note: {escape(note)}[/dim]")
    if report.unscored_keys:
        out.print(f"  [dim]gold keys not scored: {escape(', '.join(report.unscored_keys))}[/dim]")


@app.command()
def explain(
    iri: Annotated[str, typer.Argument(help="A participation, organisation or project IRI.")],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """Show the sentences a fact came from (participation nodes with sg:sentence and
    prov:wasDerivedFrom)."""
    from sotegraph.evaluate import explain as run

    with open_from_cli(
        store, endpoint, read_only=store is not None, timeout=timeout, endpoint_wins=True
    ) as backend:
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

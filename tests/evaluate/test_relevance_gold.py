"""Sote relevance against ../shared/gold/sote_relevance_dev.csv (issue 17: P and R of sote ≥ 0.9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sotegraph.cli import app
from sotegraph.evaluate import RELEVANCE_TARGET, RelevanceReport, evaluate_relevance


@pytest.fixture(scope="module")
def relevance_gold(bulk_dir: Path) -> Path:
    """The relevance gold beside the bulk lists (skips when ../shared is absent)."""
    path = bulk_dir.parent.parent / "gold" / "sote_relevance_dev.csv"
    if not path.exists():
        pytest.skip(f"the relevance gold not found at {path} (clone ../shared beside the project)")
    return path


@pytest.fixture(scope="module")
def report(relevance_gold: Path) -> RelevanceReport:
    return evaluate_relevance(relevance_gold)


def test_sote_precision_and_recall_meet_the_targets(report: RelevanceReport) -> None:
    for s in report.scores:
        print(
            f"{s.subset:20} rows {s.rows:4}  P(sote) {s.precision:.3f}  R(sote) {s.recall:.3f}"
            f"  TP {s.tp} FP {s.fp} FN {s.fn}"
        )
    for r in report.errors:
        print(f"  {r.error}: {r.list}/{r.code} gold {r.gold}, predicted {r.predicted}")
    assert report.missing == []
    assert len(report.rows) > 300
    whole = report.scores[-1]
    assert whole.subset == "all"
    assert whole.precision >= RELEVANCE_TARGET
    assert whole.recall >= RELEVANCE_TARGET
    # the held-out half alone too
    held_out = report.scores[1]
    assert held_out.precision >= RELEVANCE_TARGET
    assert held_out.recall >= RELEVANCE_TARGET


def test_the_classifier_uses_all_three_values(report: RelevanceReport) -> None:
    predicted = {r.predicted for r in report.rows}
    assert predicted == {"sote", "borderline", "not"}
    # most listed projects are not sote
    assert sum(r.predicted == "not" for r in report.rows) > len(report.rows) / 2


def test_cli_prints_the_table(relevance_gold: Path) -> None:
    result = CliRunner().invoke(
        app, ["evaluate", "--relevance", str(relevance_gold)], env={"COLUMNS": "220"}
    )
    print(result.output)
    assert result.exit_code == 0
    assert "Sote relevance" in result.output
    assert "half B (also seen)" in result.output


def test_cli_needs_a_gold_file_or_relevance() -> None:
    result = CliRunner().invoke(app, ["evaluate"])
    assert result.exit_code == 2
    assert "error:" in result.output


def test_cli_unreadable_relevance_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "--relevance", str(bad)])
    assert result.exit_code == 2
    assert "not a relevance gold file" in result.output

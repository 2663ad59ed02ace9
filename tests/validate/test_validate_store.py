"""``sotegraph validate --store`` finds what the build found (issue 16, point 5).

The command used to copy the whole store into an rdflib Dataset and validate that (147 s on
the bulk store against 41 s for the whole build); it now validates the store as the build
does, document by document and the graph-wide shapes once over a view of the store
(``benchmarks/bench_validate.py --build-vs-store`` times both). The findings must stay the
same: the report of the command equals the build's validation report, and the report of
:func:`sotegraph.validate.validate` on the whole store copied into a Dataset, on the seeds
(spaCy on) and on a store holding bad records.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sotegraph.cli import app

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def _build(paths: list[Path], folder: Path, *, use_nlp: bool) -> Any:
    """Build ``paths`` into ``folder`` with validation; the build's report."""
    from sotegraph.builder import build

    kg = build(paths, store=folder, use_nlp=use_nlp, validate=True)
    result = kg.last_build
    assert result is not None
    assert result.built == len(list(result.documents))
    assert result.validation is not None
    kg.close()
    del kg
    gc.collect()
    return result.validation


def _whole_dataset_report(folder: Path) -> Any:
    from sotegraph.store import open_store
    from sotegraph.validate import validate

    with open_store(folder, read_only=True) as store:
        return validate(store.to_dataset())


def _command_report(folder: Path) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, ["validate", "--store", str(folder), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def _check(folder: Path, built: Any) -> dict[str, Any]:
    code, got = _command_report(folder)
    expected = [r.to_dict() for r in built.sort().results]
    print(
        f"{folder.name}: validate --store {got['violations']} violations, {got['warnings']} "
        f"warnings, {got['infos']} infos; the build {len(built.violations)}, "
        f"{len(built.warnings)}, {len(built.infos)}"
    )
    assert got["results"] == expected
    assert code == (0 if built.conforms else 1)
    whole = _whole_dataset_report(folder)
    assert got["results"] == [r.to_dict() for r in whole.results]
    return got


@pytest.mark.nlp
def test_seeds_store_report_is_the_build_s(seeds_dir: Path, tmp_path: Path) -> None:
    built = _build([seeds_dir], tmp_path / "seeds", use_nlp=True)
    got = _check(tmp_path / "seeds", built)
    assert got["warnings"] >= 1  # the articles' projects without a stated lead


def test_store_with_bad_documents_report_is_the_build_s(tmp_path: Path) -> None:
    paths = [BAD / name for name in ("end_before_start.txt", "bad_amount.txt", "ok_record.txt")]
    built = _build(paths, tmp_path / "bad", use_nlp=False)
    got = _check(tmp_path / "bad", built)
    assert got["violations"] >= 1
    sources = {d["source"] for r in got["results"] for d in r["source_documents"]}
    assert "end_before_start.txt" in sources

"""Output paths that cannot be written give a clear error and exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sotegraph.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


def test_build_out_into_a_missing_folder(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "x.trig"
    result = CliRunner().invoke(app, ["build", str(EXAMPLES), "--no-nlp", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_snapshot_into_an_existing_folder(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    built = CliRunner().invoke(app, ["build", str(EXAMPLES), "--no-nlp", "--store", str(store)])
    assert built.exit_code in (0, 1), built.output
    target = tmp_path / "copy"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(app, ["snapshot", "--store", str(store), str(target)])
    assert result.exit_code == 2, result.output
    assert "exists" in result.output
    assert (target / "keep.txt").read_text(encoding="utf-8") == "mine"

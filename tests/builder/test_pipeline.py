"""End to end: the CLI builds the seeds and the examples; graphs survive a round trip on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset

ROOT = Path(__file__).resolve().parents[2]


def sotegraph(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``sotegraph`` command in a new process."""
    env = {**os.environ, "PYTHONUTF8": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "sotegraph.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=600,
        check=False,
    )


def test_build_seeds_to_trig_exits_0(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "seeds.trig"
    proc = sotegraph("build", str(seeds_dir), "--out", str(out))
    print(proc.stderr[-3000:])
    assert proc.returncode == 0, proc.stderr
    assert "5 read, 5 built" in proc.stderr
    ds = Dataset()
    ds.parse(out, format="trig")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    docs = [g for g in graphs if "/document/" in g]
    assert len(docs) == 5
    projects = set(
        ds.query(
            "SELECT ?c WHERE { GRAPH ?g { ?p <https://w3id.org/sotegraph/ontology#projectCode> ?c } }"
        )
    )
    assert {str(r[0]) for r in projects} >= {"S21259", "S21467"}


def test_store_round_trip_in_new_process(seeds_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    build = sotegraph("build", str(seeds_dir), "--store", str(store), "--no-nlp")
    assert build.returncode == 0, build.stderr
    from sotegraph.builder import build as build_kg

    in_memory = build_kg(seeds_dir, use_nlp=False, validate=False)
    expected = in_memory.query("projects").to_python()
    first = sotegraph("query", "projects", "--store", str(store), "--format", "json")
    second = sotegraph("query", "projects", "--store", str(store), "--format", "json")
    assert first.returncode == 0, first.stderr
    rows = json.loads(first.stdout)
    assert rows == json.loads(second.stdout)
    assert [r["code"] for r in rows] == [r["code"] for r in expected]
    assert {r["granted"] for r in rows if r["code"] == "S21259"} in ({"208856"}, {208856})


def test_examples_build_and_validate(examples_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "demo"
    proc = sotegraph("build", str(examples_dir), "--store", str(store))
    print(proc.stderr[-3000:])
    assert proc.returncode == 0, proc.stderr
    info = sotegraph("info", "--store", str(store))
    assert info.returncode == 0, info.stderr
    assert "esimerkki_esr_S29901.txt" in info.stdout


def test_personal_data_kept_out_of_example_graph(examples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ex.trig"
    proc = sotegraph("build", str(examples_dir), "--out", str(out), "--no-nlp")
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "Maija Esimerkki" not in text
    assert "example.fi" not in text
    assert "040-0000001" not in text
    proc = sotegraph(
        "build", str(examples_dir), "--out", str(out), "--no-nlp", "--include-personal-data"
    )
    assert proc.returncode == 0, proc.stderr
    assert "Maija Esimerkki" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["build", "does/not/exist.txt"], 2),
        (["query", "no_such_query", "--store", "nowhere"], 2),
        (["build"], 2),
    ],
)
def test_usage_errors_exit_2(args: list[str], code: int, tmp_path: Path) -> None:
    proc = sotegraph(*args, cwd=tmp_path)
    assert proc.returncode == code, (proc.stdout, proc.stderr)


def test_batch_with_a_bad_file_exits_1_and_keeps_the_good(
    examples_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "good.txt").write_text(
        (examples_dir / "esimerkki_esr_S29901.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (bad / "empty.txt").write_text("", encoding="utf-8")
    store = tmp_path / "store"
    proc = sotegraph("build", str(bad), "--store", str(store), "--no-nlp")
    assert proc.returncode == 1, proc.stderr
    assert "empty.txt:1: file is empty" in proc.stderr
    assert "2 read, 1 built" in proc.stderr
    q = sotegraph("query", "projects", "--store", str(store), "--format", "json")
    assert [r["code"] for r in json.loads(q.stdout)] == ["S29901"]

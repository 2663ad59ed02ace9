"""The whole bad corpus in one folder, built with the CLI: the batch completes.

The committed small files of tests/data/bad/ (unreadable files, bad records, hostile names)
and the large ones written here by scripts/make_bad_corpus.py (a 50 MB record, a page of
200,000 nested ``<div>`` elements, a 180 MB project list) go into one folder; ``sotegraph
build`` over it stores every good document, reports every bad one with its reason (the large
ones refused by the default limits, before extraction), prints no traceback and exits 1.
Before the limits, the 50 MB record stopped the whole build after 11 minutes (a 16 MB line
buffer in the store) and the deep page hung it for 15.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
BAD = HERE.parent / "data" / "bad"
BUDGET_SECONDS = 300  # the build, NLP and SHACL included, on a loaded 2-core machine


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


def test_whole_bad_folder_builds(tmp_path: Path) -> None:
    expected = _load("_bad_inputs", HERE / "test_bad_inputs.py")
    corpus = expected.load_corpus_script()
    folder = tmp_path / "bad"
    shutil.copytree(BAD, folder)
    t0 = time.perf_counter()
    corpus.write_large_record(folder / "large_record.txt", megabytes=50)
    corpus.write_deep_html(folder / "deep_200000.html", depth=200_000)
    corpus.write_large_csv(folder / "million_rows.csv", rows=1_000_000)
    print(f"large files written in {time.perf_counter() - t0:.1f} s")
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    assert sizes["large_record.txt"] >= 50 * 2**20
    assert sizes["deep_200000.html"] > 2_000_000
    assert sizes["million_rows.csv"] > 100_000_000

    store = tmp_path / "store"
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}
    for var in ("SOTEGRAPH_MAX_FILE_MB", "SOTEGRAPH_MAX_TEXT_CHARS", "SOTEGRAPH_MAX_HTML_DEPTH"):
        env.pop(var, None)  # the defaults are under test
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "sotegraph.cli", "build", str(folder), "--store", str(store)],
        capture_output=True,
        text=True,
        env=env,
        timeout=2 * BUDGET_SECONDS,
        check=False,
    )
    seconds = time.perf_counter() - t0
    output = proc.stdout + proc.stderr
    flat = " ".join(output.split())
    print(f"sotegraph build of {len(sizes)} files: exit {proc.returncode} in {seconds:.1f} s")
    assert "Traceback" not in output, output[-3000:]
    assert proc.returncode == 1, output[-3000:]
    assert seconds < BUDGET_SECONDS

    # every bad file reported, with its reason
    chars = len((folder / "large_record.txt").read_text(encoding="utf-8"))
    csv_bytes = sizes["million_rows.csv"]
    page = (folder / "deep_200000.html").read_text(encoding="utf-8")
    div_line = page.count("\n", 0, page.index("<div>")) + 1  # where the nesting starts
    csv_mb = csv_bytes / 1e6
    reasons = {
        **{name: message for name, (_cls, message) in expected.READ_FAILURES.items()},
        "large_record.txt": f"text too long: {chars:,} characters, over the limit of 5,000,000",
        "deep_200000.html": f"{div_line}: HTML nested too deeply: more than 512 levels of elements",
        "million_rows.csv": f"file too large: {csv_mb:.1f} MB ({csv_bytes:,} bytes), over the "
        "limit of 100 MB",
    }
    for name, reason in reasons.items():
        sep = ":" if reason[0].isdigit() else ": "
        assert f"failed: {folder / name}{sep}{reason}" in flat, (name, flat[-3000:])
    # and how to raise each limit
    for option in ("--max-text-chars", "--max-html-depth", "--max-file-mb"):
        assert f"raise the limit with sotegraph build {option} N" in flat
    good = set(expected.GOOD) | set(expected.WARNINGS) | set(expected.HOSTILE)
    assert f"documents: {len(sizes)} read, {len(good)} built, 0 unchanged" in flat
    assert f"{len(reasons)} failed" in flat

    # the store holds exactly the good documents, and their projects
    from sotegraph.builder import KnowledgeGraph

    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        sources = {str(d["source"]) for d in kg.documents()}
        codes = {str(r["code"]) for r in kg.query("projects")}
    finally:
        kg.close()
    assert sources == {f"bad/{name}" for name in good}
    hostile = {code for names in expected.HOSTILE.values() for code in names}
    want = {c for c, _ in expected.WARNINGS.values()} | set(expected.GOOD.values()) | hostile
    assert codes == want

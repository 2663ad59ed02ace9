"""Large inputs (generated at test time, never committed): a 50 MB record, a million-row CSV.

Each runs in a fresh interpreter so that its peak resident memory can be measured
(``ru_maxrss``) and bounded: the record may be held in memory a few times over (it is one
document), the CSV must stream (never the whole file in memory; a few hundred bytes a row at most).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bad_corpus import load_corpus_script

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

_DRIVER = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
what, path = sys.argv[1], Path(sys.argv[2])
out = {}
if what == "imports":
    import sotegraph.read, sotegraph.extract.eura, sotegraph.extract.bulk
elif what == "record":
    from sotegraph.read import ReadLimits, read_document
    from sotegraph.extract.eura import parse_eura
    # over the default limit of text in one document (a build refuses it): raised here
    doc = read_document(path, limits=ReadLimits(max_text_chars=None))
    facts = parse_eura(doc)
    out["codes"] = [p.code for p in facts.projects]
    out["warnings"] = [str(w) for w in facts.warnings]
    out["summary"] = len(facts.projects[0].summary or "")
    out["realised"] = str(facts.projects[0].realised_eu_state)
elif what == "csv":
    from sotegraph.extract.bulk import iter_bulk_rows
    rows = rejected = 0
    last = None
    for row in iter_bulk_rows(path):
        if type(row).__name__ == "BulkRow":
            rows += 1
            last = row
        else:
            rejected += 1
    out["rows"], out["rejected"] = rows, rejected
out["seconds"] = time.perf_counter() - t0
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _corpus() -> Any:
    return load_corpus_script()


def _run(what: str, path: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _DRIVER, what, str(path)],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def import_peak(tmp_path_factory: pytest.TempPathFactory) -> float:
    return float(_run("imports", tmp_path_factory.mktemp("x"))["peak_mb"])


def test_50_mb_record(tmp_path: Path, import_peak: float) -> None:
    path = _corpus().write_large_record(tmp_path / "large_record.txt", megabytes=50)
    size_mb = path.stat().st_size / 2**20
    fig = _run("record", path)
    over = fig["peak_mb"] - import_peak
    print(
        f"50 MB record: {fig['seconds']:.1f} s, peak {fig['peak_mb']:.0f} MB "
        f"(+{over:.0f} MB over imports, {over / size_mb:.1f}× the file)"
    )
    assert fig["codes"] == ["S29990"]
    assert fig["warnings"] == []
    assert fig["summary"] > 45_000_000
    assert fig["realised"] == "98765"  # the fields after the huge section are still read
    # one document is held as text (UCS-1/2 in Python) a few times over: bound it
    assert over < 6 * size_mb, f"{over:.0f} MB over the import baseline"


def test_million_row_csv_streams(tmp_path: Path, import_peak: float) -> None:
    pytest.importorskip("sotegraph.extract.bulk")
    path = _corpus().write_large_csv(tmp_path / "million.csv", rows=1_000_000)
    size_mb = path.stat().st_size / 2**20
    fig = _run("csv", path)
    over = fig["peak_mb"] - import_peak
    print(
        f"million-row CSV ({size_mb:.0f} MB): {fig['rows']:,} rows in {fig['seconds']:.1f} s, "
        f"peak {fig['peak_mb']:.0f} MB (+{over:.0f} MB over imports)"
    )
    assert fig["rows"] == 1_000_000
    assert fig["rejected"] == 0
    # streaming: never the file in memory. (The reader keeps the codes it has seen to report
    # duplicates, about 150 bytes a row; holding the rows' facts costs over 2 KB a row.)
    assert over < size_mb, f"{over:.0f} MB over the import baseline for a {size_mb:.0f} MB file"
    assert over * 2**20 / 1_000_000 < 400, "more than 400 bytes a row: rows are being kept"

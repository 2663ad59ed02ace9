"""Large inputs: time and peak memory for a 50 MB text file and a million-row bulk CSV.

Each figure is measured in a fresh subprocess (peak resident memory from
``resource.getrusage(RUSAGE_SELF).ru_maxrss``), next to two baselines from the same run: the
interpreter with sotegraph imported and doing nothing, and reading the file's bytes into memory
(what any reader that is not streaming pays at least). A streaming reader should stay near the
import baseline however big the file; a reader that holds the text pays a multiple of the file.

Usage::

    python benchmarks/bench_large.py                 # 50 MB text, 1,000,000 CSV rows
    python benchmarks/bench_large.py --mb 5 --rows 100000   # a quicker run
    python benchmarks/bench_large.py --build-rows 100000     # also build a graph of that many rows

The input files are generated (scripts/make_bad_corpus.py) in a temporary folder and removed.
The readers' limits (:class:`sotegraph.read.ReadLimits`) are turned off, except in the build
with the default limits, which refuses the record (over 5,000,000 characters of text) before
extracting anything.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _corpus_script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_bad_corpus", ROOT / "scripts" / "make_bad_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- scenarios, each run in its own process ---------------------------------------------------


def _scenario(name: str, path: Path) -> dict[str, Any]:
    import resource

    import sotegraph.builder
    import sotegraph.read
    from sotegraph.extract.bulk import iter_bulk_rows, read_bulk
    from sotegraph.extract.eura import parse_eura

    unlimited = sotegraph.read.ReadLimits(**UNLIMITED_KW)
    t0 = time.perf_counter()
    info: dict[str, Any] = {}
    if name == "import":
        pass
    elif name == "read-bytes":
        info["bytes"] = len(path.read_bytes())
    elif name == "read-document":
        doc = sotegraph.read.read_document(path, limits=unlimited)
        info["characters"] = len(doc.text)
        info["encoding"] = doc.encoding
    elif name == "parse-eura":
        doc = sotegraph.read.read_document(path, limits=unlimited)
        facts = parse_eura(doc)
        info["projects"] = len(facts.projects)
        info["warnings"] = len(facts.warnings)
        info["summary_characters"] = len(facts.projects[0].summary or "") if facts.projects else 0
    elif name == "stream-bulk":
        rows = rejected = 0
        for row in iter_bulk_rows(path):
            if type(row).__name__ == "BulkRow":
                rows += 1
            else:
                rejected += 1
        info["rows"] = rows
        info["rejected"] = rejected
    elif name == "read-bulk":
        doc = sotegraph.read.read_document(path, limits=unlimited)
        facts = read_bulk(doc)
        info["projects"] = len(facts.projects)
        info["warnings"] = len(facts.warnings)
    elif name in {"build", "build-unlimited"}:
        limits = unlimited if name == "build-unlimited" else None  # None: the defaults
        # with SHACL validation (issue 19: the 52 MB record builds, validated)
        kg = sotegraph.builder.build([path], use_nlp=False, validate=True, limits=limits)
        result = kg.last_build
        assert result is not None
        info["built"] = result.built
        info["failed"] = [str(f) for f in result.failed]
        info["triples"] = result.triples
        info["warnings"] = len(result.warnings)
        kg.close()
    else:
        raise SystemExit(f"unknown scenario {name}")
    info["seconds"] = round(time.perf_counter() - t0, 2)
    info["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return info


TIMEOUT = 900.0
#: No limit of file size, text length or HTML depth (the defaults refuse the large files)
UNLIMITED_KW = {"max_file_bytes": None, "max_text_chars": None, "max_html_depth": None}


def measure(name: str, path: Path, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Run one scenario in a fresh interpreter; return its figures (or why it failed)."""
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--scenario", name, str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "peak_mb": float("nan")}
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail), "peak_mb": float("nan"), "seconds": float("nan")}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _row(label: str, fig: dict[str, Any], base: dict[str, Any], size_mb: float) -> str:
    if "error" in fig:
        return f"  {label:<34} FAILED: {fig['error']}"
    extra = {k: v for k, v in fig.items() if k not in {"seconds", "peak_mb"}}
    over = fig["peak_mb"] - base["peak_mb"]
    return (
        f"  {label:<34} {fig['seconds']:>8.2f} s  peak {fig['peak_mb']:>8.1f} MB  "
        f"(+{over:.1f} MB over imports = {over / size_mb:.2f}× the file)  {extra}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50, help="size of the text file in MB")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the CSV")
    parser.add_argument(
        "--build-rows",
        type=int,
        default=0,
        help="also build a graph from a CSV of this many rows (slow: about 20 triples a row)",
    )
    parser.add_argument(
        "--timeout", type=float, default=TIMEOUT, help="seconds allowed for each measurement"
    )
    parser.add_argument("--scenario", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(_scenario(args.scenario[0], Path(args.scenario[1]))))
        return 0

    corpus = _corpus_script()
    failed = False
    with tempfile.TemporaryDirectory(prefix="sotegraph-large-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        text = corpus.write_large_record(folder / "large_record.txt", megabytes=args.mb)
        csv = corpus.write_large_csv(folder / "bulk_rows.csv", rows=args.rows)
        text_mb = text.stat().st_size / 1e6
        csv_mb = csv.stat().st_size / 1e6
        print(
            f"generated {text.name} ({text_mb:.1f} MB) and {csv.name} ({args.rows:,} rows, "
            f"{csv_mb:.1f} MB) in {time.perf_counter() - t0:.1f} s"
        )
        base = measure("import", text)
        print(f"baseline: python + sotegraph imports: peak {base['peak_mb']:.1f} MB")

        print(f"\n{text.name} ({text_mb:.1f} MB, one EURA record with a huge summary):")
        for label, scen in (
            ("baseline: read the bytes", "read-bytes"),
            ("read_document (decode, normalise)", "read-document"),
            ("read + parse_eura", "parse-eura"),
            ("build, default limits (refused)", "build"),
            ("build, no limits (SHACL, no NLP)", "build-unlimited"),
        ):
            fig = measure(scen, text, args.timeout)
            failed |= "error" in fig
            print(_row(label, fig, base, text_mb), flush=True)

        print(f"\n{csv.name} ({args.rows:,} rows, {csv_mb:.1f} MB, 2014 bulk layout):")
        for label, scen in (
            ("baseline: read the bytes", "read-bytes"),
            ("iter_bulk_rows (streaming)", "stream-bulk"),
            ("read_document + read_bulk", "read-bulk"),
        ):
            fig = measure(scen, csv, args.timeout)
            failed |= "error" in fig
            print(_row(label, fig, base, csv_mb), flush=True)
            if scen == "stream-bulk" and "rows" in fig:
                print(f"  {'':<34} {fig['rows'] / max(fig['seconds'], 1e-9):,.0f} rows/s streamed")

        if args.build_rows:
            small = corpus.write_large_csv(folder / "build_rows.csv", rows=args.build_rows)
            small_mb = small.stat().st_size / 1e6
            print(f"\n{small.name} ({args.build_rows:,} rows, {small_mb:.1f} MB):")
            fig = measure("build", small, args.timeout)
            failed |= "error" in fig
            print(_row("build (no NLP, no SHACL)", fig, base, small_mb), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

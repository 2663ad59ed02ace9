"""Commands that should answer at once: CPU seconds of ``sotegraph`` against bare baselines.

Each command runs as a child process; its CPU time is the user + system time of that child
(``resource.getrusage(RUSAGE_CHILDREN)`` before and after), so the load of a shared machine
inflates it less than wall-clock time. Every case runs three times, alternating with its
baseline, and the median of the three is compared:

* ``sotegraph --help`` and ``sotegraph query --list`` against ``python -c pass`` (targets:
  under 0.3 s of CPU each, the interpreter's own start included);
* ``sotegraph query projects --format csv --store BULK`` against the same SPARQL text (the
  query with its default parameters bound by :func:`sotegraph.store.base.bind_values`) run by
  pyoxigraph directly on the same store, its results serialised as CSV to the same place
  (target: at most 1.3 times);
* ``sotegraph query projects --store BULK``, the default table (the first 50 rows and how
  many more there are), against the same pyoxigraph run (target: at most 1.5 times).

The output of every run goes to ``/dev/null``; the CSV runs are checked once to have the same
number of rows. The load average is printed before and after.

``--store DIR`` takes a built store (e.g. ``sotegraph build`` of the two EURA bulk lists);
without it, both bulk lists (``../shared/corpus/bulk``) are built into a temporary store
first (SHACL validation off: the queries read the same triples), which is removed at the end.

Run: ``python benchmarks/bench_cli.py [--store DIR] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BULK = ROOT.parent / "shared" / "corpus" / "bulk"
BULK_LISTS = ("fi_eura2014_projektilista_2016_clean.csv", "fi_eura2007_projektilista_2007-2013.csv")
QUERY = "projects"
TARGET_START = 0.3  # CPU seconds of --help and query --list
TARGET_CSV = 1.3  # sotegraph CSV / pyoxigraph
TARGET_TABLE = 1.5  # sotegraph default table / pyoxigraph

PYOXIGRAPH = """\
import sys
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
result = store.query(text, use_default_graph_as_union=True)
result.serialize(sys.stdout.buffer, ox.QueryResultsFormat.CSV)
"""


def cpu_of(command: list[str], *, out: Path | None = None) -> float:
    """CPU seconds (user + system) of one child process running ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out or os.devnull, "wb") as sink:
        done = subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode()}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def build_store(folder: Path) -> Path:
    from sotegraph.builder import build

    inputs = [BULK / name for name in BULK_LISTS]
    missing = [p for p in inputs if not p.exists()]
    if missing:
        raise SystemExit(f"corpus not found: {missing[0]} (give --store DIR)")
    t0 = time.perf_counter()
    kg = build(inputs, store=folder / "store", validate=False)
    stats = kg.stats()
    kg.close()
    print(f"store built in {time.perf_counter() - t0:.0f} s: {stats}")
    return folder / "store"


def query_text(folder: Path) -> Path:
    """The named query's text with its default parameters bound, as sotegraph runs it."""
    from sotegraph.queries import load_query
    from sotegraph.store.base import bind_values

    named = load_query(QUERY)
    path = folder / f"{QUERY}.rq"
    path.write_text(bind_values(named.text, named.bindings({})), encoding="utf-8")
    return path


def rows_in(path: Path) -> int:
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", type=Path, help="a built store (default: build the bulk lists)")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs per case (3)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sotegraph-bench-cli-") as tmp:
        folder = Path(tmp)
        store = args.store if args.store is not None else build_store(folder)
        if not store.is_dir():
            print(f"no store at {store}", file=sys.stderr)
            return 2
        text = query_text(folder)
        sg = [sys.executable, "-m", "sotegraph.cli"]
        bare = [sys.executable, "-c", "pass"]
        direct = [sys.executable, "-c", PYOXIGRAPH, str(store), str(text)]

        # the same rows both ways (checked once, outside the timings)
        cpu_of([*sg, "query", QUERY, "--format", "csv", "--store", str(store)], out=folder / "a")
        cpu_of(direct, out=folder / "b")
        n_sg, n_ox = rows_in(folder / "a"), rows_in(folder / "b")
        assert n_sg == n_ox, (n_sg, n_ox)
        print(f"{QUERY}: {n_sg:,} rows both ways; store {store}")

        cases: list[tuple[str, list[str], list[str], str, Callable[[float, float], bool]]] = [
            ("sotegraph --help", [*sg, "--help"], bare, "python -c pass", _start),
            ("sotegraph query --list", [*sg, "query", "--list"], bare, "python -c pass", _start),
            (
                f"query {QUERY} --format csv",
                [*sg, "query", QUERY, "--format", "csv", "--store", str(store)],
                direct,
                "pyoxigraph",
                _csv,
            ),
            (
                f"query {QUERY} (table)",
                [*sg, "query", QUERY, "--store", str(store)],
                direct,
                "pyoxigraph",
                _table,
            ),
        ]
        print(f"load average before: {load()}")
        print()
        print(
            f"{'command':<30}{'runs (CPU s)':>26}{'median':>8}   {'baseline':<15}"
            f"{'median':>8}{'ratio':>7}  target"
        )
        ok = True
        for label, command, base, base_label, check in cases:
            mine: list[float] = []
            theirs: list[float] = []
            for _ in range(args.runs):
                mine.append(cpu_of(command))
                theirs.append(cpu_of(base))
            m, b = statistics.median(mine), statistics.median(theirs)
            good = check(m, b)
            ok &= good
            runs = " ".join(f"{x:.2f}" for x in mine)
            print(
                f"{label:<30}{runs:>26}{m:>8.3f}   {base_label:<15}{b:>8.3f}{m / b:>7.2f}  "
                f"{_target(check)} {'ok' if good else 'MISSED'}",
                flush=True,
            )
        print()
        print(f"load average after: {load()}")
    return 0 if ok else 1


def _start(mine: float, base: float) -> bool:
    return mine < TARGET_START


def _csv(mine: float, base: float) -> bool:
    return mine <= TARGET_CSV * base


def _table(mine: float, base: float) -> bool:
    return mine <= TARGET_TABLE * base


def _target(check: Callable[[float, float], bool]) -> str:
    return {
        _start: f"< {TARGET_START} s",
        _csv: f"<= {TARGET_CSV}x",
        _table: f"<= {TARGET_TABLE}x",
    }[check]


if __name__ == "__main__":
    raise SystemExit(main())

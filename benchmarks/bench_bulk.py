"""The whole bulk build: 22,821 EURA projects (2014–2020 clean list + 2007–2013 list).

Figures:

* reading only: ``read_document`` + ``read_bulk`` of both files (seconds, rows/s);
* the full build, ``sotegraph.builder.build([...], store=<tmpdir>)`` with SHACL validation, run
  in a child process so that its peak memory (``ru_maxrss``) is its own; a timeline of the
  build's progress calls (read, extract, store). The store stage overlaps: a background
  writer loads each document's graph into Oxigraph (which releases the GIL) while the main
  thread validates it, and the graph-wide shapes run while the last graph is written, so
  "after the last stage" is mostly the wait for the last (largest) write;
* the baseline: the built store's quads dumped as N-Quads and loaded by ``Store.bulk_load``
  into a fresh on-disk store in a new interpreter (CPU seconds and peak memory, as the build's
  are measured: interpreter start and imports included); the ratios build / baseline. Also the
  triples loaded into a fresh in-memory ``pyoxigraph.Store()`` here, for the wall-clock ratio.

Targets: issue 6, the full build with validation under 30 s and under 2 GiB; issue 19, its CPU
at most 3 times and its peak memory at most 2 times those of ``bulk_load`` of the same quads.

``--profile`` also runs the build under cProfile and prints where the time goes, summed by
sotegraph module and by the top functions.

The ratios are the median of ``--runs`` (default 3) build / bulk_load pairs run one after the
other (a shared host's speed drifts; both sides of a pair see the same).

Run: ``python benchmarks/bench_bulk.py [--profile] [--no-validate] [--runs 3]``
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing as mp
import pstats
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BULK = ROOT.parent / "shared" / "corpus" / "bulk"
FILES = [
    BULK / "fi_eura2014_projektilista_2016_clean.csv",
    BULK / "fi_eura2007_projektilista_2007-2013.csv",
]
TARGET_SECONDS = 30.0
TARGET_BYTES = 2 * 1024**3
TARGET_CPU_RATIO = 3.0  # issue 19: the build's CPU <= 3x bulk_load's of the same quads
TARGET_MEMORY_RATIO = 2.0  # and its peak memory <= 2x


def read_only() -> dict[str, Any]:
    from sotegraph.extract.bulk import read_bulk
    from sotegraph.read import read_document

    t0 = time.perf_counter()
    docs = [read_document(p) for p in FILES]
    t1 = time.perf_counter()
    facts = [read_bulk(d) for d in docs]
    t2 = time.perf_counter()
    return {
        "read_document": t1 - t0,
        "read_bulk": t2 - t1,
        "rows": sum(f.stats.rows_read for f in facts if f.stats),
        "projects": sum(len(f.projects) for f in facts),
        "stats": [str(f.stats) for f in facts],
    }


def _build(store_dir: str, validate: bool, profile: bool, out: Any, files: list[str]) -> None:
    """Child process: build, time the stages, report through the pipe."""
    from sotegraph.builder import build

    FILES[:] = [Path(f) for f in files]

    marks: dict[str, list[float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        span = marks.setdefault(stage, [now, now])
        span[1] = now

    prof = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    kg = build(FILES, store=store_dir, use_nlp=False, validate=validate, progress=progress)
    if prof:
        prof.disable()
    total = time.perf_counter() - t0
    res = kg.last_build
    assert res is not None
    report = res.validation
    violations = None
    if report is not None:
        violations = sum(
            1 for r in getattr(report, "results", []) if str(r.severity).endswith("Violation")
        )
    triples = len(kg.store)
    kg.close()
    profile_text = ""
    if prof:
        profile_text = _profile_summary(prof)
    out.send(
        {
            "seconds": total,
            "marks": marks,
            "t0": t0,
            "projects": res.projects,
            "documents": res.built,
            "failed": [str(f) for f in res.failed],
            "warnings": len(res.warnings),
            "triples": triples,
            "conforms": None if report is None else report.conforms,
            "violations": violations,
            "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "cpu": resource.getrusage(resource.RUSAGE_SELF).ru_utime
            + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
            "profile": profile_text,
        }
    )
    out.close()


def _profile_summary(prof: cProfile.Profile) -> str:
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    by_area: dict[str, float] = defaultdict(float)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in raw.items():
        if "/sotegraph/" in filename:
            area = "sotegraph." + filename.split("/sotegraph/", 1)[1].removesuffix(".py").replace(
                "/", "."
            )
        elif "site-packages/" in filename:
            area = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        elif filename.startswith("~") or filename.startswith("<"):
            area = "builtins"
        else:
            area = "stdlib"
        by_area[area] += tottime
    lines = ["own time by module (s):"]
    for area, t in sorted(by_area.items(), key=lambda kv: -kv[1])[:14]:
        lines.append(f"  {t:8.2f}  {area}")
    stats.sort_stats("cumulative").print_stats(30)
    lines.append(buf.getvalue())
    return "\n".join(lines)


def full_build(validate: bool, profile: bool) -> tuple[dict[str, Any], Path]:
    tmp = Path(tempfile.mkdtemp(prefix="bench_bulk_"))
    store_dir = tmp / "store"
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_build, args=(str(store_dir), validate, profile, child, [str(p) for p in FILES])
    )
    proc.start()
    child.close()
    result = parent.recv()
    proc.join()
    if proc.exitcode:
        raise SystemExit(f"build failed (exit {proc.exitcode})")
    return result, store_dir


_BULK_LOAD = """\
import resource, sys, pyoxigraph as ox
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
store.flush()
r = resource.getrusage(resource.RUSAGE_SELF)
print(len(store), r.ru_utime + r.ru_stime, r.ru_maxrss * 1024)
"""


def baseline(store_dir: Path) -> dict[str, Any]:
    """The built store's quads as N-Quads, loaded by ``Store.bulk_load`` into a fresh on-disk
    store in a new interpreter (its CPU and peak memory, interpreter start included, as the
    build's are); and its triples loaded into a fresh in-memory store here."""
    import subprocess

    import pyoxigraph as ox

    built = ox.Store.read_only(str(store_dir))
    nq = store_dir.parent / "quads.nq"
    nt = store_dir.parent / "triples.nt"
    t0 = time.perf_counter()
    with nq.open("wb") as fh:
        ox.serialize(built, fh, ox.RdfFormat.N_QUADS)
    with nt.open("wb") as fh:
        ox.serialize((q.triple for q in built), fh, ox.RdfFormat.N_TRIPLES)
    t_dump = time.perf_counter() - t0
    del built
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _BULK_LOAD, str(nq), str(store_dir.parent / "bulk")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    t_bulk = time.perf_counter() - t0
    t0 = time.perf_counter()
    fresh = ox.Store()
    fresh.load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    t_load = time.perf_counter() - t0
    return {
        "dump": t_dump,
        "load": t_load,
        "triples": len(fresh),
        "bytes": nt.stat().st_size,
        "bulk_quads": int(out[0]),
        "bulk_cpu": float(out[1]),
        "bulk_rss": int(out[2]),
        "bulk_seconds": t_bulk,
        "nq_bytes": nq.stat().st_size,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--profile", action="store_true", help="cProfile the build")
    ap.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    ap.add_argument(
        "--runs", type=int, default=3, help="build/bulk_load pairs for the ratios (median)"
    )
    ap.add_argument(
        "--files", nargs="+", type=Path, help="build these CSV files instead (e.g. one, to profile)"
    )
    args = ap.parse_args()
    if args.files:
        FILES[:] = args.files
    missing = [p for p in FILES if not p.exists()]
    if missing:
        print(f"bulk corpus not found: {missing[0]}", file=sys.stderr)
        raise SystemExit(2)

    ro = read_only()
    print(
        f"read only: {ro['rows']:,} rows -> {ro['projects']:,} projects: read_document "
        f"{ro['read_document']:.2f} s + read_bulk {ro['read_bulk']:.2f} s "
        f"({ro['rows'] / ro['read_bulk']:,.0f} rows/s)"
    )
    for line in ro["stats"]:
        print("  " + line)

    b, store_dir = full_build(validate=not args.no_validate, profile=args.profile)
    print(
        f"full build{'' if not args.no_validate else ' (no validation)'}"
        f"{' under cProfile' if args.profile else ''}: {b['seconds']:.1f} s wall "
        f"({b['cpu']:.1f} s CPU), peak RSS "
        f"{b['maxrss'] / 2**20:,.0f} MiB; {b['documents']} documents, {b['projects']:,} projects, "
        f"{b['triples']:,} quads, {b['warnings']:,} warnings, failed: {b['failed'] or 'none'}"
    )
    if b["conforms"] is not None:
        print(f"  validation: conforms={b['conforms']}, violations={b['violations']}")
    t0 = b["t0"]
    end = t0 + b["seconds"]
    print("  timeline (s from start; first..last progress call of each stage):")
    prev = t0
    for stage, (first, last) in sorted(b["marks"].items(), key=lambda kv: kv[1][0]):
        print(
            f"    {stage:8s} {first - t0:6.2f} .. {last - t0:6.2f}  (gap before it "
            f"{first - prev:5.2f}: work before its first item)"
        )
        prev = last
    print(
        f"    end      {end - t0:6.2f}  (after the last stage: validation etc. {end - prev:5.2f})"
    )

    base = baseline(store_dir)
    print(
        f"baseline: bulk_load of the same {base['bulk_quads']:,} quads as N-Quads "
        f"({base['nq_bytes'] / 2**20:.0f} MiB) into a new on-disk store, in a new interpreter: "
        f"{base['bulk_seconds']:.1f} s wall, {base['bulk_cpu']:.1f} s CPU, "
        f"peak RSS {base['bulk_rss'] / 2**20:,.0f} MiB"
    )
    cpu_ratio = b["cpu"] / base["bulk_cpu"]
    mem_ratio = b["maxrss"] / base["bulk_rss"]
    ratios = [(cpu_ratio, mem_ratio)]
    for i in range(2, args.runs + 1):
        # more pairs, build and baseline alternating: a busy host slows both, not one
        again, folder = full_build(validate=not args.no_validate, profile=False)
        other = baseline(folder)
        ratios.append((again["cpu"] / other["bulk_cpu"], again["maxrss"] / other["bulk_rss"]))
        print(
            f"  run {i}: build {again['cpu']:.1f} s CPU, {again['maxrss'] / 2**20:,.0f} MiB; "
            f"bulk_load {other['bulk_cpu']:.1f} s CPU, {other['bulk_rss'] / 2**20:,.0f} MiB"
        )
    cpu_ratio = statistics.median(r[0] for r in ratios)
    mem_ratio = statistics.median(r[1] for r in ratios)
    print(
        f"ratio build / bulk_load (median of {len(ratios)}): CPU {cpu_ratio:.2f}x (target <= {TARGET_CPU_RATIO:.0f}x: "
        f"{'OK' if cpu_ratio <= TARGET_CPU_RATIO else 'MISSED'}), peak memory {mem_ratio:.2f}x "
        f"(target <= {TARGET_MEMORY_RATIO:.0f}x: "
        f"{'OK' if mem_ratio <= TARGET_MEMORY_RATIO else 'MISSED'})"
    )
    print(
        f"also: {base['triples']:,} triples as N-Triples ({base['bytes'] / 2**20:.0f} MiB) "
        f"loaded into pyoxigraph.Store() (memory) here in {base['load']:.2f} s "
        f"(dump {base['dump']:.2f} s); full build / that load: {b['seconds'] / base['load']:.1f}x"
    )
    ok_t = b["seconds"] < TARGET_SECONDS
    ok_m = b["maxrss"] < TARGET_BYTES
    print(
        f"target < {TARGET_SECONDS:.0f} s and < 2 GiB: time {'OK' if ok_t else 'MISSED'}, "
        f"memory {'OK' if ok_m else 'MISSED'}"
    )
    if b["profile"]:
        print(b["profile"])


if __name__ == "__main__":
    main()

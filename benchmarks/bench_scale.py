"""Scaling: peak memory and CPU per item as the corpus grows (issue 19, point 3).

Every build runs in a fresh interpreter (``sotegraph.builder.build`` into a new on-disk
store, SHACL validation on); its CPU seconds (user + system, interpreter start included) and
peak resident memory (``ru_maxrss``) are its own. Inputs are generated into a temporary
folder (invented names; ``scripts/make_bad_corpus.py``) and removed.

* **Tables**: bulk lists in the EURA 2014 layout of ``--table-rows`` rows (default 20,000 and
  1,000,000), without NLP and without the read limits (the defaults refuse a file over
  100 MB; the million-row table is 179 MB). Targets: the largest under 2 GiB peak, and its CPU per row no
  worse than the smallest's (ratio <= 1.0).
* **Records**: EURA project records with 3,000-character summaries, ``--records`` of them
  (default 2,500, 5,000 and 10,000) without NLP, and ``--nlp-records`` (default 200 and 400)
  with the spaCy pipeline. Target: peak memory flat as the count doubles (each doubling at
  most 1.10 times the peak before it).

The load average is printed before and after; CPU seconds are less inflated by a busy
machine than wall-clock time, not immune to it.

Run: ``python benchmarks/bench_scale.py [--table-rows 20000 1000000] [--records 2500 5000 10000]
[--nlp-records 200 400] [--workers 1]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_PEAK = 2 * 1024**3
TARGET_ROW_RATIO = 1.0
TARGET_FLAT = 1.10

_CHILD = """\
import json, resource, sys, time
from sotegraph.builder import build
from sotegraph.read import ReadLimits
# no size limit: the defaults refuse a file over 100 MB (the million-row table is 179 MB)
limits = ReadLimits(max_file_bytes=None, max_text_chars=None)
t0 = time.perf_counter()
kg = build([sys.argv[1]], store=sys.argv[2], use_nlp=sys.argv[3] == "nlp",
           validate=True, workers=int(sys.argv[4]), limits=limits)
res = kg.last_build
seconds = time.perf_counter() - t0
out = {"seconds": seconds, "built": res.built, "projects": res.projects,
       "failed": [str(f) for f in res.failed], "triples": len(kg.store),
       "conforms": res.validation.conforms if res.validation else None}
kg.close()
r = resource.getrusage(resource.RUSAGE_SELF)
out["cpu"] = r.ru_utime + r.ru_stime
out["peak"] = r.ru_maxrss * 1024
print(json.dumps(out))
"""

# invented sentences for the summaries (no real project's words)
_SENTENCES = (
    "Hankkeessa kokeillaan uusia tapoja tukea ikääntyneiden kotona asumista.",
    "Työntekijät oppivat käyttämään etäyhteyksiä asiakastyössä.",
    "Keksityn seudun kunnat kehittävät yhdessä palveluohjausta.",
    "Kokeilun tulokset kootaan oppaaksi muiden käyttöön.",
    "Mallilan sosiaalitoimi ja järjestöt sopivat yhteisestä toimintamallista.",
    "Nuorten mielenterveyspalveluihin pääsyä nopeutetaan matalan kynnyksen kohtaamispaikoilla.",
    "Hankkeen aikana koulutetaan kokemusasiantuntijoita.",
    "Perhekeskuksen toimintaa laajennetaan uusiin kuntiin.",
    "Työllisyyspalveluiden ja terveydenhuollon yhteistyötä tiivistetään.",
    "Asiakkaiden palautteen perusteella palveluja muokataan hankkeen aikana.",
)


def _corpus_module() -> Any:
    from bench_large import _corpus_script  # the same loader (benchmarks/ is on the path)

    return _corpus_script()


def _business_id(n: int) -> str:
    from sotegraph.values import business_id_check_digit

    k = n
    while True:
        first = f"{2_980_000 + k:07d}"
        digit = business_id_check_digit(first)
        if digit is not None:
            return f"{first}-{digit}"
        k += 50_000  # another number in the invented range


def write_records(folder: Path, count: int, *, seed: int = 11) -> Path:
    """``count`` invented EURA records, each with a summary of about 3,000 characters."""
    corpus = _corpus_module()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        words: list[str] = []
        size = 0
        while size < 3_000:
            sentence = rng.choice(_SENTENCES)
            words.append(sentence)
            size += len(sentence) + 1
        summary = " ".join(words)
        lead = i % 400
        text = corpus.record(
            code=f"S{20_000 + i % 80_000}",
            name=f"Kehittämishanke numero {i}",
            applicant=f"Keksityn Seudun Kehitys {lead} Oy",
            applicant_id=_business_id(lead),
            partners=(f"Mallilan kunta {i % 97}", f"Koe ja Kumppanit {i % 61} Oy"),
            granted=f"{rng.randrange(10, 900)} {rng.randrange(100, 999)}",
        ).replace(corpus.SUMMARY, summary)
        (folder / f"record_{i:05d}.txt").write_text(text, encoding="utf-8")
    return folder


def run(path: Path, store: Path, *, nlp: bool, workers: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(store), "nlp" if nlp else "-", str(workers)],
        capture_output=True,
        text=True,
        check=False,
    )
    shutil.rmtree(store, ignore_errors=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail)}
    fig = dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    if fig["failed"] or not fig["built"]:
        return {"error": f"built {fig['built']}, failed: {fig['failed']}"}
    return fig


def _line(label: str, fig: dict[str, Any], items: int, unit: str) -> str:
    if "error" in fig:
        return f"  {label:<28} failed: {fig['error']}"
    return (
        f"  {label:<28} {fig['seconds']:8.1f} s wall {fig['cpu']:8.1f} s CPU "
        f"({fig['cpu'] / items * 1e6:8.1f} µs CPU per {unit})  peak {fig['peak'] / 2**20:7,.0f} MiB"
        f"  {fig['projects']:,} projects, {fig['triples']:,} quads, conforms={fig['conforms']}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--table-rows", type=int, nargs="*", default=[20_000, 1_000_000])
    ap.add_argument("--records", type=int, nargs="*", default=[2_500, 5_000, 10_000])
    ap.add_argument("--nlp-records", type=int, nargs="*", default=[200, 400])
    ap.add_argument("--workers", type=int, default=1, help="extraction processes (default 1)")
    args = ap.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tmp = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    ok = True
    try:
        corpus = _corpus_module()
        if args.table_rows:
            print("\ngenerated bulk tables (no NLP, with validation):")
            first: float | None = None
            for rows in sorted(args.table_rows):
                csv = corpus.write_large_csv(tmp / f"rows_{rows}.csv", rows)
                fig = run(csv, tmp / "store", nlp=False, workers=args.workers)
                csv.unlink()
                print(_line(f"{rows:,} rows", fig, rows, "row"), flush=True)
                if "error" in fig:
                    ok = False
                    continue
                per_row = fig["cpu"] / rows
                first = per_row if first is None else first
                ratio = per_row / first
                peak_ok = fig["peak"] < TARGET_PEAK
                ratio_ok = ratio <= TARGET_ROW_RATIO
                ok = ok and peak_ok and (rows == min(args.table_rows) or ratio_ok)
                print(
                    f"    CPU per row / smallest table's: {ratio:.2f} (target <= "
                    f"{TARGET_ROW_RATIO:.1f}: {'OK' if ratio_ok else 'MISSED'}); peak < 2 GiB: "
                    f"{'OK' if peak_ok else 'MISSED'}"
                )
        for label, counts, nlp in (
            ("records, no NLP", args.records, False),
            ("records, NLP", args.nlp_records, True),
        ):
            if not counts:
                continue
            print(f"\ngenerated EURA records with 3,000-character summaries ({label}):")
            before: tuple[int, int] | None = None
            for count in sorted(counts):
                folder = write_records(tmp / f"records_{count}", count)
                fig = run(folder, tmp / "store", nlp=nlp, workers=args.workers)
                shutil.rmtree(folder, ignore_errors=True)
                print(_line(f"{count:,} records", fig, count, "record"), flush=True)
                if "error" in fig:
                    ok = False
                    continue
                if before is not None:
                    growth = fig["peak"] / before[1]
                    flat = growth <= TARGET_FLAT ** max(1.0, count / before[0] / 2)
                    ok = ok and flat
                    print(
                        f"    peak / peak at {before[0]:,}: {growth:.2f} (target <= "
                        f"{TARGET_FLAT:.2f} a doubling: {'OK' if flat else 'MISSED'})"
                    )
                before = (count, fig["peak"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"all targets: {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

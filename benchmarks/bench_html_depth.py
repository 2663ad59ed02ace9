"""Benchmark: reading HTML pages of 10,000 / 100,000 / 200,000 nested ``<div>`` elements.

An HTML parser looks up the open elements around each new element, so lexbor's time grows
with the depth times the number of elements: quadratically for a page of nested ``<div>``
elements (about 4× each time the nesting doubles). sotegraph measures the depth first, by a
linear scan (:func:`sotegraph.read.html.html_depth`), and refuses a page deeper than the limit
(512 by default) before parsing it.

For each depth the benchmark prints, from the same run:

- ``read (limit 512)``: :func:`html_to_text` with the default limit, what a build does (refused);
- ``depth scan, no limit``: the scan over the whole page (the measure, linear in the page);
- ``lexbor parse``: the parser alone (the baseline; only up to ``--parser-max`` levels, as
  200,000 levels take minutes);
- ``wide page read``: as many elements, nested at most 500 deep, read whole (a page within the
  limit is read in time linear in its size);

and the ratio of each to its time at 10,000 levels (the sizes grow 10× and 20×). It exits 1
when a refusal takes over a second or the reading of the wide page grows faster than twice
linearly.

Usage::

    python benchmarks/bench_html_depth.py
    python benchmarks/bench_html_depth.py --parser-max 80000   # the parser's curve further
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial

from sotegraph.errors import DocumentTooLargeError
from sotegraph.read.html import html_depth, html_to_text

DEPTHS = (10_000, 100_000, 200_000)


def nested(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + "Teksti" + "</div>" * depth + "</body></html>"


def wide(elements: int, depth: int = 500) -> str:
    block = "<div>" * depth + "sana " + "</div>" * depth
    return "<html><body>" + block * (elements // depth) + "</body></html>"


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """The best of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def refused(html: str) -> None:
    try:
        html_to_text(html, source="syva.html")
    except DocumentTooLargeError:
        return
    raise AssertionError("a deep page was read")


def parse(html: str) -> None:
    from selectolax.lexbor import LexborHTMLParser

    LexborHTMLParser(html)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--parser-max",
        type=int,
        default=40_000,
        help="deepest page given to lexbor itself (seconds grow with the square)",
    )
    args = parser.parse_args()
    rows: dict[str, dict[int, float]] = {}
    for depth in DEPTHS:
        page = nested(depth)
        rows.setdefault("read (limit 512)", {})[depth] = timed(partial(refused, page), 3)
        rows.setdefault("depth scan, no limit", {})[depth] = timed(partial(html_depth, page))
        flat = wide(depth)
        rows.setdefault("wide page read", {})[depth] = timed(partial(html_to_text, flat))
        if depth <= args.parser_max:
            rows.setdefault("lexbor parse (baseline)", {})[depth] = timed(partial(parse, page))
    # the parser's own curve, for comparison: 10,000, 20,000, 40,000 … levels
    curve = {}
    depth = DEPTHS[0]
    while depth <= args.parser_max:
        curve[depth] = timed(partial(parse, nested(depth)))
        depth *= 2

    sizes = {d: len(nested(d)) / 1e6 for d in DEPTHS}
    head = "".join(f"{f'{d:,} ({sizes[d]:.1f} MB)':>22}" for d in DEPTHS)
    print(f"{'nested <div> elements':<26}{head}")
    for label, times in rows.items():
        cells = []
        for d in DEPTHS:
            if d not in times:
                cells.append(f"{'(minutes)':>22}")
                continue
            ratio = times[d] / times[DEPTHS[0]] if times[DEPTHS[0]] > 0 else float("nan")
            cells.append(f"{f'{times[d]:.4f} s ×{ratio:.1f}':>22}")
        print(f"{label:<26}{''.join(cells)}")
    print(
        "lexbor alone: "
        + ", ".join(f"{d:,} levels {t:.2f} s" for d, t in curve.items())
        + (
            f"; ×{curve[max(curve)] / curve[min(curve)]:.0f} for "
            f"×{max(curve) // min(curve)} the depth"
            if len(curve) > 1
            else ""
        )
    )

    failed = False
    worst = max(rows["read (limit 512)"].values())
    if worst > 1.0:
        print(f"FAIL: refusing a deep page took {worst:.2f} s (budget 1 s)")
        failed = True
    wide_times = rows["wide page read"]
    growth = wide_times[DEPTHS[-1]] / wide_times[DEPTHS[0]]
    linear = DEPTHS[-1] / DEPTHS[0]
    print(
        f"wide page: ×{growth:.1f} the time for ×{linear:.0f} the elements (linear: ×{linear:.0f})"
    )
    if growth > 2 * linear:
        print("FAIL: reading a wide page grows faster than twice linearly")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

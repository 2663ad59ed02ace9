"""The HTML network view of the whole bulk store (22,821 EURA projects) in headless Chromium.

Figures, for the page ``sotegraph view`` writes (the bipartite network of projects and
organisations, annotated):

* graph: nodes and edges; the seconds to read the network data, to annotate, and to write
  the page (layout included), and the layout alone;
* page: size in MB (the cytoscape.js page of the same store was 22.4 MB and drew a blank
  canvas after 60 s, issue 18);
* first draw: from navigation start to the renderer's first ``afterRender`` with nodes in it
  (``sotegraphView.firstDraw``, from ``performance.now()``), and the renderer's count of the
  nodes drawn then; the median of ``--runs`` fresh page loads;
* the same for the seeds' co-participation network when ../shared has the seeds
  (``--seeds``);
* the load average of the machine (other work slows the browser).

Chromium renders WebGL on the CPU here (SwiftShader, ``--disable-gpu``): with a GPU the
draw is faster.

Run: ``python benchmarks/bench_view.py [--store DIR] [--runs N] [--seeds] [--out PAGE.html]``
(without ``--store`` the two bulk lists are built into a temporary store first, ~30 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
BULK = ROOT.parent / "shared" / "corpus" / "bulk"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
FILES = [
    BULK / "fi_eura2014_projektilista_2016_clean.csv",
    BULK / "fi_eura2007_projektilista_2007-2013.csv",
]
BASELINE_MB = 22.4  # the cytoscape.js page of the same store (issue 18)
READY = "window.sotegraphView && sotegraphView.firstDraw !== null"


def build_store(path: Path) -> None:
    from sotegraph.builder import KnowledgeGraph

    kg = KnowledgeGraph(path)
    try:
        result = kg.add_paths(FILES)
        if result.failed:
            raise SystemExit(f"bulk build failed: {result.failed}")
    finally:
        kg.close()


def write_page(source: Any, page: Path, *, kind: str) -> dict[str, Any]:
    from sotegraph.export import export_graph
    from sotegraph.network import (
        annotate,
        bipartite_graph,
        coparticipation_graph,
        load_network_data,
    )
    from sotegraph.view import layout_positions

    t0 = time.perf_counter()
    data = load_network_data(source)
    t1 = time.perf_counter()
    g = bipartite_graph(data) if kind == "bipartite" else coparticipation_graph(data)
    g = annotate(g)
    t2 = time.perf_counter()
    export_graph(g, page, title=f"sotegraph {kind}")
    t3 = time.perf_counter()
    layout_positions(g)
    t4 = time.perf_counter()
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "read": t1 - t0,
        "annotate": t2 - t1,
        "write": t3 - t2,
        "layout": t4 - t3,
        "mb": page.stat().st_size / 1e6,
    }


def first_draws(page: Path, runs: int) -> list[tuple[float, int]]:
    """(seconds from navigation start to the first draw with nodes, nodes drawn) per run."""
    from chromium import Chromium

    out = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(
            prefix="sotegraph-bench-", ignore_cleanup_errors=True
        ) as profile:
            browser = Chromium(Path(profile))
            try:
                browser.open(page, ready=READY, timeout=180)
                first = browser.evaluate("sotegraphView.firstDraw") / 1000
                drawn = browser.evaluate("sotegraphView.firstDrawNodes")
                errors, requests = browser.problems(page)
                if errors or requests:
                    raise SystemExit(f"page errors {errors} or requests {requests}")
                out.append((first, drawn))
            finally:
                browser.close()
    return out


def report(name: str, figures: dict[str, Any], draws: list[tuple[float, int]]) -> None:
    median = statistics.median(d for d, _ in draws)
    print(
        f"{name}: {figures['nodes']:,} nodes, {figures['edges']:,} edges; page "
        f"{figures['mb']:.1f} MB; read {figures['read']:.1f} s, annotate "
        f"{figures['annotate']:.1f} s, write {figures['write']:.1f} s (layout "
        f"{figures['layout']:.1f} s)"
    )
    print(
        f"{name}: first draw {median:.2f} s after navigation (median of {len(draws)}: "
        + ", ".join(f"{d:.2f}" for d, _ in draws)
        + f"), nodes drawn {draws[0][1]:,}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store of the bulk lists")
    parser.add_argument("--runs", type=int, default=3, help="page loads to time (median)")
    parser.add_argument("--seeds", action="store_true", help="also the seeds' network")
    parser.add_argument("--out", type=Path, help="keep the bulk page here")
    args = parser.parse_args(argv)
    from chromium import CHROMIUM

    if CHROMIUM is None:
        print("skipped: chromium is not installed")
        return 0
    from sotegraph.builder import KnowledgeGraph

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="sotegraph-bench-view-") as tmp:
        store = args.store
        if store is None:
            if not all(f.exists() for f in FILES):
                print(f"skipped: the bulk lists are not in {BULK}")
                return 0
            store = Path(tmp) / "store"
            t0 = time.perf_counter()
            build_store(store)
            print(f"built the bulk store in {time.perf_counter() - t0:.1f} s")
        page = args.out or Path(tmp) / "bulk.html"
        kg = KnowledgeGraph.open(store, read_only=True)
        try:
            figures = write_page(kg, page, kind="bipartite")
        finally:
            kg.close()
        draws = first_draws(page, args.runs)
        report("bulk", figures, draws)
        print(
            f"bulk: page {figures['mb']:.1f} MB vs {BASELINE_MB} MB for the cytoscape.js page "
            f"({BASELINE_MB / figures['mb']:.1f}x smaller)"
        )
        if args.seeds and SEEDS.is_dir():
            from sotegraph.builder import build

            kg = build(SEEDS, use_nlp=True, validate=False)
            try:
                seeds_page = Path(tmp) / "seeds.html"
                seed_figures = write_page(kg, seeds_page, kind="coparticipation")
            finally:
                kg.close()
            report("seeds", seed_figures, first_draws(seeds_page, args.runs))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

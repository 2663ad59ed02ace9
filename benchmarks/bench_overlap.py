"""Project overlap by shared organisations: SPARQL self-join vs sotegraph vs a bare scipy product.

Prints, in one run, on the same Oxigraph store:

* **self-join**: the plain SPARQL overlap query (``?p1 sg:participant ?o . ?p2 sg:participant
  ?o`` grouped by pair, every row consumed) in Oxigraph;
* **sotegraph**: :func:`sotegraph.network.incidence` (SPARQL selects the project →
  organisation pairs, a sparse matrix is built) followed by
  :func:`sotegraph.network.count_overlap` (the upper triangle of ``M Mᵀ`` and the row sizes);
  the counting step and the whole path are timed separately;
* **bare product**: ``M @ M.T`` of the very same incidence matrix with scipy, nothing else;

and the ratios. Targets (issue 7): sotegraph's counting within 2× of the bare product, and
sotegraph (select + count) at least 20× faster than the self-join. All three give the same
number of overlapping pairs (checked).

Data, one after the other: the EURA bulk lists (``../shared/corpus/bulk``, read with
sotegraph.extract.bulk; one lead organisation per project) when present, and N = 20,000
generated projects whose 1–5 partners are drawn from a Zipf-like distribution over N/2
organisations (seeded; about two million overlapping pairs).

Run: ``python benchmarks/bench_overlap.py [--generated 20000] [--no-bulk] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BULK = ROOT.parent / "shared" / "corpus" / "bulk"
BULK_FILES = [
    BULK / "fi_eura2014_projektilista_2016_clean.csv",
    BULK / "fi_eura2007_projektilista_2007-2013.csv",
]
SG = "https://w3id.org/sotegraph/ontology#"
SGID = "https://w3id.org/sotegraph/id/"

INCIDENCE_SPARQL = f"SELECT ?project ?item WHERE {{ ?project <{SG}participant> ?item }}"
SELF_JOIN = f"""SELECT ?p1 ?p2 (COUNT(DISTINCT ?o) AS ?shared) WHERE {{
  ?p1 a <{SG}Project> ; <{SG}participant> ?o .
  ?p2 a <{SG}Project> ; <{SG}participant> ?o .
  FILTER(STR(?p1) < STR(?p2))
}} GROUP BY ?p1 ?p2"""


def generated_store(n: int, seed: int = 7) -> Any:
    """An Oxigraph store with ``n`` generated projects (one named graph per 1,000)."""
    import pyoxigraph as ox

    from sotegraph.store import OxigraphStore

    rng = random.Random(seed)
    n_orgs = max(10, n // 2)
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(n_orgs)]
    store = OxigraphStore()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    project_cls, participant = ox.NamedNode(SG + "Project"), ox.NamedNode(SG + "participant")
    quads = []
    for i in range(n):
        graph = ox.NamedNode(f"{SGID}document/gen{i // 1000:04d}")
        p = ox.NamedNode(f"{SGID}project/G{i:06d}")
        quads.append(ox.Quad(p, rdf_type, project_cls, graph))
        for o in set(rng.choices(range(n_orgs), weights=weights, k=rng.randint(1, 5))):
            quads.append(ox.Quad(p, participant, ox.NamedNode(f"{SGID}organisation/g{o}"), graph))
    store.raw.extend(quads)
    return store


def bulk_store() -> Any:
    from sotegraph.builder import build

    return build([str(p) for p in BULK_FILES], use_nlp=False, validate=False).store


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def measure(store: Any, label: str, repeat: int) -> bool:
    """Time the three ways on one store; print figures and ratios; return whether counts agree."""
    import pyoxigraph as ox
    import scipy.sparse as sp

    from sotegraph.network import count_overlap, incidence

    cheap = max(repeat * 7, 21)  # millisecond steps: many repeats against a noisy shared machine
    t_select, inc = best(lambda: incidence(store, "partners"), repeat)
    matrix = inc.matrix
    m = sp.csr_matrix(matrix)
    # alternate the two so that load changes on the machine hit both alike
    counts, bares = [], []
    for _ in range(cheap):
        t0 = time.perf_counter()
        shared, _sizes = count_overlap(matrix)
        counts.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        product = m @ m.T
        bares.append(time.perf_counter() - t0)
    t_count, t_bare = min(counts), min(bares)
    bare_pairs = sp.triu(product, k=1).nnz
    print(f"== {label}: {len(store):,} quads")
    print(
        f"incidence: {matrix.shape[0]:,} projects x {matrix.shape[1]:,} organisations, "
        f"{matrix.nnz:,} participations; {shared.nnz:,} overlapping pairs"
    )

    def self_join() -> int:
        return sum(1 for _ in store.raw.query(SELF_JOIN, use_default_graph_as_union=True))

    t_join, join_pairs = best(self_join, 1)
    if t_join < 5:  # cheap enough to take the best of several like the others
        t_join = min(t_join, best(self_join, repeat)[0])

    def select_only() -> bytes:
        # the part of sotegraph's path that stays in Oxigraph: the incidence select,
        # serialised, nothing parsed - the floor under any select-then-count design
        solutions = store.raw.query(INCIDENCE_SPARQL, use_default_graph_as_union=True)
        return bytes(solutions.serialize(format=ox.QueryResultsFormat.TSV))

    t_floor, _ = best(select_only, cheap)
    if not (join_pairs == shared.nnz == bare_pairs):
        print(f"MISMATCH: self-join {join_pairs:,}, sotegraph {shared.nnz:,}, bare {bare_pairs:,}")
        return False
    total = t_select + t_count
    print(f"{'SPARQL self-join (Oxigraph)':<48}{t_join:10.3f} s")
    print(f"{'sotegraph: SPARQL incidence select + matrix':<48}{t_select:10.3f} s")
    print(f"{'sotegraph: count_overlap (M Mt, upper triangle)':<48}{t_count:10.4f} s")
    print(f"{'sotegraph: total (select + count)':<48}{total:10.3f} s")
    print(f"{'bare scipy product M @ M.T':<48}{t_bare:10.4f} s")
    print(f"{'floor: the incidence select alone (TSV bytes)':<48}{t_floor:10.4f} s")
    ratio = t_count / t_bare if t_bare else float("inf")
    speedup = t_join / total if total else float("inf")
    print(
        f"ratios: sotegraph counting / bare product = {ratio:.2f}x (target <= 2x: "
        f"{'met' if ratio <= 2 else 'NOT met'}); self-join / sotegraph total = {speedup:.1f}x "
        f"(target >= 20x: {'met' if speedup >= 20 else 'NOT met'}); sotegraph total / bare "
        f"product = {total / t_bare:.0f}x (the SPARQL select of the incidence dominates)"
    )
    print(
        f"ceiling: self-join / the select alone = {t_join / t_floor:.1f}x (no select-then-count "
        f"path can beat this); sotegraph total / the select alone = {total / t_floor:.2f}x"
    )
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--generated", type=int, default=20_000, help="N generated projects")
    parser.add_argument("--no-bulk", action="store_true", help="skip the EURA bulk lists")
    parser.add_argument("--no-generated", action="store_true", help="skip generated projects")
    parser.add_argument(
        "--repeat", type=int, default=3, help="best of R runs (self-join: once if over 5 s)"
    )
    args = parser.parse_args(argv)
    ok = True
    if not args.no_bulk and all(p.exists() for p in BULK_FILES):
        t0 = time.perf_counter()
        store = bulk_store()
        print(f"(bulk graph built in {time.perf_counter() - t0:.1f} s)")
        ok &= measure(store, "EURA bulk lists 2007-2013 + 2014-2020", args.repeat)
        del store
    elif not args.no_bulk:
        print(f"bulk lists not found under {BULK}: skipped")
    if not args.no_generated:
        t0 = time.perf_counter()
        store = generated_store(args.generated)
        print(f"(generated graph built in {time.perf_counter() - t0:.1f} s)")
        ok &= measure(store, f"{args.generated:,} generated projects", args.repeat)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

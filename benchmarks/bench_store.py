"""Embedded Oxigraph vs a remote Oxigraph server: loading the bulk graph and querying it.

Figures, all in one run on the same triples:

* the bulk graph: ``read_document`` + ``sotegraph.extract.bulk.read_bulk`` of the EURA bulk
  lists in ``../shared/corpus/bulk`` (22,821 projects), each list's facts as N-Triples by
  ``sotegraph.rdf.facts_to_ntriples`` (the same triples as ``facts_to_graph``, without
  building an rdflib graph), one named graph per list; without the corpus, 20,000 generated
  projects;
* load: ``replace_graph_ntriples`` of each new graph into the embedded on-disk store and into
  ``oxigraph serve`` (started here on 127.0.0.1 with a temporary folder) through
  :class:`sotegraph.store.remote.RemoteStore` (Graph Store Protocol PUT);
* with ``--reload``: replacing the same graphs again (embedded: one ``DROP``+``INSERT DATA``
  update; remote: PUT to a staging graph and one ``MOVE`` update);
* queries: the same SPARQL on each (a count with a sum, the named queries
  ``funding_by_fund`` and ``projects`` with a bound ``code``), best of three, with the row
  counts checked equal;
* ratios remote / embedded.

Run: ``python benchmarks/bench_store.py [--projects N] [--reload]`` (``--projects`` forces
generated data).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BULK = ROOT.parent / "shared" / "corpus" / "bulk"
FILES = [
    BULK / "fi_eura2014_projektilista_2016_clean.csv",
    BULK / "fi_eura2007_projektilista_2007-2013.csv",
]

COUNT = """PREFIX sg: <https://w3id.org/sotegraph/ontology#>
SELECT ?fund (COUNT(DISTINCT ?p) AS ?projects) (SUM(?eu) AS ?granted) WHERE {
  ?p a sg:Project ; sg:funder ?fund . OPTIONAL { ?p sg:grantedEUStateFunding ?eu }
} GROUP BY ?fund ORDER BY ?fund"""


def bulk_graphs() -> tuple[str, list[tuple[str, str]]]:
    """(description, [(graph IRI, N-Triples)]) of the bulk corpus."""
    from sotegraph.extract.bulk import read_bulk
    from sotegraph.namespaces import document_iri
    from sotegraph.rdf import facts_to_ntriples
    from sotegraph.read import read_document

    out = []
    projects = 0
    for f in FILES:
        doc = read_document(f)
        facts = read_bulk(doc)
        projects += len(facts.projects)
        out.append((str(document_iri(doc.id)), facts_to_ntriples(facts)))
    return f"bulk corpus: {projects} projects from {len(FILES)} lists", out


def generated_graphs(n: int) -> tuple[str, list[tuple[str, str]]]:
    """``n`` generated projects in 10 documents (no corpus needed)."""
    from sotegraph.extract import extract
    from sotegraph.namespaces import document_iri
    from sotegraph.rdf import facts_to_ntriples
    from sotegraph.read import Document

    out = []
    per = max(1, n // 10)
    for d in range(10):
        rows = ["Koodi,Rahasto,Hankkeen nimi,Toteuttaja,Y-tunnus,Alkaa,Päättyy,Myönnetty"]
        for i in range(d * per, (d + 1) * per):
            rows.append(
                f"S{20000 + i},{'ESR' if i % 3 else 'EAKR'},Hanke {i},"
                f"Organisaatio {i % 997} Oy,,1.1.2016,31.12.2018,{10000 + i}"
            )
        doc = Document.from_text("\n".join(rows) + "\n", source=f"generated_{d}.csv")
        facts = extract(doc, use_nlp=False)
        out.append((str(document_iri(doc.id)), facts_to_ntriples(facts)))
    return f"generated: {n} projects in 10 documents", out


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("oxigraph serve did not start")


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def best_of(n: int, fn: Callable[[], list[dict[str, object]]]) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(n):
        t, value = timed(fn)
        best = min(best, t)
        rows = len(value)  # type: ignore[arg-type]
    return best, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=0, help="use N generated projects")
    parser.add_argument("--reload", action="store_true", help="also time replacing the graphs")
    args = parser.parse_args()

    from sotegraph.queries import load_query, run_query
    from sotegraph.store import OxigraphStore
    from sotegraph.store.remote import RemoteStore

    t_build, (what, graphs) = timed(
        lambda: (
            generated_graphs(args.projects)
            if args.projects or not all(f.exists() for f in FILES)
            else bulk_graphs()
        )
    )
    triples = sum(data.count("\n") for _, data in graphs)
    mb = sum(len(data.encode()) for _, data in graphs) / 1e6
    print(f"{what}: {triples:,} triples, {mb:.1f} MB N-Triples (made in {t_build:.1f} s)")

    tmp = Path(tempfile.mkdtemp(prefix="bench_store_"))
    proc, url = start_server(tmp / "server")
    try:
        embedded = OxigraphStore(tmp / "embedded")
        remote = RemoteStore(url, timeout=600)

        def load(store: OxigraphStore | RemoteStore) -> None:
            for name, data in graphs:
                store.replace_graph_ntriples(name, data)

        load_e, _ = timed(lambda: load(embedded))
        load_r, _ = timed(lambda: load(remote))
        assert len(embedded) == len(remote), (len(embedded), len(remote))
        reload_e = reload_r = float("nan")
        if args.reload:
            reload_e, _ = timed(lambda: load(embedded))
            reload_r, _ = timed(lambda: load(remote))
            assert len(embedded) == len(remote)

        queries: list[tuple[str, Callable[[OxigraphStore | RemoteStore], list]]] = [
            ("count by fund", lambda s: s.query(COUNT)),
            ("funding_by_fund.rq", lambda s: run_query(s, "funding_by_fund")),
            ("projects.rq code=S20485", lambda s: run_query(s, "projects", code="S20485")),
        ]
        load_query("projects")
        print()
        print(f"{'step':<26}{'embedded s':>12}{'remote s':>12}{'remote/emb':>12}{'rows':>8}")
        print(f"{'load (new graphs)':<26}{load_e:>12.2f}{load_r:>12.2f}{load_r / load_e:>12.2f}")
        if args.reload:
            print(f"{'re-load (replace)':<26}{reload_e:>12.2f}{reload_r:>12.2f}"
                  f"{reload_r / reload_e:>12.2f}")  # fmt: skip
        print(f"{'triples per s (load)':<26}{triples / load_e:>12,.0f}{triples / load_r:>12,.0f}")
        for label, q in queries:
            te, rows_e = best_of(3, lambda q=q: q(embedded))
            tr, rows_r = best_of(3, lambda q=q: q(remote))
            assert rows_e == rows_r, f"{label}: {rows_e} rows embedded, {rows_r} remote"
            print(f"{label:<26}{te:>12.3f}{tr:>12.3f}{tr / te:>12.2f}{rows_e:>8}")
        embedded.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

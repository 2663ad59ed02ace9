"""Reads while writing: queries served while a build runs see a consistent state.

A writer swaps document graphs the way a re-ingest does (new graph under a new name, the old
one dropped and a manifest entry rewritten, in one transaction); readers query at the same
time and check that every state they see is whole: each document has exactly one graph, the
manifest points at it, and the graph holds all of its triples of one version.

Embedded Oxigraph gives each query a snapshot ("repeatable read"), so readers in the writing
process (threads, e.g. a web view) are safe. Another *process* may not open the folder while
it is written (Oxigraph's read-only mode requires no concurrent writer): it gets a clear
error; it can read a :meth:`~sotegraph.store.OxigraphStore.snapshot`, or the store can be
served with ``oxigraph serve`` and read through :class:`~sotegraph.store.remote.RemoteStore`.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace

from oxigraph_server import Server
from sotegraph.errors import StoreError
from sotegraph.store import OxigraphStore, Store
from sotegraph.store.remote import RemoteStore

EX = Namespace("https://example.org/conc/")
MANIFEST = EX.manifest
DOCS, TRIPLES = 6, 150

CHECK = """
PREFIX ex: <https://example.org/conc/>
SELECT ?doc ?g (COUNT(?s) AS ?n) (MIN(?v) AS ?lo) (MAX(?v) AS ?hi) WHERE {
  GRAPH ex:manifest { ?doc ex:graph ?g }
  OPTIONAL { GRAPH ?g { ?s ex:version ?v } }
} GROUP BY ?doc ?g
"""
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s <https://example.org/conc/version> ?v } }"


def version_graph(doc: int, version: int) -> Graph:
    g = Graph(identifier=EX[f"doc{doc}/v{version}"])
    for i in range(TRIPLES):
        g.add((EX[f"d{doc}/s{i}"], EX.version, Literal(version)))
    return g


def swap(store: Store, doc: int, version: int) -> None:
    """Replace document ``doc`` by ``version`` like a re-ingest of a changed file."""
    new = version_graph(doc, version)
    old = EX[f"doc{doc}/v{version - 1}"]
    manifest = (
        f"DELETE WHERE {{ GRAPH <{MANIFEST}> {{ <{EX[f'd{doc}']}> ?p ?o }} }} ;"
        f"INSERT DATA {{ GRAPH <{MANIFEST}> {{ <{EX[f'd{doc}']}> <{EX.graph}> <{new.identifier}> }} }}"
    )
    store.replace_graph(new.identifier, new, drop_graphs=[old], with_update=manifest)


def check_state(store: Store) -> set[int]:
    """Assert one whole state; return the versions seen."""
    rows = store.query(CHECK)
    assert len(rows) == DOCS, f"manifest has {len(rows)} entries, expected {DOCS}"
    versions = set()
    for r in rows:
        n = int(r["n"].toPython())  # type: ignore[union-attr]
        assert n == TRIPLES, f"{r['doc']}: its graph {r['g']} has {n} of {TRIPLES} triples"
        assert r["lo"] == r["hi"], f"{r['g']} mixes versions {r['lo']} and {r['hi']}"
        versions.add(int(r["lo"].toPython()))  # type: ignore[union-attr]
    graphs = [r["g"] for r in store.query(GRAPHS)]
    assert len(graphs) == DOCS, f"{len(graphs)} document graphs visible, expected {DOCS}"
    return versions


def run_readers_during_writes(
    writer_store: Store, reader_stores: list[Store], rounds: int
) -> tuple[int, set[int]]:
    for d in range(DOCS):
        swap(writer_store, d, 1)
    errors: list[BaseException] = []
    reads = 0
    seen: set[int] = set()
    done = threading.Event()

    def write() -> None:
        try:
            for v in range(2, rounds + 2):
                for d in range(DOCS):
                    swap(writer_store, d, v)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            done.set()

    def read(store: Store) -> None:
        nonlocal reads
        try:
            while not done.is_set():
                seen.update(check_state(store))
                reads += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(s,)) for s in reader_stores]
    threads.append(threading.Thread(target=write))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    if errors:
        raise errors[0]
    assert check_state(writer_store) == {rounds + 1}
    return reads, seen


def test_embedded_readers_see_whole_states(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    reads, seen = run_readers_during_writes(store, [store, store], rounds=15)
    print(f"embedded: {reads} consistent reads, versions seen {sorted(seen)}")
    assert reads >= 5
    assert len(seen) >= 2, "the readers never overlapped the writes"
    store.close()


def test_remote_readers_see_whole_states(oxigraph_server: Server) -> None:
    writer = RemoteStore(oxigraph_server.query)
    writer.update(f"DROP SILENT GRAPH <{MANIFEST}>")
    readers = [RemoteStore(oxigraph_server.query) for _ in range(2)]
    reads, seen = run_readers_during_writes(writer, readers, rounds=6)
    print(f"remote: {reads} consistent reads, versions seen {sorted(seen)}")
    assert reads >= 5
    assert len(seen) >= 2
    for d in range(DOCS):
        writer.remove_graph(EX[f"doc{d}/v7"])
    writer.remove_graph(MANIFEST)


def test_snapshot_while_writing_is_consistent(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    for d in range(DOCS):
        swap(store, d, 1)
    snaps: list[OxigraphStore] = []
    done = threading.Event()

    def write() -> None:
        for v in range(2, 12):
            for d in range(DOCS):
                swap(store, d, v)
        done.set()

    t = threading.Thread(target=write)
    t.start()
    i = 0
    while not done.is_set() and i < 5:
        snaps.append(store.snapshot(tmp_path / f"snap{i}"))
        i += 1
    t.join()
    assert snaps
    for s in snaps:
        check_state(s)
        s.close()
    store.close()


def test_second_writer_process_gets_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    store = OxigraphStore(folder)
    swap(store, 0, 1)
    code = textwrap.dedent(
        """
        import sys
        from sotegraph.errors import StoreError
        from sotegraph.store import OxigraphStore
        try:
            OxigraphStore(sys.argv[1])
        except StoreError as exc:
            print("StoreError:", exc)
            sys.exit(3)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "lock" in proc.stdout.lower()
    store.close()
    # once the writer has closed, another process can open it
    proc = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "store") as store:
        swap(store, 0, 1)
    with OxigraphStore(tmp_path / "store", read_only=True) as ro:
        assert len(ro.query(GRAPHS)) == 1
        with pytest.raises(StoreError):
            ro.update("INSERT DATA { <a:b> <a:c> <a:d> }")
        with pytest.raises(StoreError):
            ro.replace_graph(EX.x, version_graph(0, 1))

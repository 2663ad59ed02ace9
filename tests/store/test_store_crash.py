"""Crash safety: an ingest into the on-disk store killed with SIGKILL part-way leaves, for
every document, either its old graph or its new one (never both, never neither, never part
of one); the store opens again; the next build completes the rest.

The ingest runs in a subprocess over generated EURA-like records (tests/store/test_store_reingest.py
writes them). Its progress callback prints each stored document and sleeps a random few
milliseconds, and the test kills it a random moment after the k-th document, so kills land
both between and inside the writes of a document.

A second test kills a build the moment its first document graph is written: a document's
graph and its manifest entry are one write, so no graph is ever left without its entry
(``sotegraph info`` would count it), and the next build completes the rest.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from sotegraph.builder import KnowledgeGraph
from sotegraph.cli import app
from sotegraph.namespaces import GRAPH_NAMES, document_iri
from sotegraph.store import OxigraphStore
from store.test_store_reingest import make_record, snapshot, write_corpus

N_OLD, N_NEW = 40, 20

INGEST = textwrap.dedent(
    """
    import random, sys, time
    from sotegraph.builder import KnowledgeGraph
    from sotegraph.store import OxigraphStore

    def progress(stage, done, total):
        if stage == "store":
            print(f"stored {done} {total}", flush=True)
            time.sleep(random.uniform(0, 0.03))

    with KnowledgeGraph(OxigraphStore(sys.argv[1])) as kg:
        result = kg.add_paths([sys.argv[2]], use_nlp=False, validate=False, progress=progress)
    print(f"done {result.built}", flush=True)
    """
)


def ingest_and_kill(store: Path, folder: Path, script: Path, kill_after: int, seed: int) -> int:
    """Run the ingest in a subprocess; SIGKILL it a random moment after ``kill_after`` stores.

    Returns how many documents the subprocess reported stored.
    """
    rng = random.Random(seed)
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(store), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    stored = 0
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith("stored"):
                stored = int(line.split()[1])
                if stored >= kill_after:
                    time.sleep(rng.uniform(0, 0.02))
                    os.kill(proc.pid, signal.SIGKILL)
                    break
            elif line.startswith("done"):
                break
    finally:
        proc.wait(timeout=120)
    err = proc.stderr.read() if proc.stderr else ""
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
    assert proc.returncode == -signal.SIGKILL, f"not killed (rc {proc.returncode}): {err[-2000:]}"
    return stored


def check_either_old_or_new(
    store_dir: Path,
    sources: dict[str, tuple[str | None, str]],
    expected: dict[str, bytes],
) -> tuple[int, int]:
    """Assert the invariant; return (documents at the old version, at the new version)."""
    with OxigraphStore(store_dir) as store:  # opens again (and drops staging graphs)
        snap = snapshot(store)
        names = store.graph_names()
    docs = {n for n in snap if "/document/" in n}
    assert docs <= set(expected), f"graphs that are neither old nor new: {docs - set(expected)}"
    assert not [n for n in names if "/staging/" in n]
    old = new = 0
    for source, (v1, v2) in sources.items():
        present = [n for n in (v1, v2) if n is not None and n in docs]
        if v1 is not None:
            assert len(present) == 1, f"{source}: {len(present)} versions present {present}"
        else:
            assert len(present) <= 1
        for n in present:
            assert snap[n] == expected[n], f"{source}: graph {n} is incomplete or altered"
        old += v1 in present
        new += v2 in present
    return old, new


@pytest.mark.slow
def test_sigkill_during_ingest_leaves_old_or_new_graphs(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    store_dir = tmp_path / "store"
    paths = write_corpus(folder, N_OLD)
    with KnowledgeGraph(store_dir) as kg:
        first = kg.add_paths([folder], use_nlp=False, validate=False)
        assert first.built == N_OLD
        v1 = snapshot(kg.store)
    v1_iri = {str(p): kg_doc for p, kg_doc in _docs(store_dir).items()}

    # version 2: every record edited, and new ones
    for i, p in enumerate(paths):
        p.write_text(make_record(i, version=2, shared=i % 3), encoding="utf-8")
    write_corpus(folder, N_NEW, version=2, start=N_OLD)
    reference_dir = tmp_path / "reference"
    with KnowledgeGraph(reference_dir) as ref:
        assert ref.add_paths([folder], use_nlp=False, validate=False).built == N_OLD + N_NEW
        v2 = snapshot(ref.store)
    v2_iri = _docs(reference_dir)
    sources = {s: (v1_iri.get(s), v2_iri[s]) for s in v2_iri}
    expected = {n: b for n, b in {**v1, **v2}.items() if "/document/" in n}

    script = tmp_path / "ingest.py"
    script.write_text(INGEST, encoding="utf-8")
    stored = ingest_and_kill(store_dir, folder, script, kill_after=12, seed=1)
    old, new = check_either_old_or_new(store_dir, sources, expected)
    print(f"kill 1 after {stored} stored: {old} old, {new} new of {len(sources)} documents")
    assert new >= 12
    assert old >= 1

    stored = ingest_and_kill(store_dir, folder, script, kill_after=15, seed=2)
    old2, new2 = check_either_old_or_new(store_dir, sources, expected)
    print(f"kill 2 after {stored} stored: {old2} old, {new2} new")
    assert new2 > new

    with KnowledgeGraph(store_dir) as kg:
        rest = kg.add_paths([folder], use_nlp=False, validate=False)
        print(f"final build: {rest.built} built, {rest.unchanged} unchanged")
        assert rest.failed == []
        assert rest.built + rest.unchanged == N_OLD + N_NEW
        final = snapshot(kg.store)
        manifest = {d["source"]: d["doc"] for d in kg.documents()}
    old3, new3 = check_either_old_or_new(store_dir, sources, expected)
    assert (old3, new3) == (0, N_OLD + N_NEW)
    assert manifest == {s: v for s, (_, v) in sources.items()}
    for name, data in v2.items():
        if name != str(GRAPH_NAMES["manifest"]):
            assert final.get(name) == data, f"{name} differs from a clean build"
    assert set(final) == set(v2)


def _docs(store_dir: Path) -> dict[str, str]:
    with KnowledgeGraph(OxigraphStore(store_dir, read_only=True)) as kg:
        rows = kg.documents()
    out = {str(r["source"]): str(r["doc"]) for r in rows}
    for iri in out.values():
        assert iri == str(document_iri(iri.rsplit("/", 1)[1]))
    return out


KILL_AFTER_FIRST_DOCUMENT = textwrap.dedent(
    """
    import os, signal, sys
    from sotegraph.builder import KnowledgeGraph
    from sotegraph.store import OxigraphStore

    class KilledAfterTheFirstDocument(OxigraphStore):
        # SIGKILL the moment the first write of a document graph returns, whichever method
        # wrote it: where a build that wrote a graph and its manifest entry apart stood
        # between the two
        def replace_graph_ntriples(self, name, data, **keywords):
            super().replace_graph_ntriples(name, data, **keywords)
            self.kill_after(name)

        def store_document(self, name, data, **keywords):
            super().store_document(name, data, **keywords)
            self.kill_after(name)

        def kill_after(self, name):
            if "/id/document/" in str(name):
                os.kill(os.getpid(), signal.SIGKILL)

    with KnowledgeGraph(KilledAfterTheFirstDocument(sys.argv[1])) as kg:
        kg.add_paths([sys.argv[2]], use_nlp=False, validate=False)
    """
)


def test_sigkill_after_a_graph_write_leaves_no_graph_without_its_entry(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    store_dir = tmp_path / "store"
    write_corpus(folder, 3)
    script = tmp_path / "kill.py"
    script.write_text(KILL_AFTER_FIRST_DOCUMENT, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script), str(store_dir), str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]

    raw = ox.Store.read_only(str(store_dir))  # as the kill left it, nothing hidden or removed
    graphs = {
        g.value
        for g in raw.named_graphs()
        if isinstance(g, ox.NamedNode) and "/id/document/" in g.value
    }
    entries = {
        q.subject.value
        for q in raw.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_NAMES["manifest"]))
        if isinstance(q.subject, ox.NamedNode)
    }
    del raw
    print(f"after the kill: {len(graphs)} document graph(s), {len(entries)} manifest entries")
    assert len(graphs) == 1
    assert graphs <= entries, f"graphs without their manifest entry: {graphs - entries}"

    info = CliRunner().invoke(app, ["info", "--store", str(store_dir)])
    assert info.exit_code == 0, info.output
    assert re.search(r"│ documents\s+│\s+1 │", info.output), info.output

    with KnowledgeGraph(store_dir) as kg:
        rest = kg.add_paths([folder], use_nlp=False, validate=False)
        assert (rest.built, rest.unchanged, rest.failed) == (2, 1, [])
        assert len(kg.documents()) == 3
        assert kg.stats()["documents"] == 3

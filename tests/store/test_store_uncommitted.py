"""Only committed documents are visible: a document graph without its manifest entry is hidden
(read-only open) or removed (writable open), and a new build works after it.

The uncommitted state is made for real, the way an older build killed between its two
writes left it: two records built into an on-disk store, then a third record's graph (exactly
what a build writes for it) loaded through the raw pyoxigraph store without its manifest
entry. Then ``sotegraph info``, ``documents()``, ``stats()``, a named query, an export and
the store's own reads must show the two committed documents only.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from sotegraph.builder import KnowledgeGraph
from sotegraph.cli import app
from sotegraph.extract import extract
from sotegraph.namespaces import document_iri
from sotegraph.rdf import facts_to_ntriples
from sotegraph.read import read_document
from sotegraph.store import OxigraphStore
from sotegraph.store.base import MANIFEST_GRAPH, is_document_graph
from store.test_store_reingest import make_record


def _write(folder: Path, numbers: list[int]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in numbers:
        p = folder / f"record_{i:04d}.txt"
        p.write_text(make_record(i, shared=i % 2), encoding="utf-8")
        paths.append(p)
    return paths


def _raw_graphs(store_dir: Path) -> tuple[set[str], set[str]]:
    """Document graphs and manifest entries as the raw store holds them (nothing hidden)."""
    raw = ox.Store.read_only(str(store_dir))
    docs = {
        g.value
        for g in raw.named_graphs()
        if isinstance(g, ox.NamedNode) and is_document_graph(g.value)
    }
    entries = {
        q.subject.value
        for q in raw.quads_for_pattern(None, None, None, ox.NamedNode(MANIFEST_GRAPH))
        if isinstance(q.subject, ox.NamedNode)
    }
    del raw
    return docs, entries


@pytest.fixture
def uncommitted_store(tmp_path: Path) -> tuple[Path, Path, str]:
    """A store with records 1 and 2 committed and record 3's graph written without its entry."""
    folder = tmp_path / "docs"
    _write(folder, [1, 2])
    store_dir = tmp_path / "store"
    with KnowledgeGraph(store_dir) as kg:
        assert kg.add_paths([folder], use_nlp=False, validate=False).built == 2
    (third,) = _write(folder, [3])
    doc = read_document(third, source=f"docs/{third.name}")
    data = facts_to_ntriples(extract(doc, use_nlp=False))
    orphan = str(document_iri(doc.id))
    raw = ox.Store(str(store_dir))  # the build's first write, then the kill before its second
    raw.load(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(orphan))
    raw.flush()
    del raw
    docs, entries = _raw_graphs(store_dir)
    assert orphan in docs
    assert orphan not in entries
    assert len(docs) == 3
    return store_dir, folder, orphan


def _info_counts(store_dir: Path) -> dict[str, int]:
    result = CliRunner().invoke(app, ["info", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return {k: int(v) for k, v in re.findall(r"│ (\w+)\s+│\s+(\d+) │", result.output)}


def test_read_only_readers_see_committed_documents_only(
    uncommitted_store: tuple[Path, Path, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store_dir, _folder, orphan = uncommitted_store
    counts = _info_counts(store_dir)
    assert counts["documents"] == 2, counts
    assert counts["projects"] == 2, counts

    with caplog.at_level(logging.WARNING, logger="sotegraph.store.oxigraph"):
        store = OxigraphStore(store_dir, read_only=True)
    assert store.uncommitted == [orphan]
    assert any("hidden" in r.getMessage() and orphan in r.getMessage() for r in caplog.records)
    with KnowledgeGraph(store) as kg:
        assert sorted(d["source"] for d in kg.documents()) == [
            "docs/record_0001.txt",
            "docs/record_0002.txt",
        ]
        stats = kg.stats()
        assert (stats["documents"], stats["projects"]) == (2, 2), stats
        codes = sorted(str(r["code"]) for r in kg.query("projects"))
        assert codes == ["S90001", "S90002"]
        assert orphan not in store.graph_names()
        assert not store.has_graph(orphan)
        assert store.graph_ntriples(orphan) == ""
        assert len(store.graph(orphan)) == 0
        assert not [q for q in store.quads() if q[3] == orphan]
        assert (
            store.query(f"ASK {{ GRAPH <{orphan}> {{ ?s ?p ?o }} }}")[0]["ask"].toPython() is False
        )
        assert store.uncommitted_documents() == []
        export = kg.serialize(tmp_path / "all.nq")
        text = export.read_text(encoding="utf-8")
        assert orphan not in text
        assert "S90003" not in text
        assert "S90001" in text
        assert len(store) == len([line for line in text.splitlines() if line.strip()])


def test_writable_open_removes_them_and_a_new_build_works(
    uncommitted_store: tuple[Path, Path, str], caplog: pytest.LogCaptureFixture
) -> None:
    store_dir, folder, orphan = uncommitted_store
    with caplog.at_level(logging.WARNING, logger="sotegraph.store.oxigraph"):
        store = OxigraphStore(store_dir)
    assert store.uncommitted == [orphan]
    assert any("removed 1" in r.getMessage() for r in caplog.records)
    assert orphan not in store.graph_names()
    store.close()
    docs, entries = _raw_graphs(store_dir)
    assert orphan not in docs
    assert docs <= entries
    assert len(docs) == 2
    with OxigraphStore(store_dir) as again:
        assert again.uncommitted == []  # nothing left to remove

    with KnowledgeGraph(store_dir) as kg:
        result = kg.add_paths([folder], use_nlp=False, validate=False)
        assert (result.built, result.unchanged, result.failed) == (1, 2, [])
        assert len(kg.documents()) == 3
        assert kg.stats()["projects"] == 3
        assert sorted(str(r["code"]) for r in kg.query("projects")) == [
            "S90001",
            "S90002",
            "S90003",
        ]
    docs, entries = _raw_graphs(store_dir)
    assert orphan in docs
    assert docs <= entries
    assert len(docs) == 3
    assert _info_counts(store_dir)["documents"] == 3

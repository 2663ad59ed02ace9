"""``Store.store_document``: a document's graph and its manifest entry in one transaction.

The embedded store has its own ways for a new document (one TriG load; one ``extend`` when
a line is too long for Oxigraph's parser or the text holds a ``}``) and falls back on the
portable SPARQL update otherwise; a large graph goes in by Oxigraph's bulk loader before
its entry. Each way must leave exactly what the portable one leaves, and a write that fails
must leave nothing: neither the graph nor the entry.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from sotegraph.errors import StoreError
from sotegraph.rdf import LONG_LINE
from sotegraph.store import OxigraphStore, Store
from sotegraph.store.base import MANIFEST_GRAPH

DOC = "https://w3id.org/sotegraph/id/document/" + "d" * 64
OLD = "https://w3id.org/sotegraph/id/document/" + "0" * 64
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RECORD = (
    f"<{DOC}> {TYPE} <https://w3id.org/sotegraph/ontology#Document> .\n"
    f'<{DOC}> <http://purl.org/dc/terms/source> "docs/a.txt" .\n'
)
PLAIN = (
    '<https://e.org/p1> <https://e.org/name> "Koehanke"@fi .\n'
    "<https://e.org/p1> <https://e.org/lead> _:org .\n"
    '_:org <https://e.org/name> "Esimerkki Oy" .\n'
)
DATA = {
    "plain": PLAIN,
    "brace": PLAIN + '<https://e.org/p1> <https://e.org/note> "a } b { c" .\n',
    "long": PLAIN + f'<https://e.org/p1> <https://e.org/text> "{"ä" * (LONG_LINE + 10)}" .\n',
}


def _quads(store: OxigraphStore) -> set[str]:
    """Every quad as N-Quads text, blank node labels replaced (they are the parser's)."""
    out = set()
    for q in store.raw:
        g = q.graph_name
        graph = g.value if isinstance(g, ox.NamedNode) else ""
        terms = ["_:b" if isinstance(t, ox.BlankNode) else str(t) for t in q.triple]
        out.add(" ".join(terms) + f" {graph}")
    return out


def _state(store: OxigraphStore) -> set[str]:
    return {q for q in _quads(store) if "ingested" not in q}


def _store(path: Path, way: str) -> OxigraphStore:
    store = OxigraphStore(path)
    if way == "bulk":
        store.bulk_chars = 0  # every graph counts as large: the bulk loader, then the entry
    return store


@pytest.mark.parametrize("own_way", ["own", "bulk"])
@pytest.mark.parametrize("kind", sorted(DATA))
@pytest.mark.parametrize(
    "before",
    ["nothing", "a stale entry", "the graph", "an old version"],
)
def test_each_way_leaves_what_the_portable_update_leaves(
    tmp_path: Path, kind: str, before: str, own_way: str
) -> None:
    data = DATA[kind]
    stores = []
    for way in (own_way, "portable"):
        store = _store(tmp_path / way, way)
        drop: list[str] = []
        forget = None
        if before == "a stale entry":
            store.update(
                f'INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{ <{DOC}> <https://e.org/x> "stale" }} }}'
            )
        elif before == "the graph":
            store.replace_graph_ntriples(DOC, '<https://e.org/p0> <https://e.org/name> "vanha" .\n')
        elif before == "an old version":
            store.replace_graph_ntriples(OLD, '<https://e.org/p0> <https://e.org/name> "vanha" .\n')
            store.update(
                f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{ <{OLD}> {TYPE} <https://e.org/D> }} }}"
            )
            drop, forget = [OLD], f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{OLD}> ?p ?o }} }}"
        if way != "portable":
            store.store_document(DOC, data, record=RECORD, drop_graphs=drop, with_update=forget)
        else:
            Store.store_document(
                store, DOC, data, record=RECORD, drop_graphs=drop, with_update=forget
            )
        stores.append(store)
    own, portable = (_state(s) for s in stores)
    assert own == portable
    assert f"<{DOC}> {TYPE} <https://w3id.org/sotegraph/ontology#Document> {MANIFEST_GRAPH}" in own
    assert not [q for q in own if "stale" in q or "vanha" in q or OLD in q]
    assert stores[0].uncommitted_documents() == []
    texts = [
        str(o) for _s, p, o, _g in stores[0].quads(graph=DOC) if str(p) == "https://e.org/text"
    ]
    assert texts == (["ä" * (LONG_LINE + 10)] if kind == "long" else [])
    for s in stores:
        s.close()


@pytest.mark.parametrize(
    "bad",
    [
        '<https://e.org/s> <https://e.org/p> "x" <https://w3id.org/sotegraph/id/graph/manifest> .\n',
        '<https://e.org/s> <https://e.org/p> "x" .\n} <https://e.org/other> { <https://e.org/a> <https://e.org/b> <https://e.org/c> .\n',
        '<https://e.org/s> <https://e.org/p> "unclosed .\n',
        f'<https://e.org/s> <https://e.org/p> "{"x" * (LONG_LINE + 1)}" <https://e.org/g> .\n',
    ],
    ids=["fourth term", "closing brace", "unclosed", "long line, fourth term"],
)
@pytest.mark.parametrize("way", ["own", "bulk"])
def test_text_that_is_no_ntriples_writes_nothing(tmp_path: Path, bad: str, way: str) -> None:
    with _store(tmp_path / "s", way) as store:
        with pytest.raises(StoreError, match="could not write graph"):
            store.store_document(DOC, PLAIN + bad, record=RECORD)
        assert len(store) == 0
        assert store.graph_names() == []


@pytest.mark.parametrize(
    "escape",
    [
        "} <https://e.org/a> <https://e.org/b> <https://e.org/c> . "
        f"GRAPH <{MANIFEST_GRAPH}> {{ <https://e.org/x> <https://e.org/y> <https://e.org/z> .",
        '<https://e.org/s> <https://e.org/p> """ } } ; DROP ALL ; INSERT DATA { GRAPH <https://e.org/g> { <https://e.org/a> <https://e.org/b> """ .',
    ],
    ids=["closing brace", "long string"],
)
def test_text_cannot_leave_its_graph_in_the_update(tmp_path: Path, escape: str) -> None:
    """Replacing a graph goes by a SPARQL update with the text pasted in: refused first."""
    with OxigraphStore(tmp_path / "s") as store:
        store.replace_graph_ntriples(DOC, PLAIN)
        before = _quads(store)
        with pytest.raises(StoreError, match="could not write graph"):
            store.store_document(DOC, PLAIN + escape + "\n", record=RECORD)
        with pytest.raises(StoreError, match="could not write graph"):
            store.replace_graph_ntriples(DOC, PLAIN + escape + "\n")
        assert _quads(store) == before


def test_uncommitted_documents_are_the_graphs_without_an_entry() -> None:
    store = OxigraphStore()  # in memory: nothing is hidden or removed, the graphs are listed
    store.replace_graph_ntriples(OLD, PLAIN)  # a graph without its entry
    store.store_document(DOC, PLAIN, record=RECORD)
    store.replace_graph_ntriples("https://e.org/not-a-document", PLAIN)
    assert store.uncommitted_documents() == [OLD]
    store.update(
        f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{ <{OLD}> {TYPE} <https://w3id.org/sotegraph/ontology#Document> }} }}"
    )
    assert store.uncommitted_documents() == []


def test_a_large_graph_written_without_its_entry_is_uncommitted(tmp_path: Path) -> None:
    """The bulk loader writes outside a transaction: until the entry is in, the graph is an
    uncommitted one (what a kill between the two leaves), which a build removes."""
    store = _store(tmp_path / "s", "bulk")
    store.store_document(DOC, PLAIN, record="")  # the graph, no entry (as cut off)
    assert store.uncommitted_documents() == [DOC]
    store.store_document(DOC, PLAIN, record=RECORD)
    assert store.uncommitted_documents() == []
    assert len(list(store.quads(graph=DOC))) == 3  # written again, not twice
    store.close()

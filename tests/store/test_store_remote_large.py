"""The remote store against a real Oxigraph server: huge literals and hostile N-Triples text."""

from __future__ import annotations

import uuid

import pytest
from rdflib import Literal, URIRef

from oxigraph_server import Server
from sotegraph.errors import StoreError
from sotegraph.store import RemoteStore
from sotegraph.store.base import MANIFEST_GRAPH

S, P = "https://e.org/s", "https://e.org/summary"


def _graph() -> str:
    return f"https://e.org/graph/{uuid.uuid4().hex}"


@pytest.mark.slow
def test_a_literal_over_16_mib_is_written_as_one_update(oxigraph_server: Server) -> None:
    # A Graph Store PUT of such text is refused by the server's N-Triples parser
    # ("Reached the buffer maximal size of 16777216"); one SPARQL update takes it.
    store = RemoteStore(oxigraph_server.query, timeout=120)
    big = "ö" * (9 * 1024 * 1024)  # 18 MiB of UTF-8, over max_update_bytes
    data = f'<{S}> <{P}> "{big}"@fi .\n<{S}> <https://e.org/name> "pieni" .\n'
    name = _graph()
    store.replace_graph_ntriples(name, data)
    rows = store.query(f"SELECT (STRLEN(?v) AS ?n) WHERE {{ GRAPH <{name}> {{ <{S}> <{P}> ?v }} }}")
    assert rows == [{"n": Literal(len(big))}]
    assert len(store.graph(name)) == 2
    store.remove_graph(name)


def test_ntriples_that_break_out_of_the_data_block_are_refused(oxigraph_server: Server) -> None:
    store = RemoteStore(oxigraph_server.query)
    name = _graph()
    hostile = (
        f'<{S}> <{P}> "x" . }} }} ; INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> '
        f'{{ <{S}> <{P}> "planted" . }} }} ; INSERT DATA {{ GRAPH <{name}> {{ <{S}> <{P}> "y" .'
    )
    with pytest.raises((StoreError, SyntaxError)):
        store.replace_graph_ntriples(name, hostile)
    assert not store.has_graph(name)
    planted = store.query(f'ASK {{ GRAPH <{MANIFEST_GRAPH}> {{ <{S}> <{P}> "planted" }} }}')
    assert planted == [{"ask": Literal(False)}]
    # a brace inside a literal is fine
    store.replace_graph_ntriples(name, f'<{S}> <{P}> "a }} b" .\n')
    assert store.graph(name).value(URIRef(S), URIRef(P)) == Literal("a } b")
    store.remove_graph(name)

"""A document graph with a literal too long for Oxigraph's N-Triples parser still validates."""

from __future__ import annotations

from rdflib import Literal, URIRef

from sotegraph.validate.index import IndexedGraph


def test_from_ntriples_reads_a_literal_over_16_mib() -> None:
    # Oxigraph's parser refuses a token over 16 MiB ("Reached the buffer maximal size");
    # a build with validation parses every document graph through from_ntriples.
    big = "ä" * (9 * 1024 * 1024)  # 18 MiB of UTF-8
    data = (
        f'<https://e.org/s> <https://e.org/summary> "{big}"@fi .\n'
        '<https://e.org/s> <https://e.org/name> "pieni" .\n'
    )
    graph = IndexedGraph.from_ntriples(data)
    assert len(graph) == 2
    value = graph.value(URIRef("https://e.org/s"), URIRef("https://e.org/summary"))
    assert isinstance(value, Literal)
    assert value.language == "fi"
    assert len(str(value)) == len(big)
    assert IndexedGraph.from_ntriples(data.encode("utf-8")).value(
        URIRef("https://e.org/s"), URIRef("https://e.org/name")
    ) == Literal("pieni")

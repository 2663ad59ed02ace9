"""RDF terms between rdflib and pyoxigraph, and N-Triples through Oxigraph.

The stages below the store (RDF, validation) and the stores themselves convert terms the same
way; this module is that one way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from sotegraph.errors import StoreError

__all__ = [
    "graph_to_ntriples",
    "oxigraph_quads",
    "rdflib_converter",
    "rdflib_rows",
    "to_oxigraph",
    "to_rdflib",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to a pyoxigraph term.

    Raises
    ------
    StoreError
        If the term is of a kind Oxigraph does not store (e.g. a variable).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise StoreError(f"cannot store RDF term {term!r}")


def _iri(value: str) -> URIRef:
    """``URIRef(value)`` without rdflib's character check: an IRI from Oxigraph is valid
    already (rdflib's constructor does nothing else for a valid IRI without a base).

    >>> _iri("https://e.org/a") == URIRef("https://e.org/a"), type(_iri("https://e.org/a"))
    (True, <class 'rdflib.term.URIRef'>)
    """
    return str.__new__(URIRef, value)


def to_rdflib(term: Any) -> Node | None:
    """Convert a pyoxigraph term (or ``None``) to an rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dtype = term.datatype.value
        if dtype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=_iri(dtype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"unexpected term from Oxigraph: {term!r}")


class _RdflibTerms(dict[Any, Any]):
    """pyoxigraph terms (and ``None``) to rdflib terms, each converted on its first look-up."""

    __slots__ = ()

    def __missing__(self, term: Any) -> Any:
        value = self[term] = to_rdflib(term)
        return value


def rdflib_converter() -> Callable[[Any], Node]:
    """:func:`to_rdflib` with a cache: each distinct term is converted once.

    A graph repeats its predicates, classes and shared objects many times; one converter
    per graph read saves most of the conversions. (The converter is a dictionary's look-up,
    which converts a term it has not seen: no Python call per hit.)

    Examples
    --------
    >>> conv = rdflib_converter()
    >>> a = conv(ox.NamedNode("https://e.org/a"))
    >>> a is conv(ox.NamedNode("https://e.org/a"))
    True
    """
    return _RdflibTerms().__getitem__


def rdflib_rows(
    names: Sequence[str], solutions: Iterable[Iterable[Any]]
) -> list[dict[str, Node | None]]:
    """Rows of rdflib terms from solutions of pyoxigraph terms, in the order of ``names``.

    Each solution gives its terms by position (``None`` where unbound), as a pyoxigraph
    ``QuerySolution`` does; each distinct term is converted once for all the rows, so that a
    result that repeats its projects, names and numbers costs little more than reading it.

    Examples
    --------
    >>> a, b = ox.NamedNode("https://e.org/a"), ox.Literal("x", language="fi")
    >>> rows = rdflib_rows(["s", "o"], [(a, b), (a, None)])
    >>> rows[1]
    {'s': rdflib.term.URIRef('https://e.org/a'), 'o': None}
    >>> rows[0]["s"] is rows[1]["s"], rows[0]["o"].language
    (True, 'fi')
    """
    conv = _RdflibTerms().__getitem__
    keys = tuple(names)
    return [dict(zip(keys, map(conv, sol), strict=True)) for sol in solutions]


def oxigraph_quads(graph: Graph, name: ox.NamedNode) -> Iterator[ox.Quad]:
    cache: dict[Node, Any] = {}

    def conv(t: Node) -> Any:
        hit = cache.get(t)
        if hit is None:
            hit = to_oxigraph(t)
            if not isinstance(t, Literal):
                cache[t] = hit
        return hit

    for s, p, o in graph:
        yield ox.Quad(conv(s), conv(p), conv(o), name)


def graph_to_ntriples(graph: Graph) -> str:
    """Serialise an rdflib graph as N-Triples text (through Oxigraph: fast, canonical escapes).

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://e.org/s"), URIRef("https://e.org/p"), Literal("ä", lang="fi")))
    >>> graph_to_ntriples(g)
    '<https://e.org/s> <https://e.org/p> "ä"@fi .\\n'
    """
    if len(graph) == 0:
        return ""
    name = ox.NamedNode("urn:x-sotegraph:g")
    local = ox.Store()
    local.extend(oxigraph_quads(graph, name))
    data = local.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
    return data.decode("utf-8") if isinstance(data, bytes) else str(data)

"""The shipped reference data the validator looks things up in.

The reference graphs (regions, funds and their periods, themes) that :func:`validate`
uses as context when the data carries none, their subjects, and the region resolver of the
year-dependent target-area checks. Every import of reference data by this package is here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from sotegraph.reference.funds import funds_graph
from sotegraph.reference.regions import RegionResolver, regions_graph
from sotegraph.reference.themes import themes_graph

_REFERENCE_MAKERS: dict[str, Callable[[], Graph]] = {
    "regions": regions_graph,
    "funds": funds_graph,
    "themes": themes_graph,
}


@cache
def _default_references() -> dict[str, Graph]:
    """The shipped reference graphs by name (``regions``, ``funds``, ``themes``)."""
    out: dict[str, Graph] = {}
    for name, make in _REFERENCE_MAKERS.items():
        try:
            out[name] = make()
        except FileNotFoundError:  # a reference file not shipped (yet)
            continue
    return out


def reference_graph() -> Graph:
    """Return the shipped reference data (regions, funds and periods, themes) as one graph.

    This is what :func:`~sotegraph.validate.validate` looks target areas, funds and themes
    up in when the data carries no reference graphs of its own and none is given.

    >>> from sotegraph.namespaces import region_iri
    >>> from rdflib.namespace import RDF
    >>> from sotegraph.vocab import SG
    >>> (region_iri("municipality", 91), RDF.type, SG.Municipality) in reference_graph()
    True
    """
    g = Graph()
    for part in _default_references().values():
        for triple in part:
            g.add(triple)
    return g


@cache
def _shipped_subjects(name: str) -> frozenset[Node]:
    """Every subject of the shipped reference graph named ``name`` (computed once)."""
    for g in _default_references().values():
        if str(g.identifier) == name:
            return frozenset(g.subjects())
    return frozenset()


@cache
def _region_resolver() -> Any:
    """The region resolver of the target-area checks (without Voikko, built once)."""
    return RegionResolver(use_voikko=False)

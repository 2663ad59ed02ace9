"""A three-project example store for the docstring examples and tests.

Examples
--------
>>> store = example_store()
>>> store.graph_names()
['https://w3id.org/sotegraph/id/document/1']
>>> len(store)
12
"""

from __future__ import annotations

from sotegraph.store import OxigraphStore

__all__ = ["EXAMPLE_TRIG", "example_store"]

EXAMPLE_TRIG = """
@prefix sg: <https://w3id.org/sotegraph/ontology#> .
@prefix sgid: <https://w3id.org/sotegraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
sgid:document\\/1 {
  sgid:project\\/p1 a sg:Project ; skos:prefLabel "Eka"@fi ;
     sg:participant sgid:organisation\\/a , sgid:organisation\\/b .
  sgid:project\\/p2 a sg:Project ; skos:prefLabel "Toka"@fi ;
     sg:participant sgid:organisation\\/a , sgid:organisation\\/b , sgid:organisation\\/c .
  sgid:project\\/p3 a sg:Project ; skos:prefLabel "Kolmas"@fi ; sg:participant sgid:organisation\\/c .
}
"""
"""A three-project example dataset (TriG) used by the docstring examples."""


def example_store() -> OxigraphStore:
    """A small in-memory store holding :data:`EXAMPLE_TRIG` (for examples and tests)."""
    import pyoxigraph as ox

    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(EXAMPLE_TRIG, format=ox.RdfFormat.TRIG):
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    store = OxigraphStore()
    for name, triples in graphs.items():
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        store.replace_graph_ntriples(name, data.decode("utf-8") if data else "")
    return store

"""The co-participation network for a file, without networkx, numpy or scipy where it can.

``sotegraph network --kind coparticipation`` with no attribute groups and no subset writes
the same graph as :func:`~sotegraph.network.coparticipation_graph` over
``load_network_data(kinds=["partners"], attributes=False)``, annotated by
:func:`~sotegraph.network.annotate`; :func:`coparticipation_network` builds it from three
SELECTs (the typed projects, the participations, the Finnish labels) with plain Python
counting, as a :class:`PlainGraph` that :func:`sotegraph.export.export_graph` writes. An
embedded store whose queries see every graph it holds is read as Oxigraph's terms, and a
:class:`pyoxigraph.Store` is read as it is: ``sotegraph network`` opens the store so when
everything in it is committed, and then imports neither ``sotegraph.store`` nor rdflib. The
graph algorithms of networkx run only where they have work: the centralities and Louvain
communities of a graph with edges. A graph without edges (each organisation alone in its
projects, as in the bulk lists) has degree, betweenness and eigenvector centrality 0 and one
community per node, numbered in the order of the node names, as Louvain and
:func:`~sotegraph.network.communities` give them.

Examples
--------
>>> from sotegraph.network import example_store
>>> g = coparticipation_network(example_store())
>>> g.number_of_nodes(), g.number_of_edges()
(3, 3)
>>> [(u[-1], v[-1], d["weight"]) for u, v, d in g.edges(data=True)]
[('a', 'b', 2), ('a', 'c', 1), ('b', 'c', 1)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from sotegraph._gc import no_cycle_collection
from sotegraph.errors import SotegraphError
from sotegraph.network._selects import (
    LABELS_SPARQL,
    PARTNER_IRIS_SPARQL,
    PARTNERS_SPARQL,
    PROJECTS_SPARQL,
)

if TYPE_CHECKING:
    import networkx as nx

    from sotegraph.store import Store

__all__ = ["PlainGraph", "annotate_plain", "coparticipation_network"]

NodeData = dict[str, Any]
Pair = tuple[str | None, str | None]


@dataclass(slots=True)
class PlainGraph:
    """An undirected graph as plain lists: what the file writers read of a networkx graph.

    ``nodes(data=True)`` and ``edges(data=True)`` give ``(node, attributes)`` and
    ``(u, v, attributes)`` in order, as :class:`networkx.Graph` does; :meth:`to_networkx`
    makes the networkx graph itself (same order, same attributes).

    Attributes
    ----------
    graph:
        Graph attributes (``name``).
    node_data:
        Node → its attributes, in node order.
    edge_list:
        ``(u, v, attributes)``, each edge once, ``u`` before ``v`` in node order.
    """

    graph: dict[str, Any]
    node_data: dict[str, NodeData] = field(default_factory=dict)
    edge_list: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def nodes(self, data: bool = False) -> list[Any]:
        """The nodes, or ``(node, attributes)`` pairs with ``data=True``."""
        return list(self.node_data.items()) if data else list(self.node_data)

    def edges(self, data: bool = False) -> list[Any]:
        """The edges as ``(u, v)``, or ``(u, v, attributes)`` with ``data=True``."""
        return list(self.edge_list) if data else [(u, v) for u, v, _ in self.edge_list]

    def number_of_nodes(self) -> int:
        return len(self.node_data)

    def number_of_edges(self) -> int:
        return len(self.edge_list)

    def to_networkx(self) -> nx.Graph:
        """The same graph as a :class:`networkx.Graph` (attribute dicts copied)."""
        import networkx as nx

        g = nx.Graph(**self.graph)
        for n, d in self.node_data.items():
            g.add_node(n, **d)
        for u, v, d in self.edge_list:
            g.add_edge(u, v, **d)
        return g


def _label(labels: dict[str, str], iri: str) -> str:
    """As :meth:`NetworkData.label`: the Finnish label, else the IRI's last part."""
    return labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]


def coparticipation_network(source: Any, *, min_weight: int = 1) -> PlainGraph:
    """Organisations linked by the projects they share, with their centralities.

    The same nodes, edges, attributes and order as
    ``annotate(coparticipation_graph(load_network_data(source, kinds=["partners"],
    attributes=False), min_weight=min_weight))``: nodes ``type``, ``label``, ``projects``,
    ``degree``, ``betweenness``, ``eigenvector``, ``community``; edges ``weight``,
    ``jaccard``, ``shared``.

    Parameters
    ----------
    source:
        A store, or an object holding one in ``.store`` (a knowledge graph), or a
        :class:`pyoxigraph.Store`, read as its union default graph (every graph it holds;
        ``sotegraph network`` opens a store whose graphs are all committed so).
    min_weight:
        Only pairs sharing at least this many projects.

    Raises
    ------
    SotegraphError
        If ``min_weight`` is below 1 or ``source`` holds no store.
    StoreError
        If a query fails on the store.
    """
    if min_weight < 1:
        raise SotegraphError("min_weight must be at least 1")
    with no_cycle_collection():
        return annotate_plain(_coparticipation(*_rows_of(source), min_weight))


def _rows_of(source: Any) -> Rows:
    """The rows the network is made of, from Oxigraph's terms where the store allows it."""
    if isinstance(source, ox.Store):
        return _raw_rows(source)
    from sotegraph.store import Store  # imported already where a Store was made

    store = source if isinstance(source, Store) else getattr(source, "store", None)
    if not isinstance(store, Store):
        raise SotegraphError(f"expected a Store or a KnowledgeGraph, not {type(source).__name__}")
    raw = _union_of_all(store)
    return _store_rows(store) if raw is None else _raw_rows(raw)


def _union_of_all(store: Store) -> ox.Store | None:
    """The embedded store's Oxigraph store when its queries see the union of every graph.

    A read-only store hides the graphs a build did not commit (and staging graphs) from its
    queries (:class:`~sotegraph.store.OxigraphStore`); when it hides none, every named graph
    is one of :meth:`~sotegraph.store.Store.graph_names`, and Oxigraph's own union default
    graph is what :meth:`~sotegraph.store.Store.select_lexical` reads. ``None`` otherwise.
    """
    from sotegraph.store import OxigraphStore

    if not isinstance(store, OxigraphStore):
        return None
    raw = store.raw
    if sorted(g.value for g in raw.named_graphs()) != store.graph_names():
        return None
    return raw


def _solutions(raw: ox.Store, sparql: str) -> Iterator[Any]:
    """The rows of a SELECT on Oxigraph's union default graph, as Oxigraph's terms."""
    try:
        solutions: Any = raw.query(sparql, use_default_graph_as_union=True)
        yield from solutions
    except (OSError, RuntimeError) as exc:
        from sotegraph.store.oserrors import store_error

        raise store_error("query failed", exc) from exc


Rows = tuple[Container[str | None], Iterable[Pair], Iterable[tuple[str | None, Any]]]
"""The typed projects, the participations (both IRIs) and the Finnish labels (each label a
``str``, or a :class:`pyoxigraph.Literal` whose text is read only when it is wanted)."""


def _store_rows(store: Store) -> Rows:
    """:data:`Rows` through :meth:`Store.select_lexical`."""
    typed = {row["project"] for row in store.select_lexical(PROJECTS_SPARQL)}
    pairs = ((row["project"], row["item"]) for row in store.select_lexical(PARTNER_IRIS_SPARQL))
    labels = ((row["s"], row["label"]) for row in store.select_lexical(LABELS_SPARQL))
    return typed, pairs, labels


def _raw_rows(raw: ox.Store) -> Rows:
    """:data:`Rows` straight from Oxigraph's terms: the participations are selected without
    the ``isIRI`` filter and told apart by their terms' types, which costs Oxigraph less."""
    iri = ox.NamedNode
    typed = {t.value for (t,) in _solutions(raw, PROJECTS_SPARQL) if type(t) is iri}
    pairs = (
        (p.value, o.value)
        for p, o in _solutions(raw, PARTNERS_SPARQL)
        if type(p) is iri and type(o) is iri
    )
    labels = ((s.value, label) for s, label in _solutions(raw, LABELS_SPARQL))
    return typed, pairs, labels


def _coparticipation(
    typed: Container[str | None],
    pairs: Iterable[Pair],
    label_rows: Iterable[tuple[str | None, Any]],
    min_weight: int,
) -> PlainGraph:
    # one select after the other: rows become Python objects under the GIL, so two threads
    # would only take turns (and spend more CPU doing it)
    members: dict[str, set[str]] = defaultdict(set)
    for p, o in pairs:
        if p in typed and p is not None and o is not None:
            members[p].add(o)
    projects_of: dict[str, int] = defaultdict(int)
    for orgs in members.values():
        for o in orgs:
            projects_of[o] += 1
    order = sorted(projects_of)
    index = {o: i for i, o in enumerate(order)}
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for p, orgs in members.items():
        if len(orgs) > 1:
            for i, j in combinations(sorted(index[o] for o in orgs), 2):
                shared[(i, j)].append(p)
    # the labels of the nodes and of the shared projects: the least Finnish one of each
    wanted = set(projects_of).union(*shared.values())
    labels: dict[str, str] = {}
    for s, label in label_rows:
        if s in wanted:
            text = label if label is None or isinstance(label, str) else label.value
            if text and (s not in labels or text < labels[s]):
                labels[s] = text
    g = PlainGraph({"name": "co-participation"})
    for o in order:
        g.node_data[o] = {
            "type": "organisation",
            "label": _label(labels, o),
            "projects": projects_of[o],
        }
    for (i, j), common in sorted(shared.items()):
        n = len(common)
        if n < min_weight:
            continue
        a, b = order[i], order[j]
        g.edge_list.append(
            (
                a,
                b,
                {
                    "weight": n,
                    "jaccard": n / (projects_of[a] + projects_of[b] - n),
                    "shared": sorted(_label(labels, p) for p in common),
                },
            )
        )
    return g


def annotate_plain(g: PlainGraph) -> PlainGraph:
    """Add ``degree``, ``betweenness``, ``eigenvector`` and ``community`` as
    :func:`~sotegraph.network.annotate` does (with its defaults); returns ``g``.

    A graph with edges is annotated by networkx; one without needs no graph algorithm: every
    node has degree 0, centralities 0.0 and a community of its own, numbered in the order of
    the node names (:func:`~sotegraph.network.communities` orders communities by size, then
    by their names).

    Examples
    --------
    >>> g = PlainGraph({"name": "x"}, {"b": {}, "a": {}})
    >>> annotate_plain(g).nodes(data=True)[0]
    ('b', {'degree': 0, 'betweenness': 0.0, 'eigenvector': 0.0, 'community': 1})
    """
    if not g.node_data:
        return g
    if g.edge_list:
        from sotegraph.network.analysis import annotate

        done = annotate(g.to_networkx())
        for n, d in done.nodes(data=True):
            g.node_data[n] = dict(d)
        return g
    for d in g.node_data.values():
        d["degree"] = 0
        d["betweenness"] = 0.0
        d["eigenvector"] = 0.0
    for i, n in enumerate(sorted(g.node_data, key=str)):
        g.node_data[n]["community"] = i
    return g

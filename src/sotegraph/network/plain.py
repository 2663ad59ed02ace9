"""The co-participation network for a file, without networkx, numpy or scipy where it can.

``sotegraph network --kind coparticipation`` with no attribute groups and no subset writes
the same graph as :func:`~sotegraph.network.coparticipation_graph` over
``load_network_data(kinds=["partners"], attributes=False)``, annotated by
:func:`~sotegraph.network.annotate`; :func:`coparticipation_network` builds it from three
SELECTs (the typed projects, the participations, the Finnish labels) with plain Python
counting, as a :class:`PlainGraph` that :func:`sotegraph.export.export_graph` writes. The
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
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from sotegraph._gc import no_cycle_collection
from sotegraph.errors import SotegraphError
from sotegraph.network._selects import LABELS_SPARQL, PARTNER_IRIS_SPARQL, PROJECTS_SPARQL
from sotegraph.store import Store

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["PlainGraph", "annotate_plain", "coparticipation_network"]

NodeData = dict[str, Any]


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
        A store, or an object holding one in ``.store`` (a knowledge graph).
    min_weight:
        Only pairs sharing at least this many projects.

    Raises
    ------
    SotegraphError
        If ``min_weight`` is below 1 or ``source`` holds no store.
    QueryError
        If a query fails on the store.
    """
    if min_weight < 1:
        raise SotegraphError("min_weight must be at least 1")
    store = source if isinstance(source, Store) else getattr(source, "store", None)
    if not isinstance(store, Store):
        raise SotegraphError(f"expected a Store or a KnowledgeGraph, not {type(source).__name__}")
    with no_cycle_collection():
        return annotate_plain(_coparticipation(store, min_weight))


def _coparticipation(store: Store, min_weight: int) -> PlainGraph:
    # one after the other: rows become Python objects under the GIL, so two threads would
    # only take turns (and spend more CPU doing it)
    typed = {row["project"] for row in store.select_lexical(PROJECTS_SPARQL)}
    members: dict[str, set[str]] = defaultdict(set)
    for row in store.select_lexical(PARTNER_IRIS_SPARQL):
        p, o = row["project"], row["item"]
        if p in typed and o is not None:
            members[p].add(o)  # type: ignore[index]
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
    for row in store.select_lexical(LABELS_SPARQL):
        s = row["s"]
        if s in wanted:
            text = row["label"]
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

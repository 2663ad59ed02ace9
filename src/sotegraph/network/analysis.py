"""Network analysis: centralities, communities, components and brokers.

:func:`annotate` adds ``degree``, ``betweenness``, ``eigenvector`` and ``community`` to the
nodes of any of the graphs of :mod:`sotegraph.network.graphs`; :func:`brokers` lists the
nodes that link otherwise separate groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

__all__ = [
    "EXACT_BETWEENNESS_LIMIT",
    "Broker",
    "annotate",
    "brokers",
    "communities",
    "components",
]

EXACT_BETWEENNESS_LIMIT = 3000
"""Graphs with more nodes get betweenness estimated from a sample of source nodes."""


def annotate(g: nx.Graph, *, seed: int = 42, betweenness_samples: int | None = None) -> nx.Graph:
    """Add ``degree``, ``betweenness``, ``eigenvector`` and ``community`` to every node.

    Betweenness uses ``1 / weight`` as distance (strong ties are short). It is exact up to
    :data:`EXACT_BETWEENNESS_LIMIT` nodes; larger graphs (the bulk lists) get the networkx
    estimate from ``betweenness_samples`` (default 300) source nodes drawn with ``seed``.
    Eigenvector centrality is computed per connected component (0 for isolated nodes).
    Returns ``g``.

    Examples
    --------
    >>> g = annotate(nx.path_graph(3))
    >>> g.nodes[1]["degree"], g.nodes[1]["betweenness"]
    (2, 1.0)
    """
    if g.number_of_nodes() == 0:
        return g
    for n, d in g.degree():
        g.nodes[n]["degree"] = int(d)
    for _u, _v, d in g.edges(data=True):
        d["distance"] = 1.0 / float(d.get("weight", 1) or 1)
    n_nodes = g.number_of_nodes()
    # per connected component (paths never leave one), with the whole graph's normalisation
    scale = 2.0 / ((n_nodes - 1) * (n_nodes - 2)) if n_nodes > 2 else 1.0
    bc: dict[Any, float] = {}
    ev: dict[Any, float] = {}
    for comp in nx.connected_components(g):
        size = len(comp)
        if size == 2:
            ev.update(dict.fromkeys(comp, 2**-0.5))
        if size < 3:
            continue
        sub = g.subgraph(comp)
        k = betweenness_samples
        if k is None and size > EXACT_BETWEENNESS_LIMIT:
            k = 300
        part = nx.betweenness_centrality(
            sub,
            k=min(k, size) if k is not None else None,
            weight="distance",
            normalized=False,
            seed=seed if k is not None else None,
        )
        bc.update((node, value * scale) for node, value in part.items())
        ev.update(_eigenvector(sub))
    for _u, _v, d in g.edges(data=True):
        del d["distance"]
    for n in g.nodes:
        g.nodes[n]["betweenness"] = float(bc.get(n, 0.0))
        g.nodes[n]["eigenvector"] = float(abs(ev.get(n, 0.0)))
    for i, com in enumerate(communities(g, seed=seed)):
        for n in com:
            g.nodes[n]["community"] = i
    return g


def _eigenvector(sub: nx.Graph) -> dict[Any, float]:
    """Eigenvector centrality of one connected component (unit norm, non-negative)."""
    try:
        if sub.number_of_nodes() <= 300:  # dense and exact: fast for the many small components
            nodes = list(sub.nodes)
            adjacency = nx.to_numpy_array(sub, nodelist=nodes, weight="weight")
            _values, vectors = np.linalg.eigh(adjacency)
            x = np.abs(vectors[:, -1])
            x = x / (np.linalg.norm(x) or 1.0)
            return dict(zip(nodes, x.tolist(), strict=True))
        return dict(nx.eigenvector_centrality_numpy(sub, weight="weight"))
    except (nx.NetworkXException, ValueError, TypeError, np.linalg.LinAlgError):
        return dict.fromkeys(sub.nodes, 0.0)


def communities(g: nx.Graph, *, seed: int = 42, weight: str = "weight") -> list[set[Any]]:
    """Louvain communities (networkx), largest first; the fixed ``seed`` makes them stable."""
    if g.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(g, weight=weight, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(map(str, c))))


def components(g: nx.Graph) -> list[set[Any]]:
    """Connected components, largest first."""
    return sorted(
        (set(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), sorted(map(str, c)))
    )


@dataclass(frozen=True, slots=True)
class Broker:
    """An organisation (or project) that links otherwise separate parts of a network."""

    node: str
    label: str
    betweenness: float
    articulation: bool
    communities: int
    degree: int


def brokers(g: nx.Graph, *, top: int | None = None, seed: int = 42) -> list[Broker]:
    """Nodes that link otherwise separate groups, by betweenness centrality.

    A node counts when its betweenness is above zero; ``articulation`` says whether removing
    it splits its component, ``communities`` how many Louvain communities its neighbours
    belong to (its own included).
    """
    if g.number_of_nodes() == 0:
        return []
    if "betweenness" not in next(iter(g.nodes.values()), {}):
        annotate(g, seed=seed)
    cut = set(nx.articulation_points(g))
    out = []
    for n, d in g.nodes(data=True):
        if d.get("betweenness", 0.0) <= 0.0:
            continue
        coms = {g.nodes[m].get("community") for m in g.neighbors(n)} | {d.get("community")}
        out.append(
            Broker(
                str(n),
                str(d.get("label", n)),
                float(d["betweenness"]),
                n in cut,
                len(coms),
                int(g.degree(n)),
            )
        )
    out.sort(key=lambda b: (-b.betweenness, b.label))
    return out[:top] if top is not None else out

"""Node positions for the HTML view, computed before the page is written.

The page draws at once from these positions (no layout runs in the browser). Each connected
component is laid out on its own and the components are packed in rows, largest first, so
that a graph of thousands of small components (the bulk lists: one lead organisation and
its projects) stays readable and a large component gets the room it needs:

* a single node or a star (one hub, every other node its neighbour) is placed in closed form,
  the leaves on a sunflower spiral around the hub;
* a component of up to :data:`SPRING_LIMIT` nodes gets networkx's Fruchterman–Reingold
  layout (:func:`networkx.spring_layout`) with a fixed seed;
* a larger component gets a pivot MDS layout (classical scaling of the graph distances to
  a few pivot nodes, one sparse breadth-first search per pivot), and each node of degree one
  is then put on a spiral around its neighbour.

Everything is deterministic: the same graph gives the same positions.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph([("hub", "a"), ("hub", "b"), ("x", "y")])
>>> pos = layout_positions(g)
>>> sorted(pos) == sorted(g)
True
>>> pos["hub"] != pos["a"] != pos["b"]
True
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SPRING_LIMIT", "layout_positions"]

#: Largest component laid out by networkx's spring layout; larger ones get pivot MDS.
SPRING_LIMIT = 1500
_GOLDEN = math.pi * (3 - math.sqrt(5))
_PIVOTS = 40


def _sunflower(n: int, *, start: float = 1.5) -> np.ndarray:
    """``n`` points on a sunflower spiral, neighbours about one unit apart."""
    i = np.arange(n, dtype=float)
    r = np.sqrt(i) * 0.9 + start
    a = i * _GOLDEN + 2.0  # the first leaf not to the right, where the hub's name goes
    return np.column_stack([r * np.cos(a), r * np.sin(a)])


def _star_hub(sub: nx.Graph) -> Hashable | None:
    """The hub when ``sub`` is a star (every other node is a leaf on it), else ``None``."""
    n = sub.number_of_nodes()
    if sub.number_of_edges() != n - 1:
        return None
    hub, degree = max(sub.degree, key=lambda nd: nd[1])
    return hub if degree == n - 1 else None


def _spring(sub: nx.Graph, seed: int) -> np.ndarray:
    import networkx as nx

    n = sub.number_of_nodes()
    pos = nx.spring_layout(sub, seed=seed, iterations=50 if n > 200 else 100)
    xy = np.array([pos[v] for v in sub], dtype=float)
    return xy * (1.2 * math.sqrt(n))


def _pivot_mds(sub: nx.Graph) -> np.ndarray:
    """Pivot MDS (Brandes & Pich 2006): classical scaling of the distances to a few pivots."""
    import networkx as nx
    from scipy.sparse.csgraph import shortest_path

    nodes = list(sub)
    n = len(nodes)
    adj = nx.to_scipy_sparse_array(sub, nodelist=nodes, weight=None, format="csr")
    k = min(_PIVOTS, n)
    pivots = [int(np.argmax(np.asarray(adj.sum(axis=1)).ravel()))]
    dist = np.empty((k, n))
    nearest = np.full(n, np.inf)
    for j in range(k):  # max-min pivots: each the node farthest from those chosen
        dist[j] = shortest_path(adj, unweighted=True, directed=False, indices=pivots[j])
        nearest = np.minimum(nearest, dist[j])
        if j + 1 < k:
            pivots.append(int(np.argmax(nearest)))
    d2 = dist.T**2  # n × k
    c = d2 - d2.mean(axis=0) - d2.mean(axis=1, keepdims=True) + d2.mean()
    u, s, _ = np.linalg.svd(-0.5 * c, full_matrices=False)
    xy = u[:, :2] * np.sqrt(np.maximum(s[:2], 0))
    # distances are in hops; a hop is about three units, which leaves room for the leaves
    xy = xy * 3.0
    index = {v: i for i, v in enumerate(nodes)}
    leaves: dict[int, list[int]] = {}
    for v in nodes:
        if sub.degree(v) == 1:
            (u_,) = sub.neighbors(v)
            if sub.degree(u_) > 1:
                leaves.setdefault(index[u_], []).append(index[v])
    for hub, group in leaves.items():
        xy[group] = xy[hub] + _sunflower(len(group)) * 0.6
    xy = _declump(xy)
    rows, cols = adj.nonzero()
    return _relax(xy, rows[rows < cols], cols[rows < cols])


def _declump(xy: np.ndarray) -> np.ndarray:
    """Spread the nodes that share a unit cell on a sunflower around the cell.

    Nodes with the same distances to every pivot get one position; this opens each such clump
    to about a node per unit of area (linear time), so that the relaxation that follows sees
    few close pairs.
    """
    cells = np.floor(xy).astype(np.int64)
    _, inverse, counts = np.unique(cells, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    order = np.argsort(inverse, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = xy.copy()
    for cell in np.flatnonzero(counts > 1):
        members = order[starts[cell] : starts[cell] + counts[cell]]
        out[members] = xy[members].mean(axis=0) + _sunflower(len(members), start=0.0)
    return out


def _sum_at(a: np.ndarray, b: np.ndarray, force: np.ndarray, n: int) -> np.ndarray:
    """Per node, the sum of ``force`` over the pairs where it is ``a`` minus where it is ``b``."""
    out = np.empty((n, 2))
    for k in range(2):
        out[:, k] = np.bincount(a, force[:, k], n) - np.bincount(b, force[:, k], n)
    return out


def _relax(
    xy: np.ndarray, u: np.ndarray, v: np.ndarray, *, iterations: int = 30, radius: float = 1.0
) -> np.ndarray:
    """Push apart nodes closer than ``radius`` and pull edges towards unit length.

    The collision and link forces of d3-force, with a k-d tree finding the close pairs: the
    cost of an iteration grows with the number of nodes and close pairs, not with their square.
    """
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(0)
    xy = xy + rng.normal(scale=1e-3, size=xy.shape)  # no two nodes on exactly one spot
    for step in range(iterations):
        move = np.zeros_like(xy)
        pairs = cKDTree(xy).query_pairs(radius, output_type="ndarray")
        if len(pairs):
            a, b = pairs[:, 0], pairs[:, 1]
            d = xy[a] - xy[b]
            dist = np.maximum(np.sqrt((d**2).sum(axis=1)), 1e-9)
            move += _sum_at(a, b, d * ((radius - dist) / dist * 0.5)[:, None], len(xy))
        if len(u):
            d = xy[v] - xy[u]
            dist = np.maximum(np.sqrt((d**2).sum(axis=1)), 1e-9)
            move += _sum_at(u, v, d * ((dist - radius) / dist * 0.1)[:, None], len(xy))
        limit = radius * (1.0 - step / iterations) + 0.05  # cooling: shorter steps each time
        length = np.maximum(np.sqrt((move**2).sum(axis=1)), 1e-9)
        xy = xy + move * (np.minimum(length, limit) / length)[:, None]
    return xy


def _component_xy(sub: nx.Graph, seed: int) -> np.ndarray:
    """Positions of one component, centred on the origin, about one unit between neighbours."""
    n = sub.number_of_nodes()
    if n == 1:
        return np.zeros((1, 2))
    hub = _star_hub(sub)
    if hub is not None:
        xy = np.zeros((n, 2))
        others = [i for i, v in enumerate(sub) if v != hub]
        xy[others] = _sunflower(len(others))
        xy[[i for i, v in enumerate(sub) if v == hub]] = 0.0
    elif n <= SPRING_LIMIT:
        xy = _spring(sub, seed)
    else:
        xy = _pivot_mds(sub)
    return xy - xy.mean(axis=0)


_SINGLE = np.zeros((1, 2))
_PAIR = np.vstack([np.zeros((1, 2)), _sunflower(1)])  # a star of one leaf, as _component_xy
_PAIR = _PAIR - _PAIR.mean(axis=0)


def layout_positions(g: nx.Graph, *, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node of ``g``: components laid out apart and packed in rows.

    Parameters
    ----------
    g:
        Any networkx graph (directed graphs are laid out as undirected).
    seed:
        Seed of the spring layout (the result is the same for the same graph and seed).

    Returns
    -------
    dict
        Node → ``(x, y)``, about one unit between neighbours, ``y`` growing downwards row by
        row (largest components first).

    Examples
    --------
    >>> import networkx as nx
    >>> pos = layout_positions(nx.path_graph(5))
    >>> len(pos), all(len(p) == 2 for p in pos.values())
    (5, True)
    >>> layout_positions(nx.path_graph(5)) == pos
    True
    """
    import networkx as nx

    und = g.to_undirected(as_view=True) if g.is_directed() else g
    order = {v: i for i, v in enumerate(und)}
    comps = sorted(
        (sorted(c, key=order.__getitem__) for c in nx.connected_components(und)),
        key=lambda c: (-len(c), order[c[0]]),
    )
    boxes: list[tuple[list[Hashable], np.ndarray, float]] = []
    area = 0.0
    for comp in comps:
        if len(comp) <= 2:  # most components of the bulk lists: no graph to build
            xy = _PAIR if len(comp) == 2 else _SINGLE
        else:
            sub = nx.Graph()  # built in node order: a subgraph view iterates a set (hash order)
            sub.add_nodes_from(comp)
            sub.add_edges_from((u, v) for u in comp for v in und[u] if order[u] < order[v])
            xy = _component_xy(sub, seed)
        radius = float(np.sqrt((xy**2).sum(axis=1)).max()) + 1.0
        boxes.append((comp, xy, radius))
        area += (2 * radius) ** 2
    # rows about 1.5 times as wide as they are deep, as a screen is
    width = max(math.sqrt(area * 1.5) * 1.1, 2 * boxes[0][2]) if boxes else 0.0
    pos: dict[Hashable, tuple[float, float]] = {}
    x = y = row = 0.0
    for nodes, xy, radius in boxes:
        side = 2 * radius
        if x > 0 and x + side > width:
            x, y, row = 0.0, y + row, 0.0
        cx, cy = x + radius, y + radius
        for v, (px, py) in zip(nodes, xy, strict=True):
            pos[v] = (cx + float(px), cy + float(py))
        x += side
        row = max(row, side)
    return pos

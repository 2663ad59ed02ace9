"""The data of the HTML network view: a compact, column-wise form of a networkx graph.

:func:`sotegraph.export.html_view` writes a page that draws a graph with sigma.js (WebGL) and
graphology, both inlined from this folder (``sigma.min.js``, ``graphology.umd.min.js``, each
with its licence; ``npm run vendor-view`` regenerates them). This module turns the graph into
the page's data block (:func:`view_payload`) and lays it out (:mod:`.layout`), so the page
draws at once, also for tens of thousands of nodes.

The data block is column-wise, to keep the page small: node ids (with their common IRI
prefix written once), labels, positions as integers, types, degrees, and one column per node
attribute (``region``, ``county``, ``themes``, ``period``, ``sote_relevance``, ``funding``,
``documents`` …). A text column writes each distinct text once in ``values`` and gives each
node a number into it (1-based, 0 for none, a list for several); a number column gives each
node its number (or ``null``), or, when most nodes have none, lists the nodes that have one
in ``at``. Edges are a flat list of node numbers.

Long labels are shortened for the canvas only at a word boundary, and never into a text
that begins another node's label (:func:`short_labels`); the full label shows on hover and
in the details panel.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("https://w3id.org/sotegraph/id/project/P1", type="project", label="Koe",
...            region=["Kainuu"], funding=1234.567)
>>> g.add_node("https://w3id.org/sotegraph/id/organisation/a", type="organisation",
...            label="Alfa Oy", region=["Kainuu", "Pohjois-Savo"])
>>> g.add_edge(*list(g))
>>> p = view_payload(g)
>>> p["prefix"], p["id"], p["edges"]
('https://w3id.org/sotegraph/id/', ['project/P1', 'organisation/a'], [0, 1])
>>> p["cols"]["region"]
{'kind': 'text', 'values': ['Kainuu', 'Pohjois-Savo'], 'of': [1, [1, 2]]}
>>> p["cols"]["funding"]
{'kind': 'number', 'of': [1235, None]}
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from sotegraph.view.layout import layout_positions

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["LABEL_LIMIT", "layout_positions", "short_labels", "view_payload"]

#: Labels longer than this are shortened on the canvas (at a word boundary, see
#: :func:`short_labels`); the full label shows on hover and in the details panel.
LABEL_LIMIT = 40

#: Node attributes left out of the page: internal or shown otherwise.
_SKIP = {"label", "type", "x", "y", "bipartite", "lead", "id", "iri", "degree"}
_SCALE = 10  # layout units → integer coordinates


def short_labels(labels: Sequence[str], *, limit: int = LABEL_LIMIT) -> list[str | None]:
    """The canvas label of each of ``labels``: ``None`` to show the label whole, else a
    shortened form ending in ``…``.

    A label longer than ``limit`` characters is cut at the last word boundary (a space)
    within ``limit`` (or after its first word when that is longer), and then lengthened
    word by word while the cut text still begins another, different label: a shortened
    label never looks like the start of another name. A label that cannot be told apart
    before its end is shown whole.

    Examples
    --------
    >>> names = ["Etelä-Savon sosiaali- ja terveyspalvelujen kuntayhtymä",
    ...          "Etelä-Savon sosiaali- ja terveysalan kehittämiskeskus", "Alfa Oy"]
    >>> short_labels(names, limit=20)
    ['Etelä-Savon sosiaali- ja terveyspalvelujen…', 'Etelä-Savon sosiaali- ja terveysalan…', None]
    """
    ordered = sorted(set(labels))
    out: list[str | None] = []
    for label in labels:
        if len(label) <= limit + 3:  # cutting saves nothing worth the ellipsis
            out.append(None)
            continue
        cut = label.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = label.find(" ")
        while 0 < cut < len(label):
            prefix = label[:cut].rstrip(" ,;:")
            lo = bisect.bisect_left(ordered, prefix)
            hi = bisect.bisect_left(ordered, prefix + "\U0010ffff")
            if prefix and all(other == label for other in ordered[lo:hi]):
                out.append(prefix + "…")
                break
            cut = label.find(" ", cut + 1)
        else:
            out.append(None)
    return out


def _tail(iri: str) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _prefix(ids: Sequence[str]) -> str:
    """The common prefix of ``ids`` up to and including its last ``/`` (or ``#``)."""
    if not ids:
        return ""
    lo, hi = min(ids), max(ids)
    n = 0
    while n < min(len(lo), len(hi)) and lo[n] == hi[n]:
        n += 1
    common = lo[:n]
    cut = max(common.rfind("/"), common.rfind("#"))
    prefix = common[: cut + 1]
    # keep a remainder for every id (an id equal to the prefix would become empty)
    return prefix if prefix and all(len(i) > len(prefix) for i in (lo, hi)) else ""


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int):
        return value
    if not math.isfinite(value):
        return None
    if abs(value) >= 100 or value == int(value):
        return round(value)
    return float(f"{value:.4g}")


def _texts(value: Any) -> list[str] | None:
    """The value as a list of texts, or ``None`` when it is not text-like."""
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        return [str(v) for v in items if v is not None and v != ""]
    if isinstance(value, str):
        return [value] if value else []
    return None


def _columns(nodes: list[Hashable], data: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One column per node attribute: numbers as they are, texts through a value table."""
    keys: dict[str, None] = {}
    for d in data:
        for k, v in d.items():
            if k not in _SKIP and v is not None:
                keys.setdefault(k)
    cols: dict[str, dict[str, Any]] = {}
    for key in keys:
        values = [d.get(key) for d in data]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
            numbers = [_number(v) for v in values]
            at = [i for i, x in enumerate(numbers) if x is not None]
            if 2 * len(at) < len(numbers):  # mostly absent: only the nodes that have one
                cols[key] = {"kind": "number", "at": at, "of": [numbers[i] for i in at]}
            else:
                cols[key] = {"kind": "number", "of": numbers}
            continue
        table: dict[str, int] = {}
        of: list[Any] = []
        for v in values:
            texts = _texts(v) if v is not None else []
            if texts is None:  # bool or another scalar: shown as text
                texts = [str(v).lower() if isinstance(v, bool) else str(v)]
            idx = [table.setdefault(t, len(table) + 1) for t in texts]
            of.append(0 if not idx else idx[0] if len(idx) == 1 else idx)
        if table:
            cols[key] = {"kind": "text", "values": list(table), "of": of}
    return cols


def view_payload(g: nx.Graph, *, title: str = "sotegraph network", seed: int = 7) -> dict[str, Any]:
    """The data block of the HTML view of ``g`` (see the module docstring for its form).

    Parameters
    ----------
    g:
        A graph from :mod:`sotegraph.network` (or any networkx graph). Node attributes
        ``label`` and ``type`` name and colour the nodes; every other attribute with text or
        number values becomes a column (shown in the details panel; ``type``, ``region``,
        ``county``, ``themes``/``theme``, ``period``, ``programme_period`` and
        ``sote_relevance`` also as filters). Nodes with ``x`` and ``y`` keep those
        positions; the others are laid out by :func:`layout_positions`.
    title:
        The page title.
    seed:
        Seed of the layout.

    Returns
    -------
    dict
        JSON-ready data (numbers rounded, texts as they are).
    """
    nodes = list(g.nodes)
    data = [g.nodes[n] for n in nodes]
    index = {n: i for i, n in enumerate(nodes)}
    ids = [str(n) for n in nodes]
    prefix = _prefix(ids)
    labels = [str(d.get("label") or _tail(str(n))) for n, d in zip(nodes, data, strict=True)]
    given = all(_number(d.get("x")) is not None and _number(d.get("y")) is not None for d in data)
    if given and nodes:
        pos = {n: (float(d["x"]), float(d["y"])) for n, d in zip(nodes, data, strict=True)}
        scale = 1.0
    else:
        pos = layout_positions(g, seed=seed)
        scale = _SCALE
    xy: list[int] = []
    for n in nodes:
        x, y = pos[n]
        xy += [round(x * scale), round(y * scale)]
    types: dict[str, int] = {}
    type_of = [types.setdefault(str(d.get("type") or "other"), len(types)) for d in data]
    degrees = dict(g.degree())
    edges: list[int] = []
    weights: list[float | int | None] = []
    for u, v, d in g.edges(data=True):
        edges += [index[u], index[v]]
        weights.append(_number(d.get("weight")))
    payload: dict[str, Any] = {
        "version": 1,
        "title": title,
        "prefix": prefix,
        "id": [i[len(prefix) :] for i in ids],
        "label": labels,
        "short": [[i, s] for i, s in enumerate(short_labels(labels)) if s is not None],
        "xy": xy,
        "types": list(types),
        "type": type_of,
        "degree": [int(degrees.get(n, 0)) for n in nodes],
        "edges": edges,
        "cols": _columns(nodes, data),
    }
    if any(w is not None and w != 1 for w in weights):
        payload["weight"] = [1 if w is None else w for w in weights]
    return payload

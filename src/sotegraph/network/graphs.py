"""networkx graphs of the knowledge graph's projects and organisations.

* :func:`bipartite_graph`: projects and organisations, an edge for each participation
  (attribute ``roles``);
* :func:`coparticipation_graph`: organisations, an edge for each pair sharing projects
  (``weight`` = shared projects, ``jaccard``, ``shared`` = the projects);
* :func:`overlap_graph`: projects, an edge for each overlapping pair, ``weight`` = the
  combined overlap score (:func:`~sotegraph.network.project_overlap`).

Attribute values are plain (``str``, ``int``, ``float``, ``bool`` and lists of ``str``), so
that :mod:`sotegraph.export` writes them to files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np

from sotegraph.errors import SotegraphError
from sotegraph.network.data import RELEVANCE_ORDER, NetworkData, SoteFilter, _period_label
from sotegraph.network.matrix import OverlapBy, count_overlap
from sotegraph.network.overlap import project_overlap

__all__ = ["bipartite_graph", "coparticipation_graph", "overlap_graph", "own_share"]


def _code(iri: str) -> str:
    """The classification code of a region or county IRI (its last part)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _project_node(data: NetworkData, p: str) -> dict[str, Any]:
    a = dict(data.attrs.get(p, {"type": "project"}))
    a["type"] = "project"
    a["label"] = data.label(p)
    sel = data.selected
    if "areas" in sel:
        regions, counties = data.regions.get(p, []), data.counties.get(p, [])
        a["region"] = [data.label(r) for r in regions]
        a["region_code"] = [_code(r) for r in regions]
        a["county"] = [data.label(c) for c in counties]
        a["county_code"] = [_code(c) for c in counties]
        a["area_basis"] = data.area_basis.get(p, [])
    if "themes" in sel:
        a["theme"] = [data.label(t) for t in data.themes.get(p, [])]
    if "groups" in sel:
        a["group"] = [data.label(g) for g in data.groups.get(p, [])]
    if "documents" in sel:
        a["documents"] = data.documents.get(p, [])
    if "project" in sel:
        a.setdefault("funding", 0.0)
        a.setdefault("period", "")
    return a


def own_share(data: NetworkData, project: str, organisation: str) -> float | None:
    """The organisation's own share of the project's granted funding, where the data give one.

    No source gives a partner's budget, so the share is known only where a record states
    that the project is not a joint project (``sg:jointProject false``) and the organisation
    is its only lead or partner: the whole granted amount is then its own. Elsewhere
    (joint projects, bulk-list rows that do not say, projects without an amount) ``None``.
    """
    attrs = data.attrs.get(project, {})
    granted = attrs.get("funding")
    if granted is None or attrs.get("joint_project") is not False:
        return None
    funded = {o for (p, o), roles in data.roles.items() if p == project and _funded(roles)}
    return float(granted) if funded == {organisation} else None


def _funded(roles: list[str]) -> bool:
    return "lead" in roles or "partner" in roles


def _funded_participants(data: NetworkData) -> dict[str, set[str]]:
    """Project → its leads and partners (collaborators get no share of the funding)."""
    out: dict[str, set[str]] = {}
    for (p, o), roles in data.roles.items():
        if _funded(roles):
            out.setdefault(p, set()).add(o)
    return out


def _organisation_nodes(data: NetworkData) -> dict[str, dict[str, Any]]:
    inc = data.incidences[OverlapBy.PARTNERS]
    csc = inc.matrix.tocsc()
    sel = data.selected
    funded = _funded_participants(data) if "project" in sel else {}
    rank = {v: i for i, v in enumerate(RELEVANCE_ORDER)}
    out: dict[str, dict[str, Any]] = {}
    for j, org in enumerate(inc.cols):
        projects = [inc.rows[i] for i in csc.indices[csc.indptr[j] : csc.indptr[j + 1]]]
        a = dict(data.attrs.get(org, {}))
        a["type"] = "organisation"
        a["label"] = data.label(org)
        a["projects"] = len(projects)
        if "areas" in sel:
            regions = sorted({r for p in projects for r in data.regions.get(p, [])})
            counties = sorted({c for p in projects for c in data.counties.get(p, [])})
            a["region"] = sorted({data.label(r) for r in regions})
            a["region_code"] = sorted({_code(r) for r in regions})
            a["county"] = sorted({data.label(c) for c in counties})
            a["county_code"] = sorted({_code(c) for c in counties})
        if "themes" in sel:
            a["theme"] = sorted({data.label(t) for p in projects for t in data.themes.get(p, [])})
        if "groups" in sel:
            a["group"] = sorted({data.label(g) for p in projects for g in data.groups.get(p, [])})
        if "sote" in sel:
            values = [data.relevance[p] for p in projects if p in data.relevance]
            if values:
                a["sote_relevance"] = min(values, key=rank.__getitem__)
            a["sote_projects"] = sum(v == "sote" for v in values)
        if "project" in sel:
            amounts = {p: data.attrs.get(p, {}).get("funding") for p in projects}
            a["projects_funding_total"] = float(sum(x for x in amounts.values() if x))
            a["lead_funding"] = float(
                sum(x for p, x in amounts.items() if x and "lead" in data.roles.get((p, org), []))
            )
            own = [
                float(x)
                for p, x in amounts.items()
                if x is not None
                and data.attrs.get(p, {}).get("joint_project") is False
                and funded.get(p) == {org}
            ]
            if own:
                a["own_funding"] = float(sum(own))
            a["own_funding_projects"] = len(own)
            spans = [data.periods[p] for p in projects if p in data.periods]
            a["period"] = (
                _period_label(min(s for s, _ in spans), max(e for _, e in spans)) or ""
                if spans
                else ""
            )
            a["programme_period"] = sorted(
                {
                    str(data.attrs[p]["programme_period"])
                    for p in projects
                    if "programme_period" in data.attrs.get(p, {})
                }
            )
        if "documents" in sel:
            a["documents"] = data.documents.get(org, [])
        out[org] = a
    return out


def bipartite_graph(data: NetworkData, *, sote: SoteFilter = None) -> nx.Graph:
    """The project–organisation graph: an edge for each participation.

    Edge attributes: ``roles`` (lead / partner / collaborator) and ``weight`` = 1. ``sote``
    keeps only projects of those relevance values (:meth:`NetworkData.with_sote`).

    Examples
    --------
    >>> from sotegraph.network import example_store, load_network_data
    >>> store = example_store()
    >>> g = bipartite_graph(load_network_data(store))
    >>> g.number_of_nodes(), g.number_of_edges()
    (6, 6)
    """
    data = data.with_sote(sote)
    g = nx.Graph(name="projects and organisations")
    for p in data.projects:
        g.add_node(p, bipartite=0, **_project_node(data, p))
    for org, attrs in _organisation_nodes(data).items():
        g.add_node(org, bipartite=1, **attrs)
    inc = data.incidences[OverlapBy.PARTNERS].matrix.tocoo()
    rows, cols = data.incidences[OverlapBy.PARTNERS].rows, data.organisations
    for i, j in zip(inc.row.tolist(), inc.col.tolist(), strict=True):
        p, o = rows[i], cols[j]
        g.add_edge(p, o, weight=1, roles=data.roles.get((p, o), ["participant"]))
    return g


def coparticipation_graph(
    data: NetworkData, *, min_weight: int = 1, sote: SoteFilter = None
) -> nx.Graph:
    """Organisations linked by the projects they share (``Mᵀ M`` of the partner incidence).

    Edge attributes: ``weight`` (shared projects), ``jaccard`` (shared / either's projects)
    and ``shared`` (the shared projects' labels). Organisations without a partner in any
    project stay as isolated nodes. ``sote`` counts only projects of those relevance values
    (:meth:`NetworkData.with_sote`).

    Raises
    ------
    SotegraphError
        If ``min_weight`` is below 1.
    """
    if min_weight < 1:
        raise SotegraphError("min_weight must be at least 1")
    data = data.with_sote(sote)
    inc = data.incidences[OverlapBy.PARTNERS]
    g = nx.Graph(name="co-participation")
    for org, attrs in _organisation_nodes(data).items():
        g.add_node(org, **attrs)
    mt = inc.matrix.T.tocsr()
    shared, sizes = count_overlap(mt)
    order = np.lexsort((shared.col, shared.row))  # pairs by organisation: a stable edge order
    for i, j, n in zip(
        shared.row[order].tolist(),
        shared.col[order].tolist(),
        shared.data[order].tolist(),
        strict=True,
    ):
        if n < min_weight:
            continue
        common = np.intersect1d(mt.getrow(i).indices, mt.getrow(j).indices)
        g.add_edge(
            inc.cols[i],
            inc.cols[j],
            weight=int(n),
            jaccard=float(n / (sizes[i] + sizes[j] - n)),
            shared=sorted(data.label(inc.rows[k]) for k in common),
        )
    return g


def overlap_graph(
    data: NetworkData,
    *,
    by: Sequence[OverlapBy | str] = tuple(OverlapBy),
    weights: Mapping[str, float] | None = None,
    min_score: float = 0.0,
    sote: SoteFilter = None,
) -> nx.Graph:
    """Projects linked by their combined overlap (see :func:`project_overlap`), of the
    projects of the ``sote`` relevance values when given.

    Edge attributes: ``weight`` (the score), per kind ``shared_<kind>`` (count),
    ``jaccard_<kind>`` and ``<kind>`` (the shared items' labels).
    """
    data = data.with_sote(sote)
    g = nx.Graph(name="project overlap")
    for p in data.projects:
        g.add_node(p, **_project_node(data, p))
    for pair in project_overlap(data, by=by, weights=weights, min_score=min_score):
        attrs: dict[str, Any] = {"weight": pair.score}
        for kind, n in pair.shared.items():
            attrs[f"shared_{kind}"] = n
            attrs[f"jaccard_{kind}"] = pair.jaccard[kind]
            attrs[kind] = [
                x if kind == OverlapBy.TIME.value else data.label(x)
                for x in pair.items.get(kind, [])
            ]
        g.add_edge(pair.project1, pair.project2, **attrs)
    return g

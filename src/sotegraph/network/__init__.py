"""Networks from the knowledge graph: who works with whom, which projects overlap.

SPARQL selects the *incidence pairs* (project → organisation, place, theme) from the store;
sparse matrix products count what pairs of projects or organisations share (DESIGN.md:
"counting is matrix work"). The named queries ``overlap_partners``, ``overlap_places`` and
``overlap_themes`` are the portable definition of the same counts for remote endpoints.

The graphs are :mod:`networkx` graphs with plain attribute values (``str``, ``int``,
``float``, ``bool`` and lists of ``str``) that :mod:`sotegraph.export` writes to files:

* :func:`bipartite_graph`: projects and organisations, an edge for each participation
  (attribute ``roles``);
* :func:`coparticipation_graph`: organisations, an edge for each pair sharing projects
  (``weight`` = shared projects, ``jaccard``, ``shared`` = the projects);
* :func:`overlap_graph`: projects, an edge for each overlapping pair, ``weight`` = the
  combined overlap score over partners, places, themes, groups and time with user weights.

Node attributes (plain values; lists are joined with ``"; "`` in GraphML, GEXF and CSV):

* every node: ``type`` (project / organisation), ``label``, ``documents`` (source files);
* projects: ``code``, ``fund``, ``programme_period`` (e.g. ``"2014-2020"``), ``period``
  (the years it runs, e.g. ``"2018-2020"``), ``start``, ``end``, ``status``, ``lead``,
  ``lead_label``, ``funding`` (its granted EU and state funding in euros; 0.0 when unknown),
  ``planned_public_funding``, ``joint_project`` (where a record says), ``sote_relevance``
  (``sote`` / ``borderline`` / ``not``, the local name of its ``sg:soteRelevance``
  concept), ``region`` and ``region_code`` (regions on today's map), ``county`` and
  ``county_code`` (wellbeing counties, codes as in ``data/regions/wellbeing_areas.csv``;
  Helsinki, which is no county, is code 90), ``area_basis`` (what the areas rest on:
  ``stated`` in the record, or inferred from the responsible ``authority`` or the
  ``implementer``'s seat), ``theme`` (theme labels), ``group`` (consortia, networks). Areas
  map to regions and counties as ``queries/county_coverage.rq`` maps them (``map=today``):
  a municipality by its county, a sub-region by its municipalities' counties, a region by
  the counties in it; a merged municipality follows its successor;
* organisations: ``business_id``, ``organisation_type``, ``projects`` (how many it took part
  in), the **union** over its projects of ``region``, ``region_code``, ``county``,
  ``county_code``, ``theme``, ``group`` and ``programme_period``, ``period`` (first to last
  year of its projects), ``sote_relevance`` (the **most relevant** value among its projects)
  and ``sote_projects`` (how many are sote). Money is counted once per meaning, never
  summed under one ambiguous name: ``projects_funding_total`` (the granted funding of every
  project it took part in, each in full: partners of one project each count it),
  ``lead_funding`` (of the projects it leads), ``own_funding`` (its own share, only where
  the data give one: no source states a partner's budget, so the share is known where a
  record says the project is not a joint project and the organisation is its only lead or
  partner; absent otherwise) and ``own_funding_projects`` (how many projects that sum
  covers).

Only the attribute groups selected (``load_network_data(attributes=...)``) are present.
:func:`subset` cuts a graph down (around a node, by region, county, theme, period, sote
relevance, degree); :func:`filter_projects` does the same to the projects before a graph is
built, and ``load_network_data(sote=True)`` selects only sote projects.
Personal data is never read: the queries select projects, organisations, places and themes.

The modules, lower first: :mod:`~sotegraph.network._selects` (the kinds of overlap, the
attribute groups, the common SELECTs), :mod:`~sotegraph.network.matrix` (incidence matrices
and counting), :mod:`~sotegraph.network.data` (what is read from the store),
:mod:`~sotegraph.network.overlap` (what pairs of projects share),
:mod:`~sotegraph.network.graphs` (the networkx graphs), :mod:`~sotegraph.network.subset`
(readable parts), :mod:`~sotegraph.network.analysis` (centralities, communities, brokers),
:mod:`~sotegraph.network.plain` (:func:`coparticipation_network`: the co-participation
network with its centralities for a file, by plain Python counting; networkx runs only for
a graph with edges) and :mod:`~sotegraph.network.example` (a tiny store for the examples).
Each name is imported from its module on first use, so that ``sotegraph network`` loads
only what it runs (no networkx, numpy or scipy for a co-participation network without
edges). The functions take a :class:`~sotegraph.store.Store` or anything holding one in
``.store`` (a ``KnowledgeGraph``).

Examples
--------
>>> from sotegraph.network import (
...     OverlapBy, coparticipation_graph, example_store, load_network_data, pair_overlap)
>>> store = example_store()
>>> data = load_network_data(store)
>>> sorted(data.labels[p] for p in data.projects)
['Eka', 'Kolmas', 'Toka']
>>> g = coparticipation_graph(data)
>>> org = "https://w3id.org/sotegraph/id/organisation/"
>>> g.edges[org + "a", org + "b"]["weight"]
2
>>> [(p.label1, p.label2, p.shared) for p in pair_overlap(data, by=OverlapBy.PARTNERS)]
[('Eka', 'Toka', 2), ('Toka', 'Kolmas', 1)]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sotegraph.network.analysis import (
        EXACT_BETWEENNESS_LIMIT,
        Broker,
        annotate,
        brokers,
        communities,
        components,
    )
    from sotegraph.network.data import (
        ATTRIBUTES,
        RELEVANCE_ORDER,
        NetworkData,
        SoteFilter,
        load_network_data,
        sote_levels,
    )
    from sotegraph.network.example import EXAMPLE_TRIG, example_store
    from sotegraph.network.graphs import (
        bipartite_graph,
        coparticipation_graph,
        overlap_graph,
        own_share,
    )
    from sotegraph.network.matrix import (
        HasStore,
        Incidence,
        OverlapBy,
        StoreSource,
        count_overlap,
        incidence,
    )
    from sotegraph.network.overlap import OverlapPair, PairCount, pair_overlap, project_overlap
    from sotegraph.network.plain import PlainGraph, annotate_plain, coparticipation_network
    from sotegraph.network.similar import (
        SimilarityIndex,
        SimilarProject,
        TextIndex,
        similar_projects,
        similarity_index,
    )
    from sotegraph.network.subset import (
        AmbiguousNameError,
        NodeFilter,
        filter_projects,
        find_node,
    )

__all__ = [
    "ATTRIBUTES",
    "EXACT_BETWEENNESS_LIMIT",
    "EXAMPLE_TRIG",
    "RELEVANCE_ORDER",
    "AmbiguousNameError",
    "Broker",
    "HasStore",
    "Incidence",
    "NetworkData",
    "NodeFilter",
    "OverlapBy",
    "OverlapPair",
    "PairCount",
    "PlainGraph",
    "SimilarProject",
    "SimilarityIndex",
    "SoteFilter",
    "StoreSource",
    "TextIndex",
    "annotate",
    "annotate_plain",
    "bipartite_graph",
    "brokers",
    "communities",
    "components",
    "coparticipation_graph",
    "coparticipation_network",
    "count_overlap",
    "example_store",
    "filter_projects",
    "find_node",
    "incidence",
    "load_network_data",
    "overlap_graph",
    "own_share",
    "pair_overlap",
    "project_overlap",
    "similar_projects",
    "similarity_index",
    "sote_levels",
    "subset",
]

# each name's module, imported on first use: ``sotegraph network`` imports only what it runs
_MODULES = {
    "EXACT_BETWEENNESS_LIMIT": "analysis",
    "Broker": "analysis",
    "annotate": "analysis",
    "brokers": "analysis",
    "communities": "analysis",
    "components": "analysis",
    "ATTRIBUTES": "_selects",
    "RELEVANCE_ORDER": "data",
    "NetworkData": "data",
    "SoteFilter": "data",
    "load_network_data": "data",
    "sote_levels": "data",
    "EXAMPLE_TRIG": "example",
    "example_store": "example",
    "bipartite_graph": "graphs",
    "coparticipation_graph": "graphs",
    "overlap_graph": "graphs",
    "own_share": "graphs",
    "HasStore": "matrix",
    "Incidence": "matrix",
    "OverlapBy": "_selects",
    "StoreSource": "matrix",
    "count_overlap": "matrix",
    "incidence": "matrix",
    "OverlapPair": "overlap",
    "PairCount": "overlap",
    "pair_overlap": "overlap",
    "project_overlap": "overlap",
    "PlainGraph": "plain",
    "annotate_plain": "plain",
    "coparticipation_network": "plain",
    "SimilarityIndex": "similar",
    "SimilarProject": "similar",
    "TextIndex": "similar",
    "similar_projects": "similar",
    "similarity_index": "similar",
    "AmbiguousNameError": "subset",
    "NodeFilter": "subset",
    "filter_projects": "subset",
    "find_node": "subset",
}


# ``subset`` names a module and its function: bind the function, as an eager import did (the
# module is light; importing it later would put the module in its place)
from sotegraph.network.subset import subset  # noqa: E402


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

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

Node attributes: ``type`` (project / organisation), ``label``, ``region``, ``theme``,
``funding`` (granted EU and state funding in euros; for an organisation, the sum over its
projects), ``period`` (years, e.g. ``"2018-2020"``), ``documents`` (source files) and more.
Personal data is never read: the queries select projects, organisations, places and themes.

The modules, lower first: :mod:`~sotegraph.network.matrix` (incidence matrices and
counting), :mod:`~sotegraph.network.data` (what is read from the store),
:mod:`~sotegraph.network.overlap` (what pairs of projects share),
:mod:`~sotegraph.network.graphs` (the networkx graphs), :mod:`~sotegraph.network.analysis`
(centralities, communities, brokers) and :mod:`~sotegraph.network.example` (a tiny store for
the examples). The functions take a :class:`~sotegraph.store.Store` or anything holding one
in ``.store`` (a ``KnowledgeGraph``).

Examples
--------
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

from sotegraph.network.analysis import (
    EXACT_BETWEENNESS_LIMIT,
    Broker,
    annotate,
    brokers,
    communities,
    components,
)
from sotegraph.network.data import NetworkData, load_network_data
from sotegraph.network.example import EXAMPLE_TRIG, example_store
from sotegraph.network.graphs import bipartite_graph, coparticipation_graph, overlap_graph
from sotegraph.network.matrix import (
    HasStore,
    Incidence,
    OverlapBy,
    StoreSource,
    count_overlap,
    incidence,
)
from sotegraph.network.overlap import OverlapPair, PairCount, pair_overlap, project_overlap

__all__ = [
    "EXACT_BETWEENNESS_LIMIT",
    "EXAMPLE_TRIG",
    "Broker",
    "HasStore",
    "Incidence",
    "NetworkData",
    "OverlapBy",
    "OverlapPair",
    "PairCount",
    "StoreSource",
    "annotate",
    "bipartite_graph",
    "brokers",
    "communities",
    "components",
    "coparticipation_graph",
    "count_overlap",
    "example_store",
    "incidence",
    "load_network_data",
    "overlap_graph",
    "pair_overlap",
    "project_overlap",
]

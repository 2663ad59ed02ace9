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

import datetime as dt
import enum
import os
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from sotegraph.errors import SotegraphError
from sotegraph.store import OxigraphStore, Store

if TYPE_CHECKING:  # pragma: no cover
    from sotegraph.builder import KnowledgeGraph

__all__ = [
    "EXAMPLE_TRIG",
    "Broker",
    "Incidence",
    "NetworkData",
    "OverlapBy",
    "OverlapPair",
    "PairCount",
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

SG = "https://w3id.org/sotegraph/ontology#"
_SGID = "https://w3id.org/sotegraph/id/"

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


class OverlapBy(enum.StrEnum):
    """What two projects can share."""

    PARTNERS = "partners"
    """Participating organisations (lead, partner, collaborator)."""
    PLACES = "places"
    """Target areas plus the regions they lie in (today's map)."""
    THEMES = "themes"
    """Theme concepts."""
    GROUPS = "groups"
    """Consortia and networks (sg:memberOf) and coordinating projects (sg:gathers)."""
    TIME = "time"
    """Days of the project periods (interval Jaccard: overlap / union)."""


# the SPARQL that selects each kind of incidence pair, the same patterns as queries/overlap_*.rq
# (no DISTINCT: duplicates from several named graphs are merged when the matrix is built; the
# domain of sg:participant is sg:Project, and load_network_data keeps only typed projects' rows)
_INCIDENCE_SPARQL: dict[OverlapBy, str] = {
    OverlapBy.PARTNERS: f"""SELECT ?project ?item WHERE {{ ?project <{SG}participant> ?item }}""",
    OverlapBy.PLACES: f"""SELECT ?project ?item WHERE {{
        ?project a <{SG}Project> ; <{SG}targetArea>/<{SG}inRegion>? ?item }}""",
    OverlapBy.THEMES: f"""SELECT ?project ?item WHERE {{
        ?project a <{SG}Project> ; <{SG}theme> ?item }}""",
    OverlapBy.GROUPS: f"""SELECT ?project ?item WHERE {{
        ?project a <{SG}Project> .
        {{ ?project <{SG}memberOf> ?item }} UNION {{ ?item <{SG}gathers> ?project }} }}""",
}
_COUNTED = (OverlapBy.PARTNERS, OverlapBy.PLACES, OverlapBy.THEMES, OverlapBy.GROUPS)

_ROLES_SPARQL = f"""SELECT DISTINCT ?project ?organisation ?role WHERE {{
  VALUES ?role {{ <{SG}lead> <{SG}partner> <{SG}collaborator> }}
  ?project a <{SG}Project> ; ?role ?organisation }}"""

_LABELS_SPARQL = """SELECT ?s (MIN(?l) AS ?label) WHERE {
  ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(LANG(?l) = "fi") } GROUP BY ?s"""

_ORGS_SPARQL = f"""SELECT ?organisation (SAMPLE(?bid) AS ?businessId) (SAMPLE(?t) AS ?orgType)
WHERE {{ ?organisation a <{SG}Organisation> .
  OPTIONAL {{ ?organisation <{SG}businessId> ?bid }}
  OPTIONAL {{ ?organisation <{SG}organisationType> ?t }} }} GROUP BY ?organisation"""

_REGIONS_SPARQL = f"""SELECT DISTINCT ?project ?region WHERE {{
  ?project a <{SG}Project> ; <{SG}targetArea> ?area .
  {{ ?area a <{SG}Region> . BIND(?area AS ?region) }} UNION {{ ?area <{SG}inRegion> ?region }} }}"""

_DOCUMENTS_SPARQL = """SELECT DISTINCT ?s ?source WHERE {
  ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc .
  ?doc <http://purl.org/dc/terms/source> ?source }"""

_GROUPS_SPARQL = f"""SELECT DISTINCT ?project ?group WHERE {{
  ?project a <{SG}Project> ; <{SG}memberOf> ?group }}"""


def example_store() -> OxigraphStore:
    """A small in-memory store holding :data:`EXAMPLE_TRIG` (for examples and tests)."""
    import pyoxigraph as ox

    store = OxigraphStore()
    store.raw.load(EXAMPLE_TRIG, ox.RdfFormat.TRIG)
    return store


# --------------------------------------------------------------------------------------
# Data from the store
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Incidence:
    """A 0/1 sparse matrix: which project (row) has which item (column).

    Attributes
    ----------
    rows, cols:
        The project IRIs and the item IRIs, in matrix order.
    matrix:
        ``scipy.sparse.csr_matrix`` of shape ``(len(rows), len(cols))``, dtype ``int32``.
    """

    rows: list[str]
    cols: list[str]
    matrix: sp.csr_matrix
    index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.index:
            self.index.update((r, i) for i, r in enumerate(self.rows))

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, str]], *, rows: Sequence[str] | None = None
    ) -> Incidence:
        """Build the matrix from ``(project, item)`` pairs (duplicates count once).

        Parameters
        ----------
        pairs:
            The incidence pairs.
        rows:
            Fix the row order (projects without items get empty rows); by default the
            projects seen in ``pairs``, sorted.

        Examples
        --------
        >>> inc = Incidence.from_pairs([("p1", "a"), ("p2", "a"), ("p1", "a")])
        >>> inc.matrix.toarray().tolist()
        [[1], [1]]
        """
        listed = list(pairs)
        ps: Sequence[str] = ()
        items: Sequence[str] = ()
        if listed:
            ps, items = zip(*listed, strict=True)
        return cls.from_columns(ps, items, rows=rows)

    @classmethod
    def from_columns(
        cls, ps: Sequence[str], items: Sequence[str], *, rows: Sequence[str] | None = None
    ) -> Incidence:
        """Like :meth:`from_pairs`, from two equally long columns (projects, items)."""
        if len(ps) != len(items):
            raise SotegraphError("incidence columns differ in length")
        row_seen, r = _factorize(ps)
        col_seen, c = _factorize(items)
        return cls._from_codes(row_seen, r, col_seen, c, rows=rows)

    @classmethod
    def _from_codes(
        cls,
        row_seen: list[str],
        r: np.ndarray,
        col_seen: list[str],
        c: np.ndarray,
        *,
        rows: Sequence[str] | None = None,
    ) -> Incidence:
        """The matrix from factorised columns: ``row_seen[r[k]]`` has ``col_seen[c[k]]``.

        ``row_seen`` and ``col_seen`` are distinct values in any order; the matrix has its
        rows in ``rows`` order (or sorted) and its columns sorted.
        """
        if rows is not None:
            row_names = list(rows)
            rindex = {name: i for i, name in enumerate(row_names)}
            rank = np.fromiter(
                map(rindex.get, row_seen, repeat(-1)), dtype=np.int64, count=len(row_seen)
            )
        else:
            row_names, rank, rindex = _sorted_ranks(row_seen)
        r = rank[r]
        if (r < 0).any():  # pairs of subjects outside the given rows are left out
            keep = r >= 0
            r, c = r[keep], c[keep]
            used = np.zeros(len(col_seen), dtype=bool)
            used[c] = True
            if not used.all():  # and items only they had
                col_seen = [name for name, u in zip(col_seen, used.tolist(), strict=True) if u]
                c = (np.cumsum(used) - 1)[c]
        col_names, crank = _sorted_order(col_seen)
        c = crank[c]
        m = sp.csr_matrix(
            (np.ones(len(r), dtype=np.int32), (r, c)), shape=(len(row_names), len(col_names))
        )
        m.sum_duplicates()
        m.data[:] = 1
        return cls(row_names, col_names, m, rindex)


def _factorize(values: Iterable[str]) -> tuple[list[str], np.ndarray]:
    """The distinct values in first-seen order, and each value's position among them."""
    seen: dict[str, int] = {}
    codes = [seen.setdefault(v, len(seen)) for v in values]
    return list(seen), np.array(codes, dtype=np.int64)


def _sorted_ranks(distinct: list[str]) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """``distinct`` sorted, where each of its entries went, and each name's position."""
    names = sorted(distinct)
    position = {name: i for i, name in enumerate(names)}
    if names == distinct:
        return names, np.arange(len(names), dtype=np.int64), position
    ranks = np.fromiter(map(position.__getitem__, distinct), np.int64, len(distinct))
    return names, ranks, position


def _sorted_order(distinct: list[str]) -> tuple[list[str], np.ndarray]:
    """Like :func:`_sorted_ranks` without the positions (cheaper when they are not needed)."""
    order = sorted(range(len(distinct)), key=distinct.__getitem__)
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order), dtype=np.int64)
    return [distinct[i] for i in order], ranks


def _select(store: Store, sparql: str) -> list[list[str | None]]:
    """Rows of plain strings (IRI or literal lexical form; ``None`` unbound), fast on Oxigraph."""
    if isinstance(store, OxigraphStore):
        result: Any = store.raw.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        out: list[list[str | None]] = []
        for sol in result:
            row: list[str | None] = []
            for n in names:
                t = sol[n]
                row.append(None if t is None else t.value)
            out.append(row)
        return out
    rows = store.query(sparql)
    return [[None if v is None else str(v) for v in r.values()] for r in rows]


_TSV_IRI_PAIR = re.compile(r"^<([^>\t]*)>\t<([^>\t]*)>$", re.MULTILINE)


def _select_named(store: Store, sparql: str) -> list[dict[str, str | None]]:
    """Rows of a SELECT as dicts of lexical values (``None`` where unbound)."""
    if isinstance(store, OxigraphStore):
        result: Any = store.raw.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        out: list[dict[str, str | None]] = []
        for sol in result:
            row: dict[str, str | None] = {}
            for i, n in enumerate(names):
                t = sol[i]
                row[n] = None if t is None else t.value
            out.append(row)
        return out
    return [{k: None if v is None else str(v) for k, v in r.items()} for r in store.query(sparql)]


@dataclass(frozen=True, slots=True)
class _CodedPairs:
    """The two IRI columns of a SELECT, factorised: row ``k`` is ``(left[lc[k]], right[rc[k]])``."""

    left: list[str]
    lc: np.ndarray
    right: list[str]
    rc: np.ndarray

    def incidence(self, *, rows: Sequence[str] | None = None) -> Incidence:
        return Incidence._from_codes(self.left, self.lc, self.right, self.rc, rows=rows)


def _select_iri_pairs(store: Store, sparql: str) -> _CodedPairs:
    """The two columns of a SELECT of IRI pairs (rows with other kinds of terms are skipped).

    On Oxigraph the results are written as TSV by Rust and read as they come (see
    :func:`_stream_iri_pairs`); elsewhere, and when some cells are not IRIs, row by row.
    """
    if isinstance(store, OxigraphStore):
        coded, text = _stream_iri_pairs(store, sparql)
        if coded is not None:
            return coded
        pairs = _TSV_IRI_PAIR.findall(text)  # some cells are not IRIs: keep the IRI rows
    else:
        pairs = [(r[0], r[1]) for r in _select(store, sparql) if r[0] and r[1]]
    left, lc = _factorize(a for a, _ in pairs)
    right, rc = _factorize(b for _, b in pairs)
    return _CodedPairs(left, lc, right, rc)


# where the TSV of a select is written while it is read: memory-backed when the system has it
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def _only_iri_pairs(lines: bytes) -> bool:
    """Whether every line of a TSV chunk (whole lines) is two IRIs, ``<a>`` tab ``<b>``.

    Exact: TSV escapes tabs and line breaks inside literals, so the control characters must
    alternate tab, line break; every cell must open with ``<`` (at the start, after each tab
    and each line break but the last); and there must be no other ``<``, which an IRI never
    holds and a triple term (``<<``) does. A literal, a blank node or an unbound cell fails.
    """
    a = np.frombuffer(lines, dtype=np.uint8)
    seps = np.flatnonzero(a < 32)
    return bool(
        len(seps) % 2 == 0
        and len(a)
        and a[0] == 60
        and (a[seps[0::2]] == 9).all()
        and (a[seps[1::2]] == 10).all()
        and (a[seps[:-1] + 1] == 60).all()
        and np.count_nonzero(a == 60) == len(seps)
    )


def _stream_iri_pairs(store: OxigraphStore, sparql: str) -> tuple[_CodedPairs | None, str]:
    """Run an IRI-pair select on Oxigraph, factorising the rows while Oxigraph still writes.

    Oxigraph evaluates the query and writes the results as TSV to a scratch file in a
    worker thread without holding the GIL; this thread reads what has been written, checks
    it (:func:`_only_iri_pairs`, numpy), drops the angle brackets, splits on white space and
    factorises each column with one dict. The two overlap on two cores, so the select costs
    about as much as Oxigraph's writing alone (bulk lists: ~25 ms, not ~50 ms one after
    the other).

    Returns the factorised pairs, or ``(None, text)`` with the whole TSV when some cell is not
    an IRI (the caller keeps the IRI rows). The scratch file is removed in every case; an
    error of the query is raised here.
    """
    import pyoxigraph as ox

    fd, path = tempfile.mkstemp(prefix="sotegraph-", suffix=".tsv", dir=_SCRATCH)
    os.close(fd)

    def write() -> None:
        solutions: Any = store.raw.query(sparql, use_default_graph_as_union=True)
        solutions.serialize(path, format=ox.QueryResultsFormat.TSV)

    left: dict[str, int] = {}
    right: dict[str, int] = {}
    lcodes: list[int] = []
    rcodes: list[int] = []
    only_iris = True
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="sotegraph-select") as pool:
            job = pool.submit(write)
            with open(path, "rb") as fh:
                rest, header = b"", True
                while True:
                    finished = job.done()  # before reading: what it wrote is then all there
                    chunk = fh.read()
                    if not chunk:
                        if finished:
                            break
                        time.sleep(0.0002)
                        continue
                    chunk = rest + chunk
                    cut = chunk.rfind(b"\n") + 1  # whole lines (UTF-8 never splits at "\n")
                    rest, lines = chunk[cut:], chunk[:cut]
                    if header and cut:
                        lines, header = lines[lines.find(b"\n") + 1 :], False
                    if not lines or not only_iris:
                        continue
                    only_iris = _only_iri_pairs(lines)
                    if only_iris:
                        tokens = lines.translate(None, b"<>").decode("utf-8").split()
                        put = left.setdefault
                        lcodes += [put(t, len(left)) for t in tokens[0::2]]
                        put = right.setdefault
                        rcodes += [put(t, len(right)) for t in tokens[1::2]]
            job.result()  # the query's own error, if any
        if rest.strip():
            only_iris = False  # a last line without its line break: not what Oxigraph writes
        if not only_iris:
            with open(path, encoding="utf-8") as whole:
                return None, whole.read()
    finally:
        os.unlink(path)
    coded = _CodedPairs(
        list(left), np.array(lcodes, dtype=np.int64), list(right), np.array(rcodes, dtype=np.int64)
    )
    return coded, ""


def _store_of(source: Store | KnowledgeGraph) -> Store:
    if isinstance(source, Store):
        return source
    store = getattr(source, "store", None)
    if isinstance(store, Store):
        return store
    raise SotegraphError(f"expected a Store or a KnowledgeGraph, not {type(source).__name__}")


def incidence(
    source: Store | KnowledgeGraph, by: OverlapBy | str, *, rows: Sequence[str] | None = None
) -> Incidence:
    """Select the incidence pairs of one kind from the store and build the sparse matrix.

    Parameters
    ----------
    source:
        A store or a knowledge graph.
    by:
        ``partners``, ``places``, ``themes`` or ``groups`` (``time`` is not an incidence).
    rows:
        Fix the row order (e.g. all projects).

    Raises
    ------
    SotegraphError
        If ``by`` is ``time`` or unknown.

    Examples
    --------
    >>> store = example_store()
    >>> int(incidence(store, "partners").matrix.sum())
    6
    """
    kind = _by(by)
    if kind is OverlapBy.TIME:
        raise SotegraphError("time overlap is computed from the project periods, not an incidence")
    return _select_iri_pairs(_store_of(source), _INCIDENCE_SPARQL[kind]).incidence(rows=rows)


def _by(by: OverlapBy | str) -> OverlapBy:
    try:
        return OverlapBy(str(by).strip().lower())
    except ValueError:
        valid = ", ".join(b.value for b in OverlapBy)
        raise SotegraphError(f"cannot overlap by {by!r}; valid: {valid}") from None


@dataclass(slots=True)
class NetworkData:
    """Everything the network builders need, selected from the store once.

    Attributes
    ----------
    projects:
        Project IRIs, sorted (the row order of every incidence matrix).
    incidences:
        One :class:`Incidence` per :class:`OverlapBy` except time.
    roles:
        ``(project, organisation) -> sorted role names`` (lead, partner, collaborator).
    labels:
        Finnish preferred labels of every resource that has one.
    attrs:
        Per-node attributes (projects: code, fund, period, start, end, status, funding …;
        organisations: business id, type).
    regions, themes, groups:
        Per project: region IRIs (today's map), theme IRIs, consortium/network IRIs.
    documents:
        Per resource: source file names of the documents that state it.
    periods:
        Per project: ``(start, end)`` dates where known (a year-only date spans the year).
    """

    projects: list[str]
    incidences: dict[OverlapBy, Incidence]
    roles: dict[tuple[str, str], list[str]]
    labels: dict[str, str]
    attrs: dict[str, dict[str, Any]]
    regions: dict[str, list[str]] = field(default_factory=dict)
    themes: dict[str, list[str]] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    documents: dict[str, list[str]] = field(default_factory=dict)
    periods: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        """The Finnish label of ``iri``, else the last part of the IRI."""
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]

    @property
    def organisations(self) -> list[str]:
        """Organisation IRIs (the columns of the partners incidence)."""
        return self.incidences[OverlapBy.PARTNERS].cols


def load_network_data(source: Store | KnowledgeGraph) -> NetworkData:
    """Select projects, participations, places, themes, labels and provenance from the store.

    Project attributes come from the named query ``projects`` (so the EURA record's end date
    and status win over an older bulk row).

    Raises
    ------
    QueryError
        If a query fails on the store.
    """
    from sotegraph.queries import load_query
    from sotegraph.store import bind_values

    store = _store_of(source)
    named = load_query("projects")
    projects_sparql = bind_values(named.text, named.bindings({}))

    def the_rest() -> dict[str, Any]:
        return {
            "incidence": {by: _select_iri_pairs(store, _INCIDENCE_SPARQL[by]) for by in _COUNTED},
            "roles": _select(store, _ROLES_SPARQL),
            "labels": _select(store, _LABELS_SPARQL),
            "orgs": _select(store, _ORGS_SPARQL),
            "regions": _select(store, _REGIONS_SPARQL),
            "themes": _select(store, _INCIDENCE_SPARQL[OverlapBy.THEMES]),
            "groups": _select(store, _GROUPS_SPARQL),
            "documents": _select(store, _DOCUMENTS_SPARQL),
        }

    if isinstance(store, OxigraphStore):
        # the projects query (the slowest) runs beside the others: Oxigraph releases the GIL
        # while it evaluates, so the two use both cores (3.7 s -> 2.4 s on the bulk lists)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sotegraph-query") as pool:
            pending = pool.submit(_select_named, store, projects_sparql)
            rest = the_rest()
            project_rows = pending.result()
    else:
        project_rows = _select_named(store, projects_sparql)
        rest = the_rest()
    # plain lexical values (dates and amounts are parsed below): several times faster than
    # building an rdflib term per cell on large graphs
    projects = sorted({str(r["project"]) for r in project_rows})
    attrs: dict[str, dict[str, Any]] = {}
    periods: dict[str, tuple[dt.date, dt.date]] = {}
    for r in project_rows:
        iri = str(r["project"])
        start, end = _date_range(r.get("start"), r.get("end"))
        if start and end:
            periods[iri] = (start, end)
        attrs[iri] = _clean(
            {
                "type": "project",
                "code": r.get("code"),
                "fund": _tail(r.get("fund")),
                "programme_period": _tail(r.get("period")),
                "lead": r.get("lead"),
                "lead_label": r.get("leadName"),
                "start": _iso(r.get("start")),
                "end": _iso(r.get("end")),
                "status": r.get("status"),
                "funding": _float(r.get("granted")),
                "planned_public_funding": _float(r.get("plannedPublic")),
                "period": _period_label(start, end),
            }
        )
    incidences = {by: coded.incidence(rows=projects) for by, coded in rest["incidence"].items()}
    roles: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p, o, role in rest["roles"]:
        if p and o and role:
            roles[(p, o)].append(role.rsplit("#", 1)[-1])
    labels = {r[0]: r[1] for r in rest["labels"] if r[0] and r[1]}
    for org, bid, otype in rest["orgs"]:
        if org:
            attrs.setdefault(org, {}).update(
                _clean({"type": "organisation", "business_id": bid, "organisation_type": otype})
            )
    return NetworkData(
        projects=projects,
        incidences=incidences,
        roles={k: sorted(set(v)) for k, v in roles.items()},
        labels=labels,
        attrs=attrs,
        regions=_multimap(rest["regions"]),
        themes=_multimap(rest["themes"]),
        groups=_multimap(rest["groups"]),
        documents=_multimap(rest["documents"]),
        periods=periods,
    )


def _multimap(rows: list[list[str | None]]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r[0] and r[1]:
            out[r[0]].add(r[1])
    return {k: sorted(v) for k, v in out.items()}


def _clean(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != ""}


def _float(value: str | None) -> float | None:
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def _tail(iri: Any) -> str | None:
    return None if iri is None else str(iri).rstrip("/").rsplit("/", 1)[-1]


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _as_date(value: Any, *, end: bool) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value) if value is not None else ""
    if len(text) >= 4 and text[:4].isdigit():
        if len(text) >= 10:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                pass
        year = int(text[:4])
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    return None


def _date_range(start: Any, end: Any) -> tuple[dt.date | None, dt.date | None]:
    s = _as_date(start, end=False)
    e = _as_date(end, end=True)
    if s is not None and e is None and not isinstance(start, dt.date) and len(str(start)) == 4:
        e = _as_date(start, end=True)  # a year-only start without an end: that year
    return s, e


def _period_label(start: dt.date | None, end: dt.date | None) -> str | None:
    if start is None:
        return None
    if end is None or end.year == start.year:
        return str(start.year)
    return f"{start.year}-{end.year}"


# --------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------


def count_overlap(matrix: sp.spmatrix) -> tuple[sp.coo_matrix, np.ndarray]:
    """Count shared items between every pair of rows: the upper triangle of ``M Mᵀ``.

    Parameters
    ----------
    matrix:
        A 0/1 incidence matrix (rows = projects).

    Returns
    -------
    shared:
        COO matrix of the pairs ``i < j`` with at least one shared item (value = count).
    sizes:
        Number of items per row.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> shared, sizes = count_overlap(sp.csr_matrix([[1, 1, 0], [1, 1, 1], [0, 0, 1]]))
    >>> sorted(zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist()))
    [(0, 1, 2), (1, 2, 1)]
    >>> sizes.tolist()
    [2, 3, 1]
    """
    m = matrix if isinstance(matrix, sp.csr_matrix) else sp.csr_matrix(matrix)
    if m.dtype != np.int32:
        m = m.astype(np.int32)
    product = sp.csr_matrix(m @ m.T)
    # the strict upper triangle straight from the CSR arrays (cheaper than sp.triu)
    rows = np.repeat(np.arange(product.shape[0], dtype=np.int32), np.diff(product.indptr))
    keep = product.indices > rows
    shared = sp.coo_matrix(
        (product.data[keep], (rows[keep], product.indices[keep])), shape=product.shape
    )
    if m.has_canonical_format and (m.data == 1).all():
        sizes = np.diff(m.indptr)  # a canonical 0/1 matrix: stored entries are the items
    else:
        sizes = np.asarray(m.sum(axis=1)).ravel()
    return shared, sizes


@dataclass(frozen=True, slots=True)
class OverlapPair:
    """Two projects and what they share.

    ``score`` is the combined overlap (weighted mean of the per-kind Jaccard similarities);
    ``shared`` holds per kind the number of shared items, ``jaccard`` the similarity and
    ``items`` the shared item IRIs (for time: the overlap in days).
    """

    project1: str
    project2: str
    label1: str
    label2: str
    score: float
    shared: dict[str, int]
    jaccard: dict[str, float]
    items: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class PairCount:
    """Two projects sharing items of one kind (a row of the ``overlap_<kind>`` queries)."""

    project1: str
    project2: str
    label1: str
    label2: str
    shared: int
    size1: int
    size2: int
    jaccard: float


def pair_overlap(data: NetworkData, *, by: OverlapBy | str, min_shared: int = 1) -> list[PairCount]:
    """Pairs of projects sharing items of one kind, as the ``overlap_<by>`` query lists them.

    Returns rows with ``project1 < project2`` (string order), ``shared``, ``size1``,
    ``size2`` and ``jaccard``, sorted like the query (most shared first).

    Raises
    ------
    SotegraphError
        If ``by`` is ``time`` or unknown.
    """
    kind = _by(by)
    if kind is OverlapBy.TIME:
        raise SotegraphError("use project_overlap(by=['time']) for time overlap")
    inc = data.incidences[kind]
    shared, sizes = count_overlap(inc.matrix)
    out: list[PairCount] = []
    for i, j, n in zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist(), strict=True):
        if n < min_shared:
            continue
        a, b = inc.rows[i], inc.rows[j]
        sa, sb = int(sizes[i]), int(sizes[j])
        if b < a:
            a, b, sa, sb = b, a, sb, sa
        out.append(PairCount(a, b, data.label(a), data.label(b), int(n), sa, sb, n / (sa + sb - n)))
    out.sort(key=lambda p: (-p.shared, -p.jaccard, p.project1, p.project2))
    return out


def _time_pairs(
    periods: Mapping[str, tuple[dt.date, dt.date]], candidates: Iterable[tuple[str, str]] | None
) -> dict[tuple[str, str], tuple[int, float]]:
    """Overlap days and interval Jaccard for candidate pairs, or all concurrent pairs."""
    out: dict[tuple[str, str], tuple[int, float]] = {}

    def measure(a: str, b: str) -> None:
        (s1, e1), (s2, e2) = periods[a], periods[b]
        days = (min(e1, e2) - max(s1, s2)).days + 1
        if days > 0:
            union = (max(e1, e2) - min(s1, s2)).days + 1
            out[(a, b) if a < b else (b, a)] = (days, days / union)

    if candidates is not None:
        for a, b in candidates:
            if a in periods and b in periods:
                measure(a, b)
        return out
    # sweep over start dates: every pair whose periods intersect
    order = sorted(periods, key=lambda p: periods[p][0])
    active: list[str] = []
    for p in order:
        start = periods[p][0]
        active = [q for q in active if periods[q][1] >= start]
        for q in active:
            measure(q, p)
        active.append(p)
    return out


def project_overlap(
    data: NetworkData,
    *,
    by: Sequence[OverlapBy | str] = tuple(OverlapBy),
    weights: Mapping[str, float] | None = None,
    top: int | None = None,
    min_score: float = 0.0,
) -> list[OverlapPair]:
    """Rank project pairs by a combined overlap score.

    The score is ``Σ wₖ · Jₖ / Σ wₖ`` over the kinds in ``by``, where ``Jₖ`` is the Jaccard
    similarity of the two projects' partners, places, themes or groups (consortia, networks,
    coordinating projects), or for time the days both run divided by the days either runs.
    Candidate pairs are those sharing at least one partner, place, theme or group; with
    ``by=["time"]`` alone every concurrent pair is a candidate.

    Parameters
    ----------
    data:
        From :func:`load_network_data`.
    by:
        Kinds to combine (default all five: partners, places, themes, groups, time).
    weights:
        Weight per kind (default 1 each); kinds not in ``by`` are ignored.
    top:
        Keep only the ``top`` best pairs.
    min_score:
        Keep only pairs scoring above this.

    Raises
    ------
    SotegraphError
        If a kind is unknown, ``by`` is empty or a weight is negative.

    Examples
    --------
    >>> store = example_store()
    >>> best = project_overlap(load_network_data(store), by=["partners"], top=1)[0]
    >>> best.label1, best.label2, round(best.score, 3)
    ('Eka', 'Toka', 0.667)
    """
    kinds = list(dict.fromkeys(_by(b) for b in by))
    if not kinds:
        raise SotegraphError("project_overlap needs at least one kind to overlap by")
    w = {k: float((weights or {}).get(k.value, 1.0)) for k in kinds}
    if any(v < 0 for v in w.values()):
        raise SotegraphError(f"overlap weights must not be negative: {weights}")
    total = sum(w.values()) or 1.0
    n = len(data.projects)
    index = {p: i for i, p in enumerate(data.projects)}
    counted = [k for k in kinds if k is not OverlapBy.TIME]
    shared_of: dict[OverlapBy, sp.csr_matrix] = {}
    jaccard_of: dict[OverlapBy, sp.csr_matrix] = {}
    score = sp.csr_matrix((n, n), dtype=np.float64)
    for ck in counted:
        inc = data.incidences[ck]
        if inc.rows != data.projects:  # pragma: no cover - load_network_data aligns the rows
            raise SotegraphError(f"the {ck.value} incidence is not aligned with the projects")
        shared, sizes = count_overlap(inc.matrix)
        jac = shared.data / (sizes[shared.row] + sizes[shared.col] - shared.data)
        shared_of[ck] = sp.csr_matrix((shared.data, (shared.row, shared.col)), shape=(n, n))
        jaccard_of[ck] = sp.csr_matrix((jac, (shared.row, shared.col)), shape=(n, n))
        score = score + w[ck] * jaccard_of[ck]
    if counted:
        cand = score.tocoo()
        rows, cols, values = cand.row.astype(np.int64), cand.col.astype(np.int64), cand.data
    else:  # time alone: every concurrent pair
        timed = _time_pairs(data.periods, None)
        rows = np.array([index[a] for a, _ in timed], dtype=np.int64)
        cols = np.array([index[b] for _, b in timed], dtype=np.int64)
        values = np.zeros(len(rows))
    days = np.zeros(len(rows), dtype=np.int64)
    time_jaccard = np.zeros(len(rows))
    if OverlapBy.TIME in kinds and len(rows):
        days, time_jaccard = _time_arrays(data, rows, cols)
        values = values + w[OverlapBy.TIME] * time_jaccard
    values = values / total
    keep = np.flatnonzero(values > min_score)
    # best first; ties by project IRIs (the rows are sorted, and row < column)
    order = keep[np.lexsort((cols[keep], rows[keep], -values[keep]))]
    if top is not None:
        order = order[:top]
    out: list[OverlapPair] = []
    for k in order.tolist():
        i, j = int(rows[k]), int(cols[k])
        a, b = data.projects[i], data.projects[j]
        shared_n: dict[str, int] = {}
        jac_n: dict[str, float] = {}
        items: dict[str, list[str]] = {}
        for kind in kinds:
            if kind is OverlapBy.TIME:
                cnt, jv = int(days[k]), float(time_jaccard[k])
            else:
                cnt, jv = int(shared_of[kind][i, j]), float(jaccard_of[kind][i, j])
            shared_n[kind.value], jac_n[kind.value] = cnt, jv
            if cnt:
                items[kind.value] = (
                    [f"{cnt} days"] if kind is OverlapBy.TIME else _shared_items(data, kind, a, b)
                )
        out.append(
            OverlapPair(
                a, b, data.label(a), data.label(b), float(values[k]), shared_n, jac_n, items
            )
        )
    return out


def _time_arrays(
    data: NetworkData, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Overlap days and interval Jaccard for the pairs ``(rows[k], cols[k])``."""
    n = len(data.projects)
    start = np.full(n, -1, dtype=np.int64)
    end = np.full(n, -2, dtype=np.int64)
    for i, p in enumerate(data.projects):
        if p in data.periods:
            s, e = data.periods[p]
            start[i], end[i] = s.toordinal(), e.toordinal()
    known = (start[rows] >= 0) & (start[cols] >= 0)
    overlap = np.minimum(end[rows], end[cols]) - np.maximum(start[rows], start[cols]) + 1
    union = np.maximum(end[rows], end[cols]) - np.minimum(start[rows], start[cols]) + 1
    ok = known & (overlap > 0)
    days = np.where(ok, overlap, 0)
    jac = np.where(ok, overlap / np.where(union > 0, union, 1), 0.0)
    return days, jac


def _shared_items(data: NetworkData, kind: OverlapBy, a: str, b: str) -> list[str]:
    inc = data.incidences[kind]
    ra = inc.matrix.indices[inc.matrix.indptr[inc.index[a]] : inc.matrix.indptr[inc.index[a] + 1]]
    rb = inc.matrix.indices[inc.matrix.indptr[inc.index[b]] : inc.matrix.indptr[inc.index[b] + 1]]
    return sorted(inc.cols[c] for c in np.intersect1d(ra, rb))


# --------------------------------------------------------------------------------------
# Graphs
# --------------------------------------------------------------------------------------


def _project_node(data: NetworkData, p: str) -> dict[str, Any]:
    a = dict(data.attrs.get(p, {"type": "project"}))
    a["type"] = "project"
    a["label"] = data.label(p)
    a["region"] = [data.label(r) for r in data.regions.get(p, [])]
    a["theme"] = [data.label(t) for t in data.themes.get(p, [])]
    a["group"] = [data.label(g) for g in data.groups.get(p, [])]
    a["documents"] = data.documents.get(p, [])
    a.setdefault("funding", 0.0)
    a.setdefault("period", "")
    return a


def _organisation_nodes(data: NetworkData) -> dict[str, dict[str, Any]]:
    inc = data.incidences[OverlapBy.PARTNERS]
    csc = inc.matrix.tocsc()
    out: dict[str, dict[str, Any]] = {}
    for j, org in enumerate(inc.cols):
        projects = [inc.rows[i] for i in csc.indices[csc.indptr[j] : csc.indptr[j + 1]]]
        a = dict(data.attrs.get(org, {}))
        a["type"] = "organisation"
        a["label"] = data.label(org)
        a["projects"] = len(projects)
        a["region"] = sorted({data.label(r) for p in projects for r in data.regions.get(p, [])})
        a["theme"] = sorted({data.label(t) for p in projects for t in data.themes.get(p, [])})
        a["group"] = sorted({data.label(g) for p in projects for g in data.groups.get(p, [])})
        a["funding"] = float(sum(data.attrs.get(p, {}).get("funding", 0.0) for p in projects))
        spans = [data.periods[p] for p in projects if p in data.periods]
        a["period"] = (
            _period_label(min(s for s, _ in spans), max(e for _, e in spans)) or "" if spans else ""
        )
        a["documents"] = data.documents.get(org, [])
        out[org] = a
    return out


def bipartite_graph(data: NetworkData) -> nx.Graph:
    """The project–organisation graph: an edge for each participation.

    Edge attributes: ``roles`` (lead / partner / collaborator) and ``weight`` = 1.

    Examples
    --------
    >>> store = example_store()
    >>> g = bipartite_graph(load_network_data(store))
    >>> g.number_of_nodes(), g.number_of_edges()
    (6, 6)
    """
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


def coparticipation_graph(data: NetworkData, *, min_weight: int = 1) -> nx.Graph:
    """Organisations linked by the projects they share (``Mᵀ M`` of the partner incidence).

    Edge attributes: ``weight`` (shared projects), ``jaccard`` (shared / either's projects)
    and ``shared`` (the shared projects' labels). Organisations without a partner in any
    project stay as isolated nodes.

    Raises
    ------
    SotegraphError
        If ``min_weight`` is below 1.
    """
    if min_weight < 1:
        raise SotegraphError("min_weight must be at least 1")
    inc = data.incidences[OverlapBy.PARTNERS]
    g = nx.Graph(name="co-participation")
    for org, attrs in _organisation_nodes(data).items():
        g.add_node(org, **attrs)
    mt = inc.matrix.T.tocsr()
    shared, sizes = count_overlap(mt)
    for i, j, n in zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist(), strict=True):
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
) -> nx.Graph:
    """Projects linked by their combined overlap (see :func:`project_overlap`).

    Edge attributes: ``weight`` (the score), per kind ``shared_<kind>`` (count),
    ``jaccard_<kind>`` and ``<kind>`` (the shared items' labels).
    """
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


# --------------------------------------------------------------------------------------
# Analysis
# --------------------------------------------------------------------------------------


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

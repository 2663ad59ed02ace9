"""What the network builders read from the store, selected once: :class:`NetworkData`.

:func:`load_network_data` runs small SELECTs, each over one or two triple patterns (which
projects, who takes part in which role, places, themes, groups, labels, dates, amounts,
sote relevance, provenance), and keeps plain lexical values
(:meth:`~sotegraph.store.Store.select_lexical`); dates and amounts are parsed and the rules
of the named query ``projects`` (the EURA record's end date and status win over a bulk row)
applied here. What is selected follows what the caller needs (``kinds``, ``attributes``):
the co-participation network needs the participations and labels, not the overlap kinds.
Personal data is never read: the queries select projects, organisations, places and themes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

from sotegraph.errors import SotegraphError
from sotegraph.network._selects import ATTRIBUTES, LABELS_SPARQL, PROJECTS_SPARQL, run_selects
from sotegraph.network.matrix import (
    _COUNTED,
    _INCIDENCE_SPARQL,
    SG,
    Incidence,
    OverlapBy,
    StoreSource,
    _by,
    _store_of,
)
from sotegraph.store import Store
from sotegraph.store.base import IriPairs

__all__ = [
    "ATTRIBUTES",
    "RELEVANCE_ORDER",
    "NetworkData",
    "SoteFilter",
    "load_network_data",
    "sote_levels",
]

_SCHEMA = "https://schema.org/"
_FUND_PREFIX = "https://w3id.org/sotegraph/id/fund/"

#: Sote relevance values, most relevant first (the local names of ``sg:soteRelevance*``).
RELEVANCE_ORDER: tuple[str, ...] = ("sote", "borderline", "not")

SoteFilter: TypeAlias = bool | str | Iterable[str] | None
"""Which projects a sote filter keeps: ``None``/``False`` all, ``True`` or ``"sote"`` the sote
projects, a tuple such as ``("sote", "borderline")`` those values."""

_ROLE_SPARQL = {
    role: f"SELECT ?project ?organisation WHERE {{ ?project <{SG}{role}> ?organisation }}"
    for role in ("lead", "partner", "collaborator")
}
_RELEVANCE_SPARQL = (
    f"SELECT ?project ?relevance WHERE {{ ?project <{SG}soteRelevance> ?relevance }}"
)
_ORGS_SPARQL = f"""SELECT ?organisation ?businessId ?orgType WHERE {{
  ?organisation a <{SG}Organisation> .
  OPTIONAL {{ ?organisation <{SG}businessId> ?businessId }}
  OPTIONAL {{ ?organisation <{SG}organisationType> ?orgType }} }}"""
_VALUES_SPARQL = {
    "code": f"SELECT ?project ?value WHERE {{ ?project <{SG}projectCode> ?value }}",
    "funder": f"SELECT ?project ?value WHERE {{ ?project <{SG}funder> ?value }}",
    "period": f"SELECT ?project ?value WHERE {{ ?project <{SG}programmePeriod> ?value }}",
    "start": f"SELECT ?project ?value WHERE {{ ?project <{_SCHEMA}startDate> ?value }}",
    "granted": f"SELECT ?project ?value WHERE {{ ?project <{SG}grantedEUStateFunding> ?value }}",
    "planned": f"SELECT ?project ?value WHERE {{ ?project <{SG}plannedPublicFunding> ?value }}",
    "joint": f"SELECT ?project ?value WHERE {{ ?project <{SG}jointProject> ?value }}",
}
# end date and status per document, to let the EURA record's values win (as ``projects.rq``)
_BY_DOCUMENT_SPARQL = {
    "end": f"SELECT ?project ?value ?doc WHERE {{ GRAPH ?doc {{ ?project <{_SCHEMA}endDate> ?value }} }}",
    "status": f"SELECT ?project ?value ?doc WHERE {{ GRAPH ?doc {{ ?project <{SG}status> ?value }} }}",
}
_GENRES_SPARQL = f"SELECT ?doc ?genre WHERE {{ GRAPH ?doc {{ ?doc <{SG}genre> ?genre }} }}"
_PREFERRED_GENRE = "eura-record"
_STATED_SPARQL = f"SELECT ?project ?area WHERE {{ ?project <{SG}targetArea> ?area }}"
_INFERRED_SPARQL = f"""SELECT ?project ?area ?basis WHERE {{
  ?project <{SG}inferredArea> ?inference . ?inference <{SG}area> ?area .
  OPTIONAL {{ ?inference <{SG}areaBasis> ?basis }} }}"""
_AREA_KINDS = ("Municipality", "SubRegion", "Region", "WellbeingCounty")
_AREA_TYPES_SPARQL = f"""SELECT ?area ?type WHERE {{
  VALUES ?type {{ {" ".join(f"<{SG}{k}>" for k in _AREA_KINDS)} }} ?area a ?type }}"""
_AREA_LINKS_SPARQL = f"""SELECT ?area ?link ?target WHERE {{
  VALUES ?link {{ <{SG}inRegion> <{SG}inWellbeingCounty> <{SG}inSubRegion>
                 <http://purl.org/dc/terms/isReplacedBy> }}
  ?area ?link ?target }}"""
_DERIVED_SPARQL = """SELECT ?s ?doc WHERE { ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc }"""
_SOURCES_SPARQL = """SELECT ?doc ?source WHERE { ?doc <http://purl.org/dc/terms/source> ?source }"""


def _select(store: Store, sparql: str) -> list[list[str | None]]:
    """Rows of plain strings in projection order (IRI or literal lexical form; ``None`` unbound)."""
    return [list(row.values()) for row in store.select_lexical(sparql)]


def sote_levels(sote: SoteFilter) -> frozenset[str] | None:
    """The relevance values a sote filter keeps (``None``: every project).

    Raises
    ------
    SotegraphError
        If a value is not one of ``sote``, ``borderline``, ``not``.

    Examples
    --------
    >>> sote_levels(None) is None, sorted(sote_levels(True))
    (True, ['sote'])
    >>> sorted(sote_levels(("sote", "Borderline")))
    ['borderline', 'sote']
    """
    if sote is None or sote is False:
        return None
    if sote is True:
        return frozenset({"sote"})
    values = [sote] if isinstance(sote, str) else list(sote)
    levels = frozenset(str(v).strip().lower() for v in values)
    bad = sorted(levels - set(RELEVANCE_ORDER))
    if bad or not levels:
        raise SotegraphError(
            f"sote filter {sote!r}: use True or values of {', '.join(RELEVANCE_ORDER)}"
        )
    return levels


def _relevance_name(iri: str) -> str | None:
    """``…#soteRelevanceBorderline`` → ``borderline``."""
    tail = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    name = tail.removeprefix("soteRelevance").lower()
    return name if name in RELEVANCE_ORDER else None


@dataclass(slots=True)
class NetworkData:
    """Everything the network builders need, selected from the store once.

    Attributes
    ----------
    projects:
        Project IRIs, sorted (the row order of every incidence matrix).
    incidences:
        One :class:`Incidence` per selected :class:`OverlapBy` except time (partners always).
    roles:
        ``(project, organisation) -> sorted role names`` (lead, partner, collaborator).
    labels:
        Finnish preferred labels of every resource that has one.
    attrs:
        Per-node attributes (projects: code, fund, period, start, end, status, funding,
        joint_project, sote_relevance …; organisations: business id, type).
    regions, counties:
        Per project: region and wellbeing-county IRIs on today's map, from its stated target
        areas and its inferred areas (``sg:inferredArea``).
    area_basis:
        Per project: what its areas rest on (``stated``, ``authority``, ``implementer``).
    themes, groups:
        Per project: theme IRIs, consortium/network IRIs.
    documents:
        Per resource: source file names of the documents that state it.
    periods:
        Per project: ``(start, end)`` dates where known (a year-only date spans the year).
    relevance:
        Per project: ``sote``, ``borderline`` or ``not`` where the store says.
    selected:
        The attribute groups that were selected (see :data:`ATTRIBUTES`).
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
    counties: dict[str, list[str]] = field(default_factory=dict)
    area_basis: dict[str, list[str]] = field(default_factory=dict)
    relevance: dict[str, str] = field(default_factory=dict)
    selected: frozenset[str] = frozenset(ATTRIBUTES)

    def label(self, iri: str) -> str:
        """The Finnish label of ``iri``, else the last part of the IRI."""
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]

    @property
    def organisations(self) -> list[str]:
        """Organisation IRIs (the columns of the partners incidence)."""
        return self.incidences[OverlapBy.PARTNERS].cols

    def with_sote(self, sote: SoteFilter) -> NetworkData:
        """The data of the projects of these sote relevance values (:func:`sote_levels`).

        Raises
        ------
        SotegraphError
            If the sote relevance was not selected (``attributes`` without ``sote``) or a
            value is unknown.

        Examples
        --------
        >>> from sotegraph.network import example_store
        >>> load_network_data(example_store()).with_sote(True).projects
        []
        """
        levels = sote_levels(sote)
        if levels is None:
            return self
        if "sote" not in self.selected:
            raise SotegraphError(
                "the sote relevance was not selected: load_network_data(attributes=[..., 'sote'])"
            )
        return self.restrict(lambda p: self.relevance.get(p) in levels)

    def restrict(self, keep: Callable[[str], bool] | Iterable[str]) -> NetworkData:
        """The same data for a subset of the projects (organisations only in others drop out).

        Parameters
        ----------
        keep:
            The projects to keep, or a predicate on project IRIs.

        Examples
        --------
        >>> from sotegraph.network import example_store
        >>> data = load_network_data(example_store())
        >>> small = data.restrict(lambda p: data.label(p) != "Kolmas")
        >>> [small.label(p) for p in small.projects], len(small.organisations)
        (['Eka', 'Toka'], 3)
        """
        if callable(keep):
            kept = [p for p in self.projects if keep(p)]
        else:
            wanted = set(keep)
            kept = [p for p in self.projects if p in wanted]
        if kept == self.projects:
            return self
        ks = set(kept)
        return replace(
            self,
            projects=kept,
            incidences={by: inc.take_rows(kept) for by, inc in self.incidences.items()},
            roles={k: v for k, v in self.roles.items() if k[0] in ks},
        )


def load_network_data(
    source: StoreSource,
    *,
    kinds: Iterable[OverlapBy | str] | None = None,
    attributes: bool | Iterable[str] = True,
    sote: SoteFilter = None,
) -> NetworkData:
    """Select projects, participations, places, themes, labels and attributes from the store.

    Project attributes follow the named query ``projects`` (the EURA record's end date and
    status win over an older bulk row), read with one small SELECT per property.

    Parameters
    ----------
    source:
        A store, or an object holding one in ``.store`` (a knowledge graph).
    kinds:
        The incidences to select (default: partners, places, themes and groups); the partners
        are always selected, ``time`` selects the project dates.
    attributes:
        ``True`` (default) every group of :data:`ATTRIBUTES`, ``False`` none (labels only),
        or the groups wanted, e.g. ``["project", "sote"]``.
    sote:
        Keep only projects of these sote relevance values (:func:`sote_levels`): ``True``
        or ``"sote"``, or e.g. ``("sote", "borderline")``. A project that documents classify
        differently counts with its most relevant value.

    Raises
    ------
    QueryError
        If a query fails on the store.
    SotegraphError
        If a kind, an attribute group or a sote value is unknown.

    Examples
    --------
    >>> from sotegraph.network import example_store
    >>> data = load_network_data(example_store(), kinds=["partners"], attributes=False)
    >>> sorted(data.incidences), len(data.organisations)
    ([<OverlapBy.PARTNERS: 'partners'>], 3)
    """
    store = _store_of(source)
    wanted_kinds: list[OverlapBy] = [OverlapBy.PARTNERS]
    for k in _COUNTED if kinds is None else kinds:
        kind = _by(k)
        if kind not in wanted_kinds:
            wanted_kinds.append(kind)
    if attributes is True:
        groups = set(ATTRIBUTES)
    elif attributes is False:
        groups = set()
    else:
        groups = {str(a).strip().lower() for a in attributes}
        bad = sorted(groups - set(ATTRIBUTES))
        if bad:
            raise SotegraphError(
                f"unknown network attributes {', '.join(bad)}; valid: {', '.join(ATTRIBUTES)}"
            )
    levels = sote_levels(sote)
    if OverlapBy.TIME in wanted_kinds:
        groups.add("project")
    if levels is not None:
        groups.add("sote")
    incidence_kinds: list[OverlapBy] = [k for k in wanted_kinds if k is not OverlapBy.TIME]
    if "themes" in groups and OverlapBy.THEMES not in incidence_kinds:
        incidence_kinds.append(OverlapBy.THEMES)
    if "groups" in groups and OverlapBy.GROUPS not in incidence_kinds:
        incidence_kinds.append(OverlapBy.GROUPS)

    jobs: dict[str, Callable[[], Any]] = {
        "projects": lambda: _select(store, PROJECTS_SPARQL),
        "labels": lambda: _select(store, LABELS_SPARQL),
    }
    for kind in incidence_kinds:
        jobs[f"incidence:{kind.value}"] = _pairs_job(store, _INCIDENCE_SPARQL[kind])
    if "sote" in groups:
        jobs["relevance"] = _pairs_job(store, _RELEVANCE_SPARQL)
    if "project" in groups:
        for name, sparql in _VALUES_SPARQL.items():
            jobs[f"value:{name}"] = _rows_job(store, sparql)
        for name, sparql in _BY_DOCUMENT_SPARQL.items():
            jobs[f"doc:{name}"] = _rows_job(store, sparql)
        jobs["genres"] = _rows_job(store, _GENRES_SPARQL)
    if "project" in groups or "roles" in groups:
        for role, sparql in _ROLE_SPARQL.items():
            jobs[f"role:{role}"] = _pairs_job(store, sparql)
    if "organisation" in groups:
        jobs["orgs"] = _rows_job(store, _ORGS_SPARQL)
    if "areas" in groups:
        jobs["stated"] = _pairs_job(store, _STATED_SPARQL)
        jobs["inferred"] = _rows_job(store, _INFERRED_SPARQL)
        jobs["area_types"] = _pairs_job(store, _AREA_TYPES_SPARQL)
        jobs["area_links"] = _rows_job(store, _AREA_LINKS_SPARQL)
    if "documents" in groups:
        jobs["derived"] = _pairs_job(store, _DERIVED_SPARQL)
        jobs["sources"] = _rows_job(store, _SOURCES_SPARQL)
    got = run_selects(store, jobs)

    relevance = _relevance(got.get("relevance"))
    projects = sorted({r[0] for r in got["projects"] if r[0]})
    if levels is not None:
        projects = [p for p in projects if relevance.get(p) in levels]
    keep = set(projects)
    relevance = {p: v for p, v in relevance.items() if p in keep}
    incidences = {
        kind: Incidence.from_iri_pairs(got[f"incidence:{kind.value}"], rows=projects)
        for kind in incidence_kinds
    }
    labels: dict[str, str] = {}
    for s, label in got["labels"]:
        if s and label and (s not in labels or label < labels[s]):
            labels[s] = label
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for role in ("lead", "partner", "collaborator"):
        pairs = got.get(f"role:{role}")
        if pairs is not None:
            for p, o in pairs.pairs():
                if p in keep:
                    roles[(p, o)].add(role)
    attrs: dict[str, dict[str, Any]] = {p: {"type": "project"} for p in projects}
    periods: dict[str, tuple[dt.date, dt.date]] = {}
    if "project" in groups:
        periods = _project_attributes(got, keep, attrs, roles, labels)
    for p, value in relevance.items():
        attrs[p]["sote_relevance"] = value
    for org, bid, otype in got.get("orgs", []):
        if org:
            a = attrs.setdefault(org, {"type": "organisation"})
            a["type"] = "organisation"
            if bid and (bid < a.get("business_id", "\uffff")):
                a["business_id"] = bid
            if otype and (otype < a.get("organisation_type", "\uffff")):
                a["organisation_type"] = otype
    regions: dict[str, list[str]] = {}
    counties: dict[str, list[str]] = {}
    basis: dict[str, list[str]] = {}
    if "areas" in groups:
        regions, counties, basis = _areas(got, keep)
    return NetworkData(
        projects=projects,
        incidences=incidences,
        roles={k: sorted(v) for k, v in roles.items()},
        labels=labels,
        attrs=attrs,
        regions=regions,
        themes=_incidence_map(incidences.get(OverlapBy.THEMES)) if "themes" in groups else {},
        groups=_incidence_map(incidences.get(OverlapBy.GROUPS)) if "groups" in groups else {},
        documents=_documents(got.get("derived"), got.get("sources", [])),
        periods=periods,
        counties=counties,
        area_basis=basis,
        relevance=relevance,
        selected=frozenset(groups),
    )


def _pairs_job(store: Store, sparql: str) -> Callable[[], IriPairs]:
    return lambda: store.select_iri_pairs(sparql)


def _rows_job(store: Store, sparql: str) -> Callable[[], list[list[str | None]]]:
    return lambda: _select(store, sparql)


def _relevance(pairs: IriPairs | None) -> dict[str, str]:
    """Project → its most relevant value (documents may classify a project differently)."""
    out: dict[str, str] = {}
    if pairs is None:
        return out
    rank = {v: i for i, v in enumerate(RELEVANCE_ORDER)}
    for p, iri in pairs.pairs():
        value = _relevance_name(iri)
        if value is not None and (p not in out or rank[value] < rank[out[p]]):
            out[p] = value
    return out


def _documents(derived: IriPairs | None, sources: list[list[str | None]]) -> dict[str, list[str]]:
    """Resource → the file names of the documents it was derived from."""
    if derived is None:
        return {}
    source = {d: f for d, f in sources if d and f}
    names = [source.get(d) for d in derived.right]
    out: dict[str, set[str]] = defaultdict(set)
    for i, j in zip(derived.left_codes, derived.right_codes, strict=True):
        name = names[j]
        if name is not None:
            out[derived.left[i]].add(name)
    return {k: sorted(v) for k, v in out.items()}


def _incidence_map(inc: Incidence | None) -> dict[str, list[str]]:
    """Project → its items (sorted), from an incidence matrix."""
    if inc is None:
        return {}
    m = inc.matrix
    out: dict[str, list[str]] = {}
    for i, p in enumerate(inc.rows):
        cols = m.indices[m.indptr[i] : m.indptr[i + 1]]
        if len(cols):
            out[p] = sorted(inc.cols[c] for c in cols)
    return out


def _first(
    rows: Iterable[Sequence[str | None]], keep: set[str], *, key: Callable[[str], Any] = str
) -> dict[str, str]:
    """Project → its least value by ``key`` (ties by the text)."""
    out: dict[str, str] = {}
    for row in rows:
        p, v = row[0], row[1]
        if p in keep and v is not None and (p not in out or (key(v), v) < (key(out[p]), out[p])):
            out[p] = v
    return out


def _preferred(
    rows: Iterable[Sequence[str | None]],
    genres: Mapping[str, str],
    keep: set[str],
    pick: Callable[[list[str]], str],
) -> dict[str, str]:
    """Project → ``pick`` over the values stated by EURA records, else over all its values."""
    preferred: dict[str, list[str]] = defaultdict(list)
    every: dict[str, list[str]] = defaultdict(list)
    for p, v, doc in rows:
        if p in keep and v is not None:
            every[p].append(v)
            if doc is not None and genres.get(doc) == _PREFERRED_GENRE:
                preferred[p].append(v)
    return {p: pick(preferred.get(p) or values) for p, values in every.items()}


def _project_attributes(
    got: Mapping[str, Any],
    keep: set[str],
    attrs: dict[str, dict[str, Any]],
    roles: Mapping[tuple[str, str], set[str]],
    labels: Mapping[str, str],
) -> dict[str, tuple[dt.date, dt.date]]:
    """Fill the project attributes in ``attrs``; return the periods."""
    genres = {d: g for d, g in got["genres"] if d and g}
    code = _first(got["value:code"], keep)
    fund = _first(
        ((p, f) for p, f in got["value:funder"] if f and f.startswith(_FUND_PREFIX)), keep
    )
    period = _first(got["value:period"], keep)
    start = _first(got["value:start"], keep, key=lambda v: _as_date(v, end=False) or dt.date.max)
    granted = _maximum(got["value:granted"], keep)
    planned = _maximum(got["value:planned"], keep)
    joint = _first(got["value:joint"], keep)
    end = _preferred(
        got["doc:end"], genres, keep, lambda vs: max(vs, key=lambda v: (_end_key(v), v))
    )
    status = _preferred(got["doc:status"], genres, keep, min)
    leads: dict[str, str] = {}
    for (p, o), rs in roles.items():
        if "lead" in rs and (p not in leads or o < leads[p]):
            leads[p] = o
    periods: dict[str, tuple[dt.date, dt.date]] = {}
    for p in keep:
        s, e = _date_range(start.get(p), end.get(p))
        if s and e:
            periods[p] = (s, e)
        lead = leads.get(p)
        attrs[p].update(
            _clean(
                {
                    "code": code.get(p),
                    "fund": _tail(fund.get(p)),
                    "programme_period": _tail(period.get(p)),
                    "lead": lead,
                    "lead_label": labels.get(lead) if lead else None,
                    "start": start.get(p),
                    "end": end.get(p),
                    "status": status.get(p),
                    "funding": granted.get(p),
                    "planned_public_funding": planned.get(p),
                    "joint_project": {"true": True, "1": True, "false": False, "0": False}.get(
                        joint.get(p, "").strip().lower()
                    ),
                    "period": _period_label(s, e),
                }
            )
        )
    return periods


def _end_key(value: str) -> dt.date:
    return _as_date(value, end=True) or dt.date.min


def _maximum(rows: Iterable[Sequence[str | None]], keep: set[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for p, v in rows:
        x = _float(v)
        if p in keep and x is not None and (p not in out or x > out[p]):
            out[p] = x
    return out


def _areas(
    got: Mapping[str, Any], keep: set[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """Per project: regions and wellbeing counties on today's map, and the bases of its areas.

    An area counts as ``queries/county_coverage.rq`` counts it with ``map=today``: a county
    is itself, a municipality lies in its county, a sub-region in the counties of its
    municipalities, a region holds the counties in it; a municipality merged since follows its
    successor (``dcterms:isReplacedBy``).
    """
    kinds: dict[str, str] = {}
    for area, t in got["area_types"].pairs():
        kinds[area] = t.rsplit("#", 1)[-1]
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for area, link, target in got["area_links"]:
        if area in kinds and link and target:
            links[link.rsplit("#", 1)[-1].rsplit("/", 1)[-1]][area].add(target)
    in_region, in_county = links["inRegion"], links["inWellbeingCounty"]
    replaced, in_subregion = links["isReplacedBy"], links["inSubRegion"]
    counties_of_region: dict[str, set[str]] = defaultdict(set)
    counties_of_subregion: dict[str, set[str]] = defaultdict(set)
    for a, kind in kinds.items():
        if kind == "WellbeingCounty":
            for r in in_region.get(a, ()):
                counties_of_region[r].add(a)
        elif kind == "Municipality":
            for sr in in_subregion.get(a, ()):
                counties_of_subregion[sr] |= in_county.get(a, set())

    def today(area: str, links_of: Mapping[str, set[str]]) -> set[str]:
        seen = {area}
        todo = [area]
        while todo:  # follow mergers to a municipality that has the link
            a = todo.pop()
            if links_of.get(a):
                return set(links_of[a])
            for nxt in replaced.get(a, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return set()

    cache: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def resolve(area: str) -> tuple[frozenset[str], frozenset[str]]:
        if area not in cache:
            kind = kinds.get(area)
            if kind == "Region":
                regions, counties = {area}, counties_of_region.get(area, set())
            elif kind == "WellbeingCounty":
                regions, counties = set(in_region.get(area, ())), {area}
            elif kind == "SubRegion":
                regions, counties = set(in_region.get(area, ())), counties_of_subregion[area]
            elif kind == "Municipality":
                regions, counties = today(area, in_region), today(area, in_county)
            else:
                regions, counties = set(), set()
            cache[area] = (frozenset(regions), frozenset(counties))
        return cache[area]

    region_out: dict[str, set[str]] = defaultdict(set)
    county_out: dict[str, set[str]] = defaultdict(set)
    basis_out: dict[str, set[str]] = defaultdict(set)

    def add(p: str, area: str, basis: str) -> None:
        regions, counties = resolve(area)
        region_out[p] |= regions
        county_out[p] |= counties
        basis_out[p].add(basis)

    for p, area in got["stated"].pairs():
        if p in keep:
            add(p, area, "stated")
    for p, area, basis in got["inferred"]:
        if p in keep and area:
            name = (basis or "").rsplit("#", 1)[-1].removeprefix("areaBasis").lower()
            add(p, area, name or "inferred")
    return (
        {p: sorted(v) for p, v in region_out.items() if v},
        {p: sorted(v) for p, v in county_out.items() if v},
        {p: sorted(v) for p, v in basis_out.items()},
    )


def _clean(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != ""}


def _float(value: str | None) -> float | None:
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def _tail(iri: Any) -> str | None:
    return None if iri is None else str(iri).rstrip("/").rsplit("/", 1)[-1]


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

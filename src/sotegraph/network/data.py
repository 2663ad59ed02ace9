"""What the network builders read from the store, selected once: :class:`NetworkData`.

:func:`load_network_data` runs a handful of SELECTs (projects with their attributes,
participations and roles, places, themes, groups, labels, provenance) and keeps plain
lexical values (:meth:`~sotegraph.store.Store.select_lexical`); dates and amounts are parsed
here. Personal data is never read: the queries select projects, organisations, places and
themes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sotegraph.network.matrix import (
    _COUNTED,
    _INCIDENCE_SPARQL,
    SG,
    Incidence,
    OverlapBy,
    StoreSource,
    _store_of,
)
from sotegraph.store import Store, bind_values

__all__ = ["NetworkData", "load_network_data"]

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


def _select(store: Store, sparql: str) -> list[list[str | None]]:
    """Rows of plain strings in projection order (IRI or literal lexical form; ``None`` unbound)."""
    return [list(row.values()) for row in store.select_lexical(sparql)]


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


def load_network_data(source: StoreSource) -> NetworkData:
    """Select projects, participations, places, themes, labels and provenance from the store.

    Project attributes come from the named query ``projects`` (so the EURA record's end date
    and status win over an older bulk row).

    Parameters
    ----------
    source:
        A store, or an object holding one in ``.store`` (a knowledge graph).

    Raises
    ------
    QueryError
        If a query fails on the store.
    """
    from sotegraph.queries import load_query

    store = _store_of(source)
    named = load_query("projects")
    projects_sparql = bind_values(named.text, named.bindings({}))

    def the_rest() -> dict[str, Any]:
        return {
            "incidence": {by: store.select_iri_pairs(_INCIDENCE_SPARQL[by]) for by in _COUNTED},
            "roles": _select(store, _ROLES_SPARQL),
            "labels": _select(store, _LABELS_SPARQL),
            "orgs": _select(store, _ORGS_SPARQL),
            "regions": _select(store, _REGIONS_SPARQL),
            "themes": _select(store, _INCIDENCE_SPARQL[OverlapBy.THEMES]),
            "groups": _select(store, _GROUPS_SPARQL),
            "documents": _select(store, _DOCUMENTS_SPARQL),
        }

    if store.embedded:
        # the projects query (the slowest) runs beside the others: an embedded store (Oxigraph)
        # releases the GIL while it evaluates, so the two use both cores (3.7 s -> 2.4 s on
        # the bulk lists)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sotegraph-query") as pool:
            pending = pool.submit(store.select_lexical, projects_sparql)
            rest = the_rest()
            project_rows = pending.result()
    else:
        project_rows = store.select_lexical(projects_sparql)
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
    incidences = {
        by: Incidence.from_iri_pairs(pairs, rows=projects)
        for by, pairs in rest["incidence"].items()
    }
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

"""A choropleth map of projects and funding by area, as one self-contained HTML page.

:func:`map_data` asks the store (SPARQL) for every project's year, programme period, fund,
sote relevance and granted / realised EU and state funding, and for the areas each project
targets (``sg:targetArea``, basis *stated*) or has inferred (``sg:inferredArea``, basis
*authority* or *implementer* from ``sg:areaBasis``), placed by today's map on one of three
levels:

``county``
    The 21 wellbeing services counties, plus the City of Helsinki and Åland as areas of their
    own: neither is a county (Helsinki organises its own social and health services, Åland is
    outside the reform). A project of a region counts in every county (and in Helsinki) of the
    region, as in ``queries/county_coverage.rq``.
``region``
    The 19 regions (maakunnat), as in ``queries/funding_by_region.rq`` with ``map=today``.
``municipality``
    The 309 municipalities of 2023, for projects whose area is a municipality (a merged
    municipality counts in its successor).

Each project counts once per area, with the firmest basis it has there (stated before
authority before implementer); a project of several areas counts fully in each, so sums
over areas are no national totals. The page (:func:`map_html`, :func:`write_map`) holds all
three levels and draws them with d3-geo (vendored in ``sotegraph/view/``, inlined); its
controls switch the level, the measure (projects, granted, realised), the programme period,
the start year, sote-only and whether inferred areas count, without fetching anything.

Boundaries: ``data/boundaries/`` (National Land Survey of Finland, CC BY 4.0; see its
``SOURCE.md``).

Examples
--------
>>> from sotegraph.store import open_store
>>> page = map_html(open_store(), title="Tyhjä kartta")
>>> page.count("<script") == page.count("</script>")
True
>>> "Content-Security-Policy" in page and "http://" not in page.split("<script", 1)[0]
True
"""

from __future__ import annotations

import enum
import html
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources as _ir
from pathlib import Path
from typing import Any

from sotegraph import resources
from sotegraph.errors import QueryError, StoreError, UsageError
from sotegraph.export import _replacing, _script_json
from sotegraph.store import Store

__all__ = [
    "ATTRIBUTION",
    "Level",
    "MapData",
    "Measure",
    "boundaries",
    "map_data",
    "map_html",
    "map_payload",
    "project_areas",
    "project_facts",
    "write_map",
]

ATTRIBUTION = (
    "Rajat / Boundaries: National Land Survey of Finland, Administrative borders 2023 "
    "(CC BY 4.0), converted by samilaine/hallinnollisetrajat (CC BY 4.0); maakunnat ja "
    "hyvinvointialueet kuntien yhdisteinä Tilastokeskuksen kuntaavaimella / regions and "
    "wellbeing counties dissolved from municipalities by the Statistics Finland key (CC BY 4.0)."
)

_SG = "https://w3id.org/sotegraph/ontology#"
_ID = "https://w3id.org/sotegraph/id/"
BASES = ("stated", "authority", "implementer")
"""The bases of an area, firmest first (``sg:areaBasisStated`` / ``Authority`` /
``Implementer``)."""
RELEVANCES = ("sote", "borderline", "not", "unknown")


class Level(enum.StrEnum):
    """The areas a map is drawn by."""

    COUNTY = "county"
    """Wellbeing services counties, with Helsinki and Åland as areas of their own."""
    REGION = "region"
    MUNICIPALITY = "municipality"


class Measure(enum.StrEnum):
    """What the colour of an area shows."""

    PROJECTS = "projects"
    GRANTED = "granted"
    """Granted EU and state funding (euros)."""
    REALISED = "realised"
    """Realised EU and state funding (euros)."""


_BOUNDARY_FILES = {
    Level.COUNTY: "wellbeing_areas.json",
    Level.REGION: "regions.json",
    Level.MUNICIPALITY: "municipalities.json",
}

_PREFIXES = f"""PREFIX sg: <{_SG}>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# one row per project: its facts (the larger amount and the earliest start where documents
# disagree, as in queries/funding_by_fund.rq)
_PROJECTS_QUERY = (
    _PREFIXES
    + """
SELECT ?project (SAMPLE(?pp) AS ?period) (SAMPLE(?f) AS ?fund) (SAMPLE(?rel) AS ?relevance)
       (MIN(xsd:integer(SUBSTR(STR(?start), 1, 4))) AS ?year)
       (MAX(?g0) AS ?granted) (MAX(?r0) AS ?realised)
WHERE {
  ?project a sg:Project .
  OPTIONAL { ?project sg:programmePeriod ?pp }
  OPTIONAL { ?project sg:funder ?f FILTER(STRSTARTS(STR(?f), "https://w3id.org/sotegraph/id/fund/")) }
  OPTIONAL { ?project sg:soteRelevance ?rel }
  OPTIONAL { ?project schema:startDate ?start }
  OPTIONAL { ?project sg:grantedEUStateFunding ?g }
  OPTIONAL { ?project sg:realisedEUStateFunding ?r }
  BIND(COALESCE(?g, 0) AS ?g0)
  BIND(COALESCE(?r, 0) AS ?r0)
}
GROUP BY ?project
"""
)

# one row per project and unit of a level, with the firmest basis (0 stated, 1 authority,
# 2 implementer); {UNITS} maps ?area to ?unit on today's map
_AREAS_QUERY = (
    _PREFIXES
    + """
SELECT ?project ?unit (MIN(?b) AS ?basis)
WHERE {
  {
    # a sub-select, evaluated once: joined row by row, Oxigraph would scan every project
    # for each area of the level
    SELECT ?project ?area ?b
    WHERE {
      {
        ?project a sg:Project ; sg:targetArea ?area . BIND(0 AS ?b)
      } UNION {
        ?project a sg:Project ; sg:inferredArea ?inference . ?inference sg:area ?area .
        OPTIONAL { ?inference sg:areaBasis ?kind }
        BIND(IF(COALESCE(?kind = sg:areaBasisAuthority, false), 1, 2) AS ?b)
      }
    }
  }
  {UNITS}
}
GROUP BY ?project ?unit
"""
)

_UNITS = {
    # counties; a municipality without a county (Helsinki, Åland) stands for itself
    Level.COUNTY: """
  {
    ?area a sg:WellbeingCounty . BIND(?area AS ?unit)
  } UNION {
    ?area a sg:Municipality ; sg:inWellbeingCounty ?unit .
  } UNION {
    # Helsinki, Åland, and a merged municipality (placed by its successor)
    ?area a sg:Municipality .
    FILTER NOT EXISTS { ?area sg:inWellbeingCounty ?c }
    BIND(?area AS ?unit)
  } UNION {
    ?area a sg:SubRegion . ?unit a sg:WellbeingCounty .
    FILTER EXISTS { ?m sg:inSubRegion ?area ; sg:inWellbeingCounty ?unit ; a sg:Municipality }
  } UNION {
    ?area a sg:SubRegion . ?unit sg:inSubRegion ?area ; a sg:Municipality .
    FILTER NOT EXISTS { ?unit sg:inWellbeingCounty ?c }
  } UNION {
    ?area a sg:Region . ?unit a sg:WellbeingCounty ; sg:inRegion ?area .
  } UNION {
    ?area a sg:Region . ?unit a sg:Municipality ; sg:inRegion ?area .
    FILTER NOT EXISTS { ?unit sg:inWellbeingCounty ?c }
  }""",
    Level.REGION: """
  {
    ?area a sg:Region . BIND(?area AS ?unit)
  } UNION {
    ?area a ?kind ; sg:inRegion ?unit .
    FILTER(?kind IN (sg:Municipality, sg:SubRegion, sg:WellbeingCounty))
  } UNION {
    # a merged municipality, placed by its successor
    ?area a sg:Municipality . FILTER NOT EXISTS { ?area sg:inRegion ?r } BIND(?area AS ?unit)
  }""",
    # any municipality; a merged one is moved to its successor by _feature_code
    Level.MUNICIPALITY: """
  ?area a sg:Municipality . BIND(?area AS ?unit)""",
}


@dataclass(frozen=True, slots=True)
class MapData:
    """What a map page shows: boundaries and aggregated rows per level.

    ``rows[level]`` holds one list per area, year, period, basis and relevance:
    ``[code, year, period, basis, relevance, projects, granted, realised]`` (``year`` and
    ``period`` ``None`` where unknown). Each project is in one row per area, so the rows of
    one area add up; ``unplaced[level]`` is the same for projects with no area on that level
    (code ``None``).
    """

    rows: dict[str, list[list[Any]]]
    unplaced: dict[str, list[list[Any]]]
    names: dict[str, dict[str, str]]
    projects: int
    by_project: list[dict[str, Any]] = field(repr=False, default_factory=list)

    def totals(
        self,
        level: Level | str,
        *,
        period: str | None = None,
        year: int | None = None,
        sote_only: bool = False,
        inferred: bool = True,
    ) -> dict[str, dict[str, float]]:
        """Sum the rows of ``level`` per area code: ``{"projects", "granted", "realised"}``.

        Examples
        --------
        >>> data = MapData(rows={"region": [["01", 2020, "2014-2020", "stated", "sote", 2, 10.0, 5.0],
        ...                                 ["01", 2019, "2014-2020", "authority", "not", 1, 1.0, 0.0]]},
        ...                unplaced={}, names={}, projects=3)
        >>> data.totals("region")["01"]
        {'projects': 3, 'granted': 11.0, 'realised': 5.0}
        >>> data.totals("region", sote_only=True, inferred=False)["01"]["projects"]
        2
        """
        out: dict[str, dict[str, float]] = {}
        for code, y, p, basis, rel, n, granted, realised in self.rows.get(str(level), []):
            if period and p != period:
                continue
            if year is not None and y != year:
                continue
            if sote_only and rel != "sote":
                continue
            if not inferred and basis != "stated":
                continue
            total = out.setdefault(code, {"projects": 0, "granted": 0.0, "realised": 0.0})
            total["projects"] += n
            total["granted"] += granted
            total["realised"] += realised
        return out


def _local(iri: Any) -> str | None:
    if iri is None:
        return None
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


_RELEVANCE = {
    f"{_SG}soteRelevanceSote": "sote",
    f"{_SG}soteRelevanceBorderline": "borderline",
    f"{_SG}soteRelevanceNot": "not",
}


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    v = value.toPython() if hasattr(value, "toPython") else value
    if isinstance(v, Decimal | int | float):
        return float(v)
    try:
        return float(str(v))
    except ValueError:
        return 0.0


def _int(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


@cache
def _municipality_key() -> dict[str, tuple[str, str]]:
    """Municipality code → (region, wellbeing area) of the 2023 key (the map's year); the
    wellbeing area is a county code, ``90`` (Helsinki) or ``91`` (Åland)."""
    import csv
    import io

    text = resources.data_file("regions", "municipalities.csv").read_text(encoding="utf-8")
    return {
        r["code"]: (r["region"], r["wellbeing_area"])
        for r in csv.DictReader(io.StringIO(text))
        if int(r["first_year"]) <= 2023 <= int(r["last_year"])
    }


@cache
def _municipalities_on_map() -> tuple[frozenset[str], dict[str, str]]:
    """The municipality codes of the map (2023) and abolished → successor (mergers.csv)."""
    import csv
    import io

    text = resources.data_file("regions", "mergers.csv").read_text(encoding="utf-8")
    successors = {r["abolished"]: r["successor"] for r in csv.DictReader(io.StringIO(text))}
    return frozenset(_municipality_key()), successors


@cache
def boundaries(level: Level | str) -> dict[str, Any]:
    """The GeoJSON FeatureCollection of ``level`` (``data/boundaries/``), as shipped.

    Raises
    ------
    UsageError
        If ``level`` is not a :class:`Level`.

    Examples
    --------
    >>> len(boundaries("county")["features"]), len(boundaries("municipality")["features"])
    (23, 309)
    """
    lvl = _level(level)
    text = resources.data_file("boundaries", _BOUNDARY_FILES[lvl]).read_text(encoding="utf-8")
    return dict(json.loads(text))


def _level(level: Level | str) -> Level:
    try:
        return Level(str(level).strip().lower())
    except ValueError:
        valid = ", ".join(lv.value for lv in Level)
        raise UsageError(f"unknown map level {level!r}; valid: {valid}") from None


def _feature_code(level: Level, unit: str) -> str | None:
    """The boundary code of a unit IRI on ``level`` (``None`` when it has none).

    A municipality is first moved to its successor on the 2023 map (``mergers.csv``), then
    placed by the 2023 key (its region, or its wellbeing area: a county, ``90`` Helsinki or
    ``91`` Åland).
    """
    kind, _, code = unit.removeprefix(_ID).partition("/")
    if kind == "municipality":
        on_map, successors = _municipalities_on_map()
        seen = {code}
        while code not in on_map and code in successors and successors[code] not in seen:
            code = successors[code]
            seen.add(code)
        if code not in on_map:
            return None
        if level is Level.MUNICIPALITY:
            return code
        return _municipality_key()[code][0 if level is Level.REGION else 1] or None
    if level is Level.COUNTY and kind == "wellbeingcounty":
        return code
    if level is Level.REGION and kind == "region":
        return code
    return None


def _store_of(source: Any) -> Store:
    """The store of ``source``: a :class:`Store`, or anything with a ``store`` (a
    :class:`~sotegraph.builder.KnowledgeGraph`)."""
    inner = getattr(source, "store", None)
    return inner if isinstance(inner, Store) else source


def _query(store: Store, text: str) -> list[dict[str, Any]]:
    try:
        return store.query(text)
    except StoreError as exc:
        raise QueryError(f"the map's area query failed: {exc}") from exc


def project_facts(source: Any) -> dict[str, dict[str, Any]]:
    """Every project's period, fund, sote relevance, start year and amounts (one SPARQL query).

    Returns ``{project IRI: {"period", "fund", "relevance", "year", "granted",
    "realised"}}`` with plain values (``period`` ``"2014-2020"``, ``fund`` ``"ESR"``,
    ``relevance`` ``"sote"`` / ``"borderline"`` / ``"not"`` / ``"unknown"``).

    Raises
    ------
    QueryError
        If the store rejects the query.
    """
    store = _store_of(source)
    out: dict[str, dict[str, Any]] = {}
    for row in _query(store, _PROJECTS_QUERY):
        rel = row.get("relevance")
        out[str(row["project"])] = {
            "period": _local(row.get("period")),
            "fund": _local(row.get("fund")),
            "relevance": _RELEVANCE.get(str(rel), "unknown") if rel is not None else "unknown",
            "year": _int(row.get("year")),
            "granted": _number(row.get("granted")),
            "realised": _number(row.get("realised")),
        }
    return out


def project_areas(source: Any, level: Level | str) -> dict[str, dict[str, int]]:
    """The areas of every project on ``level``: ``{project: {code: basis index}}``.

    The basis index is 0 stated, 1 inferred from the authority, 2 from the implementer
    (:data:`BASES`); a project with several bases in one area has the firmest.

    Raises
    ------
    QueryError
        If the store rejects the query.
    UsageError
        If ``level`` is not a :class:`Level`.
    """
    lvl = _level(level)
    store = _store_of(source)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _query(store, _AREAS_QUERY.replace("{UNITS}", _UNITS[lvl])):
        code = _feature_code(lvl, str(row["unit"]))
        if code is None:
            continue
        basis = _int(row.get("basis"))
        basis = 2 if basis is None else basis
        areas = out[str(row["project"])]
        areas[code] = min(areas.get(code, basis), basis)
    return dict(out)


def map_data(source: Any, *, levels: Iterable[Level | str] = tuple(Level)) -> MapData:
    """Query the store and aggregate projects and funding per area of each level.

    Parameters
    ----------
    source:
        A :class:`~sotegraph.store.Store` or a knowledge graph (anything with ``store``).
    levels:
        Which levels to compute (all three by default).

    Raises
    ------
    QueryError
        If the store rejects a query.
    UsageError
        If a level is unknown.

    Examples
    --------
    >>> from sotegraph.store import open_store
    >>> data = map_data(open_store(), levels=["region"])
    >>> data.projects, data.rows["region"]
    (0, [])
    """
    facts = project_facts(source)
    rows: dict[str, list[list[Any]]] = {}
    unplaced: dict[str, list[list[Any]]] = {}
    names: dict[str, dict[str, str]] = {}
    for level in [_level(lv) for lv in levels]:
        areas = project_areas(source, level)
        groups: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
        lost: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
        for project, fact in facts.items():
            tail = (fact["year"], fact["period"])
            placed = areas.get(project, {})
            for code, basis in placed.items():
                key = (code, *tail, BASES[basis], fact["relevance"])
                _add(groups[key], fact)
            if not placed:
                _add(lost[(None, *tail, "none", fact["relevance"])], fact)
        rows[level.value] = _sorted_rows(groups)
        unplaced[level.value] = _sorted_rows(lost)
        names[level.value] = {
            f["properties"]["code"]: f["properties"]["name"] for f in boundaries(level)["features"]
        }
    by_project = [{"project": p, **f} for p, f in sorted(facts.items())]
    return MapData(rows, unplaced, names, len(facts), by_project)


def _add(total: list[float], fact: dict[str, Any]) -> None:
    total[0] += 1
    total[1] += fact["granted"]
    total[2] += fact["realised"]


def _sorted_rows(groups: dict[tuple[Any, ...], list[float]]) -> list[list[Any]]:
    def key(item: tuple[tuple[Any, ...], list[float]]) -> tuple[str, ...]:
        return tuple("" if v is None else str(v) for v in item[0])

    return [
        [*k, int(v[0]), round(v[1], 2), round(v[2], 2)] for k, v in sorted(groups.items(), key=key)
    ]


# --------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return _ir.files("sotegraph").joinpath("view", name).read_text(encoding="utf-8")


def _script(name: str) -> str:
    return _asset(name).replace("</script", "<\\/script")


def _d3_geometry(collection: dict[str, Any]) -> dict[str, Any]:
    """The collection with its rings reversed: d3-geo wants outer rings clockwise."""
    features = []
    for f in collection["features"]:
        geom = f["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        flipped = [[ring[::-1] for ring in poly] for poly in polys]
        coords: Any = flipped[0] if geom["type"] == "Polygon" else flipped
        features.append({**f, "geometry": {"type": geom["type"], "coordinates": coords}})
    return {"type": "FeatureCollection", "features": features}


def map_payload(
    data: MapData,
    *,
    level: Level | str = Level.COUNTY,
    measure: Measure | str = Measure.PROJECTS,
    period: str | None = None,
    year: int | None = None,
    sote_only: bool = False,
    inferred: bool = True,
    title: str = "sotegraph map",
) -> dict[str, Any]:
    """The JSON the map page reads: boundaries, rows and the initial state.

    Raises
    ------
    UsageError
        If the level, measure or period is not one of the valid ones.
    """
    lvl = _level(level)
    try:
        msr = Measure(str(measure).strip().lower())
    except ValueError:
        valid = ", ".join(m.value for m in Measure)
        raise UsageError(f"unknown measure {measure!r}; valid: {valid}") from None
    if period in (None, "", "all"):
        period = None
    elif period not in ("2007-2013", "2014-2020", "2021-2027"):
        raise UsageError(f"unknown programme period {period!r}; valid: 2007-2013, 2014-2020, all")
    years = sorted({r[1] for rows in data.rows.values() for r in rows if r[1] is not None})
    years = sorted(
        set(years) | {r[1] for rows in data.unplaced.values() for r in rows if r[1] is not None}
    )
    periods = sorted(
        {r[2] for rows in (*data.rows.values(), *data.unplaced.values()) for r in rows if r[2]}
    )
    return {
        "title": title,
        "attribution": ATTRIBUTION,
        "projects": data.projects,
        "levels": {
            lv.value: {
                "geometry": _d3_geometry(boundaries(lv)),
                "rows": data.rows.get(lv.value, []),
                "unplaced": data.unplaced.get(lv.value, []),
            }
            for lv in Level
            if lv.value in data.rows
        },
        "years": years,
        "periods": periods,
        "bases": list(BASES),
        "state": {
            "level": lvl.value,
            "measure": msr.value,
            "period": period or "",
            "year": "" if year is None else int(year),
            "soteOnly": bool(sote_only),
            "inferred": bool(inferred),
        },
    }


def map_html(
    source: Any,
    *,
    level: Level | str = Level.COUNTY,
    measure: Measure | str = Measure.PROJECTS,
    period: str | None = None,
    year: int | None = None,
    sote_only: bool = False,
    inferred: bool = True,
    title: str = "sotegraph map",
    data: MapData | None = None,
) -> str:
    """A self-contained HTML page with a choropleth of projects and funding by area.

    d3-geo and d3-array are inlined; the boundaries and the aggregated rows of all three
    levels are embedded, so the page's controls switch level, measure, period, year, sote-only
    and inferred areas offline. The options set what the page shows first.

    Parameters
    ----------
    source:
        A store or a knowledge graph (ignored when ``data`` is given).
    level, measure:
        What is drawn first (:class:`Level`, :class:`Measure`).
    period:
        ``"2007-2013"``, ``"2014-2020"`` or ``None`` / ``"all"``.
    year:
        Only projects that started in this year (``None``: every year).
    sote_only:
        Only projects whose sote relevance is ``sote``.
    inferred:
        Count areas inferred from the authority or the implementer, not only stated ones.
    data:
        Rows computed before (:func:`map_data`), to draw several pages from one query.

    Raises
    ------
    QueryError
        If the store rejects a query.
    UsageError
        If an option has no valid value.
    """
    if data is None:
        data = map_data(source)
    payload = map_payload(
        data,
        level=level,
        measure=measure,
        period=period,
        year=year,
        sote_only=sote_only,
        inferred=inferred,
        title=title,
    )
    return (
        _asset("map.html")
        .replace("{{TITLE}}", html.escape(title))
        .replace("/*{{D3}}*/", _script("d3-array.min.js") + "\n" + _script("d3-geo.min.js"))
        .replace("/*{{APP}}*/", _script("map.js"))
        .replace("{{DATA}}", _script_json(payload))
    )


def write_map(
    source: Any,
    path: str | Path,
    *,
    level: Level | str = Level.COUNTY,
    measure: Measure | str = Measure.PROJECTS,
    period: str | None = None,
    year: int | None = None,
    sote_only: bool = False,
    inferred: bool = True,
    title: str = "sotegraph map",
) -> Path:
    """Write :func:`map_html` to ``path`` (renamed into place when complete).

    Raises
    ------
    QueryError, UsageError
        As :func:`map_html`.
    OSError
        If the file cannot be written.
    """
    page = map_html(
        source,
        level=level,
        measure=measure,
        period=period,
        year=year,
        sote_only=sote_only,
        inferred=inferred,
        title=title,
    )
    target = Path(path)
    with _replacing(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target

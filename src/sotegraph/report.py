"""One self-contained HTML report: the map, charts over time, top organisations, a network.

:func:`report_html` puts together

- the choropleth of :mod:`sotegraph.maps` (in an ``<iframe srcdoc>``, with its own controls);
- Vega-Lite charts (vega, vega-lite, vega-embed and vega-interpreter vendored in
  ``sotegraph/view/`` and inlined; the interpreter draws them under a Content-Security-Policy
  without ``'unsafe-eval'``) of projects and granted / realised funding by start year and
  fund, by programme period and fund, and by wellbeing county, each switchable between all
  projects, sote projects and sote + borderline projects, and between the three measures;
- a table of the organisations in most projects (with the projects' total granted funding:
  the sum over the projects an organisation took part in, not its own share);
- the co-participation network of those organisations (:func:`sotegraph.export.html_view`,
  in an ``<iframe srcdoc>``).

Everything comes from SPARQL over the store; nothing is fetched when the page opens.

Examples
--------
>>> from sotegraph.store import open_store
>>> page = report_html(open_store(), title="Tyhjä raportti")
>>> page.count("<script") == page.count("</script>") and "Content-Security-Policy" in page
True
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path
from typing import Any

from sotegraph.errors import QueryError, StoreError
from sotegraph.export import _replacing, _script_json, html_view
from sotegraph.maps import (
    MapData,
    _asset,
    _script,
    _store_of,
    map_data,
    map_html,
    project_facts,
)
from sotegraph.store import Store

__all__ = ["chart_spec", "report_html", "top_organisations", "write_report"]

# one row per organisation and project it took part in (``lead`` 1 when it led it)
_TOP_QUERY = """PREFIX sg: <https://w3id.org/sotegraph/ontology#>
SELECT ?org ?project (MAX(?l) AS ?lead)
WHERE {
  { ?project sg:lead ?org . BIND(1 AS ?l) } UNION { ?project sg:participant ?org . BIND(0 AS ?l) }
  ?project a sg:Project .
  ?org a sg:Organisation .
  {SOTE}
}
GROUP BY ?org ?project
"""
_SOTE_FILTER = "?project sg:soteRelevance sg:soteRelevanceSote ."

_LABELS_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT ?org (SAMPLE(?fi) AS ?label) (SAMPLE(?any) AS ?other)
WHERE {
  VALUES ?org { {ORGS} }
  OPTIONAL { ?org skos:prefLabel ?fi FILTER(LANG(?fi) = "fi" || LANG(?fi) = "") }
  OPTIONAL { { ?org skos:prefLabel ?any } UNION { ?org schema:name ?any } }
}
GROUP BY ?org
"""

_PAIRS_QUERY = """PREFIX sg: <https://w3id.org/sotegraph/ontology#>
SELECT DISTINCT ?org ?project
WHERE {
  VALUES ?org { {ORGS} }
  ?project a sg:Project ; sg:participant ?org .
  {SOTE}
}
"""


def _rows(store: Store, text: str) -> list[dict[str, Any]]:
    try:
        return store.query(text)
    except StoreError as exc:
        raise QueryError(f"the report's query failed: {exc}") from exc


def _values(iris: list[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris if ">" not in iri and " " not in iri)


def top_organisations(
    source: Any,
    *,
    limit: int = 20,
    sote_only: bool = False,
    granted: dict[str, float] | None = None,
) -> list[dict[str, Any]]:
    """The organisations in most projects (as lead or partner), most first.

    Each row: ``org`` (IRI), ``name``, ``projects``, ``lead`` (projects it led) and
    ``projects_granted`` (the granted EU and state funding of those projects, summed: the
    projects' total, not the organisation's own share).

    ``granted`` maps project IRIs to their granted funding when already known (else it is
    asked from the store, :func:`sotegraph.maps.project_facts`).

    Raises
    ------
    QueryError
        If the store rejects the query.

    Examples
    --------
    >>> from sotegraph.store import open_store
    >>> top_organisations(open_store())
    []
    """
    store = _store_of(source)
    if granted is None:
        granted = {p: f["granted"] for p, f in project_facts(store).items()}
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for r in _rows(store, _TOP_QUERY.replace("{SOTE}", _SOTE_FILTER if sote_only else "")):
        total = totals[str(r["org"])]
        total[0] += 1
        total[1] += int(r.get("lead") or 0)
        total[2] += granted.get(str(r["project"]), 0.0)
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1][0], -kv[1][2], kv[0]))
    ranked = ranked[: max(int(limit), 1)]
    orgs = [org for org, _ in ranked]
    names: dict[str, str] = {}
    if orgs:
        for r in _rows(store, _LABELS_QUERY.replace("{ORGS}", _values(orgs))):
            label = r.get("label") or r.get("other")
            if label is not None:
                names[str(r["org"])] = str(label)
    return [
        {
            "org": org,
            "name": names.get(org, org.rsplit("/", 1)[-1]),
            "projects": int(n),
            "lead": int(lead),
            "projects_granted": round(float(g), 2),
        }
        for org, (n, lead, g) in ranked
    ]


def organisation_network(
    source: Any, organisations: list[dict[str, Any]], *, sote_only: bool = False
) -> Any:
    """The co-participation network of ``organisations`` (rows of :func:`top_organisations`):
    an edge where two took part in the same projects, ``weight`` their number.

    Raises
    ------
    QueryError
        If the store rejects the query.
    """
    import networkx as nx

    g = nx.Graph()
    for row in organisations:
        g.add_node(
            row["org"],
            type="organisation",
            label=row["name"],
            projects=row["projects"],
            projects_granted=row["projects_granted"],
        )
    if not organisations:
        return g
    text = _PAIRS_QUERY.replace("{ORGS}", _values([r["org"] for r in organisations])).replace(
        "{SOTE}", _SOTE_FILTER if sote_only else ""
    )
    members: dict[str, list[str]] = defaultdict(list)
    for r in _rows(_store_of(source), text):
        members[str(r["project"])].append(str(r["org"]))
    for orgs in members.values():
        orgs.sort()
        for i, a in enumerate(orgs):
            for b in orgs[i + 1 :]:
                weight = g.edges[a, b]["weight"] + 1 if g.has_edge(a, b) else 1
                g.add_edge(a, b, weight=weight)
    return g


_RELEVANCE_FILTER = (
    "relevance == 'all' || datum.relevance == 'sote' || "
    "(relevance == 'sote+borderline' && datum.relevance == 'borderline')"
)
_MEASURE_TITLE = "measure == 'projects' ? 'hankkeita / projects' : measure + ' EU+state €'"


def _chart_rows(data: MapData) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows by start year, fund, period and relevance; rows by county, period and relevance."""
    by_time: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for p in data.by_project:
        key = (p["year"], p["fund"] or "?", p["period"] or "?", p["relevance"])
        total = by_time[key]
        total[0] += 1
        total[1] += p["granted"]
        total[2] += p["realised"]
    time_rows = [
        {
            "year": y,
            "fund": f,
            "period": pp,
            "relevance": rel,
            "projects": int(v[0]),
            "granted": round(v[1], 2),
            "realised": round(v[2], 2),
        }
        for (y, f, pp, rel), v in sorted(by_time.items(), key=lambda kv: str(kv[0]))
    ]
    names = data.names.get("county", {})
    by_county: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for code, _year, period, _basis, rel, n, granted, realised in data.rows.get("county", []):
        total = by_county[(code, period or "?", rel)]
        total[0] += n
        total[1] += granted
        total[2] += realised
    county_rows = [
        {
            "code": code,
            "county": names.get(code, code),
            "period": period,
            "relevance": rel,
            "projects": int(v[0]),
            "granted": round(v[1], 2),
            "realised": round(v[2], 2),
        }
        for (code, period, rel), v in sorted(by_county.items())
    ]
    return time_rows, county_rows


def chart_spec(
    data: MapData, *, measure: str = "granted", relevance: str = "all"
) -> dict[str, Any]:
    """The Vega-Lite specification of the report's charts (a plain dict).

    Two radio buttons (bound parameters) switch every chart between the measures
    (``projects``, ``granted``, ``realised``) and between all, sote and sote + borderline
    projects.

    Examples
    --------
    >>> spec = chart_spec(MapData(rows={}, unplaced={}, names={}, projects=0))
    >>> [p["name"] for p in spec["params"]], len(spec["vconcat"])
    (['measure', 'relevance'], 3)
    """
    time_rows, county_rows = _chart_rows(data)
    common = [
        {"filter": _RELEVANCE_FILTER},
        {"calculate": "datum[measure]", "as": "value"},
    ]
    value = {"aggregate": "sum", "field": "value", "type": "quantitative", "title": "arvo / value"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "params": [
            {
                "name": "measure",
                "value": measure,
                "bind": {
                    "input": "radio",
                    "options": ["projects", "granted", "realised"],
                    "labels": [
                        "hankkeita / projects",
                        "myönnetty / granted €",
                        "toteutunut / realised €",
                    ],
                    "name": "Mittari / measure ",
                },
            },
            {
                "name": "relevance",
                "value": relevance,
                "bind": {
                    "input": "radio",
                    "options": ["all", "sote", "sote+borderline"],
                    "labels": ["kaikki / all", "sote", "sote + rajatapaukset / borderline"],
                    "name": "Hankkeet / projects ",
                },
            },
        ],
        "datasets": {"byTime": time_rows, "byCounty": county_rows},
        "resolve": {"scale": {"color": "independent"}, "legend": {"color": "independent"}},
        "vconcat": [
            {
                "title": "Alkamisvuoden ja rahaston mukaan / by start year and fund",
                "data": {"name": "byTime"},
                "transform": [*common, {"filter": "datum.year != null"}],
                "mark": {"type": "bar", "tooltip": True},
                "width": 640,
                "height": 220,
                "encoding": {
                    "x": {"field": "year", "type": "ordinal", "title": "alkamisvuosi / start year"},
                    "y": value,
                    "color": {"field": "fund", "type": "nominal", "title": "rahasto / fund"},
                },
            },
            {
                "title": "Ohjelmakauden ja rahaston mukaan / by programme period and fund",
                "data": {"name": "byTime"},
                "transform": common,
                "mark": {"type": "bar", "tooltip": True},
                "width": 640,
                "height": 160,
                "encoding": {
                    "y": {"field": "period", "type": "nominal", "title": "kausi / period"},
                    "x": value,
                    "color": {"field": "fund", "type": "nominal", "title": "rahasto / fund"},
                },
            },
            {
                "title": "Hyvinvointialueen mukaan (hanke jokaisella alueellaan) / by wellbeing county (a project counts in each of its areas)",
                "data": {"name": "byCounty"},
                "transform": common,
                "mark": {"type": "bar", "tooltip": True},
                "width": 640,
                "encoding": {
                    "y": {
                        "field": "county",
                        "type": "nominal",
                        "sort": "-x",
                        "title": "hyvinvointialue / county",
                    },
                    "x": value,
                    "color": {"field": "period", "type": "nominal", "title": "kausi / period"},
                },
            },
        ],
    }


def _srcdoc(page: str) -> str:
    return html.escape(page, quote=True)


def _table(rows: list[dict[str, Any]], caption: str, key: str) -> str:
    body = "".join(
        f'<tr data-org="{html.escape(r["org"])}"><td>{i}</td><td>{html.escape(r["name"])}</td>'
        f'<td class="num" data-value="{r["projects"]}">{r["projects"]}</td>'
        f'<td class="num">{r["lead"]}</td>'
        f'<td class="num" data-value="{r["projects_granted"]:.2f}">'
        f"{r['projects_granted']:,.0f} €</td></tr>".replace(",", "\u202f")
        for i, r in enumerate(rows, 1)
    )
    return (
        f'<table id="{key}"><caption>{html.escape(caption)}</caption>'
        "<tr><th>#</th><th>organisaatio / organisation</th><th>hankkeita / projects</th>"
        "<th>joista vetäjänä / as lead</th><th>hankkeiden myönnetty EU+valtio yhteensä / "
        "projects' granted EU+state total</th></tr>"
        f"{body}</table>"
    )


def report_html(
    source: Any,
    *,
    title: str = "sotegraph report",
    top: int = 20,
    network: bool = True,
    sote_only: bool = False,
    data: MapData | None = None,
) -> str:
    """A self-contained HTML report of the store: map, charts, top organisations, network.

    Parameters
    ----------
    source:
        A store or a knowledge graph (anything with ``store``).
    title:
        The page title.
    top:
        How many organisations the table and the network hold.
    network:
        Embed the co-participation network of the top organisations.
    sote_only:
        What the map and the charts show first (their controls switch it) and whether the
        table and the network count only sote projects.
    data:
        Rows computed before (:func:`sotegraph.maps.map_data`).

    Raises
    ------
    QueryError
        If the store rejects a query.
    """
    if data is None:
        data = map_data(source)
    the_map = map_html(source, data=data, sote_only=sote_only, title=f"{title}: kartta / map")
    organisations = top_organisations(
        source,
        limit=top,
        sote_only=sote_only,
        granted={p["project"]: p["granted"] for p in data.by_project},
    )
    tables = _table(
        organisations,
        "Eniten hankkeissa mukana olleet organisaatiot"
        + (" (sote-hankkeet)" if sote_only else "")
        + " / organisations in most projects"
        + (" (sote projects)" if sote_only else ""),
        "top-organisations",
    )
    view = ""
    if network and organisations:
        g = organisation_network(source, organisations, sote_only=sote_only)
        view = (
            "<h2>Yhteistyöverkosto / co-participation network</h2>"
            '<p class="note">Taulukon organisaatiot; viiva, kun ne ovat samassa hankkeessa. / '
            "The organisations of the table; an edge where they share projects.</p>"
            + (
                ""
                if g.number_of_edges()
                else '<p class="note">Ei yhteisiä hankkeita (esimerkiksi listat, joissa on vain '
                "vetäjä). / No shared projects (e.g. lists that name only the lead).</p>"
            )
            + f'<iframe id="network" title="network" srcdoc="{_srcdoc(html_view(g, title="top organisations"))}"></iframe>'
        )
    spec = chart_spec(data, relevance="sote" if sote_only else "all")
    return (
        _asset("report.html")
        .replace("{{TITLE}}", html.escape(title))
        .replace("{{PROJECTS}}", f"{data.projects:,}".replace(",", "\u202f"))
        .replace("{{MAP}}", _srcdoc(the_map))
        .replace("{{TABLES}}", tables)
        .replace("{{NETWORK}}", view)
        .replace(
            "/*{{VEGA}}*/",
            "\n".join(
                _script(name)
                for name in (
                    "vega.min.js",
                    "vega-lite.min.js",
                    "vega-embed.min.js",
                    "vega-interpreter.js",
                )
            ),
        )
        .replace("/*{{APP}}*/", _script("report.js"))
        .replace("{{SPEC}}", _script_json(spec))
    )


def write_report(
    source: Any,
    path: str | Path,
    *,
    title: str = "sotegraph report",
    top: int = 20,
    network: bool = True,
    sote_only: bool = False,
) -> Path:
    """Write :func:`report_html` to ``path`` (renamed into place when complete).

    Raises
    ------
    QueryError
        If the store rejects a query.
    OSError
        If the file cannot be written.
    """
    page = report_html(source, title=title, top=top, network=network, sote_only=sote_only)
    target = Path(path)
    with _replacing(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target

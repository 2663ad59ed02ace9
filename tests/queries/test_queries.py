"""Every named query on the small invented fixture graph (tests/data/network/fixture.trig).

The expected rows were worked out by hand from the fixture's facts (see its header comment),
not copied from a query run. IRIs are compared by their last path segment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Literal

from sotegraph import resources
from sotegraph.errors import QueryError
from sotegraph.queries import Rows, list_queries, load_query, run_query
from sotegraph.store import OxigraphStore, open_store

SGID = "https://w3id.org/sotegraph/id/"
SG = "https://w3id.org/sotegraph/ontology#"


@pytest.fixture(scope="module")
def store(fixtures_dir: Path) -> OxigraphStore:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    return s


def _short(v: Any) -> Any:
    if isinstance(v, str) and v.startswith(("https://", "http://")):
        return v.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    if isinstance(v, Decimal):
        return float(v)
    return v


def rows(store: OxigraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    return [
        {k: _short(v) for k, v in r.items()} for r in run_query(store, name, **params).to_python()
    ]


def pick(table: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(r[k] for k in keys) for r in table]


# -- the query files ------------------------------------------------------------------------


def test_at_least_twelve_queries_with_headers() -> None:
    queries = list_queries()
    assert len(queries) >= 12
    for q in queries:
        assert q.title, q.name
        assert q.description, q.name
        assert q.example.startswith(f"sotegraph query {q.name}"), q.name
        for p in q.params.values():
            assert p.doc, f"{q.name}: parameter {p.name} has no description"
            assert f"?{p.name}" in q.text, f"{q.name}: parameter {p.name} is never used"


def test_every_query_has_a_test_here() -> None:
    text = Path(__file__).read_text(encoding="utf-8")
    missing = [n for n in resources.query_names() if f'"{n}"' not in text]
    assert missing == []


def test_unknown_parameter_lists_the_valid_ones(store: OxigraphStore) -> None:
    with pytest.raises(QueryError) as err:
        run_query(store, "projects", cod="S90001")
    assert "'cod'" in str(err.value)
    assert "code, fund, period, prefer" in str(err.value)


def test_unknown_query_lists_names(store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match=r"valid: .*coparticipation"):
        run_query(store, "no_such_query")


def test_bad_parameter_value(store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="min_weight"):
        run_query(store, "coparticipation", min_weight="many")
    with pytest.raises(QueryError, match="iri"):
        run_query(store, "projects", fund="not an iri")


def test_parameter_value_cannot_inject(store: OxigraphStore) -> None:
    # a string parameter is bound as one literal: no rows, no error, nothing dropped
    assert run_query(store, "projects", code='S90001") } DROP ALL #') == []
    assert len(store) > 200


def test_rows_to_dataframe(store: OxigraphStore) -> None:
    pd = pytest.importorskip("pandas")
    frame = run_query(store, "coparticipation").to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["a", "aName", "b", "bName", "weight"]
    assert len(frame) == 9


def test_rows_type(store: OxigraphStore) -> None:
    result = run_query(store, "projects")
    assert isinstance(result, Rows)
    assert isinstance(result[0]["project"], object)


# -- expected rows per query ----------------------------------------------------------------


def test_projects_prefers_the_record(store: OxigraphStore) -> None:
    table = rows(store, "projects")
    assert pick(table, "code", "name", "lead", "end", "status", "endConflict") == [
        (None, "Delta-verkostohanke", None, None, None, False),
        ("S90001", "Alfa-hanke", "1000001-1", dt.date(2018, 12, 31), "Toiminta päättynyt", True),
        ("S90002", "Beeta-hanke", "1000001-1", dt.date(2019, 5, 31), "Toiminnassa", False),
        ("S90003", "Gamma-hanke", "1000005-5", dt.date(2020, 12, 31), "Toiminnassa", False),
    ]
    assert pick(table, "fund", "granted")[1:] == [
        ("ESR", 100000.0),
        ("ESR", 200000.0),
        ("EAKR", 50000.0),
    ]


def test_projects_bulk_preference_and_filters(store: OxigraphStore) -> None:
    [alfa] = rows(store, "projects", code="S90001", prefer="bulk-table")
    assert (alfa["end"], alfa["status"], alfa["statusConflict"]) == (
        dt.date(2017, 12, 31),
        "Toiminnassa",
        True,
    )
    eakr = rows(store, "projects", fund=SGID + "fund/EAKR")
    assert pick(eakr, "code") == [("S90003",)]
    period = rows(store, "projects", period=SGID + "period/2014-2020")
    assert len(period) == 3


def test_organisations_by_role(store: OxigraphStore) -> None:
    table = rows(store, "organisations_by_role")
    assert pick(table, "name", "role", "projects") == [
        ("Alfa Oy", "lead", 2),
        ("Beetan kaupunki", "partner", 2),
        ("Fiitan yliopisto", "partner", 2),
        ("Ceeta ry", "partner", 1),
        ("Deeta-instituutti", "collaborator", 1),
        ("Deeta-instituutti", "partner", 1),
        ("Eetan kuntayhtymä", "lead", 1),
        ("Geeta-säätiö", "partner", 1),
    ]
    leads = rows(store, "organisations_by_role", role=SG + "lead")
    assert pick(leads, "name", "projects") == [("Alfa Oy", 2), ("Eetan kuntayhtymä", 1)]


def test_coparticipation(store: OxigraphStore) -> None:
    table = rows(store, "coparticipation")
    assert len(table) == 9
    assert pick(table, "aName", "bName", "weight")[0] == ("Alfa Oy", "Beetan kaupunki", 2)
    assert sum(r["weight"] for r in table) == 10  # P1: 3 pairs, P2: 3, P3: 1, P4: 3
    assert pick(rows(store, "coparticipation", min_weight=2), "a", "b") == [
        ("1000001-1", "1000002-2")
    ]


def test_overlap_partners(store: OxigraphStore) -> None:
    table = rows(store, "overlap_partners")
    assert pick(table, "project1", "project2", "shared", "size1", "size2", "jaccard") == [
        ("S90001", "S90002", 2, 3, 3, 0.5),
        ("S90003", "delta-verkostohanke", 1, 2, 3, 0.25),
        ("S90002", "delta-verkostohanke", 1, 3, 3, 0.2),
    ]
    assert len(rows(store, "overlap_partners", min_shared=2)) == 1


def test_overlap_places(store: OxigraphStore) -> None:
    # today's map: 981 → region 81; 982 → region 82; P3 region 82; P4 county 82 → region 82
    table = rows(store, "overlap_places")
    assert pick(table, "project1", "project2", "shared", "size1", "size2") == [
        ("S90002", "S90003", 1, 2, 1),
        ("S90003", "delta-verkostohanke", 1, 1, 2),
        ("S90002", "delta-verkostohanke", 1, 2, 2),
    ]


def test_overlap_themes(store: OxigraphStore) -> None:
    assert rows(store, "overlap_themes") == []  # by default two shared themes; these share one
    table = rows(store, "overlap_themes", min_shared=1)
    assert pick(table, "project1", "project2", "shared") == [
        ("S90001", "S90002", 1),
        ("S90001", "S90003", 1),
        ("S90003", "delta-verkostohanke", 1),
        ("S90001", "delta-verkostohanke", 1),
    ]


def test_overlap_groups(store: OxigraphStore) -> None:
    table = rows(store, "overlap_groups")
    assert pick(table, "project1", "project2", "shared", "jaccard") == [
        ("S90001", "S90002", 1, 1.0)
    ]


def test_concurrent_projects(store: OxigraphStore) -> None:
    table = rows(store, "concurrent_projects")
    # P1 runs to 2018-12-31 by its record (the bulk row's 2017-12-31 would give 214 days);
    # P1 and P2 share A and B, P3 and P4 share F; P2 and P3 overlap in 2019 (151 days) but
    # share no organisation, so they are no pair
    assert pick(table, "project1", "project2", "overlapStart", "overlapEnd", "days") == [
        ("S90001", "S90002", dt.date(2017, 6, 1), dt.date(2018, 12, 31), 579),
        ("S90003", "delta-verkostohanke", dt.date(2020, 1, 1), dt.date(2020, 12, 31), 366),
    ]
    assert len(rows(store, "concurrent_projects", min_days=400)) == 1
    only = rows(store, "concurrent_projects", project=SGID + "project/S90003")
    assert pick(only, "project1", "project2") == [("S90003", "delta-verkostohanke")]


def test_regional_coverage_by_year(store: OxigraphStore) -> None:
    # project's own years: Kakskylä (982) was in region 81 in 2017
    own = rows(store, "regional_coverage")
    assert sorted(pick(own, "regionName", "projects")) == [("Ensimaakunta", 2), ("Toismaakunta", 2)]
    today = rows(store, "regional_coverage", map="today")
    assert pick(today, "regionName", "projects") == [("Toismaakunta", 3), ("Ensimaakunta", 1)]
    in_2023 = rows(store, "regional_coverage", year=2023)
    assert pick(in_2023, "regionName", "projects") == [("Toismaakunta", 3), ("Ensimaakunta", 1)]


def test_county_coverage(store: OxigraphStore) -> None:
    today = rows(store, "county_coverage")
    assert pick(today, "county", "projects") == [("82", 3), ("81", 1)]
    # the counties start in 2023: by the projects' own years only the direct county target
    own = rows(store, "county_coverage", map="project")
    assert pick(own, "county", "projects") == [("82", 1)]
    assert pick(rows(store, "county_coverage", map="project", year=2023), "county", "projects") == [
        ("82", 3),
        ("81", 1),
    ]


def test_funding_by_region(store: OxigraphStore) -> None:
    own = rows(store, "funding_by_region")
    assert pick(own, "regionName", "projects", "grantedEUState", "plannedPublic") == [
        ("Ensimaakunta", 2, 300000.0, 125000.0),
        ("Toismaakunta", 2, 50000.0, 60000.0),
    ]
    today = rows(store, "funding_by_region", map="today")
    assert pick(today, "regionName", "grantedEUState") == [
        ("Toismaakunta", 250000.0),
        ("Ensimaakunta", 100000.0),
    ]
    esr = rows(store, "funding_by_region", fund=SGID + "fund/ESR")
    assert pick(esr, "regionName", "projects", "grantedEUState") == [("Ensimaakunta", 2, 300000.0)]


def test_funding_by_theme(store: OxigraphStore) -> None:
    table = rows(store, "funding_by_theme")
    assert pick(table, "themeName", "projects", "grantedEUState") == [
        ("työhyvinvointi", 2, 300000.0),
        ("digitalisaatio", 3, 150000.0),
        ("osallisuus", 1, 0),
    ]


def test_funding_by_fund(store: OxigraphStore) -> None:
    table = rows(store, "funding_by_fund")
    assert pick(table, "fund", "period", "year", "projects", "grantedEUState") == [
        (None, None, 2020, 1, 0),
        ("EAKR", "2014-2020", 2019, 1, 50000.0),
        ("ESR", "2014-2020", 2016, 1, 100000.0),
        ("ESR", "2014-2020", 2017, 1, 200000.0),
    ]
    assert len(rows(store, "funding_by_fund", fund=SGID + "fund/ESR")) == 2


def test_funding_by_county_year(store: OxigraphStore) -> None:
    # the fixture has no sote relevance: no project is sote (more in test_sote_filter.py)
    assert rows(store, "funding_by_county_year") == []
    table = rows(store, "funding_by_county_year", sote=False)
    assert pick(table, "county", "year", "basis", "projects", "grantedEUState") == [
        ("81", 2016, "stated", 1, 100000.0),
        ("82", 2017, "stated", 1, 200000.0),
        ("82", 2019, "stated", 1, 50000.0),
        ("82", 2020, "stated", 1, 0),
    ]


def test_consortium_composition(store: OxigraphStore) -> None:
    table = rows(store, "consortium_composition")
    assert pick(table, "groupName", "kind", "groupProjects", "organisationName", "projects") == [
        ("Kuvitteellinen konsortio", "Consortium", 2, "Alfa Oy", 2),
        ("Kuvitteellinen konsortio", "Consortium", 2, "Beetan kaupunki", 2),
        ("Kuvitteellinen konsortio", "Consortium", 2, "Ceeta ry", 1),
        ("Kuvitteellinen konsortio", "Consortium", 2, "Deeta-instituutti", 1),
        ("Kuvitteellinen verkosto", "Network", 1, "Deeta-instituutti", 1),
        ("Kuvitteellinen verkosto", "Network", 1, "Fiitan yliopisto", 1),
        ("Kuvitteellinen verkosto", "Network", 1, "Geeta-säätiö", 1),
    ]
    one = rows(store, "consortium_composition", group=SGID + "network/kuvitteellinen-verkosto")
    assert len(one) == 3


def test_brokers(store: OxigraphStore) -> None:
    # Deeta links {Alfa, Beeta} (P2) with {Fiita, Geeta} (P4): 4 pairs; Fiita links Eeta
    # (P3) with Deeta and Geeta (P4): 2; Alfa and Beeta each link Ceeta (P1) with Deeta (P2)
    table = rows(store, "brokers")
    assert pick(table, "name", "bridgedPairs", "projects") == [
        ("Deeta-instituutti", 4, 2),
        ("Fiitan yliopisto", 2, 2),
        ("Alfa Oy", 1, 2),
        ("Beetan kaupunki", 1, 2),
    ]
    assert len(rows(store, "brokers", min_pairs=2)) == 2


def test_projects_without_lead(store: OxigraphStore) -> None:
    table = rows(store, "projects_without_lead")
    assert pick(table, "project", "participants", "documents") == [("delta-verkostohanke", 3, 1)]


def test_organisations_without_business_id(store: OxigraphStore) -> None:
    table = rows(store, "organisations_without_business_id")
    assert pick(table, "name", "projects") == [
        ("Deeta-instituutti", 2),
        ("Ceeta ry", 1),
        ("Geeta-säätiö", 1),
    ]


def test_unresolved_places(store: OxigraphStore) -> None:
    table = rows(store, "unresolved_places")
    assert pick(table, "project", "text", "source") == [
        ("S90003", "Kuvitteellinen saaristo", "p3_record.txt")
    ]
    assert rows(store, "unresolved_places", project=SGID + "project/S90001") == []


def test_load_query_names_the_file_on_a_parse_error() -> None:
    q = load_query("coparticipation")
    assert q.params["min_weight"].default == "1"
    assert q.params["min_weight"].to_term("3") == Literal(3)


def test_organisations_both_periods() -> None:
    """Query "organisations_both_periods": leads in 2007–2013 and in 2014–2020 (own tiny graph)."""
    data = """
    @prefix sg: <https://w3id.org/sotegraph/ontology#> .
    @prefix sgid: <https://w3id.org/sotegraph/id/> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    sgid:document\\/a {
      sgid:project\\/S10001 a sg:Project ; sg:programmePeriod sgid:period\\/2007-2013 ; sg:lead sgid:organisation\\/x .
      sgid:project\\/S10002 a sg:Project ; sg:programmePeriod sgid:period\\/2007-2013 ; sg:lead sgid:organisation\\/x .
      sgid:project\\/S10003 a sg:Project ; sg:programmePeriod sgid:period\\/2007-2013 ; sg:lead sgid:organisation\\/y .
      sgid:organisation\\/x skos:prefLabel "Iksi Oy"@fi .
    }
    sgid:document\\/b {
      sgid:project\\/S20001 a sg:Project ; sg:programmePeriod sgid:period\\/2014-2020 ; sg:lead sgid:organisation\\/x .
      sgid:project\\/S20002 a sg:Project ; sg:programmePeriod sgid:period\\/2014-2020 ; sg:lead sgid:organisation\\/z .
      sgid:project\\/S20003 a sg:Project ; sg:programmePeriod sgid:period\\/2014-2020 ; sg:partner sgid:organisation\\/y .
    }
    """
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.raw.load(data.encode(), format=ox.RdfFormat.TRIG)
    got = rows(s, "organisations_both_periods")
    assert pick(got, "organisation", "name", "projects2007_2013", "projects2014_2020") == [
        ("x", "Iksi Oy", 2, 1)
    ]


def test_consortium_composition_ignores_unrelated_labelled_data(fixtures_dir: Path) -> None:
    """Rows on a store that also holds unrelated labelled resources equal the fixture's rows.

    A group whose projects have no known participant leaves ?organisation unbound; a label
    pattern outside its OPTIONAL then joined every labelled resource of the store.
    """
    alone = open_store()
    crowded = open_store()
    for s in (alone, crowded):
        assert isinstance(s, OxigraphStore)
        s.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    unrelated = "".join(
        f'<https://example.org/muu/{i}> {label} "Muu {i}"@fi .\n' for i in range(200)
    )
    empty_network = (  # a network whose only project has no participant
        f"<{SGID}network/tyhja> {rdf_type} <{SG}Network> .\n"
        f'<{SGID}network/tyhja> {label} "Tyhjä verkosto"@fi .\n'
        f"<{SGID}project/yksin> {rdf_type} <{SG}Project> .\n"
        f"<{SGID}project/yksin> <{SG}memberOf> <{SGID}network/tyhja> .\n"
    )
    for s in (alone, crowded):
        s.replace_graph_ntriples("https://example.org/g/network", empty_network)
    crowded.replace_graph_ntriples("https://example.org/g/muu", unrelated)
    base = rows(alone, "consortium_composition")
    assert any(r["group"] == "tyhja" and r["organisation"] is None for r in base)
    assert rows(crowded, "consortium_composition") == base

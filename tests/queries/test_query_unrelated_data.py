"""Every named query gives the same rows when the store also holds unrelated data.

A pattern whose subject is an unbound variable (a label looked up outside the OPTIONAL that
binds the resource, a class test on a variable no pattern binds) joins every labelled
resource of the store: on the fixture graph alone that goes unseen, on a real store it
multiplies rows or changes names and counts. Here the fixture graph (tests/data/network/
fixture.trig) is run alone and beside a generated graph, written through the store, with
many labelled resources of every class of the data contract that the fixture's documents
never mention: projects (each with a fund of its own and members of generated consortia and
networks), organisations, municipalities, sub-regions, regions, wellbeing counties, themes,
consortia, networks, funds and programme periods.

The generated resources give rows of their own (``projects`` lists every project, a
generated consortium is a group of ``consortium_composition``), and they share no group key
with the fixture's (their funds, consortia and networks are generated too), so the rows on
the store holding both must be the fixture's rows plus the rows of the generated graph alone,
compared as multisets, with the defaults and with each parameter set to a value that matches
something in the fixture (beside which one earlier project of the fixture's lead A is stored,
so that every query has rows). A blown-up query gives more: a generated consortium's projects
have no participants, so an organisation left unbound there joins every labelled resource of
the fixture as well.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from sotegraph.queries import list_queries, run_query
from sotegraph.store import OxigraphStore, open_store

SG = "https://w3id.org/sotegraph/ontology#"
SGID = "https://w3id.org/sotegraph/id/"
MARK = "zz-muu-"  # in every generated IRI
N = 150  # generated resources per class

# one value per parameter that matches something in the fixture (checked below)
PARAMS: dict[str, dict[str, Any]] = {
    "brokers": {"min_pairs": 2},
    "concurrent_projects": {"min_days": 400, "project": SGID + "project/S90003"},
    "consortium_composition": {"group": SGID + "consortium/kuvitteellinen-konsortio"},
    "coparticipation": {"min_weight": 2, "sote": True},
    "county_coverage": {"map": "project", "year": 2023, "inferred": "exclude", "sote": True},
    "funding_by_county_year": {
        "sote": False,
        "borderline": True,
        "inferred": "exclude",
        "period": SGID + "period/2014-2020",
    },
    "funding_by_fund": {
        "fund": SGID + "fund/ESR",
        "period": SGID + "period/2014-2020",
        "sote": True,
    },
    "funding_by_region": {
        "map": "today",
        "fund": SGID + "fund/ESR",
        "inferred": "exclude",
        "sote": True,
    },
    "funding_by_theme": {"fund": SGID + "fund/ESR", "sote": True},
    "organisations_by_role": {"role": SG + "lead", "sote": True},
    "overlap_groups": {"min_shared": 1},
    "overlap_partners": {"min_shared": 2},
    "overlap_places": {"min_shared": 1},
    "overlap_themes": {"min_shared": 1},
    "projects": {
        "code": "S90001",
        "fund": SGID + "fund/ESR",
        "period": SGID + "period/2014-2020",
        "prefer": "bulk-table",
        "sote": True,
    },
    "regional_coverage": {"map": "today", "year": 2023, "inferred": "exclude", "sote": True},
    "unresolved_places": {"project": SGID + "project/S90003"},
}

CLASSES = {
    "project": "Project",
    "organisation": "Organisation",
    "municipality": "Municipality",
    "subregion": "SubRegion",
    "region": "Region",
    "wellbeingcounty": "WellbeingCounty",
    "theme": "Theme",
    "consortium": "Consortium",
    "network": "Network",
    "fund": "Fund",
    "period": "ProgrammePeriod",
}


def unrelated_ntriples() -> str:
    """Labelled resources of every class, linked only among themselves."""
    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = []
    for kind, cls in CLASSES.items():
        for i in range(N):
            iri = f"<{SGID}{kind}/{MARK}{i}>"
            lines.append(f"{iri} {a} <{SG}{cls}> .")
            lines.append(f'{iri} {label} "Muu {kind} {i}"@fi .')
            lines.append(f'{iri} {label} "Other {kind} {i}"@en .')
    for i in range(N):
        project = f"<{SGID}project/{MARK}{i}>"
        lines.append(f"{project} <{SG}funder> <{SGID}fund/{MARK}{i % 3}> .")
        lines.append(f"{project} <{SG}memberOf> <{SGID}consortium/{MARK}{i % 7}> .")
        lines.append(f"{project} <{SG}memberOf> <{SGID}network/{MARK}{i % 5}> .")
        lines.append(f"{project} <{SG}soteRelevance> <{SG}soteRelevanceSote> .")
    return "\n".join(lines) + "\n"


# the fixture's lead A in a project of 2007–2013 too (organisations_both_periods has a row)
EARLIER = (
    f"<{SGID}project/S70001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SG}Project> .\n"
    f"<{SGID}project/S70001> <{SG}programmePeriod> <{SGID}period/2007-2013> .\n"
    f"<{SGID}project/S70001> <{SG}lead> <{SGID}organisation/1000001-1> .\n"
    f'<{SGID}project/S70001> <{SG}projectCode> "S70001" .\n'
    # two sote projects, so that the sote filter has rows to keep
    f"<{SGID}project/S90001> <{SG}soteRelevance> <{SG}soteRelevanceSote> .\n"
    f"<{SGID}project/S90002> <{SG}soteRelevance> <{SG}soteRelevanceSote> .\n"
    # a second theme shared by S90001 and S90002 (overlap_themes asks for two by default)
    f"<{SGID}project/S90002> <{SG}theme> <{SGID}theme/digitalisaatio> .\n"
)


def _fixture_store(fixtures_dir: Path) -> OxigraphStore:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    s.replace_graph_ntriples(f"{SGID}document/earlier", EARLIER)
    return s


@pytest.fixture(scope="module")
def alone(fixtures_dir: Path) -> OxigraphStore:
    return _fixture_store(fixtures_dir)


@pytest.fixture(scope="module")
def unrelated() -> OxigraphStore:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.replace_graph_ntriples(f"{SGID}document/{MARK}unrelated", unrelated_ntriples())
    return s


@pytest.fixture(scope="module")
def crowded(fixtures_dir: Path) -> OxigraphStore:
    s = _fixture_store(fixtures_dir)
    s.replace_graph_ntriples(f"{SGID}document/{MARK}unrelated", unrelated_ntriples())
    return s


def _multiset(rows: list[dict[str, Any]]) -> Counter[tuple[tuple[str, str | None], ...]]:
    return Counter(
        tuple(sorted((k, None if v is None else v.n3()) for k, v in row.items())) for row in rows
    )


def _generated(row: dict[str, Any]) -> bool:
    return any(v is not None and MARK in str(v) and str(v).startswith("http") for v in row.values())


def _cases() -> list[Any]:
    out = []
    for q in list_queries():
        out.append(pytest.param(q.name, {}, id=f"{q.name}-defaults"))
        for name in q.params:
            value = PARAMS.get(q.name, {}).get(name)
            out.append(pytest.param(q.name, {name: value}, id=f"{q.name}-{name}"))
    return out


def test_every_parameter_has_a_value() -> None:
    missing = [
        f"{q.name}:{p}" for q in list_queries() for p in q.params if p not in PARAMS.get(q.name, {})
    ]
    assert not missing, f"no matching value for {missing}"


@pytest.mark.parametrize(("name", "params"), _cases())
def test_rows_do_not_change_with_unrelated_data(
    alone: OxigraphStore,
    unrelated: OxigraphStore,
    crowded: OxigraphStore,
    name: str,
    params: dict[str, Any],
) -> None:
    base = run_query(alone, name, **params)
    assert base, f"{name} {params}: no rows on the fixture (the value matches nothing)"
    assert not any(_generated(r) for r in base)
    own = run_query(unrelated, name, **params)
    assert all(_generated(r) for r in own), f"{name}: a generated row names no generated IRI"
    expected = _multiset(base) + _multiset(own)
    got = _multiset(run_query(crowded, name, **params))
    counts = f"{got.total()} rows on both graphs, {len(base)} + {len(own)} apart"
    assert not got - expected, f"{name} {params}: {counts}; new: {list(got - expected)[:2]}"
    assert not expected - got, f"{name} {params}: {counts}; lost: {list(expected - got)[:2]}"


def test_unrelated_data_is_there(crowded: OxigraphStore) -> None:
    """The generated graph gives rows of its own, so it is in the union default graph."""
    projects = run_query(crowded, "projects")
    assert sum(_generated(r) for r in projects) == N
    groups = run_query(crowded, "consortium_composition")
    assert {str(r["group"]) for r in groups if _generated(r)} >= {
        f"{SGID}consortium/{MARK}0",
        f"{SGID}network/{MARK}0",
    }


def test_the_comparison_catches_an_unbound_label_pattern(
    alone: OxigraphStore, unrelated: OxigraphStore, crowded: OxigraphStore
) -> None:
    """The old shape of consortium_composition: a label looked up outside its OPTIONAL."""
    blown = f"""PREFIX sg: <{SG}>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?group ?organisation (MIN(?orgLabel) AS ?name) WHERE {{
      ?group a sg:Consortium .
      OPTIONAL {{ ?project sg:memberOf ?group ; sg:participant ?organisation }}
      OPTIONAL {{ ?organisation skos:prefLabel ?orgLabel }}
    }} GROUP BY ?group ?organisation"""
    expected = _multiset(alone.query(blown)) + _multiset(unrelated.query(blown))
    got = _multiset(crowded.query(blown))
    assert got.total() > expected.total()

"""The whole bulk corpus (22,821 projects) built into an on-disk store, validated and queried."""

from __future__ import annotations

from pathlib import Path

import pytest

from sotegraph.builder import KnowledgeGraph

CLEAN_2014 = "fi_eura2014_projektilista_2016_clean.csv"
LIST_2007 = "fi_eura2007_projektilista_2007-2013.csv"

BY_FUND = """
PREFIX sg: <https://w3id.org/sotegraph/ontology#>
SELECT ?period ?fund (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?p a sg:Project ; sg:programmePeriod ?period ; sg:funder ?fund .
  FILTER(STRSTARTS(STR(?fund), "https://w3id.org/sotegraph/id/fund/"))
} GROUP BY ?period ?fund
"""


@pytest.fixture(scope="module")
def bulk_kg(bulk_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    kg = KnowledgeGraph(tmp_path_factory.mktemp("bulk") / "store")
    kg.last_build = kg.add_paths([bulk_dir / CLEAN_2014, bulk_dir / LIST_2007])
    return kg


@pytest.mark.slow
def test_every_project_built_and_valid(bulk_kg: KnowledgeGraph) -> None:
    result = bulk_kg.last_build
    assert result is not None
    assert result.failed == []
    assert result.projects == 2881 + 19940
    assert result.validation is not None
    print(result.validation.summary("en"))
    assert result.validation.violations == []
    assert result.exit_code == 0


@pytest.mark.slow
def test_counts_by_fund_and_period(bulk_kg: KnowledgeGraph) -> None:
    counts = {
        (str(r["period"]).rsplit("/", 1)[-1], str(r["fund"]).rsplit("/", 1)[-1]): int(str(r["n"]))
        for r in bulk_kg.sparql(BY_FUND)
    }
    assert counts == {
        ("2014-2020", "EAKR"): 2095,
        ("2014-2020", "ESR"): 786,
        ("2007-2013", "EAKR"): 17165,
        ("2007-2013", "ESR"): 2775,
    }


@pytest.mark.slow
def test_cross_checks(bulk_kg: KnowledgeGraph) -> None:
    a70185 = bulk_kg.query("projects", code="A70185").to_python()
    assert {float(r["granted"]) for r in a70185} == {538242.0}
    a70203 = bulk_kg.query("projects", code="A70203").to_python()
    assert {float(r["plannedPublic"]) for r in a70203} == {1504960.0}


@pytest.mark.slow
def test_organisations_in_both_periods_and_the_merges_behind_them(bulk_kg: KnowledgeGraph) -> None:
    both = bulk_kg.query("organisations_both_periods").to_python()
    print(f"{len(both)} organisations implemented projects in both periods; top 5:")
    for row in both[:5]:
        print(f"  {row['name']}: {row['projects2007_2013']} + {row['projects2014_2020']}")
    assert len(both) > 500
    report = bulk_kg.resolution_report()
    merged = {m.iri: m for m in report.organisation_merges if len(m.names) > 1}
    found = [r for r in both if r["organisation"] in merged]
    print(f"{len(found)} of them were found through merges of differently written names, e.g.:")
    for row in found[:5]:
        print(f"  {row['name']}: {sorted(merged[row['organisation']].names)}")
    assert found


@pytest.mark.slow
def test_private_persons_and_sole_traders_are_withheld(
    bulk_kg: KnowledgeGraph, bulk_dir: Path
) -> None:
    import csv

    from sotegraph.namespaces import slugify
    from sotegraph.privacy import PRIVATE_ORGANISATION_TYPE, names_a_person

    implementers: set[str] = set()
    for name in (CLEAN_2014, LIST_2007):
        with (bulk_dir / name).open(encoding="utf-8") as fh:
            rows = csv.reader(fh)
            column = next(rows).index("Toteuttajan nimi")
            implementers |= {r[column].strip() for r in rows if len(r) > column}
    people = {n for n in implementers if n and names_a_person(n)}
    rows = bulk_kg.sparql(
        """PREFIX sg: <https://w3id.org/sotegraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?o ?label ?type WHERE {
          ?o a sg:Organisation ; skos:prefLabel|skos:altLabel ?label .
          OPTIONAL { ?o sg:organisationType ?type } }"""
    )
    labels = {str(r["label"]).strip() for r in rows}
    slugs = {str(r["o"]).rsplit("/", 1)[-1] for r in rows}
    private = {str(r["o"]) for r in rows if str(r["type"]) == PRIVATE_ORGANISATION_TYPE}
    print(
        f"{len(implementers):,} implementer names; {len(people):,} name people "
        f"(private persons, sole traders); {len(private):,} organisation nodes withheld"
    )
    assert len(people) > 1000  # the 2007-2013 list names many private entrepreneurs
    assert labels & people == set()
    # an IRI may carry a person-like name only when a company has that name: "Alma Consulting"
    # (taken for a person) and "ALMA CONSULTING OY" (kept) are one resource
    kept = sorted(slugify(n) for n in implementers - people)
    shared = {slugify(p) for p in people} & slugs
    print(f"IRIs shared with a company of the same name: {sorted(shared)}")
    assert all(any(k.startswith(s + "-") for k in kept) for s in shared)
    assert len(private) >= len(people)  # one node per person and list (named by project)

"""The sote filter of the named queries and the funding of sote projects by wellbeing county and
year, on the invented fixture world (tests/data/network/fixture.trig) plus one more invented
document written here: sote relevance values, inferred areas and an abolished municipality.

The expected rows were worked out by hand from the facts below and the fixture's header.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from sotegraph.queries import run_query
from sotegraph.store import OxigraphStore, open_store

# P1 (S90001, ESR 2016, 100,000 granted, target Ykskylä 981 → county 81): sote by this
#    document, not by a second one: a project is sote when one of its sources says so.
# P2 (S90002, ESR 2017, 200,000, target Kakskylä 982 → county 82): borderline, and an area
#    inferred from its implementer: Vanhakylä (980), abolished and replaced by Kolmkylä (983,
#    county 82).
# P3 (S90003, EAKR 2019, 50,000, target region 82): not sote; an area inferred from its
#    authority: region 81.
# P4 (the article's network project, 2020, no amount, target county 82): no relevance value.
# P5 (S90005, ESR 2007-2013, started 2010, 10,000 granted, 9,000 realised, target the abolished
#    Vanhakylä only): sote.
EXTRA = """
@prefix sg: <https://w3id.org/sotegraph/ontology#> .
@prefix sgid: <https://w3id.org/sotegraph/id/> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

sgid:graph\\/regions {
  sgid:municipality\\/980 a sg:Municipality ; skos:notation "980" ; skos:prefLabel "Vanhakylä"@fi ;
      schema:dissolutionDate "2009-01-01"^^xsd:date ; dcterms:isReplacedBy sgid:municipality\\/983 .
}
sgid:graph\\/funds {
  sgid:period\\/2007-2013 a sg:ProgrammePeriod ; skos:prefLabel "Ohjelmakausi 2007-2013"@fi .
}
sgid:document\\/5555 {
  sgid:project\\/S90001 sg:soteRelevance sg:soteRelevanceSote .
  sgid:project\\/S90002 sg:soteRelevance sg:soteRelevanceBorderline ;
      sg:inferredArea sgid:inferred\\/S90002-980 .
  sgid:inferred\\/S90002-980 sg:area sgid:municipality\\/980 ; sg:areaBasis sg:areaBasisImplementer .
  sgid:project\\/S90003 sg:soteRelevance sg:soteRelevanceNot ;
      sg:inferredArea sgid:inferred\\/S90003-81 .
  sgid:inferred\\/S90003-81 sg:area sgid:region\\/81 ; sg:areaBasis sg:areaBasisAuthority .
  sgid:project\\/S90005 a sg:Project ; skos:prefLabel "Epsilon-hanke"@fi ; sg:projectCode "S90005" ;
      sg:funder sgid:fund\\/ESR ; sg:programmePeriod sgid:period\\/2007-2013 ;
      schema:startDate "2010-03-01"^^xsd:date ; schema:endDate "2012-12-31"^^xsd:date ;
      sg:grantedEUStateFunding 10000.0 ; sg:realisedEUStateFunding 9000.0 ;
      sg:targetArea sgid:municipality\\/980 ; sg:classificationYear 2010 ;
      sg:soteRelevance sg:soteRelevanceSote .
}
sgid:document\\/6666 {
  sgid:project\\/S90001 sg:soteRelevance sg:soteRelevanceNot .
}
"""


@pytest.fixture(scope="module")
def store(fixtures_dir: Path) -> OxigraphStore:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    s.raw.load(EXTRA.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return s


def _short(v: Any) -> Any:
    if isinstance(v, str) and v.startswith(("https://", "http://")):
        return v.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return v


def table(store: OxigraphStore, name: str, *keys: str, **params: Any) -> list[tuple[Any, ...]]:
    return [tuple(_short(r[k]) for k in keys) for r in run_query(store, name, **params).to_python()]


COUNTY_YEAR = ("county", "year", "period", "basis", "projects", "grantedEUState", "realisedEUState")


def test_funding_by_county_year_counts_sote_projects_by_default(store: OxigraphStore) -> None:
    assert table(store, "funding_by_county_year", *COUNTY_YEAR) == [
        ("81", 2016, "2014-2020", "stated", 1, Decimal(100000), Decimal(0)),
        # the abolished municipality counts in its successor's county
        ("82", 2010, "2007-2013", "stated", 1, Decimal(10000), Decimal(9000)),
    ]


def test_funding_by_county_year_borderline_and_all(store: OxigraphStore) -> None:
    wide = table(store, "funding_by_county_year", *COUNTY_YEAR, borderline=True)
    # P2 is stated in county 82 and inferred there too: shown once, under the stronger basis
    assert ("82", 2017, "2014-2020", "stated", 1, Decimal(200000), Decimal(0)) in wide
    assert len(wide) == 3
    every = table(store, "funding_by_county_year", *COUNTY_YEAR, sote=False)
    assert every == [
        ("81", 2016, "2014-2020", "stated", 1, Decimal(100000), Decimal(0)),
        ("81", 2019, "2014-2020", "authority", 1, Decimal(50000), Decimal(0)),
        ("82", 2010, "2007-2013", "stated", 1, Decimal(10000), Decimal(9000)),
        ("82", 2017, "2014-2020", "stated", 1, Decimal(200000), Decimal(0)),
        ("82", 2019, "2014-2020", "stated", 1, Decimal(50000), Decimal(0)),
        ("82", 2020, None, "stated", 1, Decimal(0), Decimal(0)),
    ]
    stated = table(store, "funding_by_county_year", *COUNTY_YEAR, sote=False, inferred="exclude")
    assert stated == [r for r in every if r[3] == "stated"]
    period = table(
        store,
        "funding_by_county_year",
        *COUNTY_YEAR,
        sote=False,
        period="https://w3id.org/sotegraph/id/period/2007-2013",
    )
    assert period == [("82", 2010, "2007-2013", "stated", 1, Decimal(10000), Decimal(9000))]


def test_county_and_regional_coverage_follow_mergers_and_filter(store: OxigraphStore) -> None:
    # P2 and P5 reach county 82 through the abolished Vanhakylä's successor; P3's inferred
    # region 81 brings it to county 81
    assert table(store, "county_coverage", "county", "projects") == [("82", 4), ("81", 2)]
    assert table(store, "county_coverage", "county", "projects", sote=True) == [
        ("81", 1),
        ("82", 1),
    ]
    assert table(store, "county_coverage", "county", "projects", inferred="exclude") == [
        ("82", 4),
        ("81", 1),
    ]
    assert table(store, "regional_coverage", "region", "projects", sote=True) == [
        ("81", 1),
        ("82", 1),
    ]


def test_funding_queries_filter_sote(store: OxigraphStore) -> None:
    assert table(store, "funding_by_fund", "fund", "period", "year", "projects", sote=True) == [
        ("ESR", "2007-2013", 2010, 1),
        ("ESR", "2014-2020", 2016, 1),
    ]
    assert table(store, "funding_by_region", "region", "grantedEUState", sote=True) == [
        ("81", Decimal(100000)),
        ("82", Decimal(10000)),
    ]
    themes = table(store, "funding_by_theme", "theme", "projects", "grantedEUState", sote=True)
    assert sorted(themes) == [
        ("digitalisaatio", 1, Decimal(100000)),
        ("tyohyvinvointi", 1, Decimal(100000)),
    ]


def test_organisations_coparticipation_and_projects_filter_sote(store: OxigraphStore) -> None:
    orgs = table(store, "organisations_by_role", "organisation", "role", "projects", sote=True)
    assert sorted(orgs) == [
        ("1000001-1", "lead", 1),
        ("1000002-2", "partner", 1),
        ("ceeta-ry", "partner", 1),
    ]
    every = {(a, b): w for a, b, w in table(store, "coparticipation", "a", "b", "weight")}
    sote = {(a, b): w for a, b, w in table(store, "coparticipation", "a", "b", "weight", sote=True)}
    assert every[("1000001-1", "1000002-2")] == 2  # P1 and P2
    assert sote == {
        ("1000001-1", "1000002-2"): 1,
        ("1000001-1", "ceeta-ry"): 1,
        ("1000002-2", "ceeta-ry"): 1,
    }
    assert table(store, "projects", "code", sote=True) == [("S90001",), ("S90005",)]
    assert len(table(store, "projects", "code")) == 5


def test_cli_sote_only(fixtures_dir: Path, tmp_path: Path) -> None:
    import re
    import subprocess
    import sys

    # a store folder hides document graphs named by a SHA-256 that its manifest does not
    # record (an interrupted build): the fixture's documents get other names here
    fixture = (fixtures_dir / "network" / "fixture.trig").read_text(encoding="utf-8")
    fixture = re.sub(r"document\\/([0-9a-f])\1{63}", r"document\\/doc\1", fixture)
    folder = tmp_path / "store"
    s = open_store(folder)
    s.raw.load(fixture.encode("utf-8"), format=ox.RdfFormat.TRIG)
    s.raw.load(EXTRA.encode("utf-8"), format=ox.RdfFormat.TRIG)
    s.close()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "sotegraph", "query", *args, "--store", str(folder)]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    only = run("projects", "--sote-only", "--format", "csv")
    assert only.returncode == 0, only.stderr
    codes = [line.split(",")[1] for line in only.stdout.splitlines()[1:]]
    assert codes == ["S90001", "S90005"]
    same = run("projects", "--param", "sote=true", "--format", "csv")
    assert same.stdout == only.stdout
    refused = run("brokers", "--sote-only")
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: query 'brokers' has no sote filter")

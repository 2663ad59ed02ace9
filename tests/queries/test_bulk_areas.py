"""Inferred areas on a store of both EURA project lists: every project decided by an ELY
centre or a regional council has a region, counties and regions count the listed projects,
and the query sums agree with sums computed from the CSV rows here."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from sotegraph import resources
from sotegraph.builder import KnowledgeGraph

LISTS = ("fi_eura2014_projektilista_2016_clean.csv", "fi_eura2007_projektilista_2007-2013.csv")
SG = "https://w3id.org/sotegraph/ontology#"
SGID = "https://w3id.org/sotegraph/id/"
GRANTED = "Myönnetty EU- ja valtion rahoitus"

# authorities with an area: an ELY centre (elinkeino-, liikenne- ja ympäristökeskus) or a
# regional council (maakunnan liitto); written out here, apart from sotegraph's own rules
REGIONAL_AUTHORITY = re.compile(r"elinkeino-|liitto\s*$", re.IGNORECASE)
# three regions and the genitive their authorities' names start with
CHECKED = {"06": "Pirkanmaan ", "11": "Pohjois-Savon ", "19": "Lapin "}

INFERRED_REGIONS = f"""
SELECT ?code ?basis ?area WHERE {{
  ?p a <{SG}Project> ; <{SG}projectCode> ?code ; <{SG}inferredArea> ?n .
  ?n <{SG}area> ?area ; <{SG}areaBasis> ?basis .
}}"""


def _rows(bulk_dir: Path) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for name in LISTS:
        with (bulk_dir / name).open(encoding="utf-8", newline="") as f:
            out.extend(csv.DictReader(f))
    return out


def _amount(cell: str) -> Decimal:
    cell = cell.strip()
    return Decimal(cell) if re.fullmatch(r"-?\d+(?:\.\d+)?", cell) else Decimal(0)


def _start_year(cell: str) -> int | None:
    m = re.search(r"(\d{4})\s*$", cell.strip())
    return int(m.group(1)) if m else None


def _region_of_area() -> dict[tuple[str, int], str]:
    """(area IRI, year) -> region code, for municipalities, sub-regions and regions."""
    out = {}
    for kind, file in (("municipality", "municipalities.csv"), ("subregion", "subregions.csv")):
        text = resources.data_file("regions", file).read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            for year in range(int(row["first_year"]), int(row["last_year"]) + 1):
                out[(f"{SGID}{kind}/{row['code']}", year)] = row["region"]
    for year in range(2013, 2027):
        for code in range(1, 22):
            out[(f"{SGID}region/{code:02d}", year)] = f"{code:02d}"
    return out


@pytest.fixture(scope="module")
def rows(bulk_dir: Path) -> list[dict[str, str]]:
    return _rows(bulk_dir)


@pytest.fixture(scope="module")
def kg(bulk_store_kg: KnowledgeGraph) -> KnowledgeGraph:
    return bulk_store_kg


@pytest.fixture(scope="module")
def inferred(kg: KnowledgeGraph) -> dict[str, set[tuple[str, str]]]:
    """Project code -> {(basis local name, area IRI)}."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in kg.sparql(INFERRED_REGIONS):
        out[str(r["code"])].add((str(r["basis"]).rsplit("#", 1)[-1], str(r["area"])))
    return out


@pytest.mark.slow
def test_every_project_of_a_regional_authority_has_an_inferred_region(
    rows: list[dict[str, str]], inferred: dict[str, set[tuple[str, str]]]
) -> None:
    regional = {r["Koodi"] for r in rows if REGIONAL_AUTHORITY.search(r["Viranomainen"] or "")}
    national = {r["Koodi"] for r in rows} - regional
    with_region = {
        code
        for code, areas in inferred.items()
        if any(b == "areaBasisAuthority" and "/region/" in a for b, a in areas)
    }
    seats = sum(
        1 for areas in inferred.values() if any(b == "areaBasisImplementer" for b, _ in areas)
    )
    print(
        f"{len(regional):,} projects of an ELY centre or regional council, "
        f"{len(regional & with_region):,} with an inferred region; {len(national):,} of a "
        f"national authority, {len(national & with_region)} with one; {seats:,} projects "
        "with an implementer's seat"
    )
    assert len(regional) > 10_000
    assert regional <= with_region, sorted(regional - with_region)[:5]
    assert not national & with_region  # a ministry or national agency gives no region
    assert seats > 1000


@pytest.mark.slow
def test_county_coverage_counts_the_listed_projects_in_every_county(kg: KnowledgeGraph) -> None:
    counties = resources.data_file("regions", "wellbeing_areas.csv").read_text(encoding="utf-8")
    expected = {
        SGID + "wellbeingcounty/" + r["code"]
        for r in csv.DictReader(counties.splitlines())
        if r["kind"] == "county"
    }
    got = {str(r["county"]): int(str(r["projects"])) for r in kg.query("county_coverage")}
    stated = {
        str(r["county"]): int(str(r["projects"]))
        for r in kg.query("county_coverage", inferred="exclude")
    }
    print("projects by wellbeing county (inferred included):", sorted(got.items()))
    print("stated only:", stated)
    assert len(expected) == 21
    assert set(got) == expected
    assert all(n >= 20 for n in got.values()), got
    assert max(got.values()) < 22_821
    assert sum(stated.values()) < sum(got.values()) / 100  # the lists state no area


@pytest.mark.slow
def test_funding_by_region_agrees_with_the_csv_rows(
    kg: KnowledgeGraph, rows: list[dict[str, str]], inferred: dict[str, set[tuple[str, str]]]
) -> None:
    """Granted EU and state funding of three regions: the query's sum equals the sum over the
    CSV rows whose authority is the region's ELY centre or council, or whose implementer's
    seat (the municipality, or the sub-region or region a joint authority is named after)
    lay in the region in the project's start year."""
    region_of = _region_of_area()
    got = {
        str(r["region"]).rsplit("/", 1)[-1]: (
            Decimal(str(r["grantedEUState"])),
            int(str(r["projects"])),
        )
        for r in kg.query("funding_by_region")
    }
    for region, genitive in CHECKED.items():
        codes = set()
        for r in rows:
            authority = " ".join((r["Viranomainen"] or "").split())
            if authority.startswith(genitive) and REGIONAL_AUTHORITY.search(authority):
                codes.add(r["Koodi"])
                continue
            year = min(max(_start_year(r["Aloituspvm"]) or 2026, 2013), 2026)
            for basis, area in inferred.get(r["Koodi"], ()):
                if basis == "areaBasisImplementer" and region_of.get((area, year)) == region:
                    codes.add(r["Koodi"])
        total = sum((_amount(r[GRANTED]) for r in rows if r["Koodi"] in codes), Decimal(0))
        print(
            f"region {region}: {len(codes):,} projects, granted {total:,.2f} (query: {got[region]})"
        )
        assert got[region] == (total, len(codes))


# three wellbeing counties that are one region each today, and their region's code
COUNTIES = {"08": "06", "13": "11", "21": "19"}


def _today_region(area: str, region_of: dict[tuple[str, int], str]) -> str | None:
    """Today's region of an area IRI; an abolished municipality's through its successors."""
    if (area, 2026) in region_of:
        return region_of[(area, 2026)]
    if f"{SGID}municipality/" not in area:
        return None
    text = resources.data_file("regions", "mergers.csv").read_text(encoding="utf-8")
    successor = {r["abolished"]: r["successor"] for r in csv.DictReader(text.splitlines())}
    code = area.rsplit("/", 1)[-1]
    while code in successor:
        code = successor[code]
        if (f"{SGID}municipality/{code}", 2026) in region_of:
            return region_of[(f"{SGID}municipality/{code}", 2026)]
    return None


@pytest.mark.slow
def test_funding_by_county_year_agrees_with_the_csv_rows(
    kg: KnowledgeGraph, rows: list[dict[str, str]], inferred: dict[str, set[tuple[str, str]]]
) -> None:
    """Granted EU and state funding of all projects (sote=false) in three wellbeing counties,
    summed over years and bases: equal to the sum over the CSV rows whose authority is the
    county's region's ELY centre or council, or whose implementer's seat lies in the county
    today. And every county has sote projects, with a plausible sum."""
    region_of = _region_of_area()
    table = kg.query("funding_by_county_year", sote=False)
    got: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for r in table:
        county = str(r["county"]).rsplit("/", 1)[-1]
        got[county][0] += Decimal(str(r["grantedEUState"]))
        got[county][1] += int(str(r["projects"]))
    genitive = {"06": "Pirkanmaan ", "11": "Pohjois-Savon ", "19": "Lapin "}
    for county, region in COUNTIES.items():
        codes = set()
        for r in rows:
            authority = " ".join((r["Viranomainen"] or "").split())
            if (
                authority.startswith(genitive[region]) and REGIONAL_AUTHORITY.search(authority)
            ) or any(
                basis == "areaBasisImplementer" and _today_region(area, region_of) == region
                for basis, area in inferred.get(r["Koodi"], ())
            ):
                codes.add(r["Koodi"])
        total = sum((_amount(r[GRANTED]) for r in rows if r["Koodi"] in codes), Decimal(0))
        print(
            f"county {county}: {len(codes):,} projects, granted {total:,.2f} (query: {got[county]})"
        )
        assert got[county] == [total, len(codes)]
    sote = kg.query("funding_by_county_year")
    by_county: dict[str, Decimal] = defaultdict(Decimal)
    for r in sote:
        by_county[str(r["countyName"])] += Decimal(str(r["grantedEUState"]))
    print("granted to sote projects by wellbeing county:")
    for name, amount in sorted(by_county.items(), key=lambda kv: -kv[1]):
        print(f"  {name}: {amount:,.0f}")
    assert len(by_county) == 21
    assert all(0 < amount < 2_000_000_000 for amount in by_county.values())
    assert {str(r["basis"]) for r in sote} <= {"stated", "authority", "implementer"}

"""RegionResolver: place names as texts write them, by classification year."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from sotegraph.facts import AreaLevel
from sotegraph.namespaces import SCHEMA, SG, SGID, region_iri
from sotegraph.nlp.voikko import voikko as _voikko
from sotegraph.reference.regions import (
    RegionResolver,
    current_wellbeing_counties,
    inflected_forms,
    regions_graph,
)

SEED_004 = "004_4074baee79ca4e82.txt"
SEED_001 = "001_d86b9bca13a0eb96.txt"

M, S, R, W = (
    AreaLevel.MUNICIPALITY,
    AreaLevel.SUBREGION,
    AreaLevel.REGION,
    AreaLevel.WELLBEING_COUNTY,
)


@pytest.fixture(scope="module")
def resolver() -> RegionResolver:
    return RegionResolver()


@pytest.fixture(scope="module")
def plain() -> RegionResolver:
    """A resolver that does not use Voikko (generated inflection table + suffix stripping)."""
    return RegionResolver(use_voikko=False)


def _area_section(path: Path) -> dict[str, list[str]]:
    """Section 6 (maantieteellinen kohdealue) of an EURA record: level label -> names."""
    text = path.read_text(encoding="utf-8")
    section = text.split("Maantieteellinen kohdealue", 1)[1].split("Toteutuspaikan", 1)[0]
    out: dict[str, list[str]] = {}
    for label in ("Maakunnat", "Seutukunnat", "Kunnat"):
        m = re.search(rf"^{label}:(.*)$", section, re.MULTILINE)
        assert m, f"{label} missing in {path.name}"
        out[label] = [n.strip() for n in m.group(1).split(",") if n.strip()]
    return out


def _start_year(path: Path) -> int:
    m = re.search(r"toteutusaika: Alkaa \d+\.\d+\.(\d{4})", path.read_text(encoding="utf-8"))
    assert m
    return int(m.group(1))


# --------------------------------------------------------------------------------------
# the seeds
# --------------------------------------------------------------------------------------


def test_seed_004_every_area_resolves(resolver: RegionResolver, seeds_dir: Path) -> None:
    path = seeds_dir / SEED_004
    areas = _area_section(path)
    year = _start_year(path)
    assert (len(areas["Kunnat"]), len(areas["Seutukunnat"]), len(areas["Maakunnat"])) == (45, 11, 3)
    regions = [resolver.resolve(n, level=R, year=year) for n in areas["Maakunnat"]]
    subregions = [resolver.resolve(n, level=S, year=year) for n in areas["Seutukunnat"]]
    municipalities = [resolver.resolve(n, level=M, year=year) for n in areas["Kunnat"]]
    unresolved = [
        name
        for name, m in zip(
            areas["Maakunnat"] + areas["Seutukunnat"] + areas["Kunnat"],
            regions + subregions + municipalities,
            strict=True,
        )
        if m is None
    ]
    assert unresolved == []
    assert len({m.code for m in regions if m}) == 3
    assert len({m.code for m in subregions if m}) == 11
    assert len({m.code for m in municipalities if m}) == 45
    # the three levels of the record agree with each other in the project's year
    region_codes = {m.code for m in regions if m}
    subregion_codes = {m.code for m in subregions if m}
    for m in municipalities:
        assert m is not None
        membership = resolver.municipality_membership(m.code, year)
        assert membership.region in region_codes, m.name
        assert membership.subregion in subregion_codes, m.name
        assert m.iri == region_iri("municipality", m.code)


def test_seed_001_area(resolver: RegionResolver, seeds_dir: Path) -> None:
    path = seeds_dir / SEED_001
    areas = _area_section(path)
    year = _start_year(path)
    regions = [resolver.resolve(n, level=R, year=year) for n in areas["Maakunnat"]]
    subregions = [resolver.resolve(n, level=S, year=year) for n in areas["Seutukunnat"]]
    municipalities = [resolver.resolve(n, level=M, year=year) for n in areas["Kunnat"]]
    assert [(m.code, m.name) for m in regions if m] == [("17", "Pohjois-Pohjanmaa")]
    assert sorted((m.code, m.name) for m in subregions if m) == [
        ("173", "Oulunkaari"),
        ("178", "Koillismaa"),
    ]
    assert sorted(m.name for m in municipalities if m) == ["Kuusamo", "Pudasjärvi", "Taivalkoski"]
    for m in municipalities:
        assert m is not None
        assert resolver.municipality_membership(m.code, year).subregion in {"173", "178"}


# --------------------------------------------------------------------------------------
# inflected and Swedish names
# --------------------------------------------------------------------------------------

INFLECTED = [
    # text, level, kind, code, canonical name
    ("Oulunkaaren", S, "subregion", "173", "Oulunkaari"),
    ("Oulunkaaren seutukunnassa", None, "subregion", "173", "Oulunkaari"),
    ("Pielisen Karjalan", S, "subregion", "125", "Pielisen Karjala"),
    ("Pielisen Karjalan seutukunta", None, "subregion", "125", "Pielisen Karjala"),
    ("Koillismaan", S, "subregion", "178", "Koillismaa"),
    ("Koillismaalla", None, "subregion", "178", "Koillismaa"),
    ("Kuusamon", None, "municipality", "305", "Kuusamo"),
    ("Kuusamossa", M, "municipality", "305", "Kuusamo"),
    ("Pudasjärven", None, "municipality", "615", "Pudasjärvi"),
    ("Pudasjärvellä", None, "municipality", "615", "Pudasjärvi"),
    ("Etelä-Savossa", None, "region", "10", "Etelä-Savo"),
    ("Etelä-Savon maakunnassa", None, "region", "10", "Etelä-Savo"),
    ("Pohjois-Karjalassa", None, "region", "12", "Pohjois-Karjala"),
    ("Pohjois-Karjalaan", R, "region", "12", "Pohjois-Karjala"),
    ("Heinäveden", None, "municipality", "090", "Heinävesi"),
    ("Varkauden", S, "subregion", "114", "Varkaus"),
    ("Varkaudessa", M, "municipality", "915", "Varkaus"),
    ("Lappeenrannassa", None, "municipality", "405", "Lappeenranta"),
    ("Helsingissä", None, "municipality", "091", "Helsinki"),
    ("Helsingin kaupungin", None, "municipality", "091", "Helsinki"),
    ("Kuopion seudulla", None, "subregion", "112", "Kuopio"),
    ("Kuopioon", None, "municipality", "297", "Kuopio"),
    ("Kuhmoisissa", None, "municipality", "291", "Kuhmoinen"),
    ("Outokummussa", None, "municipality", "309", "Outokumpu"),
    ("Iisalmesta", None, "municipality", "140", "Iisalmi"),
    (
        "Pohjois-Karjalan hyvinvointialueella",
        None,
        "wellbeingcounty",
        "14",
        "Pohjois-Karjalan hyvinvointialue",
    ),
    (
        "Vantaan ja Keravan hyvinvointialue",
        None,
        "wellbeingcounty",
        "04",
        "Vantaan ja Keravan hyvinvointialue",
    ),
    ("Siun soten", None, "wellbeingcounty", "14", "Pohjois-Karjalan hyvinvointialue"),
    ("Keski-Suomen", W, "wellbeingcounty", "15", "Keski-Suomen hyvinvointialue"),
    # Swedish
    ("Jakobstad", None, "municipality", "598", "Pietarsaari"),
    ("Helsingfors", None, "municipality", "091", "Helsinki"),
    ("Norra Karelen", None, "region", "12", "Pohjois-Karjala"),
    ("Österbotten", R, "region", "15", "Pohjanmaa"),
    ("Mariehamn", None, "municipality", "478", "Maarianhamina"),
    ("Åboland-Turunmaa", S, "subregion", "021", "Åboland-Turunmaa"),
    ("Birkalands välfärdsområde", None, "wellbeingcounty", "08", "Pirkanmaan hyvinvointialue"),
]


@pytest.mark.parametrize(("text", "level", "kind", "code", "name"), INFLECTED)
def test_inflected_and_swedish_names(
    resolver: RegionResolver, text: str, level: AreaLevel | None, kind: str, code: str, name: str
) -> None:
    m = resolver.resolve(text, level=level)
    assert m is not None, text
    assert (m.kind, m.code, m.name) == (kind, code, name)
    assert m.iri == region_iri(kind, code)


FALLBACK = [
    ("Oulunkaaren", S, "173"),
    ("Koillismaan", S, "178"),
    ("Pielisen Karjalan", S, "125"),
    ("Kuusamon", M, "305"),
    ("Pudasjärven", M, "615"),
    ("Etelä-Savossa", R, "10"),
    ("Pohjois-Karjalassa", R, "12"),
    ("Heinävedellä", M, "090"),
    ("Varkauden", S, "114"),
    ("Lappeenrannasta", M, "405"),
    ("Helsingin", M, "091"),
    ("Joensuuhun", M, "167"),
    ("Kuopioon", M, "297"),
    ("Mikkeliin", M, "491"),
    ("Rovaniemellä", M, "698"),
    ("Toholammilla", M, "849"),
    ("Pihtiputaan", M, "601"),
    ("Nurmeksen", M, "541"),
    ("Kannuksessa", M, "217"),
    ("Varsinais-Suomessa", R, "02"),
    ("Uudellamaalla", R, "01"),
    ("Päijät-Hämeessä", R, "07"),
    ("Turun seudulla", None, "023"),
    ("Järviseudun", S, "146"),
    ("Lapissa", None, "19"),
    ("Pohjois-Karjalan hyvinvointialueella", None, "14"),
    ("Kiteellä", M, "260"),
    ("Raahessa", M, "678"),
]


@pytest.mark.parametrize(("text", "level", "code"), FALLBACK)
def test_without_voikko(
    plain: RegionResolver, text: str, level: AreaLevel | None, code: str
) -> None:
    m = plain.resolve(text, level=level)
    assert m is not None
    assert m.code == code


@pytest.mark.skipif(_voikko() is None, reason="libvoikko with a Finnish dictionary not installed")
@pytest.mark.parametrize(
    ("text", "code"),
    [("Siilinjärvellä", "749"), ("Tohmajärvellä", "848"), ("Rääkkylässä", "707")],
)
def test_voikko_base_forms(resolver: RegionResolver, text: str, code: str) -> None:
    m = resolver.resolve(text, level=M, year=2018)
    assert m is not None
    assert m.code == code


def test_region_before_old_municipality(resolver: RegionResolver) -> None:
    # Lappi (Lappi Tl) was merged into Rauma in 2009; today "Lapissa" means the region
    m = resolver.resolve("Lapissa", year=2018)
    assert m is not None
    assert (m.kind, m.code) == ("region", "19")
    old = resolver.resolve("Lappi", level=M, year=2018)
    assert old is not None
    assert (old.code, old.name, old.replaced) == ("684", "Rauma", "406")


def test_inflection_table() -> None:
    assert {"Oulunkaaren", "Oulunkaaressa", "Oulunkaareen"} <= inflected_forms("Oulunkaari")
    assert {"Pielisen Karjalan", "Pielisen Karjalassa"} <= inflected_forms("Pielisen Karjala")
    assert {"Varkauden", "Varkaudessa", "Varkauteen"} <= inflected_forms("Varkaus")
    assert {"Koillismaan", "Koillismaalla", "Koillismaahan"} <= inflected_forms("Koillismaa")
    assert "Helsingin" in inflected_forms("Helsinki")


# --------------------------------------------------------------------------------------
# places that are not classification units
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Turun saaristo", None),
        ("Turun saaristossa", None),
        ("Itä-Suomi", None),
        ("Itä-Suomessa", None),
        ("Koillismaa", M),  # the informal area, asked for as a municipality
        ("Koillismaa", R),
        ("Kuusamo", S),
        ("Uusimaa", W),  # four counties and Helsinki: no single county
        ("Helsinki", W),  # Helsinki is not a wellbeing county
        ("Lapin yliopisto", None),
        ("Saari", None),  # abolished in 2005 and a surname: only with level=MUNICIPALITY
        ("Rautio", None),
        ("", None),
        ("hanke", None),
    ],
)
def test_not_forced(resolver: RegionResolver, text: str, level: AreaLevel | None) -> None:
    assert resolver.resolve(text, level=level) is None


# --------------------------------------------------------------------------------------
# years: mergers and the 2021 region changes
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "code", "name", "replaced"),
    [
        ("Valtimo", 2018, "911", "Valtimo", None),
        ("Valtimo", 2019, "911", "Valtimo", None),
        ("Valtimo", 2020, "541", "Nurmes", "911"),
        ("Valtimolla", 2024, "541", "Nurmes", "911"),
        ("Pertunmaa", 2024, "588", "Pertunmaa", None),
        ("Pertunmaa", 2025, "507", "Mäntyharju", "588"),
        ("Honkajoki", 2020, "099", "Honkajoki", None),
        ("Honkajoki", 2021, "214", "Kankaanpää", "099"),
        ("Nastola", 2015, "532", "Nastola", None),
        ("Nastola", 2016, "398", "Lahti", "532"),
        ("Juankoski", 2018, "297", "Kuopio", "174"),
        ("Vähäkyrö", 2018, "905", "Vaasa", "942"),  # merged 1.1.2013
    ],
)
def test_mergers_by_year(
    resolver: RegionResolver, text: str, year: int, code: str, name: str, replaced: str | None
) -> None:
    m = resolver.resolve(text, level=M, year=year)
    assert m is not None
    assert (m.code, m.name, m.replaced, m.year) == (code, name, replaced, year)


@pytest.mark.parametrize(
    ("code", "name", "region_2020", "region_2021"),
    [
        ("090", "Heinävesi", "10", "12"),
        ("142", "Iitti", "08", "07"),
        ("152", "Isokyrö", "15", "14"),
        ("171", "Joroinen", "10", "11"),
        ("291", "Kuhmoinen", "13", "06"),
    ],
)
def test_region_changes_2021(
    resolver: RegionResolver, code: str, name: str, region_2020: str, region_2021: str
) -> None:
    m = resolver.resolve(name, year=2020)
    assert m is not None
    assert m.code == code
    assert resolver.municipality_membership(code, 2020).region == region_2020
    assert resolver.municipality_membership(code, 2021).region == region_2021


def test_heinavesi_by_year(resolver: RegionResolver) -> None:
    m2018 = resolver.municipality_membership("090", 2018)
    assert resolver.match("region", m2018.region).name == "Etelä-Savo"
    assert m2018.wellbeing_county is None  # no counties before 2023
    m2023 = resolver.municipality_membership("090", 2023)
    assert m2023.region == "12"
    assert resolver.match("wellbeingcounty", m2023.wellbeing_county or "").name == (
        "Pohjois-Karjalan hyvinvointialue"
    )


def test_membership_helsinki_and_aland(resolver: RegionResolver) -> None:
    helsinki = resolver.municipality_membership("091", 2024)
    assert (helsinki.wellbeing_county, helsinki.sote_area) == (None, "90")
    mariehamn = resolver.municipality_membership(478, 2024)
    assert (mariehamn.wellbeing_county, mariehamn.sote_area, mariehamn.region) == (None, "91", "21")
    with pytest.raises(KeyError):
        resolver.municipality_membership("911", 2021)  # Valtimo no longer exists


def test_nuts3_codes_by_year(resolver: RegionResolver) -> None:
    # Vaala moved to Pohjois-Pohjanmaa in 2016; NUTS 2013 kept it in Kainuu (FI1D4) until 2017
    assert resolver.municipality_membership("785", 2014).nuts3 == "FI1D4"
    assert resolver.municipality_membership("785", 2018).nuts3 == "FI1D9"
    assert resolver.municipality_membership("020", 2023).nuts3 == "FI197"
    assert resolver.municipality_membership("020", 2024).nuts3 == "FI19B"


def test_current_wellbeing_counties(resolver: RegionResolver) -> None:
    areas = [resolver.resolve(t, year=2018) for t in ("Heinävesi", "Valtimo", "Kuopion seutu")]
    counties = current_wellbeing_counties([a for a in areas if a])
    assert [(c.code, c.year) for c in counties] == [("13", 2026), ("14", 2026)]
    assert current_wellbeing_counties(["091"]) == []  # Helsinki is not a county
    uusimaa = current_wellbeing_counties([str(region_iri("region", 1))])
    assert [c.code for c in uusimaa] == ["01", "02", "03", "04"]
    # a 2018 region with the municipalities it had then (Heinävesi, Joroinen moved in 2021)
    etela_savo = resolver.resolve("Etelä-Savossa", year=2018)
    assert etela_savo is not None
    assert [c.code for c in current_wellbeing_counties([etela_savo])] == ["12", "13", "14"]
    assert [c.code for c in current_wellbeing_counties([resolver.match("region", "10")])] == ["12"]
    # a sub-region that no longer exists (Kyrönmaa, until 2020)
    kyronmaa = current_wellbeing_counties([str(region_iri("subregion", 151))])
    assert [c.code for c in kyronmaa] == ["16", "17"]


def test_level_wellbeing_county_from_region(resolver: RegionResolver) -> None:
    m = resolver.resolve("Pohjois-Karjalan", level=W, year=2018)
    assert m is not None
    assert (m.kind, m.code, m.year) == ("wellbeingcounty", "14", 2023)


def test_years_outside_range_are_clamped(resolver: RegionResolver) -> None:
    m = resolver.resolve("Kuopio", year=1990)
    assert m is not None
    assert m.year == 2013
    m = resolver.resolve("Kuopio", year=2040)
    assert m is not None
    assert m.year == 2026


# --------------------------------------------------------------------------------------
# the RDF reference graph
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph():  # type: ignore[no-untyped-def]
    return regions_graph()


def test_graph_units(graph) -> None:  # type: ignore[no-untyped-def]
    assert graph.identifier == SGID["graph/regions"]
    count = {
        cls: len(set(graph.subjects(RDF.type, cls)))
        for cls in (SG.Municipality, SG.SubRegion, SG.Region, SG.WellbeingCounty)
    }
    assert count[SG.WellbeingCounty] == 21
    assert count[SG.Region] == 19
    assert count[SG.SubRegion] >= 70
    assert count[SG.Municipality] > 320  # every code 2013-2026 plus older abolished ones
    helsinki = region_iri("municipality", 91)
    assert (helsinki, SKOS.prefLabel, Literal("Helsingfors", lang="sv")) in graph
    assert (helsinki, SKOS.notation, Literal("091")) in graph
    assert (helsinki, SG.inWellbeingCounty, None) not in graph
    assert (region_iri("wellbeingcounty", 90), None, None) not in graph


def test_graph_current_and_yearly_membership(graph) -> None:  # type: ignore[no-untyped-def]
    heinavesi = region_iri("municipality", 90)
    assert (heinavesi, SG.inRegion, region_iri("region", 12)) in graph
    assert (heinavesi, SG.inWellbeingCounty, region_iri("wellbeingcounty", 14)) in graph
    node2018 = SGID["membership/090-2018"]
    assert (node2018, RDF.type, SG.RegionMembership) in graph
    assert (node2018, SG.municipality, heinavesi) in graph
    assert (node2018, SG.classificationYear, Literal(2018, datatype=XSD.integer)) in graph
    assert (node2018, SG.inRegion, region_iri("region", 10)) in graph
    assert (node2018, SG.inWellbeingCounty, None) not in graph
    node2023 = SGID["membership/090-2023"]
    assert (node2023, SG.inWellbeingCounty, region_iri("wellbeingcounty", 14)) in graph
    rows = list(
        graph.query(
            """SELECT (COUNT(?m) AS ?n) WHERE {
                 ?m sg:classificationYear 2023 ; a sg:RegionMembership }""",
            initNs={"sg": SG._NS},
        )
    )
    assert int(rows[0][0]) == 309


def test_graph_mergers(graph) -> None:  # type: ignore[no-untyped-def]
    valtimo, nurmes = region_iri("municipality", 911), region_iri("municipality", 541)
    assert (valtimo, DCTERMS.isReplacedBy, nurmes) in graph
    assert (nurmes, DCTERMS.replaces, valtimo) in graph
    assert (valtimo, SCHEMA.dissolutionDate, Literal("2020-01-01", datatype=XSD.date)) in graph
    pertunmaa = region_iri("municipality", 588)
    assert (pertunmaa, DCTERMS.isReplacedBy, region_iri("municipality", 507)) in graph


# --------------------------------------------------------------------------------------
# speed: used on 22,821 bulk projects
# --------------------------------------------------------------------------------------


def test_lookups_are_fast(resolver: RegionResolver) -> None:
    names = ["Kuopion", "Oulunkaaren", "Etelä-Savossa", "Valtimo", "Turun saaristo"] * 2000
    start = time.perf_counter()
    for i, name in enumerate(names):
        resolver.resolve(name, year=2014 + i % 10)
    elapsed = time.perf_counter() - start
    print(f"{len(names)} cached lookups in {elapsed:.3f} s")
    assert elapsed < 1.0


def test_gold_regions_and_subregions(resolver: RegionResolver, gold: dict, seeds_dir: Path) -> None:  # type: ignore[type-arg]
    """Canonical names resolved from the seeds' area sections equal the gold base forms."""
    compared = 0
    for project in gold["projects"]:
        if not project.get("doc") or not (project.get("regions") or project.get("subregions")):
            continue
        path = seeds_dir / project["doc"]
        areas = _area_section(path)
        year = _start_year(path)
        for label, level, key in (("Maakunnat", R, "regions"), ("Seutukunnat", S, "subregions")):
            got = {
                m.name for n in areas[label] if (m := resolver.resolve(n, level=level, year=year))
            }
            want = set(project.get(key, []))
            tp = len(got & want)
            precision = tp / len(got) if got else 0.0
            recall = tp / len(want) if want else 1.0
            print(f"{project['doc']} {key}: precision {precision:.2f} recall {recall:.2f}")
            assert got == want
            compared += 1
    assert compared >= 4


# --------------------------------------------------------------------------------------
# find: place names in free text
# --------------------------------------------------------------------------------------

FIND = [
    # sentence, [(text, code or None for an unresolved area)]
    (
        "Hanke toimii Kuusamossa ja Taivalkoskella.",
        [("Kuusamossa", "305"), ("Taivalkoskella", "832")],
    ),
    (
        "Mukana ovat Pielisen Karjalan seutukunta sekä Vantaan ja Keravan hyvinvointialue.",
        [("Pielisen Karjalan seutukunta", "125"), ("Vantaan ja Keravan hyvinvointialue", "04")],
    ),
    ("Kokeilu tehdään Turun saaristossa.", [("Turun saaristossa", None)]),
    ("Palvelut heikkenevät Itä-Suomessa.", [("Itä-Suomessa", None)]),
    ("Turun yliopisto ja Kuopion yliopistollinen sairaala tutkivat asiaa.", []),
    ("Helsingin Sanomat kertoi asiasta.", []),
    ("Etelä-Savon ELY-keskus rahoittaa hanketta.", []),
    ("Matti Salo vetää hanketta Lahdessa.", [("Lahdessa", "398")]),
    (
        "Kuopio, Siilinjärvi ja Leppävirta.",
        [("Kuopio", "297"), ("Siilinjärvi", "749"), ("Leppävirta", "420")],
    ),
    (
        "Seutukunnat: Sisä-Savon, Pieksämäen\n\nKunnat: Mäntyharju",
        [("Sisä-Savon", "115"), ("Pieksämäen", "593"), ("Mäntyharju", "507")],
    ),
]


@pytest.mark.skipif(_voikko() is None, reason="libvoikko not installed")
@pytest.mark.parametrize(("sentence", "expected"), FIND)
def test_find(
    resolver: RegionResolver, sentence: str, expected: list[tuple[str, str | None]]
) -> None:
    found = resolver.find(sentence, year=2018)
    assert [(p.text, p.code) for p in found] == expected
    for p in found:
        assert p.span is not None
        assert sentence[p.span.start : p.span.end] == p.text
        if p.code is not None:
            assert p.iri is not None
            assert p.level is not AreaLevel.UNKNOWN
        else:
            assert p.iri is None


# --------------------------------------------------------------------------------------
# the two questions the regions graph answers for projects (SPARQL over the graph)
# --------------------------------------------------------------------------------------

TODAY_MAP = """
PREFIX sg: <https://w3id.org/sotegraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?project ?county WHERE {
  ?project sg:targetArea ?area .
  OPTIONAL { ?project sg:classificationYear ?year }
  {
    ?area a sg:Municipality . BIND(?area AS ?m)
  } UNION {
    # the municipalities of a sub-region or region in the project's classification year
    ?membership sg:classificationYear ?year ; sg:municipality ?m .
    { ?membership sg:inSubRegion ?area } UNION { ?membership sg:inRegion ?area }
  }
  ?m dcterms:isReplacedBy* ?now .
  ?now a sg:Municipality ; sg:inWellbeingCounty ?county .
}
"""

IN_ITS_YEAR = """
PREFIX sg: <https://w3id.org/sotegraph/ontology#>
SELECT ?project ?region WHERE {
  ?project sg:targetArea ?area ; sg:classificationYear ?year .
  ?membership sg:municipality ?area ; sg:classificationYear ?year ; sg:inRegion ?region .
}
"""


def test_sparql_today_map_and_own_year(graph) -> None:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    extra = Graph()
    p1, p2 = SGID["project/T1"], SGID["project/T2"]
    for area in (region_iri("municipality", 90), region_iri("municipality", 911)):
        extra.add((p1, SG.targetArea, area))  # Heinävesi and Valtimo, classified in 2018
    extra.add((p1, SG.classificationYear, Literal(2018, datatype=XSD.integer)))
    extra.add((p2, SG.targetArea, region_iri("subregion", 112)))  # Kuopio sub-region
    p3 = SGID["project/T3"]
    extra.add((p3, SG.targetArea, region_iri("region", 10)))  # Etelä-Savo as in 2018
    extra.add((p3, SG.classificationYear, Literal(2018, datatype=XSD.integer)))
    store = ox.Store()
    for g in (graph, extra):
        store.load(g.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    today = {(r["project"].value, r["county"].value) for r in store.query(TODAY_MAP)}
    assert today == {
        (str(p1), str(region_iri("wellbeingcounty", 14))),  # both now in Pohjois-Karjala
        (str(p2), str(region_iri("wellbeingcounty", 13))),
        # Etelä-Savo of 2018 lies in three counties today (Heinävesi, Joroinen moved)
        (str(p3), str(region_iri("wellbeingcounty", 12))),
        (str(p3), str(region_iri("wellbeingcounty", 13))),
        (str(p3), str(region_iri("wellbeingcounty", 14))),
    }
    own_year = {
        r["region"].value for r in store.query(IN_ITS_YEAR) if r["project"].value == str(p1)
    }
    # in 2018 Heinävesi was in Etelä-Savo and Valtimo in Pohjois-Karjala
    assert own_year == {str(region_iri("region", 10)), str(region_iri("region", 12))}


# --------------------------------------------------------------------------------------
# robustness: any text, any year
# --------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sotegraph.reference.regions import RegionMatch  # noqa: E402

_RESOLVER = RegionResolver()


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=60),
    year=st.one_of(st.none(), st.integers(min_value=1800, max_value=2200)),
    level=st.one_of(st.none(), st.sampled_from(list(AreaLevel))),
)
def test_resolve_never_raises(text: str, year: int | None, level: AreaLevel | None) -> None:
    m = _RESOLVER.resolve(text, level=level, year=year)
    assert m is None or isinstance(m, RegionMatch)
    if m is not None:
        assert 2013 <= m.year <= 2026
        assert level in (None, AreaLevel.UNKNOWN) or m.kind == level.value


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_find_spans_are_inside_text(text: str) -> None:
    for p in _RESOLVER.find(text):
        assert p.span is not None
        assert text[p.span.start : p.span.end] == p.text

"""Generate the shipped reference data in ``data/regions/`` and ``data/themes.ttl``.

Reads the copies of public reference data in ``../shared/reference`` (see its README) and
writes small, deterministic files:

``data/regions/municipalities.csv``
    One row per municipality code and span of years (2013–2026) in which its names, sub-region,
    region, wellbeing services area and NUTS 3 code did not change.
``data/regions/subregions.csv``, ``regions.csv``, ``wellbeing_areas.csv``, ``nuts3.csv``
    Names (fi/sv/en) of the classification units, one row per code and span of years.
``data/regions/mergers.csv``
    Abolished municipality → successor, with the date the merger took effect.
``data/regions/aliases.csv``
    A few hand-checked aliases (brand names of wellbeing services counties).
``data/themes.ttl``
    The SKOS concept scheme of sote development themes, from the table ``THEMES`` below,
    with ``skos:exactMatch`` links to YSO concepts looked up in the YSO label files.

Usage::

    python scripts/generate_reference_data.py [REFERENCE_DIR] [--out DATA_DIR]

The output depends only on the input files: rows are sorted, line endings are ``\\n``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference"
FIRST_YEAR, LAST_YEAR = 2013, 2026
# Wellbeing services counties exist (are "in force") from 1.1.2023. geofi also carries the
# planned counties on the 2018–2022 keys; those are dropped here.
COUNTY_FIRST_YEAR = 2023
# Codes of the two sote areas in the geofi keys that are NOT wellbeing services counties.
HELSINKI_AREA, ALAND_AREA = "90", "91"

# Mergers that took effect after the copied Statistics Finland lists end (the lists stop at
# 2017 / 1.1.2021). Fact from Statistics Finland's list of abolished municipalities:
# Pertunmaa (588) was joined to Mäntyharju (507) on 1.1.2025 (geofi: 588 last present 2024).
MANUAL_MERGERS: list[tuple[str, str, str, str, str]] = [
    ("588", "Pertunmaa", "507", "Mäntyharju", "2025-01-01"),
]

# Brand names of wellbeing services counties used in texts (facts; the organisations authority
# file may list the same names as organisations). kind, code, alias.
ALIASES: list[tuple[str, str, str]] = [
    ("wellbeingcounty", "02", "Keusote"),
    ("wellbeingcounty", "04", "Vakehyva"),
    ("wellbeingcounty", "05", "Varha"),
    ("wellbeingcounty", "06", "Satasote"),
    ("wellbeingcounty", "07", "Oma Häme"),
    ("wellbeingcounty", "08", "Pirha"),
    ("wellbeingcounty", "09", "Päijät-Sote"),
    ("wellbeingcounty", "10", "Kymenhva"),
    ("wellbeingcounty", "11", "Eksote"),
    ("wellbeingcounty", "12", "Eloisa"),
    ("wellbeingcounty", "14", "Siun sote"),
    ("wellbeingcounty", "15", "Hyvaks"),
    ("wellbeingcounty", "18", "Soite"),
    ("wellbeingcounty", "19", "Pohde"),
    ("wellbeingcounty", "21", "Lapha"),
    ("region", "21", "Ahvenanmaan maakunta"),
]


def _clean(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value == "NA" else " ".join(value.split())


def _pad(value: str, width: int) -> str:
    value = _clean(value)
    if not value:
        return ""
    return f"{int(float(value)):0{width}d}"


def _read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def _write_csv(path: Path, header: list[str], rows: Iterable[Iterable[object]]) -> int:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return n


def _english_unit(name: str) -> str:
    """geofi 2013–2019 English sub-region names carry a " sub-regional unit" suffix."""
    return name.removesuffix(" sub-regional unit").strip()


def _spans(by_year: dict[int, tuple[str, ...]]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Collapse {year: values} into (first, last, values) runs of consecutive equal values."""
    out: list[tuple[int, int, tuple[str, ...]]] = []
    for year in sorted(by_year):
        values = by_year[year]
        if out and out[-1][1] == year - 1 and out[-1][2] == values:
            out[-1] = (out[-1][0], year, values)
        else:
            out.append((year, year, values))
    return out


def load_keys(reference: Path) -> dict[int, list[dict[str, str]]]:
    """Return the geofi municipality key rows by year (the stacked 2013–2026 file)."""
    rows = _read_csv(reference / "municipalities" / "geofi_municipality_key.csv")
    by_year: dict[int, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        year = int(float(row["year"]))
        if FIRST_YEAR <= year <= LAST_YEAR:
            by_year[year].append(row)
    return by_year


def build_regions(reference: Path, out: Path) -> dict[str, int]:
    """Write ``out/regions/*.csv`` and return the number of rows written per file."""
    keys = load_keys(reference)
    regions_dir = out / "regions"
    regions_dir.mkdir(parents=True, exist_ok=True)

    # NUTS 3 is missing on the 2013–2016 keys. The 2017 key still uses the NUTS 2013 codes
    # (Vaala 785: FI1D4 Kainuu in 2017, FI1D9 from 2018), which were also the NUTS 2010 codes
    # (regions_nuts_changes_FI_excerpt.csv): fill 2013–2016 from the 2017 code of the same
    # municipality, or of its successor for the municipalities abolished before 2017.
    nuts2017 = {_pad(r["kunta"], 3): _clean(r["nuts3_code"]) for r in keys[2017]}
    mergers = read_mergers(reference, keys)
    successor = {m[0]: m[2] for m in mergers}

    def nuts_for(code: str, year: int, row: dict[str, str]) -> str:
        value = _clean(row.get("nuts3_code"))
        if value or year >= 2017:
            return value
        seen = code
        while seen not in nuts2017 and seen in successor:
            seen = successor[seen]
        return nuts2017.get(seen, "")

    muni: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    subregions: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    regions: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    areas: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    nuts: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    nuts_names: dict[str, tuple[str, str, str]] = {}
    for year, rows in sorted(keys.items()):
        for r in rows:
            code = _pad(r["kunta"], 3)
            sk = _pad(r["seutukunta_code"], 3)
            mk = _pad(r["maakunta_code"], 2)
            area = _pad(r["hyvinvointialue_code"], 2) if year >= COUNTY_FIRST_YEAR else ""
            n3 = nuts_for(code, year, r)
            muni[code][year] = (
                _clean(r["municipality_name_fi"]),
                _clean(r["municipality_name_sv"]),
                _clean(r["municipality_name_en"]),
                sk,
                mk,
                area,
                n3,
            )
            subregions[sk][year] = (
                _clean(r["seutukunta_name_fi"]),
                _clean(r["seutukunta_name_sv"]),
                _english_unit(_clean(r["seutukunta_name_en"])),
                mk,
            )
            regions[mk][year] = (
                # "Ahvenanmaa - Åland" (2013–2019) is the same region as "Ahvenanmaa".
                _clean(r["maakunta_name_fi"]).removesuffix(" - Åland"),
                _clean(r["maakunta_name_sv"]),
                _clean(r["maakunta_name_en"]),
            )
            if area:
                areas[area][year] = (
                    _clean(r["hyvinvointialue_name_fi"]),
                    _clean(r["hyvinvointialue_name_sv"]),
                    _clean(r["hyvinvointialue_name_en"]),
                    "helsinki"
                    if area == HELSINKI_AREA
                    else "aland"
                    if area == ALAND_AREA
                    else "county",
                )
            if n3 and _clean(r.get("nuts3_name_fi")):
                nuts_names[n3] = (
                    _clean(r["nuts3_name_fi"]),
                    _clean(r["nuts3_name_sv"]),
                    _clean(r["nuts3_name_en"]),
                )
            if n3:
                nuts[n3][year] = ("",)

    counts: dict[str, int] = {}

    def spans_rows(table: dict[str, dict[int, tuple[str, ...]]]) -> list[list[object]]:
        rows: list[list[object]] = []
        for code in sorted(table):
            for first, last, values in _spans(table[code]):
                rows.append([code, first, last, *values])
        return rows

    counts["municipalities.csv"] = _write_csv(
        regions_dir / "municipalities.csv",
        [
            "code",
            "first_year",
            "last_year",
            "name_fi",
            "name_sv",
            "name_en",
            "subregion",
            "region",
            "wellbeing_area",
            "nuts3",
        ],
        spans_rows(muni),
    )
    counts["subregions.csv"] = _write_csv(
        regions_dir / "subregions.csv",
        ["code", "first_year", "last_year", "name_fi", "name_sv", "name_en", "region"],
        spans_rows(subregions),
    )
    counts["regions.csv"] = _write_csv(
        regions_dir / "regions.csv",
        ["code", "first_year", "last_year", "name_fi", "name_sv", "name_en"],
        spans_rows(regions),
    )
    counts["wellbeing_areas.csv"] = _write_csv(
        regions_dir / "wellbeing_areas.csv",
        ["code", "first_year", "last_year", "name_fi", "name_sv", "name_en", "kind"],
        spans_rows(areas),
    )
    nuts_rows: list[list[object]] = []
    for code in sorted(nuts):
        years = sorted(nuts[code])
        fi, sv, en = nuts_names.get(code, ("", "", ""))
        nuts_rows.append([code, years[0], years[-1], fi, sv, en])
    counts["nuts3.csv"] = _write_csv(
        regions_dir / "nuts3.csv",
        ["code", "first_year", "last_year", "name_fi", "name_sv", "name_en"],
        nuts_rows,
    )
    counts["mergers.csv"] = _write_csv(
        regions_dir / "mergers.csv",
        ["abolished", "name_fi", "successor", "successor_name_fi", "date", "source"],
        mergers,
    )
    counts["aliases.csv"] = _write_csv(
        regions_dir / "aliases.csv",
        ["kind", "code", "alias"],
        sorted(ALIASES),
    )
    return counts


def _iso(date_fi: str) -> str:
    day, month, year = (int(x) for x in date_fi.split("."))
    return f"{year:04d}-{month:02d}-{day:02d}"


def read_mergers(
    reference: Path, keys: dict[int, list[dict[str, str]]]
) -> list[tuple[str, str, str, str, str, str]]:
    """Return (abolished, name, successor, successor name, ISO date, source) rows, sorted.

    Sources, in order: Statistics Finland's list of abolished municipalities (via Meeris/kuntar,
    up to 2017), the kuntar 2015–2018 addendum, the statficlassifications key (mergers up to
    1.1.2021, no dates: the date is 1 January of the first year the code is missing from the
    geofi keys) and ``MANUAL_MERGERS``. For abolitions inside 2013–2026 the date is the
    effective one from the geofi keys (the Statistics Finland list gives the decision date
    26.11.2014 for the 2015 mergers).
    """
    present: dict[str, set[int]] = defaultdict(set)
    for year, rows in keys.items():
        for r in rows:
            present[_pad(r["kunta"], 3)].add(year)

    def effective(code: str, given: str) -> str:
        years = present.get(code)
        if years and max(years) < LAST_YEAR:
            return f"{max(years) + 1}-01-01"
        return given

    out: dict[str, tuple[str, str, str, str, str, str]] = {}
    mergers_dir = reference / "mergers"
    lists = [
        ("kuntar_lakkautetut_kunnnat_2019_tilastokeskus.csv", ",", "Statistics Finland"),
        ("kuntar_kuntaliitokset_2015-2018.txt", "\t", "Statistics Finland (kuntar addendum)"),
    ]
    for name, delimiter, source in lists:
        with (mergers_dir / name).open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            next(reader)
            for row in reader:
                abolished, title, date, successor, successor_name = (_clean(x) for x in row[:5])
                if not successor or not successor.isdigit():
                    continue  # ceded areas (1944) have no successor
                a, s = _pad(abolished, 3), _pad(successor, 3)
                out[a] = (a, title, s, successor_name, effective(a, _iso(date)), source)

    names: dict[str, str] = {}
    for r in _read_csv(mergers_dir / "statficlassifications_region_code_to_name_key.csv"):
        if r["alue_code"].startswith("KU"):
            names[r["alue_code"][2:]] = _clean(r["alue_name"])
    joins: dict[str, list[str]] = defaultdict(list)
    for r in _read_csv(mergers_dir / "statficlassifications_abolished_mun_key.csv"):
        a, s = r["joiner"][2:], r["joinee"][2:]
        if a != s:
            joins[a].append(s)
    for a, targets in sorted(joins.items()):
        if a in out or len(targets) != 1:
            continue  # split municipalities (two successors) are not mergers
        date = effective(a, "")
        if not date:
            continue
        s = targets[0]
        out[a] = (a, names.get(a, ""), s, names.get(s, ""), date, "Statistics Finland (pttry)")

    for a, title, s, successor_name, date in MANUAL_MERGERS:
        out[a] = (a, title, s, successor_name, date, "Statistics Finland (added by hand)")
    return [out[k] for k in sorted(out)]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    reference: Path = args.reference
    if not (reference / "municipalities").is_dir():
        parser.error(f"reference data not found at {reference}")
    counts = build_regions(reference, args.out)
    counts.update(build_themes(reference, args.out))
    for name, n in counts.items():
        print(f"{name}: {n} rows", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------------------
# Themes
# --------------------------------------------------------------------------------------

# The sote development themes: (Finnish prefLabel, Swedish, English, Finnish altLabels,
# broader themes by Finnish prefLabel, YSO prefLabel (Finnish) of the matching concept or None,
# "exact" | "close"). Labels and hierarchy written for sotegraph; YSO ids are looked up by
# the YSO Finnish prefLabel in ../shared/reference/themes/ (never typed by hand).
# Horizontal principles present in every EURA record (gender equality, sustainable
# development) are deliberately not themes: they would be assigned to every project.
Theme = tuple[str, str, str, tuple[str, ...], tuple[str, ...], str | None, str]
THEMES: list[Theme] = [
    (
        "johtaminen",
        "ledarskap",
        "leadership and management",
        ("johtajuus", "esihenkilötyö", "esimiestyö"),
        (),
        "johtaminen",
        "exact",
    ),
    (
        "muutosjohtaminen",
        "förändringsledning",
        "change management",
        ("muutoksen johtaminen", "muutostuki"),
        ("johtaminen",),
        "muutosjohtaminen",
        "exact",
    ),
    (
        "lähijohtaminen",
        "närledarskap",
        "first-line management",
        ("lähiesihenkilötyö", "lähiesimiestyö"),
        ("johtaminen",),
        "lähijohtaminen",
        "exact",
    ),
    (
        "tiedolla johtaminen",
        "kunskapsbaserad ledning",
        "knowledge-based management",
        ("tietojohtaminen", "tietoon perustuva johtaminen"),
        ("johtaminen",),
        None,
        "exact",
    ),
    (
        "työkykyjohtaminen",
        "ledning av arbetsförmåga",
        "work ability management",
        ("työkyvyn johtaminen",),
        ("johtaminen", "työkyky"),
        None,
        "exact",
    ),
    (
        "työhyvinvointi",
        "välbefinnande i arbetet",
        "wellbeing at work",
        ("työssä jaksaminen", "työssäjaksaminen", "työhyvinvoinnin kehittäminen"),
        ("työelämä",),
        "työhyvinvointi",
        "exact",
    ),
    (
        "työkyky",
        "arbetsförmåga",
        "work ability",
        ("työkykyisyys", "työ- ja toimintakyky"),
        ("työhyvinvointi",),
        "työkyky",
        "exact",
    ),
    (
        "osatyökykyiset",
        "partiellt arbetsföra",
        "people with partial work ability",
        ("osatyökykyinen", "osatyökykyisyys"),
        ("työkyky", "työllisyys"),
        "osatyökykyiset",
        "exact",
    ),
    (
        "työterveyshuolto",
        "företagshälsovård",
        "occupational health care",
        ("työterveys", "työterveyspalvelut"),
        ("työhyvinvointi",),
        "työterveyshuolto",
        "exact",
    ),
    (
        "työelämä",
        "arbetsliv",
        "working life",
        ("työelämän kehittäminen", "työelämän laatu"),
        (),
        "työelämä",
        "exact",
    ),
    (
        "etätyö",
        "distansarbete",
        "remote work",
        ("etätyöskentely", "hybridityö", "monipaikkainen työ"),
        ("työelämä", "digitalisaatio"),
        "etätyö",
        "exact",
    ),
    (
        "tuottavuus",
        "produktivitet",
        "productivity",
        ("työn tuottavuus",),
        ("työelämä",),
        "tuottavuus",
        "exact",
    ),
    (
        "osallisuus",
        "delaktighet",
        "participation and inclusion",
        ("osallistaminen", "osallistuminen"),
        (),
        "osallisuus",
        "exact",
    ),
    (
        "asiakasosallisuus",
        "klientdelaktighet",
        "client participation",
        ("asiakkaiden osallisuus", "asiakasosallistaminen", "asiakkaan osallisuus"),
        ("osallisuus", "asiakaslähtöisyys"),
        None,
        "exact",
    ),
    (
        "kokemusasiantuntijuus",
        "erfarenhetsexpertis",
        "experts by experience",
        ("kokemusasiantuntija", "kokemusasiantuntijat", "kokemusosaaminen"),
        ("osallisuus",),
        "kokemusasiantuntijat",
        "exact",
    ),
    (
        "asiakaslähtöisyys",
        "klientorientering",
        "client orientation",
        ("asiakaslähtöinen", "asiakaskeskeisyys", "asiakaskeskeinen", "asiakaskokemus"),
        (),
        "asiakaslähtöisyys",
        "exact",
    ),
    (
        "yhteisöllisyys",
        "gemenskap",
        "community spirit",
        ("yhteisöllinen", "yhteisöllisyyden vahvistaminen"),
        ("osallisuus",),
        "yhteisöllisyys",
        "exact",
    ),
    (
        "yrittäjyys",
        "företagande",
        "entrepreneurship",
        ("yrittäjä", "yrittäjät", "yritystoiminta", "yrittäjämäinen"),
        (),
        "yrittäjyys",
        "exact",
    ),
    (
        "kevytyrittäjyys",
        "lätt företagande",
        "light entrepreneurship",
        ("kevytyrittäjä", "kevytyrittäjät", "laskutuspalveluyrittäjyys"),
        ("yrittäjyys",),
        None,
        "exact",
    ),
    (
        "yhteiskunnallinen yritys",
        "samhällsföretag",
        "social enterprise",
        (
            "yhteiskunnalliset yritykset",
            "yhteiskunnallinen yrittäjyys",
            "yhteiskunnallinen yrittäjä",
            "sosiaalinen yritys",
            "sosiaaliset yritykset",
        ),
        ("yrittäjyys",),
        "yhteiskunnallinen yrittäjyys",
        "close",
    ),
    (
        "osuuskunnat",
        "andelslag",
        "cooperatives",
        ("osuuskunta", "osuuskuntatoiminta", "osuuskuntayrittäjyys", "työosuuskunta"),
        ("yrittäjyys",),
        "osuuskunnat",
        "exact",
    ),
    (
        "pk-yritykset",
        "små och medelstora företag",
        "small and medium-sized enterprises",
        (
            "pk-yritys",
            "pienyritys",
            "pienyritykset",
            "mikroyritys",
            "mikroyritykset",
            "pienet ja keskisuuret yritykset",
        ),
        ("yrittäjyys",),
        "pienet ja keskisuuret yritykset",
        "exact",
    ),
    (
        "liiketoimintaosaaminen",
        "affärskompetens",
        "business skills",
        (
            "liiketoimintataidot",
            "liiketoimintaosaamisen kehittäminen",
        ),
        ("yrittäjyys", "osaaminen"),
        None,
        "exact",
    ),
    (
        "liiketoimintamallit",
        "affärsmodeller",
        "business models",
        ("liiketoimintamalli", "ansaintamalli", "ansaintalogiikka"),
        ("yrittäjyys",),
        "liiketoimintamallit",
        "exact",
    ),
    (
        "digitalisaatio",
        "digitalisering",
        "digitalisation",
        (
            "digitalisuus",
            "digitaalisuus",
            "digitalisointi",
            "digitalisoituminen",
            "digiosaaminen",
            "digitaidot",
            "digitaaliset taidot",
        ),
        (),
        "digitalisaatio",
        "exact",
    ),
    (
        "etäpalvelut",
        "distanstjänster",
        "remote services",
        (
            "etäpalvelu",
            "etävastaanotto",
            "etäasiointi",
            "videovastaanotto",
            "etäkuntoutus",
            "etähoito",
            "etäyhteys",
        ),
        ("digitalisaatio", "sosiaali- ja terveyspalvelut"),
        "etäpalvelut",
        "exact",
    ),
    (
        "sähköiset palvelut",
        "elektroniska tjänster",
        "electronic services",
        (
            "sähköinen palvelu",
            "sähköinen asiointi",
            "digitaaliset palvelut",
            "digitaalinen palvelu",
            "verkkopalvelu",
            "verkkopalvelut",
            "digipalvelu",
            "digipalvelut",
        ),
        ("digitalisaatio",),
        "sähköiset palvelut",
        "exact",
    ),
    (
        "alustatalous",
        "plattformsekonomi",
        "platform economy",
        (
            "digitaalinen alusta",
            "digitaaliset alustat",
            "alustapalvelu",
            "palvelualusta",
            "verkkoalusta",
            "digialusta",
        ),
        ("digitalisaatio", "ekosysteemit"),
        "alustatalous",
        "exact",
    ),
    (
        "hyvinvointiteknologia",
        "välfärdsteknologi",
        "welfare technology",
        ("terveysteknologia", "hoivateknologia", "hyvinvointiteknologiat"),
        ("digitalisaatio",),
        "hyvinvointiteknologia",
        "exact",
    ),
    (
        "ekosysteemit",
        "ekosystem (affärsliv)",
        "ecosystems (business)",
        (
            "ekosysteemi",
            "innovaatioekosysteemi",
            "palveluekosysteemi",
            "liiketoimintaekosysteemi",
            "yritysekosysteemi",
        ),
        ("verkostoituminen",),
        None,
        "exact",
    ),
    (
        "verkostoituminen",
        "nätverksbyggande",
        "networking",
        ("verkosto", "verkostot", "verkostoyhteistyö", "verkostomainen toiminta", "verkostotyö"),
        (),
        "verkostoituminen",
        "exact",
    ),
    (
        "yhteiskehittäminen",
        "samutveckling",
        "co-development",
        ("yhteiskehittely", "yhdessä kehittäminen", "yhteissuunnittelu", "yhteiskehittämisen"),
        ("verkostoituminen", "osallisuus"),
        None,
        "exact",
    ),
    (
        "moniammatillisuus",
        "multiprofessionalitet",
        "multiprofessional collaboration",
        ("moniammatillinen yhteistyö", "monialainen yhteistyö", "monialaisuus", "moniammatillinen"),
        ("verkostoituminen",),
        "moniammatillisuus",
        "exact",
    ),
    (
        "innovaatiot",
        "innovationer",
        "innovations",
        ("innovaatio", "innovaatiotoiminta", "palveluinnovaatio", "sosiaalinen innovaatio"),
        (),
        "innovaatiot",
        "exact",
    ),
    (
        "palvelumuotoilu",
        "tjänstedesign",
        "service design",
        ("palveluiden muotoilu",),
        ("innovaatiot", "asiakaslähtöisyys"),
        "palvelumuotoilu",
        "exact",
    ),
    (
        "kansainvälistyminen",
        "internationalisering",
        "internationalisation",
        ("kansainvälistäminen", "kansainvälinen yhteistyö"),
        ("yrittäjyys",),
        "kansainvälistyminen",
        "exact",
    ),
    (
        "sosiaali- ja terveyspalvelut",
        "social- och hälsovårdstjänster",
        "social and health services",
        (
            "sote-palvelut",
            "sosiaali- ja terveydenhuolto",
            "sosiaalipalvelut",
            "terveyspalvelut",
            "hyvinvointipalvelut",
        ),
        (),
        None,
        "exact",
    ),
    (
        "sote-uudistus",
        "social- och hälsovårdsreformen",
        "health and social services reform",
        ("sote-integraatio", "sote-rakenneuudistus", "hyvinvointialueuudistus", "palvelurakenne"),
        ("sosiaali- ja terveyspalvelut",),
        "sote-uudistus",
        "exact",
    ),
    (
        "hyvinvointiala",
        "välfärdsbranschen",
        "welfare sector",
        ("sote-ala", "sosiaali- ja terveysala", "hoiva-ala", "sosiaaliala", "terveysala"),
        (),
        "hyvinvointiala",
        "exact",
    ),
    (
        "palveluohjaus",
        "servicehandledning",
        "service counselling",
        ("asiakasohjaus", "palveluneuvonta"),
        ("sosiaali- ja terveyspalvelut",),
        "palveluohjaus",
        "exact",
    ),
    (
        "ikääntyneet",
        "äldre",
        "older people",
        (
            "ikääntynyt",
            "ikäihminen",
            "ikäihmiset",
            "vanhus",
            "vanhukset",
            "seniori",
            "seniorit",
            "ikääntyminen",
        ),
        (),
        "ikääntyneet",
        "exact",
    ),
    (
        "vanhuspalvelut",
        "äldreomsorg",
        "services for older people",
        (
            "vanhustenhuolto",
            "vanhustyö",
            "ikääntyneiden palvelut",
            "hoivapalvelut",
            "ympärivuorokautinen hoiva",
        ),
        ("ikääntyneet", "sosiaali- ja terveyspalvelut"),
        "vanhuspalvelut",
        "exact",
    ),
    (
        "kotihoito",
        "hemvård",
        "home care",
        ("kotipalvelu", "kotipalvelut", "kotiin annettavat palvelut", "kotisairaanhoito"),
        ("vanhuspalvelut",),
        "kotihoito",
        "exact",
    ),
    (
        "omaishoito",
        "närståendevård",
        "informal care",
        ("omaishoitaja", "omaishoitajat", "omaishoitajuus"),
        ("vanhuspalvelut",),
        "omaishoito",
        "exact",
    ),
    (
        "mielenterveys",
        "mental hälsa",
        "mental health",
        (
            "mielenterveystyö",
            "mielenterveyden edistäminen",
            "mielenterveysongelmat",
            "mielenterveyskuntoutuja",
            "mielenterveyskuntoutujat",
        ),
        (),
        "mielenterveys",
        "exact",
    ),
    (
        "mielenterveyspalvelut",
        "mentalvårdstjänster",
        "mental health services",
        ("mielenterveyspalvelu", "psykiatrinen hoito"),
        ("mielenterveys", "sosiaali- ja terveyspalvelut"),
        "mielenterveyspalvelut",
        "exact",
    ),
    (
        "päihdetyö",
        "missbrukarvård",
        "substance abuse work",
        ("päihdepalvelut", "päihdehuolto", "päihdekuntoutus", "päihteet", "riippuvuudet"),
        ("mielenterveys",),
        "päihdetyö",
        "exact",
    ),
    (
        "lastensuojelu",
        "barnskydd",
        "child welfare",
        ("lastensuojelutyö", "sijaishuolto", "perhehoito"),
        ("lapsiperheet",),
        "lastensuojelu",
        "exact",
    ),
    (
        "lapsiperheet",
        "barnfamiljer",
        "families with children",
        ("lapsiperhe", "perheet", "perhe", "perhepalvelut", "perhetyö", "perhekeskus"),
        (),
        "lapsiperheet",
        "exact",
    ),
    (
        "nuoret",
        "unga",
        "young people",
        ("nuori", "nuoriso", "nuorisotyö", "nuoret aikuiset"),
        (),
        "nuoret",
        "exact",
    ),
    (
        "syrjäytyminen",
        "utslagning",
        "social exclusion",
        ("syrjäytymisen ehkäisy", "syrjäytymisvaara", "syrjäytyneet"),
        ("osallisuus",),
        "syrjäytyminen",
        "exact",
    ),
    (
        "yksinäisyys",
        "ensamhet",
        "loneliness",
        ("yksinäiset", "sosiaalinen eristäytyminen"),
        ("osallisuus",),
        "yksinäisyys",
        "exact",
    ),
    (
        "maahanmuuttajat",
        "invandrare",
        "immigrants",
        ("maahanmuuttaja", "maahanmuutto", "kotoutuminen", "kotouttaminen"),
        (),
        "maahanmuuttajat",
        "exact",
    ),
    (
        "vammaispalvelut",
        "handikappservice",
        "disability services",
        ("vammaiset", "vammainen", "vammaisuus", "kehitysvammaiset", "kehitysvammaisuus"),
        ("sosiaali- ja terveyspalvelut",),
        "vammaispalvelut",
        "exact",
    ),
    (
        "kuntoutus",
        "rehabilitering",
        "rehabilitation",
        ("kuntouttaminen", "kuntoutuja", "kuntoutujat", "ammatillinen kuntoutus"),
        ("sosiaali- ja terveyspalvelut",),
        "kuntoutus",
        "exact",
    ),
    (
        "toimintakyky",
        "funktionsförmåga",
        "functional capacity",
        ("toimintakyvyn tukeminen", "arjen toimintakyky"),
        (),
        "toimintakyky",
        "exact",
    ),
    (
        "ennaltaehkäisy",
        "förebyggande",
        "prevention",
        (
            "ennaltaehkäisevä työ",
            "ennaltaehkäisevät palvelut",
            "ennaltaehkäiseminen",
            "ennaltaehkäisevä",
        ),
        (),
        "ennaltaehkäisy",
        "exact",
    ),
    (
        "terveyden edistäminen",
        "hälsofrämjande",
        "health promotion",
        ("hyvinvoinnin edistäminen", "hyvinvoinnin ja terveyden edistäminen", "hyte"),
        ("ennaltaehkäisy",),
        "terveyden edistäminen",
        "exact",
    ),
    (
        "sosiaalityö",
        "socialt arbete",
        "social work",
        ("sosiaaliohjaus", "aikuissosiaalityö"),
        ("sosiaali- ja terveyspalvelut",),
        "sosiaalityö",
        "exact",
    ),
    (
        "perusterveydenhuolto",
        "primärvård",
        "primary health care",
        ("terveyskeskus", "terveyskeskukset", "perusterveydenhoito"),
        ("sosiaali- ja terveyspalvelut",),
        "perusterveydenhuolto",
        "exact",
    ),
    (
        "järjestöt",
        "organisationer",
        "non-governmental organisations",
        (
            "järjestö",
            "yhdistys",
            "yhdistykset",
            "järjestötoiminta",
            "kansalaisjärjestö",
            "kansalaisjärjestöt",
            "sote-järjestö",
            "sote-järjestöt",
        ),
        ("kolmas sektori",),
        "järjestöt",
        "exact",
    ),
    (
        "kolmas sektori",
        "tredje sektorn",
        "third sector",
        ("kolmannen sektorin toimijat", "järjestösektori"),
        (),
        "kolmas sektori",
        "exact",
    ),
    (
        "vapaaehtoistyö",
        "frivilligarbete",
        "voluntary work",
        ("vapaaehtoistoiminta", "vapaaehtoinen", "vapaaehtoiset"),
        ("kolmas sektori",),
        "vapaaehtoistyö",
        "exact",
    ),
    (
        "työllisyys",
        "sysselsättning",
        "employment",
        (
            "työllistäminen",
            "työllistyminen",
            "työllistymisen edistäminen",
            "työttömyys",
            "työttömät",
        ),
        (),
        "työllisyys",
        "exact",
    ),
    (
        "pitkäaikaistyöttömät",
        "långtidsarbetslösa",
        "long-term unemployed",
        ("pitkäaikaistyötön", "pitkäaikaistyöttömyys"),
        ("työllisyys",),
        "pitkäaikaistyöttömät",
        "exact",
    ),
    (
        "osaaminen",
        "kompetens",
        "competence",
        (
            "osaamisen kehittäminen",
            "ammattitaito",
            "ammattiosaaminen",
            "osaamistarpeet",
            "henkilöstön osaaminen",
        ),
        (),
        "osaaminen",
        "exact",
    ),
    (
        "täydennyskoulutus",
        "fortbildning",
        "continuing education",
        ("lisäkoulutus", "täydennyskoulutukset", "henkilöstökoulutus"),
        ("osaaminen",),
        "täydennyskoulutus",
        "exact",
    ),
    (
        "työvoimapula",
        "arbetskraftsbrist",
        "labour shortage",
        ("osaajapula", "rekrytointi", "rekrytointiongelmat", "henkilöstöpula", "hoitajapula"),
        ("työllisyys",),
        "työvoimapula",
        "exact",
    ),
    (
        "tuettu asuminen",
        "stött boende",
        "supported housing",
        ("asumispalvelut", "asumisen tuki", "palveluasuminen"),
        ("sosiaali- ja terveyspalvelut",),
        "tuettu asuminen",
        "exact",
    ),
]


THEME_NS = "https://w3id.org/sotegraph/id/theme/"


def read_yso(reference: Path) -> dict[str, list[str]]:
    """Return {Finnish prefLabel: [YSO concept URIs]} from the YSO 2019.3 label file."""
    out: dict[str, list[str]] = defaultdict(list)
    path = reference / "themes" / "yso-ysoplaces-cicero-fi.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        uri, _, label = line.partition("\t")
        out[label.strip()].append(uri.strip().strip("<>"))
    return out


def _ttl_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_themes(reference: Path, out: Path) -> dict[str, int]:
    """Write ``out/themes.ttl`` (a SKOS concept scheme) and return its concept count.

    Raises
    ------
    SystemExit
        If a YSO label of the table is not in the YSO file or names several concepts, or a
        broader theme is not in the table.
    """
    sys.path.insert(0, str(ROOT / "src"))
    from sotegraph.namespaces import slugify

    yso = read_yso(reference)
    labels = {t[0] for t in THEMES}
    if len(labels) != len(THEMES):
        raise SystemExit("duplicate theme label in THEMES")
    lines = [
        "# sotegraph themes: a SKOS concept scheme of sote development themes.",
        "# GENERATED by scripts/generate_reference_data.py from its THEMES table; do not edit.",
        "# skos:exactMatch / skos:closeMatch point to YSO (General Finnish Ontology) 2019.3,",
        "# YSO (c) National Library of Finland, CC BY 4.0; see themes.SOURCE.md.",
        "@prefix sg: <https://w3id.org/sotegraph/ontology#> .",
        "@prefix sgid: <https://w3id.org/sotegraph/id/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix yso: <http://www.yso.fi/onto/yso/> .",
        "",
        "sgid:theme a skos:ConceptScheme ;",
        '    skos:prefLabel "sotegraphin teemat"@fi, "sotegraphs teman"@sv, "sotegraph themes"@en ;',
        '    dcterms:description "Sosiaali- ja terveysalan kehittämishankkeiden teemat."@fi,',
        '        "Themes of social- and health-care development projects."@en ;',
        '    dcterms:source "https://finto.fi/yso/" .',
        "",
    ]
    owner: dict[str, str] = {}
    for fi, _sv, _en, alts, *_ in THEMES:
        for label in (fi, *alts):
            if owner.setdefault(label.casefold(), fi) != fi:
                raise SystemExit(
                    f"label {label!r} of {fi!r} is also a label of {owner[label.casefold()]!r}"
                )
    narrower: dict[str, list[str]] = defaultdict(list)
    for fi, *_rest in THEMES:
        for parent in _rest[3]:
            if parent not in labels:
                raise SystemExit(f"theme {fi!r}: broader {parent!r} is not a theme")
            narrower[parent].append(fi)
    for fi, sv, en, alts, broader, yso_label, match in sorted(THEMES):
        slug = slugify(fi)
        body = [
            "sg:Theme, skos:Concept",
        ]
        props = [
            "    skos:inScheme sgid:theme",
            f"    skos:prefLabel {_ttl_string(fi)}@fi, {_ttl_string(sv)}@sv, {_ttl_string(en)}@en",
        ]
        if alts:
            props.append(
                "    skos:altLabel " + ", ".join(f"{_ttl_string(a)}@fi" for a in sorted(set(alts)))
            )
        if broader:
            props.append(
                "    skos:broader "
                + ", ".join(f"<{THEME_NS}{slugify(b)}>" for b in sorted(broader))
            )
        else:
            props.append("    skos:topConceptOf sgid:theme")
        if narrower.get(fi):
            props.append(
                "    skos:narrower "
                + ", ".join(f"<{THEME_NS}{slugify(n)}>" for n in sorted(narrower[fi]))
            )
        if yso_label is not None:
            uris = yso.get(yso_label, [])
            if len(uris) != 1:
                raise SystemExit(f"theme {fi!r}: YSO label {yso_label!r} matches {uris}")
            local = uris[0].rsplit("/", 1)[-1]
            prop = "skos:exactMatch" if match == "exact" else "skos:closeMatch"
            props.append(f"    {prop} yso:{local}")
        props.append(f"    skos:notation {_ttl_string(slug)}")
        lines.append(f"<{THEME_NS}{slug}> a {body[0]} ;")
        lines.append(" ;\n".join(props) + " .")
        lines.append("")
    tops = sorted(slugify(t[0]) for t in THEMES if not t[4])
    lines.append(
        "sgid:theme skos:hasTopConcept "
        + ",\n    ".join(f"<{THEME_NS}{slug}>" for slug in tops)
        + " ."
    )
    lines.append("")
    (out / "themes.ttl").write_text("\n".join(lines), encoding="utf-8", newline="")
    return {"themes.ttl": len(THEMES)}


if __name__ == "__main__":
    raise SystemExit(main())

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


def build_themes(reference: Path, out: Path) -> dict[str, int]:  # replaced below
    return {}


if __name__ == "__main__":
    raise SystemExit(main())

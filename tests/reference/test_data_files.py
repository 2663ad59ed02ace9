"""Every shipped data file loads; the regional data agrees with its source."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import rdflib

from sotegraph import resources

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = resources.list_data_files()


def _rows(*parts: str) -> list[dict[str, str]]:
    text = resources.data_file(*parts).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _in_year(rows: list[dict[str, str]], year: int) -> list[dict[str, str]]:
    return [r for r in rows if int(r["first_year"]) <= year <= int(r["last_year"])]


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_data_file_loads(name: str) -> None:
    node = resources.data_file(*name.split("/"))
    raw = node.read_bytes()
    if name.endswith(".gitkeep"):
        return
    assert raw, f"{name} is empty"
    text = raw.decode("utf-8")
    if name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 2, f"{name} has no data rows"
        assert all(len(r) == len(rows[0]) for r in rows if r), f"{name}: ragged rows"
    elif name.endswith(".json"):
        json.loads(text)
    elif name.endswith(".jsonl"):
        for line in text.splitlines():
            if line.strip():
                json.loads(line)
    elif name.endswith(".ttl"):
        assert len(rdflib.Graph().parse(data=text, format="turtle")) > 0


@pytest.mark.parametrize(
    "name", [n for n in DATA_FILES if n.startswith("regions/") or n.startswith("themes.")]
)
def test_reference_data_notes_its_source(name: str) -> None:
    note = "regions/README.md" if name.startswith("regions/") else "themes.SOURCE.md"
    text = resources.data_file(*note.split("/")).read_text(encoding="utf-8")
    assert "CC BY 4.0" in text
    if name.startswith("regions/") and name.endswith(".csv"):
        assert f"`{name.split('/')[1]}`" in text, f"{name} not described in {note}"


def test_municipality_counts_per_year() -> None:
    rows = _rows("regions", "municipalities.csv")
    counts = {year: len(_in_year(rows, year)) for year in range(2013, 2027)}
    # Statistics Finland: municipalities on 1 January of each year
    assert counts == {
        2013: 320,
        2014: 320,
        2015: 317,
        2016: 313,
        2017: 311,
        2018: 311,
        2019: 311,
        2020: 310,
        2021: 309,
        2022: 309,
        2023: 309,
        2024: 309,
        2025: 308,
        2026: 308,
    }
    # one row per code and year at most
    for year in (2013, 2020, 2026):
        codes = [r["code"] for r in _in_year(rows, year)]
        assert len(codes) == len(set(codes))
        assert all(len(c) == 3 and c.isdigit() for c in codes)


def test_wellbeing_areas_2023() -> None:
    areas = _in_year(_rows("regions", "wellbeing_areas.csv"), 2023)
    kinds = Counter(r["kind"] for r in areas)
    assert kinds == {"county": 21, "helsinki": 1, "aland": 1}
    munis = _in_year(_rows("regions", "municipalities.csv"), 2023)
    used = Counter(r["wellbeing_area"] for r in munis)
    assert used["90"] == 1  # Helsinki alone
    assert len([c for c in used if c not in ("90", "91")]) == 21
    assert all(
        r["wellbeing_area"] == "" for r in _in_year(_rows("regions", "municipalities.csv"), 2022)
    )


def test_units_per_year() -> None:
    assert len(_in_year(_rows("regions", "regions.csv"), 2023)) == 19
    subregions = _rows("regions", "subregions.csv")
    # 70 sub-regions until 2020; Kyrönmaa (151) ended with the 2021 changes
    assert len({r["code"] for r in _in_year(subregions, 2020)}) == 70
    assert len({r["code"] for r in _in_year(subregions, 2023)}) == 69


def test_mergers() -> None:
    mergers = {r["abolished"]: r for r in _rows("regions", "mergers.csv")}
    assert (mergers["911"]["successor"], mergers["911"]["date"]) == ("541", "2020-01-01")
    assert (mergers["588"]["successor"], mergers["588"]["date"]) == ("507", "2025-01-01")
    assert (mergers["413"]["successor"], mergers["413"]["date"]) == ("609", "2015-01-01")
    munis = _rows("regions", "municipalities.csv")
    last_year = {}
    for r in munis:
        last_year[r["code"]] = max(last_year.get(r["code"], 0), int(r["last_year"]))
    # every municipality that disappears inside 2013-2026 has a successor with that date
    for code, year in last_year.items():
        if year < 2026:
            assert code in mergers, code
            assert mergers[code]["date"] == f"{year + 1}-01-01", code


def test_against_source(reference_dir: Path) -> None:
    """The shipped counts equal the geofi/Statistics Finland key they were made from."""
    source = list(
        csv.DictReader(
            io.StringIO(
                (reference_dir / "municipalities" / "geofi_municipality_key_2023.csv").read_text(
                    encoding="utf-8"
                )
            )
        )
    )
    shipped = _in_year(_rows("regions", "municipalities.csv"), 2023)
    assert len(source) == len(shipped) == 309
    assert len({r["seutukunta_code"] for r in source}) == len({r["subregion"] for r in shipped})
    by_code = {r["code"]: r for r in shipped}
    for row in source:
        code = f"{int(float(row['kunta'])):03d}"
        mine = by_code[code]
        assert mine["name_fi"] == row["municipality_name_fi"].strip()
        assert mine["region"] == f"{int(float(row['maakunta_code'])):02d}"
        assert mine["subregion"] == f"{int(float(row['seutukunta_code'])):03d}"
        assert mine["wellbeing_area"] == f"{int(float(row['hyvinvointialue_code'])):02d}"
        assert mine["nuts3"] == row["nuts3_code"]
    counties = {
        row["hyvinvointialue_code"]
        for row in csv.DictReader(
            io.StringIO(
                (
                    reference_dir
                    / "wellbeing_counties"
                    / "hyvinvointialueet_2023_2026_derived_from_geofi.csv"
                ).read_text(encoding="utf-8")
            )
        )
        if row["year"] == "2023"
    }
    assert len(counties) == 23  # 21 counties + Helsinki (90) + Åland (91)


def test_generator_is_deterministic(reference_dir: Path, tmp_path: Path) -> None:
    script = ROOT / "scripts" / "generate_reference_data.py"
    subprocess.run(
        [sys.executable, str(script), str(reference_dir), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in DATA_FILES:
        if (name.startswith("regions/") and name.endswith(".csv")) or name == "themes.ttl":
            generated = (tmp_path / name).read_bytes()
            assert generated == resources.data_file(*name.split("/")).read_bytes(), name


def test_shipped_regions_are_small() -> None:
    total = sum(
        len(resources.data_file(*n.split("/")).read_bytes())
        for n in DATA_FILES
        if n.startswith("regions/")
    )
    assert total < 500_000

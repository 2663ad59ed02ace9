"""The map (sotegraph.maps) and the report (sotegraph.report): boundaries, numbers, pages.

The numbers of the map are checked against the named queries, which place areas by their own
SPARQL (county_coverage, funding_by_region with map=today): two implementations that must
agree. The pages are opened in headless Chromium (tests/chromium.py); screenshots go to
tests/artifacts/.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sotegraph import maps, resources
from sotegraph.cli import app
from sotegraph.queries import run_query
from sotegraph.report import chart_spec, report_html, top_organisations

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _key_2023() -> list[dict[str, str]]:
    text = resources.data_file("regions", "municipalities.csv").read_text(encoding="utf-8")
    return [
        r
        for r in csv.DictReader(io.StringIO(text))
        if int(r["first_year"]) <= 2023 <= int(r["last_year"])
    ]


# -- boundaries -------------------------------------------------------------------------------


def test_boundaries_cover_every_area_of_the_2023_key() -> None:
    key = _key_2023()
    codes = {
        "municipality": {r["code"] for r in key},
        "region": {r["region"] for r in key},
        "county": {r["wellbeing_area"] for r in key},
    }
    for level in maps.Level:
        features = maps.boundaries(level)["features"]
        got = {f["properties"]["code"] for f in features}
        print(level.value, len(features), "features")
        assert got == codes[level.value], level
        for f in features:
            assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}
            assert f["properties"]["name"]
    kinds = {
        f["properties"]["code"]: f["properties"]["kind"]
        for f in maps.boundaries("county")["features"]
    }
    assert kinds["90"] == "helsinki"
    assert kinds["91"] == "aland"
    assert sorted(c for c, k in kinds.items() if k == "county") == [
        f"{i:02d}" for i in range(1, 22)
    ]


def test_boundaries_are_small_and_sourced() -> None:
    names = [n for n in resources.list_data_files() if n.startswith("boundaries/")]
    total = sum(len(resources.data_file(*n.split("/")).read_bytes()) for n in names)
    print(f"data/boundaries/: {total:,} bytes in {len(names)} files")
    assert total < 400_000
    note = resources.data_file("boundaries", "SOURCE.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in note
    assert "National Land Survey of Finland" in note
    assert "scripts/generate_boundaries.py" in note


def test_union_of_neighbours_has_no_inner_border() -> None:
    """A county's outline is the union of its municipalities: its ring count is small and its
    points all lie on its municipalities' borders."""
    munis = maps.boundaries("municipality")["features"]
    points = {tuple(p) for f in munis for poly in _polygons(f) for ring in poly for p in ring}
    for f in maps.boundaries("county")["features"]:
        ring_points = {tuple(p) for poly in _polygons(f) for ring in poly for p in ring}
        assert ring_points <= points, f["properties"]["code"]
    # a county's outline has fewer points than its municipalities together
    members = [m for m in munis if m["properties"]["area"] == "08"]
    inner = sum(len(r) for m in members for poly in _polygons(m) for r in poly)
    outer = sum(len(r) for poly in _polygons(_feature("county", "08")) for r in poly)
    assert outer < inner


def _polygons(feature: dict[str, Any]) -> list[Any]:
    geom = feature["geometry"]
    return [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]


def _feature(level: str, code: str) -> dict[str, Any]:
    return next(f for f in maps.boundaries(level)["features"] if f["properties"]["code"] == code)


def test_merged_municipality_moves_to_its_successor() -> None:
    sgid = "https://w3id.org/sotegraph/id/"
    # Lavia (413) was joined to Pori (609) in 2015: Pori's region (04) and county (06)
    assert maps._feature_code(maps.Level.MUNICIPALITY, f"{sgid}municipality/413") == "609"
    assert maps._feature_code(maps.Level.REGION, f"{sgid}municipality/413") == "04"
    assert maps._feature_code(maps.Level.COUNTY, f"{sgid}municipality/413") == "06"
    assert maps._feature_code(maps.Level.COUNTY, f"{sgid}municipality/091") == "90"


# -- numbers ----------------------------------------------------------------------------------


def _code(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _payload(page: str, element: str = "map-data") -> dict[str, Any]:
    m = re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', page, re.S)
    assert m is not None
    return dict(json.loads(m.group(1)))


def _page_totals(
    payload: dict[str, Any],
    level: str,
    *,
    inferred: bool = True,
    sote_only: bool = False,
    period: str | None = None,
) -> dict[str, Any]:
    """Sums of the rows embedded in the page, as the page's script adds them."""
    out: dict[str, list[float]] = {}
    for code, _y, p, basis, rel, n, granted, realised in payload["levels"][level]["rows"]:
        if not inferred and basis != "stated":
            continue
        if (sote_only and rel != "sote") or (period and p != period):
            continue
        total = out.setdefault(code, [0, 0.0, 0.0])
        total[0] += n
        total[1] += granted
        total[2] += realised
    return out


def _check_against_queries(kg: Any, data: maps.MapData) -> None:
    store = kg.store if hasattr(kg, "store") else kg
    page = _payload(maps.map_html(store, data=data))
    for inferred in ("include", "exclude"):
        rows = run_query(store, "county_coverage", inferred=inferred).to_python()
        expected = {_code(r["county"]): r["projects"] for r in rows}
        got = {
            c: int(v[0])
            for c, v in _page_totals(page, "county", inferred=inferred == "include").items()
            if c not in ("90", "91")  # Helsinki and Åland: no county, not in the query
        }
        print(f"county_coverage inferred={inferred}: {len(expected)} counties, page {len(got)}")
        assert got == {c: n for c, n in expected.items() if n}
    rows = run_query(store, "funding_by_region", map="today").to_python(json_safe=True)
    expected_r = {
        _code(r["region"]): (r["projects"], round(r["grantedEUState"]), round(r["realisedEUState"]))
        for r in rows
    }
    got_r = {
        c: (int(v[0]), round(v[1]), round(v[2])) for c, v in _page_totals(page, "region").items()
    }
    print(f"funding_by_region map=today: {len(expected_r)} regions, page {len(got_r)}")
    assert got_r == expected_r
    # by county, year, period and basis, all projects and sote projects
    for sote in (False, True):
        rows = run_query(store, "funding_by_county_year", sote=sote).to_python(json_safe=True)
        expected_c = {
            (_code(r["county"]), r["year"], r["period"] and _code(r["period"]), r["basis"]): (
                r["projects"],
                round(r["grantedEUState"]),
                round(r["realisedEUState"]),
            )
            for r in rows
        }
        sums: dict[tuple[Any, ...], list[float]] = {}
        for code, y, p, basis, rel, n, granted, realised in page["levels"]["county"]["rows"]:
            if code in ("90", "91") or (sote and rel != "sote"):
                continue
            total = sums.setdefault((code, y, p, basis), [0, 0.0, 0.0])
            total[0] += n
            total[1] += granted
            total[2] += realised
        got_c = {k: (int(v[0]), round(v[1]), round(v[2])) for k, v in sums.items()}
        print(f"funding_by_county_year sote={sote}: {len(expected_c)} rows, page {len(got_c)}")
        assert got_c == expected_c


def test_seed_map_numbers_equal_the_named_queries(seeds_kg: Any) -> None:
    data = maps.map_data(seeds_kg)
    assert data.projects > 0
    _check_against_queries(seeds_kg, data)


@pytest.mark.slow
def test_bulk_map_numbers_equal_the_named_queries(bulk_store_kg: Any) -> None:
    data = maps.map_data(bulk_store_kg)
    assert data.projects == 22821
    _check_against_queries(bulk_store_kg, data)
    # every project is placed or counted as unplaced, once per level
    for level in maps.Level:
        unplaced = {r[5] for r in data.unplaced[level.value]}
        assert all(n > 0 for n in unplaced)


def test_map_page_is_self_contained(seeds_kg: Any, tmp_path: Path) -> None:
    path = maps.write_map(seeds_kg, tmp_path / "map.html", measure="granted", level="region")
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "@import" not in page
    assert "fetch(" not in page.split('id="map-data"')[-1]
    assert "Content-Security-Policy" in page
    assert page.count("<script") == page.count("</script>")
    payload = _payload(page)
    assert payload["state"]["measure"] == "granted"
    assert payload["state"]["level"] == "region"
    assert set(payload["levels"]) == {"county", "region", "municipality"}
    assert "National Land Survey of Finland" in payload["attribution"]
    print(f"seed map page: {len(page.encode()):,} bytes")


def test_map_refuses_unknown_options(seeds_kg: Any) -> None:
    from sotegraph.errors import UsageError

    with pytest.raises(UsageError, match="valid: county, region, municipality"):
        maps.map_html(seeds_kg, level="kunta")
    with pytest.raises(UsageError, match="measure"):
        maps.map_html(seeds_kg, measure="euros")


def test_report_spec_and_tables(seeds_kg: Any) -> None:
    data = maps.map_data(seeds_kg)
    spec = chart_spec(data)
    by_time = spec["datasets"]["byTime"]
    assert sum(r["projects"] for r in by_time) == data.projects
    granted = sum(p["granted"] for p in data.by_project)
    assert round(sum(r["granted"] for r in by_time)) == round(granted)
    top = top_organisations(seeds_kg, limit=5)
    assert top
    assert all(r["projects"] >= 1 for r in top)
    assert [r["projects"] for r in top] == sorted((r["projects"] for r in top), reverse=True)
    page = report_html(seeds_kg, data=data, top=5)
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert page.count("<script") == page.count("</script>")
    assert _payload(page, "chart-spec")["datasets"]["byTime"] == by_time
    print(f"seed report page: {len(page.encode()):,} bytes")


@pytest.mark.slow
def test_cli_map_and_report(bulk_store_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "map.html"
    result = runner.invoke(
        app, ["map", "--store", str(bulk_store_dir), "-o", str(out), "--measure", "granted"]
    )
    assert result.exit_code == 0, result.output
    assert _payload(out.read_text(encoding="utf-8"))["projects"] == 22821
    bad = runner.invoke(app, ["map", "--store", str(bulk_store_dir), "--period", "1999"])
    assert bad.exit_code == 2
    none = runner.invoke(app, ["report", "-o", str(tmp_path / "r.html")])
    assert none.exit_code == 2
    assert "error:" in none.output
    assert "Traceback" not in none.output


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture
def chromium() -> Iterator[Any]:
    from chromium import CHROMIUM, Chromium

    if CHROMIUM is None:
        pytest.skip("headless Chromium not installed (Debian: apt-get install -y chromium)")
    pytest.importorskip("websocket", reason="websocket-client is needed to drive Chromium")
    with tempfile.TemporaryDirectory(
        prefix="sotegraph-chromium-", ignore_cleanup_errors=True
    ) as profile:
        browser = Chromium(Path(profile), width=1280, height=860)
        try:
            yield browser
        finally:
            browser.close()


DRAWN = (
    "Object.fromEntries([...document.querySelectorAll('#map path.area')]"
    ".map(p => [p.dataset.code, Number(p.dataset.value)]))"
)
MAP_READY = "window.sotegraphMap && sotegraphMap.drawn > 0"
FILLS = "[...document.querySelectorAll('#map path.area')].map(p => p.getAttribute('fill'))"


def _check_map_page(browser: Any, page: Path, shot: str) -> None:
    browser.open(page, ready=MAP_READY)
    payload = _payload(page.read_text(encoding="utf-8"))
    for level, n in (("municipality", 309), ("region", 19), ("county", 23)):
        drawn = browser.evaluate(f"sotegraphMap.set('level', '{level}')")
        paths = browser.evaluate(
            "[...document.querySelectorAll('#map path.area[data-code]')]"
            ".filter(p => (p.getAttribute('d') || '').length > 20).length"
        )
        print(f"{level}: {paths} areas drawn")
        assert drawn == paths == n
    # the values drawn are the sums of the embedded rows
    drawn_values = browser.evaluate(DRAWN)
    expected = {c: v[0] for c, v in _page_totals(payload, "county").items()}
    assert {c: v for c, v in drawn_values.items() if v} == expected
    # sote only, one period: the page's filters give the same sums as Python's
    browser.evaluate("sotegraphMap.set('soteOnly', true)")
    browser.evaluate("sotegraphMap.set('period', '2014-2020')")
    drawn_values = browser.evaluate(DRAWN)
    filtered = _page_totals(payload, "county", sote_only=True, period="2014-2020")
    print(f"sote only, 2014-2020: {len(filtered)} areas with projects")
    assert {c: v for c, v in drawn_values.items() if v} == {c: v[0] for c, v in filtered.items()}
    browser.evaluate("sotegraphMap.set('soteOnly', false)")
    browser.evaluate("sotegraphMap.set('period', '')")
    before = browser.evaluate(FILLS)
    browser.evaluate("sotegraphMap.set('measure', 'granted')")
    after = browser.evaluate(FILLS)
    assert len(before) == len(after) == 23
    if len(set(before)) > 2:  # enough areas with values to tell measures apart
        assert before != after, "switching the measure changed no colour"
    browser.evaluate("sotegraphMap.set('measure', 'projects')")
    legend = browser.evaluate("document.getElementById('legend').innerText")
    assert "Helsinki" in legend
    basis = browser.evaluate("document.getElementById('basis').innerText")
    assert "stated" in basis
    assert "authority" in basis
    assert "National Land Survey" in browser.evaluate(
        "document.getElementById('attribution').textContent"
    )
    browser.screenshot(ARTIFACTS / shot)
    errors, requests = browser.problems(page)
    assert errors == [], errors
    assert requests == [], requests


@pytest.mark.browser
def test_seed_map_in_chromium(chromium: Any, seeds_kg: Any, tmp_path: Path) -> None:
    page = maps.write_map(seeds_kg, tmp_path / "map-seeds.html", title="sotegraph seeds")
    _check_map_page(chromium, page, "map_seeds.png")


@pytest.mark.browser
@pytest.mark.slow
def test_bulk_map_in_chromium(chromium: Any, bulk_store_kg: Any, tmp_path: Path) -> None:
    page = maps.write_map(bulk_store_kg, tmp_path / "map-bulk.html", title="EURA 2007–2020")
    print(f"bulk map page: {page.stat().st_size:,} bytes")
    _check_map_page(chromium, page, "map_bulk.png")


def _check_report_page(browser: Any, page: Path, shot: str) -> None:
    browser.open(
        page, ready="window.sotegraphReport && (sotegraphReport.ready || sotegraphReport.error)"
    )
    assert browser.evaluate("sotegraphReport.error") is None
    marks = browser.evaluate("document.querySelectorAll('#charts svg .mark-rect path').length")
    print(f"chart bars: {marks}")
    assert marks > 0
    # the radio buttons' parameter filters the data: sote-only draws no more than all
    browser.evaluate("sotegraphReport.view.signal('relevance', 'sote').runAsync().then(() => 1)")
    assert browser.evaluate("sotegraphReport.view.signal('relevance')") == "sote"
    browser.evaluate("sotegraphReport.view.signal('relevance', 'all').runAsync().then(() => 1)")
    browser.wait_until(
        "document.getElementById('map').contentWindow.sotegraphMap"
        " && document.getElementById('map').contentWindow.sotegraphMap.drawn === 23"
    )
    rows = browser.evaluate("document.querySelectorAll('#top-organisations tr[data-org]').length")
    assert rows > 0
    if browser.evaluate("!!document.getElementById('network')"):
        browser.wait_until("!!document.getElementById('network').contentWindow.sotegraphView")
    browser.screenshot(ARTIFACTS / shot)
    errors, requests = browser.problems(page)
    assert errors == [], errors
    assert requests == [], requests


@pytest.mark.browser
def test_seed_report_in_chromium(chromium: Any, seeds_kg: Any, tmp_path: Path) -> None:
    from sotegraph.report import write_report

    page = write_report(seeds_kg, tmp_path / "report-seeds.html", top=10)
    print(f"seed report page: {page.stat().st_size:,} bytes")
    _check_report_page(chromium, page, "report_seeds.png")


@pytest.mark.browser
@pytest.mark.slow
def test_bulk_report_in_chromium(chromium: Any, bulk_store_kg: Any, tmp_path: Path) -> None:
    from sotegraph.report import write_report

    page = write_report(bulk_store_kg, tmp_path / "report-bulk.html", title="EURA 2007–2020")
    print(f"bulk report page: {page.stat().st_size:,} bytes")
    _check_report_page(chromium, page, "report_bulk.png")


VENDORED = ["d3-array", "d3-geo", "vega", "vega-lite", "vega-embed", "vega-interpreter"]


@pytest.mark.parametrize("name", VENDORED)
def test_vendored_javascript_has_its_licence(name: str) -> None:
    view = Path(maps.__file__).parent / "view"
    licence = (view / f"{name}.LICENSE").read_text(encoding="utf-8")
    assert "Copyright" in licence
    script = next(p for p in view.iterdir() if p.name in {f"{name}.min.js", f"{name}.js"})
    head = script.read_text(encoding="utf-8")[:200]
    assert head.startswith(f"/* {name} ")
    assert f"see {name}.LICENSE" in head


def test_map_reads_an_endpoint_as_the_folder(seeds_dir: Path, tmp_path: Path) -> None:
    """``sotegraph map --endpoint`` embeds the same rows as ``--store`` on the same quads."""
    import gc
    import shutil

    from oxigraph_server import oxigraph_binary, start_oxigraph, stop
    from sotegraph.builder import build

    if oxigraph_binary() is None:
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph)")
    folder = tmp_path / "kg"
    kg = build([seeds_dir], store=folder, use_nlp=False, validate=False)
    kg.close()
    del kg
    gc.collect()
    copy = tmp_path / "server"
    shutil.copytree(folder, copy)
    server = start_oxigraph(copy)
    try:
        runner = CliRunner()
        pages = []
        for option, value in (("--store", str(folder)), ("--endpoint", server.query)):
            out = tmp_path / f"map{len(pages)}.html"
            result = runner.invoke(app, ["map", option, value, "-o", str(out)])
            assert result.exit_code == 0, result.output
            pages.append(_payload(out.read_text(encoding="utf-8")))
    finally:
        stop(server.process)
    store_page, endpoint_page = pages
    assert store_page["projects"] > 0
    for level in maps.Level:
        assert (
            endpoint_page["levels"][level.value]["rows"]
            == (store_page["levels"][level.value]["rows"])
        )

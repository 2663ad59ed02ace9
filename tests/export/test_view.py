"""The self-contained HTML view (sigma.js over WebGL), checked as text and in headless Chromium.

The browser tests drive Debian ``chromium`` over the DevTools protocol (tests/chromium.py) and
skip with the reason when it or ``websocket-client`` is missing. They check that nodes are
drawn (the renderer's own count of the nodes it handed to its node program, and pixels on the
canvas), that there are no console errors and no network requests, and that typing in the
search box selects a node. Screenshots go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from sotegraph.export import export_graph, html_view
from sotegraph.network import annotate, bipartite_graph, coparticipation_graph, load_network_data
from sotegraph.store import open_store
from sotegraph.view import LABEL_LIMIT, layout_positions, short_labels, view_payload

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from chromium import CHROMIUM, Chromium, element_box, ink

ROOT = Path(__file__).resolve().parents[2]
VIEW = ROOT / "src" / "sotegraph" / "view"
ARTIFACTS = ROOT / "tests" / "artifacts"
ORG = "https://w3id.org/sotegraph/id/organisation/"
PROJECT = "https://w3id.org/sotegraph/id/project/"
DRAWN = "window.sotegraphView && sotegraphView.firstDraw !== null"


def _fixture_graph(fixtures_dir: Path) -> Any:
    store = open_store()
    store.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    return annotate(bipartite_graph(load_network_data(store)))


def _payload(page: str) -> dict[str, Any]:
    block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert block is not None
    data: dict[str, Any] = json.loads(block.group(1))
    return data


# -- static checks (no browser) -------------------------------------------------------------


def test_html_is_self_contained(fixtures_dir: Path, tmp_path: Path) -> None:
    g = _fixture_graph(fixtures_dir)
    [path] = export_graph(g, tmp_path / "view.html")
    page = path.read_text(encoding="utf-8")
    # no external resources: no src=/href= to http(s), no @import, no source maps
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "@import" not in page
    assert "sourceMappingURL" not in page
    assert "default-src 'none'" in page
    payload = _payload(page)
    assert len(payload["id"]) == len(payload["label"]) == g.number_of_nodes() == 11
    assert len(payload["edges"]) == 2 * g.number_of_edges()
    assert len(payload["xy"]) == 2 * g.number_of_nodes()
    iris = {payload["prefix"] + i for i in payload["id"]}
    assert iris == set(g.nodes)
    assert "graphology" in page
    assert "Sigma" in page
    assert "sotegraphView" in page


def test_html_escapes_script_breakers() -> None:
    g = nx.Graph()
    g.add_node("x", type="project", label="</script><script>alert(1)</script>")
    g.add_node("y", type="project", label="<!-- kommentti", region=["</SCRIPT >"])
    page = html_view(g)
    assert "alert(1)</script>" not in page
    assert "<!--" not in page
    assert page.count("<script") == page.count("</script>") == 4
    assert _payload(page)["label"][0] == "</script><script>alert(1)</script>"


def test_vendored_scripts_have_their_licences() -> None:
    versions = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    scripts = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["scripts"]
    assert "vendor-view" in scripts
    for name, script in (("sigma", "sigma.min.js"), ("graphology", "graphology.umd.min.js")):
        licence = (VIEW / f"{name}.LICENSE").read_text(encoding="utf-8")
        assert "Permission is hereby granted" in licence
        code = (VIEW / script).read_text(encoding="utf-8")
        assert code.startswith(f"/* {name} {versions[name]} (MIT)"), code[:80]
        assert len(code) > 50_000
        assert "</script" not in code.lower()


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        # two organisations alike for their first 25 characters stay apart
        (
            [
                "Etelä-Savon sosiaali- ja terveyspalvelujen kuntayhtymä",
                "Etelä-Savon sosiaali- ja terveysalan kehittämiskeskus",
            ],
            [
                "Etelä-Savon sosiaali- ja terveyspalvelujen…",
                "Etelä-Savon sosiaali- ja terveysalan…",
            ],
        ),
        # a short name is never cut; a long one at a word boundary
        (
            [
                "Alfa Oy",
                "Kehittämishanke pohjoisen hyvinvointialueen palveluiden yhteensovittamiseksi",
            ],
            [None, "Kehittämishanke pohjoisen…"],
        ),
        # a long name that another one continues is shown whole (no cut begins both)
        (
            [
                "Sote-keskus Pohjoinen kehittämisen ja kokeilujen ohjelma",
                "Sote-keskus Pohjoinen kehittämisen ja kokeilujen ohjelma II",
            ],
            [None, None],
        ),
    ],
)
def test_short_labels_never_look_like_another_name(
    labels: list[str], expected: list[str | None]
) -> None:
    assert short_labels(labels, limit=20 if "Etelä" in labels[0] else LABEL_LIMIT) == expected


def test_short_labels_on_many_alike_names() -> None:
    """Generated names that share long beginnings: each cut text begins only its own name."""
    stems = ["Pohjois-Karjalan hyvinvointialueen", "Pohjois-Karjalan hyvinvointi", "Kainuun"]
    tails = [
        "kehittämishanke vaihe",
        "digitaalisten palveluiden kokeilu",
        "osaamisen vahvistaminen",
    ]
    places = ["Joensuu", "Lieksa", "Nurmes"]
    labels = [f"{s} {t} {p} ja lähikunnat yhdessä" for s in stems for t in tails for p in places]
    labels += [f"{s} {t}" for s in stems for t in tails]  # these begin the others: never cut
    cut = short_labels(labels, limit=30)
    shortened = 0
    for label, short in zip(labels, cut, strict=True):
        if short is None:
            continue
        shortened += 1
        text = short.removesuffix("…")
        assert short.endswith("…")
        assert label.startswith(text)
        assert len(text) < len(label)
        assert label[len(text)] == " "  # cut at a word boundary
        others = [o for o in labels if o != label and o.startswith(text)]
        assert others == [], (short, others)
    assert shortened > 0
    assert len({c for c in cut if c}) == shortened  # no two cuts alike


def test_layout_is_deterministic_and_keeps_components_apart() -> None:
    g = nx.Graph()
    for hub in range(30):  # stars of one organisation and its projects, as in the bulk lists
        for leaf in range(hub % 7 + 1):
            g.add_edge(f"o{hub}", f"p{hub}-{leaf}")
    g.add_edges_from(nx.les_miserables_graph().edges)  # one component that is no star
    g.add_node("alone")
    pos = layout_positions(g)
    assert set(pos) == set(g)
    assert len(set(pos.values())) == g.number_of_nodes()  # no two nodes on one spot
    # each component's nodes lie in a box no other component's nodes enter
    boxes = []
    for comp in nx.connected_components(g):
        xs = [pos[v][0] for v in comp]
        ys = [pos[v][1] for v in comp]
        boxes.append((min(xs), max(xs), min(ys), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2], (a, b)
    assert layout_positions(g) == pos
    # the same positions in another process with another string hash seed
    code = (
        "import json, networkx as nx; from sotegraph.view import layout_positions;"
        "g = nx.les_miserables_graph(); pos = layout_positions(g);"
        "print(json.dumps({k: [round(x, 6), round(y, 6)] for k, (x, y) in pos.items()}))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]


def test_layout_of_a_large_component_separates_the_nodes() -> None:
    """A 20,000-node connected graph (pivot MDS) is laid out, each node on its own spot (the time
    is printed here and measured by benchmarks/bench_view.py, not asserted)."""
    g = nx.barabasi_albert_graph(20_000, 1, seed=3)  # a tree: hubs with many leaves
    t0 = time.perf_counter()
    pos = layout_positions(g)
    took = time.perf_counter() - t0
    print(f"layout of 20,000 nodes in one component: {took:.2f} s")
    assert len(pos) == 20_000
    assert len({(round(x, 3), round(y, 3)) for x, y in pos.values()}) > 19_900


def test_payload_columns_follow_the_attributes() -> None:
    """Filter attributes present in the graph become columns; absent ones do not appear."""
    g = nx.Graph()
    g.add_node(
        PROJECT + "P1",
        type="project",
        label="Koe",
        county=["Ensimmäinen alue"],
        sote_relevance="sote",
        period="2019-2021",
        funding=1500.4,
        flag=True,
    )
    g.add_node(ORG + "a", type="organisation", label="Alfa Oy", county=[], funding=float("nan"))
    g.add_edge(PROJECT + "P1", ORG + "a", weight=3)
    p = view_payload(g)
    assert p["cols"]["county"] == {"kind": "text", "values": ["Ensimmäinen alue"], "of": [1, 0]}
    assert p["cols"]["sote_relevance"]["values"] == ["sote"]
    assert p["cols"]["funding"] == {"kind": "number", "of": [1500, None]}
    assert p["cols"]["flag"]["values"] == ["true"]
    assert "region" not in p["cols"]
    assert "themes" not in p["cols"]
    assert p["types"] == ["project", "organisation"]
    assert p["type"] == [0, 1]
    assert p["weight"] == [3]
    json.dumps(p, allow_nan=False)  # strict JSON: NaN was dropped


# -- the browser ----------------------------------------------------------------------------


@pytest.fixture
def chromium() -> Iterator[Chromium]:
    if CHROMIUM is None:
        pytest.skip("headless Chromium not installed (Debian: apt-get install -y chromium)")
    pytest.importorskip("websocket", reason="websocket-client is needed to drive Chromium")
    with tempfile.TemporaryDirectory(
        prefix="sotegraph-chromium-", ignore_cleanup_errors=True
    ) as profile:
        browser = Chromium(Path(profile))
        try:
            yield browser
        finally:
            browser.close()


def _type_search(browser: Chromium, text: str) -> None:
    """Type ``text`` into the search box as a user would, then press Enter."""
    browser.evaluate("document.getElementById('search').focus()")
    browser.send("Input.insertText", text=text)
    for kind in ("keyDown", "keyUp"):
        browser.send(
            "Input.dispatchKeyEvent",
            type=kind,
            key="Enter",
            code="Enter",
            windowsVirtualKeyCode=13,
            nativeVirtualKeyCode=13,
        )


def _drawn(browser: Chromium, name: str) -> int:
    """Screenshot of the canvas area to tests/artifacts/<name>.png; its non-white pixels."""
    time.sleep(0.5)  # let a camera animation end
    png = browser.screenshot(ARTIFACTS / f"{name}.png", clip=element_box(browser, "#graph"))
    browser.screenshot(ARTIFACTS / f"{name}_page.png")
    return ink(png)


def _clean(browser: Chromium, page: Path) -> None:
    errors, requests = browser.problems(page)
    assert errors == [], errors
    assert requests == [], requests


@pytest.mark.browser
def test_view_in_headless_chromium(chromium: Chromium, fixtures_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("PIL", reason="Pillow counts the drawn pixels")
    g = _fixture_graph(fixtures_dir)
    [page] = export_graph(g, tmp_path / "fixture.html", title="sotegraph fixture")
    chromium.open(page, ready=DRAWN)
    n = g.number_of_nodes()
    assert chromium.evaluate("sotegraphView.firstDrawNodes") == n
    assert chromium.evaluate("sotegraphView.graph.size") == g.number_of_edges()
    area = element_box(chromium, "#graph")
    pixels = _drawn(chromium, "view_fixture")
    print(f"fixture: {n} nodes drawn, {pixels} non-white pixels")
    assert pixels > 0.005 * area["width"] * area["height"]
    _type_search(chromium, "Deeta")
    hit = ORG + "deeta-instituutti"
    assert chromium.wait_until("sotegraphView.selected()", timeout=10) == hit
    assert "Deeta-instituutti" in chromium.evaluate("document.getElementById('details').innerText")
    # filters: only projects; the renderer then draws exactly those
    frames = chromium.evaluate("sotegraphView.frames")
    shown = chromium.evaluate(
        "document.getElementById('filter-type').value='project';"
        "document.getElementById('filter-type').dispatchEvent(new Event('change'));"
        "sotegraphView.shownCount()"
    )
    projects = sum(1 for _, d in g.nodes(data=True) if d.get("type") == "project")
    assert shown == projects == 4
    chromium.wait_until(f"sotegraphView.frames > {frames}", timeout=10)
    assert chromium.wait_until(f"sotegraphView.renderedNodes() === {projects}", timeout=10)
    # the absent attributes have no filter
    assert chromium.evaluate("!!document.getElementById('filter-sote_relevance')") is False
    _clean(chromium, page)


@pytest.mark.browser
def test_view_filters_and_full_labels(chromium: Chromium, tmp_path: Path) -> None:
    """County and sote-relevance filters match Python's count; hovering shows the full name."""
    long_name = "Pohjoisen hyvinvointialueen sosiaali- ja terveyspalveluiden kehittämisen hanke"
    g = nx.Graph()
    counties = ["Ensimmäinen alue", "Toinen alue"]
    for i in range(40):
        county = counties[i % 2]
        g.add_node(
            f"{PROJECT}P{i}",
            type="project",
            label=f"Hanke {i}",
            county=[county],
            sote_relevance="sote" if i % 3 else "not",
            themes=["työllisyys"],
        )
        g.add_edge(f"{PROJECT}P{i}", f"{ORG}o{i % 5}")
    for j in range(5):
        g.nodes[f"{ORG}o{j}"].update(type="organisation", label=f"Organisaatio {j} ry")
    g.nodes[f"{ORG}o0"]["label"] = long_name
    [page] = export_graph(g, tmp_path / "filters.html")
    chromium.open(page, ready=DRAWN)
    for attribute in ("type", "county", "sote_relevance", "themes"):
        assert chromium.evaluate(f"!!document.getElementById('filter-{attribute}')"), attribute
    for attribute in ("region", "period", "programme_period"):
        assert not chromium.evaluate(f"!!document.getElementById('filter-{attribute}')"), attribute
    want = sum(
        1
        for _, d in g.nodes(data=True)
        if d.get("county") == ["Toinen alue"] and d.get("sote_relevance") == "sote"
    )
    shown = chromium.evaluate(
        "for (const [id, v] of [['filter-county', 'Toinen alue'], ['filter-sote_relevance', 'sote']]) {"
        " const s = document.getElementById(id); s.value = v; s.dispatchEvent(new Event('change')); }"
        "sotegraphView.shownCount()"
    )
    assert shown == want == 13
    chromium.evaluate("document.getElementById('reset').click()")
    # the long name is shortened on the canvas and whole under the pointer
    key = str(list(g).index(f"{ORG}o0"))
    canvas = chromium.evaluate(f"sotegraphView.renderer.getNodeDisplayData('{key}').label")
    assert canvas.endswith("…")
    assert long_name.startswith(canvas[:-1])
    assert canvas != long_name
    time.sleep(0.5)
    at = chromium.evaluate(
        f"(() => {{ const r = sotegraphView.renderer; const d = r.getNodeDisplayData('{key}');"
        " const p = r.framedGraphToViewport(d); const b = r.getContainer().getBoundingClientRect();"
        " return {x: p.x + b.x, y: p.y + b.y}; })()"
    )
    for _ in range(2):
        chromium.send("Input.dispatchMouseEvent", type="mouseMoved", x=at["x"], y=at["y"])
        time.sleep(0.2)
    hovered = chromium.wait_until(
        f"sotegraphView.renderer.getNodeDisplayData('{key}').label === {json.dumps(long_name)}",
        timeout=10,
    )
    assert hovered
    _drawn(chromium, "view_filters_hover")
    _clean(chromium, page)


HOSTILE_LABELS = [
    '=HYPERLINK("http://x","klik")',
    "Ohjaus\x01merkki\x1f Oy\u2028rivi",
    "<img src=x onerror=\"document.title='pwned'\">",
    "</script><script>document.title='pwned'</script>",
    "\tSarkain\r ry",
]


@pytest.mark.browser
def test_view_stays_inert_with_hostile_names(chromium: Chromium, tmp_path: Path) -> None:
    """Formulas, control characters, U+2028 and markup in names: shown as text, nothing runs."""
    g = nx.Graph()
    for i, label in enumerate(HOSTILE_LABELS):
        g.add_node(f"{ORG}x{i}", type="organisation", label=label)
        if i:
            g.add_edge(f"{ORG}x{i - 1}", f"{ORG}x{i}")
    [page] = export_graph(g, tmp_path / "hostile.html", title="<b>otsikko</b>\x01")
    chromium.open(page, ready=DRAWN)
    labels = chromium.evaluate("sotegraphView.labels")
    assert sorted(labels) == sorted(HOSTILE_LABELS)
    for i, label in enumerate(HOSTILE_LABELS):  # each shown in the details panel, as text
        hit = chromium.evaluate(f"sotegraphView.search({json.dumps(label)})")
        assert hit == f"{ORG}x{i}"
        shown = chromium.evaluate("document.querySelector('#details h3').textContent")
        assert shown == label
    assert chromium.evaluate("document.title") != "pwned"
    assert chromium.evaluate("document.querySelectorAll('img').length") == 0
    scripts = page.read_text(encoding="utf-8").count("<script")
    assert chromium.evaluate("document.querySelectorAll('script').length") == scripts
    _clean(chromium, page)


@pytest.mark.browser
def test_seed_view_searches_tyoterveyslaitos(
    chromium: Chromium, seeds_kg: Any, tmp_path: Path
) -> None:
    """On the seeds' co-participation network, typing Työterveyslaitos selects it."""
    pytest.importorskip("PIL", reason="Pillow counts the drawn pixels")
    g = annotate(coparticipation_graph(load_network_data(seeds_kg)))
    [page] = export_graph(g, tmp_path / "seeds.html", title="sotegraph seeds")
    took = chromium.open(page, ready=DRAWN)
    first = chromium.evaluate("sotegraphView.firstDraw")
    print(
        f"seeds: {g.number_of_nodes()} nodes, {page.stat().st_size / 1e6:.2f} MB, "
        f"first draw {first / 1000:.2f} s after navigation (opened in {took:.2f} s)"
    )
    assert chromium.evaluate("sotegraphView.firstDrawNodes") == g.number_of_nodes()
    assert _drawn(chromium, "view_seeds_overview") > 2_000
    _type_search(chromium, "Työterveyslaitos")
    assert chromium.wait_until("sotegraphView.selectedLabel()", timeout=10) == "Työterveyslaitos"
    assert _drawn(chromium, "view_seeds") > 2_000
    _clean(chromium, page)


@pytest.mark.browser
def test_bulk_view_draws_every_node(chromium: Chromium, bulk_store_kg: Any, tmp_path: Path) -> None:
    """The whole bulk store (both EURA lists) as the bipartite network ``sotegraph view`` draws.

    Without the centralities that ``sotegraph view`` adds (``annotate``, ~10 s here): the
    benchmark (benchmarks/bench_view.py) times the page with them."""
    pytest.importorskip("PIL", reason="Pillow counts the drawn pixels")
    t0 = time.perf_counter()
    g = bipartite_graph(load_network_data(bulk_store_kg))
    [page] = export_graph(g, tmp_path / "bulk.html", title="sotegraph bulk")
    written = time.perf_counter() - t0
    size = page.stat().st_size / 1e6
    took = chromium.open(page, ready=DRAWN, timeout=90)
    first = chromium.evaluate("sotegraphView.firstDraw") / 1000
    n = g.number_of_nodes()
    print(
        f"bulk: {n} nodes, {g.number_of_edges()} edges, page {size:.1f} MB written in "
        f"{written:.1f} s; first draw {first:.1f} s after navigation (opened in {took:.1f} s); "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    assert n > 30_000
    assert chromium.evaluate("sotegraphView.firstDrawNodes") == n
    assert size < 10  # the cytoscape page was 22.4 MB
    area = element_box(chromium, "#graph")
    pixels = _drawn(chromium, "view_bulk")
    assert pixels > 0.05 * area["width"] * area["height"], pixels
    # search the organisation with most projects, by typing its name
    org, _ = max(
        ((v, d) for v, d in g.degree() if g.nodes[v].get("type") == "organisation"),
        key=lambda vd: (vd[1], str(vd[0])),
    )
    name = g.nodes[org]["label"]
    _type_search(chromium, name)
    selected = chromium.wait_until("sotegraphView.selected()", timeout=20)
    assert chromium.evaluate("sotegraphView.selectedLabel()") == name
    assert selected == org or g.nodes[selected]["label"] == name
    _drawn(chromium, "view_bulk_selected")
    _clean(chromium, page)

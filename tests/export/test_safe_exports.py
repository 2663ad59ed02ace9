"""Hostile names through every writer (issue 20, points 4 and 5).

The fixture network (``tests/data/network/fixture.trig``) is loaded with its project and
organisation names replaced by spreadsheet formulas, names starting with a tab or a carriage
return, and names holding characters XML 1.0 forbids. Then, through the command line:

* every CSV (network node and edge lists, ``query --format csv`` of every named query,
  ``overlap --format csv``) holds no cell a spreadsheet would run, and every hostile name is
  there whole behind one apostrophe; JSON keeps the names untouched;
* every GraphML and GEXF file parses with expat, ElementTree and networkx, says how many
  characters it replaced, and a writer that produces an unreadable file never exits 0;
* Cytoscape and node-link JSON parse and keep the names; the HTML view's data parses and
  holds no raw control character or script breaker;
* a formula-shaped input name goes through extraction, resolution, RDF and export whole.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from sotegraph.cli import app
from sotegraph.errors import SotegraphError
from sotegraph.export import REPLACEMENT, export_graph, xml_forbidden, xml_text
from sotegraph.queries import list_queries
from sotegraph.store import open_store

FORMULA_NAMES = {
    "Alfa-hanke": '=HYPERLINK("http://x","klik")',
    "Beeta-hanke": "+cmd|' /C calc'!A0",
    "Alfa Oy": "@SUM(1+1)",
    "Beetan kaupunki": "-2+3+cmd|' /C calc'!A0",
    "Ceeta ry": "\tSarkain ry",
    "Gamma-hanke": "\rRivinvaihto-hanke",
}
XML_NAMES = {
    "Delta-verkostohanke": "Nolla\x00merkki-hanke",
    "Deeta-instituutti": "Ohjaus\x01merkki\x1f-instituutti",
    "Eetan kuntayhtymä": "Erikois\ufffe\uffff kuntayhtymä",
    "Fiitan yliopisto": "Pysty\x0btabulaattori\x0c yliopisto",
}
HOSTILE = FORMULA_NAMES | XML_NAMES
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
KINDS = ("coparticipation", "overlap", "bipartite")


def _turtle_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch in "\ufffe\uffff":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@pytest.fixture(scope="module")
def store_dir(fixtures_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = (fixtures_dir / "network" / "fixture.trig").read_text(encoding="utf-8")
    for plain, hostile in HOSTILE.items():
        assert f'"{plain}"@fi' in text, plain
        text = text.replace(f'"{plain}"@fi', f"{_turtle_string(hostile)}@fi")
    # each document graph committed, as a build records it (a graph without its manifest
    # entry is hidden by a read-only store)
    docs = sorted(set(re.findall(r"sgid:document\\/[0-9a-f]{64}", text)))
    entries = " ".join(f"{d} a sg:Document ." for d in docs)
    if "sgid:graph\\/manifest" not in text:
        text += f"\nsgid:graph\\/manifest {{ {entries} }}\n"
    path = tmp_path_factory.mktemp("hostile-store")
    store = open_store(path)
    store.raw.load(input=text, format=ox.RdfFormat.TRIG)  # type: ignore[attr-defined]
    store.close()
    return path


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _cells(text: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(text, newline="")):
        yield from row


def _assert_no_formula(text: str, where: str) -> list[str]:
    cells = list(_cells(text))
    runnable = [c for c in cells if c.startswith(FORMULA_START) and not NUMBER.fullmatch(c)]
    assert not runnable, f"{where}: cells a spreadsheet would run: {runnable}"
    return cells


# -- CSV (point 4) ---------------------------------------------------------------------------


def test_network_csv_neutralises_every_formula(store_dir: Path, tmp_path: Path) -> None:
    seen: set[str] = set()
    for kind in KINDS:
        res = _run(
            "network", "--store", str(store_dir), "--kind", kind, "--format", "csv",
            "-o", str(tmp_path / f"{kind}.csv"),
        )  # fmt: skip
        assert res.exit_code == 0, res.output
        for part in ("nodes", "edges"):
            text = (tmp_path / f"{kind}_{part}.csv").read_bytes().decode("utf-8")  # CR kept
            seen.update(_assert_no_formula(text, f"{kind}_{part}.csv"))
    # every hostile name is there whole, behind one apostrophe
    for name in FORMULA_NAMES.values():
        assert "'" + name in seen, name
    # names that are no formula are not touched: control characters stay in CSV
    for name in XML_NAMES.values():
        assert name in seen, name


def test_query_csv_of_every_named_query(store_dir: Path) -> None:
    seen: set[str] = set()
    ran = []
    for q in list_queries():
        res = _run("query", q.name, "--store", str(store_dir), "--format", "csv")
        if res.exit_code == 2 and any(p.default is None for p in q.params.values()):
            continue  # needs a parameter
        assert res.exit_code == 0, (q.name, res.output)
        ran.append(q.name)
        seen.update(_assert_no_formula(res.stdout, q.name))
    assert len(ran) >= 8, ran
    found = [name for name in FORMULA_NAMES.values() if "'" + name in seen]
    assert len(found) == len(FORMULA_NAMES), (found, sorted(seen))


def test_sparql_csv(store_dir: Path) -> None:
    query = "SELECT ?name WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }"
    res = _run("sparql", "--query", query, "--store", str(store_dir), "--format", "csv")
    assert res.exit_code == 0, res.output
    cells = _assert_no_formula(res.stdout, "sparql")
    assert {"'" + name for name in FORMULA_NAMES.values()} <= set(cells)


def test_overlap_csv(store_dir: Path) -> None:
    res = _run(
        "overlap", "--store", str(store_dir), "--by", "partners,places,themes,time",
        "--top", "50", "--format", "csv",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    cells = _assert_no_formula(res.stdout, "overlap")
    projects = [FORMULA_NAMES[p] for p in ("Alfa-hanke", "Beeta-hanke", "Gamma-hanke")]
    for name in projects:
        assert "'" + name in cells, name
    # the score stays a number
    rows = list(csv.DictReader(io.StringIO(res.stdout, newline="")))
    assert rows
    assert all(NUMBER.fullmatch(r["score"]) for r in rows)


def test_json_keeps_names_untouched(store_dir: Path, tmp_path: Path) -> None:
    res = _run("query", "coparticipation", "--store", str(store_dir), "--format", "json")
    assert res.exit_code == 0, res.output
    names = {r[k] for r in json.loads(res.stdout) for k in ("aName", "bName")}
    assert FORMULA_NAMES["Alfa Oy"] in names
    assert FORMULA_NAMES["Beetan kaupunki"] in names
    out = tmp_path / "net.json"
    res = _run("network", "--store", str(store_dir), "--kind", "bipartite", "-o", str(out))
    assert res.exit_code == 0, res.output
    labels = {n.get("label") for n in json.loads(out.read_text(encoding="utf-8"))["nodes"]}
    assert set(HOSTILE.values()) <= labels


# -- XML and JSON network files (point 5) ------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_graphml_and_gexf_always_parse(store_dir: Path, tmp_path: Path, kind: str) -> None:
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"{kind}.{fmt}"
        res = _run("network", "--store", str(store_dir), "--kind", kind, "-o", str(out))
        assert res.exit_code == 0, res.output
        raw = out.read_bytes()
        ET.fromstring(raw)  # a real XML parser reads it whole
        back = reader(out)
        labels = {d.get("label") for _, d in back.nodes(data=True)}
        # a GEXF node's label is its own field: networkx reads it as "label" too
        assert not any(XML_FORBIDDEN.search(str(x)) for x in labels)
        if kind == "bipartite":
            # the names are there, each forbidden character as U+FFFD, and the command said so
            assert {xml_text(n) for n in HOSTILE.values()} <= labels, labels
            assert "warning" in res.output
            assert "U+FFFD" in res.output


def test_json_and_view_with_control_characters(store_dir: Path, tmp_path: Path) -> None:
    cyjs = tmp_path / "net.cyjs"
    res = _run("network", "--store", str(store_dir), "--kind", "bipartite", "-o", str(cyjs))
    assert res.exit_code == 0, res.output
    data = json.loads(cyjs.read_text(encoding="utf-8"))
    labels = {n["data"]["label"] for n in data["elements"]["nodes"]}
    assert set(HOSTILE.values()) <= labels
    page_path = tmp_path / "view.html"
    res = _run("view", "--store", str(store_dir), "-o", str(page_path))
    assert res.exit_code == 0, res.output
    page = page_path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert block is not None
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u2028\u2029<>]", block.group(1))
    payload = json.loads(block.group(1))
    assert set(HOSTILE.values()) <= set(payload["label"])
    assert page.count("<script") == page.count("</script>")


def test_library_export_with_every_forbidden_character(tmp_path: Path) -> None:
    """Lone surrogates and U+FFFE reach no file; node ids and attribute names are cleaned."""
    bad = "A\x00\x08\x0b\x0c\x0e\x1f\ud800\udfff\ufffe\uffff Oy"
    g = nx.Graph(name="verkko\x01")
    g.add_node("n\x02", type="organisation", label=bad, region=["Kai\x1fnuu", "Oulu"])
    g.add_node("m", type="project", label="=Koe", funding=float("nan"))
    g.add_edge("n\x02", "m", weight=1, **{"avain\x03": "arvo\x04"})
    assert xml_forbidden(g) == 6
    for suffix in (".graphml", ".gexf"):
        [path] = export_graph(g, tmp_path / f"g{suffix}")
        ET.parse(path)
        back = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gexf(path)
        assert back.nodes["n" + REPLACEMENT]["label"] == xml_text(bad) == f"A{REPLACEMENT * 10} Oy"
    for suffix in (".cyjs", ".json", ".html"):
        [path] = export_graph(g, tmp_path / f"g{suffix}")
        text = path.read_text(encoding="utf-8")  # UTF-8 that decodes: no lone surrogate
        if suffix != ".html":
            json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
            assert "A\\u0000\\b\\u000b\\f\\u000e\\u001f" in text  # controls kept, escaped
    nodes_csv, _ = export_graph(g, tmp_path / "g.csv")
    rows = list(csv.DictReader(io.StringIO(nodes_csv.read_bytes().decode("utf-8"), newline="")))
    assert {r["label"] for r in rows} == {bad.replace("\ud800\udfff", REPLACEMENT * 2), "'=Koe"}
    # only the finished files, with the usual permissions (not a temporary file's 0600)
    umask = os.umask(0)
    os.umask(umask)
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == sorted(
        ["g.graphml", "g.gexf", "g.cyjs", "g.json", "g.html", "g_nodes.csv", "g_edges.csv"]
    )
    assert {f.stat().st_mode & 0o777 for f in files} == {0o666 & ~umask}


def test_an_unreadable_xml_file_is_never_a_success(
    store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug that lets a forbidden character through ends in exit 2 and no file, not exit 0."""
    import sotegraph.export as export

    monkeypatch.setattr(export, "xml_text", lambda text: text)  # the bug: no cleaning
    out = tmp_path / "broken.graphml"
    res = _run("network", "--store", str(store_dir), "--kind", "bipartite", "-o", str(out))
    assert res.exit_code == 2, res.output
    assert "not well-formed XML" in res.output
    assert "Traceback" not in res.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    g = nx.Graph()
    g.add_node("x", label="a\x01")
    with pytest.raises(SotegraphError, match="not well-formed"):
        export_graph(g, tmp_path / "x.gexf")
    assert list(tmp_path.iterdir()) == []


# -- an input name goes through whole (point 4: "silently cut") --------------------------------

BULK_HEADER = (
    "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
    "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
    "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä"
)
INPUT_NAMES = ['=HYPERLINK("http://x","klik")', "@SUM(1+1)", "-2+3+cmd!A0", "+Plus(miinus)"]


@pytest.fixture(scope="module")
def bulk_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("bulk")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(BULK_HEADER.split(","))
    for i, name in enumerate(INPUT_NAMES):
        w.writerow(
            [f"S2997{i}", "ESR", name, "1", "Keksityn seudun ELY-keskus", "Toiminnassa",
             "1.1.2016", "31.12.2018", name, "1000", "500", "2000", "1000"]
        )  # fmt: skip
    (folder / "lista.csv").write_text(buf.getvalue(), encoding="utf-8")
    store = folder / "store"
    out = folder / "all.jsonld"
    res = _run(
        "build", str(folder / "lista.csv"), "--store", str(store), "--no-nlp", "--out", str(out)
    )
    assert res.exit_code in (0, 1), res.output
    return store, out


def test_formula_shaped_names_are_not_cut(bulk_store: tuple[Path, Path], tmp_path: Path) -> None:
    from rdflib import Dataset
    from rdflib.namespace import SKOS

    store, jsonld = bulk_store
    out = tmp_path / "net.json"
    res = _run("network", "--store", str(store), "--kind", "bipartite", "-o", str(out))
    assert res.exit_code == 0, res.output
    nodes = json.loads(out.read_text(encoding="utf-8"))["nodes"]
    orgs = {n["label"] for n in nodes if n.get("type") == "organisation"}
    projects = {n["label"] for n in nodes if n.get("type") == "project"}
    assert set(INPUT_NAMES) <= orgs, orgs
    assert set(INPUT_NAMES) <= projects, projects
    # the RDF (JSON-LD, one graph per document) holds them as the preferred labels
    ds = Dataset()
    ds.parse(jsonld, format="json-ld")
    labels = {str(o) for _, _, o, _ in ds.quads((None, SKOS.prefLabel, None, None))}
    assert set(INPUT_NAMES) <= labels
    # and the CSV holds them whole behind one apostrophe
    res = _run(
        "network", "--store", str(store), "--kind", "bipartite", "-o", str(tmp_path / "n.csv")
    )
    assert res.exit_code == 0, res.output
    cells = set(_cells((tmp_path / "n_nodes.csv").read_bytes().decode("utf-8")))
    assert {"'" + n for n in INPUT_NAMES} <= cells


def test_build_out_jsonld_keeps_the_document_graph(bulk_store: tuple[Path, Path]) -> None:
    from rdflib import Dataset

    store_dir, jsonld = bulk_store
    ds = Dataset()
    ds.parse(jsonld, format="json-ld")
    got = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    store = open_store(store_dir, read_only=True)
    try:
        expected = {name: len(store.graph(name)) for name in store.graph_names()}
    finally:
        store.close()
    assert got == expected
    assert any("/document/" in name for name in got)

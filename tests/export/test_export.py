"""Exports of the fixture network: parse back with networkx, GraphML passes an XML schema."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib.namespace import RDF
from typer.testing import CliRunner

from sotegraph.cli import app
from sotegraph.errors import SotegraphError, UnsupportedFormatError
from sotegraph.export import (
    ExportFormat,
    cytoscape_json,
    export_graph,
    node_link_json,
    sanitise,
)
from sotegraph.network import annotate, bipartite_graph, load_network_data, overlap_graph
from sotegraph.store import open_store
from sotegraph.store.base import MANIFEST_GRAPH, is_document_graph
from sotegraph.vocab import SG


@pytest.fixture(scope="module")
def graph(fixtures_dir: Path) -> nx.Graph:
    store = open_store()
    store.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    return annotate(bipartite_graph(load_network_data(store)))


def assert_same_graph(written: nx.Graph, back: nx.Graph) -> None:
    """Same nodes, edges and attribute values (numbers compared as numbers)."""
    assert set(back.nodes) == set(written.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in written.edges}
    for n, d in written.nodes(data=True):
        assert _norm(back.nodes[n]) == _norm(d), n
    for u, v, d in written.edges(data=True):
        assert _norm(back.edges[u, v]) == _norm(d), (u, v)


def _norm(d: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if k == "id":
            continue
        out[k] = round(float(v), 9) if isinstance(v, int | float) and not isinstance(v, bool) else v
    return out


def test_graphml_round_trip(graph: nx.Graph, tmp_path: Path) -> None:
    [path] = export_graph(graph, tmp_path / "net.graphml")
    back = nx.read_graphml(path)
    assert_same_graph(sanitise(graph), back)
    # typed attributes, as Gephi and Cytoscape read them
    text = path.read_text(encoding="utf-8")
    assert 'attr.name="funding" attr.type="double"' in text
    assert 'attr.name="degree" attr.type="long"' in text
    assert "None" not in text
    node = back.nodes["https://w3id.org/sotegraph/id/project/S90001"]
    assert node["theme"] == "digitalisaatio; työhyvinvointi"
    assert isinstance(node["funding"], float)


def test_graphml_passes_the_xml_schema(graph: nx.Graph, fixtures_dir: Path, tmp_path: Path) -> None:
    xmlschema = pytest.importorskip("xmlschema", reason="pip install xmlschema")
    schema = xmlschema.XMLSchema(str(fixtures_dir / "network" / "graphml-subset.xsd"))
    [path] = export_graph(graph, tmp_path / "net.graphml")
    schema.validate(str(path))
    # and the schema does reject what it should: an edge to a node that does not exist
    broken = path.read_text(encoding="utf-8").replace(
        'source="https://w3id.org/sotegraph/id/project/S90001"', 'source="nowhere"', 1
    )
    assert not schema.is_valid(broken)


def test_gexf_round_trip(graph: nx.Graph, tmp_path: Path) -> None:
    [path] = export_graph(graph, tmp_path / "net.gexf")
    back = nx.read_gexf(path)
    assert_same_graph(sanitise(graph), back)


def test_overlap_graph_round_trips(fixtures_dir: Path, tmp_path: Path) -> None:
    store = open_store()
    store.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    g = annotate(overlap_graph(load_network_data(store)))
    for suffix, reader in ((".graphml", nx.read_graphml), (".gexf", nx.read_gexf)):
        [path] = export_graph(g, tmp_path / f"overlap{suffix}")
        assert_same_graph(sanitise(g), reader(path))


def test_cytoscape_json(graph: nx.Graph, tmp_path: Path) -> None:
    [path] = export_graph(graph, tmp_path / "net.cyjs")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == cytoscape_json(graph)
    nodes = {n["data"]["id"]: n["data"] for n in data["elements"]["nodes"]}
    assert len(nodes) == 11
    assert nodes["https://w3id.org/sotegraph/id/project/S90001"]["region"] == ["Ensimaakunta"]
    assert len(data["elements"]["edges"]) == 11
    assert all(e["data"]["source"] in nodes for e in data["elements"]["edges"])


def test_node_link_json(graph: nx.Graph, tmp_path: Path) -> None:
    [path] = export_graph(graph, tmp_path / "net.json")
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="links")
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    assert node_link_json(graph)["nodes"]


def test_csv_lists(graph: nx.Graph, tmp_path: Path) -> None:
    paths = export_graph(graph, tmp_path / "net.csv")
    assert [p.name for p in paths] == ["net_nodes.csv", "net_edges.csv"]
    with paths[0].open(encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with paths[1].open(encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == 11
    assert len(edges) == 11
    assert {r["id"] for r in nodes} >= {e["source"] for e in edges}


def test_formats_enum_and_errors(graph: nx.Graph, tmp_path: Path) -> None:
    assert ExportFormat.from_path("a.GEXF") is ExportFormat.GEXF
    assert ExportFormat.parse("CyJS") is ExportFormat.CYJS
    with pytest.raises(UnsupportedFormatError, match="graphml"):
        export_graph(graph, tmp_path / "net.pdf")
    with pytest.raises(UnsupportedFormatError, match="valid"):
        export_graph(graph, tmp_path / "net.x", format="dot")


def test_personal_data_is_refused(tmp_path: Path) -> None:
    g = nx.Graph()
    g.add_node("p", type="person", label="Joku Ihminen")
    for fmt in ExportFormat:
        with pytest.raises(SotegraphError, match="personal data"):
            export_graph(g, tmp_path / f"x.{fmt.value}")
    g2 = nx.Graph()
    g2.add_node("o", type="organisation", email="someone@example.org")
    with pytest.raises(SotegraphError, match="personal data"):
        export_graph(g2, tmp_path / "y.graphml")
    export_graph(g, tmp_path / "ok.graphml", include_personal_data=True)


def test_sanitise_unifies_types() -> None:
    g = nx.Graph()
    g.add_node("a", n=1, mixed="x", flag=True)
    g.add_node("b", n=2.5, mixed=3, flag=None)
    clean = sanitise(g)
    assert clean.nodes["a"] == {"n": 1.0, "mixed": "x", "flag": True}
    assert clean.nodes["b"] == {"n": 2.5, "mixed": "3"}


# -- the CLI over a fixture store -------------------------------------------------------------


@pytest.fixture(scope="module")
def store_dir(fixtures_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store")
    store = open_store(path)
    store.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)  # type: ignore[attr-defined]
    # commit each document graph as a build does (its manifest entry): a read-only store
    # hides a document graph without one
    manifest, a, document = (ox.NamedNode(str(x)) for x in (MANIFEST_GRAPH, RDF.type, SG.Document))
    for name in filter(is_document_graph, store.graph_names()):
        store.raw.add(ox.Quad(ox.NamedNode(name), a, document, manifest))  # type: ignore[attr-defined]
    store.close()
    del store
    return path


def test_cli_network_formats(store_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for kind in ("coparticipation", "overlap", "bipartite"):
        for fmt in ("graphml", "gexf", "cyjs", "json", "csv"):
            out = tmp_path / f"{kind}.{fmt}"
            res = runner.invoke(
                app,
                [
                    "network",
                    "--store",
                    str(store_dir),
                    "--kind",
                    kind,
                    "--format",
                    fmt,
                    "-o",
                    str(out),
                ],
            )
            assert res.exit_code == 0, res.output
    g = nx.read_graphml(tmp_path / "coparticipation.graphml")
    assert g.number_of_nodes() == 7
    assert g.number_of_edges() == 9


def test_cli_overlap_and_view(store_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "overlap",
            "--store",
            str(store_dir),
            "--by",
            "partners,time",
            "--top",
            "2",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [(r["name1"], r["name2"]) for r in rows] == [
        ("Alfa-hanke", "Beeta-hanke"),
        ("Gamma-hanke", "Delta-verkostohanke"),
    ]
    assert rows[0]["shared_time"] == 579
    bad = runner.invoke(app, ["overlap", "--store", str(store_dir), "--by", "colour"])
    assert bad.exit_code == 2
    page = tmp_path / "v.html"
    res = runner.invoke(app, ["view", "--store", str(store_dir), "-o", str(page)])
    assert res.exit_code == 0, res.output
    assert "sotegraphView" in page.read_text(encoding="utf-8")


def test_cli_query(store_dir: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["query", "--list"])
    assert listing.exit_code == 0
    assert "overlap_partners" in listing.stdout
    res = runner.invoke(
        app,
        [
            "query",
            "projects",
            "--store",
            str(store_dir),
            "--param",
            "code=S90001",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    [row] = json.loads(res.stdout)
    assert (row["code"], row["end"], row["granted"]) == ("S90001", "2018-12-31", 100000)
    csv_out = runner.invoke(app, ["query", "brokers", "--store", str(store_dir), "--format", "csv"])
    assert csv_out.stdout.splitlines()[0] == "broker,name,bridgedPairs,projects"
    table = runner.invoke(app, ["query", "coparticipation", "--store", str(store_dir)])
    assert table.exit_code == 0
    assert "Alfa Oy" in table.stdout
    assert (
        runner.invoke(
            app, ["query", "projects", "--store", str(store_dir), "-p", "cod=1"]
        ).exit_code
        == 2
    )
    assert (
        runner.invoke(
            app, ["query", "projects", "--store", str(store_dir), "-p", "nokey"]
        ).exit_code
        == 2
    )
    assert runner.invoke(app, ["query", "projects"]).exit_code == 2
    assert runner.invoke(app, ["query", "nope", "--store", str(store_dir)]).exit_code == 2
    assert runner.invoke(app, ["query", "projects", "--store", "/no/such/dir"]).exit_code == 2


def test_cli_builds_in_memory_from_paths(examples_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "examples.graphml"
    res = runner.invoke(
        app, ["network", str(examples_dir), "--no-nlp", "--kind", "bipartite", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(out)
    assert any(d.get("type") == "project" for _, d in g.nodes(data=True))
    # exactly one source: PATH... or --store or --endpoint
    both = runner.invoke(app, ["overlap", str(examples_dir), "--store", str(tmp_path)])
    assert both.exit_code == 2
    neither = runner.invoke(app, ["view", "-o", str(tmp_path / "v.html")])
    assert neither.exit_code == 2


def test_csv_cells_never_run_as_formulas(tmp_path: Path) -> None:
    """Names that a spreadsheet would run as formulas are written with a leading apostrophe."""
    hostile = ['=HYPERLINK("http://x","klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd"]
    g = nx.Graph()
    for i, name in enumerate(hostile):
        g.add_node(f"n{i}", label=name, kind="organisation", funding=-744.5)
    g.add_edge("n0", "n1", weight=1)
    nodes_csv, _edges_csv = export_graph(g, tmp_path / "net.csv", format=ExportFormat.CSV)
    with nodes_csv.open(encoding="utf-8", newline="") as fh:
        labels = [row["label"] for row in csv.DictReader(fh)]
    assert labels == ["'" + h for h in hostile]
    with nodes_csv.open(encoding="utf-8", newline="") as fh:
        assert {row["funding"] for row in csv.DictReader(fh)} == {"-744.5"}

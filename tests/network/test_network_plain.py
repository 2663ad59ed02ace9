"""The co-participation network read for a file (``sotegraph.network.plain``) and the GraphML
writer (issue 19, point 5: ``network --kind coparticipation`` answers at once).

The plain path must give exactly what the networkx path gives (the same nodes, edges,
attributes and order, the same GraphML bytes), on the invented fixture graph (a network with
edges: networkx annotates it) and on a store where nobody shares a project (no edges: no
graph algorithm runs). The GraphML writer must write what ``networkx.write_graphml`` writes
for the sanitised graph, byte for byte, also for hostile names and values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from sotegraph.cli import app
from sotegraph.errors import SotegraphError
from sotegraph.export import export_graph, sanitise
from sotegraph.network import (
    PlainGraph,
    annotate,
    annotate_plain,
    bipartite_graph,
    coparticipation_graph,
    coparticipation_network,
    load_network_data,
    overlap_graph,
)
from sotegraph.store import OxigraphStore, open_store

SG = "https://w3id.org/sotegraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "https://w3id.org/sotegraph/id/organisation/"
PRJ = "https://w3id.org/sotegraph/id/project/"
DOC = "https://w3id.org/sotegraph/id/document/" + "ab" * 32
MANIFEST = "https://w3id.org/sotegraph/id/graph/manifest"
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _alone_quads() -> str:
    """Projects of one participant each (no edges), with the odd cells the selects skip."""
    lines = []
    for i in range(40):
        p = f"<{PRJ}P{i:03d}>"
        lines.append(f"{p} {A} <{SG}Project> <{DOC}> .")
        lines.append(f"{p} <{SG}participant> <{ORG}o{(i * 7) % 31:02d}> <{DOC}> .")
        if i % 3:
            lines.append(f'{p} <{SKOS}prefLabel> "Hanke {i}"@fi <{DOC}> .')
    for j in range(31):
        if j % 4:  # some organisations have no label: the IRI's last part is the label
            lines.append(f'<{ORG}o{j:02d}> <{SKOS}prefLabel> "Yhdistys {j} & <ry>"@fi <{DOC}> .')
    lines += [
        f'<{ORG}o01> <{SKOS}prefLabel> "A-yhdistys"@fi <{DOC}> .',  # two labels: the least
        f'<{ORG}o01> <{SKOS}prefLabel> "Förening"@sv <{DOC}> .',  # not Finnish
        f'<{PRJ}P001> <{SG}participant> "Ei tunnistettu" <{DOC}> .',  # a literal: no node
        f"<{PRJ}P002> <{SG}participant> _:b1 <{DOC}> .",  # a blank node: no node
        f"<{PRJ}X> <{SG}participant> <{ORG}untyped-only> <{DOC}> .",  # no typed project
        f"<{DOC}> {A} <{SG}Document> <{MANIFEST}> .",  # committed, as a build records it
    ]
    return "\n".join(lines) + "\n"


def _store_dir(folder: Path, data: str, fmt: ox.RdfFormat) -> Path:
    store = open_store(folder)
    assert isinstance(store, OxigraphStore)
    store.raw.load(input=data, format=fmt)
    store.close()
    return folder


@pytest.fixture(scope="module")
def alone_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store_dir(tmp_path_factory.mktemp("alone"), _alone_quads(), ox.RdfFormat.N_QUADS)


@pytest.fixture(scope="module")
def fixture_dir(fixtures_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import re

    text = (fixtures_dir / "network" / "fixture.trig").read_text(encoding="utf-8")
    docs = sorted(set(re.findall(r"sgid:document\\/[0-9a-f]{64}", text)))
    if "sgid:graph\\/manifest" not in text:
        text += f"\nsgid:graph\\/manifest {{ {' '.join(f'{d} a sg:Document .' for d in docs)} }}\n"
    return _store_dir(tmp_path_factory.mktemp("fixture"), text, ox.RdfFormat.TRIG)


def _networkx_way(store: Any, min_weight: int = 1) -> nx.Graph:
    data = load_network_data(store, kinds=["partners"], attributes=False)
    return annotate(coparticipation_graph(data, min_weight=min_weight))


def _reference_graphml(g: nx.Graph, path: Path) -> bytes:
    """What the export wrote before it had its own writer: networkx's, carriage returns kept."""
    nx.write_graphml(sanitise(g), path, named_key_ids=False)
    return path.read_bytes().replace(b"\r", b"&#13;")


@pytest.mark.parametrize("which", ["fixture", "alone"])
@pytest.mark.parametrize("min_weight", [1, 2])
def test_plain_network_is_the_networkx_one(
    which: str, min_weight: int, alone_dir: Path, fixture_dir: Path, tmp_path: Path
) -> None:
    store = open_store(fixture_dir if which == "fixture" else alone_dir, read_only=True)
    try:
        want = _networkx_way(store, min_weight)
        got = coparticipation_network(store, min_weight=min_weight)
    finally:
        store.close()
    assert isinstance(got, PlainGraph)
    if which == "fixture":
        assert want.number_of_edges() > 0  # networkx annotates this one
    else:
        assert want.number_of_edges() == 0
        assert want.number_of_nodes() == 31
        labels = {n.rsplit("/", 1)[-1]: d["label"] for n, d in want.nodes(data=True)}
        assert labels["o01"] == "A-yhdistys"
        assert labels["o04"] == "o04"
    assert got.graph == want.graph
    assert got.nodes(data=True) == list(want.nodes(data=True))  # the same order too
    assert got.edges(data=True) == list(want.edges(data=True))
    assert (got.number_of_nodes(), got.number_of_edges()) == (
        want.number_of_nodes(),
        want.number_of_edges(),
    )
    mine = export_graph(got, tmp_path / "plain.graphml")[0].read_bytes()
    assert mine == _reference_graphml(want, tmp_path / "reference.graphml")
    back = got.to_networkx()
    assert list(back.nodes(data=True)) == list(want.nodes(data=True))
    assert list(back.edges(data=True)) == list(want.edges(data=True))


def test_plain_network_refuses_what_the_networkx_one_refuses(alone_dir: Path) -> None:
    store = open_store(alone_dir, read_only=True)
    try:
        with pytest.raises(SotegraphError, match="min_weight"):
            coparticipation_network(store, min_weight=0)
    finally:
        store.close()
    with pytest.raises(SotegraphError, match="expected a Store"):
        coparticipation_network("kg/")


def test_annotate_plain_without_edges_is_annotate() -> None:
    names = ["c", "a", "b"]
    plain = annotate_plain(PlainGraph({"name": "x"}, {n: {"label": n.upper()} for n in names}))
    g = nx.Graph(name="x")
    for n in names:
        g.add_node(n, label=n.upper())
    assert plain.nodes(data=True) == list(annotate(g).nodes(data=True))
    assert annotate_plain(PlainGraph({"name": "x"})).nodes() == []


def _hostile_graph() -> nx.Graph:
    g = nx.Graph(name="verkko & <x>\x01")
    g.add_node(
        "a&<\"'>\t\n\r",
        type="organisation",
        label='Alfa & <Oy>\r\n\t"q" \x02',
        region=["Kainuu", "Oulu"],
        funding=None,
        n=1,
        f=2.5,
        flag=True,
        empty="",
        space=" ",
    )
    g.add_node("b", type="organisation", label="", region=[], n=2.0, flag=1, s={"z", "y"})
    g.add_node(3, x=np.float64(0.25), t=(1, 2), k=float("nan"))
    g.add_node("d\x03", **{"avain\x04": "arvo"})
    g.add_node("e")
    g.add_edge("a&<\"'>\t\n\r", "b", weight=2, shared=["P1", "P2"], jaccard=0.5)
    g.add_edge("e", "a&<\"'>\t\n\r", weight=1.5, note="")
    g.add_edge(3, "e")
    return g


def _fixture_graphs(fixture_dir: Path) -> dict[str, nx.Graph]:
    store = open_store(fixture_dir, read_only=True)
    try:
        data = load_network_data(store)
    finally:
        store.close()
    return {
        "coparticipation": annotate(coparticipation_graph(data)),
        "bipartite": annotate(bipartite_graph(data)),
        "overlap": annotate(overlap_graph(data)),
    }


def test_graphml_writer_writes_what_networkx_writes(fixture_dir: Path, tmp_path: Path) -> None:
    graphs = _fixture_graphs(fixture_dir) | {
        "hostile": _hostile_graph(),
        "empty": nx.Graph(),
        "karate": nx.karate_club_graph(),
    }
    for name, g in graphs.items():
        [path] = export_graph(g, tmp_path / f"{name}.graphml")
        want = _reference_graphml(g, tmp_path / f"{name}.reference.graphml")
        assert path.read_bytes() == want, name
    back = nx.read_graphml(tmp_path / "hostile.graphml")
    assert back.nodes["a&<\"'>\t\n\r"]["label"] == 'Alfa & <Oy>\r\n\t"q" \ufffd'


def test_graphml_writer_refuses_names_that_differ_in_forbidden_characters(
    tmp_path: Path,
) -> None:
    g = nx.Graph()
    g.add_nodes_from(["a\x01", "a\x02"])
    with pytest.raises(SotegraphError, match="differ only in characters"):
        export_graph(g, tmp_path / "x.graphml")
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_the_networkx_graphml(
    fixture_dir: Path, alone_dir: Path, tmp_path: Path
) -> None:
    for folder in (fixture_dir, alone_dir):
        out = tmp_path / f"{folder.name}.graphml"
        res = CliRunner().invoke(
            app, ["network", "--kind", "coparticipation", "--store", str(folder), "-o", str(out)]
        )
        assert res.exit_code == 0, res.output
        store = open_store(folder, read_only=True)
        try:
            want = _reference_graphml(_networkx_way(store), tmp_path / "reference.graphml")
        finally:
            store.close()
        assert out.read_bytes() == want, folder.name
        assert "warning" not in res.output


@pytest.mark.parametrize("suffix", ["gexf", "cyjs", "json", "csv", "html"])
def test_cli_other_formats_write_the_networkx_graph(
    fixture_dir: Path, tmp_path: Path, suffix: str
) -> None:
    """The plain graph becomes the networkx one for the other formats: the same files."""
    out = tmp_path / f"cli.{suffix}"
    res = CliRunner().invoke(
        app, ["network", "--kind", "coparticipation", "--store", str(fixture_dir), "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    store = open_store(fixture_dir, read_only=True)
    try:
        want = export_graph(
            _networkx_way(store),
            tmp_path / f"reference.{suffix}",
            title="sotegraph coparticipation",  # the command's title (HTML)
        )
    finally:
        store.close()
    got = sorted(p for p in tmp_path.iterdir() if p.name.startswith("cli"))
    assert len(got) == len(want) >= 1
    for mine, theirs in zip(got, sorted(want), strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name

"""Node attributes, money counted once, subsets and what load_network_data selects.

On the invented fixture graph (tests/data/network/fixture.trig) plus one more invented
document below (a record of a fifth project, sote relevance values and inferred areas).
Expected values were worked out by hand from these facts; the project attributes are also
compared with the named query ``projects``, the portable definition of the same values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from sotegraph.cli import app
from sotegraph.errors import SotegraphError
from sotegraph.export import export_graph
from sotegraph.network import (
    AmbiguousNameError,
    NetworkData,
    OverlapBy,
    bipartite_graph,
    coparticipation_graph,
    filter_projects,
    find_node,
    load_network_data,
    own_share,
    project_overlap,
    sote_levels,
    subset,
)
from sotegraph.queries import run_query
from sotegraph.store import OxigraphStore, open_store

ORG = "https://w3id.org/sotegraph/id/organisation/"
PRJ = "https://w3id.org/sotegraph/id/project/"
A, B, C, D = (ORG + x for x in ("1000001-1", "1000002-2", "ceeta-ry", "deeta-instituutti"))
E, F, G = (ORG + x for x in ("1000005-5", "1000006-6", "geeta-saatio"))
P1, P2, P3, P5 = (PRJ + x for x in ("S90001", "S90002", "S90003", "S90005"))
P4 = PRJ + "delta-verkostohanke"

# P5: a record of a project that is *not* a joint project: lead E, collaborator G (no share).
# Relevance: P1 sote, P2 borderline here and "not" in the bulk graph (the most relevant
# counts), P3 not, P4 sote, P5 sote. Inferred areas: P5 from the implementer's seat
# (municipality 983, county 82) and from the authority (region 81); P2 from a municipality
# merged into 983 (984, no region or county of its own: its successor's count).
EXTRA_TRIG = """
@prefix sg:      <https://w3id.org/sotegraph/ontology#> .
@prefix sgid:    <https://w3id.org/sotegraph/id/> .
@prefix schema:  <https://schema.org/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
sgid:graph\\/regions {
  sgid:municipality\\/984 a sg:Municipality ; skos:prefLabel "Vanhakylä"@fi ;
      dcterms:isReplacedBy sgid:municipality\\/983 .
}
sgid:document\\/5555555555555555555555555555555555555555555555555555555555555555 {
  sgid:document\\/5555555555555555555555555555555555555555555555555555555555555555 a sg:Document ;
      dcterms:source "p5_record.txt" ; sg:genre "eura-record" .
  sgid:project\\/S90005 a sg:Project ; skos:prefLabel "Eetta-hanke"@fi ; sg:projectCode "S90005" ;
      schema:startDate "2021-03-01"^^xsd:date ; schema:endDate "2022-02-28"^^xsd:date ;
      sg:grantedEUStateFunding 40000.0 ; sg:jointProject false ;
      sg:lead sgid:organisation\\/1000005-5 ; sg:collaborator sgid:organisation\\/geeta-saatio ;
      sg:participant sgid:organisation\\/1000005-5 , sgid:organisation\\/geeta-saatio ;
      sg:soteRelevance sg:soteRelevanceSote ;
      sg:inferredArea sgid:area\\/p5-1 , sgid:area\\/p5-2 .
  sgid:area\\/p5-1 sg:area sgid:municipality\\/983 ; sg:areaBasis sg:areaBasisImplementer .
  sgid:area\\/p5-2 sg:area sgid:region\\/81 ; sg:areaBasis sg:areaBasisAuthority .
  sgid:project\\/S90001 sg:soteRelevance sg:soteRelevanceSote .
  sgid:project\\/S90002 sg:soteRelevance sg:soteRelevanceBorderline ;
      sg:inferredArea sgid:area\\/p2-1 .
  sgid:area\\/p2-1 sg:area sgid:municipality\\/984 ; sg:areaBasis sg:areaBasisImplementer .
  sgid:project\\/S90003 sg:soteRelevance sg:soteRelevanceNot .
  sgid:project\\/delta-verkostohanke sg:soteRelevance sg:soteRelevanceSote .
}
sgid:document\\/2222222222222222222222222222222222222222222222222222222222222222 {
  sgid:project\\/S90002 sg:soteRelevance sg:soteRelevanceNot .
}
"""


def _load(store: Any, fixtures_dir: Path) -> None:
    store.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    store.raw.load(EXTRA_TRIG, format=ox.RdfFormat.TRIG)


@pytest.fixture(scope="module")
def store(fixtures_dir: Path) -> OxigraphStore:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    _load(s, fixtures_dir)
    return s


@pytest.fixture(scope="module")
def data(store: OxigraphStore) -> NetworkData:
    return load_network_data(store)


# -- attributes --------------------------------------------------------------------------


def test_project_attributes_equal_the_projects_query(
    store: OxigraphStore, data: NetworkData
) -> None:
    rows = {str(r["project"]): r for r in run_query(store, "projects").to_python()}
    assert set(rows) == set(data.projects)
    for p, r in rows.items():
        a = data.attrs[p]
        assert a.get("code") == (str(r["code"]) if r["code"] else None), p
        assert a.get("start") == (str(r["start"]) if r["start"] else None), p
        assert a.get("end") == (str(r["end"]) if r["end"] else None), p
        assert a.get("status") == (str(r["status"]) if r["status"] else None), p
        assert a.get("funding") == (float(r["granted"]) if r["granted"] is not None else None), p
        assert a.get("lead") == (str(r["lead"]) if r["lead"] else None), p
    # the EURA record's end date and status win over the autumn-2016 bulk row
    assert (data.attrs[P1]["end"], data.attrs[P1]["status"]) == ("2018-12-31", "Toiminta päättynyt")


def test_areas_counties_and_relevance(data: NetworkData) -> None:
    g = bipartite_graph(data)
    p5 = g.nodes[P5]
    assert p5["region"] == ["Ensimaakunta", "Toismaakunta"]
    assert p5["county_code"] == ["81", "82"]
    assert p5["county"] == ["Ensimmäinen hyvinvointialue", "Toinen hyvinvointialue"]
    assert p5["area_basis"] == ["authority", "implementer"]
    assert p5["sote_relevance"] == "sote"
    # stated municipality 981 → region 81 and county 81
    assert (g.nodes[P1]["region_code"], g.nodes[P1]["county_code"]) == (["81"], ["81"])
    assert g.nodes[P1]["area_basis"] == ["stated"]
    # a stated region holds the counties in it; a merged municipality counts as its successor
    assert g.nodes[P3]["county_code"] == ["82"]
    assert g.nodes[P2]["county_code"] == ["82"]
    assert g.nodes[P2]["area_basis"] == ["implementer", "stated"]
    # documents disagree on P2: the most relevant value counts
    assert g.nodes[P2]["sote_relevance"] == "borderline"
    assert g.nodes[P3]["sote_relevance"] == "not"
    # an organisation: the union of its projects' areas, the most relevant value
    e = g.nodes[E]
    assert e["county_code"] == ["81", "82"]
    assert (e["sote_relevance"], e["sote_projects"]) == ("sote", 1)
    assert e["period"] == "2019-2022"
    assert g.nodes[A]["sote_relevance"] == "sote"  # P1 sote, P2 borderline


def test_money_is_counted_once(data: NetworkData) -> None:
    g = bipartite_graph(data)
    projects = [n for n, d in g.nodes(data=True) if d["type"] == "project"]
    orgs = [n for n, d in g.nodes(data=True) if d["type"] == "organisation"]
    granted = sum(g.nodes[p]["funding"] for p in projects)
    assert granted == 100000 + 200000 + 50000 + 40000
    # own shares never add up to more than the projects' money (the old "funding" attribute
    # gave every participant the whole amount: 3 × 100,000 for P1 alone)
    own = sum(g.nodes[o].get("own_funding", 0.0) for o in orgs)
    assert own <= granted
    assert all("funding" not in g.nodes[o] for o in orgs)
    e = g.nodes[E]  # leads P3 (with partner F) and P5 (alone, not a joint project)
    assert e["projects_funding_total"] == 90000.0
    assert e["lead_funding"] == 90000.0
    assert (e["own_funding"], e["own_funding_projects"]) == (40000.0, 1)
    assert own == 40000.0
    gee = g.nodes[G]  # a collaborator of P5 gets no share; a partner of P4 (no amount)
    assert "own_funding" not in gee
    assert gee["projects_funding_total"] == 40000.0
    assert own_share(data, P5, E) == 40000.0
    assert own_share(data, P5, G) is None
    assert own_share(data, P3, E) is None  # a partner shares P3's money in unknown parts
    # the totals per meaning add up: every project's amount once per participant
    total = sum(g.nodes[o]["projects_funding_total"] for o in orgs)
    assert total == sum(g.nodes[p]["funding"] * g.degree(p) for p in projects)


def test_graphml_and_gexf_keep_the_new_attributes(data: NetworkData, tmp_path: Path) -> None:
    g = bipartite_graph(data)
    [gml] = export_graph(g, tmp_path / "n.graphml")
    back = nx.read_graphml(gml)
    assert back.nodes[P5]["county_code"] == "81; 82"
    assert back.nodes[E]["own_funding"] == 40000.0
    assert back.nodes[P5]["sote_relevance"] == "sote"
    [gexf] = export_graph(g, tmp_path / "n.gexf")
    assert nx.read_gexf(gexf).nodes[P5]["county"] == (
        "Ensimmäinen hyvinvointialue; Toinen hyvinvointialue"
    )


# -- what is selected ----------------------------------------------------------------------


def test_only_what_is_asked_is_selected(store: OxigraphStore, data: NetworkData) -> None:
    small = load_network_data(store, kinds=["partners"], attributes=False)
    assert list(small.incidences) == [OverlapBy.PARTNERS]
    assert small.selected == frozenset()
    assert (small.regions, small.relevance, small.documents, small.periods) == ({}, {}, {}, {})
    # the network itself is the same as from everything
    full, lean = coparticipation_graph(data), coparticipation_graph(small)
    assert {frozenset(e): d["weight"] for *e, d in full.edges(data=True)} == {
        frozenset(e): d["weight"] for *e, d in lean.edges(data=True)
    }
    assert set(full.nodes) == set(lean.nodes)
    assert "county" not in lean.nodes[A]
    assert "county" in full.nodes[A]
    some = load_network_data(store, kinds=["themes", "time"], attributes=["sote"])
    assert set(some.incidences) == {OverlapBy.PARTNERS, OverlapBy.THEMES}
    assert some.periods
    assert some.relevance
    assert not some.regions
    with pytest.raises(SotegraphError, match="valid: project"):
        load_network_data(store, attributes=["colour"])
    with pytest.raises(SotegraphError):
        load_network_data(store, kinds=["colour"])


@pytest.mark.parametrize(
    ("sote", "expected"),
    [
        (True, {P1, P4, P5}),
        ("sote", {P1, P4, P5}),
        (("sote", "borderline"), {P1, P2, P4, P5}),
        (["not"], {P3}),
        (None, {P1, P2, P3, P4, P5}),
        (False, {P1, P2, P3, P4, P5}),
    ],
)
def test_sote_filter_on_load(store: OxigraphStore, sote: Any, expected: set[str]) -> None:
    assert set(load_network_data(store, sote=sote).projects) == expected


def test_sote_only_coparticipation_counts_only_sote_projects(store: OxigraphStore) -> None:
    g = coparticipation_graph(load_network_data(store, sote=True))
    edges = {frozenset(e) for e in g.edges}
    # P1: A B C; P4: F G D; P5: E G — and no B–D (only P2, borderline)
    assert edges == {frozenset(x) for x in [(A, B), (A, C), (B, C), (F, G), (F, D), (G, D), (E, G)]}
    with pytest.raises(SotegraphError, match="sote filter"):
        sote_levels("maybe")


def test_sote_overlap(store: OxigraphStore, data: NetworkData) -> None:
    pairs = project_overlap(load_network_data(store, sote=True), by=["partners"])
    assert {frozenset((p.project1, p.project2)) for p in pairs} == {frozenset((P4, P5))}
    # the same through the builders' sote= on data of every project
    same = project_overlap(data, by=["partners"], sote="sote")
    assert [(p.project1, p.project2, p.score) for p in same] == [
        (p.project1, p.project2, p.score) for p in pairs
    ]
    wide = project_overlap(data, by=["partners"], sote=("sote", "borderline"))
    assert {frozenset((p.project1, p.project2)) for p in wide} == {
        frozenset((P1, P2)),
        frozenset((P4, P5)),
        frozenset((P2, P4)),
    }
    loaded = coparticipation_graph(load_network_data(store, sote=True))
    built = coparticipation_graph(data, sote=True)
    assert {frozenset(e) for e in built.edges} == {frozenset(e) for e in loaded.edges}
    assert set(bipartite_graph(data, sote=True).nodes) >= {P1, P4, P5}
    assert P2 not in bipartite_graph(data, sote=True)
    lean = load_network_data(store, kinds=["partners"], attributes=False)
    with pytest.raises(SotegraphError, match="sote relevance was not selected"):
        coparticipation_graph(lean, sote=True)


# -- subsets -------------------------------------------------------------------------------


def test_filter_projects_by_county_region_theme_period(data: NetworkData) -> None:
    assert set(filter_projects(data, county="81").projects) == {P1, P5}
    assert set(filter_projects(data, county="Ensimmäinen").projects) == {P1, P5}
    assert set(filter_projects(data, county=["81", "82"]).projects) == {P1, P2, P3, P4, P5}
    assert set(filter_projects(data, region="toismaakunta").projects) == {P2, P3, P4, P5}
    assert set(filter_projects(data, theme="Digitalisaatio").projects) == {P1, P3, P4}
    # a programme period the data name, else years that the project's period overlaps
    assert set(filter_projects(data, period="2014-2020").projects) == {P1, P2, P3}
    assert set(filter_projects(data, period="2020").projects) == {P3, P4}
    assert set(filter_projects(data, period="2021-2030").projects) == {P5}
    assert set(filter_projects(data, county="81", sote_only=True).projects) == {P1, P5}
    with pytest.raises(SotegraphError, match="period"):
        filter_projects(data, period="spring")
    # co-participation of one county counts only its projects: A–B share only P1 there
    g = coparticipation_graph(filter_projects(data, county="81"))
    assert set(g.nodes) == {A, B, C, E, G}
    assert g.edges[A, B]["weight"] == 1
    assert coparticipation_graph(data).edges[A, B]["weight"] == 2


def test_subset_around_a_name(data: NetworkData) -> None:
    g = coparticipation_graph(data)
    one = subset(g, around="alfa oy", hops=1)
    assert set(one.nodes) == {A, B, C, D}
    two = subset(g, around=A, hops=2)
    assert set(two.nodes) == {A, B, C, D, F, G}
    assert set(subset(g, around="Alfa Oy", hops=0).nodes) == {A}
    with pytest.raises(AmbiguousNameError) as info:
        find_node(bipartite_graph(data), "hanke")  # every project's name holds it
    assert len(info.value.candidates) == 5
    assert {n for n, _label in info.value.candidates} == {P1, P2, P3, P4, P5}
    with pytest.raises(SotegraphError, match="no node"):
        subset(g, around="Zeeta Oy")
    with pytest.raises(SotegraphError):
        subset(g, hops=-1)


def test_subset_by_attributes_and_degree(data: NetworkData) -> None:
    g = bipartite_graph(data)
    sote = subset(g, sote_only=True)
    assert {n for n, d in sote.nodes(data=True) if d["type"] == "project"} == {P1, P4, P5}
    county = subset(g, county="82", drop_isolated=True)
    assert P1 not in county
    assert P5 in county
    dense = subset(coparticipation_graph(data), min_degree=3)
    assert set(dense.nodes) == {A, B, D, F, G}
    # an isolated organisation goes with drop_isolated
    lonely = nx.Graph(coparticipation_graph(data))
    lonely.add_node("x", label="Yksin Oy")
    assert "x" not in subset(lonely, drop_isolated=True)
    assert "x" in subset(lonely)


# -- the CLI -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_dir(fixtures_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rdflib.namespace import RDF

    from sotegraph.store.base import MANIFEST_GRAPH, is_document_graph
    from sotegraph.vocab import SG

    path = tmp_path_factory.mktemp("subsets") / "store"
    s = open_store(path)
    _load(s, fixtures_dir)
    manifest, a, document = (ox.NamedNode(str(x)) for x in (MANIFEST_GRAPH, RDF.type, SG.Document))
    for name in filter(is_document_graph, s.graph_names()):
        s.raw.add(ox.Quad(ox.NamedNode(name), a, document, manifest))  # type: ignore[attr-defined]
    s.close()
    return path


def _run(*args: Any) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_cli_network_subsets(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.graphml"
    res = _run("network", "--store", store_dir, "--county", "81", "-o", out)
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(out)
    assert set(g.nodes) == {A, B, C, E, G}
    assert "county" in g.nodes[A]  # the filter selected the areas
    res = _run("network", "--store", store_dir, "--sote-only", "--attributes", "all", "-o", out)
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(out)
    assert B in g
    assert not g.has_edge(B, D)
    assert g.nodes[E]["own_funding"] == 40000.0
    res = _run(
        "network", "--store", store_dir, "--kind", "bipartite", "--around", "Eetta-hanke",
        "--hops", "1", "-o", out,
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert set(nx.read_graphml(out).nodes) == {P5, E, G}
    res = _run("network", "--store", store_dir, "--min-degree", "3", "-o", out)
    assert res.exit_code == 0, res.output
    assert set(nx.read_graphml(out).nodes) == {A, B, D, F, G}


def test_cli_ambiguous_name_exits_2_with_candidates(store_dir: Path, tmp_path: Path) -> None:
    res = _run("view", "--store", store_dir, "--around", "hanke", "-o", tmp_path / "v.html")
    assert res.exit_code == 2
    assert "error: --around 'hanke' fits 5 nodes" in res.output
    assert "Eetta-hanke" in res.output
    assert P5 in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "v.html").exists()
    res = _run("network", "--store", store_dir, "--around", "Zeeta", "-o", tmp_path / "x.csv")
    assert res.exit_code == 2
    assert "no node" in res.output
    res = _run("network", "--store", store_dir, "--period", "kevät", "-o", tmp_path / "x.csv")
    assert res.exit_code == 2
    assert "--period" in res.output
    res = _run("network", "--store", store_dir, "--attributes", "colour", "-o", tmp_path / "x.csv")
    assert res.exit_code == 2
    assert "--attributes" in res.output


def test_cli_view_and_overlap_subsets(store_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "v.html"
    res = _run("view", "--store", store_dir, "--sote-only", "--county", "82", "-o", page)
    assert res.exit_code == 0, res.output
    assert "Eetta-hanke" in page.read_text(encoding="utf-8")
    assert "Beeta-hanke" not in page.read_text(encoding="utf-8")
    res = _run(
        "overlap", "--store", store_dir, "--by", "partners", "--sote-only", "--format", "csv"
    )
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 2
    assert "Eetta-hanke" in lines[1]
    assert "Delta-verkostohanke" in lines[1]
    res = _run("overlap", "--store", store_dir, "--by", "partners", "--period", "2014-2020",
               "--format", "csv")  # fmt: skip
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 2
    assert "Alfa-hanke" in lines[1]
    assert "Beeta-hanke" in lines[1]

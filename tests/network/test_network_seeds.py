"""Queries, networks and exports on the graph of the five seed texts (../shared/corpus/seeds).

Skips when ../shared is absent. The seeds' graph is built once per module with the article
NLP (sotegraph.extract.article): Työterveyslaitos, ASKO and Strateginen työkykyjohtaminen
are named only in the articles 002 and 003, so the tests marked ``nlp`` need it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from sotegraph import resources
from sotegraph.builder import KnowledgeGraph
from sotegraph.export import export_graph, sanitise
from sotegraph.network import (
    NetworkData,
    annotate,
    bipartite_graph,
    coparticipation_graph,
    load_network_data,
    pair_overlap,
    project_overlap,
)
from sotegraph.queries import run_query


@pytest.fixture(scope="module")
def kg(seeds_kg: KnowledgeGraph) -> KnowledgeGraph:
    return seeds_kg


@pytest.fixture(scope="module")
def data(kg: KnowledgeGraph) -> NetworkData:
    return load_network_data(kg)


def _names(gold: dict[str, Any], ids: list[str]) -> dict[str, set[str]]:
    """Gold organisation id -> its name and aliases (normalised)."""
    orgs = {o["id"]: o for o in gold["organisations"]}
    return {i: {n.casefold() for n in [orgs[i]["name"], *orgs[i].get("aliases", [])]} for i in ids}


def _find(g: nx.Graph, names: set[str]) -> str | None:
    for n, d in g.nodes(data=True):
        if str(d.get("label", "")).casefold() in names:
            return str(n)
    return None


@pytest.mark.parametrize("name", resources.query_names())
def test_every_query_runs_on_the_seeds(kg: KnowledgeGraph, name: str) -> None:
    rows = kg.query(name)
    assert isinstance(rows, list)
    if name in {"projects", "organisations_by_role", "coparticipation", "funding_by_fund"}:
        assert rows, f"{name} found nothing on the seeds"


def test_projects_on_the_seeds(kg: KnowledgeGraph) -> None:
    rows = {r["code"]: r for r in kg.query("projects").to_python() if r["code"]}
    assert rows["S21259"]["leadName"] == "Kajaanin Ammattikorkeakoulu Oy"
    assert str(rows["S21259"]["end"]) == "2020-12-31"
    assert rows["S21467"]["status"] == "Toiminnassa"


@pytest.mark.parametrize("by", ["partners", "places", "themes", "groups"])
def test_matrix_overlap_equals_the_query_on_the_seeds(
    kg: KnowledgeGraph, data: NetworkData, by: str
) -> None:
    expected = sorted(
        (str(r["project1"]), str(r["project2"]), int(r["shared"]), round(float(r["jaccard"]), 9))
        for r in run_query(kg.store, f"overlap_{by}", min_shared=1).to_python()
    )
    got = sorted(
        (p.project1, p.project2, p.shared, round(p.jaccard, 9)) for p in pair_overlap(data, by=by)
    )
    print(f"{by}: {len(got)} pairs by matrix, {len(expected)} by SPARQL")
    assert got == expected


@pytest.mark.nlp
def test_tyoterveyslaitos_links_the_partners_of_both_its_projects(
    data: NetworkData, gold: dict[str, Any]
) -> None:
    g = coparticipation_graph(data)
    ttl = _find(g, {"työterveyslaitos"})
    assert ttl is not None, "Työterveyslaitos is not in the seeds' co-participation network"
    projects = {p["id"]: p for p in gold["projects"]}
    strategic = projects["strateginen-tyokykyjohtaminen"]
    wanted = [
        *strategic["partners"],
        *strategic["collaborators"],
        *projects["asko"]["participants"],
    ]
    wanted = [w for w in wanted if w != "ttl"]
    names = _names(gold, wanted)
    neighbours = {str(g.nodes[m].get("label", "")).casefold() for m in g.neighbors(ttl)}
    found = [w for w in wanted if names[w] & neighbours]
    print(f"Työterveyslaitos neighbours: {len(found)}/{len(wanted)} gold partners found")
    assert sorted(found) == sorted(wanted)


@pytest.mark.nlp
def test_strategic_and_asko_rank_above_unrelated_pairs(data: NetworkData) -> None:
    ranking = project_overlap(data)
    label = {p: data.label(p).casefold() for p in data.projects}
    strategic = next(
        (p for p, n in label.items() if n.startswith("strateginen työkykyjohtaminen")), None
    )
    asko = next(
        (p for p, n in label.items() if n.startswith("sote-ammattilaiset asiakasosallisuuden")),
        None,
    )
    assert strategic is not None, "Strateginen työkykyjohtaminen is not in the seeds' graph"
    assert asko is not None, "ASKO is not in the seeds' graph"
    pair = next((p for p in ranking if {p.project1, p.project2} == {strategic, asko}), None)
    assert pair is not None, "ASKO and Strateginen työkykyjohtaminen do not overlap at all"
    # unrelated: no shared partner and no shared consortium, network or coordinating project
    unrelated = [
        p for p in ranking if p.shared.get("partners", 0) == 0 and p.shared.get("groups", 0) == 0
    ]
    print(
        f"ASKO–Strateginen: {pair.score:.3f}; best unrelated: "
        f"{max((p.score for p in unrelated), default=0):.3f} over {len(unrelated)} pairs"
    )
    assert all(pair.score > p.score for p in unrelated)
    assert pair.shared["partners"] >= 1  # the same lead, Työterveyslaitos


def _exports(g: nx.Graph, tmp_path: Path, name: str) -> None:
    written = sanitise(g)
    [graphml] = export_graph(g, tmp_path / f"{name}.graphml")
    [gexf] = export_graph(g, tmp_path / f"{name}.gexf")
    for back in (nx.read_graphml(graphml), nx.read_gexf(gexf)):
        assert set(back.nodes) == set(written.nodes)
        assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in written.edges}
        for n, d in written.nodes(data=True):
            got = {k: v for k, v in back.nodes[n].items() if k != "id"}
            assert set(got) == set(d), n
            for k, v in d.items():
                if isinstance(v, float):
                    assert got[k] == pytest.approx(v), (n, k)
                else:
                    assert got[k] == v, (n, k)
        for u, v, d in written.edges(data=True):
            got = {k: x for k, x in back.edges[u, v].items() if k != "id"}
            assert set(got) == set(d)


def test_seed_exports_round_trip(data: NetworkData, fixtures_dir: Path, tmp_path: Path) -> None:
    for name, g in (
        ("coparticipation", annotate(coparticipation_graph(data))),
        ("bipartite", annotate(bipartite_graph(data))),
    ):
        assert g.number_of_nodes() > 0
        _exports(g, tmp_path, name)
    xmlschema = pytest.importorskip("xmlschema", reason="pip install xmlschema")
    schema = xmlschema.XMLSchema(str(fixtures_dir / "network" / "graphml-subset.xsd"))
    schema.validate(str(tmp_path / "coparticipation.graphml"))
    schema.validate(str(tmp_path / "bipartite.graphml"))


def test_no_personal_data_in_any_export(
    data: NetworkData, gold: dict[str, Any], tmp_path: Path
) -> None:
    g = annotate(bipartite_graph(data))
    texts = []
    for suffix in ("graphml", "gexf", "cyjs", "json", "csv", "html"):
        for path in export_graph(g, tmp_path / f"all.{suffix}"):
            texts.append(path.read_text(encoding="utf-8"))
    blob = "\n".join(texts)
    personal = gold["personal_data"]
    leaked = [s for s in [*personal["people"], *personal["contact_strings"]] if s in blob]
    assert leaked == []
    assert json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["nodes"]

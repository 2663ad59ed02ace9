"""sotegraph.network on the small invented fixture graph (tests/data/network/fixture.trig).

The overlap counts from the sparse matrix products must equal the rows of the portable
``overlap_*.rq`` queries; expected graphs were worked out by hand from the fixture's facts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import numpy as np
import pyoxigraph as ox
import pytest
import scipy.sparse as sp

from sotegraph.errors import SotegraphError
from sotegraph.network import (
    Incidence,
    NetworkData,
    OverlapBy,
    annotate,
    bipartite_graph,
    brokers,
    communities,
    components,
    coparticipation_graph,
    count_overlap,
    incidence,
    load_network_data,
    overlap_graph,
    pair_overlap,
    project_overlap,
)
from sotegraph.queries import run_query
from sotegraph.store import OxigraphStore, Store, open_store

ORG = "https://w3id.org/sotegraph/id/organisation/"
PRJ = "https://w3id.org/sotegraph/id/project/"


@pytest.fixture(scope="module")
def store(fixtures_dir: Path) -> OxigraphStore:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    return s


@pytest.fixture(scope="module")
def data(store: OxigraphStore) -> NetworkData:
    return load_network_data(store)


def query_pairs(store: Store, by: str) -> list[tuple[str, str, int, int, int, float]]:
    return [
        (
            str(r["project1"]),
            str(r["project2"]),
            int(r["shared"]),
            int(r["size1"]),
            int(r["size2"]),
            round(float(r["jaccard"]), 9),
        )
        # min_shared=1 as the matrix counts (overlap_themes asks for 2 by default)
        for r in run_query(store, f"overlap_{by}", min_shared=1).to_python()
    ]


def matrix_pairs(data: NetworkData, by: str) -> list[tuple[str, str, int, int, int, float]]:
    return [
        (p.project1, p.project2, p.shared, p.size1, p.size2, round(p.jaccard, 9))
        for p in pair_overlap(data, by=by)
    ]


@pytest.mark.parametrize("by", ["partners", "places", "themes", "groups"])
def test_matrix_overlap_equals_the_query(store: OxigraphStore, data: NetworkData, by: str) -> None:
    expected = query_pairs(store, by)
    assert expected, f"the fixture should have {by} overlaps"
    assert sorted(matrix_pairs(data, by)) == sorted(expected)
    # and in the same order (most shared first, then Jaccard, then IRIs)
    assert matrix_pairs(data, by) == expected


def test_count_overlap_is_the_upper_triangle() -> None:
    m = sp.csr_matrix(np.array([[1, 0, 1], [1, 1, 1], [0, 0, 0], [0, 1, 0]]))
    shared, sizes = count_overlap(m)
    got = sorted(zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist(), strict=True))
    assert got == [(0, 1, 2), (1, 3, 1)]
    assert sizes.tolist() == [2, 3, 0, 1]


def test_incidence_from_pairs_keeps_row_order_and_dedups() -> None:
    inc = Incidence.from_pairs([("b", "x"), ("a", "y"), ("b", "x")], rows=["c", "b", "a"])
    assert inc.rows == ["c", "b", "a"]
    assert inc.cols == ["x", "y"]
    assert inc.matrix.toarray().tolist() == [[0, 0], [1, 0], [0, 1]]
    assert inc.index["a"] == 2


def test_network_data(data: NetworkData) -> None:
    assert [p.rsplit("/", 1)[-1] for p in data.projects] == [
        "S90001",
        "S90002",
        "S90003",
        "delta-verkostohanke",
    ]
    assert len(data.organisations) == 7
    assert data.roles[(PRJ + "S90001", ORG + "1000001-1")] == ["lead"]
    assert data.roles[(PRJ + "delta-verkostohanke", ORG + "deeta-instituutti")] == ["collaborator"]
    # the EURA record's end date wins over the autumn-2016 bulk row
    assert data.periods[PRJ + "S90001"] == (dt.date(2016, 1, 1), dt.date(2018, 12, 31))
    # a year-only start without an end spans that year
    assert data.periods[PRJ + "delta-verkostohanke"] == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))


def test_bipartite_graph(data: NetworkData) -> None:
    g = bipartite_graph(data)
    assert g.number_of_nodes() == 11
    assert g.number_of_edges() == 11  # 3 + 3 + 2 + 3 participations
    assert nx.is_bipartite(g)
    p1 = g.nodes[PRJ + "S90001"]
    assert p1["type"] == "project"
    assert p1["label"] == "Alfa-hanke"
    assert p1["region"] == ["Ensimaakunta"]
    assert p1["funding"] == 100000.0
    assert p1["period"] == "2016-2018"
    assert p1["status"] == "Toiminta päättynyt"
    assert p1["documents"] == ["article.txt", "bulk_2016.csv", "p1_record.txt"]
    alfa = g.nodes[ORG + "1000001-1"]
    assert (alfa["type"], alfa["projects"]) == ("organisation", 2)
    # money counted once per meaning: no ambiguous "funding" on organisations
    assert "funding" not in alfa
    assert (alfa["projects_funding_total"], alfa["lead_funding"]) == (300000.0, 300000.0)
    assert "own_funding" not in alfa  # no record says P1 or P2 is not a joint project
    beeta = g.nodes[ORG + "1000002-2"]
    assert (beeta["projects_funding_total"], beeta["lead_funding"]) == (300000.0, 0.0)
    assert g.edges[PRJ + "S90001", ORG + "1000001-1"]["roles"] == ["lead"]


def test_coparticipation_graph(store: OxigraphStore, data: NetworkData) -> None:
    g = coparticipation_graph(data)
    assert g.number_of_nodes() == 7
    assert g.number_of_edges() == 9
    ab = g.edges[ORG + "1000001-1", ORG + "1000002-2"]
    assert ab["weight"] == 2
    assert ab["shared"] == ["Alfa-hanke", "Beeta-hanke"]
    assert ab["jaccard"] == 1.0
    assert g.edges[ORG + "deeta-instituutti", ORG + "geeta-saatio"]["shared"] == [
        "Delta-verkostohanke"
    ]
    # same pairs and weights as the coparticipation query and as a dense recount
    edges = {frozenset((u, v)): d["weight"] for u, v, d in g.edges(data=True)}
    rows = run_query(store, "coparticipation").to_python()
    assert edges == {frozenset((str(r["a"]), str(r["b"]))): int(r["weight"]) for r in rows}
    assert edges == dense_pairs(data)
    strong = coparticipation_graph(data, min_weight=2)
    assert list(strong.edges) == [(ORG + "1000001-1", ORG + "1000002-2")]
    with pytest.raises(SotegraphError):
        coparticipation_graph(data, min_weight=0)


def dense_pairs(data: NetworkData) -> dict[frozenset[str], int]:
    inc = data.incidences[OverlapBy.PARTNERS]
    out: dict[frozenset[str], int] = {}
    dense = inc.matrix.toarray()
    for i in range(len(inc.cols)):
        for j in range(i + 1, len(inc.cols)):
            n = int((dense[:, i] & dense[:, j]).sum())
            if n:
                out[frozenset((inc.cols[i], inc.cols[j]))] = n
    return out


def test_combined_overlap_with_weights(data: NetworkData) -> None:
    ranked = project_overlap(data, by=["partners", "places", "themes", "time"])
    top = ranked[0]
    # Gamma–Delta: partners 1/4, places 1/2, themes 1/2, time 366/731
    assert (top.label1, top.label2) == ("Gamma-hanke", "Delta-verkostohanke")
    assert top.score == pytest.approx((0.25 + 0.5 + 0.5 + 366 / 731) / 4)
    assert top.shared == {"partners": 1, "places": 1, "themes": 1, "time": 366}
    assert top.items["partners"] == [ORG + "1000006-6"]
    # weighting partners only puts Alfa–Beeta (2 of 4 shared) first
    by_partners = project_overlap(data, by=["partners"], top=1)[0]
    assert (by_partners.label1, by_partners.label2) == ("Alfa-hanke", "Beeta-hanke")
    heavy = project_overlap(
        data, by=["partners", "time"], weights={"partners": 10, "time": 1}, top=1
    )[0]
    assert heavy.score == pytest.approx((10 * 0.5 + 579 / 1247) / 11)
    # time alone: every concurrent pair
    timed = {(p.label1, p.label2): p.shared["time"] for p in project_overlap(data, by=["time"])}
    assert timed == {
        ("Alfa-hanke", "Beeta-hanke"): 579,
        ("Gamma-hanke", "Delta-verkostohanke"): 366,
        ("Beeta-hanke", "Gamma-hanke"): 151,
    }


def test_time_overlap_matches_concurrent_projects_query(
    store: OxigraphStore, data: NetworkData
) -> None:
    rows = run_query(store, "concurrent_projects").to_python()
    expected = {(str(r["project1"]), str(r["project2"])): int(r["days"]) for r in rows}
    # the query lists the concurrent pairs that share an organisation
    overlap = project_overlap(data, by=["time", "partners"])
    got = {
        (p.project1, p.project2): p.shared["time"]
        for p in overlap
        if p.shared.get("time") and p.shared.get("partners")
    }
    assert got == expected
    assert len(got) == 2


def test_overlap_errors(data: NetworkData) -> None:
    with pytest.raises(SotegraphError, match="valid: partners"):
        project_overlap(data, by=["colour"])
    with pytest.raises(SotegraphError):
        project_overlap(data, by=[])
    with pytest.raises(SotegraphError):
        project_overlap(data, by=["partners"], weights={"partners": -1})


def test_overlap_graph(data: NetworkData) -> None:
    g = overlap_graph(data, by=["partners", "themes"])
    assert g.number_of_nodes() == 4
    e = g.edges[PRJ + "S90001", PRJ + "S90002"]
    assert e["shared_partners"] == 2
    assert e["partners"] == ["Alfa Oy", "Beetan kaupunki"]
    assert e["themes"] == ["työhyvinvointi"]
    assert e["weight"] == pytest.approx((0.5 + 0.5) / 2)


def test_centrality_communities_brokers(data: NetworkData) -> None:
    g = annotate(coparticipation_graph(data))
    deeta = g.nodes[ORG + "deeta-instituutti"]
    assert deeta["degree"] == 4
    assert max(g.nodes[n]["betweenness"] for n in g) == deeta["betweenness"]
    assert all(0.0 <= g.nodes[n]["eigenvector"] <= 1.0 for n in g)
    found = brokers(g)
    assert found[0].label == "Deeta-instituutti"
    assert found[0].articulation
    assert {b.label for b in found} == {
        "Deeta-instituutti",
        "Fiitan yliopisto",
        "Alfa Oy",
        "Beetan kaupunki",
    }
    # Louvain with a fixed seed is stable and splits the two groups
    first = communities(g, seed=7)
    assert first == communities(g, seed=7)
    assert len(first) >= 2
    same = next(c for c in first if ORG + "1000001-1" in c)
    assert ORG + "1000002-2" in same
    assert ORG + "1000005-5" not in same
    assert [len(c) for c in components(g)] == [7]


def test_components_of_a_split_graph() -> None:
    g = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    assert components(g) == [{"c", "d", "e"}, {"a", "b"}]
    assert brokers(annotate(g))[0].node == "d"


def test_incidence_select_skips_cells_that_are_not_iris() -> None:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.raw.load(
        f"""<{PRJ}x> <https://w3id.org/sotegraph/ontology#participant> <{ORG}a> .
        <{PRJ}x> <https://w3id.org/sotegraph/ontology#participant> "Ei tunnistettu" .
        <{PRJ}y> <https://w3id.org/sotegraph/ontology#participant> _:b1 .
        <{PRJ}y> <https://w3id.org/sotegraph/ontology#participant> <{ORG}a> .""",
        ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode("https://w3id.org/sotegraph/id/document/t"),
    )
    inc = incidence(s, "partners")
    assert inc.rows == [PRJ + "x", PRJ + "y"]
    assert inc.cols == [ORG + "a"]
    assert inc.matrix.toarray().tolist() == [[1], [1]]


@pytest.mark.parametrize(
    "odd",
    [
        '"<https://w3id.org/sotegraph/id/organisation/a>"',  # a literal that looks like an IRI
        '"a <https://w3id.org/sotegraph/id/organisation/a> b"@fi',  # spaces: extra tokens
        '"<x>\\t<y>"',  # a tab inside a literal (escaped in TSV)
        "_:b9",
    ],
)
def test_incidence_select_is_not_fooled_by_odd_cells(odd: str) -> None:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.raw.load(
        f"""<{PRJ}z> <https://w3id.org/sotegraph/ontology#participant> <{ORG}b> .
        <{PRJ}x> <https://w3id.org/sotegraph/ontology#participant> {odd} .
        <{PRJ}y> <https://w3id.org/sotegraph/ontology#participant> <{ORG}ä-ö> .
        <{PRJ}x> <https://w3id.org/sotegraph/ontology#participant> <{ORG}b> .""",
        ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode("https://w3id.org/sotegraph/id/document/t"),
    )
    inc = incidence(s, "partners")
    assert inc.rows == [PRJ + "x", PRJ + "y", PRJ + "z"]
    assert inc.cols == [ORG + "b", ORG + "ä-ö"]
    assert inc.matrix.toarray().tolist() == [[1, 0], [0, 1], [1, 0]]
    assert inc.index == {PRJ + "x": 0, PRJ + "y": 1, PRJ + "z": 2}


def test_incidence_rows_given_leave_out_other_subjects() -> None:
    inc = Incidence.from_columns(
        ["p2", "p9", "p1", "p2", "p9"], ["b", "a", "c", "a", "z"], rows=["p2", "p1"]
    )
    assert inc.rows == ["p2", "p1"]
    assert inc.cols == ["a", "b", "c"]  # "z" only belonged to p9
    assert inc.matrix.toarray().tolist() == [[1, 1, 0], [0, 0, 1]]


def test_annotate_matches_networkx_on_a_split_graph() -> None:
    # centrality per component must equal networkx on the whole graph (unweighted here)
    club = nx.Graph(nx.karate_club_graph().edges())
    g = nx.disjoint_union(club, nx.path_graph(5))
    reference = nx.betweenness_centrality(g, normalized=True)
    annotate(g)
    assert max(abs(g.nodes[n]["betweenness"] - reference[n]) for n in g) < 1e-12
    eigen = nx.eigenvector_centrality_numpy(g.subgraph(range(34)))
    assert max(abs(g.nodes[n]["eigenvector"] - eigen[n]) for n in range(34)) < 1e-9
    # sampled betweenness (large graphs) is an estimate with a fixed seed: repeatable
    a = annotate(nx.Graph(club), betweenness_samples=10, seed=3)
    b = annotate(nx.Graph(club), betweenness_samples=10, seed=3)
    assert [a.nodes[n]["betweenness"] for n in a] == [b.nodes[n]["betweenness"] for n in b]


def _many_pairs_store(n: int, *, odd_at: int | None = None) -> OxigraphStore:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    lines = []
    for i in range(n):
        # multi-byte characters everywhere, so that reads end inside them now and then
        lines.append(
            f"<{PRJ}p{i:05d}-ä> <https://w3id.org/sotegraph/ontology#participant> "
            f"<{ORG}yhdistys-{i % 97}-öö> ."
        )
        if i == odd_at:
            lines.append(
                f"<{PRJ}p{i:05d}-ä> <https://w3id.org/sotegraph/ontology#participant> "
                '"ei IRI, vaan <teksti>" .'
            )
    s.raw.load(
        "\n".join(lines),
        ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode("https://w3id.org/sotegraph/id/document/many"),
    )
    return s


@pytest.mark.parametrize("odd_at", [None, 0, 12_345, 29_999])
def test_incidence_read_while_written_equals_row_by_row(odd_at: int | None) -> None:
    import tempfile

    from sotegraph.network.data import _select
    from sotegraph.network.matrix import _INCIDENCE_SPARQL
    from sotegraph.store.oxigraph import _SCRATCH

    s = _many_pairs_store(30_000, odd_at=odd_at)
    scratch = Path(_SCRATCH or tempfile.gettempdir())
    before = set(scratch.glob("sotegraph-*.tsv"))
    inc = incidence(s, "partners")
    assert set(scratch.glob("sotegraph-*.tsv")) == before  # the scratch file is gone
    rows = _select(s, _INCIDENCE_SPARQL[OverlapBy.PARTNERS])
    pairs = sorted((p, o) for p, o in rows if p and o and o.startswith("https://"))
    assert len(pairs) == 30_000
    assert inc.rows == sorted({p for p, _ in pairs})
    assert inc.cols == sorted({o for _, o in pairs})
    got = sorted((inc.rows[r], inc.cols[c]) for r, c in zip(*inc.matrix.nonzero(), strict=True))
    assert got == pairs


def test_incidence_select_error_reaches_the_caller_and_leaves_no_file() -> None:
    import tempfile

    from sotegraph.store.oxigraph import _SCRATCH

    s = _many_pairs_store(10)
    scratch = Path(_SCRATCH or tempfile.gettempdir())
    before = set(scratch.glob("sotegraph-*.tsv"))
    with pytest.raises(SyntaxError):
        s.select_iri_pairs("SELECT ?a ?b WHERE { ?a ?b }")
    assert set(scratch.glob("sotegraph-*.tsv")) == before

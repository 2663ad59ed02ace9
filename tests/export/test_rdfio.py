"""RDF in and out: :func:`sotegraph.rdfio.load_rdf` reads what :func:`export_rdf` writes.

TriG, N-Quads and JSON-LD keep one named graph per document; Turtle and N-Triples hold their
union. Every format is written from a store and from an rdflib Dataset and read back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD

from sotegraph.errors import InputError, UnsupportedFormatError
from sotegraph.export import RdfFormat, export_rdf
from sotegraph.rdfio import RDF_FORMATS, is_rdf_file, load_rdf, load_rdf_files
from sotegraph.store import Store, open_store
from sotegraph.vocab import SG

DOC = "https://w3id.org/sotegraph/id/document/"
ID = "https://w3id.org/sotegraph/id/"
EX = Namespace("https://example.org/p/")


def _graphs() -> dict[str, Graph]:
    """Two document graphs sharing an organisation, with typed, language and blank values."""
    org = URIRef(ID + "organisation/1234567-8")
    first = Graph()
    p1 = URIRef(ID + "project/S1")
    first.add((p1, RDF.type, SG.Project))
    first.add((p1, EX.lead, org))
    first.add((p1, EX.grantedFunding, Literal("208856.5", datatype=XSD.decimal)))
    first.add((p1, EX.startDate, Literal("2019-09-01", datatype=XSD.date)))
    first.add((org, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("Alfa Oy")))
    second = Graph()
    p2 = URIRef(ID + "project/S2")
    node = BNode()
    second.add((p2, RDF.type, SG.Project))
    second.add((p2, EX.partner, org))
    second.add((p2, EX.hasParticipation, node))
    second.add((node, EX.sentence, Literal("Hanke parantaa palveluja.", lang="fi")))
    return {DOC + "a" * 64: first, DOC + "b" * 64: second}


def _union(graphs: dict[str, Graph]) -> Graph:
    union = Graph()
    for g in graphs.values():
        for t in g:
            union.add(t)
    return union


def _named(data: Graph | Dataset) -> dict[str, Graph]:
    assert isinstance(data, Dataset)
    return {str(g.identifier): g for g in data.graphs() if len(g)}


def _all_triples(data: Graph | Dataset) -> Graph:
    out = Graph()
    graphs = data.graphs() if isinstance(data, Dataset) else [data]
    for g in graphs:
        for t in g:
            out.add(t)
    return out


@pytest.fixture
def store() -> Store:
    s = open_store()
    for name, g in _graphs().items():
        s.replace_graph(name, g)
    return s


@pytest.fixture
def dataset() -> Dataset:
    ds = Dataset()
    for name, g in _graphs().items():
        target = ds.graph(URIRef(name))
        for t in g:
            target.add(t)
    return ds


def _check(path: Path, fmt: RdfFormat) -> None:
    back = load_rdf(path)
    expected = _graphs()
    if fmt.keeps_graphs:
        got = _named(back)
        assert sorted(got) == sorted(expected)
        for name, graph in expected.items():
            assert isomorphic(got[name], graph), name
    else:
        assert isomorphic(_all_triples(back), _union(expected))


@pytest.mark.parametrize("fmt", list(RdfFormat))
def test_store_round_trip(store: Store, tmp_path: Path, fmt: RdfFormat) -> None:
    path = tmp_path / f"kg{fmt.suffix}"
    assert export_rdf(store, path) == path
    _check(path, fmt)


@pytest.mark.parametrize("fmt", list(RdfFormat))
def test_dataset_round_trip(dataset: Dataset, tmp_path: Path, fmt: RdfFormat) -> None:
    path = tmp_path / f"kg{fmt.suffix}"
    export_rdf(dataset, path)
    _check(path, fmt)


@pytest.mark.parametrize("fmt", [RdfFormat.TRIG, RdfFormat.NQUADS, RdfFormat.TURTLE])
def test_explicit_format_whatever_the_suffix(store: Store, tmp_path: Path, fmt: RdfFormat) -> None:
    odd = tmp_path / "graph.data"
    export_rdf(store, odd, format=fmt.rdflib_name)
    named = tmp_path / f"same{fmt.suffix}"
    named.write_bytes(odd.read_bytes())
    _check(named, fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["graph.data", named.name])


def test_union_formats_bind_the_prefixes(store: Store, tmp_path: Path) -> None:
    text = export_rdf(store, tmp_path / "kg.ttl").read_text(encoding="utf-8")
    assert "@prefix sg: <https://w3id.org/sotegraph/ontology#>" in text


def test_unknown_formats(store: Store, tmp_path: Path) -> None:
    with pytest.raises(
        UnsupportedFormatError,
        match=r"cannot write '\.xyz'; use one of \.trig, \.nq, \.ttl, \.nt, \.jsonld",
    ):
        export_rdf(store, tmp_path / "kg.xyz")
    with pytest.raises(UnsupportedFormatError, match="valid: trig, nq, ttl, nt, jsonld"):
        export_rdf(store, tmp_path / "kg.ttl", format="rdfxml")
    assert list(tmp_path.iterdir()) == []


def test_format_names() -> None:
    assert RdfFormat.from_path("A.JSONLD") is RdfFormat.JSONLD
    assert [RdfFormat.parse(n) for n in ("turtle", "n-triples", "nquads", ".trig")] == [
        RdfFormat.TURTLE,
        RdfFormat.NTRIPLES,
        RdfFormat.NQUADS,
        RdfFormat.TRIG,
    ]
    assert {f for f in RdfFormat if f.keeps_graphs} == {
        RdfFormat.TRIG,
        RdfFormat.NQUADS,
        RdfFormat.JSONLD,
    }
    # everything export_rdf writes, load_rdf reads
    assert {f.suffix for f in RdfFormat} <= set(RDF_FORMATS)


def test_knowledge_graph_serialize_is_export_rdf(store: Store, tmp_path: Path) -> None:
    from sotegraph.builder import KnowledgeGraph

    kg = KnowledgeGraph(store)
    for fmt in RdfFormat:
        a = kg.serialize(tmp_path / f"kg{fmt.suffix}")
        b = export_rdf(store, tmp_path / f"direct{fmt.suffix}")
        if fmt is not RdfFormat.JSONLD:  # JSON-LD names blank nodes afresh each time
            assert a.read_bytes() == b.read_bytes(), fmt


def test_seeds_jsonld_keeps_every_named_graph(seeds_kg: Any, tmp_path: Path) -> None:
    """``kg.serialize("x.jsonld")`` writes one ``@graph`` per named graph (issue 20, point 5):
    read back, the graph names and each graph's triples equal the store's."""
    import json

    path = seeds_kg.serialize(tmp_path / "seeds.jsonld")
    store = seeds_kg.store
    names = store.graph_names()
    documents = [n for n in names if n.startswith(DOC)]
    assert len(documents) == 5, names
    top = json.loads(path.read_text(encoding="utf-8"))
    blocks = top["@graph"] if isinstance(top, dict) else top
    assert len([b for b in blocks if "@graph" in b]) == len(names)
    back = Dataset()
    back.parse(path, format="json-ld")
    got = _named(back)
    assert sorted(got) == sorted(names)
    assert {n: len(g) for n, g in got.items()} == {n: len(store.graph(n)) for n in names}
    assert len(back.graph(DATASET_DEFAULT_GRAPH_ID)) == 0  # nothing outside the named graphs
    for name in documents:  # per-document provenance intact, blank nodes included
        assert isomorphic(got[name], store.graph(name)), name


# -- reading ----------------------------------------------------------------------------------


def test_load_rdf_graph_or_dataset(tmp_path: Path) -> None:
    ttl = tmp_path / "one.ttl"
    ttl.write_text("<https://e.org/s> <https://e.org/p> 1 .\n", encoding="utf-8")
    g = load_rdf(ttl)
    assert type(g) is Graph
    assert len(g) == 1
    nq = tmp_path / "two.nq"
    nq.write_text(
        '<https://e.org/s> <https://e.org/p> "x" <https://e.org/g1> .\n'
        '<https://e.org/s> <https://e.org/p> "y" <https://e.org/g2> .\n',
        encoding="utf-8",
    )
    assert sorted(_named(load_rdf(nq))) == ["https://e.org/g1", "https://e.org/g2"]


def test_load_rdf_errors_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle <<<", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"(?s)broken\.ttl: not valid RDF .*expected turtle syntax"
    ):
        load_rdf(broken)
    with pytest.raises(UnsupportedFormatError, match=r"notes\.txt: not an RDF file"):
        load_rdf(tmp_path / "notes.txt")


def test_load_rdf_files_keeps_order_and_returns_the_rest(tmp_path: Path) -> None:
    a = tmp_path / "a.TTL"
    a.write_text("<https://e.org/s> <https://e.org/p> 1 .\n", encoding="utf-8")
    text = tmp_path / "b.txt"
    text.write_text("Hankkeen nimi: Koe\n", encoding="utf-8")
    folder = tmp_path / "folder.ttl"  # a folder is never parsed, whatever its name
    folder.mkdir()
    graphs, rest = load_rdf_files([a, text, folder])
    assert [(name, len(g)) for name, g in graphs] == [(str(a), 1)]
    assert rest == [text, folder]
    assert is_rdf_file(a)
    assert not is_rdf_file(text)
    broken = tmp_path / "c.nt"
    broken.write_text("nonsense\n", encoding="utf-8")
    # the first bad path in order is the one reported
    with pytest.raises(InputError, match=r"c\.nt: not valid RDF"):
        load_rdf_files([broken, tmp_path / "missing.ttl"])
    with pytest.raises(InputError, match=r"missing\.ttl: no such file or folder"):
        load_rdf_files([tmp_path / "missing.ttl", broken])

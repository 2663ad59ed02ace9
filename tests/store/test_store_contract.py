"""The store contract: every backend, same data in, same rows out.

Backends: embedded Oxigraph in memory, embedded Oxigraph in a folder, a real Oxigraph server
(``oxigraph serve`` started by the ``oxigraph_server`` fixture) through
:class:`sotegraph.store.remote.RemoteStore` (writing by SPARQL Update, and again with every write
forced through the Graph Store Protocol as large graphs are), and Virtuoso (marker ``virtuoso``; skipped with the
reason when it is not installed). Expected rows come from rdflib's own SPARQL engine run on
the input graphs, so the reference is independent of Oxigraph.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS, XSD

from sotegraph.errors import StoreError
from sotegraph.store import OxigraphStore, Store
from sotegraph.store.remote import RemoteStore

EX = Namespace("https://example.org/contract/")
G1, G2, G3 = EX["graph/1"], EX["graph/2"], EX["graph/3"]
HOSTILE = [
    'S1" } INSERT DATA { <https://example.org/contract/x> <https://example.org/contract/y> 1 } #',
    "S1' } DROP ALL #",
    '} INSERT DATA { GRAPH <https://example.org/contract/evil> { <a:b> <a:c> "d" } } {',
    'a\\" ) } DELETE WHERE { ?s ?p ?o } #',
    "\"\"\" } CLEAR ALL ; SELECT * { '''",
    "S1\n} ; DROP ALL",
    "{{ ?s ?p ?o }}",
]


def _g1() -> Graph:
    g = Graph(identifier=G1)
    p1, p2, o1 = EX.p1, EX.p2, EX.o1
    g.add((p1, RDF.type, EX.Project))
    g.add((p1, SKOS.prefLabel, Literal("Koehanke äö", lang="fi")))
    g.add((p1, SKOS.prefLabel, Literal("Testprojekt", lang="sv")))
    g.add((p1, EX.code, Literal("S1")))
    g.add((p1, EX.amount, Literal("1200.50", datatype=XSD.decimal)))
    g.add((p1, EX.start, Literal("2019-01-01", datatype=XSD.date)))
    g.add((p1, EX.year, Literal("2018", datatype=XSD.gYear)))
    g.add((p1, EX["count"], Literal(3)))
    g.add((p1, EX.flag, Literal(True)))
    g.add((p1, EX.note, Literal('lainaus " ja \\ ja\nrivinvaihto {}')))
    g.add((p1, EX.partner, o1))
    g.add((p2, RDF.type, EX.Project))
    g.add((p2, EX.code, Literal("S2")))
    g.add((p2, SKOS.prefLabel, Literal("Toinen", lang="fi")))
    g.add((o1, RDF.type, EX.Organisation))
    g.add((o1, SKOS.prefLabel, Literal("Esimerkki Oy", lang="fi")))
    for i, bad in enumerate(HOSTILE):
        g.add((EX[f"h{i}"], EX.code, Literal(bad)))
    return g


def _g2() -> Graph:
    g = Graph(identifier=G2)
    g.add((EX.p1, EX.partner, EX.o2))  # another document about the same project
    g.add((EX.o2, RDF.type, EX.Organisation))
    g.add((EX.o2, SKOS.prefLabel, Literal("Toinen Oy", lang="fi")))
    return g


# -- backends ---------------------------------------------------------------------------------
BACKENDS = [
    "memory",
    "disk",
    "oxigraph-server",
    "oxigraph-server-gsp",  # every write through the Graph Store Protocol (large graphs)
    pytest.param("virtuoso", marks=pytest.mark.virtuoso),
]


def _clear_remote(store: RemoteStore) -> None:
    names = [n for n in store.graph_names() if n.startswith((str(EX), "https://w3id.org/"))]
    if names:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{n}>" for n in names))
    store.remove_staging()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store of each backend."""
    kind = request.param
    if kind == "memory":
        s: Store = OxigraphStore()
    elif kind == "disk":
        s = OxigraphStore(tmp_path / "store")
    else:
        server = request.getfixturevalue(
            "virtuoso_server" if kind == "virtuoso" else "oxigraph_server"
        )
        s = RemoteStore(
            server.query,
            update_endpoint=server.update,
            gsp_endpoint=server.gsp,
            user=server.user,
            password=server.password,
            auth=server.auth,
            timeout=30,
            max_update_bytes=0 if kind.endswith("-gsp") else 700_000,
        )
        _clear_remote(s)
    try:
        yield s
    finally:
        if isinstance(s, RemoteStore):
            _clear_remote(s)
        s.close()


def ours(store: Store) -> list[str]:
    """Graph names the test made (a server may hold system graphs of its own)."""
    return [n for n in store.graph_names() if n.startswith((str(EX), "https://w3id.org/"))]


def count(store: Store) -> int:
    rows = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        'FILTER(STRSTARTS(STR(?g), "https://example.org/contract/")) }'
    )
    return int(rows[0]["n"].toPython())  # type: ignore[union-attr]


def norm(term: Any) -> Any:
    """A backend-independent value of a term (bnode labels and lexical forms aside)."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        value = term.toPython() if term.datatype else str(term)
        if isinstance(value, Literal):  # a datatype rdflib does not convert
            value = str(term)
        if isinstance(value, Decimal):
            value = value.normalize()
        return ("literal", term.language, str(term.datatype) if term.datatype else None, value)
    raise AssertionError(f"unexpected term {term!r}")


def canon(g: Graph) -> Graph:
    """``g`` with typed literals in a value form (servers may canonicalise ``1200.50``)."""
    out = Graph()
    for s_, p_, o_ in g:
        if isinstance(o_, Literal) and o_.datatype is not None:
            value = o_.toPython()
            if isinstance(value, Decimal):
                value = value.normalize()
            if not isinstance(value, Literal):
                o_ = Literal(f"{o_.datatype}|{value!r}")
        out.add((s_, p_, o_))
    return out


def same(a: Graph, b: Graph) -> bool:
    """Isomorphic up to the lexical form of typed literals."""
    return isomorphic(canon(a), canon(b))


def rows_of(rows: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(sorted((k, repr(norm(v))) for k, v in r.items())) for r in rows)


def reference(graphs: list[Graph], sparql: str) -> list[dict[str, Any]]:
    """Rows rdflib's own engine gives on the union of ``graphs`` (the expected answer)."""
    union = Graph()
    for g in graphs:
        for t in g:
            union.add(t)
    result = union.query(sparql)
    names = [str(v) for v in result.vars or []]
    return [{n: row[n] for n in names} for row in result]  # type: ignore[index]


# -- the contract -------------------------------------------------------------------------------
def test_replace_graph_then_read_back(store: Store) -> None:
    g1 = _g1()
    store.replace_graph(G1, g1)
    assert ours(store) == [str(G1)]
    assert store.has_graph(G1)
    assert not store.has_graph(G2)
    assert count(store) == len(g1)
    back = store.graph(G1)
    assert same(back, g1), "the graph read back differs from the one written"


def test_replace_graph_replaces_only_that_graph(store: Store) -> None:
    store.replace_graph(G1, _g1())
    store.replace_graph(G2, _g2())
    smaller = Graph(identifier=G1)
    smaller.add((EX.p1, EX.code, Literal("S1-new")))
    store.replace_graph(G1, smaller)
    assert same(store.graph(G1), smaller)
    assert same(store.graph(G2), _g2())
    assert count(store) == 1 + len(_g2())
    rows = store.query(
        "SELECT ?c WHERE { ?p <https://example.org/contract/code> ?c } ORDER BY ?c",
        bindings={"p": EX.p1},
    )
    assert [r["c"] for r in rows] == [Literal("S1-new")]


def test_replace_with_drop_and_update_is_one_step(store: Store) -> None:
    store.replace_graph(G1, _g1())
    new = Graph(identifier=G3)
    new.add((EX.p9, EX.code, Literal("S9")))
    manifest = f"INSERT DATA {{ GRAPH <{EX.manifest}> {{ <{G3}> <{EX.replaces}> <{G1}> }} }}"
    store.replace_graph(G3, new, drop_graphs=[G1], with_update=manifest)
    assert ours(store) == sorted([str(EX.manifest), str(G3)])
    assert same(store.graph(G3), new)
    assert len(store.graph(EX.manifest)) == 1


def test_replace_rejects_bad_graph_name_and_keeps_old(store: Store) -> None:
    store.replace_graph(G1, _g1())
    with pytest.raises(StoreError):
        store.replace_graph("https://example.org/contract/bad> <x", Graph())
    with pytest.raises(StoreError):
        store.replace_graph(G1, _g1(), with_update="THIS IS NOT SPARQL")
    assert same(store.graph(G1), _g1()), "a failed replace must leave the old graph"
    assert ours(store) == [str(G1)], "a failed replace must not leave staging graphs"


def test_empty_graph_replace(store: Store) -> None:
    store.replace_graph(G1, _g1())
    store.replace_graph(G1, Graph(identifier=G1))
    assert count(store) == 0
    assert len(store.graph(G1)) == 0


def test_remove_graph(store: Store) -> None:
    store.replace_graph(G1, _g1())
    store.replace_graph(G2, _g2())
    assert store.remove_graph(G1) is True
    assert store.remove_graph(G1) is False
    assert ours(store) == [str(G2)]
    assert count(store) == len(_g2())
    # facts about the shared project stated by the other document survive
    rows = store.query(
        "SELECT ?o WHERE { ?p <https://example.org/contract/partner> ?o }",
        bindings={"p": EX.p1},
    )
    assert [r["o"] for r in rows] == [EX.o2]


QUERIES = [
    # typed literals, language tags, unbound values
    """PREFIX ex: <https://example.org/contract/>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?p ?code ?label ?amount ?start ?year ?count ?flag ?partner WHERE {
      ?p a ex:Project ; ex:code ?code .
      OPTIONAL { ?p skos:prefLabel ?label FILTER(LANG(?label) = "fi") }
      OPTIONAL { ?p ex:amount ?amount } OPTIONAL { ?p ex:start ?start }
      OPTIONAL { ?p ex:year ?year } OPTIONAL { ?p ex:count ?count }
      OPTIONAL { ?p ex:flag ?flag } OPTIONAL { ?p ex:partner ?partner }
    } ORDER BY ?code ?partner""",
    """PREFIX ex: <https://example.org/contract/>
    SELECT ?o (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p ex:partner ?o } GROUP BY ?o ORDER BY ?o""",
    """PREFIX ex: <https://example.org/contract/>
    SELECT ?note (STRLEN(?note) AS ?len) WHERE { ?p ex:note ?note }""",
    """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?s ?l (LANG(?l) AS ?lang) WHERE { ?s skos:prefLabel ?l
      FILTER(STRSTARTS(STR(?s), "https://example.org/contract/")) } ORDER BY ?s ?l""",
    """PREFIX ex: <https://example.org/contract/>
    SELECT ?x WHERE { ?x ex:amount ?a FILTER(?a > 1000) }""",
]


@pytest.mark.parametrize("sparql", QUERIES, ids=["typed", "group", "escapes", "langs", "filter"])
def test_query_rows_match_reference(store: Store, sparql: str) -> None:
    store.replace_graph(G1, _g1())
    store.replace_graph(G2, _g2())
    got = store.query(sparql)
    want = reference([_g1(), _g2()], sparql)
    assert got, "the query gave no rows"
    assert rows_of(got) == rows_of(want)
    if "ORDER BY" in sparql:
        assert [repr(norm(r.get("code"))) for r in got] == [repr(norm(r.get("code"))) for r in want]
    # every projected variable is a key, None where unbound
    assert all(set(r) == set(want[0]) for r in got)


def test_unbound_values_are_none(store: Store) -> None:
    store.replace_graph(G1, _g1())
    rows = store.query(
        "SELECT ?code ?amount WHERE { ?p <https://example.org/contract/code> ?code "
        "OPTIONAL { ?p <https://example.org/contract/amount> ?amount } } ORDER BY ?code",
        bindings={"code": Literal("S2")},
    )
    assert rows == [{"code": Literal("S2"), "amount": None}]


def test_ask(store: Store) -> None:
    store.replace_graph(G1, _g1())
    yes = store.query(
        "ASK { ?s <https://example.org/contract/code> ?c }", bindings={"c": Literal("S1")}
    )
    no = store.query(
        "ASK { ?s <https://example.org/contract/code> ?c }", bindings={"c": Literal("S7")}
    )
    assert yes[0]["ask"] == Literal(True)
    assert no[0]["ask"] == Literal(False)


def test_construct(store: Store) -> None:
    store.replace_graph(G1, _g1())
    sparql = """PREFIX ex: <https://example.org/contract/>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    CONSTRUCT { ?p ex:label ?l ; ex:with ?o } WHERE { ?p a ex:Project ; skos:prefLabel ?l .
      OPTIONAL { ?p ex:partner ?o } }"""
    got = store.construct(sparql)
    want = _g1().query(sparql).graph
    assert want is not None
    assert len(got) == len(want) > 0
    assert same(got, want)
    bound = store.construct(sparql, bindings={"p": EX.p2})
    assert set(bound.subjects()) == {EX.p2}


def test_update(store: Store) -> None:
    store.replace_graph(G1, _g1())
    store.update(
        f'INSERT DATA {{ GRAPH <{G2}> {{ <{EX.p3}> <{EX.code}> "S3" }} }} ;'
        f"DELETE WHERE {{ GRAPH <{G1}> {{ <{EX.p2}> ?p ?o }} }}"
    )
    assert ours(store) == sorted([str(G1), str(G2)])
    codes = store.query("SELECT ?c WHERE { ?s <https://example.org/contract/code> ?c } ORDER BY ?c")
    found = {str(r["c"]) for r in codes}
    assert "S3" in found
    assert "S2" not in found
    assert "S1" in found
    with pytest.raises(StoreError):
        store.update("INSERT DATA { this is not SPARQL }")


def test_len_dump_and_to_dataset(store: Store, tmp_path: Path) -> None:
    before = len(store)
    store.replace_graph(G1, _g1())
    store.replace_graph(G2, _g2())
    assert len(store) - before == len(_g1()) + len(_g2())
    for suffix in (".nq", ".trig"):
        path = tmp_path / f"dump{suffix}"
        store.dump(path)
        ds = Dataset()
        ds.parse(path, format="nquads" if suffix == ".nq" else "trig")
        for g in (_g1(), _g2()):
            assert same(ds.graph(g.identifier), g), f"{suffix}: {g.identifier} differs"
    with pytest.raises(StoreError):
        store.dump(tmp_path / "dump.xyz")
    ds = store.to_dataset()
    assert same(ds.graph(G1), _g1())
    assert same(ds.graph(G2), _g2())


def test_blank_nodes_round_trip(store: Store) -> None:
    g = Graph(identifier=G3)
    b = BNode()
    g.add((EX.p1, EX.address, b))
    g.add((b, EX.street, Literal("Katu 1")))
    store.replace_graph(G3, g)
    assert same(store.graph(G3), g)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_literal_cannot_change_the_query(store: Store, value: str) -> None:
    store.replace_graph(G1, _g1())
    before = count(store)
    rows = store.query(
        "SELECT ?s WHERE { ?s <https://example.org/contract/code> ?code }",
        bindings={"code": Literal(value)},
    )
    # exactly the one resource that has this very string as its code, nothing else
    i = HOSTILE.index(value)
    assert [r["s"] for r in rows] == [EX[f"h{i}"]]
    assert count(store) == before, "a bound value changed the store"
    assert ours(store) == [str(G1)]


@pytest.mark.parametrize(
    "iri",
    [
        "https://example.org/contract/x> } INSERT DATA { <a:b> <a:c> <a:d> } #",
        "https://example.org/contract/{x}",
        'https://example.org/contract/"x"',
        "https://example.org/contract/x y",
    ],
)
def test_hostile_iri_is_refused(store: Store, iri: str) -> None:
    store.replace_graph(G1, _g1())
    before = count(store)
    with pytest.raises(StoreError):
        store.query("SELECT ?s WHERE { ?s ?p ?o }", bindings={"s": URIRef(iri)})
    with pytest.raises(StoreError):
        store.remove_graph(iri)
    assert count(store) == before


def test_bad_variable_name_is_refused(store: Store) -> None:
    with pytest.raises(StoreError):
        store.query("SELECT ?s WHERE { ?s ?p ?o }", bindings={"s } DROP ALL #": Literal("x")})


def test_typed_values_survive(store: Store) -> None:
    store.replace_graph(G1, _g1())
    row = store.query(
        "SELECT ?amount ?start ?count ?flag WHERE { ?p <https://example.org/contract/amount> "
        "?amount ; <https://example.org/contract/start> ?start ; "
        "<https://example.org/contract/count> ?count ; <https://example.org/contract/flag> ?flag }"
    )[0]
    assert row["amount"].toPython() == Decimal("1200.5")  # type: ignore[union-attr]
    assert row["start"].toPython() == dt.date(2019, 1, 1)  # type: ignore[union-attr]
    assert row["count"].toPython() == 3  # type: ignore[union-attr]
    assert row["flag"].toPython() is True  # type: ignore[union-attr]


# -- bulk reads: every backend gives the same rows, and an override (the embedded store's)
# -- gives what the portable implementation of Store gives on the same backend ------------------
PAIRS_ONLY_IRIS = """PREFIX ex: <https://example.org/contract/>
SELECT ?s ?o WHERE { ?s ex:partner ?o }"""
PAIRS_MIXED = """PREFIX ex: <https://example.org/contract/>
SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p IN (ex:partner, ex:code, ex:address, ex:note)) }"""
PAIRS_UNBOUND = """PREFIX ex: <https://example.org/contract/>
SELECT ?s ?o WHERE { ?s a ex:Project OPTIONAL { ?s ex:partner ?o } }"""
PAIRS_NONE = """PREFIX ex: <https://example.org/contract/>
SELECT ?s ?o WHERE { ?s ex:nothing ?o }"""


def _g3_pairs() -> Graph:
    """A third document: a pair the first one states too, and a blank node object."""
    g = Graph(identifier=G3)
    g.add((EX.p1, EX.partner, EX.o1))
    address = BNode()
    g.add((EX.p2, EX.address, address))
    g.add((address, EX.street, Literal("Katu 1")))
    return g


def _load_three(store: Store) -> None:
    store.replace_graph(G1, _g1())
    store.replace_graph(G2, _g2())
    store.replace_graph(G3, _g3_pairs())


def test_embedded(store: Store) -> None:
    assert store.embedded is isinstance(store, OxigraphStore)


@pytest.mark.parametrize(
    "sparql",
    [PAIRS_ONLY_IRIS, PAIRS_MIXED, PAIRS_UNBOUND, PAIRS_NONE],
    ids=["iris", "mixed", "unbound", "none"],
)
def test_select_iri_pairs(store: Store, sparql: str) -> None:
    _load_three(store)
    got = store.select_iri_pairs(sparql)
    portable = Store.select_iri_pairs(store, sparql)
    p1, o1, o2 = str(EX.p1), str(EX.o1), str(EX.o2)
    want = Counter({(p1, o1): 2, (p1, o2): 1}) if sparql != PAIRS_NONE else Counter()
    assert Counter(got.pairs()) == want, "the IRI rows, each as often as it comes"
    assert Counter(portable.pairs()) == want
    assert len(got) == sum(want.values())
    # factorised: each column's distinct IRIs once, a code per row
    assert sorted(got.left) == sorted({a for a, _ in want})
    assert sorted(got.right) == sorted({b for _, b in want})
    assert len(got.left_codes) == len(got.right_codes) == len(got)


LEXICAL = """PREFIX ex: <https://example.org/contract/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?p ?code ?label WHERE { ?p ex:code ?code
  OPTIONAL { ?p skos:prefLabel ?label FILTER(LANG(?label) = "fi") } } ORDER BY ?code"""


def test_select_lexical(store: Store) -> None:
    _load_three(store)
    got = store.select_lexical(LEXICAL)
    want = [
        {k: None if v is None else str(v) for k, v in row.items()}
        for row in reference([_g1(), _g2(), _g3_pairs()], LEXICAL)
    ]
    assert Counter(tuple(r.items()) for r in got) == Counter(tuple(r.items()) for r in want)
    assert all(list(r) == ["p", "code", "label"] for r in got), "projection order"
    assert {"p": str(EX.p2), "code": "S2", "label": "Toinen"} in got
    assert {"p": str(EX.h0), "code": HOSTILE[0], "label": None} in got
    assert Store.select_lexical(store, LEXICAL) == got, "the portable rows, in the same order"
    assert store.select_lexical(PAIRS_NONE) == []


def _quad_set(quads: Iterator[tuple[Any, Any, Any, str]]) -> set[tuple[Any, ...]]:
    """Backend-independent quads of the test's own graphs."""
    return {
        (repr(norm(s)), repr(norm(p)), repr(norm(o)), g)
        for s, p, o, g in quads
        if g.startswith(str(EX))
    }


def _expected_quads(graphs: list[Graph], patterns: list[Any]) -> set[tuple[Any, ...]]:
    return _quad_set(
        (s_, p_, o_, str(g.identifier))
        for pattern in patterns or [(None, None, None)]
        for g in graphs
        for s_, p_, o_ in g.triples(pattern)
    )


@pytest.mark.parametrize(
    ("patterns", "graph"),
    [
        ([(None, SKOS.prefLabel, None)], None),
        ([(None, RDF.type, EX.Project)], None),
        ([(EX.p1, None, None)], G2),
        ([(None, None, Literal("S2"))], None),
        ([(None, EX.partner, EX.o1)], None),
        ([], G1),
        ([(None, RDF.type, EX.Project), (None, EX.partner, None), (EX.o1, None, None)], None),
        ([(None, EX.nothing, None)], None),
    ],
    ids=["predicate", "type", "subject-in-graph", "literal", "triple", "graph", "several", "none"],
)
def test_quads(store: Store, patterns: list[Any], graph: Any) -> None:
    _load_three(store)
    graphs = [_g1(), _g2(), _g3_pairs()]
    if graph is not None:
        graphs = [g for g in graphs if g.identifier == graph]
    want = _expected_quads(graphs, patterns)
    got = _quad_set(store.quads(*patterns, graph=graph))
    portable = _quad_set(Store.quads(store, *patterns, graph=graph))
    assert got == want
    assert portable == want
    assert bool(want) == (patterns != [(None, EX.nothing, None)]), "only one matches nothing"


def test_quads_odd_patterns(store: Store) -> None:
    _load_three(store)
    assert list(store.quads((Literal("S1"), None, None))) == []  # no literal is a subject
    with pytest.raises(StoreError):
        list(store.quads((BNode(), None, None)))
    with pytest.raises(StoreError):
        list(store.quads((None, EX.code, None), graph="not an IRI"))


def test_graph_ntriples(store: Store) -> None:
    _load_three(store)
    for g in (_g1(), _g3_pairs()):
        for text in (store.graph_ntriples(g.identifier), Store.graph_ntriples(store, g.identifier)):
            assert same(Graph().parse(data=text, format="nt"), g)
    assert store.graph_ntriples(EX["graph/missing"]) == ""


def test_snapshot_only_where_the_backend_has_a_folder(store: Store, tmp_path: Path) -> None:
    """A folder store copies itself; memory and remote stores refuse with a StoreError."""
    g = Graph(identifier=URIRef("https://example.org/g"))
    g.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("x")))
    store.replace_graph(g.identifier, g)
    target = tmp_path / "snapshot"
    if isinstance(store, OxigraphStore) and store.path is not None:
        copy = store.snapshot(target)
        try:
            assert len(copy) == len(store)
        finally:
            copy.close()
    else:
        with pytest.raises(StoreError):
            store.snapshot(target)
        assert not target.exists()

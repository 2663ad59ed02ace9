"""Bound terms are checked whole before they reach a query text (issue 20, problem 7).

A query parameter may be any rdflib term; every part of it that is written into the query
(an IRI, a literal's text, its datatype IRI, its language tag) is checked or escaped by
:func:`sotegraph.store.base.sparql_term`. The payload of the issue hid a ``VALUES`` row and
a comment in a literal's datatype IRI and made the ``projects`` query return every project;
now it is refused, on the embedded store and on a remote endpoint, with the parameter named.
Literal texts that need escaping bind as exactly themselves on both.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from sotegraph.errors import QueryError, StoreError
from sotegraph.queries import run_query
from sotegraph.store import OxigraphStore, Store, bind_values
from sotegraph.store.base import check_iri, sparql_term
from sotegraph.store.remote import RemoteStore

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
EX = Namespace("https://example.org/bound-terms/")
GRAPH = EX["graph"]

# the payload: the datatype IRI closes the VALUES row, adds a row of UNDEF and
# comments out the rest of the line
PAYLOAD_DATATYPE = 'http://x> "eura-record") (UNDEF "eura-record") } #'
PAYLOAD = Literal("NOPE", datatype=URIRef(PAYLOAD_DATATYPE))

BAD_IRIS = [
    PAYLOAD_DATATYPE,
    "https://example.org/a b",
    "https://example.org/a\tb",
    "https://example.org/a\nb",
    "https://example.org/a\x00b",
    "https://example.org/a\x1fb",
    "https://example.org/a\x7fb",
    "https://example.org/a\x85b",
    "https://example.org/a\u2028b",
    "https://example.org/a\u00a0b",
    "https://example.org/<x>",
    'https://example.org/"x"',
    "https://example.org/{x}",
    "https://example.org/a|b",
    "https://example.org/a\\b",
    "https://example.org/a^b",
    "https://example.org/a`b",
    "https://example.org/100%",
    "https://example.org/%zz",
    "relative/path",
    "",
    "1http://example.org/",
    ":no-scheme",
]
GOOD_IRIS = [
    "https://example.org/x",
    "urn:sotegraph:test:x",
    "https://example.org/a%20b",
    "https://example.org/ääkkönen?q=1&r=2#frag",
    "mailto:someone@example.org",
]
BAD_LANGUAGE_TAGS = ['fi" } #', "fi fi", "fi-", "-fi", "abcdefghi", "fi-abcdefghi", "fi_FI", ""]
GOOD_LANGUAGE_TAGS = ["fi", "sv-FI", "sv-Latn-FI", "en-GB-oxendict", "x-private1"]
# literal texts that need escaping; each must bind as exactly itself
TRICKY_TEXTS = [
    'say "hi"',
    "back\\slash",
    "ends with a backslash\\",
    "line\nbreak",
    "carriage\rreturn",
    "tab\there",
    "\\u0022 } #",  # a backslash, then what SPARQL reads as an escaped quote
    "\\\\u0022",
    '"""',
    "'''",
    "nul\x00char",
    "bell\x07del\x7f",
    "form\x0cfeed\x08back",
    "line\u2028separator",
    "ä\u202eö",
    '") } DROP ALL #',
]


@pytest.mark.parametrize("iri", BAD_IRIS)
def test_bad_iris_are_refused(iri: str) -> None:
    with pytest.raises(StoreError, match="not a valid IRI"):
        sparql_term(URIRef(iri))
    with pytest.raises(StoreError, match="not a valid datatype IRI"):
        sparql_term(Literal("x", datatype=URIRef(iri)))
    with pytest.raises(StoreError, match="not a valid graph IRI"):
        check_iri(iri)


@pytest.mark.parametrize("iri", GOOD_IRIS)
def test_good_iris_are_written_as_they_are(iri: str) -> None:
    assert sparql_term(URIRef(iri)) == f"<{iri}>"
    assert sparql_term(Literal("x", datatype=URIRef(iri))) == f'"x"^^<{iri}>'
    assert check_iri(iri) == iri


class _Tagged(Literal):
    """A literal whose language tag rdflib has not checked (another library's term)."""

    tag = "fi"

    @property
    def language(self) -> str:
        return self.tag


@pytest.mark.parametrize("tag", BAD_LANGUAGE_TAGS)
def test_bad_language_tags_are_refused(tag: str) -> None:
    term = _Tagged("x", lang="fi")
    term.tag = tag
    with pytest.raises(StoreError, match="not a language tag"):
        sparql_term(term)
    with pytest.raises(StoreError, match=r"^\?code: not a language tag"):
        bind_values("SELECT ?s WHERE { ?s ?p ?code }", {"code": term})


@pytest.mark.parametrize("tag", GOOD_LANGUAGE_TAGS)
def test_good_language_tags_are_kept(tag: str) -> None:
    assert sparql_term(Literal("x", lang=tag)) == f'"x"@{tag}'


def test_rdflib_writes_neither_datatype_nor_control_characters_safely() -> None:
    """Why the terms are written here and not by ``Literal.n3()``."""
    assert PAYLOAD_DATATYPE in PAYLOAD.n3()  # the datatype IRI, unchecked
    assert "\x00" in Literal("nul\x00char").n3()  # a raw NUL
    assert "\x00" not in sparql_term(Literal("nul\x00char"))


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_literal_text_is_escaped(text: str) -> None:
    written = sparql_term(Literal(text))
    inner = written[1:-1]
    assert written[0] == written[-1] == '"'
    # no bare quote, line break or control character between the quotes
    unescaped = inner.replace("\\\\", "").replace('\\"', "")
    assert '"' not in unescaped
    assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in inner), written


def test_blank_nodes_and_variables_are_refused() -> None:
    from rdflib import BNode, Variable

    for term in (BNode(), Variable("x")):
        with pytest.raises(StoreError, match="only an IRI or a literal"):
            sparql_term(term)


def test_lone_surrogates_are_refused() -> None:
    with pytest.raises(StoreError, match="surrogate"):
        sparql_term(Literal("a\udcffb"))


# -- the payload against a real knowledge graph -----------------------------------------------
@pytest.fixture(scope="module")
def kg() -> Iterator[Any]:
    from sotegraph.builder import build

    graph = build(
        [BAD / "ok_record.txt", BAD / "ok_record_cp1252.txt"], use_nlp=False, validate=False
    )
    assert graph.last_build is not None
    assert graph.last_build.built == 2
    yield graph
    graph.close()


def test_payload_in_a_datatype_is_refused(kg: Any) -> None:
    projects = kg.query("projects")
    assert projects, "the fixture graph has projects"
    assert kg.query("projects", code="NOPE") == []
    with pytest.raises(QueryError, match=r"parameter 'code': not a valid datatype IRI") as info:
        kg.query("projects", code=PAYLOAD)
    assert PAYLOAD_DATATYPE in str(info.value)


def test_payload_on_the_store_level_is_refused(kg: Any) -> None:
    from sotegraph.queries import load_query

    text = load_query("projects").text
    with pytest.raises(StoreError, match=r"^\?code: not a valid datatype IRI"):
        kg.store.query(text, bindings={"code": PAYLOAD, "prefer": Literal("eura-record")})


@pytest.mark.parametrize("iri", BAD_IRIS)
def test_iri_parameters_are_refused(kg: Any, iri: str) -> None:
    with pytest.raises(QueryError, match=r"^parameter 'fund': not a valid IRI"):
        kg.query("projects", fund=iri)
    with pytest.raises(QueryError, match=r"^parameter 'fund': not a valid IRI"):
        kg.query("projects", fund=URIRef(iri))
    with pytest.raises(QueryError, match=r"^parameter 'code': not a valid datatype IRI"):
        kg.query("projects", code=Literal("S29901", datatype=URIRef(iri)))


def test_language_tag_of_a_parameter_is_checked(kg: Any) -> None:
    term = _Tagged("S29901", lang="fi")
    term.tag = 'fi") (UNDEF "eura-record") } #'
    with pytest.raises(QueryError, match=r"^parameter 'code': not a language tag"):
        kg.query("projects", code=term)
    # a well-formed tag is bound as a value: a language-tagged code matches no plain code
    assert kg.query("projects", code=Literal("S29901", lang="fi")) == []
    assert len(kg.query("projects", code="S29901")) == 1


# -- literal texts bind as themselves on the embedded store and a remote endpoint ------------
def _tricky_graph() -> Graph:
    g = Graph(identifier=GRAPH)
    for i, text in enumerate(TRICKY_TEXTS):
        g.add((EX[f"s{i}"], EX.text, Literal(text)))
    g.add((EX.fi, EX.text, Literal("sama", lang="fi")))
    g.add((EX.svfi, EX.text, Literal("sama", lang="sv-FI")))
    g.add((EX.date, EX.text, Literal("2020-01-31", datatype=XSD.date)))
    return g


@pytest.fixture(params=["embedded", "remote"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    s: Store
    if request.param == "embedded":
        s = OxigraphStore()
    else:
        server = request.getfixturevalue("oxigraph_server")
        s = RemoteStore(
            server.query, update_endpoint=server.update, gsp_endpoint=server.gsp, timeout=30
        )
    s.replace_graph(GRAPH, _tricky_graph())
    try:
        yield s
    finally:
        s.remove_graph(GRAPH)
        s.close()


_BY_TEXT = f"SELECT ?s WHERE {{ GRAPH <{GRAPH}> {{ ?s <{EX.text}> ?text }} }}"


def _subjects(store: Store, term: Any) -> list[str]:
    return sorted(str(r["s"]) for r in store.query(_BY_TEXT, bindings={"text": term}))


def test_tricky_texts_bind_as_themselves(store: Store) -> None:
    for i, text in enumerate(TRICKY_TEXTS):
        assert _subjects(store, Literal(text)) == [str(EX[f"s{i}"])], repr(text)


def test_language_and_datatype_bind_as_themselves(store: Store) -> None:
    assert _subjects(store, Literal("sama", lang="fi")) == [str(EX.fi)]
    assert _subjects(store, Literal("sama", lang="sv-FI")) == [str(EX.svfi)]
    assert _subjects(store, Literal("2020-01-31", datatype=XSD.date)) == [str(EX.date)]
    assert _subjects(store, Literal("2020-01-31")) == []


def test_payload_is_refused_by_every_backend(store: Store) -> None:
    before = len(store)
    with pytest.raises(StoreError, match=r"^\?text: not a valid datatype IRI"):
        store.query(_BY_TEXT, bindings={"text": PAYLOAD})
    with pytest.raises(QueryError, match=r"parameter 'code': not a valid datatype IRI"):
        run_query(store, "projects", code=PAYLOAD)
    assert len(store) == before


# -- the command line -------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sotegraph.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300", "NO_COLOR": "1"},
        timeout=300,
        check=False,
    )


def test_cli_payload_is_a_plain_value_or_refused(tmp_path: Path) -> None:
    """On the command line a value is text: as a code it matches nothing, as an IRI it is refused."""
    from sotegraph.builder import build

    store = tmp_path / "store"
    kg = build([BAD / "ok_record.txt"], store=store, use_nlp=False, validate=False)
    kg.close()
    del kg
    gc.collect()
    every = _cli("query", "projects", "--store", str(store), "--format", "json")
    assert every.returncode == 0, every.stderr
    assert '"code": "S29901"' in every.stdout
    as_code = _cli(
        "query", "projects", "--store", str(store), "--format", "json",
        "--param", f"code=NOPE^^<{PAYLOAD_DATATYPE}>",
    )  # fmt: skip
    assert as_code.returncode == 0, as_code.stderr
    assert as_code.stdout.strip() == "[]"
    as_fund = _cli(
        "query", "projects", "--store", str(store), "--format", "json",
        "--param", f"fund={PAYLOAD_DATATYPE}",
    )  # fmt: skip
    assert as_fund.returncode == 2, as_fund.stdout + as_fund.stderr
    assert "parameter 'fund': not a valid IRI" in " ".join(as_fund.stderr.split())
    assert "Traceback" not in as_fund.stderr
    assert as_fund.stdout == ""

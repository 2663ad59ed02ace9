"""What ``sotegraph query`` prints: the columns of a SELECT and rows as JSON-safe values."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from sotegraph import resources
from sotegraph.errors import QueryError
from sotegraph.queries import Rows, load_query, run_query, select_variables
from sotegraph.store import OxigraphStore, open_store


@pytest.fixture(scope="module")
def store(fixtures_dir: Path) -> OxigraphStore:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    return s


#: kept as ``sotegraph query`` always printed it (this move changes no output): a variable
#: after DISTINCT inside an aggregate is read as a column too


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("SELECT ?a ?b WHERE { ?a ?p ?b }", ["a", "b"]),
        ("SELECT DISTINCT ?a WHERE { ?a ?p ?b }", ["a"]),
        ("select distinct ?a where { ?a ?p ?b }", ["a"]),
        ("SELECT ?org (COUNT(?p) AS ?projects) WHERE { ?p ?r ?org }", ["org", "projects"]),
        (
            "SELECT ?org (COUNT(DISTINCT ?p) AS ?projects) WHERE { ?p ?r ?org }",
            ["org", "projects"],
        ),
        # variables inside an expression are not columns; each column once
        ("SELECT ?a (SAMPLE(?l) AS ?label) ?a\nWHERE { ?a ?p ?l }", ["a", "label"]),
        ("PREFIX s: <https://e.org/>\nSELECT\n  ?x\n  ?y\nWHERE {\n ?x s:p ?y }", ["x", "y"]),
        ("SELECT * WHERE { ?s ?p ?o }", []),
        ("ASK { ?s ?p ?o }", []),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", []),
    ],
)
def test_select_variables(text: str, columns: list[str]) -> None:
    assert select_variables(text) == columns


@pytest.mark.parametrize("name", resources.query_names())
def test_columns_of_every_named_query_match_its_rows(store: OxigraphStore, name: str) -> None:
    """The header of an empty result is the header a non-empty one has."""
    try:
        rows = run_query(store, name)
    except QueryError:
        pytest.skip(f"{name} needs parameters")
    columns = select_variables(load_query(name).text)
    assert columns, f"{name}: no columns read"
    if rows:
        # the result's columns in the same order; extra names only from the known case
        got = list(rows[0])
        assert [c for c in columns if c in got] == got
        extra = set(columns) - set(got)
        text = " ".join(load_query(name).text.split())
        assert all(f"DISTINCT ?{x})" in text for x in extra), (name, extra)


def test_to_python_json_safe() -> None:
    rows = Rows(
        [
            {
                "iri": URIRef("https://e.org/x"),
                "whole": Literal("208856.0", datatype=XSD.decimal),
                "part": Literal("0.25", datatype=XSD.decimal),
                "n": Literal(3),
                "ok": Literal(True),
                "day": Literal("2020-12-31", datatype=XSD.date),
                "at": Literal("2020-12-31T10:00:00", datatype=XSD.dateTime),
                "text": Literal("Alfa", lang="fi"),
                "odd": Literal("x", datatype=URIRef("https://e.org/type")),
                "blank": BNode("b1"),
                "none": None,
            }
        ]
    )
    [plain] = rows.to_python()
    assert plain["whole"] == Decimal("208856.0")
    assert plain["day"] == dt.date(2020, 12, 31)
    [safe] = rows.to_python(json_safe=True)
    assert safe == {
        "iri": "https://e.org/x",
        "whole": 208856,
        "part": 0.25,
        "n": 3,
        "ok": True,
        "day": "2020-12-31",
        "at": "2020-12-31T10:00:00",
        "text": "Alfa",
        "odd": "x",
        "blank": "b1",
        "none": None,
    }
    assert isinstance(safe["whole"], int)
    assert json.loads(json.dumps(safe)) == safe

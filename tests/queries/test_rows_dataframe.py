"""Query rows in a notebook: typed DataFrames, HTML tables, ``kg.sparql()`` giving Rows.

The fixture store is tests/data/network/fixture.trig (its header comment lists the invented
projects, dates and amounts the expected values below come from); the seeds tests compare the
frame with the rows' own Python values, so they hold whatever the seeds say.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from sotegraph.builder import KnowledgeGraph
from sotegraph.queries import Rows, run_query
from sotegraph.store import OxigraphStore, open_store

pd = pytest.importorskip("pandas")

SGID = "https://w3id.org/sotegraph/id/"
MONEY = ("granted", "plannedPublic")


@pytest.fixture(scope="module")
def store(fixtures_dir: Path) -> OxigraphStore:
    s = open_store()
    assert isinstance(s, OxigraphStore)
    s.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    return s


def _by_code(frame: Any) -> dict[Any, Any]:
    return {(None if pd.isna(r["code"]) else r["code"]): r for _, r in frame.iterrows()}


# -- dtypes on the fixture store ------------------------------------------------------------


def test_projects_frame_types_money_dates_and_flags(store: OxigraphStore) -> None:
    frame = run_query(store, "projects").to_dataframe()
    assert str(frame["granted"].dtype) == "Float64"
    assert str(frame["plannedPublic"].dtype) == "Float64"
    assert str(frame["start"].dtype) == "datetime64[ns]"
    assert str(frame["end"].dtype) == "datetime64[ns]"
    assert str(frame["endConflict"].dtype) == "boolean"
    assert frame["project"].map(type).eq(str).all()
    rows = _by_code(frame)
    # P1 Alfa-hanke 2016-01-01..2018-12-31 (the record's end), ESR, granted 100 000
    assert rows["S90001"]["granted"] == 100000.0
    assert rows["S90001"]["start"] == pd.Timestamp("2016-01-01")
    assert rows["S90001"]["end"] == pd.Timestamp("2018-12-31")
    assert rows["S90003"]["granted"] == 50000.0
    # P4 has only a year (xsd:gYear 2020) among the others' dates: 1 January; no end, no money
    assert rows[None]["start"] == pd.Timestamp("2020-01-01")
    assert pd.isna(rows[None]["end"])
    assert pd.isna(rows[None]["granted"])


def test_describe_includes_the_money(store: OxigraphStore) -> None:
    summary = run_query(store, "projects").to_dataframe().describe()
    for column in MONEY:
        assert column in summary.columns
    # the three granted amounts of the fixture: 100 000, 200 000 and 50 000
    assert summary.loc["count", "granted"] == 3
    assert summary.loc["mean", "granted"] == pytest.approx(350000 / 3)


def test_counts_and_years_are_integers(store: OxigraphStore) -> None:
    frame = run_query(store, "funding_by_fund").to_dataframe()
    assert str(frame["projects"].dtype) == "Int64"
    assert str(frame["year"].dtype) == "Int64"
    assert sorted(frame["year"].dropna().tolist()) == [2016, 2017, 2019, 2020]
    assert str(frame["grantedEUState"].dtype) == "Float64"  # decimals summed with zeros
    weights = run_query(store, "coparticipation").to_dataframe()["weight"]
    assert str(weights.dtype) == "Int64"
    assert weights.max() == 2  # A and B together in P1 and P2


def test_empty_rows_give_an_empty_frame() -> None:
    frame = Rows().to_dataframe()
    assert frame.empty
    assert list(frame.columns) == []


# -- the dtype rules on hand-made rows ------------------------------------------------------


def _lit(text: str, datatype: URIRef | None = None) -> Literal:
    return Literal(text, datatype=datatype)


def _frame(column: list[Any]) -> Any:
    return Rows({"x": v} for v in column).to_dataframe()["x"]


@pytest.mark.parametrize(
    ("values", "dtype", "expected"),
    [
        ([_lit("12", XSD.integer), None], "Int64", [12, None]),
        ([_lit("7", XSD.int), _lit("-3", XSD.long)], "Int64", [7, -3]),
        ([_lit("2016", XSD.gYear), _lit("2021Z", XSD.gYear), None], "Int64", [2016, 2021, None]),
        ([_lit("190859.38", XSD.decimal), _lit("0", XSD.integer)], "Float64", [190859.38, 0.0]),
        ([_lit("1.5E3", XSD.double), None], "Float64", [1500.0, None]),
        (
            [_lit("true", XSD.boolean), _lit("false", XSD.boolean), None],
            "boolean",
            [True, False, None],
        ),
    ],
)
def test_dtype_follows_the_datatype(values: list[Any], dtype: str, expected: list[Any]) -> None:
    column = _frame(values)
    assert str(column.dtype) == dtype
    assert [None if pd.isna(v) else v for v in column] == expected


def test_dates_times_and_zones() -> None:
    column = _frame(
        [
            _lit("2019-03-01", XSD.date),
            _lit("2020-05-06T10:30:00+03:00", XSD.dateTime),  # 07:30 UTC
            _lit("2021", XSD.gYear),
            None,
        ]
    )
    assert str(column.dtype) == "datetime64[ns]"
    assert column.tolist()[:3] == [
        pd.Timestamp("2019-03-01"),
        pd.Timestamp("2020-05-06T07:30:00"),
        pd.Timestamp("2021-01-01"),
    ]
    assert pd.isna(column[3])


def test_a_date_beyond_nanoseconds_keeps_its_value() -> None:
    column = _frame([_lit("9999-12-31", XSD.date), _lit("2020-01-01", XSD.date)])
    assert str(column.dtype).startswith("datetime64[")
    assert column[0] == pd.Timestamp(dt.datetime(9999, 12, 31))


def test_iris_texts_and_mixed_columns_stay_values() -> None:
    iris = _frame([URIRef(SGID + "project/S90001"), None])
    assert iris[0] == SGID + "project/S90001"
    texts = _frame([Literal("Alfa-hanke", lang="fi"), Literal("S90001")])
    assert texts.tolist() == ["Alfa-hanke", "S90001"]
    # a number and a text in one column: no numeric dtype, nothing lost
    mixed = _frame([_lit("5", XSD.integer), Literal("five")])
    assert mixed.dtype == object
    assert mixed.tolist() == [5, "five"]
    # an amount that is no number is kept as its text, the column not made numeric
    bad = _frame([_lit("12 000 e", XSD.decimal), _lit("3.5", XSD.decimal)])
    assert bad.dtype == object
    assert bad.tolist() == ["12 000 e", Decimal("3.5")]
    # an integer Int64 cannot hold stays a Python int
    big = _frame([_lit(str(2**70), XSD.integer)])
    assert big.tolist() == [2**70]
    # a column unbound in every row
    assert _frame([None, None]).isna().all()
    assert _frame([BNode("b1")]).tolist() == ["b1"]


def test_to_python_is_unchanged() -> None:
    rows = Rows([{"granted": _lit("208856.0", XSD.decimal), "y": _lit("2020", XSD.gYear)}])
    out = rows.to_python()
    assert out[0]["granted"] == Decimal("208856.0")
    assert rows.to_python(json_safe=True) == [{"granted": 208856, "y": "2020"}]


# -- the seeds ------------------------------------------------------------------------------


def test_seeds_projects_frame(seeds_kg: Any) -> None:
    rows = seeds_kg.query("projects")
    frame = rows.to_dataframe()
    assert len(frame) == len(rows) > 0
    for column in MONEY:
        assert str(frame[column].dtype) == "Float64"
        expected = [None if r[column] is None else float(r[column]) for r in rows.to_python()]
        assert [None if pd.isna(v) else v for v in frame[column]] == expected
    assert str(frame["start"].dtype) == "datetime64[ns]"
    assert str(frame["end"].dtype) == "datetime64[ns]"
    summary = frame.describe()
    assert set(MONEY) <= set(summary.columns)
    assert summary.loc["count", "granted"] == frame["granted"].notna().sum()
    print("seeds projects dtypes:", dict(frame.dtypes.astype(str)))


def test_seeds_counts_are_integers(seeds_kg: Any) -> None:
    frame = seeds_kg.query("funding_by_fund").to_dataframe()
    assert str(frame["projects"].dtype) == "Int64"
    assert str(frame["year"].dtype) == "Int64"
    assert frame["projects"].sum() == len(seeds_kg.query("projects"))
    for name in ("coparticipation", "organisations_by_role"):
        counts = seeds_kg.query(name).to_dataframe()
        column = "weight" if name == "coparticipation" else "projects"
        assert str(counts[column].dtype) == "Int64", name


# -- kg.sparql() ----------------------------------------------------------------------------


def test_sparql_returns_rows(store: OxigraphStore) -> None:
    kg = KnowledgeGraph(store)
    rows = kg.sparql(
        "SELECT ?p ?start WHERE { ?p a <https://w3id.org/sotegraph/ontology#Project> ; "
        "<https://schema.org/startDate> ?start } ORDER BY ?p"
    )
    assert isinstance(rows, Rows)
    assert isinstance(rows, list)  # old callers index and iterate it as before
    assert all(isinstance(r["p"], URIRef) for r in rows)
    frame = rows.to_dataframe()
    assert str(frame["start"].dtype) == "datetime64[ns]"
    assert pd.Timestamp("2016-01-01") in set(frame["start"])
    assert "<table" in rows._repr_html_()


def test_seeds_sparql_returns_rows(seeds_kg: Any) -> None:
    rows = seeds_kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(rows, Rows)
    assert str(rows.to_dataframe()["n"].dtype) == "Int64"
    assert rows.to_dataframe()["n"][0] == int(rows[0]["n"]) > 0


# -- HTML in a notebook ---------------------------------------------------------------------


def test_html_escapes_every_text() -> None:
    rows = Rows(
        [
            {
                "name": Literal("<script>alert('x')</script> & Co", lang="fi"),
                "org": URIRef(SGID + "organisation/a<b>&c"),
            }
        ]
    )
    page = rows._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in page
    assert "sgid:organisation/a&lt;b&gt;&amp;c" in page
    assert f'title="{SGID}organisation/a&lt;b&gt;&amp;c"' in page
    assert "<th>name</th><th>org</th>" in page


def test_html_row_limit_says_how_many_more() -> None:
    rows = Rows({"n": Literal(i)} for i in range(137))
    page = rows._repr_html_()
    assert page.count("<tr>") == 1 + Rows.html_limit
    assert f"{137 - Rows.html_limit} more rows (137 in all)" in page
    short = rows.to_html(limit=5)
    assert short.count("<tr>") == 6
    assert "132 more rows (137 in all)" in short
    assert "more row" not in Rows(rows[:3]).to_html()


def test_html_of_query_rows(store: OxigraphStore) -> None:
    rows = run_query(store, "projects")
    page = rows._repr_html_()
    assert page.count("<tr>") == len(rows) + 1
    assert "Alfa-hanke" in page
    assert "sgid:project/S90001" in page
    assert "more row" not in page


def test_html_of_no_rows() -> None:
    assert "no rows" in Rows()._repr_html_()

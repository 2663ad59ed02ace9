"""Bulk project lists: header detection, cell parsing, repairs and reports (small fixtures).

The fixture CSVs under tests/data/bulk/ are written for these tests (invented projects).
The real EURA lists are tested in test_bulk_corpus.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from sotegraph.errors import InputError
from sotegraph.extract import extract
from sotegraph.extract.bulk import (
    PERIOD_2007,
    PERIOD_2014,
    BulkFacts,
    BulkRow,
    Column,
    RejectedRow,
    iter_bulk_batches,
    iter_bulk_rows,
    parse_amount,
    parse_finnish_date,
    read_bulk,
    read_layout,
)
from sotegraph.facts import Facts, Role, Severity
from sotegraph.read import Document, Genre, read_document

H14 = (
    "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
    "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
    "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä"
)
H07 = (
    "Koodi,Rahasto,Projektin nimi,Ohjelma / osio,Tl,Viranomainen,Toiminnan tila,Aloituspvm,"
    "Päättymispvm,Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,"
    "Toteutunut EU- ja valtion rahoitus,Suunniteltu julkinen rahoitus yhteensä,"
    "Toteutunut julkinen rahoitus yhteensä"
)

COMPARED = (
    "code",
    "fund",
    "programme_period",
    "programme",
    "name",
    "priority_axis",
    "status",
    "start",
    "end",
    "granted_eu_state",
    "realised_eu_state",
    "planned_public",
    "realised_public",
)


def _read(text: str, source: str = "t.csv") -> BulkFacts:
    return read_bulk(Document.from_text(text, source=source, genre=Genre.BULK_TABLE))


def _one(row: str, header: str = H14) -> BulkFacts:
    return _read(header + "\n" + row + "\n")


def _lead(facts: Facts, key: str) -> str | None:
    names = [o.name for o in facts.organisations_with_role(key, Role.LEAD)]
    assert len(names) <= 1
    return names[0] if names else None


def _authority(facts: Facts, key: str) -> str | None:
    names = [o.name for o in facts.organisations_with_role(key, Role.AUTHORITY)]
    assert len(names) <= 1
    return names[0] if names else None


def _record(facts: Facts, key: str) -> dict[str, object]:
    p = facts.project(key)
    out: dict[str, object] = {f: getattr(p, f) for f in COMPARED}
    out["implementer"] = _lead(facts, key)
    out["authority"] = _authority(facts, key)
    return out


def _balanced(facts: BulkFacts) -> None:
    stats = facts.stats
    assert stats is not None
    assert stats.rows_read == stats.projects_built + stats.rows_reported, stats
    assert stats.balanced
    assert stats.projects_built == len(facts.projects)


# --- header detection -----------------------------------------------------------------


def test_header_2014_layout() -> None:
    lay = read_layout(H14)
    assert lay.period == PERIOD_2014
    assert lay.delimiter == ","
    assert not lay.terminator
    assert lay.canonical
    assert lay.columns[2] is Column.NAME
    assert lay.columns[5] is Column.STATUS
    assert lay.columns[9] is Column.GRANTED
    assert Column.PROGRAMME not in lay.columns


def test_header_2007_layout() -> None:
    lay = read_layout(H07)
    assert lay.period == PERIOD_2007
    assert lay.canonical
    assert lay.columns[3] is Column.PROGRAMME
    assert lay.columns[6] is Column.STATUS
    assert len(lay.columns) == 14


def test_header_with_terminator_and_semicolons() -> None:
    raw = read_layout(H14 + ";")
    assert raw.terminator
    assert raw.delimiter == ","
    assert raw.canonical
    semi = read_layout(H14.replace(",", ";"))
    assert semi.delimiter == ";"
    assert not semi.terminator
    assert semi.period == PERIOD_2014


def test_header_other_order_is_read_by_name() -> None:
    facts = _read("Rahasto,Koodi,Tila,Hankkeen nimi\nESR,S29901,Toiminnassa,Järjestyskoe\n")
    p = facts.project("S29901")
    assert (p.fund, p.status, p.name, p.programme_period) == (
        "ESR",
        "Toiminnassa",
        "Järjestyskoe",
        PERIOD_2014,
    )


@pytest.mark.parametrize(
    "header",
    ["Nimi,Osoite,Puhelin", "", "Hankkeen nimi,Tila"],
)
def test_header_without_code_column_is_an_input_error(header: str) -> None:
    text = header + "\nX,Y,Z\n"
    with pytest.raises(InputError) as err:
        read_layout(text.split("\n")[0], line=1, source="h.csv")
    assert err.value.line == 1
    assert "Koodi" in (err.value.expected or "")


def test_document_genre_and_dispatch(fixtures_dir: Path) -> None:
    doc = read_document(fixtures_dir / "bulk" / "layout2014.csv")
    assert doc.genre is Genre.BULK_TABLE
    facts = extract(doc, use_nlp=False)
    assert isinstance(facts, BulkFacts)
    assert [p.code for p in facts.projects] == ["S29001", "A79002", "S29003", "A79004"]


# --- both layouts from fixture files ----------------------------------------------------


def test_layout2014_fixture(fixtures_dir: Path) -> None:
    facts = read_bulk(read_document(fixtures_dir / "bulk" / "layout2014.csv"))
    _balanced(facts)
    assert facts.genre == "bulk-table"
    s1 = facts.project("S29001")
    assert s1.fund == "ESR"
    assert s1.programme_period == PERIOD_2014
    assert s1.programme is None
    assert s1.start == dt.date(2016, 2, 1)
    assert s1.end == dt.date(2018, 1, 31)
    assert s1.realised_eu_state == Decimal("15000.50")
    assert s1.realised_public == Decimal("18000.75")
    assert s1.source_line == 2
    assert _lead(facts, "S29001") == "Tunturikylän Yhdistys ry"
    # authority names are kept as written: the resolver restores the comma
    assert _authority(facts, "S29001") == "Lapin elinkeino-  liikenne- ja ympäristökeskus"
    # quoted commas stay inside their cells
    a2 = facts.project("A79002")
    assert a2.name == "Puuta, kiveä ja lasia – materiaalikokeilu"
    assert _lead(facts, "A79002") == "KOEPAJA OY, LASIOSASTO"
    # | is a comma; an empty implementer stays empty (no invented organisation)
    assert facts.project("S29003").name == "Valmennuspolku, vaihe 2"
    assert _lead(facts, "S29003") is None
    assert _authority(facts, "S29003") == "Sosiaali- ja terveysministeriö"
    # trimmed, negative realised amounts kept
    assert _lead(facts, "A79004") == "PILVIKONE OY"
    assert _authority(facts, "A79004") == "Keski-Suomen elinkeino- liikenne- ja ympäristökeskus"
    assert facts.project("A79004").realised_public == Decimal("-120")
    assert not [w for w in facts.warnings if w.severity is not Severity.INFO]


def test_layout2007_fixture(fixtures_dir: Path) -> None:
    facts = read_bulk(read_document(fixtures_dir / "bulk" / "layout2007.csv"))
    _balanced(facts)
    p = facts.project("S19001")
    assert p.programme_period == PERIOD_2007
    assert p.programme == "Itä-Suomen suuralueosio"
    assert p.priority_axis == "2"
    assert p.status == "Toiminta päättynyt"
    assert _lead(facts, "S19001") == "Savon koulutuskuntayhtymä"
    assert facts.project("A39002").status == "Keskeytynyt"
    long_code = facts.project("A399000003")
    assert long_code.name == "Yrityksen laiteinvestointi, vaihe 1"
    assert long_code.programme == "Länsi-Suomi"
    assert facts.stats is not None
    assert facts.stats.by_fund == {"ESR": 1, "EAKR": 2}


def test_semicolon_cp1252_decimal_commas(fixtures_dir: Path) -> None:
    path = fixtures_dir / "bulk" / "semicolon_cp1252.csv"
    doc = read_document(path)
    assert doc.encoding in {"cp1252", "iso-8859-1"}
    facts = read_bulk(doc)
    p = facts.project("S29201")
    assert p.name == "Väylä työhön, osa 2"
    assert p.granted_eu_state == Decimal("10500.50")
    assert p.planned_public == Decimal("12000")
    assert _lead(facts, "S29201") == "Työpaja Åke ry"
    streamed = list(iter_bulk_rows(path))
    assert len(streamed) == 1
    assert isinstance(streamed[0], BulkRow)
    assert streamed[0].implementer == "Työpaja Åke ry"


# --- the raw export and its twin --------------------------------------------------------


def test_messy_fixture_equals_its_clean_twin(fixtures_dir: Path) -> None:
    messy = read_bulk(read_document(fixtures_dir / "bulk" / "messy2014.csv"))
    twin = read_bulk(read_document(fixtures_dir / "bulk" / "messy2014_twin.csv"))
    _balanced(messy)
    _balanced(twin)
    assert messy.stats is not None
    assert messy.stats.rows_reported == 0
    assert [p.code for p in messy.projects] == [p.code for p in twin.projects]
    unreadable = {(w.line, w.field) for w in messy.warnings if w.severity is Severity.WARNING}
    mismatches = []
    for p in twin.projects:
        want, got = _record(twin, p.key), _record(messy, p.key)
        for name, value in want.items():
            if got[name] != value and not (
                got[name] is None and (messy.project(p.key).source_line, name) in unreadable
            ):
                mismatches.append((p.code, name, value, got[name]))
    assert not mismatches
    # the one cell the raw row cannot give is reported with its line, not guessed
    assert (5, "realised_eu_state") in unreadable
    assert messy.project("A79104").realised_eu_state is None
    assert messy.stats.rows_repaired >= 7


# --- table-driven single rows -------------------------------------------------------------

GOOD = "S29501,ESR,Koe,5,Sosiaali- ja terveysministeriö,Toiminnassa,1.1.2016,31.12.2017,Koe ry,100,50,200,80"


@pytest.mark.parametrize(
    ("row", "field", "value", "warned"),
    [
        (GOOD, "end", dt.date(2017, 12, 31), None),
        (GOOD.replace("31.12.2017", "31.2.2020"), "end", None, "Päättymispvm '31.2.2020'"),
        (GOOD.replace("1.1.2016", "2016-01-01"), "start", dt.date(2016, 1, 1), None),
        (GOOD.replace("1.1.2016", "2016"), "start", 2016, None),
        (GOOD.replace("1.1.2016", "ensi vuonna"), "start", None, "Aloituspvm 'ensi vuonna'"),
        (GOOD.replace(",100,50,", ",12 3x4,50,"), "granted_eu_state", None, "'12 3x4'"),
        (GOOD.replace(",100,50,", ",12 345,50,"), "granted_eu_state", Decimal("12345"), None),
        (
            GOOD.replace(",200,80", ',"1 504 960,00",80'),
            "planned_public",
            Decimal("1504960.00"),
            None,
        ),
        (GOOD.replace(",50,200,", ",3.11.2014,200,"), "realised_eu_state", None, "is a date"),
        (GOOD.replace(",ESR,", ",esr,"), "fund", "ESR", None),
        (GOOD.replace(",ESR,", ",,"), "fund", "ESR", "Rahasto ''"),
        (GOOD.replace(",ESR,", ",EAKR,"), "fund", "EAKR", "does not match the code"),
        (GOOD.replace(",5,", ",V,"), "priority_axis", "V", "Tl 'V'"),
        (
            GOOD.replace(",1.1.2016,31.12.2017,", ",1.1.2018,31.12.2017,"),
            "end",
            dt.date(2017, 12, 31),
            "before the start",
        ),
    ],
)
def test_single_rows(row: str, field: str, value: object, warned: str | None) -> None:
    facts = _one(row)
    _balanced(facts)
    assert getattr(facts.project("S29501"), field) == value
    messages = [
        str(w) for w in facts.warnings if w.severity is not Severity.INFO or "Rahasto" in w.message
    ]
    if warned is None:
        assert not messages, messages
    else:
        assert any(warned in m and "t.csv:2:" in m and "(expected" in m for m in messages), messages


@pytest.mark.parametrize(
    ("row", "implementer", "authority", "name"),
    [
        (GOOD.replace(",Koe ry,", ",,"), None, "Sosiaali- ja terveysministeriö", "Koe"),
        (
            GOOD.replace(",Koe ry,", ',"Koe, Kuopio ry",'),
            "Koe, Kuopio ry",
            "Sosiaali- ja terveysministeriö",
            "Koe",
        ),
        # unquoted commas in the name, the authority and the implementer: re-aligned
        (
            GOOD.replace(",Koe,", ",Koe, osa 2,")
            .replace("Sosiaali- ja", "Hämeen elinkeino-, liikenne- ja")
            .replace(",Koe ry,", ",Koe, Kuopio ry,"),
            "Koe, Kuopio ry",
            "Hämeen elinkeino-, liikenne- ja terveysministeriö",
            "Koe, osa 2",
        ),
        # a number in the implementer column (a shifted cell) is not an organisation
        (GOOD.replace(",Koe ry,100,", ",100,100,"), None, "Sosiaali- ja terveysministeriö", "Koe"),
        (
            GOOD.replace(",Koe,", ",Koe | toinen vaihe,"),
            "Koe ry",
            "Sosiaali- ja terveysministeriö",
            "Koe, toinen vaihe",
        ),
        (
            GOOD.replace(",Koe ry,", ",  KOE  OY ,"),
            "KOE  OY",
            "Sosiaali- ja terveysministeriö",
            "Koe",
        ),
    ],
)
def test_organisation_cells(row: str, implementer: str | None, authority: str, name: str) -> None:
    facts = _one(row)
    _balanced(facts)
    assert _lead(facts, "S29501") == implementer
    assert _authority(facts, "S29501") == authority
    assert facts.project("S29501").name == name
    assert facts.project("S29501").granted_eu_state == Decimal("100")


def test_shifted_amount_in_start_column_is_moved() -> None:
    row = "A79601,EAKR,Siirto,1,Lapin liitto,Toiminnassa,4200,31.12.2016,SIIRTO OY, ,4200,0,4200"
    facts = _one(row)
    p = facts.project("A79601")
    assert p.start is None
    assert p.granted_eu_state == Decimal("4200")
    assert p.realised_eu_state == Decimal("4200")
    assert p.realised_public == Decimal("4200")
    assert any(w.line == 2 and w.field == "start" for w in facts.warnings)
    assert facts.stats is not None
    assert facts.stats.rows_repaired == 1


def test_empty_implementer_adds_no_organisation() -> None:
    facts = _one(GOOD.replace(",Koe ry,", ",,"))
    assert [o.name for o in facts.organisations] == ["Sosiaali- ja terveysministeriö"]
    assert [p.role for p in facts.participations] == [Role.AUTHORITY]


def test_same_names_share_one_organisation_per_document() -> None:
    rows = [GOOD, GOOD.replace("S29501", "S29502")]
    facts = _read(H14 + "\n" + "\n".join(rows) + "\n")
    assert len(facts.organisations) == 2
    assert len(facts.participations) == 4
    assert {p.organisation for p in facts.participations if p.role is Role.LEAD} == {"org-1"}


# --- rows that cannot be read are reported, never dropped silently ----------------------


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",ESR,Ei koodia,5,STM,Toiminnassa,1.1.2016,31.12.2017,Koe ry,1,2,3,4", "no project code"),
        ("Hanke 12,ESR,X,5,STM,Toiminnassa,1.1.2016,31.12.2017,Koe ry,1,2,3,4", "is not a code"),
        ("S29701,ESR,irrallinen,rivi,ilman,rakennetta,a,b,c,d,e,f,g,h,i", "re-align"),
        ("S29702,ESR,X,5,STM,Toiminnassa,1.1.2016,31.12.2017,1,2,3,4,5,6,7", "amount cells"),
    ],
)
def test_unreadable_rows_are_reported(row: str, reason: str) -> None:
    facts = _one(row)
    _balanced(facts)
    assert facts.projects == []
    assert facts.stats is not None
    assert facts.stats.rows_reported == 1
    reported = [w for w in facts.warnings if w.message.startswith("row not read")]
    assert len(reported) == 1
    assert reported[0].line == 2
    assert reason in reported[0].message
    assert reported[0].expected


def test_duplicate_codes_keep_the_first() -> None:
    rows = [GOOD, GOOD.replace(",Koe,", ",Toinen,"), "", GOOD.replace("S29501", "S29503")]
    facts = _read(H14 + "\n" + "\n".join(rows) + "\n")
    _balanced(facts)
    assert facts.project("S29501").name == "Koe"
    assert facts.stats is not None
    assert (facts.stats.rows_read, facts.stats.duplicates, facts.stats.blank_lines) == (3, 1, 1)
    dup = [w for w in facts.warnings if "duplicate code S29501" in w.message]
    assert len(dup) == 1
    assert dup[0].line == 3
    assert "first on line 2" in dup[0].message
    assert "3 rows read = 2 projects built + 1 row reported" in str(facts.stats)
    assert facts.warnings[-1].severity is Severity.INFO
    assert facts.warnings[-1].message == facts.stats.summary()


def test_quoted_cell_spanning_lines_keeps_line_numbers() -> None:
    row1 = GOOD.replace(",Koe,", ',"Koe\njatkuu",')
    row2 = GOOD.replace("S29501", "S29504")
    facts = _read(H14 + "\n" + row1 + "\n" + row2 + "\n")
    _balanced(facts)
    assert facts.project("S29501").name == "Koe\njatkuu"
    assert facts.project("S29504").source_line == 4
    span = facts.project("S29504").span
    assert span is not None
    assert facts.project("S29504").span == span
    doc_text = H14 + "\n" + row1 + "\n" + row2 + "\n"
    assert doc_text[span.start : span.end] == row2


def test_unclosed_quote_does_not_swallow_the_file() -> None:
    bad = GOOD.replace(",Koe,", ',"Koe,')
    rows = [bad] + [GOOD.replace("S29501", f"S2960{i}") for i in range(5)]
    facts = _read(H14 + "\n" + "\n".join(rows) + "\n")
    _balanced(facts)
    assert facts.stats is not None
    assert facts.stats.rows_read == 6
    assert {f"S2960{i}" for i in range(5)} <= {p.code for p in facts.projects}


def test_empty_table_and_header_only() -> None:
    facts = _read(H14 + "\n")
    assert facts.projects == []
    assert facts.stats is not None
    assert facts.stats.rows_read == 0


# --- snapshots -----------------------------------------------------------------------------


def test_observations_dated_by_snapshot() -> None:
    doc = Document.from_text(H14 + "\n" + GOOD + "\n", source="t.csv")
    facts = read_bulk(doc, snapshot=dt.date(2016, 11, 1))
    obs = {(o.field, o.value, o.observed) for o in facts.project("S29501").observations}
    assert obs == {
        ("end", "2017-12-31", dt.date(2016, 11, 1)),
        ("status", "Toiminnassa", dt.date(2016, 11, 1)),
    }


def test_unknown_snapshot_is_said() -> None:
    facts = _one(GOOD)
    assert all(o.observed is None for o in facts.project("S29501").observations)
    assert any("snapshot date" in w.message for w in facts.warnings)


def test_snapshot_inferred_when_every_project_has_ended(fixtures_dir: Path) -> None:
    facts = read_bulk(read_document(fixtures_dir / "bulk" / "layout2007.csv"))
    observed = {o.observed for p in facts.projects for o in p.observations}
    assert observed == {dt.date(2013, 12, 31)}


# --- cell parsers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.3.2015", dt.date(2015, 3, 1)),
        ("01.03.2015", dt.date(2015, 3, 1)),
        ("29.2.2016", dt.date(2016, 2, 29)),
        ("", None),
        ("2015", 2015),
    ],
)
def test_parse_finnish_date(text: str, value: object) -> None:
    assert parse_finnish_date(text) == value


@pytest.mark.parametrize("text", ["31.2.2020", "29.2.2015", "1.13.2015", "7560", "1.3.15", "x"])
def test_parse_finnish_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_finnish_date(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("190859.38", Decimal("190859.38")),
        ("190859,38", Decimal("190859.38")),
        ("190 859,38", Decimal("190859.38")),
        ("1\u00a0504\u00a0960", Decimal("1504960")),
        ("538 242 €", Decimal("538242")),
        ("-744", Decimal("-744")),
        (" ", None),
    ],
)
def test_parse_amount(text: str, value: Decimal | None) -> None:
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["12 3x4", "15.10.2014", "abc", "1 23", "--5"])
def test_parse_amount_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_iter_bulk_rows_streams_from_a_path(fixtures_dir: Path, tmp_path: Path) -> None:
    rows = list(iter_bulk_rows(fixtures_dir / "bulk" / "messy2014.csv"))
    assert all(isinstance(r, BulkRow) for r in rows)
    assert [r.line for r in rows] == list(range(2, 11))
    assert any(r.repaired for r in rows if isinstance(r, BulkRow))
    bad = tmp_path / "bad.csv"
    bad.write_text(H14 + "\nS1,ESR\n", encoding="utf-8")
    items = list(iter_bulk_rows(bad))
    assert len(items) == 1
    assert isinstance(items[0], RejectedRow)
    with pytest.raises(InputError):
        list(iter_bulk_rows(tmp_path / "missing.csv"))


def test_iter_bulk_rows_survives_a_non_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    good = GOOD.encode("utf-8")
    latin = GOOD.replace("S29501", "S29502").replace("Koe ry", "Työ ry").encode("cp1252")
    path.write_bytes(H14.encode("utf-8") + b"\r\n" + good + b"\r\n" + latin + b"\r\n")
    rows = [r for r in iter_bulk_rows(path) if isinstance(r, BulkRow)]
    assert [r.implementer for r in rows] == ["Koe ry", "Työ ry"]


def test_batches_cover_the_file_once() -> None:
    rows = [GOOD.replace("S29501", f"S2{i:04d}") for i in range(7)]
    rows.insert(5, GOOD.replace("S29501", "S20001"))  # a duplicate in the second batch
    doc = Document.from_text(H14 + "\n" + "\n".join(rows) + "\n", source="b.csv")
    batches = list(iter_bulk_batches(doc, batch_size=3, snapshot=dt.date(2020, 1, 1)))
    assert [b.stats.rows_read for b in batches if b.stats] == [3, 3, 2]
    assert [len(b.projects) for b in batches] == [3, 2, 2]
    assert all(b.document_id == doc.id for b in batches)
    last = batches[-1].total
    assert last is not None
    assert (last.rows_read, last.projects_built, last.rows_reported, last.duplicates) == (
        8,
        7,
        1,
        1,
    )
    assert batches[0].total is None
    whole = read_bulk(doc, snapshot=dt.date(2020, 1, 1))
    assert [p.code for b in batches for p in b.projects] == [p.code for p in whole.projects]
    assert whole.total is not None
    assert whole.total.summary() == last.summary()
    with pytest.raises(ValueError):
        next(iter_bulk_batches(doc, batch_size=0))


PREFER_RECORD = """
PREFIX sg: <https://w3id.org/sotegraph/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?end ?status ?bulkEnd ?bulkStatus ?observed WHERE {
  VALUES ?p { <https://w3id.org/sotegraph/id/project/S29901> }
  OPTIONAL { GRAPH ?gr { ?gr sg:genre "eura-record" . ?p schema:endDate ?recEnd ; sg:status ?recStatus } }
  OPTIONAL {
    GRAPH ?gb {
      ?gb sg:genre "bulk-table" ; <http://purl.org/dc/terms/date> ?observed .
      ?p schema:endDate ?bulkEnd ; sg:status ?bulkStatus .
    }
  }
  BIND(COALESCE(?recEnd, ?bulkEnd) AS ?end)
  BIND(COALESCE(?recStatus, ?bulkStatus) AS ?status)
}
"""


def test_bulk_row_and_record_are_one_project(examples_dir: Path) -> None:
    """Same IRI by code; each document's claims kept in its own graph; the record preferred."""
    from sotegraph.extract.eura import parse_eura
    from sotegraph.rdf import facts_to_graph
    from sotegraph.store import open_store

    record = parse_eura(read_document(examples_dir / "esimerkki_esr_S29901.txt"))
    row = (
        "S29901,ESR,Kestävä arki - kotihoidon työhyvinvointi Kainuussa,3,"
        "Pohjois-Pohjanmaan elinkeino-  liikenne- ja ympäristökeskus,Toiminnassa,1.2.2019,"
        "31.12.2020,Diakonia-ammattikorkeakoulu Oy,100,0,200,0"
    )
    doc = Document.from_text(H14 + "\n" + row + "\n", source="lista.csv")
    bulk = read_bulk(doc, snapshot=dt.date(2019, 6, 1))
    graphs = [facts_to_graph(record), facts_to_graph(bulk)]
    iri = "https://w3id.org/sotegraph/id/project/S29901"
    for g in graphs:
        assert any(str(s) == iri for s in g.subjects())
    store = open_store()
    for g in graphs:
        store.replace_graph(g.identifier, g)
    rows = store.query(PREFER_RECORD)
    assert len(rows) == 1
    r = rows[0]
    assert str(r["end"]) == "2021-01-31"  # the record's, not the 2019 list's 31.12.2020
    assert str(r["status"]) == "Toiminta päättynyt"
    assert str(r["bulkEnd"]) == "2020-12-31"  # the list's claim is still there
    assert str(r["bulkStatus"]) == "Toiminnassa"
    assert str(r["observed"]) == "2019-06-01"


def test_two_stray_quotes_do_not_merge_rows() -> None:
    rows = [
        GOOD.replace(",Koe,", ',Koe "A,'),
        GOOD.replace("S29501", "S29502").replace(",Koe,", ',Koe "B,'),
        GOOD.replace("S29501", "S29503"),
    ]
    facts = _read(H14 + "\n" + "\n".join(rows) + "\n")
    _balanced(facts)
    assert facts.stats is not None
    assert facts.stats.rows_read == 3
    assert [p.code for p in facts.projects] == ["S29501", "S29502", "S29503"]


def test_title_above_the_header_is_skipped_and_said() -> None:
    facts = _read("Rakennerahastohankkeet 2016\n\n" + H14 + "\n" + GOOD + "\n")
    assert [p.code for p in facts.projects] == ["S29501"]
    assert facts.project("S29501").source_line == 4
    assert any(w.line == 1 and "above the header" in w.message for w in facts.warnings)
    with pytest.raises(InputError):
        _read("a\nb\nc\nd\ne\nf\n" + H14 + "\n" + GOOD + "\n")


def test_repeated_header_and_odd_bytes_are_reported() -> None:
    rows = [GOOD, H14, GOOD.replace("S29501", "S29502"), "S29503,ESR,Nul\x00lia," + "x" * 200_000]
    facts = _read(H14 + "\n" + "\n".join(rows) + "\n")
    _balanced(facts)
    assert facts.stats is not None
    assert facts.stats.rows_read == 4
    assert any(w.line == 3 and "header row again" in w.message for w in facts.warnings)
    assert {"S29501", "S29502"} <= {p.code for p in facts.projects}


def test_progress_reports_rows() -> None:
    rows = [GOOD.replace("S29501", f"S2{i:04d}") for i in range(2500)]
    doc = Document.from_text(H14 + "\n" + "\n".join(rows) + "\n", source="p.csv")
    calls: list[tuple[int, int]] = []
    read_bulk(doc, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]

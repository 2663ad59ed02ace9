"""Property tests: any input ends in facts, warnings or an InputError, never another exception.

Hypothesis runs derandomised (a fixed seed), a few hundred examples per property, no deadline
(the machine is shared); the whole module takes well under a minute.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sotegraph.errors import InputError
from sotegraph.facts import ExtractionWarning, Facts
from sotegraph.read import Document

FUZZ = settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LABELS = [
    "Hankekoodi",
    "Projektikoodi",
    "Hankkeen nimi",
    "Toimintalinja",
    "Erityistavoite",
    "Suunnitelman mukainen toteutusaika",
    "Toiminnan tila",
    "Vastuuviranomainen",
    "Hakijan virallinen nimi",
    "Organisaatiotyyppi",
    "Y-tunnus",
    "Postitoimipaikka",
    "WWW-osoite",
    "Hankkeen yhteyshenkilön nimi",
    "Yhteyshenkilön sähköpostisoite",
    "Yhteyshenkilön puhelinnumero",
    "Hakijoiden lukumäärä tai tuen siirto -menettely",
    "Myönnetty EU- ja valtion rahoitus",
    "Toteutunut EU- ja valtion rahoitus",
    "Suunniteltu julkinen rahoitus yhteensä",
    "Toteutunut julkinen rahoitus yhteensä",
    "Maakunnat",
    "Seutukunnat",
    "Kunnat",
    "Suunniteltu",
    "Toteutunut seurantatietojen mukaan",
    "Sukupuolinäkökulma on huomioitu",
    "Tuntematon kenttä",
]
HEADINGS = [
    "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus",
    "Euroopan aluekehitysrahaston (EAKR) rahoittaman projektin kuvaus",
    "1 Hanke",
    "2 Hakijan perustiedot",
    "3 Suunnitelman mukainen tiivistelmä toteutuksesta",
    "4 Hankkeen kohderyhmät",
    "5 Projektin julkinen rahoitus, euroa",
    "6 Maantieteellinen kohdealue",
    "7 Hakemusvaiheessa ilmoitettavat arviot",
    "8 Horisontaaliset periaatteet",
    "8.2 Kestävä kehitys",
    "9 Loppuraportin tiivistelmä",
    "Osatoteuttajat",
]
text_value = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=40,
)
number_like = st.from_regex(r"-?[0-9 ,.x\u00a0]{0,14}(€|euroa)?", fullmatch=True)
date_like = st.from_regex(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,5}", fullmatch=True)
period_like = st.builds(
    lambda a, b: f"Alkaa {a} ja päättyy {b}", st.one_of(date_like, text_value), date_like
)
bid_like = st.from_regex(r"[0-9]{6,8} ?-? ?[0-9]", fullmatch=True)
value = st.one_of(text_value, number_like, date_like, period_like, bid_like, st.just(""))
label_line = st.builds(lambda label, v: f"{label}: {v}", st.sampled_from(LABELS), value)
partner_line = st.builds(lambda name, bid: f"{name}, {bid}", text_value, bid_like)
line = st.one_of(
    label_line, label_line, st.sampled_from(HEADINGS), partner_line, text_value, st.just("")
)
record_text = st.lists(line, max_size=40).map("\n".join)


def _check_facts(facts: Facts, text: str) -> None:
    assert isinstance(facts, Facts)
    n_lines = text.count("\n") + 1
    for w in facts.warnings:
        assert isinstance(w, ExtractionWarning)
        assert w.source == "fuzz.txt"
        assert w.line is None or 1 <= w.line <= n_lines, str(w)
        assert str(w)  # renders
    for p in facts.projects:
        for amount in (p.granted_eu_state, p.realised_eu_state, p.planned_public):
            assert amount is None or isinstance(amount, Decimal)
        for d in (p.start, p.end):
            assert d is None or isinstance(d, dt.date | int)


@FUZZ
@given(record_text)
def test_eura_parser_never_crashes(text: str) -> None:
    from sotegraph.extract.eura import parse_eura

    doc = Document.from_text(text, source="fuzz.txt")
    try:
        facts = parse_eura(doc)
    except InputError:
        return
    _check_facts(facts, doc.text)


@FUZZ
@given(st.text(max_size=300))
def test_eura_parser_on_arbitrary_text(text: str) -> None:
    from sotegraph.extract.eura import parse_eura

    doc = Document.from_text(text, source="fuzz.txt")
    try:
        facts = parse_eura(doc)
    except InputError:
        return
    _check_facts(facts, doc.text)


@FUZZ
@given(st.one_of(number_like, text_value))
def test_parse_amount_returns_decimal_or_input_error(text: str) -> None:
    from sotegraph.extract.eura import parse_amount

    try:
        value = parse_amount(text)
    except InputError as exc:
        message = exc.message
    else:
        assert isinstance(value, Decimal)
        assert value.is_finite()
        return
    assert message


@FUZZ
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_amount_reads_finnish_thousands(n: int) -> None:
    from sotegraph.extract.eura import parse_amount

    written = f"{n:,}".replace(",", " ")
    assert parse_amount(written) == Decimal(n)
    assert parse_amount(f"{written},50 €") == Decimal(n) + Decimal("0.50")


@FUZZ
@given(st.one_of(date_like, text_value))
def test_parse_date_returns_date_or_input_error(text: str) -> None:
    from sotegraph.extract.eura import parse_date

    try:
        value = parse_date(text)
    except InputError as exc:
        message = exc.message
    else:
        assert isinstance(value, dt.date)
        return
    assert message


@FUZZ
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_parse_date_round_trip(day: dt.date) -> None:
    from sotegraph.extract.eura import parse_date

    assert parse_date(f"{day.day}.{day.month}.{day.year}") == day
    assert parse_date(f"{day.day:02d}.{day.month:02d}.{day.year}") == day


# -- the bulk CSV reader -------------------------------------------------------------------------

HEADER_2014 = (
    "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
    "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
    "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä"
)
cell = st.one_of(
    text_value.map(lambda s: s.replace("\n", " ")),
    number_like,
    date_like,
    st.from_regex(r"[SAK][0-9]{5}", fullmatch=True),
    st.sampled_from(["ESR", "EAKR", "Toiminnassa", "Toiminta päättynyt", '"', '""', ";", "|"]),
)
csv_row = st.lists(cell, min_size=0, max_size=16).map(",".join)
csv_text = st.builds(
    lambda header, rows, end: header + "\n" + "\n".join(rows) + end,
    st.sampled_from([HEADER_2014, HEADER_2014 + ";", '"' + HEADER_2014 + '"']),
    st.lists(csv_row, max_size=25),
    st.sampled_from(["", "\n", ";\n"]),
)


@FUZZ
@given(csv_text)
def test_bulk_reader_never_crashes(text: str) -> None:
    bulk = pytest.importorskip("sotegraph.extract.bulk")
    doc = Document.from_text(text, source="fuzz.csv")
    try:
        facts = bulk.read_bulk(doc)
    except InputError:
        return
    assert isinstance(facts, Facts)
    for w in facts.warnings:
        assert isinstance(w, ExtractionWarning)
        assert w.source == "fuzz.csv"
    stats = getattr(facts, "stats", None)
    if stats is not None and hasattr(stats, "balanced"):
        assert stats.balanced, str(stats)


# -- bytes, HTML, privacy ------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=600))
def test_decode_text_on_any_bytes(data: bytes) -> None:
    from sotegraph.read import decode_text

    try:
        text, encoding = decode_text(data, source="fuzz.bin")
    except InputError as exc:
        where = exc.file
    else:
        assert isinstance(text, str)
        assert encoding
        return
    assert where == "fuzz.bin"


@FUZZ
@given(st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_decode_text_keeps_utf8(data: bytes) -> None:
    from sotegraph.read import decode_text

    try:
        text, _ = decode_text(data)
    except InputError:  # control characters: refused as binary
        return
    original = data.decode("utf-8")
    repaired = "Ã" in original or any("\x80" <= c <= "\x9f" for c in original)
    assert text == original.removeprefix("\ufeff") or repaired


@FUZZ
@given(st.text(max_size=300))
def test_html_to_text_on_any_text(html: str) -> None:
    from sotegraph.read import html_to_text

    assert isinstance(html_to_text(html), str)


contact_text = st.lists(
    st.one_of(
        text_value,
        st.sampled_from(
            [
                "Yhteyshenkilö: Erkki Esimerkki",
                "puh. 040 123 4567",
                "+358 (0)9 123 456",
                "erkki(at)esimerkki.fi",
                "e.e@x.fi",
                "131052-308T",
                "projektipäällikkö Anna Keksitty",
                "(08) 618991",
            ]
        ),
    ),
    max_size=12,
).map(" ".join)


@FUZZ
@given(contact_text)
def test_redact_removes_what_it_finds(text: str) -> None:
    from sotegraph.privacy import PersonalDataKind, find_personal_data, redact

    hits = find_personal_data(text, use_voikko=False)
    for h in hits:
        assert text[h.span.start : h.span.end] == h.value
    cleaned = redact(text, use_voikko=False)
    left = [
        h
        for h in find_personal_data(cleaned, use_voikko=False)
        if h.kind in (PersonalDataKind.EMAIL, PersonalDataKind.HETU)
    ]
    assert left == []

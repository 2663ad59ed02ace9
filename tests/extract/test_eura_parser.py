"""Table-driven tests of the EURA record parser on records written for these tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sotegraph.errors import InputError
from sotegraph.extract.eura import parse_amount, parse_date, parse_eura, programme_period_of
from sotegraph.facts import AreaLevel, Facts, Role
from sotegraph.read import Document, Genre

ESR_TITLE = "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus"
EAKR_TITLE = "Euroopan aluekehitysrahaston (EAKR) rahoittaman hankkeen kuvaus"

SECTION_1 = """1 Hanke

Hankekoodi: {code}

Hankkeen nimi: Koehanke Kolme

Toimintalinja: 4. Sosiaalinen osallisuus ja köyhyyden torjunta

Erityistavoite: 9.1. Työelämän ulkopuolella olevien osallisuuden parantaminen

Suunnitelman mukainen toteutusaika: Alkaa {start} ja päättyy {end}

Toiminnan tila: Toiminnassa

Vastuuviranomainen: Keski-Suomen elinkeino-, liikenne- ja ympäristökeskus
"""
SECTION_2 = """2 Hakijan perustiedot

Hakijan virallinen nimi: Esimerkkiyhdistys ry

Organisaatiotyyppi: Yhdistys

Y-tunnus: {bid}

Postitoimipaikka: Jyväskylä
"""
PARTNERS = """Osatoteuttajat

{partners}
"""
SECTION_5 = """5 Projektin julkinen rahoitus, euroa

Myönnetty EU- ja valtion rahoitus: {granted}

Toteutunut EU- ja valtion rahoitus: 10 000

Suunniteltu julkinen rahoitus yhteensä: 150 000

Toteutunut julkinen rahoitus yhteensä: 12 500
"""
SECTION_6 = """6 Maantieteellinen kohdealue

Maakunnat: Keski-Suomi

Seutukunnat: Jyväskylän

Kunnat: Jyväskylä, Muurame
"""


def record(
    *,
    title: str = ESR_TITLE,
    code: str = "S29999",
    start: str = "1.1.2019",
    end: str = "31.12.2020",
    bid: str = "2553600-4",
    partners: str | None = "Kumppani Oy, 0188962-2",
    granted: str = "120 000",
    sections: tuple[str, ...] = ("1", "2", "5", "6"),
) -> str:
    parts = [title, ""]
    if "1" in sections:
        parts.append(SECTION_1.format(code=code, start=start, end=end))
    if "2" in sections:
        parts.append(SECTION_2.format(bid=bid))
        if partners is not None:
            parts.append(PARTNERS.format(partners=partners))
    if "5" in sections:
        parts.append(SECTION_5.format(granted=granted))
    if "6" in sections:
        parts.append(SECTION_6)
    return "\n".join(parts)


def parse(text: str) -> Facts:
    return parse_eura(Document.from_text(text, source="koe.txt"))


def messages(facts: Facts) -> list[str]:
    return [str(w) for w in facts.warnings]


def test_full_record_has_no_warnings() -> None:
    facts = parse(record())
    assert messages(facts) == []
    p = facts.projects[0]
    assert (p.code, p.fund, p.programme_period) == ("S29999", "ESR", "2014-2020")
    assert p.granted_eu_state == Decimal(120000)
    assert [o.name for o in facts.organisations_with_role(p.key, Role.LEAD)] == [
        "Esimerkkiyhdistys ry"
    ]
    assert [pl.text for pl in p.places if pl.level is AreaLevel.SUBREGION] == ["Jyväskylän"]
    for place in p.places:  # spans point at the text as written
        assert place.span is not None
        assert Document.from_text(record()).text[place.span.start : place.span.end] == place.text


@pytest.mark.parametrize(
    ("title", "fund"),
    [(ESR_TITLE, "ESR"), (EAKR_TITLE, "EAKR"), ("Hankkeen kuvaus", None)],
)
def test_fund_from_title(title: str, fund: str | None) -> None:
    assert parse(record(title=title)).projects[0].fund == fund


@pytest.mark.parametrize(
    ("partners", "expected"),
    [
        ("Kumppani Oy, 0188962-2", [("Kumppani Oy", "0188962-2")]),
        (
            "Oy Esimerkki, Ab, 0188962-2\nToinen, Kolmas ja Neljäs ry, 2553600-4",
            [("Oy Esimerkki, Ab", "0188962-2"), ("Toinen, Kolmas ja Neljäs ry", "2553600-4")],
        ),
        ("", []),  # empty block
        (None, []),  # block missing altogether
    ],
    ids=["one", "commas-in-names", "empty-block", "missing-block"],
)
def test_partner_block_variants(partners: str | None, expected: list[tuple[str, str]]) -> None:
    facts = parse(record(partners=partners))
    got = [(o.name, o.business_id) for o in facts.organisations_with_role("S29999", Role.PARTNER)]
    assert got == expected
    assert messages(facts) == []


def test_partner_without_business_id_is_kept_with_a_warning() -> None:
    facts = parse(record(partners="Nimetön Kumppani ry"))
    assert [o.name for o in facts.organisations_with_role("S29999", Role.PARTNER)] == [
        "Nimetön Kumppani ry"
    ]
    assert any("has no Y-tunnus" in m for m in messages(facts))


@pytest.mark.parametrize(
    ("sections", "present", "warning"),
    [
        (("1", "2", "5"), "granted_eu_state", None),  # no area section: nothing to warn
        (("1", "2", "6"), "planned_public", None),  # no funding section: fields stay empty
        (("2", "5", "6"), None, "no project code"),
        (("1", "5", "6"), None, "no applicant"),
    ],
)
def test_missing_sections(
    sections: tuple[str, ...], present: str | None, warning: str | None
) -> None:
    facts = parse(record(sections=sections))
    if warning:
        assert any(warning in m for m in messages(facts)), messages(facts)
    else:
        assert messages(facts) == []
    if present == "granted_eu_state":
        assert facts.projects[0].granted_eu_state == Decimal(120000)
        assert facts.projects[0].places == []
    if present == "planned_public":
        assert facts.projects[0].planned_public is None


def test_fields_in_another_order() -> None:
    lines = record().splitlines()
    shuffled = "\n".join(reversed(lines))
    facts = parse(ESR_TITLE + "\n" + shuffled)
    p = facts.projects[0]
    assert p.code == "S29999"
    assert p.start == dt.date(2019, 1, 1)
    assert p.granted_eu_state == Decimal(120000)


@pytest.mark.parametrize(
    ("granted", "value", "message"),
    [
        ("120 000", Decimal(120000), None),
        ("120000,50", Decimal("120000.50"), None),
        ("1 504 960,00 €", Decimal("1504960.00"), None),
        ("12 3x4", None, "not an amount: '12 3x4'"),
        ("paljon", None, "not an amount: 'paljon'"),
    ],
)
def test_amounts(granted: str, value: Decimal | None, message: str | None) -> None:
    facts = parse(record(granted=granted))
    assert facts.projects[0].granted_eu_state == value
    if message:
        (warning,) = [w for w in facts.warnings if message in w.message]
        assert warning.line is not None
        assert warning.line > 1
        assert warning.expected
        assert "digits" in warning.expected
    else:
        assert messages(facts) == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("31.2.2020", "31.12.2020", "no such date: '31.2.2020'"),
        ("1.1.2019", "2020-12-31", "not a date: '2020-12-31'"),
        ("1.1.2021", "31.12.2020", "ends (31.12.2020) before it starts (01.01.2021)"),
    ],
)
def test_bad_dates(start: str, end: str, message: str) -> None:
    facts = parse(record(start=start, end=end))
    assert any(message in m for m in messages(facts)), messages(facts)
    assert all(w.source == "koe.txt" for w in facts.warnings)


def test_invalid_business_id_check_digit() -> None:
    facts = parse(record(bid="2553600-5"))
    applicant = facts.organisations_with_role("S29999", Role.LEAD)[0]
    assert applicant.business_id is None
    (warning,) = [w for w in facts.warnings if "check digit" in w.message]
    assert warning.expected == "check digit 4 for 2553600"


def test_duplicated_field_keeps_first_and_warns() -> None:
    text = record().replace(
        "Hankkeen nimi: Koehanke Kolme", "Hankkeen nimi: Koehanke Kolme\nHankkeen nimi: Toinen nimi"
    )
    facts = parse(text)
    assert facts.projects[0].name == "Koehanke Kolme"
    assert any("given twice" in m for m in messages(facts))


def test_label_without_value() -> None:
    facts = parse(record().replace("Hankekoodi: S29999", "Hankekoodi:"))
    assert any("'Hankekoodi' has no value" in m for m in messages(facts))


def test_truncated_record_keeps_what_is_there() -> None:
    text = record()
    facts = parse(text[: text.index("Toiminnan tila")])
    p = facts.projects[0]
    assert p.code == "S29999"
    assert p.start == dt.date(2019, 1, 1)
    assert any("no applicant" in m for m in messages(facts))


def test_genre_detection_of_record() -> None:
    assert Document.from_text(record()).genre is Genre.EURA_RECORD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.3.2018", dt.date(2018, 3, 1)),
        ("31.12.2020", dt.date(2020, 12, 31)),
        ("01.02.2019.", dt.date(2019, 2, 1)),
    ],
)
def test_parse_date_ok(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31.2.2020", "2020-01-01", "", "1.13.2020"])
def test_parse_date_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_date(text)


@pytest.mark.parametrize("text", ["12 3x4", "", "1,2,3", "€"])
def test_parse_amount_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("code", "period"),
    [
        ("S21259", "2014-2020"),
        ("A70185", "2014-2020"),
        ("S10001", "2007-2013"),
        ("A30001", "2007-2013"),
        ("K12345", None),
    ],
)
def test_programme_period(code: str, period: str | None) -> None:
    assert programme_period_of(code) == period

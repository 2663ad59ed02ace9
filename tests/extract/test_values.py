"""The value parsers of :mod:`sotegraph.values`, in each caller's mode.

Every example is made up for these tests. The modes: an EURA record's form field (strict,
``InputError``), a bulk list's cell (blank is ``None``, ``ValueError``), prose (lenient,
scale words), and the historical names the extractors keep for them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sotegraph.errors import InputError
from sotegraph.extract import article, bulk, eura
from sotegraph.resolve import organisations
from sotegraph.values import (
    Written,
    business_id_check_digit,
    date_shaped,
    parse_amount,
    parse_date,
    parse_period,
    valid_business_id,
)

# --- amounts: an EURA record's form field ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("73 410", Decimal("73410")),
        ("73\u00a0410,25", Decimal("73410.25")),
        ("2\u202f004\u202f517.5", Decimal("2004517.5")),
        ("  880 euroa ", Decimal("880")),
        ("12 345 678,90 €", Decimal("12345678.90")),
        ("4,5", Decimal("4.5")),
        ("-1 250", Decimal("-1250")),
        ("615euroa€", Decimal("615")),
    ],
)
def test_form_amount(text: str, value: Decimal) -> None:
    assert parse_amount(text) == value
    assert parse_amount(text, written=Written.FORM) == value
    assert eura.parse_amount(text) == value


@pytest.mark.parametrize(
    "text", ["", "   ", "€", "7.410.000,00", "7,410,000.00", "880 EUR", "1 23", "kolme", "5 €€"]
)
def test_form_amount_rejects_with_what_was_expected(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_amount(text)
    assert info.value.message == f"not an amount: {text.strip()!r}"
    assert info.value.expected
    assert "208 856" in info.value.expected
    with pytest.raises(InputError):
        eura.parse_amount(text)
    assert parse_amount(text, strict=False) is None


# --- amounts: a bulk list's cell ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None),
        (" \t", None),
        ("66120.4", Decimal("66120.4")),
        ("66120,4", Decimal("66120.4")),
        ("7.410.000,00", Decimal("7410000.00")),
        ("7,410,000.00", Decimal("7410000.00")),
        ("7 410 000", Decimal("7410000")),
        ("880 EUR", Decimal("880")),
        ("880 Euroa", Decimal("880")),
        ("-312", Decimal("-312")),
    ],
)
def test_table_amount(text: str, value: Decimal | None) -> None:
    assert parse_amount(text, written=Written.TABLE) == value
    assert bulk.parse_amount(text) == value


@pytest.mark.parametrize("text", ["€", "3.4.2016", "12 34", "n. 500", "5 €€"])
def test_table_amount_rejects_with_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(text, written=Written.TABLE)
    with pytest.raises(ValueError, match="not an amount"):
        bulk.parse_amount(text)
    assert parse_amount(text, written=Written.TABLE, strict=False) is None


# --- amounts: prose ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("340 000 euroa", Decimal("340000")),
        ("2,4 miljoonaa euroa", Decimal("2400000")),
        ("3 Me", Decimal("3000000")),
        ("0,8 M€", Decimal("800000")),
        ("75 t€", Decimal("75000")),
        ("12 tuhatta euroa", Decimal("12000")),
        ("1,1 miljardia", Decimal("1100000000")),
        ("60 000 eurolla vuodessa", Decimal("60000")),
        ("4,2Me:n", Decimal("4200000")),
    ],
)
def test_prose_amount(text: str, value: Decimal) -> None:
    assert parse_amount(text, written=Written.PROSE) == value
    assert article.parse_amount(text) == value


def test_prose_amount_is_lenient_where_the_caller_asks() -> None:
    assert article.parse_amount("noin kaksi miljoonaa") is None
    assert parse_amount("noin kaksi miljoonaa", written=Written.PROSE, strict=False) is None
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount("noin kaksi miljoonaa", written=Written.PROSE)


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5.11.2019", dt.date(2019, 11, 5)),
        (" 05.11.2019 ", dt.date(2019, 11, 5)),
        ("5.11.2019.", dt.date(2019, 11, 5)),
        ("29.2.2024;", dt.date(2024, 2, 29)),
    ],
)
def test_form_date(text: str, value: dt.date) -> None:
    assert parse_date(text) == value
    assert eura.parse_date(text) == value


def test_form_date_errors_say_what_was_expected() -> None:
    with pytest.raises(InputError) as shape:
        eura.parse_date("2019-11-05")
    assert shape.value.message == "not a date: '2019-11-05'"
    assert shape.value.expected == "a date as d.m.yyyy, e.g. 1.3.2018"
    with pytest.raises(InputError) as day:
        parse_date("30.2.2023.")
    assert day.value.message == "no such date: '30.2.2023'"
    assert day.value.expected == "a real day as d.m.yyyy, e.g. 28.2.2020"
    assert parse_date("30.2.2023", strict=False) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None),
        ("  ", None),
        ("5.11.2019", dt.date(2019, 11, 5)),
        ("2019-11-05", dt.date(2019, 11, 5)),
        (" 1996 ", 1996),
        ("2031", 2031),
    ],
)
def test_table_date(text: str, value: object) -> None:
    assert parse_date(text, written=Written.TABLE) == value
    assert bulk.parse_finnish_date(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30.2.2023", "day is out of range for month"),
        ("5.13.2019", "month must be in 1..12"),
        ("1979", "not a date: '1979'"),
        ("5.11.19", "not a date: '5.11.19'"),
        ("2019-11-05.", "not a date: '2019-11-05.'"),
    ],
)
def test_table_date_rejects_with_a_value_error(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        bulk.parse_finnish_date(text)
    assert str(info.value) == message
    assert parse_date(text, written=Written.TABLE, strict=False) is None


def test_prose_date_is_exactly_a_day() -> None:
    assert parse_date(" 5.11.2019 ", written=Written.PROSE) == dt.date(2019, 11, 5)
    for text in ("5.11.2019.", "2019-11-05", "2019", "", "30.2.2023"):
        assert parse_date(text, written=Written.PROSE, strict=False) is None


def test_date_shape() -> None:
    assert date_shaped("30.2.2023")
    assert date_shaped(" 2023-02-30 ")
    assert not date_shaped("2023")
    assert not date_shaped("30.2.23")


# --- periods in prose ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("15.8.2021–14.8.2023", (dt.date(2021, 8, 15), dt.date(2023, 8, 14))),
        ("ajalla 1.9.2020 - 31.5.2022", (dt.date(2020, 9, 1), dt.date(2022, 5, 31))),
        ("3/2021–2/2024", (dt.date(2021, 3, 1), dt.date(2024, 2, 29))),
        ("9/2022–12/2023", (dt.date(2022, 9, 1), dt.date(2023, 12, 31))),
        ("vuosina 2017–2019", (2017, 2019)),
        ("vuoden 2025 loppuun", (2025, None)),
        ("alkaen 1.4.2022", (dt.date(2022, 4, 1), None)),
        ("30.2.2021–1.3.2022", (None, dt.date(2022, 3, 1))),
        ("ensi syksynä", (None, None)),
    ],
)
def test_period(text: str, period: tuple[object, object]) -> None:
    assert parse_period(text) == period
    assert article.parse_period(text) == period


# --- business ids ----------------------------------------------------------------------------


def test_business_id() -> None:
    assert valid_business_id("0737546-2") == "0737546-2"
    assert valid_business_id(" 07375462 ") == "0737546-2"
    assert valid_business_id("0737546-3") is None
    assert valid_business_id("737546-2") is None
    assert valid_business_id("") is None
    assert valid_business_id(None) is None
    assert organisations.valid_business_id is valid_business_id


def test_business_id_check_digit() -> None:
    assert business_id_check_digit("0737546") == "2"
    # a remainder of 1 leaves no valid check digit
    missing = [f"{n:07d}" for n in range(1, 60) if business_id_check_digit(f"{n:07d}") is None]
    assert missing
    for first7 in missing:
        assert all(valid_business_id(f"{first7}-{d}") is None for d in range(10))

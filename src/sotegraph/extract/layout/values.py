"""Values in the layout's fields and cells: periods, single dates, months and amounts.

These are the layout reader's lenient readings of what a field value or a page sentence
states (the first period found anywhere in it); :mod:`sotegraph.values` has the strict
parsers of whole values.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "MONTHS",
    "MONTH_END",
    "MONTH_START",
    "ONE_DATE",
    "amount",
    "make_date",
    "month_end",
    "one_date",
    "parse_period_text",
]

_DATE = r"(?P<{p}d>\d{{1,2}})\.\s?(?P<{p}m>\d{{1,2}})\.\s?(?P<{p}y>(?:19|20)\d{{2}})?"
_RANGE = re.compile(
    _DATE.format(p="a") + r"\s*(?:[–—-]|\s+-\s+)\s*" + _DATE.format(p="b"),
)
_YEAR_RANGE = re.compile(r"\b(?P<a>(?:19|20)\d{2})\s*[–—-]\s*(?P<b>(?:19|20)\d{2})\b")
#: one full date, ``d.m.yyyy`` (groups: day, month, year)
ONE_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})\b")
_ALKAA = re.compile(
    r"alkaa\s+(?P<a>\d{1,2}\.\d{1,2}\.\d{4})\s+ja\s+päättyy\s+(?P<b>\d{1,2}\.\d{1,2}\.\d{4})",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"(\d{1,3}(?:[  ]\d{3})+|\d+)(?:,(\d{1,2}))?\s*(?:€|euroa|eur\b)?")
_THOUSANDS = re.compile(r"[  ]")

#: month stems → month numbers
MONTHS = {
    "tammi": 1,
    "helmi": 2,
    "maalis": 3,
    "huhti": 4,
    "touko": 5,
    "kesä": 6,
    "heinä": 7,
    "elo": 8,
    "syys": 9,
    "loka": 10,
    "marras": 11,
    "joulu": 12,
}
_MONTH = r"(?P<{p}m>tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu)kuu"
#: ``maaliskuussa 2019``, ``toukokuun alusta 2018`` (groups ``am``, ``ay``)
MONTH_START = re.compile(
    _MONTH.format(p="a") + r"(?:ssa|sta|n alussa|n alusta)\s+(?P<ay>(?:19|20)\d{2})"
)
#: ``helmikuun lopussa 2022``, ``joulukuu 2020 loppuun`` (groups ``bm``, ``by``)
MONTH_END = re.compile(
    _MONTH.format(p="b") + r"(?:n|n lopussa|n loppuun)?\s+(?:lopussa\s+|loppuun\s+)?"
    r"(?P<by>(?:19|20)\d{2})(?:\s+(?:loppuun|lopussa|saakka|asti))?"
)


def make_date(d: str | None, m: str | None, y: str | None) -> dt.date | None:
    """The date of day, month and year strings; ``None`` when they make no date.

    Parameters
    ----------
    d, m, y:
        Day, month and year as matched (any may be ``None``).

    Returns
    -------
    datetime.date or None
        The date, or ``None`` if a part is missing or out of range.

    Examples
    --------
    >>> make_date("31", "12", "2017"), make_date("1", "2", None)
    (datetime.date(2017, 12, 31), None)
    """
    try:
        return dt.date(int(y or 0), int(m or 0), int(d or 0))
    except (TypeError, ValueError):
        return None


def parse_period_text(text: str) -> tuple[dt.date | int | None, dt.date | int | None]:
    """The first period a value states: dates, ``Alkaa … ja päättyy …`` or years.

    Parameters
    ----------
    text:
        A field value or a sentence.

    Returns
    -------
    tuple
        ``(start, end)``: dates, years (``int``) or ``None``.

    Examples
    --------
    >>> parse_period_text("1.9.2015–31.12.2017")
    (datetime.date(2015, 9, 1), datetime.date(2017, 12, 31))
    >>> parse_period_text("Alkaa 1.1.2019 ja päättyy 31.12.2020")
    (datetime.date(2019, 1, 1), datetime.date(2020, 12, 31))
    >>> parse_period_text("1.3.–31.12.2021")
    (datetime.date(2021, 3, 1), datetime.date(2021, 12, 31))
    >>> parse_period_text("2016–2018")
    (2016, 2018)
    """
    m = _ALKAA.search(text)
    if m:
        return one_date(m.group("a")), one_date(m.group("b"))
    m = _RANGE.search(text)
    if m:
        end = make_date(m.group("bd"), m.group("bm"), m.group("by"))
        start = make_date(m.group("ad"), m.group("am"), m.group("ay") or m.group("by"))
        if start and end and start <= end:
            return start, end
    m = _YEAR_RANGE.search(text)
    if m and int(m.group("a")) <= int(m.group("b")):
        return int(m.group("a")), int(m.group("b"))
    return None, None


def one_date(text: str) -> dt.date | None:
    """The first full date (``d.m.yyyy``) in ``text``.

    Parameters
    ----------
    text:
        A field value.

    Returns
    -------
    datetime.date or None
        The date, or ``None`` if the text has none.

    Examples
    --------
    >>> one_date("alkaen 1.6.2016")
    datetime.date(2016, 6, 1)
    """
    m = ONE_DATE.search(text)
    return make_date(m.group(1), m.group(2), m.group(3)) if m else None


def amount(text: str) -> Decimal | None:
    """The first amount of euros in ``text``, if it is 1,000 or more.

    Parameters
    ----------
    text:
        A field value (``208 856 €``, ``1 500 000,50 euroa``).

    Returns
    -------
    Decimal or None
        The amount; ``None`` when there is no number, or it is under 1,000.

    Examples
    --------
    >>> amount("208 856 €"), amount("15 %")
    (Decimal('208856'), None)
    """
    m = _AMOUNT.search(text)
    if not m:
        return None
    raw = _THOUSANDS.sub("", m.group(1))
    try:
        value = Decimal(raw + ("." + m.group(2) if m.group(2) else ""))
    except InvalidOperation:
        return None
    return value if value >= 1000 else None


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month.

    Parameters
    ----------
    year, month:
        The month.

    Returns
    -------
    datetime.date
        Its last day.

    Examples
    --------
    >>> month_end(2020, 2), month_end(2021, 12)
    (datetime.date(2020, 2, 29), datetime.date(2021, 12, 31))
    """
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)

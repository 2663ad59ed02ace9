"""Values written in the sources: amounts of money, dates and periods, Finnish business ids.

One parser per kind of value. Where a value is written decides the details, given as
``written`` (:class:`Written`):

- ``FORM``, a labelled field of an EURA record: one amount or date, strictly; errors are
  :class:`~sotegraph.errors.InputError` saying what was expected (the record parser turns
  them into warnings);
- ``TABLE``, a cell of a bulk CSV list: a blank cell is no value (``None``); amounts may be
  grouped with ``.`` or, English-style, with ``,``; dates may be ISO or a bare year;
  errors are :class:`~sotegraph.errors.ValueFormatError` (also a ``ValueError``);
- ``PROSE``, running text: the number at the start of a phrase, scaled by a word after it
  (``1,2 miljoonaa euroa``).

``strict=False`` turns every error into ``None``. The extractors keep their own names for
the reading they use:

=================================================  ==================================================
``sotegraph.extract.eura.parse_amount(t)``         ``parse_amount(t)``
``sotegraph.extract.eura.parse_date(t)``           ``parse_date(t)``
``sotegraph.extract.bulk.parse_amount(t)``         ``parse_amount(t, written=Written.TABLE)``
``sotegraph.extract.bulk.parse_finnish_date(t)``   ``parse_date(t, written=Written.TABLE)``
``sotegraph.extract.article.parse_amount(t)``      ``parse_amount(t, written=Written.PROSE, strict=False)``
``sotegraph.extract.article.parse_period(t)``      :func:`parse_period` (dates read as prose, leniently)
``sotegraph.resolve.organisations``                :func:`valid_business_id`
=================================================  ==================================================

Examples
--------
>>> parse_amount("1 504 960,50 €")
Decimal('1504960.50')
>>> parse_amount("1.504.960,50", written=Written.TABLE)
Decimal('1504960.50')
>>> parse_amount("1,5 miljoonaa euroa", written=Written.PROSE)
Decimal('1500000.0')
>>> parse_date("2016-12-31", written=Written.TABLE)
datetime.date(2016, 12, 31)
>>> parse_period("vuosina 2019–2021")
(2019, 2021)
>>> valid_business_id("25536004"), business_id_check_digit("2553600")
('2553600-4', '4')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from stdnum.fi import ytunnus

from sotegraph.errors import InputError, ValueFormatError

__all__ = [
    "MONTHS",
    "MONTH_END",
    "MONTH_START",
    "ONE_DATE",
    "Written",
    "business_id_check_digit",
    "date_shaped",
    "find_amount",
    "find_date",
    "find_period",
    "make_date",
    "month_end",
    "parse_amount",
    "parse_date",
    "parse_period",
    "valid_business_id",
]


class Written(StrEnum):
    """Where a value is written (each source has its own conventions; see the module)."""

    FORM = "form"
    TABLE = "table"
    PROSE = "prose"


# --------------------------------------------------------------------------- amounts


@dataclass(frozen=True, slots=True)
class _AmountShapes:
    """How one kind of source writes an amount (``FORM`` and ``TABLE``)."""

    blank_is_none: bool  # an empty text is no value rather than an error
    unit: re.Pattern[str]  # a currency word at the end, removed before the number is read
    #: the shapes of the number, tried in order, each with the thousands separators it drops
    #: (a ``,`` left after that is the decimal comma)
    shapes: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]


_SPACES = "[ \u00a0\u202f]"
_AMOUNT_FORMATS: dict[Written, _AmountShapes] = {
    Written.FORM: _AmountShapes(
        blank_is_none=False,
        unit=re.compile(r"(?:euroa)?€?\Z"),  # "€", then "euroa", as written
        shapes=(
            (re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?"), re.compile(_SPACES)),
            (re.compile(r"-?\d+(?:[.,]\d+)?"), None),
        ),
    ),
    Written.TABLE: _AmountShapes(
        blank_is_none=True,
        unit=re.compile(r"(?:€|eur(?:oa)?)$", re.IGNORECASE),
        shapes=(
            (re.compile(r"-?\d+(?:[.,]\d+)?"), None),
            (
                re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?"),
                re.compile(r"[ \u00a0\u202f.]"),
            ),
            (
                re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f,]\d{3})+(?:\.\d+)?"),
                re.compile(r"[ \u00a0\u202f,]"),
            ),
        ),
    ),
}
_AMOUNT_EXPECTED = "digits with optional thousands spaces and decimals, e.g. 208 856 or 190859.38"

# prose: the number at the start, then a unit or scale word ("1,5 Me", "9,5 miljoonaa euroa")
_PROSE_AMOUNT = re.compile(r"^\s*(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,(\d+))?\s*(\S*)")
_SCALE = {
    "me": 1_000_000,
    "m€": 1_000_000,
    "milj.": 1_000_000,
    "miljoonaa": 1_000_000,
    "miljoonan": 1_000_000,
    "miljoonalla": 1_000_000,
    "miljardia": 1_000_000_000,
    "tuhatta": 1_000,
    "t€": 1_000,
    "k€": 1_000,
}


def parse_amount(
    text: str, *, written: Written = Written.FORM, strict: bool = True
) -> Decimal | None:
    """Parse an amount of euros written in Finnish (thousands spaces, decimal comma).

    Parameters
    ----------
    text:
        The amount: ``"208 856"``, ``"1 504 960,00 €"``, ``"190859.38"``; in prose the
        start of a phrase (``"450 000 eurolla"``, ``"1,2 miljoonaa euroa"``).
    written:
        Where it is written (see the module): ``FORM`` (an EURA record field), ``TABLE``
        (a CSV cell: blank is ``None``, also ``1.504.960,00`` and ``1,504,960.00``) or
        ``PROSE`` (scale words such as ``miljoonaa``, ``Me``, ``t€`` multiply the number).
    strict:
        Raise when the text is no amount (else return ``None``).

    Raises
    ------
    InputError
        ``FORM``, strict: the text is not an amount (the error says what was expected).
    ValueError
        ``TABLE`` or ``PROSE``, strict: the text is not an amount.

    Examples
    --------
    >>> parse_amount("208 856"), parse_amount("-744"), parse_amount("190859,38 €")
    (Decimal('208856'), Decimal('-744'), Decimal('190859.38'))
    >>> parse_amount("1.504.960,00")
    Traceback (most recent call last):
    ...
    sotegraph.errors.InputError: not an amount: '1.504.960,00' (expected digits with optional thousands spaces and decimals, e.g. 208 856 or 190859.38)
    >>> parse_amount("1.504.960,00", written=Written.TABLE), parse_amount(" ", written=Written.TABLE)
    (Decimal('1504960.00'), None)
    >>> parse_amount("12 3x4", written=Written.TABLE)
    Traceback (most recent call last):
    ...
    sotegraph.errors.ValueFormatError: not an amount: '12 3x4'
    >>> [str(parse_amount(t, written=Written.PROSE)) for t in ("208 856 €", "1,5 Me", "30 t€")]
    ['208856', '1500000.0', '30000']
    >>> parse_amount("noin puoli miljoonaa", written=Written.PROSE, strict=False) is None
    True
    """
    if written is Written.PROSE:
        value = _prose_amount(text)
        if value is None and strict:
            raise ValueFormatError(f"not an amount: {text.strip()!r}")
        return value
    fmt = _AMOUNT_FORMATS[written]
    s = text.strip()
    if fmt.blank_is_none and not s:
        return None
    s = fmt.unit.sub("", s, count=1).strip()
    for shape, separators in fmt.shapes:
        if shape.fullmatch(s):
            digits = separators.sub("", s) if separators is not None else s
            return Decimal(digits.replace(",", "."))
    if not strict:
        return None
    if written is Written.FORM:
        raise InputError(f"not an amount: {text.strip()!r}", expected=_AMOUNT_EXPECTED)
    raise ValueFormatError(f"not an amount: {text.strip()!r}")


def _prose_amount(text: str) -> Decimal | None:
    m = _PROSE_AMOUNT.match(text)
    if not m:
        return None
    whole = re.sub(r"\s", "", m.group(1))
    number = Decimal(whole + ("." + m.group(2) if m.group(2) else ""))
    unit = m.group(3).lower()
    for word in [unit, *text.lower().split()[1:]]:
        word = word.split(":", 1)[0]
        if word in _SCALE:
            return number * _SCALE[word]
        if word.endswith(("me", "m€")) and word[:-2].replace(",", "").isdigit():
            return number * 1_000_000
    return number


# --------------------------------------------------------------------------- dates

_DMY = r"(\d{1,2})\.(\d{1,2})\.(\d{4})"
_FORM_DATE = re.compile(_DMY + "$")  # matched from the start of the field
_DATE_RE = re.compile(r"\s*" + _DMY + r"\s*")
_ISO_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
_YEAR_RE = re.compile(r"\s*(19[89]\d|20[0-4]\d)\s*")


def parse_date(
    text: str, *, written: Written = Written.FORM, strict: bool = True
) -> dt.date | int | None:
    """Parse a Finnish date ``d.m.yyyy``.

    Parameters
    ----------
    text:
        The date, e.g. ``"1.3.2018"`` or ``"01.03.2018"``.
    written:
        ``FORM`` (an EURA record field: trailing ``.,;`` ignored), ``TABLE`` (a CSV cell:
        blank is ``None``, also ISO ``yyyy-mm-dd``, and a bare year 1980–2049 returned as
        an ``int``) or ``PROSE`` (exactly ``d.m.yyyy``).
    strict:
        Raise when the text is no date or names a day that does not exist (else return
        ``None``).

    Raises
    ------
    InputError
        ``FORM``, strict: not a date, or no such day (the error says what was expected).
    ValueError
        ``TABLE`` or ``PROSE``, strict: not a date (``not a date: '…'``) or no such day
        (:class:`datetime.date`'s own message).

    Examples
    --------
    >>> parse_date("1.3.2018."), parse_date("2015", written=Written.TABLE)
    (datetime.date(2018, 3, 1), 2015)
    >>> parse_date("31.2.2020")
    Traceback (most recent call last):
    ...
    sotegraph.errors.InputError: no such date: '31.2.2020' (expected a real day as d.m.yyyy, e.g. 28.2.2020)
    >>> parse_date("31.2.2020", written=Written.TABLE)
    Traceback (most recent call last):
    ...
    ValueError: day is out of range for month
    >>> parse_date("31.2.2020", written=Written.PROSE, strict=False) is None
    True
    """
    if not strict:
        try:
            return parse_date(text, written=written)
        except (ValueError, InputError):
            return None
    if written is Written.FORM:
        raw = text.strip().rstrip(".,;")
        m = _FORM_DATE.match(raw)
        if not m:
            raise InputError(
                f"not a date: {text.strip()!r}", expected="a date as d.m.yyyy, e.g. 1.3.2018"
            )
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError as exc:
            raise InputError(
                f"no such date: {raw!r}", expected="a real day as d.m.yyyy, e.g. 28.2.2020"
            ) from exc
    if written is Written.TABLE and (not text or text.isspace()):
        return None
    m = _DATE_RE.fullmatch(text)
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if written is Written.TABLE:
        m = _ISO_RE.fullmatch(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _YEAR_RE.fullmatch(text)
        if m:
            return int(m.group(1))
    raise ValueFormatError(f"not a date: {text.strip()!r}")


def date_shaped(text: str) -> bool:
    """Whether a table cell has the shape of a date (``d.m.yyyy`` or ISO), real day or not.

    >>> date_shaped(" 31.2.2020 "), date_shaped("2020-02-31"), date_shaped("2020")
    (True, True, False)
    """
    return bool(_DATE_RE.fullmatch(text) or _ISO_RE.fullmatch(text))


def _month_start(text: str) -> dt.date | None:
    m = re.fullmatch(r"(\d{1,2})/(\d{4})", text.strip())
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    return dt.date(int(m.group(2)), int(m.group(1)), 1)


def _month_end(text: str) -> dt.date | None:
    start = _month_start(text)
    return None if start is None else month_end(start.year, start.month)


def _prose_date(text: str) -> dt.date | None:
    day = parse_date(text, written=Written.PROSE, strict=False)
    return day if isinstance(day, dt.date) else None


def parse_period(text: str) -> tuple[dt.date | int | None, dt.date | int | None]:
    """Parse a period expression of prose into (start, end); years stay ``int``.

    Two dates, two months (the end month to its last day), two years, one year (no end),
    one date (no end); days that do not exist are ``None``.

    >>> parse_period("1.3.2020–28.2.2023")
    (datetime.date(2020, 3, 1), datetime.date(2023, 2, 28))
    >>> parse_period("vuosina 2019–2021")
    (2019, 2021)
    >>> parse_period("1/2019–12/2022")
    (datetime.date(2019, 1, 1), datetime.date(2022, 12, 31))
    >>> parse_period("vuodelle 2022")
    (2022, None)
    """
    dates = re.findall(r"\d{1,2}\.\d{1,2}\.\d{4}", text)
    if len(dates) >= 2:
        return _prose_date(dates[0]), _prose_date(dates[1])
    months = re.findall(r"\d{1,2}/\d{4}", text)
    if len(months) >= 2:
        return _month_start(months[0]), _month_end(months[1])
    years = [int(y) for y in re.findall(r"(?<![\d.])(?:19|20)\d\d(?![\d.])", text)]
    if len(years) >= 2:
        return years[0], years[1]
    if len(years) == 1:
        return years[0], None
    if len(dates) == 1:
        return _prose_date(dates[0]), None
    return None, None


# --------------------------------------------------------------------------- values in a field or sentence
# The layout reader's lenient readings: the first period, date or amount anywhere in a field
# value or a sentence (the parsers above read whole values).

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


def find_period(text: str) -> tuple[dt.date | int | None, dt.date | int | None]:
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
    >>> find_period("1.9.2015–31.12.2017")
    (datetime.date(2015, 9, 1), datetime.date(2017, 12, 31))
    >>> find_period("Alkaa 1.1.2019 ja päättyy 31.12.2020")
    (datetime.date(2019, 1, 1), datetime.date(2020, 12, 31))
    >>> find_period("1.3.–31.12.2021")
    (datetime.date(2021, 3, 1), datetime.date(2021, 12, 31))
    >>> find_period("2016–2018")
    (2016, 2018)
    """
    m = _ALKAA.search(text)
    if m:
        return find_date(m.group("a")), find_date(m.group("b"))
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


def find_date(text: str) -> dt.date | None:
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
    >>> find_date("alkaen 1.6.2016")
    datetime.date(2016, 6, 1)
    """
    m = ONE_DATE.search(text)
    return make_date(m.group(1), m.group(2), m.group(3)) if m else None


def find_amount(text: str) -> Decimal | None:
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
    >>> find_amount("208 856 €"), find_amount("15 %")
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


# --------------------------------------------------------------------------- business ids


def valid_business_id(value: str | None) -> str | None:
    """Return the Y-tunnus in its ``1234567-8`` form if its check digit is valid, else ``None``.

    Examples
    --------
    >>> valid_business_id("25536004")
    '2553600-4'
    >>> valid_business_id("2553600-5") is None
    True
    """
    if not value:
        return None
    try:
        return str(ytunnus.format(ytunnus.validate(value.strip())))
    except Exception:  # stdnum raises its own ValidationError subclasses
        return None


def business_id_check_digit(first7: str) -> str | None:
    """The check digit a Y-tunnus with these seven digits must have (``None``: no digit fits).

    >>> business_id_check_digit("2553600"), business_id_check_digit("0000006")
    ('4', None)
    """
    return next((str(d) for d in range(10) if ytunnus.is_valid(f"{first7}-{d}")), None)

"""Cells of a bulk list: amounts and dates (read by :mod:`sotegraph.values`),
what kind of value a cell looks like (cached: cells repeat a lot), text cells, funds and
project codes.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from decimal import Decimal, InvalidOperation

from sotegraph import values
from sotegraph.values import Written, date_shaped

__all__ = ["parse_amount", "parse_finnish_date"]

_FUNDS = {"ESR": "ESR", "ESF": "ESR", "EAKR": "EAKR", "ERDF": "EAKR", "EFRR": "EAKR"}
_FUND_BY_PREFIX = {"S": "ESR", "A": "EAKR"}

_HEADER_CODES = frozenset({"KOODI", "HANKEKOODI", "PROJEKTIKOODI"})
_CODE_RE = re.compile(r"[A-Z]{1,3}\d{3,12}")
_AXIS_RE = re.compile(r"\s*\d{1,2}\s*")
_PIPE_RE = re.compile(r"\s*\|\s*")


def parse_finnish_date(text: str) -> _dt.date | int | None:
    """Parse a Finnish date ``d.m.yyyy`` (or ISO ``yyyy-mm-dd``, or a bare year).

    Returns ``None`` for an empty cell; a bare year (1980–2049) is returned as an ``int``.
    The table reading of :func:`sotegraph.values.parse_date`.

    Raises
    ------
    ValueError
        If the text is not a valid date (``31.2.2020``, ``1.13.2015``, ``huomenna``).

    Examples
    --------
    >>> parse_finnish_date("1.3.2015")
    datetime.date(2015, 3, 1)
    >>> parse_finnish_date(" ") is None
    True
    >>> parse_finnish_date("31.2.2020")
    Traceback (most recent call last):
    ...
    ValueError: day is out of range for month
    """
    return values.parse_date(text, written=Written.TABLE)


def parse_amount(text: str) -> Decimal | None:
    """Parse an amount in euros: ``190859.38``, ``190 859,38``, ``1 504 960 €``, ``-744``.

    Returns ``None`` for an empty cell. The table reading of
    :func:`sotegraph.values.parse_amount`.

    Raises
    ------
    ValueError
        If the text is not a number (``12 3x4``, ``15.10.2014``).

    Examples
    --------
    >>> parse_amount("190859.38")
    Decimal('190859.38')
    >>> parse_amount("1 504 960,00 €")
    Decimal('1504960.00')
    >>> parse_amount("12 3x4")
    Traceback (most recent call last):
    ...
    sotegraph.errors.ValueFormatError: not an amount: '12 3x4'
    """
    return values.parse_amount(text, written=Written.TABLE)


_BLANK, _DATE, _AMOUNT, _TEXT = 0, 1, 2, 3
_FAST_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@functools.lru_cache(maxsize=65536)
def _kind(s: str) -> int:
    """Classify a cell: blank, date, amount or text (cached: cells repeat a lot)."""
    if not s or s.isspace():
        return _BLANK
    if _FAST_NUMBER.fullmatch(s):
        return _AMOUNT
    if date_shaped(s):
        return _DATE
    try:
        parse_amount(s)
    except (ValueError, InvalidOperation):
        return _TEXT
    return _AMOUNT


def _is_blank(s: str) -> bool:
    return not s or s.isspace()


def _is_date(s: str) -> bool:
    return _kind(s) == _DATE


def _is_amount(s: str) -> bool:
    return _kind(s) == _AMOUNT


def _is_axis(s: str) -> bool:
    return bool(_AXIS_RE.fullmatch(s))


def _fi(d: _dt.date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def _clean_text(s: str) -> str:
    """Trim a text cell and restore ``|`` (which the raw export wrote for a comma)."""
    s = s.strip()
    if "|" in s:
        s = _PIPE_RE.sub(", ", s).strip(", ")
    return s


def _dequote(cell: str) -> str:
    """Drop the quotes of a cell whose quoting is broken.

    A quote directly followed by a hyphen becomes a space (Finnish writes a quoted name in
    a hyphen compound as ``Musculo -hieronta``).
    """
    if '"' not in cell:
        return cell
    return re.sub(r'"+(?=-)', " ", cell).replace('"', "")

"""The columns of a bulk list and its header: what each header cell names, the two EURA
column orders (2014–2020 and 2007–2013), the delimiter and the record terminator.

Examples
--------
>>> read_layout("Koodi;Rahasto;Hankkeen nimi").period
'2014-2020'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum

from sotegraph.errors import InputError

__all__ = ["COLUMN_LABELS", "PERIOD_2007", "PERIOD_2014", "BulkLayout", "Column", "read_layout"]

PERIOD_2014 = "2014-2020"
PERIOD_2007 = "2007-2013"


class Column(StrEnum):
    """The columns a bulk list may have (``ProjectFact`` field names where they map)."""

    CODE = "code"
    FUND = "fund"
    NAME = "name"
    PROGRAMME = "programme"
    AXIS = "priority_axis"
    AUTHORITY = "authority"
    STATUS = "status"
    START = "start"
    END = "end"
    IMPLEMENTER = "implementer"
    GRANTED = "granted_eu_state"
    REALISED_EU = "realised_eu_state"
    PLANNED_PUBLIC = "planned_public"
    REALISED_PUBLIC = "realised_public"


# plain module names for the members: attribute access on an Enum class is slow in a loop
_C_AUTHORITY = Column.AUTHORITY
_C_AXIS = Column.AXIS
_C_CODE = Column.CODE
_C_END = Column.END
_C_FUND = Column.FUND
_C_GRANTED = Column.GRANTED
_C_IMPLEMENTER = Column.IMPLEMENTER
_C_NAME = Column.NAME
_C_PLANNED_PUBLIC = Column.PLANNED_PUBLIC
_C_PROGRAMME = Column.PROGRAMME
_C_REALISED_EU = Column.REALISED_EU
_C_REALISED_PUBLIC = Column.REALISED_PUBLIC
_C_START = Column.START
_C_STATUS = Column.STATUS


_HEADER_NAMES: dict[str, Column] = {
    "koodi": Column.CODE,
    "hankekoodi": Column.CODE,
    "projektikoodi": Column.CODE,
    "rahasto": Column.FUND,
    "hankkeen nimi": Column.NAME,
    "projektin nimi": Column.NAME,
    "nimi": Column.NAME,
    "ohjelma / osio": Column.PROGRAMME,
    "ohjelma/osio": Column.PROGRAMME,
    "ohjelma": Column.PROGRAMME,
    "tl": Column.AXIS,
    "toimintalinja": Column.AXIS,
    "viranomainen": Column.AUTHORITY,
    "vastuuviranomainen": Column.AUTHORITY,
    "tila": Column.STATUS,
    "toiminnan tila": Column.STATUS,
    "aloituspvm": Column.START,
    "alkamispvm": Column.START,
    "päättymispvm": Column.END,
    "toteuttajan nimi": Column.IMPLEMENTER,
    "toteuttaja": Column.IMPLEMENTER,
    "myönnetty eu- ja valtion rahoitus": Column.GRANTED,
    "toteutunut eu- ja valtion rahoitus": Column.REALISED_EU,
    "suunniteltu julkinen rahoitus yhteensä": Column.PLANNED_PUBLIC,
    "toteutunut julkinen rahoitus yhteensä": Column.REALISED_PUBLIC,
}

#: Finnish labels of the columns, as the 2014–2020 header writes them (used in messages).
COLUMN_LABELS: dict[Column, str] = {
    Column.CODE: "Koodi",
    Column.FUND: "Rahasto",
    Column.NAME: "Hankkeen nimi",
    Column.PROGRAMME: "Ohjelma / osio",
    Column.AXIS: "Tl",
    Column.AUTHORITY: "Viranomainen",
    Column.STATUS: "Tila",
    Column.START: "Aloituspvm",
    Column.END: "Päättymispvm",
    Column.IMPLEMENTER: "Toteuttajan nimi",
    Column.GRANTED: "Myönnetty EU- ja valtion rahoitus",
    Column.REALISED_EU: "Toteutunut EU- ja valtion rahoitus",
    Column.PLANNED_PUBLIC: "Suunniteltu julkinen rahoitus yhteensä",
    Column.REALISED_PUBLIC: "Toteutunut julkinen rahoitus yhteensä",
}

_AMOUNTS = (Column.GRANTED, Column.REALISED_EU, Column.PLANNED_PUBLIC, Column.REALISED_PUBLIC)
_TEXTS = (Column.NAME, Column.PROGRAMME, Column.AUTHORITY, Column.STATUS, Column.IMPLEMENTER)
_LAYOUT_2014 = (
    Column.CODE,
    Column.FUND,
    Column.NAME,
    Column.AXIS,
    Column.AUTHORITY,
    Column.STATUS,
    Column.START,
    Column.END,
    Column.IMPLEMENTER,
    *_AMOUNTS,
)
_LAYOUT_2007 = (
    Column.CODE,
    Column.FUND,
    Column.NAME,
    Column.PROGRAMME,
    Column.AXIS,
    Column.AUTHORITY,
    Column.STATUS,
    Column.START,
    Column.END,
    Column.IMPLEMENTER,
    *_AMOUNTS,
)
_EXPECTED_HEADER = "a header row: " + ", ".join(COLUMN_LABELS[c] for c in _LAYOUT_2014)

_WS_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class BulkLayout:
    """The shape of a bulk list, read from its header.

    Attributes
    ----------
    columns:
        What each header position holds (``None`` for a column sotegraph does not read).
    period:
        ``"2014-2020"`` or ``"2007-2013"`` (``None`` if the header does not tell).
    delimiter:
        The field delimiter (``,``, ``;`` or a tab).
    terminator:
        Whether lines end in a record terminator ``;`` (the raw EURA export does this).
    header_line:
        1-based line number of the header.
    canonical:
        Whether the columns are in one of the two EURA orders (then rows whose cells
        spill over unquoted commas can be re-aligned).
    """

    columns: tuple[Column | None, ...]
    period: str | None
    delimiter: str
    terminator: bool
    header_line: int
    canonical: bool


def _header_key(cell: str) -> str:
    s = cell.strip().strip('"').strip().rstrip(";").strip().lstrip("\ufeff")
    return _WS_RE.sub(" ", s).casefold()


def read_layout(header: str, *, line: int = 1, source: str = "<bulk>") -> BulkLayout:
    """Read a bulk list's header line into a :class:`BulkLayout`.

    Raises
    ------
    InputError
        If the line is not a bulk-list header (no ``Koodi`` column, or no name column).

    Examples
    --------
    >>> lay = read_layout("Koodi,Rahasto,Projektin nimi,Ohjelma / osio,Tl,Viranomainen,"
    ...                   "Toiminnan tila,Aloituspvm,Päättymispvm,Toteuttajan nimi")
    >>> lay.period, lay.columns[3]
    ('2007-2013', <Column.PROGRAMME: 'programme'>)
    >>> read_layout("Nimi;Osoite")
    Traceback (most recent call last):
    ...
    sotegraph.errors.InputError: <bulk>:1: not a bulk project list: no Koodi column (expected a header row: Koodi, Rahasto, Hankkeen nimi, Tl, Viranomainen, Tila, Aloituspvm, Päättymispvm, Toteuttajan nimi, Myönnetty EU- ja valtion rahoitus, Toteutunut EU- ja valtion rahoitus, Suunniteltu julkinen rahoitus yhteensä, Toteutunut julkinen rahoitus yhteensä)
    """
    head = header.lstrip("\ufeff").rstrip()
    counts = {d: head.count(d) for d in (",", ";", "\t")}
    terminator = False
    if counts[","] and head.endswith(";") and counts[";"] == 1:
        terminator = True
        head = head[:-1]
        counts[";"] = 0
    delimiter = max(counts, key=lambda d: counts[d])
    if not counts[delimiter]:
        delimiter = ","
    try:
        cells = next(csv.reader([head], delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputError(
            f"header row cannot be read: {exc}", file=source, line=line, expected=_EXPECTED_HEADER
        ) from exc
    columns: list[Column | None] = [_HEADER_NAMES.get(_header_key(c)) for c in cells]
    if Column.CODE not in columns:
        raise InputError(
            "not a bulk project list: no Koodi column",
            file=source,
            line=line,
            expected=_EXPECTED_HEADER,
        )
    keys = {_header_key(c) for c in cells}
    if "projektin nimi" in keys or "toiminnan tila" in keys or Column.PROGRAMME in columns:
        period: str | None = PERIOD_2007
    elif "hankkeen nimi" in keys or "tila" in keys:
        period = PERIOD_2014
    else:
        period = None
    known = tuple(columns)
    return BulkLayout(
        columns=known,
        period=period,
        delimiter=delimiter,
        terminator=terminator,
        header_line=line,
        canonical=known in (_LAYOUT_2014, _LAYOUT_2007),
    )

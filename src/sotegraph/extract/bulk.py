"""Read EURA bulk project lists (CSV tables of ESR/EAKR projects) into :class:`Facts`.

Two column layouts are read, told apart by their header:

* 2014–2020: ``Koodi, Rahasto, Hankkeen nimi, Tl, Viranomainen, Tila, Aloituspvm,
  Päättymispvm, Toteuttajan nimi`` and four funding columns;
* 2007–2013: ``Koodi, Rahasto, Projektin nimi, Ohjelma / osio, Tl, Viranomainen,
  Toiminnan tila, Aloituspvm, Päättymispvm, Toteuttajan nimi`` and the same four.

Each row becomes a :class:`~sotegraph.facts.ProjectFact` (the same fields an EURA record
gives), its implementer (``Toteuttajan nimi``) an :class:`~sotegraph.facts.OrganisationFact`
with role ``LEAD`` and its authority (``Viranomainen``) one with role ``AUTHORITY``. An
empty implementer cell stays empty. Organisation names are kept as written (trimmed, with
``|`` restored to ``,``); the resolver canonicalises them.

Messy exports are repaired where the repair is unambiguous, and every repair and every
unreadable cell is reported as a warning naming the line and what was expected:

* a record terminator ``;`` at line ends (and stray empty fields before it), or misplaced
  inside a cell;
* whole lines wrapped in quotes, with broken inner quoting;
* commas inside names and authorities that were not quoted (the row is re-aligned on its
  anchors: the code and fund on the left, the status followed by two dates in the middle,
  the four amounts on the right);
* ``|`` standing for a comma;
* shifted cells: an amount in the start-date column (moved to an empty granted-funding
  cell), a date or a number where an amount or a name belongs (left empty).

A row that cannot be recovered (no valid project code, no recognisable structure, a
duplicate code) is reported and skipped. Nothing is lost silently: the result carries a
:class:`BulkStats` whose counts satisfy ``rows_read == projects_built + rows_reported``.

Snapshot dates: a bulk list is a snapshot; the end date and status it gives are recorded
as :class:`~sotegraph.facts.Observation` s dated with the snapshot date (see
:data:`KNOWN_SNAPSHOTS`), so that a newer EURA record can be preferred by queries.

A project in a bulk list and in an EURA record is one project: its key is its code, so
both documents name the same ``sgid:project/<code>``. Each document's claims stay in its
own named graph (nothing is overwritten); where they differ (end date, status), a query
prefers the record and falls back to the list, e.g.::

    OPTIONAL { GRAPH ?gr { ?gr sg:genre "eura-record" . ?p schema:endDate ?recEnd } }
    OPTIONAL { GRAPH ?gb { ?gb sg:genre "bulk-table" . ?p schema:endDate ?bulkEnd } }
    BIND(COALESCE(?recEnd, ?bulkEnd) AS ?end)

and between two lists, the one with the later snapshot date (``?gb dcterms:date``).

Examples
--------
>>> from sotegraph.read import Document
>>> text = (
...     "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
...     "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
...     "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä\\n"
...     "S20001,ESR,Koehanke | vaihe 2,5,Hämeen ELY-keskus,Toiminnassa,1.1.2015,31.12.2016,"
...     "Oulun yliopisto,1000,500.50,2000,900\\n"
... )
>>> facts = read_bulk(Document.from_text(text, source="lista.csv"))
>>> p = facts.projects[0]
>>> p.code, p.fund, p.programme_period, p.name, p.end
('S20001', 'ESR', '2014-2020', 'Koehanke, vaihe 2', datetime.date(2016, 12, 31))
>>> p.realised_eu_state
Decimal('500.50')
>>> [o.name for o in facts.organisations_with_role("S20001", Role.LEAD)]
['Oulun yliopisto']
>>> print(facts.stats)
lista.csv: 1 row read = 1 project built + 0 rows reported
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

from sotegraph.errors import InputError
from sotegraph.facts import (
    Facts,
    Observation,
    OrganisationFact,
    Participation,
    ProjectFact,
    Role,
    Severity,
    Span,
)
from sotegraph.read import Document, decode_text

__all__ = [
    "KNOWN_SNAPSHOTS",
    "BulkFacts",
    "BulkLayout",
    "BulkRow",
    "BulkStats",
    "Column",
    "RejectedRow",
    "RowNote",
    "iter_bulk_batches",
    "iter_bulk_rows",
    "parse_amount",
    "parse_finnish_date",
    "read_bulk",
    "read_layout",
]

PERIOD_2014 = "2014-2020"
PERIOD_2007 = "2007-2013"

#: Snapshot dates of the known EURA project lists, by :attr:`Document.id` (sha256 of the
#: normalised text). The 2014–2020 list (clean and raw export alike) is an autumn-2016
#: snapshot (its newest projects start on 2.1.2017; the source's ``publication_date:
#: 2014-11-1`` is wrong); it is dated 1.10.2016 here, to the month at best. The 2007–2013
#: list is dated 31.12.2015: the publication date its source gives, which is also the
#: latest end date in the file, where every project has ended or was interrupted.
KNOWN_SNAPSHOTS: dict[str, _dt.date] = {
    # fi_eura2014_projektilista_2016_clean.csv
    "aa4ea1058d9d280e3e7e97820d90873559046af31c5b24ecc11987c24d4bc0f2": _dt.date(2016, 10, 1),
    # fi_eura2014_projektilista_2016_original.csv
    "294707e1d25a4ecd0105b36260590f2353426136c7324f5d2d69c89a5900e87f": _dt.date(2016, 10, 1),
    # fi_eura2007_projektilista_2007-2013.csv
    "187594f0ab2f4f1139ead54a971aed42c052902f19de0e19a12835ad4697944f": _dt.date(2015, 12, 31),
}

#: Statuses meaning a project is over (used to infer a lower bound of an unknown snapshot).
ENDED_STATUSES = frozenset({"toiminta päättynyt", "päättynyt", "keskeytynyt", "suljettu"})


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

_FUNDS = {"ESR": "ESR", "ESF": "ESR", "EAKR": "EAKR", "ERDF": "EAKR", "EFRR": "EAKR"}
_FUND_BY_PREFIX = {"S": "ESR", "A": "EAKR"}

_HEADER_CODES = frozenset({"KOODI", "HANKEKOODI", "PROJEKTIKOODI"})
_CODE_RE = re.compile(r"[A-Z]{1,3}\d{3,12}")
_AXIS_RE = re.compile(r"\s*\d{1,2}\s*")
_DATE_RE = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*")
_ISO_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
_YEAR_RE = re.compile(r"\s*(19[89]\d|20[0-4]\d)\s*")
_AMOUNT_PLAIN = re.compile(r"-?\d+(?:[.,]\d+)?")
_AMOUNT_GROUPED = re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?")
_AMOUNT_GROUPED_EN = re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f,]\d{3})+(?:\.\d+)?")
_AMOUNT_STRIP = re.compile(r"(?:€|eur(?:oa)?)$", re.IGNORECASE)
_PIPE_RE = re.compile(r"\s*\|\s*")
_WS_RE = re.compile(r"\s+")
_RECORD_START = re.compile(r'\s*"?[A-Z]{1,3}\d{3,12}"?\s*[,;\t]')
_SURROGATE_RE = re.compile("[\udc80-\udcff]")

_MAX_PREAMBLE = 5  # lines above the header (a title, a note) that may be skipped
_MAX_RECORD_LINES = 20  # a quoted cell may span lines; give up on an open quote after this
_MAX_RECORD_CHARS = 100_000


# ---------------------------------------------------------------------------------------
# cell parsers


def parse_finnish_date(text: str) -> _dt.date | int | None:
    """Parse a Finnish date ``d.m.yyyy`` (or ISO ``yyyy-mm-dd``, or a bare year).

    Returns ``None`` for an empty cell; a bare year (1980–2049) is returned as an ``int``.

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
    if not text or text.isspace():
        return None
    m = _DATE_RE.fullmatch(text)
    if m:
        return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _ISO_RE.fullmatch(text)
    if m:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _YEAR_RE.fullmatch(text)
    if m:
        return int(m.group(1))
    raise ValueError(f"not a date: {text.strip()!r}")


def parse_amount(text: str) -> Decimal | None:
    """Parse an amount in euros: ``190859.38``, ``190 859,38``, ``1 504 960 €``, ``-744``.

    Returns ``None`` for an empty cell.

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
    ValueError: not an amount: '12 3x4'
    """
    s = text.strip()
    if not s:
        return None
    s = _AMOUNT_STRIP.sub("", s).strip()
    if _AMOUNT_PLAIN.fullmatch(s):
        return Decimal(s.replace(",", "."))
    if _AMOUNT_GROUPED.fullmatch(s):
        return Decimal(re.sub(r"[ \u00a0\u202f.]", "", s).replace(",", "."))
    if _AMOUNT_GROUPED_EN.fullmatch(s):
        return Decimal(re.sub(r"[ \u00a0\u202f,]", "", s))
    raise ValueError(f"not an amount: {text.strip()!r}")


_BLANK, _DATE, _AMOUNT, _TEXT = 0, 1, 2, 3
_FAST_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@functools.lru_cache(maxsize=65536)
def _kind(s: str) -> int:
    """Classify a cell: blank, date, amount or text (cached: cells repeat a lot)."""
    if not s or s.isspace():
        return _BLANK
    if _FAST_NUMBER.fullmatch(s):
        return _AMOUNT
    if _DATE_RE.fullmatch(s) or _ISO_RE.fullmatch(s):
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


# ---------------------------------------------------------------------------------------
# public result types


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


@dataclass(frozen=True, slots=True)
class RowNote:
    """A repair made, or a cell left empty, while reading one row."""

    message: str
    expected: str | None = None
    column: Column | None = None
    repaired: bool = False


@dataclass(slots=True)
class BulkRow:
    """One project row, with typed cells. ``notes`` lists what was repaired or unreadable."""

    line: int
    code: str
    period: str | None
    fund: str | None = None
    name: str | None = None
    programme: str | None = None
    priority_axis: str | None = None
    authority: str | None = None
    status: str | None = None
    start: _dt.date | int | None = None
    end: _dt.date | int | None = None
    implementer: str | None = None
    granted_eu_state: Decimal | None = None
    realised_eu_state: Decimal | None = None
    planned_public: Decimal | None = None
    realised_public: Decimal | None = None
    span: Span | None = None
    notes: list[RowNote] = field(default_factory=list)

    @property
    def repaired(self) -> bool:
        """Whether any repair (re-alignment, moved or dropped cell) was needed."""
        return any(n.repaired for n in self.notes)


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row that could not become a project: where, why, and what was expected."""

    line: int
    reason: str
    expected: str | None = None
    code: str | None = None
    duplicate_of: int | None = None


@dataclass(slots=True)
class BulkStats:
    """Counts of one bulk list: ``rows_read == projects_built + rows_reported``.

    Attributes
    ----------
    rows_read:
        Data rows (records) read, blank lines not counted.
    projects_built:
        Rows that became a project.
    rows_reported:
        Rows that did not, each reported with its line (``rejected + duplicates``).
    duplicates:
        Of those, rows repeating a code seen earlier in the file (the first is kept).
    rows_repaired:
        Projects built from a row that needed a repair (re-aligned or shifted cells).
    cells_unreadable:
        Cells left empty because their content could not be read (bad date, amount...).
    blank_lines:
        Empty lines skipped.
    by_fund:
        Projects built per fund (``"?"`` when the fund is unknown).
    """

    source: str
    period: str | None = None
    rows_read: int = 0
    projects_built: int = 0
    rows_reported: int = 0
    duplicates: int = 0
    rows_repaired: int = 0
    cells_unreadable: int = 0
    blank_lines: int = 0
    by_fund: dict[str, int] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        """Whether every row read is accounted for (built or reported)."""
        return self.rows_read == self.projects_built + self.rows_reported

    def summary(self) -> str:
        """The counts as one line, without the source (``str(stats)`` adds it)."""
        text = (
            f"{_count(self.rows_read, 'row')} read = {_count(self.projects_built, 'project')} "
            f"built + {_count(self.rows_reported, 'row')} reported"
        )
        extra = []
        if self.duplicates:
            extra.append(_count(self.duplicates, "duplicate code"))
        if self.rows_repaired:
            extra.append(_count(self.rows_repaired, "row") + " repaired")
        if self.cells_unreadable:
            extra.append(_count(self.cells_unreadable, "cell") + " unreadable")
        if extra:
            text += " (" + ", ".join(extra) + ")"
        return text

    def __str__(self) -> str:
        return f"{self.source}: {self.summary()}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


@dataclass(slots=True)
class BulkFacts(Facts):
    """:class:`~sotegraph.facts.Facts` of a bulk list, with its :class:`BulkStats`.

    Attributes
    ----------
    stats:
        Counts of the rows these facts come from (the whole file for :func:`read_bulk`,
        one batch for :func:`iter_bulk_batches`).
    total:
        Counts of the whole file: set on :func:`read_bulk`'s result and on the last batch.
    """

    stats: BulkStats | None = None
    total: BulkStats | None = None


# ---------------------------------------------------------------------------------------
# reading lines


def _text_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(line number, start offset, line)`` of a normalised text."""
    pos, n, size = 0, 1, len(text)
    while pos < size:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = size
        yield n, pos, text[pos:nl]
        pos, n = nl + 1, n + 1


def _detect_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(65536)
        more = fh.read(1)
    if more:
        cut = head.rfind(b"\n")
        if cut > 0:
            head = head[: cut + 1]
    _, encoding = decode_text(head, source=str(path))
    return encoding


def _file_lines(path: Path) -> Iterator[tuple[int, int, str]]:
    """Yield normalised lines of a file (offsets as in :func:`normalise_text` output)."""
    label = _detect_encoding(path)
    encoding = label.split("+")[0]
    try:
        codecs.lookup(encoding)
    except LookupError:
        # a repair the line-by-line reader cannot make (double-encoded UTF-8): read whole
        from sotegraph.read import read_document

        yield from _text_lines(read_document(path).text)
        return
    utf8 = encoding in {"utf-8", "utf-8-sig"}
    errors = "surrogateescape" if utf8 else "replace" if encoding == "cp1252" else "strict"
    pos, n = 0, 1
    try:
        with path.open("r", encoding=encoding, errors=errors, newline="") as fh:
            for raw in fh:
                line = raw.rstrip("\r\n")
                if n == 1:
                    line = line.lstrip("\ufeff")
                if not line.isascii():
                    if utf8 and _SURROGATE_RE.search(line):
                        # a line that is not UTF-8 in a file that starts as UTF-8: a
                        # Western single-byte line, as mixed exports have
                        raw_bytes = line.encode("utf-8", "surrogateescape")
                        line = raw_bytes.decode("cp1252", errors="replace")
                    line = unicodedata.normalize("NFC", line)
                yield n, pos, line
                pos += len(line) + 1
                n += 1
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot decode as {encoding}: {exc.reason}", file=path, line=n, expected="text"
        ) from exc


def _records(
    lines: Iterable[tuple[int, int, str]],
) -> Iterator[tuple[int, int, str, bool]]:
    """Join physical lines into records where a quoted cell spans lines.

    Yields ``(first line, start offset, record text, quote_open)``; ``quote_open`` is true
    when a quote was still open after the limits (the record is then the first line only).
    """
    it = iter(lines)
    pending: list[tuple[int, int, str]] = []
    while True:
        if pending:
            n, start, line = pending.pop(0)
        else:
            try:
                n, start, line = next(it)
            except StopIteration:
                return
        if line.count('"') % 2 == 0:
            yield n, start, line, False
            continue
        parts = [line]
        taken: list[tuple[int, int, str]] = []
        closed = False
        quotes = line.count('"')
        size = len(line)
        while len(taken) < _MAX_RECORD_LINES and size < _MAX_RECORD_CHARS:
            if pending:
                nxt = pending.pop(0)
            else:
                try:
                    nxt = next(it)
                except StopIteration:
                    break
            if _RECORD_START.match(nxt[2]):
                # the next line starts a new row: this line's quote is a stray one
                pending.insert(0, nxt)
                break
            taken.append(nxt)
            parts.append(nxt[2])
            size += len(nxt[2]) + 1
            quotes += nxt[2].count('"')
            if quotes % 2 == 0:
                closed = True
                break
        if closed:
            yield n, start, "\n".join(parts), False
        else:
            pending = taken + pending
            yield n, start, line, True


# ---------------------------------------------------------------------------------------
# header


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


# ---------------------------------------------------------------------------------------
# rows


def _dequote(cell: str) -> str:
    """Drop the quotes of a cell whose quoting is broken.

    A quote directly followed by a hyphen becomes a space (Finnish writes a quoted name in
    a hyphen compound as ``Musculo -hieronta``).
    """
    if '"' not in cell:
        return cell
    return re.sub(r'"+(?=-)', " ", cell).replace('"', "")


_K_AXIS, _K_NUMBER, _K_DATE, _K_STATUS = 1, 2, 3, 4
_POSITION_KIND: dict[Column, int] = {
    Column.AXIS: _K_AXIS,
    Column.GRANTED: _K_NUMBER,
    Column.REALISED_EU: _K_NUMBER,
    Column.PLANNED_PUBLIC: _K_NUMBER,
    Column.REALISED_PUBLIC: _K_NUMBER,
    Column.START: _K_DATE,
    Column.END: _K_DATE,
    Column.STATUS: _K_STATUS,
}


class _Reader:
    """Turns records of one bulk list into :class:`BulkRow` / :class:`RejectedRow`."""

    def __init__(self, layout: BulkLayout, source: str) -> None:
        self.layout = layout
        self.source = source
        self.width = len(layout.columns)
        self.seen: dict[str, int] = {}
        self.blank_lines = 0
        self._dates: dict[str, _dt.date | int | None] = {}
        self._amounts: dict[str, Decimal | None] = {}
        self._strings: dict[str, str] = {}
        self.preamble: list[int] = []
        self.kinds = tuple(_POSITION_KIND.get(c, 0) if c else 0 for c in layout.columns)

    def _shared(self, text: str | None) -> str | None:
        """One string object per distinct value of a low-variety column (status, authority)."""
        if text is None:
            return None
        if len(self._strings) < 50_000:
            return self._strings.setdefault(text, text)
        return text

    # -- splitting -----------------------------------------------------------------------

    def split(self, record: str, notes: list[RowNote]) -> list[str]:
        lay = self.layout
        line = record
        if lay.terminator:
            stripped = line.rstrip()
            if stripped.endswith(";"):
                line = stripped[:-1]
            elif line.count(";") == 1:
                line = line.replace(";", "", 1)
                notes.append(
                    RowNote(
                        "the export's line terminator ';' stood inside a cell; removed",
                        expected="';' at the end of the line",
                        repaired=True,
                    )
                )
        broken = False
        s = line.strip()
        if len(s) > 1 and s[0] == '"' and s[-1] == '"':
            try:
                cells = next(csv.reader([s], delimiter=lay.delimiter, strict=True), [])
            except csv.Error:
                cells = []
            if len(cells) == 1 and lay.delimiter in cells[0]:
                line = cells[0]
                broken = True
                notes.append(
                    RowNote(
                        "the whole line was quoted as one cell; unwrapped, stray quotes dropped",
                        expected="quotes around single cells only",
                        repaired=True,
                    )
                )
        if not broken:
            if '"' not in line:
                return line.split(lay.delimiter)
            try:
                return next(csv.reader([line], delimiter=lay.delimiter, strict=True), [])
            except csv.Error:
                notes.append(
                    RowNote(
                        "broken quoting; stray quotes dropped",
                        expected="quotes around whole cells, doubled inside",
                        repaired=True,
                    )
                )
        return [_dequote(c) for c in line.split(lay.delimiter)]

    # -- aligning ------------------------------------------------------------------------

    def _plausible(self, cells: list[str]) -> bool:
        """Whether cells mapped by header position look like a sound row."""
        for kind, cell in zip(self.kinds, cells, strict=False):
            if not kind:
                continue
            k = _kind(cell)
            if k == _BLANK:
                continue
            if kind == _K_AXIS:
                if not _AXIS_RE.fullmatch(cell):
                    return False
            elif kind in (_K_NUMBER, _K_DATE):
                if k == _TEXT:
                    return False
            elif kind == _K_STATUS and k != _TEXT:
                return False
        return True

    def align(self, cells: list[str], notes: list[RowNote]) -> dict[Column, str] | str:
        """Map cells to columns; return a reason string if the row cannot be aligned.

        A row with as many cells as the header is read by position (bad cells are then
        reported one by one). A row with more or fewer cells is read by position if, less
        its surplus empty cells, it fits and looks sound; else it is re-aligned on its
        anchors (EURA column orders only); else, if it fits, read by position.
        """
        cols = self.layout.columns
        width = self.width
        if len(cells) == width:
            return {c: v for c, v in zip(cols, cells, strict=True) if c is not None}
        fitted = list(cells)
        while len(fitted) > width and _is_blank(fitted[-1]):
            fitted.pop()
        short = width - len(fitted)
        padded = fitted + [""] * short if short >= 0 else []
        if padded and self._plausible(padded):
            return self._positional(padded, short, notes)
        if self.layout.canonical:
            anchored = self._anchor(cells, notes)
            if not isinstance(anchored, str) or not padded:
                return anchored
        if padded:
            return self._positional(padded, short, notes)
        return (
            f"{len(cells)} cells where the header has {width}, and the columns are not "
            "in an EURA order that could re-align them"
        )

    def _positional(self, padded: list[str], short: int, notes: list[RowNote]) -> dict[Column, str]:
        if short:
            notes.append(
                RowNote(
                    f"{len(padded) - short} cells where the header has {self.width}; the "
                    f"last {short} left empty",
                    expected=f"{self.width} cells",
                )
            )
        return {c: v for c, v in zip(self.layout.columns, padded, strict=True) if c is not None}

    def _anchor(self, cells: list[str], row_notes: list[RowNote]) -> dict[Column, str] | str:
        """Re-align a row whose cells spilled over unquoted commas (EURA orders only)."""
        notes: list[RowNote] = []
        f = list(cells)
        while f and _is_blank(f[-1]):
            f.pop()
        has_programme = self.layout.period == PERIOD_2007 and _C_PROGRAMME in self.layout.columns
        first_status = 5 if has_programme else 4
        status_at = -1
        for i in range(first_status, len(f) - 2):
            cell = f[i]
            if _is_blank(cell) or _is_amount(cell) or _is_date(cell):
                continue
            nxt, nxt2 = f[i + 1], f[i + 2]
            if (_is_blank(nxt) or _is_date(nxt) or _is_amount(nxt)) and (
                _is_blank(nxt2) or _is_date(nxt2)
            ):
                status_at = i
                break
        if status_at < 0:
            return (
                f"{len(cells)} cells where the header has {self.width}, and no status "
                "followed by a start and an end date was found to re-align them"
            )
        min_axis = 4 if has_programme else 3
        axis_at = -1
        for j in range(status_at - 1, min_axis - 1, -1):
            if _is_axis(f[j]):
                axis_at = j
                break
        if axis_at < 0:
            return (
                f"{len(cells)} cells where the header has {self.width}, and no priority axis "
                "(Tl) was found before the status to re-align them"
            )
        out: dict[Column, str] = {_C_CODE: f[0], _C_FUND: f[1]}
        if has_programme:
            out[_C_NAME] = ",".join(f[2 : axis_at - 1])
            out[_C_PROGRAMME] = f[axis_at - 1]
        else:
            out[_C_NAME] = ",".join(f[2:axis_at])
        out[_C_AXIS] = f[axis_at]
        out[_C_AUTHORITY] = ",".join(f[axis_at + 1 : status_at])
        out[_C_STATUS] = f[status_at]
        out[_C_START] = f[status_at + 1]
        out[_C_END] = f[status_at + 2]
        rest = f[status_at + 3 :]
        k = len(rest)
        while k > 0 and (
            _is_blank(rest[k - 1]) or _is_amount(rest[k - 1]) or _is_date(rest[k - 1])
        ):
            k -= 1
        names, money = rest[:k], rest[k:]
        if len(money) > 4:
            extra, money = money[:-4], money[-4:]
            if names and any(not _is_blank(e) for e in extra):
                names = names + extra
                notes.append(
                    RowNote(
                        "cells with numbers between the implementer's name and the amounts "
                        "were taken as part of the name",
                        expected="four amounts after the implementer",
                        column=_C_IMPLEMENTER,
                        repaired=True,
                    )
                )
            elif len(extra) > 1:
                return (
                    f"{len(money) + len(extra)} amount cells after the end date where "
                    "one implementer and four amounts belong"
                )
            else:
                names = extra
        elif len(money) < 4:
            notes.append(
                RowNote(
                    f"only {len(money)} amount cells after the implementer; the last "
                    f"{4 - len(money)} left empty",
                    expected="four amounts",
                    repaired=True,
                )
            )
            money = money + [""] * (4 - len(money))
        out[_C_IMPLEMENTER] = ",".join(names)
        for col, cell in zip(_AMOUNTS, money, strict=True):
            out[col] = cell
        spilled = [
            COLUMN_LABELS[c]
            for c in (_C_NAME, _C_AUTHORITY, _C_IMPLEMENTER)
            if self.layout.delimiter in out[c]
        ]
        what = ", ".join(spilled) if spilled else "cells"
        notes.append(
            RowNote(
                f"{len(cells)} cells where the header has {self.width}: re-aligned on the code, "
                f"status, dates and amounts (unquoted commas in: {what})",
                expected=f"{self.width} cells, commas inside cells quoted",
                repaired=True,
            )
        )
        row_notes.extend(notes)
        return out

    # -- typing --------------------------------------------------------------------------

    def _date(self, cell: str, col: Column, notes: list[RowNote]) -> _dt.date | int | None:
        try:
            return self._dates[cell]
        except KeyError:
            pass
        try:
            value = parse_finnish_date(cell)
        except ValueError as exc:
            notes.append(
                RowNote(
                    f"{COLUMN_LABELS[col]} {cell.strip()!r} is not a date ({exc}); left empty",
                    expected="a date d.m.yyyy, e.g. 31.12.2016",
                    column=col,
                )
            )
            return None
        if len(self._dates) < 100_000:
            self._dates[cell] = value
        return value

    def _amount(self, cell: str, col: Column, notes: list[RowNote]) -> Decimal | None:
        try:
            return self._amounts[cell]
        except KeyError:
            pass
        try:
            if _FAST_NUMBER.fullmatch(cell):
                value: Decimal | None = Decimal(cell)
            else:
                value = parse_amount(cell)
        except (ValueError, InvalidOperation):
            what = "a date" if _is_date(cell) else "not an amount"
            notes.append(
                RowNote(
                    f"{COLUMN_LABELS[col]} {cell.strip()!r} is {what}; left empty",
                    expected="an amount in euros, e.g. 190859.38",
                    column=col,
                )
            )
            return None
        if len(self._amounts) < 100_000:
            self._amounts[cell] = value
        return value

    def row(
        self, n: int, start: int, record: str, quote_open: bool
    ) -> BulkRow | RejectedRow | None:
        if not record.strip() or not record.strip(" ,;\t\"'"):
            self.blank_lines += 1
            return None
        notes: list[RowNote] = []
        if quote_open:
            notes.append(
                RowNote(
                    "a quote opened on this line is never closed; read as one line",
                    expected="a closing quote",
                    repaired=True,
                )
            )
        cells = self.split(record, notes)
        aligned = self.align(cells, notes)
        if isinstance(aligned, str):
            code_guess = cells[0].strip() if cells else None
            return RejectedRow(n, aligned, expected=_EXPECTED_HEADER, code=code_guess or None)
        code = aligned.get(_C_CODE, "").strip().strip('"').upper()
        if code in _HEADER_CODES:
            return RejectedRow(
                n,
                "the header row again (two lists joined?)",
                expected="one header, at the top",
            )
        if not code:
            return RejectedRow(n, "no project code", expected="a code such as S21259 or A70185")
        if not _CODE_RE.fullmatch(code):
            return RejectedRow(
                n,
                f"project code {code[:40]!r} is not a code",
                expected="a code such as S21259 or A70185",
                code=code[:40],
            )
        first = self.seen.get(code)
        if first is not None:
            return RejectedRow(
                n,
                f"duplicate code {code} (first on line {first}; the first row is kept)",
                expected="each code once",
                code=code,
                duplicate_of=first,
            )
        self.seen[code] = n
        end_offset = start + len(record)
        row = BulkRow(line=n, code=code, period=self.layout.period, notes=notes)
        row.span = Span(start, end_offset, n)
        self._fill(row, aligned)
        return row

    def _fill(self, row: BulkRow, cells: dict[Column, str]) -> None:
        notes = row.notes
        texts = {c: _clean_text(cells[c]) for c in _TEXTS if c in cells}
        row.name = texts.get(_C_NAME) or None
        share = self._shared
        row.programme = share(texts.get(_C_PROGRAMME) or None)
        row.authority = share(texts.get(_C_AUTHORITY) or None)
        row.status = share(texts.get(_C_STATUS) or None)
        axis = cells.get(_C_AXIS, "").strip()
        row.priority_axis = share(axis or None)
        if axis and not _is_axis(axis):
            notes.append(
                RowNote(
                    f"Tl {axis!r} is not a priority-axis number; kept as written",
                    expected="a number such as 2",
                    column=_C_AXIS,
                )
            )
        fund_cell = cells.get(_C_FUND, "").strip().upper()
        fund = _FUNDS.get(fund_cell)
        by_code = _FUND_BY_PREFIX.get(row.code[0])
        if fund is None:
            fund = by_code
            notes.append(
                RowNote(
                    f"Rahasto {fund_cell!r} is not a fund"
                    + (f"; {by_code} taken from the code {row.code}" if by_code else ""),
                    expected="ESR or EAKR",
                    column=_C_FUND,
                    repaired=by_code is not None,
                )
            )
        elif by_code is not None and by_code != fund:
            notes.append(
                RowNote(
                    f"fund {fund} does not match the code {row.code} (codes starting "
                    f"{row.code[0]} are {by_code}); kept as written",
                    expected=f"{by_code} for a code starting {row.code[0]}",
                    column=_C_FUND,
                )
            )
        row.fund = fund

        start_cell = cells.get(_C_START, "")
        granted_cell = cells.get(_C_GRANTED, "")
        if (
            not _is_blank(start_cell)
            and not _is_date(start_cell)
            and _is_blank(granted_cell)
            and _is_amount(start_cell)
        ):
            notes.append(
                RowNote(
                    f"an amount {start_cell.strip()!r} stood in the start-date column and the "
                    "granted-funding cell was empty: moved there, start date left empty",
                    expected="a date d.m.yyyy in Aloituspvm",
                    column=_C_START,
                    repaired=True,
                )
            )
            granted_cell, start_cell = start_cell, ""
        row.start = self._date(start_cell, _C_START, notes)
        row.end = self._date(cells.get(_C_END, ""), _C_END, notes)
        if (
            isinstance(row.start, _dt.date)
            and isinstance(row.end, _dt.date)
            and row.end < row.start
        ):
            notes.append(
                RowNote(
                    f"end date {_fi(row.end)} is before the start date {_fi(row.start)}; both kept",
                    expected="an end date on or after the start date",
                    column=_C_END,
                )
            )
        row.granted_eu_state = self._amount(granted_cell, _C_GRANTED, notes)
        row.realised_eu_state = self._amount(cells.get(_C_REALISED_EU, ""), _C_REALISED_EU, notes)
        row.planned_public = self._amount(
            cells.get(_C_PLANNED_PUBLIC, ""), _C_PLANNED_PUBLIC, notes
        )
        row.realised_public = self._amount(
            cells.get(_C_REALISED_PUBLIC, ""), _C_REALISED_PUBLIC, notes
        )
        implementer = texts.get(_C_IMPLEMENTER) or None
        if implementer is not None and (_is_amount(implementer) or _is_date(implementer)):
            notes.append(
                RowNote(
                    f"Toteuttajan nimi {implementer!r} is a number, not a name (a shifted "
                    "cell); left empty",
                    expected="the implementing organisation's name",
                    column=_C_IMPLEMENTER,
                    repaired=True,
                )
            )
            implementer = None
        row.implementer = implementer


def _open_lines(
    source: str | os.PathLike[str] | Document,
) -> tuple[Iterator[tuple[int, int, str]], str]:
    if isinstance(source, Document):
        return _text_lines(source.text), source.source
    path = Path(source)
    try:
        if not path.is_file():
            raise InputError("no such file", file=path, expected="a CSV file")
    except OSError as exc:  # pragma: no cover - odd file systems
        raise InputError(f"file cannot be read: {exc}", file=path) from exc
    return _file_lines(path), str(path)


def _iter(
    lines: Iterator[tuple[int, int, str]], source: str
) -> tuple[_Reader | None, Iterator[BulkRow | RejectedRow]]:
    records = _records(lines)
    reader: _Reader | None = None
    skipped: list[int] = []
    first_error: InputError | None = None
    for n, _start, record, _open in records:
        if not record.strip():
            continue
        try:
            layout = read_layout(record, line=n, source=source)
        except InputError as exc:
            # a title or note above the header: look a few lines further, then give up
            first_error = first_error or exc
            skipped.append(n)
            if len(skipped) >= _MAX_PREAMBLE:
                raise first_error from None
            continue
        reader = _Reader(layout, source)
        reader.preamble = skipped
        break
    if reader is None:
        if first_error is not None:
            raise first_error
        return None, iter(())

    def rows(rd: _Reader) -> Iterator[BulkRow | RejectedRow]:
        for n, start, record, quote_open in records:
            item = rd.row(n, start, record, quote_open)
            if item is not None:
                yield item

    return reader, rows(reader)


def iter_bulk_rows(source: str | os.PathLike[str] | Document) -> Iterator[BulkRow | RejectedRow]:
    """Stream the rows of a bulk list, one at a time (for files of any size).

    Parameters
    ----------
    source:
        A CSV file path (read line by line; the encoding is detected from its start), or a
        :class:`~sotegraph.read.Document`.

    Yields
    ------
    BulkRow or RejectedRow
        A typed project row (with notes on repairs and unreadable cells), or a row that
        could not be read (with its line and why). Blank lines yield nothing.

    Raises
    ------
    InputError
        If the file cannot be read or its first line is not a bulk-list header.

    Examples
    --------
    >>> from sotegraph.read import Document
    >>> doc = Document.from_text("Koodi,Rahasto,Hankkeen nimi\\nS20001,ESR,A\\nS20001,ESR,B\\n",
    ...                          source="t.csv")
    >>> [type(r).__name__ for r in iter_bulk_rows(doc)]
    ['BulkRow', 'RejectedRow']
    """
    lines, name = _open_lines(source)
    _, rows = _iter(lines, name)
    yield from rows


def _infer_snapshot(projects: list[ProjectFact]) -> _dt.date | None:
    """Latest end date, if every project has ended (a lower bound of the snapshot date)."""
    latest: _dt.date | None = None
    for p in projects:
        if not p.status or p.status.casefold() not in ENDED_STATUSES:
            return None
        if isinstance(p.end, _dt.date) and (latest is None or p.end > latest):
            latest = p.end
    return latest


def read_bulk(
    document: Document,
    *,
    snapshot: _dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BulkFacts:
    """Read a bulk project list into facts: one project per row.

    Parameters
    ----------
    document:
        The CSV document (genre ``bulk-table``). Its text is read line by line.
    snapshot:
        The date the list was taken. Default: :data:`KNOWN_SNAPSHOTS` by document id, else
        the latest end date when every project has ended, else unknown (observations are
        then undated, with an ``Info`` warning).
    progress:
        Called as ``progress(rows_done, rows_expected)`` every 1,000 rows and at the end
        (``rows_expected`` counts the lines after the header, so it may be a little high).

    Returns
    -------
    BulkFacts
        Facts with ``stats`` (:class:`BulkStats`). Each repair, unreadable cell and
        unread row is also a warning naming its line; the last warning (``Info``) repeats
        the counts.

    Raises
    ------
    InputError
        If the first line is not a bulk-list header.

    Examples
    --------
    >>> from sotegraph.read import Document
    >>> text = ("Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
    ...         "Toteuttajan nimi,a,b,c,d\\n"
    ...         "S20002,ESR,X,5,STM,Toiminnassa,31.2.2020,1.1.2021,,1,2,3,4\\n")
    >>> facts = read_bulk(Document.from_text(text, source="t.csv"))
    >>> facts.projects[0].start is None, facts.organisations_with_role("S20002", Role.LEAD)
    (True, [])
    >>> print(facts.warnings[0])
    t.csv:2: Aloituspvm '31.2.2020' is not a date (day is out of range for month); left empty (expected a date d.m.yyyy, e.g. 31.12.2016)
    """
    return next(_batches(document, snapshot=snapshot, batch_size=None, progress=progress))


def iter_bulk_batches(
    document: Document,
    *,
    batch_size: int = 20_000,
    snapshot: _dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[BulkFacts]:
    """Read a bulk list as a sequence of :class:`BulkFacts`, ``batch_size`` rows each.

    For very large lists: each batch can be turned into RDF and stored before the next is
    read. Every batch has the document's id and source; duplicate codes are detected across
    batches; each batch's ``stats`` counts its own rows and the last batch's also carries
    the totals (``last.stats`` is for the batch, ``last.total`` for the file). The snapshot
    date is taken from ``snapshot`` or :data:`KNOWN_SNAPSHOTS` (not inferred).

    Raises
    ------
    InputError
        If the first line is not a bulk-list header.
    ValueError
        If ``batch_size`` is not positive.

    Examples
    --------
    >>> from sotegraph.read import Document
    >>> rows = "\\n".join(f"S2{i:04d},ESR,Hanke {i}" for i in range(5))
    >>> doc = Document.from_text("Koodi,Rahasto,Hankkeen nimi\\n" + rows, source="t.csv")
    >>> [len(b.projects) for b in iter_bulk_batches(doc, batch_size=2)]
    [2, 2, 1]
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    yield from _batches(document, snapshot=snapshot, batch_size=batch_size, progress=progress)


def _batches(
    document: Document,
    *,
    snapshot: _dt.date | None,
    batch_size: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[BulkFacts]:
    reader, rows = _iter(_text_lines(document.text), document.source)
    expected = 0
    if progress is not None:
        text = document.text
        expected = max(0, text.count("\n") + (0 if text.endswith("\n") else 1) - 1)
    period = reader.layout.period if reader else None
    total = BulkStats(source=document.source, period=period)
    known = snapshot or KNOWN_SNAPSHOTS.get(document.id)
    iso: dict[_dt.date, str] = {}

    def new_batch() -> BulkFacts:
        facts = BulkFacts(document_id=document.id, source=document.source, genre="bulk-table")
        facts.stats = BulkStats(source=document.source, period=period)
        return facts

    def finish(facts: BulkFacts, last: bool) -> BulkFacts:
        stats = facts.stats
        assert stats is not None
        observed = known
        if observed is None and batch_size is None:
            observed = _infer_snapshot(facts.projects)
        if observed is None and facts.projects:
            facts.warn(
                "snapshot date of this list unknown: its end dates and statuses are undated "
                "observations",
                expected="read_bulk(..., snapshot=date)",
                severity=Severity.INFO,
            )
        for p in facts.projects:
            if p.end is not None:
                if isinstance(p.end, _dt.date):
                    value = iso.get(p.end)
                    if value is None:
                        value = iso[p.end] = p.end.isoformat()
                else:
                    value = str(p.end)
                p.observations.append(Observation("end", value, observed))
            if p.status:
                p.observations.append(Observation("status", p.status, observed))
        if last:
            stats.blank_lines = total.blank_lines = reader.blank_lines if reader else 0
            facts.total = total
        facts.warn(stats.summary(), severity=Severity.INFO)
        if last and batch_size is not None:
            facts.warn("whole file: " + total.summary(), severity=Severity.INFO)
        return facts

    facts = new_batch()
    for n in reader.preamble if reader else ():
        facts.warn(
            "line above the header skipped (not a header, not a row)",
            line=n,
            expected="the header row first",
        )
    orgs: dict[str, str] = {}
    for item in rows:
        stats = facts.stats
        assert stats is not None
        for st in (stats, total):
            st.rows_read += 1
        if isinstance(item, RejectedRow):
            for st in (stats, total):
                st.rows_reported += 1
                if item.duplicate_of is not None:
                    st.duplicates += 1
            facts.warn(f"row not read: {item.reason}", line=item.line, expected=item.expected)
        else:
            _add_row(facts, item, orgs, (stats, total))
        if progress is not None and total.rows_read % 1000 == 0:
            progress(total.rows_read, max(expected, total.rows_read))
        if batch_size is not None and stats.rows_read >= batch_size:
            yield finish(facts, last=False)
            facts, orgs = new_batch(), {}
    if progress is not None:
        progress(total.rows_read, total.rows_read)
    yield finish(facts, last=True)


def _add_row(
    facts: BulkFacts, item: BulkRow, orgs: dict[str, str], counters: tuple[BulkStats, ...]
) -> None:
    warn = facts.warn
    unreadable = 0
    for note in item.notes:
        if not note.repaired:
            unreadable += 1
        warn(
            note.message,
            line=item.line,
            expected=note.expected,
            severity=Severity.INFO if note.repaired else Severity.WARNING,
            field=note.column.value if note.column else None,
        )
    repaired = item.repaired
    fund = item.fund or "?"
    for st in counters:
        st.cells_unreadable += unreadable
        st.rows_repaired += repaired
        st.projects_built += 1
        st.by_fund[fund] = st.by_fund.get(fund, 0) + 1
    facts.projects.append(
        ProjectFact(
            key=item.code,
            name=item.name,
            code=item.code,
            span=item.span,
            fund=item.fund,
            programme_period=item.period,
            programme=item.programme,
            priority_axis=item.priority_axis,
            start=item.start,
            end=item.end,
            status=item.status,
            granted_eu_state=item.granted_eu_state,
            realised_eu_state=item.realised_eu_state,
            planned_public=item.planned_public,
            realised_public=item.realised_public,
            source_line=item.line,
        )
    )
    for name, role, role_text in (
        (item.implementer, Role.LEAD, "Toteuttajan nimi"),
        (item.authority, Role.AUTHORITY, "Viranomainen"),
    ):
        if not name:
            continue
        key = orgs.get(name)
        if key is None:
            key = orgs[name] = f"org-{len(orgs) + 1}"
            facts.organisations.append(OrganisationFact(key=key, name=name, span=item.span))
        facts.participations.append(
            Participation(
                project=item.code,
                organisation=key,
                role=role,
                span=item.span,
                role_text=role_text,
            )
        )

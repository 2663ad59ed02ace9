"""Reading the rows of a bulk list: each record becomes a typed :class:`BulkRow` (with notes
on what was repaired or unreadable) or a :class:`RejectedRow` saying why it is not a project.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation

from sotegraph.extract.bulk.cells import (
    _CODE_RE,
    _FAST_NUMBER,
    _FUND_BY_PREFIX,
    _FUNDS,
    _HEADER_CODES,
    _clean_text,
    _fi,
    _is_amount,
    _is_axis,
    _is_blank,
    _is_date,
    parse_amount,
    parse_finnish_date,
)
from sotegraph.extract.bulk.columns import (
    _C_AUTHORITY,
    _C_AXIS,
    _C_CODE,
    _C_END,
    _C_FUND,
    _C_GRANTED,
    _C_IMPLEMENTER,
    _C_NAME,
    _C_PLANNED_PUBLIC,
    _C_PROGRAMME,
    _C_REALISED_EU,
    _C_REALISED_PUBLIC,
    _C_START,
    _C_STATUS,
    _EXPECTED_HEADER,
    _TEXTS,
    COLUMN_LABELS,
    BulkLayout,
    Column,
)
from sotegraph.extract.bulk.rows import BulkRow, RejectedRow, RowNote, _Aligner
from sotegraph.facts import Span

__all__: list[str] = []


class _Reader(_Aligner):
    """Turns records of one bulk list into :class:`BulkRow` / :class:`RejectedRow`."""

    def __init__(self, layout: BulkLayout, source: str) -> None:
        super().__init__(layout)
        self.source = source
        self.seen: dict[str, int] = {}
        self.blank_lines = 0
        self._dates: dict[str, _dt.date | int | None] = {}
        self._amounts: dict[str, Decimal | None] = {}
        self._strings: dict[str, str] = {}
        self.preamble: list[int] = []

    def _shared(self, text: str | None) -> str | None:
        """One string object per distinct value of a low-variety column (status, authority)."""
        if text is None:
            return None
        if len(self._strings) < 50_000:
            return self._strings.setdefault(text, text)
        return text

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

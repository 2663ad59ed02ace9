"""Rows of a bulk list: the row types (:class:`BulkRow`, :class:`RejectedRow`, the
:class:`RowNote` of a repair), and splitting a record into cells and mapping them to columns,
re-aligning rows whose cells spilled over unquoted commas.
"""

from __future__ import annotations

import csv
import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal

from sotegraph.extract.bulk.cells import (
    _AXIS_RE,
    _BLANK,
    _TEXT,
    _dequote,
    _is_amount,
    _is_axis,
    _is_blank,
    _is_date,
    _kind,
)
from sotegraph.extract.bulk.columns import (
    _AMOUNTS,
    _C_AUTHORITY,
    _C_AXIS,
    _C_CODE,
    _C_END,
    _C_FUND,
    _C_IMPLEMENTER,
    _C_NAME,
    _C_PROGRAMME,
    _C_START,
    _C_STATUS,
    COLUMN_LABELS,
    PERIOD_2007,
    BulkLayout,
    Column,
)
from sotegraph.facts import Span

__all__ = ["BulkRow", "RejectedRow", "RowNote"]


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


class _Aligner:
    """Splits the records of one bulk list into cells and maps the cells to its columns."""

    def __init__(self, layout: BulkLayout) -> None:
        self.layout = layout
        self.width = len(layout.columns)
        self.kinds = tuple(_POSITION_KIND.get(c, 0) if c else 0 for c in layout.columns)

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

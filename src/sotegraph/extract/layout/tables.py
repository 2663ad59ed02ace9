"""Tables of projects and of a project's organisations.

- **Pipe tables** (``Koodi | Hanke | Toteuttaja | Aika``, with or without edge pipes):
  the header names the columns; a row whose cells wrap over several lines is joined (a word
  hyphenated at a break rejoined); one record per row.
- **Role tables** of reports (``Toteuttaja   Rooli   Budjetti €``), columns split by
  spaces: each row's organisation takes the role its row names (``päätoteuttaja``,
  ``osatoteuttaja``, ``(päätoteuttaja)`` after the name); the total row ends the table.
"""

from __future__ import annotations

import re

from sotegraph.extract.layout.clean import RULE, dehyphen_keeps
from sotegraph.extract.layout.fields import add_org, set_field
from sotegraph.extract.layout.model import ReadState, Record, clean_name
from sotegraph.facts import Role

__all__ = ["header_map", "is_role_table", "is_table", "read_role_table", "read_table"]

_HEAD_WORDS = {
    "code": re.compile(r"^(koodi|hankekoodi|projektikoodi)$", re.I),
    "name": re.compile(r"^(hanke|hankkeen nimi|projekti|projektin nimi|nimi)$", re.I),
    "lead": re.compile(r"^(toteuttaja|hallinnoija|päätoteuttaja|hakija)$", re.I),
    "authority": re.compile(r"^(rahoittava viranomainen|vastuuviranomainen|viranomainen)$", re.I),
    "period": re.compile(r"^(aika|toteutusaika|kesto)$", re.I),
    "start": re.compile(r"^(alkaa|alkamispäivä\w*)$", re.I),
    "end": re.compile(r"^(päättyy|päättymispäivä\w*)$", re.I),
    "granted": re.compile(r"^(eu\+valtio.*|myönnetty.*)$", re.I),
    "planned": re.compile(r"^(julkinen.*|suunniteltu julkinen.*)$", re.I),
}
_HEAD_NOTE = re.compile(r"\s*\(.*?\)\s*")
_SEPARATOR_ROW = re.compile(r"^[\s|:+-]+$")
_ROLE_CELL = re.compile(r"^(päätoteuttaja|osatoteuttaja|hallinnoija|yhteistyökumppani)$", re.I)
_COLUMN_GAP = re.compile(r"\s{2,}")
_ROW_BELOW = re.compile(r"\S\s{2,}\S")
_DASH_RULE = re.compile(r"^\s*-{5,}")
_CELL = re.compile(r"\S+(?: \S+)*")
_TOTAL = re.compile(r"^(yhteensä|total|summa)", re.I)
_ROLE_AFTER_NAME = re.compile(r"\s*\((päätoteuttaja|hallinnoija|osatoteuttaja)\)", re.I)


def _cells(text: str, edged: bool | None = None) -> list[tuple[str, int]]:
    """The cells of a pipe-table line: ``(text, offset in the line)``."""
    if edged is None:
        edged = text.strip().startswith("|")
    out: list[tuple[str, int]] = []
    pos = 0
    for p in text.split("|"):
        lead = len(p) - len(p.lstrip())
        out.append((p.strip(), pos + lead))
        pos += len(p) + 1
    if edged:
        out = out[1:]
    if edged and text.strip().endswith("|"):
        out = out[:-1]
    return out


def header_map(text: str) -> dict[int, str] | None:
    """The columns a pipe-table header names: column index → field kind.

    Parameters
    ----------
    text:
        A line.

    Returns
    -------
    dict or None
        The kinds of the columns named (each kind once); ``None`` unless the line is a
        header naming a project name and its implementer or code.

    Examples
    --------
    >>> header_map("Koodi | Hanke | Toteuttaja | Aika")
    {0: 'code', 1: 'name', 2: 'lead', 3: 'period'}
    >>> header_map("Asuminen | Kulttuuri | Liikenne") is None
    True
    """
    if text.count("|") < 2:
        return None
    cols: dict[int, str] = {}
    for k, (c, _o) in enumerate(_cells(text)):
        c2 = _HEAD_NOTE.sub("", c).strip()
        for kind, pat in _HEAD_WORDS.items():
            if pat.match(c2) and kind not in cols.values():
                cols[k] = kind
                break
    if "name" in cols.values() and ("lead" in cols.values() or "code" in cols.values()):
        return cols
    return None


def is_table(state: ReadState, i: int) -> bool:
    """Whether line ``i`` is the header of a pipe table of projects.

    Parameters
    ----------
    state:
        The reader's state.
    i:
        The index of the line.

    Returns
    -------
    bool
        ``True`` when :func:`header_map` reads the line as a header.
    """
    return header_map(state.lines[i][2]) is not None


def _join_cell(prev: str, c: str) -> str:
    if prev.endswith("-") and not dehyphen_keeps(prev[:-1], c):
        return prev[:-1] + c
    if prev.endswith("-"):
        return prev + c
    return prev + " " + c


def read_table(state: ReadState, i: int) -> int:
    """Read the pipe table whose header is line ``i``: one record per row.

    Parameters
    ----------
    state:
        The reader's state; the rows' records are added to it.
    i:
        The index of the header line.

    Returns
    -------
    int
        The index of the line after the table.
    """
    lines = state.lines
    cols = header_map(lines[i][2]) or {}
    edged = lines[i][2].strip().startswith("|")
    first_kind = cols.get(0)
    j = i + 1
    rows: list[dict[str, list[str | int]]] = []
    while j < len(lines):
        a, _b, t = lines[j]
        if not t.strip():
            break
        if _SEPARATOR_ROW.match(t):
            j += 1
            continue
        if t.count("|") < 2:
            break
        cells = _cells(t, edged)
        new_row = (
            not rows
            or (cells and cells[0][0] and first_kind == "code")
            or (
                first_kind != "code"
                and cells
                and cells[0][0]
                and (len(cells) > 1 and any(c for c, _o in cells[1:]))
                and not cells[0][0][:1].islower()
            )
        )
        if new_row:
            rows.append({})
        row = rows[-1]
        for k, (c, o) in enumerate(cells):
            kind = cols.get(k)
            if not kind or not c:
                continue
            if kind not in row:
                row[kind] = [c, a + o]
            else:
                row[kind][0] = _join_cell(str(row[kind][0]), c)
        j += 1
    for row in rows:
        if "name" not in row:
            continue
        name, aliases = clean_name(str(row["name"][0]))
        n0 = int(row["name"][1])
        rec = Record("row", name, (n0, n0 + len(name)), None, aliases)
        rec.line = i
        for kind, (val, off) in row.items():
            if kind == "name":
                continue
            set_field(rec, kind, str(val), int(off), kind)
        state.records.append(rec)
    return j


def is_role_table(state: ReadState, i: int) -> bool:
    """Whether line ``i`` is the header of a role table (``Toteuttaja   Rooli …``).

    Parameters
    ----------
    state:
        The reader's state.
    i:
        The index of the line.

    Returns
    -------
    bool
        ``True`` when the line's first column is ``Toteuttaja…`` and no column is of funders.
    """
    t = state.lines[i][2]
    cells = [c.lower() for c in _COLUMN_GAP.split(t.strip())]
    return len(cells) >= 2 and cells[0].startswith("toteuttaja") and "rahoittaja" not in t


def read_role_table(state: ReadState, i: int) -> int:
    """Read the role table whose header is line ``i``; its organisations are the page's.

    Parameters
    ----------
    state:
        The reader's state.
    i:
        The index of the header line.

    Returns
    -------
    int
        The index of the line after the table.
    """
    lines = state.lines
    j = i + 1
    rows: list[tuple[str, int, Role | None]] = []
    while j < len(lines):
        a, _b, t = lines[j]
        if not t.strip():
            nxt = lines[j + 1][2] if j + 1 < len(lines) else ""
            if _ROW_BELOW.search(nxt.strip()):
                j += 1
                continue
            break
        if RULE.match(t) or _DASH_RULE.match(t):
            j += 1
            continue
        cells = [(c.group(0), c.start()) for c in _CELL.finditer(t)]
        if not cells:
            break
        name, off = cells[0]
        if _TOTAL.match(name):
            j += 1
            break  # the total row ends the table
        role: Role | None = None
        pm = _ROLE_AFTER_NAME.search(name)
        if pm:
            role = Role.LEAD if pm.group(1).lower() != "osatoteuttaja" else Role.PARTNER
            name = name[: pm.start()]
        for c, _o in cells[1:]:
            if _ROLE_CELL.match(c):
                role = (
                    Role.LEAD
                    if c.lower() in ("päätoteuttaja", "hallinnoija")
                    else (Role.PARTNER if c.lower() == "osatoteuttaja" else Role.COLLABORATOR)
                )
        rows.append((name, a + off, role))
        j += 1
    if rows and any(r is not None for _n, _o, r in rows):
        for name, off, role in rows:
            add_org(state.page, role or Role.PARTNER, name, off, "toteuttaja")
    return j

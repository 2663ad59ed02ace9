"""Labelled fields and application forms: ``Label: value``, two columns, a label above.

A field belongs to the list item or labelled block it is in, else to the page. A label
alone on its line takes the lines below it (until a blank line) as its value; a two-column
form's value continues on lines indented to the value column, and a label wrapped over two
lines (``Rahoittava viran-`` / ``omainen``) is joined. Also here: a project in brackets
(``Nimi -hanketta (A12345, Org Oy, 1.1.2016–31.12.2017)``) and the code and period on a
report's cover line.
"""

from __future__ import annotations

import re

from sotegraph.extract.layout.clean import dehyphen_keeps
from sotegraph.extract.layout.labels import (
    CODE,
    CODE_INLINE,
    COLON_ONLY,
    LABEL_LINE,
    LABELS,
    PERIOD_INLINE,
    label_of,
)
from sotegraph.extract.layout.model import Org, ReadState, Record, clean_name
from sotegraph.extract.layout.orgs import BID, fund_name, is_authority, split_organisations
from sotegraph.facts import Role
from sotegraph.values import find_amount, find_date, find_period

__all__ = ["add_org", "paren_records", "read_inline", "read_label", "set_field"]

_NAME_CODE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[SA]\d{5})\)\s*[.:]?\s*(?P<rest>.*)$")
_NESTED_ROLE = re.compile(r"^(päätoteuttaja|hallinnoija|osatoteuttaja)", re.I)
_WRAPPED_LABEL = re.compile(r"^(?P<l>\S[^\n]*?-)[ \t]{2,}(?P<v>\S.*)$")
_WRAPPED_REST = re.compile(r"^(?P<l>\S+)[ \t]{2,}(?P<v>\S.*)$")
_TABLE_HEADER = re.compile(r"\bnimi\b.*\bY-tunnus\b", re.I)
_CELL = re.compile(r"\S+(?: \S+)*")
_COLUMN_GAP = re.compile(r"\s{2,}")
_ROLE_OF_KIND = {
    "lead": Role.LEAD,
    "partner": Role.PARTNER,
    "collaborator": Role.COLLABORATOR,
    "funder": Role.FUNDER,
    "authority": Role.AUTHORITY,
}
_PAREN_RECORD = re.compile(
    r"(?P<pre>[^\n.;]{0,160}?)\s+-(?:hanke|hanketta|hankkeen|hankkeeseen|projekti\w*)\s+"
    r"\((?P<code>[SA]\d{5}),\s*(?P<org>[A-ZÅÄÖ][^,()]{2,80}),\s*(?P<period>[^,()]{6,40})"
)
#: what every project in brackets has: a cheap test before :data:`_PAREN_RECORD`, whose
#: lazy name prefix makes a scan of the whole text slow
_PAREN_ANCHOR = re.compile(r"-(?:hanke|hanketta|hankkeen|hankkeeseen|projekti\w*)\s+\([SA]\d{5},")
_WORD = re.compile(r"\S+")


def add_org(rec: Record, role: Role, value: str, v0: int, cue: str) -> None:
    """Add the organisations a value names to a record, with ``role``.

    A role word after a name (``…, hallinnoija``) overrides ``role``. Among funders, an EU
    fund gets its canonical name and a regional body (ELY-keskus, a regional council) is
    the funding authority; a funder value naming a fund anywhere (``…:n ESR-rahoitus``)
    adds the fund.

    Parameters
    ----------
    rec:
        The record to add to.
    role:
        The role the field's label gives.
    value:
        The field value.
    v0:
        The clean-view offset of the value.
    cue:
        The label or cue the role came from (kept as ``layout:<cue>``).
    """
    for m in split_organisations(value):
        span = (v0 + m.start, v0 + m.end)
        r = m.role or role
        if role is Role.FUNDER or role is Role.AUTHORITY or r is Role.FUNDER:
            fund = fund_name(m.name)
            if fund:
                rec.orgs.append(Org(Role.FUNDER, fund, span, [], None, cue))
                continue
            if is_authority(m.name) or role is Role.AUTHORITY:
                rec.orgs.append(Org(Role.AUTHORITY, m.name, span, m.aliases, m.business_id, cue))
                continue
            r = Role.FUNDER
        rec.orgs.append(Org(r, m.name, span, m.aliases, m.business_id, cue))
    if role is Role.FUNDER:
        fund = fund_name(value)
        if fund and not any(o.name == fund for o in rec.orgs):
            rec.orgs.append(Org(Role.FUNDER, fund, (v0, v0 + len(value)), [], None, cue))


def set_field(rec: Record, kind: str, value: str, v0: int, label: str) -> None:
    """Give a record what one field says (a value already set is not overwritten).

    Parameters
    ----------
    rec:
        The record.
    kind:
        The field kind (a value of :data:`~sotegraph.extract.layout.labels.LABELS`).
    value:
        The field value.
    v0:
        The clean-view offset of the value.
    label:
        The label (the cue of the roles it gives).
    """
    value = value.strip()
    if not value:
        return
    if kind == "name":
        name, aliases = clean_name(value)
        code = CODE.search(name)
        if code and name.endswith(")"):
            m = _NAME_CODE.match(name)
            if m:
                name = m.group("name")
                rec.code = rec.code or m.group("code")
        rec.name = rec.name or name
        rec.name_span = rec.name_span or (v0, v0 + len(name))
        rec.aliases += [a for a in aliases if a not in rec.aliases]
    elif kind == "alias":
        if value not in rec.aliases and len(value) <= 20:
            rec.aliases.append(value)
    elif kind == "code":
        m = CODE.search(value)
        if m:
            rec.code = rec.code or m.group(1)
    elif kind in _ROLE_OF_KIND:
        add_org(rec, _ROLE_OF_KIND[kind], value, v0, label)
    elif kind == "implementers":
        if _NESTED_ROLE.match(value):
            return  # nested labels on the same line are read on their own
        mentions = split_organisations(value)
        if len(mentions) == 1 and mentions[0].role is None:
            add_org(rec, Role.LEAD, value, v0, label)
        else:
            # the one marked as lead leads; the others are partners
            add_org(rec, Role.PARTNER, value, v0, label)
    elif kind in ("period", "start", "end"):
        start, end = find_period(value)
        if kind == "start":
            start, end = find_date(value), None
        elif kind == "end":
            start, end = None, find_date(value)
        if start is not None and rec.start is None:
            rec.start = start
        if end is not None and rec.end is None:
            rec.end = end
    elif kind == "granted":
        v = find_amount(value)
        if v is not None and rec.granted is None:
            rec.granted = v
    elif kind == "planned":
        v = find_amount(value)
        if v is not None and rec.planned is None:
            rec.planned = v


def _join_wrapped(value: str, cont: str) -> str:
    """A value continued on the next line, a word hyphenated at the break rejoined."""
    if value.endswith("-") and not dehyphen_keeps(value[:-1], cont):
        return value[:-1] + cont
    if value.endswith("-"):
        return value + cont
    return value + " " + cont


def _wrapped_label(state: ReadState, i: int, indent: int) -> int:
    """A two-column form whose label wraps: ``Rahoittava viran-   X`` + ``omainen   Y``."""
    lines = state.lines
    a, _b, text = lines[i]
    two = _WRAPPED_LABEL.match(text)
    if not two or i + 1 >= len(lines):
        return 0
    nxt = _WRAPPED_REST.match(lines[i + 1][2])
    if not nxt:
        return 0
    label = label_of(two.group("l")[:-1] + nxt.group("l"))
    if label not in LABELS:
        return 0
    v1 = two.group("v")
    v2 = nxt.group("v")
    joined = (
        v1[:-1] + v2
        if v1.endswith("-") and not dehyphen_keeps(v1[:-1], v2)
        else (v1 + v2 if v1.endswith("-") else v1 + " " + v2)
    )
    set_field(state.label_target(indent), LABELS[label], joined, a + two.start("v"), label)
    return i + 2


def read_label(state: ReadState, i: int, indent: int) -> int:
    """Read a labelled field starting at line ``i``.

    Parameters
    ----------
    state:
        The reader's state.
    i:
        The index of the line.
    indent:
        Its indentation.

    Returns
    -------
    int
        The index of the line after the field, or 0 when line ``i`` is no field.
    """
    wrapped = _wrapped_label(state, i, indent)
    if wrapped:
        return wrapped
    lines = state.lines
    a, _b, text = lines[i]
    m = LABEL_LINE.match(text)
    if not m:
        return 0
    label = label_of(m.group("label"))
    kind = LABELS[label]
    value = m.group("v1") if m.group("v1") is not None else m.group("v2")
    if (
        label in COLON_ONLY
        and m.group("v1") is None
        and not (label == "kesto" and m.group("none") is not None)
    ):
        return 0
    if value is not None:
        v0 = a + (m.start("v1") if m.group("v1") is not None else m.start("v2"))
        end_i = i
        # value continuation lines indented to the value column
        col = v0 - a
        if m.group("v2") is not None:
            j = i + 1
            while j < len(lines):
                t = lines[j][2]
                lead = len(t) - len(t.lstrip())
                if not (t.strip() and lead >= col - 1 and lead >= 8):
                    break
                value = _join_wrapped(value, t.strip())
                end_i = j
                j += 1
        if (kind == "name" and label in ("hanke", "projekti")) or (
            kind == "name"
            and state.page.name is not None
            and state.current is None
            and state.records
        ):
            rec = Record("label", indent=indent, line=i)
            state.records.append(rec)
            state.current = rec
        set_field(state.label_target(indent), kind, value, v0, label)
        return end_i + 1
    return _label_above(state, i, indent, label, kind)


def _label_above(state: ReadState, i: int, indent: int, label: str, kind: str) -> int:
    """A label alone on its line: the value is on the following lines (until a blank)."""
    lines = state.lines
    j = i + 1
    if j < len(lines) and not lines[j][2].strip() and kind == "partner":
        j += 1
    values: list[tuple[str, int]] = []
    while j < len(lines) and lines[j][2].strip():
        t = lines[j][2]
        nested = LABEL_LINE.match(t)
        if nested and label_of(nested.group("label")) not in COLON_ONLY:
            break
        if _TABLE_HEADER.search(t):
            j += 1
            continue  # a table header
        values.append((t, lines[j][0]))
        j += 1
    if not values:
        return 0
    target = state.label_target(indent)
    for t, t0 in values:
        cells = [(c.group(0), c.start()) for c in _CELL.finditer(t)]
        if (
            kind in ("partner", "lead", "collaborator")
            and len(cells) >= 2
            and _COLUMN_GAP.search(t.strip())
        ):
            name, off = cells[0]
            bid = next((c for c, _o in cells[1:] if BID.match(c)), None)
            set_field(target, kind, name + (", " + bid if bid else ""), t0 + off, label)
        else:
            lead = len(t) - len(t.lstrip())
            set_field(target, kind, t.strip(), t0 + lead, label)
        if kind in ("name", "period", "code", "granted", "planned", "alias"):
            break
    return j


def paren_records(state: ReadState) -> None:
    """``… Nimi -hanketta (A12345, Org Oy, 1.1.2016–31.12.2017, …)``: a record in brackets.

    Parameters
    ----------
    state:
        The reader's state; a record is added for each project so written.
    """
    if not _PAREN_ANCHOR.search(state.text):
        return
    for m in _PAREN_RECORD.finditer(state.text):
        words = list(_WORD.finditer(m.group("pre")))
        start = None
        for w in reversed(words):
            tok = w.group(0)
            if tok[:1].isupper() or tok[:1].isdigit():
                start = w.start()
            elif start is not None:
                break
        if start is None:
            continue
        name = m.group("pre")[start:].strip()
        n0 = m.start("pre") + start
        rec = Record("paren", name, (n0, n0 + len(name)), m.group("code"))
        add_org(rec, Role.LEAD, m.group("org"), m.start("org"), "suluissa")
        rec.start, rec.end = find_period(m.group("period"))
        state.records.append(rec)


def read_inline(state: ReadState, text: str) -> None:
    """A code or period on a cover line (``Hankekoodi A1 · Toteutusaika 1.1.–…``).

    Parameters
    ----------
    state:
        The reader's state; the page record takes what it has not yet.
    text:
        The line.
    """
    if state.current is not None:
        return
    m = CODE_INLINE.search(text)
    if m and state.page.code is None:
        state.page.code = m.group("code")
    m = PERIOD_INLINE.search(text)
    if m and state.page.start is None:
        state.page.start, state.page.end = find_period(m.group("v"))

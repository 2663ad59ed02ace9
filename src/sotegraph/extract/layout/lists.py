"""Numbered and bulleted lists: one project per item, or the organisations of the page.

An item opens a record when it names a project with its code (``1) Nimi (S20999)``), or,
numbered, with a project keyword and indented lines below. Its indented fields and the
sentences inside it (``Hanketta hallinnoi X``, ``Osatoteuttajina ovat …``, a period, a
grant) speak of that project only. A bulleted list after an introduction naming a role
(``Hankkeeseen osallistuvat:``) lists the page's project's partners or collaborators.
"""

from __future__ import annotations

import datetime as dt
import re

from sotegraph.extract.layout.fields import add_org
from sotegraph.extract.layout.model import ReadState, Record, clean_name
from sotegraph.extract.layout.statements import NEGATION, grant_statements
from sotegraph.facts import Role
from sotegraph.values import find_amount, find_period

__all__ = ["ITEM", "item_prose", "item_start", "org_list"]

#: a list item: a number (``1.``, ``2)``) or a bullet, then its body
ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?P<num>\d{1,2})[.)]|(?P<bullet>[•*▪–-]))[ \t]+(?P<body>\S.*)$"
)
_NAME_CODE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[SA]\d{5})\)\s*[.:]?\s*(?P<rest>.*)$")
_NAME_KEYWORD = re.compile(
    r"^(?P<name>[A-ZÅÄÖ0-9].{2,160}?)\s+-(hanke|hankkeen jatko|projekti)\b.*$"
)
_PROJECT_WORDS = re.compile(
    r"(hanke|hankkeen|hanketta|hankkeessa|hankkeeseen|hankkeelle|projekti\w*|ohjelma\w*|"
    r"kokonaisuu\w*|projekt\w*)$",
    re.IGNORECASE,
)
_PROSE_LEAD = re.compile(
    r"\b(?:(?:Hanketta|Projektia|Ohjelmaa|Sitä)\s+(?:hallinnoi|koordinoi)|"
    r"(?:Hallinnoijana|Päätoteuttajana|Toteuttajana|Hakijana)\s+(?:on|toimii|toimi|oli))"
    r"\s+(?P<org>[A-ZÅÄÖ][^.;:()]*?(?:\s*\([^()]{1,15}\))?)(?=,|\.|;|\s+ja\s+se\b|$)"
)
_PROSE_PARTNERS = re.compile(
    r"\b(?:Osatoteuttajina|Osatoteuttajia)\s+(?:ovat|toimivat|olivat|ovat myös)\s+"
    r"(?P<org>[A-ZÅÄÖ][^.;:]*?)(?=\.|;|$)"
)
_GRANTED = re.compile(r"(myönnettiin|myönnetty|EU- ja valtion rahoitus(?: on)?)\s+")
_LIST_CUE: list[tuple[re.Pattern[str], Role]] = [
    (
        re.compile(r"\b(yhteistyökumppan\w*|kumppane\w*|samarbetspartner\w*)\b", re.I),
        Role.COLLABORATOR,
    ),
    (
        re.compile(
            r"\b(osatoteuttaj\w*|toteuttav\w*|toteuttaj\w*|osahank\w*|"
            r"osallistuvat|osallistuu|mukana ovat|delgenomförare)\b",
            re.I,
        ),
        Role.PARTNER,
    ),
]
_RELATIVE = re.compile(r",\s+(?:joka|jotka|jonka|som)\b")


def item_start(state: ReadState, m: re.Match[str], i: int) -> bool:
    """Open a record for the list item at line ``i`` if it names a project.

    Parameters
    ----------
    state:
        The reader's state; the record becomes its current one.
    m:
        The :data:`ITEM` match of the line.
    i:
        The index of the line.

    Returns
    -------
    bool
        Whether the item opened a record.
    """
    a, _b, _text = state.lines[i]
    body = m.group("body")
    b0 = a + m.start("body")
    nm = _NAME_CODE.match(body)
    if nm:
        name, aliases = clean_name(nm.group("name"))
        rec = Record("item", name, (b0, b0 + len(name)), nm.group("code"), aliases)
        rest = nm.group("rest")
        rest0 = b0 + nm.start("rest")
    else:
        # a numbered item naming a project by its keyword, with indented lines below
        kw = _NAME_KEYWORD.match(body)
        named = kw or (
            m.group("num")
            and _PROJECT_WORDS.search(body.rstrip(". "))
            and not body.rstrip().endswith(".")
        )
        follows = i + 1 < len(state.lines) and state.lines[i + 1][2].startswith(("   ", "\t"))
        if not (named and follows and m.group("num")):
            return False
        name = kw.group("name") if kw else body.strip()
        name, aliases = clean_name(name)
        rec = Record("item", name, (b0, b0 + len(name)), None, aliases)
        rest, rest0 = "", b0
    rec.indent = len(m.group("indent"))
    rec.line = i
    state.records.append(rec)
    state.current = rec
    state.item_open = True
    if rest:
        item_prose(rec, rest, rest0)
    return True


def item_prose(rec: Record, text: str, t0: int) -> None:
    """Sentences inside one list item: they speak of that item's project only.

    Parameters
    ----------
    rec:
        The item's record.
    text:
        The sentences.
    t0:
        Their clean-view offset.
    """
    for m in _PROSE_LEAD.finditer(text):
        add_org(rec, Role.LEAD, m.group("org"), t0 + m.start("org"), "hallinnoi")
    for m in _PROSE_PARTNERS.finditer(text):
        add_org(rec, Role.PARTNER, m.group("org"), t0 + m.start("org"), "osatoteuttaja")
    if rec.start is None:
        start, end = find_period(text)
        if start is not None and isinstance(start, dt.date):
            rec.start, rec.end = start, end
    for org, o0, role, cue in grant_statements(text):
        add_org(rec, role, org, t0 + o0, cue)
    fm = _GRANTED.search(text)
    if fm and rec.granted is None:
        v = find_amount(text[fm.end() :])
        if v is not None:
            rec.granted = v


def org_list(state: ReadState, i: int) -> int:
    """A bulleted list of organisations after an introduction naming their role.

    ``Hankkeeseen osallistuvat:`` / ``… toteuttavaa toimijaa:`` + ``• Org`` lines → the
    page's project has them as partners (collaborators after ``yhteistyökumppanit``).

    Parameters
    ----------
    state:
        The reader's state; the page record takes the organisations.
    i:
        The index of the list's first line.

    Returns
    -------
    int
        The index of the line after the list, or 0 when it is no such list.
    """
    lines = state.lines
    k = i - 1
    while k >= 0 and not lines[k][2].strip():
        k -= 1
    if k < 0:
        return 0
    intro = lines[k][2].strip()
    if not intro.endswith(":") or NEGATION.search(intro):
        return 0
    role = next((r for pat, r in _LIST_CUE if pat.search(intro)), None)
    if role is None:
        return 0
    j = i
    while j < len(lines):
        a, _b, t = lines[j]
        m = ITEM.match(t)
        if not m or not m.group("bullet"):
            break
        body = m.group("body")
        b0 = a + m.start("body")
        head = _RELATIVE.split(body)[0]
        add_org(state.page, role, head, b0, "luettelo")
        for org, o0, r, cue in grant_statements(body):
            if r is Role.COLLABORATOR:
                add_org(state.page, r, org, b0 + o0, cue)
        j += 1
    return j

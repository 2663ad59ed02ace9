"""The page's own project, when no field names it: from its title, breadcrumb or cover.

Tried in order, the first that finds a name wins:

1. a heading equal to (or starting with) the last breadcrumb of a project section
   (``Etusivu > Hankkeet > KoMa`` + heading ``KoMa - Koelan malli``);
2. a report cover: the title right above the line giving the project code;
3. a title opening with a project name and its keyword (``Nimi -hanke alkoi``): the name
   keeps the keyword (``Nimi -hanke``), the name without it is an alias (the prose names
   the project so, and must find it);
4. an appositive in the first sentences (``Nimi-kehittämishanke, tuttavallisemmin
   X-hanke``);
5. a title segment the body names as a project (``S -hanke``, ``X-projekti``);
6. Swedish ``Projektet Namn Namn``.
"""

from __future__ import annotations

import re

from sotegraph.extract.layout.clean import TAIL_PAGE, breadcrumb
from sotegraph.extract.layout.labels import CODE_INLINE
from sotegraph.extract.layout.model import ReadState, Record, clean_name, fold

__all__ = ["page_project"]

_SECTION_CRUMB = re.compile(
    r"^(hankkeet|hanke|projektit|projekti|projekt|kokonaisuudet|kehittämishankkeet|"
    r"kehittämisprojektit|hankkeemme|projekten)$",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÅÄÖ]")
_DASH_AFTER = re.compile(r"\s*[–—-]")
_TITLE_SPLIT = re.compile(r"\s+[–—]\s+|\s+-\s+(?=[a-zåäö])|:\s+")
_KW_AFTER = r"\s*-\s*(?:hank|projekt|ohjelm)"
_TITLE_KW = re.compile(
    r"^(?P<name>[A-ZÅÄÖ0-9][^–—:]{2,120}?)\s+-(?P<kw>hanke|hankkeen|hanketta|projekti|ohjelma|"
    r"ohjelmalle|ohjelman)\b"
)
_APPOSITIVE = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<name>[A-ZÅÄÖ][\w-]*(?:\s+[\wåäö-]+){1,10}?"
    r"(?:hanke|projekti|ohjelma)),\s+(?:tuttavallisemmin|lyhyemmin|lyhyesti|eli)\s+"
    r"(?P<alias>[A-ZÅÄÖ][\w-]*?(?:\s+[A-ZÅÄÖ][\w]*?)?)-(?:hanke|projekti|ohjelma)\b",
    re.MULTILINE,
)
_WIDE_GAP = re.compile(r"\s{3,}")
_ATTACHED_KW = re.compile(r"^(?P<n>[A-ZÅÄÖ][\wÅÄÖåäö]{2,})-(hanke|projekti)\b")
_ANY_DASH = re.compile(r"\\?[–—-]")
_SWEDISH = re.compile(r"\bProjektet\s+(?P<n>[A-ZÅÄÖ][\w-]*(?:\s+[A-ZÅÄÖ][\w-]*)*)")

#: a heading: ``(start, end, text)`` in the clean view
_Head = tuple[int, int, str]


def _add_aliases(page: Record, aliases: list[str]) -> None:
    page.aliases += [x for x in aliases if x not in page.aliases]


def _headings(state: ReadState) -> list[_Head]:
    """Short lines standing alone among the first 25: title, subtitles, headings."""
    heads: list[_Head] = []
    lines = state.lines
    for k, (a, b, t) in enumerate(lines[:25]):
        s = t.strip()
        nxt = lines[k + 1][2].strip() if k + 1 < len(lines) else ""
        alone = not nxt or (len(nxt) < 100 and not nxt.endswith("."))
        if (
            s
            and alone
            and len(s) <= 160
            and not s.endswith((".", ":", "?", "!"))
            and len(s.split()) <= 20
            and not _SENTENCE_BREAK.search(s)
        ):
            heads.append((a + len(t) - len(t.lstrip()), b, s))
    return heads


def _last_crumb(original: str) -> str | None:
    """The last crumb of a breadcrumb through a project section (``… > Hankkeet > X``)."""
    # breadcrumbs are blanked in the clean view: read them from the original lines
    crumb_last = None
    for line in original.split("\n")[:30]:
        crumbs = breadcrumb(line)
        if (
            crumbs
            and any(_SECTION_CRUMB.match(c) for c in crumbs[:-1])
            and not _SECTION_CRUMB.match(crumbs[-1])
        ):
            crumb_last = crumbs[-1]
    return crumb_last


def _from_breadcrumb(page: Record, heads: list[_Head], crumb_last: str | None) -> bool:
    """1. a heading equal to (or starting with) the last breadcrumb of a project section."""
    if not crumb_last:
        return False
    ck = fold(crumb_last)
    for a, _b, s in heads:
        if fold(s) == ck or fold(s).startswith(ck + " "):
            name, aliases = clean_name(s)
            if fold(s) != ck and not _DASH_AFTER.match(s[len(crumb_last) :]):
                continue
            if name.isupper() and fold(s) == ck:
                name = crumb_last  # "HANKKEEN NIMI" heading: the crumb has the real case
            page.name, page.name_span = name, (a, a + len(name))
            _add_aliases(page, aliases)
            if crumb_last != name and crumb_last not in page.aliases:
                page.aliases.append(crumb_last)
            return True
    return False


def _from_cover(page: Record, state: ReadState) -> bool:
    """2. a report cover: the title right above a line giving the project code."""
    if not page.code:
        return False
    for k, (_a, _b, t) in enumerate(state.lines[:12]):
        if CODE_INLINE.search(t):
            for a2, _b2, t2 in reversed(state.lines[max(0, k - 3) : k]):
                s2 = TAIL_PAGE.sub("", t2.strip()).strip()
                if not s2 or s2.isupper() or len(s2.split()) > 16 or s2.endswith("."):
                    continue
                name, aliases = clean_name(s2)
                at = a2 + len(t2) - len(t2.lstrip())
                page.name, page.name_span = name, (at, at + len(name))
                _add_aliases(page, aliases)
                return True
            break
    return False


def _from_title_keyword(page: Record, heads: list[_Head]) -> bool:
    """3. a title opening with a project name and its keyword (``Nimi -hanke alkoi``)."""
    for a, _b, s in heads[:4]:
        m = _TITLE_KW.match(s)
        if m:
            kw = m.group("kw").lower()
            base = (
                "ohjelma"
                if kw.startswith("ohjelm")
                else ("projekti" if kw.startswith("projekt") else "hanke")
            )
            name = m.group("name").strip() + " -" + base
            page.name, page.name_span = name, (a, a + len(name))
            # the prose names it without the keyword: the same project
            page.aliases.append(m.group("name").strip())
            return True
    return False


def _from_appositive(page: Record, text: str) -> bool:
    """4. the first sentences: ``Nimi-kehittämishanke, tuttavallisemmin X-hanke, …``."""
    m = _APPOSITIVE.search(text[:1500])
    if not m:
        return False
    name = m.group("name")
    page.name, page.name_span = name, (m.start("name"), m.end("name"))
    alias = m.group("alias")
    page.aliases.append(alias)
    last = alias.split()[-1]
    if last != alias and last not in page.aliases:
        page.aliases.append(last)
    return True


def _from_title_segment(page: Record, heads: list[_Head], text: str) -> bool:
    """5. a title segment named in the body as a project (``S -hanke``)."""
    for a, _b, s in heads[:6]:
        s = _WIDE_GAP.split(s)[0]
        for seg in [s, *_TITLE_SPLIT.split(s)]:
            seg = seg.strip().strip('”“"')
            att = _ATTACHED_KW.match(seg)
            if att:
                seg = att.group("n")
                at = s.find(seg)
                page.name, page.name_span = seg, (a + at, a + at + len(seg))
                return True
            if len(seg) < 3 or not seg[:1].isupper():
                continue
            pat = re.compile(_ANY_DASH.sub("[–—-]", re.escape(seg)) + _KW_AFTER)
            if pat.search(text):
                at = s.find(seg)
                page.name, page.name_span = seg, (a + at, a + at + len(seg))
                _n, aliases = clean_name(seg)
                _add_aliases(page, aliases)
                return True
    return False


def page_project(state: ReadState, original: str) -> None:
    """Name the page's own project from its layout, unless a name field already did.

    Parameters
    ----------
    state:
        The reader's state after the scan; its page record gets the name, span and aliases.
    original:
        The original text (breadcrumbs are blanked in the clean view).
    """
    page = state.page
    text = state.text
    if page.name:
        return
    heads = _headings(state)
    if (
        _from_breadcrumb(page, heads, _last_crumb(original))
        or _from_cover(page, state)
        or _from_title_keyword(page, heads)
        or _from_appositive(page, text)
        or _from_title_segment(page, heads, text)
    ):
        return
    # 6. Swedish: "Projektet Namn Namn …" (a run of capitalised words)
    m = _SWEDISH.search(text)
    if m:
        page.name, page.name_span = m.group("n"), (m.start("n"), m.end("n"))

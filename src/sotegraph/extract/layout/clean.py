"""The clean view of a page: boilerplate blanked, hyphenated words rejoined, offsets kept.

Navigation lines, cookie notices, share buttons, contact blocks and lines, footers with
addresses, running page headers, page numbers and rules are blanked (each leaves its line
break; a sentence of twelve words or more that gives an e-mail address or a phone number
is prose, not a contact line);
words hyphenated at line ends are rejoined, the hyphen kept where Finnish spelling keeps it
(``Hoiva-`` + ``alan`` → ``Hoiva-alan``, same vowel on both sides; ``Etelä-`` + ``Savon``).
:class:`CleanText` maps every character of the clean view back to the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "RULE",
    "TAIL_PAGE",
    "CleanText",
    "breadcrumb",
    "clean_text",
    "dehyphen_keeps",
    "split_lines",
]


@dataclass(slots=True)
class CleanText:
    """The clean view of a text: ``offsets[i]`` is the original offset of ``text[i]``.

    ``offsets`` has one more element than ``text`` (the end of the original text).
    """

    text: str
    offsets: list[int]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of a clean-view span.

        Parameters
        ----------
        start, end:
            Offsets into :attr:`text` (clamped to it).

        Returns
        -------
        tuple of int
            The offsets of the same characters in the original text.
        """
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if end > start:
            return self.offsets[start], self.offsets[end - 1] + 1
        return self.offsets[start], self.offsets[start]


_COOKIE = re.compile(r"\b(eväste\w*|cookie\w*|kakor|kakinställning\w*)\b", re.IGNORECASE)
_BUTTON = re.compile(r"\[[^\]\n]{1,40}\]")
_SHARE = re.compile(
    r"^\s*(jaa( sivu)?|dela( sidan)?|share|seuraa meitä|tulosta)\b|"
    r"\b(facebook|twitter|linkedin|whatsapp)\b.*\b(facebook|twitter|linkedin|whatsapp|"
    r"e-post|sähköposti)\b",
    re.IGNORECASE,
)
_FOOTER_WORDS = re.compile(
    r"\b(tietosuoja\w*|saavutettavuus\w*|palaute|palautteet|dataskydd|"
    r"tillgänglighets\w*|vaihde|kirjaamo|sivu päivitetty|päivitetty \d|"
    r"kriisipuhelin|lue myös|liittyvät sivut)\b",
    re.IGNORECASE,
)
_POSTAL = re.compile(r"\b(PL \d+|\d{5} [A-ZÅÄÖ][a-zåäö]+)\b")
_STREET = re.compile(r"\b[A-ZÅÄÖ][a-zåäö]+(katu|tie|kuja|polku|portti|väylä|gatan|vägen) \d")
_EMAIL = re.compile(r"[\w.+-]+(@|\(at\))[\w-]+\.[\w.]+")
_PHONE = re.compile(r"(\+358|\b0\d{1,3})[ -]?\d{2,4}[ -]?\d{2,4}\b")
_PHONE_WORD = re.compile(r"\b(puh|p|tfn|tel)\b\.?", re.IGNORECASE)
_CRUMB_SEP = re.compile(r"\s+(?:>|›|»|/)\s+")
_CRUMB_ARROW = re.compile(r"(›|»|>)")
_PAGE_NO = re.compile(
    r"^\s*(?:(?:sivu|side|page)\s*)?\d{1,3}(?:\s*(?:/|\(|of)\s*\d{1,3}\)?)?\s*$", re.IGNORECASE
)
#: a rule line (``-----``, ``_____``)
RULE = re.compile(r"^\s*[_\-=~*·.]{5,}\s*$")
_CONTACT_HEAD = re.compile(
    r"^\s*(lisätietoja|lisätiedot|yhteystiedot|yhteyshenkilö\w*|kontakt|"
    r"mer information|kontaktuppgifter|lisätietoa)\s*:?\s*",
    re.IGNORECASE,
)
#: a page number at the end of a line, after two spaces or more (a running header's)
TAIL_PAGE = re.compile(
    r"\s{2,}(?:(?:sivu|side|page)\s*)?\d{1,3}(?:\s*(?:/|\()\s*\d{1,3}\)?)?\s*$", re.IGNORECASE
)
_THREE_DIGITS = re.compile(r"\d{3}")
_DIGIT = re.compile(r"\d")
_COLUMNS = re.compile(r"\s{2,}")
_TOOLS = re.compile(r"^(☰|🔍|Sivun koko|Till innehållet|Haku\b|Hae\b)")
_TABLE_ROW_BELOW = re.compile(r"\S\s{2,}\S.*\d")
_HYPHEN_END = re.compile(r"[a-zåäöA-ZÅÄÖ]-$")
_SPACED_HYPHEN_END = re.compile(r"\s-$")
_WIDE_GAP = re.compile(r"\S\s{3,}\S")
_LAST_WORD = re.compile(r"(\w+)$")


def split_lines(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of the lines of ``text`` (line breaks left out).

    Parameters
    ----------
    text:
        Any text.

    Returns
    -------
    list of tuple of int
        One pair per line, as ``text.split("\\n")`` gives them.

    Examples
    --------
    >>> split_lines("ab\\n\\nc")
    [(0, 2), (3, 3), (4, 5)]
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _menu_line(line: str) -> bool:
    """A row of short menu items (``Asuminen | Kulttuuri | Hallinto``)."""
    s = line.strip()
    if not s or s.endswith((".", ":")):
        return False
    if "|" in s and s.count("|") >= 2 and not _THREE_DIGITS.search(s):
        items = [i.strip() for i in s.split("|") if i.strip()]
        if len(items) >= 3 and all(len(i.split()) <= 5 for i in items):
            # a pipe table row has numbers or long cells; a menu has short words
            return not any(_DIGIT.search(i) for i in items[1:]) or len(items) <= 6
    parts = [p for p in _COLUMNS.split(s) if p]
    if len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts):
        return all(p[:1].isupper() or not p[:1].isalpha() for p in parts) and not any(
            _DIGIT.search(p) for p in parts
        )
    return False


def breadcrumb(line: str) -> list[str] | None:
    """The crumbs of a breadcrumb line (``Etusivu > Hankkeet > X``).

    Parameters
    ----------
    line:
        One line of text.

    Returns
    -------
    list of str or None
        The crumbs, or ``None`` when the line is no breadcrumb.

    Examples
    --------
    >>> breadcrumb("Etusivu > Hankkeet > Koe")
    ['Etusivu', 'Hankkeet', 'Koe']
    >>> breadcrumb("ja / tai") is None
    True
    """
    s = line.strip()
    if not s or len(s) > 200:
        return None
    crumbs = [c.strip() for c in _CRUMB_SEP.split(s)]
    if len(crumbs) >= 2 and all(0 < len(c) <= 90 for c in crumbs) and not s.endswith("."):
        if len(crumbs) == 2 and not _CRUMB_ARROW.search(s):
            return None  # "ja / tai"
        return crumbs
    return None


def _boilerplate(line: str, edge: bool = True) -> bool:
    s = line.strip()
    if not s:
        return False
    if _COOKIE.search(s) or (_BUTTON.search(s) and len(_BUTTON.sub("", s).strip()) < 40):
        return True
    if _SHARE.search(s) and len(s) < 80:
        return True
    if _FOOTER_WORDS.search(s) and len(s) < 120 and not s.endswith("."):
        return True
    if (_POSTAL.search(s) or _STREET.search(s)) and len(s) < 140 and not s.endswith("."):
        return True
    if (_EMAIL.search(s) or (_PHONE.search(s) and _PHONE_WORD.search(s))) and not (
        s.endswith((".", "!", "?")) and len(s.split()) >= 12
    ):
        return True  # a contact line (a sentence that gives a phone number is prose)
    if _menu_line(s) and edge:
        return True
    if _TOOLS.match(s):
        return True
    crumbs = breadcrumb(s)
    return bool(crumbs and len(crumbs) >= 2 and len(s) < 160 and s[-1] not in ".!?")


def dehyphen_keeps(before: str, after: str) -> bool:
    """Whether a hyphen at a line end belongs to the word (``Hoiva-alan``, ``Etelä-Savo``).

    Parameters
    ----------
    before:
        The text before the hyphen.
    after:
        The text on the next line.

    Returns
    -------
    bool
        ``True`` when the hyphen is kept on rejoining.

    Examples
    --------
    >>> dehyphen_keeps("Hoiva", "alan"), dehyphen_keeps("rahoi", "tusta")
    (True, False)
    """
    if not before or not after:
        return True
    a, b = before[-1], after[0]
    if not a.isalpha() or not b.isalpha():
        return True
    if b.isupper():
        return True
    word = _LAST_WORD.search(before)
    if word and word.group(1).isupper() and len(word.group(1)) >= 2:
        return True  # ESR-\nhanke
    return a.lower() == b.lower() and a.lower() in "aeiouyäö"


def _running_headers(lines: list[str]) -> set[int]:
    """Indexes of running page headers: lines (numbers aside) repeated next to page breaks."""
    keyed: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or len(s) > 100:
            continue
        key = TAIL_PAGE.sub("", s).strip().casefold()
        if key and TAIL_PAGE.search(s):
            keyed.setdefault(key, []).append(i)
    out: set[int] = set()
    for idxs in keyed.values():
        if len(idxs) >= 2:
            out.update(idxs)
    # a line holding only a title and a page number right after a rule is a header too
    for i, line in enumerate(lines):
        if i and RULE.match(lines[i - 1]) and TAIL_PAGE.search(line):
            out.add(i)
    return out


def _dropped_lines(lines: list[str]) -> set[int]:
    """Indexes of the boilerplate lines (contact blocks, headers, rules, menus …)."""
    drop: set[int] = set()
    headers = _running_headers(lines)
    n_lines = len(lines)
    piped = [line.count("|") >= 2 for line in lines]
    in_contact = False
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            in_contact = False
            continue
        if _CONTACT_HEAD.match(s) and (len(s) < 40 or _EMAIL.search(s) or _PHONE.search(s)):
            in_contact = True
            drop.add(i)
            continue
        if in_contact or i in headers or RULE.match(s) or _PAGE_NO.match(s):
            drop.add(i)
            continue
        near_table = any(0 <= k < n_lines and piped[k] for k in (i - 2, i - 1, i + 1, i + 2))
        # menus live at the top and the bottom of a page; column headers anywhere
        edge = i < max(8, n_lines // 5) or i >= n_lines - max(5, n_lines // 5)
        k = i + 1
        while k < n_lines and (not lines[k].strip() or RULE.match(lines[k])):
            k += 1
        if k < n_lines and _TABLE_ROW_BELOW.search(lines[k].strip()):
            edge = False  # the header of a table whose rows follow
        if _boilerplate(s, edge) and not (near_table and s.count("|") >= 2):
            drop.add(i)
    return drop


def clean_text(text: str) -> CleanText:
    """Return the clean view of ``text`` (see the module docstring).

    Parameters
    ----------
    text:
        The original text of a page.

    Returns
    -------
    CleanText
        The clean view and the map of its offsets into ``text``.

    Examples
    --------
    >>> c = clean_text("Hanke sai rahoi-\\ntusta.\\nJaa sivu: Facebook | Twitter\\nHoiva-\\nalan työ")
    >>> c.text
    'Hanke sai rahoitusta.\\n\\nHoiva-alan työ'
    >>> text = "Hanke sai rahoi-\\ntusta."
    >>> c = clean_text(text)
    >>> text[slice(*c.original(10, 20))]
    'rahoi-\\ntusta'
    """
    spans = split_lines(text)
    lines = [text[a:b] for a, b in spans]
    drop = _dropped_lines(lines)
    out: list[str] = []
    offs: list[int] = []
    i = 0
    n = len(lines)
    while i < n:
        a, b = spans[i]
        if i in drop:
            if i < n - 1:
                out.append("\n")
                offs.append(b)
            i += 1
            continue
        line = lines[i]
        cur_chars = list(line)
        cur_offs = list(range(a, b))
        # rejoin words hyphenated at the line end (prose lines only, not tables or columns)
        while (
            i + 1 < n
            and (i + 1) not in drop
            and _HYPHEN_END.search("".join(cur_chars[-2:]))
            and not _SPACED_HYPHEN_END.search("".join(cur_chars[-2:]))
            and "|" not in line
            and not _WIDE_GAP.search("".join(cur_chars).strip())
        ):
            nxt = lines[i + 1]
            na, _nb = spans[i + 1]
            stripped = nxt.lstrip()
            lead = len(nxt) - len(stripped)
            if not stripped or "|" in nxt or _WIDE_GAP.search(stripped):
                break
            if not stripped[0].isalpha():
                break
            before = "".join(cur_chars[:-1])
            if not dehyphen_keeps(before, stripped):
                cur_chars.pop()
                cur_offs.pop()
            cur_chars.extend(stripped)
            cur_offs.extend(range(na + lead, na + len(nxt)))
            i += 1
            line = nxt
            b = spans[i][1]
        out.extend(cur_chars)
        offs.extend(cur_offs)
        if i < n - 1:
            out.append("\n")
            offs.append(b)
        i += 1
    offs.append(len(text))
    return CleanText("".join(out), offs)

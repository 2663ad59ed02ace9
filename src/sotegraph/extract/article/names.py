"""Names of projects and groups: comparing and choosing names, cleaning listed names,
the plural marker after a name, a project code after it.

Examples
--------
>>> norm_name("“Hyvä  Arki –hanke”")
'hyvä arki -hanke'
>>> better_name("Sote-ammattilaiset asiakasosallisuuden osaajiksi", "ASKO")
True
>>> clean_list_name("Nimi (ABBR)")
('Nimi', ['ABBR'])
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sotegraph.nlp.lexicon import is_plural_keyword, keyword_kind

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

__all__ = [
    "SUBTITLE",
    "better_name",
    "clean_list_name",
    "code_after",
    "marker_is_plural",
    "name_like",
    "norm_name",
]

#: The dash before a subtitle: ``Hyvä Arki – kotihoito uudistuu``.
SUBTITLE = re.compile(r"\s+[–—-]\s+")
_CODE = re.compile(r"^[SA]\d{5}$")


def norm_name(name: str) -> str:
    """A name folded for comparison (case, quotes, dashes and spaces)."""
    text = name.casefold().strip(" \t\n\"'”“«»")
    text = re.sub(r"[‐‑–—]", "-", text)
    text = re.sub(r"\s*-\s*(?=\s)", " -", text)
    return re.sub(r"\s+", " ", text)


def name_like(short: str) -> bool:
    """A one-word name distinctive enough to be the start of a longer name."""
    if " " in short or len(short) < 3:
        return False
    return short.isupper() or any(c.isupper() for c in short[1:]) or len(short) >= 8


def better_name(new: str, current: str) -> bool:
    """Prefer a multi-word name over an abbreviation, and the longer of two names."""
    if not current:
        return True
    if " " in new and " " not in current:
        return True
    if " " in current and " " not in new:
        return False
    return len(new) > len(current) and not new.isupper()


def clean_list_name(item: str) -> tuple[str, list[str]]:
    """``Nimi, Asko-hanke`` → (``Nimi``, [``Asko``]); trailing keywords removed."""
    from sotegraph.nlp.shapes import _ATTACHED

    aliases: list[str] = []
    text = item.strip().rstrip(".;,")
    if ", " in text:
        head, _, tail = text.rpartition(", ")
        m = _ATTACHED.match(tail.strip())
        if m and keyword_kind(m.group("kw")):
            aliases.append(m.group("name"))
            text = head
    m = re.match(r"^(?P<name>.+?)\s+-\s*(?P<kw>\w+)$", text)
    if m and keyword_kind(m.group("kw")):
        text = m.group("name")
    m = _ATTACHED.match(text)
    if m and " " not in text and keyword_kind(m.group("kw")):
        text = m.group("name")
    m = re.match(r"^(?P<name>.+?)\s*\((?P<abbr>[^()]{2,12})\)$", text)
    if m:
        text = m.group("name")
        aliases.append(m.group("abbr"))
    return text.strip("”“\"' "), aliases


def marker_is_plural(doc: Doc, span: SpacySpan) -> bool:
    """Whether the keyword of a name mention is plural (``A- ja B-hankkeet``)."""
    if span.id_ == "attached":
        return is_plural_keyword(span.text)
    e = span.end
    for j in (e, e + 1):
        if j < len(doc) and keyword_kind(doc[j].text):
            return is_plural_keyword(doc[j].text)
    return False


def code_after(doc: Doc, end: int) -> str | None:
    """A programme code right after a project name: ``SoteNoste-hanke (S21259)``."""
    for j in range(end, min(end + 3, len(doc))):
        if _CODE.match(doc[j].text):
            return doc[j].text
        if doc[j].text not in {"(", ",", ":"} and keyword_kind(doc[j].text) is None:
            return None
    return None

"""Domain shapes found in a parsed Finnish text: project, group and organisation names.

Functions here take a spaCy ``Doc`` (with lemmas, morphology and sentences) and return
spans; the ``sotegraph.domain_shapes.v1`` component stores them in ``doc.spans``. The shapes:

- projects: ``X-hanke`` (one token), ``Nimi monella sanalla -hanke`` (a spaced hyphen
  before the keyword), ``hankkeessa X``, names in quotes next to a keyword, ``Nimi (ABBR)
  -hanke`` (the abbreviation becomes an alias) and numbered lists of projects introduced
  by a plural keyword (``Mukana olevia hankkeita ovat``);
- groups: the same shapes with ``konsortio``, ``verkosto`` (and compounds such as
  ``asiantuntijaverkosto``) and ``ohjelma``, and ``Konsortio: Nimi`` lines;
- organisations: a head noun (``ammattikorkeakoulu``, ``laitos``, ``kuntayhtymä`` …) or a
  legal form (``Oy``, ``ry``) with the capitalised and genitive words before it and a
  trailing proper name (``kuntayhtymä Siun Sote``).

Every span covers the words of the name (for one-token ``X-hanke`` shapes, that token);
``span.id_`` says which shape found it. Spans for names carry the keyword's kind as label:
``PROJECT``, ``CONSORTIUM``, ``NETWORK``, ``PROGRAMME``; organisation shapes ``ORG``;
parenthesised abbreviations ``ALIAS``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from sotegraph.nlp.lexicon import (
    base_forms,
    is_common_word,
    is_legal_form,
    is_org_head,
    is_plural_keyword,
    keyword_kind,
    shapes,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "KIND_LABELS",
    "find_aliases",
    "find_names",
    "find_organisation_shapes",
    "name_of",
    "sentence_units",
]

KIND_LABELS = {
    "project": "PROJECT",
    "consortium": "CONSORTIUM",
    "network": "NETWORK",
    "programme": "PROGRAMME",
}
_DASHES = {"-", "–", "—", "‐"}
_QUOTES = {'"', "”", "“", "»", "«", "„"}
_STOP_PUNCT = {".", ":", ";", "!", "?", "•", "(", ")"}
_ATTACHED = re.compile(r"^(?P<name>.+?)[-‐](?P<kw>[^-‐]+)$")
_LIST_ITEM = re.compile(r"^[ \t]*(?P<num>\d{1,2})[.)][ \t]+(?P<item>\S.*?)[ \t]*$", re.MULTILINE)
_GROUP_LINE = re.compile(
    r"^[ \t]*(?P<kw>Konsortio|Verkosto|Hanke|Projekti|Ohjelma)[ \t]*:[ \t]*(?P<name>[^\n]+?)[ \t]*$",
    re.MULTILINE,
)
_MAX_NAME = 24


_TERMINAL = {".", "!", "?", "…"}


def sentence_units(doc: Doc) -> list[tuple[int, int]]:
    """Split a parsed text into the units rules work on: sentences that never cross a line.

    The parser's sentence starts are kept only after sentence-final punctuation (it also
    breaks at dashes: ``Onnistu yhdessä – Työhyvinvointi …``). A blank line always ends a
    unit; a single line break ends it too unless it only wraps a sentence (the line before
    has no closing punctuation and the next line goes on in lower case).

    >>> import spacy
    >>> nlp = spacy.blank("fi")
    >>> doc = nlp("Otsikko ilman pistettä\\n\\nEnsimmäinen lause. Toinen lause.")
    >>> [doc[s:e].text for s, e in sentence_units(doc)]
    ['Otsikko ilman pistettä', 'Ensimmäinen lause. Toinen lause.']
    """
    has_sents = doc.has_annotation("SENT_START")
    units: list[tuple[int, int]] = []
    start: int | None = None
    prev_text = ""
    for tok in doc:
        if tok.is_space and "\n" in tok.text:
            if start is not None and _wraps(doc, tok, prev_text):
                continue
            if start is not None:
                units.append((start, tok.i))
            start = None
            prev_text = ""
            continue
        if start is None:
            if tok.is_space:
                continue
            start = tok.i
        elif (
            has_sents and tok.is_sent_start and (prev_text in _TERMINAL or prev_text.endswith("."))
        ):
            units.append((start, tok.i))
            start = tok.i
        if not tok.is_space:
            prev_text = tok.text
    if start is not None:
        units.append((start, len(doc)))
    return units


def _wraps(doc: Doc, space: Token, prev_text: str) -> bool:
    """A single line break inside a sentence (hard-wrapped text)."""
    if space.text.count("\n") != 1 or prev_text in _TERMINAL or prev_text in {":", ";"}:
        return False
    nxt = space.i + 1
    if nxt >= len(doc) or not prev_text:
        return False
    first = doc[nxt].text[:1]
    return first.isalpha() and first.islower()


def _unit_starts(doc: Doc, units: list[tuple[int, int]] | None) -> list[int]:
    """For each token, the first token of its unit."""
    if units is None:
        units = sentence_units(doc)
    out = list(range(len(doc)))
    for s, e in units:
        for i in range(s, e):
            out[i] = s
    return out


def _not_a_name() -> frozenset[str]:
    return frozenset(shapes()["not_a_name"])


def _is_cap(tok: Token) -> bool:
    t = tok.text.lstrip("”“\"'«»")
    return bool(t) and (t[0].isupper() or t[0].isdigit())


def _is_finite_verb(tok: Token) -> bool:
    return tok.pos_ in {"VERB", "AUX"} and "Fin" in tok.morph.get("VerbForm", [])


def _marker_at(doc: Doc, i: int) -> tuple[str, int, int] | None:
    """Return (kind, first token of the marker, last token) if a spaced keyword marker starts at i."""
    tok = doc[i]
    text = tok.text
    if text[:1] in _DASHES and len(text) > 1:
        kind = keyword_kind(text[1:])
        if kind:
            return kind, i, i
    if text in _DASHES and i + 1 < len(doc):
        nxt = doc[i + 1]
        if nxt.text[:1].islower():
            kind = keyword_kind(nxt.text)
            if kind:
                return kind, i, i + 1
    return None


def _attached(tok: Token) -> tuple[str, str] | None:
    """Return (kind, name) for ``SoteHelmet-hankkeen``-like tokens."""
    m = _ATTACHED.match(tok.text)
    if not m:
        return None
    kind = keyword_kind(m.group("kw"))
    if not kind:
        return None
    name = m.group("name").strip("”“\"'")
    if not name or not any(c.isupper() for c in name) or name.lower() in _not_a_name():
        return None
    return kind, name


def name_of(span: Span) -> str:
    """Return the name a shape span stands for (keyword and quotes removed).

    >>> import spacy
    >>> nlp = spacy.blank("fi")
    >>> doc = nlp("SoteHelmet-hankkeen tavoite")
    >>> name_of(doc[0:1])
    'SoteHelmet'
    """
    if len(span) == 1:
        a = _attached(span[0])
        if a:
            return a[1]
    if span.id_ == "compound":
        from sotegraph.nlp.lexicon import base_name

        return base_name(span.text.split(), head_lemma=span[-1].lemma_)
    text = span.text.strip()
    text = text.strip("”“\"'«» ")
    return re.sub(r"\s+", " ", text)


def _left_name(doc: Doc, end: int, limit_start: int, starts: list[int]) -> tuple[int, int] | None:
    """Find the start of a multi-word name that ends just before token ``end``."""
    sent_start = starts[end - 1] if end > 0 else 0
    floor = max(limit_start, sent_start, end - _MAX_NAME)
    i = end - 1
    start = end
    quote_open = False
    while i >= floor:
        tok = doc[i]
        text = tok.text
        if "\n" in text and "\n\n" in text:
            break
        if text in _QUOTES:
            if quote_open:  # the opening quote: the name is what lies inside
                start = i + 1
                break
            quote_open = True
            i -= 1
            continue
        if text in _STOP_PUNCT:
            break
        if _marker_at(doc, i) is not None or (i > floor and _marker_at(doc, i - 1) is not None):
            break
        if _attached(tok) is not None:
            break
        if i != sent_start and i != end - 1 and _is_finite_verb(tok) and not _is_cap(tok):
            break  # a verb right before the keyword belongs to the name ("… uudistuu -hanke")
        start = i
        i -= 1
    # trim: the name starts at a capitalised word
    while start < end and not _is_cap_word(doc[start]):
        start += 1
    while start < end and doc[start].text in {",", "–", "-", "ja", "sekä"}:
        start += 1
    if start >= end:
        return None
    first = doc[start]
    if start == sent_start and first.lemma_.lower() in _not_a_name() and end - start > 1:
        start += 1
        while start < end and not _is_cap_word(doc[start]):
            start += 1
        if start >= end:
            return None
    return start, end


def find_names(
    doc: Doc,
    units: list[tuple[int, int]] | None = None,
    *,
    not_names: frozenset[str] = frozenset(),
) -> list[Span]:
    """Find project and group names (see the module docstring for the shapes).

    >>> import spacy
    >>> nlp = spacy.blank("fi")
    >>> doc = nlp("Hanke kuuluu SoteKehittäjät-verkostoon.")
    >>> [(s.label_, name_of(s)) for s in find_names(doc)]
    [('NETWORK', 'SoteKehittäjät')]
    """
    from spacy.tokens import Span

    out: list[Span] = []
    n = len(doc)
    starts = _unit_starts(doc, units)
    last_marker_end = 0
    i = 0
    while i < n:
        tok = doc[i]
        att = _attached(tok)
        if att is not None and (
            att[1].casefold() in not_names
            or (is_plural_keyword(tok.text) and is_common_word(att[1]))
        ):
            # "ESR-hankkeet", "Sote-hankkeissa": a kind of projects, not a project's name
            i += 1
            continue
        if att is not None:
            kind, _name = att
            out.append(Span(doc, i, i + 1, label=KIND_LABELS[kind], span_id="attached"))
            last_marker_end = i + 1
            i += 1
            continue
        marker = _marker_at(doc, i)
        if marker is not None:
            kind, m_start, m_end = marker
            name_end = m_start
            alias: Span | None = None
            # ``Nimi (ABBR) -hanke``: the abbreviation is an alias
            if name_end >= 3 and doc[name_end - 1].text == ")" and doc[name_end - 3].text == "(":
                alias = Span(doc, name_end - 2, name_end - 1, label="ALIAS", span_id="paren")
                name_end -= 3
            bounds = _left_name(doc, name_end, last_marker_end, starts)
            if bounds is not None:
                s, e = bounds
                label = KIND_LABELS[kind]
                pieces = (
                    _split_coordinated(doc, s, e)
                    if is_plural_keyword(doc[m_end].text)
                    else [(s, e)]
                )
                for ps, pe in pieces:
                    out.append(Span(doc, ps, pe, label=label, span_id="spaced"))
                if alias is not None:
                    out.append(alias)
            elif alias is not None:
                out.append(
                    Span(doc, alias.start, alias.end, label=KIND_LABELS[kind], span_id="abbr")
                )
            last_marker_end = m_end + 1
            i = m_end + 1
            continue
        quoted_next = i + 1 < n and doc[i + 1].text in _QUOTES
        kw = keyword_kind(tok.text) if tok.text[:1].islower() or quoted_next else None
        if kw in ("consortium", "network", "programme"):
            # "Omaishoidon kehittämisverkosto": capitalised attributes make the group a name
            j = i
            while j - 1 >= starts[i] and i - j < 4 and _group_attribute(doc[j - 1]):
                j -= 1
            if j < i and (j > starts[i] or doc[j].pos_ == "PROPN"):
                out.append(Span(doc, j, i + 1, label=KIND_LABELS[kw], span_id="compound"))
                i += 1
                continue
        if kw and i + 1 < n:
            after = _name_after_keyword(doc, i + 1)
            if after is not None:
                s, e, how = after
                out.append(Span(doc, s, e, label=KIND_LABELS[kw], span_id=how))
                i = e
                continue
        i += 1
    out.extend(_list_names(doc))
    out.extend(_group_lines(doc))
    return out


def _group_attribute(tok: Token) -> bool:
    """A capitalised genitive or adjective before a group word (``Omaishoidon``)."""
    if not _is_cap_word(tok) or tok.pos_ not in {"PROPN", "NOUN", "ADJ"}:
        return False
    case = tok.morph.get("Case", [])
    return "Gen" in case or (tok.pos_ == "ADJ" and bool(case))


def _split_coordinated(doc: Doc, s: int, e: int) -> list[tuple[int, int]]:
    """Split ``A ja B`` (before a plural keyword) into the names A and B."""
    parts: list[tuple[int, int]] = []
    cur = s
    for j in range(s, e):
        if doc[j].text in {"ja", "sekä", ","}:
            if j > cur:
                parts.append((cur, j))
            cur = j + 1
    if cur < e:
        parts.append((cur, e))
    # the trailing run of capitalised names: "…, dosentti, SoteDialogit ja SoteHelmet"
    run: list[tuple[int, int]] = []
    for a, b in reversed(parts):
        if not _is_cap_word(doc[a]) or b - a > 1:
            break
        run.insert(0, (a, b))
    if len(run) >= 2:
        return run
    return [(s, e)]


def _name_after_keyword(doc: Doc, j: int) -> tuple[int, int, str] | None:
    """``hankkeessa X`` / ``hanke ”X”``: the name that follows a keyword."""
    tok = doc[j]
    if tok.text in _QUOTES:
        k = j + 1
        while k < len(doc) and k - j <= _MAX_NAME and doc[k].text not in _QUOTES:
            if "\n" in doc[k].text:
                return None
            k += 1
        if k < len(doc) and k > j + 1 and doc[k].text in _QUOTES:
            return j + 1, k, "quoted"
        return None
    if not _is_cap(tok) or tok.is_sent_start or tok.like_num:
        return None
    case = tok.morph.get("Case", [])
    if case and case != ["Nom"] and tok.lemma_ != tok.text:
        return None  # an inflected word ("hankkeessa Kuopiossa"), not a name in apposition
    if tok.pos_ not in {"PROPN", "NOUN", "X", "ADJ"} or tok.lemma_.lower() in _not_a_name():
        return None
    if _attached(tok) is not None or keyword_kind(tok.text):
        return None
    k = j
    while k < len(doc) and k - j < 4 and _is_cap(doc[k]) and doc[k].text not in _STOP_PUNCT:
        c = doc[k].morph.get("Case", [])
        if c and c != ["Nom"] and doc[k].lemma_ != doc[k].text:
            break
        k += 1
    if any(is_org_head(b) for t in doc[j:k] for b in base_forms(t.text)) or any(
        is_legal_form(t.text) for t in doc[j:k]
    ):
        return None
    return j, k, "after_keyword"


def _list_names(doc: Doc) -> list[Span]:
    """Items of numbered lists introduced by a plural keyword (``hankkeita ovat``)."""
    from spacy.tokens import Span

    text = doc.text
    out: list[Span] = []
    items = list(_LIST_ITEM.finditer(text))
    if len(items) < 2:
        return out
    # group consecutive items
    groups: list[list[re.Match[str]]] = []
    for m in items:
        if (
            groups
            and m.start() - groups[-1][-1].end() <= 3
            and int(m.group("num")) == int(groups[-1][-1].group("num")) + 1
        ):
            groups[-1].append(m)
        else:
            groups.append([m])
    for group in groups:
        if len(group) < 2:
            continue
        intro = text[max(0, group[0].start() - 300) : group[0].start()].strip()
        intro_last = re.split(r"(?<=[.!?])\s+", intro)[-1] if intro else ""
        words = re.findall(r"[\w-]+", intro_last.lower())
        if not any(keyword_kind(w) == "project" and is_plural_keyword(w) for w in words):
            continue
        for m in group:
            item = m.group("item")
            if not item[:1].isupper() and item[:1] not in _QUOTES:
                continue
            start = m.start("item")
            span = doc.char_span(start, start + len(item), alignment_mode="expand")
            if span is None:
                continue
            out.append(Span(doc, span.start, span.end, label="PROJECT", span_id="list"))
    return out


def _group_lines(doc: Doc) -> list[Span]:
    """``Konsortio: Nimi`` lines."""
    from spacy.tokens import Span

    out: list[Span] = []
    for m in _GROUP_LINE.finditer(doc.text):
        kind = keyword_kind(m.group("kw"))
        if not kind:
            continue
        name = m.group("name").rstrip(".")
        span = doc.char_span(m.start("name"), m.start("name") + len(name), alignment_mode="expand")
        if span is not None and len(span) <= _MAX_NAME:
            out.append(Span(doc, span.start, span.end, label=KIND_LABELS[kind], span_id="label"))
    return out


def find_aliases(doc: Doc, names: list[Span]) -> list[tuple[Span, Span]]:
    """Pair names with the abbreviation in parentheses right after them: ``Nimi (ABBR)``.

    Returns (name span, abbreviation span) pairs.
    """
    out: list[tuple[Span, Span]] = []
    for span in names:
        e = span.end
        if e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")":
            abbr = doc[e + 1]
            t = abbr.text
            if 1 < len(t) <= 12 and t[:1].isupper() and " " not in t and not abbr.like_num:
                out.append((span, doc[e + 1 : e + 2]))
    return out


def _token_is_head(tok: Token) -> bool:
    return _is_head(tok.text, tok.norm_, tok.is_alpha)


@lru_cache(maxsize=131072)
def _is_head(text: str, norm: str, is_alpha: bool) -> bool:
    if is_legal_form(text):
        return True
    if not is_alpha and "-" not in text:
        return False
    return any(is_org_head(b) for b in (norm, *base_forms(text)))


def find_organisation_shapes(doc: Doc, units: list[tuple[int, int]] | None = None) -> list[Span]:
    """Find organisation names by their shape: head noun or legal form plus modifiers.

    >>> import spacy
    >>> nlp = spacy.blank("fi")
    >>> doc = nlp("Hanketta hallinnoi Pudasjärven Kehitys Oy yhdessä.")
    >>> [s.text for s in find_organisation_shapes(doc)]
    ['Pudasjärven Kehitys Oy']
    """
    from spacy.tokens import Span

    heads = [t.i for t in doc if _token_is_head(t)]
    starts = _unit_starts(doc, units) if heads else []
    found: list[tuple[int, int]] = []
    for h in heads:
        tok = doc[h]
        legal = is_legal_form(tok.text)
        s = h
        j = h - 1
        sent_start = starts[h]
        while j >= max(sent_start, h - 10):
            t = doc[j]
            text = t.text
            if "\n" in text or text in _STOP_PUNCT or text in _QUOTES:
                break
            prev_hyph = j - 1 >= 0 and doc[j - 1].text.endswith("-")
            truncated = j + 1 < h and doc[j + 1].text == "-" and not t.whitespace_
            if text.endswith("-") or truncated or (text in {"ja", ",", "sekä"} and prev_hyph):
                s = j
            elif not legal and j < h and _token_is_head(t) and not t.text.endswith("-"):
                break  # another organisation ("Tampereen yliopiston Työelämän tutkimuskeskus")
            elif legal:
                # "Etelä-Savon sosiaali- ja terveysalan järjestöjen tuki ry"
                if (_is_cap_word(t) or t.pos_ in {"NOUN", "ADJ", "PROPN", "X"}) and not (
                    t.is_sent_start and _common_word(t)
                ):
                    s = j
                else:
                    break
            elif _modifies(t, tok):
                s = j
            else:
                break
            j -= 1
        while s < h and not _is_cap_word(doc[s]):
            s += 1
        if s == h and not _is_cap_word(tok):
            continue
        if legal and s == h:
            continue
        e = h + 1
        # a legal form or a proper name right after the head belongs to the name
        if not legal and e < len(doc) and is_legal_form(doc[e].text):
            e += 1
        while (
            e < len(doc)
            and e - h <= 3
            and _is_cap_word(doc[e])
            and not doc[e].is_sent_start
            and not doc[e].like_num
            and (
                doc[e].morph.get("Case", []) in ([], ["Nom"])
                # "kuntayhtymä Siun Sote": a genitive first word of a trailing proper name
                or (e + 1 < len(doc) and _is_cap_word(doc[e + 1]) and doc[e].pos_ == "PROPN")
            )
            and doc[e].pos_ in {"PROPN", "NOUN", "X"}
            and not _token_is_head(doc[e])
            and keyword_kind(doc[e].text) is None
            and _attached(doc[e]) is None
        ):
            e += 1
        found.append((s, e))
    # keep the longest of overlapping shapes
    found.sort(key=lambda p: (p[0], -(p[1] - p[0])))
    out: list[Span] = []
    last_end = -1
    for s, e in found:
        if s >= last_end:
            out.append(Span(doc, s, e, label="ORG", span_id="shape"))
            last_end = e
        elif e > last_end and out and s >= out[-1].start:
            prev = out.pop()
            out.append(Span(doc, prev.start, e, label="ORG", span_id="shape"))
            last_end = e
    return out


def _is_cap_word(tok: Token) -> bool:
    return tok.text[:1].isalpha() and tok.text[:1].isupper()


def _modifies(t: Token, head: Token) -> bool:
    """A word before an organisation head noun that belongs to the name.

    Genitive attributes (``Tampereen``, ``terveyspalvelujen``) and adjectives agreeing in
    case with the head (``Humanistinen``); not a person's name in the nominative before an
    inflected head (``Eija Haukka Työterveyslaitoksesta``).
    """
    case = t.morph.get("Case", [])
    if t.pos_ not in {"NOUN", "ADJ", "PROPN", "X"} or t.like_num:
        return False
    if "Gen" in case:
        return True
    return t.pos_ == "ADJ" and case == head.morph.get("Case", []) and bool(case)


def _common_word(tok: Token) -> bool:
    """A sentence-initial capitalised word that is a common word, not part of a name."""
    return tok.pos_ not in {"PROPN", "X"} and tok.lemma_[:1].islower()

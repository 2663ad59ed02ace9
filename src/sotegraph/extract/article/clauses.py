"""What a sentence is about, from its syntax: sentence units, genitives, negated clauses,
plural or counted sets of projects (``kuusi … hanketta``), a generic ``Hanke`` subject,
and the project a value hangs under.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sotegraph.nlp.lexicon import cues, is_plural_keyword, keyword_kind

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from sotegraph.extract.article.model import Cue, Mention

__all__ = [
    "NUMERALS",
    "about_group",
    "ancestor_project",
    "counted_projects",
    "generic_subject",
    "genitive",
    "in_counted_phrase",
    "negated_tokens",
    "plural_reference",
    "under_counted_projects",
    "units",
]

#: Words that count a set of projects (``kuusi hanketta``, ``useat hankkeet``).
NUMERALS = frozenset(
    [
        "kaksi",
        "kolme",
        "neljä",
        "viisi",
        "kuusi",
        "seitsemän",
        "kahdeksan",
        "yhdeksän",
        "kymmenen",
        "useat",
        "monet",
        "muutamat",
        "kaikki",
        "molemmat",
    ]
)


def units(doc: Doc) -> list[SpacySpan]:
    """The sentence units of the domain-shapes component (the parser's sentences if absent)."""
    found = doc.spans.get("sg_sentences")
    if found is not None and len(found):
        return list(found)
    return list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]


def genitive(tok: Token) -> bool:
    """A genitive word, also an abbreviation with a colon or an unknown ``-in`` ending."""
    if "Gen" in tok.morph.get("Case", []):
        return True
    text = tok.text
    if text.endswith(":n"):
        return True
    return (
        tok.lemma_ == text
        and text[:1].isupper()
        and text.endswith("in")
        and any(c.isupper() for c in text[1:-2])
    )


def negated_tokens(sent: SpacySpan, s_cues: list[Cue]) -> set[int]:
    """Token indices in a negated clause (from a negation word to the next comma)."""
    out: set[int] = set()
    for c in s_cues:
        if "negation" not in c.roles:
            continue
        i = c.start
        # a negation verb ("ei") negates its whole clause; "toisin kuin" the phrase after it
        j = i
        while j < sent.end and sent.doc[j].text not in {",", ";"} and j - i < 25:
            out.add(j)
            j += 1
        if c.text.lower() in {"ei", "eikä", "eivät", "en", "emme"}:
            k = i - 1
            while k >= sent.start and sent.doc[k].text not in {",", ";"}:
                out.add(k)
                k -= 1
    return out


def plural_reference(sent: SpacySpan, s_projects: list[Mention]) -> bool:
    """True if the sentence speaks of several projects at once (``Hankkeita hallinnoi``)."""
    if any(not m.plural for m in s_projects):
        return False
    plural = set(cues()["plural_reference"]["forms"])
    for tok in sent:
        if tok.dep_.startswith(("nsubj", "obj")) or tok.i == sent.start:
            low = tok.lower_
            if low in plural or (keyword_kind(low) == "project" and is_plural_keyword(low)):
                return True
    return False


def generic_subject(sent: SpacySpan, s_projects: list[Mention]) -> bool:
    """The sentence's subject is a plain singular ``Hanke`` (the project in context)."""
    inside = {i for m in s_projects for i in range(m.start, m.end)}
    for tok in sent:
        if tok.i in inside or not tok.dep_.startswith("nsubj"):
            continue
        if keyword_kind(tok.text) == "project" and not is_plural_keyword(tok.text):
            return "-" not in tok.text
    return False


def about_group(sent: SpacySpan) -> bool:
    """A bare consortium or network word is the subject or object (``Konsortiota koordinoi``)."""
    for tok in sent:
        if tok.dep_.startswith(("nsubj", "obj")) and keyword_kind(tok.text) in (
            "consortium",
            "network",
        ):
            return "-" not in tok.text and tok.text[:1].isalpha()
    return False


def counted_projects(sent: SpacySpan) -> int:
    """N in ``… kuuluu kolme hanketta`` (0 if the sentence counts no projects)."""
    numbers = {
        "kaksi": 2,
        "kolme": 3,
        "neljä": 4,
        "viisi": 5,
        "kuusi": 6,
        "seitsemän": 7,
        "kahdeksan": 8,
        "yhdeksän": 9,
        "kymmenen": 10,
    }
    for tok in sent:
        if keyword_kind(tok.text) == "project" and tok.text[:1].islower():
            for ch in tok.children:
                if ch.dep_ == "nummod":
                    if ch.lower_ in numbers:
                        return numbers[ch.lower_]
                    if ch.text.isdigit():
                        return int(ch.text)
    return 0


def in_counted_phrase(sent: SpacySpan, i: int) -> bool:
    """Token ``i`` lies between a numeral and the plural/counted project word it counts.

    ``kuusi Euroopan sosiaalirahaston vuosina 2019–2022 rahoittamaa … kehittämishanketta``:
    the funder and the years are those of the six projects, not of the sentence's project.
    """
    doc = sent.doc
    for k in range(i + 1, min(sent.end, i + 12)):
        tok = doc[k]
        if keyword_kind(tok.text) != "project" or tok.text[:1].isupper():
            continue
        for n in range(max(sent.start, k - 14), i):
            low = doc[n].lower_
            if low in NUMERALS or (doc[n].pos_ == "NUM" and doc[n].dep_ == "nummod"):
                return True
        return is_plural_keyword(tok.text) and doc[i].dep_ in {"acl", "amod", "nmod", "obl"}
    return False


def under_counted_projects(span: SpacySpan) -> bool:
    """A value inside a phrase about a counted or plural set of projects."""
    tok = span.root
    for _ in range(6):
        if keyword_kind(tok.text) == "project" and tok.text[:1].islower():
            return is_plural_keyword(tok.text) or any(
                ch.dep_ == "nummod" or ch.lower_ in NUMERALS for ch in tok.children
            )
        if tok.head is tok:
            break
        tok = tok.head
    return False


def ancestor_project(span: SpacySpan, s_projects: list[Mention]) -> str | None:
    """The (singular) project mention a value's phrase hangs under, up to six heads up."""
    tok = span.root
    for _ in range(6):
        hit = next((m.key for m in s_projects if m.start <= tok.i < m.end and not m.plural), None)
        if hit is not None:
            return hit
        if tok.head is tok:
            break
        tok = tok.head
    return None

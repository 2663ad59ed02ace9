"""Long prose in pieces: spaCy refuses texts over 1,000,000 characters and its parser needs
memory in proportion to the text, so long prose is cut at paragraph or sentence ends, parsed
piece by piece, and read by one fact builder as one text.

The limits the entry points use are those of :mod:`sotegraph.extract.article`
(``NLP_PIECE_CHARS``, ``NLP_MAX_CHARS``): set them there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sotegraph.extract.article.builder import Builder
from sotegraph.extract.article.mentions import listed_projects, mentioned_known_orgs
from sotegraph.extract.article.places import assign_places
from sotegraph.extract.article.themes import assign_themes
from sotegraph.facts import Facts
from sotegraph.read import Document

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "NLP_MAX_CHARS",
    "NLP_PIECE_CHARS",
    "facts_from_doc",
    "facts_from_pieces",
    "parse_in_pieces",
    "text_pieces",
]

#: Prose longer than this is parsed in pieces cut at paragraph or sentence ends (spaCy refuses
#: texts over 1,000,000 characters, and its parser needs memory in proportion to the text).
NLP_PIECE_CHARS = 100_000
#: Prose beyond this many characters of one document is not parsed (about a minute of
#: spaCy on two cores); a warning says so, and everything else of the document is kept.
NLP_MAX_CHARS = 1_000_000


def facts_from_doc(
    document: Document,
    doc: Doc,
    *,
    facts: Facts | None = None,
    offset: int = 0,
    default_project: str | None = None,
) -> Facts:
    """Turn a text parsed by the sotegraph pipeline into facts (see :mod:`sotegraph.extract.article`).

    Parameters
    ----------
    document:
        The document the text belongs to (spans index into its text).
    doc:
        ``nlp(text)`` where ``text`` is ``document.text`` or a part of it starting at
        ``offset``.
    facts:
        Facts to add to (an EURA record's); a new ``Facts`` when ``None``.
    default_project:
        The key of the project the text is about when a sentence names none.
    """
    return facts_from_pieces(
        document, [(offset, doc)], facts=facts, default_project=default_project
    )


def facts_from_pieces(
    document: Document,
    pieces: Iterable[tuple[int, Doc]],
    *,
    facts: Facts | None = None,
    default_project: str | None = None,
) -> Facts:
    """Like :func:`facts_from_doc` for a text parsed in pieces: ``(offset, doc)`` in order."""
    if facts is None:
        facts = Facts(document_id=document.id, source=document.source, genre=document.genre)
    b = Builder(facts, document, default_project=default_project)
    listed: list[str] = []
    known: dict[str, bool] = {}
    for offset, doc in pieces:
        b.read(doc, offset=offset)
        listed += [k for k in listed_projects(b.reg, doc) if k not in listed]
        known.update(mentioned_known_orgs(b.reg, doc))
    b.listed = listed
    b.mentioned_known = known
    assign_themes(b.theme_text, b.reg.projects, document)
    assign_places(b.theme_text, b.reg.projects, b.org_chars, document)
    b.finish()
    return facts


def text_pieces(
    text: str, start: int = 0, end: int | None = None, *, size: int = NLP_PIECE_CHARS
) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into ``(start, end)`` pieces of at most ``size`` characters.

    Each cut falls after a blank line, else after a line break, else after a sentence end
    (". "), else at a space, else at ``size``.

    >>> text = "Yksi.\\n\\nKaksi kolme. Neljä."
    >>> [text[a:b] for a, b in text_pieces(text, size=13)]
    ['Yksi.\\n\\n', 'Kaksi kolme. ', 'Neljä.']
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    while end - pos > size:
        limit = pos + size
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = text.rfind(sep, pos + 1, limit)
            if at > pos:
                cut = at + len(sep)
                break
        if cut <= pos:
            cut = limit
        out.append((pos, cut))
        pos = cut
    if end > pos or not out:
        out.append((pos, end))
    return out


def parse_in_pieces(
    document: Document,
    spans: Sequence[tuple[int, int]],
    nlp: Language,
    facts: Facts | None,
    *,
    max_chars: int = NLP_MAX_CHARS,
) -> list[list[tuple[int, Doc]]]:
    """Parse each span of the document's text, in pieces, within ``max_chars`` in all.

    Returns the parsed pieces of each span, ``(offset, doc)``. Prose beyond the limit is left
    out with a warning on ``facts`` (when given).
    """
    budget = max_chars
    plan: list[list[tuple[int, int]]] = []
    for s, e in spans:
        keep = max(0, min(e - s, budget))
        budget -= keep
        if keep < e - s and facts is not None:
            line = document.text.count("\n", 0, s + keep) + 1
            facts.warn(
                f"prose from character {s + keep:,} to {e:,} was not read by the language "
                f"model: a document's prose is read up to {max_chars:,} characters",
                line=line,
                expected=f"at most {max_chars:,} characters of prose per document",
            )
        plan.append(text_pieces(document.text, s, s + keep) if keep else [])
    flat = [piece for pieces in plan for piece in pieces]
    # long prose one piece at a time: a batch of 100,000-character pieces costs gigabytes in
    # the model (1,000,000 characters: 4.7 GB peak batched, 1.0 GB one by one, and faster)
    long = sum(b - a for a, b in flat) > NLP_PIECE_CHARS
    texts = (document.text[a:b] for a, b in flat)
    parsed = iter(nlp.pipe(texts, batch_size=1) if long else nlp.pipe(texts))
    return [[(a, next(parsed)) for a, _b in pieces] for pieces in plan]

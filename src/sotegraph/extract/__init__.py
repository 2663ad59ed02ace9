"""Extraction: :class:`~sotegraph.read.Document` → :class:`~sotegraph.facts.Facts`.

One extractor per genre (:data:`EXTRACTORS`); extraction of one document never depends on
another. The extractors: :mod:`.eura` (EURA project-description records), :mod:`.bulk`
(EURA bulk project lists), :mod:`.article` (Finnish prose, through the spaCy pipeline of
:mod:`sotegraph.nlp`) and :mod:`.swedish` (Swedish prose, through the Swedish pipeline of
:mod:`sotegraph.nlp.swedish`: articles are routed by :attr:`Document.language`);
:mod:`.values` reads the amounts, dates and business ids they find.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sotegraph.facts import Facts
from sotegraph.read import Document, Genre

__all__ = ["EXTRACTORS", "Extractor", "extract", "is_swedish"]

#: An extractor: ``(document, nlp, use_nlp) → facts`` (``nlp`` and ``use_nlp`` as in
#: :func:`extract`).
Extractor = Callable[[Document, Any, bool], Facts]


def _eura_record(document: Document, nlp: Any, use_nlp: bool) -> Facts:
    """The record's structured fields; with NLP, also what its prose sections say."""
    from sotegraph.extract.eura import parse_eura

    facts = parse_eura(document)
    if use_nlp:
        from sotegraph.extract.article import enrich_record

        enrich_record(document, facts, nlp=nlp)
    return facts


def _bulk_table(document: Document, nlp: Any, use_nlp: bool) -> Facts:
    """One project per row (no NLP)."""
    from sotegraph.extract.bulk import read_bulk

    return read_bulk(document)


def _article(document: Document, nlp: Any, use_nlp: bool) -> Facts:
    """What the spaCy pipeline of the document's language finds; without NLP, no facts.

    A Swedish document (:attr:`Document.language` ``"sv"``) goes to :mod:`.swedish`; the
    ``nlp`` given is used only if it is a Swedish pipeline (a caller's pipeline is the
    Finnish one as a rule).
    """
    if not use_nlp:
        return Facts(document_id=document.id, source=document.source, genre=document.genre)
    if is_swedish(document):
        from sotegraph.extract.swedish import extract_swedish

        return extract_swedish(document, nlp=nlp if getattr(nlp, "lang", None) == "sv" else None)
    from sotegraph.extract.article import extract_article

    return extract_article(document, nlp=nlp)


def is_swedish(document: Document) -> bool:
    """Whether a document's prose is read by the Swedish pipeline (not the Finnish one).

    >>> from sotegraph.read import Document
    >>> is_swedish(Document.from_text("Projektet förvaltas av Vasa stad och Novia."))
    True
    >>> is_swedish(Document.from_text("Hanketta hallinnoi Vaasan kaupunki."))
    False
    """
    return getattr(document, "language", "fi") == "sv"


#: The extractor of each genre: a new genre is one entry here (and one in
#: :class:`~sotegraph.facts.Genre`). Each extractor imports its module when first called,
#: so that importing :mod:`sotegraph.extract` stays cheap.
EXTRACTORS: dict[Genre, Extractor] = {
    Genre.EURA_RECORD: _eura_record,
    Genre.BULK_TABLE: _bulk_table,
    Genre.ARTICLE: _article,
}


def extract(document: Document, *, nlp: Any = None, use_nlp: bool = True) -> Facts:
    """Extract the facts of one document, choosing the extractor by its genre.

    Parameters
    ----------
    document:
        The document to read.
    nlp:
        A loaded sotegraph spaCy pipeline to reuse (see :mod:`sotegraph.nlp`); loaded on
        demand when ``None`` and needed.
    use_nlp:
        When ``False``, prose is not run through spaCy (articles yield only what rules find
        without it; EURA records keep their structured fields).

    Examples
    --------
    >>> from sotegraph.read import Document
    >>> doc = Document.from_text("Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus\\n"
    ...                          "Hankekoodi: S20001\\nHankkeen nimi: Koe\\n", source="a.txt")
    >>> extract(doc, use_nlp=False).projects[0].code
    'S20001'
    """
    return EXTRACTORS[document.genre](document, nlp, use_nlp)

"""Extraction: :class:`~sotegraph.read.Document` → :class:`~sotegraph.facts.Facts`.

One extractor per genre; extraction of one document never depends on another.
"""

from __future__ import annotations

from typing import Any

from sotegraph.facts import Facts
from sotegraph.read import Document, Genre

__all__ = ["extract"]


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
    if document.genre is Genre.EURA_RECORD:
        from sotegraph.extract.eura import parse_eura

        facts = parse_eura(document)
        if use_nlp:
            _enrich_prose(document, facts, nlp)
        return facts
    if document.genre is Genre.BULK_TABLE:
        from sotegraph.extract.bulk import read_bulk

        return read_bulk(document)
    if not use_nlp:
        return Facts(document_id=document.id, source=document.source, genre=document.genre.value)
    from sotegraph.extract.article import extract_article

    return extract_article(document, nlp=nlp)


def _enrich_prose(document: Document, facts: Facts, nlp: Any) -> None:
    """Run the article extractor over an EURA record's prose sections (if available)."""
    try:
        from sotegraph.extract.article import enrich_record
    except ImportError:  # the NLP extractor is optional
        return
    enrich_record(document, facts, nlp=nlp)

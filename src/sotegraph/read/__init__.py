"""Stage 1, reading: files, texts and bytes → :class:`Document`.

``documents`` (the :class:`Document` type, genre detection, paths), ``encodings`` (bytes to
text), ``html`` (visible text of a page), ``pdf`` (text of a PDF) and ``limits`` (how large
and how deep a document the readers take).
"""

from __future__ import annotations

from sotegraph.read.documents import (
    Document,
    Genre,
    detect_genre,
    iter_paths,
    iter_sources,
    normalise_text,
    read_document,
    source_name,
)
from sotegraph.read.encodings import decode_text, sniff_format
from sotegraph.read.html import html_depth, html_to_text
from sotegraph.read.limits import ReadLimits
from sotegraph.read.pdf import pdf_to_text

__all__ = [
    "Document",
    "Genre",
    "ReadLimits",
    "decode_text",
    "detect_genre",
    "html_depth",
    "html_to_text",
    "iter_paths",
    "iter_sources",
    "normalise_text",
    "pdf_to_text",
    "read_document",
    "sniff_format",
    "source_name",
]

"""How large and how deep a document a reader takes: :class:`ReadLimits`.

A document over a limit fails alone with :class:`~sotegraph.errors.DocumentTooLargeError`
(an :class:`~sotegraph.errors.InputError`): a build reports it and goes on with the others.
The defaults let every real input through with a wide margin (the largest EURA record seen
is 18 KB of text, the largest project list 4 MB, web pages nest 20-60 elements deep) and
stop what would take a reader minutes or the store gigabytes:

- ``max_file_bytes``, 100 MB: the size of a file, checked before it is read;
- ``max_text_chars``, 5,000,000 characters of text in one document (records, articles, pages,
  PDF files; project lists stream row by row and are bounded by the file size only);
- ``max_html_depth``, 512 levels of nested elements in an HTML page (as browsers cap the tree):
  an HTML parser spends time in proportion to the depth for each element, so a page of
  200,000 nested ``<div>`` elements would take minutes; the depth is measured by a linear scan
  before the page is parsed (:func:`sotegraph.read.html.html_depth`).

Each is raised with ``sotegraph build --max-file-mb / --max-text-chars / --max-html-depth``
(or the ``SOTEGRAPH_MAX_FILE_MB``, ``SOTEGRAPH_MAX_TEXT_CHARS``, ``SOTEGRAPH_MAX_HTML_DEPTH``
environment variables), or in Python with ``build(..., limits=ReadLimits(...))``; ``None``
turns a limit off.

Examples
--------
>>> from sotegraph.read import ReadLimits
>>> ReadLimits().max_html_depth
512
>>> ReadLimits(max_text_chars=None).check_text(10**9, file="x.txt") is None
True
>>> ReadLimits(max_text_chars=10).check_text(12, file="x.txt")
Traceback (most recent call last):
...
sotegraph.errors.DocumentTooLargeError: x.txt: text too long: 12 characters, over the limit \
of 10 (expected at most 10 characters of text in one document; raise the limit with \
sotegraph build --max-text-chars N or ReadLimits(max_text_chars=N))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sotegraph.errors import DocumentTooLargeError, UsageError

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_MAX_HTML_DEPTH",
    "DEFAULT_MAX_TEXT_CHARS",
    "ReadLimits",
]

MB = 1_000_000
#: The default largest file read (bytes): 25 times the largest project list.
DEFAULT_MAX_FILE_BYTES = 100 * MB
#: The default longest text of one document (characters): 250 times the largest record.
DEFAULT_MAX_TEXT_CHARS = 5_000_000
#: The default deepest nesting of HTML elements (browsers cap the tree at 512 too).
DEFAULT_MAX_HTML_DEPTH = 512


def _raise_with(option: str, field: str) -> str:
    return f"raise the limit with sotegraph build {option} N or ReadLimits({field}=N)"


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """The largest documents the readers take; ``None`` turns a limit off.

    Attributes
    ----------
    max_file_bytes:
        Largest file, in bytes (checked before reading).
    max_text_chars:
        Longest text of one document, in characters, after decoding and HTML or PDF
        extraction (not for project lists, which are read row by row).
    max_html_depth:
        Deepest nesting of elements in an HTML page.

    Raises
    ------
    UsageError
        If a limit is not a positive integer or ``None``.
    """

    max_file_bytes: int | None = DEFAULT_MAX_FILE_BYTES
    max_text_chars: int | None = DEFAULT_MAX_TEXT_CHARS
    max_html_depth: int | None = DEFAULT_MAX_HTML_DEPTH

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_text_chars", "max_html_depth"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1
            ):
                raise UsageError(f"{name} must be a positive integer or None, not {value!r}")

    def check_file(self, size: int, *, file: str | Path) -> None:
        """Refuse a file of ``size`` bytes over :attr:`max_file_bytes`.

        Raises
        ------
        DocumentTooLargeError
            If the file is larger than the limit.
        """
        limit = self.max_file_bytes
        if limit is not None and size > limit:
            raise DocumentTooLargeError(
                f"file too large: {_mb(size)} ({size:,} bytes), over the limit of {_mb(limit)}",
                file=file,
                expected=f"a file of at most {_mb(limit)}; "
                + _raise_with("--max-file-mb", "max_file_bytes"),
            )

    def check_text(self, chars: int, *, file: str | Path, at_least: bool = False) -> None:
        """Refuse a text of ``chars`` characters over :attr:`max_text_chars`.

        ``at_least``: ``chars`` counts only the part read so far (a reader stopped there).

        Raises
        ------
        DocumentTooLargeError
            If the text is longer than the limit.
        """
        limit = self.max_text_chars
        if limit is not None and chars > limit:
            raise DocumentTooLargeError(
                f"text too long: {'at least ' if at_least else ''}{chars:,} characters, "
                f"over the limit of {limit:,}",
                file=file,
                expected=f"at most {limit:,} characters of text in one document; "
                + _raise_with("--max-text-chars", "max_text_chars"),
            )

    def depth_error(self, line: int, *, file: str | Path) -> DocumentTooLargeError:
        """The error for an HTML page nested deeper than :attr:`max_html_depth` at ``line``."""
        limit = self.max_html_depth
        return DocumentTooLargeError(
            f"HTML nested too deeply: more than {limit:,} levels of elements",
            file=file,
            line=line,
            expected=f"at most {limit:,} levels; "
            + _raise_with("--max-html-depth", "max_html_depth"),
        )


def _mb(size: int) -> str:
    """A size in (decimal) megabytes, as the ``--max-file-mb`` option counts them.

    >>> _mb(52_428_800), _mb(100_000_000), _mb(1_500)
    ('52.4 MB', '100 MB', '0.0015 MB')
    """
    mb = size / MB
    if mb == int(mb):
        return f"{int(mb)} MB"
    return f"{mb:.1f} MB" if mb >= 0.1 else f"{mb:.2g} MB"

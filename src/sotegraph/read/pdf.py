"""PDF files to text, page by page, running headers and page numbers removed (``pypdf``)."""

from __future__ import annotations

import io
import re
from typing import Any

from sotegraph.errors import InputError
from sotegraph.read.limits import ReadLimits

__all__ = ["pdf_to_text"]


def pdf_to_text(data: bytes, *, source: str = "<pdf>", max_chars: int | None = None) -> str:
    """Return the text of a PDF file, page by page (pages separated by a blank line).

    PDFs lay EURA records out in two columns, label left and value right; text extraction then
    yields either ``Label: value`` on one line or the label and the value on consecutive lines
    (``Hankekoodi:`` / ``S29999``), and long values wrap onto several lines. Page headers and
    footers repeated on every page (``Sivu 2 / 5``) are removed.

    Parameters
    ----------
    data:
        The bytes of the PDF.
    source:
        The file name, for messages.
    max_chars:
        Stop reading pages, and refuse the file, once its text is longer than this.

    Raises
    ------
    DocumentTooLargeError
        If the text is longer than ``max_chars``.
    InputError
        If pypdf is not installed, the file is not a readable PDF, is encrypted, or has no
        extractable text (a scanned image: OCR is not done).

    Examples
    --------
    >>> pdf_to_text(b"not a pdf", source="x.pdf")
    Traceback (most recent call last):
    ...
    sotegraph.errors.InputError: x.pdf: not a readable PDF: ... (expected a PDF file)
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise InputError(
            "reading PDF needs pypdf", file=source, expected="pip install 'sotegraph[formats]'"
        ) from exc
    import logging

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # pypdf logs every recoverable oddity as a warning
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise InputError(
                    "PDF is encrypted", file=source, expected="an unencrypted PDF"
                ) from exc
        pages: list[str] = []
        chars = 0
        limits = ReadLimits(max_text_chars=max_chars)
        for page in reader.pages:
            pages.append(_page_text(page))
            chars += len(pages[-1])
            limits.check_text(chars, file=source, at_least=True)
    except InputError:  # a DocumentTooLargeError too
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise InputError(f"not a readable PDF: {exc}", file=source, expected="a PDF file") from exc
    except Exception as exc:  # pypdf raises assorted errors on broken files
        raise InputError(
            f"not a readable PDF: {type(exc).__name__}: {exc}", file=source, expected="a PDF file"
        ) from exc
    finally:
        pypdf_log.setLevel(level)
    if pages and not any(p.strip() for p in pages):
        raise InputError(
            f"PDF has no text layer ({len(pages)} page(s) of images?)",
            file=source,
            expected="a PDF with text (scanned PDFs need OCR first)",
        )
    return "\n\n".join(_strip_running_lines(pages))


def _page_text(page: Any) -> str:
    """Text of one page: two-column label/value layouts rejoined, else pypdf's plain text."""
    plain = page.extract_text() or ""
    try:
        layout = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode is newer and more fragile than the plain one
        return plain
    joined = _join_columns(layout)
    return joined if joined is not None else plain


_GAP = re.compile(r"\S( {3,})\S")


def _join_columns(layout: str) -> str | None:
    """Rejoin a label column and a value column into ``label value`` lines.

    In a two-column PDF a label that wraps (``Suunnitelman mukainen`` / ``toteutusaika:``) is
    printed beside the first line of its value, so plain extraction interleaves them:
    ``Suunnitelman mukainen Alkaa 1.3.2019 …`` then ``toteutusaika:``. Layout extraction keeps
    the columns apart; this puts the label's parts together, then the value's. Returns ``None``
    when the page has no value column.
    """
    lines = [ln.rstrip() for ln in layout.splitlines()]
    cols = []
    for ln in lines:
        m = _GAP.search(ln)
        if m and m.start(1) > 0:
            cols.append(m.end(1))
    if len(cols) < 2:
        return None
    # the value column: the most common start position of a right-hand part
    column = max(set(cols), key=cols.count)
    out: list[str] = []
    label: list[str] = []
    value: list[str] = []

    def flush() -> None:
        if label or value:
            out.append(" ".join([" ".join(label), " ".join(value)]).strip())
        label.clear()
        value.clear()

    for ln in lines:
        if not ln.strip():
            flush()
            out.append("")
            continue
        indent = len(ln) - len(ln.lstrip())
        m = _GAP.search(ln)
        if m and abs(m.end(1) - column) <= 2:
            flush()
            label.append(ln[: m.start(1) + 1].strip())
            value.append(ln[m.end(1) :].strip())
        elif abs(indent - column) <= 2 and (label or value):
            value.append(ln.strip())  # a wrapped value
        elif (
            value
            and label
            and not label[-1].endswith(":")
            and indent < column
            and len(ln.strip()) < column
        ):
            label.append(ln.strip())  # the rest of a wrapped label
        else:
            flush()
            out.append(" ".join(ln.split()))
    flush()
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:sivu|page|s\.)\s*\d+(?:\s*(?:/|of|\()\s*\d+\)?)?|\d+\s*/\s*\d+|\d{1,3})\s*$", re.I
)
_EDGE = 3  # header and footer lines are looked for among the first and last lines of a page


def _strip_running_lines(pages: list[str]) -> list[str]:
    """Drop page numbers and header/footer lines repeated at the top or bottom of every page."""
    split = [p.splitlines() for p in pages]

    def key(line: str) -> str:
        # "Sivu 1 / 2" and "Sivu 2 / 2" are the same running line
        return re.sub(r"\d+", "#", " ".join(line.split()))

    def edges(lines: list[str]) -> set[str]:
        body = [key(ln) for ln in lines if ln.strip()]
        return set(body[:_EDGE] + body[-_EDGE:])

    common: set[str] = set()
    if len(split) >= 2:
        common = set.intersection(*(edges(lines) for lines in split))
        common = {c for c in common if len(c) < 120}
    out = []
    for lines in split:
        nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
        edge_idx = set(nonblank[:_EDGE] + nonblank[-_EDGE:])
        kept = [
            ln
            for i, ln in enumerate(lines)
            if not (i in edge_idx and (key(ln) in common or _PAGE_NUMBER.match(ln)))
        ]
        out.append("\n".join(kept))
    return out

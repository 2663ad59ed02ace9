"""Text from HTML pages and PDF files (optional dependencies: ``sotegraph[formats]``)."""

from __future__ import annotations

import io

from sotegraph.errors import InputError

__all__ = ["html_to_text", "pdf_to_text"]

_DROP = ("script", "style", "nav", "header", "footer", "noscript", "svg", "form", "aside")
_BLOCK = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article")


def html_to_text(html: str, *, source: str = "<html>") -> str:
    """Return the visible text of an HTML page, with scripts and navigation dropped.

    >>> html_to_text("<html><nav>Menu</nav><p>Hankekoodi: S21259</p><script>x()</script></html>")
    'Hankekoodi: S21259'

    Raises
    ------
    InputError
        If selectolax is not installed.
    """
    try:
        from selectolax.parser import HTMLParser
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise InputError(
            "reading HTML needs selectolax", file=source, expected="pip install 'sotegraph[formats]'"
        ) from exc
    tree = HTMLParser(html)
    for tag in _DROP:
        for node in tree.css(tag):
            node.decompose()
    for tag in _BLOCK:
        for node in tree.css(tag):
            node.insert_after("\n")
    root = tree.body or tree.root
    if root is None:
        return ""
    text = root.text(separator="", strip=False)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def pdf_to_text(data: bytes, *, source: str = "<pdf>") -> str:
    """Return the text of a PDF file, page by page.

    Raises
    ------
    InputError
        If pypdf is not installed or the file is not a readable PDF.
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise InputError(
            "reading PDF needs pypdf", file=source, expected="pip install 'sotegraph[formats]'"
        ) from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a readable PDF: {exc}", file=source, expected="a PDF file") from exc
    return "\n\n".join(pages)

"""HTML pages to text: the visible text, scripts and navigation dropped (``selectolax``)."""

from __future__ import annotations

from sotegraph.errors import InputError

__all__ = ["html_to_text"]

_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "head",
    "[role=navigation]",
    "[role=banner]",
    "[role=contentinfo]",
    "[role=search]",
    "[aria-hidden=true]",
    "[hidden]",
)
_BLOCK = (
    "p",
    "div",
    "li",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "address",
    "figcaption",
)


def html_to_text(html: str, *, source: str = "<html>") -> str:
    """Return the visible text of an HTML page, with scripts and navigation dropped.

    Block elements become lines; a table row of a header cell and a data cell (``<th>Hankekoodi
    </th><td>S29999</td>``) and a definition-list pair become one ``label: value`` line, as the
    EURA parser expects.

    Parameters
    ----------
    html:
        The page's markup (already decoded, see :func:`decode_text`).
    source:
        The file name, for messages.

    Raises
    ------
    InputError
        If selectolax is not installed.

    Examples
    --------
    >>> html_to_text("<html><nav>Valikko</nav><p>Hankekoodi: S29999</p><script>x()</script></html>")
    'Hankekoodi: S29999'
    >>> html_to_text("<table><tr><th>Hankekoodi</th><td>S29999</td></tr></table>")
    'Hankekoodi: S29999'
    """
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise InputError(
            "reading HTML needs selectolax",
            file=source,
            expected="pip install 'sotegraph[formats]'",
        ) from exc
    tree = LexborHTMLParser(html)
    for selector in _DROP:
        for node in tree.css(selector):
            node.decompose()
    for node in tree.css("br"):
        node.insert_after("\n")
    # label cells: "<th>Label</th><td>value</td>" and "<dt>Label</dt><dd>value</dd>"
    for node in tree.css("th, td, dt"):
        label = (node.text(strip=True) or "").rstrip()
        nxt = node.next
        while nxt is not None and nxt.tag == "-text" and not (nxt.text() or "").strip():
            nxt = nxt.next
        is_label = node.tag == "dt" or (node.tag == "th" and nxt is not None and nxt.tag == "td")
        if node.tag == "dt":
            node.insert_before("\n")
        if is_label and label:
            node.insert_after(" " if label.endswith(":") else ": ")
        else:
            node.insert_after(" ")
    for tag in _BLOCK:
        for node in tree.css(tag):
            node.insert_before("\n")
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
    # a dt/dd pair renders as "Label:" then "value" on the next line: join them
    joined: list[str] = []
    for line in out:
        if joined and joined[-1].endswith(":") and line and ":" not in line[:40]:
            prev = joined[-1]
            if len(prev) < 80:
                joined[-1] = f"{prev} {line}"
                continue
        joined.append(line)
    return "\n".join(joined).strip()

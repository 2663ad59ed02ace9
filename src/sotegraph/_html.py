"""Small HTML tables for notebooks (``_repr_html_`` of query rows and validation reports).

Every text put into the page is escaped; long tables show their first rows and say how
many more there are.

Examples
--------
>>> print(html_table(["name", "n"], [["<b>Alfa</b> & co", 2], ["Beeta", None]], limit=1))
<table class="sotegraph">
<thead><tr><th>name</th><th>n</th></tr></thead>
<tbody>
<tr><td>&lt;b&gt;Alfa&lt;/b&gt; &amp; co</td><td>2</td></tr>
</tbody>
</table>
<p class="sotegraph-more">1 more row (2 in all)</p>
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

__all__ = ["DEFAULT_LIMIT", "cell", "html_table", "more_rows", "short_iri"]

#: How many rows a table shows before it says how many more there are.
DEFAULT_LIMIT = 50

_PREFIXES = {
    "https://w3id.org/sotegraph/id/": "sgid:",
    "https://w3id.org/sotegraph/ontology#": "sg:",
    "https://w3id.org/sotegraph/shapes#": "sgsh:",
    "https://schema.org/": "schema:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.yso.fi/onto/yso/": "yso:",
}


def short_iri(iri: str) -> str:
    """An IRI with a known namespace written as ``prefix:rest``, any other one as it is.

    Examples
    --------
    >>> short_iri("https://w3id.org/sotegraph/id/project/S90001")
    'sgid:project/S90001'
    >>> short_iri("https://example.org/x")
    'https://example.org/x'
    """
    for ns, prefix in _PREFIXES.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return iri


def cell(value: Any) -> str:
    """One escaped table cell: an IRI shortened (the whole IRI as its tooltip), a literal's
    text, an empty cell for ``None``.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> cell(URIRef("https://w3id.org/sotegraph/id/organisation/a&b"))
    '<td title="https://w3id.org/sotegraph/id/organisation/a&amp;b">sgid:organisation/a&amp;b</td>'
    >>> cell(Literal("<script>", lang="fi")), cell(None)
    ('<td>&lt;script&gt;</td>', '<td></td>')
    """
    if value is None:
        return "<td></td>"
    if isinstance(value, URIRef):
        full = html.escape(str(value))
        return f'<td title="{full}">{html.escape(short_iri(str(value)))}</td>'
    if isinstance(value, BNode):
        return "<td>[]</td>"
    if isinstance(value, Literal):
        text = html.escape(str(value))
        if value.datatype in _NUMERIC:
            return f'<td style="text-align:right;white-space:nowrap">{text}</td>'
        if value.datatype in _DATES:
            return f'<td style="white-space:nowrap">{text}</td>'
        return f"<td>{text}</td>"
    return f"<td>{html.escape(str(value))}</td>"


def more_rows(more: int, total: int, *, noun: str = "row", nouns: str = "rows") -> str:
    """The line under a cut table: ``N more rows (T in all)``."""
    return f"{more:,} more {noun if more == 1 else nouns} ({total:,} in all)"


def html_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    limit: int | None = DEFAULT_LIMIT,
    total: int | None = None,
    caption: str | None = None,
    more: str | None = None,
) -> str:
    """An HTML table of ``rows`` (each a sequence of cell values, see :func:`cell`).

    Parameters
    ----------
    columns:
        The column headings (escaped).
    rows:
        The rows; only the first ``limit`` are drawn.
    limit:
        How many rows to draw (``None``: all).
    total:
        How many rows there are, if ``rows`` is not a sized sequence.
    caption:
        A line above the table (escaped).
    more:
        The line under a cut table instead of :func:`more_rows` (``{more}`` and ``{total}``
        are filled in; escaped).
    """
    rows = list(rows)
    count = len(rows) if total is None else total
    shown = rows if limit is None else rows[: max(limit, 0)]
    out = ['<table class="sotegraph">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append(
        "<thead><tr>"
        + "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
        + "</tr></thead>"
    )
    out.append("<tbody>")
    out.extend("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in shown)
    out.append("</tbody>")
    out.append("</table>")
    if count > len(shown):
        left = count - len(shown)
        line = more.format(more=f"{left:,}", total=f"{count:,}") if more else more_rows(left, count)
        out.append(f'<p class="sotegraph-more">{html.escape(line)}</p>')
    return "\n".join(out)


_NUMERIC = frozenset(
    {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger}
    | {XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt}
    | {XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte, XSD.decimal, XSD.double, XSD.float}
)
_DATES = frozenset({XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth})

"""``sotegraph sparql``: run a SPARQL query of one's own, read-only.

The query comes from a file, from stdin (``-``) or from ``--query TEXT``; it must be one
SELECT, ASK, CONSTRUCT or DESCRIBE query (an update is refused before the store is opened,
and the embedded store is opened read-only). Rows print as ``sotegraph query`` prints them,
or as SPARQL 1.1 TSV results (``--format tsv``: a ``?name`` header, each value an RDF term in
N-Triples syntax, an unbound one empty), what an endpoint answers to
``Accept: text/tab-separated-values``.

Exit codes: 0 rows printed (possibly none); 1 the store rejected or failed the query;
2 usage errors (no or unreadable query, an update, a query that does not parse, no store) or
a store that cannot be used (as for ``sotegraph query``).
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sotegraph.cli import app
from sotegraph.cli._options import EndpointOpt, StoreOpt, fail, open_from_cli, store_unusable
from sotegraph.cli.query import OutputFormat, print_rows
from sotegraph.errors import QueryError

if TYPE_CHECKING:
    from sotegraph.queries import Rows


class SparqlFormat(enum.StrEnum):
    """How ``sotegraph sparql`` prints: as ``sotegraph query`` does, or SPARQL's own TSV."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    TSV = "tsv"


@app.command()
def sparql(
    file: Annotated[
        str | None,
        typer.Argument(metavar="FILE", help="A .rq file with one SPARQL query, or - for stdin."),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--query", "-q", help="The query text itself (not a file).")
    ] = None,
    fmt: Annotated[
        SparqlFormat,
        typer.Option(
            "--format", help="Output format (tsv: SPARQL 1.1 TSV, terms in N-Triples syntax)."
        ),
    ] = SparqlFormat.TABLE,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query read-only (updates refused).

    CONSTRUCT and DESCRIBE print one row per triple (subject, predicate, object).
    """
    from sotegraph.queries import read_only_query, run_sparql

    if (file is None) == (text is None):
        raise fail("give one of FILE (- for stdin) or --query TEXT")
    source, query_text = _read(file, text)
    try:
        checked = read_only_query(query_text, source=source)
    except QueryError as exc:
        raise fail(str(exc)) from exc
    if (store is None) == (endpoint is None):
        raise fail("give one of --store DIR or --endpoint URL")
    with open_from_cli(store, endpoint, read_only=True, existing=True) as backend:
        try:
            rows = run_sparql(backend, checked)
        except QueryError as exc:
            raise fail(f"{source}: {exc}", code=2 if store_unusable(exc) else 1) from exc
    columns = list(rows[0]) if rows else list(checked.columns)
    if fmt is SparqlFormat.TSV:
        typer.echo(tsv_results(rows, columns), nl=False)
    else:
        print_rows(rows, columns, OutputFormat(fmt.value), title=source)


def tsv_results(rows: Rows, columns: list[str]) -> str:
    r"""Rows as SPARQL 1.1 TSV results: a ``?name`` header, each value in N-Triples syntax.

    A tab or a line break inside a literal is escaped (``\t``, ``\n``), so every row is one
    line; an unbound value is an empty cell.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> from sotegraph.queries import Rows
    >>> rows = Rows([{"p": URIRef("https://e.org/p"), "name": Literal("a\tb", lang="fi"),
    ...               "n": Literal(2), "lead": None}])
    >>> text = tsv_results(rows, ["p", "name", "n", "lead"])
    >>> print(text.replace("\t", " | "), end="")
    ?p | ?name | ?n | ?lead
    <https://e.org/p> | "a\tb"@fi | "2"^^<http://www.w3.org/2001/XMLSchema#integer> |
    """
    from sotegraph.terms import to_oxigraph

    lines = ["\t".join(f"?{c}" for c in columns)]
    for row in rows:
        cells = (row.get(c) for c in columns)
        lines.append("\t".join("" if v is None else str(to_oxigraph(v)) for v in cells))
    return "\n".join(lines) + "\n"


def _read(file: str | None, text: str | None) -> tuple[str, str]:
    """The query's name for messages and its text."""
    if text is not None:
        return "the query", text
    source = "stdin" if file == "-" else str(file)
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(str(file)).read_bytes()
        return source, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"cannot read {source}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise fail(f"cannot read {source}: {exc.strerror or exc}") from exc

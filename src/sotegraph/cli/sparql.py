"""``sotegraph sparql``: run a SPARQL query of one's own, read-only.

The query comes from a file, from stdin (``-``) or from ``--query TEXT``; it must be one
SELECT, ASK, CONSTRUCT or DESCRIBE query (an update is refused before the store is opened,
and the embedded store is opened read-only). Rows print as ``sotegraph query`` prints them,
or as SPARQL 1.1 TSV results (``--format tsv``: a ``?name`` header, each value an RDF term in
N-Triples syntax, an unbound one empty), what an endpoint answers to
``Accept: text/tab-separated-values``. As there, the table shows the first ``--limit`` rows
(default 50) and the other formats write the rows as the store gives them.

Exit codes: 0 rows printed (possibly none); 1 the store rejected or failed the query;
2 usage errors (no or unreadable query, an update, a query that does not parse, no store) or
a store that cannot be used (as for ``sotegraph query``).
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from sotegraph.cli import app
from sotegraph.cli._options import (
    EndpointOpt,
    LimitOpt,
    StoreOpt,
    fail,
    open_from_cli,
    store_unusable,
)
from sotegraph.cli.query import print_result, rdflib_result, select
from sotegraph.errors import QueryError, StoreError


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
    limit: LimitOpt = None,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query read-only (updates refused).

    CONSTRUCT and DESCRIBE print one row per triple (subject, predicate, object).
    """
    from sotegraph.queries import QueryForm, read_only_query

    if (file is None) == (text is None):
        raise fail("give one of FILE (- for stdin) or --query TEXT")
    source, query_text = _read(file, text)
    try:
        checked = read_only_query(query_text, source=source)
    except QueryError as exc:
        raise fail(str(exc)) from exc
    if (store is None) == (endpoint is None):
        raise fail("give one of --store DIR or --endpoint URL")
    failed = f"{source}: the query failed"
    with open_from_cli(store, endpoint, read_only=True, existing=True) as backend:
        try:
            if checked.form in {QueryForm.CONSTRUCT, QueryForm.DESCRIBE}:
                try:
                    graph = backend.construct(checked.text)
                except StoreError as exc:
                    raise QueryError(f"{failed}: {exc}") from exc
                triples = sorted(graph, key=lambda t: tuple(str(x) for x in t))
                columns = list(checked.columns)
                result = rdflib_result(
                    [dict(zip(columns, t, strict=True)) for t in triples], columns
                )
            else:
                result = select(backend, checked.text, failed=failed)
            if not result.columns:
                result.columns = list(checked.columns)
            print_result(result, fmt.value, limit, title=source)
        except QueryError as exc:
            raise fail(str(exc), code=2 if store_unusable(exc) else 1) from exc


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

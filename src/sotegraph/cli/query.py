"""``sotegraph query``: run a named query (``queries/*.rq``) with bound parameters.

Exit codes: 0 rows printed (possibly none); 1 the store rejected or failed the query;
2 usage errors (unknown query or parameter, bad value, no store).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rdflib import Literal, URIRef
from rich.console import Console
from rich.table import Table

from sotegraph.cli import app
from sotegraph.errors import QueryError, SotegraphError

console = Console(stderr=True)
out = Console()


class OutputFormat(enum.StrEnum):
    """How rows are printed."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def plain(value: Any) -> Any:
    """A JSON-friendly value: IRIs and strings as text, integral decimals as ints, dates ISO.

    Examples
    --------
    >>> from rdflib import Literal
    >>> plain(Literal("208856.0", datatype="http://www.w3.org/2001/XMLSchema#decimal"))
    208856
    """
    if value is None:
        return None
    if isinstance(value, URIRef):
        return str(value)
    if isinstance(value, Literal):
        value = value.toPython()
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _params(items: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            console.print(f"[red]error:[/red] --param {item!r}: write KEY=VALUE")
            raise typer.Exit(2)
        params[key.strip()] = value
    return params


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="Name of the query (see --list).")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A parameter, KEY=VALUE (repeatable).")
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.TABLE,
    store: Annotated[
        Path | None, typer.Option("--store", help="The store folder (from sotegraph build).")
    ] = None,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="A remote SPARQL 1.1 query endpoint.")
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the named queries with their descriptions.")
    ] = False,
) -> None:
    """Run a named query (queries/NAME.rq) with bound parameters, or list them."""
    from sotegraph.queries import list_queries, load_query, run_query

    if list_:
        table = Table(title="named queries")
        table.add_column("name", style="bold")
        table.add_column("what it answers")
        table.add_column("parameters")
        for q in list_queries():
            ps = ", ".join(
                f"{p.name} ({p.type}{'' if p.default is None else ', ' + p.default})"
                for p in q.params.values()
            )
            table.add_row(q.name, q.title, ps)
        out.print(table)
        return
    if not name:
        console.print("[red]error:[/red] give a query name (sotegraph query --list shows them)")
        raise typer.Exit(2)
    params = _params(param)
    try:
        named = load_query(name)
        named.bindings(params)  # check names and values before opening anything
    except QueryError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if (store is None) == (endpoint is None):
        console.print("[red]error:[/red] give one of --store DIR or --endpoint URL")
        raise typer.Exit(2)
    try:
        from sotegraph.store import open_store

        if store is not None and not store.is_dir():
            raise SotegraphError(
                f"no store at {store} (build one: sotegraph build PATH --store DIR)"
            )
        backend = (
            open_store(store, read_only=True)
            if store is not None
            else open_store(endpoint=endpoint)
        )
    except SotegraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    try:
        rows = run_query(backend, name, **params)
    except QueryError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    finally:
        backend.close()
    columns = list(rows[0]) if rows else _columns(named.text)
    records = [{k: plain(r.get(k)) for k in columns} for r in rows]
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=1))
    elif fmt is OutputFormat.CSV:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        for rec in records:
            writer.writerow(["" if rec[k] is None else rec[k] for k in columns])
        typer.echo(buf.getvalue(), nl=False)
    else:
        table = Table(title=f"{named.title} ({len(records)} rows)")
        for col in columns:
            table.add_column(col, overflow="fold")
        for rec in records:
            table.add_row(*("" if rec[k] is None else _short(rec[k]) for k in columns))
        out.print(table)


def _short(value: Any) -> str:
    text = str(value)
    if text.startswith("https://w3id.org/sotegraph/id/"):
        return "sgid:" + text[len("https://w3id.org/sotegraph/id/") :]
    if text.startswith("https://w3id.org/sotegraph/ontology#"):
        return "sg:" + text.rsplit("#", 1)[-1]
    return text


def _columns(text: str) -> list[str]:
    """The projected variable names of a SELECT (for an empty result's header)."""
    import re

    select = re.search(r"SELECT\s+(DISTINCT\s+)?(.*?)\s+WHERE", text, re.S | re.I)
    if not select:
        return []
    names = re.findall(r"AS\s+\?(\w+)\)|(?<![(\w])\?(\w+)", select.group(2))
    seen: list[str] = []
    for a, b in names:
        n = a or b
        if n and n not in seen:
            seen.append(n)
    return seen

"""``sotegraph query``: run a named query (``queries/*.rq``) with bound parameters.

Exit codes: 0 rows printed (possibly none); 1 the store rejected or failed the query;
2 usage errors (unknown query or parameter, bad value, no store) or a store that cannot be
used (an endpoint that refuses, does not answer or is no SPARQL endpoint).
"""

from __future__ import annotations

import enum
import io
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sotegraph.cli import app
from sotegraph.cli._options import EndpointOpt, StoreOpt, fail, open_from_cli, store_unusable
from sotegraph.errors import QueryError
from sotegraph.namespaces import SGID
from sotegraph.vocab import SG

if TYPE_CHECKING:
    from sotegraph.queries import Rows

console = Console(stderr=True)
out = Console()


class OutputFormat(enum.StrEnum):
    """How rows are printed."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def _params(items: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise fail(f"--param {item!r}: write KEY=VALUE")
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
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the named queries with their descriptions.")
    ] = False,
) -> None:
    """Run a named query (queries/NAME.rq) with bound parameters, or list them.

    Only the shipped queries run here; a query file of one's own runs read-only with
    sotegraph sparql FILE.
    """
    from sotegraph.queries import list_queries, load_query, run_query, select_variables

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
        raise fail("give a query name (sotegraph query --list shows them)")
    if _looks_like_a_file(name):
        raise fail(
            f"sotegraph query runs the named queries only (sotegraph query --list); "
            f"to run a query file: sotegraph sparql {name}"
        )
    params = _params(param)
    try:
        named = load_query(name)
        named.bindings(params)  # check names and values before opening anything
    except QueryError as exc:
        raise fail(str(exc)) from exc
    if (store is None) == (endpoint is None):
        raise fail("give one of --store DIR or --endpoint URL")
    with open_from_cli(store, endpoint, read_only=True, existing=True) as backend:
        try:
            rows = run_query(backend, name, **params)
        except QueryError as exc:
            raise fail(str(exc), code=2 if store_unusable(exc) else 1) from exc
    columns = list(rows[0]) if rows else select_variables(named.text)
    print_rows(rows, columns, fmt, title=named.title)


def _looks_like_a_file(name: str) -> bool:
    """A path or file name, not a query name (``../x``, ``dir/x``, ``x.rq``)."""
    return "/" in name or "\\" in name or ".." in name or name.lower().endswith(".rq")


def print_rows(rows: Rows, columns: list[str], fmt: OutputFormat, *, title: str) -> None:
    """Print query rows as a table, CSV (formula-safe cells) or JSON on stdout."""
    records = [{k: r.get(k) for k in columns} for r in rows.to_python(json_safe=True)]
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=1))
    elif fmt is OutputFormat.CSV:
        from sotegraph.export import write_csv

        buf = io.StringIO()
        write_csv(buf, columns, ([rec[k] for k in columns] for rec in records))
        typer.echo(buf.getvalue(), nl=False)
    else:
        table = Table(title=f"{title} ({len(records)} rows)")
        for col in columns:
            table.add_column(col, overflow="fold")
        for rec in records:
            table.add_row(*("" if rec[k] is None else _short(rec[k]) for k in columns))
        out.print(table)


def _short(value: Any) -> str:
    """An IRI of sotegraph's own as ``sgid:…`` or ``sg:…`` (table cells are narrow)."""
    text = str(value)
    if text.startswith(str(SGID)):
        return "sgid:" + text[len(str(SGID)) :]
    if text.startswith(str(SG)):
        return "sg:" + text.rsplit("#", 1)[-1]
    return text

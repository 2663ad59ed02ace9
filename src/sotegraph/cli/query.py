"""``sotegraph query``: run a named query (``queries/*.rq``) with bound parameters.

The table shows what fits a screen: the first ``--limit`` rows (default
:data:`TABLE_LIMIT`) and a line saying how many more there are. ``--format csv`` and
``--format json`` write every row (or the first ``--limit``) as the store gives it: nothing
is held but the row being written, so a result of any size prints in constant memory, and
the first rows are out while the store still evaluates the rest. ``query --list`` reads the
queries' header comments only.

Exit codes: 0 rows printed (possibly none); 1 the store rejected or failed the query;
2 usage errors (unknown query or parameter, bad value, no store) or a store that cannot be
used (an endpoint that refuses, does not answer or is no SPARQL endpoint).
"""

from __future__ import annotations

import csv
import enum
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import pyoxigraph as ox
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
from sotegraph.errors import QueryError, StoreError

if TYPE_CHECKING:
    from rdflib.term import Node

    from sotegraph._query_headers import Header
    from sotegraph.store import Store

#: Rows the table shows unless ``--limit`` says otherwise (the rest: ``--format csv``).
TABLE_LIMIT = 50

_SGID = "https://w3id.org/sotegraph/id/"  # sotegraph.namespaces.SGID, without importing rdflib
_SG = "https://w3id.org/sotegraph/ontology#"


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
    limit: LimitOpt = None,
    sote_only: Annotated[
        bool,
        typer.Option("--sote-only", help="Only sote projects (the same as --param sote=true)."),
    ] = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the named queries with their descriptions.")
    ] = False,
) -> None:
    """Run a named query (queries/NAME.rq) with bound parameters, or list them.

    Only the shipped queries run here; a query file of one's own runs read-only with
    sotegraph sparql FILE. The table shows the first 50 rows (--limit); --format csv or
    json writes them all.
    """
    if list_:  # from the header comments: no rdflib, no store
        from sotegraph._query_headers import headers

        _print_list(headers())
        return
    from sotegraph.queries import load_query, select_variables

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
        if sote_only:
            if "sote" not in named.params:
                raise fail(
                    f"query {name!r} has no sote filter; the queries that count or sum "
                    "projects have one (sotegraph query --list)"
                )
            params["sote"] = "true"
        bindings = named.bindings(params)  # check names and values before opening anything
    except QueryError as exc:
        raise fail(str(exc)) from exc
    if (store is None) == (endpoint is None):
        raise fail("give one of --store DIR or --endpoint URL")
    with open_from_cli(store, endpoint, read_only=True, existing=True) as backend:
        try:
            result = select(backend, named.text, bindings, failed=f"queries/{name}.rq failed")
            if not result.columns:
                result.columns = select_variables(named.text)
            print_result(result, fmt, limit, title=named.title)
        except QueryError as exc:
            raise fail(str(exc), code=2 if store_unusable(exc) else 1) from exc


def _print_list(queries: Iterable[Header]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="named queries")
    table.add_column("name", style="bold")
    table.add_column("what it answers")
    table.add_column("parameters")
    for q in queries:
        ps = ", ".join(
            f"{p.name} ({p.type}{'' if p.default is None else ', ' + p.default})" for p in q.params
        )
        table.add_row(q.name, q.title, ps)
    Console().print(table)


def _looks_like_a_file(name: str) -> bool:
    """A path or file name, not a query name (``../x``, ``dir/x``, ``x.rq``)."""
    return "/" in name or "\\" in name or ".." in name or name.lower().endswith(".rq")


# -- results as the store gives them ---------------------------------------------------------


@dataclass(slots=True)
class Result:
    """A query's result as it comes: its columns and an iterator of rows.

    Each row is a sequence of pyoxigraph terms in the order of :attr:`columns` (``None``
    where unbound); the embedded store gives them one by one as Oxigraph evaluates them.
    """

    columns: list[str]
    rows: Iterator[Sequence[Any]]


def select(
    backend: Store, text: str, bindings: Mapping[str, Node] | None = None, *, failed: str
) -> Result:
    """Run a SELECT or ASK query on ``backend`` and return its rows as they come.

    The embedded store streams Oxigraph's solutions (no row is converted to rdflib or kept);
    a remote store answers with the whole result, which is then read row by row.

    Parameters
    ----------
    failed:
        The start of the message when the store rejects or fails the query
        (``queries/NAME.rq failed``).

    Raises
    ------
    QueryError
        If the store rejects or fails the query, now or while the rows are read (the store's
        error is its cause).
    """
    from sotegraph.store import OxigraphStore

    try:
        if isinstance(backend, OxigraphStore):
            # the store's own evaluation (bound values, its dataset of committed graphs, its
            # errors as StoreError), before OxigraphStore.query converts every term to rdflib
            answer = backend._run(text, bindings)
            if isinstance(answer, bool | ox.QueryBoolean):
                return Result(["ask"], iter([(_boolean(bool(answer)),)]))
            if not isinstance(answer, ox.QuerySolutions):
                raise QueryError(f"{failed}: not a SELECT or ASK query")
            columns = [v.value for v in answer.variables]
            return Result(columns, _guarded(answer, failed))
        rows = backend.query(text, bindings=bindings)
    except StoreError as exc:
        raise QueryError(f"{failed}: {exc}") from exc
    return rdflib_result(rows, [])


def rdflib_result(rows: Sequence[Mapping[str, Any]], columns: list[str]) -> Result:
    """A :class:`Result` of rows of rdflib terms (a remote store's, a CONSTRUCT's triples).

    ``columns`` heads an empty result; otherwise the first row's keys do.
    """
    from sotegraph.terms import to_oxigraph

    names = list(rows[0]) if rows else columns

    def terms() -> Iterator[list[Any]]:
        for row in rows:
            yield [None if (v := row.get(c)) is None else to_oxigraph(v) for c in names]

    return Result(names, terms())


def _guarded(solutions: Iterable[Any], failed: str) -> Iterator[tuple[Any, ...]]:
    """Oxigraph's solutions as tuples; an error while they are evaluated is a QueryError."""
    it = iter(solutions)
    while True:
        try:
            solution = next(it)
        except StopIteration:
            return
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"{failed}: {exc}") from exc
        yield tuple(solution)


def _boolean(value: bool) -> Any:
    return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))


# -- values: straight from Oxigraph's terms ---------------------------------------------------

_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING, _INTEGER_T, _DECIMAL_T = _XSD + "string", _XSD + "integer", _XSD + "decimal"
_DATE_T, _BOOLEAN_T = _XSD + "date", _XSD + "boolean"
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The first characters of a text that :func:`sotegraph.export.csv_cell` may change (a
#: formula's); any other text from the store is safe as it is (Oxigraph's texts are UTF-8,
#: so they hold no lone surrogate either; an IRI starts with a letter).
FORMULA_FIRST = frozenset("=+-@\t\r")
_OTHER = object()  # a literal _typed leaves to rdflib


def _typed(datatype: str, lexical: str) -> Any:
    """The JSON-safe value of a typed literal of a common datatype, else ``_OTHER``."""
    if datatype == _DECIMAL_T and _DECIMAL.fullmatch(lexical):
        number = Decimal(lexical)
        return int(number) if number == number.to_integral_value() else float(number)
    if datatype == _DATE_T and _DATE.fullmatch(lexical):
        return lexical  # rdflib's date in ISO form, or (no such day) the text: the same
    if datatype == _BOOLEAN_T and lexical in {"true", "false"}:
        return lexical == "true"
    if datatype == _INTEGER_T and _INTEGER.fullmatch(lexical):
        return int(lexical)
    return _OTHER


def json_value(term: Any) -> Any:
    """The JSON-safe Python value of a pyoxigraph term (``None``: unbound).

    The value ``Rows.to_python(json_safe=True)`` gives for the term converted to rdflib (an
    IRI its text, an integer an ``int``, a decimal an ``int`` when integral else a ``float``,
    a date its ISO text, a boolean a ``bool``), read straight from the term for IRIs and the
    common datatypes, through rdflib for the rest.

    Examples
    --------
    >>> xsd = "http://www.w3.org/2001/XMLSchema#"
    >>> [json_value(ox.Literal(v, datatype=ox.NamedNode(xsd + t)))
    ...  for v, t in [("208856.0", "decimal"), ("0.5", "decimal"), ("7", "integer"),
    ...               ("2020-12-31", "date"), ("true", "boolean")]]
    [208856, 0.5, 7, '2020-12-31', True]
    >>> json_value(ox.NamedNode("https://e.org/p")), json_value(ox.Literal("Oulu", language="fi"))
    ('https://e.org/p', 'Oulu')
    """
    kind = type(term)
    if kind is ox.NamedNode:
        return term.value
    if kind is ox.Literal:
        if term.language:
            return term.value
        datatype = term.datatype.value
        if datatype == _STRING:
            return term.value
        value = _typed(datatype, term.value)
        if value is not _OTHER:
            return value
    return None if term is None else _via_rdflib(term)


def csv_value(term: Any) -> Any:
    """A term's CSV cell: :func:`json_value` as :func:`~sotegraph.export.csv_cell` makes it
    safe for a spreadsheet (``""``: unbound).

    Examples
    --------
    >>> [csv_value(ox.Literal(t)) for t in ("=SUM(A1)", "-744.5", "Oulu")], csv_value(None)
    (["'=SUM(A1)", '-744.5', 'Oulu'], '')
    """
    kind = type(term)
    if kind is ox.NamedNode:
        return term.value  # an IRI starts with a letter
    if kind is ox.Literal:
        datatype = None if term.language else term.datatype.value
        if datatype is None or datatype == _STRING:
            text = term.value
            return _csv_text(text) if text and text[0] in FORMULA_FIRST else text
        value = _typed(datatype, term.value)
        if value is not _OTHER:
            return value
    if term is None:
        return ""
    value = _via_rdflib(term)
    return _csv_text(value) if isinstance(value, str) else value


def _csv_text(text: str) -> str:
    from sotegraph.export import csv_cell

    return str(csv_cell(text))


def table_value(term: Any) -> str:
    """A term as a table cell: :func:`json_value` as text, sotegraph's IRIs :func:`short`."""
    return "" if term is None else short(json_value(term))


def tsv_value(term: Any) -> str:
    """A term in N-Triples syntax, as SPARQL 1.1 TSV results write it (``""``: unbound)."""
    return "" if term is None else str(term)


def _via_rdflib(term: Any) -> Any:
    from sotegraph.queries import Rows
    from sotegraph.terms import to_rdflib

    return Rows([{"v": to_rdflib(term)}]).to_python(json_safe=True)[0]["v"]


def short(value: Any) -> str:
    """An IRI of sotegraph's own as ``sgid:…`` or ``sg:…`` (table cells are narrow).

    Examples
    --------
    >>> short("https://w3id.org/sotegraph/id/project/S90001"), short(12)
    ('sgid:project/S90001', '12')
    """
    text = str(value)
    if text.startswith(_SGID):
        return "sgid:" + text[len(_SGID) :]
    if text.startswith(_SG):
        return "sg:" + text.rsplit("#", 1)[-1]
    return text


# -- printing ---------------------------------------------------------------------------------


def print_result(result: Result, fmt: str, limit: int | None, *, title: str) -> None:
    """Print a result on stdout: a table of the first rows, or every row as CSV, JSON or TSV.

    ``limit``: at most this many rows (0: all; ``None``: :data:`TABLE_LIMIT` for the table,
    all otherwise). The table says how many rows there are and how many it left out; the
    other formats are written row by row as the rows come.

    Raises
    ------
    QueryError
        If the store fails while the rows are read (what came before is printed).
    """
    if fmt == OutputFormat.TABLE:
        _print_table(result, TABLE_LIMIT if limit is None else limit, title=title)
        return
    counted = _Counted(result.rows, limit or None)
    rows: Iterator[Sequence[Any]] = counted if limit else result.rows
    out = sys.stdout
    if fmt == OutputFormat.CSV:  # as sotegraph.export.write_csv writes
        writer = csv.writer(out)
        writer.writerow([_csv_text(c) if c[:1] in FORMULA_FIRST else c for c in result.columns])
        writer.writerows(map(list, map(_mapper(csv_value), rows)))
    elif fmt == OutputFormat.JSON:  # one object a line, the array written as it comes
        columns = result.columns
        encode = json.JSONEncoder(ensure_ascii=False).encode
        out.write("[")
        sep = "\n"
        for row in rows:
            out.write(sep + encode(dict(zip(columns, map(json_value, row), strict=True))))
            sep = ",\n"
        out.write("\n]\n" if sep != "\n" else "]\n")
    else:  # SPARQL 1.1 TSV: terms in N-Triples syntax
        out.write("\t".join(f"?{c}" for c in result.columns) + "\n")
        for row in rows:
            out.write("\t".join(map(tsv_value, row)) + "\n")
    more = counted.rest() if limit else 0
    if more:
        _note(f"{more:,} more rows (--limit {limit}; --limit 0 writes all)")


class _Counted(Iterator[Sequence[Any]]):
    """The first ``limit`` rows (all when ``None``); :meth:`rest` counts the others."""

    def __init__(self, rows: Iterator[Sequence[Any]], limit: int | None) -> None:
        self._rows = rows
        self._left = limit
        self.shown = 0

    def __next__(self) -> Sequence[Any]:
        if self._left is not None and self.shown >= self._left:
            raise StopIteration
        row = next(self._rows)
        self.shown += 1
        return row

    def rest(self) -> int:
        """Read the rows not shown and say how many there were."""
        return sum(1 for _ in self._rows)


def _mapper(convert: Callable[[Any], Any]) -> Callable[[Sequence[Any]], Iterator[Any]]:
    """A function that converts every term of a row (``map`` at C speed)."""
    return lambda row: map(convert, row)


def _print_table(result: Result, limit: int, *, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    counted = _Counted(result.rows, limit or None)
    shown = [[table_value(t) for t in row] for row in counted]
    total = counted.shown + counted.rest()
    table = Table(title=f"{title} ({total:,} rows)")
    for col in result.columns:
        table.add_column(col, overflow="fold")
    for cells in shown:
        table.add_row(*cells)
    console = Console()
    console.print(table)
    more = total - len(shown)
    if more:  # one line under the table, however narrow the table is
        console.print(f"{more:,} more rows, use --format csv (or --limit 0)", soft_wrap=True)


def _note(message: str) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[dim]{message}[/dim]", soft_wrap=True)

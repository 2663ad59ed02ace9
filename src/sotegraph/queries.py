"""Named SPARQL queries (``queries/*.rq``) run with bound parameters.

Each ``.rq`` file starts with a header comment::

    # title: one line that says what it answers
    # description: more lines
    # param: NAME (TYPE, optional[, default V]) what it means
    # example: sotegraph query NAME --param KEY=VALUE

A parameter is a SPARQL variable of the same name. Its value is *bound* (substituted as an
RDF term by the store), never formatted into the query text, so a value cannot change the
query's structure.

Each file also runs as it is on any SPARQL endpoint (``curl --data-urlencode query@FILE``):
a parameter that is not bound takes the default written inside the query
(``COALESCE(?min_weight, 1)``), and an optional one without a default filters nothing.
:func:`run_query` binds the header's defaults too, by the same ``VALUES`` block as a given
value, so both ways give the same rows.

Only the shipped queries run by name (:func:`run_query`); a query text of one's own runs
read-only by :func:`run_sparql` (``sotegraph sparql FILE``), which refuses updates.

Examples
--------
>>> q = load_query("projects")
>>> q.title
'Projects with their lead, period, status and funding'
>>> sorted(q.params)
['code', 'fund', 'period', 'prefer', 'sote']
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from sotegraph import resources
from sotegraph._query_headers import read_header
from sotegraph.errors import QueryError, StoreError

if TYPE_CHECKING:  # the store and rdflib's SPARQL parser are imported when a query runs
    from sotegraph.store import Row, Store

__all__ = [
    "NamedQuery",
    "Param",
    "QueryForm",
    "ReadOnlyQuery",
    "Rows",
    "list_queries",
    "load_query",
    "read_only_query",
    "run_query",
    "run_sparql",
    "select_variables",
]

_NAME = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*")


_TRUE = frozenset({"1", "true", "yes", "on", "kyllä"})
_FALSE = frozenset({"0", "false", "no", "off", "ei"})


def _boolean(value: Any) -> bool:
    """A boolean parameter's value: a bool, or one of the words for yes and no.

    Examples
    --------
    >>> _boolean("Kyllä"), _boolean(False), _boolean("0")
    (True, False, False)
    >>> _boolean("maybe")
    Traceback (most recent call last):
    ...
    ValueError: expected true or false (also yes/no, 1/0, on/off)
    """
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ValueError("expected true or false (also yes/no, 1/0, on/off)")


@dataclass(frozen=True, slots=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    optional: bool
    default: str | None
    doc: str

    def to_term(self, value: Any) -> Node:
        """Convert a Python or string value to the RDF term bound to the variable.

        An rdflib term is taken as it is, once every part of it is checked whole
        (:func:`~sotegraph.store.base.sparql_term`: the IRI, a literal's datatype IRI and
        language tag).

        Raises
        ------
        QueryError
            If the value does not fit the parameter's type, or a term cannot be written
            into a query safely (the message names the parameter).
        """
        from sotegraph.store.base import check_iri

        if isinstance(value, URIRef | Literal):
            return self._checked(value)
        try:
            if self.type == "iri":
                # checked before rdflib sees it (rdflib logs a warning for a bad IRI)
                return self._checked(URIRef(check_iri(str(value).strip(), what="IRI")))
            if self.type == "integer":
                return Literal(int(value), datatype=XSD.integer)
            if self.type == "decimal":
                return Literal(Decimal(str(value)), datatype=XSD.decimal)
            if self.type == "date":
                day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
                return Literal(day.isoformat(), datatype=XSD.date)
            if self.type == "year":
                return Literal(int(value), datatype=XSD.integer)
            if self.type == "boolean":
                return Literal(_boolean(value))
        except StoreError as exc:
            raise QueryError(f"parameter {self.name!r}: {exc}") from None
        except (ValueError, ArithmeticError) as exc:
            raise QueryError(
                f"parameter {self.name!r}: {value!r} is not a valid {self.type} ({exc})"
            ) from exc
        return self._checked(Literal(str(value)))

    def _checked(self, term: URIRef | Literal) -> URIRef | Literal:
        """``term`` if every part of it can be written into a query (:func:`sparql_term`)."""
        from sotegraph.store.base import sparql_term

        try:
            sparql_term(term)
        except StoreError as exc:
            raise QueryError(f"parameter {self.name!r}: {exc}") from None
        return term


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A parsed ``queries/<name>.rq`` file."""

    name: str
    text: str
    title: str
    description: str
    example: str
    params: dict[str, Param] = field(default_factory=dict)

    def bindings(self, values: Mapping[str, Any]) -> dict[str, Node]:
        """Check parameter names and convert values (defaults applied).

        Raises
        ------
        QueryError
            If a name is not a parameter of this query (the message lists the valid ones).
        """
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            valid = ", ".join(sorted(self.params)) or "none"
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))}; "
                f"valid parameters: {valid}"
            )
        out: dict[str, Node] = {}
        for name, param in self.params.items():
            if name in values and values[name] is not None:
                out[name] = param.to_term(values[name])
            elif param.default is not None:
                out[name] = param.to_term(param.default)
            elif not param.optional:
                raise QueryError(f"query {self.name!r} needs the parameter {name!r}")
        return out


class Rows(list[dict[str, Any]]):
    """Query rows: a list of dicts of rdflib terms (``None`` where unbound)."""

    def to_python(self, *, json_safe: bool = False) -> list[dict[str, Any]]:
        """Rows with plain Python values (``str`` for IRIs, numbers, dates).

        With ``json_safe``, every value is one JSON can hold: a decimal becomes an ``int``
        when integral, else a ``float``; a date or time its ISO text; anything else without a
        JSON form its text. ``sotegraph query --format json`` prints these.

        Examples
        --------
        >>> from rdflib import Literal, URIRef
        >>> from rdflib.namespace import XSD
        >>> rows = Rows([{"p": URIRef("https://e.org/p"),
        ...               "granted": Literal("208856.0", datatype=XSD.decimal),
        ...               "end": Literal("2020-12-31", datatype=XSD.date), "lead": None}])
        >>> rows.to_python()
        [{'p': 'https://e.org/p', 'granted': Decimal('208856.0'), 'end': datetime.date(2020, 12, 31), 'lead': None}]
        >>> rows.to_python(json_safe=True)
        [{'p': 'https://e.org/p', 'granted': 208856, 'end': '2020-12-31', 'lead': None}]
        """
        convert = _json_safe if json_safe else _py
        return [{k: convert(v) for k, v in row.items()} for row in self]

    @property
    def columns(self) -> list[str]:
        """The column names, in the order they first come in the rows.

        Examples
        --------
        >>> Rows([{"a": None, "b": None}, {"c": None, "a": None}]).columns
        ['a', 'b', 'c']
        """
        return list(dict.fromkeys(k for row in self for k in row))

    def to_dataframe(self) -> Any:
        """Rows as a pandas DataFrame (needs the ``dataframe`` extra), typed column by column.

        A column's dtype follows the RDF datatypes of its values (unbound ones are missing
        values):

        - ``xsd:integer`` and its kinds, and ``xsd:gYear`` (years): pandas' nullable ``Int64``;
        - ``xsd:decimal``, ``xsd:double``, ``xsd:float`` (money, shares), also mixed with
          integers (a sum over no rows is ``0``): nullable ``Float64``;
        - ``xsd:date`` and ``xsd:dateTime``: ``datetime64[ns]`` (a time with a zone is turned
          into UTC; a year-only value among dates is 1 January of its year; a column with a
          date outside 1677–2262 is ``datetime64[us]``);
        - ``xsd:boolean``: nullable ``boolean``;
        - anything else (IRIs, texts, a mix of kinds, a value that is not valid for its
          datatype): the values of :meth:`to_python`, IRIs and texts as ``str``.

        Raises
        ------
        ImportError
            If pandas is not installed.

        Examples
        --------
        >>> from rdflib import Literal, URIRef
        >>> from rdflib.namespace import XSD
        >>> rows = Rows([{"p": URIRef("https://e.org/p"), "n": Literal(3),
        ...               "granted": Literal("208856.50", datatype=XSD.decimal),
        ...               "start": Literal("2019-03-01", datatype=XSD.date),
        ...               "year": Literal("2019", datatype=XSD.gYear)},
        ...              {"p": URIRef("https://e.org/q"), "n": None, "granted": None,
        ...               "start": None, "year": None}])
        >>> frame = rows.to_dataframe()
        >>> [str(t) for t in frame.dtypes]  # doctest: +ELLIPSIS
        ['...', 'Int64', 'Float64', 'datetime64[ns]', 'Int64']
        >>> frame["granted"].sum()
        np.float64(208856.5)
        """
        import pandas as pd

        columns = self.columns
        data = {c: _frame_column([row.get(c) for row in self], pd) for c in columns}
        return pd.DataFrame(data, columns=columns)

    #: How many rows :meth:`_repr_html_` shows before it says how many more there are.
    html_limit = 50

    def to_html(self, *, limit: int | None = None) -> str:
        """The rows as an HTML table, every text escaped (a notebook shows this).

        Only the first ``limit`` rows (by default :attr:`html_limit`) are drawn, with a line
        saying how many more there are. IRIs are written with their prefix
        (``sgid:project/S90001``), the whole IRI as the cell's tooltip.

        Examples
        --------
        >>> from rdflib import Literal
        >>> print(Rows([{"name": Literal("A & <B>")}, {"name": None}]).to_html(limit=1))
        <table class="sotegraph">
        <thead><tr><th>name</th></tr></thead>
        <tbody>
        <tr><td>A &amp; &lt;B&gt;</td></tr>
        </tbody>
        </table>
        <p class="sotegraph-more">1 more row (2 in all)</p>
        """
        from sotegraph._html import html_table

        columns = self.columns
        if not columns:
            what = "rows without columns" if self else "no rows"
            return f'<p class="sotegraph-empty">{what}</p>'
        shown = self.html_limit if limit is None else limit
        return html_table(
            columns, ([row.get(c) for c in columns] for row in self), limit=shown, total=len(self)
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def _py(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, URIRef):
        return str(v)
    if isinstance(v, Literal):
        return v.toPython()
    return str(v)


def _json_safe(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, URIRef):
        return str(v)
    if isinstance(v, Literal):
        v = v.toPython()
    if isinstance(v, bool | int | float):
        return v
    if isinstance(v, str):  # also a Literal of an unknown datatype, a blank node
        return str(v)
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dt.date | dt.datetime | dt.time):
        return v.isoformat()
    return str(v)


_INTEGER_TYPES = frozenset(
    {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger}
    | {XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt}
    | {XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}
)
_FLOAT_TYPES = frozenset({XSD.decimal, XSD.double, XSD.float})
_DATE_TYPES = frozenset({XSD.date, XSD.dateTime, XSD.dateTimeStamp})
_GYEAR = re.compile(r"(-?\d{4,})(?:Z|[+-]\d{2}:\d{2})?")
_INT64 = 2**63


def _year(v: Literal) -> int | None:
    """The year of an ``xsd:gYear`` literal (rdflib leaves it a literal), if it is valid."""
    m = _GYEAR.fullmatch(str(v))
    return int(m[1]) if m else None


def _kind(values: list[Any]) -> str:
    """The pandas dtype a column of RDF terms becomes (see :meth:`Rows.to_dataframe`)."""
    kinds: set[str] = set()
    for v in values:
        if v is None:
            continue
        if not isinstance(v, Literal) or v.datatype is None or v.ill_typed:
            return "object"
        t = v.datatype
        if t in _INTEGER_TYPES:
            kinds.add("integer")
        elif t in _FLOAT_TYPES:
            kinds.add("float")
        elif t == XSD.gYear and _year(v) is not None:
            kinds.add("year")
        elif t in _DATE_TYPES:
            kinds.add("date")
        elif t == XSD.boolean:
            kinds.add("boolean")
        else:
            return "object"
    if not kinds:
        return "object"
    if kinds <= {"integer", "year"}:
        return "Int64"
    if kinds <= {"integer", "float"}:
        return "Float64"
    if kinds <= {"date", "year"} and "date" in kinds:
        return "datetime"
    if kinds == {"boolean"}:
        return "boolean"
    return "object"


def _frame_column(values: list[Any], pd: Any) -> Any:
    """One DataFrame column of RDF terms, typed by :func:`_kind`."""
    kind = _kind(values)
    if kind == "Int64":
        ints = [None if v is None else _integer(v) for v in values]
        if all(i is None or -_INT64 <= i < _INT64 for i in ints):
            return pd.array(ints, dtype="Int64")
    elif kind == "Float64":
        floats = [None if v is None else float(v.toPython()) for v in values]
        return pd.array(floats, dtype="Float64")
    elif kind == "boolean":
        flags = [None if v is None else bool(v.toPython()) for v in values]
        return pd.array(flags, dtype="boolean")
    elif kind == "datetime":
        stamps = [None if v is None else _timestamp(v) for v in values]
        try:
            return pd.Series(stamps, dtype="datetime64[ns]")
        except pd.errors.OutOfBoundsDatetime:
            return pd.Series(stamps, dtype="datetime64[us]")
    return [_frame_value(v) for v in values]


def _integer(v: Literal) -> int | None:
    """The value of an integer or ``xsd:gYear`` literal."""
    return _year(v) if v.datatype == XSD.gYear else int(v.toPython())


def _timestamp(v: Literal) -> dt.datetime:
    """A naive datetime of a date, a dateTime (in UTC when it has a zone) or a gYear."""
    if v.datatype == XSD.gYear:
        return dt.datetime(_year(v) or 1, 1, 1)
    value = v.toPython()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    return dt.datetime.combine(value, dt.time())


def _frame_value(v: Any) -> Any:
    """A value of an untyped column: :func:`_py`, and the text of a literal Python cannot hold."""
    value = _py(v)
    return str(value) if isinstance(value, Literal) else value


_SELECT = re.compile(r"SELECT\s+(DISTINCT\s+)?(.*?)\s+WHERE", re.S | re.I)
_PROJECTED = re.compile(
    r"(?P<open>\()|(?P<close>\))|\bAS\s+[?$](?P<alias>\w+)|[?$](?P<plain>\w+)", re.IGNORECASE
)


def select_variables(text: str) -> list[str]:
    """The variables a SELECT query projects, in order: the columns of its result.

    Read from the text between ``SELECT`` and the first ``WHERE``: each ``(… AS ?name)`` and
    each ``?name`` outside brackets (so ``COUNT(DISTINCT ?x)`` is no column), each once. This
    is how ``sotegraph query`` heads an empty result. Not a SPARQL parser: ``SELECT *``, a
    query without ``WHERE`` or anything else it cannot read gives ``[]``.

    Examples
    --------
    >>> select_variables("SELECT DISTINCT ?a ?b (COUNT(?x) AS ?n) WHERE { ?a ?b ?x }")
    ['a', 'b', 'n']
    >>> select_variables("select ?p (SAMPLE(?l) as ?label) ?p where { ?p ?q ?l }")
    ['p', 'label']
    >>> select_variables("SELECT ?o (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p ?r ?o }")
    ['o', 'n']
    >>> select_variables("ASK { ?s ?p ?o }")
    []
    """
    select = _SELECT.search(text)
    if not select:
        return []
    names: list[str] = []
    depth = 0
    for m in _PROJECTED.finditer(select.group(2)):
        if m["open"]:
            depth += 1
        elif m["close"]:
            depth = max(depth - 1, 0)
        else:
            name = m["alias"] or (m["plain"] if depth == 0 else None)
            if name and name not in names:
                names.append(name)
    return names


def _parse_header(name: str, text: str) -> NamedQuery:
    """The named query of a text, from its header comment (:func:`read_header`)."""
    header = read_header(name, text)
    params = {p.name: Param(p.name, p.type, p.optional, p.default, p.doc) for p in header.params}
    return NamedQuery(name, text, header.title, header.description, header.example, params)


@cache
def load_query(name: str) -> NamedQuery:
    """Load and check one named query.

    Only the shipped queries have names: a path (``../x``, ``x.rq``, ``/tmp/x``) is no name,
    and nothing outside ``queries/`` is read (:func:`read_only_query` checks a query text
    of one's own).

    Only the header comments are read (:func:`_parse_header`); the query text is parsed by
    the store that runs it (a shipped query that did not parse would fail there, naming its
    file), so listing the queries or checking parameters parses nothing.

    Raises
    ------
    QueryError
        If there is no such query (the message lists the valid names) or its header is not
        valid (no title, a parameter of an unknown type).

    Examples
    --------
    >>> load_query("../../etc/x")
    Traceback (most recent call last):
    ...
    sotegraph.errors.QueryError: no query named '../../etc/x'; valid: brokers, ...
    """
    names = resources.query_names()
    if not _NAME.fullmatch(name) or name not in names:
        raise QueryError(f"no query named {name!r}; valid: {', '.join(names)}")
    return _parse_header(name, resources.query_text(name))


def list_queries() -> list[NamedQuery]:
    """Every shipped named query, sorted by name (their headers: nothing is parsed)."""
    return [load_query(n) for n in resources.query_names()]


def run_query(store: Store, name: str, /, **params: Any) -> Rows:
    """Run the named query on ``store`` with ``params`` bound as values.

    Raises
    ------
    QueryError
        If the query is unknown, a parameter is unknown or invalid, or the store rejects it.
    """
    q = load_query(name)
    bindings = q.bindings(params)
    try:
        rows: list[Row] = store.query(q.text, bindings=bindings)
    except StoreError as exc:
        raise QueryError(f"queries/{name}.rq failed: {exc}") from exc
    return Rows(rows)


class QueryForm(enum.StrEnum):
    """The four forms of a SPARQL query (an update is none of them)."""

    SELECT = "select"
    ASK = "ask"
    CONSTRUCT = "construct"
    DESCRIBE = "describe"


_FORMS = {
    "SelectQuery": QueryForm.SELECT,
    "AskQuery": QueryForm.ASK,
    "ConstructQuery": QueryForm.CONSTRUCT,
    "DescribeQuery": QueryForm.DESCRIBE,
}
_TRIPLE_COLUMNS = ("subject", "predicate", "object")


@dataclass(frozen=True, slots=True)
class ReadOnlyQuery:
    """A SPARQL text checked to be a query, never an update (:func:`read_only_query`)."""

    text: str
    form: QueryForm
    columns: tuple[str, ...]
    """The columns of its rows: the projected variables of a SELECT, ``ask`` for an ASK,
    ``subject``, ``predicate`` and ``object`` for a CONSTRUCT or DESCRIBE."""


def read_only_query(text: str, *, source: str = "the query") -> ReadOnlyQuery:
    """Check that a SPARQL text is one read-only query and say which form it has.

    The text is parsed by rdflib's SPARQL query grammar, which holds no update operation
    (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``,
    ``COPY``): a text that is not one SELECT, ASK, CONSTRUCT or DESCRIBE query, or that
    has anything after it (``SELECT … ; DROP ALL``), is refused.

    Parameters
    ----------
    text:
        The SPARQL query.
    source:
        What to call it in messages (its file name).

    Raises
    ------
    QueryError
        If it is an update (the message says so) or does not parse as a query.

    Examples
    --------
    >>> q = read_only_query("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s")
    >>> q.form, q.columns
    (<QueryForm.SELECT: 'select'>, ('s', 'n'))
    >>> read_only_query("DROP ALL", source="x.rq")
    Traceback (most recent call last):
    ...
    sotegraph.errors.QueryError: x.rq is a SPARQL update; only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) are run, read-only
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except Exception as exc:  # pyparsing raises its own exception types
        try:
            update = parseUpdate(text)
        except Exception:  # not an update either: report the query's error
            raise QueryError(f"{source} does not parse as a SPARQL query: {exc}") from exc
        if "request" not in update:  # nothing but prefixes and comments
            raise QueryError(f"{source} does not parse as a SPARQL query: it holds none") from None
        raise QueryError(
            f"{source} is a SPARQL update; only queries (SELECT, ASK, CONSTRUCT, DESCRIBE)"
            " are run, read-only"
        ) from None
    form = _FORMS.get(getattr(parsed[1], "name", ""))
    if form is None:  # pragma: no cover - the grammar knows only the four forms
        raise QueryError(f"{source} is not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if form is QueryForm.ASK:
        return ReadOnlyQuery(text, form, ("ask",))
    if form is not QueryForm.SELECT:
        return ReadOnlyQuery(text, form, _TRIPLE_COLUMNS)
    return ReadOnlyQuery(text, form, tuple(_projected(parsed, text)))


def _projected(parsed: Any, text: str) -> list[str]:
    """The variables a parsed SELECT projects (``SELECT *``: every one in scope)."""
    from rdflib.plugins.sparql.algebra import translateQuery

    try:
        algebra = translateQuery(parsed).algebra
    except Exception:  # rdflib's algebra refuses a few valid queries
        return select_variables(text)
    return [str(v) for v in algebra.get("PV") or []]


def run_sparql(store: Store, query: ReadOnlyQuery | str) -> Rows:
    """Run one read-only SPARQL query (not a named one) on ``store``.

    A SELECT gives its rows, an ASK one row ``{"ask": Literal(bool)}``, a CONSTRUCT or
    DESCRIBE one row per triple (``subject``, ``predicate``, ``object``). The default graph
    is the union of the named graphs, as for the named queries.

    Raises
    ------
    QueryError
        If the text is an update or not a query (:func:`read_only_query`), or the store
        rejects or fails it.

    Examples
    --------
    >>> from sotegraph.store import open_store
    >>> run_sparql(open_store(), "ASK { ?s ?p ?o }")
    [{'ask': rdflib.term.Literal('false', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#boolean'))}]
    """
    q = query if isinstance(query, ReadOnlyQuery) else read_only_query(query)
    try:
        if q.form in {QueryForm.CONSTRUCT, QueryForm.DESCRIBE}:
            graph = store.construct(q.text)
            triples = sorted(graph, key=lambda t: tuple(str(x) for x in t))
            return Rows(dict(zip(_TRIPLE_COLUMNS, t, strict=True)) for t in triples)
        return Rows(store.query(q.text))
    except StoreError as exc:
        raise QueryError(f"the query failed: {exc}") from exc

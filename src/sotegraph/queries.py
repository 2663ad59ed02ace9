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
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from sotegraph import resources
from sotegraph.errors import QueryError, StoreError
from sotegraph.store import Row, Store
from sotegraph.store.base import check_iri, sparql_term

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

_PARAM = re.compile(
    r"^#\s*param:\s*(?P<name>\w+)\s*\((?P<spec>[^)]*)\)\s*(?P<doc>.*)$", re.IGNORECASE
)
_FIELD = re.compile(r"^#\s*(?P<key>title|description|example):\s*(?P<value>.*)$", re.IGNORECASE)
_TYPES = {"string", "iri", "integer", "decimal", "date", "year", "boolean"}
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

    def to_dataframe(self) -> Any:
        """Rows as a pandas DataFrame (needs the ``dataframe`` extra).

        Raises
        ------
        ImportError
            If pandas is not installed.
        """
        import pandas as pd

        return pd.DataFrame(self.to_python())


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
    title = description = example = ""
    params: dict[str, Param] = {}
    last = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        pm = _PARAM.match(line)
        if pm:
            parts = [p.strip() for p in pm["spec"].split(",")]
            ptype = parts[0].lower() if parts else "string"
            if ptype not in _TYPES:
                raise QueryError(f"{name}.rq: parameter {pm['name']!r} has unknown type {ptype!r}")
            default = None
            for part in parts[1:]:
                if part.lower().startswith("default"):
                    default = part.split(None, 1)[1] if " " in part else None
            optional = any(p.lower() == "optional" for p in parts[1:]) or default is not None
            params[pm["name"]] = Param(pm["name"], ptype, optional, default, pm["doc"].strip())
            last = "param"
            continue
        fm = _FIELD.match(line)
        if fm:
            key, value = fm["key"].lower(), fm["value"].strip()
            if key == "title":
                title = value
            elif key == "description":
                description = value
            else:
                example = value
            last = key
            continue
        cont = line.lstrip("#").strip()
        if last == "description" and cont:
            description = f"{description} {cont}".strip()
    if not title:
        raise QueryError(f"{name}.rq has no '# title:' header line")
    return NamedQuery(name, text, title, description, example, params)


@cache
def load_query(name: str) -> NamedQuery:
    """Load and check one named query.

    Only the shipped queries have names: a path (``../x``, ``x.rq``, ``/tmp/x``) is no name,
    and nothing outside ``queries/`` is read (:func:`read_only_query` checks a query text
    of one's own).

    Raises
    ------
    QueryError
        If there is no such query (the message lists the valid names) or it does not parse
        (the message names the file).

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
    text = resources.query_text(name)
    try:
        parseQuery(text)
    except Exception as exc:  # pyparsing raises its own exception types
        raise QueryError(f"queries/{name}.rq does not parse: {exc}") from exc
    return _parse_header(name, text)


def list_queries() -> list[NamedQuery]:
    """Every shipped named query, sorted by name."""
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

"""Named SPARQL queries (``queries/*.rq``) run with bound parameters.

Each ``.rq`` file starts with a header comment::

    # title: one line that says what it answers
    # description: more lines
    # param: NAME (TYPE, optional[, default V]) what it means
    # example: sotegraph query NAME --param KEY=VALUE

A parameter is a SPARQL variable of the same name. Its value is *bound* (substituted as an
RDF term by the store), never formatted into the query text, so a value cannot change the
query's structure.

Examples
--------
>>> q = load_query("projects")
>>> q.title
'Projects with their lead, period, status and funding'
>>> sorted(q.params)
['code', 'fund', 'period', 'prefer']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from sotegraph import resources
from sotegraph.errors import QueryError, StoreError
from sotegraph.store import Row, Store

__all__ = [
    "NamedQuery",
    "Param",
    "Rows",
    "list_queries",
    "load_query",
    "run_query",
    "select_variables",
]

_PARAM = re.compile(
    r"^#\s*param:\s*(?P<name>\w+)\s*\((?P<spec>[^)]*)\)\s*(?P<doc>.*)$", re.IGNORECASE
)
_FIELD = re.compile(r"^#\s*(?P<key>title|description|example):\s*(?P<value>.*)$", re.IGNORECASE)
_TYPES = {"string", "iri", "integer", "decimal", "date", "year", "boolean"}


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

        Raises
        ------
        QueryError
            If the value does not fit the parameter's type.
        """
        if isinstance(value, URIRef | Literal):
            return value
        try:
            if self.type == "iri":
                text = str(value).strip()
                if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", text):
                    raise ValueError('not an absolute IRI without spaces or <>"{}|^`')
                return URIRef(text)
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
                return Literal(str(value).lower() in {"1", "true", "yes", "kyllä"})
        except (ValueError, ArithmeticError) as exc:
            raise QueryError(
                f"parameter {self.name!r}: {value!r} is not a valid {self.type} ({exc})"
            ) from exc
        return Literal(str(value))


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

    Raises
    ------
    QueryError
        If there is no such query (the message lists the valid names) or it does not parse
        (the message names the file).
    """
    try:
        text = resources.query_text(name)
    except FileNotFoundError:
        raise QueryError(
            f"no query named {name!r}; valid: {', '.join(resources.query_names())}"
        ) from None
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

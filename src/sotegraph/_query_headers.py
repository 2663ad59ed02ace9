"""The header comments of the named queries (``queries/*.rq``), read without any SPARQL.

Each ``.rq`` file starts with a header comment (see :mod:`sotegraph.queries`)::

    # title: one line that says what it answers
    # description: more lines
    # param: NAME (TYPE, optional[, default V]) what it means
    # example: sotegraph query NAME --param KEY=VALUE

This module reads those lines only; it imports neither rdflib nor a store, so
``sotegraph query --list`` answers at once. :func:`sotegraph.queries.load_query` builds its
:class:`~sotegraph.queries.NamedQuery` from the same reading.

Examples
--------
>>> header = read_header("x", "# title: Projects\\n# param: code (string, optional) A code\\nSELECT")
>>> header.title, [(p.name, p.type, p.optional, p.default) for p in header.params]
('Projects', [('code', 'string', True, None)])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sotegraph import resources
from sotegraph.errors import QueryError

__all__ = ["Header", "ParamHeader", "headers", "read_header"]

_PARAM = re.compile(
    r"^#\s*param:\s*(?P<name>\w+)\s*\((?P<spec>[^)]*)\)\s*(?P<doc>.*)$", re.IGNORECASE
)
_FIELD = re.compile(r"^#\s*(?P<key>title|description|example):\s*(?P<value>.*)$", re.IGNORECASE)
TYPES = frozenset({"string", "iri", "integer", "decimal", "date", "year", "boolean"})
"""The parameter types a header may declare."""


@dataclass(frozen=True, slots=True)
class ParamHeader:
    """A ``# param:`` line: a parameter's name, type, whether it may be left out, its
    default and what it means."""

    name: str
    type: str
    optional: bool
    default: str | None
    doc: str


@dataclass(frozen=True, slots=True)
class Header:
    """What a query's header comment says."""

    name: str
    title: str
    description: str
    example: str
    params: tuple[ParamHeader, ...]


def read_header(name: str, text: str) -> Header:
    """Read the header comment at the top of a query's text (``name``: for messages).

    Raises
    ------
    QueryError
        If there is no ``# title:`` line or a parameter has a type not in :data:`TYPES`.
    """
    title = description = example = ""
    params: dict[str, ParamHeader] = {}
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
            if ptype not in TYPES:
                raise QueryError(f"{name}.rq: parameter {pm['name']!r} has unknown type {ptype!r}")
            default = None
            for part in parts[1:]:
                if part.lower().startswith("default"):
                    default = part.split(None, 1)[1] if " " in part else None
            optional = any(p.lower() == "optional" for p in parts[1:]) or default is not None
            params[pm["name"]] = ParamHeader(
                pm["name"], ptype, optional, default, pm["doc"].strip()
            )
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
    return Header(name, title, description, example, tuple(params.values()))


def headers() -> list[Header]:
    """The headers of every shipped named query, sorted by name.

    Examples
    --------
    >>> [h.name for h in headers()][:2]
    ['brokers', 'concurrent_projects']
    """
    return [read_header(n, resources.query_text(n)) for n in resources.query_names()]

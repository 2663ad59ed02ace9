"""The store interface: :class:`Store`, rows, parameter binding and the graph-swap updates.

Each document's triples live in its own named graph. :meth:`Store.replace_graph` swaps a
graph atomically: a new graph is loaded in one transaction; an existing one is replaced by
one SPARQL update (``DROP`` + ``INSERT DATA``, plus any graphs to drop and any manifest
update, all in one transaction). So an interrupted ingest leaves either the old graph or the
new one, never part of one, and readers never see a half-written state (queries see a
consistent snapshot). :func:`bind_values` binds query parameters as escaped RDF terms.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from sotegraph.errors import StoreError
from sotegraph.namespaces import PREFIXES
from sotegraph.terms import graph_to_ntriples

__all__ = ["STAGING_PREFIX", "Row", "Store", "bind_values", "check_iri", "replace_update", "swap_update"]

Row = dict[str, Node | None]
STAGING_PREFIX = "https://w3id.org/sotegraph/id/graph/staging/"


class Store(abc.ABC):
    """What every backend offers: named graphs in, SPARQL rows out."""

    def replace_graph(
        self,
        name: str | URIRef,
        graph: Graph,
        *,
        drop_graphs: Iterable[str | URIRef] = (),
        with_update: str | None = None,
    ) -> None:
        """Replace the named graph ``name`` by the triples of ``graph`` atomically.

        Parameters
        ----------
        name:
            IRI of the named graph.
        graph:
            Its new triples (an empty graph leaves an empty named graph).
        drop_graphs:
            Other named graphs removed in the same transaction (e.g. the graph of the
            previous version of a document).
        with_update:
            A SPARQL update run in the same transaction (e.g. the document's manifest entry).

        Raises
        ------
        StoreError
            If the graph could not be written; the store then holds the old graph.
        """
        self.replace_graph_ntriples(
            name, graph_to_ntriples(graph), drop_graphs=drop_graphs, with_update=with_update
        )

    @abc.abstractmethod
    def replace_graph_ntriples(
        self,
        name: str | URIRef,
        data: str,
        *,
        drop_graphs: Iterable[str | URIRef] = (),
        with_update: str | None = None,
    ) -> None:
        """Replace the named graph ``name`` by N-Triples text atomically.

        Same as :meth:`replace_graph` (and the same keywords); every backend implements
        this one, and :meth:`replace_graph` serialises an rdflib graph into it.

        Raises
        ------
        StoreError
            If the text does not parse or the graph could not be written.
        """

    @abc.abstractmethod
    def remove_graph(self, name: str | URIRef) -> bool:
        """Remove a named graph; return whether it existed."""

    @abc.abstractmethod
    def graph_names(self) -> list[str]:
        """Return the IRIs of the named graphs (staging graphs excluded)."""

    @abc.abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        """Run a SELECT (rows) or ASK (one row ``{"ask": Literal(bool)}``) query.

        The default graph is the union of all named graphs. ``bindings`` are substituted as
        values (never formatted into the text).
        """

    @abc.abstractmethod
    def construct(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> Graph:
        """Run a CONSTRUCT/DESCRIBE query and return an rdflib graph."""

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update."""

    @abc.abstractmethod
    def graph(self, name: str | URIRef) -> Graph:
        """Return a copy of one named graph as an rdflib graph."""

    @abc.abstractmethod
    def dump(self, path: str | Path) -> None:
        """Write all named graphs to ``path`` (``.trig`` or ``.nq``)."""

    @abc.abstractmethod
    def __len__(self) -> int:
        """Number of quads in the store."""

    def has_graph(self, name: str | URIRef) -> bool:
        """Return whether the named graph exists."""
        return str(name) in set(self.graph_names())

    def to_dataset(self) -> Dataset:
        """Return a copy of the whole store as an rdflib Dataset."""
        ds = Dataset()
        for name in self.graph_names():
            target = ds.graph(URIRef(name))
            for triple in self.graph(name):
                target.add(triple)
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        return ds

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (flushes an on-disk store)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def bind_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Bind variables by a ``VALUES`` block at the start of the query's WHERE group.

    Each value is written as an escaped RDF term (``Literal.n3()`` / a checked IRI), so a
    value cannot change the structure of the query. (Oxigraph's own ``substitutions`` only
    binds projected variables, and remote endpoints have no binding at all.)

    Raises
    ------
    StoreError
        If the query has no WHERE group or a value is not a bindable RDF term.

    Examples
    --------
    >>> from rdflib import Literal
    >>> print(bind_values("SELECT ?s WHERE { ?s ?p ?code }", {"code": Literal('x" } DROP ALL #')}))
    SELECT ?s WHERE { VALUES (?code) { ("x\\" } DROP ALL #") } ?s ?p ?code }
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    for n in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise StoreError(f"not a SPARQL variable name: {n!r}")
    terms = []
    for n in names:
        term = bindings[n]
        if isinstance(term, URIRef):
            if re.search(r'[\s<>"{}|\\^`]', str(term)):
                raise StoreError(f"not a valid IRI for ?{n}: {str(term)!r}")
            terms.append(f"<{term}>")
        elif isinstance(term, Literal):
            terms.append(term.n3())
        else:
            raise StoreError(f"cannot bind ?{n} to {term!r}")
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }} "
    pos = _where_brace(sparql)
    return sparql[: pos + 1] + " " + block + sparql[pos + 1 :].lstrip(" ")


def _where_brace(sparql: str) -> int:
    """Index of the ``{`` that opens the outermost WHERE group."""
    i, n = 0, len(sparql)
    construct = re.search(r"\bCONSTRUCT\s*\{", sparql, re.IGNORECASE) is not None
    skipped_template = False
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "<":
            j = sparql.find(">", i)
            i = n if j < 0 else j + 1
            continue
        if c == "{":
            if construct and not skipped_template:
                i = _matching(sparql, i) + 1
                skipped_template = True
                continue
            return i
        i += 1
    raise StoreError("the query has no WHERE group to bind parameters in")


def _matching(text: str, start: int) -> int:
    depth, i = 0, start
    quote: str | None = None
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise StoreError("unbalanced braces in the query")


def check_iri(name: str | URIRef) -> str:
    """Check a graph name: an absolute IRI that can be written between ``<>``."""
    text = str(name)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*", text):
        raise StoreError(f"not a valid graph IRI: {text!r}")
    return text


def replace_update(
    target: str,
    data: str,
    drop_graphs: Iterable[str | URIRef] = (),
    with_update: str | None = None,
) -> str:
    """One SPARQL update replacing graph ``target`` by N-Triples ``data`` (one transaction).

    The N-Triples go in an ``INSERT DATA`` block (N-Triples is valid SPARQL data syntax);
    ``drop_graphs`` are dropped and ``with_update`` runs in the same update.

    Examples
    --------
    >>> print(replace_update("https://e.org/g", '<https://e.org/s> <https://e.org/p> "x" .\\n'))
    DROP SILENT GRAPH <https://e.org/g> ;
    INSERT DATA { GRAPH <https://e.org/g> {
    <https://e.org/s> <https://e.org/p> "x" .
    } }
    """
    ops = [f"DROP SILENT GRAPH <{check_iri(g)}>" for g in drop_graphs if str(g) != target]
    ops.append(f"DROP SILENT GRAPH <{check_iri(target)}>")
    if data.strip() and "_:" in data:
        # blank nodes: a template insert (some servers refuse blank nodes in INSERT DATA)
        ops.append(f"INSERT {{ GRAPH <{check_iri(target)}> {{\n{data.strip()}\n}} }} WHERE {{}}")
    elif data.strip():
        ops.append(f"INSERT DATA {{ GRAPH <{check_iri(target)}> {{\n{data.strip()}\n}} }}")
    else:
        ops.append(f"CREATE SILENT GRAPH <{check_iri(target)}>")
    if with_update and with_update.strip():
        ops.append(with_update.strip().rstrip(";"))
    return " ;\n".join(ops)


def swap_update(
    target: str,
    staging: str,
    nonempty: bool,
    drop_graphs: Iterable[str | URIRef] = (),
    with_update: str | None = None,
) -> str:
    """The SPARQL update that moves a staging graph over ``target`` in one transaction.

    Examples
    --------
    >>> print(swap_update("https://e.org/g", "https://e.org/s", True, ["https://e.org/old"]))
    DROP SILENT GRAPH <https://e.org/old> ;
    MOVE SILENT GRAPH <https://e.org/s> TO GRAPH <https://e.org/g>
    """
    ops = [f"DROP SILENT GRAPH <{check_iri(g)}>" for g in drop_graphs if str(g) != target]
    if nonempty:
        ops.append(f"MOVE SILENT GRAPH <{check_iri(staging)}> TO GRAPH <{check_iri(target)}>")
    else:
        # MOVE of an empty graph removes the target; keep an empty named graph instead
        ops.append(f"DROP SILENT GRAPH <{check_iri(staging)}>")
        ops.append(f"DROP SILENT GRAPH <{check_iri(target)}>")
        ops.append(f"CREATE SILENT GRAPH <{check_iri(target)}>")
    if with_update and with_update.strip():
        ops.append(with_update.strip().rstrip(";"))
    return " ;\n".join(ops)

"""The store interface: :class:`Store`, rows, parameter binding and the graph-swap updates.

Each document's triples live in its own named graph. :meth:`Store.replace_graph` swaps a
graph atomically: a new graph is loaded in one transaction; an existing one is replaced by
one SPARQL update (``DROP`` + ``INSERT DATA``, plus any graphs to drop and any manifest
update, all in one transaction). So an interrupted ingest leaves either the old graph or the
new one, never part of one, and readers never see a half-written state (queries see a
consistent snapshot). :func:`bind_values` binds query parameters as escaped RDF terms.

Besides rows of rdflib terms (:meth:`Store.query`), a store answers a few reads that callers
need in bulk: :meth:`Store.select_lexical` (rows of plain strings),
:meth:`Store.select_iri_pairs` (a two-column select of IRIs, factorised), :meth:`Store.quads`
(quads matching triple patterns) and :meth:`Store.graph_ntriples` (one graph as N-Triples). Each has
a portable implementation here, on top of :meth:`Store.query` and :meth:`Store.graph`; a
backend overrides it where it has a faster way (the embedded Oxigraph store does for all
four) and must give the same answer. :attr:`Store.embedded` tells callers whether the store
runs in this process, so that they can choose a strategy (see there).
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from sotegraph.errors import StoreError
from sotegraph.namespaces import PREFIXES
from sotegraph.terms import graph_to_ntriples

__all__ = [
    "STAGING_PREFIX",
    "IriPairs",
    "LexicalRow",
    "Quad",
    "Row",
    "Store",
    "TriplePattern",
    "bind_values",
    "check_iri",
    "replace_update",
    "swap_update",
]

Row = dict[str, Node | None]
"""A result row of :meth:`Store.query`: every projected variable, ``None`` where unbound."""
LexicalRow = dict[str, str | None]
"""A result row of :meth:`Store.select_lexical`: lexical values, ``None`` where unbound."""
TriplePattern = tuple[Node | None, Node | None, Node | None]
"""A ``(subject, predicate, object)`` pattern of :meth:`Store.quads`; ``None`` matches anything."""
Quad = tuple[Node, Node, Node, str]
"""A quad from :meth:`Store.quads`: subject, predicate, object and the graph's IRI."""
STAGING_PREFIX = "https://w3id.org/sotegraph/id/graph/staging/"


@dataclass(frozen=True, slots=True)
class IriPairs:
    """The rows of a two-column SELECT of IRIs, each column factorised.

    Row ``k`` is ``(left[left_codes[k]], right[right_codes[k]])``: ``left`` and ``right``
    hold each column's distinct IRIs in the order first seen, the codes say which one each
    row has. Rows keep the order of the results, duplicates included.

    Examples
    --------
    >>> pairs = IriPairs.from_pairs([("a:p1", "a:x"), ("a:p2", "a:x"), ("a:p1", "a:y")])
    >>> pairs.left, pairs.left_codes, pairs.right, pairs.right_codes
    (['a:p1', 'a:p2'], [0, 1, 0], ['a:x', 'a:y'], [0, 0, 1])
    >>> len(pairs), pairs.pairs()[2]
    (3, ('a:p1', 'a:y'))
    """

    left: list[str]
    left_codes: list[int]
    right: list[str]
    right_codes: list[int]

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> IriPairs:
        """Factorise ``(left, right)`` pairs (in their order, duplicates kept)."""
        left: dict[str, int] = {}
        right: dict[str, int] = {}
        lcodes: list[int] = []
        rcodes: list[int] = []
        for a, b in pairs:
            lcodes.append(left.setdefault(a, len(left)))
            rcodes.append(right.setdefault(b, len(right)))
        return cls(list(left), lcodes, list(right), rcodes)

    def pairs(self) -> list[tuple[str, str]]:
        """The rows as ``(left, right)`` IRI pairs, in order."""
        return [
            (self.left[i], self.right[j])
            for i, j in zip(self.left_codes, self.right_codes, strict=True)
        ]

    def __len__(self) -> int:
        return len(self.left_codes)


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

    # -- bulk reads: a portable implementation here, faster ones in the backends -----------

    @property
    def embedded(self) -> bool:
        """Whether the store runs in this process (``False``: behind a network protocol).

        An embedded store answers many small reads and pattern scans (:meth:`quads`)
        cheaply, and it evaluates queries without holding the GIL, so queries from two
        threads run at the same time. Callers choose their strategy by it: the network
        loader overlaps its slowest query with the others, and the builder reads the view
        of the graph-wide shapes by :meth:`quads` scans instead of one CONSTRUCT and the
        graphs it validates by :meth:`graph_ntriples`. A remote store answers the same calls
        with the same results, a request or more each.
        """
        return False

    def select_lexical(self, sparql: str) -> list[LexicalRow]:
        """Run a SELECT and return its rows as plain strings.

        Each cell is the lexical form of a literal, the IRI of a named node or the label
        of a blank node (``None`` where unbound): no rdflib term is built, which is several
        times faster on large results where the caller parses the few values it needs
        itself. The default graph is the union of all named graphs, as in :meth:`query`.

        Parameters
        ----------
        sparql:
            A SELECT query (no parameters: write constants into the text, or use
            :func:`bind_values`).

        Returns
        -------
        list of dict
            One dict per row, every projected variable a key in projection order.

        Raises
        ------
        StoreError
            If the query fails (the embedded store passes on pyoxigraph's own error, e.g.
            ``SyntaxError``).

        Examples
        --------
        >>> from sotegraph.store import open_store
        >>> open_store().select_lexical('SELECT ?x ?y WHERE { BIND("1.50" AS ?x) }')
        [{'x': '1.50', 'y': None}]
        """
        return [
            {k: None if v is None else str(v) for k, v in row.items()} for row in self.query(sparql)
        ]

    def select_iri_pairs(self, sparql: str) -> IriPairs:
        """Run a SELECT of two variables and return the rows where both cells are IRIs.

        Rows with a literal, a blank node, a triple term or an unbound cell are left out.
        The rows come factorised (:class:`IriPairs`): callers build sparse matrices from
        the codes (e.g. which project has which partner), and the embedded store factorises
        the rows while it is still writing them.

        Parameters
        ----------
        sparql:
            A SELECT query projecting two variables (no parameters).

        Raises
        ------
        StoreError
            If the query fails (the embedded store passes on pyoxigraph's own error, e.g.
            ``SyntaxError``).

        Examples
        --------
        >>> from sotegraph.store import open_store
        >>> pairs = open_store().select_iri_pairs(
        ...     'SELECT ?a ?b WHERE { VALUES (?a ?b) { (<a:p> <a:x>) (<a:p> "x") } }'
        ... )
        >>> pairs.pairs()
        [('a:p', 'a:x')]
        """
        pairs: list[tuple[str, str]] = []
        for row in self.query(sparql):
            cells = iter(row.values())
            a, b = next(cells, None), next(cells, None)
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                pairs.append((str(a), str(b)))
        return IriPairs.from_pairs(pairs)

    def quads(self, *patterns: TriplePattern, graph: str | URIRef | None = None) -> Iterator[Quad]:
        """The quads of the named graphs that match any of the triple patterns.

        Parameters
        ----------
        *patterns:
            ``(subject, predicate, object)`` patterns as in rdflib's ``Graph.triples``:
            ``None`` matches anything; a blank node cannot be bound. No pattern: all quads.
            A quad that matches several patterns comes once for each.
        graph:
            Only this named graph.

        Yields
        ------
        tuple
            ``(subject, predicate, object, graph name)``: rdflib terms and the graph's IRI,
            pattern after pattern, in no particular order within one.

        Raises
        ------
        StoreError
            If a term of a pattern is not bindable, or the scan fails.

        Examples
        --------
        >>> from rdflib import Graph, Literal, URIRef
        >>> from sotegraph.store import open_store
        >>> store, p = open_store(), URIRef("https://e.org/p")
        >>> g = Graph()
        >>> _ = g.add((URIRef("https://e.org/s"), p, Literal("x")))
        >>> store.replace_graph("https://e.org/g", g)
        >>> [(str(s), str(o), name) for s, _p, o, name in store.quads((None, p, None))]
        [('https://e.org/s', 'x', 'https://e.org/g')]
        """
        for pattern in patterns or ((None, None, None),):
            bindings: dict[str, Node] = {}
            for var, term in zip("spo", pattern, strict=True):
                if term is not None:
                    bindings[var] = term
            if graph is not None:
                bindings["g"] = URIRef(check_iri(graph))
            rows = self.query(
                "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", bindings=bindings
            )
            for row in rows:
                s, p, o, g = row["s"], row["p"], row["o"], row["g"]
                if s is not None and p is not None and o is not None and isinstance(g, URIRef):
                    yield s, p, o, str(g)

    def graph_ntriples(self, name: str | URIRef) -> str:
        """Return one named graph as N-Triples text (empty if the graph is empty or missing).

        The same triples as :meth:`graph`, for callers that parse the text themselves
        (e.g. into the validator's indexed graph) without an rdflib graph in between.

        Examples
        --------
        >>> from sotegraph.store import open_store
        >>> open_store().graph_ntriples("https://e.org/missing")
        ''
        """
        return graph_to_ntriples(self.graph(name))

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

    def snapshot(self, target: str | Path) -> Store:
        """Copy the store to a new folder in a consistent state and open the copy read-only.

        Raises
        ------
        StoreError
            Always, unless the backend keeps its data in a folder it can copy (the embedded
            Oxigraph store overrides this).
        """
        raise StoreError("only an embedded store folder can be snapshotted")

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

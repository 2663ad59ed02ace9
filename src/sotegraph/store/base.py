"""The store interface: :class:`Store`, rows, parameter binding and the graph-swap updates.

Each document's triples live in its own named graph. :meth:`Store.replace_graph` swaps a
graph atomically: a new graph is loaded in one transaction; an existing one is replaced by
one SPARQL update (``DROP`` + ``INSERT DATA``, plus any graphs to drop and any manifest
update, all in one transaction). So an interrupted ingest leaves either the old graph or the
new one, never part of one, and readers never see a half-written state (queries see a
consistent snapshot). :meth:`Store.store_document` writes a document's graph with its manifest
entry, its commit record, in one transaction; a document graph without an entry is not
committed (:meth:`Store.uncommitted_documents`). :func:`bind_values` binds query parameters as
escaped RDF terms.

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
from sotegraph.namespaces import GRAPH_NAMES, PREFIXES, RDF, SG, document_iri
from sotegraph.terms import graph_to_ntriples

__all__ = [
    "MANIFEST_GRAPH",
    "STAGING_PREFIX",
    "IriPairs",
    "LexicalRow",
    "Quad",
    "Row",
    "Store",
    "TriplePattern",
    "bind_values",
    "check_iri",
    "is_document_graph",
    "replace_update",
    "sparql_term",
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
MANIFEST_GRAPH = str(GRAPH_NAMES["manifest"])
"""The graph that records each committed document (``<doc> a sg:Document`` and more)."""
_DOCUMENT_GRAPH = re.compile(re.escape(str(document_iri("0" * 64))[:-64]) + "[0-9a-f]{64}")


def is_document_graph(name: str) -> bool:
    """Whether ``name`` is a document's graph: ``sgid:document/<sha256>`` (the data contract).

    Examples
    --------
    >>> is_document_graph("https://w3id.org/sotegraph/id/document/" + "ab" * 32)
    True
    >>> is_document_graph("https://w3id.org/sotegraph/id/graph/manifest")
    False
    """
    return _DOCUMENT_GRAPH.fullmatch(name) is not None


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

    def store_document(
        self,
        name: str | URIRef,
        data: str,
        *,
        record: str,
        drop_graphs: Iterable[str | URIRef] = (),
        with_update: str | None = None,
    ) -> None:
        """Replace a document's graph by N-Triples and record it in the manifest, atomically.

        The manifest entry is the document's commit record: the graph, the entry and the
        other changes go in one transaction, so no reader (and no build after a kill) ever
        sees the graph without its entry (:meth:`uncommitted_documents`).

        Parameters
        ----------
        name:
            IRI of the document's graph (``sgid:document/<sha256>``).
        data:
            Its N-Triples.
        record:
            N-Triples of its manifest entry (statements about ``name``, no blank nodes); it
            replaces whatever :data:`MANIFEST_GRAPH` said about ``name``.
        drop_graphs, with_update:
            As in :meth:`replace_graph` (e.g. the previous version's graph and entry).

        Raises
        ------
        StoreError
            If the text does not parse or could not be written; the store is then as before.

        Examples
        --------
        >>> from sotegraph.store import open_store
        >>> store, doc = open_store(), "https://w3id.org/sotegraph/id/document/" + "a" * 64
        >>> store.store_document(doc, '<https://e.org/s> <https://e.org/p> "x" .', record=(
        ...     f"<{doc}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        ...     "<https://w3id.org/sotegraph/ontology#Document> ."))
        >>> store.graph_names() == [doc, MANIFEST_GRAPH], store.uncommitted_documents()
        (True, [])
        """
        target = check_iri(name)
        ops = [with_update.strip().rstrip(";")] if with_update and with_update.strip() else []
        ops += _entry_ops(target, record)
        self.replace_graph_ntriples(
            name, data, drop_graphs=drop_graphs, with_update=" ;\n".join(ops)
        )

    def append_ntriples(self, name: str | URIRef, data: str) -> None:
        """Add N-Triples to a named graph (created if missing), keeping what it holds.

        For a document's graph written in pieces (a large bulk table): the pieces go in one
        after another, then :meth:`commit_document` records it; until then it is an
        uncommitted graph (:meth:`uncommitted_documents`) that a build removes.

        Raises
        ------
        StoreError
            If the text does not parse or could not be written.

        Examples
        --------
        >>> from sotegraph.store import open_store
        >>> store = open_store()
        >>> store.append_ntriples("https://e.org/g", '<https://e.org/s> <https://e.org/p> "a" .')
        >>> store.append_ntriples("https://e.org/g", '<https://e.org/s> <https://e.org/p> "b" .')
        >>> len(store)
        2
        """
        target = check_iri(name)
        if not data.strip():
            return
        try:
            if any(mark in data for mark in _BREAKS_OUT):
                check_ntriples(data)  # nothing outside a literal may end the data block
        except SyntaxError as exc:
            raise StoreError(f"could not write graph <{target}>: {exc}") from exc
        if "_:" in data:
            self.update(f"INSERT {{ GRAPH <{target}> {{\n{data.strip()}\n}} }} WHERE {{}}")
        else:
            self.update(f"INSERT DATA {{ GRAPH <{target}> {{\n{data.strip()}\n}} }}")

    def commit_document(
        self,
        name: str | URIRef,
        *,
        record: str,
        drop_graphs: Iterable[str | URIRef] = (),
        with_update: str | None = None,
    ) -> None:
        """Record a document whose graph is written (:meth:`append_ntriples`) in the manifest,
        with the drops and the update of :meth:`store_document`, in one transaction."""
        target = check_iri(name)
        ops = [with_update.strip().rstrip(";")] if with_update and with_update.strip() else []
        ops += [f"DROP SILENT GRAPH <{check_iri(g)}>" for g in drop_graphs if str(g) != target]
        ops += _entry_ops(target, record)
        self.update(" ;\n".join(ops))

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

    def uncommitted_documents(self) -> list[str]:
        """The document graphs (:func:`is_document_graph`) without a manifest entry, sorted.

        A build writes each document's graph and its manifest entry (``<doc> a sg:Document``
        in :data:`MANIFEST_GRAPH`) in one transaction, so the entry is the document's commit
        record. A graph without one was left by a writer that stopped in between (an older
        version wrote the two apart): the embedded store removes such graphs when it opens
        writable and hides them when it opens read-only, so it answers ``[]``.
        """
        docs = [g for g in self.graph_names() if is_document_graph(g)]
        if not docs:
            return []
        rows = self.select_lexical(
            f"SELECT ?d WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ ?d <{RDF.type}> <{SG.Document}> }} }}"
        )
        committed = {r["d"] for r in rows}
        return sorted(d for d in docs if d not in committed)

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

    def iter_lexical(self, sparql: str) -> Iterator[LexicalRow]:
        """The rows of :meth:`select_lexical` one at a time, for a caller that keeps few.

        The embedded store reads them from Oxigraph as the caller goes (a large result is
        never held as a list of dicts); a remote store has its answer whole anyway. An error
        of the query may come at the first row rather than at the call.

        Examples
        --------
        >>> from sotegraph.store import open_store
        >>> rows = open_store().iter_lexical('SELECT ?x WHERE { VALUES ?x { 1 2 } }')
        >>> [r["x"] for r in rows]
        ['1', '2']
        """
        yield from self.select_lexical(sparql)

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

    def flush(self) -> None:  # noqa: B027 - optional hook
        """Write buffered writes out (an on-disk store's memory buffers; nothing elsewhere)."""

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

    Each value is written by :func:`sparql_term`, which checks every part of the term whole
    (an IRI, a literal's datatype IRI and language tag) and escapes a literal's text, so a
    value cannot change the structure of the query. (Oxigraph's own ``substitutions`` only
    binds projected variables, and remote endpoints have no binding at all.)

    Raises
    ------
    StoreError
        If the query has no WHERE group, a name is not a variable name or a value is not a
        bindable RDF term (the message names the variable).

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> print(bind_values("SELECT ?s WHERE { ?s ?p ?code }", {"code": Literal('x" } DROP ALL #')}))
    SELECT ?s WHERE { VALUES (?code) { ("x\\" } DROP ALL #") } ?s ?p ?code }
    >>> bind_values("SELECT ?s WHERE { ?s ?p ?code }",
    ...             {"code": Literal("x", datatype=URIRef("http://x> } #"))})
    Traceback (most recent call last):
    ...
    sotegraph.errors.StoreError: ?code: not a valid datatype IRI (an absolute IRI without spaces, control characters or <>"{}|\\^`, a % only in %XX): 'http://x> } #'
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    for n in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise StoreError(f"not a SPARQL variable name: {n!r}")
    terms = []
    for n in names:
        try:
            terms.append(sparql_term(bindings[n]))
        except StoreError as exc:
            raise StoreError(f"?{n}: {exc}") from None
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }} "
    pos = _where_brace(sparql)
    return sparql[: pos + 1] + " " + block + sparql[pos + 1 :].lstrip(" ")


# An absolute IRI as SPARQL's IRIREF can hold it (RFC 3987 characters): a scheme, then no
# control character (C0, DEL, C1), no white space, none of <>"{}|\^` and no surrogate; a
# percent sign only as the start of a %XX escape.
_IRI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*:"
    r"(?:[^\x00-\x20\x7f-\x9f<>\"{}|\\^`%\s\ud800-\udfff]|%[0-9A-Fa-f]{2})*"
)
_IRI_RULE = 'an absolute IRI without spaces, control characters or <>"{}|\\^`, a % only in %XX'
# A language tag in the shape BCP 47 gives every tag (subtags of letters and digits).
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
# What a literal's text needs escaped inside "…": SPARQL's ECHAR escapes, and \uXXXX for
# the other control characters (servers differ in what they accept as they come)
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPED = re.compile(r'[\\"\x00-\x1f\x7f]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def sparql_term(term: Node) -> str:
    """Write one RDF term in SPARQL syntax, each part checked whole.

    An IRI, and a literal's datatype IRI, must be absolute IRIs that SPARQL can hold
    between ``<>`` (no spaces, control characters or ``<>"{}|\\^```); a language tag must
    have the shape of a BCP 47 tag (``fi``, ``en-GB``, ``sv-Latn-FI``); a literal's text is
    written between double quotes with quotes, backslashes, line breaks and the other control
    characters escaped. Blank nodes, variables and anything else are refused. Nothing of a
    term is copied into the text unchecked, so a term cannot change a query's structure.

    Raises
    ------
    StoreError
        If the term, or its datatype or language tag, cannot be written safely.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> from rdflib.namespace import XSD
    >>> print(sparql_term(Literal('say "hi"\\n', lang="en-GB")))
    "say \\"hi\\"\\n"@en-GB
    >>> print(sparql_term(Literal("2020-01-31", datatype=XSD.date)))
    "2020-01-31"^^<http://www.w3.org/2001/XMLSchema#date>
    >>> sparql_term(URIRef("https://e.org/a b"))
    Traceback (most recent call last):
    ...
    sotegraph.errors.StoreError: not a valid IRI (an absolute IRI without spaces, control characters or <>"{}|\\^`, a % only in %XX): 'https://e.org/a b'
    """
    if isinstance(term, URIRef):
        return f"<{check_iri(term, what='IRI')}>"
    if isinstance(term, Literal):
        text = str(term)
        if _SURROGATE.search(text):
            raise StoreError(f"the literal text holds a lone surrogate: {text!r}")
        quoted = '"' + _ESCAPED.sub(_escape, text) + '"'
        if term.language is not None:
            if not _LANGUAGE.fullmatch(term.language):
                raise StoreError(f"not a language tag (BCP 47 shape): {term.language!r}")
            return f"{quoted}@{term.language}"
        if term.datatype is not None:
            return f"{quoted}^^<{check_iri(term.datatype, what='datatype IRI')}>"
        return quoted
    raise StoreError(f"only an IRI or a literal can be bound, not {term!r}")


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    return _ECHAR.get(c) or f"\\u{ord(c):04X}"


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


def check_iri(name: str | URIRef, *, what: str = "graph IRI") -> str:
    """Check an IRI (a graph name unless ``what`` says otherwise) and return it as text.

    It must be an absolute IRI that SPARQL can hold between ``<>``: a scheme, then no white
    space, no control character, none of ``<>"{}|\\^``` and a ``%`` only in a ``%XX``
    escape.

    Raises
    ------
    StoreError
        If it is not; the message starts ``not a valid {what}``.

    Examples
    --------
    >>> check_iri("https://e.org/g")
    'https://e.org/g'
    >>> check_iri("https://e.org/a\\x00b", what="datatype IRI")
    Traceback (most recent call last):
    ...
    sotegraph.errors.StoreError: not a valid datatype IRI (an absolute IRI without spaces, control characters or <>"{}|\\^`, a % only in %XX): 'https://e.org/a\\x00b'
    """
    text = str(name)
    if not _IRI.fullmatch(text):
        raise StoreError(f"not a valid {what} ({_IRI_RULE}): {text!r}")
    return text


def _entry_ops(target: str, record: str) -> list[str]:
    """The update operations that make ``record`` the manifest entry of graph ``target``."""
    ops = [f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{target}> ?p ?o }} }}"]
    if record.strip():
        ops.append(f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{\n{record.strip()}\n}} }}")
    return ops


def replace_update(
    target: str,
    data: str,
    drop_graphs: Iterable[str | URIRef] = (),
    with_update: str | None = None,
) -> str:
    """One SPARQL update replacing graph ``target`` by N-Triples ``data`` (one transaction).

    The N-Triples go in an ``INSERT DATA`` block (N-Triples is valid SPARQL data syntax);
    ``drop_graphs`` are dropped and ``with_update`` runs in the same update. Text holding a
    ``}`` or a long-quote mark is parsed first (:func:`check_ntriples`), so that nothing
    outside a literal can end the data block and write elsewhere.

    Raises
    ------
    SyntaxError
        If ``data`` holds such a mark and is not N-Triples.

    Examples
    --------
    >>> print(replace_update("https://e.org/g", '<https://e.org/s> <https://e.org/p> "x" .\\n'))
    DROP SILENT GRAPH <https://e.org/g> ;
    INSERT DATA { GRAPH <https://e.org/g> {
    <https://e.org/s> <https://e.org/p> "x" .
    } }
    """
    if any(mark in data for mark in _BREAKS_OUT):
        check_ntriples(data)  # nothing outside a literal may end the data block
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


_BREAKS_OUT = ("}", '"""', "'''")


def check_ntriples(data: str) -> None:
    """Parse N-Triples text (any line length) only to refuse it when it is not N-Triples.

    Raises
    ------
    SyntaxError
        If it is not.

    Examples
    --------
    >>> check_ntriples('<https://e.org/s> <https://e.org/p> "a } b" .')
    >>> check_ntriples('<https://e.org/s> <https://e.org/p> "a" . } } DROP ALL ; INSERT DATA { {')
    Traceback (most recent call last):
    ...
    SyntaxError: ...
    """
    from sotegraph.rdf import parse_ntriples

    for _quad in parse_ntriples(data):
        pass

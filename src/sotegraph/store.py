"""Stores: embedded Oxigraph (memory or a folder) behind one interface.

Each document's triples live in its own named graph. :meth:`Store.replace_graph` swaps a
graph atomically: a new graph is loaded in one transaction; an existing one is replaced by
one SPARQL update (``DROP`` + ``INSERT DATA``, plus any graphs to drop and any manifest
update, all in one transaction). So an interrupted ingest leaves either the old graph or the
new one, never part of one, and readers never see a half-written state (queries see a
consistent snapshot). :func:`bind_values` binds query parameters as escaped RDF terms.

Examples
--------
>>> from rdflib import Graph, Literal, URIRef
>>> store = open_store()
>>> g = Graph(identifier=URIRef("https://example.org/g1"))
>>> _ = g.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal(1)))
>>> store.replace_graph(g.identifier, g)
>>> len(store)
1
>>> rows = store.query("SELECT ?o WHERE { ?s ?p ?o }")
>>> rows[0]["o"].toPython()
1
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from sotegraph.errors import StoreError
from sotegraph.namespaces import PREFIXES

__all__ = [
    "OxigraphStore",
    "Row",
    "Store",
    "bind_values",
    "graph_to_ntriples",
    "open_store",
    "rdflib_converter",
    "replace_update",
    "swap_update",
    "to_oxigraph",
    "to_rdflib",
]

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


# -- term conversion -----------------------------------------------------------------------
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to a pyoxigraph term.

    Raises
    ------
    StoreError
        If the term is of a kind Oxigraph does not store (e.g. a variable).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise StoreError(f"cannot store RDF term {term!r}")


def to_rdflib(term: Any) -> Node | None:
    """Convert a pyoxigraph term (or ``None``) to an rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dtype = term.datatype.value
        if dtype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dtype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"unexpected term from Oxigraph: {term!r}")


def rdflib_converter() -> Callable[[Any], Node]:
    """:func:`to_rdflib` with a cache: each distinct term is converted once.

    A graph repeats its predicates, classes and shared objects many times; one converter
    per graph read saves most of the conversions.

    Examples
    --------
    >>> conv = rdflib_converter()
    >>> a = conv(ox.NamedNode("https://e.org/a"))
    >>> a is conv(ox.NamedNode("https://e.org/a"))
    True
    """
    cache: dict[Any, Any] = {}

    def conv(term: Any) -> Any:
        hit = cache.get(term)
        if hit is None:
            hit = cache[term] = to_rdflib(term)
        return hit

    return conv


def _quads(graph: Graph, name: ox.NamedNode) -> Iterator[ox.Quad]:
    cache: dict[Node, Any] = {}

    def conv(t: Node) -> Any:
        hit = cache.get(t)
        if hit is None:
            hit = to_oxigraph(t)
            if not isinstance(t, Literal):
                cache[t] = hit
        return hit

    for s, p, o in graph:
        yield ox.Quad(conv(s), conv(p), conv(o), name)


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


def _iri(name: str | URIRef) -> str:
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
    ops = [f"DROP SILENT GRAPH <{_iri(g)}>" for g in drop_graphs if str(g) != target]
    ops.append(f"DROP SILENT GRAPH <{_iri(target)}>")
    if data.strip() and "_:" in data:
        # blank nodes: a template insert (some servers refuse blank nodes in INSERT DATA)
        ops.append(f"INSERT {{ GRAPH <{_iri(target)}> {{\n{data.strip()}\n}} }} WHERE {{}}")
    elif data.strip():
        ops.append(f"INSERT DATA {{ GRAPH <{_iri(target)}> {{\n{data.strip()}\n}} }}")
    else:
        ops.append(f"CREATE SILENT GRAPH <{_iri(target)}>")
    if with_update and with_update.strip():
        ops.append(with_update.strip().rstrip(";"))
    return " ;\n".join(ops)


def graph_to_ntriples(graph: Graph) -> str:
    """Serialise an rdflib graph as N-Triples text (through Oxigraph: fast, canonical escapes).

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://e.org/s"), URIRef("https://e.org/p"), Literal("ä", lang="fi")))
    >>> graph_to_ntriples(g)
    '<https://e.org/s> <https://e.org/p> "ä"@fi .\\n'
    """
    if len(graph) == 0:
        return ""
    name = ox.NamedNode("urn:x-sotegraph:g")
    local = ox.Store()
    local.extend(_quads(graph, name))
    data = local.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
    return data.decode("utf-8") if isinstance(data, bytes) else str(data)


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
    ops = [f"DROP SILENT GRAPH <{_iri(g)}>" for g in drop_graphs if str(g) != target]
    if nonempty:
        ops.append(f"MOVE SILENT GRAPH <{_iri(staging)}> TO GRAPH <{_iri(target)}>")
    else:
        # MOVE of an empty graph removes the target; keep an empty named graph instead
        ops.append(f"DROP SILENT GRAPH <{_iri(staging)}>")
        ops.append(f"DROP SILENT GRAPH <{_iri(target)}>")
        ops.append(f"CREATE SILENT GRAPH <{_iri(target)}>")
    if with_update and with_update.strip():
        ops.append(with_update.strip().rstrip(";"))
    return " ;\n".join(ops)


class OxigraphStore(Store):
    """Embedded Oxigraph, in memory (``path=None``) or in a folder (persists across processes).

    Parameters
    ----------
    path:
        Folder of the on-disk store (created if missing), or ``None`` for memory.
    read_only:
        Open an existing folder read-only. Oxigraph allows this only while no other process
        writes the folder; to read during a build, query the writing process (queries see a
        consistent snapshot, see :meth:`query`), open a :meth:`snapshot`, or serve the store
        with ``oxigraph serve`` and use :class:`sotegraph.remote.RemoteStore`.

    Raises
    ------
    StoreError
        If the folder cannot be opened (e.g. locked by another writing process).

    Examples
    --------
    >>> import tempfile
    >>> from rdflib import Graph, Literal, URIRef
    >>> folder = tempfile.mkdtemp()
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://e.org/s"), URIRef("https://e.org/p"), Literal("x")))
    >>> with OxigraphStore(folder) as store:
    ...     store.replace_graph("https://e.org/g", g)
    >>> with OxigraphStore(folder, read_only=True) as again:
    ...     again.graph_names(), len(again)
    (['https://e.org/g'], 1)
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._ox: ox.Store | None = ox.Store()
            elif read_only:
                self._ox = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:
            hint = ""
            if "lock" in str(exc).lower():
                hint = " (another process is writing it; close that process or open a snapshot)"
            raise StoreError(f"cannot open the store at {self.path}{hint}: {exc}") from exc
        self.read_only = read_only
        if not read_only:
            self._drop_staging()

    @property
    def _store(self) -> ox.Store:
        if self._ox is None:
            raise StoreError(f"the store at {self.path or 'memory'} is closed")
        return self._ox

    @property
    def raw(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for bulk work and benchmarks)."""
        return self._store

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only")

    def snapshot(self, target: str | Path) -> OxigraphStore:
        """Copy the on-disk store to a new folder in a consistent state and open it read-only.

        The copy uses hard links where it can (Oxigraph's backup), so it is fast; readers can
        query the snapshot while a build keeps writing the original.

        Raises
        ------
        StoreError
            If the store is in memory or the copy fails (e.g. ``target`` exists).
        """
        if self.path is None:
            raise StoreError("only an on-disk store can be snapshotted")
        try:
            self._store.backup(str(target))
        except OSError as exc:
            raise StoreError(f"could not snapshot the store to {target}: {exc}") from exc
        return OxigraphStore(target, read_only=True)

    def _drop_staging(self) -> None:
        """Remove staging graphs left by an interrupted ingest."""
        for g in list(self._store.named_graphs()):
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX):
                self._store.remove_graph(g)

    def replace_graph_ntriples(
        self,
        name: str | URIRef,
        data: str,
        *,
        drop_graphs: Iterable[str | URIRef] = (),
        with_update: str | None = None,
    ) -> None:
        self._check_writable()
        target = _iri(name)
        drops = [_iri(g) for g in drop_graphs if str(g) != target]
        try:
            if data.strip() and not drops and not with_update and not self.has_graph(target):
                # a new graph and nothing else to do: one transactional load is atomic
                self._store.load(
                    data.encode("utf-8"),
                    format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(target),
                )
                return
            # everything in one SPARQL update = one transaction; no staging graph that
            # readers of the union default graph could see half-way
            self._store.update(replace_update(target, data, drops, with_update))
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            raise StoreError(f"could not write graph <{target}>: {exc}") from exc

    def load_graphs(self, graphs: Iterable[Graph]) -> None:
        """Replace several named graphs (each atomically)."""
        for g in graphs:
            self.replace_graph(g.identifier, g)

    def remove_graph(self, name: str | URIRef) -> bool:
        self._check_writable()
        node = ox.NamedNode(_iri(name))
        if not self._store.contains_named_graph(node):
            return False
        try:
            self._store.remove_graph(node)
        except OSError as exc:
            raise StoreError(f"could not remove graph <{node.value}>: {exc}") from exc
        return True

    def graph_names(self) -> list[str]:
        return sorted(
            g.value
            for g in self._store.named_graphs()
            if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING_PREFIX)
        )

    def has_graph(self, name: str | URIRef) -> bool:
        return bool(self._store.contains_named_graph(ox.NamedNode(_iri(name))))

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        result = self._run(sparql, bindings)
        if isinstance(result, bool | ox.QueryBoolean):
            return [{"ask": Literal(bool(result))}]
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return [{n: to_rdflib(sol[n]) for n in names} for sol in result]
        raise StoreError("query(): use construct() for CONSTRUCT and DESCRIBE queries")

    def construct(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> Graph:
        result = self._run(sparql, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("construct(): not a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in result:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
        return g

    def _run(self, sparql: str, bindings: Mapping[str, Node] | None) -> Any:
        try:
            return self._store.query(
                bind_values(sparql, bindings),
                use_default_graph_as_union=True,
            )
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def update(self, sparql: str) -> None:
        self._check_writable()
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error in update: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"update failed: {exc}") from exc

    def graph(self, name: str | URIRef) -> Graph:
        g = Graph(identifier=URIRef(_iri(name)))
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
        return g

    def dump(self, path: str | Path) -> None:
        p = Path(path)
        fmt = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}.get(p.suffix.lower())
        if fmt is None:
            raise StoreError(f"cannot dump a dataset as {p.suffix!r}; use .trig or .nq")
        self._store.dump(
            str(p), format=fmt, prefixes=PREFIXES if fmt is ox.RdfFormat.TRIG else None
        )

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        """Flush and release the store (the folder's lock goes with it); idempotent."""
        if self._ox is None:
            return
        try:
            if self.path is not None and not self.read_only:
                self._ox.flush()
        finally:
            self._ox = None  # dropping the last reference closes RocksDB


def open_store(
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
    auth: str = "basic",
    timeout: float = 60.0,
    retries: int = 3,
    verify_tls: bool = True,
) -> Store:
    """Open a store: in memory (no arguments), in a folder (``path``), or a remote endpoint.

    Parameters
    ----------
    path:
        Folder of an embedded on-disk store; ``None`` for memory.
    read_only:
        Open an on-disk store read-only.
    endpoint, update_endpoint:
        URLs of a remote SPARQL 1.1 query (and update) endpoint (see :mod:`sotegraph.remote`).
    user, password, auth:
        Credentials for the remote endpoint (never logged) and the HTTP authentication
        scheme, ``"basic"`` or ``"digest"``.
    timeout, retries, verify_tls:
        Remote request timeout in seconds, retries with back-off on connection errors, and
        TLS certificate verification (on by default).

    Raises
    ------
    StoreError
        If the store cannot be opened.

    Examples
    --------
    >>> open_store().graph_names()
    []
    """
    if endpoint:
        from sotegraph.remote import RemoteStore

        return RemoteStore(
            endpoint,
            update_endpoint=update_endpoint,
            user=user,
            password=password,
            auth=auth,
            timeout=timeout,
            retries=retries,
            verify_tls=verify_tls,
        )
    return OxigraphStore(path, read_only=read_only)

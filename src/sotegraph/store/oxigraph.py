"""The embedded Oxigraph store, in memory or in a folder.

Besides the :class:`~sotegraph.store.Store` interface it has the fast bulk reads: rows of
plain strings straight from Oxigraph's terms (:meth:`OxigraphStore.select_lexical`), IRI
pairs read from the TSV results while Oxigraph is still writing them
(:meth:`OxigraphStore.select_iri_pairs`), index scans (:meth:`OxigraphStore.quads`) and
N-Triples dumps (:meth:`OxigraphStore.graph_ntriples`).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from sotegraph.errors import StoreError
from sotegraph.namespaces import PREFIXES
from sotegraph.store.base import (
    MANIFEST_GRAPH,
    STAGING_PREFIX,
    IriPairs,
    LexicalRow,
    Quad,
    Row,
    Store,
    TriplePattern,
    bind_values,
    check_iri,
    is_document_graph,
    replace_update,
)
from sotegraph.store.oserrors import store_error
from sotegraph.terms import rdflib_converter, rdflib_rows, to_oxigraph, to_rdflib

__all__ = ["OxigraphStore"]

log = logging.getLogger(__name__)
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DOCUMENT = ox.NamedNode("https://w3id.org/sotegraph/ontology#Document")

# where the TSV of a select is written while it is read: memory-backed when the system has it
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None

_TSV_IRI_PAIR = re.compile(r"^<([^>\t]*)>\t<([^>\t]*)>$", re.MULTILINE)


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
        with ``oxigraph serve`` and use :class:`sotegraph.store.remote.RemoteStore`.

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
            raise store_error(f"cannot open the store at {self.path}{hint}", exc) from exc
        self.read_only = read_only
        #: the document graphs without a manifest entry found on open (a build stopped
        #: between writing a graph and recording it): removed, or hidden when read-only
        self.uncommitted: list[str] = []
        self._hidden: frozenset[str] = frozenset()  # graphs a read-only store does not show
        self._hidden_quads = 0
        self._dataset: dict[str, Any] = {"use_default_graph_as_union": True}
        if not read_only:
            try:
                self._drop_staging()
            except (OSError, RuntimeError) as exc:
                self._ox = None
                raise store_error(f"cannot open the store at {self.path}", exc) from exc
        if self.path is not None:
            try:
                self._settle_uncommitted()
            except (OSError, RuntimeError) as exc:
                self._ox = None
                raise store_error(f"cannot open the store at {self.path}", exc) from exc

    @property
    def _store(self) -> ox.Store:
        if self._ox is None:
            raise StoreError(f"the store at {self.path or 'memory'} is closed")
        return self._ox

    @property
    def raw(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for bulk work and benchmarks)."""
        return self._store

    @property
    def embedded(self) -> bool:
        """``True``: Oxigraph runs in this process (see :attr:`Store.embedded`)."""
        return True

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
        if Path(target).exists():
            raise StoreError(f"could not snapshot the store to {target}: the folder exists")
        try:
            self._store.backup(str(target))
        except (OSError, RuntimeError) as exc:  # pyoxigraph reports RocksDB errors as either
            raise store_error(f"could not snapshot the store to {target}", exc) from exc
        return OxigraphStore(target, read_only=True)

    def _settle_uncommitted(self) -> None:
        """Remove (writable) or hide (read-only) the document graphs without a manifest entry.

        Only what a build commits is visible (:meth:`Store.uncommitted_documents`): a
        read-only store leaves such graphs, and staging graphs, out of :meth:`graph_names`,
        every query (its dataset is the other graphs), :meth:`quads`, :meth:`dump` and
        ``len``. Each case is logged as a warning.
        """
        names = [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]
        committed = {
            q.subject.value
            for q in self._store.quads_for_pattern(
                None, _RDF_TYPE, _DOCUMENT, ox.NamedNode(MANIFEST_GRAPH)
            )
            if isinstance(q.subject, ox.NamedNode)
        }
        found = sorted(
            g.value for g in names if is_document_graph(g.value) and g.value not in committed
        )
        self.uncommitted = found
        if not self.read_only:
            for name in found:
                self._store.remove_graph(ox.NamedNode(name))
            if found:
                log.warning(
                    "removed %d document graph(s) without a manifest entry from %s (left by "
                    "a build that stopped before recording them): %s",
                    len(found),
                    self.path,
                    _some(found),
                )
            return
        hidden = set(found) | {g.value for g in names if g.value.startswith(STAGING_PREFIX)}
        if not hidden:
            return
        self._hidden = frozenset(hidden)
        self._hidden_quads = sum(
            1
            for g in hidden
            for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        )
        visible: list[Any] = [ox.DefaultGraph(), *(g for g in names if g.value not in hidden)]
        self._dataset = {"default_graph": visible, "named_graphs": visible[1:]}
        log.warning(
            "%d uncommitted graph(s) in %s are hidden (open the store writable to remove them): %s",
            len(hidden),
            self.path,
            _some(sorted(hidden)),
        )

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
        target = check_iri(name)
        drops = [check_iri(g) for g in drop_graphs if str(g) != target]
        try:
            new = not drops and not with_update and not self.has_graph(target)
            if new and data and not data.isspace():
                # a new graph and nothing else to do: one transactional load is atomic
                self._load_new(target, data)
                return
            # everything in one SPARQL update = one transaction; no staging graph that
            # readers of the union default graph could see half-way. (Oxigraph's SPARQL
            # parser takes a literal of any length, unlike its N-Triples parser.)
            # (replace_update parses text that could end the data block early)
            self._store.update(replace_update(target, data, drops, with_update))
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            raise store_error(f"could not write graph <{target}>", exc) from exc

    def store_document(
        self,
        name: str | URIRef,
        data: str,
        *,
        record: str,
        drop_graphs: Iterable[str | URIRef] = (),
        with_update: str | None = None,
    ) -> None:
        """A document's graph and its manifest entry, atomically (:meth:`Store.store_document`).

        A new document (no graph, no entry, nothing to drop) goes in by one load, the
        graph's N-Triples and the entry together (:meth:`_load_new`), else by the portable
        SPARQL update. The load parses faster: in memory, the 421,783 triples of the
        2007-2013 project list take 1.1 s of CPU as TriG, 0.9 s as N-Triples alone and
        1.8 s in an update.
        """
        self._check_writable()
        target = check_iri(name)
        node, manifest = ox.NamedNode(target), ox.NamedNode(MANIFEST_GRAPH)
        if len(data) >= self.bulk_chars:
            self._store_large_document(target, data, record, drop_graphs, with_update)
            return
        fresh = (
            data
            and not data.isspace()
            and not with_update
            and not [g for g in drop_graphs if str(g) != target]
            and not self.has_graph(target)
            and next(iter(self._store.quads_for_pattern(node, None, None, manifest)), None) is None
        )
        if not fresh:
            super().store_document(
                name, data, record=record, drop_graphs=drop_graphs, with_update=with_update
            )
            return
        try:
            entry = [
                ox.Quad(q.subject, q.predicate, q.object, manifest)
                for q in ox.parse(record, format=ox.RdfFormat.N_TRIPLES)
            ]
            self._load_new(target, data, entry)
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            raise store_error(f"could not write graph <{target}>", exc) from exc

    #: A document graph of this many characters of N-Triples or more is written by Oxigraph's
    #: bulk loader, in pieces of about this size, before its manifest entry
    #: (:meth:`_store_large_document`). A transactional load holds the whole graph in memory:
    #: the 535,313 triples (78 MiB) of the 2007-2013 project list take 10.0 s of CPU and
    #: 840 MiB over the text that way, 4.0 s and 690 MiB by one bulk load, 3.8 s and 100 MiB
    #: by bulk loads of 50,000 lines.
    bulk_chars = 8 * 2**20

    def _store_large_document(
        self,
        target: str,
        data: str,
        record: str,
        drop_graphs: Iterable[str | URIRef],
        with_update: str | None,
    ) -> None:
        """A large document: its graph by the bulk loader, then (one transaction) its entry.

        The entry stays the commit record: until it is written, the graph is an uncommitted
        one (:meth:`Store.uncommitted_documents`) that the next build removes and builds
        again, so a kill during the write loses nothing. A query running meanwhile may see
        part of the new graph before its entry (a small document goes in with its entry in
        one transaction).
        """
        graph = ox.NamedNode(target)
        try:
            if self._store.contains_named_graph(graph):
                self._store.remove_graph(graph)  # a stale, uncommitted write: replaced
        except (OSError, RuntimeError) as exc:
            raise store_error(f"could not write graph <{target}>", exc) from exc
        try:
            self.append_ntriples(target, data)
        except StoreError:
            with contextlib.suppress(OSError, RuntimeError):
                self._store.remove_graph(graph)  # nothing half-written stays behind
            raise
        self.commit_document(
            target, record=record, drop_graphs=drop_graphs, with_update=with_update
        )

    def append_ntriples(self, name: str | URIRef, data: str) -> None:
        """Add N-Triples to a graph (:meth:`Store.append_ntriples`): a large text by Oxigraph's
        bulk loader in pieces of :attr:`bulk_chars`, a small one in one transaction. A piece
        that fails to parse or write raises; the pieces before it stay (the graph is then an
        uncommitted one, removed by the next build)."""
        from sotegraph.rdf import long_lines, parse_ntriples

        self._check_writable()
        target = check_iri(name)
        graph = ox.NamedNode(target)
        if not data or data.isspace():
            return
        large = len(data) >= self.bulk_chars
        try:
            for piece in _pieces(data, self.bulk_chars) if large else (data,):
                if long_lines(piece):
                    quads = (
                        ox.Quad(t.subject, t.predicate, t.object, graph)
                        for t in parse_ntriples(piece)
                    )
                    if large:
                        self._store.bulk_extend(quads)
                    else:
                        self._store.extend(quads)
                elif large:
                    self._store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
                else:
                    self._store.load(piece, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            raise store_error(f"could not write graph <{target}>", exc) from exc

    def _load_new(self, target: str, data: str, record: list[ox.Quad] | None = None) -> None:
        """Load N-Triples into a new graph, with ``record``'s quads, in one transaction.

        Oxigraph's own parser reads the text: N-Triples alone, or with a record TriG (the
        text as the graph's block, the record after it: Oxigraph's TriG parser takes 15 %
        longer than its N-Triples parser on N-Triples). Oxigraph's parsers refuse a token
        over 16 MiB (a literal holding the text of a large document); when a line is that
        long, or the text holds a ``}`` that TriG could read as the end of the block, the
        triples come from :func:`sotegraph.rdf.parse_ntriples` (Oxigraph's N-Triples parser
        between the long lines, the long lines parsed on their own) and go in by one
        transactional ``extend``.
        """
        from sotegraph.rdf import long_lines, parse_ntriples

        graph = ox.NamedNode(target)
        if long_lines(data) or (record and "}" in data):
            quads = (ox.Quad(t.subject, t.predicate, t.object, graph) for t in parse_ntriples(data))
            self._store.extend(itertools.chain(quads, record or ()))
        elif record:
            trig = b"".join(
                (
                    f"<{target}> {{\n".encode(),
                    data.encode("utf-8"),
                    b"\n}\n",
                    ox.serialize(record, format=ox.RdfFormat.TRIG) or b"",
                )
            )
            self._store.load(trig, format=ox.RdfFormat.TRIG)
        else:
            self._store.load(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)

    def load_graphs(self, graphs: Iterable[Graph]) -> None:
        """Replace several named graphs (each atomically)."""
        for g in graphs:
            self.replace_graph(g.identifier, g)

    def remove_graph(self, name: str | URIRef) -> bool:
        self._check_writable()
        node = ox.NamedNode(check_iri(name))
        if not self._store.contains_named_graph(node):
            return False
        try:
            self._store.remove_graph(node)
        except (OSError, RuntimeError) as exc:
            raise store_error(f"could not remove graph <{node.value}>", exc) from exc
        return True

    def graph_names(self) -> list[str]:
        return sorted(
            g.value
            for g in self._store.named_graphs()
            if isinstance(g, ox.NamedNode)
            and not g.value.startswith(STAGING_PREFIX)
            and g.value not in self._hidden
        )

    def has_graph(self, name: str | URIRef) -> bool:
        iri = check_iri(name)
        return iri not in self._hidden and bool(self._store.contains_named_graph(ox.NamedNode(iri)))

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        result = self._run(sparql, bindings)
        if isinstance(result, bool | ox.QueryBoolean):
            return [{"ask": Literal(bool(result))}]
        if isinstance(result, ox.QuerySolutions):
            # each distinct term converted once; cells by position (faster than by name)
            return rdflib_rows([v.value for v in result.variables], result)
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
            return self._store.query(bind_values(sparql, bindings), **self._dataset)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise store_error("query failed", exc) from exc

    def select_lexical(self, sparql: str) -> list[LexicalRow]:
        """Rows of plain strings (:meth:`Store.select_lexical`), read from Oxigraph's terms."""
        return list(self._lexical_rows(sparql))

    def iter_lexical(self, sparql: str) -> Iterator[LexicalRow]:
        """:meth:`Store.iter_lexical`: each row read from Oxigraph as the caller asks."""
        yield from self._lexical_rows(sparql)

    def _lexical_rows(self, sparql: str) -> Iterator[LexicalRow]:
        result: Any = self._store.query(sparql, **self._dataset)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("select_lexical(): not a SELECT query")
        names = [v.value for v in result.variables]
        columns = range(len(names))
        for sol in result:
            row: LexicalRow = {}
            for i in columns:  # by position: several times faster than by name
                t = sol[i]
                row[names[i]] = None if t is None else t.value
            yield row

    def select_iri_pairs(self, sparql: str) -> IriPairs:
        """IRI pairs (:meth:`Store.select_iri_pairs`), factorised while Oxigraph writes them.

        Oxigraph evaluates the query and writes the results as TSV to a scratch file in a
        worker thread without holding the GIL; this thread reads what has been written,
        checks it (:func:`_only_iri_pairs`, numpy), drops the angle brackets, splits on
        white space and factorises each column with one dict. The two overlap on two cores,
        so the select costs about as much as Oxigraph's writing alone (bulk lists: ~25 ms,
        not ~50 ms one after the other). When some cell is not an IRI, the IRI rows are
        taken from the whole TSV. The scratch file is removed in every case; an error of
        the query is raised here.
        """
        try:
            coded, text = self._stream_iri_pairs(sparql)
        except OSError as exc:  # the scratch file, or Oxigraph's own storage
            scratch = _SCRATCH or tempfile.gettempdir()
            message = f"a query failed (its results go to a file in {scratch})"
            raise store_error(message, exc) from exc
        if coded is not None:
            return coded
        return IriPairs.from_pairs(_TSV_IRI_PAIR.findall(text))

    def _stream_iri_pairs(self, sparql: str) -> tuple[IriPairs | None, str]:
        """The factorised pairs, or ``(None, text)`` with the whole TSV when a cell is no IRI."""
        fd, path = tempfile.mkstemp(prefix="sotegraph-", suffix=".tsv", dir=_SCRATCH)
        os.close(fd)

        def write() -> None:
            solutions: Any = self._store.query(sparql, **self._dataset)
            try:
                solutions.serialize(path, format=ox.QueryResultsFormat.TSV)
            finally:
                del solutions  # dropped in this thread (pyoxigraph's results may not move)

        left: dict[str, int] = {}
        right: dict[str, int] = {}
        lcodes: list[int] = []
        rcodes: list[int] = []
        only_iris = True
        try:
            with ThreadPoolExecutor(1, thread_name_prefix="sotegraph-select") as pool:
                job = pool.submit(write)
                with open(path, "rb") as fh:
                    rest, header = b"", True
                    while True:
                        finished = job.done()  # before reading: what it wrote is then all there
                        chunk = fh.read()
                        if not chunk:
                            if finished:
                                break
                            time.sleep(0.0002)
                            continue
                        chunk = rest + chunk
                        cut = chunk.rfind(b"\n") + 1  # whole lines (UTF-8 never splits at "\n")
                        rest, lines = chunk[cut:], chunk[:cut]
                        if header and cut:
                            lines, header = lines[lines.find(b"\n") + 1 :], False
                        if not lines or not only_iris:
                            continue
                        only_iris = _only_iri_pairs(lines)
                        if only_iris:
                            tokens = lines.translate(None, b"<>").decode("utf-8").split()
                            put = left.setdefault
                            lcodes += [put(t, len(left)) for t in tokens[0::2]]
                            put = right.setdefault
                            rcodes += [put(t, len(right)) for t in tokens[1::2]]
                job.result()  # the query's own error, if any
            if rest.strip():
                only_iris = False  # a last line without its line break: not what Oxigraph writes
            if not only_iris:
                with open(path, encoding="utf-8") as whole:
                    return None, whole.read()
        finally:
            os.unlink(path)
        return IriPairs(list(left), lcodes, list(right), rcodes), ""

    def quads(self, *patterns: TriplePattern, graph: str | URIRef | None = None) -> Iterator[Quad]:
        """Quads of the named graphs matching any of the patterns (:meth:`Store.quads`).

        By index scans; each distinct term is converted to rdflib once per call, however many
        patterns it comes in (the terms of a pattern are given back as they are).
        """
        g = None if graph is None else ox.NamedNode(check_iri(graph))
        if g is not None and g.value in self._hidden:
            return
        hidden = self._hidden
        conv = rdflib_converter()
        for subject, predicate, obj in patterns or ((None, None, None),):
            if isinstance(subject, BNode) or isinstance(obj, BNode):
                raise StoreError("quads(): a blank node cannot be bound in a pattern")
            if isinstance(subject, Literal) or not isinstance(predicate, URIRef | None):
                continue  # no quad has a literal subject or a predicate that is not an IRI
            s: Any = None if subject is None else to_oxigraph(subject)
            p = None if predicate is None else ox.NamedNode(str(predicate))
            o = None if obj is None else to_oxigraph(obj)
            for q in self._store.quads_for_pattern(s, p, o, g):
                name = q.graph_name
                if isinstance(name, ox.NamedNode) and name.value not in hidden:
                    yield (
                        conv(q.subject) if subject is None else subject,
                        conv(q.predicate) if predicate is None else predicate,
                        obj if isinstance(obj, URIRef) else conv(q.object),
                        name.value,
                    )

    def graph_ntriples(self, name: str | URIRef) -> str:
        """One named graph as N-Triples (:meth:`Store.graph_ntriples`), dumped by Oxigraph."""
        if check_iri(name) in self._hidden:
            return ""
        data = self._store.dump(
            format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(check_iri(name))
        )
        return data.decode("utf-8") if isinstance(data, bytes) else str(data)

    def update(self, sparql: str) -> None:
        self._check_writable()
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error in update: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            where = self.path or "memory"
            raise store_error(f"could not update the store at {where}", exc) from exc

    def graph(self, name: str | URIRef) -> Graph:
        g = Graph(identifier=URIRef(check_iri(name)))
        if str(name) in self._hidden:
            return g
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
        return g

    def dump(self, path: str | Path) -> None:
        p = Path(path)
        fmt = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}.get(p.suffix.lower())
        if fmt is None:
            raise StoreError(f"cannot dump a dataset as {p.suffix!r}; use .trig or .nq")
        prefixes = PREFIXES if fmt is ox.RdfFormat.TRIG else None
        try:
            if self._hidden:  # a read-only store with uncommitted graphs: the others only
                hidden = self._hidden
                ox.serialize(
                    (q for q in self._store if _graph_iri(q) not in hidden),
                    str(p),
                    format=fmt,
                    prefixes=prefixes,
                )
            else:
                self._store.dump(str(p), format=fmt, prefixes=prefixes)
        except OSError as exc:
            raise store_error(f"cannot write {p}", exc) from exc

    def __len__(self) -> int:
        return len(self._store) - self._hidden_quads

    def flush(self) -> None:
        """Write RocksDB's memory buffers to disk (an on-disk, writable store).

        Each column family buffers writes in memory until its buffer is full: a build of many
        small transactions would otherwise hold about 0.9 KB per triple written (54 MB per
        60,000 triples in 500 transactions) until the buffers fill; flushed after each group
        of a build, the memory stays flat.
        """
        if self._ox is None or self.path is None or self.read_only:
            return
        try:
            self._ox.flush()
        except (OSError, RuntimeError) as exc:
            raise store_error(f"could not flush the store at {self.path}", exc) from exc

    def close(self) -> None:
        """Flush and release the store (the folder's lock goes with it); idempotent."""
        if self._ox is None:
            return
        try:
            if self.path is not None and not self.read_only:
                self._ox.flush()
        except (OSError, RuntimeError) as exc:
            raise store_error(f"could not flush the store at {self.path}", exc) from exc
        finally:
            self._ox = None  # dropping the last reference closes RocksDB


# what could end the data block of the SPARQL update that N-Triples text is pasted into (a
# closing brace, a long string's quotes): where the text holds one, it is parsed first
def _some(names: list[str], shown: int = 5) -> str:
    """The first few names, and how many more (for a log line)."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _graph_iri(quad: ox.Quad) -> str | None:
    """The IRI of a quad's named graph (``None`` in the default graph)."""
    name = quad.graph_name
    return name.value if isinstance(name, ox.NamedNode) else None


def _only_iri_pairs(lines: bytes) -> bool:
    """Whether every line of a TSV chunk (whole lines) is two IRIs, ``<a>`` tab ``<b>``.

    Exact: TSV escapes tabs and line breaks inside literals, so the control characters must
    alternate tab, line break; every cell must open with ``<`` (at the start, after each tab
    and each line break but the last); and there must be no other ``<``, which an IRI never
    holds and a triple term (``<<``) does. A literal, a blank node or an unbound cell fails.

    Examples
    --------
    >>> _only_iri_pairs(b"<a:p>\\t<a:x>\\n<a:q>\\t<a:y>\\n"), _only_iri_pairs(b'<a:p>\\t"x"\\n')
    (True, False)
    """
    import numpy as np  # here: importing the store does not need numpy

    a = np.frombuffer(lines, dtype=np.uint8)
    seps = np.flatnonzero(a < 32)
    return bool(
        len(seps) % 2 == 0
        and len(a)
        and a[0] == 60
        and (a[seps[0::2]] == 9).all()
        and (a[seps[1::2]] == 10).all()
        and (a[seps[:-1] + 1] == 60).all()
        and np.count_nonzero(a == 60) == len(seps)
    )


def _pieces(data: str, size: int) -> Iterator[str]:
    """``data`` in pieces of about ``size`` characters, each ending at a line end.

    >>> list(_pieces("a\\nbb\\nccc\\n", 3))
    ['a\\nbb\\n', 'ccc\\n']
    """
    pos, n = 0, len(data)
    while pos < n:
        end = data.find("\n", pos + max(size, 1) - 1)
        end = n if end < 0 else end + 1
        yield data[pos:end]
        pos = end

"""The embedded Oxigraph store, in memory or in a folder.

Besides the :class:`~sotegraph.store.Store` interface it has the fast bulk reads: rows of
plain strings straight from Oxigraph's terms (:meth:`OxigraphStore.select_lexical`), IRI
pairs read from the TSV results while Oxigraph is still writing them
(:meth:`OxigraphStore.select_iri_pairs`), index scans (:meth:`OxigraphStore.quads`) and
N-Triples dumps (:meth:`OxigraphStore.graph_ntriples`).
"""

from __future__ import annotations

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
    STAGING_PREFIX,
    IriPairs,
    LexicalRow,
    Quad,
    Row,
    Store,
    TriplePattern,
    bind_values,
    check_iri,
    replace_update,
)
from sotegraph.terms import rdflib_converter, to_oxigraph, to_rdflib

__all__ = ["OxigraphStore"]

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
        target = check_iri(name)
        drops = [check_iri(g) for g in drop_graphs if str(g) != target]
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
        node = ox.NamedNode(check_iri(name))
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
        return bool(self._store.contains_named_graph(ox.NamedNode(check_iri(name))))

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

    def select_lexical(self, sparql: str) -> list[LexicalRow]:
        """Rows of plain strings (:meth:`Store.select_lexical`), read from Oxigraph's terms."""
        result: Any = self._store.query(sparql, use_default_graph_as_union=True)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("select_lexical(): not a SELECT query")
        names = [v.value for v in result.variables]
        columns = range(len(names))
        out: list[LexicalRow] = []
        for sol in result:
            row: LexicalRow = {}
            for i in columns:  # by position: several times faster than by name
                t = sol[i]
                row[names[i]] = None if t is None else t.value
            out.append(row)
        return out

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
        coded, text = self._stream_iri_pairs(sparql)
        if coded is not None:
            return coded
        return IriPairs.from_pairs(_TSV_IRI_PAIR.findall(text))

    def _stream_iri_pairs(self, sparql: str) -> tuple[IriPairs | None, str]:
        """The factorised pairs, or ``(None, text)`` with the whole TSV when a cell is no IRI."""
        fd, path = tempfile.mkstemp(prefix="sotegraph-", suffix=".tsv", dir=_SCRATCH)
        os.close(fd)

        def write() -> None:
            solutions: Any = self._store.query(sparql, use_default_graph_as_union=True)
            solutions.serialize(path, format=ox.QueryResultsFormat.TSV)

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
                if isinstance(name, ox.NamedNode):
                    yield (
                        conv(q.subject) if subject is None else subject,
                        conv(q.predicate) if predicate is None else predicate,
                        obj if isinstance(obj, URIRef) else conv(q.object),
                        name.value,
                    )

    def graph_ntriples(self, name: str | URIRef) -> str:
        """One named graph as N-Triples (:meth:`Store.graph_ntriples`), dumped by Oxigraph."""
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
            raise StoreError(f"update failed: {exc}") from exc

    def graph(self, name: str | URIRef) -> Graph:
        g = Graph(identifier=URIRef(check_iri(name)))
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
        return g

    def dump(self, path: str | Path) -> None:
        p = Path(path)
        fmt = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}.get(p.suffix.lower())
        if fmt is None:
            raise StoreError(f"cannot dump a dataset as {p.suffix!r}; use .trig or .nq")
        try:
            self._store.dump(
                str(p), format=fmt, prefixes=PREFIXES if fmt is ox.RdfFormat.TRIG else None
            )
        except OSError as exc:
            raise StoreError(f"cannot write {p}: {exc.strerror or exc}") from exc

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

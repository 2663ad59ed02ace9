"""The embedded Oxigraph store, in memory or in a folder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from sotegraph.errors import StoreError
from sotegraph.namespaces import PREFIXES
from sotegraph.store.base import (
    STAGING_PREFIX,
    Row,
    Store,
    bind_values,
    check_iri,
    replace_update,
)
from sotegraph.terms import to_rdflib

__all__ = ["OxigraphStore"]

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

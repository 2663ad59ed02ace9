"""Stage 8, stores: embedded Oxigraph (memory or a folder) and remote SPARQL 1.1 endpoints.

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

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sotegraph.store.base import (
    STAGING_PREFIX,
    Row,
    Store,
    bind_values,
    replace_update,
    swap_update,
)
from sotegraph.store.oxigraph import OxigraphStore
from sotegraph.terms import graph_to_ntriples, rdflib_converter, to_oxigraph, to_rdflib

if TYPE_CHECKING:
    from sotegraph.store.remote import RemoteStore

__all__ = [
    "STAGING_PREFIX",
    "OxigraphStore",
    "RemoteStore",
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
        URLs of a remote SPARQL 1.1 query (and update) endpoint (see :mod:`sotegraph.store.remote`).
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
        from sotegraph.store.remote import RemoteStore

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


def __getattr__(name: str) -> Any:
    """:class:`RemoteStore` is imported when first asked for (it brings the HTTP client and
    the reference data it checks updates against; most commands use an embedded store)."""
    if name == "RemoteStore":
        from sotegraph.store.remote import RemoteStore

        return RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

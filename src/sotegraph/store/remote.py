"""A remote SPARQL 1.1 endpoint behind the :class:`~sotegraph.store.Store` interface.

Queries and updates go through SPARQLWrapper (always POST; JSON results for SELECT/ASK,
N-Triples for CONSTRUCT), named graphs are loaded, read and deleted with the SPARQL 1.1
Graph Store HTTP Protocol (GSP). Works with Oxigraph server (``oxigraph serve``), Virtuoso,
Fuseki, GraphDB and other SPARQL 1.1 servers.

Atomic replace: a graph up to ``max_update_bytes`` of N-Triples is replaced by one SPARQL
update (``DROP`` + ``INSERT DATA`` + any graphs to drop + the manifest entry), which a
server runs as one transaction, so readers never see a half-written state. A larger new
graph is loaded by one GSP ``PUT`` (one load transaction on Oxigraph); a larger existing
graph goes to a fresh staging graph by ``PUT`` and is moved over the target by one
``MOVE`` update (atomic; while the staging graph exists, union-default-graph queries also
see its triples). A bare GSP ``PUT`` over an existing graph is not used: Oxigraph server
clears the graph and loads the new triples in two transactions, so a reader could see it
empty, and a failed load would leave it empty.

Reliability and safety: an explicit timeout on every request; retries with exponential
back-off on connection errors and HTTP 502/503/504; TLS certificates verified unless
``verify_tls=False``; credentials go in an HTTP Basic ``Authorization`` header that is not
forwarded on redirects (or by HTTP Digest, ``auth="digest"``), and never appear in
``repr``, logs or exception messages.
Query parameters are bound with :func:`sotegraph.store.bind_values` (escaped RDF terms in a
``VALUES`` block), never formatted in.

Examples
--------
>>> store = RemoteStore("http://127.0.0.1:7878/query")
>>> store.update_endpoint, store.gsp_endpoint
('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> RemoteStore("https://u:secret@db.example.org/sparql")
RemoteStore('https://db.example.org/sparql', user='u')
"""

from __future__ import annotations

import base64
import json
import logging
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator, Mapping
from http.client import HTTPException
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import (
    CONSTRUCT,
    INSERT,
    JSON,
    POST,
    SELECT,
    TURTLE,
    URLENCODED,
    SPARQLWrapper,
)

from sotegraph.errors import StoreError
from sotegraph.namespaces import PREFIXES
from sotegraph.rdf import long_lines, parse_ntriples
from sotegraph.store.base import (
    STAGING_PREFIX,
    Row,
    Store,
    bind_values,
    check_iri,
    replace_update,
    swap_update,
)
from sotegraph.store.oserrors import store_error
from sotegraph.terms import oxigraph_quads, to_rdflib

__all__ = [
    "EndpointError",
    "RemoteStore",
    "default_gsp_endpoint",
    "default_update_endpoint",
    "parse_json_results",
]

log = logging.getLogger(__name__)

_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RETRY_STATUS = {502, 503, 504}
_NTRIPLES = "application/n-triples"
_AGENT = "sotegraph (SPARQLWrapper)"
_NOT_SPARQL_HINT = "is the URL a SPARQL endpoint? Oxigraph's is http://HOST:7878/query"


class EndpointError(StoreError):
    """The endpoint cannot be used: it refuses the connection, does not answer in time, drops
    the connection, is no SPARQL endpoint (answers with a web page), or rejects the
    credentials.

    A query or update that a working endpoint rejects (a syntax error, a server error with a
    SPARQL message) is a plain :class:`~sotegraph.errors.StoreError`.
    """


def default_update_endpoint(endpoint: str) -> str:
    """The update URL that goes with a query URL.

    ``…/query`` becomes ``…/update`` (Oxigraph, Fuseki); anything else (e.g. Virtuoso's
    ``/sparql``) takes updates at the same URL.

    Examples
    --------
    >>> default_update_endpoint("http://localhost:7878/query")
    'http://localhost:7878/update'
    >>> default_update_endpoint("http://localhost:8890/sparql")
    'http://localhost:8890/sparql'
    """
    parts = urllib.parse.urlsplit(endpoint)
    if parts.path.endswith("/query"):
        return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len("query")] + "update"))
    return endpoint


def default_gsp_endpoint(endpoint: str) -> str | None:
    """The Graph Store Protocol URL that goes with a query URL, or ``None`` if unknown.

    ``…/query`` → ``…/store`` (Oxigraph server), ``…/sparql`` → ``…/sparql-graph-crud``
    (Virtuoso; with credentials ``…/sparql-graph-crud-auth``), ``…/<dataset>/sparql`` of
    Fuseki is not guessed (pass ``gsp_endpoint="…/<dataset>/data"``).

    Examples
    --------
    >>> default_gsp_endpoint("http://localhost:7878/query")
    'http://localhost:7878/store'
    >>> default_gsp_endpoint("http://localhost:8890/sparql")
    'http://localhost:8890/sparql-graph-crud'
    >>> default_gsp_endpoint("http://localhost:3030/ds/sparql") is None
    True
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path
    if path.endswith("/query"):
        return urllib.parse.urlunsplit(parts._replace(path=path[: -len("query")] + "store"))
    if path == "/sparql" or path == "/sparql/":
        return urllib.parse.urlunsplit(parts._replace(path="/sparql-graph-crud"))
    return None


def _json_term(value: Mapping[str, Any]) -> Node:
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in {"literal", "typed-literal"}:
        lang = value.get("xml:lang")
        dtype = value.get("datatype")
        if lang:
            return Literal(text, lang=lang)
        if dtype and dtype not in {_XSD_STRING, _RDF_LANGSTRING}:
            return Literal(text, datatype=URIRef(dtype))
        return Literal(text)
    raise StoreError(f"unexpected term in SPARQL JSON results: {kind!r}")


def parse_json_results(data: Mapping[str, Any]) -> list[Row]:
    """Convert SPARQL 1.1 JSON results to rows of rdflib terms (``None`` where unbound).

    Rows have the same shape as :meth:`sotegraph.store.OxigraphStore.query` gives: every
    projected variable is a key; an ASK result is one row ``{"ask": Literal(bool)}``.

    Raises
    ------
    StoreError
        If the document is not SPARQL JSON results.

    Examples
    --------
    >>> rows = parse_json_results({"head": {"vars": ["x", "y"]}, "results": {"bindings": [
    ...     {"x": {"type": "literal", "value": "7",
    ...            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}})
    >>> rows[0]["x"].toPython(), rows[0]["y"]
    (7, None)
    >>> parse_json_results({"head": {}, "boolean": True})
    [{'ask': rdflib.term.Literal('true', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#boolean'))}]
    """
    try:
        if "boolean" in data:
            return [{"ask": Literal(bool(data["boolean"]))}]
        names = list(data["head"].get("vars", []))
        bindings = data["results"]["bindings"]
        if [n.lower() for n in names] == ["__ask_retval"]:  # Virtuoso: ASK as a table
            cell = bindings[0][names[0]]["value"] if bindings else "0"
            return [{"ask": Literal(str(cell).lower() in {"1", "true"})}]
        out: list[Row] = []
        for binding in data["results"]["bindings"]:
            row: Row = dict.fromkeys(names)
            for n, v in binding.items():
                row[n] = _json_term(v)
            out.append(row)
        return out
    except (KeyError, TypeError, AttributeError) as exc:
        raise StoreError(f"not SPARQL JSON results: {exc}") from exc


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint (query, update, Graph Store Protocol) as a sotegraph store.

    The default graph of queries is the union of the named graphs: the store asks for it
    with Oxigraph's ``union-default-graph`` parameter (Virtuoso's default graph is the union
    already; configure other servers so).

    Parameters
    ----------
    endpoint:
        URL of the SPARQL query service (Oxigraph: ``http://host:7878/query``).
        Credentials written into the URL (``https://user:pw@host/…``) are taken out of it.
    update_endpoint:
        URL of the SPARQL update service; default from :func:`default_update_endpoint`.
    gsp_endpoint:
        URL of the Graph Store HTTP Protocol service; default from
        :func:`default_gsp_endpoint`; ``""`` to use SPARQL only.
    user, password:
        Credentials for HTTP authentication.
    auth:
        ``"basic"`` (default; sent with every request) or ``"digest"`` (answered on the
        server's challenge, e.g. Virtuoso's ``/sparql-auth``).
    timeout:
        Seconds to wait for each request.
    retries:
        How many times to retry a request after a connection error or HTTP 502/503/504,
        waiting ``backoff * 2**attempt`` seconds in between.
    verify_tls:
        Check the server's TLS certificate (on by default).
    union_default_graph:
        Ask the server for the union of named graphs as the default graph.
    page_size:
        Rows per request where results are read page by page (reading a graph without GSP).
    backoff:
        First back-off interval in seconds.
    max_update_bytes:
        Graphs up to this size (N-Triples bytes) are replaced by one SPARQL update (one
        transaction, nothing half-written visible; Oxigraph server accepts update bodies up
        to 1 MiB); larger ones are loaded with the Graph Store Protocol.

    Raises
    ------
    StoreError
        If an endpoint URL is not ``http(s)``.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        gsp_endpoint: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str = "basic",
        timeout: float = 60.0,
        retries: int = 3,
        verify_tls: bool = True,
        union_default_graph: bool = True,
        page_size: int = 10_000,
        backoff: float = 0.5,
        max_update_bytes: int = 700_000,
    ) -> None:
        for url in (endpoint, update_endpoint, gsp_endpoint):
            if url:
                _check_url(url)
        endpoint, url_user, url_password = _split_credentials(endpoint)
        self.endpoint = endpoint
        self.user = user if user is not None else url_user
        self._password = password if password is not None else url_password
        self.update_endpoint = _split_credentials(
            update_endpoint or default_update_endpoint(endpoint)
        )[0]
        gsp = default_gsp_endpoint(endpoint) if gsp_endpoint is None else gsp_endpoint
        if gsp and self.user and gsp.endswith("/sparql-graph-crud"):
            gsp += "-auth"  # Virtuoso's authenticated Graph Store endpoint
        self.gsp_endpoint: str | None = _split_credentials(gsp)[0] if gsp else None
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.verify_tls = verify_tls
        self.union_default_graph = union_default_graph
        self.page_size = max(1, int(page_size))
        self.max_update_bytes = int(max_update_bytes)
        self.server_software = ""  # the Server header of the last answer
        self.backoff = backoff
        context = ssl.create_default_context()
        if not verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if auth not in {"basic", "digest"}:
            raise StoreError(f"unknown authentication {auth!r}; valid: basic, digest")
        self.auth = auth
        handlers: list[urllib.request.BaseHandler] = [urllib.request.HTTPSHandler(context=context)]
        if auth == "digest" and self.user is not None and self._password is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (self.endpoint, self.update_endpoint, self.gsp_endpoint):
                if url:
                    manager.add_password(None, url, self.user, self._password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        who = f", user={self.user!r}" if self.user else ""
        return f"RemoteStore({self.endpoint!r}{who})"

    # -- HTTP ------------------------------------------------------------------------------
    def _authorise(self, request: urllib.request.Request) -> None:
        for key in list(request.headers):
            if key.lower() == "authorization":
                del request.headers[key]
        if self.auth == "basic" and self.user is not None and self._password is not None:
            token = base64.b64encode(f"{self.user}:{self._password}".encode()).decode("ascii")
            # not forwarded if the server redirects elsewhere
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def _scrub(self, text: str) -> str:
        if self._password:
            text = text.replace(self._password, "***")
            token = base64.b64encode(f"{self.user}:{self._password}".encode()).decode("ascii")
            text = text.replace(token, "***")
        return text

    def _send(
        self, request: urllib.request.Request, what: str, *, missing_ok: bool = False
    ) -> tuple[int, bytes, str]:
        """Send a request with retries; return (status, body, content type).

        Every failure is a :class:`StoreError` whose message says which endpoint, what
        happened (refused, timed out, connection lost, an answer that is no SPARQL answer)
        and what to do.
        """
        self._authorise(request)
        url = _without_query(request.full_url)
        attempt = 0
        while True:
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    body = response.read()
                    self.server_software = response.headers.get("Server", self.server_software)
                    return response.status, body, response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                if missing_ok and exc.code == 404:
                    return 404, b"", ""
                try:
                    detail = exc.read(2000).decode("utf-8", "replace").strip()
                except (OSError, HTTPException):
                    detail = ""
                if exc.code in _RETRY_STATUS and attempt < self.retries:
                    reason = f"HTTP {exc.code}"
                else:
                    ctype = exc.headers.get("Content-Type", "") if exc.headers else ""
                    msg = f"{what} at {url} failed: HTTP {exc.code} {exc.reason}"
                    error: type[StoreError] = EndpointError
                    if exc.code in {401, 403}:
                        msg += " (check the user name and password)"
                    elif _is_html(ctype, detail.encode()):
                        msg += f" with a web page, not a SPARQL answer ({_NOT_SPARQL_HINT})"
                    elif exc.code == 404:
                        msg += f" (no such service; {_NOT_SPARQL_HINT})"
                    elif exc.code in _RETRY_STATUS:
                        msg += f" (the server is unavailable, {attempt + 1} attempts; try later)"
                    else:
                        error = StoreError  # the endpoint answered: it rejected the request
                        if detail:
                            msg += f": {detail[:500]}"
                    raise error(self._scrub(msg)) from None
            except (TimeoutError, ssl.SSLError) as exc:
                raise EndpointError(self._scrub(self._failure(what, url, exc, attempt))) from None
            except urllib.error.URLError as exc:
                reason_exc = exc.reason
                if (
                    isinstance(reason_exc, TimeoutError | ssl.SSLError | socket.gaierror)
                    or attempt >= self.retries
                ):
                    failure = self._failure(what, url, reason_exc, attempt)
                    raise EndpointError(self._scrub(failure)) from None
                reason = str(reason_exc)
            except (OSError, HTTPException) as exc:  # reset, closed, cut off mid-answer
                if attempt >= self.retries:
                    failure = self._failure(what, url, exc, attempt)
                    raise EndpointError(self._scrub(failure)) from None
                reason = repr(exc)
            delay = self.backoff * (2**attempt)
            log.warning("%s at %s: %s; retrying in %.1f s", what, url, reason, delay)
            time.sleep(delay)
            attempt += 1

    def _failure(self, what: str, url: str, exc: object, attempt: int) -> str:
        """The message for a request that got no answer: which endpoint, what, what to do."""
        tries = _tries(attempt)
        if isinstance(exc, TimeoutError):
            return (
                f"{what} at {url} timed out: no answer within {self.timeout:g} s{tries} (is the "
                "server overloaded or hung? to give it more time: SOTEGRAPH_TIMEOUT=SECONDS or "
                "--timeout SECONDS)"
            )
        if isinstance(exc, ssl.SSLError):
            return (
                f"{what} at {url} failed: TLS error: {exc} (check the server's certificate; "
                "--insecure skips the check)"
            )
        if isinstance(exc, ConnectionRefusedError):
            return (
                f"{what} at {url} failed: connection refused{tries} (is the SPARQL server "
                "running, and are the host and port right?)"
            )
        if isinstance(exc, socket.gaierror):
            host = urllib.parse.urlsplit(url).hostname
            return f"{what} at {url} failed: unknown host {host!r} (check the endpoint URL)"
        if isinstance(exc, ConnectionError | HTTPException):
            return (
                f"{what} at {url} failed: connection lost{tries}: the server closed the "
                f"connection without a complete answer ({type(exc).__name__}; did the server "
                "stop or restart? is the URL a SPARQL endpoint?)"
            )
        return f"{what} at {url} failed: {exc}{tries}"

    def _wrapper(
        self, text: str, *, update: bool, graph_result: bool = False
    ) -> urllib.request.Request:
        sw = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint, agent=_AGENT)
        sw.setMethod(POST)
        sw.setRequestMethod(URLENCODED)
        sw.setOnlyConneg(True)
        sw.setReturnFormat(TURTLE if graph_result else JSON)
        sw.setTimeout(max(1, round(self.timeout)))
        if not update and self.union_default_graph:
            sw.addParameter("union-default-graph", "")
        sw.setQuery(text)
        # the caller said which it is; SPARQLWrapper's guess from the text can be misled by
        # comments, so set the operation explicitly (the server parses the text itself)
        sw.queryType = INSERT if update else (CONSTRUCT if graph_result else SELECT)
        # SPARQLWrapper builds the protocol request (form encoding, headers); sending it
        # here adds retries, a TLS context and credential hygiene that its query() lacks.
        return sw._createRequest()

    def _select(self, sparql: str) -> list[Row]:
        request = self._wrapper(sparql, update=False)
        request.add_header("Accept", "application/sparql-results+json")
        _, body, ctype = self._send(request, "SPARQL query")
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not ("boolean" in data or "results" in data):
                raise ValueError("no SPARQL results")
            return parse_json_results(data)
        except (ValueError, StoreError) as exc:
            what = "a web page" if _is_html(ctype, body) else f"{ctype or 'an answer'}"
            raise EndpointError(
                f"{self.endpoint} is not a SPARQL endpoint: it answered a SPARQL query with "
                f"{what}, not SPARQL JSON results ({_NOT_SPARQL_HINT})"
            ) from exc

    def _gsp_url(self, name: str) -> str:
        assert self.gsp_endpoint is not None
        return f"{self.gsp_endpoint}?{urllib.parse.urlencode({'graph': name})}"

    # -- Store API -------------------------------------------------------------------------
    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        return self._select(bind_values(sparql, bindings))

    def construct(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> Graph:
        request = self._wrapper(bind_values(sparql, bindings), update=False, graph_result=True)
        request.add_header("Accept", f"{_NTRIPLES}, text/turtle;q=0.9")
        _, body, ctype = self._send(request, "SPARQL query")
        return _parse_rdf(body, ctype)

    def update(self, sparql: str) -> None:
        self._send(self._wrapper(sparql, update=True), "SPARQL update")

    def replace_graph_ntriples(
        self,
        name: str | URIRef,
        data: str,
        *,
        drop_graphs: Iterable[str | URIRef] = (),
        with_update: str | None = None,
    ) -> None:
        target = check_iri(name)
        drops = [check_iri(g) for g in drop_graphs if str(g) != target]
        size = len(data.encode("utf-8"))
        if self.gsp_endpoint is None or size <= self.max_update_bytes or long_lines(data):
            # one update request = one transaction; nothing half-written is ever visible.
            # A line too long for the server's N-Triples parser (a literal over 16 MiB,
            # refused by a Graph Store PUT) goes this way too: SPARQL has no such limit.
            self.update(replace_update(target, data, drops, with_update))
            return
        if not drops and not with_update and not self.has_graph(target):
            # a new graph too large for one update: one GSP PUT loads it in one transaction
            self._put(target, data)
            return
        # too large for one update: load a staging graph, then swap it in with one update.
        # The swap is atomic; while the staging graph exists, union-default-graph queries
        # also see its triples.
        staging = f"{STAGING_PREFIX}{uuid.uuid4().hex}"
        try:
            self._put(staging, data)
            self.update(swap_update(target, staging, True, drops, with_update))
        except StoreError:
            try:
                self.update(f"DROP SILENT GRAPH <{staging}>")
            except StoreError:
                log.warning("could not remove the staging graph <%s>", staging)
            raise

    def _put(self, graph: str, data: str) -> None:
        request = urllib.request.Request(
            self._gsp_url(graph),
            data=data.encode("utf-8"),
            method="PUT",
            headers={"Content-Type": _NTRIPLES, "User-Agent": _AGENT},
        )
        self._send(request, "Graph Store PUT")

    def remove_graph(self, name: str | URIRef) -> bool:
        target = check_iri(name)
        if self.gsp_endpoint is not None:
            request = urllib.request.Request(
                self._gsp_url(target), method="DELETE", headers={"User-Agent": _AGENT}
            )
            status, _, _ = self._send(request, "Graph Store DELETE", missing_ok=True)
            return status != 404
        existed = self.has_graph(target)
        if existed:
            self.update(f"DROP SILENT GRAPH <{target}>")
        return existed

    def graph_names(self) -> list[str]:
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        if not rows or "virtuoso" in self.server_software.lower():
            # some servers (Virtuoso) match no graph with an empty pattern: list the graphs
            # that hold triples instead
            rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        names = {str(r["g"]) for r in rows if isinstance(r.get("g"), URIRef)}
        return sorted(n for n in names if not n.startswith(STAGING_PREFIX))

    def has_graph(self, name: str | URIRef) -> bool:
        g = check_iri(name)
        rows = self._select(
            f"ASK {{ {{ GRAPH <{g}> {{ }} }} UNION {{ GRAPH <{g}> {{ ?s ?p ?o }} }} }}"
        )
        answer = rows[0].get("ask") if rows else None
        return isinstance(answer, Literal) and answer.toPython() is True

    def graph(self, name: str | URIRef) -> Graph:
        target = check_iri(name)
        if self.gsp_endpoint is not None:
            request = urllib.request.Request(
                self._gsp_url(target),
                method="GET",
                headers={"Accept": f"{_NTRIPLES}, text/turtle;q=0.9", "User-Agent": _AGENT},
            )
            status, body, ctype = self._send(request, "Graph Store GET", missing_ok=True)
            g = Graph(identifier=URIRef(target))
            if status != 404:
                for t in _parse_rdf(body, ctype):
                    g.add(t)
            return g
        g = Graph(identifier=URIRef(target))
        for rows in self.pages(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o"
        ):
            for r in rows:
                g.add((r["s"], r["p"], r["o"]))  # type: ignore[arg-type]
        return g

    def pages(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None
    ) -> Iterator[list[Row]]:
        """Run a SELECT query page by page (``LIMIT``/``OFFSET`` of :attr:`page_size` rows).

        Servers cap result sizes (Virtuoso returns at most 10,000 rows by default); paging
        reads everything. The query must have an ``ORDER BY`` (so that pages do not overlap)
        and no ``LIMIT``/``OFFSET`` of its own.

        Raises
        ------
        StoreError
            If the query is not ordered or already limited.
        """
        text = bind_values(sparql, bindings)
        tail = _strip_comments(text)
        if not re.search(r"\bORDER\s+BY\b", tail, re.IGNORECASE):
            raise StoreError("pages(): the query needs an ORDER BY")
        if re.search(r"\b(LIMIT|OFFSET)\s+\d+\s*$", tail, re.IGNORECASE):
            raise StoreError("pages(): the query already has a LIMIT or OFFSET")
        offset = 0
        while True:
            rows = self._select(f"{text}\nLIMIT {self.page_size} OFFSET {offset}")
            if rows:
                yield rows
            if len(rows) < self.page_size:
                return
            offset += self.page_size

    def dump(self, path: str | Path) -> None:
        p = Path(path)
        fmt = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}.get(p.suffix.lower())
        if fmt is None:
            raise StoreError(f"cannot dump a dataset as {p.suffix!r}; use .trig or .nq")
        local = ox.Store()
        for name in self.graph_names():
            local.extend(oxigraph_quads(self.graph(name), ox.NamedNode(name)))
        try:
            local.dump(str(p), format=fmt, prefixes=PREFIXES if fmt is ox.RdfFormat.TRIG else None)
        except OSError as exc:
            raise store_error(f"cannot write {p}", exc) from exc

    def __len__(self) -> int:
        rows = self._select(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(!STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}'
        )
        n = rows[0]["n"] if rows else None
        return int(n.toPython()) if n is not None else 0  # type: ignore[attr-defined]

    def remove_staging(self) -> list[str]:
        """Remove staging graphs left behind by interrupted writers; return their names.

        Only call this when no other client is writing (a live writer's staging graph
        would be removed under it).
        """
        rows = self._select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { } "
            f'FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}'
        )
        names = sorted(str(r["g"]) for r in rows if r["g"] is not None)
        if names:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{check_iri(n)}>" for n in names))
        return names

    def ping(self) -> bool:
        """Return whether the query endpoint answers ``ASK {}``."""
        try:
            return bool(self._select("ASK {}"))
        except StoreError:
            return False


def _check_url(url: str) -> None:
    """Raise :class:`StoreError` unless ``url`` is an http(s) URL with a host (and a port that
    is a number).

    Examples
    --------
    >>> _check_url("http://127.0.0.1:7878/query")
    >>> _check_url("http://[::1/query")
    Traceback (most recent call last):
    ...
    sotegraph.errors.StoreError: not a valid endpoint URL: 'http://[::1/query' (Invalid IPv6 URL)
    """
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # a port that is no number raises here
    except ValueError as exc:
        raise StoreError(f"not a valid endpoint URL: {_hide_password(url)!r} ({exc})") from None
    if parts.scheme not in {"http", "https"}:
        raise StoreError(f"not an http(s) endpoint URL: {_hide_password(url)!r}")
    if not parts.hostname:
        raise StoreError(f"no host in the endpoint URL: {_hide_password(url)!r}")


def _hide_password(url: str) -> str:
    return re.sub(r"(//[^/@:]*:)[^/@]*@", r"\1***@", url)


def _split_credentials(url: str) -> tuple[str, str | None, str | None]:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    user = urllib.parse.unquote(parts.username) if parts.username is not None else None
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    return clean, user, password


def _without_query(url: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(query="", fragment=""))


def _strip_comments(text: str) -> str:
    return re.sub(r"(?m)^\s*#.*$", "", text).strip()


def _parse_rdf(body: bytes, content_type: str) -> Graph:
    ctype = content_type.split(";")[0].strip().lower()
    fmt = ox.RdfFormat.TURTLE if ctype in {"text/turtle", "application/x-turtle"} else None
    if fmt is None:
        fmt = ox.RdfFormat.N_TRIPLES
    g = Graph()
    try:
        if fmt is ox.RdfFormat.N_TRIPLES:
            # any line length: a literal over 16 MiB is too long for Oxigraph's own parser
            triples: Iterable[Any] = parse_ntriples(body.decode("utf-8"))
        else:
            triples = ox.parse(body, format=fmt)
        for t in triples:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    except (SyntaxError, UnicodeDecodeError) as exc:
        if _is_html(ctype, body):
            raise EndpointError(
                f"the server answered with a web page, not RDF ({_NOT_SPARQL_HINT})"
            ) from exc
        raise StoreError(f"the server sent RDF that does not parse ({ctype}): {exc}") from exc
    return g


def _tries(attempt: int) -> str:
    return f" (after {attempt + 1} attempts)" if attempt else ""


def _is_html(content_type: str, body: bytes) -> bool:
    """Whether an answer is a web page (a proxy's or a web server's), not a SPARQL answer.

    Examples
    --------
    >>> _is_html("text/html; charset=utf-8", b""), _is_html("", b"  <!DOCTYPE html><p>")
    (True, True)
    >>> _is_html("application/sparql-results+json", b'{"boolean": true}')
    False
    """
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in {"text/html", "application/xhtml+xml"}:
        return True
    head = body[:200].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))

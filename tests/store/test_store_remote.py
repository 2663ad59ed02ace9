"""RemoteStore's HTTP behaviour: credentials, retries with back-off, timeouts, TLS, atomic
replace on a real Oxigraph server, and ``open_store`` choosing the backend.

Small real HTTP(S) servers written here stand in for misbehaving endpoints (refusing,
failing, slow, demanding authentication); the SPARQL behaviour is tested against the real
Oxigraph server.
"""

from __future__ import annotations

import base64
import http.server
import json
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from fake_http import AnsweringHandler
from oxigraph_server import Server, free_port
from sotegraph.errors import StoreError
from sotegraph.store import OxigraphStore, open_store
from sotegraph.store.remote import (
    EndpointError,
    RemoteStore,
    default_gsp_endpoint,
    default_update_endpoint,
)

SECRET = "pa55-w0rd-that-must-not-leak"
ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


class Recorder(AnsweringHandler):
    """Answers by a per-server plan; records each request's headers."""

    plan: Callable[[Recorder, int], tuple[int, bytes]]
    seen: list[dict[str, str]]

    def _answer(self) -> None:
        self.read_body()
        self.seen.append(dict(self.headers.items()))
        status, body = self.plan(self, len(self.seen))
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def fake() -> Iterator[Callable[..., tuple[str, list[dict[str, str]]]]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(
        plan: Callable[[Recorder, int], tuple[int, bytes]],
        *,
        tls: ssl.SSLContext | None = None,
    ) -> tuple[str, list[dict[str, str]]]:
        seen: list[dict[str, str]] = []
        handler = type("H", (Recorder,), {"plan": staticmethod(plan), "seen": seen})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        if tls is not None:
            server.socket = tls.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        scheme = "https" if tls else "http"
        return f"{scheme}://127.0.0.1:{server.server_address[1]}/query", seen

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def test_basic_auth_is_sent_and_never_leaks(fake) -> None:  # type: ignore[no-untyped-def]
    url, seen = fake(lambda h, n: (401, f"denied {h.headers.get('Authorization')}".encode()))
    store = RemoteStore(url, user="kalle", password=SECRET, retries=0)
    with pytest.raises(StoreError) as info:
        store.query("SELECT * WHERE { ?s ?p ?o }")
    token = base64.b64encode(f"kalle:{SECRET}".encode()).decode()
    assert seen[0]["Authorization"] == f"Basic {token}"
    message = str(info.value) + repr(info.value.__cause__) + repr(store)
    assert SECRET not in message
    assert token not in message
    assert "401" in str(info.value)


def test_server_error_body_is_scrubbed(fake) -> None:  # type: ignore[no-untyped-def]
    url, _ = fake(lambda h, n: (500, f"oops {SECRET} {h.headers.get('Authorization')}".encode()))
    store = RemoteStore(url, user="kalle", password=SECRET, retries=0)
    with pytest.raises(StoreError) as info:
        store.update("INSERT DATA { <a:b> <a:c> <a:d> }")
    assert SECRET not in str(info.value)
    assert base64.b64encode(f"kalle:{SECRET}".encode()).decode() not in str(info.value)
    assert "HTTP 500" in str(info.value)


def test_credentials_in_the_url_are_taken_out() -> None:
    store = RemoteStore(f"http://kalle:{SECRET}@127.0.0.1:9/query")
    assert store.endpoint == "http://127.0.0.1:9/query"
    assert store.user == "kalle"
    assert SECRET not in repr(store)
    assert SECRET not in store.update_endpoint
    assert SECRET not in str(store.gsp_endpoint)


def test_retries_with_backoff_then_success(fake) -> None:  # type: ignore[no-untyped-def]
    url, seen = fake(lambda h, n: (503, b"busy") if n <= 2 else (200, ASK_TRUE))
    store = RemoteStore(url, retries=3, backoff=0.1)
    t = time.monotonic()
    assert store.query("ASK {}") == [{"ask": Literal(True)}]
    elapsed = time.monotonic() - t
    assert len(seen) == 3
    assert elapsed >= 0.1 + 0.2 - 0.02, f"no back-off: {elapsed:.3f} s"


def test_connection_refused_retries_then_fails() -> None:
    port = free_port()  # nothing listens there
    store = RemoteStore(f"http://127.0.0.1:{port}/query", retries=2, backoff=0.05)
    t = time.monotonic()
    with pytest.raises(StoreError, match="after 3 attempts"):
        store.query("ASK {}")
    assert time.monotonic() - t >= 0.05 + 0.1 - 0.02
    assert store.ping() is False


def test_timeout_is_explicit_and_not_retried(fake) -> None:  # type: ignore[no-untyped-def]
    def slow(h: Recorder, n: int) -> tuple[int, bytes]:
        time.sleep(1.5)
        return 200, ASK_TRUE

    url, seen = fake(slow)
    store = RemoteStore(url, timeout=0.3, retries=3)
    t = time.monotonic()
    with pytest.raises(StoreError, match="timed out"):
        store.query("ASK {}")
    assert time.monotonic() - t < 1.4
    assert len(seen) == 1


def test_client_error_is_not_retried(fake) -> None:  # type: ignore[no-untyped-def]
    url, seen = fake(lambda h, n: (400, b"Parse error at line 1"))
    store = RemoteStore(url, retries=3, backoff=0.01)
    with pytest.raises(StoreError, match="Parse error"):
        store.query("SELECT nonsense")
    assert len(seen) == 1


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    return ctx


def test_tls_is_verified_by_default(fake, self_signed: ssl.SSLContext) -> None:  # type: ignore[no-untyped-def]
    url, seen = fake(lambda h, n: (200, ASK_TRUE), tls=self_signed)
    with pytest.raises(StoreError, match=r"CERTIFICATE_VERIFY_FAILED|certificate"):
        RemoteStore(url, retries=2, backoff=0.01).query("ASK {}")
    assert seen == []  # no request was sent over the unverified connection
    assert RemoteStore(url, verify_tls=False).query("ASK {}") == [{"ask": Literal(True)}]


def test_default_urls() -> None:
    assert default_update_endpoint("http://h:7878/query") == "http://h:7878/update"
    assert default_gsp_endpoint("http://h:7878/query") == "http://h:7878/store"
    assert RemoteStore("http://h:8890/sparql", user="u", password="p").gsp_endpoint == (
        "http://h:8890/sparql-graph-crud-auth"
    )
    assert RemoteStore("http://h:7878/query", gsp_endpoint="").gsp_endpoint is None
    with pytest.raises(StoreError):
        RemoteStore("ftp://h/query")
    with pytest.raises(StoreError):
        RemoteStore("http://h/query", auth="kerberos")


def test_open_store_chooses_the_backend(oxigraph_server: Server, tmp_path: Path) -> None:
    assert isinstance(open_store(), OxigraphStore)
    disk = open_store(tmp_path / "s")
    assert isinstance(disk, OxigraphStore)
    assert disk.path == tmp_path / "s"
    disk.close()
    remote = open_store(endpoint=oxigraph_server.query, timeout=5)
    assert isinstance(remote, RemoteStore)
    assert remote.update_endpoint == oxigraph_server.update
    assert remote.ping()


def test_sparql_only_mode_matches_gsp_mode(oxigraph_server: Server) -> None:
    """Without a Graph Store endpoint the same writes go through SPARQL Update."""
    g = Graph()
    for i in range(50):
        g.add((URIRef(f"https://example.org/r/{i}"), URIRef("https://example.org/p"), Literal(i)))
    name = "https://example.org/sparql-only"
    for gsp in (None, ""):
        store = RemoteStore(oxigraph_server.query, gsp_endpoint=gsp, page_size=7)
        store.replace_graph(name, g)
        assert len(store.graph(name)) == 50  # read back page by page in SPARQL-only mode
        assert store.remove_graph(name) is True
        assert store.remove_graph(name) is False


def test_paging_needs_order_by(oxigraph_server: Server) -> None:
    store = RemoteStore(oxigraph_server.query, page_size=3)
    with pytest.raises(StoreError, match="ORDER BY"):
        list(store.pages("SELECT ?s WHERE { ?s ?p ?o }"))
    g = Graph()
    for i in range(10):
        g.add((URIRef(f"https://example.org/pg/{i}"), URIRef("https://example.org/p"), Literal(i)))
    store.replace_graph("https://example.org/paging", g)
    pages = list(
        store.pages(
            "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?o",
            bindings={"g": URIRef("https://example.org/paging")},
        )
    )
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    assert [r["o"].toPython() for p in pages for r in p] == list(range(10))  # type: ignore[union-attr]
    store.remove_graph("https://example.org/paging")


def test_failed_put_leaves_old_graph_and_no_staging(oxigraph_server: Server) -> None:
    store = RemoteStore(oxigraph_server.query)
    name = "https://example.org/atomic"
    g = Graph()
    g.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("old")))
    store.replace_graph(name, g)
    with pytest.raises(StoreError):
        store.replace_graph_ntriples(name, "<https://example.org/s> <broken\n")
    with pytest.raises(StoreError):
        store.replace_graph(name, g, with_update="NOT AN UPDATE")
    assert [str(o) for o in store.graph(name).objects()] == ["old"]
    assert store.remove_staging() == []
    store.remove_graph(name)


# -- endpoints that cannot be used: EndpointError, a message that says what and what to do --

PAGE = b"<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>"


class Misbehaving(AnsweringHandler):
    """Answers ``answer(n)`` to the n-th request: (status, content type, body), or ``None``
    to close the connection without an answer."""

    answer: Callable[[int], tuple[int, str, bytes] | None]
    count: list[int]

    def _answer(self) -> None:
        self.read_body()
        self.count.append(1)
        planned = self.answer(len(self.count))
        if planned is None:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, ctype, body = planned
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except ConnectionError:
            pass  # the client stopped waiting (a timeout): what the test wanted

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def misbehaving() -> Iterator[Callable[..., tuple[str, list[int]]]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(answer: Callable[[int], tuple[int, str, bytes] | None]) -> tuple[str, list[int]]:
        count: list[int] = []
        handler = type("M", (Misbehaving,), {"answer": staticmethod(answer), "count": count})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/query", count

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def test_a_web_page_is_no_sparql_endpoint(misbehaving) -> None:  # type: ignore[no-untyped-def]
    url, count = misbehaving(lambda n: (200, "text/html; charset=utf-8", PAGE))
    store = RemoteStore(url, retries=3, backoff=0.01)
    with pytest.raises(EndpointError, match=r"is not a SPARQL endpoint: .* a web page") as info:
        store.query("ASK {}")
    assert url in str(info.value)
    assert len(count) == 1  # an answer, if a wrong one: not retried
    with pytest.raises(EndpointError, match="web page, not RDF"):
        store.graph("https://example.org/g")  # Graph Store GET
    # JSON that is no SPARQL results
    url, _ = misbehaving(lambda n: (200, "application/json", b'{"status": "ok"}'))
    with pytest.raises(EndpointError, match=r"not a SPARQL endpoint: .* application/json"):
        RemoteStore(url).query("ASK {}")


def test_a_server_error_page_is_told_from_a_sparql_error(misbehaving) -> None:  # type: ignore[no-untyped-def]
    url, _ = misbehaving(lambda n: (500, "text/html", PAGE))
    with pytest.raises(EndpointError, match=r"HTTP 500 .* with a web page, not a SPARQL answer"):
        RemoteStore(url, retries=0).query("ASK {}")
    # a SPARQL server that rejects the request answered: a plain StoreError with its reason
    url, _ = misbehaving(lambda n: (500, "text/plain", b"Parse error: unexpected token"))
    with pytest.raises(StoreError, match="Parse error: unexpected token") as info:
        RemoteStore(url, retries=0).query("ASK {}")
    assert not isinstance(info.value, EndpointError)
    url, count = misbehaving(lambda n: (503, "text/plain", b"busy"))
    with pytest.raises(EndpointError, match="unavailable, 3 attempts"):
        RemoteStore(url, retries=2, backoff=0.01).query("ASK {}")
    assert len(count) == 3


def test_a_connection_closed_without_an_answer(misbehaving) -> None:  # type: ignore[no-untyped-def]
    url, count = misbehaving(lambda n: None)
    store = RemoteStore(url, retries=2, backoff=0.01)
    with pytest.raises(EndpointError, match=r"connection lost \(after 3 attempts\)") as info:
        store.update("INSERT DATA { <a:b> <a:c> <a:d> }")
    assert "did the server stop" in str(info.value)
    assert len(count) == 3
    # closed once, then answered: the retry gets the answer
    url, count = misbehaving(lambda n: None if n == 1 else (200, "application/json", ASK_TRUE))
    assert RemoteStore(url, retries=2, backoff=0.01).query("ASK {}") == [{"ask": Literal(True)}]


def test_refused_and_timed_out_say_what_to_do(misbehaving) -> None:  # type: ignore[no-untyped-def]
    refused = RemoteStore(f"http://127.0.0.1:{free_port()}/query", retries=1, backoff=0.01)
    with pytest.raises(EndpointError, match=r"connection refused .*\(is the SPARQL server running"):
        refused.query("ASK {}")

    def slow(n: int) -> tuple[int, str, bytes]:
        time.sleep(1.0)
        return 200, "application/sparql-results+json", ASK_TRUE

    url, count = misbehaving(slow)
    with pytest.raises(EndpointError, match=r"no answer within 0\.2 s .*SOTEGRAPH_TIMEOUT"):
        RemoteStore(url, timeout=0.2, retries=3).query("ASK {}")
    assert len(count) == 1  # a timeout is not retried


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[::1/query", "not a valid endpoint URL"),
        ("http://kalle:secret@host:port/query", "not a valid endpoint URL"),
        ("http:///query", "no host in the endpoint URL"),
        ("file:///tmp/x", "not an http(s) endpoint URL"),
    ],
)
def test_a_bad_endpoint_url_is_a_store_error(url: str, problem: str) -> None:
    with pytest.raises(StoreError, match=re.escape(problem)) as info:
        RemoteStore(url)
    assert "secret" not in str(info.value)

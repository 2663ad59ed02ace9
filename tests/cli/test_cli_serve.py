"""``sotegraph serve``: the store as a local, read-only SPARQL endpoint (issue 16, point 4).

The command runs in a subprocess on a free port over a store built from the seeds; the test
asks it over HTTP as any client would (urllib), compares with ``sotegraph sparql --store`` on
the same folder, checks that updates are refused, that the query page answers, and how it
stops. Also how it shares the folder: while it serves, a build into the folder is refused
(the RocksDB lock), readers go on, and it does not start while a process writes the store.
And ``sotegraph sparql --format tsv`` against the server's own TSV answer to the same query.
"""

from __future__ import annotations

import gc
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from oxigraph_server import free_port, oxigraph_binary

COUNT = (
    "PREFIX sg: <https://w3id.org/sotegraph/ontology#> SELECT (COUNT(*) AS ?n) { ?p a sg:Project }"
)
ALL = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
RECORD = Path(__file__).resolve().parents[1] / "data" / "bad" / "ok_record.txt"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["COLUMNS"] = "200"
    return env


def sotegraph(*args: object, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sotegraph", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(),
        check=False,
    )


def start_serve(store: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sotegraph", "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )


def wait_for_url(process: subprocess.Popen[str], secs: float = 60) -> list[str]:
    """The lines ``serve`` prints up to the curl example (it prints them once it answers)."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            err = process.stderr.read() if process.stderr else ""
            pytest.fail(f"serve ended (exit {process.wait()}): {err}")
        lines.append(line.rstrip("\n"))
        if line.startswith("Ctrl-C"):
            return lines
    pytest.fail(f"serve printed no URL in {secs} s: {lines}")


def post(url: str, body: str, content_type: str, accept: str = "application/json") -> bytes:
    request = urllib.request.Request(
        url,
        data=body.encode("utf-8"),
        headers={"Content-Type": content_type, "Accept": accept},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
        return bytes(answer.read())


def count_over_http(base: str, query: str = COUNT) -> int:
    data = post(
        f"{base}/query", query, "application/sparql-query", "application/sparql-results+json"
    )
    return int(json.loads(data)["results"]["bindings"][0]["n"]["value"])


def count_in_store(store: Path, query: str) -> int:
    """The same query through ``sotegraph sparql --store`` (a reader of the folder)."""
    got = sotegraph("sparql", "--query", query, "--store", store, "--format", "json")
    assert got.returncode == 0, got.stderr
    return int(json.loads(got.stdout)[0]["n"])


def stop_gently(process: subprocess.Popen[str], sig: int) -> int:
    process.send_signal(sig)
    try:
        return process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def refused(url: str) -> bool:
    """True once nothing listens at ``url`` (a server that is going away and resets or drops
    the connection it accepted is not gone yet)."""
    try:
        urllib.request.urlopen(url, timeout=5).close()
    except urllib.error.URLError as exc:
        return isinstance(exc.reason, ConnectionRefusedError)
    except (ConnectionResetError, http.client.RemoteDisconnected):
        return False
    return False


@pytest.fixture(scope="module")
def store(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install 'sotegraph[server]')")
    from sotegraph.builder import build

    folder = tmp_path_factory.mktemp("serve") / "kg"
    kg = build([seeds_dir], store=folder, use_nlp=False, validate=False)
    assert kg.last_build is not None
    assert kg.last_build.built == 5
    kg.close()
    del kg
    gc.collect()
    return folder


@pytest.fixture
def served(store: Path) -> Iterator[tuple[subprocess.Popen[str], str, list[str]]]:
    port = free_port()
    with start_serve(store, port) as process:  # the pipes are closed on leaving
        try:
            lines = wait_for_url(process)
            yield process, f"http://127.0.0.1:{port}", lines
        finally:
            if process.poll() is None:  # a test that failed half-way: stop it as Ctrl-C would
                stop_gently(process, signal.SIGTERM)


def test_serve_answers_as_the_store_and_refuses_updates(
    served: tuple[subprocess.Popen[str], str, list[str]], store: Path
) -> None:
    process, base, lines = served
    print("\n".join(lines))
    assert lines[0] == f"serving {store} read-only at {base}/ (query page)"
    assert any(ln.strip().startswith(f"curl -s {base}/query") for ln in lines)

    # the union of the named graphs is the default graph: the same count as the store itself
    # (sotegraph sparql --store reads the folder while it is served)
    expected = count_in_store(store, COUNT)
    got = count_over_http(base)
    print(f"projects: {got} over HTTP, {expected} from sotegraph sparql --store")
    assert got == expected > 0
    triples = count_in_store(store, ALL)
    print(f"triples of the default graph: {count_over_http(base, ALL)} over HTTP, {triples}")
    assert count_over_http(base, ALL) == triples > 1000

    # the curl example it prints runs as printed (form-encoded POST, CSV back)
    form = urllib.parse.urlencode({"query": COUNT})
    csv = post(f"{base}/query", form, "application/x-www-form-urlencoded", "text/csv")
    assert csv.decode("utf-8").split() == ["n", str(expected)]

    # updates are refused, by the update endpoint and the Graph Store Protocol alike
    insert = "INSERT DATA { GRAPH <urn:sotegraph:test:g> { <urn:a> <urn:b> <urn:c> } }"
    with pytest.raises(urllib.error.HTTPError) as err:
        post(f"{base}/update", insert, "application/sparql-update")
    err.value.close()
    assert err.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as err:
        post(f"{base}/store?default", "<urn:a> <urn:b> <urn:c> .", "text/turtle")
    err.value.close()
    assert err.value.code == 403
    assert count_over_http(base) == expected

    # the query page
    with urllib.request.urlopen(f"{base}/", timeout=30) as page:
        assert page.status == 200
        assert page.headers.get_content_type() == "text/html"
        assert b"<html" in page.read().lower()

    # Ctrl-C stops the server with it, cleanly
    assert stop_gently(process, signal.SIGINT) == 0
    assert refused(f"{base}/query"), "the Oxigraph server went on after serve ended"


def test_sigterm_stops_it_and_frees_the_folder(
    served: tuple[subprocess.Popen[str], str, list[str]], store: Path
) -> None:
    process, base, _lines = served
    # while it serves, a build into the folder is refused at once (no writer under a reader)
    build = sotegraph("build", RECORD, "--store", store, "--no-nlp")
    print("build while serving:", build.stderr.strip().splitlines()[-1])
    assert build.returncode == 2
    assert "cannot open the store" in build.stderr
    assert count_over_http(base) > 0, "the refused build did not disturb the server"
    assert stop_gently(process, signal.SIGTERM) == 0
    assert "stopped" in (process.stderr.read() if process.stderr else "")
    assert refused(f"{base}/query")
    # and the folder is free again: a writer opens it
    import pyoxigraph

    writer = pyoxigraph.Store(str(store))
    assert len(writer) > 0
    del writer
    gc.collect()


def test_usage_errors(store: Path, tmp_path: Path) -> None:
    missing = sotegraph("serve", "--store", tmp_path / "no-store", "--port", free_port())
    assert missing.returncode == 2
    assert f"no store at {tmp_path / 'no-store'}" in " ".join(missing.stderr.split())

    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = sotegraph("serve", "--store", store, "--port", port)
    assert taken.returncode == 2
    assert f"port {port} on 127.0.0.1 is taken" in " ".join(taken.stderr.split())
    assert "Traceback" not in taken.stderr


def test_not_while_a_process_writes_the_store(store: Path) -> None:
    import pyoxigraph

    writer = pyoxigraph.Store(str(store))  # this process writes it now
    try:
        got = sotegraph("serve", "--store", store, "--port", free_port())
    finally:
        del writer
        gc.collect()
    print(got.stderr)
    assert got.returncode == 2
    assert "is being written by another process" in " ".join(got.stderr.split())


def _terms(tsv: str) -> list[tuple[str, ...]]:
    """SPARQL TSV results as rows of N-Triples terms (a Turtle short form such as ``2`` or
    ``true``, which a server may write, read as the full term)."""
    import pyoxigraph as ox

    def term(cell: str) -> str:
        if not cell:
            return ""
        quad = next(iter(ox.parse(f"<urn:s> <urn:p> {cell} .", format=ox.RdfFormat.TURTLE)))
        return str(quad.object)

    header, *lines = tsv.rstrip("\n").split("\n")
    rows = sorted(tuple(term(c) for c in line.split("\t")) for line in lines)
    return [tuple(header.split("\t")), *rows]


def test_sparql_tsv_is_what_the_endpoint_answers(
    served: tuple[subprocess.Popen[str], str, list[str]], store: Path
) -> None:
    """``sotegraph sparql --format tsv`` writes SPARQL 1.1 TSV: the rows the server gives."""
    _process, base, _lines = served
    query = (
        "SELECT ?s ?p ?o ?none WHERE { ?s a <https://w3id.org/sotegraph/ontology#Project> ; "
        "?p ?o . OPTIONAL { ?s <urn:sotegraph:test:none> ?none } }"
    )
    ours = sotegraph("sparql", "--query", query, "--store", store, "--format", "tsv")
    assert ours.returncode == 0, ours.stderr
    theirs = post(
        f"{base}/query", query, "application/sparql-query", "text/tab-separated-values"
    ).decode("utf-8")
    rows = _terms(ours.stdout)
    print(f"{len(rows) - 1} rows; first: {rows[1] if len(rows) > 1 else None}")
    assert rows[0] == ("?s", "?p", "?o", "?none")
    assert len(rows) > 20
    assert any("@fi" in r[2] for r in rows[1:]), "language-tagged literals are in the sample"
    assert any("^^<http://www.w3.org/2001/XMLSchema#" in r[2] for r in rows[1:])
    assert rows == _terms(theirs)
    assert all(len(line.split("\t")) == 4 for line in ours.stdout.splitlines())


def test_a_killed_serve_leaves_no_server(
    served: tuple[subprocess.Popen[str], str, list[str]],
) -> None:
    """SIGKILL gives ``serve`` no chance to stop the server: the kernel does (Linux)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the parent-death signal is Linux's")
    process, base, _lines = served
    assert count_over_http(base) >= 0
    process.kill()
    process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while not refused(f"{base}/query") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert refused(f"{base}/query"), "the Oxigraph server outlived the killed serve"

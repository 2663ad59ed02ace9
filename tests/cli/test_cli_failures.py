"""Every command on a failing store: one ``error:`` line that says what happened and what to
do, exit code 2, no traceback, and the store left consistent (a rerun completes).

The real command line runs in subprocesses against real servers: HTTP servers on 127.0.0.1
that answer a web page (200 or 500), close the connection, or answer too late; a port where
nothing listens; a real ``oxigraph serve`` killed during a build. A full disk is a file size
limit (``RLIMIT_FSIZE``, writes fail with ``EFBIG``; works without privileges) and, where
mounting is allowed, a small tmpfs that fills up (``ENOSPC``).
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_http import AnsweringHandler
from oxigraph_server import free_port, oxigraph_binary, start_oxigraph, stop
from sotegraph.builder import KnowledgeGraph
from sotegraph.namespaces import GRAPH_NAMES, SGID
from sotegraph.store import OxigraphStore, Store, open_store
from sotegraph.store.remote import RemoteStore

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="needs fork and RLIMIT_FSIZE (POSIX)"
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
TEMPLATE = EXAMPLES / "esimerkki_esr_S29901.txt"
DOCUMENT_GRAPH = str(SGID["document/"])

# a child that limits the size of the files it writes, then runs the command line
_LIMITED = (
    "import os, resource, signal, sys; "
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "n = int(sys.argv[1]); resource.setrlimit(resource.RLIMIT_FSIZE, (n, n)); "
    "os.execv(sys.executable, [sys.executable, '-m', 'sotegraph', *sys.argv[2:]])"
)


def _command(args: tuple[object, ...], limit: int | None) -> list[str]:
    words = [str(a) for a in args]
    if limit is None:
        return [sys.executable, "-m", "sotegraph", *words]
    return [sys.executable, "-c", _LIMITED, str(limit), *words]


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOTEGRAPH_")}
    env["SOTEGRAPH_SHARED"] = os.environ.get("SOTEGRAPH_SHARED", str(ROOT.parent / "shared"))
    env["COLUMNS"] = "80"  # a narrow terminal: the error must still be one line
    return {**env, **(extra or {})}


def sotegraph(
    *args: object,
    env: dict[str, str] | None = None,
    limit: int | None = None,
    stdout: Path | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run ``sotegraph ARGS`` (``limit``: the largest file it may write, in bytes)."""
    out = stdout.open("w") if stdout is not None else subprocess.PIPE
    try:
        return subprocess.run(
            _command(args, limit),
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(env),
            timeout=timeout,
            check=False,
        )
    finally:
        if stdout is not None:
            out.close()  # type: ignore[union-attr]


def error_line(result: subprocess.CompletedProcess[str], *phrases: str) -> str:
    """The one ``error:`` line of a failed command, checked: exit 2, no traceback, phrases."""
    command = " ".join(str(a) for a in result.args[-6:])
    assert "Traceback" not in result.stderr, f"{command}:\n{result.stderr}"
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, f"{command}: not one error line:\n{result.stderr}"
    assert result.returncode == 2, f"{command}: exit {result.returncode}\n{result.stderr}"
    for phrase in phrases:
        assert phrase in lines[0], f"{command}: {phrase!r} not in {lines[0]!r}"
    return lines[0]


# Runs several commands at once, each in a child forked from one interpreter that has
# imported the command line already (a fresh interpreter per command costs a second of CPU
# each); every child runs the entry point of the ``sotegraph`` script, its output in files.
_MANY = """
import json, os, sys
import sotegraph.cli, sotegraph.builder, sotegraph.export, sotegraph.network, sotegraph.queries
children = {}
for name, argv, base in json.loads(sys.argv[1]):
    pid = os.fork()
    if pid == 0:
        for fd, suffix in ((1, ".out"), (2, ".err")):
            os.dup2(os.open(base + suffix, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        sys.argv = ["sotegraph", *argv]
        try:
            sotegraph.cli.main()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    children[pid] = base
for _ in list(children):
    pid, status = os.wait()
    with open(children[pid] + ".rc", "w") as fh:
        fh.write(str(os.waitstatus_to_exitcode(status)))
"""


def run_many(
    commands: dict[str, list[object]], folder: Path, env: dict[str, str] | None = None
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run ``sotegraph ARGS`` for each command at once; their results by name."""
    folder.mkdir(exist_ok=True)
    jobs = [(name, [str(a) for a in args], str(folder / name)) for name, args in commands.items()]
    subprocess.run(
        [sys.executable, "-c", _MANY, json.dumps(jobs)],
        env=_env(env),
        check=True,
        timeout=600,
    )
    results = {}
    for name, argv, base in jobs:
        results[name] = subprocess.CompletedProcess(
            ["sotegraph", *argv],
            int(Path(base + ".rc").read_text()),
            Path(base + ".out").read_text(encoding="utf-8"),
            Path(base + ".err").read_text(encoding="utf-8"),
        )
    return results


def make_documents(folder: Path, count: int) -> Path:
    """``count`` different project descriptions (the shipped example with other codes)."""
    folder.mkdir(parents=True)
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "S29901" in text
    for i in range(count):
        variant = text.replace("S29901", f"S3{i:04d}").replace("Kestävä arki", f"Arki {i}")
        (folder / f"esr_{i:03d}.txt").write_text(variant, encoding="utf-8")
    return folder


def consistent_documents(store: Store) -> tuple[int, int]:
    """Check that every document in the manifest has its graph; return (recorded, unrecorded).

    A graph written just before the failure, without its manifest entry, is an unfinished
    ingest that the next build redoes (it is counted as unrecorded, never as a document).
    """
    with KnowledgeGraph(store) as kg:
        recorded = {str(row["doc"]) for row in kg.documents()}
        graphs = {g for g in store.graph_names() if g.startswith(DOCUMENT_GRAPH)}
        assert recorded <= graphs, f"recorded without a graph: {sorted(recorded - graphs)}"
        for doc in recorded:
            assert len(store.graph(doc)) > 0, f"empty graph of a recorded document: {doc}"
        unrecorded = graphs - recorded
        assert len(unrecorded) <= 1, f"graphs without a manifest entry: {sorted(unrecorded)}"
    return len(recorded), len(unrecorded)


# -- endpoints that fail ------------------------------------------------------------------

PAGE = b"<!DOCTYPE html><html><body><h1>Welcome</h1><p>It works.</p></body></html>"
SLOW = 4.0  # seconds a slow server waits before it answers; the client waits 1


class _Handler(AnsweringHandler):
    mode = "html200"

    def _answer(self) -> None:
        self.read_body()
        if self.mode == "closes":  # no answer at all
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.mode == "slow":
            time.sleep(SLOW)
        self.send_response(500 if self.mode == "html500" else 200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


class _Server(http.server.ThreadingHTTPServer):
    block_on_close = False  # a slow answer still sleeping does not hold up the test

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client gave up on a slow answer: that is the point


@pytest.fixture
def endpoint(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """``(mode, query URL)`` of an endpoint that fails as ``request.param`` says."""
    mode = request.param
    if mode == "refused":
        yield mode, f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
        return
    handler = type("Handler", (_Handler,), {"mode": mode})
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield mode, f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()


EXPECTED = {
    "refused": ("connection refused", "is the SPARQL server running"),
    "html200": ("is not a SPARQL endpoint", "web page"),
    "html500": ("HTTP 500", "web page, not a SPARQL answer"),
    "closes": ("connection lost", "closed the connection"),
    "slow": ("timed out", "no answer within 1 s", "SOTEGRAPH_TIMEOUT"),
}


def endpoint_commands(tmp: Path) -> dict[str, list[object]]:
    """The arguments (before ``--endpoint URL``) of every command that reads an endpoint."""
    query = tmp / "one.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    return {
        "build": ["build", EXAMPLES, "--no-nlp"],
        "query": ["query", "projects"],
        "sparql": ["sparql", query],
        "network": ["network", "-o", tmp / "net.graphml"],
        "overlap": ["overlap"],
        "view": ["view", "-o", tmp / "view.html"],
        "map": ["map", "-o", tmp / "map.html"],
        "report": ["report", "-o", tmp / "report.html"],
        "similar": ["similar", "kotihoito"],
        "explain": ["explain", "https://example.org/nothing"],
        "remove": ["remove", "esimerkki_artikkeli.txt"],
        "changes": ["changes", EXAMPLES],
        "info": ["info"],
        "validate": ["validate"],
    }


def _commands_taking(option: str) -> set[str]:
    import typer

    from sotegraph.cli import app

    group = typer.main.get_command(app)
    ctx = group.make_context("sotegraph", ["--help"], resilient_parsing=True)
    commands = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}  # type: ignore[attr-defined]
    return {
        name
        for name, command in commands.items()
        if any(option in getattr(p, "opts", ()) for p in command.params)
    }


def test_every_endpoint_command_is_tried(tmp_path: Path) -> None:
    assert _commands_taking("--endpoint") == set(endpoint_commands(tmp_path))


@pytest.mark.parametrize("endpoint", list(EXPECTED), indirect=True)
def test_every_command_on_a_failing_endpoint(endpoint: tuple[str, str], tmp_path: Path) -> None:
    mode, url = endpoint
    where = url.rsplit("/", 1)[0]  # the message names the endpoint
    commands = {
        name: [*args, "--endpoint", url] for name, args in endpoint_commands(tmp_path).items()
    }
    # Only the slow endpoint is about the timeout; the others fail at once, and a long timeout
    # keeps a loaded machine (fourteen commands start together) from turning their failure
    # into a timeout before the test server's thread is scheduled.
    timeout = "1" if mode == "slow" else "60"
    results = run_many(commands, tmp_path / "runs", env={"SOTEGRAPH_TIMEOUT": timeout})
    problems = []
    for name, result in results.items():
        try:
            line = error_line(result, where, *EXPECTED[mode])
        except AssertionError as exc:
            problems.append(f"{name}: {exc}")
        else:
            print(f"{mode} {name}: {line}")
    assert not problems, "\n".join(problems)
    assert not (tmp_path / "net.graphml").exists()
    assert not (tmp_path / "view.html").exists()


def test_timeout_option_and_variable(tmp_path: Path) -> None:
    handler = type("Handler", (_Handler,), {"mode": "slow"})
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/query"
    try:
        t = time.monotonic()
        result = sotegraph("build", EXAMPLES, "--no-nlp", "--endpoint", url, "--timeout", "1.5")
        error_line(result, "timed out", "no answer within 1.5 s")
        assert time.monotonic() - t < SLOW + 10
        bad = sotegraph("query", "projects", "--endpoint", url, env={"SOTEGRAPH_TIMEOUT": "soon"})
        error_line(bad, "SOTEGRAPH_TIMEOUT='soon'")
    finally:
        server.shutdown()
        server.server_close()


# -- a server killed during a build ---------------------------------------------------------


def _recorded(store: RemoteStore) -> int:
    rows = store.query(
        f"SELECT (COUNT(?d) AS ?n) WHERE {{ GRAPH <{GRAPH_NAMES['manifest']}> "
        "{ ?d <http://purl.org/dc/terms/source> ?s } }"
    )
    return int(rows[0]["n"].toPython())  # type: ignore[union-attr]


def test_build_against_a_server_killed_mid_build(tmp_path: Path) -> None:
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph)")
    docs = make_documents(tmp_path / "docs", 60)
    folder = tmp_path / "oxigraph" / "data"
    server = start_oxigraph(folder)
    port = urllib.parse.urlsplit(server.query).port
    try:
        build = subprocess.Popen(
            _command(("build", docs, "--no-nlp", "--endpoint", server.query), None),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env({"SOTEGRAPH_TIMEOUT": "30"}),
        )
        watch = RemoteStore(server.query, retries=0, timeout=10)
        recorded = 0
        while build.poll() is None and recorded < 5:
            time.sleep(0.05)
            recorded = _recorded(watch)
        building = build.poll() is None
        server.process.kill()  # SIGKILL: no goodbye, a request may be cut off half-way
        server.process.wait(timeout=30)
        out, err = build.communicate(timeout=300)
    finally:
        stop(server.process)
    assert building, "the build ended before the server was killed: give it more documents"
    result = subprocess.CompletedProcess(build.args, build.returncode, out, err)
    line = error_line(result, f"127.0.0.1:{port}", "run the build again")
    assert "connection refused" in line or "connection lost" in line, line
    print(line)

    again = start_oxigraph(folder, port=port)  # the same data
    try:
        store = RemoteStore(again.query)
        stored, unfinished = consistent_documents(store)
        print(f"after the kill: {stored} documents recorded, {unfinished} unfinished graph")
        assert 5 <= stored < 60
        rerun = sotegraph("build", docs, "--no-nlp", "--endpoint", again.query)
        assert rerun.returncode == 0, rerun.stderr
        assert consistent_documents(store) == (60, 0)
    finally:
        stop(again.process)


# -- a full disk ------------------------------------------------------------------------------

DISK_FULL = ("a file size limit was reached", "ulimit -f")


@pytest.fixture
def built_store(tmp_path: Path) -> Path:
    """A store folder with the examples, opened and closed once more (recovery done)."""
    store = tmp_path / "kg"
    first = sotegraph("build", EXAMPLES, "--no-nlp", "--store", store)
    assert first.returncode == 0, first.stderr
    OxigraphStore(store).close()
    return store


def test_build_on_a_full_disk(built_store: Path, tmp_path: Path) -> None:
    # room for the files the store has, and for some of the new documents
    limit = max(f.stat().st_size for f in built_store.iterdir()) + 256 * 1024
    docs = make_documents(tmp_path / "docs", 60)
    result = sotegraph("build", docs, "--no-nlp", "--store", built_store, limit=limit)
    line = error_line(result, *DISK_FULL, "run the build again")
    print(line)
    with open_store(built_store, read_only=True) as store:
        stored, unfinished = consistent_documents(store)
    print(f"after the full disk: {stored} documents recorded, {unfinished} unfinished graph")
    assert 3 <= stored < 63
    rerun = sotegraph("build", docs, "--no-nlp", "--store", built_store)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(built_store, read_only=True) as store:
        assert consistent_documents(store) == (63, 0)


def test_every_writing_command_on_a_full_disk(built_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    writers: dict[str, list[object]] = {
        "build --out": ["build", EXAMPLES, "--no-nlp", "--out", out / "all.trig"],
        "network": ["network", "--store", built_store, "-o", out / "net.graphml"],
        "network gexf": ["network", "--store", built_store, "-o", out / "net.gexf"],
        "view": ["view", "--store", built_store, "-o", out / "view.html"],
        "snapshot": ["snapshot", "--store", built_store, out / "copy"],
    }
    for name, args in writers.items():
        line = error_line(sotegraph(*args, limit=2000), *DISK_FULL)
        print(f"{name}: {line}")
    # commands that print: standard output is a file on the full disk
    printers: dict[str, list[object]] = {
        "info": ["info", "--store", built_store],
        "query": ["query", "projects", "--store", built_store, "--format", "json"],
        "overlap": ["overlap", "--store", built_store, "--format", "json"],
        "changes": ["changes", EXAMPLES, "--store", built_store],
        "validate": ["validate", "--store", built_store],
        "resolve-report": ["resolve-report", EXAMPLES, "--no-nlp"],
    }
    for name, args in printers.items():
        result = sotegraph(*args, limit=40, stdout=out / f"{name}.txt")
        line = error_line(result, *DISK_FULL)  # the output, or a scratch file before it
        print(f"{name} > file: {line}")
    with open_store(built_store, read_only=True) as store:
        assert consistent_documents(store) == (3, 0)


def test_debug_variable_shows_the_traceback(built_store: Path, tmp_path: Path) -> None:
    args = ("info", "--store", built_store)
    quiet = sotegraph(*args, limit=40, stdout=tmp_path / "a.txt")
    error_line(quiet, "cannot write the standard output")
    loud = sotegraph(*args, limit=40, stdout=tmp_path / "b.txt", env={"SOTEGRAPH_DEBUG": "1"})
    assert loud.returncode != 0
    assert "Traceback" in loud.stderr


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 80 MB tmpfs (skipped where mounting is not allowed: not root, or a container)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root on Linux")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=80m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_build_on_a_disk_that_fills_up(small_disk: Path, tmp_path: Path) -> None:
    store = small_disk / "kg"
    first = sotegraph("build", EXAMPLES, "--no-nlp", "--store", store)
    assert first.returncode == 0, first.stderr
    OxigraphStore(store).close()
    filler = small_disk / "filler"
    with filler.open("wb") as fh:  # leave 1 MiB
        fh.truncate(0)
        fh.write(b"\0" * max(0, shutil.disk_usage(small_disk).free - 1024 * 1024))
    docs = make_documents(tmp_path / "docs", 60)
    result = sotegraph("build", docs, "--no-nlp", "--store", store)
    line = error_line(result, "the disk is full", "free some space")
    print(line)
    filler.unlink()
    with open_store(store, read_only=True) as kg:
        stored, unfinished = consistent_documents(kg)
    print(f"after the full disk: {stored} documents recorded, {unfinished} unfinished graph")
    rerun = sotegraph("build", docs, "--no-nlp", "--store", store)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(store, read_only=True) as kg:
        assert consistent_documents(kg) == (63, 0)


# -- the last guard -------------------------------------------------------------------------

_BROKEN = (
    "import sys; import sotegraph.cli as cli\n"
    "@cli.app.command('broken')\n"
    "def broken() -> None:\n"
    "    raise ZeroDivisionError('a bug')\n"
    "sys.argv = ['sotegraph', 'broken']\n"
    "cli.main()\n"
)


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_is_an_internal_error(debug: bool) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _BROKEN],
        capture_output=True,
        text=True,
        env=_env({"SOTEGRAPH_DEBUG": "1"} if debug else None),
        timeout=120,
        check=False,
    )
    if debug:
        assert result.returncode == 1  # Python's own exit on an uncaught exception
        assert "Traceback" in result.stderr
        assert "ZeroDivisionError: a bug" in result.stderr
    else:
        line = error_line(result, "internal error (ZeroDivisionError: a bug)", "please report")
        assert "SOTEGRAPH_DEBUG=1" in line

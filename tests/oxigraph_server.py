"""pytest plugin: real SPARQL servers for the store tests.

``oxigraph_server`` starts ``oxigraph serve --location <tmp> --bind 127.0.0.1:<free port>``
(the ``oxigraph`` CLI from PyPI), waits until it answers, and stops it afterwards.
``virtuoso_server`` does the same for Virtuoso (Debian ``virtuoso-opensource``) when
``virtuoso-t`` is installed, and skips with the reason otherwise.

Registered from ``tests/conftest.py`` with ``pytest_plugins``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Server:
    """A running SPARQL server: its URLs and process."""

    name: str
    query: str
    update: str
    gsp: str | None
    process: subprocess.Popen[bytes]
    folder: Path
    user: str | None = None
    password: str | None = None
    auth: str = "basic"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    """Path of the ``oxigraph`` CLI (the venv's first, then PATH)."""
    import sys

    venv = Path(sys.executable).with_name("oxigraph")
    if venv.exists():
        return str(venv)
    return shutil.which("oxigraph")


def wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path, secs: float) -> None:
    """Poll ``url`` (an ``ASK {}`` GET) until it answers 200, or fail with the server log."""
    deadline = time.monotonic() + secs
    probe = url + "?query=ASK%20%7B%7D"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode}: {log.read_text()[-2000:]}"
            )
        try:
            with urllib.request.urlopen(probe, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} not ready after {secs} s: {log.read_text()[-2000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server process started here (SIGTERM, then SIGKILL)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def start_oxigraph(folder: Path, *, port: int | None = None) -> Server:
    """Start ``oxigraph serve`` on a free port with its data in ``folder``."""
    binary = oxigraph_binary()
    if binary is None:
        raise FileNotFoundError("the oxigraph CLI is not installed (pip install oxigraph)")
    port = port or free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder.parent / f"{folder.name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/query", process, log, 30)
    except RuntimeError:
        stop(process)
        raise
    return Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", process, folder)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real Oxigraph server for the session (its store in a temporary folder)."""
    try:
        server = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "data")
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        stop(server.process)


_VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 60
DirsAllowed = ., {d}
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort = {http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
DefaultQuery = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
"""


def virtuoso_binary() -> str | None:
    """Path of ``virtuoso-t`` if Virtuoso is installed."""
    return shutil.which("virtuoso-t") or (
        "/usr/bin/virtuoso-t" if os.path.exists("/usr/bin/virtuoso-t") else None
    )


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real Virtuoso server (skipped with the reason when Virtuoso is not installed).

    Updates and the Graph Store Protocol are used with the ``dba`` account over HTTP Basic
    authentication (``/sparql-auth``, ``/sparql-graph-crud-auth``).
    """
    binary = virtuoso_binary()
    if binary is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_ready(f"{base}/sparql", process, log, 90)
        _virtuoso_grant(folder, sql_port)
    except (RuntimeError, FileNotFoundError, subprocess.CalledProcessError) as exc:
        stop(process)
        pytest.skip(f"Virtuoso did not start here: {exc}")
    server = Server(
        "virtuoso",
        f"{base}/sparql-auth",
        f"{base}/sparql-auth",
        f"{base}/sparql-graph-crud-auth",
        process,
        folder,
        user="dba",
        password="dba",
        auth="digest",
    )
    try:
        yield server
    finally:
        stop(process)


def _virtuoso_grant(folder: Path, sql_port: int) -> None:
    """Let the dba account use SPARQL update over HTTP (isql)."""
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if isql is None:
        raise FileNotFoundError("isql-vt not found")
    subprocess.run(
        [isql, str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=60,
    )

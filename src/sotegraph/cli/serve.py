"""``sotegraph serve``: a local, read-only SPARQL endpoint over an on-disk store.

It runs the Oxigraph server (``oxigraph serve-read-only``, from the ``server`` extra) on the
store's folder with the union of the named graphs as the default graph, as the embedded
store answers ``sotegraph query`` and ``sotegraph sparql``: ``SELECT … { ?p a sg:Project }``
sees every document's projects without ``GRAPH``. Its query page is at ``/``, the SPARQL
protocol at ``/query``; updates and the Graph Store Protocol's writes are refused (HTTP 403).
It listens on 127.0.0.1 unless ``--bind`` names another address, and runs until Ctrl-C
(SIGINT) or SIGTERM, which stop the server and end with exit code 0.

While it serves, it holds a shared lock on the store's ``LOCK`` file, the lock a writing
process takes: a build into the same folder is refused at once (Oxigraph allows readers of a
folder only while no process writes it), whereas other readers (``sotegraph query --store``,
another ``serve``) go on. It does not start while a process writes the store.

Exit codes: 0 stopped by Ctrl-C or SIGTERM; 2 no store there, the port taken, the store
being written, the Oxigraph server not installed or ending on its own.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Annotated

import typer

from sotegraph.cli import app
from sotegraph.cli._options import StoreDirOpt, fail, open_from_cli

DEFAULT_PORT = 7878
DEFAULT_BIND = "127.0.0.1"
_READY_SECONDS = 60.0

_CURL_QUERY = (
    "PREFIX sg: <https://w3id.org/sotegraph/ontology#> SELECT (COUNT(*) AS ?n) { ?p a sg:Project }"
)


class _StopSignalError(Exception):
    """SIGINT or SIGTERM arrived."""


def oxigraph_server_binary() -> str | None:
    """Path of the ``oxigraph`` server program: beside this Python's, else on ``PATH``.

    Examples
    --------
    >>> path = oxigraph_server_binary()
    >>> path is None or Path(path).name.startswith("oxigraph")
    True
    """
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


def _address(host: str, port: int) -> str:
    """``host:port`` as a URL and ``--bind`` write it (an IPv6 address in brackets).

    >>> _address("127.0.0.1", 7878), _address("::1", 7878)
    ('127.0.0.1:7878', '[::1]:7878')
    """
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _port_free(host: str, port: int) -> str | None:
    """``None`` when ``host:port`` can be listened on now, else why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers bind
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is taken (another server?); choose one with --port"
            return f"cannot listen on {_address(host, port)}: {exc.strerror or exc}"
    return None


@contextlib.contextmanager
def _reader_lock(store: Path) -> Iterator[None]:
    """Hold a shared lock on the store's ``LOCK`` file: no process may write it meanwhile.

    RocksDB (Oxigraph's storage) takes an exclusive ``fcntl`` lock on that file while it
    writes; a shared one conflicts with it and with nothing else.

    Raises
    ------
    typer.Exit
        With code 2 when a process writes the store now.
    """
    import fcntl

    try:
        fd = os.open(store / "LOCK", os.O_RDONLY)
    except OSError:  # no lock file (not written by RocksDB yet) or not readable: nothing to hold
        yield
        return
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            raise fail(
                f"the store at {store} is being written by another process (a build?); "
                "serve it when that has finished"
            ) from exc
        yield
    finally:
        os.close(fd)  # releases the lock


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    """Poll ``base/query`` until it answers, or exit 2 with the server's own words."""
    deadline = time.monotonic() + _READY_SECONDS
    probe = f"{base}/query?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise fail(f"the Oxigraph server stopped at once: {_tail(log)}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    _stop(process)
    raise fail(f"the Oxigraph server did not answer within {_READY_SECONDS:g} s: {_tail(log)}")


def _tail(log: IO[bytes]) -> str:
    """The last line the server wrote (its error), or a note that it wrote none."""
    log.flush()
    log.seek(0)
    lines = [ln.strip() for ln in log.read().decode("utf-8", "replace").splitlines()]
    lines = [ln for ln in lines if ln]
    return lines[-1] if lines else "it wrote no message"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server: SIGTERM, then SIGKILL after 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _dies_with_this_process() -> Callable[[], None] | None:
    """What the server's process runs before the program (Linux): ask the kernel to send it
    SIGTERM when this process ends, even by SIGKILL, so no server outlives ``serve``."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)  # loaded here: nothing is imported after fork
    parent = os.getpid()

    def set_parent_death_signal() -> None:
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # this process ended before the request was made
            os._exit(1)

    return set_parent_death_signal


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopSignalError


@app.command()
def serve(
    store: StoreDirOpt,
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="TCP port to listen on.")
    ] = DEFAULT_PORT,
    bind: Annotated[
        str,
        typer.Option(
            "--bind", help="Address to listen on (0.0.0.0: every interface, other machines too)."
        ),
    ] = DEFAULT_BIND,
) -> None:
    """Serve a store read-only as a SPARQL endpoint (the Oxigraph server) until Ctrl-C.

    The default graph is the union of the named graphs; the query page is at /, the SPARQL
    endpoint at /query; updates are refused. A build into the folder is refused while it
    runs. Exit code 0 when stopped, 2 when the store is missing or the port taken.
    """
    binary = oxigraph_server_binary()
    if binary is None:
        raise fail("the Oxigraph server is not installed: pip install 'sotegraph[server]'")
    if not store.is_dir():
        raise fail(f"no store at {store} (build one: sotegraph build PATH --store DIR)")
    taken = _port_free(bind, port)
    if taken:
        raise fail(taken)
    with _reader_lock(store):
        # a readable store? (and what an interrupted build left, which the server would show)
        with open_from_cli(store, read_only=True, existing=True) as checked:
            uncommitted = list(getattr(checked, "uncommitted", []))
        base = f"http://{_address(bind, port)}"
        command = [
            binary,
            "serve-read-only",
            "--location",
            str(store),
            "--union-default-graph",
            "--bind",
            _address(bind, port),
        ]
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_dies_with_this_process(),  # (no threads run here)
            )
            previous = {
                sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)
            }
            try:
                _wait_until_ready(base, process, log)
                _announce(store, base, bind, uncommitted)
                if process.wait() in (-signal.SIGINT, -signal.SIGTERM):
                    raise _StopSignalError  # Ctrl-C in the terminal reached the server first
            except _StopSignalError:
                _stop(process)
                typer.echo("stopped", err=True)
                raise typer.Exit(0) from None
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
                _stop(process)
            raise fail(f"the Oxigraph server ended (exit {process.returncode}): {_tail(log)}")


def _announce(store: Path, base: str, bind: str, uncommitted: list[str]) -> None:
    """Say where the endpoint is and how to ask it (stdout), and what to mind (stderr)."""
    typer.echo(f"serving {store} read-only at {base}/ (query page)")
    typer.echo(f"SPARQL endpoint: {base}/query (default graph: the union of the named graphs)")
    typer.echo("try:")
    typer.echo(
        f"  curl -s {base}/query -H 'Accept: text/csv' --data-urlencode 'query={_CURL_QUERY}'"
    )
    typer.echo("Ctrl-C stops it.")
    if bind not in {"127.0.0.1", "::1", "localhost"}:
        typer.echo(f"note: listening on {bind}: other machines can query the store", err=True)
    if uncommitted:
        typer.echo(
            f"note: {len(uncommitted)} document graph(s) left by an interrupted build are "
            "visible here (sotegraph build into the folder removes them)",
            err=True,
        )
    sys.stdout.flush()

"""The store options the commands share, and the one function that opens a store from them.

Every command that reads or writes a store declares its options with these ``Annotated``
aliases and opens the store with :func:`open_from_cli`::

    from sotegraph.cli._options import EndpointOpt, StoreOpt, open_from_cli

    @app.command()
    def mine(store: StoreOpt = None, endpoint: EndpointOpt = None) -> None:
        backend = open_from_cli(store, endpoint, read_only=True, existing=True)

Which commands take which: ``build`` and ``explain`` take
``--store``/``--endpoint``/``--timeout`` (``build`` also ``--update-endpoint``), ``query``,
``sparql``, ``network``, ``overlap``, ``view``, ``info`` and ``validate``
``--store``/``--endpoint`` (every command that reads a store), ``snapshot`` and ``serve``
``--store`` only (they work on the folder itself); ``remove`` and ``changes`` take every
remote option and, as before, also read them from ``SOTEGRAPH_*`` environment variables (the
``*EnvOpt`` aliases). Every command that reads an endpoint waits ``SOTEGRAPH_TIMEOUT`` seconds (default
60) for each request unless ``--timeout`` says otherwise. The password is best given in
``SOTEGRAPH_PASSWORD`` (a command-line argument is visible to other users in the process
list).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sotegraph.errors import SotegraphError

if TYPE_CHECKING:  # imported when used: a command that prints what it has opens no store
    from rich.console import Console

    from sotegraph.store import Store

__all__ = [
    "EndpointEnvOpt",
    "EndpointOpt",
    "GspEndpointOpt",
    "InsecureOpt",
    "LimitOpt",
    "PasswordOpt",
    "StoreDirOpt",
    "StoreOpt",
    "TimeoutOpt",
    "UpdateEndpointEnvOpt",
    "UpdateEndpointOpt",
    "UserOpt",
    "fail",
    "open_from_cli",
    "store_unusable",
    "timeout_from_env",
]


@cache
def _console() -> Console:
    """The console on stderr for error lines (rich is imported when one is printed)."""
    from rich.console import Console

    return Console(stderr=True)


DEFAULT_TIMEOUT = 60.0
TIMEOUT_ENV = "SOTEGRAPH_TIMEOUT"

_STORE_HELP = "Embedded store folder (sotegraph build writes one)."


def _endpoint(envvar: str | None = None) -> Any:
    return typer.Option(
        "--endpoint",
        help="Remote SPARQL 1.1 query URL, e.g. http://localhost:7878/query (Oxigraph server).",
        envvar=envvar,
    )


def _update_endpoint(envvar: str | None = None) -> Any:
    return typer.Option(
        "--update-endpoint",
        help="Remote SPARQL update URL (default: …/query → …/update, else the query URL).",
        envvar=envvar,
    )


StoreOpt = Annotated[Path | None, typer.Option("--store", help=_STORE_HELP)]
StoreDirOpt = Annotated[Path, typer.Option("--store", help=_STORE_HELP)]
"""``--store`` that must be given (``info``, ``snapshot``)."""
EndpointOpt = Annotated[str | None, _endpoint()]
UpdateEndpointOpt = Annotated[str | None, _update_endpoint()]
EndpointEnvOpt = Annotated[str | None, _endpoint("SOTEGRAPH_ENDPOINT")]
UpdateEndpointEnvOpt = Annotated[str | None, _update_endpoint("SOTEGRAPH_UPDATE_ENDPOINT")]
GspEndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--gsp-endpoint",
        help="Graph Store Protocol URL (default: …/query → …/store; '' for SPARQL only).",
        envvar="SOTEGRAPH_GSP_ENDPOINT",
    ),
]
UserOpt = Annotated[
    str | None,
    typer.Option("--user", help="User name for the remote endpoint.", envvar="SOTEGRAPH_USER"),
]
PasswordOpt = Annotated[
    str | None,
    typer.Option(
        "--password",
        help="Password for the remote endpoint (prefer the SOTEGRAPH_PASSWORD variable).",
        envvar="SOTEGRAPH_PASSWORD",
        show_envvar=True,
    ),
]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        help=f"Seconds to wait for each remote request (default {DEFAULT_TIMEOUT:g}).",
        envvar=TIMEOUT_ENV,
        show_envvar=True,
    ),
]
"""``--timeout``, also from ``SOTEGRAPH_TIMEOUT``; ``None`` (not given): see :func:`timeout_from_env`."""
InsecureOpt = Annotated[
    bool,
    typer.Option("--insecure", help="Do not verify the remote server's TLS certificate."),
]
LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=0,
        help="Print at most N rows (0: all). Default: 50 for the table, all for the other formats.",
    ),
]
"""``--limit`` of the commands that print rows (``query``, ``sparql``)."""


def fail(message: str, *, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on stderr and return the :class:`typer.Exit` to raise.

    One line, however long; a full disk that the message tells of only in the system's
    words gets what to do added (:func:`~sotegraph.store.oserrors.with_disk_hint`).
    """
    from rich.markup import escape

    from sotegraph.store.oserrors import with_disk_hint

    _console().print(f"[red]error:[/red] {escape(with_disk_hint(message))}", soft_wrap=True)
    return typer.Exit(code)


def parse_weights(weights: list[str] | None, *, example: str) -> dict[str, float]:
    """``--weight KIND=NUMBER`` options (repeatable, comma-separated) as a dictionary.

    >>> parse_weights(["text=2,places=0", "Time=1.5"], example="text=2")
    {'text': 2.0, 'places': 0.0, 'time': 1.5}
    """
    parsed: dict[str, float] = {}
    for item in weights or []:
        for part in item.split(","):
            key, sep, value = part.partition("=")
            try:
                if not sep:
                    raise ValueError(part)
                parsed[key.strip().lower()] = float(value)
            except ValueError:
                raise fail(f"--weight {part!r}: write KIND=NUMBER, e.g. {example}") from None
    return parsed


def open_from_cli(
    store: Path | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
    *,
    gsp_endpoint: str | None = None,
    timeout: float | None = None,
    insecure: bool = False,
    read_only: bool = False,
    required: bool = False,
    existing: bool = False,
    endpoint_wins: bool = False,
) -> Store:
    """Open the store the command-line options name, or exit with code 2 and a message.

    ``--store DIR`` opens the embedded store in a folder, ``--endpoint URL`` a remote SPARQL
    endpoint, neither a store in memory.

    Parameters
    ----------
    timeout:
        Seconds to wait for each request to ``--endpoint``; ``None``: the
        ``SOTEGRAPH_TIMEOUT`` variable, else 60 (every command that reads an endpoint honours
        the variable; ``build``, ``explain``, ``remove`` and ``changes`` also take
        ``--timeout``).
    read_only:
        Open the folder read-only.
    required:
        One of ``--store`` and ``--endpoint`` must be given (``remove``, ``changes``).
    existing:
        The ``--store`` folder must exist already (it is not created).
    endpoint_wins:
        ``--endpoint`` overrides ``--store`` and a lone ``--update-endpoint`` is ignored, as
        ``build`` and ``explain`` have always done; otherwise both are usage errors.

    Raises
    ------
    typer.Exit
        With code 2 when the options conflict or the store cannot be opened.

    Examples
    --------
    >>> open_from_cli().graph_names()
    []
    """
    if required and store is None and not endpoint:
        raise fail("give --store DIR or --endpoint URL")
    if endpoint_wins:
        store, update_endpoint = (None, update_endpoint) if endpoint else (store, None)
    if store is not None and endpoint:
        raise fail("give either --store or --endpoint, not both")
    if endpoint is None and (update_endpoint or user or gsp_endpoint):
        raise fail("--update-endpoint/--user/--gsp-endpoint need --endpoint")
    if timeout is not None and not timeout > 0:
        raise fail(f"--timeout {timeout:g}: give the seconds to wait, e.g. 120")
    from sotegraph.store import open_store

    try:
        if endpoint:
            from sotegraph.store.remote import RemoteStore

            return RemoteStore(
                endpoint,
                update_endpoint=update_endpoint,
                gsp_endpoint=gsp_endpoint,
                user=user,
                password=password,
                timeout=timeout_from_env() if timeout is None else timeout,
                verify_tls=not insecure,
            )
        if existing and store is not None and not store.is_dir():
            raise SotegraphError(
                f"no store at {store} (build one: sotegraph build PATH --store DIR)"
            )
        return open_store(store, read_only=read_only)
    except SotegraphError as exc:
        raise fail(str(exc)) from exc


def timeout_from_env() -> float:
    """Seconds per remote request: ``SOTEGRAPH_TIMEOUT`` if set, else 60.

    Raises
    ------
    typer.Exit
        With code 2 when the variable is not a positive number.

    Examples
    --------
    >>> timeout_from_env() > 0
    True
    """
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise fail(f"{TIMEOUT_ENV}={text!r}: give the seconds to wait, e.g. 120")
    return seconds


def store_unusable(exc: BaseException) -> bool:
    """Whether an error means the store cannot be used (exit code 2), not that it rejected one
    request: an endpoint that refuses, does not answer, drops the connection or is no SPARQL
    endpoint (:class:`~sotegraph.store.remote.EndpointError`), or a full disk, anywhere in
    the chain of causes.

    Examples
    --------
    >>> from sotegraph.errors import QueryError
    >>> store_unusable(QueryError("the query failed: SPARQL syntax error"))
    False
    """
    from sotegraph.store.oserrors import disk_problem
    from sotegraph.store.remote import EndpointError

    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, EndpointError):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return disk_problem(exc) is not None

"""The store options the commands share, and the one function that opens a store from them.

Every command that reads or writes a store declares its options with these ``Annotated``
aliases and opens the store with :func:`open_from_cli`::

    from sotegraph.cli._options import EndpointOpt, StoreOpt, open_from_cli

    @app.command()
    def mine(store: StoreOpt = None, endpoint: EndpointOpt = None) -> None:
        backend = open_from_cli(store, endpoint, read_only=True, existing=True)

A command keeps the options it has always had (no command gained one in the move here):
``build`` and ``explain`` take ``--store``/``--endpoint`` (``build`` also
``--update-endpoint``), ``query``, ``network``, ``overlap`` and ``view`` ``--store``/
``--endpoint``, ``info``, ``validate`` and ``snapshot`` ``--store``; ``remove`` and
``changes`` take every remote option and, as before, also read them from ``SOTEGRAPH_*``
environment variables (the ``*EnvOpt`` aliases). The password is best given in
``SOTEGRAPH_PASSWORD`` (a command-line argument is visible to other users in the process
list).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from sotegraph.errors import SotegraphError
from sotegraph.store import Store, open_store
from sotegraph.store.remote import RemoteStore

__all__ = [
    "EndpointEnvOpt",
    "EndpointOpt",
    "GspEndpointOpt",
    "InsecureOpt",
    "PasswordOpt",
    "StoreDirOpt",
    "StoreOpt",
    "TimeoutOpt",
    "UpdateEndpointEnvOpt",
    "UpdateEndpointOpt",
    "UserOpt",
    "fail",
    "open_from_cli",
]

console = Console(stderr=True)

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
    float, typer.Option("--timeout", help="Seconds to wait for each remote request.")
]
InsecureOpt = Annotated[
    bool,
    typer.Option("--insecure", help="Do not verify the remote server's TLS certificate."),
]


def fail(message: str, *, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on stderr and return the :class:`typer.Exit` to raise."""
    console.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(code)


def open_from_cli(
    store: Path | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
    *,
    gsp_endpoint: str | None = None,
    timeout: float = 60.0,
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
    try:
        if endpoint:
            return RemoteStore(
                endpoint,
                update_endpoint=update_endpoint,
                gsp_endpoint=gsp_endpoint,
                user=user,
                password=password,
                timeout=timeout,
                verify_tls=not insecure,
            )
        if existing and store is not None and not store.is_dir():
            raise SotegraphError(
                f"no store at {store} (build one: sotegraph build PATH --store DIR)"
            )
        return open_store(store, read_only=read_only)
    except SotegraphError as exc:
        raise fail(str(exc)) from exc

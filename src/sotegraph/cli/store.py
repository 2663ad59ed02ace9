"""Store commands (``sotegraph remove``, ``sotegraph changes``, ``sotegraph snapshot``) and the
shared store options every command can use.

Other commands take the same options with the ``Annotated`` aliases below and open the
store with :func:`open_from_cli`::

    from sotegraph.cli.store import (
        EndpointOpt, PasswordOpt, StoreOpt, UpdateEndpointOpt, UserOpt, open_from_cli)

    @app.command()
    def mine(store: StoreOpt = None, endpoint: EndpointOpt = None,
             update_endpoint: UpdateEndpointOpt = None, user: UserOpt = None,
             password: PasswordOpt = None) -> None:
        backend = open_from_cli(store, endpoint, update_endpoint, user, password)

The password is best given in the ``SOTEGRAPH_PASSWORD`` environment variable (a command-line
argument is visible to other users in the process list).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sotegraph.cli import app
from sotegraph.errors import SotegraphError
from sotegraph.store import Store, open_store

__all__ = [
    "EndpointOpt",
    "PasswordOpt",
    "StoreOpt",
    "UpdateEndpointOpt",
    "UserOpt",
    "open_from_cli",
]

console = Console(stderr=True)
out = Console()

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store", help="Embedded store folder (persists); none and no --endpoint: memory."
    ),
]
EndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        help="Remote SPARQL 1.1 query URL, e.g. http://localhost:7878/query (Oxigraph server).",
        envvar="SOTEGRAPH_ENDPOINT",
    ),
]
UpdateEndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--update-endpoint",
        help="Remote SPARQL update URL (default: …/query → …/update, else the query URL).",
        envvar="SOTEGRAPH_UPDATE_ENDPOINT",
    ),
]
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
) -> Store:
    """Open the store the command-line options name, or exit with code 2 and a message.

    ``--store DIR`` opens the embedded store in a folder, ``--endpoint URL`` a remote SPARQL
    endpoint, neither a store in memory. Both at once is a usage error.

    Raises
    ------
    typer.Exit
        With code 2 when the options conflict or the store cannot be opened.

    Examples
    --------
    >>> open_from_cli().graph_names()
    []
    """
    if store is not None and endpoint:
        console.print("[red]error:[/red] give either --store or --endpoint, not both")
        raise typer.Exit(2)
    if endpoint is None and (update_endpoint or user or gsp_endpoint):
        console.print("[red]error:[/red] --update-endpoint/--user/--gsp-endpoint need --endpoint")
        raise typer.Exit(2)
    try:
        if endpoint:
            from sotegraph.store.remote import RemoteStore

            return RemoteStore(
                endpoint,
                update_endpoint=update_endpoint,
                gsp_endpoint=gsp_endpoint,
                user=user,
                password=password,
                timeout=timeout,
                verify_tls=not insecure,
            )
        return open_store(store, read_only=read_only)
    except SotegraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


@app.command()
def remove(
    documents: Annotated[
        list[str],
        typer.Argument(help="Documents to remove: source path, sha256 or document graph IRI."),
    ],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 60.0,
    insecure: InsecureOpt = False,
) -> None:
    """Remove documents' named graphs (and their manifest entries) from a store.

    Only those graphs go: facts about the same projects and organisations that other
    documents state stay. Exit code 0 when all were removed, 1 when some were not in the
    store, 2 on usage or store errors.
    """
    from sotegraph.builder import KnowledgeGraph

    if store is None and not endpoint:
        console.print("[red]error:[/red] give --store DIR or --endpoint URL")
        raise typer.Exit(2)
    backend = open_from_cli(
        store,
        endpoint,
        update_endpoint,
        user,
        password,
        gsp_endpoint=gsp_endpoint,
        timeout=timeout,
        insecure=insecure,
    )
    kg = KnowledgeGraph(backend)
    missing = 0
    try:
        for doc in documents:
            if kg.remove_document(doc):
                out.print(f"removed {doc}")
            else:
                console.print(f"[yellow]not in the store:[/yellow] {doc}")
                missing += 1
    except SotegraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        kg.close()
    raise typer.Exit(1 if missing else 0)


@app.command()
def changes(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to compare.")],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 60.0,
    insecure: InsecureOpt = False,
) -> None:
    """List which files are new, changed, unchanged or removed compared with the store.

    Exit code 0 when the store is up to date, 1 when a build would change it.
    """
    from sotegraph.builder import KnowledgeGraph

    if store is None and not endpoint:
        console.print("[red]error:[/red] give --store DIR or --endpoint URL")
        raise typer.Exit(2)
    backend = open_from_cli(
        store,
        endpoint,
        update_endpoint,
        user,
        password,
        gsp_endpoint=gsp_endpoint,
        timeout=timeout,
        insecure=insecure,
        read_only=store is not None,
    )
    kg = KnowledgeGraph(backend)
    try:
        result = kg.changes(paths)
    except SotegraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        kg.close()
    for status, items in result.items():
        for item in items:
            typer.echo(f"{status}\t{item}")  # one line each, tab-separated, for scripts
    counts = ", ".join(f"{len(items)} {status}" for status, items in result.items())
    console.print(counts)
    raise typer.Exit(1 if result.pending else 0)


@app.command()
def snapshot(
    store: Annotated[Path, typer.Option("--store", help="The store folder to copy.")],
    target: Annotated[Path, typer.Argument(help="New folder for the consistent copy.")],
) -> None:
    """Copy an on-disk store to a new folder in a consistent state (readers can use the copy
    while a build keeps writing the original; run it from the writing process's machine
    when no build holds the lock, or use it between builds)."""
    from sotegraph.store import OxigraphStore

    backend = open_from_cli(store)
    try:
        if not isinstance(backend, OxigraphStore):
            console.print("[red]error:[/red] only an embedded store folder can be snapshotted")
            raise typer.Exit(2)
        copy = backend.snapshot(target)
        out.print(f"snapshot of {len(copy)} quads in {target}")
        copy.close()
    except SotegraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        backend.close()

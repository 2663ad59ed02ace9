"""Store commands: ``sotegraph remove``, ``sotegraph changes`` and ``sotegraph snapshot``.

They take the shared store options of :mod:`sotegraph.cli._options` (``remove`` and
``changes`` every remote option, also from ``SOTEGRAPH_*`` environment variables).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sotegraph.cli import app
from sotegraph.cli._options import (
    EndpointEnvOpt,
    GspEndpointOpt,
    InsecureOpt,
    PasswordOpt,
    StoreDirOpt,
    StoreOpt,
    TimeoutOpt,
    UpdateEndpointEnvOpt,
    UserOpt,
    fail,
    open_from_cli,
)
from sotegraph.errors import SotegraphError

console = Console(stderr=True)
out = Console()


@app.command()
def remove(
    documents: Annotated[
        list[str],
        typer.Argument(help="Documents to remove: source path, sha256 or document graph IRI."),
    ],
    store: StoreOpt = None,
    endpoint: EndpointEnvOpt = None,
    update_endpoint: UpdateEndpointEnvOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = None,
    insecure: InsecureOpt = False,
) -> None:
    """Remove documents' named graphs (and their manifest entries) from a store.

    Only those graphs go: facts about the same projects and organisations that other
    documents state stay. Exit code 0 when all were removed, 1 when some were not in the
    store, 2 on usage or store errors.
    """
    from sotegraph.builder import KnowledgeGraph

    backend = open_from_cli(
        store,
        endpoint,
        update_endpoint,
        user,
        password,
        gsp_endpoint=gsp_endpoint,
        timeout=timeout,
        insecure=insecure,
        required=True,
    )
    missing = 0
    with KnowledgeGraph(backend) as kg:
        for doc in documents:
            try:
                removed = kg.remove_document(doc)
            except SotegraphError as exc:
                raise fail(str(exc)) from exc
            if removed:
                out.print(f"removed {doc}")
            else:
                console.print(f"[yellow]not in the store:[/yellow] {doc}")
                missing += 1
    raise typer.Exit(1 if missing else 0)


@app.command()
def changes(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to compare.")],
    store: StoreOpt = None,
    endpoint: EndpointEnvOpt = None,
    update_endpoint: UpdateEndpointEnvOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = None,
    insecure: InsecureOpt = False,
) -> None:
    """List which files are new, changed, unchanged or removed compared with the store.

    Exit code 0 when the store is up to date, 1 when a build would change it.
    """
    from sotegraph.builder import KnowledgeGraph

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
        required=True,
    )
    with KnowledgeGraph(backend) as kg:
        try:
            result = kg.changes(paths)
        except SotegraphError as exc:
            raise fail(str(exc)) from exc
    for status, items in result.items():
        for item in items:
            typer.echo(f"{status}\t{item}")  # one line each, tab-separated, for scripts
    console.print(", ".join(f"{len(items)} {status}" for status, items in result.items()))
    raise typer.Exit(1 if result.pending else 0)


@app.command()
def snapshot(
    store: StoreDirOpt,
    target: Annotated[Path, typer.Argument(help="New folder for the consistent copy.")],
) -> None:
    """Copy an on-disk store to a new folder in a consistent state (readers can use the copy
    while a build keeps writing the original; run it from the writing process's machine
    when no build holds the lock, or use it between builds)."""
    with open_from_cli(store) as backend:
        try:
            copy = backend.snapshot(target)
        except SotegraphError as exc:
            raise fail(str(exc)) from exc
        out.print(f"snapshot of {len(copy)} quads in {target}")
        copy.close()

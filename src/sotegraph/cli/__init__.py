"""The ``sotegraph`` command line: thin typer commands over the library functions.

Exit codes: 0 fine; 1 findings (SHACL violations, or documents that failed in a batch
that otherwise built); 2 usage errors or nothing readable.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="sotegraph",
    help="Knowledge graph of Finnish sote development projects.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module registers its commands on ``app`` when imported.
_COMMAND_MODULES = (
    "build",
    "query",
    "validate",
    "resolve",
    "network",
    "evaluate",
    "store",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"sotegraph.cli.{_name}")


def main() -> None:
    """Entry point of the ``sotegraph`` script."""
    app()

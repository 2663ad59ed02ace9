"""The ``sotegraph`` command line: thin typer commands over the library functions.

Exit codes: 0 fine; 1 findings (SHACL violations, or documents that failed in a batch
that otherwise built); 2 usage errors, nothing readable, or a store, endpoint or disk that
failed.

No command ends in a Python traceback. A :class:`~sotegraph.errors.SotegraphError` or an
error of the operating system (a full disk, a file that cannot be written) that a command
does not handle itself becomes one ``error: …`` line and exit code 2 (:class:`_Commands`);
anything else is an internal error, reported as one line with a request to report it
(:func:`main`). ``SOTEGRAPH_DEBUG=1`` shows the traceback instead.
"""

from __future__ import annotations

import errno
import importlib
import io
import os
import stat
import sys
from difflib import get_close_matches
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_command_name

from sotegraph.errors import SotegraphError

_DEBUG = "SOTEGRAPH_DEBUG"


def _debug() -> bool:
    return os.environ.get(_DEBUG, "").strip() not in {"", "0"}


def error_message(exc: BaseException) -> str:
    """The one-line message for an error a command did not handle.

    A full disk, a used-up quota or a file size limit is said in words wherever it came from.

    Examples
    --------
    >>> import errno
    >>> error_message(OSError(errno.EACCES, "Permission denied", "out.csv"))
    'Permission denied: out.csv'
    >>> from sotegraph.errors import StoreError
    >>> error_message(StoreError("no store at kg"))
    'no store at kg'
    """
    from sotegraph.store.oserrors import os_error_message, with_disk_hint

    if isinstance(exc, OSError):
        return os_error_message(exc)
    return with_disk_hint(str(exc) or type(exc).__name__)


_STDOUT = "the standard output"
_reported: list[str] = []  # the error lines printed by this process


def _print_error(message: str) -> None:
    from sotegraph.cli._options import fail

    _reported.append(message)
    fail(message)


class _CheckedFile(io.RawIOBase):
    """A file descriptor that writes everything or raises.

    Python's own standard output loses what does not fit when the disk fills (a partial
    write, then the rest dropped without an error); this one keeps writing until all is
    written, so a full disk is an :class:`OSError` (``ENOSPC``, ``EFBIG``).
    """

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        try:
            while done < len(view):
                done += os.write(self._fd, view[done:])
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, _STDOUT) from None
        return done


def _check_stdout() -> None:
    """Send standard output through :class:`_CheckedFile` when it is a file on a disk."""
    try:
        fd = sys.stdout.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return  # a terminal or a pipe: as it is
    except (AttributeError, OSError, ValueError):
        return  # replaced (tests) or closed
    sys.stdout.flush()
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_CheckedFile(fd)),
        encoding=sys.stdout.encoding,
        errors=sys.stdout.errors,
        line_buffering=bool(sys.stdout.line_buffering),
    )


#: Every command: the module (``sotegraph/cli/<module>.py``) that registers it on :data:`app`
#: when imported, and its one-line help, which ``sotegraph --help`` lists without importing
#: the module (the first paragraph of the command's docstring, on one line; a test checks
#: that this table and the modules agree). A new command: write the module, then add one line
#: here.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": (
        "build",
        "Read files, extract facts, validate and store them as one named graph per document.",
    ),
    "info": (
        "build",
        "Show what a store (--store or --endpoint) holds: documents, counts of resources and "
        "triples.",
    ),
    "query": (
        "query",
        "Run a named query (queries/NAME.rq) with bound parameters, or list them.",
    ),
    "validate": (
        "validate",
        "Validate against the SHACL shapes; results grouped by source document and severity.",
    ),
    "resolve-report": (
        "resolve",
        "Extract the given files, resolve them together and print the resolution report.",
    ),
    "network": (
        "network",
        "Write the co-participation, overlap or bipartite network (GraphML, GEXF, Cytoscape.js "
        "JSON, node-link JSON, CSV or HTML), whole or a subset. Exit 0 on success, 2 on usage "
        "errors (an --around name that fits several nodes lists them).",
    ),
    "overlap": (
        "network",
        "Rank project pairs by their combined overlap (Jaccard per kind, weighted mean), over "
        "all projects or those of a region, county, theme, period or the sote projects.",
    ),
    "view": (
        "network",
        "Write a self-contained interactive HTML view (opens offline; nothing is fetched), of "
        "the whole network or a subset. Exit 2 on usage errors (an --around name that fits "
        "several nodes lists them).",
    ),
    "evaluate": (
        "evaluate",
        "Extract the corpus and print precision, recall and F1 per fact type and per genre, "
        "with every miss and false hit, and count the gold's personal-data strings in the "
        "graph built without personal data. With ``--relevance``, print the precision and "
        "recall of *sote* of the sote-relevance classifier on labelled listed projects.",
    ),
    "explain": (
        "evaluate",
        "Show the sentences a fact came from (participation nodes with sg:sentence and "
        "prov:wasDerivedFrom).",
    ),
    "remove": (
        "store",
        "Remove documents' named graphs (and their manifest entries) from a store.",
    ),
    "changes": (
        "store",
        "List which files are new, changed, unchanged or removed compared with the store.",
    ),
    "snapshot": (
        "store",
        "Copy an on-disk store to a new folder in a consistent state (readers can use the copy "
        "while a build keeps writing the original; run it from the writing process's machine "
        "when no build holds the lock, or use it between builds).",
    ),
    "sparql": (
        "sparql",
        "Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query read-only (updates refused).",
    ),
    "serve": (
        "serve",
        "Serve a store read-only as a SPARQL endpoint (the Oxigraph server) until Ctrl-C.",
    ),
    "map": (
        "report",
        "Write a self-contained map page (offline): projects and funding by wellbeing county, "
        "region or municipality. Exit 0 on success, 2 on usage errors or a store that fails.",
    ),
    "report": (
        "report",
        "Write one self-contained HTML report (offline): map, charts over time, top "
        "organisations and their network. Exit 0 on success, 2 on usage errors or a store "
        "that fails.",
    ),
    "similar": (
        "similar",
        "Rank the projects most similar to a TEXT, a --file or a --project, and say why.",
    ),
}


def load_command_module(module: str) -> None:
    """Import ``sotegraph.cli.<module>``, which registers its commands on :data:`app`."""
    importlib.import_module(f"sotegraph.cli.{module}")


class _Commands(TyperGroup):
    """The command group: loads a command's module when that command runs (:data:`COMMANDS`),
    and turns errors a command leaves unhandled into ``error: …`` and exit code 2.

    The group's own help lists the commands from :data:`COMMANDS` without importing any
    module; ``sotegraph NAME`` (and ``sotegraph NAME --help``) imports only NAME's module.
    """

    _listing = False  # while the group's own help is written

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if command is not None or cmd_name not in COMMANDS:
            return command
        module, short = COMMANDS[cmd_name]
        if self._listing:  # the group's help: the table's line, no import
            return TyperCommand(cmd_name, help=short)
        load_command_module(module)
        self._add_registered()
        return self.commands.get(cmd_name)

    def _add_registered(self) -> None:
        """Add the commands registered on :data:`app` since this group was made."""
        for info in app.registered_commands:
            name = info.name or get_command_name(getattr(info.callback, "__name__", ""))
            if name and name not in self.commands:
                self.add_command(
                    get_command_from_info(
                        info,
                        pretty_exceptions_short=app.pretty_exceptions_short,
                        rich_markup_mode=app.rich_markup_mode,
                    )
                )

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            # a bool, as the flag gives one: typer then converts nothing, and no command
            # imports pydantic (typer's converter) for the group's --help it does not give
            option.default = False
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args[:1] == ["network"]:
            # its common form without the full command's start-up (its module's docstring)
            from sotegraph.cli._network_plain import plain_command

            plain = plain_command(args[1:])
            if plain is not None:
                return "network", plain, []
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:  # click's UsageError (which click: typer's own, or click)
            message = getattr(exc, "message", None)
            if args and isinstance(message, str) and "Did you mean" not in message:
                close = get_close_matches(args[0], self.list_commands(ctx))
                if close:
                    said = ", ".join(repr(m) for m in close)
                    exc.message = f"{message.rstrip('.')}. Did you mean {said}?"  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:  # typer's own click Context
        try:
            return super().invoke(ctx)
        except SotegraphError as exc:
            if _debug():
                raise
            _print_error(error_message(exc))
            raise typer.Exit(2) from exc
        except OSError as exc:
            if exc.errno == errno.EPIPE or _debug():
                raise  # a closed pipe (``| head``) is click's to handle quietly
            _print_error(error_message(exc))
            raise typer.Exit(2) from exc


def _root() -> None:
    """Knowledge graph of Finnish sote development projects."""


app = typer.Typer(
    name="sotegraph",
    help="Knowledge graph of Finnish sote development projects.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_Commands,
    callback=_root,  # a group even before any command module is imported
)


def main() -> None:
    """Entry point of the ``sotegraph`` script.

    Exits with the command's code; an unexpected exception is an internal error: one
    ``error:`` line asking to report it (the traceback with ``SOTEGRAPH_DEBUG=1``), code 2.
    Output that cannot be written (standard output on a full disk) is an error too.
    """
    code: Any = 0
    _check_stdout()
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:
        if _debug():
            raise
        _print_error(
            f"internal error ({type(exc).__name__}: {exc}); please report it with the command "
            f"you ran ({_DEBUG}=1 shows the traceback)"
        )
        code = 2
    try:
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno != errno.EPIPE:  # a closed pipe (``| head``) is no error
            exc.filename = exc.filename or _STDOUT
            if not _reported:  # a command's own write failed the same way: said already
                _print_error(error_message(exc))
            code = 2
        # the interpreter flushes once more at exit: let that go nowhere, not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(code)

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
from typing import Any

import typer
from typer.core import TyperGroup

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


class _Commands(TyperGroup):
    """The command group: errors a command leaves unhandled become ``error: …`` and exit 2."""

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


app = typer.Typer(
    name="sotegraph",
    help="Knowledge graph of Finnish sote development projects.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_Commands,
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
    "sparql",
    "serve",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"sotegraph.cli.{_name}")


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

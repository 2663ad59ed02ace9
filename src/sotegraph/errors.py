"""Exception hierarchy of sotegraph.

Every error raised by sotegraph derives from :class:`SotegraphError`. Third-party
exceptions are wrapped at the boundary with ``raise ... from``.

Examples
--------
>>> from sotegraph.errors import InputError
>>> err = InputError("amount is not a number", file="a.txt", line=12, expected="digits, e.g. 208 856")
>>> str(err)
'a.txt:12: amount is not a number (expected digits, e.g. 208 856)'
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "DocumentTooLargeError",
    "InputError",
    "QueryError",
    "ResolutionError",
    "SotegraphError",
    "StoreError",
    "UnsupportedFormatError",
    "UsageError",
    "ValidationError",
    "ValueFormatError",
]


class SotegraphError(Exception):
    """Root of every error sotegraph raises."""


class InputError(SotegraphError):
    """A file or text could not be read or parsed.

    Parameters
    ----------
    message:
        What is wrong.
    file:
        The file it was read from, if any.
    line:
        1-based line number, if known.
    expected:
        What would have been right.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        expected: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.expected = expected
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        tail = f" (expected {self.expected})" if self.expected else ""
        return f"{where}{self.message}{tail}"


class ValueFormatError(InputError, ValueError):
    """A value (an amount of money, a date) is not written in a form sotegraph reads.

    Also a :class:`ValueError`, as the value parsers of :mod:`sotegraph.values` always raised.
    """


class UnsupportedFormatError(InputError):
    """The file is of a format sotegraph does not read."""


class DocumentTooLargeError(InputError):
    """A document is over one of its reader's limits (:class:`sotegraph.read.ReadLimits`).

    The size of its file, the length of its text or the nesting depth of its HTML; the message
    names the measure, the limit and how to raise it. A build reports the document as failed
    and goes on with the others.
    """


class QueryError(SotegraphError):
    """A named query is unknown, does not parse, or was given bad parameters."""


class ValidationError(SotegraphError):
    """Raised by :meth:`ValidationReport.raise_for_results` when a graph has violations."""


class StoreError(SotegraphError):
    """A store could not be opened, written or queried."""


class ResolutionError(SotegraphError):
    """Reference data for resolution is missing or inconsistent."""


class UsageError(SotegraphError, ValueError, TypeError):
    """A function was called with an argument outside its choices (a value or a type).

    Also a :class:`ValueError` and a :class:`TypeError`, so code written against the plain
    built-in errors keeps catching it.
    """

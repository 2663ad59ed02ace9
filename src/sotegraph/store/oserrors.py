"""Failures of the file system (a full disk, a used-up quota, a file size limit) as messages.

A store or a writer that meets one says so in words (what happened, where, what to do)
instead of passing on the library's text, e.g. RocksDB's ``IO error: While appending to
file: …/000008.log: No space left on device``. RocksDB reports the operating system's error
only as text, so the cause is recognised by its ``errno`` where there is one and by the
system's own wording (:func:`os.strerror`) otherwise.

Examples
--------
>>> import errno
>>> disk_problem(OSError(errno.ENOSPC, "No space left on device"))
'the disk is full'
>>> disk_problem(OSError("IO error: While appending to file: /kg/000008.log: File too large"))
'a file size limit was reached'
>>> disk_problem(OSError(errno.EACCES, "Permission denied")) is None
True
"""

from __future__ import annotations

import errno
import os

from sotegraph.errors import StoreError

__all__ = ["disk_problem", "os_error_message", "store_error", "with_disk_hint"]

_PROBLEMS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "a file size limit was reached",
}
_TEXTS = {os.strerror(code): what for code, what in _PROBLEMS.items()}
_TEXTS |= {"No space left on device": "the disk is full", "File too large": _PROBLEMS[errno.EFBIG]}
_WHAT_TO_DO = {
    "the disk is full": "free some space or use another disk, then run the command again",
    "the disk quota is used up": "free some space, then run the command again",
    "a file size limit was reached": "raise the limit (ulimit -f), then run the command again",
}


def disk_problem(exc: BaseException | None) -> str | None:
    """What ran out, if ``exc`` or an error it came from is a full disk, quota or size limit.

    The chain of causes (``raise … from``) and contexts is followed, so a
    :class:`~sotegraph.errors.StoreError` wrapping RocksDB's error is recognised too.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _PROBLEMS:
            return _PROBLEMS[exc.errno]
        text = str(exc)
        for words, what in _TEXTS.items():
            if words in text:
                return what
        exc = exc.__cause__ or exc.__context__
    return None


def os_error_message(exc: OSError) -> str:
    """A one-line message for an error of the operating system, with what to do.

    Examples
    --------
    >>> import errno
    >>> os_error_message(OSError(errno.ENOSPC, "No space left on device", "out/x.graphml"))
    'cannot write out/x.graphml: the disk is full (free some space or use another disk, then run the command again)'
    >>> os_error_message(PermissionError(errno.EACCES, "Permission denied", "/kg"))
    'Permission denied: /kg'
    """
    where = exc.filename if exc.filename is not None else None
    problem = disk_problem(exc)
    if problem is not None:
        target = f"cannot write {where}" if where is not None else "cannot write"
        return f"{target}: {problem} ({_WHAT_TO_DO[problem]})"
    text = exc.strerror or str(exc) or type(exc).__name__
    return f"{text}: {where}" if where is not None else text


def store_error(message: str, exc: BaseException) -> StoreError:
    """A :class:`StoreError` for ``message``: a full disk said in words, else the error's text.

    Examples
    --------
    >>> str(store_error("could not write the store at kg", OSError("IO error: x: File too large")))
    'could not write the store at kg: a file size limit was reached (raise the limit (ulimit -f), then run the command again)'
    >>> str(store_error("query failed", RuntimeError("boom")))
    'query failed: boom'
    """
    problem = disk_problem(exc)
    if problem is None:
        text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return StoreError(f"{message}: {text}")
    return StoreError(f"{message}: {problem} ({_WHAT_TO_DO[problem]})")


def with_disk_hint(message: str) -> str:
    """``message``, with what ran out and what to do when it tells of a full disk in the
    system's words only (an error passed on as text, e.g. ``cannot write x: [Errno 28] No
    space left on device``).

    Examples
    --------
    >>> with_disk_hint("cannot write n.gexf: [Errno 27] File too large")
    'cannot write n.gexf: [Errno 27] File too large (a file size limit was reached: raise the limit (ulimit -f), then run the command again)'
    >>> with_disk_hint("no store at kg")
    'no store at kg'
    """
    problem = disk_problem(Exception(message))
    if problem is None or problem in message:
        return message
    return f"{message} ({problem}: {_WHAT_TO_DO[problem]})"

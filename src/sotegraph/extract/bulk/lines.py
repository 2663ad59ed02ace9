"""Streaming a bulk list: its lines (a file is read line by line, its encoding detected from
its start, a line not in that encoding repaired), records (a quoted cell may span lines), the
header (a few lines of preamble above it are skipped), then the rows one at a time.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from sotegraph.errors import InputError
from sotegraph.extract.bulk.columns import read_layout
from sotegraph.extract.bulk.reader import _Reader
from sotegraph.extract.bulk.rows import BulkRow, RejectedRow
from sotegraph.read import Document, decode_text

__all__ = ["iter_bulk_rows"]

_RECORD_START = re.compile(r'\s*"?[A-Z]{1,3}\d{3,12}"?\s*[,;\t]')
_SURROGATE_RE = re.compile("[\udc80-\udcff]")

_MAX_PREAMBLE = 5  # lines above the header (a title, a note) that may be skipped
_MAX_RECORD_LINES = 20  # a quoted cell may span lines; give up on an open quote after this
_MAX_RECORD_CHARS = 100_000


def _text_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(line number, start offset, line)`` of a normalised text."""
    pos, n, size = 0, 1, len(text)
    while pos < size:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = size
        yield n, pos, text[pos:nl]
        pos, n = nl + 1, n + 1


def _detect_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(65536)
        more = fh.read(1)
    if more:
        cut = head.rfind(b"\n")
        if cut > 0:
            head = head[: cut + 1]
    _, encoding = decode_text(head, source=str(path))
    return encoding


def _file_lines(path: Path) -> Iterator[tuple[int, int, str]]:
    """Yield normalised lines of a file (offsets as in :func:`normalise_text` output)."""
    label = _detect_encoding(path)
    encoding = label.split("+")[0]
    try:
        codecs.lookup(encoding)
    except LookupError:
        # a repair the line-by-line reader cannot make (double-encoded UTF-8): read whole
        from sotegraph.read import read_document

        yield from _text_lines(read_document(path).text)
        return
    utf8 = encoding in {"utf-8", "utf-8-sig"}
    errors = "surrogateescape" if utf8 else "replace" if encoding == "cp1252" else "strict"
    pos, n = 0, 1
    try:
        with path.open("r", encoding=encoding, errors=errors, newline="") as fh:
            for raw in fh:
                line = raw.rstrip("\r\n")
                if n == 1:
                    line = line.lstrip("\ufeff")
                if not line.isascii():
                    if utf8 and _SURROGATE_RE.search(line):
                        # a line that is not UTF-8 in a file that starts as UTF-8: a
                        # Western single-byte line, as mixed exports have
                        raw_bytes = line.encode("utf-8", "surrogateescape")
                        line = raw_bytes.decode("cp1252", errors="replace")
                    line = unicodedata.normalize("NFC", line)
                yield n, pos, line
                pos += len(line) + 1
                n += 1
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot decode as {encoding}: {exc.reason}", file=path, line=n, expected="text"
        ) from exc


def _records(
    lines: Iterable[tuple[int, int, str]],
) -> Iterator[tuple[int, int, str, bool]]:
    """Join physical lines into records where a quoted cell spans lines.

    Yields ``(first line, start offset, record text, quote_open)``; ``quote_open`` is true
    when a quote was still open after the limits (the record is then the first line only).
    """
    it = iter(lines)
    pending: list[tuple[int, int, str]] = []
    while True:
        if pending:
            n, start, line = pending.pop(0)
        else:
            try:
                n, start, line = next(it)
            except StopIteration:
                return
        if line.count('"') % 2 == 0:
            yield n, start, line, False
            continue
        parts = [line]
        taken: list[tuple[int, int, str]] = []
        closed = False
        quotes = line.count('"')
        size = len(line)
        while len(taken) < _MAX_RECORD_LINES and size < _MAX_RECORD_CHARS:
            if pending:
                nxt = pending.pop(0)
            else:
                try:
                    nxt = next(it)
                except StopIteration:
                    break
            if _RECORD_START.match(nxt[2]):
                # the next line starts a new row: this line's quote is a stray one
                pending.insert(0, nxt)
                break
            taken.append(nxt)
            parts.append(nxt[2])
            size += len(nxt[2]) + 1
            quotes += nxt[2].count('"')
            if quotes % 2 == 0:
                closed = True
                break
        if closed:
            yield n, start, "\n".join(parts), False
        else:
            pending = taken + pending
            yield n, start, line, True


def _open_lines(
    source: str | os.PathLike[str] | Document,
) -> tuple[Iterator[tuple[int, int, str]], str]:
    if isinstance(source, Document):
        return _text_lines(source.text), source.source
    path = Path(source)
    try:
        if not path.is_file():
            raise InputError("no such file", file=path, expected="a CSV file")
    except OSError as exc:  # pragma: no cover - odd file systems
        raise InputError(f"file cannot be read: {exc}", file=path) from exc
    return _file_lines(path), str(path)


def _iter(
    lines: Iterator[tuple[int, int, str]], source: str
) -> tuple[_Reader | None, Iterator[BulkRow | RejectedRow]]:
    records = _records(lines)
    reader: _Reader | None = None
    skipped: list[int] = []
    first_error: InputError | None = None
    for n, _start, record, _open in records:
        if not record.strip():
            continue
        try:
            layout = read_layout(record, line=n, source=source)
        except InputError as exc:
            # a title or note above the header: look a few lines further, then give up
            first_error = first_error or exc
            skipped.append(n)
            if len(skipped) >= _MAX_PREAMBLE:
                raise first_error from None
            continue
        reader = _Reader(layout, source)
        reader.preamble = skipped
        break
    if reader is None:
        if first_error is not None:
            raise first_error
        return None, iter(())

    def rows(rd: _Reader) -> Iterator[BulkRow | RejectedRow]:
        for n, start, record, quote_open in records:
            item = rd.row(n, start, record, quote_open)
            if item is not None:
                yield item

    return reader, rows(reader)


def iter_bulk_rows(source: str | os.PathLike[str] | Document) -> Iterator[BulkRow | RejectedRow]:
    """Stream the rows of a bulk list, one at a time (for files of any size).

    Parameters
    ----------
    source:
        A CSV file path (read line by line; the encoding is detected from its start), or a
        :class:`~sotegraph.read.Document`.

    Yields
    ------
    BulkRow or RejectedRow
        A typed project row (with notes on repairs and unreadable cells), or a row that
        could not be read (with its line and why). Blank lines yield nothing.

    Raises
    ------
    InputError
        If the file cannot be read or its first line is not a bulk-list header.

    Examples
    --------
    >>> from sotegraph.read import Document
    >>> doc = Document.from_text("Koodi,Rahasto,Hankkeen nimi\\nS20001,ESR,A\\nS20001,ESR,B\\n",
    ...                          source="t.csv")
    >>> [type(r).__name__ for r in iter_bulk_rows(doc)]
    ['BulkRow', 'RejectedRow']
    """
    lines, name = _open_lines(source)
    _, rows = _iter(lines, name)
    yield from rows

"""Bytes to text: encoding detection, HTML pages and PDF files.

:func:`decode_text` turns the bytes of a text file into a string, detecting the encoding
(UTF-8 with or without BOM, UTF-16/32 with a BOM, UTF-16 without one, Windows-1252,
ISO-8859-1, and the old DOS and Mac code pages Finnish files still come in) and refusing, with a
message naming the file, what is binary or undecidable rather than guessing wrong silently.

Examples
--------
>>> decode_text("Päätoteuttaja: Keksitty Oy".encode("cp1252"))
('Päätoteuttaja: Keksitty Oy', 'iso-8859-1')
>>> decode_text("Kustannus 5 € – päällikkö".encode("cp1252"))
('Kustannus 5 € – päällikkö', 'cp1252')
>>> decode_text("Hankekoodi: S29999".encode("utf-16-le"))
('Hankekoodi: S29999', 'utf-16-le')
>>> sniff_format(b"%PDF-1.4 ...")
'PDF document'
"""

from __future__ import annotations

import codecs
import re

from sotegraph.errors import InputError

__all__ = ["decode_text", "sniff_format"]

_TEXT_EXPECTED = "UTF-8, UTF-16 or Windows-1252/ISO-8859-1 text"

# Magic numbers of binary formats people save with a text suffix by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (e.g. .docx, .xlsx, .odt)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (e.g. .doc, .xls)"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)

# Single-byte encodings tried when the bytes are not UTF-8, in order of preference on a tie.
_SINGLE_BYTE = ("cp1252", "iso-8859-1", "cp850", "mac_roman")
_FINNISH = frozenset("äöåÄÖÅ")
_WESTERN = frozenset(
    "áàâãçèéêëíìîïñóòôõúùûüýÿæøœšžÁÀÂÃÇÈÉÊËÍÌÎÏÑÓÒÔÕÚÙÛÜÝÆØŒŠŽß"
    "€–—‘’‚“”„…•°§«»·×½¼¾©®™£¢¥¤¹²³µ¶¬¦\u00a0\u00ad"
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")
_MOJIBAKE = re.compile("Ã[¤¶¥„–…©¼]")


def sniff_format(data: bytes) -> str | None:
    """Name the binary format of some bytes by their magic number, or return ``None``.

    >>> sniff_format(b"PK\\x03\\x04rest") is not None
    True
    >>> sniff_format("Hankekoodi: S29999".encode()) is None
    True
    """
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def decode_text(data: bytes, *, source: str = "<bytes>") -> tuple[str, str]:
    """Decode the bytes of a text file, detecting the encoding; return ``(text, encoding)``.

    In order: byte-order marks (UTF-32, UTF-8, UTF-16); UTF-16 without a BOM by its pattern
    of NUL bytes; strict UTF-8 (double-encoded UTF-8, ``Ã¤`` for ``ä``, is repaired and
    reported as ``"utf-8 (double-encoded)"``; C1 control characters, Windows-1252 bytes once
    read as ISO-8859-1, become the ``€``, ``–``, ``”`` they were); UTF-8 with a few stray Windows-1252 bytes
    (reported as ``"utf-8+cp1252"``); and finally the single-byte code pages, scored by how
    many Finnish letters they give and how many implausible characters. Windows-1252 and
    ISO-8859-1 differ only in bytes 0x80–0x9F (``€``, ``–``, ``’`` …): without such bytes
    the text is the same in both and ``"iso-8859-1"`` is reported.

    Parameters
    ----------
    data:
        The bytes of the file.
    source:
        The file name, for messages.

    Returns
    -------
    tuple of (str, str)
        The text (BOM removed, line ends untouched) and the encoding's name.

    Raises
    ------
    InputError
        If the bytes are a binary format (PDF, ZIP/Office, image …), hold NUL or control
        bytes that no text has, are UTF-16 cut off in the middle of a character, or decode to
        implausible text in every candidate encoding.

    Examples
    --------
    >>> decode_text(b"\\xef\\xbb\\xbfHankekoodi: S29999")
    ('Hankekoodi: S29999', 'utf-8-sig')
    >>> decode_text("Yhteenveto: Päijät-Häme".encode("utf-16"))[0]
    'Yhteenveto: Päijät-Häme'
    >>> decode_text("Päijät-Häme".encode("utf-8").decode("cp1252").encode("utf-8"))
    ('Päijät-Häme', 'utf-8 (double-encoded)')
    >>> decode_text(b"\\x00\\x01\\x02\\x03binary", source="x.txt")
    Traceback (most recent call last):
    ...
    sotegraph.errors.InputError: x.txt: binary data, not text (expected UTF-8, UTF-16 or ...)
    """
    if not data:
        return "", "utf-8"
    for bom, enc, name in (
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            if enc == "utf-8":
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    return _check_controls(_decode_mixed(body), source), "utf-8-sig+cp1252"
                return _check_controls(text, source), name
            return _check_controls(_decode_wide(body, enc, source), source), name

    kind = sniff_format(data)
    if kind is not None:
        raise InputError(
            f"binary data ({kind}), not text",
            file=source,
            expected=_TEXT_EXPECTED + (", or a .pdf file" if kind.startswith("PDF") else ""),
        )

    sample = data[:8192]
    if b"\x00" in sample:
        wide = _utf16_without_bom(sample)
        if wide is not None:
            return _check_controls(_decode_wide(data, wide, source), source), wide
        raise InputError("binary data, not text", file=source, expected=_TEXT_EXPECTED)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(
            "binary data (a NUL byte) inside the text",
            file=source,
            line=line,
            expected=_TEXT_EXPECTED,
        )

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            return _check_controls(_decode_mixed(data), source), "utf-8+cp1252"
        first_bad = exc.start
    else:
        text = _check_controls(text, source)
        repaired = _repair_double_encoding(text)
        if repaired is not None:
            return repaired, "utf-8 (double-encoded)"
        if _C1.search(text):
            return _C1.sub(_c1_as_cp1252, text), "utf-8 (cp1252 punctuation repaired)"
        return text, "utf-8"

    text, encoding = _decode_single_byte(data, source, first_bad)
    return _check_controls(text, source), encoding


def _decode_wide(data: bytes, encoding: str, source: str) -> str:
    unit = 4 if "32" in encoding else 2
    if len(data) % unit:
        raise InputError(
            f"{encoding.upper()} text is cut off in the middle of a character "
            f"({len(data)} bytes is not a multiple of {unit})",
            file=source,
            expected=f"complete {encoding.upper()} text",
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise InputError(
            f"invalid {encoding.upper()} at byte {exc.start}",
            file=source,
            line=line,
            expected=f"valid {encoding.upper()} text",
        ) from exc


def _utf16_without_bom(sample: bytes) -> str | None:
    """Return ``utf-16-le``/``-be`` if NULs sit on one parity, as in ASCII-heavy UTF-16."""
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(b"\x00")
    odd = sample[1::2].count(b"\x00")
    half = len(sample) // 2
    if odd >= 0.3 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _mostly_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8 sequences (a UTF-8 file with strays)."""
    high = sum(1 for b in data if b >= 0x80) if len(data) < 1_000_000 else _count_high(data)
    in_seqs = sum(len(m.group(0)) for m in _UTF8_SEQ.finditer(data))
    return in_seqs > 0 and in_seqs >= 0.8 * high


def _count_high(data: bytes) -> int:
    return len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))


def _decode_mixed(data: bytes) -> str:
    """Decode UTF-8, decoding each invalid byte as Windows-1252 (ISO-8859-1 if undefined)."""
    out: list[str] = []
    pos = 0
    while pos < len(data):
        try:
            out.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            out.append(data[pos : pos + exc.start].decode("utf-8"))
            bad = data[pos + exc.start : pos + exc.end]
            out.append(
                bad.decode("cp1252", errors="strict") if _cp1252_ok(bad) else bad.decode("latin-1")
            )
            pos += exc.end
    return "".join(out)


def _cp1252_ok(b: bytes) -> bool:
    try:
        b.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _repair_double_encoding(text: str) -> str | None:
    """Repair UTF-8 that was decoded as Windows-1252 and encoded again (``Ã¤`` for ``ä``)."""
    marks = len(_MOJIBAKE.findall(text))
    if marks < 2 or marks < sum(text.count(c) for c in _FINNISH):
        return None
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


_C1 = re.compile("[\u0080-\u009f]")


def _c1_as_cp1252(m: re.Match[str]) -> str:
    """A C1 control character is a Windows-1252 byte read as ISO-8859-1 (``\x80`` for €)."""
    raw = m.group(0).encode("latin-1")
    return raw.decode("cp1252") if _cp1252_ok(raw) else m.group(0)


def _plausibility(text: str) -> tuple[int, int]:
    """Return ``(score, implausible)`` for a decoding of (a sample of) a text."""
    score = 0
    bad = 0
    prev = " "
    for i, ch in enumerate(text):
        o = ord(ch)
        if o < 0x80:
            prev = ch
            continue
        if ch in _FINNISH:
            score += 2
            # an uppercase Ä/Ö/Å between lowercase letters is a sign of the wrong code page
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if ch.isupper() and prev.islower() and nxt.islower():
                bad += 1
        elif 0x80 <= o <= 0x9F:
            bad += 5  # C1 control characters: never in real text
        elif ch in _WESTERN:
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if not ch.isalpha() and prev.isalpha() and nxt.isalpha():
                bad += 1  # punctuation inside a word: "p„„llikk”"
            elif ch.isupper() and prev.islower() and nxt.islower():
                bad += 1  # "pŠŠllikkš"
        else:
            bad += 1  # box drawing, maths signs: "p‰‰llikkˆ", "põõllikk÷"
        prev = ch
    return score - 3 * bad, bad


def _sample_high(data: bytes, limit: int = 4000) -> bytes:
    """The bytes around the first ``limit`` runs of non-ASCII bytes (for scoring)."""
    if len(data) <= 200_000:
        return data
    parts = []
    for n, m in enumerate(re.finditer(rb"[\x20-\x7e]{0,16}[\x80-\xff]+[\x20-\x7e]{0,16}", data)):
        if n >= limit:
            break
        parts.append(m.group(0))
    return b"\n".join(parts)


def _decode_single_byte(data: bytes, source: str, first_bad: int) -> tuple[str, str]:
    sample = _sample_high(data)
    scored: list[tuple[int, int, int, str]] = []
    for rank, enc in enumerate(_SINGLE_BYTE):
        try:
            decoded = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        score, bad = _plausibility(decoded)
        scored.append((score, -rank, bad, enc))
    scored.sort(reverse=True)
    _, _, best_bad, best = scored[0]
    high = max(1, _count_high(sample))
    if best_bad > max(3, high // 20):
        line = data.count(b"\n", 0, first_bad) + 1
        raise InputError(
            f"cannot tell the text encoding: not UTF-8 (byte 0x{data[first_bad]:02x} at offset "
            f"{first_bad}), and no Western code page gives plausible Finnish text",
            file=source,
            line=line,
            expected=_TEXT_EXPECTED + "; save the file as UTF-8",
        )
    if best == "cp1252" and not re.search(rb"[\x80-\x9f]", data):
        best = "iso-8859-1"  # identical text; the stricter name is the true one
    return data.decode(best), best


def _check_controls(text: str, source: str) -> str:
    """Refuse text with control characters no text file has (binary data read as text)."""
    head = text[:65536]
    controls = [i for i, c in enumerate(head) if ord(c) < 0x20 and c not in _ALLOWED_CONTROLS]
    if len(controls) > max(8, len(head) // 200):
        line = head.count("\n", 0, controls[0]) + 1
        raise InputError(
            f"binary data, not text ({len(controls)} control characters in the first "
            f"{len(head)} characters)",
            file=source,
            line=line,
            expected=_TEXT_EXPECTED,
        )
    return text

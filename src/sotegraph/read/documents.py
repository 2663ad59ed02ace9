"""Read files, texts and bytes into :class:`Document` objects.

A document's id is the sha256 of its normalised text (Unicode NFC, ``\\n`` line ends,
no BOM), so the same text read from differently encoded files has the same id.

Examples
--------
>>> from sotegraph.read import Document, Genre
>>> doc = Document.from_text("Hankekoodi: S21259\\r\\nHankkeen nimi: X\\r\\n", source="x.txt")
>>> doc.text
'Hankekoodi: S21259\\nHankkeen nimi: X\\n'
>>> doc.genre is Genre.EURA_RECORD
True
>>> len(doc.id)
64
>>> doc.language, Document.from_text("Projektet förvaltas av Vasa stad.").language
('fi', 'sv')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sotegraph.errors import InputError, UnsupportedFormatError, UsageError
from sotegraph.facts import Genre
from sotegraph.read.encodings import decode_text
from sotegraph.read.html import html_to_text
from sotegraph.read.limits import ReadLimits
from sotegraph.read.pdf import pdf_to_text

__all__ = [
    "Document",
    "Genre",
    "detect_genre",
    "detect_language",
    "iter_paths",
    "iter_sources",
    "normalise_text",
    "read_document",
    "source_name",
]

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
CSV_SUFFIXES = {".csv", ".tsv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | CSV_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES


_EURA_TITLE = re.compile(
    r"(Euroopan sosiaalirahaston \(ESR\)|Euroopan aluekehitysrahaston \(EAKR\))"
    r"\s+rahoittaman\s+(hankkeen|projektin)\s+kuvaus",
    re.IGNORECASE,
)
_EURA_CODE = re.compile(r"^\s*(Hankekoodi|Projektikoodi)\s*:", re.MULTILINE | re.IGNORECASE)
_BULK_HEADER = re.compile(r"^\ufeff?\"?Koodi\"?[,;\t]", re.IGNORECASE)

#: The languages a document may be detected in (ISO 639-1); Finnish is the default.
LANGUAGES = ("fi", "sv")
#: How much of a text :func:`detect_language` reads (the head says what the page is).
LANGUAGE_CHARS = 20_000


def _word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(words.split())


#: Frequent Swedish function words that are not Finnish words (``alla`` is both: left out).
_SV_WORDS = _word_set(
    "och att det som för av med är på till från den de ett en inte har hade var vid om "
    "också eller kan ska skall där vi sig sin sitt sina samt hos mot efter utan blir "
    "blev men så när hur vad detta dessa deras fick får mer även genom inom mellan "
    "ingen inga under"
)
#: Frequent Finnish function words that are not Swedish words.
_FI_WORDS = _word_set(
    "ja on että sekä ovat oli olivat ei eikä myös joka jonka jossa joiden jotka tai "
    "kanssa mukaan vuonna vuosina niin kuin mutta jo nyt tämä tämän se sen ne voi ole "
    "olla eli kun jos lisäksi aikana osana hanke hankkeen hankkeessa hanketta"
)
_WORD = re.compile(r"[^\W\d_]+(?:[:'’-][^\W\d_]+)*")
#: Swedish-only spellings and endings: ``å``; ``-tion``, ``-het``, ``-ning(en|ar)``,
#: ``-skap``, the plural definite ``-arna``/``-erna``/``-orna``, the verbs in ``-era``.
_SV_SHAPE = re.compile(
    r"å|(?:tion|het|ning|ningen|ningar|skap|arna|erna|orna|erar|erade|eras|erat)$"
)
#: Finnish-only spellings and endings: long vowels (not ``oo``: Swedish ``koordinera``)
#: and the local cases' endings.
_FI_SHAPE = re.compile(r"aa|ää|ii|uu|yy|ee|öö|(?:ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi)$")


def normalise_text(text: str) -> str:
    """Normalise a text: NFC, no BOM, ``\\n`` line ends (Windows and old Mac ends folded)."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def detect_genre(text: str, *, suffix: str = "") -> Genre:
    """Guess a text's genre from its shape.

    >>> detect_genre("Koodi,Rahasto,Hankkeen nimi\\nS20001,ESR,X", suffix=".csv")
    <Genre.BULK_TABLE: 'bulk-table'>
    >>> detect_genre("Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus\\n")
    <Genre.EURA_RECORD: 'eura-record'>
    >>> detect_genre("KEMUSOTE-hanketta hallinnoi Jamk.")
    <Genre.ARTICLE: 'article'>
    """
    head = text[:4000]
    if suffix.lower() in CSV_SUFFIXES or _BULK_HEADER.match(head):
        return Genre.BULK_TABLE
    if _EURA_TITLE.search(head) or _EURA_CODE.search(head):
        return Genre.EURA_RECORD
    return Genre.ARTICLE


def detect_language(text: str) -> str:
    """Guess whether a text is Finnish (``"fi"``, the default) or Swedish (``"sv"``).

    A cheap rule over the words of the text's head (:data:`LANGUAGE_CHARS` characters):
    each word is Swedish evidence if it is a Swedish function word (``och``, ``för``,
    ``som``, ``av``, ``med``, ``är`` …) or has a Swedish-only shape (an ``å``; the endings
    ``-tion``, ``-het``, ``-ning``, ``-skap``, ``-arna``/``-erna``, ``-erar``), and Finnish
    evidence if it is a Finnish function word (``ja``, ``on``, ``että``, ``sekä`` …) or has
    a Finnish-only shape (a long vowel ``aa``/``ää``/``ii`` …; the local cases' endings
    ``-ssa``, ``-sta``, ``-lla``, ``-lle``, ``-ksi`` …). The text is Swedish when the
    Swedish evidence is more than twice the Finnish: so a Finnish page quoting a Swedish
    name or summary stays Finnish, a Swedish page with a Finnish menu (``Suomeksi``) or a
    Finnish organisation name is Swedish, and a text with no evidence at all (a title, a
    number, English) is Finnish.

    Examples
    --------
    >>> detect_language("Hanketta hallinnoi Vaasan kaupunki yhdessä Novian kanssa.")
    'fi'
    >>> detect_language("Projektet koordineras av Vasa stad i samarbete med Novia.")
    'sv'
    >>> detect_language("Koe"), detect_language("")
    ('fi', 'fi')
    """
    sv = fi = 0
    for m in _WORD.finditer(text, 0, min(len(text), LANGUAGE_CHARS)):
        w = m.group(0).lower()
        if w in _SV_WORDS or _SV_SHAPE.search(w):
            sv += 1
        elif w in _FI_WORDS or _FI_SHAPE.search(w):
            fi += 1
    return "sv" if sv > 2 * fi else "fi"


@dataclass(frozen=True, slots=True)
class Document:
    """One input text.

    Attributes
    ----------
    id:
        sha256 (hex) of the normalised text.
    source:
        Where it came from (a path, or a name given by the caller).
    genre:
        The detected :class:`Genre`.
    text:
        The normalised text. Character spans of facts index into it.
    encoding:
        The encoding the bytes were decoded from, if read from bytes.
    path:
        The file path, if read from a file (CSV readers stream from it).
    language:
        The language of the text, ``"fi"`` (the default) or ``"sv"``
        (:func:`detect_language`); it chooses the prose pipeline.
    """

    id: str
    source: str
    genre: Genre
    text: str
    encoding: str | None = None
    path: Path | None = field(default=None, compare=False)
    language: str = "fi"

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        source: str = "<text>",
        genre: Genre | None = None,
        language: str | None = None,
    ) -> Document:
        """Make a document from a string (``language`` detected unless given)."""
        norm = normalise_text(text)
        digest = hashlib.sha256(norm.encode("utf-8")).hexdigest()
        return cls(
            id=digest,
            source=source,
            genre=genre or detect_genre(norm, suffix=Path(source).suffix),
            text=norm,
            language=_language(language, norm),
        )

    def line_of(self, offset: int) -> int:
        """Return the 1-based line number of a character offset."""
        return self.text.count("\n", 0, max(0, offset)) + 1


def _language(given: str | None, text: str) -> str:
    """The language given (checked), else the detected one."""
    if given is None:
        return detect_language(text)
    if given not in LANGUAGES:
        raise UsageError(f"unknown document language {given!r}; valid: {', '.join(LANGUAGES)}")
    return given


def read_document(
    path: str | Path,
    *,
    genre: Genre | None = None,
    source: str | None = None,
    language: str | None = None,
    limits: ReadLimits | None = None,
) -> Document:
    """Read one file into a :class:`Document`.

    ``source`` is the name the document is recorded under (``dcterms:source``, the manifest,
    messages); by default the path as given. A build passes the path relative to what the
    user named (see :func:`iter_sources`), so no path of the building machine reaches a graph.

    Text files (UTF-8, UTF-8 with BOM, UTF-16, cp1252, ISO-8859-1), CSV tables, HTML pages
    and PDF files are read; anything else raises :class:`UnsupportedFormatError`. The
    language is detected (:func:`detect_language`) unless ``language`` is given.

    ``limits`` (:class:`ReadLimits`, the defaults unless given) bound the size of the file
    (checked before it is read), the length of its text (not for project lists, which are
    read row by row) and the nesting depth of an HTML page (checked before it is parsed).

    Raises
    ------
    DocumentTooLargeError
        If the document is over one of the ``limits``: the message names the measure, the
        limit and how to raise it.
    InputError
        If the file cannot be read, is empty or is binary.
    UnsupportedFormatError
        If its format is not one sotegraph reads.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            f"unsupported format {suffix!r}",
            file=p,
            expected="one of " + ", ".join(sorted(s for s in SUPPORTED_SUFFIXES if s)),
        )
    if p.exists() and not p.is_file():
        # a folder, FIFO, socket or device: reading a FIFO would block for ever
        raise InputError(
            "not a regular file (a folder, pipe or device)", file=p, expected="a file to read"
        )
    lim = limits if limits is not None else ReadLimits()
    try:
        lim.check_file(p.stat().st_size, file=p)
        data = p.read_bytes()
    except PermissionError as exc:
        raise InputError("file is not readable (permission denied)", file=p) from exc
    except OSError as exc:
        raise InputError(f"file cannot be read: {exc.strerror or exc}", file=p) from exc
    if suffix in PDF_SUFFIXES:
        text, encoding = pdf_to_text(data, source=str(p), max_chars=lim.max_text_chars), "pdf"
    else:
        text, encoding = decode_text(data, source=str(p))
        if suffix in HTML_SUFFIXES:
            text = html_to_text(text, source=str(p), max_depth=lim.max_html_depth)
    del data
    if (genre or detect_genre(text[:4000], suffix=suffix)) is not Genre.BULK_TABLE:
        lim.check_text(len(text), file=p)
    if not text.strip():
        what = "file is empty (no text)" if not text else "file holds only whitespace, no text"
        raise InputError(what, file=p, line=1, expected="some text")
    norm = normalise_text(text)
    digest = hashlib.sha256(norm.encode("utf-8")).hexdigest()
    return Document(
        id=digest,
        source=source if source is not None else str(p),
        genre=genre or detect_genre(norm, suffix=suffix),
        text=norm,
        encoding=encoding,
        path=p,
        language=_language(language, norm),
    )


def iter_paths(paths: list[str | Path] | tuple[str | Path, ...]) -> list[Path]:
    """Expand files and folders (recursively, sorted) into a list of files.

    Hidden files and folders are skipped; so are README files inside folders.

    Raises
    ------
    InputError
        If a path does not exist.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if child.is_file() and child.name.lower() not in {"readme.md", "readme.txt"}:
                    out.append(child)
        elif p.exists():
            out.append(p)
        else:
            raise InputError("no such file or folder", file=p)
    return out


def source_name(root: str | Path, file: str | Path) -> str:
    """The name a file found under ``root`` is recorded under: relative to what was named.

    A folder's files get the folder's own name and their path inside it; a file named by
    itself gets its file name. Never an absolute path, never ``..``.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()) / "seeds"
    >>> (root / "a").mkdir(parents=True)
    >>> source_name(root, root / "a" / "x.txt")
    'seeds/a/x.txt'
    >>> source_name("../corpus/x.txt", "../corpus/x.txt")
    'x.txt'
    """
    r, f = Path(root), Path(file)
    if r == f or not r.is_dir():
        return f.name
    folder = r.name or r.resolve().name
    return "/".join([folder, *f.relative_to(r).parts])


def iter_sources(paths: list[str | Path] | tuple[str | Path, ...]) -> list[tuple[Path, str]]:
    """:func:`iter_paths` with each file's recorded name (:func:`source_name`).

    Raises
    ------
    InputError
        If a path does not exist.
    """
    out: list[tuple[Path, str]] = []
    for raw in paths:
        out.extend((f, source_name(raw, f)) for f in iter_paths([raw]))
    return out

"""What the layout reader collects: records of projects, their organisations, and its state.

A :class:`Record` is one project as the layout states it: the page's own project, a list
item, a table row, a labelled block or a project in brackets. The readers of
:mod:`.fields`, :mod:`.lists` and :mod:`.tables` fill records while scanning the lines of
the clean view (:class:`ReadState`); :mod:`.build` turns them into facts
(:class:`LayoutResult`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from sotegraph.extract.layout.clean import CleanText, split_lines
from sotegraph.extract.layout.orgs import ABBR
from sotegraph.facts import Facts, Role

__all__ = [
    "LayoutResult",
    "Org",
    "ReadState",
    "Record",
    "clean_name",
    "fold",
]


@dataclass(slots=True)
class Org:
    """An organisation of a record, with its role and its span in the clean view."""

    role: Role
    name: str
    span: tuple[int, int]
    aliases: list[str] = field(default_factory=list)
    business_id: str | None = None
    cue: str = ""


@dataclass(slots=True)
class Record:
    """One project as the layout states it (``kind``: page, item, row, label or paren)."""

    kind: str
    name: str | None = None
    name_span: tuple[int, int] | None = None
    code: str | None = None
    aliases: list[str] = field(default_factory=list)
    orgs: list[Org] = field(default_factory=list)
    start: dt.date | int | None = None
    end: dt.date | int | None = None
    granted: Decimal | None = None
    planned: Decimal | None = None
    fund: str | None = None
    indent: int = 0
    line: int = 0


@dataclass(slots=True)
class LayoutResult:
    """What :func:`~sotegraph.extract.layout.layout_pass` read.

    Attributes
    ----------
    facts:
        The facts, spans into the clean view.
    clean:
        The clean view.
    main_project:
        The key of the page's own project, if it has one.
    multi:
        Whether the page lists several projects.
    prose_text:
        The clean view with the lines read as fields and tables blanked (same length):
        what is left for the prose reader.
    """

    facts: Facts
    clean: CleanText
    main_project: str | None = None
    multi: bool = False
    prose_text: str = ""


@dataclass(slots=True)
class ReadState:
    """The layout reader's state while it scans the lines of the clean view."""

    clean: CleanText
    text: str
    #: ``(start, end, text)`` of each line of :attr:`text`
    lines: list[tuple[int, int, str]]
    records: list[Record] = field(default_factory=list)
    #: the page's own fields (not in a list item, row or block)
    page: Record = field(default_factory=lambda: Record("page"))
    #: the record the lines being read belong to
    current: Record | None = None
    item_open: bool = False
    #: line ranges ``[i, j)`` read as fields or tables: they are not prose
    consumed: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, clean: CleanText) -> ReadState:
        """The state at the start of a clean view.

        Parameters
        ----------
        clean:
            The clean view to read.

        Returns
        -------
        ReadState
            A state with the view's lines and nothing read yet.
        """
        text = clean.text
        return cls(clean, text, [(a, b, text[a:b]) for a, b in split_lines(text)])

    def label_target(self, indent: int) -> Record:
        """The record a labelled field at ``indent`` belongs to.

        Parameters
        ----------
        indent:
            The indentation of the field's line.

        Returns
        -------
        Record
            The open item or labelled block when the field is inside it, else the page.
        """
        cur = self.current
        if (
            cur is not None
            and cur.kind in ("item", "label")
            and (cur.kind == "label" or indent > cur.indent or self.item_open)
        ):
            return cur
        return self.page


_QUOTES = "”“\"'"
_KEYWORD_END = re.compile(r"\s+-(hanke|hankkeen jatko)$")
_ALIAS_END = re.compile(r"^(?P<n>.+?)\s*\((?P<a>[^()]{2,15})\)$")
_ACRONYM_HEAD = re.compile(r"^(?P<a>[^\s]{2,20})\s+[–—-]\s+\S")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"[‐‑–—]")


def clean_name(name: str) -> tuple[str, list[str]]:
    """A project name without quotes and a trailing keyword, and its aliases.

    Parameters
    ----------
    name:
        A name as the layout gives it.

    Returns
    -------
    tuple
        ``(name, aliases)``: a final ``(ABBR)`` gives the abbreviation and the name before
        it as aliases, an acronym before a dash (``SOKU - Nuorten …``) is an alias too.

    Examples
    --------
    >>> clean_name('"Koemalli (KOMA)"')
    ('Koemalli (KOMA)', ['KOMA', 'Koemalli'])
    >>> clean_name("KoMa - Koelan malli")
    ('KoMa - Koelan malli', ['KoMa'])
    """
    name = name.strip().strip(_QUOTES).strip()
    name = _KEYWORD_END.sub("", name)
    aliases: list[str] = []
    m = _ALIAS_END.match(name)
    if m and ABBR.match(m.group("a")):
        aliases.append(m.group("a"))
        aliases.append(m.group("n"))
    m = _ACRONYM_HEAD.match(name)
    if m and any(c.isupper() for c in m.group("a")[1:]) and m.group("a") not in aliases:
        aliases.append(m.group("a"))  # "SOKU - Nuorten …": the acronym before the subtitle
    return name, aliases


def fold(s: str) -> str:
    """A name folded for comparison: dashes as hyphens, single spaces, case folded.

    Parameters
    ----------
    s:
        A name.

    Returns
    -------
    str
        The folded name.

    Examples
    --------
    >>> fold("Koe –  Malli")
    'koe - malli'
    """
    return _SPACES.sub(" ", _DASHES.sub("-", s)).strip().casefold()

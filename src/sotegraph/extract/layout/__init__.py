"""The layout reader: facts from the *structure* of a page, read before its prose.

Real pages about projects carry most of their facts in layout rather than in sentences:
labelled fields (``Hallinnoija: X``, ``Kesto`` on one line and the value on the next),
lists and tables of several projects (numbered items with indented fields, pipe tables
whose cells wrap over several lines), application forms and plans whose label and value
stand in two columns, and reports converted from PDF with running page headers and words
hyphenated at line ends. This package reads those structures, generally, not per site:

1. :func:`clean_text` makes a *clean view* of the text: navigation lines, cookie notices,
   share buttons, contact blocks, footers with addresses, running page headers, page
   numbers and rules are blanked; words hyphenated at line ends are rejoined (the hyphen
   is kept where Finnish spelling keeps it: ``Hoiva-`` + ``alan`` → ``Hoiva-alan``, same
   vowel on both sides; ``Etelä-`` + ``Savon``). A map of offsets leads every character
   of the clean view back to the original text.
2. :func:`layout_pass` reads the clean view: page titles and breadcrumbs, labelled fields,
   numbered and bulleted project items, pipe tables, role tables, and document-level
   funding statements of EU funds.
3. :func:`remap_spans` moves every span of a :class:`~sotegraph.facts.Facts` from
   clean-view offsets back to the original text (the article extractor parses the clean
   view, then remaps).

The package, by concern: :mod:`.clean` (the clean view), :mod:`.values` (periods, dates,
amounts), :mod:`.orgs` (organisation lists), :mod:`.labels` (the label table),
:mod:`.model` (records and the reader's state), :mod:`.fields` (labelled fields and
forms), :mod:`.lists` (numbered and bulleted lists), :mod:`.tables` (pipe and role
tables), :mod:`.reader` (the scan over the lines), :mod:`.page` (the page's own project),
:mod:`.statements` (what the page's sentences state by cue words), :mod:`.build` (records
to facts) and :mod:`.reconcile` (layout and prose facts together, spans remapped). Only
:mod:`sotegraph.facts`, the standard library and :mod:`re` are used.

Examples
--------
>>> text = '''Hankkeet > Koe
...
... 1) Koehanke uusille malleille (S20999)
...    Hallinnoija: Esimerkkilän kaupunki
...    Osatoteuttajat: Testilän ammattikorkeakoulu (TAMKO), Koesäätiö
...    Toteutusaika: 1.2.2016–31.1.2018
... '''
>>> f = read_layout(text, source="koe.txt")
>>> p = f.projects[0]
>>> (p.name, p.code, str(p.start), str(p.end))
('Koehanke uusille malleille', 'S20999', '2016-02-01', '2018-01-31')
>>> [(x.role.value, f.organisation(x.organisation).name) for x in f.participations]
[('lead', 'Esimerkkilän kaupunki'), ('partner', 'Testilän ammattikorkeakoulu'), ('partner', 'Koesäätiö')]
"""

from __future__ import annotations

from sotegraph.extract.layout.build import make_facts
from sotegraph.extract.layout.clean import CleanText, clean_text
from sotegraph.extract.layout.model import LayoutResult, ReadState
from sotegraph.extract.layout.orgs import OrgMention, split_organisations
from sotegraph.extract.layout.reader import scan
from sotegraph.extract.layout.reconcile import reconcile, remap_spans
from sotegraph.extract.layout.statements import apply_page_statements, page_statements
from sotegraph.facts import Facts, Genre
from sotegraph.values import find_period

__all__ = [
    "CleanText",
    "LayoutResult",
    "OrgMention",
    "apply_page_statements",
    "clean_text",
    "find_period",
    "layout_pass",
    "page_statements",
    "read_layout",
    "reconcile",
    "remap_spans",
    "split_organisations",
]


def layout_pass(
    text: str,
    *,
    document_id: str = "",
    source: str = "<text>",
    genre: Genre | str = Genre.ARTICLE,
) -> LayoutResult:
    """Read the layout of ``text``; facts with spans into the *clean view*.

    Parameters
    ----------
    text:
        The original text of a page.
    document_id, source, genre:
        Those of the facts made.

    Returns
    -------
    LayoutResult
        The facts (projects ``lp1`` …, organisations ``lo1`` …, ``ls1`` …), the clean view,
        the page's own project, whether the page lists several projects, and the text left
        for the prose reader.

    Examples
    --------
    >>> r = layout_pass("Kokonaisuuden nimi: Koe\\nKesto: 2016–2018\\n")
    >>> r.main_project, r.multi, [p.name for p in r.facts.projects]
    ('lp1', False, ['Koe'])
    """
    clean = clean_text(text)
    state = ReadState.of(clean)
    scan(state)
    facts = Facts(document_id=document_id, source=source, genre=Genre(genre))
    return make_facts(state, facts, text)


def read_layout(
    text: str,
    *,
    document_id: str = "",
    source: str = "<text>",
    genre: Genre | str = Genre.ARTICLE,
) -> Facts:
    """Facts read from the layout of ``text``, spans into ``text`` itself.

    Parameters
    ----------
    text:
        The original text of a page.
    document_id, source, genre:
        Those of the facts made.

    Returns
    -------
    Facts
        What :func:`layout_pass` read, its spans remapped to ``text``.

    Examples
    --------
    >>> f = read_layout("Kokonaisuuden nimi: Koemalli\\nKesto: 2016–2018\\n"
    ...                 "Rahoittaja: Koeministeriö\\n")
    >>> p = f.projects[0]
    >>> p.name, p.start, p.end, f.organisations[0].name
    ('Koemalli', 2016, 2018, 'Koeministeriö')
    """
    result = layout_pass(text, document_id=document_id, source=source, genre=genre)
    remap_spans(result.facts, result.clean, text)
    return result.facts

"""Facts from Finnish prose: articles, news items, project pages and EURA prose sections.

The layout of the text is read first (:mod:`sotegraph.extract.layout`: labelled fields,
project lists and tables, forms, boilerplate removed, hyphenated words rejoined); its facts
come first and its roles are locked. What is left of the text is then parsed by the
sotegraph spaCy pipeline (:func:`sotegraph.nlp.load_pipeline`), and this package merges what
its components mark into those :class:`~sotegraph.facts.Facts`, sentence by sentence;
every span is finally moved back to the original text:

- **projects, consortia, networks** from the name shapes (``X-hanke``, ``Nimi -hanke``,
  ``Nimi (ABBR) -hanke``, quotes, numbered lists); mentions of one project are merged by
  name, alias and abbreviation (``Asko-projekti`` = ``Sote-ammattilaiset asiakasosallisuuden
  osaajiksi (ASKO)``), and a short name that begins a longer one is its alias;
- **roles** from cue words: each organisation mention takes the role of the nearest cue in
  its sentence (``hallinnoi`` → lead, ``osatoteuttaja`` → partner, ``yhteistyökumppani`` →
  collaborator, ``rahoittaa`` → funder, ``koordinoi`` → coordinator). An organisation
  with no cue in its sentence is not a participant. A genitive organisation right before a
  named project (``KT:n Soteliiderit-hanke``) leads it. Participles take the project they
  modify (``Työterveyslaitoksen vetämä hanke``); when that is a plural or counted set
  (``kuusi … rahoittamaa hanketta``) no single project gets the role. Negated clauses
  (``ei``, ``toisin kuin …``) give no roles;
- the **project a sentence is about** is the project it names, otherwise the last project
  named before it (headings included), otherwise the document's main project;
- **membership** (``kuuluu … konsortioon``, ``on osa … -konsortiota``), **sister projects**
  (``sisarhanke``), **gathering projects** (``koordinoi`` + a numbered list of projects);
  a consortium said to have N projects in a text that presents exactly N gets them all;
- **periods** (``1.3.2020–28.2.2023``, ``vuosina 2019–2021``, ``vuodelle 2022``,
  ``1/2019–12/2022``) for the sentence's project (or group, for ``Ne toteutetaan …``);
- **themes** through :class:`sotegraph.reference.themes.ThemeResolver` over the sentences
  about each project, the title weighted above the lead paragraph and that above the body;
- **target areas** of articles' projects: places that
  :class:`sotegraph.reference.regions.RegionResolver` resolves, in sentences about the project
  that speak of an area (``toteutuu Etelä-Savossa``, ``alueen kunnissa``).

Every participation keeps its character span, sentence and cue word (``role_text``); the
RDF stage writes them on the participation node (``sg:sentence``, ``prov:wasDerivedFrom``),
which is what ``sotegraph explain`` shows.

The package, by concern: :mod:`.names` (comparing and cleaning names), :mod:`.registry`
(one key per project, group and organisation), :mod:`.mentions` (names, organisations and
cues in a parsed text; their types in :mod:`.model`), :mod:`.clauses` (what a sentence is about, from its syntax),
:mod:`.roles`, :mod:`.syntax` (roles from the dependency parse: subjects of role verbs,
genitive agents, grants in every voice, ``yhteistyössä … kanssa``, appositions, copulas;
they win over the cue words for the organisations they find), :mod:`.groups` (membership, programmes, sister and gathering projects),
:mod:`.periods`, :mod:`.amounts`, :mod:`.themes`, :mod:`.places`, :mod:`.builder` (the
sentence-by-sentence fact builder), :mod:`.pieces` (long prose in pieces),
:mod:`.sections` (an EURA record's prose sections) and :mod:`.gazetteer` (the lexicon's
gazetteer and the resolvers, loaded lazily).

Examples
--------
>>> from sotegraph.read import Document
>>> doc = Document.from_text(
...     "Koe-hanketta hallinnoi Jyväskylän ammattikorkeakoulu (Jamk). "
...     "Osatoteuttajana on Tampereen ammattikorkeakoulu.", source="koe.txt")
>>> facts = extract_article(doc)
>>> [(p.role.value, facts.organisation(p.organisation).name) for p in facts.participations]
[('lead', 'Jyväskylän ammattikorkeakoulu'), ('partner', 'Tampereen ammattikorkeakoulu')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from sotegraph.extract.article.builder import Builder
from sotegraph.extract.article.pieces import (
    NLP_MAX_CHARS,
    NLP_PIECE_CHARS,
    facts_from_doc,
    facts_from_pieces,
    parse_in_pieces,
    text_pieces,
)
from sotegraph.extract.article.sections import prose_sections
from sotegraph.extract.article.themes import assign_themes
from sotegraph.extract.layout import (
    LayoutResult,
    apply_page_statements,
    layout_pass,
    reconcile,
    remap_spans,
)
from sotegraph.facts import Facts
from sotegraph.read import Document
from sotegraph.values import Written, parse_period
from sotegraph.values import parse_amount as _parse_amount

if TYPE_CHECKING:  # pragma: no cover
    from decimal import Decimal

    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "NLP_MAX_CHARS",
    "NLP_PIECE_CHARS",
    "enrich_record",
    "extract_article",
    "extract_articles",
    "facts_from_doc",
    "facts_from_pieces",
    "load_pipeline",
    "parse_amount",
    "parse_period",
    "prose_sections",
    "text_pieces",
]

# NLP_PIECE_CHARS and NLP_MAX_CHARS are read from this module when the entry points run, so
# that setting them here (as tests do) takes effect.


def load_pipeline() -> Language:
    """Return the process-wide sotegraph spaCy pipeline (loaded once; see :mod:`sotegraph.nlp`).

    Raises
    ------
    sotegraph.errors.SotegraphError
        If spaCy or the Finnish model is not installed.
    """
    from sotegraph.nlp import load_pipeline as _load

    return _load()


def parse_amount(text: str) -> Decimal | None:
    """Parse a Finnish amount of euros in prose (``None`` when the text starts with no number).

    The prose reading of :func:`sotegraph.values.parse_amount`.

    >>> [str(parse_amount(t)) for t in ("208 856 €", "1,5 Me", "9,5 miljoonaa euroa")]
    ['208856', '1500000.0', '9500000.0']
    >>> parse_amount("450 000 eurolla")
    Decimal('450000')
    """
    return _parse_amount(text, written=Written.PROSE, strict=False)


def extract_article(document: Document, *, nlp: Language | None = None) -> Facts:
    """Extract the facts of a Finnish prose document (article, news item, project page).

    The layout is read first; the prose left is parsed and its facts merged after (see the
    module docstring).

    Parameters
    ----------
    document:
        The document; its whole text is read.
    nlp:
        A loaded sotegraph pipeline to reuse; :func:`load_pipeline` when ``None``.

    Returns
    -------
    Facts
        Projects, organisations with roles, consortia and networks, periods and themes, keys
        local to the document; every participation with its span, sentence and cue word.

    Raises
    ------
    sotegraph.errors.SotegraphError
        If the spaCy pipeline cannot be loaded.

    Examples
    --------
    >>> from sotegraph.read import Document
    >>> d = Document.from_text("Koe-hanketta hallinnoi Tampereen yliopisto.", source="k.txt")
    >>> f = extract_article(d)
    >>> f.projects[0].name, f.participations[0].role.value
    ('Koe', 'lead')
    """
    nlp = nlp if nlp is not None else load_pipeline()
    layout, clean = _layout_first(document)
    if len(clean.text) <= NLP_PIECE_CHARS:
        facts = _prose_after_layout(clean, nlp(clean.text), layout)
    else:
        (pieces,) = parse_in_pieces(
            clean, [(0, len(clean.text))], nlp, layout.facts, max_chars=NLP_MAX_CHARS
        )
        facts = facts_from_pieces(
            clean, pieces, facts=layout.facts, default_project=_layout_default(layout)
        )
    return _after_layout(document, layout, facts)


def _layout_first(document: Document) -> tuple[LayoutResult, Document]:
    """Read the layout of a document (:mod:`sotegraph.extract.layout`) before its prose.

    Returns the layout result (facts with spans into the clean view) and a document holding
    what is left for the prose reader (the clean view with boilerplate and the lines read as
    fields and tables blanked, hyphenated words rejoined), which the prose reader parses;
    :func:`_after_layout` moves all spans back to the original text.
    """
    layout = layout_pass(
        document.text, document_id=document.id, source=document.source, genre=document.genre
    )
    clean = Document(
        id=document.id,
        source=document.source,
        genre=document.genre,
        text=layout.prose_text,
        encoding=document.encoding,
        path=document.path,
    )
    return layout, clean


def _layout_default(layout: LayoutResult) -> str | None:
    """The project a sentence naming none is about: the page's own, unless it lists many."""
    return None if layout.multi else layout.main_project


def _prose_after_layout(clean: Document, doc: Doc, layout: LayoutResult) -> Facts:
    """Prose facts merged into the layout facts (layout roles win)."""
    return facts_from_doc(clean, doc, facts=layout.facts, default_project=_layout_default(layout))


def _after_layout(document: Document, layout: LayoutResult, facts: Facts) -> Facts:
    """Tidy the merged facts and move their spans from the clean view to the original text."""
    keys = {p.key for p in layout.facts.projects if p.key.startswith("lp")}
    reconcile(facts, keys)
    if layout.main_project is None and not layout.multi and len(facts.projects) == 1:
        # the page's project was named only in prose: the page's statements are about it
        apply_page_statements(facts, facts.projects[0].key, layout.prose_text)
    remap_spans(facts, layout.clean, document.text)
    return facts


def extract_articles(
    documents: Iterable[Document],
    *,
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 16,
) -> Iterator[Facts]:
    """Extract many prose documents with ``nlp.pipe`` (batched, optionally in processes).

    Yields one :class:`Facts` per document, in order.

    Examples
    --------
    >>> list(extract_articles([]))
    []
    """
    docs = list(documents)
    if not docs:
        return iter(())
    nlp = nlp if nlp is not None else load_pipeline()
    model = nlp
    laid = [(d, *_layout_first(d)) for d in docs]
    texts = ((c.text, d) for d, _lay, c in laid if len(c.text) <= NLP_PIECE_CHARS)

    def run() -> Iterator[Facts]:
        short = iter(model.pipe(texts, as_tuples=True, n_process=n_process, batch_size=batch_size))
        for document, layout, clean in laid:
            if len(clean.text) > NLP_PIECE_CHARS:  # parsed in pieces, on its own
                yield extract_article(document, nlp=model)
                continue
            parsed, _document = next(short)
            yield _after_layout(document, layout, _prose_after_layout(clean, parsed, layout))

    return run()


def enrich_record(document: Document, facts: Facts, *, nlp: Language | None = None) -> None:
    """Add what an EURA record's prose sections say to its structured facts (in place).

    Organisations named with a role cue only in the summary, target-group or final-report
    sections (e.g. a collaborator) are added; organisations and roles the structured part
    already has are not duplicated.

    Parameters
    ----------
    document:
        The EURA record.
    facts:
        Its facts from :func:`sotegraph.extract.eura.parse_eura`.
    nlp:
        A loaded sotegraph pipeline; :func:`load_pipeline` when ``None``.

    Examples
    --------
    >>> from sotegraph.read import Document
    >>> from sotegraph.facts import Facts
    >>> d = Document.from_text("1 Hanke\\nHankekoodi: S1\\n", source="r.txt")
    >>> f = Facts(document_id=d.id, source=d.source, genre="eura-record")
    >>> enrich_record(d, f)   # no prose sections: nothing to read, nothing loaded
    >>> f.participations
    []
    """
    sections = prose_sections(document.text)
    if not sections:
        return
    nlp = nlp if nlp is not None else load_pipeline()
    default = facts.projects[0].key if facts.projects else None
    spans = [(s, e) for s, e, _title in sections]
    b = Builder(facts, document, default_project=default)
    parsed = parse_in_pieces(document, spans, nlp, facts, max_chars=NLP_MAX_CHARS)
    for (_start, _end, title), pieces in zip(sections, parsed, strict=True):
        weight = 1.0 if "tiivistelmä" in title.lower() else 0.6
        for offset, doc in pieces:
            b.read(doc, offset=offset, weight=weight)
    assign_themes(b.theme_text, b.reg.projects, document)
    b.finish()

"""Projects like a given one: text similarity of names and summaries plus what they share.

A project, or a text (a project plan, a news item), is compared with every project of the
store in two ways:

* **text**: TF-IDF over the words of the projects' names, aliases and summaries, reduced to
  their base forms by Voikko (``kotihoidon`` → ``kotihoito``; the parts of a compound count
  too, at half weight: ``kotihoito`` → ``koti``, ``hoito``), or lower-cased word forms where
  Voikko is missing. Rows are L2-normalised, so one sparse matrix product gives the cosine
  similarity to every project at once (a sparse nearest-neighbour search);
* **overlap** (for a project of the store): the Jaccard similarity of the two projects'
  partners, places, themes and groups, and the time both run over the time either runs,
  as in :func:`~sotegraph.network.overlap.project_overlap`, for one row against all.

The score multiplies what the projects are and do by where and when:
``content · (1 − c + c · context)``, where ``content`` is the weighted mean
``Σ wₖ · sₖ / Σ wₖ`` of the text, partner, theme and group similarities and ``context`` that
of the place and time similarities (:data:`DEFAULT_WEIGHTS`; ``c`` is
:data:`CONTEXT_SHARE`). Sharing a region or a period alone makes no project similar (in a
store of a whole programme thousands share both); it ranks the alike ones that share them
higher. A text query has only the text component. Each result says why it is similar: the
shared terms with their share of the cosine, the shared partners, places, themes and groups,
and the days both run.

Examples
--------
>>> index = TextIndex.build(
...     {
...         "p1": "Kotihoito ja teknologia",
...         "p2": "Teknologia kouluihin",
...         "p3": "Nuorten mielenterveys",
...     }
... )
>>> [index.projects[i] for i, _ in index.nearest(index.vector("teknologia kotihoito"), 5)]
['p1', 'p2']
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from rdflib import URIRef

from sotegraph.errors import SotegraphError
from sotegraph.network.data import _date_range
from sotegraph.network.matrix import SG, Incidence, OverlapBy, StoreSource, _store_of, incidence
from sotegraph.store import Store
from sotegraph.store.base import sparql_term

__all__ = [
    "CONTENT",
    "CONTEXT",
    "CONTEXT_SHARE",
    "DEFAULT_WEIGHTS",
    "ProjectTexts",
    "SimilarProject",
    "SimilarityIndex",
    "TextIndex",
    "read_projects",
    "similar_projects",
    "similarity_index",
    "text_terms",
]

SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"

TEXT = "text"
"""The name of the text component (beside the :class:`OverlapBy` kinds)."""

DEFAULT_WEIGHTS: dict[str, float] = {
    TEXT: 3.0,
    OverlapBy.PARTNERS.value: 1.0,
    OverlapBy.THEMES.value: 1.0,
    OverlapBy.GROUPS.value: 1.0,
    OverlapBy.PLACES.value: 1.0,
    OverlapBy.TIME.value: 1.0,
}
"""Weight of each component within its part of the score (content: text, partners, themes,
groups; context: places, time). The text weighs three times a shared kind of item: names and
summaries say what a project does, while a shared partner is often a large organisation (a
city, a university) that takes part in projects of every kind."""

CONTENT = (TEXT, OverlapBy.PARTNERS.value, OverlapBy.THEMES.value, OverlapBy.GROUPS.value)
"""The components of what the projects are and do."""

CONTEXT = (OverlapBy.PLACES.value, OverlapBy.TIME.value)
"""The components of where and when they are."""

CONTEXT_SHARE = 0.5
"""How much of the score the context decides: a pair sharing no place or time keeps
``1 − CONTEXT_SHARE`` of its content score."""

_COUNTED_KINDS = (OverlapBy.PARTNERS, OverlapBy.PLACES, OverlapBy.THEMES, OverlapBy.GROUPS)

NAME_WEIGHT = 2.0
"""A word of a project's name or alias counts this many times a word of its summary."""

PART_WEIGHT = 0.5
"""A part of a compound word (``koti`` and ``hoito`` of ``kotihoito``) counts this much."""

# one row per name (the Finnish preferred label is the project's label), alias, summary,
# programme code, start and end date
_PROJECT_SPARQL = f"""SELECT ?project ?kind ?value WHERE {{
  ?project a <{SG}Project> .
  {{ ?project <{SKOS}prefLabel> ?value BIND(IF(LANG(?value) = "fi", "label", "name") AS ?kind) }}
  UNION {{ ?project <{SKOS}altLabel> ?value BIND("name" AS ?kind) }}
  UNION {{ ?project <{SG}summary> ?value BIND("summary" AS ?kind) }}
  UNION {{ ?project <{SG}finalReportSummary> ?value BIND("summary" AS ?kind) }}
  UNION {{ ?project <{SG}projectCode> ?value BIND("code" AS ?kind) }}
  UNION {{ ?project <{SCHEMA}startDate> ?value BIND("start" AS ?kind) }}
  UNION {{ ?project <{SCHEMA}endDate> ?value BIND("end" AS ?kind) }} }}"""

_ITEM_LABELS_SPARQL = f"""SELECT ?item (MIN(?l) AS ?label) WHERE {{
  VALUES ?item {{ %s }} ?item <{SKOS}prefLabel> ?l FILTER(LANG(?l) = "fi") }} GROUP BY ?item"""

# a word: letters and digits, joined by inner hyphens or colons (ABC-DEF, ESR:n)
_WORD = re.compile(r"\w+(?:[-:]\w+)*")
# Voikko's word classes that carry no topic: conjunctions, pronouns, adpositions, negation
_FUNCTION_CLASSES = frozenset({"sidesana", "asemosana", "suhdesana", "kieltosana"})
# the base forms in a segment of Voikko's WORDBASES: "+koti(koti)", "+to(+to)" (a
# derivational ending), "+lli" (a bare piece), "+vertail(verrata)(+la)", "+-" (a hyphen)
_PARENS = re.compile(r"\(([^)]*)\)")


@lru_cache(maxsize=262144)
def _word_terms(word: str, lemmatise: bool) -> tuple[tuple[str, float], ...]:
    """The terms of one word: its base form (weight 1) and its compound parts."""
    low = word.lower()
    if not any(ch.isalpha() for ch in low):
        return ()  # a number or a year: no topic
    if not lemmatise:
        return ((low, 1.0),)
    from sotegraph.nlp.voikko import analyse

    analyses = analyse(word)
    if not analyses and "-" in word.strip("-"):
        # an unknown hyphenated word (Well-Being, 7Kylä-strategiaan): the base form of its
        # last piece ends the term, and every piece is a compound part
        head, _, last = word.rpartition("-")
        last_terms = _word_terms(last, lemmatise)
        base = f"{head.lower()}-{last_terms[0][0]}" if last_terms else low
        pieces = [
            t for p in (*head.split("-"), last) for t, w in _word_terms(p, lemmatise) if w == 1
        ]
        return ((base, 1.0), *((t, PART_WEIGHT) for t in dict.fromkeys(pieces) if len(t) > 2))
    if not analyses:
        return ((low, 1.0),)
    if analyses[0].get("CLASS") in _FUNCTION_CLASSES:
        return ()
    base = _best_base(low, [(a.get("BASEFORM") or word).lower() for a in analyses])
    # of the analyses with this base form, the one with the fewest parts (Voikko also offers
    # readings such as akti + voiva for aktivoiva)
    splits = [
        _compound_parts(a.get("WORDBASES", ""))
        for a in analyses
        if (a.get("BASEFORM") or word).lower() == base
    ]
    parts = min(splits, key=len)
    out = [(base, 1.0)]
    out += [(part, PART_WEIGHT) for part in dict.fromkeys(parts) if part != base and len(part) > 2]
    return tuple(out)


def _best_base(word: str, bases: Sequence[str]) -> str:
    """Of Voikko's base forms for a word, the word itself if it is one, else the longest that
    begins the word, else the first (``tilanne``, not ``tilata``; ``strategia``, not
    ``strategi``).

    >>> _best_base("tilanne", ["tilata", "tila", "tilanne"])
    'tilanne'
    >>> _best_base("strategiaan", ["strategi", "strategia"])
    'strategia'
    >>> _best_base("uutta", ["uusi"])
    'uusi'
    """
    if word in bases:
        return word
    prefixes = [b for b in bases if word.startswith(b)]
    return max(prefixes, key=len) if prefixes else bases[0]


def _compound_parts(wordbases: str) -> list[str]:
    """The parts of a compound from Voikko's WORDBASES (none for a simple word).

    A part is the base form of its word (``sairaan(sairas)`` → ``sairas``); a part with a
    derivational ending keeps its written form (``palvel(palvella) + u(+u)`` → ``palvelu``).

    >>> _compound_parts("+sairaan(sairas)+hoito(hoito)+piiri(piiri)")
    ['sairas', 'hoito', 'piiri']
    >>> _compound_parts("+palvel(palvella)+u(+u)+ohja(ohjata)+us(+us)")
    ['palvelu', 'ohjaus']
    >>> _compound_parts("+opet(opettaa)tamis(+ua)+kieli(kieli)")
    ['opettamis', 'kieli']
    >>> _compound_parts("+sote(sote)+-+ammattilainen(ammattilainen)")
    ['sote', 'ammattilainen']
    >>> _compound_parts("+tode(tosi)+lli+nen(+nen)"), _compound_parts("+nyky+teknologia(teknologia)")
    ([], ['nyky', 'teknologia'])
    """
    parts: list[tuple[str, str]] = []  # per part: its written form, its base form ("": none)
    joinable = False  # whether a derivational ending may join the last part
    for segment in _segments(wordbases):
        written = _PARENS.sub("", segment)
        bases = _PARENS.findall(segment)
        if written == "-":
            joinable = False  # a hyphen: the next segment starts a part
            continue
        if (not bases or bases[0].startswith("+")) and joinable:
            parts[-1] = (parts[-1][0] + written, "")  # a derivational ending or a bare piece
            continue
        derived = len(bases) > 1 or not segment.endswith(")")
        base = "" if derived or not bases or bases[0].startswith("+") else bases[0]
        parts.append((written, base.replace("=", "")))
        joinable = True
    words = [(base or written).lower() for written, base in parts if base or written]
    return words if len(words) > 1 else []


def _segments(wordbases: str) -> list[str]:
    """WORDBASES split at each ``+`` outside parentheses."""
    out: list[str] = []
    depth = 0
    for ch in wordbases:
        if ch == "+" and depth == 0:
            out.append("")
            continue
        depth += (ch == "(") - (ch == ")")
        if out:
            out[-1] += ch
    return [seg for seg in out if seg]


def text_terms(text: str, *, lemmatise: bool | None = None) -> dict[str, float]:
    """The weighted terms of a text: base forms, and compound parts at :data:`PART_WEIGHT`.

    Numbers and Voikko's function words (conjunctions, pronouns, adpositions) are left out.

    Parameters
    ----------
    text:
        Any text.
    lemmatise:
        Reduce words to their base forms with Voikko (default: when Voikko is available);
        ``False`` keeps lower-cased word forms.

    Examples
    --------
    >>> from sotegraph.nlp.voikko import voikko_available
    >>> terms = text_terms("Kotihoidon palvelut ja 2020")
    >>> base = {"kotihoito": 1.0, "koti": 0.5, "hoito": 0.5, "palvelu": 1.0}
    >>> terms == base or not voikko_available()
    True
    >>> text_terms("Kotihoidon kotihoidon", lemmatise=False)
    {'kotihoidon': 2.0}
    """
    use = _lemmatising(lemmatise)
    out: defaultdict[str, float] = defaultdict(float)
    for m in _WORD.finditer(text):
        for term, weight in _word_terms(m.group(), use):
            out[term] += weight
    return dict(out)


def _lemmatising(lemmatise: bool | None) -> bool:
    if lemmatise is not None:
        return lemmatise
    from sotegraph.nlp.voikko import voikko_available

    return voikko_available()


@dataclass(frozen=True, slots=True)
class TextIndex:
    """TF-IDF vectors of the projects' texts, L2-normalised rows of a sparse matrix.

    Term frequency is sublinear (``1 + ln tf``), the inverse document frequency smoothed
    (``ln((1 + N) / (1 + df)) + 1``); a row's dot product with a query vector is their cosine.

    Attributes
    ----------
    projects:
        Project IRIs (the row order).
    terms:
        The vocabulary (the column order).
    idf:
        Inverse document frequency per term.
    matrix:
        ``(len(projects), len(terms))`` CSR matrix of float64.
    lemmatised:
        Whether the terms are Voikko base forms (else lower-cased word forms).
    """

    projects: list[str]
    terms: list[str]
    idf: np.ndarray
    matrix: sp.csr_matrix
    lemmatised: bool
    column: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    row: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.column:
            self.column.update((t, i) for i, t in enumerate(self.terms))
        if not self.row:
            self.row.update((p, i) for i, p in enumerate(self.projects))

    @classmethod
    def build(
        cls,
        texts: Mapping[str, str | Sequence[tuple[str, float]]],
        *,
        lemmatise: bool | None = None,
    ) -> TextIndex:
        """Index the texts of the projects.

        Parameters
        ----------
        texts:
            Per project IRI a text, or ``(text, weight)`` pairs (a name weighs more than a
            summary: :data:`NAME_WEIGHT`).
        lemmatise:
            As in :func:`text_terms`.
        """
        use = _lemmatising(lemmatise)
        projects = sorted(texts)
        column: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for i, p in enumerate(projects):
            given = texts[p]
            parts = [(given, 1.0)] if isinstance(given, str) else list(given)
            counts: defaultdict[str, float] = defaultdict(float)
            for text, weight in parts:
                for term, n in text_terms(text, lemmatise=use).items():
                    counts[term] += n * weight
            for term, n in counts.items():
                rows.append(i)
                cols.append(column.setdefault(term, len(column)))
                values.append(n)
        terms = list(column)
        tf = sp.csr_matrix(
            (
                np.array(values, dtype=np.float64),
                (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)),
            ),
            shape=(len(projects), len(terms)),
        )
        tf.data = _sublinear(tf.data)
        df = np.bincount(tf.indices, minlength=len(terms))
        idf = np.log((1.0 + len(projects)) / (1.0 + df)) + 1.0
        matrix = sp.csr_matrix(tf @ sp.diags(idf))
        _normalise_rows(matrix)
        return cls(projects, terms, idf, matrix, use, column)

    def vector(self, text: str) -> sp.csr_matrix:
        """The normalised TF-IDF row vector of a text (terms outside the index are dropped).

        Raises
        ------
        SotegraphError
            If the text has no words at all.
        """
        counts = text_terms(text, lemmatise=self.lemmatised)
        if not counts:
            raise SotegraphError("the text has no words to compare")
        known = [(self.column[t], n) for t, n in counts.items() if t in self.column]
        vec = sp.csr_matrix((1, len(self.terms)), dtype=np.float64)
        if known:
            cols = np.array([c for c, _ in known])
            tf = _sublinear(np.array([n for _, n in known], dtype=np.float64))
            vec = sp.csr_matrix(
                (
                    tf * self.idf[cols],
                    (np.zeros(len(cols), dtype=np.int64), cols),
                ),
                shape=(1, len(self.terms)),
            )
            _normalise_rows(vec)
        return vec

    def project_vector(self, project: str) -> sp.csr_matrix:
        """The row of an indexed project."""
        return self.matrix[self.row[project]]

    def similarities(self, vector: sp.csr_matrix) -> np.ndarray:
        """Cosine similarity of ``vector`` to every project (row order)."""
        return np.asarray((self.matrix @ vector.T).todense()).ravel()

    def nearest(self, vector: sp.csr_matrix, k: int) -> list[tuple[int, float]]:
        """The ``k`` rows most similar to ``vector`` with a positive cosine, best first."""
        return _top(self.similarities(vector), k)

    def shared_terms(self, vector: sp.csr_matrix, project: str) -> list[tuple[str, float]]:
        """The terms the vector shares with a project, each with its share of the cosine.

        Best first; the shares add up to the cosine.
        """
        row = self.matrix[self.row[project]]
        both = vector.multiply(row).tocoo()
        pairs = [(self.terms[c], float(v)) for c, v in zip(both.col, both.data, strict=True)]
        return sorted(((t, v) for t, v in pairs if v > 0), key=lambda tv: (-tv[1], tv[0]))


def _sublinear(tf: np.ndarray) -> np.ndarray:
    """``1 + ln tf``, kept positive for a lone compound part (tf 0.5 → 0.31)."""
    return np.maximum(1.0 + np.log(np.maximum(tf, 1e-12)), 0.05)


def _normalise_rows(m: sp.csr_matrix) -> None:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m.data /= np.repeat(norms, np.diff(m.indptr))


def _top(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Indices of the ``k`` largest positive scores, best first (ties by index)."""
    positive = np.flatnonzero(scores > 0)
    if k < len(positive):
        cut = np.partition(scores[positive], len(positive) - k)[len(positive) - k]
        positive = positive[scores[positive] >= cut]
    order = positive[np.lexsort((positive, -scores[positive]))][:k]
    return [(int(i), float(scores[i])) for i in order]


@dataclass(frozen=True, slots=True)
class SimilarProject:
    """A project found similar, with the reasons.

    Attributes
    ----------
    project, label, code:
        The project found (IRI, Finnish name, programme code or ``None``).
    score:
        The combined score (weighted mean of the components, 0–1).
    components:
        Per component (``text``, ``partners``, ``places``, ``themes``, ``groups``,
        ``time``) its similarity, 0–1; only the components that were compared.
    terms:
        Shared terms with their share of the text cosine, best first.
    shared:
        Per overlap kind the names of what both projects have (for ``time``: the days).
    """

    project: str
    label: str
    code: str | None
    score: float
    components: dict[str, float]
    terms: list[tuple[str, float]]
    shared: dict[str, list[str]]

    def why(self, *, terms: int = 5) -> str:
        """The reasons in one line: shared terms with weights, then what both have.

        Examples
        --------
        >>> SimilarProject("p", "P", None, 0.5, {"text": 0.5}, [("koti", 0.3)],
        ...                {"partners": ["A"], "time": ["90 days"]}).why()
        'terms: koti 0.30; partners: A; time: 90 days'
        """
        parts: list[str] = []
        if self.terms:
            listed = ", ".join(f"{t} {w:.2f}" for t, w in self.terms[:terms])
            parts.append(f"terms: {listed}")
        for kind, items in self.shared.items():
            if items:
                parts.append(f"{kind}: {', '.join(items)}")
        return "; ".join(parts)


@dataclass(slots=True)
class SimilarityIndex:
    """What :func:`similar_projects` compares with, built once for many queries.

    Attributes
    ----------
    text:
        The TF-IDF index of the names and summaries.
    names:
        The TF-IDF index of the names alone (the same object when no project has a
        summary). The text similarity of two projects is the larger of their cosines in the
        two: a long summary would otherwise drown two names that say the same.
    labels, codes:
        Per project its Finnish name and programme code.
    periods:
        Per project ``(start, end)`` where known (the earliest start and latest end stated).
    incidences:
        Partners, places, themes and groups, rows in the order of ``text.projects``
        (``None``: the index answers text queries only).
    store:
        Where the names of shared partners, places, themes and groups are read when a
        result is explained (``None``: their IRIs are shown); keep it open while the index
        answers project queries.
    """

    text: TextIndex
    names: TextIndex
    labels: dict[str, str]
    codes: dict[str, str]
    periods: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)
    incidences: dict[OverlapBy, Incidence] | None = None
    store: Store | None = None
    _item_labels: dict[str, str] = field(default_factory=dict, repr=False)

    def find(self, key: str) -> str:
        """The project an IRI, a programme code or an exact name (any case) names.

        Raises
        ------
        SotegraphError
            If no project, or several by that name, match.
        """
        key = key.strip()
        if key in self.text.row:
            return key
        folded = key.casefold()
        by_code = [p for p, c in self.codes.items() if c.casefold() == folded]
        if len(by_code) == 1:
            return by_code[0]
        tail = [p for p in self.text.projects if p.rsplit("/", 1)[-1].casefold() == folded]
        if len(tail) == 1:
            return tail[0]
        named = [p for p, name in self.labels.items() if name.casefold() == folded]
        if len(named) == 1:
            return named[0]
        if len(by_code) + len(named) > 1:
            raise SotegraphError(f"several projects match {key!r}: give the IRI")
        raise SotegraphError(f"no project {key!r} in the store (give an IRI, a code or a name)")

    def similar(
        self,
        *,
        text: str | None = None,
        project: str | None = None,
        top: int = 10,
        weights: Mapping[str, float] | None = None,
    ) -> list[SimilarProject]:
        """Rank the projects most similar to a text or to a project of the store.

        Parameters
        ----------
        text:
            A text to compare by its words (names and summaries).
        project:
            A project IRI, code or name (:meth:`find`): compared by text and overlap, and
            left out of the results.
        top:
            How many to return.
        weights:
            Weight per component (``text``, ``partners``, ``themes``, ``groups``,
            ``places``, ``time``) over :data:`DEFAULT_WEIGHTS`.

        Raises
        ------
        SotegraphError
            If not exactly one of ``text`` and ``project`` is given, the project is unknown,
            the text has no words, ``top`` is below 1 or a weight is unknown or negative.
        """
        if (text is None) == (project is None):
            raise SotegraphError("give either a text or a project to compare with")
        if top < 1:
            raise SotegraphError(f"top must be at least 1, not {top}")
        w = _weights(weights)
        iri: str | None = None
        if project is not None:
            iri = self.find(project)
            vectors = (self.text.project_vector(iri), self.names.project_vector(iri))
        else:
            assert text is not None
            vectors = (self.text.vector(text), self.names.vector(text))
        by_text = self.text.similarities(vectors[0])
        by_names = by_text if self.names is self.text else self.names.similarities(vectors[1])
        components: dict[str, np.ndarray] = {TEXT: np.maximum(by_text, by_names)}
        if iri is not None and self.incidences is not None:
            components.update(self._overlaps(self.incidences, self.text.row[iri]))
        candidates = np.zeros(len(self.text.projects), dtype=bool)
        for values in components.values():
            candidates |= values > 0
        if iri is not None:
            candidates[self.text.row[iri]] = False
            if self.incidences is not None:  # time only among projects alike in another way
                components[OverlapBy.TIME.value] = self._time(iri, candidates)
        score = _combine(components, w)
        found = _top(np.where(candidates, score, 0.0), top)
        shared = self._shared(iri, [i for i, _ in found], components)
        out = []
        for (i, s), items in zip(found, shared, strict=True):
            other = self.text.projects[i]
            names_won = by_names[i] > by_text[i]
            terms = (self.names if names_won else self.text).shared_terms(
                vectors[1] if names_won else vectors[0], other
            )
            comps = {k: float(v[i]) for k, v in components.items()}
            out.append(
                SimilarProject(
                    other, self._label(other), self.codes.get(other), s, comps, terms, items
                )
            )
        return out

    def _label(self, iri: str) -> str:
        return self.labels.get(iri) or _tail(iri)

    @staticmethod
    def _overlaps(incidences: Mapping[OverlapBy, Incidence], row: int) -> dict[str, np.ndarray]:
        """Per counted kind the Jaccard similarity of one row to every project."""
        out: dict[str, np.ndarray] = {}
        for kind in _COUNTED_KINDS:
            m = incidences[kind].matrix
            shared = np.asarray((m @ m[row].T).todense()).ravel().astype(np.float64)
            sizes = np.diff(m.indptr).astype(np.float64)
            union = sizes[row] + sizes - shared
            out[kind.value] = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        return out

    def _time(self, iri: str, candidates: np.ndarray) -> np.ndarray:
        """Days both run over days either runs, for ``iri`` and each candidate (as in
        :func:`~sotegraph.network.overlap.project_overlap`)."""
        out = np.zeros(len(self.text.projects))
        if iri not in self.periods:
            return out
        start, end = self.periods[iri]
        picked = [
            k for k in np.flatnonzero(candidates).tolist() if self.text.projects[k] in self.periods
        ]
        if not picked:
            return out
        other = [self.periods[self.text.projects[k]] for k in picked]
        s2 = np.array([s.toordinal() for s, _ in other])
        e2 = np.array([e.toordinal() for _, e in other])
        both = np.minimum(end.toordinal(), e2) - np.maximum(start.toordinal(), s2) + 1
        either = np.maximum(end.toordinal(), e2) - np.minimum(start.toordinal(), s2) + 1
        out[np.array(picked)] = np.where(both > 0, both / np.maximum(either, 1), 0.0)
        return out

    def _shared(
        self, iri: str | None, rows: list[int], components: Mapping[str, np.ndarray]
    ) -> list[dict[str, list[str]]]:
        """Per result row the names of what it shares with ``iri``, kind by kind."""
        if iri is None or self.incidences is None:
            return [{} for _ in rows]
        a = self.text.row[iri]
        out: list[dict[str, list[str]]] = []
        for b in rows:
            items: dict[str, list[str]] = {}
            for kind in _COUNTED_KINDS:
                if components[kind.value][b] > 0:
                    inc = self.incidences[kind]
                    both = np.intersect1d(inc.matrix[a].indices, inc.matrix[b].indices)
                    items[kind.value] = [inc.cols[c] for c in both]
            if components[OverlapBy.TIME.value][b] > 0:
                (s1, e1), (s2, e2) = self.periods[iri], self.periods[self.text.projects[b]]
                items[OverlapBy.TIME.value] = [f"{(min(e1, e2) - max(s1, s2)).days + 1} days"]
            out.append(items)
        named = self._names_of(
            {i for items in out for k, v in items.items() if k != "time" for i in v}
        )
        return [
            {
                k: v if k == "time" else sorted(named.get(i) or _tail(i) for i in v)
                for k, v in items.items()
            }
            for items in out
        ]

    def _names_of(self, iris: set[str]) -> dict[str, str]:
        """Finnish names of partners, places, themes and groups (read once, then kept)."""
        todo = sorted(i for i in iris if i not in self._item_labels)
        if todo and self.store is not None:
            values = " ".join(sparql_term(URIRef(i)) for i in todo)
            for row in self.store.select_lexical(_ITEM_LABELS_SPARQL % values):
                if row["item"] and row["label"]:
                    self._item_labels[row["item"]] = row["label"]
        return self._item_labels


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _combine(components: Mapping[str, np.ndarray], w: Mapping[str, float]) -> np.ndarray:
    """``content · (1 − c + c · context)`` over the components given (see the module)."""
    content_w = sum(w[k] for k in CONTENT if k in components)
    context_w = sum(w[k] for k in CONTEXT if k in components)
    first = next(iter(components.values()))
    content = sum((w[k] * components[k] for k in CONTENT if k in components), np.zeros_like(first))
    content = content / content_w if content_w else content
    if not context_w:
        return content
    context = sum(w[k] * components[k] for k in CONTEXT if k in components) / context_w
    return content * (1.0 - CONTEXT_SHARE + CONTEXT_SHARE * context)


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS)
    for key, value in (weights or {}).items():
        k = str(key).strip().lower()
        if k not in w:
            raise SotegraphError(f"no similarity component {key!r}; valid: {', '.join(w)}")
        if not value >= 0:
            raise SotegraphError(f"similarity weights must not be negative: {key}={value}")
        w[k] = float(value)
    return w


@dataclass(frozen=True, slots=True)
class ProjectTexts:
    """What :func:`read_projects` reads of every project of a store.

    Attributes
    ----------
    texts:
        Per project IRI its names and aliases (weight :data:`NAME_WEIGHT`) and summaries
        (weight 1), as ``(text, weight)`` pairs; every project has an entry.
    labels, codes:
        Per project its Finnish preferred label and programme code.
    periods:
        Per project ``(start, end)`` where known (the earliest start and latest end stated).
    """

    texts: dict[str, list[tuple[str, float]]]
    labels: dict[str, str]
    codes: dict[str, str]
    periods: dict[str, tuple[dt.date, dt.date]]


def read_projects(source: StoreSource) -> ProjectTexts:
    """Read every project's names, summaries, code and period in one SELECT.

    Raises
    ------
    QueryError
        If the query fails on the store.

    Examples
    --------
    >>> from sotegraph.network import example_store
    >>> read = read_projects(example_store())
    >>> sorted(read.labels.values()), len(read.texts)
    (['Eka', 'Kolmas', 'Toka'], 3)
    """
    texts: dict[str, list[tuple[str, float]]] = {}
    labels: dict[str, str] = {}
    codes: dict[str, str] = {}
    dates: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _store_of(source).select_lexical(_PROJECT_SPARQL):
        p, kind, value = row["project"], row["kind"], row["value"]
        if not p:
            continue
        own = texts.setdefault(p, [])  # every project has an entry, also one without a name
        if not value:
            continue
        if kind in ("label", "name"):
            own.append((value, NAME_WEIGHT))
            if kind == "label" and (p not in labels or value < labels[p]):
                labels[p] = value
        elif kind == "summary":
            own.append((value, 1.0))
        elif kind == "code":
            codes[p] = min(codes.get(p, value), value)
        elif kind in ("start", "end"):  # the earliest start and the latest end stated
            known = dates[p].get(kind)
            if known is None or (value < known if kind == "start" else value > known):
                dates[p][kind] = value
    periods: dict[str, tuple[dt.date, dt.date]] = {}
    for p, d in dates.items():
        start, end = _date_range(d.get("start"), d.get("end"))
        if start and end and start <= end:
            periods[p] = (start, end)
    return ProjectTexts(texts, labels, codes, periods)


def similarity_index(
    source: StoreSource, *, overlap: bool = True, lemmatise: bool | None = None
) -> SimilarityIndex:
    """Read the projects' names, summaries, codes and periods (and with ``overlap`` their
    partners, places, themes and groups) and index them.

    One SELECT reads the texts; with ``overlap`` the four incidence SELECTs of
    :func:`~sotegraph.network.matrix.incidence` run beside the indexing on an embedded
    store (it releases the GIL while it evaluates).

    Parameters
    ----------
    source:
        A store, or an object holding one in ``.store`` (a knowledge graph). Keep it open
        while the index answers project queries (the names of shared items are read then).
    overlap:
        Also load what the projects share (needed to compare a project of the store by
        overlap; a text query needs only the texts).
    lemmatise:
        As in :func:`text_terms`.

    Raises
    ------
    QueryError
        If a query fails on the store.
    """
    store = _store_of(source)
    read = read_projects(store)
    texts = read.texts
    projects = sorted(texts)

    def shared() -> dict[OverlapBy, Incidence]:
        return {k: incidence(store, k, rows=projects) for k in _COUNTED_KINDS}

    def index() -> tuple[TextIndex, TextIndex]:
        full = TextIndex.build(texts, lemmatise=lemmatise)
        if all(w == NAME_WEIGHT for parts in texts.values() for _, w in parts):
            return full, full  # no summaries: the names are the whole text
        names = {p: [(t, w) for t, w in parts if w == NAME_WEIGHT] for p, parts in texts.items()}
        return full, TextIndex.build(names, lemmatise=full.lemmatised)

    incidences = None
    if overlap and store.embedded:
        # the four SELECTs run beside the indexing: an embedded store releases the GIL
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sotegraph-query") as pool:
            pending = pool.submit(shared)
            full, names = index()
            incidences = pending.result()
    else:
        full, names = index()
        incidences = shared() if overlap else None
    return SimilarityIndex(full, names, read.labels, read.codes, read.periods, incidences, store)


def similar_projects(
    source: StoreSource | SimilarityIndex,
    text: str | None = None,
    *,
    project: str | None = None,
    top: int = 10,
    weights: Mapping[str, float] | None = None,
    lemmatise: bool | None = None,
) -> list[SimilarProject]:
    """Rank the projects of a store most similar to a text or to one of its projects.

    Parameters
    ----------
    source:
        A store, an object holding one in ``.store``, or a :class:`SimilarityIndex` built
        already (for many queries).
    text:
        A text compared by its words with the projects' names and summaries.
    project:
        A project of the store (IRI, programme code or name) compared by text and by its
        partners, places, themes, groups and period.
    top:
        How many projects to return.
    weights:
        Weights of the components (see :data:`DEFAULT_WEIGHTS`).
    lemmatise:
        As in :func:`text_terms` (when the index is built here).

    Raises
    ------
    SotegraphError
        If not exactly one of ``text`` and ``project`` is given, the project is not in the
        store, the text has no words, or a weight is unknown or negative.

    Examples
    --------
    >>> from sotegraph.network import example_store
    >>> [(s.label, round(s.score, 3), s.why()) for s in
    ...  similar_projects(example_store(), project="Toka", top=2)]
    [('Eka', 0.056, 'partners: a, b'), ('Kolmas', 0.028, 'partners: c')]
    """
    index = (
        source
        if isinstance(source, SimilarityIndex)
        else similarity_index(source, overlap=project is not None, lemmatise=lemmatise)
    )
    return index.similar(text=text, project=project, top=top, weights=weights)

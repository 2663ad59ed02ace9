"""Is a project a social- and health-care (sote) development project: sote, borderline or not.

The decision uses what every genre gives: the project's title, its themes (the SKOS themes of
``data/themes.ttl``), its implementers' names and types, its fund, priority axis and specific
objective, and for records and articles its summary. Words of titles and summaries are
compared by their Voikko base forms (:func:`sotegraph.nlp.voikko.base_forms`) and lower-cased
forms, implementers' names by their lower-cased words, against the stem lists of
``data/relevance/sote_words.json`` (see ``data/relevance/SOURCE.md``). A stem matches a base form containing it
(so that compounds match: *terveyspalvelujen* → *terveyspalvelu* contains *terveyspalvel*); a
stem written ``^stem`` must begin the word, ``=word`` must be the whole base form.

The rules, in order:

1. a title naming tourism, spas, sports facilities or product families → *not*;
2. sote words in the title (or a sote theme) → *sote*, or *borderline* when the title is
   also about business or product development;
3. an implementer that is a sote organisation (hospital district, perusturva, a sote joint
   authority, a care company, a rehabilitation or substance-abuse organisation …) → *sote*
   unless the title is about business (then *borderline*);
4. a 2014–2020 ESF project on priority axis 5 (social inclusion and the fight against
   poverty) → *sote*, or *borderline* for community or urban development;
5. a summary with two or more sote words → *sote* (one → *borderline*); the first
   :data:`SUMMARY_CHARS` characters of a summary are read (an EURA summary has a few
   thousand);
6. welfare, health, work-ability, exercise, youth, elderly or family words in the title (or
   such a theme) → *borderline*;
7. anything else → *not*.

Examples
--------
>>> classify("Kotihoidon kehittäminen Esimerkkilässä").value
'sote'
>>> classify("Tehtaan laajennus", implementers=["Esimerkki Oy"]).value
'not'
>>> classify("Työhyvinvointia pk-yrityksiin").value
'borderline'
>>> classify("Kylien kehittäminen", fund="ESR", period="2014-2020", priority_axis="5").value
'borderline'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache

from sotegraph import resources
from sotegraph.facts import Facts, OrganisationFact, ProjectFact, Role
from sotegraph.nlp import voikko

__all__ = [
    "RELEVANCE_IRI",
    "Relevance",
    "WordLists",
    "assign_relevance",
    "classify",
    "classify_project",
    "implementers_by_project",
]

_WORD = re.compile(r"[0-9a-zåäöéü]+(?:-[0-9a-zåäöéü]+)*", re.IGNORECASE)


class Relevance(StrEnum):
    """How much a project is a sote development project (``sg:soteRelevance``)."""

    SOTE = "sote"
    BORDERLINE = "borderline"
    NOT = "not"


#: The SKOS concept (``sg:soteRelevanceScheme`` in ``ontology/sotegraph.ttl``) of each value.
RELEVANCE_IRI: dict[Relevance, str] = {
    Relevance.SOTE: "https://w3id.org/sotegraph/ontology#soteRelevanceSote",
    Relevance.BORDERLINE: "https://w3id.org/sotegraph/ontology#soteRelevanceBorderline",
    Relevance.NOT: "https://w3id.org/sotegraph/ontology#soteRelevanceNot",
}


_NO_WORD = "(?:)(?!)"  # a pattern that never matches


def _alternation(stems: Iterable[str]) -> str:
    stems = sorted(set(stems), key=len, reverse=True)
    return "|".join(re.escape(s) for s in stems) if stems else _NO_WORD


@dataclass(frozen=True, slots=True)
class _Stems:
    """Stems to match: substrings of a word, word starts, whole base forms and phrases."""

    words: re.Pattern[str]
    phrases: re.Pattern[str]
    #: whether there are phrases at all (most lists have none: nothing to search the text for)
    some_phrases: bool = True
    memo: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, stems: Iterable[str]) -> _Stems:
        inner, start, whole, phrases = [], [], [], []
        for s in stems:
            s = s.casefold()
            if " " in s:
                phrases.append(s)
            elif s.startswith("^"):
                start.append(s[1:])
            elif s.startswith("="):
                whole.append(s[1:])
            else:
                inner.append(s)
        words = "|".join(
            [
                f"(?:{_alternation(inner)})",
                f"^(?:{_alternation(start)})",
                f"^(?:{_alternation(whole)})$",
            ]
        )
        return cls(
            re.compile(words, re.MULTILINE),
            re.compile(f"(?<![0-9a-zåäöéü])(?:{_alternation(phrases)})"),
            some_phrases=bool(phrases),
        )

    def _word(self, keys: str) -> bool:
        hit = self.memo.get(keys)
        if hit is None:
            hit = self.memo[keys] = self.words.search(keys) is not None
        return hit

    def hits(self, keys: Sequence[str], text: str) -> bool:
        """Whether a stem is found in one word's keys (its forms, one a line; ``keys`` has
        them for each word) or, for stems of several words, in the normalised ``text``."""
        memo, search = self.memo, self.words.search  # _word() inlined: called per word
        for k in keys:
            hit = memo.get(k)
            if hit is None:
                hit = memo[k] = search(k) is not None
            if hit:
                return True
        return self.some_phrases and self.phrases.search(text) is not None

    def count(self, keys: Sequence[str], text: str) -> int:
        """How many distinct stems or phrases are found (as :meth:`hits`)."""
        found = {m.group() for k in keys for m in self.words.finditer(k)}
        return len(found | {m.group() for m in self.phrases.finditer(text)})


@dataclass(frozen=True, slots=True)
class WordLists:
    """The stem lists of ``data/relevance/sote_words.json``."""

    sote_title: _Stems
    borderline_title: _Stems
    not_title: _Stems
    business_title: _Stems
    community: _Stems
    sote_implementer: _Stems
    borderline_implementer: _Stems
    sote_themes: frozenset[str]
    borderline_themes: frozenset[str]

    @classmethod
    @cache
    def load(cls) -> WordLists:
        """The package's lists (read once)."""
        data = json.loads(
            resources.data_file("relevance", "sote_words.json").read_text(encoding="utf-8")
        )
        stems = {
            k: _Stems.of(data[k])
            for k in (
                "sote_title",
                "borderline_title",
                "not_title",
                "business_title",
                "community",
                "sote_implementer",
                "borderline_implementer",
            )
        }
        return cls(
            **stems,
            sote_themes=frozenset(data["sote_themes"]),
            borderline_themes=frozenset(data["borderline_themes"]),
        )


@lru_cache(maxsize=131072)
def _word_keys(word: str) -> tuple[str, ...]:
    low = word.casefold()
    keys = [low]
    for b in voikko.base_forms(word):
        b = b.casefold()
        if b not in keys:
            keys.append(b)
    return tuple(keys)


def _plain_keys(word: str) -> tuple[str, ...]:
    return (word.casefold(),)


#: How much of a summary the rules read (rule 5).
SUMMARY_CHARS = 20_000


@lru_cache(maxsize=65536)
def _keys(text: str | None, *, base: bool = True) -> tuple[tuple[str, ...], str]:
    """:func:`_text_keys`, cached (titles and names recur)."""
    return _text_keys(text, base=base)


def _text_keys(text: str | None, *, base: bool = True) -> tuple[tuple[str, ...], str]:
    """Each word's keys (the lower-cased word and, with ``base``, its base forms, one a line;
    a hyphenated word's parts too) and the text with single spaces, lower-cased, then its
    words' last base forms."""
    if not text:
        return (), ""
    words = _WORD.findall(text)
    keys: list[str] = []
    lasts: list[str] = []
    for word in words:
        line, last = _word_line(word, base)
        keys.append(line)
        lasts.append(last)
    low = " ".join(words).casefold()  # casefold maps character by character
    return tuple(keys), f"{low} | {' '.join(lasts)}"


@lru_cache(maxsize=131072)
def _word_line(word: str, base: bool) -> tuple[str, str]:
    """One word's keys for :func:`_text_keys` (one a line) and its last form (titles repeat
    their words: each is worked out once)."""
    word_keys = _word_keys if base else _plain_keys
    own = word_keys(word)
    forms = list(own)
    if "-" in word:
        for part in word.split("-"):
            if part:
                forms.extend(word_keys(part))
    return "\n".join(forms), own[-1]


def _theme_slug(theme: str) -> str:
    return theme.rstrip("/").rsplit("/", 1)[-1]


def classify(
    title: str | None,
    *,
    implementers: Sequence[str] = (),
    implementer_types: Sequence[str] = (),
    fund: str | None = None,
    period: str | None = None,
    priority_axis: str | None = None,
    specific_objective: str | None = None,
    themes: Sequence[str] = (),
    summary: str | None = None,
    words: WordLists | None = None,
) -> Relevance:
    """Decide sote / borderline / not for one project (rules in the module docstring).

    Parameters
    ----------
    title:
        The project's name.
    implementers, implementer_types:
        Names and types (``org_type``) of the organisations that carry the project out.
    fund, period, priority_axis, specific_objective:
        ``ESR``/``EAKR``, ``2014-2020``/``2007-2013``, the axis number (``"5"``) and the
        specific objective's text.
    themes:
        Theme IRIs or slugs (``data/themes.ttl``).
    summary:
        A record's or an article's summary of the project.
    words:
        Other word lists (default: the package's).
    """
    w = words or WordLists.load()
    t_keys, t_text = _keys(" ".join(x for x in (title, specific_objective) if x))
    slugs = {_theme_slug(t) for t in themes}
    if w.not_title.hits(t_keys, t_text):
        return Relevance.NOT
    business = bool(w.business_title.hits(t_keys, t_text))
    sote_title = bool(w.sote_title.hits(t_keys, t_text) or slugs & w.sote_themes)
    if sote_title and not business:
        return Relevance.SOTE
    # names are mostly in the nominative: the lower-cased words do (no Voikko: a build's
    # implementers have many distinct words)
    i_keys, i_text = _keys(" ".join([*implementers, *implementer_types]), base=False)
    if w.sote_implementer.hits(i_keys, i_text):
        return Relevance.SOTE
    if sote_title:
        return Relevance.BORDERLINE
    axis = (priority_axis or "").strip().split(" ")[0].rstrip(".")
    if (fund or "").upper() in {"ESR", "ESF"} and period == "2014-2020" and axis == "5":
        return Relevance.BORDERLINE if w.community.hits(t_keys, t_text) else Relevance.SOTE
    if summary:
        # not cached (a summary is seldom seen twice), and at most SUMMARY_CHARS of it
        s_keys, s_text = _text_keys(summary[:SUMMARY_CHARS])
        found = w.sote_title.count(s_keys, s_text)
        if found >= 2 and not business:
            return Relevance.SOTE
        if found:
            return Relevance.BORDERLINE
    if (
        w.borderline_title.hits(t_keys, t_text)
        or slugs & w.borderline_themes
        or w.borderline_implementer.hits(i_keys, i_text)
    ):
        return Relevance.BORDERLINE
    return Relevance.NOT


_IMPLEMENTING = (Role.LEAD, Role.PARTNER, Role.COORDINATOR)


def implementers_by_project(facts: Facts) -> dict[str, list[OrganisationFact]]:
    """The implementing organisations of each project key."""
    orgs = {o.key: o for o in facts.organisations}
    out: dict[str, list[OrganisationFact]] = {}
    for p in facts.participations:
        o = orgs.get(p.organisation)
        if o is not None and p.role in _IMPLEMENTING:
            out.setdefault(p.project, []).append(o)
    return out


def classify_project(
    facts: Facts,
    project: ProjectFact,
    *,
    implementers: dict[str, list[OrganisationFact]] | None = None,
) -> Relevance:
    """Decide for one project of ``facts`` from its fields and its implementers
    (``implementers``: the index of :func:`assign_relevance`, to decide many at once)."""
    orgs = (implementers if implementers is not None else implementers_by_project(facts)).get(
        project.key, []
    )
    return classify(
        project.name,
        implementers=[o.name for o in orgs],
        implementer_types=[o.org_type for o in orgs if o.org_type],
        fund=project.fund,
        period=project.programme_period,
        priority_axis=project.priority_axis,
        specific_objective=project.specific_objective,
        themes=[t.iri or t.label for t in project.themes],
        summary=" ".join(x for x in (project.summary, project.final_report_summary) if x) or None,
    )


def assign_relevance(facts: Facts) -> None:
    """Fill :attr:`ProjectFact.sote_relevance` of every project of ``facts`` not yet decided."""
    index = implementers_by_project(facts)
    for p in facts.projects:
        if p.sote_relevance is None:
            p.sote_relevance = classify_project(facts, p, implementers=index).value

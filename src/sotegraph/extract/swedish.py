"""Facts from Swedish prose: project pages and news of Finland's Swedish-speaking regions.

A document detected as Swedish (:attr:`sotegraph.read.Document.language`) is read like a
Finnish one — its layout first (:mod:`sotegraph.extract.layout`: fields, lists, tables,
boilerplate; its facts come first and its roles are locked), then what is left of the
text — but the prose goes through the Swedish pipeline of :mod:`sotegraph.nlp.swedish`
(spaCy's ``sv`` language, a sentencizer, a gazetteer from the reference data and cue rules),
sentence by sentence:

- **projects**: ``projektet X`` (``X`` a run of capitalised words, or a sentence-case
  name with an elided compound: ``projektet Morgondagens social- och hälsocentral``), a
  quoted name after ``projektet``, ``X-projektet``, ``projekten A, B och C`` (a later
  ``projekten`` is those), ``projektet X (ABBR)`` (an alias); a project named again by the part of
  its name before a hyphen (``Prima Koe`` for ``Prima Koe-Välmående Koeby``) is the same;
- **roles** from cues (:data:`sotegraph.nlp.swedish.CUES`): ``förvaltas av X``,
  ``koordineras av X``, ``X koordinerar``, ``sökande`` → lead; ``delgenomförare`` →
  partner; ``i samarbete med A, B och C`` → collaborators; ``finansieras av X``,
  ``statsunderstöd från X``, ``pengarna kommer från X`` → funder; ``X har beviljat Y …
  statsunderstöd`` → X funds, Y leads; ``Y har beviljats … av X`` likewise. A cue takes
  the organisations next to it (a list ``A, B och C`` as one); a clause with a negation
  (``inte``, ``ingen``, ``till skillnad från``) gives no roles. EU funds are recorded under
  their canonical (Finnish) names, other organisations as written, in the base form;
- the **project a sentence is about** is the one it names; else, for ``projektet``, the
  last named; else the page's own project; ``båda projekten`` are the last two named;
- **periods**: ``åren 2023–2025``, dates ``1.1.2023–31.12.2025`` with a period cue
  (``pågår``, ``tiden``, ``perioden`` …), ``fortsätter åren …`` (an end only: the project
  began before), ``redan år 2022``/``startade 2022`` (a start year); a project's period
  spans the earliest start and the latest end stated.

Every participation keeps its span, sentence and cue word, as the Finnish extractor's do.

Examples
--------
>>> from sotegraph.read import Document
>>> doc = Document.from_text(
...     "Projektet Koebyn Hälsa koordineras av Vasa stad. Projektet finansieras av "
...     "Social- och hälsovårdsministeriet.", source="koe.txt")
>>> doc.language
'sv'
>>> facts = extract_swedish(doc)
>>> [(p.role.value, facts.organisation(p.organisation).name) for p in facts.participations]
[('lead', 'Vasa stad'), ('funder', 'Social- och hälsovårdsministeriet')]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sotegraph.extract.article import _after_layout, _layout_first
from sotegraph.extract.layout.model import fold
from sotegraph.facts import Facts, OrganisationFact, Participation, ProjectFact, Role, Span
from sotegraph.nlp.swedish import (
    CUE_KEY,
    ORG_KEY,
    base_name,
    load_swedish_pipeline,
    place_names,
)
from sotegraph.read import Document
from sotegraph.values import ONE_DATE, find_period, make_date

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

__all__ = ["extract_swedish", "swedish_facts"]

_ROLES = {
    "lead": Role.LEAD,
    "partner": Role.PARTNER,
    "collaborator": Role.COLLABORATOR,
    "funder": Role.FUNDER,
}
#: words that join the names of a list (``A, B och C``)
_LIST_JOINERS = {",", "och", "samt", "&", "liksom", "även", "både"}
#: clause boundaries (a negation holds up to them)
_CLAUSE_ENDS = {",", ";", ":", "men", "medan", "–", "—"}
#: a grant's noun: ``har beviljat X statsunderstöd``
_GRANT_NOUN = re.compile(
    r"\b\w*(understöd|bidrag|finansiering|medel|anslag|stöd|pengar|euro|miljoner)\w*\b",
    re.IGNORECASE,
)
_PROJECT_WORDS = {"projektet", "utvecklingsprojektet", "pilotprojektet", "delprojektet"}
_PROJECT_SUFFIX = re.compile(r"^(?P<stem>.+?)[-–](?:projektet|projekt|projektets)$", re.I)
_QUOTES = "\"”“«»'’"
#: words that end a name after ``projektet`` (verbs and words a name does not hold)
_NAME_STOP = {
    "är", "var", "har", "hade", "får", "fick", "ska", "skall", "kan", "kommer", "vill",
    "fortsätter", "pågår", "genomförs", "drivs", "förvaltas", "leds", "finansieras",
    "startade", "inleddes", "syftar", "riktar", "ingår", "och", "som", "i", "på", "av",
    "med", "för", "till", "från", "vid", "under", "inom", "om",
}  # fmt: skip
#: small words inside a name between two capitalised words
_NAME_INNER = {"i", "på", "för", "och", "med", "till", "av", "mot", "utan"}
_ABBR = re.compile(r"^[A-ZÅÄÖ][A-ZÅÄÖ0-9-]{1,11}$")
_PLURAL_WORDS = {"projekten", "utvecklingsprojekten", "delprojekten"}
_PLURAL = re.compile(r"\b(?P<n>båda|bägge|de\s+två|alla\s+tre|de\s+tre)\s+projekten\b", re.I)
_N_PLURAL = {"båda": 2, "bägge": 2, "två": 2, "tre": 3}
_ANAPHORA = re.compile(r"\bprojektet\b", re.I)
_PLURAL_ANAPHORA = re.compile(r"\bprojekten\b", re.I)

_YEARS = re.compile(
    r"\b(?:under\s+|för\s+|mellan\s+|på\s+)?åren\s+(?P<a>(?:19|20)\d\d)\s*[–—-]\s*"
    r"(?P<b>(?:19|20)\d\d)\b",
    re.I,
)
_CONTINUES = re.compile(r"\b(fortsätter|fortsatte|förlängs|förlängdes|fortgår)\b", re.I)
_PERIOD_CUE = re.compile(
    r"\b(pågår|pågick|genomförs|genomfördes|löper|varar|fortsätter|tiden|perioden|"
    r"projekttiden|projektperioden|verksamhetsperioden|start\w*|inled\w*|avslut\w*)\b",
    re.I,
)
#: dates of an application round, not of a project
_NOT_PROJECT_PERIOD = re.compile(
    r"\b(ansökningstid\w*|ansökningsperiod\w*|ansökan|anmälningstid\w*)\b", re.I
)
_START_YEAR = re.compile(
    r"\b(?:redan|sedan)\s+(?:år\s+|året\s+)?(?P<a>(?:19|20)\d\d)\b"
    r"|\b(?:startade|startades|inleddes|började|grundades|kom\s+igång)\s+(?:år\s+|i\s+)?"
    r"(?P<b>(?:19|20)\d\d)\b"
    r"|\b(?:år|i)\s+(?P<c>(?:19|20)\d\d)\s+(?:startade|startades|inleddes|började)\b",
    re.I,
)
_END_YEAR = re.compile(
    r"\b(?:pågår|pågick|fortsätter|löper|varar)\b[^.]*?\b(?:fram\s+till|till\s+och\s+med|"
    r"till)\s+(?:slutet\s+av\s+)?(?:år\s+)?(?P<y>(?:19|20)\d\d)\b",
    re.I,
)

_When = dt.date | int


def _year(v: _When) -> int:
    return v.year if isinstance(v, dt.date) else v


def _earlier(a: _When | None, b: _When) -> _When:
    """The earlier start of two; a date beats a bare year of the same year."""
    if a is None or _year(b) < _year(a):
        return b
    if _year(b) == _year(a) and isinstance(b, dt.date) and not isinstance(a, dt.date):
        return b
    return a


def _later(a: _When | None, b: _When) -> _When:
    """The later end of two; a date beats a bare year of the same year."""
    if a is None or _year(b) > _year(a):
        return b
    if _year(b) == _year(a) and isinstance(b, dt.date) and not isinstance(a, dt.date):
        return b
    return a


@dataclass(slots=True)
class _Mention:
    """An organisation in a sentence: token offsets, the name to record, char span."""

    start: int
    end: int
    name: str
    chars: tuple[int, int]


@dataclass(slots=True)
class _Periods:
    starts: list[_When] = field(default_factory=list)
    ends: list[_When] = field(default_factory=list)


def _short_forms(name: str) -> list[str]:
    """Shorter names a text uses for a project: the part before a hyphen or a dash."""
    out: list[str] = []
    m = re.match(r"^(?P<s>[^-–—]{5,}?)\s*(?:-(?=[A-ZÅÄÖ])|\s[–—-]\s)", name)
    if m:
        out.append(m.group("s").strip())
    return out


class _Reader:
    """Reads the sentences of a parsed Swedish text into ``facts`` (spans: the clean view)."""

    def __init__(self, facts: Facts, main: str | None) -> None:
        self.facts = facts
        self.main = main
        self.recent: list[str] = []
        self.periods: dict[str, _Periods] = {}
        self.orgs: dict[str, str] = {}
        for o in facts.organisations:
            for n in (o.name, o.canonical_name, *o.aliases):
                if n:
                    self.orgs.setdefault(fold(n), o.key)
        self.taken = {(x.project, x.organisation) for x in facts.participations}
        #: the projects a sentence lists (``projekten A, B och C``)
        self.group: list[str] = []
        self.last_group: list[str] = []
        self.n_proj = self.n_org = 0

    # ------------------------------------------------------------------ projects

    def _forms(self) -> list[tuple[str, str]]:
        """``(form, key)`` of every known project, the longest forms first."""
        out: list[tuple[str, str]] = []
        for p in self.facts.projects:
            names = [n for n in (p.name, *p.aliases) if n]
            for form in names + [s for n in names for s in _short_forms(n)]:
                out.append((form, p.key))
        return sorted(out, key=lambda x: -len(x[0]))

    def _project(self, name: str, chars: tuple[int, int], text: str) -> str:
        """The key of the project named ``name``; a new project if none is known."""
        name = name.strip(" ,.;:" + _QUOTES)
        fn = fold(name)
        for p in self.facts.projects:
            for n in (p.name, *p.aliases):
                if not n:
                    continue
                f = fold(n)
                if f == fn or f.startswith(fn + "-") or fn.startswith(f + "-"):
                    return p.key
                if f.startswith(fn + " "):
                    return p.key
                if fn.startswith(f + " ") and n == p.name:
                    # the layout cut the name at a small word ("Projektet Vård" of
                    # "Projektet Vård i Rörelse"): the longer name is the name
                    p.name = name
                    return p.key
        self.n_proj += 1
        key = f"sv{self.n_proj}"
        line = text.count("\n", 0, chars[0]) + 1
        self.facts.projects.append(ProjectFact(key=key, name=name, span=Span(*chars, line)))
        return key

    def _named(self, sent: SpacySpan) -> list[tuple[str, int, int]]:
        """Projects a sentence names: ``(key, first token, end token)`` in text order."""
        doc = sent.doc
        found: list[tuple[str, int, int]] = []
        self.group = []
        for i in range(sent.start, sent.end):
            t = doc[i]
            if t.lower_ in _PROJECT_WORDS or t.lower_ in _PLURAL_WORDS:
                j = i + 1
                single = t.lower_ in _PROJECT_WORDS
                while (got := self._name_after(sent, j, single=single)) is not None:
                    a, b = got
                    chars = (doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text))
                    name = doc.text[chars[0] : chars[1]]
                    key = self._project(name, chars, doc.text)
                    b = self._abbreviation(sent, b, key)
                    found.append((key, a, b))
                    if single:
                        break
                    self.group.append(key)  # "projekten A, B och C"
                    while b < sent.end and doc[b].lower_ in (",", "och", "samt"):
                        b += 1
                    if b == j or b >= sent.end:
                        break
                    j = b
            m = _PROJECT_SUFFIX.match(t.text)
            if m and m.group("stem")[:1].isupper():
                a = i
                while a > sent.start and doc[a - 1].is_title and not doc[a - 1].is_stop:
                    a -= 1
                chars = (doc[a].idx, t.idx + len(m.group("stem")))
                name = doc.text[chars[0] : chars[1]]
                found.append((self._project(name, chars, doc.text), a, i + 1))
        covered = {k for _key, a, b in found for k in range(a, b)}
        text = sent.text
        for form, key in self._forms():
            for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w])", text):
                span = sent.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None or covered & set(range(span.start, span.end)):
                    continue
                covered |= set(range(span.start, span.end))
                found.append((key, span.start, span.end))
        return sorted(found, key=lambda x: x[1])

    def _abbreviation(self, sent: SpacySpan, b: int, key: str) -> int:
        """``(ABBR)`` right after a name is the project's alias; the end past it."""
        doc = sent.doc
        if b + 2 < sent.end and doc[b].text == "(" and doc[b + 2].text == ")":
            abbr = doc[b + 1].text
            if _ABBR.match(abbr):
                p = self.facts.project(key)
                if abbr not in p.aliases and abbr != p.name:
                    p.aliases.append(abbr)
                return b + 3
        return b

    @staticmethod
    def _name_after(sent: SpacySpan, j: int, *, single: bool = True) -> tuple[int, int] | None:
        """The tokens ``[a, b)`` of a name right after ``projektet``, if one stands there.

        In a list (``projekten A, B och C``: not ``single``) ``och`` ends a name.
        """
        doc = sent.doc
        if j >= sent.end:
            return None
        first = doc[j]
        if first.text in _QUOTES:  # a quoted name
            for k in range(j + 1, min(sent.end, j + 20)):
                if doc[k].text in _QUOTES:
                    return (j + 1, k) if k > j + 1 else None
            return None
        if not (first.text[:1].isupper() or first.text[:1].isdigit()) or first.is_punct:
            return None
        k = j + 1
        while k < sent.end:
            t, prev = doc[k], doc[k - 1]
            if t.is_punct or t.is_space:
                break
            if t.text[:1].isupper() or t.text[:1].isdigit():
                k += 1
                continue
            nxt = doc[k + 1] if k + 1 < sent.end else None
            inner = t.lower_ in _NAME_INNER and (single or t.lower_ not in ("och", "samt"))
            place = nxt is not None and nxt.text in place_names()
            if inner and nxt is not None and nxt.is_title and not nxt.is_stop and not place:
                k += 2  # "Vård i Rörelse", "Äldre på Landet"; not "Koe i Vasa"
                continue
            if t.lower_ in _NAME_STOP and not (
                t.lower_ in ("och", "samt") and prev.text[-1:] == "-"
            ):
                break
            elided = prev.text.endswith("-") or (
                prev.lower_ in ("och", "samt") and doc[k - 2].text.endswith("-")
            )
            genitive = prev.text[:1].isupper() and prev.lower_.endswith("s") and k - 1 == j
            if elided or genitive:
                k += 1
                continue
            break
        if k > j and doc[k - 1].text.endswith("-"):
            return None
        return (j, k)

    def _targets(self, sent: SpacySpan, named: list[tuple[str, int, int]]) -> list[str]:
        """The projects a sentence speaks of."""
        for _key, _a, _b in named:
            if _key not in self.recent[-1:]:
                self.recent.append(_key)
        m = _PLURAL.search(sent.text)
        if m:
            n = _N_PLURAL.get(m.group("n").split()[-1].lower(), 2)
            out: list[str] = []
            for k in reversed(self.recent):
                if k not in out:
                    out.append(k)
                if len(out) == n:
                    return out
        if len(self.group) > 1:
            self.last_group = list(dict.fromkeys(self.group))
            return self.last_group
        if not named and self.last_group and _PLURAL_ANAPHORA.search(sent.text):
            return self.last_group
        if named:
            return [named[0][0]]
        if _ANAPHORA.search(sent.text) and self.recent:
            return [self.recent[-1]]
        if self.main is not None:
            return [self.main]
        return self.recent[-1:]

    # ------------------------------------------------------------------ organisations

    def _org_key(self, m: _Mention, text: str) -> str:
        f = fold(m.name)
        if f in self.orgs:
            return self.orgs[f]
        self.n_org += 1
        key = f"so{self.n_org}"
        line = text.count("\n", 0, m.chars[0]) + 1
        self.facts.organisations.append(OrganisationFact(key, m.name, Span(*m.chars, line)))
        self.orgs[f] = key
        return key

    def _roles(
        self, sent: SpacySpan, orgs: list[_Mention], targets: list[str]
    ) -> list[tuple[_Mention, Role, str]]:
        """``(organisation, role, cue)`` the sentence states."""
        doc = sent.doc
        cues = [c for c in doc.spans[CUE_KEY] if sent.start <= c.start and c.end <= sent.end]
        clause = {}
        n = 0
        for i in range(sent.start, sent.end):
            if doc[i].lower_ in _CLAUSE_ENDS:
                n += 1
            clause[i] = n
        negated = {clause[c.start] for c in cues if c.label_.startswith("neg:")}
        orgs = [o for o in orgs if clause[o.start] not in negated]
        if not orgs or not targets:
            return []

        def gap_ok(a: int, b: int, most: int) -> bool:
            return 0 <= b - a <= most and not any(doc[k].is_punct for k in range(a, b))

        def chain(k: int, step: int) -> list[int]:
            out = [k]
            while 0 <= k + step < len(orgs):
                nxt = k + step
                a, b = (
                    (orgs[k].end, orgs[nxt].start) if step > 0 else (orgs[nxt].end, orgs[k].start)
                )
                words = {doc[x].lower_ for x in range(a, b)}
                if b < a or not words <= _LIST_JOINERS:
                    break
                out.append(nxt)
                k = nxt
            return out

        def after(pos: int, most: int = 3) -> list[int]:
            for k, o in enumerate(orgs):
                if o.start >= pos and gap_ok(pos, o.start, most):
                    return chain(k, 1)
            return []

        def before(pos: int, most: int = 3) -> list[int]:
            for k in range(len(orgs) - 1, -1, -1):
                if orgs[k].end <= pos and gap_ok(orgs[k].end, pos, most):
                    return chain(k, -1)
            return []

        claims: list[tuple[int, int, Role, str]] = []  # (distance, org index, role, cue)

        def claim(ks: list[int], role: Role, c: SpacySpan) -> None:
            for k in ks:
                o = orgs[k]
                dist = o.start - c.end if o.start >= c.end else c.start - o.end
                claims.append((dist, k, role, c.text))

        grant_noun = bool(_GRANT_NOUN.search(sent.text))
        for c in cues:
            kind, _, where = c.label_.partition(":")
            if kind == "neg" or clause[c.start] in negated:
                continue
            if kind == "grant":
                if grant_noun:
                    claim(before(c.start), Role.FUNDER, c)
                    claim(after(c.end, 2), Role.LEAD, c)
                continue
            if kind == "granted":
                if grant_noun:
                    claim(before(c.start) or after(c.end, 0), Role.LEAD, c)
                    for i in range(c.end, sent.end):
                        if doc[i].lower_ == "av":
                            claim(after(i + 1, 2), Role.FUNDER, c)
                            break
                continue
            role = _ROLES[kind]
            if where == "after":
                claim(after(c.end), role, c)
            elif where == "before":
                claim(before(c.start) or after(c.end, 0), role, c)
            else:  # near: the nearest organisation of the clause
                best: tuple[int, int] | None = None
                for k, o in enumerate(orgs):
                    lo, hi = min(o.start, c.start), max(o.end, c.end)
                    words = {doc[x].lower_ for x in range(lo, hi)} & _CLAUSE_ENDS
                    if words - {":"}:
                        continue
                    d = o.start - c.end if o.start >= c.end else c.start - o.end
                    if 0 <= d <= 5 and (best is None or d < best[0]):
                        best = (d, k)
                if best is not None:
                    claim(chain(best[1], 1 if orgs[best[1]].start >= c.end else -1), role, c)
        out: dict[int, tuple[_Mention, Role, str]] = {}
        for _d, k, role, cue in sorted(claims, key=lambda x: x[0]):
            out.setdefault(k, (orgs[k], role, cue))
        return [out[k] for k in sorted(out)]

    # ------------------------------------------------------------------ periods

    def _periods(self, sent: SpacySpan, targets: list[str], named: bool) -> None:
        text = sent.text
        if not targets:
            return
        starts: list[_When] = []
        ends: list[_When] = []
        continues = bool(_CONTINUES.search(text))
        m = _YEARS.search(text)
        if m:
            if not continues:
                starts.append(int(m.group("a")))
            ends.append(int(m.group("b")))
        if _PERIOD_CUE.search(text) and not _NOT_PROJECT_PERIOD.search(text):
            s, e = find_period(text)
            dates = [make_date(*d) for d in ONE_DATE.findall(text)]
            if not isinstance(s, dt.date) and len(dates) == 2 and dates[0] and dates[1]:
                s, e = dates[0], dates[1]
            if isinstance(s, dt.date) and isinstance(e, dt.date) and s < e:
                starts.append(s)
                ends.append(e)
        about = named or bool(_ANAPHORA.search(text))
        if about:
            m2 = _START_YEAR.search(text)
            if m2:
                starts.append(int(m2.group("a") or m2.group("b") or m2.group("c")))
            m3 = _END_YEAR.search(text)
            if m3:
                ends.append(int(m3.group("y")))
        for key in targets:
            p = self.periods.setdefault(key, _Periods())
            p.starts += starts
            p.ends += ends

    # ------------------------------------------------------------------ reading

    def read(self, doc: Doc) -> None:
        text = doc.text
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            named = self._named(sent)
            in_names = {k for _key, a, b in named for k in range(a, b)}
            mentions = [
                _Mention(
                    s.start,
                    s.end,
                    s.id_ or base_name(s.text),
                    (s.start_char, s.end_char),
                )
                for s in doc.spans[ORG_KEY]
                if sent.start <= s.start
                and s.end <= sent.end
                and not in_names & set(range(s.start, s.end))
            ]
            targets = self._targets(sent, named)
            sentence = " ".join(sent.text.split())
            for m, role, cue in self._roles(sent, mentions, targets):
                org = self._org_key(m, text)
                line = text.count("\n", 0, m.chars[0]) + 1
                for project in targets:
                    if (project, org) in self.taken:
                        continue
                    self.taken.add((project, org))
                    self.facts.participations.append(
                        Participation(project, org, role, Span(*m.chars, line), sentence, cue)
                    )
            self._periods(sent, targets, bool(named))
        for key, per in self.periods.items():
            p = self.facts.project(key)
            start, end = p.start, p.end
            for s in per.starts:
                start = _earlier(start, s)
            for e in per.ends:
                end = _later(end, e)
            if start is not None and end is not None and _year(start) > _year(end):
                continue
            p.start, p.end = start, end


def swedish_facts(document: Document, doc: Doc, facts: Facts, main: str | None) -> Facts:
    """Merge what a parsed Swedish text states into ``facts`` (layout facts first).

    Parameters
    ----------
    document:
        The document parsed (its text is ``doc.text``; spans index into it).
    doc:
        The text parsed by :func:`sotegraph.nlp.swedish.load_swedish_pipeline`.
    facts:
        The facts to add to (in place; returned): the layout's, whose roles are kept.
    main:
        The key of the page's own project, if it has one.
    """
    _Reader(facts, main).read(doc)
    return facts


def extract_swedish(document: Document, *, nlp: Language | None = None) -> Facts:
    """Extract the facts of a Swedish prose document (article, news item, project page).

    The layout is read first (as for Finnish prose); the prose left is parsed by the
    Swedish pipeline and its facts merged after (see the module docstring).

    Parameters
    ----------
    document:
        The document; its whole text is read.
    nlp:
        A loaded Swedish pipeline to reuse; :func:`load_swedish_pipeline` when ``None``.

    Returns
    -------
    Facts
        Projects, organisations with roles and periods; every participation with its
        span, sentence and cue word.

    Raises
    ------
    sotegraph.errors.SotegraphError
        If spaCy is not installed.
    """
    nlp = nlp if nlp is not None else load_swedish_pipeline()
    layout, clean = _layout_first(document)
    if len(clean.text) >= nlp.max_length:
        nlp.max_length = len(clean.text) + 1
    doc = nlp(clean.text)
    main = None if layout.multi else layout.main_project
    facts = swedish_facts(clean, doc, layout.facts, main)
    return _after_layout(document, layout, facts)

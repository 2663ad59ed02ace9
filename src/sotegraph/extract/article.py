"""Facts from Finnish prose: articles, news items, project pages and EURA prose sections.

The text is parsed by the sotegraph spaCy pipeline (:func:`sotegraph.nlp.load_pipeline`);
this module turns what its components mark into :class:`~sotegraph.facts.Facts`,
sentence by sentence:

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
- **themes** through :class:`sotegraph.resolve.themes.ThemeResolver` over the sentences
  about each project, the title weighted above the lead paragraph and that above the body;
- **target areas** of articles' projects: places that
  :class:`sotegraph.resolve.regions.RegionResolver` resolves, in sentences about the project
  that speak of an area (``toteutuu Etelä-Savossa``, ``alueen kunnissa``).

Every participation keeps its character span, sentence and cue word (``role_text``); the
RDF stage writes them on the participation node (``sg:sentence``, ``prov:wasDerivedFrom``),
which is what ``sotegraph explain`` shows.

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

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sotegraph.facts import (
    Facts,
    GroupFact,
    GroupKind,
    OrganisationFact,
    Participation,
    ProjectFact,
    Role,
    Span,
    ThemeMention,
)
from sotegraph.nlp.lexicon import (
    base_forms,
    base_name,
    cues,
    gazetteer_entries,
    is_plural_keyword,
    keyword_kind,
)
from sotegraph.read import Document

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = [
    "enrich_record",
    "extract_article",
    "extract_articles",
    "facts_from_doc",
    "load_pipeline",
    "parse_amount",
    "prose_sections",
]

_ROLE_OF = {
    "lead": Role.LEAD,
    "partner": Role.PARTNER,
    "collaborator": Role.COLLABORATOR,
    "funder": Role.FUNDER,
    "coordinator": Role.COORDINATOR,
}
_AGENT_NOUNS = frozenset(
    {
        "osatoteuttaja",
        "päätoteuttaja",
        "hallinnoija",
        "rahoittaja",
        "yhteistyökumppani",
        "kumppani",
        "pilottiorganisaatio",
        "vetäjä",
        "hakija",
        "osahakija",
    }
)
_NUMERALS = frozenset(
    [
        "kaksi",
        "kolme",
        "neljä",
        "viisi",
        "kuusi",
        "seitsemän",
        "kahdeksan",
        "yhdeksän",
        "kymmenen",
        "useat",
        "monet",
        "muutamat",
        "kaikki",
        "molemmat",
    ]
)
_WEAK_DISTANCE = 3
_MAX_CUE_DISTANCE = 40
_SUBTITLE = re.compile(r"\s+[–—-]\s+")
_ATTACHED_FUNDER = re.compile(r"^(?P<name>[A-ZÅÄÖ][\wÅÄÖåäö]*)-rahoit\w*$")


def load_pipeline() -> Language:
    """Return the process-wide sotegraph spaCy pipeline (loaded once; see :mod:`sotegraph.nlp`).

    Raises
    ------
    sotegraph.errors.SotegraphError
        If spaCy or the Finnish model is not installed.
    """
    from sotegraph.nlp import load_pipeline as _load

    return _load()


# --------------------------------------------------------------------------- helpers


def _norm_name(name: str) -> str:
    text = name.casefold().strip(" \t\n\"'”“«»")
    text = re.sub(r"[‐‑–—]", "-", text)
    text = re.sub(r"\s*-\s*(?=\s)", " -", text)
    return re.sub(r"\s+", " ", text)


def _name_like(short: str) -> bool:
    """A one-word name distinctive enough to be the start of a longer name."""
    if " " in short or len(short) < 3:
        return False
    return short.isupper() or any(c.isupper() for c in short[1:]) or len(short) >= 8


def _parse_date(text: str) -> dt.date | None:
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _month_start(text: str) -> dt.date | None:
    m = re.fullmatch(r"(\d{1,2})/(\d{4})", text.strip())
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    return dt.date(int(m.group(2)), int(m.group(1)), 1)


def _month_end(text: str) -> dt.date | None:
    start = _month_start(text)
    if start is None:
        return None
    nxt = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_period(text: str) -> tuple[dt.date | int | None, dt.date | int | None]:
    """Parse a period expression into (start, end); years stay ``int``.

    >>> parse_period("1.3.2020–28.2.2023")
    (datetime.date(2020, 3, 1), datetime.date(2023, 2, 28))
    >>> parse_period("vuosina 2019–2021")
    (2019, 2021)
    >>> parse_period("1/2019–12/2022")
    (datetime.date(2019, 1, 1), datetime.date(2022, 12, 31))
    >>> parse_period("vuodelle 2022")
    (2022, None)
    """
    dates = re.findall(r"\d{1,2}\.\d{1,2}\.\d{4}", text)
    if len(dates) >= 2:
        return _parse_date(dates[0]), _parse_date(dates[1])
    months = re.findall(r"\d{1,2}/\d{4}", text)
    if len(months) >= 2:
        return _month_start(months[0]), _month_end(months[1])
    years = [int(y) for y in re.findall(r"(?<![\d.])(?:19|20)\d\d(?![\d.])", text)]
    if len(years) >= 2:
        return years[0], years[1]
    if len(years) == 1:
        return years[0], None
    if len(dates) == 1:
        return _parse_date(dates[0]), None
    return None, None


@dataclass(slots=True)
class _Mention:
    kind: str  # "project" | "consortium" | "network" | "programme" | "org"
    key: str
    start: int  # token indices
    end: int
    source: str = ""
    plural: bool = False
    after: int = -1  # first token after the mention and any unit named with it


@dataclass(slots=True)
class _Cue:
    label: str
    start: int
    end: int
    text: str
    lemma: str
    participle: bool = False
    agent_noun: bool = False
    roles: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _ProjectInfo:
    fact: ProjectFact
    names: list[str] = field(default_factory=list)
    gathering: bool = False
    word_bases: list[frozenset[str]] = field(default_factory=list)


# --------------------------------------------------------------------------- the builder


class _Builder:
    """Turns one parsed text (or several sections of one document) into facts."""

    def __init__(self, facts: Facts, document: Document, *, default_project: str | None = None):
        self.facts = facts
        self.document = document
        self.default_project = default_project
        self.projects: dict[str, _ProjectInfo] = {}
        self.project_index: dict[str, str] = {}
        self.groups: dict[str, GroupFact] = {}
        self.group_index: dict[str, str] = {}
        self.orgs: dict[str, OrganisationFact] = {}
        self.org_index: dict[str, str] = {}
        self.org_authority: dict[str, str] = {}
        self.existing_roles: set[tuple[str, str]] = set()
        self.theme_text: dict[str, list[tuple[str, int, float]]] = {}
        self.org_chars: list[tuple[int, int]] = []
        self.funder_evidence: dict[tuple[str, str], tuple[Span, str, str]] = {}
        self.offset = 0
        self.listed: list[str] = []
        self.mentioned_known: dict[str, bool] = {}
        self._n_project = 0
        self._n_group = 0
        self._n_org = 0
        for p in facts.projects:
            info = _ProjectInfo(p, names=[n for n in [p.name, *p.aliases] if n])
            self.projects[p.key] = info
            for n in info.names:
                self.project_index.setdefault(_norm_name(n), p.key)
        for g in facts.groups:
            self.groups[g.key] = g
            for n in [g.name, *g.aliases]:
                self.group_index.setdefault(_norm_name(n), g.key)
        for o in facts.organisations:
            self.orgs[o.key] = o
            for n in [o.name, *o.aliases]:
                self._index_org(n, o.key)
        for part in facts.participations:
            self.existing_roles.add((part.project, part.organisation))

    # ----- organisations -------------------------------------------------------------

    def _index_org(self, name: str, key: str) -> None:
        self.org_index.setdefault(_norm_name(name), key)
        self.org_index.setdefault(_norm_name(base_name(name.split())), key)
        loose = _loose_key(name)
        if loose:
            self.org_index.setdefault(loose, key)
        auth = _authority_id(name)
        if auth:
            self.org_authority.setdefault(auth, key)

    def org_key(self, span: SpacySpan) -> str:
        """The document-local key of the organisation an organisation mention names."""
        written = span.text.strip().rstrip(".,;:")
        words = written.split()
        name = base_name(words, head_lemma=span[-1].lemma_) if words else written
        known = span.kb_id_ or ""
        for cand in (known, name, written):
            if cand and _norm_name(cand) in self.org_index:
                return self.org_index[_norm_name(cand)]
        loose = _loose_key(name)
        if loose and loose in self.org_index:  # "Mäntsälän Kehitys" = "Mäntsälän Kehitys Oy"
            key = self.org_index[loose]
            self._index_org(name, key)
            return key
        auth = _authority_id(known or name)
        if auth and auth in self.org_authority:
            key = self.org_authority[auth]
            self._index_org(name, key)
            return key
        self._n_org += 1
        key = f"o{self._n_org}"
        while any(o == key for o in self.orgs):
            self._n_org += 1
            key = f"o{self._n_org}"
        fact = OrganisationFact(key=key, name=name, span=self.span_of(span))
        if known and _norm_name(known) != _norm_name(name):
            fact.canonical_name = known
            gaz = _gazetteer_by_name().get(known)
            if gaz is not None:
                fact.business_id = gaz.business_id or None
                fact.org_type = gaz.org_type or None
        self.orgs[key] = fact
        for cand in (known, name, written):
            if cand:
                self._index_org(cand, key)
        return key

    def org_key_for_name(self, written: str, span: SpacySpan) -> str | None:
        """The key of a known organisation named by an abbreviation inside a word (``ESR-``)."""
        key = self.org_index.get(_norm_name(written))
        if key is not None:
            return key
        entry = _gazetteer_by_alias().get(_norm_name(written))
        if entry is None:
            return None
        key = self.org_index.get(_norm_name(entry.name))
        if key is not None:
            return key
        self._n_org += 1
        key = f"o{self._n_org}"
        while key in self.orgs:
            self._n_org += 1
            key = f"o{self._n_org}"
        self.orgs[key] = OrganisationFact(
            key=key,
            name=entry.name,
            span=self.span_of(span),
            aliases=[written] if written != entry.name else [],
            business_id=entry.business_id or None,
            org_type=entry.org_type or None,
        )
        self._index_org(entry.name, key)
        self._index_org(written, key)
        return key

    def add_org_alias(self, key: str, alias: str) -> None:
        fact = self.orgs[key]
        if alias not in fact.aliases and _norm_name(alias) != _norm_name(fact.name):
            fact.aliases.append(alias)
        self._index_org(alias, key)

    # ----- projects and groups -----------------------------------------------------------

    def project_key(
        self, name: str, *, span: Span | None = None, aliases: Sequence[str] = ()
    ) -> str:
        norm = _norm_name(name)
        key = self.project_index.get(norm)
        if key is None:
            for a in aliases:
                key = self.project_index.get(_norm_name(a))
                if key:
                    break
        if key is None and _name_like(name):
            for other_norm, other_key in self.project_index.items():
                if other_norm.startswith(norm + " "):
                    key = other_key
                    break
        if key is None and " " in name:
            # a longer name whose first word is a known short name ("SoteDialogit muutoksessa")
            first = name.split()[0]
            if _name_like(first):
                key = self.project_index.get(_norm_name(first))
        if key is None:
            self._n_project += 1
            key = f"p{self._n_project}"
            while key in self.projects:
                self._n_project += 1
                key = f"p{self._n_project}"
            self.projects[key] = _ProjectInfo(ProjectFact(key=key, name=name, span=span))
        info = self.projects[key]
        for n in (name, *aliases):
            self._add_project_name(info, n)
        return key

    def _add_project_name(self, info: _ProjectInfo, name: str) -> None:
        norm = _norm_name(name)
        if not norm:
            return
        self.project_index.setdefault(norm, info.fact.key)
        if any(_norm_name(n) == norm for n in info.names):
            return
        info.names.append(name)
        fact = info.fact
        # "Hyvä Arki – kotihoito uudistuu": the part before the subtitle is an alias
        parts = _SUBTITLE.split(name, maxsplit=1)
        if len(parts) == 2 and parts[0] and parts[0] not in fact.aliases:
            fact.aliases.append(parts[0])
            self.project_index.setdefault(_norm_name(parts[0]), fact.key)
        current = fact.name or ""
        if not current or _norm_name(current) == norm:
            fact.name = current or name
            return
        # the fullest name is the name; the others are aliases
        if _better_name(name, current):
            if current and current not in fact.aliases:
                fact.aliases.append(current)
            fact.name = name
        elif name not in fact.aliases:
            fact.aliases.append(name)

    def group_key(self, name: str, kind: GroupKind, *, span: Span | None = None) -> str:
        norm = _norm_name(name)
        key = self.group_index.get(norm)
        if key is None:
            for other_norm, other_key in self.group_index.items():
                if other_norm.startswith(norm + " ") or norm.startswith(other_norm + " "):
                    key = other_key
                    break
        if key is None:
            self._n_group += 1
            key = f"g{self._n_group}"
            while key in self.groups:
                self._n_group += 1
                key = f"g{self._n_group}"
            self.groups[key] = GroupFact(key=key, name=name, kind=kind, span=span)
        g = self.groups[key]
        self.group_index.setdefault(norm, key)
        if _norm_name(g.name) != norm and name not in g.aliases:
            if _better_name(name, g.name):
                g.aliases.append(g.name)
                g.name = name
            else:
                g.aliases.append(name)
        parts = _SUBTITLE.split(name, maxsplit=1)
        if len(parts) == 2 and parts[0] not in g.aliases:
            g.aliases.append(parts[0])
            self.group_index.setdefault(_norm_name(parts[0]), key)
        return key

    # ----- spans --------------------------------------------------------------------------

    def span_of(self, span: SpacySpan) -> Span:
        start = self.offset + span.start_char
        return Span(start, self.offset + span.end_char, self.document.line_of(start))

    # ----- the main pass -------------------------------------------------------------------

    def read(self, doc: Doc, *, offset: int = 0, weight: float = 1.0) -> None:
        """Read one parsed text whose first character is at ``offset`` in the document."""
        self.offset = offset
        names = self._name_mentions(doc)
        orgs = self._org_mentions(doc)
        cue_spans = self._cues(doc)
        periods = [s for s in doc.spans.get("sg_values", []) if s.label_ == "PERIOD"]
        amounts = [s for s in doc.spans.get("sg_values", []) if s.label_ == "MONEY"]
        context_project: str | None = self.default_project
        context_group: str | None = None
        title_done = False
        announced: list[tuple[str, int]] = []  # (group key, number of projects announced)
        for sent in _units(doc):
            s0, s1 = sent.start, sent.end
            s_names = [m for m in names if s0 <= m.start < s1]
            s_orgs = [m for m in orgs if s0 <= m.start < s1]
            s_cues = [c for c in cue_spans if s0 <= c.start < s1]
            s_projects = [m for m in s_names if m.kind == "project"]
            s_groups = [m for m in s_names if m.kind in ("consortium", "network")]
            negated = self._negated_tokens(sent, s_cues)
            text_weight = weight
            if not title_done and sent.text.strip():
                text_weight = weight * 1.5
                title_done = True
            # the project this sentence is about
            explicit = [m.key for m in s_projects if not m.plural]
            plural_ref = self._plural_reference(sent, s_projects)
            sent_project = explicit[0] if explicit else (None if plural_ref else context_project)
            # "Hanke toimii yhteistyössä X-hankkeen kanssa": the sentence is still about the
            # project in context; X is only mentioned
            generic = (
                bool(explicit)
                and context_project is not None
                and _generic_subject(sent, s_projects)
            )
            if generic:
                sent_project = context_project
            for m in s_groups:
                context_group = m.key
            self._programme(s_names, s_cues, sent_project, plural_ref)
            self._roles(
                sent, s_orgs, s_cues, s_projects, sent_project, negated, plural_ref, context_group
            )
            self._possessive_leads(doc, s_orgs, s_projects, negated)
            self._membership(
                sent,
                s_cues,
                s_projects,
                s_groups,
                sent_project,
                context_group,
                announced,
                plural_ref,
                context_project,
            )
            self._sister(sent, s_cues, s_projects, context_project)
            self._gathering(sent, s_cues, s_projects, sent_project)
            self._periods(sent, periods, s_projects, sent_project, plural_ref, context_group)
            if not plural_ref:
                self._amounts(sent, amounts, s_projects, sent_project)
            target = sent_project
            if target is not None:
                self.theme_text.setdefault(target, []).append(
                    (sent.text, self.offset + sent.start_char, text_weight)
                )
            if explicit and not generic:
                context_project = explicit[-1] if len(set(explicit)) == 1 else explicit[0]
        self._announced(announced, names)

    # ----- mentions ------------------------------------------------------------------------

    def _name_mentions(self, doc: Doc) -> list[_Mention]:
        from sotegraph.nlp.shapes import name_of

        spans = sorted(doc.spans.get("sg_names", []), key=lambda s: (s.start, -len(s)))
        out: list[_Mention] = []
        gaz_names = _gazetteer_names()
        # long names first so that short ones attach to them as aliases
        pending: list[tuple[SpacySpan, str, list[str]]] = []
        for i, s in enumerate(spans):
            if s.label_ == "ALIAS":
                continue
            name, aliases = _clean_list_name(name_of(s)) if s.id_ == "list" else (name_of(s), [])
            if not name or _norm_name(name) in gaz_names:
                continue
            # ``Nimi (ABBR) -hanke``: the alias span follows the name span
            for other in spans[i + 1 : i + 3]:
                if other.label_ == "ALIAS" and other.start <= s.end + 2:
                    aliases.append(other.text)
            pending.append((s, name, aliases))
        order = sorted(range(len(pending)), key=lambda k: -len(pending[k][1]))
        keys: dict[int, str] = {}
        for k in order:
            s, name, aliases = pending[k]
            if s.label_ == "PROJECT":
                keys[k] = self.project_key(name, span=self.span_of(s), aliases=aliases)
            elif s.label_ in ("CONSORTIUM", "NETWORK"):
                kind = GroupKind.CONSORTIUM if s.label_ == "CONSORTIUM" else GroupKind.NETWORK
                keys[k] = self.group_key(name, kind, span=self.span_of(s))
            elif s.label_ == "PROGRAMME":
                keys[k] = name  # programmes are no resources: the name is kept on projects
        for k, (s, _name, _aliases) in enumerate(pending):
            if k not in keys:
                continue
            plural = _marker_is_plural(doc, s)
            out.append(_Mention(s.label_.lower(), keys[k], s.start, s.end, s.id_, plural))
            if s.label_ == "PROJECT":
                code = _code_after(doc, s.end)
                fact = self.projects[keys[k]].fact
                if code and not fact.code:
                    fact.code = code
        return sorted(out, key=lambda m: m.start)

    def _org_mentions(self, doc: Doc) -> list[_Mention]:
        out: list[_Mention] = []
        spans = list(doc.spans.get("sg_organisations", []))
        prev: SpacySpan | None = None
        for s in spans:
            # a unit of the organisation just before it: "Tampereen yliopiston Työelämän tutkimuskeskus"
            if prev is not None and s.start == prev.end and _genitive(prev[-1]):
                if out:
                    out[-1].after = s.end
                prev = s
                continue
            key = self.org_key(s)
            out.append(_Mention("org", key, s.start, s.end, s.id_, after=s.end))
            if s.id_ in ("gazetteer", "shape", "alias"):
                self.org_chars.append((self.offset + s.start_char, self.offset + s.end_char))
            prev = s
        # abbreviations introduced in parentheses become aliases
        for m in out:
            e = m.end
            if e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")":
                abbr = doc[e + 1].text
                if 1 < len(abbr) <= 12 and abbr[:1].isupper():
                    self.add_org_alias(m.key, abbr)
        return out

    def _cues(self, doc: Doc) -> list[_Cue]:
        out: list[_Cue] = []
        seen: dict[tuple[int, int], _Cue] = {}
        participle_re = re.compile(cues()["participle_forms"][0])
        for s in doc.spans.get("sg_cues", []):
            k = (s.start, s.end)
            tok = s[0]
            lemma = tok.lemma_.lower()
            if k in seen:
                seen[k].roles.add(s.label_)
                continue
            participle = "Part" in tok.morph.get("VerbForm", []) or (
                s.label_ in _ROLE_OF
                and tok.pos_ == "VERB"
                and bool(participle_re.fullmatch(tok.lower_))
                and tok.dep_ in {"acl", "amod"}
            )
            cue = _Cue(
                s.label_,
                s.start,
                s.end,
                s.text,
                lemma,
                participle=participle,
                agent_noun=lemma in _AGENT_NOUNS
                or any(b in _AGENT_NOUNS for b in base_forms(tok.text)),
                roles={s.label_},
            )
            seen[k] = cue
            out.append(cue)
        return sorted(out, key=lambda c: c.start)

    # ----- sentence-level rules -----------------------------------------------------------

    @staticmethod
    def _negated_tokens(sent: SpacySpan, s_cues: list[_Cue]) -> set[int]:
        """Token indices in a negated clause (from a negation word to the next comma)."""
        out: set[int] = set()
        for c in s_cues:
            if "negation" not in c.roles:
                continue
            i = c.start
            # a negation verb ("ei") negates its whole clause; "toisin kuin" the phrase after it
            j = i
            while j < sent.end and sent.doc[j].text not in {",", ";"} and j - i < 25:
                out.add(j)
                j += 1
            if c.text.lower() in {"ei", "eikä", "eivät", "en", "emme"}:
                k = i - 1
                while k >= sent.start and sent.doc[k].text not in {",", ";"}:
                    out.add(k)
                    k -= 1
        return out

    @staticmethod
    def _plural_reference(sent: SpacySpan, s_projects: list[_Mention]) -> bool:
        """True if the sentence speaks of several projects at once (``Hankkeita hallinnoi``)."""
        if any(not m.plural for m in s_projects):
            return False
        plural = set(cues()["plural_reference"]["forms"])
        for tok in sent:
            if tok.dep_.startswith(("nsubj", "obj")) or tok.i == sent.start:
                low = tok.lower_
                if low in plural or (keyword_kind(low) == "project" and is_plural_keyword(low)):
                    return True
        return False

    def _roles(
        self,
        sent: SpacySpan,
        s_orgs: list[_Mention],
        s_cues: list[_Cue],
        s_projects: list[_Mention],
        sent_project: str | None,
        negated: set[int],
        plural_ref: bool,
        context_group: str | None,
    ) -> None:
        role_cues = [c for c in s_cues if c.roles & set(_ROLE_OF) and c.start not in negated]
        # "ESR-rahoituksella", "STM:n rahoittama": an attached funder names the funder itself
        for c in [c for c in role_cues if _ATTACHED_FUNDER.match(c.text)]:
            role_cues.remove(c)
            prefix = _ATTACHED_FUNDER.match(c.text).group("name")  # type: ignore[union-attr]
            key = self.org_key_for_name(prefix, sent.doc[c.start : c.end])
            project = self._cue_project(sent, c, s_projects, sent_project)
            if key is not None and project not in (None, "skip"):
                m = _Mention("org", key, c.start, c.end, "attached")
                self.participate(str(project), m, Role.FUNDER, sent, c.text)
        if not role_cues:
            return
        groups = _cue_groups(sent.doc, role_cues)
        priority = cues()["role_priority"]
        lists = _coordinated(sent.doc, s_orgs)
        for m in s_orgs:
            if m.start in negated:
                continue
            best: tuple[int, list[_Cue]] | None = None
            members = lists.get(id(m), [m])
            for group in groups:
                dist = min(_distance(x, c) for c in group for x in members)
                if best is None or dist < best[0]:
                    best = (dist, group)
            if best is None:
                continue
            dist, group = best
            if dist > _MAX_CUE_DISTANCE or (m.source == "ner_weak" and dist > _WEAK_DISTANCE):
                continue
            roles = set().union(*(c.roles for c in group)) & set(_ROLE_OF)
            role_name = next(r for r in priority if r in roles)
            cue = next(c for c in group if role_name in c.roles)
            # a genitive organisation owns the noun after it ("KAMKin yhteistyökumppanit",
            # "KAMKin koulutukset"): it holds the role only when that noun is the cue
            # itself and not an agent noun ("Euroopan sosiaalirahaston rahoituksella",
            # "Työterveyslaitoksen vetämä", "THL:n ja HY:n yhteistyönä")
            if _genitive(sent.doc[m.end - 1]) and not _holds_role(
                sent, members, cue_spans=role_cues
            ):
                continue
            project = self._cue_project(sent, cue, s_projects, sent_project)
            if project not in (None, "skip") and not s_projects and _about_group(sent):
                # "Konsortiota koordinoi THL": the role is in the group, not in a project
                if role_name == "funder" and context_group:
                    self._group_funder(context_group, m, sent, cue.text)
                continue
            if project is None:
                if plural_ref and context_group and role_name == "funder":
                    self._group_funder(context_group, m, sent, cue.text)
                continue
            if project == "skip":
                continue
            if role_name == "coordinator" and "gathering" in set().union(*(c.roles for c in group)):
                self.projects[project].gathering = True
            if any(r == "lead" for r in roles) and "coordinator" in roles:
                self.projects[project].gathering = True
            self.participate(project, m, _ROLE_OF[role_name], sent, cue.text)

    def _cue_project(
        self, sent: SpacySpan, cue: _Cue, s_projects: list[_Mention], sent_project: str | None
    ) -> str | None:
        """The project a role cue is about; ``"skip"`` when it is about several projects."""
        doc = sent.doc
        if _in_counted_phrase(sent, cue.start):
            return "skip"
        if cue.participle:
            head = doc[cue.start].head
            hit = next((m.key for m in s_projects if m.start <= head.i < m.end), None)
            if hit is not None:
                return hit
            if keyword_kind(head.text) == "project":
                if is_plural_keyword(head.text) or any(
                    ch.dep_ == "nummod" or ch.lower_ in _NUMERALS for ch in head.children
                ):
                    return "skip"
                return sent_project
        if s_projects:
            singular = [m for m in s_projects if not m.plural]
            if not singular:
                return "skip"
            return min(singular, key=lambda m: abs(m.start - cue.start)).key
        return sent_project

    def participate(
        self, project: str, m: _Mention, role: Role, sent: SpacySpan, role_text: str
    ) -> None:
        pair = (project, m.key)
        if pair in self.existing_roles:
            # a stronger role replaces a weaker one found earlier in the same text
            for part in self.facts.participations:
                if part.project == project and part.organisation == m.key:
                    if _ROLE_RANK[role] < _ROLE_RANK[part.role] and part.sentence is not None:
                        part.role = role
                        part.role_text = role_text
                    break
            return
        self.existing_roles.add(pair)
        span = sent.doc[m.start : m.end]
        self.facts.participations.append(
            Participation(
                project=project,
                organisation=m.key,
                role=role,
                span=self.span_of(span),
                sentence=sent.text.strip(),
                role_text=role_text,
            )
        )

    def _possessive_leads(
        self, doc: Doc, s_orgs: list[_Mention], s_projects: list[_Mention], negated: set[int]
    ) -> None:
        """``KT:n Soteliiderit-hanke``: a genitive organisation right before a named project."""
        for m in s_orgs:
            last = doc[m.end - 1]
            genitive = "Gen" in last.morph.get("Case", []) or last.text.endswith((":n", "in"))
            if m.start in negated or not genitive:
                continue
            nxt = next((p for p in s_projects if p.start == m.end and not p.plural), None)
            if nxt is None:
                continue
            sent = next(u for u in _units(doc) if u.start <= m.start < u.end)
            self.participate(nxt.key, m, Role.LEAD, sent, doc[m.start : m.end].text)

    def _membership(
        self,
        sent: SpacySpan,
        s_cues: list[_Cue],
        s_projects: list[_Mention],
        s_groups: list[_Mention],
        sent_project: str | None,
        context_group: str | None,
        announced: list[tuple[str, int]],
        plural_ref: bool,
        context_project: str | None = None,
    ) -> None:
        if not any("member" in c.roles for c in s_cues):
            return
        groups = [m.key for m in s_groups]
        if not groups:
            # "konsortioon kuuluu …": the group named last
            if context_group and any(
                keyword_kind(t.text) in ("consortium", "network") for t in sent
            ):
                groups = [context_group]
            else:
                return
        members = [m.key for m in s_projects if not m.plural]
        if not members and sent_project and not plural_ref and not _counted_projects(sent):
            members = [sent_project]
        elif members and context_project and _generic_subject(sent, s_projects):
            # "Hanke kuuluu X-konsortioon, johon kuuluvat myös A-hanke ja B-hanke."
            members.insert(0, context_project)
        for g in groups:
            for p in members:
                self._member(p, g)
        n = _counted_projects(sent)
        if n and groups:
            announced.append((groups[0], n))

    def _programme(
        self,
        s_names: list[_Mention],
        s_cues: list[_Cue],
        sent_project: str | None,
        plural_ref: bool,
    ) -> None:
        """``Hanke on osa Hyvä Elämä -ohjelmaa`` / ``… -ohjelman rahoittama``."""
        if sent_project is None or plural_ref:
            return
        names = [m.key for m in s_names if m.kind == "programme"]
        if names and any(c.roles & {"member", "funder"} for c in s_cues):
            fact = self.projects[sent_project].fact
            if not fact.programme:
                fact.programme = names[0]

    def _member(self, project: str, group: str) -> None:
        g = self.groups[group]
        if project not in g.members:
            g.members.append(project)
        p = self.projects[project].fact
        if group not in p.member_of:
            p.member_of.append(group)

    def _announced(self, announced: list[tuple[str, int]], names: list[_Mention]) -> None:
        """A group said to have N projects, in a text that presents exactly N, has them all."""
        present = list(dict.fromkeys(m.key for m in names if m.kind == "project"))
        for group, n in announced:
            if len(present) == n:
                for p in present:
                    self._member(p, group)

    def _sister(
        self,
        sent: SpacySpan,
        s_cues: list[_Cue],
        s_projects: list[_Mention],
        sent_project: str | None,
    ) -> None:
        cue = next((c for c in s_cues if "sister" in c.roles), None)
        if cue is None:
            return
        keys = list(dict.fromkeys(m.key for m in s_projects))
        other = self._described_project(sent, cue.start)
        if other is not None and other not in keys:
            keys.append(other)
        if len(keys) < 2 and sent_project and sent_project not in keys:
            keys.insert(0, sent_project)
        if len(keys) >= 2:
            a, b = keys[0], keys[1]
            for x, y in ((a, b), (b, a)):
                sp = self.projects[x].fact.sister_projects
                if y not in sp:
                    sp.append(y)

    def _described_project(self, sent: SpacySpan, before: int) -> str | None:
        """A project referred to by a description: ``strategisen työkykyjohtamisen hankkeen``."""
        doc = sent.doc
        for i in range(before - 1, sent.start, -1):
            if keyword_kind(doc[i].text) != "project" or doc[i].text[:1].isupper():
                continue
            words: list[Token] = []
            j = i - 1
            while j >= sent.start and doc[j].text[:1].islower() and len(words) < 5:
                words.insert(0, doc[j])
                j -= 1
            if len(words) < 2:
                continue
            for key, info in self.projects.items():
                name_words = (info.fact.name or "").split()
                if len(name_words) < 2:
                    continue
                hits = 0
                for tok, nw in zip(words, name_words, strict=False):
                    if tok.norm_ in base_forms(nw) or tok.lower_ == nw.lower():
                        hits += 1
                    else:
                        break
                if hits >= 2:
                    return key
        return None

    def _gathering(
        self,
        sent: SpacySpan,
        s_cues: list[_Cue],
        s_projects: list[_Mention],
        sent_project: str | None,
    ) -> None:
        if not any("gathering" in c.roles for c in s_cues):
            return
        target = next((m.key for m in s_projects if not m.plural), sent_project)
        if target is not None:
            self.projects[target].gathering = True

    def _periods(
        self,
        sent: SpacySpan,
        periods: list[SpacySpan],
        s_projects: list[_Mention],
        sent_project: str | None,
        plural_ref: bool,
        context_group: str | None,
    ) -> None:
        for span in periods:
            if not sent.start <= span.start < sent.end:
                continue
            start, end = parse_period(span.text)
            if start is None:
                continue
            weak = end is None
            target: str | None
            if _under_counted_projects(span) or _in_counted_phrase(sent, span.start):
                continue
            hit = _ancestor_project(span, s_projects)
            if hit is not None:
                target = hit
            elif plural_ref:
                if context_group is not None:
                    g = self.groups[context_group]
                    if g.start is None and not weak:
                        g.start, g.end = start, end
                continue
            else:
                singular = [m for m in s_projects if not m.plural]
                target = singular[0].key if singular else sent_project
            if target is None:
                continue
            if weak and not (
                s_projects or any(t.lower_.startswith(("rahoit", "lisärahoit")) for t in sent)
            ):
                continue
            p = self.projects[target].fact
            if p.start is None and p.end is None:
                p.start, p.end = start, end

    def _amounts(
        self,
        sent: SpacySpan,
        amounts: list[SpacySpan],
        s_projects: list[_Mention],
        sent_project: str | None,
    ) -> None:
        """``Hankkeen kokonaisbudjetti on 1,2 miljoonaa euroa`` → planned public funding;
        ``STM myönsi hankkeelle 450 000 euroa`` → granted EU and state funding."""
        for span in amounts:
            if not sent.start <= span.start < sent.end:
                continue
            if _under_counted_projects(span) or _in_counted_phrase(sent, span.start):
                continue
            value = parse_amount(span.text)
            if value is None:
                continue
            words = {t.norm_ for t in sent} | {t.lower_ for t in sent}
            target = _ancestor_project(span, s_projects) or sent_project
            if target is None:
                continue
            p = self.projects[target].fact
            if words & _BUDGET_WORDS:
                if p.planned_public is None:
                    p.planned_public = value
            elif words & _GRANT_WORDS and p.granted_eu_state is None:
                p.granted_eu_state = value

    # ----- finishing ---------------------------------------------------------------------

    def _group_funder(self, group: str, m: _Mention, sent: SpacySpan, cue: str) -> None:
        """``Ne toteutetaan ESR:n rahoituksella``: the group's projects are funded by it."""
        g = self.groups[group]
        if m.key not in g.funders:
            g.funders.append(m.key)
            span = self.span_of(sent.doc[m.start : m.end])
            self.funder_evidence[(group, m.key)] = (span, sent.text.strip(), cue)

    def finish(self) -> None:
        facts = self.facts
        known_projects = {p.key for p in facts.projects}
        for key, info in self.projects.items():
            if key not in known_projects:
                facts.projects.append(info.fact)
        # gathering projects gather the projects listed in the same text
        listed = self.listed
        for info in self.projects.values():
            if info.gathering:
                for k in listed:
                    if k != info.fact.key and k not in info.fact.gathers:
                        info.fact.gathers.append(k)
        # a group's funders fund its member projects
        for g in self.groups.values():
            for org in g.funders:
                span, sentence, cue = self.funder_evidence.get((g.key, org), (None, None, None))
                for p in g.members:
                    if (p, org) in self.existing_roles:
                        continue
                    self.existing_roles.add((p, org))
                    self.facts.participations.append(
                        Participation(p, org, Role.FUNDER, span, sentence, cue)
                    )
        known_groups = {g.key for g in facts.groups}
        for key, g in self.groups.items():
            if key not in known_groups:
                facts.groups.append(g)
        used = {p.organisation for p in facts.participations}
        used.update(o for g in self.groups.values() for o in g.funders)
        known_orgs = {o.key for o in facts.organisations}
        for key, o in self.orgs.items():
            if key in known_orgs:
                continue
            if key in used or self.mentioned_known.get(key, False):
                facts.organisations.append(o)


_ROLE_RANK = {
    Role.LEAD: 0,
    Role.AUTHORITY: 1,
    Role.PARTNER: 2,
    Role.FUNDER: 3,
    Role.COLLABORATOR: 4,
    Role.COORDINATOR: 5,
}


def _better_name(new: str, current: str) -> bool:
    """Prefer a multi-word name over an abbreviation, and the longer of two names."""
    if not current:
        return True
    if " " in new and " " not in current:
        return True
    if " " in current and " " not in new:
        return False
    return len(new) > len(current) and not new.isupper()


def _clean_list_name(item: str) -> tuple[str, list[str]]:
    """``Nimi, Asko-hanke`` → (``Nimi``, [``Asko``]); trailing keywords removed."""
    from sotegraph.nlp.shapes import _ATTACHED

    aliases: list[str] = []
    text = item.strip().rstrip(".;,")
    if ", " in text:
        head, _, tail = text.rpartition(", ")
        m = _ATTACHED.match(tail.strip())
        if m and keyword_kind(m.group("kw")):
            aliases.append(m.group("name"))
            text = head
    m = re.match(r"^(?P<name>.+?)\s+-\s*(?P<kw>\w+)$", text)
    if m and keyword_kind(m.group("kw")):
        text = m.group("name")
    m = _ATTACHED.match(text)
    if m and " " not in text and keyword_kind(m.group("kw")):
        text = m.group("name")
    m = re.match(r"^(?P<name>.+?)\s*\((?P<abbr>[^()]{2,12})\)$", text)
    if m:
        text = m.group("name")
        aliases.append(m.group("abbr"))
    return text.strip("”“\"' "), aliases


def _marker_is_plural(doc: Doc, span: SpacySpan) -> bool:
    if span.id_ == "attached":
        return is_plural_keyword(span.text)
    e = span.end
    for j in (e, e + 1):
        if j < len(doc) and keyword_kind(doc[j].text):
            return is_plural_keyword(doc[j].text)
    return False


def _genitive(tok: Token) -> bool:
    """A genitive word, also an abbreviation with a colon or an unknown ``-in`` ending."""
    if "Gen" in tok.morph.get("Case", []):
        return True
    text = tok.text
    if text.endswith(":n"):
        return True
    return (
        tok.lemma_ == text
        and text[:1].isupper()
        and text.endswith("in")
        and any(c.isupper() for c in text[1:-2])
    )


def _after_parentheses(doc: Doc, i: int, end: int) -> int:
    """Skip a short parenthesised abbreviation: ``Euroopan sosiaalirahaston (ESR) …``."""
    if i < end and doc[i].text == "(":
        j = i + 1
        while j < end and j - i <= 4 and doc[j].text != ")":
            j += 1
        if j < end and doc[j].text == ")":
            return j + 1
    return i


def _holds_role(sent: SpacySpan, members: list[_Mention], *, cue_spans: list[_Cue]) -> bool:
    """True if the word after a genitive organisation (list) is a role cue it can hold."""
    doc = sent.doc
    last = max(members, key=lambda x: x.start)
    nxt = _after_parentheses(doc, max(last.end, last.after), sent.end)
    if nxt >= sent.end:
        return True
    cue = next((c for c in cue_spans if c.start == nxt), None)
    if cue is not None:
        return not cue.agent_noun
    tok = doc[nxt]
    # a noun (or adjective) after the genitive is what it owns; anything else ends the phrase
    return tok.pos_ not in {"NOUN", "ADJ", "PROPN", "NUM", "X"}


_CODE = re.compile(r"^[SA]\d{5}$")


def _code_after(doc: Doc, end: int) -> str | None:
    """A programme code right after a project name: ``SoteNoste-hanke (S21259)``."""
    for j in range(end, min(end + 3, len(doc))):
        if _CODE.match(doc[j].text):
            return doc[j].text
        if doc[j].text not in {"(", ",", ":"} and keyword_kind(doc[j].text) is None:
            return None
    return None


_BUDGET_WORDS = frozenset(
    [
        "budjetti",
        "kokonaisbudjetti",
        "kustannusarvio",
        "kokonaiskustannus",
        "kokonaiskustannukset",
        "kokonaisrahoitus",
    ]
)
_GRANT_WORDS = frozenset(
    [
        "myöntää",
        "myönnetty",
        "myönsi",
        "rahoitus",
        "lisärahoitus",
        "rahoittaa",
        "avustus",
        "valtionavustus",
        "rahoituksella",
        "rahoittaa",
    ]
)
_SCALE = {
    "me": 1_000_000,
    "m€": 1_000_000,
    "milj.": 1_000_000,
    "miljoonaa": 1_000_000,
    "miljoonan": 1_000_000,
    "miljoonalla": 1_000_000,
    "miljardia": 1_000_000_000,
    "tuhatta": 1_000,
    "t€": 1_000,
    "k€": 1_000,
}


def parse_amount(text: str) -> Decimal | None:
    """Parse a Finnish amount of euros.

    >>> [str(parse_amount(t)) for t in ("208 856 €", "1,5 Me", "9,5 miljoonaa euroa")]
    ['208856', '1500000.0', '9500000.0']
    >>> parse_amount("450 000 eurolla")
    Decimal('450000')
    """
    m = re.match(r"^\s*(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,(\d+))?\s*(\S*)", text)
    if not m:
        return None
    whole = re.sub(r"\s", "", m.group(1))
    number = Decimal(whole + ("." + m.group(2) if m.group(2) else ""))
    unit = m.group(3).lower()
    for word in [unit, *text.lower().split()[1:]]:
        word = word.split(":", 1)[0]
        if word in _SCALE:
            return number * _SCALE[word]
        if word.endswith(("me", "m€")) and word[:-2].replace(",", "").isdigit():
            return number * 1_000_000
    return number


def _generic_subject(sent: SpacySpan, s_projects: list[_Mention]) -> bool:
    """The sentence's subject is a plain singular ``Hanke`` (the project in context)."""
    inside = {i for m in s_projects for i in range(m.start, m.end)}
    for tok in sent:
        if tok.i in inside or not tok.dep_.startswith("nsubj"):
            continue
        if keyword_kind(tok.text) == "project" and not is_plural_keyword(tok.text):
            return "-" not in tok.text
    return False


def _about_group(sent: SpacySpan) -> bool:
    """A bare consortium or network word is the subject or object (``Konsortiota koordinoi``)."""
    for tok in sent:
        if tok.dep_.startswith(("nsubj", "obj")) and keyword_kind(tok.text) in (
            "consortium",
            "network",
        ):
            return "-" not in tok.text and tok.text[:1].isalpha()
    return False


def _coordinated(doc: Doc, orgs: list[_Mention]) -> dict[int, list[_Mention]]:
    """Group organisation mentions listed together (``A (X), B ja C``): they share a cue."""
    out: dict[int, list[_Mention]] = {}
    run: list[_Mention] = []
    for m in orgs:
        if run:
            between = [t.text for t in doc[run[-1].end : m.start]]
            if _list_glue(between):
                run.append(m)
                continue
        for x in run:
            out[id(x)] = run
        run = [m]
    for x in run:
        out[id(x)] = run
    return out


def _list_glue(between: list[str]) -> bool:
    """Tokens that may stand between two items of a list of names."""
    if not between:
        return True
    text = [t for t in between if t.strip()]
    if len(text) > 5:
        return False
    # an abbreviation in parentheses, then a comma or a conjunction
    inner = " ".join(text)
    return bool(re.fullmatch(r"(\( ?\S+ ?\) ?)?(,|ja|sekä|tai|, ?ja|, ?sekä)?", inner))


def _units(doc: Doc) -> list[SpacySpan]:
    """The sentence units of the domain-shapes component (the parser's sentences if absent)."""
    units = doc.spans.get("sg_sentences")
    if units is not None and len(units):
        return list(units)
    return list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]


def _distance(m: _Mention, c: _Cue) -> int:
    if c.start >= m.end:
        return c.start - m.end + 1
    if m.start >= c.end:
        return m.start - c.end + 1
    return 0


def _cue_groups(doc: Doc, role_cues: list[_Cue]) -> list[list[_Cue]]:
    """Join cues linked by ``ja``/``,`` (``hallinnoi ja koordinoi``) into one group."""
    groups: list[list[_Cue]] = []
    for c in role_cues:
        if groups:
            last = groups[-1][-1]
            between = [t.text for t in doc[last.end : c.start]]
            if len(between) <= 1 and all(t in {"ja", ",", "sekä", "tai"} for t in between):
                groups[-1].append(c)
                continue
        groups.append([c])
    return groups


def _counted_projects(sent: SpacySpan) -> int:
    """N in ``… kuuluu kolme hanketta`` (0 if the sentence counts no projects)."""
    numbers = {
        "kaksi": 2,
        "kolme": 3,
        "neljä": 4,
        "viisi": 5,
        "kuusi": 6,
        "seitsemän": 7,
        "kahdeksan": 8,
        "yhdeksän": 9,
        "kymmenen": 10,
    }
    for tok in sent:
        if keyword_kind(tok.text) == "project" and tok.text[:1].islower():
            for ch in tok.children:
                if ch.dep_ == "nummod":
                    if ch.lower_ in numbers:
                        return numbers[ch.lower_]
                    if ch.text.isdigit():
                        return int(ch.text)
    return 0


def _in_counted_phrase(sent: SpacySpan, i: int) -> bool:
    """Token ``i`` lies between a numeral and the plural/counted project word it counts.

    ``kuusi Euroopan sosiaalirahaston vuosina 2019–2022 rahoittamaa … kehittämishanketta``:
    the funder and the years are those of the six projects, not of the sentence's project.
    """
    doc = sent.doc
    for k in range(i + 1, min(sent.end, i + 12)):
        tok = doc[k]
        if keyword_kind(tok.text) != "project" or tok.text[:1].isupper():
            continue
        for n in range(max(sent.start, k - 14), i):
            low = doc[n].lower_
            if low in _NUMERALS or (doc[n].pos_ == "NUM" and doc[n].dep_ == "nummod"):
                return True
        return is_plural_keyword(tok.text) and doc[i].dep_ in {"acl", "amod", "nmod", "obl"}
    return False


def _under_counted_projects(span: SpacySpan) -> bool:
    """A value inside a phrase about a counted or plural set of projects."""
    tok = span.root
    for _ in range(6):
        if keyword_kind(tok.text) == "project" and tok.text[:1].islower():
            return is_plural_keyword(tok.text) or any(
                ch.dep_ == "nummod" or ch.lower_ in _NUMERALS for ch in tok.children
            )
        if tok.head is tok:
            break
        tok = tok.head
    return False


def _ancestor_project(span: SpacySpan, s_projects: list[_Mention]) -> str | None:
    tok = span.root
    for _ in range(6):
        hit = next((m.key for m in s_projects if m.start <= tok.i < m.end and not m.plural), None)
        if hit is not None:
            return hit
        if tok.head is tok:
            break
        tok = tok.head
    return None


_GAZ_CACHE: dict[str, Any] = {}


def _gazetteer_names() -> frozenset[str]:
    if "names" not in _GAZ_CACHE:
        names: set[str] = set()
        for e in gazetteer_entries():
            names.add(_norm_name(e.name))
            names.update(_norm_name(a) for a in e.aliases)
        _GAZ_CACHE["names"] = frozenset(names)
    names_out: frozenset[str] = _GAZ_CACHE["names"]
    return names_out


def _gazetteer_by_alias() -> dict[str, Any]:
    if "by_alias" not in _GAZ_CACHE:
        out: dict[str, Any] = {}
        for e in gazetteer_entries():
            for n in (e.name, *e.aliases):
                out.setdefault(_norm_name(n), e)
        _GAZ_CACHE["by_alias"] = out
    by_alias: dict[str, Any] = _GAZ_CACHE["by_alias"]
    return by_alias


def _gazetteer_by_name() -> dict[str, Any]:
    if "by_name" not in _GAZ_CACHE:
        _GAZ_CACHE["by_name"] = {e.name: e for e in gazetteer_entries()}
    by_name: dict[str, Any] = _GAZ_CACHE["by_name"]
    return by_name


def _loose_key(name: str) -> str | None:
    """The resolver's base key of a name (legal form dropped, head lemmatised), prefixed."""
    try:
        from sotegraph.resolve.normalise import analyse_name
    except ImportError:  # resolution not installed: exact names only
        return None
    base = analyse_name(name).base
    return f"\x00{base}" if base and " " in base else None


def _authority_id(name: str) -> str | None:
    """The authority-file id of an organisation name, through the organisations resolver."""
    if "resolver" not in _GAZ_CACHE:
        try:
            from sotegraph.resolve.organisations import OrganisationResolver
        except ImportError:  # resolution not installed: names are compared as written
            _GAZ_CACHE["resolver"] = None
        else:
            _GAZ_CACHE["resolver"] = OrganisationResolver()
    resolver = _GAZ_CACHE["resolver"]
    if resolver is None or not name:
        return None
    m = resolver.match(name)
    return None if m is None else (m.authority_id or str(m.iri))


# --------------------------------------------------------------------------- public API


def facts_from_doc(
    document: Document,
    doc: Doc,
    *,
    facts: Facts | None = None,
    offset: int = 0,
    default_project: str | None = None,
) -> Facts:
    """Turn a text parsed by the sotegraph pipeline into facts (see the module docstring).

    Parameters
    ----------
    document:
        The document the text belongs to (spans index into its text).
    doc:
        ``nlp(text)`` where ``text`` is ``document.text`` or a part of it starting at
        ``offset``.
    facts:
        Facts to add to (an EURA record's); a new ``Facts`` when ``None``.
    default_project:
        The key of the project the text is about when a sentence names none.
    """
    return facts_from_pieces(
        document, [(offset, doc)], facts=facts, default_project=default_project
    )


def facts_from_pieces(
    document: Document,
    pieces: Iterable[tuple[int, Doc]],
    *,
    facts: Facts | None = None,
    default_project: str | None = None,
) -> Facts:
    """Like :func:`facts_from_doc` for a text parsed in pieces: ``(offset, doc)`` in order."""
    if facts is None:
        facts = Facts(document_id=document.id, source=document.source, genre=document.genre.value)
    b = _Builder(facts, document, default_project=default_project)
    listed: list[str] = []
    known: dict[str, bool] = {}
    for offset, doc in pieces:
        b.read(doc, offset=offset)
        listed += [k for k in _listed_projects(b, doc) if k not in listed]
        known.update(_mentioned_known_orgs(b, doc))
    b.listed = listed
    b.mentioned_known = known
    _assign_themes(b)
    _assign_places(b)
    b.finish()
    return facts


#: Prose longer than this is parsed in pieces cut at paragraph or sentence ends (spaCy refuses
#: texts over 1,000,000 characters, and its parser needs memory in proportion to the text).
NLP_PIECE_CHARS = 100_000
#: Prose beyond this many characters of one document is not parsed (about a minute of
#: spaCy on two cores); a warning says so, and everything else of the document is kept.
NLP_MAX_CHARS = 1_000_000


def text_pieces(
    text: str, start: int = 0, end: int | None = None, *, size: int = NLP_PIECE_CHARS
) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into ``(start, end)`` pieces of at most ``size`` characters.

    Each cut falls after a blank line, else after a line break, else after a sentence end
    (". "), else at a space, else at ``size``.

    >>> text = "Yksi.\\n\\nKaksi kolme. Neljä."
    >>> [text[a:b] for a, b in text_pieces(text, size=13)]
    ['Yksi.\\n\\n', 'Kaksi kolme. ', 'Neljä.']
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    while end - pos > size:
        limit = pos + size
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = text.rfind(sep, pos + 1, limit)
            if at > pos:
                cut = at + len(sep)
                break
        if cut <= pos:
            cut = limit
        out.append((pos, cut))
        pos = cut
    if end > pos or not out:
        out.append((pos, end))
    return out


def _parse_in_pieces(
    document: Document,
    spans: Sequence[tuple[int, int]],
    nlp: Language,
    facts: Facts | None,
) -> list[list[tuple[int, Doc]]]:
    """Parse each span of the document's text, in pieces, within :data:`NLP_MAX_CHARS`.

    Returns the parsed pieces of each span, ``(offset, doc)``. Prose beyond the limit is left
    out with a warning on ``facts`` (when given).
    """
    budget = NLP_MAX_CHARS
    plan: list[list[tuple[int, int]]] = []
    for s, e in spans:
        keep = max(0, min(e - s, budget))
        budget -= keep
        if keep < e - s and facts is not None:
            line = document.text.count("\n", 0, s + keep) + 1
            facts.warn(
                f"prose from character {s + keep:,} to {e:,} was not read by the language "
                f"model: a document's prose is read up to {NLP_MAX_CHARS:,} characters",
                line=line,
                expected=f"at most {NLP_MAX_CHARS:,} characters of prose per document",
            )
        plan.append(text_pieces(document.text, s, s + keep) if keep else [])
    flat = [piece for pieces in plan for piece in pieces]
    parsed = iter(nlp.pipe(document.text[a:b] for a, b in flat))
    return [[(a, next(parsed)) for a, _b in pieces] for pieces in plan]


def _listed_projects(b: _Builder, doc: Doc) -> list[str]:
    from sotegraph.nlp.shapes import name_of

    out: list[str] = []
    for s in doc.spans.get("sg_names", []):
        if s.id_ == "list" and s.label_ == "PROJECT":
            name, _aliases = _clean_list_name(name_of(s))
            key = b.project_index.get(_norm_name(name))
            if key and key not in out:
                out.append(key)
    return out


def _mentioned_known_orgs(b: _Builder, doc: Doc) -> dict[str, bool]:
    """Organisations of the gazetteer named in full (not only by an abbreviation)."""
    out: dict[str, bool] = {}
    for s in doc.spans.get("sg_organisations", []):
        if s.id_ == "gazetteer" and (len(s) > 1 or len(s.text) >= 8) and not s.text.isupper():
            key = b.org_index.get(_norm_name(s.kb_id_)) if s.kb_id_ else None
            if key:
                out[key] = True
    return out


_PLACE_CUE = re.compile(
    r"\b(alue\w*|kun(?:nissa|nat|tien|tia)|maakun\w*|seutukun\w*|hyvinvointialue\w*|"
    r"toteute\w*|toteutu\w*|toimii|toimivat|kohdealue\w*|paikkakun\w*)\b",
    re.IGNORECASE,
)


def _assign_places(b: _Builder) -> None:
    """Target areas: places named in sentences about a project that speak of an area.

    ``Hanke toteutuu Etelä-Savossa ja Pohjois-Karjalassa`` → the two regions (resolved with
    :class:`sotegraph.resolve.regions.RegionResolver`; only resolved places are kept).
    """
    resolver = _region_resolver()
    if resolver is None:
        return
    for key, sentences in b.theme_text.items():
        info = b.projects.get(key)
        if info is None or info.fact.places:
            continue  # an EURA record's own target areas stay as they are
        seen: set[str] = set()
        for text, offset, _weight in sentences:
            if not _PLACE_CUE.search(text):
                continue
            for m in resolver.find(text):
                if m.iri is None or str(m.iri) in seen:
                    continue
                if m.span is not None and any(
                    a < offset + m.span.end and offset + m.span.start < b_ for a, b_ in b.org_chars
                ):
                    continue  # "Pohjois-Savon hyvinvointialue" named as an organisation
                seen.add(str(m.iri))
                if m.span is not None:
                    start = offset + m.span.start
                    m.span = Span(start, offset + m.span.end, b.document.line_of(start))
                info.fact.places.append(m)


def _region_resolver() -> Any:
    if "regions" not in _THEME_RESOLVER:
        try:
            from sotegraph.resolve.regions import RegionResolver
        except ImportError:  # regions not installed: no target areas from prose
            _THEME_RESOLVER["regions"] = None
        else:
            _THEME_RESOLVER["regions"] = RegionResolver()
    return _THEME_RESOLVER["regions"]


_THEME_RESOLVER: dict[str, Any] = {}


def _theme_resolver() -> Any:
    if "r" not in _THEME_RESOLVER:
        try:
            from sotegraph.resolve.themes import ThemeResolver
        except ImportError:  # themes not installed: no theme assignment
            _THEME_RESOLVER["r"] = None
        else:
            _THEME_RESOLVER["r"] = ThemeResolver()
    return _THEME_RESOLVER["r"]


_THEME_MIN_WEIGHT = 1.5
_THEME_MAX = 8


def _assign_themes(b: _Builder) -> None:
    """Themes per project from the sentences about it, title and lead weighted above body."""
    resolver = _theme_resolver()
    if resolver is None:
        return
    for key, sentences in b.theme_text.items():
        info = b.projects.get(key)
        if info is None:
            continue
        totals: dict[str, float] = {}
        first: dict[str, ThemeMention] = {}
        for n, (text, offset, weight) in enumerate(sentences):
            w = weight * (1.0 if n < 3 else 0.6)
            for m in resolver.assign(text, weight=w):
                ident = m.iri or m.label
                totals[ident] = totals.get(ident, 0.0) + m.weight
                if ident not in first:
                    span = None
                    if m.span is not None:
                        start = offset + m.span.start
                        span = Span(start, offset + m.span.end, b.document.line_of(start))
                    first[ident] = ThemeMention(m.label, span, m.weight, m.iri)
        have = {t.iri or t.label for t in info.fact.themes}
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])
        for ident, total in ranked[:_THEME_MAX]:
            if total < _THEME_MIN_WEIGHT or ident in have:
                continue
            mention = first[ident]
            mention.weight = round(total, 3)
            info.fact.themes.append(mention)


def extract_article(document: Document, *, nlp: Language | None = None) -> Facts:
    """Extract the facts of a Finnish prose document (article, news item, project page).

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
    if len(document.text) <= NLP_PIECE_CHARS:
        return facts_from_doc(document, nlp(document.text))
    facts = Facts(document_id=document.id, source=document.source, genre=document.genre.value)
    (pieces,) = _parse_in_pieces(document, [(0, len(document.text))], nlp, facts)
    return facts_from_pieces(document, pieces, facts=facts)


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
    texts = ((d.text, d) for d in docs if len(d.text) <= NLP_PIECE_CHARS)

    def run() -> Iterator[Facts]:
        short = iter(model.pipe(texts, as_tuples=True, n_process=n_process, batch_size=batch_size))
        for document in docs:
            if len(document.text) > NLP_PIECE_CHARS:  # parsed in pieces, on its own
                yield extract_article(document, nlp=model)
                continue
            parsed, _document = next(short)
            yield facts_from_doc(document, parsed)

    return run()


_HEADING = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2})?)\.?[ \t]+(?P<title>[A-ZÅÄÖ][^\n:]{2,90})$", re.MULTILINE
)
_PROSE_TITLES = ("tiivistelmä", "kohderyhm")


def prose_sections(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, title)`` of the prose sections of an EURA record.

    The prose sections are the summary (``3 … tiivistelmä toteutuksesta``), the target
    groups (``4``, ``4.1``, ``4.2``) and the final report's summary (``9``).

    >>> t = "1 Hanke\\nHankekoodi: S1\\n3 Suunnitelman mukainen tiivistelmä\\nTeksti.\\n5 Rahoitus\\nX"
    >>> [(t[s:e].strip(), title) for s, e, title in prose_sections(t)]
    [('Teksti.', 'Suunnitelman mukainen tiivistelmä')]
    """
    heads = list(_HEADING.finditer(text))
    out: list[tuple[int, int, str]] = []
    for i, m in enumerate(heads):
        title = m.group("title").strip()
        if not any(k in title.lower() for k in _PROSE_TITLES):
            continue
        start = m.end() + 1
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        if end > start and text[start:end].strip():
            out.append((start, end, title))
    return out


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
    b = _Builder(facts, document, default_project=default)
    parsed = _parse_in_pieces(document, spans, nlp, facts)
    for (_start, _end, title), pieces in zip(sections, parsed, strict=True):
        weight = 1.0 if "tiivistelmä" in title.lower() else 0.6
        for offset, doc in pieces:
            b.read(doc, offset=offset, weight=weight)
    _assign_themes(b)
    b.finish()

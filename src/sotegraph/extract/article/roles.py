"""Roles of organisations in projects, from the cue words of each sentence.

Each organisation mention takes the role of the nearest cue group in its sentence
(``hallinnoi`` → lead, ``osatoteuttaja`` → partner, ``yhteistyökumppani`` → collaborator,
``rahoittaa`` → funder, ``koordinoi`` → coordinator); organisations listed together share
a cue. A genitive organisation holds a role only when the noun it owns is the cue itself
(``KAMKin yhteistyökumppanit`` no, ``THL:n koordinoima`` yes). A participle takes the
project it modifies; a cue about a plural or counted set of projects gives no role. A
genitive organisation right before a named project leads it (``KT:n Soteliiderit-hanke``).
Funders of a consortium (``Ne toteutetaan ESR:n rahoituksella``) fund its member projects.
Roles the facts held before the prose was read (an EURA record's, the layout reader's) are
locked: the prose never changes them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from sotegraph.extract.article.clauses import (
    NUMERALS,
    about_group,
    genitive,
    in_counted_phrase,
    units,
)
from sotegraph.extract.article.gazetteer import region_resolver
from sotegraph.extract.article.mentions import ROLE_OF
from sotegraph.extract.article.model import Cue, Mention
from sotegraph.extract.article.registry import Registry
from sotegraph.extract.article.syntax import clause_segment, syntax_roles
from sotegraph.facts import Participation, Role, Span
from sotegraph.nlp.lexicon import cues, is_plural_keyword, keyword_kind

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

__all__ = ["RoleFinder"]

_WEAK_DISTANCE = 3
_MAX_CUE_DISTANCE = 40
_ATTACHED_FUNDER = re.compile(r"^(?P<name>[A-ZÅÄÖ][\wÅÄÖåäö]*)-rahoit\w*$")
_ROLE_RANK = {
    Role.LEAD: 0,
    Role.AUTHORITY: 1,
    Role.PARTNER: 2,
    Role.FUNDER: 3,
    Role.COLLABORATOR: 4,
    Role.COORDINATOR: 5,
}


class RoleFinder:
    """Adds participations (and group funders) to the facts of a :class:`Registry`."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self.existing_roles: set[tuple[str, str]] = set()
        self.funder_evidence: dict[tuple[str, str], tuple[Span, str, str]] = {}
        for part in reg.facts.participations:
            self.existing_roles.add((part.project, part.organisation))
        #: roles the text's structured part (an EURA record, the layout reader) gave: the
        #: prose never changes them
        self.locked_roles: set[tuple[str, str]] = set(self.existing_roles)

    def assign(
        self,
        sent: SpacySpan,
        s_orgs: list[Mention],
        s_cues: list[Cue],
        s_projects: list[Mention],
        sent_project: str | None,
        negated: set[int],
        plural_ref: bool,
        context_group: str | None,
        bounded: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        """The roles one sentence gives its organisations.

        ``bounded``: cue words whose role the syntax gave, with the stretch of their clause;
        an organisation outside it does not take their role.
        """
        bounded = bounded or {}
        role_cues = [c for c in s_cues if c.roles & set(ROLE_OF) and c.start not in negated]
        # "ESR-rahoituksella", "STM:n rahoittama": an attached funder names the funder itself
        for c in [c for c in role_cues if _ATTACHED_FUNDER.match(c.text)]:
            role_cues.remove(c)
            prefix = _ATTACHED_FUNDER.match(c.text).group("name")  # type: ignore[union-attr]
            key = self.reg.org_key_for_name(prefix, sent.doc[c.start : c.end])
            project = self.cue_project(sent, c, s_projects, sent_project)
            if key is not None and project not in (None, "skip"):
                m = Mention("org", key, c.start, c.end, "attached")
                self.participate(str(project), m, Role.FUNDER, sent, c.text)
        if not role_cues:
            return
        groups = _cue_groups(sent.doc, role_cues)
        priority = cues()["role_priority"]
        lists = _coordinated(sent.doc, s_orgs)
        for m in s_orgs:
            if m.start in negated:
                continue
            best: tuple[int, list[Cue]] | None = None
            members = lists.get(id(m), [m])
            for group in groups:
                dist = min(_distance(x, c) for c in group for x in members)
                if best is None or dist < best[0]:
                    best = (dist, group)
            if best is None:
                continue
            dist, group = best
            if all(c.start in bounded for c in group) and not any(
                bounded[c.start][0] <= m.start < bounded[c.start][1] for c in group
            ):
                continue
            if dist > _MAX_CUE_DISTANCE or (m.source == "ner_weak" and dist > _WEAK_DISTANCE):
                continue
            roles = set().union(*(c.roles for c in group)) & set(ROLE_OF)
            role_name = next(r for r in priority if r in roles)
            cue = next(c for c in group if role_name in c.roles)
            # a genitive organisation owns the noun after it ("KAMKin yhteistyökumppanit",
            # "KAMKin koulutukset"): it holds the role only when that noun is the cue
            # itself and not an agent noun ("Euroopan sosiaalirahaston rahoituksella",
            # "Työterveyslaitoksen vetämä", "THL:n ja HY:n yhteistyönä")
            if genitive(sent.doc[m.end - 1]) and not _holds_role(
                sent, members, cue_spans=role_cues
            ):
                continue
            project = self.cue_project(sent, cue, s_projects, sent_project)
            if project not in (None, "skip") and not s_projects and about_group(sent):
                # "Konsortiota koordinoi THL": the role is in the group, not in a project
                if role_name == "funder" and context_group:
                    self.group_funder(context_group, m, sent, cue.text)
                continue
            if project is None:
                if plural_ref and context_group and role_name == "funder":
                    self.group_funder(context_group, m, sent, cue.text)
                continue
            if project == "skip":
                continue
            if role_name == "coordinator" and "gathering" in set().union(*(c.roles for c in group)):
                self.reg.projects[project].gathering = True
            if any(r == "lead" for r in roles) and "coordinator" in roles:
                self.reg.projects[project].gathering = True
            self.participate(project, m, ROLE_OF[role_name], sent, cue.text)

    def from_syntax(
        self,
        sent: SpacySpan,
        s_orgs: list[Mention],
        s_projects: list[Mention],
        sent_project: str | None,
    ) -> tuple[set[int], dict[int, tuple[int, int]]]:
        """The roles the dependency parse gives (:mod:`.syntax`).

        Returns the token starts of the organisation mentions it spoke for (with an
        abbreviation in parentheses after them), which the cue words then leave alone, and
        for each word that gave a role the stretch of its clause: the cue words give that
        word's role to no organisation outside it (``X:n hallinnoimassa hankkeessa …; siinä
        oli mukana Y``).
        """
        claimed: set[int] = set()
        used: dict[int, tuple[int, int]] = {}
        if not s_orgs:
            return claimed, used
        org_names = {m.key: self.reg.orgs[m.key].name for m in s_orgs if m.key in self.reg.orgs}
        doc = sent.doc
        for r in syntax_roles(sent, s_orgs, s_projects, sent_project, org_names=org_names):
            if r.project is None and r.role is Role.FUNDER:
                continue  # "Ne toteutetaan ESR:n rahoituksella": a group's funder (cue rules)
            claimed.add(r.org.start)
            if r.anchor >= 0:
                used[r.anchor] = clause_segment(doc[r.anchor])
            end = max(r.org.end, r.org.after)
            for m in s_orgs:
                if end < len(doc) and m.start == end + 1 and doc[end].text == "(":
                    claimed.add(m.start)  # "… laitos (THL)"
            if r.project is not None and r.project in self.reg.projects:
                self.participate(r.project, r.org, r.role, sent, r.cue)
        return claimed, used

    def cue_project(
        self, sent: SpacySpan, cue: Cue, s_projects: list[Mention], sent_project: str | None
    ) -> str | None:
        """The project a role cue is about; ``"skip"`` when it is about several projects."""
        doc = sent.doc
        if in_counted_phrase(sent, cue.start):
            return "skip"
        if cue.participle:
            head = doc[cue.start].head
            hit = next((m.key for m in s_projects if m.start <= head.i < m.end), None)
            if hit is not None:
                return hit
            if keyword_kind(head.text) == "project":
                if is_plural_keyword(head.text) or any(
                    ch.dep_ == "nummod" or ch.lower_ in NUMERALS for ch in head.children
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
        self, project: str, m: Mention, role: Role, sent: SpacySpan, role_text: str
    ) -> None:
        """Record a participation, or strengthen the role of one found before in the text."""
        pair = (project, m.key)
        if pair in self.locked_roles:
            return
        if pair in self.existing_roles:
            # a stronger role replaces a weaker one found earlier in the same text
            for part in self.reg.facts.participations:
                if part.project == project and part.organisation == m.key:
                    if _ROLE_RANK[role] < _ROLE_RANK[part.role] and part.sentence is not None:
                        part.role = role
                        part.role_text = role_text
                    break
            return
        self.existing_roles.add(pair)
        span = sent.doc[m.start : m.end]
        self.reg.facts.participations.append(
            Participation(
                project=project,
                organisation=m.key,
                role=role,
                span=self.reg.span_of(span),
                sentence=sent.text.strip(),
                role_text=role_text,
            )
        )

    def possessive_leads(
        self, doc: Doc, s_orgs: list[Mention], s_projects: list[Mention], negated: set[int]
    ) -> None:
        """``KT:n Soteliiderit-hanke``: a genitive organisation right before a named project."""
        for m in s_orgs:
            last = doc[m.end - 1]
            is_genitive = "Gen" in last.morph.get("Case", []) or last.text.endswith((":n", "in"))
            if m.start in negated or not is_genitive:
                continue
            if m.source in ("ner", "ner_weak") and _is_place(doc[m.start : m.end].text):
                continue  # "Pohjolan KOTO-hanke": the region's project, not a lead
            nxt = next((p for p in s_projects if p.start == m.end and not p.plural), None)
            if nxt is None:
                continue
            sent = next(u for u in units(doc) if u.start <= m.start < u.end)
            self.participate(nxt.key, m, Role.LEAD, sent, doc[m.start : m.end].text)

    def group_funder(self, group: str, m: Mention, sent: SpacySpan, cue: str) -> None:
        """``Ne toteutetaan ESR:n rahoituksella``: the group's projects are funded by it."""
        g = self.reg.groups[group]
        if m.key not in g.funders:
            g.funders.append(m.key)
            span = self.reg.span_of(sent.doc[m.start : m.end])
            self.funder_evidence[(group, m.key)] = (span, sent.text.strip(), cue)

    def fund_group_members(self) -> None:
        """A group's funders fund its member projects (with the group's evidence)."""
        for g in self.reg.groups.values():
            for org in g.funders:
                span, sentence, cue = self.funder_evidence.get((g.key, org), (None, None, None))
                for p in g.members:
                    if (p, org) in self.existing_roles:
                        continue
                    self.existing_roles.add((p, org))
                    self.reg.facts.participations.append(
                        Participation(p, org, Role.FUNDER, span, sentence, cue)
                    )


@lru_cache(maxsize=4096)
def _is_place(text: str) -> bool:
    """A name that is wholly a place (a region or municipality), not an organisation."""
    resolver = region_resolver()
    if resolver is None:
        return False
    return any(
        m.span is not None and m.span.start == 0 and m.span.end >= len(text.rstrip(".,"))
        for m in resolver.find(text)
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


def _holds_role(sent: SpacySpan, members: list[Mention], *, cue_spans: list[Cue]) -> bool:
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


def _coordinated(doc: Doc, orgs: list[Mention]) -> dict[int, list[Mention]]:
    """Group organisation mentions listed together (``A (X), B ja C``): they share a cue."""
    out: dict[int, list[Mention]] = {}
    run: list[Mention] = []
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


def _distance(m: Mention, c: Cue) -> int:
    if c.start >= m.end:
        return c.start - m.end + 1
    if m.start >= c.end:
        return m.start - c.end + 1
    return 0


def _cue_groups(doc: Doc, role_cues: list[Cue]) -> list[list[Cue]]:
    """Join cues linked by ``ja``/``,`` (``hallinnoi ja koordinoi``) into one group."""
    groups: list[list[Cue]] = []
    for c in role_cues:
        if groups:
            last = groups[-1][-1]
            between = [t.text for t in doc[last.end : c.start]]
            if len(between) <= 1 and all(t in {"ja", ",", "sekä", "tai"} for t in between):
                groups[-1].append(c)
                continue
        groups.append([c])
    return groups

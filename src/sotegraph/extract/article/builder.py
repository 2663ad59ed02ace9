"""The fact builder: reads parsed texts sentence by sentence and adds what they say to one
document's :class:`~sotegraph.facts.Facts`.

The project a sentence is about is the project it names, otherwise the last project named
before it (headings included), otherwise the document's main project; a sentence whose
subject is a plain ``Hanke`` stays about the project in context even when it mentions
another. The rules of each concern live in their own module: roles (:mod:`.roles`), groups
and relations (:mod:`.groups`), periods (:mod:`.periods`), amounts (:mod:`.amounts`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sotegraph.extract.article.amounts import assign_amounts
from sotegraph.extract.article.clauses import (
    generic_subject,
    negated_tokens,
    plural_reference,
    units,
)
from sotegraph.extract.article.groups import (
    announced_members,
    gathering,
    membership,
    programme,
    sister,
)
from sotegraph.extract.article.mentions import find_cues, name_mentions, org_mentions
from sotegraph.extract.article.model import Mention
from sotegraph.extract.article.periods import assign_periods
from sotegraph.extract.article.registry import Registry
from sotegraph.extract.article.roles import RoleFinder
from sotegraph.facts import Facts
from sotegraph.nlp.lexicon import is_plural_keyword, keyword_kind
from sotegraph.read import Document

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["Builder"]


class Builder:
    """Turns one parsed text (or several sections of one document) into facts.

    Call :meth:`read` for each parsed text, then (after themes and places, see
    :mod:`.themes` and :mod:`.places`) :meth:`finish`, which adds the new entities to the
    facts.
    """

    def __init__(self, facts: Facts, document: Document, *, default_project: str | None = None):
        self.facts = facts
        self.document = document
        self.default_project = default_project
        self.reg = Registry(facts, document)
        self.roles = RoleFinder(self.reg)
        #: per project key, the sentences about it: (text, document offset, weight)
        self.theme_text: dict[str, list[tuple[str, int, float]]] = {}
        #: document character spans of organisation names
        self.org_chars: list[tuple[int, int]] = []
        #: keys of the projects the text lists (a gathering project gathers them)
        self.listed: list[str] = []
        #: organisations of the gazetteer named in full (kept even without a role)
        self.mentioned_known: dict[str, bool] = {}

    def read(self, doc: Doc, *, offset: int = 0, weight: float = 1.0) -> None:
        """Read one parsed text whose first character is at ``offset`` in the document."""
        reg = self.reg
        reg.offset = offset
        names = name_mentions(reg, doc)
        orgs = [m for m in org_mentions(reg, doc, self.org_chars) if not _names_part(doc, m)]
        cue_spans = find_cues(doc)
        periods = [s for s in doc.spans.get("sg_values", []) if s.label_ == "PERIOD"]
        amounts = [s for s in doc.spans.get("sg_values", []) if s.label_ == "MONEY"]
        context_project: str | None = self.default_project
        context_group: str | None = None
        title_done = False
        announced: list[tuple[str, int]] = []  # (group key, number of projects announced)
        for sent in units(doc):
            s0, s1 = sent.start, sent.end
            s_names = [m for m in names if s0 <= m.start < s1]
            s_orgs = [m for m in orgs if s0 <= m.start < s1]
            s_cues = [c for c in cue_spans if s0 <= c.start < s1]
            s_projects = [m for m in s_names if m.kind == "project"]
            s_groups = [m for m in s_names if m.kind in ("consortium", "network")]
            negated = negated_tokens(sent, s_cues)
            text_weight = weight
            if not title_done and sent.text.strip():
                text_weight = weight * 1.5
                title_done = True
            # the project this sentence is about
            explicit = [m.key for m in s_projects if not m.plural]
            plural_ref = plural_reference(sent, s_projects)
            sent_project = explicit[0] if explicit else (None if plural_ref else context_project)
            # "Hanke toimii yhteistyössä X-hankkeen kanssa": the sentence is still about the
            # project in context; X is only mentioned
            generic = (
                bool(explicit) and context_project is not None and generic_subject(sent, s_projects)
            )
            if generic:
                sent_project = context_project
            for m in s_groups:
                context_group = m.key
            programme(reg, s_names, s_cues, sent_project, plural_ref)
            claimed, used = self.roles.from_syntax(sent, s_orgs, s_projects, sent_project)
            self.roles.assign(
                sent,
                [m for m in s_orgs if m.start not in claimed],
                s_cues,
                s_projects,
                sent_project,
                negated,
                plural_ref,
                context_group,
                bounded=used,
            )
            self.roles.possessive_leads(doc, s_orgs, s_projects, negated)
            membership(
                reg,
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
            sister(reg, sent, s_cues, s_projects, context_project)
            gathering(reg, sent, s_cues, s_projects, sent_project)
            assign_periods(reg, sent, periods, s_projects, sent_project, plural_ref, context_group)
            if not plural_ref:
                assign_amounts(reg, sent, amounts, s_projects, sent_project)
            target = sent_project
            if target is not None:
                self.theme_text.setdefault(target, []).append(
                    (sent.text, reg.offset + sent.start_char, text_weight)
                )
            if explicit and not generic:
                context_project = explicit[-1] if len(set(explicit)) == 1 else explicit[0]
        announced_members(reg, announced, names)

    def finish(self) -> None:
        """Add the projects, groups, roles and organisations found to the facts."""
        facts = self.facts
        reg = self.reg
        known_projects = {p.key for p in facts.projects}
        for key, info in reg.projects.items():
            if key not in known_projects:
                facts.projects.append(info.fact)
        # gathering projects gather the projects listed in the same text
        listed = self.listed
        for info in reg.projects.values():
            if info.gathering:
                for k in listed:
                    if k != info.fact.key and k not in info.fact.gathers:
                        info.fact.gathers.append(k)
        # a group's funders fund its member projects
        self.roles.fund_group_members()
        known_groups = {g.key for g in facts.groups}
        for key, g in reg.groups.items():
            if key not in known_groups:
                facts.groups.append(g)
        used = {p.organisation for p in facts.participations}
        used.update(o for g in reg.groups.values() for o in g.funders)
        known_orgs = {o.key for o in facts.organisations}
        for key, o in reg.orgs.items():
            if key in known_orgs:
                continue
            if key in used or self.mentioned_known.get(key, False):
                facts.organisations.append(o)


def _names_part(doc: Doc, m: Mention) -> bool:
    """A name the statistical model took for an organisation that is part of a project's
    name: inside a name or its abbreviation (``… muutos (Polku) -hanke``), or right after a
    project word (``koordinaatiohanketta KAJOa``)."""
    if m.source not in ("ner", "ner_weak"):
        return False
    for s in doc.spans.get("sg_names", []):
        if s.start < m.end and m.start < s.end:
            return True
    prev = doc[m.start - 1] if m.start > 0 else None
    return (
        prev is not None
        and prev.text[:1].islower()
        and keyword_kind(prev.text) == "project"
        and not is_plural_keyword(prev.text)
    )

"""The projects, groups and organisations one text names, each under one document-local key.

Mentions of one entity are merged by name, alias and abbreviation; an organisation also by
its base form (``Mäntsälän Kehitys`` = ``Mäntsälän Kehitys Oy``) and by its authority-file
id. The fullest name of a project or group is its name, the others are aliases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sotegraph.extract.article.gazetteer import (
    authority_id,
    gazetteer_by_alias,
    gazetteer_by_name,
    loose_key,
)
from sotegraph.extract.article.names import SUBTITLE, better_name, name_like, norm_name
from sotegraph.facts import Facts, GroupFact, GroupKind, OrganisationFact, ProjectFact, Span
from sotegraph.nlp.lexicon import base_name
from sotegraph.read import Document

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan

__all__ = ["ProjectInfo", "Registry"]


@dataclass(slots=True)
class ProjectInfo:
    """A project with the names it has been mentioned by, and what the text says of it."""

    fact: ProjectFact
    names: list[str] = field(default_factory=list)
    gathering: bool = False
    word_bases: list[frozenset[str]] = field(default_factory=list)


class Registry:
    """The entities of one document, by key, with indexes from folded names to keys.

    Starts from the entities ``facts`` already has (an EURA record's), so that the prose
    adds to them instead of repeating them.
    """

    def __init__(self, facts: Facts, document: Document) -> None:
        self.facts = facts
        self.document = document
        self.projects: dict[str, ProjectInfo] = {}
        self.project_index: dict[str, str] = {}
        self.groups: dict[str, GroupFact] = {}
        self.group_index: dict[str, str] = {}
        self.orgs: dict[str, OrganisationFact] = {}
        self.org_index: dict[str, str] = {}
        self.org_authority: dict[str, str] = {}
        #: where the text being read starts in the document (spans are document offsets)
        self.offset = 0
        self._n_project = 0
        self._n_group = 0
        self._n_org = 0
        for p in facts.projects:
            info = ProjectInfo(p, names=[n for n in [p.name, *p.aliases] if n])
            self.projects[p.key] = info
            for n in info.names:
                self.project_index.setdefault(norm_name(n), p.key)
        for g in facts.groups:
            self.groups[g.key] = g
            for n in [g.name, *g.aliases]:
                self.group_index.setdefault(norm_name(n), g.key)
        for o in facts.organisations:
            self.orgs[o.key] = o
            for n in [o.name, *o.aliases]:
                self._index_org(n, o.key)

    def span_of(self, span: SpacySpan) -> Span:
        """The document span of a span of the text being read."""
        start = self.offset + span.start_char
        return Span(start, self.offset + span.end_char, self.document.line_of(start))

    # ----- organisations -------------------------------------------------------------

    def _index_org(self, name: str, key: str) -> None:
        self.org_index.setdefault(norm_name(name), key)
        self.org_index.setdefault(norm_name(base_name(name.split())), key)
        loose = loose_key(name)
        if loose:
            self.org_index.setdefault(loose, key)
        auth = authority_id(name)
        if auth:
            self.org_authority.setdefault(auth, key)

    def org_key(self, span: SpacySpan) -> str:
        """The document-local key of the organisation an organisation mention names."""
        written = span.text.strip().rstrip(".,;:")
        words = written.split()
        name = base_name(words, head_lemma=span[-1].lemma_) if words else written
        known = span.kb_id_ or ""
        for cand in (known, name, written):
            if cand and norm_name(cand) in self.org_index:
                return self.org_index[norm_name(cand)]
        loose = loose_key(name)
        if loose and loose in self.org_index:  # "Mäntsälän Kehitys" = "Mäntsälän Kehitys Oy"
            key = self.org_index[loose]
            self._index_org(name, key)
            return key
        auth = authority_id(known or name)
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
        if known and norm_name(known) != norm_name(name):
            fact.canonical_name = known
            gaz = gazetteer_by_name().get(known)
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
        key = self.org_index.get(norm_name(written))
        if key is not None:
            return key
        entry = gazetteer_by_alias().get(norm_name(written))
        if entry is None:
            return None
        key = self.org_index.get(norm_name(entry.name))
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
        """Give an organisation another name (an abbreviation introduced in parentheses)."""
        fact = self.orgs[key]
        if alias not in fact.aliases and norm_name(alias) != norm_name(fact.name):
            fact.aliases.append(alias)
        self._index_org(alias, key)

    # ----- projects and groups -----------------------------------------------------------

    def project_key(
        self, name: str, *, span: Span | None = None, aliases: Sequence[str] = ()
    ) -> str:
        """The key of the project a name (with its aliases) names; a new one if none does."""
        norm = norm_name(name)
        key = self.project_index.get(norm)
        if key is None:
            for a in aliases:
                key = self.project_index.get(norm_name(a))
                if key:
                    break
        if key is None and name_like(name):
            for other_norm, other_key in self.project_index.items():
                if other_norm.startswith(norm + " "):
                    key = other_key
                    break
        if key is None and " " in name:
            # a longer name whose first word is a known short name ("SoteDialogit muutoksessa")
            first = name.split()[0]
            if name_like(first):
                key = self.project_index.get(norm_name(first))
        if key is None:
            self._n_project += 1
            key = f"p{self._n_project}"
            while key in self.projects:
                self._n_project += 1
                key = f"p{self._n_project}"
            self.projects[key] = ProjectInfo(ProjectFact(key=key, name=name, span=span))
        info = self.projects[key]
        for n in (name, *aliases):
            self._add_project_name(info, n)
        return key

    def _add_project_name(self, info: ProjectInfo, name: str) -> None:
        norm = norm_name(name)
        if not norm:
            return
        self.project_index.setdefault(norm, info.fact.key)
        if any(norm_name(n) == norm for n in info.names):
            return
        info.names.append(name)
        fact = info.fact
        # "Hyvä Arki – kotihoito uudistuu": the part before the subtitle is an alias
        parts = SUBTITLE.split(name, maxsplit=1)
        if len(parts) == 2 and parts[0] and parts[0] not in fact.aliases:
            fact.aliases.append(parts[0])
            self.project_index.setdefault(norm_name(parts[0]), fact.key)
        current = fact.name or ""
        if not current or norm_name(current) == norm:
            fact.name = current or name
            return
        # the fullest name is the name; the others are aliases
        if better_name(name, current):
            if current and current not in fact.aliases:
                fact.aliases.append(current)
            fact.name = name
        elif name not in fact.aliases:
            fact.aliases.append(name)

    def group_key(self, name: str, kind: GroupKind, *, span: Span | None = None) -> str:
        """The key of the consortium or network a name names; a new one if none does."""
        norm = norm_name(name)
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
        if norm_name(g.name) != norm and name not in g.aliases:
            if better_name(name, g.name):
                g.aliases.append(g.name)
                g.name = name
            else:
                g.aliases.append(name)
        parts = SUBTITLE.split(name, maxsplit=1)
        if len(parts) == 2 and parts[0] not in g.aliases:
            g.aliases.append(parts[0])
            self.group_index.setdefault(norm_name(parts[0]), key)
        return key

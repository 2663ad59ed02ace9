"""How projects relate: consortium and network membership (``kuuluu … konsortioon``, ``on
osa … -konsortiota``), programmes (``Hyvä Elämä -ohjelman rahoittama``), sister projects
(``sisarhanke``) and gathering projects (``koordinoi`` + a list of projects).

A consortium said to have N projects, in a text that presents exactly N, gets them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sotegraph.extract.article.clauses import counted_projects, generic_subject
from sotegraph.extract.article.model import Cue, Mention
from sotegraph.extract.article.registry import Registry
from sotegraph.nlp.lexicon import base_forms, keyword_kind

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

__all__ = [
    "announced_members",
    "gathering",
    "member",
    "membership",
    "programme",
    "sister",
]


def membership(
    reg: Registry,
    sent: SpacySpan,
    s_cues: list[Cue],
    s_projects: list[Mention],
    s_groups: list[Mention],
    sent_project: str | None,
    context_group: str | None,
    announced: list[tuple[str, int]],
    plural_ref: bool,
    context_project: str | None = None,
) -> None:
    """Members of the groups a membership sentence names; ``announced`` gets ``(group, N)``
    for ``… kuuluu kolme hanketta``."""
    if not any("member" in c.roles for c in s_cues):
        return
    groups = [m.key for m in s_groups]
    if not groups:
        # "konsortioon kuuluu …": the group named last
        if context_group and any(keyword_kind(t.text) in ("consortium", "network") for t in sent):
            groups = [context_group]
        else:
            return
    members = [m.key for m in s_projects if not m.plural]
    if not members and sent_project and not plural_ref and not counted_projects(sent):
        members = [sent_project]
    elif members and context_project and generic_subject(sent, s_projects):
        # "Hanke kuuluu X-konsortioon, johon kuuluvat myös A-hanke ja B-hanke."
        members.insert(0, context_project)
    for g in groups:
        for p in members:
            member(reg, p, g)
    n = counted_projects(sent)
    if n and groups:
        announced.append((groups[0], n))


def programme(
    reg: Registry,
    s_names: list[Mention],
    s_cues: list[Cue],
    sent_project: str | None,
    plural_ref: bool,
) -> None:
    """``Hanke on osa Hyvä Elämä -ohjelmaa`` / ``… -ohjelman rahoittama``."""
    if sent_project is None or plural_ref:
        return
    names = [m.key for m in s_names if m.kind == "programme"]
    if names and any(c.roles & {"member", "funder"} for c in s_cues):
        fact = reg.projects[sent_project].fact
        if not fact.programme:
            fact.programme = names[0]


def member(reg: Registry, project: str, group: str) -> None:
    """Make a project a member of a group (both ways)."""
    g = reg.groups[group]
    if project not in g.members:
        g.members.append(project)
    p = reg.projects[project].fact
    if group not in p.member_of:
        p.member_of.append(group)


def announced_members(
    reg: Registry, announced: list[tuple[str, int]], names: list[Mention]
) -> None:
    """A group said to have N projects, in a text that presents exactly N, has them all."""
    present = list(dict.fromkeys(m.key for m in names if m.kind == "project"))
    for group, n in announced:
        if len(present) == n:
            for p in present:
                member(reg, p, group)


def sister(
    reg: Registry,
    sent: SpacySpan,
    s_cues: list[Cue],
    s_projects: list[Mention],
    sent_project: str | None,
) -> None:
    """``A-hanke on B-hankkeen sisarhanke``: sister projects, both ways."""
    cue = next((c for c in s_cues if "sister" in c.roles), None)
    if cue is None:
        return
    keys = list(dict.fromkeys(m.key for m in s_projects))
    other = _described_project(reg, sent, cue.start)
    if other is not None and other not in keys:
        keys.append(other)
    if len(keys) < 2 and sent_project and sent_project not in keys:
        keys.insert(0, sent_project)
    if len(keys) >= 2:
        a, b = keys[0], keys[1]
        for x, y in ((a, b), (b, a)):
            sp = reg.projects[x].fact.sister_projects
            if y not in sp:
                sp.append(y)


def _described_project(reg: Registry, sent: SpacySpan, before: int) -> str | None:
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
        for key, info in reg.projects.items():
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


def gathering(
    reg: Registry,
    sent: SpacySpan,
    s_cues: list[Cue],
    s_projects: list[Mention],
    sent_project: str | None,
) -> None:
    """A sentence with a gathering cue makes its project gather the projects the text lists."""
    if not any("gathering" in c.roles for c in s_cues):
        return
    target = next((m.key for m in s_projects if not m.plural), sent_project)
    if target is not None:
        reg.projects[target].gathering = True

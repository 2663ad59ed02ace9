"""Mentions in a parsed text: project, group and programme names, organisations and cue
words, from the spans the sotegraph spaCy components mark (``sg_names``,
``sg_organisations``, ``sg_cues``).

Finding a name registers its entity (:class:`~sotegraph.extract.article.registry.Registry`):
long names first, so that short ones attach to them as aliases; ``Nimi (ABBR)`` gives the
abbreviation as an alias, and a project code after a project name is its code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sotegraph.extract.article.clauses import genitive
from sotegraph.extract.article.gazetteer import gazetteer_names
from sotegraph.extract.article.model import Cue, Mention
from sotegraph.extract.article.names import (
    clean_list_name,
    code_after,
    marker_is_plural,
    norm_name,
)
from sotegraph.extract.article.registry import Registry
from sotegraph.facts import GroupKind, Role
from sotegraph.nlp.lexicon import base_forms, cues

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

__all__ = [
    "ROLE_OF",
    "Cue",
    "Mention",
    "find_cues",
    "listed_projects",
    "mentioned_known_orgs",
    "name_mentions",
    "org_mentions",
]

#: The role each role-cue label gives.
ROLE_OF = {
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


def name_mentions(reg: Registry, doc: Doc) -> list[Mention]:
    """Project, consortium, network and programme names, registered in ``reg``."""
    from sotegraph.nlp.shapes import name_of

    spans = sorted(doc.spans.get("sg_names", []), key=lambda s: (s.start, -len(s)))
    out: list[Mention] = []
    gaz_names = gazetteer_names()
    # long names first so that short ones attach to them as aliases
    pending: list[tuple[SpacySpan, str, list[str]]] = []
    for i, s in enumerate(spans):
        if s.label_ == "ALIAS":
            continue
        s = _trim_clause_start(doc, s)
        if s is None:
            continue
        name, aliases = clean_list_name(name_of(s)) if s.id_ == "list" else (name_of(s), [])
        if not name or norm_name(name) in gaz_names or not_a_project_name(s, name):
            continue
        if s.label_ in ("CONSORTIUM", "NETWORK") and s.id_ == "attached":
            # "KOTO-hankekonsortioon": a group's name keeps its group word
            whole = group_with_word(s[0].text, name)
            if whole is not None:
                aliases.append(name)
                name = whole
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
            keys[k] = reg.project_key(name, span=reg.span_of(s), aliases=aliases)
        elif s.label_ in ("CONSORTIUM", "NETWORK"):
            kind = GroupKind.CONSORTIUM if s.label_ == "CONSORTIUM" else GroupKind.NETWORK
            keys[k] = reg.group_key(name, kind, span=reg.span_of(s))
        elif s.label_ == "PROGRAMME":
            keys[k] = name  # programmes are no resources: the name is kept on projects
    for k, (s, _name, _aliases) in enumerate(pending):
        if k not in keys:
            continue
        plural = marker_is_plural(doc, s)
        out.append(Mention(s.label_.lower(), keys[k], s.start, s.end, s.id_, plural))
        if s.label_ == "PROJECT":
            code = code_after(doc, s.end)
            fact = reg.projects[keys[k]].fact
            if code and not fact.code:
                fact.code = code
    return sorted(out, key=lambda m: m.start)


#: Words that are no project's name on their own: compass points and region prefixes.
_COMPASS = frozenset(
    {
        "itä",
        "länsi",
        "etelä",
        "pohjois",
        "pohjoinen",
        "eteläinen",
        "itäinen",
        "läntinen",
        "keski",
        "kaakkois",
        "lounais",
        "luoteis",
        "koillis",
        "sisä",
        "ylä",
        "ala",
        "väli",
    }
)


def not_a_project_name(span: SpacySpan, name: str) -> bool:
    """A bare compass word, a cut compound (``Itä-``) or a lone adjective is no name.

    >>> import spacy
    >>> doc = spacy.blank("fi")("hankkeet Itä- ja Pohjois-Suomessa")
    >>> not_a_project_name(doc[1:2], "Itä")
    True
    """
    words = name.split()
    if len(words) != 1:
        return False
    word = words[0].strip("\"'”“«»")
    low = word.lower().rstrip("-‐–")
    if low in _COMPASS or word.endswith(("-", "‐", "–")):
        return True
    if len(span) == 1 and span[0].text.endswith(("-", "‐")) and span.id_ != "attached":
        return True
    tok = span[0]
    return (
        len(span) == 1
        and span.id_ != "attached"
        and tok.pos_ == "ADJ"
        and tok.lemma_[:1].islower()
        and not any(c.isupper() for c in word[1:])
    )


_CLAUSE_OPENERS = frozenset({"ja", "mutta", "vaan", "sekä", "kun", "koska"})


def _trim_clause_start(doc: Doc, s: SpacySpan) -> SpacySpan | None:
    """A name that starts with a clause fragment loses it: ``Työskentelen KUPLA - … -hanke``.

    A finite verb in the indicative or a personal pronoun never begins a project's name
    (imperatives do: ``Onnistu yhdessä``).
    """
    from spacy.tokens import Span

    if s.id_ not in ("spaced", "quoted", "after_keyword") or len(s) < 2:
        return s
    i = s.start
    # "… hallinnoi X, ja Y -hanke": a name never reaches back over a new clause
    for j in range(s.end - 2, s.start, -1):
        if doc[j].text in {",", ";"} and doc[j + 1].lower_ in _CLAUSE_OPENERS:
            i = j + 2
            break
    while i < s.end - 1:
        tok = doc[i]
        finite = "Fin" in tok.morph.get("VerbForm", []) and "Ind" in tok.morph.get("Mood", [])
        pronoun = tok.pos_ == "PRON" and "Prs" in tok.morph.get("PronType", [])
        if not (finite or pronoun):
            break
        i += 1
    if i == s.start:
        return s
    while i < s.end and not doc[i].text[:1].isupper():
        i += 1
    if i >= s.end:
        return None
    return Span(doc, i, s.end, label=s.label_, span_id=s.id_)


def group_with_word(token: str, name: str) -> str | None:
    """``KOTO-hankekonsortioon`` → ``KOTO-hankekonsortio``: the whole word in its base
    form when the group word is a compound (``hankekonsortio``); ``None`` for a bare one
    (``SoteKehittäjät-verkosto`` stays ``SoteKehittäjät``)."""
    from sotegraph.nlp.lexicon import base_name, keyword_kind

    rest = token[len(name) :].lstrip("-‐")
    if not rest or not token.startswith(name):
        return None
    bare = {"konsortio", "verkosto", "ohjelma"}
    if any(rest.lower().startswith(b) for b in bare):
        return None
    if keyword_kind(rest) not in ("consortium", "network"):
        return None
    return base_name([token])


def org_mentions(reg: Registry, doc: Doc, org_chars: list[tuple[int, int]]) -> list[Mention]:
    """Organisation mentions, registered in ``reg``.

    The document character spans of names found by the gazetteer, their shape or an alias
    are added to ``org_chars`` (places inside them are not target areas).
    """
    out: list[Mention] = []
    spans = list(doc.spans.get("sg_organisations", []))
    prev: SpacySpan | None = None
    for s in spans:
        # a unit of the organisation just before it: "Tampereen yliopiston Työelämän tutkimuskeskus"
        if prev is not None and s.start == prev.end and genitive(prev[-1]):
            if out:
                out[-1].after = s.end
            prev = s
            continue
        key = reg.org_key(s)
        out.append(Mention("org", key, s.start, s.end, s.id_, after=s.end))
        if s.id_ in ("gazetteer", "shape", "alias"):
            org_chars.append((reg.offset + s.start_char, reg.offset + s.end_char))
        prev = s
    # abbreviations introduced in parentheses become aliases
    for m in out:
        e = m.end
        if e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")":
            abbr = doc[e + 1].text
            if 1 < len(abbr) <= 12 and abbr[:1].isupper():
                reg.add_org_alias(m.key, abbr)
    return out


def find_cues(doc: Doc) -> list[Cue]:
    """The cue words of a text, in order; a word with several labels is one cue."""
    out: list[Cue] = []
    seen: dict[tuple[int, int], Cue] = {}
    participle_re = re.compile(cues()["participle_forms"][0])
    for s in doc.spans.get("sg_cues", []):
        k = (s.start, s.end)
        tok = s[0]
        lemma = tok.lemma_.lower()
        if k in seen:
            seen[k].roles.add(s.label_)
            continue
        participle = "Part" in tok.morph.get("VerbForm", []) or (
            s.label_ in ROLE_OF
            and tok.pos_ == "VERB"
            and bool(participle_re.fullmatch(tok.lower_))
            and tok.dep_ in {"acl", "amod"}
        )
        cue = Cue(
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


def listed_projects(reg: Registry, doc: Doc) -> list[str]:
    """Keys of the projects a text presents in a list (numbered or bulleted)."""
    from sotegraph.nlp.shapes import name_of

    out: list[str] = []
    for s in doc.spans.get("sg_names", []):
        if s.id_ == "list" and s.label_ == "PROJECT":
            name, _aliases = clean_list_name(name_of(s))
            key = reg.project_index.get(norm_name(name))
            if key and key not in out:
                out.append(key)
    return out


def mentioned_known_orgs(reg: Registry, doc: Doc) -> dict[str, bool]:
    """Organisations of the gazetteer named in full (not only by an abbreviation)."""
    out: dict[str, bool] = {}
    for s in doc.spans.get("sg_organisations", []):
        if s.id_ == "gazetteer" and (len(s) > 1 or len(s.text) >= 8) and not s.text.isupper():
            key = reg.org_index.get(norm_name(s.kb_id_)) if s.kb_id_ else None
            if key:
                out[key] = True
    return out

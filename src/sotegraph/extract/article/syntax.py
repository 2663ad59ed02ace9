"""Roles from the dependency parse: spaCy's ``DependencyMatcher`` over the model's UD trees.

The cue-word rules of :mod:`.roles` give an organisation the role of the nearest cue word;
the patterns here read who does what from the syntax, so that a role reaches every form a
sentence can take, and they win over the cue words for the organisations they find:

- the **subject of a role verb** (``hallinnoida``, ``vetää``, ``toteuttaa`` → lead,
  ``koordinoida`` → coordinator, ``osallistua`` → partner, ``rahoittaa`` → funder,
  ``myöntää`` + a grant noun → funder, ``vastata`` + a project → lead), in any word order
  and in relative clauses (``-hankkeessa, jota X toteuttaa``: the project the relative
  pronoun stands for);
- the **genitive agent of a participle** (``X:n hallinnoima``, ``Y:n rahoittama``);
- **grants** in every voice: the giver is the funder (``STEA myönsi rahoituksen``,
  ``rahoituksen myöntää STM``, ``saivat rahoituksen Akatemialta``, ``rahoitetaan X:n
  varoin``), the recipient of a grant for the project is its lead (``X sai rahoituksen``,
  ``myönsi X:lle avustusta``);
- **cooperation** (``yhteistyössä A:n, B:n ja C:n kanssa``): every conjunct a collaborator;
- **appositions** and **copulas** with a role noun (``hallinnoijan, X:n, lisäksi``,
  ``Hallinnoija on X``, ``X on hankkeen rahoittaja``; a ``kumppani`` that carries out the
  work, ``toteuttajakumppaneita ovat A ja B``, is a partner);
- the **genitive owner of a project** said to be it (``SoVa on X:n kehittämishanke``).

The patterns are data (:data:`VERB_ROLES`, :data:`PARTICIPLE_ROLES`, :data:`NOUN_ROLES`,
:data:`DEP_PATTERNS`): verb lemmas and role nouns map to roles, and each dependency shape
names the token that is the organisation. The project a role is about comes from the
clause: the project its verb governs, the project a participle or relative clause hangs
on, otherwise a project named in the same clause; a sentence naming projects only in other
clauses gives none (``X:ää hallinnoi A, ja Y:stä vastaa B``: no cross-assignment).
Negated verbs and copulas (``ei hallinnoi``, ``ei ole kumppani``) give no role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sotegraph.extract.article.clauses import NUMERALS
from sotegraph.extract.article.model import Mention
from sotegraph.extract.article.names import norm_name
from sotegraph.facts import Role
from sotegraph.nlp.lexicon import is_plural_keyword, keyword_kind, load_nlp_json

if TYPE_CHECKING:  # pragma: no cover
    from spacy.matcher import DependencyMatcher
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

__all__ = [
    "DEP_PATTERNS",
    "GRANT_NOUNS",
    "NOUN_ROLES",
    "PARTICIPLE_ROLES",
    "VERB_ROLES",
    "SyntaxRole",
    "clause_segment",
    "syntax_roles",
]

#: Verb lemma → the role of its subject. ``needs`` says what else the clause must hold:
#: ``grant`` a grant noun as object (``myönsi rahoituksen``), ``project`` a project it is
#: about (``X-hankkeesta vastaa``).
VERB_ROLES: dict[str, dict[str, str]] = {
    "hallinnoida": {"role": "lead"},
    "vetää": {"role": "lead", "needs": "project"},
    "toteuttaa": {"role": "lead", "needs": "project"},
    "vastata": {"role": "lead", "needs": "project"},
    "koordinoida": {"role": "coordinator"},
    "osallistua": {"role": "partner", "needs": "project"},
    "rahoittaa": {"role": "funder"},
    "myöntää": {"role": "funder", "needs": "grant"},
    "päättää": {"role": "funder", "needs": "grant"},
}

#: Granting bodies that pass on EU or state money (ELY centres, regional councils): the one
#: that grants or decides a grant is the project's authority, not its funder. A ministry
#: granting an EU fund's money named in the same sentence is one too.
_INTERMEDIARY = re.compile(
    r"elinkeino-, liikenne- ja ympäristökeskus|ely-keskus|(?:maakunta)?liitto$", re.IGNORECASE
)
_MINISTRY = re.compile(r"ministeriö$", re.IGNORECASE)
_EU_FUND = re.compile(r"rahasto\b|\b(?:ESR|EAKR|EU)\b|ESR-|EAKR-")

#: Agent participles (``X:n hallinnoima``): the lower-cased stem before ``-ma/-mä`` → role.
PARTICIPLE_ROLES: dict[str, str] = {
    "hallinnoi": "lead",
    "vetä": "lead",
    "toteutta": "lead",
    "koordinoi": "coordinator",
    "rahoitta": "funder",
}

#: Role nouns of appositions and copulas (``Hallinnoija on X``), by lemma or word start.
NOUN_ROLES: dict[str, str] = {
    "hallinnoija": "lead",
    "päätoteuttaja": "lead",
    "vetäjä": "lead",
    "osatoteuttaja": "partner",
    "toteuttajakumppani": "partner",
    "toteutuskumppani": "partner",
    "hankekumppani": "partner",
    "kumppani": "collaborator",
    "yhteistyökumppani": "collaborator",
    "rahoittaja": "funder",
    "koordinaattori": "coordinator",
}

#: Nouns of a grant (the object of ``myöntää`` / ``saada``, the means of ``rahoitetaan``).
GRANT_NOUNS = frozenset(
    {
        "rahoitus",
        "avustus",
        "valtionavustus",
        "erityisavustus",
        "hankeavustus",
        "tuki",
        "rahoituspäätös",
        "vara",
        "määräraha",
        "valtionrahoitus",
        "hankerahoitus",
    }
)

_PARTICIPLE = re.compile(
    r"^(?P<stem>" + "|".join(sorted(PARTICIPLE_ROLES, key=len, reverse=True)) + r")m[aä]\w*$"
)
_SUBJECT = ["nsubj", "nsubj:cop"]
_AGENT = ["nmod:poss", "nsubj", "obl:agent", "nmod:agent"]

#: The dependency shapes: a name, the pattern, and which matched token is the organisation
#: (``org``) and which the word that gives the role (``anchor``).
DEP_PATTERNS: dict[str, list[dict[str, Any]]] = {
    # "X hallinnoi hanketta", "hanketta hallinnoi X", "jota X toteuttaa"
    "subject": [
        {
            "RIGHT_ID": "anchor",
            "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(VERB_ROLES)}, "POS": {"IN": ["VERB", "AUX"]}},
        },
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">",
            "RIGHT_ID": "org",
            "RIGHT_ATTRS": {"DEP": {"IN": _SUBJECT}},
        },
    ],
    # "X:n hallinnoima hanke", "Y:n rahoittama"
    "agent": [
        {"RIGHT_ID": "anchor", "RIGHT_ATTRS": {"LOWER": {"REGEX": _PARTICIPLE.pattern}}},
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">",
            "RIGHT_ID": "org",
            "RIGHT_ATTRS": {"DEP": {"IN": _AGENT}},
        },
    ],
    # "X sai rahoituksen Y:ltä": the recipient leads, the giver (ablative) funds
    "receiver": [
        {"RIGHT_ID": "anchor", "RIGHT_ATTRS": {"LEMMA": "saada"}},
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">",
            "RIGHT_ID": "grant",
            "RIGHT_ATTRS": {"DEP": "obj", "LEMMA": {"IN": sorted(GRANT_NOUNS)}},
        },
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">",
            "RIGHT_ID": "org",
            "RIGHT_ATTRS": {"DEP": "nsubj"},
        },
    ],
    "giver": [
        {"RIGHT_ID": "anchor", "RIGHT_ATTRS": {"LEMMA": "saada"}},
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">",
            "RIGHT_ID": "grant",
            "RIGHT_ATTRS": {"DEP": "obj", "LEMMA": {"IN": sorted(GRANT_NOUNS)}},
        },
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">>",
            "RIGHT_ID": "org",
            "RIGHT_ATTRS": {"MORPH": {"IS_SUPERSET": ["Case=Abl"]}},
        },
    ],
    # "STM myönsi X:lle avustusta": the allative recipient leads
    "grantee": [
        {"RIGHT_ID": "anchor", "RIGHT_ATTRS": {"LEMMA": "myöntää"}},
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">",
            "RIGHT_ID": "org",
            "RIGHT_ATTRS": {"DEP": "obl", "MORPH": {"IS_SUPERSET": ["Case=All"]}},
        },
    ],
    # "rahoitetaan X:n varoin", "toteutetaan X:n rahoituksella"
    "means": [
        {"RIGHT_ID": "anchor", "RIGHT_ATTRS": {"LEMMA": {"IN": ["rahoittaa", "toteuttaa"]}}},
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">",
            "RIGHT_ID": "grant",
            "RIGHT_ATTRS": {"DEP": "obl", "LEMMA": {"IN": sorted(GRANT_NOUNS)}},
        },
        {
            "LEFT_ID": "grant",
            "REL_OP": ">",
            "RIGHT_ID": "org",
            "RIGHT_ATTRS": {"DEP": "nmod:poss"},
        },
    ],
    # "yhteistyössä A:n, B:n ja C:n kanssa"
    "with": [
        {"RIGHT_ID": "anchor", "RIGHT_ATTRS": {"LOWER": "kanssa", "DEP": "case"}},
        {"LEFT_ID": "anchor", "REL_OP": "<", "RIGHT_ID": "org", "RIGHT_ATTRS": {}},
    ],
    # "hallinnoijan, X:n, lisäksi"
    "apposition": [
        {"RIGHT_ID": "anchor", "RIGHT_ATTRS": {"POS": {"IN": ["NOUN", "PROPN"]}}},
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">",
            "RIGHT_ID": "org",
            "RIGHT_ATTRS": {"DEP": {"IN": ["appos", "conj"]}},
        },
    ],
    # "Hallinnoija on X", "kumppaneita ovat A ja B"
    "copula_subject": [
        {"RIGHT_ID": "org", "RIGHT_ATTRS": {}},
        {"LEFT_ID": "org", "REL_OP": ">", "RIGHT_ID": "cop", "RIGHT_ATTRS": {"DEP": "cop"}},
        {
            "LEFT_ID": "org",
            "REL_OP": ">",
            "RIGHT_ID": "anchor",
            "RIGHT_ATTRS": {"DEP": "nsubj:cop"},
        },
    ],
    # "X on hankkeen hallinnoija", "Rahoittajana on X"
    "copula_predicate": [
        {"RIGHT_ID": "anchor", "RIGHT_ATTRS": {}},
        {"LEFT_ID": "anchor", "REL_OP": ">", "RIGHT_ID": "cop", "RIGHT_ATTRS": {"DEP": "cop"}},
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">",
            "RIGHT_ID": "org",
            "RIGHT_ATTRS": {"DEP": "nsubj:cop"},
        },
    ],
    # "SoVa on X:n kehittämishanke": the genitive owner of the project leads it
    "owner": [
        {"RIGHT_ID": "anchor", "RIGHT_ATTRS": {"POS": "NOUN"}},
        {"LEFT_ID": "anchor", "REL_OP": ">", "RIGHT_ID": "cop", "RIGHT_ATTRS": {"DEP": "cop"}},
        {
            "LEFT_ID": "anchor",
            "REL_OP": ">>",
            "RIGHT_ID": "org",
            "RIGHT_ATTRS": {"DEP": "nmod:poss"},
        },
    ],
}

_ROLE_OF = {
    "lead": Role.LEAD,
    "partner": Role.PARTNER,
    "collaborator": Role.COLLABORATOR,
    "funder": Role.FUNDER,
    "coordinator": Role.COORDINATOR,
    "authority": Role.AUTHORITY,
}
_CLAUSE_DEPS = {"conj", "parataxis", "advcl", "ccomp", "acl:relcl", "csubj", "xcomp"}
_LIST_GLUE = {",", "ja", "sekä", "tai", "(", ")"}


@dataclass(slots=True)
class SyntaxRole:
    """One role the parse gives: the organisation mention, role, project and evidence."""

    org: Mention
    role: Role
    project: str | None  # None: the clause's project is unknown or several (no role)
    cue: str
    pattern: str
    anchor: int = -1  # token index of the word that gives the role


_MATCHERS: dict[int, tuple[Any, DependencyMatcher]] = {}


def _matcher(vocab: Any) -> DependencyMatcher:
    """The dependency matcher of :data:`DEP_PATTERNS` for a vocabulary (built once)."""
    found = _MATCHERS.get(id(vocab))
    if found is None or found[0] is not vocab:
        from spacy.matcher import DependencyMatcher

        matcher = DependencyMatcher(vocab)
        for name, pattern in DEP_PATTERNS.items():
            matcher.add(name, [pattern])
        found = (vocab, matcher)
        _MATCHERS[id(vocab)] = found
    return found[1]


@cache
def _funder_names() -> frozenset[str]:
    """Folded names and abbreviations of the public funds and funders (``funders.json``)."""
    out: set[str] = set()
    for entry in load_nlp_json("funders.json").get("organisations", []):
        out.add(norm_name(entry["name"]))
        out.update(norm_name(a) for a in entry.get("aliases", []))
    return frozenset(out)


def noun_role(tok: Token) -> str | None:
    """The role a role noun gives (``hallinnoijana`` → lead, ``toteuttajakumppani`` → partner).

    A ``kumppani`` is a collaborator unless it carries out the work (``toteuttajakumppani``,
    ``kumppanit, jotka toteuttavat hankkeen``): then a partner.

    >>> class T:  # a stand-in token
    ...     def __init__(self, lemma): self.lemma_, self.lower_ = lemma, lemma
    >>> [noun_role(T(w)) for w in ("hallinnoija", "toteuttajakumppani", "suomalaiskumppani")]
    ['lead', 'partner', 'collaborator']
    """
    lemma = tok.lemma_.lower()
    if lemma.endswith("kumppani") and _carries_out(tok):
        return "partner"  # "kumppanit, jotka toteuttavat hankkeen": partners in the work
    if lemma in NOUN_ROLES:
        return NOUN_ROLES[lemma]
    # compounds end in their head noun: the longest role noun the lemma ends in
    for noun in sorted(NOUN_ROLES, key=len, reverse=True):
        if lemma.endswith(noun) and len(lemma) > len(noun):
            return NOUN_ROLES[noun]
    return None


def _carries_out(tok: Any) -> bool:
    """A role noun with a clause of its own that carries out the work (``toteuttava``)."""
    children = getattr(tok, "children", ())
    return any(
        c.dep_ in {"acl", "acl:relcl", "amod"} and c.lemma_.lower() in {"toteuttaa", "toteuttava"}
        for c in children
    )


def syntax_roles(
    sent: SpacySpan,
    orgs: list[Mention],
    projects: list[Mention],
    sent_project: str | None,
    *,
    org_names: dict[str, str],
) -> list[SyntaxRole]:
    """The roles the dependency parse of one sentence gives its organisation mentions.

    ``orgs`` and ``projects`` are the sentence's mentions; ``org_names`` maps organisation
    keys to names (a public fund never leads a project it owns in the genitive). A role whose
    project cannot be told (another clause names the projects, a plural or counted set) has
    ``project`` ``None``: the organisation is spoken for, but gets no role.
    """
    if not orgs or not sent.doc.has_annotation("DEP"):
        return []
    doc = sent.doc
    at: dict[int, Mention] = {}
    ordered = sorted(orgs, key=lambda x: x.start)
    for k, m in enumerate(ordered):
        # "Pohjolan koulutuskuntayhtymä Pokedu": two mentions in a row name one body,
        # the proper name after the description
        nxt = ordered[k + 1] if k + 1 < len(ordered) else None
        owner = nxt if nxt is not None and nxt.start == max(m.end, m.after) else m
        for i in range(m.start, max(m.end, m.after)):
            at[i] = owner
    out: list[SyntaxRole] = []
    seen: set[tuple[int, Role]] = set()
    for name, ids in _matches(doc):
        anchor, org_tok = doc[ids["anchor"]], doc[ids["org"]]
        if not (sent.start <= anchor.i < sent.end and sent.start <= org_tok.i < sent.end):
            continue
        found = _read(name, anchor, org_tok, sent, at, projects, sent_project, org_names)
        if found is None:
            continue
        role, project, members = found
        for m in members:
            if (m.start, _ROLE_OF[role]) in seen:
                continue
            seen.add((m.start, _ROLE_OF[role]))
            out.append(SyntaxRole(m, _ROLE_OF[role], project, anchor.text, name, anchor.i))
    # the adjacency fallback of the participle pattern: "X:n (ABBR) hallinnoima"
    for tok in sent:
        low = tok.lower_
        hit = _PARTICIPLE.match(low)
        if hit is None or any(r.pattern == "agent" and r.cue == tok.text for r in out):
            continue
        before = _org_before(doc, tok.i, at)
        if before is None or not _genitive_end(doc, before):
            continue
        verb_role = PARTICIPLE_ROLES[hit.group("stem")]
        project = _participle_project(tok, sent, projects, sent_project)
        out.append(SyntaxRole(before, _ROLE_OF[verb_role], project, tok.text, "agent", tok.i))
    return out


def _matches(doc: Any) -> list[tuple[str, dict[str, int]]]:
    """The matches of :data:`DEP_PATTERNS` in a parsed text (computed once per text)."""
    cached = doc.user_data.get("sg_dep_matches")
    if cached is not None:
        return list(cached)
    matcher = _matcher(doc.vocab)
    out: list[tuple[str, dict[str, int]]] = []
    for match_id, token_ids in matcher(doc):
        name = doc.vocab.strings[match_id]
        keys = [p["RIGHT_ID"] for p in DEP_PATTERNS[name]]
        out.append((name, dict(zip(keys, token_ids, strict=True))))
    doc.user_data["sg_dep_matches"] = out
    return list(out)


def _read(
    name: str,
    anchor: Token,
    org_tok: Token,
    sent: SpacySpan,
    at: dict[int, Mention],
    projects: list[Mention],
    sent_project: str | None,
    org_names: dict[str, str],
) -> tuple[str, str | None, list[Mention]] | None:
    """Role, project and organisation mentions of one match (``None``: not a role)."""
    doc = sent.doc
    m = at.get(org_tok.i)
    if m is None:
        return None
    if name not in ("agent", "means", "owner") and _owns_next(doc, m):
        return None  # "Pohjolan koulutuskuntayhtymä": a genitive owns the noun after it
    members = [x for x in _list_of(doc, m, at) if x is m or not _owns_next(doc, x)]
    if name == "subject":
        spec = VERB_ROLES.get(anchor.lemma_.lower())
        if spec is None or _negated(anchor) or _PARTICIPLE.match(anchor.lower_):
            return None
        if "Part" in anchor.morph.get("VerbForm", []) and not any(
            c.dep_ == "aux" for c in anchor.children
        ):
            return None  # a participle, not a perfect tense ("on myöntänyt")
        needs = spec.get("needs")
        grant = any(
            c.dep_ in {"obj", "obl", "nsubj"} and c.lemma_.lower() in GRANT_NOUNS
            for c in anchor.children
        )
        if needs == "grant" and not grant:
            return None
        if anchor.lemma_.lower() == "vastata" and grant:
            needs = "grant"  # "rahoituksesta vastaa ELY-keskus": who grants, not who leads
        project = _clause_project(anchor, sent, projects, sent_project, need=needs == "project")
        if project == _UNRELATED:
            return None
        role = spec["role"]
        if needs == "grant":
            role = _granting_role(org_names.get(m.key, ""), sent)
        if role == "lead" and anchor.lemma_.lower() == "toteuttaa" and len(members) > 1:
            role = "partner"  # "A ja B toteuttavat hankkeen": no single lead
        return role, project or None, members
    if name == "agent":
        stem = _PARTICIPLE.match(anchor.lower_)
        if stem is None:
            return None
        project = _participle_project(anchor, sent, projects, sent_project)
        return PARTICIPLE_ROLES[stem.group("stem")], project, members
    if name in ("receiver", "giver", "grantee", "means"):
        if _negated(anchor):
            return None
        project = _clause_project(anchor, sent, projects, sent_project, need=False)
        if name in ("receiver", "grantee"):
            if _is_funder(m, org_names) or any(_is_funder(x, org_names) for x in members):
                return None
            return "lead" if len(members) == 1 else "partner", project or None, members
        return "funder", project or None, members
    if name == "with":
        if not _cooperation(anchor, sent):
            return None
        verb = next((t for t in org_tok.ancestors if t.pos_ in {"VERB", "AUX"}), org_tok.head)
        project = _clause_project(verb, sent, projects, sent_project, need=False)
        return "collaborator", (project if project != _UNRELATED else None) or None, members
    if name in ("copula_subject", "copula_predicate", "apposition") and _role_noun_between(
        doc, anchor.i, org_tok.i
    ):
        return None  # "X on päätoteuttaja ja sen kumppanina on Y": the nearer noun tells
    if name == "apposition":
        noun = noun_role(anchor)
        if noun is None:
            return None
        return noun, _noun_project(anchor, sent, projects, sent_project), members
    if name in ("copula_subject", "copula_predicate"):
        noun = noun_role(anchor)
        pred = org_tok if name == "copula_subject" else anchor
        if noun is None or _negated(pred):
            return None
        return noun, _noun_project(anchor, sent, projects, sent_project), members
    if name == "owner":
        if keyword_kind(anchor.text) != "project" or anchor.text[:1].isupper():
            return None
        if anchor.lower_.startswith(("sisar", "osa", "jatko", "kärki", "koordinaatio")):
            return None  # a project related to another one, not the owner's own
        if is_plural_keyword(anchor.text) or _negated(anchor):
            return None
        # the chain of genitives from the organisation up to the project word
        tok = org_tok
        while tok.head.i != anchor.i:
            if tok.head.dep_ != "nmod:poss" or tok.head.i == tok.i:
                return None
            tok = tok.head
            if keyword_kind(tok.text) is not None or _at_project(tok, projects) is not None:
                return None  # "… on X:n Y-hankkeen sisarhanke": X owns the other project
        if any(_is_funder(x, org_names) for x in members):
            return None
        subj = next(
            (
                c
                for c in anchor.children
                if c.dep_ == "nsubj:cop" and sent.start <= c.i < sent.end and not c.is_space
            ),
            None,
        )
        project = _at_project(subj, projects) if subj is not None else None
        if project is None:
            if subj is not None and subj.pos_ == "NOUN" and keyword_kind(subj.text) != "project":
                return None  # "Kysely on X:n hanke…": the subject is something else
            project = sent_project
        return "lead", project, members
    return None


def _role_noun_between(doc: Any, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return any(noun_role(doc[i]) is not None for i in range(lo + 1, hi))


def _granting_role(org_name: str, sent: SpacySpan) -> str:
    """Funder, or authority for a body that passes on EU or state money (see above)."""
    if _INTERMEDIARY.search(org_name):
        return "authority"
    if _MINISTRY.search(org_name) and _EU_FUND.search(sent.text):
        return "authority"
    return "funder"


def _cooperation(kanssa: Token, sent: SpacySpan) -> bool:
    """``yhteistyössä … kanssa``: a word of cooperation in the clause of the ``kanssa`` phrase."""
    head = kanssa.head
    for tok in (head.head, head.head.head):
        for t in (tok, *tok.children):
            if t.lower_.startswith("yhteistyö") or t.lemma_.lower() == "yhdessä":
                return True
    return any(t.lower_ in {"yhteistyössä", "yhteistyönä"} for t in sent if t.i < kanssa.i)


def _is_funder(m: Mention, org_names: dict[str, str]) -> bool:
    return norm_name(org_names.get(m.key, "")) in _funder_names()


def _negated(tok: Token) -> bool:
    """A verb or predicate with a negation auxiliary (``ei hallinnoi``, ``ei ole kumppani``)."""
    for t in (tok, tok.head) if tok.dep_ in {"xcomp"} else (tok,):
        if any(
            "Neg" in c.morph.get("Polarity", []) or c.lower_ in {"ei", "eikä", "eivät"}
            for c in t.children
        ):
            return True
    return False


def _list_of(doc: Any, m: Mention, at: dict[int, Mention]) -> list[Mention]:
    """The organisation mentions listed together with ``m`` (``A, B ja C``)."""
    ordered = sorted({id(x): x for x in at.values()}.values(), key=lambda x: x.start)
    k = ordered.index(m)
    run = [m]
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(ordered):
            a, b = (ordered[j], run[0]) if step < 0 else (run[-1], ordered[j])
            end = max(a.end, a.after)
            between = [t.text for t in doc[end : b.start] if t.text.strip()]
            if len(between) > 3 or not all(t in _LIST_GLUE or len(t) <= 1 for t in between):
                break
            if not between or not any(t in {",", "ja", "sekä", "tai"} for t in between):
                break
            if step < 0:
                run.insert(0, ordered[j])
            else:
                run.append(ordered[j])
            j += step
    return run


def _owns_next(doc: Any, m: Mention) -> bool:
    """A genitive organisation mention followed by the noun it owns (not a name of its own)."""
    from sotegraph.extract.article.clauses import genitive

    end = m.end
    if end >= len(doc) or not genitive(doc[end - 1]):
        return False
    nxt = doc[end]
    return (
        nxt.pos_ in {"NOUN", "ADJ"}
        and nxt.text[:1].islower()
        and _PARTICIPLE.match(nxt.lower_) is None
        and "Part" not in nxt.morph.get("VerbForm", [])
    )


def _org_before(doc: Any, i: int, at: dict[int, Mention]) -> Mention | None:
    """The organisation mention ending right before token ``i`` (a parenthesis skipped)."""
    j = i - 1
    if j >= 0 and doc[j].text == ")":
        k = j - 1
        while k >= 0 and j - k <= 4 and doc[k].text != "(":
            k -= 1
        j = k - 1
    return at.get(j) if j >= 0 else None


def _genitive_end(doc: Any, m: Mention) -> bool:
    from sotegraph.extract.article.clauses import genitive

    return genitive(doc[m.end - 1])


def _at_project(tok: Token | None, projects: list[Mention]) -> str | None:
    """The project mention a token lies in (or that ends right before it: ``X -hanke``)."""
    if tok is None:
        return None
    for m in projects:
        if m.start <= tok.i < m.end or (
            keyword_kind(tok.text) == "project" and 0 <= tok.i - m.end <= 2
        ):
            return m.key
    return None


def _counted(tok: Token) -> bool:
    """A plural or counted project word (``hankkeet``, ``kuusi hanketta``)."""
    return is_plural_keyword(tok.text) or any(
        c.dep_ == "nummod" or c.lower_ in NUMERALS for c in tok.children
    )


def _participle_project(
    part: Token, sent: SpacySpan, projects: list[Mention], sent_project: str | None
) -> str | None:
    """The project a participle modifies: its head, the project right after it, the context."""
    head = part.head
    hit = _at_project(head, projects)
    if hit is not None:
        return hit if not _plural_mention(hit, projects) else None
    nxt = next((m for m in projects if 0 < m.start - part.i <= 3), None)
    if nxt is not None:
        return None if nxt.plural else nxt.key
    for tok in (head, *[sent.doc[j] for j in range(part.i + 1, min(part.i + 4, sent.end))]):
        if keyword_kind(tok.text) == "project" and not tok.text[:1].isupper():
            return None if _counted(tok) else sent_project
    if projects:
        return None
    return sent_project


def _plural_mention(key: str, projects: list[Mention]) -> bool:
    return all(m.plural for m in projects if m.key == key)


#: what :func:`_clause_project` returns for a clause that speaks of no project at all
_UNRELATED = "-"
_CLAUSE_OPENERS = {"ja", "mutta", "sekä", "vaan", "kun", "koska", "jos"}


def clause_segment(verb: Token) -> tuple[int, int]:
    """The stretch of text of a verb's clause: between the commas that open other clauses
    (``, ja``, ``, mutta``, ``, jota``) and semicolons around it."""
    doc = verb.doc
    sent = verb.sent
    start, end = sent.start, sent.end
    for i in range(verb.i - 1, sent.start - 1, -1):
        if _opens_clause(doc, i):
            start = i + 1
            break
    for i in range(verb.i + 1, sent.end):
        if _opens_clause(doc, i):
            end = i
            break
    return start, end


def _opens_clause(doc: Any, i: int) -> bool:
    tok = doc[i]
    if tok.text == ";":
        return True
    if tok.text != "," or i + 1 >= len(doc):
        return False
    nxt = doc[i + 1]
    return nxt.lower_ in _CLAUSE_OPENERS or "Rel" in nxt.morph.get("PronType", [])


def _clause(verb: Token) -> set[int]:
    """The tokens of a verb's own clause: its subtree without the clauses below it, within
    the commas that open other clauses."""
    lo, hi = clause_segment(verb)
    return {i for i in _subtree_clause(verb) if lo <= i < hi}


def _subtree_clause(verb: Token) -> set[int]:
    out: set[int] = set()
    stack = [verb]
    while stack:
        tok = stack.pop()
        out.add(tok.i)
        for c in tok.children:
            if c.dep_ in _CLAUSE_DEPS and c.pos_ in {"VERB", "AUX"} and tok.i == verb.i:
                continue
            stack.append(c)
    return out


def _clause_project(
    verb: Token,
    sent: SpacySpan,
    projects: list[Mention],
    sent_project: str | None,
    *,
    need: bool,
) -> str | None:
    """The project a verb's clause is about; ``""`` when it is about none or several.

    The project it governs (object, oblique, subject), the project a relative clause hangs
    on, a project named in its clause; with none of these, the sentence's project unless
    the sentence names projects only in other clauses. ``need``: the clause must speak of a
    project (``toteuttaa hankkeen``, not ``toteuttaa kyselyn``).
    """
    for c in verb.children:
        if c.dep_ not in {"obj", "obl", "nsubj", "nsubj:pass", "nmod"}:
            continue
        hit = _at_project(c, projects)
        if hit is not None:
            return "" if _plural_mention(hit, projects) else hit
        if keyword_kind(c.text) == "project" and not c.text[:1].isupper():
            if _counted(c) or c.morph.get("Number[psor]", []) or c.morph.get("Person[psor]", []):
                return ""  # "toteuttaa osahankkeensa": its own unnamed project
            return sent_project or ""
        if keyword_kind(c.text) in ("consortium", "network"):
            return ""
    if verb.dep_ == "acl:relcl":
        head = verb.head
        hit = _at_project(head, projects)
        if hit is not None:
            return hit
        if keyword_kind(head.text) == "project" and not head.text[:1].isupper():
            return "" if _counted(head) else (sent_project or "")
        return ""  # a relative clause about something else
    clause = _clause(verb)
    inside = [m for m in projects if m.start in clause and not m.plural]
    if inside:
        return min(inside, key=lambda m: abs(m.start - verb.i)).key
    if need:
        return _UNRELATED
    if projects:
        return ""  # the projects are named in other clauses
    return sent_project or ""


def _noun_project(
    noun: Token, sent: SpacySpan, projects: list[Mention], sent_project: str | None
) -> str | None:
    """The project a role noun is about: its genitive owner, or the sentence's project."""
    for c in noun.children:
        if c.dep_ == "nmod:poss":
            hit = _at_project(c, projects)
            if hit is not None:
                return hit
            if keyword_kind(c.text) == "project" and _counted(c):
                return None
    singular = [m for m in projects if not m.plural]
    if len({m.key for m in singular}) == 1:
        return singular[0].key
    if projects:
        return None
    return sent_project

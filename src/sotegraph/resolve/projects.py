"""Projects, consortia and networks across documents: one resource per real thing.

A project mention carries keys: its programme code (``S21259``) and normalised forms of its
name and aliases. Normalisation folds case, hyphens and spacing, drops a ``-hanke`` /
``-projekti`` word in any case form (``ASKO-hankkeessa`` → ``asko``), reads an abbreviation in
parentheses as an alias (``Sote-ammattilaiset asiakasosallisuuden osaajiksi (ASKO)``) and takes
the title before a dash as a short title (``SoteNoste - PK-yrittäjän tuki muutoksessa`` →
``sotenoste``). Mentions that share a key are one project, with two guards:

* **the code wins**: two mentions with different codes are never merged, and a name key that
  several coded projects share is ambiguous and not used to merge at all;
* inflected names (``Soteliiderien``) join a known name only through Voikko's base form of the
  last word or a case ending stripped from it.

The IRI is ``sgid:project/<code>`` where a code is known, else a slug of the short title (or of
the full name when the short title is ambiguous). Consortia and networks work the same way with
``-konsortio`` / ``-verkosto`` / ``-asiantuntijaverkosto`` dropped.

Examples
--------
>>> from sotegraph.resolve.projects import project_keys, group_key
>>> project_keys("ASKO-hankkeessa") == project_keys("Asko")
True
>>> sorted(project_keys("Sote-ammattilaiset asiakasosallisuuden osaajiksi (ASKO) -hanke"))
['asko', 'sote ammattilaiset asiakasosallisuuden osaajiksi']
>>> group_key("SoteKehittäjät-verkosto") == group_key("SoteKehittäjät")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib.term import URIRef

from sotegraph.facts import Facts, GroupFact, GroupKind, ProjectFact
from sotegraph.namespaces import consortium_iri, network_iri, project_iri
from sotegraph.nlp import cases
from sotegraph.nlp.names import head_lemmas

__all__ = [
    "GroupResolver",
    "ProjectConflict",
    "ProjectMerge",
    "ProjectResolver",
    "group_key",
    "project_keys",
    "short_title",
]

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_QUOTES = re.compile(r"[\"“”„«»'’`]")
_SPACES = re.compile(r"\s+")
_PAREN = re.compile(r"\(([^()]{1,40})\)")
#: ``hanke`` / ``projekti`` in any case form, as a separate word or after a hyphen
_PROJECT_WORD = re.compile(
    r"(?:^|[\s-])(?:hank(?:e|keen\w*|kee\w*|ett\w*|kei\w*)|projekti\w*)$", re.IGNORECASE
)
_GROUP_WORD = re.compile(
    r"(?:^|[\s-])(?:asiantuntija)?(?:verkosto|konsortio|hankekonsortio|hankeverkosto)\w*$",
    re.IGNORECASE,
)
_SHORT_SPLIT = re.compile(r"\s+[-–—:]\s+|:\s+")


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).translate(_DASHES).replace("\u00ad", "")
    t = _QUOTES.sub("", t).casefold()
    return _SPACES.sub(" ", t).strip(" .,;:-")


def _strip_word(folded: str, pattern: re.Pattern[str]) -> str:
    prev = None
    while prev != folded:
        prev = folded
        stripped = pattern.sub("", folded).strip(" -")
        if stripped:
            folded = stripped
    return folded


def _compact(folded: str) -> str:
    """Hyphens read as spaces: ``sote-ammattilaiset`` = ``sote ammattilaiset``."""
    return _SPACES.sub(" ", folded.replace("-", " ")).strip()


def short_title(name: str) -> str | None:
    """The title before a dash or colon, if the name has a subtitle.

    Examples
    --------
    >>> short_title("Etänä enemmän – sote-työ uudistuu")
    'Etänä enemmän'
    >>> short_title("Soteliiderit") is None
    True
    """
    n = unicodedata.normalize("NFKC", name).strip()
    parts = _SHORT_SPLIT.split(n, maxsplit=1)
    if len(parts) == 2 and len(parts[0].strip()) >= 3:
        return parts[0].strip()
    return None


@lru_cache(maxsize=100_000)
def _name_key(name: str, kind: str) -> str:
    folded = _fold(_PAREN.sub(" ", name))
    folded = _strip_word(folded, _PROJECT_WORD if kind == "project" else _GROUP_WORD)
    return _compact(folded)


#: parenthetical words that are never a project's own abbreviation
_NOT_ABBREVIATIONS = frozenset({"esr", "eakr", "esf", "erdf", "eu", "esr+", "eakr+", "ely"})


def _is_abbreviation_of(abbr: str, name: str) -> bool:
    """Whether ``abbr`` can abbreviate ``name``: its letters occur in order in the name."""
    a = _compact(_fold(abbr)).replace(" ", "")
    if not a or a in _NOT_ABBREVIATIONS or re.fullmatch(r"[\d\s./-]+", a):
        return False
    rest = iter(_fold(name))
    return all(ch in rest for ch in a)


_ACRONYM = re.compile(r"^[A-ZÅÄÖ][A-ZÅÄÖ0-9]{1,7}$")


def _acronym_expansion(name: str, short: str) -> str | None:
    """The subtitle of ``ACRONYM – what it stands for`` (two words or more), if it is one.

    The title before the dash must hold an all-capital word whose letters occur in order in
    the subtitle, starting with its first letter (``KUPLA`` – ``Kulttuuripalvelut lasten
    arkeen``), so that a text naming the project by its long name alone finds it.

    Examples
    --------
    >>> _acronym_expansion("KUPLA - Kulttuuripalvelut lasten arkeen", "KUPLA")
    'Kulttuuripalvelut lasten arkeen'
    >>> _acronym_expansion("Etänä enemmän – sote-työ uudistuu", "Etänä enemmän") is None
    True
    """
    rest = unicodedata.normalize("NFKC", name).strip()[len(short) :]
    subtitle = _SHORT_SPLIT.split(rest, maxsplit=1)[-1].strip()
    if len(subtitle.split()) < 2:
        return None
    first = _fold(subtitle)[:1]
    for word in short.split():
        if (
            _ACRONYM.match(word)
            and _fold(word)[:1] == first
            and _is_abbreviation_of(word, subtitle)
        ):
            return subtitle
    return None


@lru_cache(maxsize=100_000)
def _keys(name: str, kind: str) -> frozenset[str]:
    keys = {_name_key(name, kind)}
    outside = _PAREN.sub(" ", name)
    for abbr in _PAREN.findall(name):
        if _is_abbreviation_of(abbr, outside):
            keys.add(_name_key(abbr, kind))
    short = short_title(outside)
    if short:
        keys.add(_name_key(short, kind))
        # "KUPLA - Kulttuuripalvelut lasten arkeen": an acronym and what it stands for
        subtitle = _acronym_expansion(outside, short)
        if subtitle:
            keys.add(_name_key(subtitle, kind))
    # "Sote-ammattilaiset asiakasosallisuuden osaajiksi, Asko-hanke": a name and an alias
    word = _PROJECT_WORD if kind == "project" else _GROUP_WORD
    parts = [p.strip() for p in outside.split(", ")]
    if len(parts) == 2 and word.search(_fold(parts[1])) and len(parts[1].split()) <= 3:
        keys.update(_name_key(p, kind) for p in parts)
    return frozenset(k for k in keys if k)


def project_keys(name: str) -> frozenset[str]:
    """All keys under which a project name is matched (full name, abbreviation, short title).

    Examples
    --------
    >>> project_keys("Soteliiderit-hanke") == project_keys("SoteLiiderit")
    True
    """
    return _keys(name, "project")


def group_key(name: str) -> str:
    """The main key of a consortium or network name (short title if there is one).

    Examples
    --------
    >>> group_key("Onnistu yhdessä – Työhyvinvointi, johtaminen ja asiakasosallisuus")
    'onnistu yhdessä'
    """
    short = short_title(_PAREN.sub(" ", name))
    return _name_key(short or name, "group")


#: Endings stripped from the last word of a project key (genitive, local cases but the
#: ablative, genitive plural), in this order.
_KEY_ENDINGS = (
    cases.GENITIVE
    + tuple(e for e in cases.LOCAL if not e.startswith("lt"))
    + ("ien", "iden", "jen")
)


def _inflection_variants(key: str) -> list[str]:
    """Base forms of ``key`` with its last word lemmatised or a case ending stripped."""
    words = key.split()
    if not words:
        return []
    last = words[-1]
    out = [" ".join([*words[:-1], lemma]) for lemma in head_lemmas(last)]
    for suffix in _KEY_ENDINGS:
        if last.endswith(suffix) and len(last) - len(suffix) >= 3:
            stem = last[: -len(suffix)]
            out.append(" ".join([*words[:-1], stem]))
            if suffix in ("ien", "iden", "jen"):
                out.append(" ".join([*words[:-1], stem + "t"]))
    return [o for o in dict.fromkeys(out) if o != key]


# --------------------------------------------------------------------------- report records


@dataclass(slots=True)
class ProjectMerge:
    """Names from several mentions resolved to one project or group."""

    iri: str
    names: list[str]
    codes: list[str]
    mentions: int
    documents: int

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "iri": self.iri,
            "names": self.names,
            "codes": self.codes,
            "mentions": self.mentions,
            "documents": self.documents,
        }


@dataclass(frozen=True, slots=True)
class ProjectConflict:
    """A name shared by projects that were kept apart (different codes)."""

    key: str
    codes: tuple[str, ...]
    reason: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"key": self.key, "codes": list(self.codes), "reason": self.reason}


# --------------------------------------------------------------------------- union-find


@dataclass(slots=True)
class _Mention:
    fact: ProjectFact | GroupFact
    document: str
    code: str | None
    names: list[str]
    keys: frozenset[str]
    prior: URIRef | None = None  # the IRI given in an earlier call


@dataclass(slots=True)
class _Components:
    parent: list[int]
    codes: list[set[str]] = field(default_factory=list)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.codes[ra] and self.codes[rb] and self.codes[ra] != self.codes[rb]:
            return False
        self.parent[rb] = ra
        self.codes[ra] |= self.codes[rb]
        return True


def _resolve_mentions(
    mentions: list[_Mention], *, kind: str, sticky: bool = True
) -> tuple[list[URIRef], list[ProjectConflict]]:
    """IRIs of the mentions (one per mention) and the conflicts met.

    ``sticky``: a resource that an earlier call named by a slug keeps that IRI (``prior``);
    off when the mentions are the whole store, whose IRIs then follow from the mentions
    alone, in whatever order they were built.
    """
    n = len(mentions)
    comps = _Components(list(range(n)), [({m.code} if m.code else set()) for m in mentions])
    conflicts: list[ProjectConflict] = []
    # facts of one document under one key are one thing (a stored resource read back as
    # several names: see sotegraph.resolve.identity)
    first_of: dict[tuple[str, str], int] = {}
    for i, m in enumerate(mentions):
        j = first_of.setdefault((m.document, m.fact.key), i)
        if j != i:
            comps.union(j, i)
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        if m.code:
            by_code[m.code].append(i)
    for idxs in by_code.values():
        for j in idxs[1:]:
            comps.union(idxs[0], j)
    key_codes: dict[str, set[str]] = defaultdict(set)
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        for k in m.keys:
            by_key[k].append(i)
            if m.code:
                key_codes[k].add(m.code)
    ambiguous = {k for k, codes in key_codes.items() if len(codes) > 1}
    for k in sorted(ambiguous):
        # only worth reporting when an uncoded mention used that name
        if any(not mentions[i].code for i in by_key[k]):
            conflicts.append(
                ProjectConflict(
                    k, tuple(sorted(key_codes[k])), "name shared by projects with different codes"
                )
            )
    for k, idxs in by_key.items():
        if k in ambiguous or len(idxs) < 2:
            continue
        for j in idxs[1:]:
            if not comps.union(idxs[0], j):
                conflicts.append(
                    ProjectConflict(
                        k,
                        tuple(
                            sorted(comps.codes[comps.find(idxs[0])] | comps.codes[comps.find(j)])
                        ),
                        "same name, different codes: kept apart",
                    )
                )
    # inflected forms of uncoded names join a known key
    for i, m in enumerate(mentions):
        if m.code:
            continue
        for k in m.keys:
            for variant in _inflection_variants(k):
                if variant in by_key and variant not in ambiguous:
                    comps.union(by_key[variant][0], i)
                    break
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[comps.find(i)].append(i)
    iris: list[URIRef] = [URIRef("")] * n
    short_owner: Counter[str] = Counter()
    chosen: dict[int, tuple[str, str]] = {}
    for root, idxs in groups.items():
        codes = comps.codes[root]
        if len(codes) == 1:
            continue
        # a name counts once per document that gives it (however often the document does),
        # so that the choice is the same whether facts or stored graphs are resolved
        names: Counter[str] = Counter(
            name
            for _doc, name in {
                (mentions[i].document, n) for i in idxs for n in mentions[i].names[:1]
            }
        )
        canonical = max(names.items(), key=lambda kv: (len(kv[0].split()), kv[1], kv[0]))[0]
        short = short_title(_PAREN.sub(" ", canonical)) or canonical
        chosen[root] = (_name_key(short, kind), _name_key(canonical, kind))
        short_owner[chosen[root][0]] += 1
    for root, idxs in groups.items():
        codes = comps.codes[root]
        prior = next((mentions[i].prior for i in idxs if mentions[i].prior), None)
        if not sticky:
            prior = None
        if len(codes) == 1:
            iri = project_iri(code=next(iter(codes)))
        elif prior is not None:
            iri = prior  # keep the IRI an earlier call gave this project
        else:
            short_key, full_key = chosen[root]
            key = short_key if short_owner[short_key] == 1 else full_key
            if kind == "project":
                iri = project_iri(name=key)
            elif kind == GroupKind.NETWORK.value:
                iri = network_iri(key)
            else:
                iri = consortium_iri(key)
        for i in idxs:
            iris[i] = iri
    return iris, conflicts


# --------------------------------------------------------------------------- resolvers

_NONE: frozenset[str] = frozenset()


class ProjectResolver:
    """Give every :class:`~sotegraph.facts.ProjectFact` across documents its project IRI.

    Examples
    --------
    >>> from sotegraph.facts import Facts, ProjectFact
    >>> a = Facts("d1", "a.txt", projects=[ProjectFact("p", name="Sote-ammattilaiset "
    ...     "asiakasosallisuuden osaajiksi", aliases=["ASKO"])])
    >>> b = Facts("d2", "b.txt", projects=[ProjectFact("p", name="Asko-hanke")])
    >>> r = ProjectResolver()
    >>> r.resolve_facts([a, b])
    >>> a.projects[0].iri == b.projects[0].iri
    True
    >>> a.projects[0].iri
    'https://w3id.org/sotegraph/id/project/sote-ammattilaiset-asiakasosallisuuden-osaajiksi'
    """

    def __init__(self) -> None:
        self.merges: list[ProjectMerge] = []
        self.conflicts: list[ProjectConflict] = []
        self._history: list[_Mention] = []

    def resolve_facts(
        self,
        facts_list: Iterable[Facts],
        *,
        context: Iterable[Facts] | None = None,
        by_name: bool = False,
    ) -> None:
        """Fill ``ProjectFact.iri`` (in place) for all projects of all documents.

        Without ``context``, mentions from earlier calls are kept: a later mention of the same
        project gets the IRI given before. With ``context`` (the projects a store already
        holds, as :meth:`sotegraph.resolve.Resolver.resolve_against` reads them back), the
        context and ``facts_list`` are resolved together as one set and earlier calls are
        forgotten: every IRI, the context's too, follows from the set alone, so builds in any
        order end with the same IRIs (the caller renames what changed in the store).
        ``by_name``: match names even if every project here has a code (a store whose other
        projects, not given in ``context``, include one without).
        """
        facts_list = list(facts_list)
        if context is None:
            history = self._history
            facts_all = facts_list
        else:
            history = []
            facts_all = [*context, *facts_list]
        # names only matter when some mention has no code (a bulk table alone: skip them)
        by_name = (
            by_name
            or any(not (p.code and p.code.strip()) for f in facts_all for p in f.projects)
            or any(not m.code for m in history)
        )
        mentions: list[_Mention] = []
        for facts in facts_all:
            for p in facts.projects:
                code = p.code.strip().upper() if p.code and p.code.strip() else None
                names = [n for n in [p.name, *p.aliases] if n and n.strip()]
                keys = frozenset(k for n in names for k in project_keys(n)) if by_name else _NONE
                if not code and not keys:
                    keys = frozenset({f"key:{facts.document_id}:{p.key}"})
                    names = names or [p.key]
                mentions.append(_Mention(p, facts.document_id, code, names, keys))
        if not mentions:
            return
        if by_name:
            for h in history:
                if h.code and not h.keys:
                    h.keys = frozenset(k for n in h.names for k in project_keys(n))
        everything = history + mentions
        iris, conflicts = _resolve_mentions(everything, kind="project", sticky=context is None)
        _add_new(self.conflicts, conflicts)
        self.merges = _merge_records(everything, iris)
        for m, iri in zip(everything[len(history) :], iris[len(history) :], strict=True):
            m.fact.iri = str(iri)
            m.prior = iri
        self._history = everything


class GroupResolver:
    """Give every consortium and network across documents one IRI (by name and alias).

    Examples
    --------
    >>> from sotegraph.facts import Facts, GroupFact
    >>> a = Facts("d1", "a.txt", groups=[GroupFact("g", "Onnistu yhdessä – Työhyvinvointi, "
    ...     "johtaminen ja asiakasosallisuus sote-muutoksessa")])
    >>> b = Facts("d2", "b.txt", groups=[GroupFact("g", "Onnistu yhdessä -konsortio")])
    >>> GroupResolver().resolve_facts([a, b])
    >>> a.groups[0].iri == b.groups[0].iri
    True
    """

    def __init__(self) -> None:
        self.merges: list[ProjectMerge] = []
        self.conflicts: list[ProjectConflict] = []
        self._history: dict[str, list[_Mention]] = defaultdict(list)

    def resolve_facts(self, facts_list: Iterable[Facts]) -> None:
        """Fill ``GroupFact.iri`` (in place) for all groups of all documents."""
        by_kind: dict[str, list[_Mention]] = defaultdict(list)
        for facts in facts_list:
            for g in facts.groups:
                names = [n for n in [g.name, *g.aliases] if n and n.strip()] or [g.key]
                keys = frozenset(k for n in names for k in (*_keys(n, "group"), group_key(n)) if k)
                by_kind[g.kind.value].append(_Mention(g, facts.document_id, None, names, keys))
        for kind, mentions in by_kind.items():
            history = self._history[kind]
            everything = history + mentions
            iris, conflicts = _resolve_mentions(everything, kind=kind)
            _add_new(self.conflicts, conflicts)
            for m, iri in zip(mentions, iris[len(history) :], strict=True):
                m.fact.iri = str(iri)
                m.prior = iri
            self._history[kind] = everything
        self.merges = [
            r
            for kind, ms in self._history.items()
            for r in _merge_records(ms, [m.prior or URIRef("") for m in ms])
        ]


def _add_new(known: list[ProjectConflict], found: list[ProjectConflict]) -> None:
    seen = set(known)
    for c in found:
        if c not in seen:
            seen.add(c)
            known.append(c)


def _merge_records(mentions: list[_Mention], iris: list[URIRef]) -> list[ProjectMerge]:
    by_iri: dict[URIRef, list[_Mention]] = defaultdict(list)
    for m, iri in zip(mentions, iris, strict=True):
        by_iri[iri].append(m)
    out = []
    for iri, ms in by_iri.items():
        if len(ms) < 2:
            continue
        names = sorted({n for m in ms for n in m.names})
        folded = {_name_key(n, "project") for n in names}
        if len(folded) < 2 and len({m.document for m in ms}) < 2:
            continue
        out.append(
            ProjectMerge(
                str(iri),
                names,
                sorted({m.code for m in ms if m.code}),
                len(ms),
                len({m.document for m in ms}),
            )
        )
    return out

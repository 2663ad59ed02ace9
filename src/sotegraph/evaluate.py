"""Score the whole extraction pipeline against a gold file (``../shared/gold/seeds.json``).

Every document of the corpus folder is read and extracted as the build does it
(:func:`sotegraph.extract.extract`: the EURA parser plus prose enrichment for records, the
article extractor for prose). The facts are then compared with the gold facts, per type:

==========================  ==========================================================
fact type                   compared as
==========================  ==========================================================
``organisations``           the set of organisations extracted from the corpus
``projects``                (document, project) pairs
``lead``, ``partner``,      (project, organisation) pairs per role (``funder`` also
``collaborator``,           (consortium, organisation) for a consortium's ``funders``);
``funder``                  for a gold project with ``participants`` (any role accepted),
                            such pairs are scored as ``participant (any role)`` instead
``authority``               (project, organisation) pairs: the gold ``authority``
                            (vastuuviranomainen) against the ``authority`` role
``participant (any role)``  (project, organisation) pairs of the gold ``participants``
                            list, extracted in any role but ``authority``
``consortium membership``   (project, consortium) pairs: a consortium's ``members`` and
                            the projects whose ``consortium`` names it
``network membership``      (project, network) pairs: a network's ``members``
``period``                  (project or group, start/end, value): a year in the gold
                            (``start_year``/``end_year``) matches any date of that year,
                            a date only the same date
==========================  ==========================================================

A fact counts once, however many documents it was extracted from. Every extracted fact the
gold does not list is a false hit: a role pair the gold does not give, a period value of an
item or end the gold gives none for, a wrong second value (unless the gold notes a conflict
in that item, when both readings are accepted and the second one is a note). A membership of
a gold group without ``members`` (its membership is not annotated) is not scored; the report
lists it in its notes.

``distractors`` (an organisation a document names that does not take part in the given
project, or in any project of that document when ``not_participant_of`` is ``"*"``) are
false hits in whichever role row they were extracted in; :attr:`EvaluationReport.distractors`
lists each one its document yielded in some role.

With ``document_info`` in the gold, :attr:`EvaluationReport.genres` scores each genre's
documents alone, over every fact type together. A gold fact is expected from the documents
the gold lists for its project or group (a membership from those naming both; an
organisation from those of the items it has a role in, or is a distractor of). For a genre,
a fact one of its documents yielded is a hit; a fact none of the documents it is expected
from yielded is a miss; a fact only another genre's document yielded is neither (the gold
does not say which of its documents state it) and is counted apart as *elsewhere*. A fact
the genre's documents yielded that the gold does not list is a false hit.

With ``personal_data`` in the gold, :func:`evaluate` also builds the graph in memory the way
``sotegraph build`` does by default (no personal data) and counts the gold's personal-data
strings found in its literals and IRIs (:func:`personal_data_in_store`; target 0).

Names are matched through the organisations resolver
(:class:`sotegraph.resolve.organisations.OrganisationResolver`: aliases, inflected forms,
abbreviations), and by normalised strings (case, dashes, legal forms and the head word's base
form folded) where it finds nothing. Projects and groups match on their names, aliases and
codes.

Examples
--------
>>> s = FactScore("lead", tp=5, fp=1, fn=0)
>>> round(s.precision, 3), s.recall, round(s.f1, 3)
(0.833, 1.0, 0.909)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sotegraph.errors import InputError
from sotegraph.facts import Facts, GroupFact, GroupKind, Role
from sotegraph.resolve import Resolver
from sotegraph.resolve.organisations import OrganisationResolver

if TYPE_CHECKING:  # pragma: no cover
    from sotegraph.read import Document
    from sotegraph.store import Store

__all__ = [
    "FACT_TYPES",
    "PERSONAL_DATA",
    "RELEVANCE_LISTS",
    "RELEVANCE_TARGET",
    "TARGETS",
    "DistractorHit",
    "EvaluationReport",
    "Evidence",
    "FactScore",
    "GenreScore",
    "PersonalDataCheck",
    "PersonalDataFound",
    "RelevanceReport",
    "RelevanceRow",
    "RelevanceScore",
    "evaluate",
    "evaluate_facts",
    "evaluate_relevance",
    "explain",
    "personal_data_in_store",
    "relevance_half",
]

FACT_TYPES = (
    "organisations",
    "projects",
    "lead",
    "partner",
    "collaborator",
    "funder",
    "authority",
    "participant (any role)",
    "consortium membership",
    "network membership",
    "period",
)
#: The row of the personal-data check (:class:`PersonalDataCheck`); its target is 0 found.
PERSONAL_DATA = "personal data strings"
#: F1 targets of issue 5 on the seed corpus.
TARGETS: dict[str, float] = {
    "organisations": 0.90,
    "projects": 0.90,
    "lead": 0.85,
    "partner": 0.85,
    "consortium membership": 0.85,
}
_ROLE_TYPES = {
    Role.LEAD: "lead",
    Role.COORDINATOR: "lead",
    Role.PARTNER: "partner",
    Role.COLLABORATOR: "collaborator",
    Role.FUNDER: "funder",
    Role.AUTHORITY: "authority",
}
_GOLD_ROLE_KEYS = {
    "lead": "lead",
    "partners": "partner",
    "collaborators": "collaborator",
    "funders": "funder",
    "authority": "authority",
}
#: The role rows (a distractor extracted in any of them is a false hit there).
_ROLE_ROWS = ("lead", "partner", "collaborator", "funder", "authority")
#: Roles an organisation of a gold ``participants`` list may be extracted in.
_ANY_ROLE_TYPES = ("lead", "partner", "collaborator", "funder")

# Gold keys scored (or used to match, or only informative); the rest are reported unscored.
_SCORED_KEYS: dict[str, set[str]] = {
    "": {
        "about",
        "organisations",
        "projects",
        "consortia",
        "networks",
        "distractors",
        "document_info",
        "personal_data",
    },
    "organisations": {"id", "name", "aliases", "business_id"},
    "projects": {
        *("id", "doc", "docs", "name", "aliases", "code", "note", "conflicts"),
        *("lead", "partners", "collaborators", "funders", "authority", "participants"),
        *("start", "end", "start_year", "end_year", "consortium"),
    },
    "consortia": {
        *("id", "doc", "docs", "name", "aliases", "code", "note", "members", "funders"),
        *("start", "end", "start_year", "end_year"),
    },
    "networks": {
        *("id", "doc", "docs", "name", "aliases", "code", "note", "members", "funders"),
        *("start", "end", "start_year", "end_year"),
    },
    "distractors": {"doc", "org", "as_written", "not_participant_of", "cue"},
    "document_info": {"genre", "language", "source_urls"},
    "personal_data": {"about", "people", "contact_strings"},
}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class _Scored:
    """Precision, recall and F1 from ``tp``, ``fp`` and ``fn`` (1.0 when there is nothing)."""

    __slots__ = ()

    if TYPE_CHECKING:  # fields of one subclass, properties of the other

        @property
        def tp(self) -> int: ...
        @property
        def fp(self) -> int: ...
        @property
        def fn(self) -> int: ...

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        return _prf(self.tp, self.fp, self.fn)[0]

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when the gold has nothing."""
        return _prf(self.tp, self.fp, self.fn)[1]

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return _prf(self.tp, self.fp, self.fn)[2]


@dataclass(slots=True)
class FactScore(_Scored):
    """Precision, recall and F1 of one fact type, with every miss and false hit."""

    fact_type: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "fact_type": self.fact_type,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "misses": list(self.misses),
            "false_hits": list(self.false_hits),
        }


@dataclass(slots=True)
class GenreScore(_Scored):
    """The scores of one genre's documents (``document_info``), over every fact type.

    ``tp``, ``fp`` and ``fn`` are the sums over :attr:`by_type` (micro-averaged).

    Examples
    --------
    >>> g = GenreScore("news", ["a.txt"], by_type={"lead": FactScore("lead", 1, 1, 0)})
    >>> g.tp, g.fp, g.fn, g.precision
    (1, 1, 0, 0.5)
    """

    genre: str
    documents: list[str]
    #: how many of :attr:`documents` were read (a document not read yields nothing)
    read: int = 0
    by_type: dict[str, FactScore] = field(default_factory=dict)
    #: per fact type, the gold facts of these documents that only other documents yielded
    #: (neither hits nor misses here: the gold does not say which documents state them)
    elsewhere_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def tp(self) -> int:
        """Facts of the genre's documents extracted from them."""
        return sum(s.tp for s in self.by_type.values())

    @property
    def fp(self) -> int:
        """Facts extracted from the genre's documents that the gold does not list."""
        return sum(s.fp for s in self.by_type.values())

    @property
    def fn(self) -> int:
        """Facts of the genre's documents not extracted from them."""
        return sum(s.fn for s in self.by_type.values())

    @property
    def elsewhere(self) -> int:
        """Gold facts of these documents that only other documents yielded (not counted)."""
        return sum(self.elsewhere_by_type.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (without the misses: those are in the fact-type scores)."""
        return {
            "genre": self.genre,
            "documents": list(self.documents),
            "read": self.read,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "elsewhere": self.elsewhere,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "by_type": {
                t: {
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "elsewhere": self.elsewhere_by_type.get(t, 0),
                }
                for t, s in self.by_type.items()
            },
        }


@dataclass(frozen=True, slots=True)
class DistractorHit:
    """A gold distractor extracted in a role of a project it does not take part in."""

    document: str
    organisation: str
    #: the gold project id the distractor is named for, or ``*`` (every project of the document)
    not_participant_of: str
    #: ``(project, role row)`` pairs extracted; each is a false hit of that role row
    extracted: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "document": self.document,
            "organisation": self.organisation,
            "not_participant_of": self.not_participant_of,
            "extracted": [list(x) for x in self.extracted],
        }


@dataclass(frozen=True, slots=True)
class PersonalDataFound:
    """A personal-data string of the gold found in the graph, and the term it was found in."""

    string: str
    term: str


@dataclass(slots=True)
class PersonalDataCheck:
    """How many of the gold's personal-data strings the built graph holds (target 0).

    Examples
    --------
    >>> PersonalDataCheck(strings=3, terms=10).count
    0
    """

    #: how many gold strings were looked for (``people`` and ``contact_strings``)
    strings: int
    #: how many distinct literals and IRIs the graph holds
    terms: int
    found: list[PersonalDataFound] = field(default_factory=list)
    #: documents the build could not read or extract (their data is not in the graph)
    failed: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many gold strings were found."""
        return len(self.found)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "strings": self.strings,
            "terms": self.terms,
            "count": self.count,
            "found": [{"string": f.string, "term": f.term} for f in self.found],
            "failed": list(self.failed),
        }


@dataclass(slots=True)
class EvaluationReport:
    """Scores per fact type and per genre, the documents read, and what else was checked."""

    scores: dict[str, FactScore]
    documents: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    matching: str = "strings"
    #: one per genre of the gold's ``document_info`` (none without it), in order of genre
    genres: list[GenreScore] = field(default_factory=list)
    #: the gold distractors extracted in some role (each a false hit of its role row)
    distractors: list[DistractorHit] = field(default_factory=list)
    #: how many distractors the gold lists
    distractors_total: int = 0
    #: ``None`` when not checked (no ``personal_data`` in the gold, or no graph built)
    personal_data: PersonalDataCheck | None = None
    #: gold keys that no row scores (``projects.funding``, ``cross_document`` …)
    unscored_keys: list[str] = field(default_factory=list)

    def score(self, fact_type: str) -> FactScore:
        """Return the score of one fact type (see :data:`FACT_TYPES`)."""
        return self.scores[fact_type]

    def genre(self, name: str) -> GenreScore:
        """Return the score of one genre; raise ``KeyError`` if the gold has no such genre."""
        for g in self.genres:
            if g.genre == name:
                return g
        raise KeyError(name)

    def failed_targets(self, targets: dict[str, float] | None = None) -> dict[str, float]:
        """Return ``{fact type: F1}`` for every target not met.

        The personal-data check, when it ran and found any string, is in it too, as
        ``{"personal data strings": count}`` (its target is 0).
        """
        targets = TARGETS if targets is None else targets
        out = {
            t: self.scores[t].f1 for t, goal in targets.items() if self.scores[t].f1 + 1e-9 < goal
        }
        if self.personal_data is not None and self.personal_data.count:
            out[PERSONAL_DATA] = float(self.personal_data.count)
        return out

    def meets_targets(self, targets: dict[str, float] | None = None) -> bool:
        """True if every F1 target is met and no personal-data string was found."""
        return not self.failed_targets(targets)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "documents": list(self.documents),
            "matching": self.matching,
            "notes": list(self.notes),
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
            "genres": [g.to_dict() for g in self.genres],
            "distractors": {
                "total": self.distractors_total,
                "extracted": [d.to_dict() for d in self.distractors],
            },
            "personal_data": None if self.personal_data is None else self.personal_data.to_dict(),
            "unscored_keys": list(self.unscored_keys),
            "targets": dict(TARGETS),
            "meets_targets": self.meets_targets(),
        }


# --------------------------------------------------------------------------- matching

_LEGAL = re.compile(r"\b(oy|oyj|ry|rf|ab|sr|ky|kuntayhtymä)\b\.?", re.IGNORECASE)


def _fold(text: str) -> str:
    text = text.casefold()
    text = re.sub(r"[‐‑–—]", "-", text)
    text = re.sub(r"[\"'”“«»().,:;]", " ", text)
    text = re.sub(r"\s*-\s+", "- ", text)
    return re.sub(r"\s+", " ", text).strip()


def _string_keys(name: str) -> set[str]:
    """Normalised keys of an organisation name for the fall-back string matching."""
    from sotegraph.nlp.lexicon import base_name

    out = {_fold(name)}
    stripped = _fold(_LEGAL.sub(" ", name))
    if stripped:
        out.add(stripped)
    for n in list(out):
        out.add(_fold(base_name(n.split())))
    return {k for k in out if k}


class _OrgMatcher:
    """Map organisation names to gold ids (resolver first, strings second)."""

    def __init__(self, gold_orgs: list[dict[str, Any]]) -> None:
        self.gold = {o["id"]: o for o in gold_orgs}
        self.resolver = OrganisationResolver()
        self.method = "resolver"
        self.by_key: dict[str, str] = {}
        self.by_resolved: dict[str, str] = {}
        self.by_bid: dict[str, str] = {}
        for gid, o in self.gold.items():
            names = [o["name"], *o.get("aliases", [])]
            for n in names:
                for k in _string_keys(n):
                    self.by_key.setdefault(k, gid)
                r = self._resolved(n)
                if r:
                    self.by_resolved.setdefault(r, gid)
            if o.get("business_id"):
                self.by_bid[o["business_id"]] = gid

    def _resolved(self, name: str) -> str | None:
        if not name:
            return None
        m = self.resolver.match(name)
        return None if m is None else str(m.iri)

    def match(self, names: Sequence[str], business_id: str | None = None) -> str | None:
        if business_id and business_id in self.by_bid:
            return self.by_bid[business_id]
        for n in names:
            r = self._resolved(n)
            if r and r in self.by_resolved:
                return self.by_resolved[r]
        for n in names:
            for k in _string_keys(n):
                if k in self.by_key:
                    return self.by_key[k]
        return None


def _project_keys(name: str) -> set[str]:
    f = _fold(name)
    f = re.sub(r"\s*-?(hanke|projekti)$", "", f).strip()
    out = {f}
    parts = re.split(r"\s+-\s+", f, maxsplit=1)
    if len(parts) == 2 and len(parts[0]) >= 4:
        out.add(parts[0])
    return {k for k in out if k}


class _NameMatcher:
    """Map project or group names to gold ids."""

    def __init__(self, items: Iterable[dict[str, Any]]) -> None:
        self.by_key: dict[str, str] = {}
        for it in items:
            for n in [it.get("name", ""), *it.get("aliases", []), it.get("code") or ""]:
                if n:
                    for k in _project_keys(n):
                        self.by_key.setdefault(k, it["id"])

    def match(self, names: Sequence[str]) -> str | None:
        for n in names:
            for k in _project_keys(n):
                if k in self.by_key:
                    return self.by_key[k]
        return None


# --------------------------------------------------------------------------- the gold


def _gold_docs(item: Mapping[str, Any]) -> list[str]:
    if "docs" in item:
        return list(item["docs"])
    return [item["doc"]] if "doc" in item else []


def _ids(value: Any) -> list[str]:
    """A gold reference field as a list of ids (a single id, a list, or nothing)."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _check_gold(gold: Any, file: Path | None = None) -> None:
    """Raise :class:`InputError` unless ``gold`` has the shape of the gold files."""

    def bad(message: str, expected: str) -> InputError:
        return InputError(message, file=file, expected=expected)

    if not isinstance(gold, dict):
        raise bad(f"the gold is a JSON {type(gold).__name__}", "an object with 'projects' etc.")
    for key in ("organisations", "projects", "consortia", "networks", "distractors"):
        items = gold.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise bad(f"'{key}' is not a list of objects", f"'{key}': [{{...}}, ...]")
        need = ("doc", "org", "not_participant_of") if key == "distractors" else ("id", "name")
        for n, item in enumerate(items):
            missing = [k for k in need if not isinstance(item.get(k), str)]
            if missing:
                raise bad(f"'{key}' item {n} has no {', '.join(missing)}", "a string for each")
            for k in ("docs", "aliases", "members"):
                v = item.get(k)
                if v is not None and not isinstance(v, list):
                    raise bad(f"'{key}' item {n}: '{k}' is a {type(v).__name__}", "a list")
    info = gold.get("document_info", {})
    if not isinstance(info, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("genre", ""), str) for v in info.values()
    ):
        raise bad("'document_info' is not an object of objects", '{"doc.txt": {"genre": ...}}')
    pd = gold.get("personal_data", {})
    if not isinstance(pd, dict) or not all(
        isinstance(pd.get(k, []), list) and all(isinstance(s, str) for s in pd.get(k, []))
        for k in ("people", "contact_strings")
    ):
        raise bad("'personal_data' people/contact_strings are not lists of text", "lists")


def _unscored_keys(gold: Mapping[str, Any]) -> list[str]:
    out: set[str] = {k for k in gold if k not in _SCORED_KEYS[""]}
    for section, keys in _SCORED_KEYS.items():
        if not section:
            continue
        value = gold.get(section)
        items: Iterable[Any] = value.values() if isinstance(value, dict) else value or []
        if section == "personal_data" and isinstance(value, dict):
            items = [value]
        for item in items:
            if isinstance(item, dict):
                out.update(f"{section}.{k}" for k in item if k not in keys)
                if section == "projects" and isinstance(item.get("participants"), dict):
                    out.add("projects.participants (counts)")
    return sorted(out)


# --------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class _FactSet:
    """The gold and the extracted facts of one type, each with the documents it belongs to."""

    fact_type: str
    label: Callable[[Any], str]
    false_label: Callable[[Any], str] | None = None
    #: fact (a hashable tuple or id) -> the documents it is expected from
    gold: dict[Any, frozenset[str]] = field(default_factory=dict)
    #: fact -> the documents it was extracted from
    predicted: dict[Any, set[str]] = field(default_factory=dict)

    def expect(self, fact: Hashable, docs: Iterable[str]) -> None:
        self.gold[fact] = self.gold.get(fact, frozenset()) | frozenset(docs)

    def extracted(self, fact: Hashable, docs: Iterable[str]) -> None:
        self.predicted.setdefault(fact, set()).update(docs)

    def score(self) -> FactScore:
        gold, predicted = set(self.gold), set(self.predicted)
        false_label = self.false_label or self.label
        return FactScore(
            self.fact_type,
            tp=len(gold & predicted),
            fp=len(predicted - gold),
            fn=len(gold - predicted),
            misses=sorted(self.label(x) for x in gold - predicted),
            false_hits=sorted(false_label(x) for x in predicted - gold),
        )

    def tally(self, docs: set[str]) -> tuple[FactScore, int]:
        """Score the facts of ``docs`` alone; also return how many were found only elsewhere.

        A gold fact expected from one of ``docs`` is a hit if one of them yielded it, a miss
        if none of the documents it is expected from did, and neither (counted apart) if only
        other documents did: the gold does not say which of its documents state it. A fact
        ``docs`` yielded that the gold does not list is a false hit; one the gold lists for
        other documents only is neither.
        """
        scope = {k for k, d in self.gold.items() if d & docs}
        predicted = {k for k, d in self.predicted.items() if d & docs}
        elsewhere = {k for k in scope - predicted if self.predicted.get(k, set()) & self.gold[k]}
        score = FactScore(
            self.fact_type,
            tp=len(predicted & scope),
            fp=len(predicted - self.gold.keys()),
            fn=len(scope - predicted - elsewhere),
        )
        return score, len(elsewhere)


def _period_value(value: dt.date | int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _gold_period(item: Mapping[str, Any], which: str) -> str | None:
    """The gold's start or end of an item: its date if given, else its year."""
    if item.get(which):
        return str(item[which])
    if item.get(f"{which}_year"):
        return str(item[f"{which}_year"])
    return None


def _same_period(gold: str, predicted: str | None) -> bool:
    if predicted is None:
        return False
    if len(gold) == 4:  # a year: any date of that year
        return predicted[:4] == gold
    return predicted == gold


class _Gold:
    """The gold file's items, matchers and labels."""

    def __init__(self, gold: dict[str, Any]) -> None:
        self.raw = gold
        self.orgs = _OrgMatcher(gold.get("organisations", []))
        self.projects: list[dict[str, Any]] = gold.get("projects", [])
        self.consortia: list[dict[str, Any]] = gold.get("consortia", [])
        self.networks: list[dict[str, Any]] = gold.get("networks", [])
        self.groups = self.consortia + self.networks
        self.distractors: list[dict[str, Any]] = gold.get("distractors", [])
        self.project_matcher = _NameMatcher(self.projects)
        self.group_matcher = _NameMatcher(self.groups)
        self.org_names = {o["id"]: o["name"] for o in gold.get("organisations", [])}
        self.items = {i["id"]: i for i in [*self.projects, *self.groups]}
        self.docs_of = {iid: frozenset(_gold_docs(i)) for iid, i in self.items.items()}
        self.group_kind = {g["id"]: "consortium" for g in self.consortia}
        self.group_kind.update({g["id"]: "network" for g in self.networks})
        # groups whose membership the gold gives (``members``, or a project's ``consortium``)
        self.annotated = {g["id"] for g in self.groups if "members" in g}
        self.annotated.update(g for p in self.projects for g in _ids(p.get("consortium")))

    # ---- extracted things as gold ids ("new:<name>" when the gold has no such thing)
    def org_id(self, facts: Facts, key: str) -> str:
        o = facts.organisation(key)
        names = [n for n in (o.canonical_name, o.name, *o.aliases) if n]
        return self.orgs.match(names, o.business_id) or f"new:{o.canonical_name or o.name}"

    def project_id(self, facts: Facts, key: str) -> str:
        try:
            p = facts.project(key)
        except KeyError:
            return f"new:{key}"
        names = [n for n in (p.code, p.name, *p.aliases) if n]
        return self.project_matcher.match(names) or f"new:{p.name or p.code or key}"

    def group_id(self, group: GroupFact) -> str:
        return self.group_matcher.match([group.name, *group.aliases]) or f"new:{group.name}"

    # ---- labels
    def org_label(self, x: str) -> str:
        return str(self.org_names.get(x, x))

    def item_label(self, x: str) -> str:
        return str(self.items[x]["name"]) if x in self.items else x

    def pair_label(self, x: tuple[str, str]) -> str:
        return f"{self.item_label(x[0])} ← {self.org_label(x[1])}"

    def member_label(self, x: tuple[str, str]) -> str:
        return f"{self.item_label(x[0])} ∈ {self.item_label(x[1])}"

    def project_label(self, x: tuple[str, str]) -> str:
        return f"{x[0]}: {self.item_label(x[1])}"


def _fact_sets(gold: _Gold) -> dict[str, _FactSet]:
    """The gold facts of every type but periods, each with the documents it is expected from."""
    sets = {
        "organisations": _FactSet("organisations", gold.org_label),
        "projects": _FactSet("projects", gold.project_label),
        **{t: _FactSet(t, gold.pair_label) for t in (*_ROLE_ROWS, "participant (any role)")},
        "consortium membership": _FactSet("consortium membership", gold.member_label),
        "network membership": _FactSet("network membership", gold.member_label),
    }
    org_docs: dict[str, set[str]] = {}

    def expect_pair(fact_type: str, item: str, org: str) -> None:
        sets[fact_type].expect((item, org), gold.docs_of[item])
        org_docs.setdefault(org, set()).update(gold.docs_of[item])

    for p in gold.projects:
        for key, t in _GOLD_ROLE_KEYS.items():
            for o in _ids(p.get(key)):
                expect_pair(t, p["id"], o)
        for o in _ids(p.get("participants")):
            expect_pair("participant (any role)", p["id"], o)
        for d in gold.docs_of[p["id"]]:
            sets["projects"].expect((d, p["id"]), [d])
    for g in gold.groups:
        for o in _ids(g.get("funders")):
            expect_pair("funder", g["id"], o)
    for x in gold.distractors:
        org_docs.setdefault(x["org"], set()).add(x["doc"])
    for o in gold.org_names:
        sets["organisations"].expect(o, org_docs.get(o, ()))
    memberships = {(m, g["id"]) for g in gold.groups for m in _ids(g.get("members"))}
    memberships.update((p["id"], g) for p in gold.projects for g in _ids(p.get("consortium")))
    for m, gid in memberships:
        # expected from the documents that name both, else from either's
        mdocs, gdocs = gold.docs_of.get(m, frozenset()), gold.docs_of.get(gid, frozenset())
        kind = gold.group_kind.get(gid, "consortium")
        sets[f"{kind} membership"].expect((m, gid), (mdocs & gdocs) or (mdocs | gdocs))
    return sets


def _add_extracted(
    gold: _Gold, sets: dict[str, _FactSet], facts_by_doc: dict[str, Facts], notes: list[str]
) -> None:
    """Add every extracted fact but periods, with the document it was extracted from."""
    for doc, f in facts_by_doc.items():
        here = [doc]
        for org in f.organisations:
            sets["organisations"].extracted(gold.org_id(f, org.key), here)
        for project in f.projects:
            pid = gold.project_id(f, project.key)
            sets["projects"].extracted((doc, pid), here)
            if project.fund:
                fund = gold.orgs.match([project.fund]) or f"new:{project.fund}"
                sets["funder"].extracted((pid, fund), here)
        for part in f.participations:
            t = _ROLE_TYPES.get(part.role)
            if t is not None:
                pair = (gold.project_id(f, part.project), gold.org_id(f, part.organisation))
                sets[t].extracted(pair, here)
        for group in f.groups:
            gid = gold.group_id(group)
            for org_key in group.funders:
                sets["funder"].extracted((gid, gold.org_id(f, org_key)), here)
            kind = gold.group_kind.get(gid) or (
                "network" if group.kind is GroupKind.NETWORK else "consortium"
            )
            members = set(group.members)
            members.update(p.key for p in f.projects if group.key in p.member_of)
            for m in sorted(members):
                fact = (gold.project_id(f, m), gid)
                if gid in gold.group_kind and gid not in gold.annotated:
                    notes.append(
                        f"not scored ({doc}): {gold.member_label(fact)} (the gold gives no "
                        f"members of {gold.item_label(gid)})"
                    )
                else:
                    sets[f"{kind} membership"].extracted(fact, here)
    # an organisation of a gold ``participants`` list extracted in a role the gold does not
    # give it: a hit of ``participant (any role)`` instead of a false hit of that role
    any_role = sets["participant (any role)"]
    for t in _ANY_ROLE_TYPES:
        moved = [k for k in sets[t].predicted if k in any_role.gold and k not in sets[t].gold]
        for fact in moved:
            any_role.extracted(fact, sets[t].predicted.pop(fact))


def _period_facts(gold: _Gold, facts_by_doc: dict[str, Facts], notes: list[str]) -> _FactSet:
    """The period facts ``(item, "start" | "end", value)``, gold and extracted.

    An extracted value that agrees with the gold's in the gold's precision (the year when the
    gold gives only a year, else the date) is the gold's fact, so all the dates of a year-only
    gold value are one fact; any other value is a fact of its own.
    """
    gold_value = {
        (iid, which): v
        for iid, item in gold.items.items()
        for which in ("start", "end")
        if (v := _gold_period(item, which)) is not None
    }
    raw: dict[Hashable, set[str]] = {}

    def label(x: Any) -> str:
        return f"{gold.item_label(x[0])} {x[1]} {x[2]}"

    def false_label(x: Any) -> str:
        values = ", ".join(sorted(raw.get(x, {x[2]})))
        gv = gold_value.get((x[0], x[1]))
        return f"{gold.item_label(x[0])} {x[1]} {values} (" + (
            f"gold {gv})" if gv else "not in the gold)"
        )

    fs = _FactSet("period", label, false_label)
    for (iid, which), gv in gold_value.items():
        fs.expect((iid, which, gv), gold.docs_of.get(iid, ()))
    for doc, f in facts_by_doc.items():
        values: list[tuple[str, str, dt.date | int | None]] = []
        for p in f.projects:
            pid = gold.project_id(f, p.key)
            values += [(pid, "start", p.start), (pid, "end", p.end)]
        for g in f.groups:
            gid = gold.group_id(g)
            values += [(gid, "start", g.start), (gid, "end", g.end)]
        for iid, which, value in values:
            v = _period_value(value)
            if not v:
                continue
            given = gold_value.get((iid, which))
            key = (iid, which, given if given is not None and _same_period(given, v) else v)
            raw.setdefault(key, set()).add(v)
            fs.extracted(key, [doc])
    # where the gold notes a conflict in an item, a second reading beside the right one is
    # accepted (and noted), not a false hit
    for (iid, which), gv in gold_value.items():
        if not gold.items[iid].get("conflicts") or (iid, which, gv) not in fs.predicted:
            continue
        others = [k for k in fs.predicted if k[:2] == (iid, which) and k[2] != gv]
        for k in others:
            del fs.predicted[k]
        if others:
            wrong = ", ".join(sorted(v for k in others for v in raw[k]))
            notes.append(f"{gold.item_label(iid)} {which} {gv}: also extracted {wrong}")
    return fs


def _distractor_hits(
    gold: _Gold, sets: dict[str, _FactSet], facts_by_doc: dict[str, Facts]
) -> list[DistractorHit]:
    """The gold distractors extracted in a role of a project they take no part in."""
    projects_in: dict[str, set[str]] = {}  # document -> projects it names (gold or extracted)
    for doc, f in facts_by_doc.items():
        projects_in[doc] = {gold.project_id(f, p.key) for p in f.projects}
    for p in gold.projects:
        for d in gold.docs_of[p["id"]]:
            projects_in.setdefault(d, set()).add(p["id"])
    out: list[DistractorHit] = []
    for x in gold.distractors:
        target = x["not_participant_of"]
        wanted = projects_in.get(x["doc"], set()) if target == "*" else {target}
        hits = tuple(
            (pid, t)
            for t in _ROLE_ROWS
            for pid in sorted(wanted)
            if x["doc"] in sets[t].predicted.get((pid, x["org"]), ())
            and (pid, x["org"]) not in sets[t].gold
        )
        if hits:
            out.append(DistractorHit(x["doc"], x["org"], target, hits))
    return out


def _genre_scores(
    gold: _Gold, sets: Sequence[_FactSet], facts_by_doc: dict[str, Facts]
) -> list[GenreScore]:
    info: dict[str, dict[str, Any]] = gold.raw.get("document_info", {})
    by_genre: dict[str, list[str]] = {}
    for doc, meta in info.items():
        by_genre.setdefault(str(meta.get("genre") or "unknown"), []).append(doc)
    out: list[GenreScore] = []
    for genre in sorted(by_genre):
        docs = sorted(by_genre[genre])
        score = GenreScore(genre, docs, read=sum(d in facts_by_doc for d in docs))
        for fs in sets:
            score.by_type[fs.fact_type], score.elsewhere_by_type[fs.fact_type] = fs.tally(set(docs))
        out.append(score)
    return out


def evaluate_facts(gold: dict[str, Any], facts_by_doc: dict[str, Facts]) -> EvaluationReport:
    """Score extracted facts (``{document file name: Facts}``) against a gold dict.

    Raises
    ------
    InputError
        If ``gold`` does not have the shape of the gold files.

    Examples
    --------
    >>> from sotegraph.facts import Facts, ProjectFact
    >>> g = {"organisations": [], "projects": [{"id": "x", "doc": "a.txt", "name": "Koe"}]}
    >>> f = Facts(document_id="d", source="a.txt", projects=[ProjectFact(key="p1", name="Koe")])
    >>> evaluate_facts(g, {"a.txt": f}).score("projects").f1
    1.0
    """
    _check_gold(gold)
    g = _Gold(gold)
    report = EvaluationReport(
        scores={},
        documents=sorted(facts_by_doc),
        matching=g.orgs.method,
        unscored_keys=_unscored_keys(gold),
        distractors_total=len(g.distractors),
    )
    sets = _fact_sets(g)
    _add_extracted(g, sets, facts_by_doc, report.notes)
    sets["period"] = _period_facts(g, facts_by_doc, report.notes)
    report.scores = {t: sets[t].score() for t in FACT_TYPES}
    report.distractors = _distractor_hits(g, sets, facts_by_doc)
    report.genres = _genre_scores(g, [sets[t] for t in FACT_TYPES], facts_by_doc)
    for item in g.projects:
        for c in item.get("conflicts", []):
            report.notes.append(f"gold notes a conflict in {item['name']}: {c}")
    return report


def evaluate(
    gold_path: str | Path,
    corpus_dir: str | Path | None = None,
    *,
    nlp: Any = None,
    check_personal_data: bool = True,
) -> EvaluationReport:
    """Extract every document of ``corpus_dir`` and score the facts against ``gold_path``.

    Parameters
    ----------
    gold_path:
        A gold file in the format of ``../shared/gold/seeds.json``.
    corpus_dir:
        The folder of the texts the gold names (default: ``../corpus/seeds`` beside the
        gold file's folder).
    nlp:
        A loaded sotegraph spaCy pipeline to reuse.
    check_personal_data:
        When the gold has ``personal_data``, build the graph of the documents in memory
        (default settings: no personal data) and count the gold's strings found in it
        (:attr:`EvaluationReport.personal_data`).

    Raises
    ------
    InputError
        If the gold file cannot be read or parsed or has not the shape of a gold file, or
        the corpus folder does not exist.

    Examples
    --------
    >>> evaluate("no/such/gold.json")
    Traceback (most recent call last):
    ...
    sotegraph.errors.InputError: no/such/gold.json: cannot read the gold file ...
    """
    gold_file = Path(gold_path)
    try:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            f"cannot read the gold file ({exc.strerror or exc})", file=gold_file
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError("the gold file is not UTF-8 text", file=gold_file) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the gold file is not JSON: {exc.msg}", file=gold_file, line=exc.lineno
        ) from exc
    _check_gold(gold, gold_file)
    corpus = (
        Path(corpus_dir)
        if corpus_dir is not None
        else gold_file.resolve().parent.parent / "corpus" / "seeds"
    )
    if not corpus.is_dir():
        raise InputError("corpus folder not found", file=corpus, expected="a folder of texts")
    from sotegraph.extract import extract
    from sotegraph.read import iter_paths, read_document

    if nlp is None:
        from sotegraph.nlp import load_pipeline

        nlp = load_pipeline()
    wanted = {
        d
        for key in ("projects", "consortia", "networks")
        for item in gold.get(key, [])
        for d in _gold_docs(item)
    }
    wanted |= {x["doc"] for x in gold.get("distractors", [])}
    wanted |= set(gold.get("document_info", {}))
    facts_by_doc: dict[str, Facts] = {}
    documents: list[Document] = []
    for path in iter_paths([corpus]):
        if wanted and path.name not in wanted:
            continue
        document = read_document(path)
        documents.append(document)
        facts_by_doc[path.name] = extract(document, nlp=nlp)
    _resolve(list(facts_by_doc.values()))
    report = evaluate_facts(gold, facts_by_doc)
    personal = gold.get("personal_data") or {}
    strings = [*personal.get("people", []), *personal.get("contact_strings", [])]
    if check_personal_data and strings:
        report.personal_data = _personal_data_in_build(documents, strings)
    return report


def _resolve(facts_list: list[Facts]) -> None:
    """Run the project's resolver over the facts (fills canonical names)."""
    Resolver().resolve_all(facts_list)


# --------------------------------------------------------------------------- personal data


def _build_in_memory(documents: list[Document]) -> tuple[Store, list[str]]:
    from sotegraph.builder import KnowledgeGraph

    kg = KnowledgeGraph()  # in memory, include_personal_data=False as `sotegraph build`
    result = kg.add_documents(documents, validate=False)
    return kg.store, [str(f) for f in result.failed]


def _personal_data_in_build(documents: list[Document], strings: list[str]) -> PersonalDataCheck:
    store, failed = _build_in_memory(documents)
    try:
        check = personal_data_in_store(store, strings)
    finally:
        store.close()
    check.failed = failed
    return check


_DIGIT_SEP = r"[\s\-–./()]*"


def _personal_patterns(text: str) -> list[re.Pattern[str]]:
    """Patterns that find ``text`` as a graph may hold it.

    A phone number in any spacing and with ``+358`` or ``0``; an e-mail address with ``@``,
    ``(at)`` or ``[at]``; a name in any case and spacing, and as an IRI slug.
    """
    s = text.strip()
    digits = re.sub(r"\D", "", s)
    if re.fullmatch(r"\+?[\d\s\-–./()]+", s) and len(digits) >= 6:
        forms = {digits}
        if digits.startswith("358"):
            forms.add("0" + digits[3:])
        elif digits.startswith("0"):
            forms.add("358" + digits[1:])
        return [re.compile(rf"(?<!\d){_DIGIT_SEP.join(d)}(?!\d)") for d in sorted(forms)]
    at = re.split(r"\s*(?:\(at\)|\[at\]|@)\s*", s, maxsplit=1)
    if len(at) == 2:
        local, domain = (re.escape(x) for x in at)
        return [re.compile(rf"{local}\s*(?:@|\(at\)|\[at\])\s*{domain}", re.IGNORECASE)]
    from sotegraph.namespaces import slugify

    words = r"\s+".join(re.escape(w) for w in s.split())
    out = [re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)]
    if not any(c.isdigit() for c in s):
        slug = re.escape(slugify(s))
        out.append(re.compile(rf"(?<![a-z0-9]){slug}(?![a-z0-9])", re.IGNORECASE))
    return out


def personal_data_in_store(store: Store, strings: Iterable[str]) -> PersonalDataCheck:
    """Find personal-data strings (people's names, e-mail addresses, phone numbers) in a store.

    Every literal and IRI of every graph is searched (see :func:`_personal_patterns` for the
    forms a string is looked for in); each string is counted once.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> from sotegraph.store import open_store
    >>> store, g = open_store(), Graph()
    >>> _ = g.add((URIRef("https://e.org/person/maija-meikalainen"), URIRef("https://e.org/tel"),
    ...            Literal("puh. 040 123 4567")))
    >>> store.replace_graph("https://e.org/g", g)
    >>> check = personal_data_in_store(store, ["Maija Meikäläinen", "0401234567", "Ei Ketään"])
    >>> check.count, [f.string for f in check.found]
    (2, ['Maija Meikäläinen', '0401234567'])
    """
    terms: set[str] = set()
    for s, p, o, g in store.quads():
        terms.update((str(s), str(p), str(o), g))
    blob = "\x00".join(sorted(terms))
    check = PersonalDataCheck(strings=0, terms=len(terms))
    for text in dict.fromkeys(strings):
        if not text.strip():
            continue
        check.strings += 1
        for pattern in _personal_patterns(text):
            m = pattern.search(blob)
            if m:
                start = blob.rfind("\x00", 0, m.start()) + 1
                end = blob.find("\x00", m.end())
                term = blob[start : end if end >= 0 else len(blob)]
                check.found.append(PersonalDataFound(text, term[:120]))
                break
    return check


# --------------------------------------------------------------------------- explain


@dataclass(frozen=True, slots=True)
class Evidence:
    """One participation node: who, in what, with which role, from which sentence."""

    node: str
    role: str
    organisation: str
    organisation_label: str | None
    project: str
    project_label: str | None
    sentence: str | None
    cue: str | None
    line: int | None
    char_start: int | None
    char_end: int | None
    document: str | None
    source: str | None


_EXPLAIN = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX sg: <https://w3id.org/sotegraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?node ?role ?member ?memberLabel ?project ?projectLabel ?sentence ?cue ?line
       ?start ?end ?doc ?source
WHERE {
  ?node a org:Membership ; org:member ?member ; org:organization ?project ; org:role ?role .
  FILTER (?node = ?target || ?member = ?target || ?project = ?target)
  OPTIONAL { ?node sg:sentence ?sentence }
  OPTIONAL { ?node skos:note ?cue }
  OPTIONAL { ?node sg:sourceLine ?line }
  OPTIONAL { ?node sg:charStart ?start }
  OPTIONAL { ?node sg:charEnd ?end }
  OPTIONAL { ?node prov:wasDerivedFrom ?doc . OPTIONAL { ?doc dcterms:source ?source } }
  OPTIONAL { ?member skos:prefLabel ?memberLabel }
  OPTIONAL { ?project skos:prefLabel ?projectLabel }
}
ORDER BY ?source ?line ?node
"""


def explain(store: Any, iri: str) -> list[Evidence]:
    """Return the sentences behind a participation, an organisation's or a project's roles.

    Parameters
    ----------
    store:
        A :class:`sotegraph.store.Store` holding built graphs.
    iri:
        A participation node (``sgid:participation/…``), an organisation or a project.

    Returns
    -------
    list of Evidence
        One per participation node that has ``iri`` as node, member or project; each with
        the sentence it was read from (``sg:sentence``), the cue word (``skos:note``), the
        line and character span, and the source document (``prov:wasDerivedFrom``).

    Raises
    ------
    sotegraph.errors.StoreError
        If ``iri`` is not an absolute IRI (checked whole before it reaches the query).
    sotegraph.errors.QueryError
        If the store cannot run the query.

    Examples
    --------
    >>> from sotegraph.store import open_store
    >>> explain(open_store(), "https://w3id.org/sotegraph/id/project/S1")
    []
    >>> explain(open_store(), "https://e.org/x> } #")
    Traceback (most recent call last):
    ...
    sotegraph.errors.StoreError: not a valid IRI ...: ...
    """
    from rdflib import URIRef

    from sotegraph.store.base import check_iri

    # checked before rdflib sees it (rdflib warns on stderr about a malformed IRI)
    rows = store.query(_EXPLAIN, bindings={"target": URIRef(check_iri(iri, what="IRI"))})
    seen: set[tuple[str, str]] = set()
    out: list[Evidence] = []
    for r in rows:
        key = (str(r["node"]), str(r.get("memberLabel") or ""))
        if key in seen:
            continue
        seen.add(key)

        def text(name: str, row: Any = r) -> str | None:
            v = row.get(name)
            return None if v is None else str(v)

        def number(name: str, row: Any = r) -> int | None:
            v = row.get(name)
            return None if v is None else int(str(v))

        out.append(
            Evidence(
                node=str(r["node"]),
                role=str(r["role"]).rsplit("/", 1)[-1],
                organisation=str(r["member"]),
                organisation_label=text("memberLabel"),
                project=str(r["project"]),
                project_label=text("projectLabel"),
                sentence=text("sentence"),
                cue=text("cue"),
                line=number("line"),
                char_start=number("start"),
                char_end=number("end"),
                document=text("doc"),
                source=text("source"),
            )
        )
    return out


# --- sote relevance (``sotegraph evaluate --relevance``) ------------------------------------

#: Precision and recall target of *sote* on a relevance gold file (issue 17).
RELEVANCE_TARGET = 0.9
#: The bulk list of each ``list`` value of a relevance gold file, in ``../corpus/bulk``.
RELEVANCE_LISTS: dict[str, str] = {
    "2014": "fi_eura2014_projektilista_2016_clean.csv",
    "2007": "fi_eura2007_projektilista_2007-2013.csv",
}
_RELEVANCE_COLUMNS = ("code", "list", "label")
_RELEVANCE_LABELS = ("sote", "borderline", "not")


def relevance_half(code: str) -> str:
    """The fixed half of a gold row (``"A"``: tuned on; ``"B"``: first measured after tuning
    on A, then also looked at): by the second hex digit of the code's SHA-256 (the first one
    drew the sample).

    >>> relevance_half("S20122") in ("A", "B")
    True
    """
    import hashlib

    return "AB"[int(hashlib.sha256(code.encode("utf-8")).hexdigest()[1], 16) % 2]


@dataclass(frozen=True, slots=True)
class RelevanceRow:
    """One gold row with the classifier's decision."""

    code: str
    list: str
    title: str
    gold: str
    predicted: str
    half: str

    @property
    def error(self) -> str | None:
        """``"false sote"`` (predicted sote, gold not), ``"missed sote"`` (gold sote,
        predicted borderline or not) or ``None``; a gold *borderline* row is never an error."""
        if self.predicted == "sote" and self.gold == "not":
            return "false sote"
        if self.gold == "sote" and self.predicted != "sote":
            return "missed sote"
        return None


@dataclass(frozen=True, slots=True)
class RelevanceScore:
    """Precision and recall of *sote* over some rows (gold borderline rows count as either)."""

    subset: str
    rows: int
    tp: int
    fp: int
    fn: int
    confusion: dict[tuple[str, str], int]

    @property
    def precision(self) -> float:
        """Predicted sote rows that are not gold *not*, of all predicted sote rows (less the
        gold borderline ones)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Gold sote rows predicted sote."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @classmethod
    def of(cls, subset: str, rows: Sequence[RelevanceRow]) -> RelevanceScore:
        """Score ``rows``."""
        confusion: dict[tuple[str, str], int] = {}
        for r in rows:
            confusion[(r.gold, r.predicted)] = confusion.get((r.gold, r.predicted), 0) + 1
        return cls(
            subset,
            len(rows),
            tp=sum(1 for r in rows if r.gold == "sote" and r.predicted == "sote"),
            fp=sum(1 for r in rows if r.error == "false sote"),
            fn=sum(1 for r in rows if r.error == "missed sote"),
            confusion=confusion,
        )


@dataclass(slots=True)
class RelevanceReport:
    """:func:`evaluate_relevance`: the rows and the scores of half A, half B and all rows."""

    gold: str
    rows: list[RelevanceRow]
    scores: list[RelevanceScore]
    missing: list[str] = field(default_factory=list)

    def meets_targets(self) -> bool:
        """Whether precision and recall of *sote* over all rows reach the target."""
        whole = self.scores[-1]
        return min(whole.precision, whole.recall) + 1e-9 >= RELEVANCE_TARGET and not self.missing

    @property
    def errors(self) -> list[RelevanceRow]:
        """The rows that are errors (:attr:`RelevanceRow.error`)."""
        return [r for r in self.rows if r.error]


def evaluate_relevance(gold: str | Path, bulk: str | Path | None = None) -> RelevanceReport:
    """Score :mod:`sotegraph.reference.relevance` on a relevance gold file.

    The file is a CSV with the columns ``code``, ``list`` (``2014`` or ``2007``) and
    ``label`` (``sote``, ``borderline`` or ``not``); each row names a project of one bulk
    list (:data:`RELEVANCE_LISTS`, in the folder ``bulk``, by default ``../corpus/bulk``
    beside the gold file's folder). The lists are extracted as a build extracts them and
    every project decided (:func:`sotegraph.reference.relevance.assign_relevance`).

    Raises
    ------
    InputError
        The gold file cannot be read or lacks a column or has an unknown label, or a list
        is missing.
    """
    import csv

    from sotegraph.extract import extract
    from sotegraph.read import read_document
    from sotegraph.reference.relevance import assign_relevance

    path = Path(gold)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            table = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read the relevance gold file {path}: {exc}") from exc
    if not table or any(c not in table[0] for c in _RELEVANCE_COLUMNS):
        raise InputError(
            f"{path}: not a relevance gold file",
            expected=f"a CSV with the columns {', '.join(_RELEVANCE_COLUMNS)}",
        )
    folder = Path(bulk) if bulk is not None else path.resolve().parent.parent / "corpus" / "bulk"
    decided: dict[tuple[str, str], tuple[str, str]] = {}
    for name in sorted({r["list"] for r in table}):
        file = RELEVANCE_LISTS.get(name)
        if file is None or not (folder / file).is_file():
            raise InputError(
                f"{path}: no bulk list for list {name!r} in {folder}",
                expected=f"one of {', '.join(f'{k}: {v}' for k, v in RELEVANCE_LISTS.items())}",
            )
        facts = extract(read_document(folder / file), use_nlp=False)
        assign_relevance(facts)
        for p in facts.projects:
            if p.code and p.sote_relevance:
                decided.setdefault((name, p.code), (p.sote_relevance, p.name or ""))
    rows: list[RelevanceRow] = []
    missing: list[str] = []
    for r in table:
        label = (r["label"] or "").strip()
        if label not in _RELEVANCE_LABELS:
            raise InputError(
                f"{path}: unknown label {label!r} for {r['code']}",
                expected=", ".join(_RELEVANCE_LABELS),
            )
        got = decided.get((r["list"], r["code"]))
        if got is None:
            missing.append(f"{r['list']}/{r['code']}")
            continue
        rows.append(
            RelevanceRow(r["code"], r["list"], got[1], label, got[0], relevance_half(r["code"]))
        )
    scores = [
        RelevanceScore.of("half A (tuned on)", [r for r in rows if r.half == "A"]),
        RelevanceScore.of("half B (also seen)", [r for r in rows if r.half == "B"]),
        RelevanceScore.of("all", rows),
    ]
    return RelevanceReport(str(path), rows, scores, missing)

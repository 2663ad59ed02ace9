"""Score the whole extraction pipeline against a gold file (``../shared/gold/seeds.json``).

Every document of the corpus folder is read and extracted as the build does it
(:func:`sotegraph.extract.extract`: the EURA parser plus prose enrichment for records, the
article extractor for prose). The facts are then compared with the gold facts, per type:

==========================  ==========================================================
fact type                   compared as
==========================  ==========================================================
``organisations``           the set of organisations extracted from the corpus
``projects``                (document, project) pairs
``lead``, ``partner``,      (project, organisation) pairs per role; for a gold project
``collaborator``,           with ``participants`` (any role accepted), those pairs are
``funder``                  scored as ``participant (any role)`` instead
``consortium membership``   (project, consortium) pairs
``period``                  (project or consortium, start/end) values; a year in the gold
                            matches any date of that year
==========================  ==========================================================

Names are matched through the organisations resolver
(:class:`sotegraph.resolve.organisations.OrganisationResolver`: aliases, inflected forms,
abbreviations) when it is installed, and otherwise by normalised strings (case, dashes,
legal forms and the head word's base form folded). Projects and groups match on their
names, aliases and codes.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sotegraph.errors import InputError
from sotegraph.facts import Facts, GroupKind, Role

__all__ = [
    "FACT_TYPES",
    "TARGETS",
    "EvaluationReport",
    "Evidence",
    "FactScore",
    "evaluate",
    "evaluate_facts",
    "explain",
]

FACT_TYPES = (
    "organisations",
    "projects",
    "lead",
    "partner",
    "collaborator",
    "funder",
    "participant (any role)",
    "consortium membership",
    "period",
)
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
}
_GOLD_ROLE_KEYS = {
    "lead": "lead",
    "partners": "partner",
    "collaborators": "collaborator",
    "funders": "funder",
}


@dataclass(slots=True)
class FactScore:
    """Precision, recall and F1 of one fact type, with every miss and false hit."""

    fact_type: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when the gold has nothing of this type."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

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
class EvaluationReport:
    """Scores per fact type, the documents read, and notes (conflicts, matching method)."""

    scores: dict[str, FactScore]
    documents: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    matching: str = "strings"

    def score(self, fact_type: str) -> FactScore:
        """Return the score of one fact type (see :data:`FACT_TYPES`)."""
        return self.scores[fact_type]

    def failed_targets(self, targets: dict[str, float] | None = None) -> dict[str, float]:
        """Return ``{fact type: F1}`` for every target not met."""
        targets = TARGETS if targets is None else targets
        return {
            t: self.scores[t].f1 for t, goal in targets.items() if self.scores[t].f1 + 1e-9 < goal
        }

    def meets_targets(self, targets: dict[str, float] | None = None) -> bool:
        """True if every F1 target is met."""
        return not self.failed_targets(targets)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "documents": list(self.documents),
            "matching": self.matching,
            "notes": list(self.notes),
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
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
        self.resolver: Any = None
        self.method = "strings"
        try:
            from sotegraph.resolve.organisations import OrganisationResolver

        except ImportError:  # the resolution package is not installed: strings only
            self.resolver = None
        else:
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
        if self.resolver is None or not name:
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


# --------------------------------------------------------------------------- scoring


def _score(fact_type: str, gold: set[Any], predicted: set[Any], label: Any) -> FactScore:
    s = FactScore(fact_type)
    s.tp = len(gold & predicted)
    s.fn = len(gold - predicted)
    s.fp = len(predicted - gold)
    s.misses = sorted(label(x) for x in gold - predicted)
    s.false_hits = sorted(label(x) for x in predicted - gold)
    return s


def _gold_docs(item: dict[str, Any]) -> list[str]:
    if "docs" in item:
        return list(item["docs"])
    return [item["doc"]] if "doc" in item else []


def _period_value(value: dt.date | int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _gold_period(item: dict[str, Any], which: str) -> str | None:
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


def evaluate_facts(gold: dict[str, Any], facts_by_doc: dict[str, Facts]) -> EvaluationReport:
    """Score extracted facts (``{document file name: Facts}``) against a gold dict.

    Examples
    --------
    >>> from sotegraph.facts import Facts, ProjectFact
    >>> g = {"organisations": [], "projects": [{"id": "x", "doc": "a.txt", "name": "Koe"}]}
    >>> f = Facts(document_id="d", source="a.txt", projects=[ProjectFact(key="p1", name="Koe")])
    >>> evaluate_facts(g, {"a.txt": f}).score("projects").f1
    1.0
    """
    orgs = _OrgMatcher(gold.get("organisations", []))
    gold_projects = gold.get("projects", [])
    gold_groups = gold.get("consortia", []) + gold.get("networks", [])
    projects = _NameMatcher(gold_projects)
    groups = _NameMatcher(gold_groups)
    names = {o["id"]: o["name"] for o in gold.get("organisations", [])}
    pnames = {p["id"]: p["name"] for p in gold_projects}
    gnames = {g["id"]: g["name"] for g in gold_groups}
    consortium_ids = {g["id"] for g in gold.get("consortia", [])}
    report = EvaluationReport(scores={}, documents=sorted(facts_by_doc), matching=orgs.method)

    def org_id(facts: Facts, key: str) -> str:
        o = facts.organisation(key)
        names_ = [n for n in (o.canonical_name, o.name, *o.aliases) if n]
        return orgs.match(names_, o.business_id) or f"new:{o.canonical_name or o.name}"

    def project_id(facts: Facts, key: str) -> str:
        p = facts.project(key)
        names_ = [n for n in (p.code, p.name, *p.aliases) if n]
        return projects.match(names_) or f"new:{p.name or p.code or key}"

    def group_id(facts: Facts, key: str) -> str:
        g = next(g for g in facts.groups if g.key == key)
        return groups.match([g.name, *g.aliases]) or f"new:{g.name}"

    def org_label(x: str) -> str:
        return names.get(x, x)

    def pair_label(x: tuple[str, str]) -> str:
        p, o = x
        return f"{pnames.get(p, gnames.get(p, p))} ← {org_label(o)}"

    # organisations
    predicted_orgs = {org_id(f, o.key) for f in facts_by_doc.values() for o in f.organisations}
    gold_orgs = set(names)
    report.scores["organisations"] = _score("organisations", gold_orgs, predicted_orgs, org_label)

    # projects (document, project)
    gold_pp = {(d, p["id"]) for p in gold_projects for d in _gold_docs(p)}
    pred_pp = {(doc, project_id(f, p.key)) for doc, f in facts_by_doc.items() for p in f.projects}
    report.scores["projects"] = _score(
        "projects", gold_pp, pred_pp, lambda x: f"{x[0]}: {pnames.get(x[1], x[1])}"
    )

    # roles
    predicted_roles: dict[str, set[tuple[str, str]]] = {t: set() for t in _GOLD_ROLE_KEYS.values()}
    for f in facts_by_doc.values():
        for part in f.participations:
            t = _ROLE_TYPES.get(part.role)
            if t is None:
                continue
            predicted_roles[t].add((project_id(f, part.project), org_id(f, part.organisation)))
        for p in f.projects:
            if p.fund:
                fid = orgs.match([p.fund]) or f"new:{p.fund}"
                predicted_roles["funder"].add((project_id(f, p.key), fid))
    gold_roles: dict[str, set[tuple[str, str]]] = {t: set() for t in _GOLD_ROLE_KEYS.values()}
    any_role: dict[str, set[str]] = {}
    for p in gold_projects:
        for key, t in _GOLD_ROLE_KEYS.items():
            val = p.get(key)
            for o in [val] if isinstance(val, str) else val or []:
                gold_roles[t].add((p["id"], o))
        if p.get("participants") and isinstance(p["participants"], list):
            any_role[p["id"]] = set(p["participants"])
    gold_any = {(p, o) for p, os_ in any_role.items() for o in os_}
    pred_any: set[tuple[str, str]] = set()
    for t in predicted_roles:
        for pair in list(predicted_roles[t]):
            if pair[0] in any_role and pair[1] in any_role[pair[0]] and pair not in gold_roles[t]:
                predicted_roles[t].discard(pair)
                pred_any.add(pair)
    for t in ("lead", "partner", "collaborator", "funder"):
        report.scores[t] = _score(t, gold_roles[t], predicted_roles[t], pair_label)
    report.scores["participant (any role)"] = _score(
        "participant (any role)", gold_any, pred_any, pair_label
    )

    # consortium membership
    gold_mem = {(p, g["id"]) for g in gold.get("consortia", []) for p in g.get("members", [])}
    pred_mem: set[tuple[str, str]] = set()
    for f in facts_by_doc.values():
        for g in f.groups:
            gid = group_id(f, g.key)
            is_consortium = gid in consortium_ids or (
                gid.startswith("new:") and g.kind is GroupKind.CONSORTIUM
            )
            if not is_consortium:
                continue
            members = set(g.members)
            members.update(p.key for p in f.projects if g.key in p.member_of)
            for m in members:
                pred_mem.add((project_id(f, m), gid))
    report.scores["consortium membership"] = _score(
        "consortium membership",
        gold_mem,
        pred_mem,
        lambda x: f"{pnames.get(x[0], x[0])} ∈ {gnames.get(x[1], x[1])}",
    )

    # periods
    predicted_period: dict[tuple[str, str], set[str]] = {}
    for f in facts_by_doc.values():
        for p in f.projects:
            pid = project_id(f, p.key)
            for which, value in (("start", p.start), ("end", p.end)):
                v = _period_value(value)
                if v:
                    predicted_period.setdefault((pid, which), set()).add(v)
        for g in f.groups:
            gid = group_id(f, g.key)
            for which, value in (("start", g.start), ("end", g.end)):
                v = _period_value(value)
                if v:
                    predicted_period.setdefault((gid, which), set()).add(v)
    ps = FactScore("period")
    for item in [*gold_projects, *gold_groups]:
        for which in ("start", "end"):
            gv = _gold_period(item, which)
            if gv is None:
                continue
            got = predicted_period.get((item["id"], which), set())
            label = f"{item['name']} {which} {gv}"
            if any(_same_period(gv, v) for v in got):
                ps.tp += 1
                wrong = [v for v in got if not _same_period(gv, v)]
                if wrong:
                    report.notes.append(f"{label}: also extracted {', '.join(sorted(wrong))}")
            else:
                ps.fn += 1
                ps.misses.append(label)
                for v in sorted(got):
                    ps.fp += 1
                    ps.false_hits.append(f"{item['name']} {which} {v} (gold {gv})")
    report.scores["period"] = ps
    for item in gold_projects:
        for c in item.get("conflicts", []):
            report.notes.append(f"gold notes a conflict in {item['name']}: {c}")
    return report


def evaluate(
    gold_path: str | Path,
    corpus_dir: str | Path | None = None,
    *,
    nlp: Any = None,
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

    Raises
    ------
    InputError
        If the gold file cannot be read or parsed, or the corpus folder does not exist.

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
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the gold file is not JSON: {exc.msg}", file=gold_file, line=exc.lineno
        ) from exc
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
    wanted = {d for item in gold.get("projects", []) for d in _gold_docs(item)}
    wanted |= {d for item in gold.get("consortia", []) for d in _gold_docs(item)}
    facts_by_doc: dict[str, Facts] = {}
    for path in iter_paths([corpus]):
        if wanted and path.name not in wanted:
            continue
        document = read_document(path)
        facts_by_doc[path.name] = extract(document, nlp=nlp)
    note = _resolve(list(facts_by_doc.values()))
    report = evaluate_facts(gold, facts_by_doc)
    if note:
        report.notes.append(note)
    return report


def _resolve(facts_list: list[Facts]) -> str | None:
    """Run the project's resolver over the facts when it exists (fills canonical names)."""
    try:
        from sotegraph.resolve import Resolver
    except ImportError:
        return "sotegraph.resolve.Resolver not available: names matched without it"
    Resolver().resolve_all(facts_list)
    return None


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
    sotegraph.errors.QueryError
        If the store cannot run the query.

    Examples
    --------
    >>> from sotegraph.store import open_store
    >>> explain(open_store(), "https://w3id.org/sotegraph/id/project/S1")
    []
    """
    from rdflib import URIRef

    rows = store.query(_EXPLAIN, bindings={"target": URIRef(iri)})
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

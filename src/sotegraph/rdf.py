"""Facts → RDF: the triples of one document, for its named graph ``sgid:document/<sha256>``.

Follows the data contract in DESIGN.md. Direct edges (``sg:lead`` …) are always written,
with ``sg:participant`` materialised, and each participation also gets a qualified
``org:Membership`` node carrying the role as written, the line and the sentence.

Personal data is not decided here: the privacy gate (:func:`sotegraph.privacy.apply_policy`)
has already taken out of the facts what is not to be written, and this module writes what the
facts hold. Contact persons are written when the facts still have them (personal data was asked
for); the document node says whether the facts hold personal data (``sg:includesPersonalData``).
Facts that have not been through the gate (a caller outside the build) are put through it on a
copy first, with ``include_personal_data`` as the setting.

Examples
--------
>>> from sotegraph.read import Document
>>> from sotegraph.extract.eura import parse_eura
>>> doc = Document.from_text("Hankekoodi: S20001\\nHankkeen nimi: Koe\\n"
...                          "Hakijan virallinen nimi: Esimerkki Oy\\n", source="koe.txt")
>>> g = facts_to_graph(parse_eura(doc))
>>> from sotegraph.namespaces import SG, project_iri
>>> sorted(str(o) for o in g.objects(project_iri(code="S20001"), SG.projectCode))
['S20001']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal
from rdflib.term import Node, URIRef

from sotegraph.facts import (
    Facts,
    Genre,
    GroupFact,
    GroupKind,
    OrganisationFact,
    ProjectFact,
    Role,
)
from sotegraph.namespaces import (
    DCTERMS,
    GRAPH_NAMES,
    ORG,
    PROV,
    RDF,
    SCHEMA,
    SG,
    SGID,
    SKOS,
    XSD,
    bind_prefixes,
    consortium_iri,
    document_iri,
    fund_iri,
    network_iri,
    organisation_iri,
    participation_iri,
    period_iri,
    project_iri,
    theme_iri,
)
from sotegraph.reference.areas import BASIS_IRI, AreaBasis
from sotegraph.reference.funds import FUND_NAMES
from sotegraph.reference.relevance import (
    RELEVANCE_IRI,
    Relevance,
    classify_project,
    implementers_by_project,
)
from sotegraph.resolve.identity import NAME_TERMS, name_statements

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

__all__ = [
    "GRAPH_NAMES",
    "LONG_LINE",
    "ROLE_PROPERTY",
    "Emitted",
    "emit_facts",
    "facts_to_graph",
    "facts_to_ntriples",
    "long_lines",
    "ntriples_to_graph",
    "parse_ntriples",
    "project_ref",
    "role_iri",
]

ROLE_PROPERTY: dict[Role, URIRef] = {
    Role.LEAD: SG.lead,
    Role.PARTNER: SG.partner,
    Role.COLLABORATOR: SG.collaborator,
    Role.FUNDER: SG.funder,
    Role.AUTHORITY: SG.authority,
}
_PARTICIPANT_ROLES = {Role.LEAD, Role.PARTNER, Role.COLLABORATOR}


def role_iri(role: Role) -> URIRef:
    """IRI of a role concept, e.g. ``sgid:role/lead``."""
    return SGID[f"role/{role.value}"]


def project_ref(p: ProjectFact) -> URIRef:
    """The IRI of a project fact: the resolved one, else by code, else by name."""
    if p.iri:
        return URIRef(p.iri)
    if p.code:
        return project_iri(code=p.code)
    return project_iri(name=p.name or p.key)


def _org_ref(o: OrganisationFact) -> URIRef:
    if o.iri:
        return URIRef(o.iri)
    if o.business_id:
        return organisation_iri(business_id=o.business_id)
    return organisation_iri(name=o.canonical_name or o.name)


def _group_ref(g: GroupFact) -> URIRef:
    if g.iri:
        return URIRef(g.iri)
    return consortium_iri(g.name) if g.kind is GroupKind.CONSORTIUM else network_iri(g.name)


class _Names:
    """The names one document gives one resource (its label unless a store decides one)."""

    __slots__ = ("aliases", "label", "names")

    def __init__(self, label: str | None) -> None:
        self.label = label or None
        self.names: list[str] = []
        self.aliases: list[str] = []

    def add(self, name: str | None, aliases: Iterable[str]) -> None:
        if name:
            self.names.append(name)
            if self.label is None:
                self.label = name
        self.aliases.extend(aliases)


_NAME_NT = {term: f"<{prop}>" for term, prop in NAME_TERMS.items()}


class _Emitter:
    """Collects triples as N-Triples terms (fast at bulk scale): the text to store, and the
    same triples as rdflib terms for the validator, without parsing the text again."""

    __slots__ = ("_iri_cache", "lines")

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str]] = []
        self._iri_cache: dict[str, str] = {}

    def iri(self, value: str) -> str:
        hit = self._iri_cache.get(value)
        if hit is None:
            hit = self._iri_cache[value] = f"<{value}>"
        return hit

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append((s, p, o))

    def emitted(self) -> Emitted:
        return Emitted(list(dict.fromkeys(self.lines)))


class Emitted:
    """One document's triples as :func:`emit_facts` produced them, each once.

    :meth:`text` is the N-Triples text the store loads; :meth:`rdflib_triples` the same
    triples as rdflib terms (each distinct term converted once), which is what the validator
    indexes: the build validates what it made, not a re-reading of it.

    Examples
    --------
    >>> from sotegraph.facts import Facts, ProjectFact
    >>> em = emit_facts(Facts("a" * 64, "x.txt", projects=[ProjectFact("p", name='Hanke "A"')]))
    >>> from rdflib import Graph
    >>> g = Graph().parse(data=em.text(), format="nt")
    >>> len(em) == len(g) and set(em.rdflib_triples()) == set(g)
    True
    """

    __slots__ = ("_lines",)

    def __init__(self, lines: list[tuple[str, str, str]]) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    def text(self) -> str:
        """The triples as N-Triples (one a line)."""
        return "".join([f"{s} {p} {o} .\n" for s, p, o in self._lines])

    def rdflib_triples(self) -> RdflibTriples:
        """The triples as rdflib terms (an iterable; the validator's index reads
        :attr:`RdflibTriples.ntriples_terms` to convert and index them in one pass)."""
        return RdflibTriples(self._lines)


class RdflibTriples:
    """Triples of N-Triples terms as this module writes them, iterated as rdflib terms (each
    distinct term converted once).

    ``ntriples_terms`` gives the N-Triples triples and the function that converts one term,
    for a reader that converts them itself (the validator's index does, in the same pass
    as it indexes them).

    >>> t = RdflibTriples([("<https://e.org/s>", "<https://e.org/p>", '"x"@fi')])
    >>> [(str(s), str(o), o.language) for s, _p, o in t]
    [('https://e.org/s', 'x', 'fi')]
    """

    __slots__ = ("_lines",)

    def __init__(self, lines: list[tuple[str, str, str]]) -> None:
        self._lines = lines

    @property
    def ntriples_terms(self) -> tuple[list[tuple[str, str, str]], Callable[[str], Node]]:
        """The triples as N-Triples terms, and the term converter (:func:`_rdflib_term`)."""
        return self._lines, _rdflib_term

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        terms: dict[str, Node] = {}
        for line in self._lines:
            s, p, o = line
            ts = terms.get(s)
            if ts is None:
                ts = terms[s] = _rdflib_term(s)
            tp = terms.get(p)
            if tp is None:
                tp = terms[p] = _rdflib_term(p)
            to = terms.get(o)
            if to is None:
                to = terms[o] = _rdflib_term(o)
            yield ts, tp, to


_XSD_STRING = str(XSD.string)
_new_str = str.__new__


def _canonical_date(lexical: str) -> dt.date | None:
    value = dt.date.fromisoformat(lexical)
    return value if value.isoformat() == lexical else None


def _canonical_int(lexical: str) -> int | None:
    value = int(lexical)
    return value if str(value) == lexical else None


def _canonical_decimal(lexical: str) -> Decimal | None:
    value = Decimal(lexical)
    return value if f"{value:f}" == lexical else None


#: the datatypes :func:`_rdflib_term` makes literals of itself: the value of a lexical form
#: that is already in rdflib's normal form (else None: rdflib's ``Literal`` makes that one)
_CANONICAL: dict[str, Callable[[str], Any]] = {
    str(XSD.integer): _canonical_int,
    str(XSD.decimal): _canonical_decimal,
    str(XSD.date): _canonical_date,
}
#: the datatype IRIs as rdflib terms, one object each
_DATATYPES: dict[str, URIRef] = {}
#: language tags rdflib has accepted
_LANGUAGES: set[str] = set()


def _literal(lexical: str, language: str | None, datatype: URIRef | None, value: Any) -> Literal:
    """A literal as ``Literal(lexical, lang=..., datatype=...)`` makes it when ``lexical`` is
    already in normal form, ``value`` its value and the tag valid (without its checks)."""
    lit = _new_str(Literal, lexical)
    lit._language = language
    lit._datatype = datatype
    lit._value = value
    # rdflib: None without a datatype, else whether the lexical form is ill-typed
    lit._ill_typed = None if datatype is None else False
    return lit


def _rdflib_term(term: str) -> Node:
    """An N-Triples term as this module writes it (``<iri>``, or a literal by :func:`_lit`)
    as an rdflib term, as :func:`sotegraph.terms.to_rdflib` makes it of Oxigraph's.

    The common literals (strings, language-tagged strings, and integers, decimals and dates
    in normal form) are made directly, equal in every slot to what rdflib's ``Literal`` makes
    of them (about 4 times faster); any other by ``Literal``.

    >>> from rdflib import Literal, XSD
    >>> for t, lit in [('"a b"', Literal("a b")), ('"x"@fi', Literal("x", lang="fi")),
    ...               ('"12"^^<%s>' % XSD.integer, Literal("12", datatype=XSD.integer)),
    ...               ('"012"^^<%s>' % XSD.integer, Literal("12", datatype=XSD.integer)),
    ...               ('"1.50"^^<%s>' % XSD.decimal, Literal("1.50", datatype=XSD.decimal))]:
    ...     made = _rdflib_term(t)
    ...     assert made == lit and str(made) == str(lit) and made.value == lit.value, t
    ...     assert (made.language, made.datatype, made.ill_typed) == (
    ...         lit.language, lit.datatype, lit.ill_typed), t
    """
    if term[0] == "<":
        return _new_str(URIRef, term[1:-1])
    if term[0] == '"':
        close = term.rindex('"')
        value = _unescape(term[1:close], line=0, echar=True)
        tail = term[close + 1 :]
        if not tail:
            return _literal(value, None, None, value)
        if tail[0] == "@":
            lang = tail[1:]
            if lang in _LANGUAGES:
                return _literal(value, lang, None, value)
            lit = Literal(value, lang=lang)
            if lit.language == lang:
                _LANGUAGES.add(lang)
            return lit
        dtype = tail[3:-1]  # ^^<…>
        if dtype == _XSD_STRING:
            return _literal(value, None, None, value)
        canonical = _CANONICAL.get(dtype)
        if canonical is not None:
            try:
                parsed = canonical(value)
            except (ValueError, ArithmeticError):
                parsed = None
            if parsed is not None:
                datatype = _DATATYPES.get(dtype)
                if datatype is None:
                    datatype = _DATATYPES[dtype] = _new_str(URIRef, dtype)
                return _literal(value, None, datatype, parsed)
        return Literal(value, datatype=_new_str(URIRef, dtype))
    if term.startswith("_:"):
        return BNode(term[2:])
    raise ValueError(f"not an N-Triples term: {term[:80]!r}")


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _lit(value: object, *, lang: str | None = None, dtype: str | None = None) -> str:
    text = str(value).translate(_ESCAPES)
    if lang:
        return f'"{text}"@{lang}'
    if dtype:
        return f'"{text}"^^<{dtype}>'
    return f'"{text}"'


_XSD = str(XSD)
_T = {
    name: f"<{iri}>"
    for name, iri in {
        "type": RDF.type,
        "prefLabel": SKOS.prefLabel,
        "altLabel": SKOS.altLabel,
        "note": SKOS.note,
        "derived": PROV.wasDerivedFrom,
        "source": DCTERMS.source,
        "date": DCTERMS.date,
        "start": SCHEMA.startDate,
        "end": SCHEMA.endDate,
        "name": SCHEMA.name,
        "jobTitle": SCHEMA.jobTitle,
        "member": ORG.member,
        "organization": ORG.organization,
        "role": ORG.role,
        "Membership": ORG.Membership,
    }.items()
}


class _Predicates(dict[str, str]):
    """``sg:`` terms as N-Triples IRIs, computed once (the closed namespace is slow to query)."""

    def __missing__(self, name: str) -> str:
        value = self[name] = f"<{SG[name]}>"
        return value


_P = _Predicates()
_FUND_PREFIX = f"<{SGID}fund/"
_ROLE_NT = {role: f"<{prop}>" for role, prop in ROLE_PROPERTY.items()}


def _date_lit(value: dt.date | int) -> str:
    if isinstance(value, dt.date):
        return _lit(value.isoformat(), dtype=f"{_XSD}date")
    return _lit(f"{int(value):04d}", dtype=f"{_XSD}gYear")


def facts_to_ntriples(
    facts: Facts,
    *,
    include_personal_data: bool = False,
    qualified: bool | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """Return the triples of one document's facts as N-Triples text (:func:`emit_facts`)."""
    return emit_facts(
        facts, include_personal_data=include_personal_data, qualified=qualified, labels=labels
    ).text()


def emit_facts(
    facts: Facts,
    *,
    include_personal_data: bool = False,
    qualified: bool | None = None,
    labels: Mapping[str, str] | None = None,
) -> Emitted:
    """Return the triples of one document's facts (as N-Triples text or rdflib terms).

    Parameters
    ----------
    facts:
        The (resolved) facts of one document, as the privacy gate
        (:func:`sotegraph.privacy.apply_policy`) left them: written as they are.
    include_personal_data:
        Only for facts that have not been through the gate (``facts.policy`` is ``None``):
        the setting to put a copy of them through it with (organisations that are people
        and contact persons; the caller's facts are not changed). Off by default.
    qualified:
        Write a qualified ``org:Membership`` node per participation. By default on, except for
        bulk tables, whose rows carry no sentence or role wording beyond the column name (each
        project keeps its ``sg:sourceLine``).
    labels:
        The preferred Finnish label of projects and organisations over a whole store (IRI →
        label; :meth:`sotegraph.resolve.Resolver.resolve_against`). Each resource gets that
        ``skos:prefLabel`` and the document's own names as ``skos:altLabel`` and, where they
        differ from the label, ``schema:name`` (see
        :func:`sotegraph.resolve.identity.name_statements`). By default a resource is labelled
        by this document alone: a project by its first name, an organisation by its canonical
        name.
    """
    if facts.policy is None:
        facts = _gated_copy(facts, include_personal_data=include_personal_data)
    assert facts.policy is not None
    em = _Emitter()
    add, iri = em.lines.append, em.iri  # add((s, p, o)): no method call per triple
    doc = iri(str(document_iri(facts.document_id)))
    t = _T
    if qualified is None:
        qualified = facts.genre is not Genre.BULK_TABLE

    add((doc, t["type"], _P["Document"]))
    add((doc, t["source"], _lit(facts.source)))
    add((doc, _P["sha256"], _lit(facts.document_id)))
    add((doc, _P["genre"], _lit(facts.genre)))
    personal = facts.policy.personal_data
    add((doc, _P["includesPersonalData"], _lit(str(personal).lower(), dtype=f"{_XSD}boolean")))
    snapshot = {o.observed for p in facts.projects for o in p.observations if o.observed}
    if len(snapshot) == 1:
        add((doc, t["date"], _lit(next(iter(snapshot)).isoformat(), dtype=f"{_XSD}date")))

    orgs: dict[str, str] = {}
    named: dict[str, _Names] = {}  # IRI -> what this document calls it
    for o in facts.organisations:
        ref = iri(str(_org_ref(o)))
        orgs[o.key] = ref
        if ref.startswith(_FUND_PREFIX):
            continue  # a fund named as an organisation (ESR): described by the funds graph
        add((ref, t["type"], _P["Organisation"]))
        names = named.setdefault(ref, _Names(o.canonical_name or o.name))
        names.add(o.name, o.aliases)
        if o.business_id:
            add((ref, _P["businessId"], _lit(o.business_id)))
        if o.org_type:
            add((ref, _P["organisationType"], _lit(o.org_type)))
        if o.postal_town:
            add((ref, _P["postalTown"], _lit(o.postal_town)))
        if o.website:
            add((ref, _P["website"], _lit(o.website, dtype=f"{_XSD}anyURI")))
        add((ref, t["derived"], doc))

    projects: dict[str, str] = {p.key: iri(str(project_ref(p))) for p in facts.projects}
    groups: dict[str, str] = {gr.key: iri(str(_group_ref(gr))) for gr in facts.groups}
    for p in facts.projects:
        _project(em, p, projects, groups, doc)
        names = named.setdefault(projects[p.key], _Names(p.name))
        names.add(p.name, p.aliases)
    _sote_relevance(em, facts, projects)
    for ref, names in named.items():
        label = labels.get(ref[1:-1], names.label) if labels is not None else names.label
        for term, text in name_statements(label, names.names, names.aliases):
            add((ref, _NAME_NT[term], _lit(text, lang="fi")))

    for gr in facts.groups:
        ref = groups[gr.key]
        kind = SG.Consortium if gr.kind is GroupKind.CONSORTIUM else SG.Network
        add((ref, t["type"], f"<{kind}>"))
        add((ref, t["prefLabel"], _lit(gr.name, lang="fi")))
        for alias in gr.aliases:
            if alias != gr.name:
                add((ref, t["altLabel"], _lit(alias, lang="fi")))
        if gr.start is not None:
            add((ref, t["start"], _date_lit(gr.start)))
        if gr.end is not None:
            add((ref, t["end"], _date_lit(gr.end)))
        for member in gr.members:
            if member in projects:
                add((projects[member], _P["memberOf"], ref))
        for funder in gr.funders:
            add((ref, _P["funder"], iri(str(_funder_ref(funder, facts)))))
        add((ref, t["derived"], doc))

    doc8 = facts.document_id[:8]
    counters: dict[str, int] = {}
    participant = _P["participant"]
    for part in facts.participations:
        if part.project not in projects or part.organisation not in orgs:
            continue
        pref, oref = projects[part.project], orgs[part.organisation]
        role = Role.LEAD if part.role is Role.COORDINATOR else part.role
        add((pref, _ROLE_NT[role], oref))
        if role in _PARTICIPANT_ROLES:
            add((pref, participant, oref))
        if not qualified or oref.startswith(_FUND_PREFIX):
            continue  # funds are not org:Membership members; the direct sg:funder edge stays
        key = f"{pref[1:-1].rsplit('/', 1)[-1]}-{doc8}"
        counters[key] = counters.get(key, 0) + 1
        node = iri(str(participation_iri(key, counters[key])))
        add((node, t["type"], t["Membership"]))
        add((node, t["member"], oref))
        add((node, t["organization"], pref))
        add((node, t["role"], iri(str(role_iri(part.role)))))
        if part.role_text:
            add((node, t["note"], _lit(part.role_text, lang="fi")))
        if part.span is not None:
            if part.span.line is not None:
                add((node, _P["sourceLine"], _lit(part.span.line, dtype=f"{_XSD}integer")))
            add((node, _P["charStart"], _lit(part.span.start, dtype=f"{_XSD}integer")))
            add((node, _P["charEnd"], _lit(part.span.end, dtype=f"{_XSD}integer")))
        if part.sentence:
            add((node, _P["sentence"], _lit(part.sentence, lang="fi")))
        add((node, t["derived"], doc))

    if facts.persons:  # left by the gate only when personal data was asked for
        for i, person in enumerate(facts.persons, start=1):
            node = iri(str(SGID[f"person/{doc8}-{i}"]))
            add((node, t["type"], _P["Person"]))
            if person.name:
                add((node, t["name"], _lit(person.name)))
            if person.email:
                add((node, _P["email"], _lit(person.email)))
            if person.phone:
                add((node, _P["telephone"], _lit(person.phone)))
            if person.position:
                add((node, t["jobTitle"], _lit(person.position, lang="fi")))
            if person.project and person.project in projects:
                add((projects[person.project], _P["contactPerson"], node))
            add((node, t["derived"], doc))
    return em.emitted()


def facts_to_graph(facts: Facts, *, include_personal_data: bool = False) -> Graph:
    """Return the triples of one document's facts as an rdflib graph.

    Parameters
    ----------
    facts:
        The (resolved) facts of one document, as the privacy gate left them.
    include_personal_data:
        Only for facts that have not been through the gate (see :func:`facts_to_ntriples`).

    Returns
    -------
    rdflib.Graph
        A graph whose identifier is the document's named-graph IRI.
    """
    data = facts_to_ntriples(facts, include_personal_data=include_personal_data)
    return bind_prefixes(ntriples_to_graph(data, identifier=document_iri(facts.document_id)))


def _gated_copy(facts: Facts, *, include_personal_data: bool) -> Facts:
    """A copy of facts that skipped the privacy gate, put through it (the caller's stay).

    As :func:`facts_to_graph` always did for such callers, the copy gets the organisation and
    person part of the policy; redacting the texts is the build's, which gates every document
    before resolution.
    """
    from sotegraph.privacy import apply_policy

    copy = replace(
        facts,
        organisations=[replace(o) for o in facts.organisations],
        persons=list(facts.persons),
    )
    apply_policy(copy, include_personal_data=include_personal_data, redact_text=False)
    return copy


def _funder_ref(funder: str, facts: Facts) -> URIRef:
    for o in facts.organisations:
        if o.key == funder:
            return _org_ref(o)
    if funder.upper() in FUND_NAMES:
        return fund_iri(funder)
    return organisation_iri(name=funder)


def _fields(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    """``(sg: term as N-Triples, ProjectFact attribute)`` pairs."""
    return [(_P[name], attr) for name, attr in pairs]


_TEXT_FIELDS = _fields(
    ("programme", "programme"),
    ("priorityAxis", "priority_axis"),
    ("specificObjective", "specific_objective"),
    ("status", "status"),
    ("summary", "summary"),
    ("targetGroups", "target_groups"),
    ("finalReportSummary", "final_report_summary"),
)
_MONEY_FIELDS = _fields(
    ("grantedEUStateFunding", "granted_eu_state"),
    ("realisedEUStateFunding", "realised_eu_state"),
    ("plannedPublicFunding", "planned_public"),
    ("realisedPublicFunding", "realised_public"),
)
_COUNT_FIELDS = _fields(
    ("plannedCompanies", "companies_planned"),
    ("actualCompanies", "companies_actual"),
    ("plannedPersons", "persons_planned"),
    ("actualPersons", "persons_actual"),
)


_RELEVANCE_ORDER = (Relevance.SOTE, Relevance.BORDERLINE, Relevance.NOT)


def _sote_relevance(em: _Emitter, facts: Facts, projects: dict[str, str]) -> None:
    """One ``sg:soteRelevance`` per project: the field's value (decided here by
    :func:`sotegraph.reference.relevance.classify_project` where it is not yet), the
    strongest one where several facts of the document name one project."""
    undecided = any(p.sote_relevance is None for p in facts.projects)
    index = implementers_by_project(facts) if undecided else {}
    best: dict[str, int] = {}
    for p in facts.projects:
        value = p.sote_relevance or classify_project(facts, p, implementers=index)
        rank = _RELEVANCE_ORDER.index(Relevance(value))
        ref = projects[p.key]
        best[ref] = min(rank, best.get(ref, rank))
    for ref, rank in best.items():
        em.add(ref, _P["soteRelevance"], f"<{RELEVANCE_IRI[_RELEVANCE_ORDER[rank]]}>")


def _project(
    em: _Emitter,
    p: ProjectFact,
    projects: dict[str, str],
    groups: dict[str, str],
    doc: str,
) -> None:
    add, iri, t = em.lines.append, em.iri, _T
    ref = projects[p.key]
    add((ref, t["type"], _P["Project"]))
    if p.code:
        add((ref, _P["projectCode"], _lit(p.code)))
    if p.fund:
        add((ref, _P["funder"], _fund_nt(p.fund)))
    if p.programme_period:
        add((ref, _P["programmePeriod"], _period_nt(p.programme_period)))
    for prop, attr in _TEXT_FIELDS:
        value = getattr(p, attr)
        if value:
            add((ref, prop, _lit(value, lang="fi")))
    if p.start is not None:
        add((ref, t["start"], _date_lit(p.start)))
    if p.end is not None:
        add((ref, t["end"], _date_lit(p.end)))
    for prop, attr in _MONEY_FIELDS:
        amount = getattr(p, attr)
        if amount is not None:
            add((ref, prop, f'"{amount}"^^<{_XSD}decimal>'))
    if p.joint_project is not None:
        add((ref, _P["jointProject"], _lit(str(p.joint_project).lower(), dtype=f"{_XSD}boolean")))
    for prop, attr in _COUNT_FIELDS:
        n = getattr(p, attr)
        if n is not None:
            add((ref, prop, f'"{int(n)}"^^<{_XSD}integer>'))
    if p.website:
        add((ref, _P["website"], _lit(p.website, dtype=f"{_XSD}anyURI")))
    placed = False
    for place in p.places:
        if place.iri:
            add((ref, _P["targetArea"], iri(place.iri)))
            placed = True
        else:
            add((ref, _P["unresolvedArea"], _lit(place.text, lang="fi")))
    year = _classification_year(p)
    if p.inferred_places:
        _inferred_places(em, ref, p)
        if not placed:
            # the classification the inferred areas were taken in (the start year, kept
            # within the shipped classification years)
            year = next((q.year for q in p.inferred_places if q.year is not None), year)
        placed = True
    if placed and year is not None:
        add((ref, _P["classificationYear"], _lit(year, dtype=f"{_XSD}integer")))
    for theme in p.themes:
        concept = iri(theme.iri or str(theme_iri(theme.label)))
        add((ref, _P["theme"], concept))
        if theme.evidence:
            # the word that gave the theme (sg:ThemeMatch), one node per project, theme, document
            key = f"{ref[1:-1].rsplit('/', 1)[-1]}-{doc[1:-1].rsplit('/', 1)[-1][:8]}"
            node = iri(f"{SGID}theme-match/{key}-{concept[1:-1].rsplit('/', 1)[-1]}")
            add((ref, _P["themeMatch"], node))
            add((node, t["type"], _P["ThemeMatch"]))
            add((node, _P["matchedTheme"], concept))
            add((node, _P["matchedText"], _lit(theme.evidence, lang="fi")))
            add((node, t["derived"], doc))
    for key in p.gathers:
        if key in projects:
            add((ref, _P["gathers"], projects[key]))
    for key in p.sister_projects:
        if key in projects:
            add((ref, _P["sisterProject"], projects[key]))
            add((projects[key], _P["sisterProject"], ref))
    for key in p.member_of:
        if key in groups:
            add((ref, _P["memberOf"], groups[key]))
    if p.source_line is not None:
        add((ref, _P["sourceLine"], _lit(p.source_line, dtype=f"{_XSD}integer")))
    add((ref, t["derived"], doc))


@lru_cache(maxsize=1024)
def _fund_nt(code: str) -> str:
    """``<`` :func:`~sotegraph.namespaces.fund_iri` ``>``, once per code (few codes, every
    project has one)."""
    return f"<{fund_iri(code)}>"


@lru_cache(maxsize=1024)
def _period_nt(label: str) -> str:
    """``<`` :func:`~sotegraph.namespaces.period_iri` ``>``, once per label."""
    return f"<{period_iri(label)}>"


def _inferred_places(em: _Emitter, ref: str, p: ProjectFact) -> None:
    """One ``sg:inferredArea`` node per inferred area (``<project>/area/<kind>/<code>``), with
    the area and every basis it was inferred from; never an ``sg:targetArea``."""
    add = em.lines.append
    for place in p.inferred_places:
        node = f"{ref[:-1]}/area/{place.kind}/{place.code}>"
        add((ref, _P["inferredArea"], node))
        add((node, _T["type"], _P["InferredArea"]))
        add((node, _P["area"], em.iri(place.iri)))
        add((node, _P["areaBasis"], em.iri(BASIS_IRI[AreaBasis(place.basis)])))


def _classification_year(p: ProjectFact) -> int | None:
    start = p.start
    if isinstance(start, dt.date):
        return start.year
    if isinstance(start, int):
        return start
    return None


def ntriples_to_graph(data: str, *, identifier: URIRef | None = None) -> Graph:
    """Parse N-Triples into an rdflib graph quickly (Oxigraph's parser, terms converted once).

    Lines of any length (:func:`parse_ntriples`).

    Raises
    ------
    SyntaxError
        If ``data`` is not valid N-Triples.
    """
    from sotegraph.terms import rdflib_converter

    graph = Graph(identifier=identifier)
    if not data:
        return graph
    conv = rdflib_converter()
    graph.addN(
        (conv(t.subject), conv(t.predicate), conv(t.object), graph) for t in parse_ntriples(data)
    )
    return graph


LONG_LINE = 1 << 20
"""Lines longer than this (characters) are parsed by :func:`parse_ntriples` itself.

Oxigraph's N-Triples parser refuses a token over 16 MiB of UTF-8 (``MemoryError: Reached the
buffer maximal size``); a line of up to 2**20 characters holds at most 4 MiB.
"""


def parse_ntriples(data: str) -> Iterator[ox.Quad]:
    """The triples of N-Triples text, however long a line is, as :func:`pyoxigraph.parse` gives
    them (quads in the default graph).

    Text without a line longer than :data:`LONG_LINE` characters goes through Oxigraph's
    parser at once; otherwise the stretches between the long lines do, and each long line
    (e.g. a literal holding the whole text of a 50 MB document) goes through a strict parser
    of one N-Triples line here, which builds the Oxigraph terms directly. Blank node labels
    keep their names, so a blank node is the same across the stretches.

    Raises
    ------
    SyntaxError
        If ``data`` is not valid N-Triples (for a long line: with its line number).

    Examples
    --------
    >>> big = "x" * (LONG_LINE + 1)
    >>> data = f'<https://e.org/s> <https://e.org/p> "{big}" .\\n_:b <https://e.org/p> "y"@fi .\\n'
    >>> [(t.subject.value, len(t.object.value)) for t in parse_ntriples(data)]
    [('https://e.org/s', 1048577), ('b', 1)]
    """
    import pyoxigraph as ox

    spans = long_lines(data)
    if not spans:
        yield from ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        return
    pos = 0
    for start, end in spans:
        if start > pos:
            yield from ox.parse(data[pos:start], format=ox.RdfFormat.N_TRIPLES)
        triple = _parse_line(data, start, end, line=data.count("\n", 0, start) + 1)
        if triple is not None:
            yield triple
        pos = end
    if pos < len(data):
        yield from ox.parse(data[pos:], format=ox.RdfFormat.N_TRIPLES)


def long_lines(data: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line longer than :data:`LONG_LINE` characters (end after its
    line break); empty for most text, and found by one ``find`` per :data:`LONG_LINE` characters.

    Examples
    --------
    >>> long_lines("a\\n" + "b" * (LONG_LINE + 1) + "\\nc\\n")
    [(2, 1048580)]
    """
    spans: list[tuple[int, int]] = []
    n = len(data)
    pos = 0
    while n - pos > LONG_LINE:
        # a line inside [pos, cut) is short: only the line that crosses ``cut`` can be long
        cut = pos + LONG_LINE
        start = data.rfind("\n", pos, cut) + 1 or pos
        nl = data.find("\n", cut)
        end = n if nl < 0 else nl + 1
        if (n if nl < 0 else nl) - start > LONG_LINE:
            spans.append((start, end))
        pos = end
    return spans


_IRI_CHARS = r'[^\x00-\x20<>"{}|^`\\]*'
_IRI = rf"<({_IRI_CHARS}(?:\\(?:u[0-9A-Fa-f]{{4}}|U[0-9A-Fa-f]{{8}}){_IRI_CHARS})*)>"
# BLANK_NODE_LABEL of the N-Triples grammar (PN_CHARS_BASE, PN_CHARS_U, PN_CHARS)
_PN_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN = f"{_PN_BASE}_:\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_BNODE = f"_:([{_PN_BASE}_:0-9](?:[{_PN}.]*[{_PN}])?)"
_END = r"[ \t]*\.[ \t]*(?:#[^\n\r]*)?[\r\n]*"
_BLANK = re.compile(r"[ \t]*(?:#[^\n\r]*)?[\r\n]*")
_HEAD = re.compile(rf"[ \t]*(?:{_IRI}|{_BNODE})[ \t]*{_IRI}[ \t]*")
_NODE_OBJECT = re.compile(rf"(?:{_IRI}|{_BNODE}){_END}")
_LITERAL_TAIL = re.compile(rf'"(?:@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)|\^\^{_IRI})?{_END}')
_UCHAR = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.?)", re.DOTALL)
_ECHAR = (
    ("\\n", "\n"),
    ("\\r", "\r"),
    ("\\t", "\t"),
    ('\\"', '"'),
    ("\\'", "'"),
    ("\\b", "\b"),
    ("\\f", "\f"),
)


def _unescape(text: str, *, line: int, echar: bool) -> str:
    """Resolve ``\\uXXXX``, ``\\UXXXXXXXX`` and (in strings) ``\\n`` and the like.

    By ``str.replace`` on the pieces between escaped backslashes (a regular expression's
    substitution would hold a piece per escape: hundreds of MB for a 50 MB text).
    """
    if "\\" not in text:
        return text

    def uchar(m: re.Match[str]) -> str:
        code = m.group(1)
        if len(code) < 5:
            raise SyntaxError(f"N-Triples line {line}: invalid escape \\{code}")
        value = int(code[1:], 16)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise SyntaxError(f"N-Triples line {line}: no such character \\{code}")
        return chr(value)

    pieces = text.split("\\\\") if echar else [text]
    for k, piece in enumerate(pieces):
        if echar:
            for escaped, char in _ECHAR:
                if escaped in piece:
                    piece = piece.replace(escaped, char)
        if "\\" in piece:
            piece = _UCHAR.sub(uchar, piece)
        pieces[k] = piece
    return "\\".join(pieces)


def _parse_line(text: str, start: int, end: int, *, line: int) -> ox.Quad | None:
    """The N-Triples line ``text[start:end]`` (a triple, or a comment: ``None``), strictly.

    The subject and predicate by a regular expression; a literal object by finding its
    closing quote with ``str.find`` (a regular expression over a 50 MB string would keep
    a backtracking record per escape).

    Raises
    ------
    SyntaxError
        If the line is not one N-Triples statement (terms are checked by Oxigraph).
    """
    import pyoxigraph as ox

    if _BLANK.fullmatch(text, start, end):
        return None
    head = _HEAD.match(text, start, end)
    if head is None:
        raise SyntaxError(f"N-Triples line {line}: no subject and predicate at its start")
    s_iri, s_bnode, p_iri = head.groups()
    at = head.end()
    try:
        subject: ox.NamedNode | ox.BlankNode = (
            ox.NamedNode(_unescape(s_iri, line=line, echar=False))
            if s_iri is not None
            else ox.BlankNode(s_bnode)
        )
        predicate = ox.NamedNode(_unescape(p_iri, line=line, echar=False))
        obj: ox.NamedNode | ox.BlankNode | ox.Literal
        if text.startswith('"', at):
            close = _closing_quote(text, at, end, line=line)
            tail = _LITERAL_TAIL.fullmatch(text, close, end)
            if tail is None:
                raise SyntaxError(f"N-Triples line {line}: no ' .' after the literal")
            lang, dtype = tail.groups()
            value = _unescape(text[at + 1 : close], line=line, echar=True)
            if lang is not None:
                obj = ox.Literal(value, language=lang)
            elif dtype is not None:
                datatype = ox.NamedNode(_unescape(dtype, line=line, echar=False))
                obj = ox.Literal(value, datatype=datatype)
            else:
                obj = ox.Literal(value)
        else:
            node = _NODE_OBJECT.fullmatch(text, at, end)
            if node is None:
                raise SyntaxError(f"N-Triples line {line}: no object and ' .' after the predicate")
            o_iri, o_bnode = node.groups()
            obj = (
                ox.NamedNode(_unescape(o_iri, line=line, echar=False))
                if o_iri is not None
                else ox.BlankNode(o_bnode)
            )
    except ValueError as exc:
        raise SyntaxError(f"N-Triples line {line}: {exc}") from exc
    return ox.Quad(subject, predicate, obj)


def _closing_quote(text: str, opening: int, end: int, *, line: int) -> int:
    """Index of the quote that closes the string opened at ``opening`` (not escaped)."""
    i = opening + 1
    while True:
        j = text.find('"', i, end)
        if j < 0:
            raise SyntaxError(f"N-Triples line {line}: a string without its closing quote")
        k = j
        while text[k - 1] == "\\":
            k -= 1
        if (j - k) % 2 == 0:  # an even run of backslashes escapes itself, not the quote
            break
        i = j + 1
    for c in "\n\r":
        if text.find(c, opening, j) >= 0:
            raise SyntaxError(f"N-Triples line {line}: a line break inside a string")
    return j

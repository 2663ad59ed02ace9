"""Facts → RDF: the triples of one document, for its named graph ``sgid:document/<sha256>``.

Follows the data contract in DESIGN.md. Direct edges (``sg:lead`` …) are always written,
with ``sg:participant`` materialised, and each participation also gets a qualified
``org:Membership`` node carrying the role as written, the line and the sentence.

Personal data (contact persons, e-mail addresses, phone numbers) is written only when
``include_personal_data=True``; the document node then says so (``sg:includesPersonalData``).

Examples
--------
>>> from sotegraph.documents import Document
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
from decimal import Decimal

from rdflib import BNode, Graph, Literal
from rdflib.term import URIRef

from sotegraph.facts import (
    Facts,
    GroupFact,
    GroupKind,
    OrganisationFact,
    ProjectFact,
    Role,
)
from sotegraph.namespaces import (
    DCTERMS,
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

__all__ = [
    "GRAPH_NAMES",
    "ROLE_PROPERTY",
    "facts_to_graph",
    "funds_graph",
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

GRAPH_NAMES = {
    "regions": SGID["graph/regions"],
    "themes": SGID["graph/themes"],
    "organisations": SGID["graph/organisations"],
    "funds": SGID["graph/funds"],
    "manifest": SGID["graph/manifest"],
}

_FUND_NAMES = {"ESR": "Euroopan sosiaalirahasto", "EAKR": "Euroopan aluekehitysrahasto"}


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


def _date(value: dt.date | int) -> Literal:
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    return Literal(f"{int(value):04d}", datatype=XSD.gYear)


def _dec(value: Decimal) -> Literal:
    return Literal(value, datatype=XSD.decimal)


def facts_to_graph(facts: Facts, *, include_personal_data: bool = False) -> Graph:
    """Return the triples of one document's facts.

    Parameters
    ----------
    facts:
        The (resolved) facts of one document.
    include_personal_data:
        Write contact persons, e-mail addresses and phone numbers (off by default).

    Returns
    -------
    rdflib.Graph
        A graph whose identifier is the document's named-graph IRI.
    """
    doc = document_iri(facts.document_id)
    g = bind_prefixes(Graph(identifier=doc))
    add = g.add

    add((doc, RDF.type, SG.Document))
    add((doc, DCTERMS.source, Literal(facts.source)))
    add((doc, SG.sha256, Literal(facts.document_id)))
    add((doc, SG.genre, Literal(facts.genre)))
    add((doc, SG.includesPersonalData, Literal(bool(include_personal_data and facts.persons))))

    orgs: dict[str, URIRef] = {}
    for o in facts.organisations:
        ref = _org_ref(o)
        orgs[o.key] = ref
        add((ref, RDF.type, SG.Organisation))
        label = o.canonical_name or o.name
        add((ref, SKOS.prefLabel, Literal(label, lang="fi")))
        if o.name != label:
            add((ref, SKOS.altLabel, Literal(o.name, lang="fi")))
        for alias in o.aliases:
            if alias != label:
                add((ref, SKOS.altLabel, Literal(alias, lang="fi")))
        if o.business_id:
            add((ref, SG.businessId, Literal(o.business_id)))
        if o.org_type:
            add((ref, SG.organisationType, Literal(o.org_type)))
        if o.postal_town:
            add((ref, SG.postalTown, Literal(o.postal_town)))
        if o.website:
            add((ref, SG.website, Literal(o.website, datatype=XSD.anyURI)))
        add((ref, PROV.wasDerivedFrom, doc))

    projects: dict[str, URIRef] = {p.key: project_ref(p) for p in facts.projects}
    groups: dict[str, URIRef] = {gr.key: _group_ref(gr) for gr in facts.groups}

    for p in facts.projects:
        _project(g, p, projects, groups, doc)

    for gr in facts.groups:
        ref = groups[gr.key]
        add((ref, RDF.type, SG.Consortium if gr.kind is GroupKind.CONSORTIUM else SG.Network))
        add((ref, SKOS.prefLabel, Literal(gr.name, lang="fi")))
        for alias in gr.aliases:
            if alias != gr.name:
                add((ref, SKOS.altLabel, Literal(alias, lang="fi")))
        if gr.start is not None:
            add((ref, SCHEMA.startDate, _date(gr.start)))
        if gr.end is not None:
            add((ref, SCHEMA.endDate, _date(gr.end)))
        for member in gr.members:
            if member in projects:
                add((projects[member], SG.memberOf, ref))
        for funder in gr.funders:
            add((ref, SG.funder, _funder_ref(funder, orgs)))
        add((ref, PROV.wasDerivedFrom, doc))

    doc8 = facts.document_id[:8]
    counters: dict[str, int] = {}
    for part in facts.participations:
        if part.project not in projects or part.organisation not in orgs:
            continue
        pref, oref = projects[part.project], orgs[part.organisation]
        if part.role is Role.COORDINATOR:
            add((pref, SG.lead, oref))
            add((pref, SG.participant, oref))
        else:
            add((pref, ROLE_PROPERTY[part.role], oref))
            if part.role in _PARTICIPANT_ROLES:
                add((pref, SG.participant, oref))
        key = f"{pref.rsplit('/', 1)[-1]}-{doc8}"
        counters[key] = counters.get(key, 0) + 1
        node = participation_iri(key, counters[key])
        add((node, RDF.type, ORG.Membership))
        add((node, ORG.member, oref))
        add((node, ORG.organization, pref))
        add((node, ORG.role, role_iri(part.role)))
        if part.role_text:
            add((node, SKOS.note, Literal(part.role_text, lang="fi")))
        if part.span is not None:
            if part.span.line is not None:
                add((node, SG.sourceLine, Literal(part.span.line)))
            add((node, SG.charStart, Literal(part.span.start)))
            add((node, SG.charEnd, Literal(part.span.end)))
        if part.sentence:
            add((node, SG.sentence, Literal(part.sentence, lang="fi")))
        add((node, PROV.wasDerivedFrom, doc))

    if include_personal_data:
        for i, person in enumerate(facts.persons, start=1):
            node = SGID[f"person/{doc8}-{i}"]
            add((node, RDF.type, SG.Person))
            if person.name:
                add((node, SCHEMA.name, Literal(person.name)))
            if person.email:
                add((node, SG.email, Literal(person.email)))
            if person.phone:
                add((node, SG.telephone, Literal(person.phone)))
            if person.position:
                add((node, SCHEMA.jobTitle, Literal(person.position, lang="fi")))
            if person.project and person.project in projects:
                add((projects[person.project], SG.contactPerson, node))
            add((node, PROV.wasDerivedFrom, doc))
    return g


def _funder_ref(funder: str, orgs: dict[str, URIRef]) -> URIRef:
    if funder in orgs:
        return orgs[funder]
    if funder.upper() in _FUND_NAMES:
        return fund_iri(funder)
    return organisation_iri(name=funder)


def _project(
    g: Graph,
    p: ProjectFact,
    projects: dict[str, URIRef],
    groups: dict[str, URIRef],
    doc: URIRef,
) -> None:
    add = g.add
    ref = projects[p.key]
    add((ref, RDF.type, SG.Project))
    if p.name:
        add((ref, SKOS.prefLabel, Literal(p.name, lang="fi")))
    for alias in p.aliases:
        if alias != p.name:
            add((ref, SKOS.altLabel, Literal(alias, lang="fi")))
    if p.code:
        add((ref, SG.projectCode, Literal(p.code)))
    if p.fund:
        add((ref, SG.funder, fund_iri(p.fund)))
    if p.programme_period:
        add((ref, SG.programmePeriod, period_iri(p.programme_period)))
    if p.programme:
        add((ref, SG.programme, Literal(p.programme, lang="fi")))
    simple: list[tuple[URIRef, object]] = [
        (SG.priorityAxis, p.priority_axis),
        (SG.specificObjective, p.specific_objective),
        (SG.status, p.status),
    ]
    for prop, value in simple:
        if value:
            add((ref, prop, Literal(value, lang="fi")))
    if p.start is not None:
        add((ref, SCHEMA.startDate, _date(p.start)))
    if p.end is not None:
        add((ref, SCHEMA.endDate, _date(p.end)))
    money = [
        (SG.grantedEUStateFunding, p.granted_eu_state),
        (SG.realisedEUStateFunding, p.realised_eu_state),
        (SG.plannedPublicFunding, p.planned_public),
        (SG.realisedPublicFunding, p.realised_public),
    ]
    for prop, amount in money:
        if amount is not None:
            add((ref, prop, _dec(amount)))
    if p.joint_project is not None:
        add((ref, SG.jointProject, Literal(p.joint_project)))
    counts = [
        (SG.plannedCompanies, p.companies_planned),
        (SG.actualCompanies, p.companies_actual),
        (SG.plannedPersons, p.persons_planned),
        (SG.actualPersons, p.persons_actual),
    ]
    for prop, n in counts:
        if n is not None:
            add((ref, prop, Literal(n, datatype=XSD.integer)))
    texts = [
        (SG.summary, p.summary),
        (SG.targetGroups, p.target_groups),
        (SG.finalReportSummary, p.final_report_summary),
    ]
    for prop, text in texts:
        if text:
            add((ref, prop, Literal(text, lang="fi")))
    if p.website:
        add((ref, SG.website, Literal(p.website, datatype=XSD.anyURI)))
    year = _classification_year(p)
    placed = False
    for place in p.places:
        if place.iri:
            add((ref, SG.targetArea, URIRef(place.iri)))
            placed = True
        else:
            add((ref, SG.unresolvedArea, Literal(place.text, lang="fi")))
    if placed and year is not None:
        add((ref, SG.classificationYear, Literal(year, datatype=XSD.integer)))
    seen_themes: set[str] = set()
    for theme in p.themes:
        iri = theme.iri or str(theme_iri(theme.label))
        if iri not in seen_themes:
            seen_themes.add(iri)
            add((ref, SG.theme, URIRef(iri)))
    for key in p.gathers:
        if key in projects:
            add((ref, SG.gathers, projects[key]))
    for key in p.sister_projects:
        if key in projects:
            add((ref, SG.sisterProject, projects[key]))
            add((projects[key], SG.sisterProject, ref))
    for key in p.member_of:
        if key in groups:
            add((ref, SG.memberOf, groups[key]))
    for obs in p.observations:
        node = BNode()
        add((ref, SG.observation, node))
        add((node, RDF.type, SG.Observation))
        add((node, SG.observedField, Literal(obs.field)))
        add((node, SG.observedValue, Literal(obs.value)))
        if obs.observed is not None:
            add((node, DCTERMS.date, Literal(obs.observed.isoformat(), datatype=XSD.date)))
    if p.source_line is not None:
        add((ref, SG.sourceLine, Literal(p.source_line)))
    add((ref, PROV.wasDerivedFrom, doc))


def _classification_year(p: ProjectFact) -> int | None:
    start = p.start
    if isinstance(start, dt.date):
        return start.year
    if isinstance(start, int):
        return start
    return None


def funds_graph() -> Graph:
    """The reference graph of funds (``sgid:fund/ESR``, ``sgid:fund/EAKR``) and periods."""
    g = bind_prefixes(Graph(identifier=GRAPH_NAMES["funds"]))
    for code, name in _FUND_NAMES.items():
        ref = fund_iri(code)
        g.add((ref, RDF.type, SG.Fund))
        g.add((ref, SKOS.prefLabel, Literal(name, lang="fi")))
        g.add((ref, SKOS.notation, Literal(code)))
    for label, (start, end) in {"2007-2013": (2007, 2013), "2014-2020": (2014, 2020)}.items():
        ref = period_iri(label)
        g.add((ref, RDF.type, SG.ProgrammePeriod))
        g.add((ref, SKOS.prefLabel, Literal(f"Ohjelmakausi {label}", lang="fi")))
        g.add((ref, SKOS.prefLabel, Literal(f"Programme period {label}", lang="en")))
        g.add((ref, SCHEMA.startDate, Literal(f"{start:04d}", datatype=XSD.gYear)))
        g.add((ref, SCHEMA.endDate, Literal(f"{end:04d}", datatype=XSD.gYear)))
    return g

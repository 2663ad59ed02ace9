"""Terms of the sotegraph ontology (``sg:``) as a closed rdflib namespace.

GENERATED from ``ontology/sotegraph.ttl`` by ``scripts/generate_vocab.py``; do not edit.
A misspelt term fails at once:

>>> from sotegraph.vocab import SG
>>> SG.Project
rdflib.term.URIRef('https://w3id.org/sotegraph/ontology#Project')
>>> SG.Projcet
Traceback (most recent call last):
...
AttributeError: term 'Projcet' not in namespace 'https://w3id.org/sotegraph/ontology#'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class SG(DefinedNamespace):
    """The sotegraph ontology namespace."""

    _NS = Namespace("https://w3id.org/sotegraph/ontology#")
    _fail = True

    # classes
    Project: URIRef
    Organisation: URIRef
    Consortium: URIRef
    Network: URIRef
    Municipality: URIRef
    SubRegion: URIRef
    Region: URIRef
    WellbeingCounty: URIRef
    Theme: URIRef
    Fund: URIRef
    Person: URIRef
    Document: URIRef
    ProgrammePeriod: URIRef
    AreaMention: URIRef
    Observation: URIRef
    Mention: URIRef

    # object properties
    lead: URIRef
    partner: URIRef
    collaborator: URIRef
    participant: URIRef
    funder: URIRef
    authority: URIRef
    memberOf: URIRef
    gathers: URIRef
    sisterProject: URIRef
    targetArea: URIRef
    theme: URIRef
    inSubRegion: URIRef
    inRegion: URIRef
    inWellbeingCounty: URIRef
    programmePeriod: URIRef
    fund: URIRef
    homeMunicipality: URIRef
    unresolvedArea: URIRef
    contactPerson: URIRef
    mentions: URIRef
    observation: URIRef
    programme: URIRef

    # datatype properties
    projectCode: URIRef
    businessId: URIRef
    organisationType: URIRef
    status: URIRef
    priorityAxis: URIRef
    specificObjective: URIRef
    grantedEUStateFunding: URIRef
    realisedEUStateFunding: URIRef
    plannedPublicFunding: URIRef
    realisedPublicFunding: URIRef
    sha256: URIRef
    genre: URIRef
    classificationYear: URIRef
    jointProject: URIRef
    plannedCompanies: URIRef
    actualCompanies: URIRef
    plannedPersons: URIRef
    actualPersons: URIRef
    summary: URIRef
    finalReportSummary: URIRef
    targetGroups: URIRef
    website: URIRef
    postalTown: URIRef
    includesPersonalData: URIRef
    sourceLine: URIRef
    charStart: URIRef
    charEnd: URIRef
    sentence: URIRef
    email: URIRef
    telephone: URIRef
    sotegraphVersion: URIRef
    ingestedAt: URIRef
    observedField: URIRef
    observedValue: URIRef

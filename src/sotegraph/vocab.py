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
    AreaMention: URIRef  # area mention
    Consortium: URIRef  # consortium
    Document: URIRef  # source document
    Fund: URIRef  # fund
    InferredArea: URIRef  # inferred area
    Mention: URIRef  # mention
    Municipality: URIRef  # municipality
    Network: URIRef  # network
    Observation: URIRef  # observation
    Organisation: URIRef  # organisation
    Person: URIRef  # person
    ProgrammePeriod: URIRef  # programme period
    Project: URIRef  # project
    Region: URIRef  # region
    RegionMembership: URIRef  # regional membership
    SubRegion: URIRef  # sub-region
    Theme: URIRef  # theme
    ThemeMatch: URIRef  # theme match
    WellbeingCounty: URIRef  # wellbeing services county

    # object properties
    area: URIRef  # area
    areaBasis: URIRef  # area basis
    authority: URIRef  # managing authority
    collaborator: URIRef  # collaborator
    contactPerson: URIRef  # contact person
    fund: URIRef  # fund
    funder: URIRef  # funder
    gathers: URIRef  # gathers
    homeMunicipality: URIRef  # home municipality
    inferredArea: URIRef  # inferred area
    inRegion: URIRef  # in region
    inSubRegion: URIRef  # in sub-region
    inWellbeingCounty: URIRef  # in wellbeing county
    lead: URIRef  # lead organisation
    matchedTheme: URIRef  # matched theme
    memberOf: URIRef  # member of
    mentions: URIRef  # mentions
    municipality: URIRef  # municipality
    observation: URIRef  # observation
    participant: URIRef  # participant
    partner: URIRef  # partner
    programmePeriod: URIRef  # programme period
    sisterProject: URIRef  # sister project
    soteRelevance: URIRef  # sote relevance
    targetArea: URIRef  # target area
    theme: URIRef  # theme
    themeMatch: URIRef  # theme match

    # datatype properties
    actualCompanies: URIRef  # actual companies
    actualPersons: URIRef  # actual participants
    businessId: URIRef  # business id
    charEnd: URIRef  # end character
    charStart: URIRef  # start character
    classificationYear: URIRef  # classification year
    email: URIRef  # e-mail
    finalReportSummary: URIRef  # final report summary
    genre: URIRef  # genre
    grantedEUStateFunding: URIRef  # granted EU and state funding
    includesPersonalData: URIRef  # includes personal data
    ingestedAt: URIRef  # ingested at
    jointProject: URIRef  # joint project
    matchedText: URIRef  # matched text
    nuts3: URIRef  # NUTS 3 area
    observedField: URIRef  # observed field
    observedValue: URIRef  # observed value
    organisationType: URIRef  # organisation type
    personalDataKept: URIRef  # personal data kept
    plannedCompanies: URIRef  # planned companies
    plannedPersons: URIRef  # planned participants
    plannedPublicFunding: URIRef  # planned public funding
    postalTown: URIRef  # postal town
    priorityAxis: URIRef  # priority axis
    programme: URIRef  # programme
    projectCode: URIRef  # project code
    realisedEUStateFunding: URIRef  # realised EU and state funding
    realisedPublicFunding: URIRef  # realised public funding
    sentence: URIRef  # sentence
    sha256: URIRef  # SHA-256 hash
    sotegraphVersion: URIRef  # sotegraph version
    sourceLine: URIRef  # source line
    specificObjective: URIRef  # specific objective
    status: URIRef  # status
    summary: URIRef  # summary
    targetGroups: URIRef  # target groups
    telephone: URIRef  # telephone
    unresolvedArea: URIRef  # unresolved area
    website: URIRef  # website

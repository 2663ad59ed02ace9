"""Plain dataclasses for extracted facts: the contract between extract, resolve and RDF.

Every fact keeps the character span (into :attr:`Document.text`) it came from. Resolution
fills in the ``iri`` fields; the RDF stage falls back to slug IRIs where it did not.

Examples
--------
>>> from sotegraph.facts import Facts, ProjectFact, OrganisationFact, Participation, Role, Span
>>> p = ProjectFact(key="p1", name="SoteNoste", code="S21259")
>>> o = OrganisationFact(key="o1", name="Kajaanin Ammattikorkeakoulu Oy", business_id="2553600-4")
>>> f = Facts(document_id="abc", source="x.txt", projects=[p], organisations=[o],
...           participations=[Participation(project="p1", organisation="o1", role=Role.LEAD)])
>>> f.project("p1").code
'S21259'
>>> [o.name for o in f.organisations_with_role("p1", Role.LEAD)]
['Kajaanin Ammattikorkeakoulu Oy']
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "AreaLevel",
    "ExtractionWarning",
    "Facts",
    "Genre",
    "GroupFact",
    "GroupKind",
    "InferredPlace",
    "Observation",
    "OrganisationFact",
    "Participation",
    "PersonFact",
    "PlaceMention",
    "PolicyResult",
    "ProjectFact",
    "Role",
    "Severity",
    "Span",
    "ThemeMention",
]


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into the document text, and the 1-based line."""

    start: int
    end: int
    line: int | None = None


class Role(StrEnum):
    """How an organisation takes part in a project (the ``sg:`` property it becomes)."""

    LEAD = "lead"
    PARTNER = "partner"
    COLLABORATOR = "collaborator"
    FUNDER = "funder"
    AUTHORITY = "authority"
    COORDINATOR = "coordinator"


class Genre(StrEnum):
    """The kind of text a document is; decides which extractor reads it."""

    EURA_RECORD = "eura-record"
    BULK_TABLE = "bulk-table"
    ARTICLE = "article"


class Severity(StrEnum):
    """Severity of a warning (mirrors SHACL's)."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"


class AreaLevel(StrEnum):
    """Which level of the regional classification a place mention names, if known."""

    MUNICIPALITY = "municipality"
    SUBREGION = "subregion"
    REGION = "region"
    WELLBEING_COUNTY = "wellbeingcounty"
    UNKNOWN = "unknown"


class GroupKind(StrEnum):
    """A consortium or a network."""

    CONSORTIUM = "consortium"
    NETWORK = "network"


@dataclass(slots=True)
class ExtractionWarning:
    """Something malformed or doubtful found while reading: where, what, what was expected."""

    message: str
    source: str
    line: int | None = None
    expected: str | None = None
    severity: Severity = Severity.WARNING
    field: str | None = None

    def __str__(self) -> str:
        where = self.source + (f":{self.line}" if self.line is not None else "")
        tail = f" (expected {self.expected})" if self.expected else ""
        return f"{where}: {self.message}{tail}"


@dataclass(slots=True)
class OrganisationFact:
    """An organisation as a document names it."""

    key: str
    name: str
    span: Span | None = None
    business_id: str | None = None
    org_type: str | None = None
    postal_town: str | None = None
    website: str | None = None
    aliases: list[str] = field(default_factory=list)
    iri: str | None = None
    canonical_name: str | None = None
    #: ``True`` when the name was a natural person's (a private person or a sole trader) and
    #: was withheld (:func:`sotegraph.privacy.withhold_private_organisations`); ``False``
    #: when checked and kept; ``None`` when not checked.
    private: bool | None = None


@dataclass(slots=True)
class PlaceMention:
    """A place named as a target area (as written, e.g. genitive ``Oulunkaaren``)."""

    text: str
    level: AreaLevel = AreaLevel.UNKNOWN
    span: Span | None = None
    iri: str | None = None
    code: str | None = None
    canonical_name: str | None = None


@dataclass(frozen=True, slots=True)
class InferredPlace:
    """An area inferred for a project, not stated: the unit, the year and the basis.

    ``basis`` is ``"authority"`` (the responsible authority's area) or ``"implementer"``
    (the implementer's seat); see :mod:`sotegraph.reference.areas`.
    """

    iri: str
    kind: str
    code: str
    basis: str
    year: int | None = None


@dataclass(slots=True)
class ThemeMention:
    """A theme assigned to a project, with the words that triggered it and a weight."""

    label: str
    span: Span | None = None
    weight: float = 1.0
    iri: str | None = None
    #: the word(s) of the text that matched, as written (kept as ``sg:matchedText``)
    evidence: str | None = None


@dataclass(slots=True)
class Observation:
    """A dated observation of a value that may drift between sources (end date, status)."""

    field: str
    value: str
    observed: _dt.date | None = None


@dataclass(slots=True)
class ProjectFact:
    """A project and what a document says of it."""

    key: str
    name: str | None = None
    code: str | None = None
    span: Span | None = None
    aliases: list[str] = field(default_factory=list)
    fund: str | None = None
    programme_period: str | None = None
    programme: str | None = None
    priority_axis: str | None = None
    specific_objective: str | None = None
    start: _dt.date | int | None = None
    end: _dt.date | int | None = None
    status: str | None = None
    granted_eu_state: Decimal | None = None
    realised_eu_state: Decimal | None = None
    planned_public: Decimal | None = None
    realised_public: Decimal | None = None
    joint_project: bool | None = None
    summary: str | None = None
    target_groups: str | None = None
    final_report_summary: str | None = None
    website: str | None = None
    companies_planned: int | None = None
    companies_actual: int | None = None
    persons_planned: int | None = None
    persons_actual: int | None = None
    horizontal: dict[str, str] = field(default_factory=dict)
    places: list[PlaceMention] = field(default_factory=list)
    #: areas inferred from the authority and the implementer, never stated
    inferred_places: list[InferredPlace] = field(default_factory=list)
    themes: list[ThemeMention] = field(default_factory=list)
    gathers: list[str] = field(default_factory=list)
    sister_projects: list[str] = field(default_factory=list)
    member_of: list[str] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    source_line: int | None = None
    iri: str | None = None
    #: ``"sote"``, ``"borderline"`` or ``"not"`` (:mod:`sotegraph.reference.relevance`);
    #: ``None`` until decided.
    sote_relevance: str | None = None


@dataclass(slots=True)
class GroupFact:
    """A consortium or network; ``members`` are project keys."""

    key: str
    name: str
    kind: GroupKind = GroupKind.CONSORTIUM
    span: Span | None = None
    aliases: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    start: _dt.date | int | None = None
    end: _dt.date | int | None = None
    iri: str | None = None


@dataclass(slots=True)
class Participation:
    """``organisation`` (an organisation key) takes part in ``project`` (a project key)."""

    project: str
    organisation: str
    role: Role
    span: Span | None = None
    sentence: str | None = None
    role_text: str | None = None


@dataclass(slots=True)
class PersonFact:
    """Personal data found in a document. Kept out of graphs unless explicitly requested."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    position: str | None = None
    organisation: str | None = None
    project: str | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class PolicyResult:
    """What the privacy gate (:func:`sotegraph.privacy.apply_policy`) did to one document's
    facts, and what it found; kept in :attr:`Facts.policy`.

    Attributes
    ----------
    include_personal_data:
        The setting the gate was applied with.
    personal_data:
        Whether the facts still hold personal data: contact persons, or organisations whose
        names are people's. Only ever true when ``include_personal_data`` is; the document's
        graph says it (``sg:includesPersonalData``).
    text_redacted:
        Whether the text fields were redacted (bulk tables' are not).
    withheld:
        Organisations whose names were people's, withheld.
    persons_dropped:
        Contact persons dropped.
    redacted:
        Text values (a summary, a sentence, a name, an alias …) in which something was
        redacted.
    """

    include_personal_data: bool
    personal_data: bool = False
    text_redacted: bool = False
    withheld: int = 0
    persons_dropped: int = 0
    redacted: int = 0


@dataclass(slots=True)
class Facts:
    """Everything extracted from one document."""

    document_id: str
    source: str
    genre: Genre = Genre.ARTICLE
    projects: list[ProjectFact] = field(default_factory=list)
    organisations: list[OrganisationFact] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    groups: list[GroupFact] = field(default_factory=list)
    persons: list[PersonFact] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    unresolved_places: list[PlaceMention] = field(default_factory=list)
    #: What the privacy gate (:func:`sotegraph.privacy.apply_policy`) did to these facts;
    #: ``None`` until it ran. :mod:`sotegraph.rdf` writes gated facts as they are.
    policy: PolicyResult | None = None

    def __post_init__(self) -> None:
        self.genre = Genre(self.genre)  # a plain string value is accepted and checked

    def project(self, key: str) -> ProjectFact:
        """Return the project with ``key``; raise ``KeyError`` if none."""
        for p in self.projects:
            if p.key == key:
                return p
        raise KeyError(key)

    def organisation(self, key: str) -> OrganisationFact:
        """Return the organisation with ``key``; raise ``KeyError`` if none."""
        for o in self.organisations:
            if o.key == key:
                return o
        raise KeyError(key)

    def organisations_with_role(self, project: str, role: Role) -> list[OrganisationFact]:
        """Return the organisations taking part in ``project`` with ``role``."""
        return [
            self.organisation(p.organisation)
            for p in self.participations
            if p.project == project and p.role is role
        ]

    def warn(
        self,
        message: str,
        *,
        line: int | None = None,
        expected: str | None = None,
        severity: Severity = Severity.WARNING,
        field: str | None = None,
    ) -> None:
        """Record an :class:`ExtractionWarning` for this document."""
        self.warnings.append(
            ExtractionWarning(message, self.source, line, expected, severity, field)
        )

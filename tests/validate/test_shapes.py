"""Every shape has a conforming and a non-conforming fixture in tests/data/shapes/.

The conforming fixture must give no result at all; the non-conforming one exactly the
expected result (focus node, path, severity, shape). The Core engine is also checked against
pyshacl (the reference implementation) on the same fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SH

from sotegraph.validate import Severity, ValidationReport, _short, shapes_graph, validate

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "shapes"
V, W, INFO = Severity.VIOLATION, Severity.WARNING, Severity.INFO
P = "sgid:project/S20001"
ORG = "sgid:organisation/2553600-4"

# fixture stem -> (focus, path, severity, shape)
EXPECTED: dict[str, tuple[str, str, Severity, str]] = {
    "project_name": (P, "skos:prefLabel", V, "sgsh:Project-prefLabel"),
    "project_funding": (P, "sg:grantedEUStateFunding", V, "sgsh:Project-grantedEUStateFunding"),
    "project_realised": (
        P,
        "sg:realisedEUStateFunding",
        W,
        "sgsh:Project-realisedEUStateFunding-granted",
    ),
    "project_realised_negative": (
        P,
        "sg:realisedEUStateFunding",
        W,
        "sgsh:Project-realisedEUStateFunding-negative",
    ),
    "project_dates": (P, "schema:startDate", V, "sgsh:Project-dates"),
    "project_year_dates": (P, "schema:startDate", V, "sgsh:Project-dates"),
    "project_target_area": (P, "sg:targetArea", V, "sgsh:Project-targetArea"),
    "project_unresolved_area": (P, "sg:unresolvedArea", INFO, "sgsh:Project-unresolvedArea"),
    "area_containment": (P, "sg:targetArea", W, "sgsh:TargetAreaContainmentShape"),
    "area_year": (P, "sg:targetArea", W, "sgsh:TargetAreaYearShape"),
    "eura_code": (P, "sg:projectCode", V, "sgsh:EuraProjectCodeShape"),
    "eura_lead": (P, "sg:lead", V, "sgsh:EuraProjectLeadShape"),
    "eura_start": (P, "schema:startDate", V, "sgsh:EuraProjectStartShape"),
    "eura_end": (P, "schema:endDate", V, "sgsh:EuraProjectEndShape"),
    "article_lead": (P, "sg:lead", W, "sgsh:ArticleProjectLeadShape"),
    "bulk_lead": (P, "sg:lead", INFO, "sgsh:BulkProjectLeadShape"),
    "one_name": (ORG, "skos:prefLabel", W, "sgsh:OneFinnishName"),
    "business_id": (ORG, "sg:businessId", V, "sgsh:Organisation-businessId"),
    "business_id_check": (ORG, "sg:businessId", V, "sgsh:BusinessIdCheckDigitShape"),
    "organisation_name": (ORG, "skos:prefLabel", V, "sgsh:FinnishName"),
    "provenance": (ORG, "prov:wasDerivedFrom", V, "sgsh:Provenance"),
    "home_municipality": (ORG, "sg:homeMunicipality", V, "sgsh:Organisation-homeMunicipality"),
    "consortium": ("sgid:consortium/koekonsortio", "skos:prefLabel", V, "sgsh:FinnishName"),
    "network": ("sgid:network/koeverkosto", "sg:funder", W, "sgsh:Group-funder"),
    "municipality": ("sgid:municipality/990", "skos:notation", V, "sgsh:Municipality-notation"),
    "subregion": ("sgid:subregion/990", "sg:inRegion", V, "sgsh:Municipality-inRegion"),
    "region": ("sgid:region/99", "skos:notation", V, "sgsh:Notation"),
    "wellbeing_county": ("sgid:wellbeingcounty/99", "skos:notation", V, "sgsh:TwoDigitNotation"),
    "region_membership": (
        "sgid:membership/091-2016",
        "sg:classificationYear",
        V,
        "sgsh:RegionMembership-year",
    ),
    "theme": ("sgid:theme/koeteema", "skos:prefLabel", V, "sgsh:FinnishName"),
    "fund": ("sgid:fund/KOE", "skos:notation", V, "sgsh:Notation"),
    "programme_period": (
        "sgid:period/2021-2027",
        "schema:startDate",
        V,
        "sgsh:ProgrammePeriod-startDate",
    ),
    "document": (
        "sgid:document/aaaa000000000000000000000000000000000000000000000000000000000001",
        "sg:genre",
        V,
        "sgsh:Document-genre",
    ),
    "membership": ("sgid:participation/S20001-aaaa0000-1", "org:role", V, "sgsh:Membership-role"),
    "observation": ("sgid:observation/1", "sg:observedValue", V, "sgsh:Observation-value"),
    "area_mention": ("sgid:mention/1", "prov:wasDerivedFrom", V, "sgsh:Provenance"),
    "mention": ("sgid:mention/2", "prov:wasDerivedFrom", V, "sgsh:Provenance"),
    "inferred_area": (
        "sgid:project/S29001/area/municipality/999",
        "sg:area",
        V,
        "sgsh:InferredArea-area",
    ),
    "theme_match": (
        "sgid:theme-match/S29001-aaaa0000-kotihoito",
        "sg:matchedText",
        V,
        "sgsh:ThemeMatch-matchedText",
    ),
    "personal_data": (
        "sgid:person/aaaa0000-1",
        "prov:wasDerivedFrom/sg:includesPersonalData",
        V,
        "sgsh:PersonalData-requested",
    ),
    "personal_text": (
        P,
        "sg:summary|sg:finalReportSummary|sg:targetGroups|sg:sentence",
        V,
        "sgsh:PersonalDataInTextShape",
    ),
    "personal_email": (
        ORG,
        "prov:wasDerivedFrom/sg:includesPersonalData",
        V,
        "sgsh:PersonalData-requested",
    ),
}

# root shapes (with targets) each covered by at least one fixture above
COVERED_ROOTS = {
    "sgsh:ProjectShape": "project_name",
    "sgsh:ProjectDatesShape": "project_dates",
    "sgsh:EuraProjectCodeShape": "eura_code",
    "sgsh:EuraProjectLeadShape": "eura_lead",
    "sgsh:EuraProjectStartShape": "eura_start",
    "sgsh:EuraProjectEndShape": "eura_end",
    "sgsh:ArticleProjectLeadShape": "article_lead",
    "sgsh:BulkProjectLeadShape": "bulk_lead",
    "sgsh:TargetAreaContainmentShape": "area_containment",
    "sgsh:TargetAreaYearShape": "area_year",
    "sgsh:OrganisationShape": "organisation_name",
    "sgsh:BusinessIdCheckDigitShape": "business_id_check",
    "sgsh:ConsortiumShape": "consortium",
    "sgsh:NetworkShape": "network",
    "sgsh:MunicipalityShape": "municipality",
    "sgsh:SubRegionShape": "subregion",
    "sgsh:RegionShape": "region",
    "sgsh:WellbeingCountyShape": "wellbeing_county",
    "sgsh:RegionMembershipShape": "region_membership",
    "sgsh:ThemeShape": "theme",
    "sgsh:FundShape": "fund",
    "sgsh:ProgrammePeriodShape": "programme_period",
    "sgsh:DocumentShape": "document",
    "sgsh:MembershipShape": "membership",
    "sgsh:ObservationShape": "observation",
    "sgsh:AreaMentionShape": "area_mention",
    "sgsh:MentionShape": "mention",
    "sgsh:ThemeMatchShape": "theme_match",
    "sgsh:InferredAreaShape": "inferred_area",
    "sgsh:PersonalDataShape": "personal_data",
    "sgsh:PersonalDataInTextShape": "personal_text",
}

# pyshacl cannot compare xsd:gYear values (TypeError); rules implemented in Python are the
# same code under both engines
NOT_FOR_PYSHACL = {"project_year_dates"}


def load(stem: str, kind: str) -> Graph | Dataset:
    for suffix in (".ttl", ".trig"):
        path = FIXTURES / f"{stem}.{kind}{suffix}"
        if path.exists():
            if suffix == ".trig":
                ds = Dataset()
                ds.parse(path, format="trig")
                return ds
            return Graph().parse(path, format="turtle")
    raise FileNotFoundError(f"no fixture {stem}.{kind}")


def summary(report: ValidationReport) -> list[tuple[str, str, Severity, str]]:
    return [
        (
            _short(r.focus_node),
            _short(r.path) if r.path is not None else "",
            r.severity,
            _short(r.shape),
        )
        for r in report.results
    ]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_conforming_fixture_has_no_result(stem: str) -> None:
    report = validate(load(stem, "ok"))
    assert summary(report) == []
    assert report.conforms


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_broken_fixture_gives_exactly_the_expected_result(stem: str) -> None:
    report = validate(load(stem, "bad"))
    assert summary(report) == [EXPECTED[stem]]
    assert report.conforms is (EXPECTED[stem][2] is not Severity.VIOLATION)
    result = report.results[0]
    assert result.message_fi
    assert result.message_en
    assert result.message_fi != result.message_en
    # the source file is named (the fixture's dcterms:source is its own file name)
    assert any(d.source and d.source.startswith(stem) for d in result.source_documents)


@pytest.mark.parametrize("stem", sorted(set(EXPECTED) - NOT_FOR_PYSHACL))
def test_core_engine_agrees_with_pyshacl(stem: str) -> None:
    for kind in ("ok", "bad"):
        data = load(stem, kind)
        core = {r.key() for r in validate(data).results}
        reference = {r.key() for r in validate(data, engine="pyshacl").results}
        assert core == reference, (stem, kind)


def test_every_root_shape_has_fixtures() -> None:
    sg = shapes_graph()
    roots = set()
    for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf):
        roots |= {_short(s) for s in sg.subjects(p, None)}
    assert roots == set(COVERED_ROOTS), roots ^ set(COVERED_ROOTS)
    for stem in COVERED_ROOTS.values():
        assert (FIXTURES / f"{stem}.ok.ttl").exists() or (FIXTURES / f"{stem}.ok.trig").exists()


def test_every_class_has_a_node_shape() -> None:
    from sotegraph import resources

    onto = Graph().parse(
        data=resources.ontology_file("sotegraph.ttl").read_text(encoding="utf-8"), format="turtle"
    )
    from rdflib.namespace import OWL

    sg_classes = {
        c
        for c in onto.subjects(RDF.type, OWL.Class)
        if str(c).startswith("https://w3id.org/sotegraph/")
    }
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    assert sg_classes <= targeted, sg_classes - targeted


def test_every_shape_has_severity_and_messages_in_fi_and_en() -> None:
    sg = shapes_graph()
    shapes = set(sg.subjects(SH.severity, None))
    assert len(shapes) > 60
    for s in shapes:
        langs = {m.language for m in sg.objects(s, SH.message)}  # type: ignore[attr-defined]
        assert {"fi", "en"} <= langs, s
    for s in sg.subjects(SH.message, None):
        assert (s, SH.severity, None) in sg, s

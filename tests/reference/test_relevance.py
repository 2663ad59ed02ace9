"""The sote-relevance classifier: its rules on invented projects, and sg:soteRelevance in RDF."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from sotegraph import resources
from sotegraph.facts import Facts, OrganisationFact, Participation, ProjectFact, Role, ThemeMention
from sotegraph.nlp.voikko import voikko_available
from sotegraph.rdf import facts_to_graph
from sotegraph.reference.relevance import (
    RELEVANCE_IRI,
    Relevance,
    assign_relevance,
    classify,
    classify_project,
)
from sotegraph.validate import validate_document
from sotegraph.vocab import SG

SOTE, BORDERLINE, NOT = Relevance.SOTE, Relevance.BORDERLINE, Relevance.NOT


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Sosiaali- ja terveyspalvelujen kehittäminen Esimerkkilässä", SOTE),
        ("Lähihoitajien täydennyskoulutus", SOTE),
        ("Mielenterveyskuntoutujien työelämäpolut", SOTE),
        ("Nuorten syrjäytymisen ehkäisy Esimerkkijoella", SOTE),
        ("Vammaisten henkilöiden työllistymisen tuki", SOTE),
        ("Työhyvinvointia pienyrityksiin", BORDERLINE),
        ("Liikuntaa koko kylälle", BORDERLINE),
        ("Ikäjohtamisen verkosto", BORDERLINE),
        ("Hyvinvointimatkailun tuotteistaminen", NOT),
        ("Perhematkailun kehittäminen Esimerkkitunturissa", NOT),
        ("Tehtaan laajennus ja uusi tuotantolinja", NOT),
        ("Metsäbiotalouden osaamisen kehittäminen", NOT),
    ],
)
def test_title_rules(title: str, expected: Relevance) -> None:
    assert classify(title) is expected


@pytest.mark.skipif(not voikko_available(), reason="needs Voikko (base forms of inflected words)")
def test_inflected_words_match_through_base_forms() -> None:
    # "hoidon" is a form of "hoito": only its base form starts with the stem
    assert classify("Hoidon jatkuvuus Esimerkkilässä") is SOTE
    assert classify("Vanhusten arki", implementers=["Esimerkki Oy"]) is BORDERLINE


def test_implementer_decides_when_the_title_does_not() -> None:
    title = "Toimitilojen laajennus"
    assert classify(title, implementers=["Esimerkin Hoivakoti Oy"]) is SOTE
    assert classify(title, implementers=["Esimerkin sairaanhoitopiirin kuntayhtymä"]) is SOTE
    assert classify(title, implementers=["Esimerkki Oy"]) is NOT
    # a sote organisation's tourism project is still not sote
    assert classify("Kylpylämatkailun kehittäminen", implementers=["Esimerkin Hoiva Oy"]) is NOT


def test_priority_axis_5_of_the_2014_esf() -> None:
    args = {"fund": "ESR", "period": "2014-2020", "priority_axis": "5"}
    assert classify("Polku eteenpäin", **args) is SOTE
    assert classify("Yhteisölähtöistä kaupunkikehittämistä", **args) is BORDERLINE
    assert classify("Polku eteenpäin", fund="ESR", period="2007-2013", priority_axis="5") is NOT
    assert classify("Polku eteenpäin", fund="EAKR", period="2014-2020", priority_axis="5") is NOT


def test_themes_and_summary() -> None:
    assert classify("Uusi suunta", themes=["https://w3id.org/sotegraph/id/theme/kotihoito"]) is SOTE
    assert classify("Uusi suunta", themes=["tyohyvinvointi"]) is BORDERLINE
    summary = "Hanke kehittää päihdetyötä ja mielenterveyspalveluja yhdessä järjestöjen kanssa."
    assert classify("Uusi suunta", summary=summary) is SOTE
    assert classify("Uusi suunta", summary="Hanke kehittää kotihoitoa.") is BORDERLINE
    assert classify("Uusi suunta", summary="Hanke kehittää satamaa.") is NOT


def _facts() -> Facts:
    facts = Facts(document_id="1" * 64, source="pieni.csv", genre="bulk-table")
    facts.projects += [
        ProjectFact(key="S29998", code="S29998", name="Toimitilojen laajennus", fund="EAKR"),
        ProjectFact(key="S29997", code="S29997", name="Satamalaiturin uusiminen", fund="EAKR"),
        ProjectFact(
            key="S29996",
            code="S29996",
            name="Uusi suunta",
            themes=[
                ThemeMention("omaishoito", iri="https://w3id.org/sotegraph/id/theme/omaishoito")
            ],
        ),
    ]
    facts.organisations += [
        OrganisationFact("o1", "Esimerkin Kotisairaanhoito Oy"),
        OrganisationFact("o2", "Esimerkin Satama Oy"),
        OrganisationFact("o3", "Esimerkin sosiaali- ja terveysministeriö"),
    ]
    facts.participations += [
        Participation("S29998", "o1", Role.LEAD),
        Participation("S29997", "o2", Role.LEAD),
        # an authority is not an implementer
        Participation("S29997", "o3", Role.AUTHORITY),
    ]
    return facts


def test_assign_relevance_fills_every_project() -> None:
    facts = _facts()
    assign_relevance(facts)
    got = {p.code: p.sote_relevance for p in facts.projects}
    print(got)
    assert got == {"S29998": "sote", "S29997": "not", "S29996": "sote"}
    assert classify_project(facts, facts.projects[1]) is NOT


def test_rdf_writes_one_concept_of_the_scheme_per_project() -> None:
    facts = _facts()  # not decided before: the RDF stage decides
    g = facts_to_graph(facts)
    values = {
        str(p)[-6:]: set(g.objects(p, SG.soteRelevance)) for p in g.subjects(RDF.type, SG.Project)
    }
    assert values == {
        "S29998": {URIRef(RELEVANCE_IRI[SOTE])},
        "S29997": {URIRef(RELEVANCE_IRI[NOT])},
        "S29996": {URIRef(RELEVANCE_IRI[SOTE])},
    }
    assert validate_document(g).results == []
    # a value decided upstream is written as it is
    facts = _facts()
    facts.projects[1].sote_relevance = "borderline"
    g = facts_to_graph(facts)
    assert set(g.objects(None, SG.soteRelevance)) >= {URIRef(RELEVANCE_IRI[BORDERLINE])}


def test_shape_allows_one_value_of_the_scheme() -> None:
    g = facts_to_graph(_facts())
    project = next(iter(g.subjects(RDF.type, SG.Project)))
    g.add((project, SG.soteRelevance, URIRef(RELEVANCE_IRI[BORDERLINE])))
    g.add((project, SG.soteRelevance, URIRef(RELEVANCE_IRI[NOT])))
    paths = {str(r.path) for r in validate_document(g).results}
    assert str(SG.soteRelevance) in paths
    g2 = facts_to_graph(_facts())
    other = next(iter(g2.subjects(RDF.type, SG.Project)))
    g2.remove((other, SG.soteRelevance, None))
    g2.add((other, SG.soteRelevance, URIRef("https://w3id.org/sotegraph/id/theme/kotihoito")))
    assert str(SG.soteRelevance) in {str(r.path) for r in validate_document(g2).results}


def test_concepts_are_declared_in_the_ontology() -> None:
    text = resources.ontology_file("sotegraph.ttl").read_text(encoding="utf-8")
    onto = Graph().parse(data=text, format="turtle")
    scheme = URIRef("https://w3id.org/sotegraph/ontology#soteRelevanceScheme")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
    for value, iri in RELEVANCE_IRI.items():
        concept = URIRef(iri)
        assert (concept, RDF.type, SKOS.Concept) in onto
        assert (concept, SKOS.inScheme, scheme) in onto
        assert str(onto.value(concept, SKOS.notation)) == value.value


def test_a_bulk_build_decides_every_project() -> None:
    from pathlib import Path

    from sotegraph.builder import build

    table = Path(__file__).resolve().parents[1] / "data" / "bulk" / "messy2014_twin.csv"
    with build(table, use_nlp=False, validate=True) as kg:
        rows = kg.sparql(
            "PREFIX sg: <https://w3id.org/sotegraph/ontology#> "
            "SELECT ?p (COUNT(DISTINCT ?v) AS ?n) WHERE { GRAPH ?g { ?p a sg:Project } "
            "OPTIONAL { GRAPH ?h { ?p sg:soteRelevance ?v } } } GROUP BY ?p"
        )
        result = kg.validate()
    assert rows
    assert all(int(r["n"]) == 1 for r in rows), rows
    assert not [r for r in result.results if "soteRelevance" in str(r.path)]

"""Facts → RDF against a golden graph (compared with rdflib.compare.isomorphic, not as text).

Regenerate the golden file after an intended change with ``SOTEGRAPH_REGENERATE=1 pytest tests/rdf/test_rdf.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from sotegraph.facts import (
    AreaLevel,
    Facts,
    GroupFact,
    OrganisationFact,
    Participation,
    PersonFact,
    PlaceMention,
    ProjectFact,
    Role,
    Span,
)
from sotegraph.namespaces import SG, SKOS, project_iri
from sotegraph.rdf import facts_to_graph, facts_to_ntriples

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "tiny_record.ttl"


def tiny_facts() -> Facts:
    facts = Facts(document_id="0" * 64, source="tiny.txt", genre="eura-record")
    facts.projects.append(
        ProjectFact(
            key="S29999",
            code="S29999",
            name='Koe "lainaus" \\ hanke',
            fund="ESR",
            programme_period="2014-2020",
            start=dt.date(2019, 1, 1),
            end=dt.date(2020, 12, 31),
            granted_eu_state=Decimal("1000.50"),
            places=[
                PlaceMention(
                    "Jyväskylä",
                    AreaLevel.MUNICIPALITY,
                    iri="https://w3id.org/sotegraph/id/municipality/179",
                ),
                PlaceMention("Turun saaristo", AreaLevel.UNKNOWN),
            ],
            member_of=["c1"],
        )
    )
    facts.organisations += [
        OrganisationFact("lead", "Esimerkki Oy", business_id="2553600-4"),
        OrganisationFact("p1", "Kumppani ry", canonical_name="Kumppani ry"),
    ]
    facts.participations += [
        Participation("S29999", "lead", Role.LEAD, span=Span(10, 22, 3), role_text="hakija"),
        Participation("S29999", "p1", Role.PARTNER, sentence="Kumppani ry on osatoteuttaja."),
    ]
    facts.groups.append(GroupFact("c1", "Koekonsortio", members=["S29999"]))
    facts.persons.append(PersonFact(name="Maija Esimerkki", email="m@example.fi", project="S29999"))
    return facts


def test_golden_graph() -> None:
    g = facts_to_graph(tiny_facts())
    if os.environ.get("SOTEGRAPH_REGENERATE"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        g.serialize(GOLDEN, format="turtle")
    expected = Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(g, expected):
        _, only_got, only_want = graph_diff(to_isomorphic(g), to_isomorphic(expected))
        print("only in result:\n", only_got.serialize(format="nt"))
        print("only in golden:\n", only_want.serialize(format="nt"))
    assert isomorphic(g, expected)


def test_literals_are_escaped_and_round_trip() -> None:
    g = facts_to_graph(tiny_facts())
    labels = set(g.objects(project_iri(code="S29999"), SKOS.prefLabel))
    assert labels == {Literal('Koe "lainaus" \\ hanke', lang="fi")}


def test_personal_data_only_on_request() -> None:
    without = facts_to_ntriples(tiny_facts())
    assert "Maija" not in without
    assert "m@example.fi" not in without
    with_pd = facts_to_graph(tiny_facts(), include_personal_data=True)
    assert (None, SG.email, Literal("m@example.fi")) in with_pd
    doc = URIRef("https://w3id.org/sotegraph/id/document/" + "0" * 64)
    assert (doc, SG.includesPersonalData, Literal(True)) in with_pd


def test_participant_materialised_and_unresolved_area_kept() -> None:
    g = facts_to_graph(tiny_facts())
    p = project_iri(code="S29999")
    assert len(set(g.objects(p, SG.participant))) == 2
    assert set(g.objects(p, SG.unresolvedArea)) == {Literal("Turun saaristo", lang="fi")}
    assert (p, SG.classificationYear, Literal(2019)) in g


def test_bulk_genre_has_no_qualified_nodes() -> None:
    facts = tiny_facts()
    facts.genre = "bulk-table"
    assert "Membership" not in facts_to_ntriples(facts)
    assert "Membership" in facts_to_ntriples(tiny_facts())


def test_fund_named_as_organisation_is_not_typed_organisation() -> None:
    facts = tiny_facts()
    facts.organisations.append(
        OrganisationFact(
            "esr", "Euroopan sosiaalirahasto", iri="https://w3id.org/sotegraph/id/fund/ESR"
        )
    )
    facts.participations.append(Participation("S29999", "esr", Role.FUNDER))
    g = facts_to_graph(facts)
    fund = URIRef("https://w3id.org/sotegraph/id/fund/ESR")
    assert (project_iri(code="S29999"), SG.funder, fund) in g
    assert (fund, None, SG.Organisation) not in g
    assert set(g.predicate_objects(fund)) == set()
    assert not [n for n in g.subjects(None, fund) if "participation" in str(n)]

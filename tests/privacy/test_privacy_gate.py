"""The privacy gate: one decision per document, on its facts, before any RDF is written.

:func:`sotegraph.privacy.apply_policy` withholds organisations that are people, drops contact
persons and redacts every text that becomes a literal, with the rules :func:`scrub_graph`
applies to a graph; :mod:`sotegraph.rdf` then writes what the facts hold. The people, firms,
addresses and numbers below are invented.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from sotegraph.builder import KnowledgeGraph
from sotegraph.facts import (
    Facts,
    Genre,
    GroupFact,
    OrganisationFact,
    Participation,
    PersonFact,
    PlaceMention,
    ProjectFact,
    Role,
)
from sotegraph.namespaces import SG, document_iri
from sotegraph.nlp.voikko import voikko_available
from sotegraph.privacy import (
    PRIVATE_ORGANISATION_TYPE,
    PolicyResult,
    apply_policy,
    scrub_graph,
    withhold_private_organisations,
)
from sotegraph.rdf import facts_to_graph, facts_to_ntriples, ntriples_to_graph
from sotegraph.read import Document

needs_voikko = pytest.mark.skipif(
    not voikko_available(), reason="libvoikko and voikko-fi are not installed (scripts/setup)"
)

PERSON = "Sirkka Mäntylahti"
EMAIL = "sirkka.mantylahti(at)savonia.example"
PHONE = "044 785 1234"
SECRETS = [
    "Sirkka",
    "Mäntylahti",
    "mantylahti",
    "Reijo",
    "Pitkäranta",
    "pitkaranta",
    "785 1234",
    "7851234",
]


def _facts() -> Facts:
    """One article's facts as an extractor might give them."""
    project = ProjectFact(
        key="p1",
        name="KotiVoima",
        code="S29988",
        aliases=["KotiVoima-hanke"],
        status="Toiminnassa",
        summary=(
            f"Työpajoja vetää projektipäällikkö {PERSON}. Mäntylahti kertoo, että "
            f"kotihoidon työvuoroja kokeillaan uudella tavalla. Puh. {PHONE}, {EMAIL}."
        ),
        target_groups=f"Kotihoidon työntekijät. Lisätietoja: {PERSON}.",
        final_report_summary="Hanke päättyi suunnitellusti.",
        places=[PlaceMention("Kuopion"), PlaceMention("Mäntylahti")],
        sister_projects=["p2"],
    )
    return Facts(
        document_id="a" * 64,
        source="kotivoima.txt",
        genre=Genre.ARTICLE,
        projects=[project, ProjectFact(key="p2", name="KotiVoima 2")],
        organisations=[
            OrganisationFact("o1", "Savonia-ammattikorkeakoulu", business_id="2472908-2"),
            OrganisationFact("o2", "Tmi Reijo Pitkäranta"),
            OrganisationFact("o3", "Mäntylahti Consulting Oy", aliases=["Mäntylahti Oy"]),
        ],
        participations=[
            Participation(
                "p1",
                "o1",
                Role.LEAD,
                sentence=f"Hanketta hallinnoi Savonia, kertoo projektipäällikkö {PERSON}.",
                role_text="hallinnoi",
            ),
            Participation("p1", "o2", Role.PARTNER, sentence="Mukana on myös toiminimi."),
            Participation("p2", "o3", Role.PARTNER),
        ],
        groups=[
            GroupFact("g1", f"Kotihoidon verkosto (yhteyshenkilö {PERSON})", members=["p1", "p2"])
        ],
        persons=[PersonFact(name=PERSON, email=EMAIL, phone=PHONE, project="p1")],
    )


def test_names_in_prose_and_labels_are_redacted() -> None:
    facts = _facts()
    result = apply_policy(facts, include_personal_data=False, use_voikko=False)
    p = facts.project("p1")
    assert p.summary == (
        "Työpajoja vetää projektipäällikkö [nimi]. [nimi] kertoo, että kotihoidon työvuoroja "
        "kokeillaan uudella tavalla. Puh. [puhelin], [sähköposti]."
    )
    assert p.target_groups == "Kotihoidon työntekijät. Lisätietoja: [nimi]."
    assert p.final_report_summary == "Hanke päättyi suunnitellusti."
    sentence = facts.participations[0].sentence
    assert sentence == "Hanketta hallinnoi Savonia, kertoo projektipäällikkö [nimi]."
    # the contact person's surname in a label, an alias, a group name and a place mention
    assert facts.organisation("o3").name == "[nimi] Consulting Oy"
    assert facts.organisation("o3").aliases == ["[nimi] Oy"]
    assert facts.groups[0].name == "Kotihoidon verkosto (yhteyshenkilö [nimi])"
    assert [pl.text for pl in p.places] == ["Kuopion", "[nimi]"]
    assert result.redacted == 7
    assert facts.policy is result


def test_persons_dropped_and_private_implementers_withheld() -> None:
    facts = _facts()
    result = apply_policy(facts, include_personal_data=False, use_voikko=False)
    assert facts.persons == []
    assert (result.persons_dropped, result.withheld) == (1, 1)
    private = facts.organisation("o2")
    assert private.private is True
    assert private.name == "Yksityinen toteuttaja (S29988)"
    assert private.org_type == PRIVATE_ORGANISATION_TYPE
    assert result.personal_data is False


def test_references_are_left_as_they_are() -> None:
    facts = _facts()
    # keys that happen to hold the person's name are references, not text
    facts.projects[0].key = PERSON
    for part in facts.participations:
        if part.project == "p1":
            part.project = PERSON
    facts.groups[0].members = [PERSON, "p2"]
    facts.projects[1].sister_projects = [PERSON]
    facts.projects[0].iri = "https://w3id.org/sotegraph/id/project/S29988"
    facts.projects[0].website = "https://kotivoima.example/sirkka-mantylahti"
    apply_policy(facts, include_personal_data=False, use_voikko=False)
    assert facts.projects[0].key == PERSON
    assert [part.project for part in facts.participations] == [PERSON, PERSON, "p2"]
    assert [part.organisation for part in facts.participations] == ["o1", "o2", "o3"]
    assert facts.groups[0].members == [PERSON, "p2"]
    assert facts.projects[1].sister_projects == [PERSON]
    assert facts.projects[0].iri == "https://w3id.org/sotegraph/id/project/S29988"
    assert facts.projects[0].code == "S29988"
    assert facts.projects[0].website == "https://kotivoima.example/sirkka-mantylahti"
    assert facts.organisation("o1").business_id == "2472908-2"
    assert (facts.document_id, facts.source) == ("a" * 64, "kotivoima.txt")


def test_include_personal_data_keeps_everything() -> None:
    facts = _facts()
    before = copy.deepcopy(facts)
    result = apply_policy(facts, include_personal_data=True)
    assert result == PolicyResult(include_personal_data=True, personal_data=True)
    assert dataclasses.replace(facts, policy=None) == before
    # no contact person, and no organisation named after a person: nothing personal kept
    plain = Facts("b" * 64, "x.txt", organisations=[OrganisationFact("o1", "Savonia Oy")])
    assert apply_policy(plain, include_personal_data=True).personal_data is False


def test_a_second_call_does_nothing() -> None:
    facts = _facts()
    first = apply_policy(facts, include_personal_data=False, use_voikko=False)
    again = copy.deepcopy(facts)
    assert apply_policy(facts, include_personal_data=False) is first
    assert apply_policy(facts, include_personal_data=True) is first  # names stay out
    assert facts == again
    # kept first, then not asked for: taken out now
    kept = _facts()
    apply_policy(kept, include_personal_data=True)
    second = apply_policy(kept, include_personal_data=False, use_voikko=False)
    assert (second.persons_dropped, second.withheld, second.redacted) == (1, 1, 7)


def test_bulk_tables_are_not_redacted_by_default() -> None:
    facts = _facts()
    facts.genre = Genre.BULK_TABLE
    result = apply_policy(facts, include_personal_data=False, use_voikko=False)
    assert (result.text_redacted, result.redacted, result.withheld) == (False, 0, 1)
    assert PERSON in (facts.project("p1").summary or "")
    assert facts.persons == []


@needs_voikko
def test_first_names_by_voikko_only_in_prose() -> None:
    facts = Facts(
        "c" * 64,
        "x.txt",
        projects=[
            ProjectFact("p1", name="Helena Kuusisto", summary="Työpajan veti Helena Kuusisto.")
        ],
        organisations=[OrganisationFact("o1", "Helena Kuusisto Ky")],
    )
    apply_policy(facts, include_personal_data=False)
    assert facts.projects[0].summary == "Työpajan veti [nimi]."
    # a label is checked without Voikko's first names: a firm's name is business data
    assert facts.projects[0].name == "Helena Kuusisto"
    assert facts.organisations[0].name == "Helena Kuusisto Ky"


def test_rdf_writes_what_the_gate_left() -> None:
    doc = URIRef(str(document_iri("a" * 64)))
    kept = _facts()
    apply_policy(kept, include_personal_data=True)
    g = facts_to_graph(kept)  # the parameter is only for facts that skipped the gate
    assert (None, SG.email, Literal(EMAIL)) in g
    assert (doc, SG.includesPersonalData, Literal(True)) in g
    out = _facts()
    apply_policy(out, include_personal_data=False, use_voikko=False)
    text = facts_to_ntriples(out, include_personal_data=True)
    assert 'includesPersonalData> "false"' in text
    assert [s for s in SECRETS if s in text] == []


def test_rdf_puts_facts_that_skipped_the_gate_through_it_on_a_copy() -> None:
    facts = _facts()
    before = copy.deepcopy(facts)
    text = facts_to_ntriples(facts)
    assert "Pitkäranta" not in text
    assert "Yksityinen toteuttaja (S29988)" in text
    assert "ontology#Person>" not in text
    assert "ontology#email>" not in text
    assert facts == before  # the caller's facts are not changed
    assert facts.policy is None
    kept = facts_to_ntriples(facts, include_personal_data=True)
    assert "ontology#email>" in kept
    assert "Tmi Reijo Pitkäranta" in kept
    assert facts == before


# ---------------------------------------------------------------------------------------------
# Builds

ARTICLE = f"""Kotihoidon arkea kehitetään Pohjois-Savossa

KotiVoima-hanke vahvistaa kotihoidon työntekijöiden osaamista. Hanketta hallinnoi \
Savonia-ammattikorkeakoulu, kertoo projektipäällikkö {PERSON}.

Osatoteuttajana on Pohjois-Savon hyvinvointialue, jonka yhteyshenkilö Reijo Pitkäranta vastaa \
kotihoidon kokeiluista, puh. {PHONE}.

Hanke saa rahoitusta Euroopan sosiaalirahastosta (ESR).

Lisätietoja:
{PERSON}
projektipäällikkö
puh. {PHONE}
{EMAIL}
"""

RECORD = f"""Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus

1 Hanke

Hankekoodi: S29988

Hankkeen nimi: KotiVoima - kotihoidon osaaminen ja työhyvinvointi

Toiminnan tila: Toiminnassa

2 Hakijan perustiedot

Hakijan virallinen nimi: Savonia-ammattikorkeakoulu Oy

Y-tunnus: 2472908-2

Postitoimipaikka: Kuopio

Hankkeen yhteyshenkilön nimi: {PERSON}

Yhteyshenkilön asema hakijaorganisaatiossa: projektipäällikkö

Yhteyshenkilön sähköpostisoite: {EMAIL}

Yhteyshenkilön puhelinnumero: {PHONE}

Osatoteuttajat

Tmi Reijo Pitkäranta
Pohjois-Savon hyvinvointialue

3 Suunnitelman mukainen tiivistelmä toteutuksesta

Hankkeessa kehitetään kotihoidon työntekijöiden osaamista Kuopiossa. Työpajoja vetää \
projektipäällikkö {PERSON}. Mäntylahti kertoo, että yhteydenotot ottaa vastaan myös \
ohjaaja Reijo Pitkäranta, puh. {PHONE} tai {EMAIL}.

4 Hankkeen kohderyhmät

4.1 Varsinaiset kohderyhmät

Kotihoidon työntekijät ja esimiehet Kuopiossa. Lisätietoja: {PERSON}.
"""


def _documents() -> list[Document]:
    return [
        Document.from_text(ARTICLE, source="kotivoima-uutinen.txt"),
        Document.from_text(RECORD, source="kotivoima-tietue.txt"),
    ]


def _document_graph_text(kg: KnowledgeGraph) -> str:
    names = [n for n in kg.store.graph_names() if "/document/" in n]
    return "\n".join(kg.store.graph(n).serialize(format="nt") for n in names)


def _nlp_or_skip(use_nlp: bool) -> object:
    from sotegraph.builder import _load_nlp

    nlp = _load_nlp() if use_nlp else None
    if use_nlp and nlp is None:
        pytest.skip("spaCy or the Finnish model is not installed")
    return nlp


WITH_AND_WITHOUT_NLP = pytest.mark.parametrize(
    "use_nlp", [False, pytest.param(True, marks=pytest.mark.nlp)], ids=["no-nlp", "nlp"]
)


@WITH_AND_WITHOUT_NLP
def test_build_keeps_names_emails_and_phones_out_of_every_literal(use_nlp: bool) -> None:
    _nlp_or_skip(use_nlp)
    kg = KnowledgeGraph(None)
    result = kg.add_documents(_documents(), use_nlp=use_nlp, validate=False, keep_facts=True)
    assert result.built == 2
    assert result.failed == []
    text = _document_graph_text(kg)
    for placeholder in ("[nimi]", "[puhelin]", "[sähköposti]"):
        assert placeholder in text
    assert [s for s in SECRETS if s in text] == []
    assert 'includesPersonalData> "true"' not in text
    # the gate's work, counted
    assert result.persons_dropped == 1
    assert result.withheld == 1
    # the record's summary and target groups; with spaCy also the article's two sentences
    assert result.redacted == (4 if use_nlp else 2)
    assert all(f.policy is not None and not f.persons for f in result.facts)


def test_build_with_personal_data_keeps_the_contact_person() -> None:
    kg = KnowledgeGraph(None, include_personal_data=True)
    result = kg.add_documents(_documents(), use_nlp=False, validate=False)
    text = _document_graph_text(kg)
    for kept in (PERSON, EMAIL, "Tmi Reijo Pitkäranta"):
        assert kept in text
    assert 'includesPersonalData> "true"' in text
    assert (result.persons_dropped, result.withheld, result.redacted) == (0, 0, 0)


def _old_path(docs: list[Document], *, nlp: object, use_nlp: bool) -> dict[str, set[object]]:
    """Each document's graph as the build made it before the gate: withhold, resolve, write
    (the persons left out), then scrub the graph (not bulk tables)."""
    from sotegraph.extract import extract
    from sotegraph.resolve import Resolver

    facts = [extract(d, nlp=nlp, use_nlp=use_nlp) for d in docs]
    for f in facts:
        withhold_private_organisations(f)
    # one name per project and organisation over the build (as the build labels them)
    labels = Resolver().resolve_against(facts, []).labels
    out: dict[str, set[object]] = {}
    for doc, f in zip(docs, facts, strict=True):
        name = document_iri(doc.id)
        graph = ntriples_to_graph(facts_to_ntriples(f, labels=labels), identifier=name)
        if f.genre is not Genre.BULK_TABLE:
            graph = scrub_graph(graph, names=[p.name for p in f.persons if p.name])
        out[str(name)] = set(graph)
    return out


@WITH_AND_WITHOUT_NLP
def test_same_triples_as_scrubbing_the_graph(
    seeds_dir: Path, tmp_path: Path, use_nlp: bool
) -> None:
    """The gate on the facts gives the graphs that scrubbing each written graph gave."""
    from sotegraph.read import read_document

    nlp = _nlp_or_skip(use_nlp)
    table = tmp_path / "lista.csv"
    table.write_text(
        "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
        "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion "
        "rahoitus,Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä\n"
        "S90101,ESR,Hoivaa kotiin,5,Sosiaali- ja terveysministeriö,Toiminnassa,1.1.2016,"
        "31.12.2017,Tmi Elina Rautiainen,100,50,200,80\n",
        encoding="utf-8",
    )
    docs = [read_document(p) for p in sorted(seeds_dir.iterdir())]
    docs += [*_documents(), read_document(table)]
    old = _old_path(docs, nlp=nlp, use_nlp=use_nlp)
    kg = KnowledgeGraph(None)
    result = kg.add_documents(docs, use_nlp=use_nlp, validate=False)
    assert result.built == len(docs)
    assert result.redacted > 0
    assert result.persons_dropped >= 3  # two seed records and the invented one
    assert result.withheld == 2
    for name, triples in old.items():
        new = set(kg.store.graph(name))
        assert new == triples, (name, sorted(new - triples), sorted(triples - new))

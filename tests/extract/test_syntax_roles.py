"""Roles from the dependency parse (``sotegraph.extract.article.syntax``), one test per
pattern, with invented Finnish sentences run through the real spaCy model."""

from __future__ import annotations

import pytest

from sotegraph.extract.article import extract_article
from sotegraph.extract.article.syntax import DEP_PATTERNS, VERB_ROLES, noun_role
from sotegraph.read import Document

pytestmark = pytest.mark.nlp


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")  # noqa: F841
    from sotegraph.nlp import load_pipeline

    try:
        return load_pipeline()
    except Exception as exc:  # pragma: no cover - model not installed
        pytest.skip(f"spaCy pipeline not available: {exc}")


def _roles(nlp, text: str) -> set[tuple[str, str, str]]:
    facts = extract_article(Document.from_text(text, source="koe.txt"), nlp=nlp)
    projects = {p.key: p.name for p in facts.projects}
    orgs = {o.key: o.name for o in facts.organisations}
    return {(p.role.value, projects[p.project], orgs[p.organisation]) for p in facts.participations}


def _names(nlp, text: str) -> list[str]:
    facts = extract_article(Document.from_text(text, source="koe.txt"), nlp=nlp)
    return [p.name for p in facts.projects]


# ----- the patterns are data ----------------------------------------------------------------


def test_patterns_are_data() -> None:
    assert VERB_ROLES["hallinnoida"]["role"] == "lead"
    assert {"subject", "agent", "receiver", "giver", "with", "apposition"} <= set(DEP_PATTERNS)
    for pattern in DEP_PATTERNS.values():
        ids = [p["RIGHT_ID"] for p in pattern]
        assert "anchor" in ids
        assert "org" in ids


def test_noun_roles_of_compounds() -> None:
    class Tok:
        children = ()

        def __init__(self, lemma: str) -> None:
            self.lemma_ = self.lower_ = lemma

    assert noun_role(Tok("toteuttajakumppani")) == "partner"
    assert noun_role(Tok("suomalaiskumppani")) == "collaborator"
    assert noun_role(Tok("yhteistyökumppani")) == "collaborator"
    assert noun_role(Tok("rahoittaja")) == "funder"
    assert noun_role(Tok("kysely")) is None


# ----- subjects of role verbs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Kaarnikka-hanketta hallinnoi Oulun yliopisto.", "lead"),
        ("Oulun yliopisto hallinnoi Kaarnikka-hanketta.", "lead"),
        ("Kaarnikka-hanketta vetää Oulun yliopisto.", "lead"),
        ("Oulun yliopisto toteuttaa Kaarnikka-hankkeen yksin.", "lead"),
        ("Kaarnikka-hanketta koordinoi Oulun yliopisto.", "coordinator"),
        ("Oulun yliopisto osallistuu Kaarnikka-hankkeeseen.", "partner"),
        ("Kaarnikka-hanketta rahoittaa Oulun yliopisto.", "funder"),
    ],
)
def test_subject_of_role_verb(nlp, sentence: str, role: str) -> None:
    assert (role, "Kaarnikka", "Oulun yliopisto") in _roles(nlp, sentence)


def test_negated_verb_gives_no_role(nlp) -> None:
    found = _roles(nlp, "Kaarnikka-hanketta ei hallinnoi Oulun yliopisto.")
    assert not any(org == "Oulun yliopisto" for _r, _p, org in found)


def test_relative_clause_subject_leads(nlp) -> None:
    text = (
        "Kirjoitan Kaarnikka - tulevaisuuden lähipalvelut -hankkeesta, jota Lapin "
        "ammattikorkeakoulu toteuttaa kahden vuoden ajan."
    )
    found = _roles(nlp, text)
    assert ("lead", "Kaarnikka - tulevaisuuden lähipalvelut", "Lapin ammattikorkeakoulu") in found


def test_each_clause_its_own_project(nlp) -> None:
    text = (
        "Hyvän arjen koordinaatiohanketta KOKKA hallinnoi Oulun yliopisto, ja "
        "Pieni askel -koordinaatiohankkeesta vastaa Lapin yliopisto."
    )
    found = _roles(nlp, text)
    assert ("lead", "Pieni askel", "Lapin yliopisto") in found
    assert ("lead", "Pieni askel", "Oulun yliopisto") not in found


# ----- genitive agents of participles ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Oulun yliopiston hallinnoima Kaarnikka-hanke alkoi keväällä.", "lead"),
        ("Oulun yliopiston (OY) vetämä Kaarnikka-hanke alkoi keväällä.", "lead"),
        ("Oulun yliopiston rahoittama Kaarnikka-hanke alkoi keväällä.", "funder"),
    ],
)
def test_genitive_agent(nlp, sentence: str, role: str) -> None:
    assert (role, "Kaarnikka", "Oulun yliopisto") in _roles(nlp, sentence)


def test_genitive_agent_in_negated_sentence(nlp) -> None:
    # the negation of the main clause does not negate the participle
    text = "Kaarnikka-hanke alkoi. Oulun yliopiston hallinnoima hanke ei ole vielä valmis."
    assert ("lead", "Kaarnikka", "Oulun yliopisto") in _roles(nlp, text)


# ----- grants in every voice --------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Kaarnikka-hanke alkoi keväällä. Hankkeelle rahoituksen myönsi Suomen Kulttuurirahasto.",
        "Kaarnikka-hanke alkoi keväällä. Rahoituksen myöntää Suomen Kulttuurirahasto.",
        "Kaarnikka-hanke alkoi keväällä. Suomen Kulttuurirahasto myönsi hankkeelle rahoituksen.",
    ],
)
def test_grant_giver_funds(nlp, sentence: str) -> None:
    assert ("funder", "Kaarnikka", "Suomen Kulttuurirahasto") in _roles(nlp, sentence)


def test_grant_from_ablative_and_recipient_leads(nlp) -> None:
    text = "Kaarnikka-hanke alkoi keväällä. Oulun yliopisto sai rahoituksen Suomen Akatemialta."
    found = _roles(nlp, text)
    assert ("funder", "Kaarnikka", "Suomen Akatemia") in found
    assert ("lead", "Kaarnikka", "Oulun yliopisto") in found


def test_perfect_tense_grant(nlp) -> None:
    text = (
        "Kaarnikka-hanke alkoi keväällä. Sitä rahoittaa Euroopan sosiaalirahasto, ja "
        "rahoituksen on myöntänyt Lapin ELY-keskus."
    )
    found = _roles(nlp, text)
    assert any(r == "authority" and "ely" in o.lower() for r, _p, o in found)


def test_passive_means_funds(nlp) -> None:
    text = "Kaarnikka-hanke alkoi keväällä. Sitä rahoitetaan Suomen Kulttuurirahaston varoin."
    assert ("funder", "Kaarnikka", "Suomen Kulttuurirahasto") in _roles(nlp, text)


def test_intermediary_grants_as_authority(nlp) -> None:
    text = (
        "Kaarnikka-hanke alkoi keväällä. Sitä rahoittaa Euroopan sosiaalirahasto, ja "
        "rahoituksesta päätti Lapin ELY-keskus."
    )
    found = _roles(nlp, text)
    assert ("funder", "Kaarnikka", "Euroopan sosiaalirahasto") in found
    assert not any(r == "funder" and "ELY" in o for r, _p, o in found)


# ----- cooperation, apposition, copula, owner -----------------------------------------------


def test_each_conjunct_with_kanssa_collaborates(nlp) -> None:
    text = (
        "Kaarnikka-hanke toteutetaan yhteistyössä Oulun yliopiston, Lapin yliopiston ja "
        "Kajaanin ammattikorkeakoulun kanssa."
    )
    found = {(r, o) for r, p, o in _roles(nlp, text) if p == "Kaarnikka"}
    for org in ("Oulun yliopisto", "Lapin yliopisto", "Kajaanin ammattikorkeakoulu"):
        assert ("collaborator", org) in found


def test_apposition_with_role_noun(nlp) -> None:
    text = "Kaarnikka-hankkeessa on hallinnoijan, Oulun yliopiston, lisäksi kaksi yhdistystä."
    assert ("lead", "Kaarnikka", "Oulun yliopisto") in _roles(nlp, text)


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Kaarnikka-hanke alkoi. Hankkeen hallinnoija on Oulun yliopisto.", "lead"),
        ("Kaarnikka-hanke alkoi. Oulun yliopisto on hankkeen rahoittaja.", "funder"),
        ("Kaarnikka-hanke alkoi. Rahoittajana on Oulun yliopisto.", "funder"),
    ],
)
def test_copula_with_role_noun(nlp, sentence: str, role: str) -> None:
    assert (role, "Kaarnikka", "Oulun yliopisto") in _roles(nlp, sentence)


def test_nearer_role_noun_wins_in_copula(nlp) -> None:
    text = (
        "Kaarnikka-hanke alkoi. Oulun yliopisto on hankkeen päätoteuttaja ja sen "
        "yhteistyökumppanina on Lapin yliopisto."
    )
    found = _roles(nlp, text)
    assert ("lead", "Kaarnikka", "Lapin yliopisto") not in found
    assert ("lead", "Kaarnikka", "Oulun yliopisto") in found


def test_kumppani_carrying_out_the_work_is_partner(nlp) -> None:
    text = (
        "Kaarnikka-hanke alkoi. Kaarnikan toteuttajakumppaneita ovat Oulun kaupunki ja "
        "Lapin yliopisto."
    )
    found = _roles(nlp, text)
    assert ("partner", "Kaarnikka", "Oulun kaupunki") in found
    assert ("partner", "Kaarnikka", "Lapin yliopisto") in found


def test_kumppani_alone_collaborates(nlp) -> None:
    text = "Kaarnikka-hanke alkoi. Kotimaisia kumppaneita ovat Oulun kaupunki ja Lapin yliopisto."
    found = _roles(nlp, text)
    assert ("collaborator", "Kaarnikka", "Oulun kaupunki") in found
    assert ("partner", "Kaarnikka", "Oulun kaupunki") not in found


def test_negated_copula_gives_no_role(nlp) -> None:
    text = "Kaarnikka-hanke alkoi. Lapin yliopisto ei ole hankkeen kumppani."
    assert not any(o == "Lapin yliopisto" for _r, _p, o in _roles(nlp, text))


def test_genitive_owner_of_project_leads(nlp) -> None:
    text = "Kaarnikka-hanke alkoi. Se on Oulun kaupungin vanhuspalvelujen kehittämishanke."
    assert ("lead", "Kaarnikka", "Oulun kaupunki") in _roles(nlp, text)


def test_owner_of_another_project_does_not_lead(nlp) -> None:
    text = "Kaarnikka-hanke on Oulun kaupungin Kotiväki-hankkeen sisarhanke."
    assert ("lead", "Kaarnikka", "Oulun kaupunki") not in _roles(nlp, text)


def test_public_fund_owning_a_project_does_not_lead(nlp) -> None:
    text = "Kaarnikka-hanke alkoi. Se on Euroopan sosiaalirahaston kehittämishanke."
    assert not any(r == "lead" for r, _p, _o in _roles(nlp, text))


def test_participle_role_stays_in_its_clause(nlp) -> None:
    text = (
        "Oulun yliopiston hallinnoimassa Kaarnikka-hankkeessa kokeiltiin uutta mallia; "
        "siinä oli mukana myös Lapin yliopisto."
    )
    found = _roles(nlp, text)
    assert ("lead", "Kaarnikka", "Oulun yliopisto") in found
    assert not any(r == "lead" and o == "Lapin yliopisto" for r, _p, o in found)


# ----- name shapes ------------------------------------------------------------------------


def test_clause_fragment_is_not_part_of_a_name(nlp) -> None:
    text = "Työskentelen KAARNA - Kotihoidon uudet mallit -hankkeessa Oulussa."
    names = _names(nlp, text)
    assert "KAARNA - Kotihoidon uudet mallit" in names
    assert not any(n.startswith("Työskentelen") for n in names)


def test_compass_word_is_not_a_project(nlp) -> None:
    text = (
        "Teknologian kehittämishankkeet Itä- ja Länsi-Suomessa\n\nLista päivitetään kuukausittain."
    )
    names = _names(nlp, text)
    assert not any(n.rstrip("-") in {"Itä", "Länsi"} for n in names)


def test_group_name_keeps_its_group_word(nlp) -> None:
    text = "Kaarnikka-hanke alkoi. KOTO-hankekonsortioon kuuluu myös Kaarnikka-hanke."
    facts = extract_article(Document.from_text(text, source="koe.txt"), nlp=nlp)
    assert [g.name for g in facts.groups] == ["KOTO-hankekonsortio"]

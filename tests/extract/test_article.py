"""Facts from Finnish prose: roles, projects, groups, periods, aliases, EURA prose sections.

Every sentence is written for these tests (none is copied from a corpus). Organisation names
are ordinary public names or invented ones (``Pohjanmaan Palvelu Oy``), so most of them are
found by their shape, not by the authority file.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("spacy")

from sotegraph.extract.article import (
    enrich_record,
    extract_article,
    extract_articles,
    prose_sections,
)
from sotegraph.facts import Facts, Role
from sotegraph.nlp import load_pipeline
from sotegraph.read import Document, Genre

pytestmark = pytest.mark.nlp


@pytest.fixture(scope="session")
def nlp():
    """The sotegraph pipeline, loaded once for the session."""
    return load_pipeline()


def _facts(nlp, text: str) -> Facts:
    return extract_article(Document.from_text(text, source="koe.txt"), nlp=nlp)


def _roles(facts: Facts) -> set[tuple[str, str, str]]:
    out = set()
    for p in facts.participations:
        proj = facts.project(p.project).name or ""
        org = facts.organisation(p.organisation)
        out.add((proj, org.name, p.role.value))
    return out


# ----------------------------------------------------------------------------- roles

ROLE_CASES = [
    # (text, project, organisation, role)
    ("Hyvä Arki -hanketta hallinnoi Lapin yliopisto.", "Hyvä Arki", "Lapin yliopisto", "lead"),
    (
        "Kotona-hanke alkoi keväällä. Hankkeen päätoteuttajana toimii Vaasan kaupunki.",
        "Kotona",
        "Vaasan kaupunki",
        "lead",
    ),
    (
        "Kotona-hanke alkoi keväällä. Päätoteuttaja on Pohjanmaan Palvelu Oy.",
        "Kotona",
        "Pohjanmaan Palvelu Oy",
        "lead",
    ),
    (
        "Arki-hanke alkoi. Hanketta vetää Lahden kaupunki, ja sen hallinnoijana toimii "
        "Hämeen Kehitys Oy.",
        "Arki",
        "Hämeen Kehitys Oy",
        "lead",
    ),
    ("Kainuun kaupungin hallinnoima Arki-hanke alkoi.", "Arki", "Kainuun kaupunki", "lead"),
    ("Lapin yliopiston vetämä Arki-hanke alkoi syksyllä.", "Arki", "Lapin yliopisto", "lead"),
    (
        "Arki-hankkeen osatoteuttajat ovat Oulun yliopisto ja Pohjanmaan Palvelu Oy.",
        "Arki",
        "Oulun yliopisto",
        "partner",
    ),
    (
        "Arki-hankkeen osatoteuttajat ovat Oulun yliopisto ja Pohjanmaan Palvelu Oy.",
        "Arki",
        "Pohjanmaan Palvelu Oy",
        "partner",
    ),
    (
        "Arki-hanke alkoi. Osatoteuttajana on Hämeenlinnan kaupunki.",
        "Arki",
        "Hämeenlinnan kaupunki",
        "partner",
    ),
    (
        "Arki-hanke alkoi. Osatoteuttajina toimivat Lahden kaupunki ja Porvoon kaupunki.",
        "Arki",
        "Porvoon kaupunki",
        "partner",
    ),
    (
        "Arki-hanke alkoi. Yhteistyökumppanina on Kuopion kaupunki.",
        "Arki",
        "Kuopion kaupunki",
        "collaborator",
    ),
    (
        "Arki-hanke alkoi. Pilottiorganisaatio on Keravan kaupunki.",
        "Arki",
        "Keravan kaupunki",
        "collaborator",
    ),
    (
        "Arki-hanke toteutetaan Lapin yliopiston ja Rovaniemen kaupungin yhteistyönä.",
        "Arki",
        "Rovaniemen kaupunki",
        "collaborator",
    ),
    (
        "Arki-hanke toteutetaan Lapin yliopiston ja Rovaniemen kaupungin yhteistyönä.",
        "Arki",
        "Lapin yliopisto",
        "collaborator",
    ),
    (
        "Arki-hanke alkoi. Kumppaneina ovat Joensuun kaupunki ja Kiteen kaupunki.",
        "Arki",
        "Joensuun kaupunki",
        "collaborator",
    ),
    (
        "Arki-hanketta rahoittaa Euroopan sosiaalirahasto.",
        "Arki",
        "Euroopan sosiaalirahasto",
        "funder",
    ),
    (
        "Sosiaali- ja terveysministeriön rahoittama Arki-hanke alkoi.",
        "Arki",
        "Sosiaali- ja terveysministeriö",
        "funder",
    ),
    (
        "Arki-hanke toteutetaan Työsuojelurahaston rahoituksella.",
        "Arki",
        "Työsuojelurahasto",
        "funder",
    ),
    ("Arki-hanke toteutetaan ESR-rahoituksella.", "Arki", "Euroopan sosiaalirahasto", "funder"),
    ("Arki-hanketta koordinoi Lapin yliopisto.", "Arki", "Lapin yliopisto", "coordinator"),
    (
        "Pohjanmaan Palvelu Oy:n SoteSilta-hanke alkoi.",
        "SoteSilta",
        "Pohjanmaan Palvelu Oy",
        "lead",
    ),
]


@pytest.mark.parametrize(("text", "project", "org", "role"), ROLE_CASES)
def test_role_cues(nlp, text, project, org, role):
    facts = _facts(nlp, text)
    assert (project, org, role) in _roles(facts), _roles(facts)


NEGATIVE_CASES = [
    # an organisation named without a role cue is no participant
    "Arki-hanke esiteltiin Oulun yliopistossa viime viikolla.",
    "Arki-hankkeen seminaarissa puhui Lahden kaupungin edustaja.",
    # a negated cue gives no role
    "Arki-hanketta ei rahoita Euroopan sosiaalirahasto.",
    "Toisin kuin Lapin yliopiston hankkeessa, Arki-hankkeessa ei ole osatoteuttajia.",
    # a genitive organisation owns the role noun, it does not hold it
    "Arki-hanke parantaa Pohjanmaan Palvelu Oy:n yhteistyökumppaneiden osaamista.",
    # the funder of six other projects is not the funder of this one
    "Arki-hankkeeseen osallistuu kuusi Euroopan sosiaalirahaston rahoittamaa hanketta.",
    # several projects at once: no single project gets the role
    "Hankkeita hallinnoi sosiaali- ja terveysministeriö.",
]


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_role_without_a_cue(nlp, text):
    facts = _facts(nlp, text)
    assert facts.participations == [], _roles(facts)


def test_toisin_kuin_blocks_only_its_own_phrase(nlp):
    facts = _facts(
        nlp, "Arki-hanketta hallinnoi Vaasan kaupunki, toisin kuin Oulun yliopiston hankkeessa."
    )
    assert _roles(facts) == {("Arki", "Vaasan kaupunki", "lead")}


def test_nearest_cue_decides_the_role(nlp):
    facts = _facts(
        nlp,
        "Arki-hanke alkoi. Lapin yliopisto on hankkeen päätoteuttaja ja sen "
        "yhteistyökumppanina on Keravan kaupunki.",
    )
    assert _roles(facts) == {
        ("Arki", "Lapin yliopisto", "lead"),
        ("Arki", "Keravan kaupunki", "collaborator"),
    }


def test_listed_organisations_share_the_cue(nlp):
    facts = _facts(
        nlp,
        "Arki-hankkeen osatoteuttajia ovat Lahden kaupunki (Lahti), Porvoon kaupunki, "
        "Keravan kaupunki sekä Pohjanmaan Palvelu Oy.",
    )
    partners = {o for _p, o, r in _roles(facts) if r == "partner"}
    assert partners == {
        "Lahden kaupunki",
        "Porvoon kaupunki",
        "Keravan kaupunki",
        "Pohjanmaan Palvelu Oy",
    }


def test_every_participation_keeps_span_sentence_and_cue(nlp):
    text = "Otsikko\n\nArki-hanketta hallinnoi Lapin yliopisto. Se alkoi keväällä."
    facts = _facts(nlp, text)
    (part,) = facts.participations
    assert part.span is not None
    assert text[part.span.start : part.span.end] == "Lapin yliopisto"
    assert part.span.line == 3
    assert part.sentence == "Arki-hanketta hallinnoi Lapin yliopisto."
    assert part.role_text == "hallinnoi"


# ----------------------------------------------------------------------------- projects


def test_sentence_project_then_context_project(nlp):
    facts = _facts(
        nlp,
        "Arki-hanke alkoi. Hanketta hallinnoi Lapin yliopisto.\n\n"
        "Kotona-hanke jatkuu. Osatoteuttajana on Vaasan kaupunki.",
    )
    assert _roles(facts) == {
        ("Arki", "Lapin yliopisto", "lead"),
        ("Kotona", "Vaasan kaupunki", "partner"),
    }


def test_mentions_of_one_project_merge(nlp):
    facts = _facts(
        nlp,
        "Ikääntyneiden kotihoidon kehittäminen (IKKE) -hanke alkoi. IKKE-hankkeen tulokset "
        "julkaistaan. Ikke-projektin väki kiittää.",
    )
    assert len(facts.projects) == 1
    p = facts.projects[0]
    assert p.name == "Ikääntyneiden kotihoidon kehittäminen"
    assert "IKKE" in p.aliases


def test_subtitle_prefix_is_an_alias(nlp):
    facts = _facts(nlp, "Hyvä Arki – kotihoito uudistuu -hanke alkoi.")
    assert facts.projects[0].name == "Hyvä Arki – kotihoito uudistuu"
    assert "Hyvä Arki" in facts.projects[0].aliases


def test_numbered_list_and_gathering_project(nlp):
    text = (
        "SoteSilta-hanketta hallinnoi ja koordinoi Lapin yliopisto. Mukana olevia hankkeita "
        "ovat\n\n  1. Arjen tuki kotiin, Atuki-hanke\n  2. Kotona paremmin\n\n"
        "Atuki-hanke kehittää kotihoitoa."
    )
    facts = _facts(nlp, text)
    names = {p.key: p.name for p in facts.projects}
    gather = next(p for p in facts.projects if p.name == "SoteSilta")
    assert sorted(names[k] for k in gather.gathers) == ["Arjen tuki kotiin", "Kotona paremmin"]
    assert ("SoteSilta", "Lapin yliopisto", "lead") in _roles(facts)
    atuki = next(p for p in facts.projects if p.name == "Arjen tuki kotiin")
    assert "Atuki" in atuki.aliases
    assert len(facts.projects) == 3


# ----------------------------------------------------------------------------- groups


def test_membership_cues(nlp):
    facts = _facts(
        nlp,
        "Arki-hanke kuuluu Yhdessä vahvemmiksi -konsortioon. Kotona-hanke on osa "
        "KasvuApu-verkostoa.",
    )
    groups = {g.name: g for g in facts.groups}
    names = {p.key: p.name for p in facts.projects}
    assert [names[k] for k in groups["Yhdessä vahvemmiksi"].members] == ["Arki"]
    assert groups["Yhdessä vahvemmiksi"].kind.value == "consortium"
    assert [names[k] for k in groups["KasvuApu"].members] == ["Kotona"]
    assert groups["KasvuApu"].kind.value == "network"


def test_consortium_lists_its_members(nlp):
    facts = _facts(nlp, "Yhdessä vahvemmiksi -konsortioon kuuluvat Arki-hanke ja Kotona-hanke.")
    names = {p.key: p.name for p in facts.projects}
    (g,) = facts.groups
    assert sorted(names[k] for k in g.members) == ["Arki", "Kotona"]


def test_counted_consortium_takes_the_projects_presented(nlp):
    facts = _facts(
        nlp,
        "Yhdessä vahvemmiksi -konsortioon kuuluu kaksi hanketta. Ne toteutetaan Euroopan "
        "sosiaalirahaston rahoituksella vuosina 2020–2022.\n\nArki-hanke\n\nHanketta "
        "hallinnoi Lapin yliopisto.\n\nKotona-hanke\n\nHanketta hallinnoi Vaasan kaupunki.",
    )
    (g,) = facts.groups
    assert len(g.members) == 2
    assert (g.start, g.end) == (2020, 2022)
    assert ("Arki", "Euroopan sosiaalirahasto", "funder") in _roles(facts)
    assert ("Kotona", "Vaasan kaupunki", "lead") in _roles(facts)


def test_sister_project(nlp):
    facts = _facts(nlp, "Arki-hanke on Kotona-hankkeen sisarhanke.")
    by_name = {p.name: p for p in facts.projects}
    assert by_name["Arki"].sister_projects == [by_name["Kotona"].key]
    assert by_name["Kotona"].sister_projects == [by_name["Arki"].key]


# ----------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Arki-hanke toimii 1.3.2020–28.2.2023.", dt.date(2020, 3, 1), dt.date(2023, 2, 28)),
        ("Arki-hanke toteutetaan vuosina 2019–2021.", 2019, 2021),
        ("Arki-hanke sai lisärahoitusta vuodelle 2022.", 2022, None),
        (
            "Arki-hankkeen toiminta-aika on 1/2019–12/2022.",
            dt.date(2019, 1, 1),
            dt.date(2022, 12, 31),
        ),
    ],
)
def test_periods(nlp, text, start, end):
    facts = _facts(nlp, text)
    (p,) = facts.projects
    assert (p.start, p.end) == (start, end)


def test_period_of_counted_projects_is_not_the_sentence_project(nlp):
    facts = _facts(
        nlp,
        "Arki-hankkeeseen osallistuu kolme Euroopan sosiaalirahaston vuosina 2019–2022 "
        "rahoittamaa hanketta.",
    )
    (p,) = facts.projects
    assert (p.start, p.end) == (None, None)


# ----------------------------------------------------------------------------- aliases


def test_abbreviation_in_parentheses_is_an_alias_for_the_rest(nlp):
    facts = _facts(
        nlp,
        "Arki-hanketta hallinnoi Pohjanmaan Palvelu Oy (PoPa). Kotona-hankkeen "
        "osatoteuttajana toimii PoPa.",
    )
    orgs = {p.organisation for p in facts.participations}
    assert len(orgs) == 1
    org = facts.organisation(orgs.pop())
    assert org.name == "Pohjanmaan Palvelu Oy"
    assert "PoPa" in org.aliases
    assert _roles(facts) == {
        ("Arki", "Pohjanmaan Palvelu Oy", "lead"),
        ("Kotona", "Pohjanmaan Palvelu Oy", "partner"),
    }


def test_inflected_names_are_reduced_to_base_form(nlp):
    facts = _facts(
        nlp, "Arki-hanke toteutetaan Lapin yliopiston ja Työterveyslaitoksen yhteistyönä."
    )
    assert {o.name for o in facts.organisations} >= {"Lapin yliopisto", "Työterveyslaitos"}


def test_unit_of_an_organisation_goes_to_the_organisation(nlp):
    facts = _facts(nlp, "Arki-hanketta hallinnoi Lapin yliopiston Arktinen keskus.")
    assert _roles(facts) == {("Arki", "Lapin yliopisto", "lead")}


# ----------------------------------------------------------------------------- batches, records


def test_batch_equals_one_by_one(nlp):
    texts = [
        "Arki-hanketta hallinnoi Lapin yliopisto.",
        "Kotona-hankkeen osatoteuttaja on Vaasan kaupunki.",
        "Tässä ei ole hankkeita.",
    ]
    docs = [Document.from_text(t, source=f"{i}.txt") for i, t in enumerate(texts)]
    batch = list(extract_articles(docs, nlp=nlp, batch_size=2))
    single = [extract_article(d, nlp=nlp) for d in docs]
    assert [_roles(f) for f in batch] == [_roles(f) for f in single]
    assert [f.source for f in batch] == ["0.txt", "1.txt", "2.txt"]


_RECORD = """Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus

1 Hanke

Hankekoodi: S29999

Hankkeen nimi: Koekaniini - arjen tuki

2 Hakijan perustiedot

Hakijan virallinen nimi: Pudasjärven Kehitys Oy

Y-tunnus: 2890880-3

3 Suunnitelman mukainen tiivistelmä toteutuksesta

Koekaniini-hankkeen päätoteuttajana toimii Pudasjärven Kehitys Oy. Yhteistyökumppanina
hankkeessa on Porvoon kaupunki. Hankkeessa kuullaan myös Oulun yliopiston asiantuntijoita.

4 Hankkeen kohderyhmät

4.1 Varsinaiset kohderyhmät

Kohderyhmänä ovat alueen yritykset.

5 Projektin julkinen rahoitus, euroa

Myönnetty EU- ja valtion rahoitus: 100 000
"""


def test_prose_sections_of_a_record():
    titles = [t for _s, _e, t in prose_sections(_RECORD)]
    # "4 Hankkeen kohderyhmät" has no text of its own before 4.1
    assert titles == ["Suunnitelman mukainen tiivistelmä toteutuksesta", "Varsinaiset kohderyhmät"]


def test_enrich_record_adds_prose_partners_without_duplicates(nlp):
    from sotegraph.extract.eura import parse_eura

    doc = Document.from_text(_RECORD, source="record.txt")
    assert doc.genre is Genre.EURA_RECORD
    facts = parse_eura(doc)
    before = len(facts.participations)
    enrich_record(doc, facts, nlp=nlp)
    added = facts.participations[before:]
    assert [(facts.organisation(p.organisation).name, p.role) for p in added] == [
        ("Porvoon kaupunki", Role.COLLABORATOR)
    ]
    assert added[0].project == facts.projects[0].key
    assert doc.text[added[0].span.start : added[0].span.end] == "Porvoon kaupunki"
    leads = [p for p in facts.participations if p.role is Role.LEAD]
    assert len(leads) == 1
    # "Koekaniini" begins the record's project name: an alias, not a new project
    assert len(facts.projects) == 1
    assert "Koekaniini" in facts.projects[0].aliases


# ----------------------------------------------------------------------------- places, themes


def test_target_areas_from_area_sentences(nlp):
    facts = _facts(
        nlp,
        "Arki-hanke toteutuu Etelä-Savossa ja Pohjois-Karjalassa. Seminaari pidettiin Oulussa.",
    )
    places = facts.projects[0].places
    assert [(p.text, p.level.value) for p in places] == [
        ("Etelä-Savossa", "region"),
        ("Pohjois-Karjalassa", "region"),
    ]
    assert all(p.iri for p in places)


def test_themes_weighted_and_spanned(nlp):
    text = (
        "Työhyvinvointia kehitetään Arki-hankkeessa\n\n"
        "Arki-hanke vahvistaa työhyvinvointia ja osaamista. Hankkeessa kehitetään "
        "työhyvinvointia tukevia malleja."
    )
    facts = _facts(nlp, text)
    themes = facts.projects[0].themes
    assert themes, "no themes"
    top = max(themes, key=lambda t: t.weight)
    assert top.label == "työhyvinvointi"
    assert top.span is not None
    assert text[top.span.start : top.span.end].lower().startswith("työhyvinvoin")


def test_generic_subject_joins_the_named_members(nlp):
    facts = _facts(
        nlp,
        "Arki-hanke alkoi. Hanke kuuluu Hyvä Koti -konsortioon, johon kuuluvat myös "
        "Kotona-hanke ja Apu-hanke.",
    )
    names = {p.key: p.name for p in facts.projects}
    (g,) = facts.groups
    assert sorted(names[k] for k in g.members) == ["Apu", "Arki", "Kotona"]


def test_a_role_in_a_group_is_no_project_role(nlp):
    facts = _facts(
        nlp, "Arki-hanke kuuluu Hyvä Koti -konsortioon. Konsortiota koordinoi Lapin yliopisto."
    )
    assert facts.participations == []


def test_an_organisation_is_not_a_target_area(nlp):
    facts = _facts(
        nlp, "Arki-hanke alkoi. Pilottiorganisaationa toimii Pohjois-Savon hyvinvointialue."
    )
    assert facts.projects[0].places == []
    assert ("Arki", "Pohjois-Savon hyvinvointialue", "collaborator") in _roles(facts)


def test_quoted_name_after_a_sentence_initial_keyword_and_pronoun_subject(nlp):
    facts = _facts(
        nlp,
        'Hanke "Hyvä mieli koulussa" alkoi syksyllä. Sitä hallinnoi Oulun kaupunki. '
        'Hankkeen sisarhanke on "Mieli kouluun" -hanke.',
    )
    by_name = {p.name: p for p in facts.projects}
    assert ("Hyvä mieli koulussa", "Oulun kaupunki", "lead") in _roles(facts)
    assert by_name["Hyvä mieli koulussa"].sister_projects == [by_name["Mieli kouluun"].key]


@pytest.mark.slow
def test_extract_articles_in_two_processes():
    docs = [
        Document.from_text("Arki-hanketta hallinnoi Lapin yliopisto.", source="a.txt"),
        Document.from_text("Kotona-hankkeen osatoteuttaja on Vaasan kaupunki.", source="b.txt"),
    ]
    got = [_roles(f) for f in extract_articles(docs, n_process=2, batch_size=1)]
    assert got == [
        {("Arki", "Lapin yliopisto", "lead")},
        {("Kotona", "Vaasan kaupunki", "partner")},
    ]


def test_programme_and_code_of_a_project(nlp):
    facts = _facts(nlp, "Arki-hanke (S21999) on osa Hyvä Elämä -ohjelmaa.")
    (p,) = facts.projects
    assert (p.code, p.programme) == ("S21999", "Hyvä Elämä")


def test_a_project_only_mentioned_does_not_take_the_context(nlp):
    facts = _facts(
        nlp,
        "Arki-hanketta hallinnoi Lapin yliopisto. Hanke toimii yhteistyössä Kotona-hankkeen "
        "kanssa. Pilottiorganisaationa on Keravan kaupunki.",
    )
    assert ("Arki", "Keravan kaupunki", "collaborator") in _roles(facts)


def test_a_name_without_its_legal_form_is_the_same_organisation(nlp):
    facts = _facts(
        nlp,
        "Arki-hanketta hallinnoi Mäntsälän Kehitys Oy. Kotona-hanketta hallinnoi "
        "Mäntsälän Kehitys.",
    )
    assert len({p.organisation for p in facts.participations}) == 1


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Arki-hankkeen kokonaisbudjetti on 1,2 miljoonaa euroa.", "planned_public", "1200000"),
        ("Ministeriö myönsi Arki-hankkeelle 450 000 euroa.", "granted_eu_state", "450000"),
        ("Arki-hanketta rahoitetaan 1,5 Me:n avustuksella.", "granted_eu_state", "1500000"),
    ],
)
def test_amounts_of_a_project(nlp, text, field, value):
    from decimal import Decimal

    (p,) = _facts(nlp, text).projects
    assert getattr(p, field) == Decimal(value)


def test_amount_of_counted_projects_is_not_the_projects(nlp):
    facts = _facts(
        nlp, "Arki-hankkeeseen osallistuu kolme yhteensä 9,5 miljoonaa euroa saanutta hanketta."
    )
    (p,) = facts.projects
    assert (p.planned_public, p.granted_eu_state) == (None, None)

"""Detection and removal of personal data (sotegraph.privacy), on invented texts."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from sotegraph.privacy import (
    PersonalDataKind,
    contains_personal_data,
    find_personal_data,
    redact,
    scrub_graph,
)
from sotegraph.vocab import SG

SCHEMA_NAME = URIRef("https://schema.org/name")


def kinds_values(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(h.kind.value, h.value) for h in find_personal_data(text, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sähköposti: liisa.esimerkki@hanke.fi", "liisa.esimerkki@hanke.fi"),
        (
            "Yhteyshenkilön sähköpostisoite: liisa.esimerkki(at)hanke.fi",
            "liisa.esimerkki(at)hanke.fi",
        ),
        ("kirjoita osoitteeseen liisa.esimerkki[at]hanke.fi kiitos", "liisa.esimerkki[at]hanke.fi"),
        ("kirjoita: liisa.esimerkki at hanke.fi", "liisa.esimerkki at hanke.fi"),
        ("osoite matti (at) kunta (dot) fi", "matti (at) kunta (dot) fi"),
        ("<matti.m+sote@alue.hyvinvointialue.fi>", "matti.m+sote@alue.hyvinvointialue.fi"),
    ],
)
def test_email_forms(text: str, value: str) -> None:
    assert kinds_values(text, use_voikko=False) == [("email", value)]


@pytest.mark.parametrize(
    "text",
    [
        "Tapaaminen at the venue.",  # English "at" with no domain
        "Hanke toteutetaan ajalla 1.3.2018–31.12.2020.",
        "Katso www.esimerkki.fi",
    ],
)
def test_not_emails(text: str) -> None:
    assert [h for h in find_personal_data(text) if h.kind is PersonalDataKind.EMAIL] == []


@pytest.mark.parametrize(
    "phone",
    [
        "044-7101008",
        "0405018751",
        "045 180 7767",
        "+358 40 869 6494",
        "+358 9 771 2198",
        "+358401234567",
        "+358 (0)40 123 4567",
        "(08) 618991",
        "09 1234 5678",
        "050 562 3403",
        "00358 40 123 4567",
    ],
)
def test_phone_forms(phone: str) -> None:
    text = f"Puhelin: {phone}, soita arkisin."
    assert kinds_values(text, use_voikko=False) == [("phone", phone)]


@pytest.mark.parametrize(
    "text",
    [
        "Y-tunnus: 0188962-2",  # business id of a town, not a phone
        "Postinumero: 00100",
        "Myönnetty EU- ja valtion rahoitus: 208 856",
        "Alkaa 01.03.2018 ja päättyy 31.12.2020",
        "vuosina 2019–2021 noin 045 henkilöä",
        "Koodi S21259, versio 0.4.1",
        "osuus 0,75 ja 0.25",
    ],
)
def test_not_phones(text: str) -> None:
    assert [h.value for h in find_personal_data(text) if h.kind is PersonalDataKind.PHONE] == []


def test_hetu_valid_only() -> None:
    # 131052-308T is the textbook example code with a valid check character
    assert kinds_values("Henkilötunnus: 131052-308T") == [("hetu", "131052-308T")]
    # the 2023 century signs (Y for 1900s, A–F for 2000s)
    assert kinds_values("tunnus 010594Y0020 on") == [("hetu", "010594Y0020")]
    assert kinds_values("tunnus 010504A002S.") == [("hetu", "010504A002S")]
    # wrong check character: not reported as an identity code
    assert [h for h in find_personal_data("131052-308U") if h.kind is PersonalDataKind.HETU] == []


@pytest.mark.parametrize(
    ("text", "name", "rule"),
    [
        ("Hankkeen yhteyshenkilön nimi: Ritva Keksitty", "Ritva Keksitty", "contact-field"),
        ("Yhteyshenkilö: Olli-Pekka Mallinen", "Olli-Pekka Mallinen", "contact-field"),
        (
            "Lisätietoja: Sanna Kuvitelma, projektipäällikkö, 040 765 4321",
            "Sanna Kuvitelma",
            "contact-field",
        ),
        ("kertoo projektipäällikkö Jarmo Esimerkki Kuntaliitosta", "Jarmo Esimerkki", "title"),
        ("toteaa hankekoordinaattori Tiina Hauta-oja.", "Tiina Hauta-oja", "title"),
        ("Vastuuhenkilönä toimii dosentti Kerttu Keksitty.", "Kerttu Keksitty", "title"),
        (
            "Pirkko Mallikas, TtM, kehittämispäällikkö, Esimerkkikunta",
            "Pirkko Mallikas",
            "signature",
        ),
        ("Veikko Vertaus, KT, yliopettaja (sote)", "Veikko Vertaus", "signature"),
    ],
)
def test_names_in_context(text: str, name: str, rule: str) -> None:
    hits = [
        h for h in find_personal_data(text, use_voikko=False) if h.kind is PersonalDataKind.NAME
    ]
    assert [(h.value, h.rule) for h in hits] == [(name, rule)]


def test_contact_block_and_later_mentions() -> None:
    text = (
        "Yhteystiedot\n\nAnneli Kuviteltu\n\nkehittämispäällikkö\nPuhelin:\n+358 40 111 2233\n"
        "Sähköposti:\nanneli.kuviteltu@esimerkki.fi\n\n"
        "Muualla tekstissä Kuviteltu kertoo, että Anneli Kuviteltu vastaa hankkeesta.\n"
    )
    hits = find_personal_data(text, use_voikko=False)
    names = [(h.value, h.rule, h.span.line) for h in hits if h.kind is PersonalDataKind.NAME]
    assert names == [
        ("Anneli Kuviteltu", "contact-block", 3),
        ("Kuviteltu", "known-surname", 11),
        ("Anneli Kuviteltu", "known-name", 11),
    ]
    assert "Kuviteltu" not in redact(text)
    for h in hits:
        assert text[h.span.start : h.span.end] == h.value


def test_voikko_first_names() -> None:
    pytest.importorskip("libvoikko")
    from sotegraph.nlp.voikko import voikko as _voikko

    if _voikko() is None:
        pytest.skip("libvoikko is installed but the Finnish dictionary (voikko-fi) is not")
    text = "Aamulla Helena Kuvitelmainen esitteli tulokset."
    assert kinds_values(text) == [("name", "Helena Kuvitelmainen")]
    assert kinds_values(text, use_voikko=False) == []
    # genitive place names and company names are not people
    assert kinds_values("Kajaanin Ammattikorkeakoulu ja Matti Esimerkki Oy") == []


@pytest.mark.parametrize(
    "text",
    [
        "Hanketta hallinnoi Kajaanin ammattikorkeakoulu, osatoteuttaja on Pudasjärven kaupunki.",
        "Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus",
        "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus",
        "Myönnetty EU- ja valtion rahoitus: 208 856",
        "Siun sote ja Essote ovat mukana pilotissa.",
    ],
)
def test_no_false_positives_on_ordinary_text(text: str) -> None:
    assert find_personal_data(text) == []
    assert redact(text) == text
    assert not contains_personal_data(text)


def test_known_names_and_placeholder() -> None:
    text = "Kokouksen avasi Usko Keksijä ja Keksijä esitteli hankkeen."
    assert redact(text, names=["Usko Keksijä"], use_voikko=False) == (
        "Kokouksen avasi [nimi] ja [nimi] esitteli hankkeen."
    )
    assert redact(text, names=["Usko Keksijä"], placeholder="X", use_voikko=False) == (
        "Kokouksen avasi X ja X esitteli hankkeen."
    )


def test_redact_keeps_the_rest() -> None:
    text = "Hanke kehittää palveluja. Lisätietoja antaa Kaisa Kuvitelma, puh. 044-1112233."
    assert redact(text) == "Hanke kehittää palveluja. Lisätietoja antaa [nimi], puh. [puhelin]."


def _graph_with_person() -> tuple[Graph, URIRef, URIRef]:
    g = Graph()
    project = URIRef("https://w3id.org/sotegraph/id/project/S29999")
    person = URIRef("https://w3id.org/sotegraph/id/person/x1")
    g.add((project, RDF.type, SG.Project))
    g.add((project, SKOS.prefLabel, Literal("Keksitty hanke", lang="fi")))
    g.add(
        (
            project,
            SG.summary,
            Literal("Hanketta vetää Raili Rekisteri. Puh. 050 999 8877.", lang="fi"),
        )
    )
    g.add((project, SG.contactPerson, person))
    g.add((person, RDF.type, SG.Person))
    g.add((person, SCHEMA_NAME, Literal("Raili Rekisteri")))
    g.add((person, SG.email, Literal("raili.rekisteri@esimerkki.fi")))
    g.add((person, SG.telephone, Literal("050 999 8877")))
    return g, project, person


def test_scrub_graph_removes_people_and_redacts_literals() -> None:
    g, project, person = _graph_with_person()
    before = len(g)
    clean = scrub_graph(g, use_voikko=False)
    assert len(g) == before, "the input graph must not change"
    assert (person, None, None) not in clean
    assert (None, None, person) not in clean
    assert str(clean.value(project, SG.summary)) == "Hanketta vetää [nimi]. Puh. [puhelin]."
    assert clean.value(project, SG.summary).language == "fi"  # type: ignore[union-attr]
    assert str(clean.value(project, SKOS.prefLabel)) == "Keksitty hanke"
    text = clean.serialize(format="nt")
    for secret in ("Raili", "Rekisteri", "050 999 8877", "esimerkki.fi"):
        assert secret not in text


def test_scrub_dataset_keeps_named_graphs_and_flag() -> None:
    g, project, _ = _graph_with_person()
    ds = Dataset()
    doc = URIRef("https://w3id.org/sotegraph/id/document/abc")
    named = ds.graph(doc)
    for t in g:
        named.add(t)
    named.add((doc, SG.includesPersonalData, Literal(True)))
    clean = scrub_graph(ds, use_voikko=False)
    assert isinstance(clean, Dataset)
    assert {c.identifier for c in clean.graphs()} >= {doc}
    clean_named = clean.graph(doc)
    assert clean_named.value(doc, SG.includesPersonalData) == Literal(False)
    assert str(clean_named.value(project, SG.summary)).startswith("Hanketta vetää [nimi]")
    assert "Rekisteri" not in clean.serialize(format="nquads")


def test_scrub_graph_renames_slug_iris_with_names() -> None:
    g = Graph()
    bad = URIRef("https://w3id.org/sotegraph/id/project/raili-rekisteri-kt-dosentti")
    ok = URIRef("https://w3id.org/sotegraph/id/project/S29999")
    g.add((bad, RDF.type, SG.Project))
    g.add((bad, SKOS.prefLabel, Literal("Raili Rekisteri, KT, dosentti", lang="fi")))
    g.add((ok, SG.sisterProject, bad))
    clean = scrub_graph(g, use_voikko=False)
    text = clean.serialize(format="nt")
    assert "rekisteri" not in text.lower()
    (renamed,) = set(clean.subjects(RDF.type, SG.Project))
    assert str(renamed).startswith("https://w3id.org/sotegraph/id/project/redacted-")
    assert (ok, SG.sisterProject, renamed) in clean
    assert str(clean.value(renamed, SKOS.prefLabel)) == "[nimi], KT, dosentti"

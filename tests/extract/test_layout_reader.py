"""The layout reader (:mod:`sotegraph.extract.layout`): every rule with invented texts.

Also its wiring into the article extractor: layout facts first, the prose merged after,
layout roles locked, every span in the original text. (``tests/test_layout.py`` is the
package-layering test.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sotegraph.extract.layout import (
    apply_page_statements,
    clean_text,
    layout_pass,
    page_statements,
    read_layout,
    reconcile,
    split_organisations,
)
from sotegraph.extract.layout import (
    find_period as parse_period_text,
)
from sotegraph.facts import Facts, OrganisationFact, Participation, ProjectFact, Role
from sotegraph.read import Document


def roles(facts: Facts, project_name: str | None = None) -> set[tuple[str, str]]:
    keys = {p.key for p in facts.projects if project_name in (None, p.name)}
    return {
        (x.role.value, facts.organisation(x.organisation).name)
        for x in facts.participations
        if x.project in keys
    }


# ----------------------------------------------------------------- clean view


def test_boilerplate_lines_are_blanked() -> None:
    text = (
        "Koelan kaupunki\n"
        "Asuminen | Kulttuuri | Liikenne | Hallinto\n"
        "Sivusto käyttää evästeitä. [Hyväksy] [Asetukset]\n"
        "Etusivu > Hankkeet > Koemalli\n"
        "Hanke alkoi keväällä.\n"
        "Jaa sivu: Facebook | Twitter\n"
        "Koelan kaupunki | Koekatu 4, 99100 Koela | Vaihde 012 345 678\n"
    )
    clean = clean_text(text).text
    assert "Hanke alkoi keväällä." in clean
    for gone in ("evästeitä", "Etusivu", "Facebook", "Koekatu", "Kulttuuri"):
        assert gone not in clean


def test_contact_block_is_blanked() -> None:
    clean = clean_text("Teksti.\n\nLisätietoja:\nprojektipäällikkö Maija Koe\nmaija@koe.fi\n").text
    assert "Maija" not in clean
    assert "Teksti." in clean


def test_a_sentence_giving_a_phone_number_stays_prose() -> None:
    sentence = (
        "Osatoteuttajana on Koelan kaupunki, jonka yhteyshenkilö vastaa kokeiluista, "
        "puh. 012 345 6789."
    )
    clean = clean_text("Teksti.\n" + sentence + "\nMaija Koe, puh. 012 345 6789\n").text
    assert sentence in clean
    assert "Maija" not in clean


def test_hyphenated_words_rejoin_and_keep_spelled_hyphens() -> None:
    c = clean_text(
        "Hankkeen päätoteuttaja oli Koelan am-\nmattikorkeakoulu ja Hoiva-\nalan yritys."
    )
    assert "Koelan ammattikorkeakoulu" in c.text
    assert "Hoiva-alan" in c.text
    c = clean_text("Yhteistyössä oli mukana Pohjois-\nKoelan liitto.")
    assert "Pohjois-Koelan liitto" in c.text


def test_running_page_headers_and_numbers_are_dropped() -> None:
    text = (
        "Koeraportti – Loppuraportti          3\n\nEnsimmäinen sivu.\n"
        "______________________\n"
        "Koeraportti – Loppuraportti          4\n\nToinen sivu.\n"
    )
    clean = clean_text(text).text
    assert "Loppuraportti" not in clean
    assert "Ensimmäinen sivu." in clean
    assert "Toinen sivu." in clean


def test_offsets_lead_back_to_the_original() -> None:
    text = "Rahoi-\ntus tuli Koeministeriöltä."
    c = clean_text(text)
    at = c.text.index("Koeministeriöltä")
    s, e = c.original(at, at + len("Koeministeriöltä"))
    assert text[s:e] == "Koeministeriöltä"


# ----------------------------------------------------------------- values


def test_periods() -> None:
    assert parse_period_text("1.3.2016–28.2.2018") == (dt.date(2016, 3, 1), dt.date(2018, 2, 28))
    assert parse_period_text("Alkaa 1.5.2017 ja päättyy 30.4.2019") == (
        dt.date(2017, 5, 1),
        dt.date(2019, 4, 30),
    )
    assert parse_period_text("2019–2021") == (2019, 2021)


def test_organisation_lists() -> None:
    got = split_organisations("Koelan kaupunki; Testilän ammattikorkeakoulu (TAMKO)")
    assert [(m.name, m.aliases) for m in got] == [
        ("Koelan kaupunki", []),
        ("Testilän ammattikorkeakoulu", ["TAMKO"]),
    ]
    # a genitive before "ja" belongs to one name
    assert [m.name for m in split_organisations("Koelan Lasten ja Nuorten Säätiö")] == [
        "Koelan Lasten ja Nuorten Säätiö"
    ]
    # coordinated modifiers and plural common nouns are not organisations
    assert split_organisations("Aalan, Beelan ja Ceelan sosiaalitoimet") == []
    # a comma after a hyphenated first part is inside the name
    assert [
        m.name for m in split_organisations("Koe-Savon elinkeino-, liikenne- ja ympäristökeskus")
    ] == ["Koe-Savon elinkeino-, liikenne- ja ympäristökeskus"]


# ----------------------------------------------------------------- labelled fields


def test_inline_labels_of_one_project_page() -> None:
    text = (
        "Kokonaisuuden nimi: Arjen tuki - uusi malli\n"
        "Toteuttajat: Koelan kuntayhtymä (KoeSote), hallinnoija\n"
        "Yhteistyökumppanit: Testiyhdistys ry\n"
        "Rahoittaja: Koe-Savon ELY-keskus, Euroopan sosiaalirahaston (ESR) rahoitus\n"
        "Kesto: 1.1.2018–31.12.2019\n"
    )
    f = read_layout(text)
    assert f.projects[0].name == "Arjen tuki - uusi malli"
    assert f.projects[0].start == dt.date(2018, 1, 1)
    assert roles(f) == {
        ("lead", "Koelan kuntayhtymä"),
        ("collaborator", "Testiyhdistys ry"),
        ("authority", "Koe-Savon ELY-keskus"),
        ("funder", "Euroopan sosiaalirahasto"),
    }


def test_label_and_value_on_consecutive_lines() -> None:
    text = (
        "Kokonaisuuden nimi\nKoemalli arkeen\n\n"
        "Toteuttajat\nPäätoteuttaja: Koelan kaupunki\nOsatoteuttajat: Testiopisto, Koesäätiö\n\n"
        "Kesto\n1.2.2020–31.1.2022\n"
    )
    f = read_layout(text)
    assert f.projects[0].name == "Koemalli arkeen"
    assert f.projects[0].end == dt.date(2022, 1, 31)
    assert roles(f) == {
        ("lead", "Koelan kaupunki"),
        ("partner", "Testiopisto"),
        ("partner", "Koesäätiö"),
    }


def test_sole_implementer_with_a_verb_leads() -> None:
    f = read_layout(
        "Kokonaisuuden nimi: Koemallit\nToteuttajat: Koelaitos (KL) koordinoi kokeiluja\n"
    )
    assert roles(f) == {("lead", "Koelaitos")}


def test_two_column_form_with_wrapped_label_and_value() -> None:
    text = (
        "Hankkeen nimi        Koelainen kuntamalli\n"
        "                     -projekti (KoKu)\n"
        "Hankekoodi           S19999\n"
        "Hallinnoija          Koelan kuntayhtymä, sosiaali- ja terveys-\n"
        "                     toimiala\n"
        "Rahoittava viran-    Koe-Savon elinkeino-, liikenne- ja ympäris-\n"
        "omainen              tökeskus\n"
        "Toteutusaika         1.3.2010–31.12.2012\n"
    )
    f = read_layout(text)
    p = f.projects[0]
    assert p.code == "S19999"
    assert "KoKu" in p.aliases
    assert p.start == dt.date(2010, 3, 1)
    assert roles(f) == {
        ("lead", "Koelan kuntayhtymä"),
        ("authority", "Koe-Savon elinkeino-, liikenne- ja ympäristökeskus"),
    }


def test_application_form_without_colons() -> None:
    text = (
        "Hankekoodi S19998                              Tila Käynnissä\n\n"
        "Hakijan virallinen nimi       Koelan kaupunki\n\n"
        "Osatoteuttajat\n"
        "Hakijan (osatoteuttajan) nimi          Y-tunnus    Organisaatiotyyppi\n"
        "Testilän ammattikorkeakoulu Oy         1234567-8   Ammattikorkeakoulu\n\n"
        "Hankkeen julkinen nimi        Kokeilu\n"
        "Alkamispäivämäärä             1.6.2016\n"
        "Päättymispäivämäärä           31.5.2018\n"
    )
    f = read_layout(text)
    p = f.projects[0]
    assert (p.name, p.code, p.start, p.end) == (
        "Kokeilu",
        "S19998",
        dt.date(2016, 6, 1),
        dt.date(2018, 5, 31),
    )
    assert roles(f) == {("lead", "Koelan kaupunki"), ("partner", "Testilän ammattikorkeakoulu Oy")}
    assert (
        f.organisation(
            next(x.organisation for x in f.participations if x.role is Role.PARTNER)
        ).business_id
        == "1234567-8"
    )


# ----------------------------------------------------------------- lists and tables


def test_numbered_items_with_fields_and_list_fund() -> None:
    text = (
        "Ministeriö myönsi Euroopan sosiaalirahaston (ESR) rahoitusta kahdelle hankkeelle:\n\n"
        "1) Ensimmäinen koe (S19001)\n"
        "Hallinnoija: Koelan kaupunki\n"
        "Toteutusaika: 1.1.2016–31.12.2017\n\n"
        "2) Toinen koe -projekti (S19002)\n"
        "Hallinnoija: Testisäätiö\n"
        "Toteutusaika: 1.2.2016–31.1.2018\n"
    )
    f = read_layout(text)
    assert [p.code for p in f.projects] == ["S19001", "S19002"]
    assert roles(f, "Ensimmäinen koe") == {
        ("lead", "Koelan kaupunki"),
        ("funder", "Euroopan sosiaalirahasto"),
    }
    assert roles(f, "Toinen koe -projekti") == {
        ("lead", "Testisäätiö"),
        ("funder", "Euroopan sosiaalirahasto"),
    }


def test_bulleted_items_with_prose_inside() -> None:
    text = (
        "Rahoitusta saivat:\n\n"
        "• Koemalli (S19003). Hanketta hallinnoi Koelan kaupunki, ja se toteutetaan "
        "1.3.2016–28.2.2018.\n\n"
        "• Testimalli (S19004). Toteuttajana on Testilän yliopisto. Toteutusaika on "
        "1.4.2016–31.3.2018.\n"
    )
    f = read_layout(text)
    assert roles(f, "Koemalli") == {("lead", "Koelan kaupunki")}
    assert roles(f, "Testimalli") == {("lead", "Testilän yliopisto")}
    assert f.projects[1].end == dt.date(2018, 3, 31)


def test_pipe_table_with_cells_wrapped_over_lines() -> None:
    text = (
        "Koodi  | Hanke                    | Toteuttaja               | Aika\n"
        "-------+--------------------------+--------------------------+---------------------\n"
        "S19005 | Hoiva-                   | Koelan sosiaali- ja ter- | 1.1.2016–31.12.2017\n"
        "       | alan uusi kehittä-       | veyskuntayhtymä          |\n"
        "       | minen                    |                          |\n"
        "S19006 | Toinen rivi              | Testilän Diakonia        | 1.2.2016–31.1.2018\n"
        "       |                          | säätiö                   |\n"
    )
    f = read_layout(text)
    assert [p.name for p in f.projects] == ["Hoiva-alan uusi kehittäminen", "Toinen rivi"]
    assert roles(f, "Hoiva-alan uusi kehittäminen") == {
        ("lead", "Koelan sosiaali- ja terveyskuntayhtymä")
    }
    assert roles(f, "Toinen rivi") == {("lead", "Testilän Diakonia säätiö")}


def test_markdown_table_with_authority_column() -> None:
    text = (
        "Koonti EAKR-rahoitetuista hankkeista\n\n"
        "| Koodi | Hankkeen nimi | Toteuttaja | Rahoittava viranomainen | Alkaa | Päättyy |\n"
        "|-------|---------------|------------|-------------------------|-------|---------|\n"
        "| A19007 | Koealusta | Koelan Kehitys Oy | Koe-Savon liitto | 1.4.2016 | 31.3.2018 |\n"
        "| A19008 | Testialusta | Testilän yliopisto | Koe-Karjalan liitto | 1.5.2016 | 30.4.2018 |\n"
    )
    f = read_layout(text)
    assert roles(f, "Koealusta") == {
        ("lead", "Koelan Kehitys Oy"),
        ("authority", "Koe-Savon liitto"),
        ("funder", "Euroopan aluekehitysrahasto"),
    }
    assert f.projects[1].start == dt.date(2016, 5, 1)


def test_role_table_of_a_report() -> None:
    text = (
        "Koehanke (KOE)\nHankekoodi A19009 · Toteutusaika 1.1.2019–31.12.2020\n\n"
        "Toteuttaja                 Rooli            Budjetti €\n"
        "--------------------------------------------------------\n"
        "Koelan kaupunki            päätoteuttaja       100 000\n"
        "Testiopisto Oy             osatoteuttaja        50 000\n"
        "--------------------------------------------------------\n"
        "Yhteensä                                       150 000\n"
    )
    f = read_layout(text)
    assert f.projects[0].name == "Koehanke (KOE)"
    assert f.projects[0].code == "A19009"
    assert roles(f) == {("lead", "Koelan kaupunki"), ("partner", "Testiopisto Oy")}


def test_list_of_organisations_after_an_introduction() -> None:
    text = (
        "Koetalo -hanke alkoi\n\n"
        "Koetalo -hanke kehittää palveluja.\n"
        "Hankkeeseen kuuluu kolme omaa osahankettaan toteuttavaa toimijaa:\n\n"
        "• Koelan kuntayhtymä\n"
        "• Testisäätiö\n"
        "• Koelan ammattikorkeakoulu (KAMKO), joka toimii yhteistyössä TESTIVERKKO ITÄn kanssa\n"
    )
    f = read_layout(text)
    assert roles(f) == {
        ("partner", "Koelan kuntayhtymä"),
        ("partner", "Testisäätiö"),
        ("partner", "Koelan ammattikorkeakoulu"),
        ("collaborator", "TESTIVERKKO ITÄ"),
    }


def test_project_in_brackets() -> None:
    f = read_layout(
        "Koelan liitto rahoittaa myös yhteistä 6Koe: Testit kiertoon -hanketta (A19010, "
        "Testilän ammattikorkeakoulu Oy, 1.10.2016–30.9.2018), joka ei kuulu koontiin."
    )
    p = f.projects[0]
    assert (p.name, p.code, p.end) == ("6Koe: Testit kiertoon", "A19010", dt.date(2018, 9, 30))
    assert roles(f) == {("lead", "Testilän ammattikorkeakoulu Oy")}


# ----------------------------------------------------------------- page-level rules


def test_breadcrumb_and_heading_name_the_page_project() -> None:
    text = (
        "Etusivu > Palvelut > Hankkeet > KoMa\n\nKoMa - Koelan malli\n\n"
        "KoMa on kehittämishanke. Hanke toteutetaan 1.9.2016–31.12.2018, ja sitä rahoitetaan "
        "Euroopan sosiaalirahaston ja valtion varoin.\n"
    )
    f = read_layout(text)
    p = f.projects[0]
    assert p.name == "KoMa - Koelan malli"
    assert "KoMa" in p.aliases
    assert (p.start, p.end) == (dt.date(2016, 9, 1), dt.date(2018, 12, 31))
    assert roles(f) == {("funder", "Euroopan sosiaalirahasto")}


def test_title_with_project_keyword_and_state_grant() -> None:
    text = (
        "Koelan Tulevaisuuden keskus -ohjelma sai lisärahoitusta\n\n"
        "Sosiaali- ja terveysministeriö on myöntänyt ohjelmalle 2 miljoonaa euroa "
        "valtionavustusta.\n"
    )
    f = read_layout(text)
    assert f.projects[0].name == "Koelan Tulevaisuuden keskus -ohjelma"
    # the prose names it without the keyword
    assert f.projects[0].aliases == ["Koelan Tulevaisuuden keskus"]
    assert roles(f) == {("funder", "Sosiaali- ja terveysministeriö")}


def test_negated_funding_says_nothing() -> None:
    assert page_statements("Euroopan sosiaalirahasto ei rahoita hanketta.") == []


def test_months_give_a_period() -> None:
    got = [
        v
        for k, v, _s in page_statements(
            "Hanke alkoi toukokuussa 2018 ja päättyy huhtikuun lopussa 2020."
        )
        if k == "period"
    ]
    assert got == [(dt.date(2018, 5, 1), dt.date(2020, 4, 30))]


def test_swedish_administrator() -> None:
    got = page_statements("Projektet förvaltas av Koelands välfärdsområde och pågår.")
    assert ("lead", "Koelands välfärdsområde") in [(k, v) for k, v, _s in got]


def test_list_documents_are_multi_and_pages_are_single() -> None:
    assert not layout_pass("Kokonaisuuden nimi: Koe\n").multi


# ----------------------------------------------------------------- merging


def test_reconcile_turns_an_intermediate_body_into_the_authority() -> None:
    f = Facts(document_id="d", source="s")
    f.projects.append(ProjectFact(key="p1", name="Koe"))
    f.organisations += [
        OrganisationFact(key="o1", name="Euroopan sosiaalirahasto"),
        OrganisationFact(key="o2", name="Koe-Savon ELY-keskus"),
    ]
    f.participations += [
        Participation("p1", "o1", Role.FUNDER),
        Participation("p1", "o2", Role.FUNDER),
    ]
    reconcile(f)
    assert [x.role for x in f.participations] == [Role.FUNDER, Role.AUTHORITY]


def test_reconcile_merges_a_prose_name_with_leading_words() -> None:
    f = Facts(document_id="d", source="s")
    f.projects += [
        ProjectFact(key="lp1", name="Hyvä koti"),
        ProjectFact(key="p1", name="Olen tehnyt Hyvä koti"),
    ]
    f.organisations.append(OrganisationFact(key="o1", name="Koelan kaupunki"))
    f.participations.append(Participation("p1", "o1", Role.LEAD))
    reconcile(f, {"lp1"})
    assert [p.key for p in f.projects] == ["lp1"]
    assert f.participations[0].project == "lp1"


def test_apply_page_statements_does_not_overwrite() -> None:
    f = Facts(document_id="d", source="s")
    f.projects.append(ProjectFact(key="p1", name="Koe", start=dt.date(2017, 1, 1)))
    apply_page_statements(f, "p1", "Hanke toteutetaan 1.1.2016–31.12.2016 ESR-rahoituksella.")
    assert f.projects[0].start == dt.date(2017, 1, 1)
    assert roles(f) == {("funder", "Euroopan sosiaalirahasto")}


def test_counted_projects_are_not_the_page_project() -> None:
    assert (
        page_statements("Verkostoon kuuluu viisi Euroopan sosiaalirahaston rahoittamaa hanketta.")
        == []
    )


def test_prose_text_blanks_what_the_layout_read() -> None:
    text = "Kokonaisuuden nimi: Koe\nHallinnoija: Koelan kaupunki\n\nHanke alkoi keväällä.\n"
    r = layout_pass(text)
    assert len(r.prose_text) == len(r.clean.text)
    assert "Koelan kaupunki" not in r.prose_text
    assert "Hanke alkoi keväällä." in r.prose_text


def test_read_layout_spans_are_in_the_original_text() -> None:
    text = (
        "Sivusto käyttää evästeitä. [Hyväksy]\n"
        "Kokonaisuuden nimi: Koe\n"
        "Hallinnoija: Koelan kaupunki\n"
    )
    f = read_layout(text)
    span = f.organisations[0].span
    assert span is not None
    assert text[span.start : span.end] == "Koelan kaupunki"
    assert span.line == 3


# ----------------------------------------------------------------- wiring into the article extractor

_PAGE = (
    "Etusivu > Hankkeet > Koemalli\n\n"
    "Koemalli\n\n"
    "Hallinnoija: Koelan kaupunki\n"
    "Osatoteuttajat: Testilän ammattikorkeakoulu\n"
    "Toteutusaika: 1.3.2016–28.2.2018\n\n"
    "Hanketta hallinnoi Testilän ammattikorkeakoulu. Yhteistyökumppanina on Esimerkkilän "
    "yliopisto. Hanketta rahoittaa Euroopan sosiaa-\nlirahasto.\n\n"
    "Jaa sivu: Facebook | Twitter\n"
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    """The sotegraph pipeline (skips without spaCy)."""
    pytest.importorskip("spacy")
    from sotegraph.nlp import load_pipeline

    return load_pipeline()


@pytest.mark.nlp
def test_extract_article_reads_the_layout_then_the_prose(nlp: Any) -> None:
    from sotegraph.extract.article import extract_article

    f = extract_article(Document.from_text(_PAGE, source="koe.txt"), nlp=nlp)
    assert [(p.name, p.start, p.end) for p in f.projects] == [
        ("Koemalli", dt.date(2016, 3, 1), dt.date(2018, 2, 28))
    ]
    assert roles(f) == {
        ("lead", "Koelan kaupunki"),
        # the layout's partner stays a partner, though the prose says it leads
        ("partner", "Testilän ammattikorkeakoulu"),
        ("collaborator", "Esimerkkilän yliopisto"),
        ("funder", "Euroopan sosiaalirahasto"),
    }
    cues = {f.organisation(x.organisation).name: x.role_text for x in f.participations}
    assert cues["Koelan kaupunki"] == "layout:hallinnoija"
    assert cues["Esimerkkilän yliopisto"] == "Yhteistyökumppanina"


@pytest.mark.nlp
def test_every_span_is_in_the_original_text(nlp: Any) -> None:
    from sotegraph.extract.article import extract_article

    f = extract_article(Document.from_text(_PAGE, source="koe.txt"), nlp=nlp)
    for x in f.participations:
        assert x.span is not None
        assert x.span.line == _PAGE.count("\n", 0, x.span.start) + 1
        if x.role is not Role.FUNDER:
            assert _PAGE[x.span.start : x.span.end] == f.organisation(x.organisation).name
    # the fund's name runs over a hyphenated line break in the original
    fund = next(x for x in f.participations if x.role is Role.FUNDER)
    assert fund.span is not None
    assert _PAGE[fund.span.start : fund.span.end] == "Euroopan sosiaa-\nlirahasto"


@pytest.mark.nlp
def test_batch_equals_one_by_one_with_the_layout(nlp: Any) -> None:
    from sotegraph.extract.article import extract_article, extract_articles

    docs = [
        Document.from_text(_PAGE, source="a.txt"),
        Document.from_text(
            "Kokonaisuuden nimi: Toinen koe\nHallinnoija: Testisäätiö\n", source="b.txt"
        ),
    ]
    assert list(extract_articles(docs, nlp=nlp)) == [extract_article(d, nlp=nlp) for d in docs]


@pytest.mark.nlp
def test_long_prose_in_pieces_reads_the_layout_too(
    nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sotegraph.extract.article as article

    doc = Document.from_text(_PAGE, source="koe.txt")
    whole = article.extract_article(doc, nlp=nlp)
    monkeypatch.setattr(article, "NLP_PIECE_CHARS", 50)
    assert article.extract_article(doc, nlp=nlp) == whole


@pytest.mark.nlp
def test_the_title_project_named_without_its_keyword_is_one_project(nlp: Any) -> None:
    from sotegraph.extract.article import extract_article

    text = (
        "Koelan työkykyjohtaminen muutoksessa -hanke alkoi\n\n"
        "Koelan työkykyjohtaminen muutoksessa -hankkeen päätoteuttaja on Koelan kaupunki.\n"
    )
    f = extract_article(Document.from_text(text, source="koe.txt"), nlp=nlp)
    assert [p.name for p in f.projects] == ["Koelan työkykyjohtaminen muutoksessa -hanke"]
    assert roles(f) == {("lead", "Koelan kaupunki")}

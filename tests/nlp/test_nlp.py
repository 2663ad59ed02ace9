"""The sotegraph spaCy pipeline: config, factories, shipped word lists and each component.

Every sentence here is written for these tests. The model is loaded once per session
(``load_pipeline`` caches it per process).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")

from sotegraph.errors import SotegraphError  # noqa: E402
from sotegraph.extract.article import parse_period  # noqa: E402
from sotegraph.nlp import load_pipeline, pipeline_config  # noqa: E402
from sotegraph.nlp.lexicon import (  # noqa: E402
    base_forms,
    base_name,
    cues,
    gazetteer_entries,
    keyword_kind,
    load_nlp_json,
    shapes,
    strip_case_suffix,
)
from sotegraph.nlp.shapes import name_of  # noqa: E402

pytestmark = pytest.mark.nlp


@pytest.fixture(scope="session")
def nlp():
    """The sotegraph pipeline, loaded once for the session."""
    return load_pipeline()


# ----------------------------------------------------------------------------- resources


def test_every_shipped_nlp_file_loads():
    from sotegraph import resources

    names = [n for n in resources.list_data_files() if n.startswith("nlp/")]
    assert {"nlp/cues.json", "nlp/shapes.json", "nlp/funders.json", "nlp/patterns.jsonl"} <= set(
        names
    )
    for n in names:
        text = resources.data_file(*n.split("/")).read_text(encoding="utf-8")
        assert text.strip(), n
    assert "roles" in cues()
    assert "keywords" in shapes()
    assert load_nlp_json("funders.json")["organisations"]


def test_config_names_registered_factories(nlp):
    cfg = pipeline_config()
    assert cfg["nlp"]["base"] == "spacy_fi_experimental_web_md"
    for name in cfg["nlp"]["pipeline"]:
        assert name in nlp.pipe_names
        assert nlp.get_pipe_meta(name).factory == cfg["components"][name]["factory"]
    # the statistical components come first, sotegraph's after them
    assert nlp.pipe_names.index("ner") < nlp.pipe_names.index("sg_base_forms")


def test_unknown_factory_lists_valid_ones(tmp_path):
    bad = tmp_path / "bad.cfg"
    bad.write_text(
        '[nlp]\nbase = "spacy_fi_experimental_web_md"\npipeline = ["x"]\n'
        '[components]\n[components.x]\nfactory = "sotegraph_nope"\n',
        encoding="utf-8",
    )
    with pytest.raises(SotegraphError, match="sotegraph_domain_shapes"):
        load_pipeline(str(bad))


def test_pipeline_is_cached(nlp):
    assert load_pipeline() is nlp


def test_import_sotegraph_does_not_load_spacy():
    code = (
        "import sys, sotegraph, sotegraph.extract, sotegraph.extract.article, sotegraph.nlp;"
        "print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_gazetteer_has_funders():
    names = {e.name for e in gazetteer_entries()}
    assert "Euroopan sosiaalirahasto" in names


# ----------------------------------------------------------------------------- base forms


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Työterveyslaitoksen", "Työterveyslaitos"),
        ("Jyväskylän ammattikorkeakoulun", "Jyväskylän ammattikorkeakoulu"),
        ("Lapin yliopistossa", "Lapin yliopisto"),
        ("Vaasan kaupungin", "Vaasan kaupunki"),
        ("Mäntsälän Kehitys Oy:n", "Mäntsälän Kehitys Oy"),
        ("Humanistisen ammattikorkeakoulun", "Humanistinen ammattikorkeakoulu"),
        ("Laurea-ammattikorkeakoulun", "Laurea-ammattikorkeakoulu"),
        ("Tampereen yliopisto", "Tampereen yliopisto"),
    ],
)
def test_head_word_lemmatisation(words, expected):
    assert base_name(words.split()) == expected


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("hanke", "project"),
        ("-hankkeessa", "project"),
        ("kehittämishanketta", "project"),
        ("hankkeiden", "project"),
        ("projektin", "project"),
        ("-konsortioon", "consortium"),
        ("konsortiota", "consortium"),
        ("-verkostoa", "network"),
        ("asiantuntijaverkostoksi", "network"),
        ("ohjelmassa", "programme"),
        ("hankesivusto", None),
        ("hankinta", None),
        ("verkkosivu", None),
    ],
)
def test_keyword_kinds(word, kind):
    assert keyword_kind(word) == kind


def test_case_suffixes_of_abbreviations():
    assert "KAMK" in strip_case_suffix("KAMKin")
    assert strip_case_suffix("THL:n") == ["THL"]
    assert "tampere" in base_forms("Tampereen")


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hanke toteutetaan 1.3.2020–28.2.2023.", (dt.date(2020, 3, 1), dt.date(2023, 2, 28))),
        ("Hanke toteutetaan 1.3.2020 – 28.2.2023.", (dt.date(2020, 3, 1), dt.date(2023, 2, 28))),
        ("Toiminta jatkuu vuosina 2019–2021 kolmessa maakunnassa.", (2019, 2021)),
        ("Ministeriö myönsi lisärahoitusta vuodelle 2022.", (2022, None)),
        ("Hankeaika on 1/2019–12/2022.", (dt.date(2019, 1, 1), dt.date(2022, 12, 31))),
    ],
)
def test_period_patterns(nlp, text, expected):
    doc = nlp(text)
    periods = [s for s in doc.spans["sg_values"] if s.label_ == "PERIOD"]
    assert len(periods) == 1, [s.text for s in doc.spans["sg_values"]]
    assert parse_period(periods[0].text) == expected


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Myönnetty tuki on 208 856 € koko ajalle.", "208 856 €"),
        ("Budjetti on 1,5 Me kolmelle vuodelle.", "1,5 Me"),
        ("Ohjelmaan varattiin 9,5 miljoonaa euroa vuodessa.", "9,5 miljoonaa euroa"),
    ],
)
def test_money_patterns(nlp, text, amount):
    doc = nlp(text)
    assert [s.text for s in doc.spans["sg_values"] if s.label_ == "MONEY"] == [amount]


def test_no_period_in_plain_numbers(nlp):
    doc = nlp("Kyselyyn vastasi 37 yrittäjää ja 12 työntekijää.")
    assert not [s for s in doc.spans["sg_values"] if s.label_ == "PERIOD"]


# ----------------------------------------------------------------------------- names


def _names(doc, label):
    return [name_of(s) for s in doc.spans["sg_names"] if s.label_ == label]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kotona-hanke alkoi viime keväänä.", ["Kotona"]),
        ("Tulokset kerättiin ArkiApu-hankkeessa.", ["ArkiApu"]),
        ("Hyvä Arki -hanke alkoi viime keväänä.", ["Hyvä Arki"]),
        (
            "Tietoa kerättiin Ikääntyneiden kotihoidon kehittäminen -hankkeessa.",
            ["Ikääntyneiden kotihoidon kehittäminen"],
        ),
        ("Malli kehitettiin hankkeessa SoteSilta vuoden aikana.", ["SoteSilta"]),
        ("Malli kehitettiin hankkeessa ”Arjen tuki” vuoden aikana.", ["Arjen tuki"]),
        ("”Arjen tuki” -hanke päättyi.", ["Arjen tuki"]),
        ("Hankkeen tavoitteena on kehittää kotihoitoa.", []),
        ("ESR-hankkeet esittäytyivät messuilla.", []),
        ("Sote-hankkeissa kehitetään palveluja.", []),
        ("Asko-hankkeissa kehitetään palveluja.", ["Asko"]),
        ("Aineisto julkaistaan SoteSilta-hankesivustolla.", []),
    ],
)
def test_project_shapes(nlp, text, expected):
    assert _names(nlp(text), "PROJECT") == expected


def test_abbreviation_before_keyword_is_alias(nlp):
    doc = nlp("Ikääntyneiden kotihoidon kehittäminen (IKKE) -hanke alkoi.")
    assert _names(doc, "PROJECT") == ["Ikääntyneiden kotihoidon kehittäminen"]
    assert [s.text for s in doc.spans["sg_names"] if s.label_ == "ALIAS"] == ["IKKE"]


def test_numbered_list_of_projects(nlp):
    text = (
        "Kokonaisuuteen osallistuvia hankkeita ovat\n\n"
        "  1. Arjen tuki kotiin\n  2. Kotona paremmin, Kopa-hanke\n  3. Yhdessä eteenpäin\n"
    )
    doc = nlp(text)
    listed = [name_of(s) for s in doc.spans["sg_names"] if s.id_ == "list"]
    assert listed == ["Arjen tuki kotiin", "Kotona paremmin, Kopa-hanke", "Yhdessä eteenpäin"]


def test_numbered_goals_are_not_projects(nlp):
    text = "Hankkeen tavoitteena on\n1) tarjota koulutusta,\n2) kehittää palveluja.\n"
    doc = nlp(text)
    assert not [s for s in doc.spans["sg_names"] if s.id_ == "list"]


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("Hanke kuuluu Sote-Silta -konsortioon.", "CONSORTIUM", ["Sote-Silta"]),
        ("Konsortio: Yhdessä eteenpäin\nJäsenet kokoontuvat.", "CONSORTIUM", ["Yhdessä eteenpäin"]),
        ("Hanke on mukana Hyvinvointi-verkostossa.", "NETWORK", ["Hyvinvointi"]),
        ("Tietoa jaetaan KasvuApu-asiantuntijaverkostossa.", "NETWORK", ["KasvuApu"]),
        ("Hanke on osa Hyvä Elämä -ohjelmaa.", "PROGRAMME", ["Hyvä Elämä"]),
        (
            "Hanke on osa Omaishoidon kehittämisverkostoa.",
            "NETWORK",
            ["Omaishoidon kehittämisverkosto"],
        ),
        ("Hanke on osa kehittämisverkostoa.", "NETWORK", []),
    ],
)
def test_group_shapes(nlp, text, label, expected):
    assert _names(nlp(text), label) == expected


# ----------------------------------------------------------------------------- cues, orgs


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Hanketta hallinnoi kaupunki.", "lead"),
        ("Kaupungin hallinnoima hanke alkoi.", "lead"),
        ("Kaupunki toimii päätoteuttajana.", "lead"),
        ("Yliopiston vetämä hanke alkoi.", "lead"),
        ("Osatoteuttajat ovat tiedossa.", "partner"),
        ("Kaupunki toimii osatoteuttajana.", "partner"),
        ("Yliopistot toimivat osatoteuttajina.", "partner"),
        ("Kaupunki on yhteistyökumppanina.", "collaborator"),
        ("Kaupunki on pilottiorganisaatio.", "collaborator"),
        ("Kumppaneina ovat kunnat.", "collaborator"),
        ("Se toteutetaan kuntien yhteistyönä.", "collaborator"),
        ("Hanketta rahoittaa rahasto.", "funder"),
        ("Rahaston rahoittama hanke alkoi.", "funder"),
        ("Hanke toteutetaan rahaston rahoituksella.", "funder"),
        ("Hanketta koordinoi yliopisto.", "coordinator"),
        ("Hanke kuuluu konsortioon.", "member"),
        ("Hanke on toisen hankkeen sisarhanke.", "sister"),
        ("Toisin kuin muualla, tässä ei ole kumppaneita.", "negation"),
    ],
)
def test_cue_words(nlp, text, label):
    doc = nlp(text)
    assert label in {s.label_ for s in doc.spans["sg_cues"]}


def test_organisation_mentions_and_ner_corrections(nlp):
    doc = nlp(
        "Hanke tukee sote-alan yrittäjyyttä. Osatoteuttajana on Siun Sote ja hallinnoijana "
        "Jyväskylän ammattikorkeakoulu (Jamk). Myöhemmin Jamkin väki kouluttaa."
    )
    orgs = [s.text for s in doc.spans["sg_organisations"]]
    assert "Siun Sote" in orgs
    assert "Jyväskylän ammattikorkeakoulu" in orgs
    assert "Jamkin" in orgs  # the abbreviation applies to the rest of the text
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Siun Sote", "ORG") in ents
    assert ("Jamkin", "ORG") in ents
    assert not [e for e in doc.ents if e.label_ == "ORG" and e.text[0].islower()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hallinnoijana toimii Pohjanmaan Palvelu Oy.", "Pohjanmaan Palvelu Oy"),
        (
            "Mukana on Keski-Uudenmaan kehittämisyhdistys ry.",
            "Keski-Uudenmaan kehittämisyhdistys ry",
        ),
        (
            "Hankkeessa on mukana Pohjois-Savon sosiaali- ja terveysalan tuki ry.",
            "Pohjois-Savon sosiaali- ja terveysalan tuki ry",
        ),
        ("Osatoteuttaja on Hämeenlinnan kaupunki.", "Hämeenlinnan kaupunki"),
        (
            "Mukana on Kaakkois-Pohjanmaan kuntayhtymä Kaste.",
            "Kaakkois-Pohjanmaan kuntayhtymä Kaste",
        ),
    ],
)
def test_organisation_shapes(nlp, text, expected):
    doc = nlp(text)
    # a sentence-final period may stay on the last token ("ry."); names drop it later
    assert expected in [s.text.rstrip(".") for s in doc.spans["sg_org_shapes"]]


def test_person_before_organisation_is_not_part_of_it(nlp):
    doc = nlp("Asiaa kommentoi projektipäällikkö Maija Mallikas Keravan Tutkimuslaitoksesta.")
    shapes_ = [s.text for s in doc.spans["sg_org_shapes"]]
    assert shapes_
    assert all("Maija" not in s for s in shapes_)


def test_broken_config_is_a_sotegraph_error(tmp_path):
    bad = tmp_path / "broken.cfg"
    bad.write_text("[nlp\nbase = x\n", encoding="utf-8")
    with pytest.raises(SotegraphError, match="cannot read the NLP pipeline config"):
        pipeline_config(str(bad))

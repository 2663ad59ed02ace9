"""The organisation gazetteer: every organisation the project knows, and its matching rules.

Every sentence here is invented for these tests; the organisation names are public facts
(the authority file, the municipalities, the generated ``data/gazetteer/`` files).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest

spacy = pytest.importorskip("spacy")

from sotegraph import resources  # noqa: E402
from sotegraph.nlp import load_pipeline  # noqa: E402
from sotegraph.nlp.lexicon import (  # noqa: E402
    gazetteer_entries,
    is_place_name,
    place_names,
)
from sotegraph.nlp.voikko import voikko_available  # noqa: E402
from sotegraph.privacy import names_a_person  # noqa: E402

pytestmark = [
    pytest.mark.nlp,
    pytest.mark.skipif(not voikko_available(), reason="Voikko (voikko-fi) missing"),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _found(nlp, text: str) -> list[tuple[str, str]]:
    """(text, canonical name) of the gazetteer's matches."""
    doc = nlp(text)
    return [(s.text, s.id_) for s in doc.spans["sg_gazetteer"]]


def _orgs(nlp, text: str) -> list[str]:
    """The organisation mentions of the pipeline (every source)."""
    doc = nlp(text)
    return [s.text for s in doc.spans["sg_organisations"]]


def _entry(name: str):
    return next(e for e in gazetteer_entries() if e.name == name)


def _shipped_rows(file: str) -> list[dict[str, str]]:
    text = resources.data_file("gazetteer", file).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


# ------------------------------------------------------------------------- what it holds


def test_loaded_once_from_every_source():
    entries = gazetteer_entries()
    assert gazetteer_entries() is entries  # cached: loaded once per process
    sources = {e.source for e in entries}
    assert {"authority", "public", "implementers"} <= sources
    names = {e.name for e in entries}
    # universities and UAS, agencies, wellbeing counties, hospital districts, joint
    # authorities (authority file); municipalities (generated); funders
    for name in (
        "Jyväskylän ammattikorkeakoulu",
        "Itä-Suomen yliopisto",
        "Terveyden ja hyvinvoinnin laitos",
        "Pohjois-Savon hyvinvointialue",
        "Pohjois-Savon sairaanhoitopiirin kuntayhtymä",
        "Etelä-Savon sosiaali- ja terveyspalvelut Essote",
        "Kuopion kaupunki",
        "Sosiaali- ja terveysjärjestöjen avustuskeskus",
        "Suomen itsenäisyyden juhlarahasto Sitra",
        "Keva",
        "Suomen Akatemia",
        "Business Finland",
    ):
        assert name in names, name
    assert len(entries) > 5000


def test_funders_with_their_aliases():
    assert "STEA" in _entry("Sosiaali- ja terveysjärjestöjen avustuskeskus").aliases
    assert "Sitra" in _entry("Suomen itsenäisyyden juhlarahasto Sitra").aliases
    assert "Academy of Finland" in _entry("Suomen Akatemia").aliases
    assert _entry("Keva").org_type == "eläkelaitos"  # filled in from funders.json


def test_municipalities_only_in_their_organisation_form():
    names = {e.name.casefold() for e in gazetteer_entries()}
    aliases = {a.casefold() for e in gazetteer_entries() for a in e.aliases}
    for place in ("kuopio", "vaasa", "vasa", "helsinki", "keski-suomi", "pohjois-savo"):
        assert place in place_names()
        assert place not in names, place
        assert place not in aliases, place
    vaasa = _entry("Vaasan kaupunki")
    assert {"Vasa stad", "Vaasan kaupunki / Vasa stad"} <= set(vaasa.aliases)
    assert _entry("Mustasaaren kunta").aliases[:2] == ["Korsholm kommun", "Korsholms kommun"]
    # wellbeing counties take their Swedish names from the regional data
    assert "Norra Savolax välfärdsområde" in _entry("Pohjois-Savon hyvinvointialue").aliases


def test_no_label_is_a_place():
    places = place_names()
    for e in gazetteer_entries():
        for label in (e.name, *e.aliases):
            assert " ".join(label.split()).casefold() not in places, (e.name, label)


def test_no_implementer_is_a_person():
    rows = _shipped_rows("implementers.csv")
    assert len(rows) > 5000
    assert [r["name"] for r in rows if names_a_person(r["name"])] == []
    assert [r["aliases"] for r in rows if r["aliases"] and names_a_person(r["aliases"])] == []


# --------------------------------------------------------------------- found in a sentence


def test_bulk_implementer_found(nlp):
    assert any(
        r["name"] == "Karjalan Evankelinen Seura ry" for r in _shipped_rows("implementers.csv")
    )
    text = "Kurssit järjestää Karjalan Evankelinen Seura ry kolmella paikkakunnalla."
    assert ("Karjalan Evankelinen Seura ry", "Karjalan Evankelinen Seura ry") in _found(nlp, text)
    # a one-word alias of a company, with a case ending
    assert _entry("Visaport Oy").aliases == ["Visaport"]
    assert _found(nlp, "Mittaukset tehtiin Visaportin laitteilla.") == [
        ("Visaportin", "Visaport Oy")
    ]


def test_municipality_organisation_but_not_the_place(nlp):
    text = "Kokeilua hallinnoi Kuopion kaupunki, ja kumppanina on Pohjois-Savon hyvinvointialue."
    assert _found(nlp, text) == [
        ("Kuopion kaupunki", "Kuopion kaupunki"),
        ("Pohjois-Savon hyvinvointialue", "Pohjois-Savon hyvinvointialue"),
    ]
    assert _found(nlp, "Kuopion kaupungin asukkaat vastasivat kyselyyn.") == [
        ("Kuopion kaupungin", "Kuopion kaupunki")
    ]
    assert _found(nlp, "Kuopiossa järjestettiin koulutuspäivä hoitajille.") == []
    assert _orgs(nlp, "Kuopiossa järjestettiin koulutuspäivä hoitajille.") == []
    # a base form shared by another case is not the genitive of the name
    assert _found(nlp, "Kuopiossa kaupunki avasi uuden neuvolan.") == []


def test_swedish_municipality_and_county(nlp):
    assert _found(nlp, "Projektet leds av Vasa stad tillsammans med Korsholms kommun.") == [
        ("Vasa stad", "Vaasan kaupunki"),
        ("Korsholms kommun", "Mustasaaren kunta"),
    ]
    bilingual = "Hakijana on Vaasan kaupunki / Vasa stad, ja rahoitus tulee STEA:lta."
    assert _found(nlp, bilingual)[0] == ("Vaasan kaupunki / Vasa stad", "Vaasan kaupunki")
    assert _found(nlp, "I projektet deltar Österbottens välfärdsområde.") == [
        ("Österbottens välfärdsområde", "Pohjanmaan hyvinvointialue")
    ]


def test_funders_found(nlp):
    text = "Hanketta rahoittaa STEA, ja asiantuntijoina ovat mukana Keva sekä Sitra."
    assert _found(nlp, text) == [
        ("STEA", "Sosiaali- ja terveysjärjestöjen avustuskeskus"),
        ("Keva", "Keva"),
        ("Sitra", "Suomen itsenäisyyden juhlarahasto Sitra"),
    ]
    assert _found(nlp, "Työtä tukevat Kevan ja Sitran asiantuntijat.") == [
        ("Kevan", "Keva"),
        ("Sitran", "Suomen itsenäisyyden juhlarahasto Sitra"),
    ]


# --------------------------------------------------------------------------------- guards


def test_living_lab_is_not_lab(nlp):
    assert _found(nlp, "Kokeilut tehdään Living Lab -ympäristössä keväällä.") == []
    doc = nlp("Kokeilut tehdään Living Lab -ympäristössä keväällä.")
    assert all(s.kb_id_ != "LAB-ammattikorkeakoulu" for s in doc.spans["sg_organisations"])
    assert _found(nlp, "Mukana ovat LAB-ammattikorkeakoulu ja LAB:n opiskelijat.") == [
        ("LAB-ammattikorkeakoulu", "LAB-ammattikorkeakoulu"),
        ("LAB:n", "LAB-ammattikorkeakoulu"),
    ]


def test_short_capitals_match_exactly(nlp):
    assert _found(nlp, "Ohjelman rahoittaa STM:n hallinnonala.") == [
        ("STM:n", "Sosiaali- ja terveysministeriö")
    ]
    assert _found(nlp, "Stm ja Lab ovat tässä vain sanoja.") == []


def test_nova_is_not_novia(nlp):
    text = "Vertailuaineistoa kerää NOVA University of Lisbon Portugalissa."
    assert all(ident != "Yrkeshögskolan Novia" for _t, ident in _found(nlp, text))
    assert _found(nlp, "Opiskelijat tulevat Noviasta ja Centriasta.") == [
        ("Noviasta", "Yrkeshögskolan Novia"),
        ("Centriasta", "Centria-ammattikorkeakoulu"),
    ]


def test_part_of_a_longer_name_is_not_the_whole(nlp):
    # "Keva" inside an invented longer name is not Keva
    assert _found(nlp, "Kumppanina toimii Keva Solutions Group Virossa.") == []


def test_places_and_generic_words_are_no_organisations(nlp):
    text = "Toimintaa laajennetaan Keski-Suomen kunnissa, ja Hollanti on mukana kumppanina."
    assert _orgs(nlp, text) == []
    assert is_place_name("Hollanti")
    assert is_place_name("Kuopiossa")
    assert not is_place_name("Keva")
    assert not is_place_name("Kuopion kaupunki")


# --------------------------------------------------------------------------- the generator


def _generator() -> ModuleType:
    path = ROOT / "scripts" / "generate_gazetteer.py"
    spec = importlib.util.spec_from_file_location("generate_gazetteer", path)
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


_HEADER = (
    "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
    "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
    "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä"
)
_IMPLEMENTERS = [
    "Tmi Aino Esimerkki",  # a sole trader: withheld
    "Aino Maria Esimerkki",  # a person: withheld
    "Keksitty Hoivapalvelu Oy",  # a company: kept
    "KEKSITTY HOIVAPALVELU OY",  # the same company in capitals: one row, mixed case kept
    "Zyntrovia Oy",  # a one-word company: kept, with its one-word alias
    "Kuopion kaupunki",  # a municipality: in public_bodies.csv, not here
    "Kuopio",  # a bare place: never
    "Terveyden ja hyvinvoinnin laitos",  # in the authority file already
]


def test_generator_leaves_out_people_places_and_known(tmp_path: Path):
    gen = _generator()
    lines = [_HEADER] + [
        f"S9{i:04d},ESR,Hanke {i},5,Hämeen ELY-keskus,Toiminnassa,1.1.2016,31.12.2017,{name},1,1,1,1"
        for i, name in enumerate(_IMPLEMENTERS)
    ]
    (tmp_path / "lista.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    names = gen.read_implementers(tmp_path)
    rows, skipped = gen.implementer_rows(names, gen.place_names(), {"kuopion"})
    assert rows == [
        ["Keksitty Hoivapalvelu Oy", "", "", "osakeyhtiö"],
        ["Zyntrovia Oy", "Zyntrovia", "", "osakeyhtiö"],
    ]
    assert skipped["a person (withheld)"] == 2
    assert skipped["a municipality (public_bodies.csv)"] == 1
    assert skipped["in the authority file"] == 1


def test_genitives_of_municipalities():
    gen = _generator()
    assert gen._genitive("Kuopio")[0] == "Kuopion"
    assert gen._genitive("Helsinki")[0] == "Helsingin"
    assert gen._genitive("Ylöjärvi")[0] == "Ylöjärven"
    assert gen._genitive("Kauniainen")[0] == "Kauniaisten"
    assert gen._genitive("Koski Tl")[0] == "Kosken Tl"


@pytest.mark.slow
def test_shipped_files_are_up_to_date(bulk_dir: Path):
    gen = _generator()
    assert gen.main([str(bulk_dir), "--check"]) == 0

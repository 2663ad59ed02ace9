"""Resolution of organisations, projects and groups across documents (issue 4).

Finnish cases are parametrize tables. Names of organisations and projects are facts; the
seed texts are only read (from ../shared) to find the inflected forms they use.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rdflib.namespace import DCTERMS, RDF, SKOS
from stdnum.fi import ytunnus

from sotegraph import resources
from sotegraph.facts import (
    AreaLevel,
    Facts,
    GroupFact,
    GroupKind,
    OrganisationFact,
    PlaceMention,
    ProjectFact,
)
from sotegraph.namespaces import SCHEMA, SG, SGID, fund_iri, organisation_iri
from sotegraph.nlp.names import (
    analyse_name,
    fold,
    head_lemma_name,
    inflection_candidates,
    split_auxiliary_name,
    strip_legal_form,
    voikko_available,
)
from sotegraph.resolve import Resolver
from sotegraph.resolve.organisations import (
    Authority,
    Curations,
    Method,
    OrganisationResolver,
    organisations_graph,
    valid_business_id,
)
from sotegraph.resolve.projects import group_key, project_keys

needs_voikko = pytest.mark.skipif(not voikko_available(), reason="Voikko (voikko-fi) missing")


@pytest.fixture(scope="module")
def resolver() -> OrganisationResolver:
    return OrganisationResolver()


def _gold_iri(resolver: OrganisationResolver, gold: dict[str, Any], org_id: str) -> str:
    org = next(o for o in gold["organisations"] if o["id"] == org_id)
    return str(resolver.resolve(org["name"]).iri)


# --------------------------------------------------------------------------- authority file


def test_authority_file_loads_and_counts() -> None:
    a = Authority()
    types = [o.type for o in a]
    assert types.count("ELY-keskus") == 15
    assert types.count("hyvinvointialue") == 21
    assert "helsingin-kaupunki" in a.by_id
    assert types.count("maakuntaliitto") == 18
    current_uas = [o for o in a if o.type == "ammattikorkeakoulu" and not o.replaced_by]
    assert len(current_uas) >= 24, [o.name for o in current_uas]
    assert a.ambiguous == {}, "a name or alias of the authority file points at two organisations"


def test_authority_business_ids_have_valid_check_digits() -> None:
    a = Authority()
    with_id = [o for o in a if o.business_id]
    assert len(with_id) >= 7
    for o in with_id:
        assert ytunnus.is_valid(o.business_id), o
        assert ytunnus.format(o.business_id) == o.business_id


def test_authority_municipality_codes_exist(reference_dir: Path) -> None:
    with (reference_dir / "municipalities" / "geofi_municipality_key_2023.csv").open(
        encoding="utf-8"
    ) as fh:
        codes = {f"{int(r['kunta']):03d}" for r in csv.DictReader(fh)}
    for o in Authority():
        if o.home_municipality:
            assert o.home_municipality in codes, o


def test_authority_ely_and_counties_match_statistics_finland(reference_dir: Path) -> None:
    a = Authority()
    names = {fold(n) for o in a for n in o.names}
    with (reference_dir / "organisations" / "ely_centres_2025_derived_from_geofi.csv").open(
        encoding="utf-8"
    ) as fh:
        ely = [r["ely_name_fi"] for r in csv.DictReader(fh) if r["ely_code"] != "16"]
    assert len(ely) == 15
    assert all(fold(n) in names for n in ely)
    path = (
        reference_dir / "wellbeing_counties" / "hyvinvointialueet_2023_2026_derived_from_geofi.csv"
    )
    with path.open(encoding="utf-8") as fh:
        counties = [
            r["hyvinvointialue_name_fi"]
            for r in csv.DictReader(fh)
            if r["year"] == "2023" and r["hyvinvointialue_code"] != "91"
        ]
    assert len(counties) == 22  # 21 counties + Helsinki
    assert all(fold(n) in names for n in counties)


def test_every_gold_organisation_is_in_the_authority_file(gold: dict[str, Any]) -> None:
    a = Authority()
    for org in gold["organisations"]:
        row = a.by_id.get(org["id"])
        assert row is not None, org["id"]
        assert row.name == org["name"]
        assert set(org.get("aliases", [])) <= set(row.aliases)
        if "business_id" in org:
            assert row.business_id == org["business_id"]


def test_shipped_data_files_load() -> None:
    assert "organisations.csv" in resources.list_data_files()
    assert "curations.csv" in resources.list_data_files()
    Curations.load()  # parses


# --------------------------------------------------------------------------- gold organisations


def test_gold_names_and_aliases_resolve_to_one_iri_each(
    resolver: OrganisationResolver, gold: dict[str, Any]
) -> None:
    seen: dict[str, str] = {}
    for org in gold["organisations"]:
        iris = {str(resolver.resolve(n).iri) for n in [org["name"], *org.get("aliases", [])]}
        assert len(iris) == 1, (org["id"], iris)
        iri = iris.pop()
        assert iri not in seen, f"{org['id']} and {seen.get(iri)} merged"
        seen[iri] = org["id"]
        if "business_id" in org:
            assert iri == str(organisation_iri(business_id=org["business_id"]))


# forms as the seed texts write them (checked against the texts below)
SEED_FORMS = [
    ("jamk", "Jyväskylän ammattikorkeakoulu"),
    ("jamk", "Jamk"),
    ("jamk", "JAMK"),
    ("tamk", "TAMK"),
    ("xamk", "Kaakkois-Suomen ammattikorkeakoulu"),
    ("turkuamk", "Turun amk"),
    ("humak", "Humanistinen ammattikorkeakoulu"),
    ("laurea", "Laurea-amk"),
    ("laurea", "Laurea-ammattikorkeakoulu"),
    ("kamk", "KAMKin"),
    ("kamk", "Kajaanin Ammattikorkeakoulu Oy"),
    ("naturpolis", "Kehittämisyhtiö Naturpolis"),
    ("naturpolis", "Naturpolis Oy"),
    ("sociala", "Alustapalvelu Sociala Oy:n"),
    ("sociala", "Alustapalvelu Sociala Oy:llä"),
    ("diak", "Diakonia-ammattikorkeakoulu Oy"),
    ("stm", "sosiaali- ja terveysministeriö"),
    ("tuni", "Tampereen yliopiston"),
    ("hy", "Helsingin yliopiston"),
    ("kt", "Kuntatyönantajien"),
    ("kt", "KT:n"),
    ("ttl", "Työterveyslaitoksen"),
    ("ttl", "Työterveyslaitoksesta"),
    ("thl", "Terveyden ja hyvinvoinnin laitoksen"),
    ("siunsote", "Pohjois-Karjalan Sosiaali- ja terveyspalvelujen kuntayhtymä Siun Sote"),
    ("phhyky", "Päijät-Hämeen Hyvinvointiyhtymä PHHyky"),
    ("phhyky", "Päijät-Hämeen hyvinvointikuntayhtymä"),
    ("esr", "Euroopan sosiaalirahaston"),
    ("esr", "Euroopan sosiaalirahasto"),
]
VOIKKO_FORMS = {"Tampereen yliopiston", "Helsingin yliopiston", "Kuntatyönantajien"} | {
    "Työterveyslaitoksen",
    "Työterveyslaitoksesta",
    "Terveyden ja hyvinvoinnin laitoksen",
    "Euroopan sosiaalirahaston",
}


@pytest.mark.parametrize(("org_id", "form"), SEED_FORMS)
def test_seed_forms_resolve_to_the_gold_organisation(
    resolver: OrganisationResolver, gold: dict[str, Any], org_id: str, form: str
) -> None:
    if form in VOIKKO_FORMS and not voikko_available():
        pytest.skip("needs Voikko")
    assert str(resolver.resolve(form).iri) == _gold_iri(resolver, gold, org_id)


def test_seed_forms_occur_in_the_seed_texts(seeds_dir: Path) -> None:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt")))
    flat = re.sub(r"\s+", " ", text)
    missing = [form for _, form in SEED_FORMS if form not in flat]
    assert not missing, f"forms not in the seeds (update the table): {missing}"


_CASE_END = r"(?::\w+|n|in|a|ä|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|na|nä)?"


def _inflected_occurrences(text: str, name: str) -> set[str]:
    words = name.split()
    if len(words) == 1:
        if len(name) < 4:
            return set()
        pattern = re.escape(name) + _CASE_END + r"\b"
    else:
        last = words[-1]
        stem = last[: max(4, len(last) - 2)] if len(last) > 6 else last
        pattern = r"\s+".join(map(re.escape, words[:-1])) + r"\s+" + re.escape(stem) + r"[\w:]*"
    return {re.sub(r"\s+", " ", m) for m in re.findall(r"\b" + pattern, text, re.IGNORECASE)}


def test_every_inflected_seed_occurrence_resolves(
    resolver: OrganisationResolver, gold: dict[str, Any], seeds_dir: Path
) -> None:
    """Find each gold name's inflected forms in the seeds and resolve them (P/R printed)."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt")))
    tried = wrong = 0
    misses = []
    for org in gold["organisations"]:
        want = _gold_iri(resolver, gold, org["id"])
        for name in [org["name"], *org.get("aliases", [])]:
            for form in _inflected_occurrences(text, name):
                tried += 1
                got = str(resolver.resolve(form).iri)
                if got != want:
                    wrong += 1
                    misses.append((org["id"], form, got))
    print(f"seed occurrences resolved: {tried - wrong}/{tried}")
    assert tried >= 30
    assert not misses, misses


NOT_THE_SAME = [
    ("Jamk", "KAMK"),
    ("Jamk", "TAMK"),
    ("KAMK", "TAMK"),
    ("Jyväskylän ammattikorkeakoulu", "Jyväskylän yliopisto"),
    ("Tampereen yliopisto", "Tampereen ammattikorkeakoulu"),
    ("Tampereen yliopiston", "Tampereen ammattikorkeakoulun"),
    ("Tampereen yliopisto", "Tampereen teknillinen yliopisto"),
    ("Lapin yliopisto", "Lapin ammattikorkeakoulu"),
    ("Turun yliopisto", "Turun ammattikorkeakoulu"),
    ("Oulun yliopisto", "Oulun ammattikorkeakoulu"),
    ("Siun sote", "Pohjois-Karjalan hyvinvointialue"),
    ("Essote", "Etelä-Savon hyvinvointialue"),
    ("Essote", "Etelä-Savon ELY-keskus"),
    ("PHHyky", "Päijät-Hämeen hyvinvointialue"),
    ("Tekes", "Business Finland"),
    ("ESR", "EAKR"),
    ("THL", "Työterveyslaitos"),
    ("Pohjois-Pohjanmaan ELY-keskus", "Etelä-Pohjanmaan ELY-keskus"),
    ("Pohjois-Pohjanmaan ELY-keskus", "Pohjois-Pohjanmaan liitto"),
    ("Savonia-ammattikorkeakoulun kuntayhtymä", "Savonia-ammattikorkeakoulu"),
    ("Keva", "Kela"),
    ("Pudasjärven kaupunki", "Pudasjärven Kehitys Oy"),
    ("KT Kuntatyönantajat", "Kuntaliitto"),
    ("Diak", "Humak"),
    ("Helsingin yliopisto", "Helsingin kaupunki"),
]


@pytest.mark.parametrize(("a", "b"), NOT_THE_SAME)
def test_no_false_merge(resolver: OrganisationResolver, a: str, b: str) -> None:
    assert resolver.resolve(a).iri != resolver.resolve(b).iri


def test_no_two_gold_organisations_share_an_iri(
    resolver: OrganisationResolver, gold: dict[str, Any]
) -> None:
    by_org = {
        o["id"]: {str(resolver.resolve(n).iri) for n in [o["name"], *o.get("aliases", [])]}
        for o in gold["organisations"]
    }
    for (a, ia), (b, ib) in itertools.combinations(by_org.items(), 2):
        assert not ia & ib, (a, b)


# --------------------------------------------------------------------------- bulk-style names

SAME = [
    ("Oulun Yliopisto", "Oulun yliopisto"),
    ("OULUN YLIOPISTO", "Oulun yliopisto"),
    ("Lappeenrannan teknillinen yliopisto ", " LAPPEENRANNAN  TEKNILLINEN YLIOPISTO"),
    (
        "Pohjois-Pohjanmaan elinkeino- liikenne- ja ympäristökeskus",
        "Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus",
    ),
    (
        "Keski-Suomen elinkeino-  liikenne- ja ympäristökeskus  yritystuet",
        "Keski-Suomen ELY-keskus",
    ),
    ("Hämeen elinkeino- liikenne ja ympäristökeskus", "Hämeen ELY-keskus"),
    ("KAJAANIN AMMATTIKORKEAKOULU OY", "Kajaanin ammattikorkeakoulu"),
    ("Jyväskylän Ammattikorkeakoulu Oy (JAMK)", "Jamk"),
    ("Savonia-ammattikorkeakoulu oy", "Savonia"),
    ("Karelia Ammattikorkeakoulu Osakeyhtiö", "Karelia-ammattikorkeakoulu"),
    (
        "Ruotsi Pohjois-Pohjanmaan elinkeino-  liikenne- ja ympäristökeskus",
        "Pohjois-Pohjanmaan ELY",
    ),
    ("Innovaatiorahoituskeskus Tekes", "Tekes"),
    ("Suomen Kuntaliitto ry", "Kuntaliitto"),
    ("Aalto-korkeakoulusäätiö sr", "Aalto-yliopisto"),
    ("ICCUNA OYTEEMU HAAPALAHTI", "ICCUNA OY"),
    ("HALTINMAA KYHALTINMAA KY", "Haltinmaa Ky"),
    ("Cursor Oy", "CURSOR OY"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_bulk_style_variants_resolve_together(a: str, b: str) -> None:
    r = OrganisationResolver()
    assert r.resolve(a).iri == r.resolve(b).iri


def test_resolution_order_business_id_first(resolver: OrganisationResolver) -> None:
    m = resolver.resolve("Aivan eri nimi Oy", "2553600-4")
    assert m.method is Method.BUSINESS_ID
    assert m.canonical_name == "Kajaanin Ammattikorkeakoulu Oy"


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("written", "base"),
    [
        ("Jyväskylän ammattikorkeakoulun", "Jyväskylän ammattikorkeakoulu"),
        ("Työterveyslaitoksen", "Työterveyslaitos"),
        ("Kajaanin ammattikorkeakoulusta", "Kajaanin ammattikorkeakoulu"),
        ("Humanistisen ammattikorkeakoulun", "Humanistinen ammattikorkeakoulu"),
        ("Lappeenrannan teknillisen yliopiston", "Lappeenrannan teknillinen yliopisto"),
        ("Pudasjärven kaupungin", "Pudasjärven kaupunki"),
        ("Kuntatyönantajien", "Kuntatyönantajat"),
        ("ELY-keskuksen", "ELY-keskus"),
        ("Alustapalvelu Sociala Oy:n", "Alustapalvelu Sociala Oy"),
        ("KT:n", "KT"),
        ("Tampereen yliopisto", "Tampereen yliopisto"),
    ],
)
def test_head_word_lemmatisation(written: str, base: str) -> None:
    if ":" not in written and written != base and not voikko_available():
        pytest.skip("needs Voikko")
    assert head_lemma_name(written) == base


@pytest.mark.parametrize(
    ("written", "candidate"),
    [
        ("Siun soten", "siun sote"),
        ("KAMKin", "kamk"),
        ("Essoten", "essote"),
        ("Naturpoliksen", "naturpolis"),
        ("Diakin", "diak"),
        ("Kevassa", "keva"),
    ],
)
def test_inflection_candidates_work_without_voikko_knowing_the_word(
    written: str, candidate: str
) -> None:
    assert candidate in inflection_candidates(written)


@pytest.mark.parametrize(
    ("folded", "stripped", "legal"),
    [
        ("cursor oy", "cursor", "oy"),
        ("finnvera oyj", "finnvera", "oyj"),
        ("työtehoseura ry", "työtehoseura", "ry"),
        ("tty-säätiö sr", "tty-säätiö", "sr"),
        ("oy maprotec ab", "maprotec", "oy ab"),
        ("jetta-talo oy ab", "jetta-talo", "oy ab"),
        ("tilipalvelu irma javanainen ky", "tilipalvelu irma javanainen", "ky"),
        ("oy", "oy", None),
    ],
)
def test_legal_forms_are_affixes(folded: str, stripped: str, legal: str | None) -> None:
    assert strip_legal_form(folded) == (stripped, legal)


@pytest.mark.parametrize(
    ("name", "main", "aux"),
    [
        ("ICCUNA OYTEEMU HAAPALAHTI", "ICCUNA OY", "TEEMU HAAPALAHTI"),
        ("SIEIDI OYSIEIDI LTD", "SIEIDI OY", "SIEIDI LTD"),
        ("SIJAISHALTIJA OYC/O SOLINUM", "SIJAISHALTIJA OY", "C/O SOLINUM"),
        ("HALTINMAA KYHALTINMAA KY", "HALTINMAA KY", "HALTINMAA KY"),
        ("VALTIMO COMPONENTS OYJ", "VALTIMO COMPONENTS OYJ", None),
        ("PAPPABOY OY", "PAPPABOY OY", None),
        (
            "JYVÄSKYLÄN SEUDUN KEHITTÄMISYHTIÖ JYKES OY",
            "JYVÄSKYLÄN SEUDUN KEHITTÄMISYHTIÖ JYKES OY",
            None,
        ),
        ("KYLÄPUOTI AB KYRÖ", "KYLÄPUOTI AB KYRÖ", None),
    ],
)
def test_auxiliary_business_names(name: str, main: str, aux: str | None) -> None:
    assert split_auxiliary_name(name) == (main, aux)


def test_missing_comma_and_spacing_fold_alike() -> None:
    a = analyse_name("Etelä-Savon elinkeino-  liikenne- ja ympäristökeskus")
    b = analyse_name("Etelä-Savon elinkeino-, liikenne- ja ympäristökeskus")
    assert a.folded == b.folded
    assert a.base == b.base


# --------------------------------------------------------------------------- business ids


def test_bad_check_digit_is_not_a_key_and_warns() -> None:
    assert valid_business_id("2553600-5") is None
    f = Facts(
        "d1",
        "a.txt",
        organisations=[OrganisationFact("o1", "Koetehdas Oy", business_id="2553600-5")],
    )
    r = Resolver()
    r.resolve_all([f])
    o = f.organisations[0]
    assert o.iri == str(organisation_iri(name="koetehdas"))  # not the (KAMK) business id
    assert any(w.field == "business_id" for w in f.warnings)
    report = r.report()
    assert [w.business_id for w in report.business_id_warnings] == ["2553600-5"]


def _valid_id(seven: str) -> str:
    """A Y-tunnus with a valid check digit made for the test (the first seven digits given)."""
    for base in range(int(seven), int(seven) + 20):
        for digit in range(10):
            candidate = f"{base:07d}-{digit}"
            if ytunnus.is_valid(candidate):
                return candidate
    raise AssertionError("no valid check digit found")


def test_new_organisation_with_and_without_business_id_is_one_resource() -> None:
    bid = _valid_id("1234567")
    a = Facts("d1", "a.txt", organisations=[OrganisationFact("o", "Koelaitos Oy", business_id=bid)])
    b = Facts("d2", "b.txt", organisations=[OrganisationFact("o", "KOELAITOS OY")])
    c = Facts("d3", "c.txt", organisations=[OrganisationFact("o", "Koelaitos Oy:n")])
    Resolver().resolve_all([b, a, c])
    assert {f.organisations[0].iri for f in (a, b, c)} == {str(organisation_iri(business_id=bid))}
    assert b.organisations[0].canonical_name == "Koelaitos Oy"


def test_same_name_with_two_business_ids_is_kept_apart_and_reported() -> None:
    b1, b2 = _valid_id("1234567"), _valid_id("7654321")
    facts = [
        Facts("d1", "a.txt", organisations=[OrganisationFact("o", "Kaksoset Oy", business_id=b1)]),
        Facts("d2", "b.txt", organisations=[OrganisationFact("o", "Kaksoset Oy", business_id=b2)]),
        Facts("d3", "c.txt", organisations=[OrganisationFact("o", "Kaksoset Oy")]),
    ]
    r = Resolver()
    r.resolve_all(facts)
    iris = [f.organisations[0].iri for f in facts]
    assert len(set(iris)) == 3
    assert any("different Y-tunnus" in n.reason for n in r.report().near_misses)


def test_inflected_new_name_joins_its_base_form_across_documents() -> None:
    facts = [
        Facts("d1", "a.txt", organisations=[OrganisationFact("o", "Kuusamon Kehitysverstas")]),
        Facts("d2", "b.txt", organisations=[OrganisationFact("o", "Kuusamon Kehitysverstaan")]),
    ]
    if not voikko_available():
        pytest.skip("needs Voikko for the head word")
    Resolver().resolve_all(facts)
    assert facts[0].organisations[0].iri == facts[1].organisations[0].iri


# --------------------------------------------------------------------------- curations


def test_curations_are_honoured(tmp_path: Path) -> None:
    path = tmp_path / "curations.csv"
    path.write_text(
        "action,name,target,note\n"
        "merge,Jyväskylän AMK,jamk,abbreviation used in one region\n"
        "merge,Koe-Yhtiö Pohjoinen,Koe-Yhtiö Oy,renamed\n"
        "keep_apart,Lapin Laude ry,Lapin Laude Oy,different legal persons\n",
        encoding="utf-8",
    )
    r = OrganisationResolver(curations=path)
    plain = OrganisationResolver(curations=Curations())
    assert plain.resolve("Jyväskylän AMK").method is Method.NEW
    m = r.resolve("Jyväskylän AMK")
    assert m.method is Method.CURATION
    assert m.authority_id == "jamk"
    assert r.resolve("Koe-Yhtiö Pohjoinen").iri == r.resolve("Koe-Yhtiö Oy").iri
    assert plain.resolve("Lapin Laude ry").iri == plain.resolve("Lapin Laude Oy").iri
    assert r.resolve("Lapin Laude ry").iri != r.resolve("Lapin Laude Oy").iri


def test_curations_file_errors_name_the_line(tmp_path: Path) -> None:
    from sotegraph.errors import ResolutionError

    path = tmp_path / "c.csv"
    path.write_text("action,name,target\nmerge,A,B\nfuse,C,D\n", encoding="utf-8")
    with pytest.raises(ResolutionError, match=r"c\.csv:3: unknown action 'fuse'"):
        Curations.load(path)


# --------------------------------------------------------------------------- projects and groups

SAME_PROJECT_NAMES = {
    "asko": (
        ProjectFact("p", name="Sote-ammattilaiset asiakasosallisuuden osaajiksi, Asko-hanke"),
        ProjectFact("p", name="Sote-ammattilaiset asiakasosallisuuden osaajiksi (ASKO) -hanke"),
    ),
    "soteliiderit": (
        ProjectFact("p", name="Soteliiderit"),
        ProjectFact("p", name="Soteliiderit-hanke"),
    ),
    "strateginen-tyokykyjohtaminen": (
        ProjectFact("p", name="Strateginen työkykyjohtaminen sote-muutoksessa"),
        ProjectFact("p", name="Strateginen työkykyjohtaminen sote-muutoksessa -hanke"),
    ),
}


@pytest.mark.parametrize("pair", sorted(SAME_PROJECT_NAMES))
def test_cross_document_same_project(gold: dict[str, Any], pair: str) -> None:
    entry = next(e for e in gold["cross_document"]["same_project"] if e[0] == pair)
    _, doc_a, doc_b = entry
    pa, pb = SAME_PROJECT_NAMES[pair]
    fa = Facts(doc_a, doc_a, projects=[ProjectFact(pa.key, name=pa.name)])
    fb = Facts(doc_b, doc_b, projects=[ProjectFact(pb.key, name=pb.name)])
    others = Facts(
        "other",
        "other.txt",
        projects=[ProjectFact(f"x{i}", name=p["name"]) for i, p in enumerate(gold["projects"])],
    )
    Resolver().resolve_all([fa, fb, others])
    assert fa.projects[0].iri == fb.projects[0].iri
    gold_name = next(p["name"] for p in gold["projects"] if p["id"] == pair)
    same = [p.name for p in others.projects if p.iri == fa.projects[0].iri]
    assert same == [gold_name]


@pytest.mark.parametrize(
    "names",
    [
        ["Sote-ammattilaiset asiakasosallisuuden osaajiksi", "ASKO", "Asko-hanke", "Asko"],
        ["ASKO-hankkeessa", "Asko-projektin", "ASKO hankkeen", "Asko"],
        ["Soteliiderit", "SoteLiiderit", "Soteliiderit-hanke", "SoteLiiderit-hankkeen"],
        ["Soteliiderit-hanke (ESR)", "Soteliiderit"],
        ["SoteNoste - PK-yrittäjän tuki muutoksessa", "SoteNoste", "SoteNoste-hankkeessa"],
        ["HYVINVOIVA HOIVA – VÄLMÅENDE OMSORG – Työhyvinvointi", "Hyvinvoiva hoiva"],
    ],
)
def test_project_name_variants_are_one_project(names: list[str]) -> None:
    facts = [
        Facts(f"d{i}", f"{i}.txt", projects=[ProjectFact("p", name=n)]) for i, n in enumerate(names)
    ]
    facts[0].projects[0].aliases = ["ASKO"] if names[0].startswith("Sote-amm") else []
    Resolver().resolve_all(facts)
    assert len({f.projects[0].iri for f in facts}) == 1, [f.projects[0].iri for f in facts]


def test_the_code_wins_and_shared_names_do_not_merge_codes() -> None:
    f1 = Facts(
        "d1", "1.txt", projects=[ProjectFact("p", name="INKA - SmartResearch", code="A70303")]
    )
    f2 = Facts(
        "d2", "2.txt", projects=[ProjectFact("p", name="INKA - Uudet tekniikat", code="A70302")]
    )
    f3 = Facts("d3", "3.txt", projects=[ProjectFact("p", name="INKA")])
    f4 = Facts("d4", "4.txt", projects=[ProjectFact("p", name="INKA - SmartResearch -hanke")])
    f5 = Facts("d5", "5.txt", projects=[ProjectFact("p", name="Jotain muuta", code="a70303")])
    r = Resolver()
    r.resolve_all([f1, f2, f3, f4, f5])
    i1, i2, i3, i4, i5 = (f.projects[0].iri for f in (f1, f2, f3, f4, f5))
    assert i1 == str(SGID["project/A70303"]) == i4 == i5
    assert i2 == str(SGID["project/A70302"])
    assert i3 not in (i1, i2)
    assert any(c.key == "inka" for c in r.report().project_conflicts)


def test_different_projects_stay_apart() -> None:
    names = ["Soteliiderit", "SoteHelmet", "SoteDialogit muutoksessa – johtaminen", "SoteNoste"]
    facts = [
        Facts(f"d{i}", f"{i}.txt", projects=[ProjectFact("p", name=n)]) for i, n in enumerate(names)
    ]
    Resolver().resolve_all(facts)
    assert len({f.projects[0].iri for f in facts}) == len(names)


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        (
            GroupKind.CONSORTIUM,
            [
                "Onnistu yhdessä – Työhyvinvointi, johtaminen ja asiakasosallisuus sote-muutoksessa",
                "Onnistu yhdessä",
                "ONNISTU yhdessä -konsortio",
            ],
        ),
        (
            GroupKind.NETWORK,
            [
                "SoteKehittäjät",
                "SoteKehittäjät-verkosto",
                "SoteKehittäjät-asiantuntijaverkosto",
                "SoteKehittäjät -verkostoa",
            ],
        ),
    ],
)
def test_group_name_variants_are_one_group(kind: GroupKind, names: list[str]) -> None:
    facts = [
        Facts(f"d{i}", f"{i}.txt", groups=[GroupFact("g", n, kind=kind)])
        for i, n in enumerate(names)
    ]
    Resolver().resolve_all(facts)
    iris = {f.groups[0].iri for f in facts}
    assert len(iris) == 1
    assert str(iris.pop()).startswith(str(SGID[kind.value + "/"]))


def test_project_and_group_keys() -> None:
    assert project_keys("ASKO-hankkeessa") == project_keys("Asko") == frozenset({"asko"})
    assert group_key("Onnistu yhdessä -konsortio") == "onnistu yhdessä"


# --------------------------------------------------------------------------- facade


def test_resolver_fills_places_with_the_project_year() -> None:
    pytest.importorskip("sotegraph.reference.regions")
    p = ProjectFact(
        "p",
        name="Koe",
        code="S20000",
        start=2018,
        places=[
            PlaceMention("Heinävesi", AreaLevel.MUNICIPALITY),
            PlaceMention("Turun saaristo"),
        ],
    )
    r = Resolver()
    r.resolve_all([Facts("d", "d.txt", projects=[p])])
    assert p.places[0].code == "090"
    assert p.places[1].iri is None
    assert [u.text for u in r.report().unresolved_places] == ["Turun saaristo"]


def test_reference_graphs() -> None:
    graphs = Resolver().reference_graphs()
    orgs = graphs[str(SGID["graph/organisations"])]
    funds = graphs[str(SGID["graph/funds"])]
    assert len(set(orgs.subjects(RDF.type, SG.Organisation))) >= 150
    kamk = organisation_iri(business_id="2553600-4")
    assert (kamk, SG.homeMunicipality, SGID["municipality/205"]) in orgs
    essote = Authority().by_id["essote"].iri
    county = Authority().by_id["hva-12"].iri
    assert (county, DCTERMS.replaces, essote) in orgs
    assert (essote, DCTERMS.isReplacedBy, county) in orgs
    assert str(orgs.value(essote, SCHEMA.dissolutionDate)) == "2022-12-31"
    tekes, bf = Authority().by_id["tekes"].iri, Authority().by_id["business-finland"].iri
    assert (bf, DCTERMS.replaces, tekes) in orgs
    assert (fund_iri("ESR"), RDF.type, SG.Fund) in funds
    assert (fund_iri("ESR"), RDF.type, SG.Organisation) not in orgs
    assert any(str(o) == "ESR" for o in funds.objects(fund_iri("ESR"), SKOS.altLabel))
    for name in graphs:
        assert name.startswith(str(SGID["graph/"]))


def test_organisations_graph_labels_have_language_tags() -> None:
    g = organisations_graph()
    hy = Authority().by_id["hy"].iri
    langs = {getattr(o, "language", None) for o in g.objects(hy, SKOS.prefLabel)}
    assert langs == {"fi", "sv", "en"}


def test_report_renders_and_serialises() -> None:
    facts = [
        Facts(
            "d1", "a.txt", organisations=[OrganisationFact("o", "Jyväskylän ammattikorkeakoulun")]
        ),
        Facts("d2", "b.txt", organisations=[OrganisationFact("o", "JAMK")]),
        Facts(
            "d3", "c.txt", organisations=[OrganisationFact("o", "Lapin Yliopisto / Taiteiden tdk")]
        ),
    ]
    r = Resolver()
    r.resolve_all(facts)
    rep = r.report()
    data = json.loads(rep.to_json())
    merge = next(m for m in data["organisation_merges"] if m["authority_id"] == "jamk")
    assert set(merge["names"]) == {"Jyväskylän ammattikorkeakoulun", "JAMK"}
    assert any("unit of a known" in n["reason"] for n in data["near_misses"])
    text = rep.render()
    assert "near misses NOT merged" in text
    assert "Jyväskylän ammattikorkeakoulu" in text


def test_gold_names_make_no_false_merge_in_the_report(gold: dict[str, Any]) -> None:
    facts = []
    owner: dict[str, str] = {}
    for i, org in enumerate(gold["organisations"]):
        for j, name in enumerate([org["name"], *org.get("aliases", [])]):
            facts.append(Facts(f"d{i}-{j}", "x", organisations=[OrganisationFact("o", name)]))
            owner[name] = org["id"]
    r = Resolver()
    r.resolve_all(facts)
    for m in r.report().organisation_merges:
        assert len({owner[n] for n in m.names if n in owner}) == 1, m


def test_later_calls_reuse_the_iris_of_earlier_ones() -> None:
    r = Resolver()
    first = Facts("d1", "1.txt", projects=[ProjectFact("p", name="Hyvinvoiva hoiva")])
    r.resolve_all([first])
    second = Facts(
        "d2",
        "2.txt",
        projects=[ProjectFact("p", name="HYVINVOIVA HOIVA – VÄLMÅENDE OMSORG – Työhyvinvointi")],
        groups=[GroupFact("g", "SoteKehittäjät-verkosto", kind=GroupKind.NETWORK)],
    )
    r.resolve_all([second])
    third = Facts("d3", "3.txt", groups=[GroupFact("g", "SoteKehittäjät", kind=GroupKind.NETWORK)])
    r.resolve_all([third])
    assert second.projects[0].iri == first.projects[0].iri
    assert third.groups[0].iri == second.groups[0].iri


def test_aliases_given_in_a_document_are_used() -> None:
    known = Facts(
        "d1",
        "1.txt",
        organisations=[
            OrganisationFact("o", "Kaakkois-Suomen amk:n TKI-yksikkö", aliases=["Xamk"])
        ],
    )
    new_a = Facts(
        "d2",
        "2.txt",
        organisations=[OrganisationFact("o", "Pohjois-Karjalan Koeyhdistys ry", aliases=["PKKY"])],
    )
    new_b = Facts("d3", "3.txt", organisations=[OrganisationFact("o", "PKKY")])
    Resolver().resolve_all([known, new_a, new_b])
    assert known.organisations[0].canonical_name == "Kaakkois-Suomen ammattikorkeakoulu"
    assert new_a.organisations[0].iri == new_b.organisations[0].iri


def test_fallback_without_voikko_still_resolves_common_forms() -> None:
    """Run in a fresh interpreter with Voikko switched off (SOTEGRAPH_NO_VOIKKO=1)."""
    import os
    import subprocess
    import sys

    code = (
        "from sotegraph.nlp.names import voikko_available\n"
        "from sotegraph.resolve.organisations import OrganisationResolver\n"
        "assert not voikko_available()\n"
        "r = OrganisationResolver()\n"
        "pairs = [('Siun soten', 'Siun sote'), ('KAMKin', 'KAMK'), ('Jamkin', 'Jamk'),\n"
        "         ('Jyväskylän Ammattikorkeakoulu Oy', 'Jamk'), ('OULUN YLIOPISTO', 'Oulun yliopisto'),\n"
        "         ('Tampereen yliopiston', 'Tampereen yliopisto'), ('Työterveyslaitoksen', 'TTL'),\n"
        "         ('Pohjois-Pohjanmaan elinkeino-  liikenne- ja ympäristökeskus', 'Pohjois-Pohjanmaan ELY')]\n"
        "bad = [(a, b) for a, b in pairs if r.resolve(a).iri != r.resolve(b).iri]\n"
        "assert not bad, bad\n"
        "assert r.resolve('Tampereen yliopiston').iri != r.resolve('Tampereen ammattikorkeakoulun').iri\n"
        "print('ok')\n"
    )
    env = {**os.environ, "SOTEGRAPH_NO_VOIKKO": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize("name", ["", "  ", "-", ".", "()", "– ,"])
def test_names_without_words_are_left_alone(name: str) -> None:
    from sotegraph.errors import ResolutionError

    f = Facts("d", "d.txt", organisations=[OrganisationFact("o", name)])
    r = Resolver()
    r.resolve_all([f])
    assert f.organisations[0].iri is None
    assert r.report().counts["organisation_names_without_words"] == 1
    with pytest.raises(ResolutionError):
        OrganisationResolver().resolve(name)

"""Themes: the SKOS scheme in data/themes.ttl and ThemeResolver.assign."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from sotegraph.namespaces import SG, SGID, YSO, theme_iri
from sotegraph.nlp.voikko import voikko as _voikko
from sotegraph.reference.themes import COMPOUND_FACTOR, ThemeResolver, themes_graph

needs_voikko = pytest.mark.skipif(
    _voikko() is None, reason="libvoikko with a Finnish dictionary not installed"
)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return themes_graph()


@pytest.fixture(scope="module")
def resolver() -> ThemeResolver:
    return ThemeResolver()


@pytest.fixture(scope="module")
def plain() -> ThemeResolver:
    return ThemeResolver(use_voikko=False)


# --------------------------------------------------------------------------------------
# the scheme
# --------------------------------------------------------------------------------------

REQUIRED = [
    "työhyvinvointi",
    "johtaminen",
    "asiakasosallisuus",
    "osallisuus",
    "yrittäjyys",
    "kevytyrittäjyys",
    "yhteiskunnallinen yritys",
    "osuuskunnat",
    "digitalisaatio",
    "etäpalvelut",
    "etätyö",
    "työkyky",
    "työkykyjohtaminen",
    "ikääntyneet",
    "kotihoito",
    "mielenterveys",
    "lastensuojelu",
    "järjestöt",
    "muutosjohtaminen",
    "liiketoimintaosaaminen",
    "verkostoituminen",
    "yhteiskehittäminen",
    "alustatalous",
    "ekosysteemit",
]


def test_scheme_shape(graph: Graph) -> None:
    assert graph.identifier == SGID["graph/themes"]
    concepts = set(graph.subjects(RDF.type, SG.Theme))
    assert len(concepts) >= 40
    for c in concepts:
        assert (c, RDF.type, SKOS.Concept) in graph
        langs = {getattr(o, "language", None) for o in graph.objects(c, SKOS.prefLabel)}
        assert langs == {"fi", "sv", "en"}, c
        fi = next(str(o) for o in graph.objects(c, SKOS.prefLabel) if o.language == "fi")
        assert c == theme_iri(fi)
        for parent in graph.objects(c, SKOS.broader):
            assert parent in concepts, (c, parent)
            assert (parent, SKOS.narrower, c) in graph


@pytest.mark.parametrize("label", REQUIRED)
def test_required_theme_present(graph: Graph, label: str) -> None:
    assert (theme_iri(label), RDF.type, SG.Theme) in graph


def test_broader_has_no_cycles(graph: Graph) -> None:
    for c in set(graph.subjects(RDF.type, SG.Theme)):
        seen = {c}
        frontier = set(graph.objects(c, SKOS.broader))
        while frontier:
            assert c not in frontier, f"cycle through {c}"
            seen |= frontier
            frontier = {p for f in frontier for p in graph.objects(f, SKOS.broader)} - seen


def test_alt_labels_cover_variants(graph: Graph) -> None:
    def alts(label: str) -> set[str]:
        return {str(o) for o in graph.objects(theme_iri(label), SKOS.altLabel)}

    assert "kevytyrittäjä" in alts("kevytyrittäjyys")
    assert "osuuskunta" in alts("osuuskunnat")
    assert "digitalisuus" in alts("digitalisaatio")
    assert "järjestö" in alts("järjestöt")
    assert "digitaalinen alusta" in alts("alustatalous")


def test_yso_matches_exist_in_yso(graph: Graph, reference_dir: Path) -> None:
    """Every skos:exactMatch/closeMatch is a YSO concept with that Finnish label."""
    yso: dict[str, str] = {}
    tsv = reference_dir / "themes" / "yso-ysoplaces-cicero-fi.tsv"
    for line in tsv.read_text(encoding="utf-8").splitlines():
        uri, _, label = line.partition("\t")
        yso[uri.strip("<>")] = label
    matches = [
        (c, o) for p in (SKOS.exactMatch, SKOS.closeMatch) for c, o in graph.subject_objects(p)
    ]
    assert len(matches) >= 40
    for concept, target in matches:
        assert str(target).startswith(str(YSO)), target
        assert str(target) in yso, f"{concept} -> {target} is not in YSO 2019.3"
    pinned = {
        "työhyvinvointi": "p1835",
        "johtaminen": "p554",
        "yrittäjyys": "p1182",
        "digitalisaatio": "p8692",
        "osuuskunnat": "p11631",
        "kotihoito": "p5513",
        "ikääntyneet": "p2433",
        "mielenterveys": "p1949",
        "työkyky": "p10214",
        "etätyö": "p10801",
        "osallisuus": "p5164",
    }
    for label, local in pinned.items():
        assert (theme_iri(label), SKOS.exactMatch, YSO[local]) in graph, label
    # no invented match for a theme YSO 2019.3 does not have
    assert not list(graph.objects(theme_iri("asiakasosallisuus"), SKOS.exactMatch))


# --------------------------------------------------------------------------------------
# assign: sentences of our own
# --------------------------------------------------------------------------------------

POSITIVE = [
    ("Henkilöstön työhyvinvointia parannetaan.", "työhyvinvointi", "työhyvinvointia"),
    ("Koulutus kevytyrittäjien tarpeisiin.", "kevytyrittäjyys", "kevytyrittäjien"),
    ("Raportti digitalisaatiosta kunnissa.", "digitalisaatio", "digitalisaatiosta"),
    ("Perustimme kaksi osuuskuntaa.", "osuuskunnat", "osuuskuntaa"),
    ("Osuuskuntien verkosto laajeni.", "osuuskunnat", "Osuuskuntien"),
    ("Kolmannen sektorin toimijat mukana.", "kolmas sektori", "Kolmannen sektorin toimijat"),
    (
        "Tuetaan yhteiskunnallisten yritysten syntyä.",
        "yhteiskunnallinen yritys",
        "yhteiskunnallisten yritysten",
    ),
    ("Selvitämme asiakasosallisuuden keinoja.", "asiakasosallisuus", "asiakasosallisuuden"),
    ("Kokeillaan etäpalveluja haja-asutusalueilla.", "etäpalvelut", "etäpalveluja"),
    ("Uusi malli työkykyjohtamiseen.", "työkykyjohtaminen", "työkykyjohtamiseen"),
    ("Muutosjohtamisen valmennus esihenkilöille.", "muutosjohtaminen", "Muutosjohtamisen"),
    ("Ikääntyneiden kotona asumista tuetaan.", "ikääntyneet", "Ikääntyneiden"),
    ("Kotihoidon työvuorot suunnitellaan uudelleen.", "kotihoito", "Kotihoidon"),
    ("Nuorten mielenterveyttä vahvistetaan.", "mielenterveys", "mielenterveyttä"),
    ("Lastensuojelun sijaishuollon kehittäminen.", "lastensuojelu", "Lastensuojelun"),
    ("Pienten järjestöjen talous on tiukalla.", "järjestöt", "järjestöjen"),
    (
        "Yrittäjien liiketoimintaosaamista lisätään.",
        "liiketoimintaosaaminen",
        "liiketoimintaosaamista",
    ),
    ("Verkostoitumista edistetään tapahtumissa.", "verkostoituminen", "Verkostoitumista"),
    (
        "Palvelut syntyvät yhteiskehittämällä asukkaiden kanssa.",
        "yhteiskehittäminen",
        "yhteiskehittämällä",
    ),
    (
        "Yhteiskehittämisen työpajat järjestetään keväällä.",
        "yhteiskehittäminen",
        "Yhteiskehittämisen",
    ),
    ("Rakennetaan digitaalinen alusta palveluille.", "alustatalous", "digitaalinen alusta"),
    ("Alueen ekosysteemiin kuuluu kolmekymmentä yritystä.", "ekosysteemit", "ekosysteemiin"),
    ("Etätyön pelisäännöt sovittiin.", "etätyö", "Etätyön"),
    ("Työkyvyn tukeminen on keskeistä.", "työkyky", "Työkyvyn"),
    ("Johtamisen käytännöt uudistuvat.", "johtaminen", "Johtamisen"),
    ("Osallisuutta lisätään kylissä.", "osallisuus", "Osallisuutta"),
    ("Yrittäjyyttä opetetaan kouluissa.", "yrittäjyys", "Yrittäjyyttä"),
    ("Omaishoitajien jaksaminen on koetuksella.", "omaishoito", "Omaishoitajien"),
    (
        "Pitkäaikaistyöttömien työllistymistä tuetaan.",
        "pitkäaikaistyöttömät",
        "Pitkäaikaistyöttömien",
    ),
]


@needs_voikko
@pytest.mark.parametrize(("sentence", "theme", "surface"), POSITIVE)
def test_assign_positive(resolver: ThemeResolver, sentence: str, theme: str, surface: str) -> None:
    mentions = resolver.assign(sentence)
    hits = [m for m in mentions if m.label == theme]
    assert hits, f"{theme} not found in {sentence!r}: {[m.label for m in mentions]}"
    m = hits[0]
    assert m.iri == str(theme_iri(theme))
    assert m.span is not None
    assert sentence[m.span.start : m.span.end] == surface
    assert m.weight == 1.0


NEGATIVE = [
    "Kunnan tiet korjataan ensi kesänä.",
    "Järjestämme tilaisuuden verkossa alusta loppuun.",  # järjestää is not järjestö
    "Hyvinvointialueella päätettiin budjetista.",  # hyvinvointialue is not hyvinvointiala
    "Yrityksen toimitusjohtaja vaihtui.",  # yritys is not yrittäjyys
    "Kävimme kotona ja töissä.",
    "Yhteisen hyvän puolesta.",
    "Hankkeen toteutusaika on kaksi vuotta.",
]


@pytest.mark.parametrize("sentence", NEGATIVE)
@pytest.mark.parametrize("use_voikko", [True, False])
def test_assign_negative(sentence: str, use_voikko: bool) -> None:
    if use_voikko and _voikko() is None:
        pytest.skip("libvoikko not installed")
    r = ThemeResolver(use_voikko=use_voikko)
    assert r.assign(sentence) == []


FALLBACK = [
    ("Henkilöstön työhyvinvointia parannetaan.", "työhyvinvointi"),
    ("Koulutus kevytyrittäjien tarpeisiin.", "kevytyrittäjyys"),
    ("Kevytyrittäjyyden suosio kasvaa.", "kevytyrittäjyys"),
    ("Raportti digitalisaatiosta kunnissa.", "digitalisaatio"),
    ("Osuuskuntien verkosto laajeni.", "osuuskunnat"),
    ("Pienten järjestöjen talous on tiukalla.", "järjestöt"),
    ("Muutosjohtamisen valmennus esihenkilöille.", "muutosjohtaminen"),
    ("Asiakasosallisuuden keinot.", "asiakasosallisuus"),
    ("Kolmannen sektorin toimijat mukana.", "kolmas sektori"),
    ("Pk-yrityksille suunnattu koulutus.", "pk-yritykset"),
]


@pytest.mark.parametrize(("sentence", "theme"), FALLBACK)
def test_assign_without_voikko(plain: ThemeResolver, sentence: str, theme: str) -> None:
    assert theme in [m.label for m in plain.assign(sentence)]


@needs_voikko
@pytest.mark.parametrize(
    ("sentence", "theme"),
    [
        ("Digitalisaatiohankkeen tulokset julkaistiin.", "digitalisaatio"),
        ("Järjestötaustaiset palvelutuottajat koulutetaan.", "järjestöt"),
        ("Naisyrittäjyyden edistäminen maaseudulla.", "yrittäjyys"),
    ],
)
def test_compound_parts_weigh_less(resolver: ThemeResolver, sentence: str, theme: str) -> None:
    hits = [m for m in resolver.assign(sentence, weight=0.5) if m.label == theme]
    assert hits
    assert hits[0].weight == pytest.approx(0.5 * COMPOUND_FACTOR)


def test_longest_label_wins(resolver: ThemeResolver) -> None:
    labels = [m.label for m in resolver.assign("Kolmannen sektorin toimijoiden osallisuus")]
    assert labels == ["kolmas sektori", "osallisuus"]


def test_caller_lemmas(plain: ThemeResolver) -> None:
    text = "Kevytyrittäjille uusia palveluja"
    mentions = plain.assign(text, lemmas=["kevytyrittäjä", "uusi", "palvelu"])
    assert [m.label for m in mentions] == ["kevytyrittäjyys"]
    assert mentions[0].span is not None
    assert text[mentions[0].span.start : mentions[0].span.end] == "Kevytyrittäjille"
    # spaCy-style lemmas with punctuation tokens still align
    with_punct = plain.assign(text + ".", lemmas=["kevytyrittäjä", "uusi", "palvelu", "."])
    assert with_punct[0].span == mentions[0].span
    # lemmas that do not align with the words: matched without spans
    loose = plain.assign("x", lemmas=["työhyvinvointi", "ja", "etätyö"])
    assert [(m.label, m.span) for m in loose] == [("työhyvinvointi", None), ("etätyö", None)]


def test_themes_sums_weights(resolver: ThemeResolver) -> None:
    scores = resolver.themes("Etätyö ja etätyön johtaminen", weight=0.5)
    assert scores[str(theme_iri("etätyö"))] == pytest.approx(1.0)
    assert scores[str(theme_iri("johtaminen"))] == pytest.approx(0.5)


def test_assign_is_fast(resolver: ThemeResolver) -> None:
    import time

    text = " ".join(s for s, _, _ in POSITIVE)
    resolver.assign(text)
    start = time.perf_counter()
    for _ in range(200):
        resolver.assign(text)
    per_call = (time.perf_counter() - start) / 200
    print(f"assign on {len(text)} characters: {per_call * 1000:.2f} ms")
    assert per_call < 0.05


# --------------------------------------------------------------------------------------
# gold: the themes the seed texts are about
# --------------------------------------------------------------------------------------


def test_gold_seed_themes(resolver: ThemeResolver, gold: dict, seeds_dir: Path) -> None:  # type: ignore[type-arg]
    """Every theme group of ../shared/gold/seeds.json is assigned from its seed's text."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    groups = found = assigned_total = 0
    missing: list[str] = []
    for project in gold["projects"]:
        wanted = project.get("themes_any_of")
        if not wanted:
            continue
        docs = (
            [project["doc"]]
            if project.get("doc")
            else [n for n, t in texts.items() if project["name"].casefold() in t.casefold()]
        )
        assert docs, project["name"]
        assigned = set().union(*(resolver.themes(texts[d]) for d in docs))
        assigned_total += len(assigned)
        for group in wanted:
            groups += 1
            iris = {c.iri for label in group if (c := resolver.concept(label)) is not None}
            assert iris, f"no theme concept for {group}"
            if iris & assigned:
                found += 1
            else:
                missing.append(f"{project['name']}: {group}")
    recall = found / groups
    print(
        f"gold theme groups: {found}/{groups} found (recall {recall:.2f}); "
        f"{assigned_total} distinct themes assigned over those documents"
    )
    assert missing == []


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_THEMES = ThemeResolver()


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200), weight=st.floats(min_value=0.0, max_value=10.0))
def test_assign_spans_are_inside_text(text: str, weight: float) -> None:
    for m in _THEMES.assign(text, weight=weight):
        assert m.span is not None
        assert 0 <= m.span.start < m.span.end <= len(text)
        assert m.iri is not None
        assert m.weight <= weight + 1e-9


def test_scheme_integrity(graph: Graph) -> None:
    scheme = SGID["theme"]
    concepts = set(graph.subjects(RDF.type, SG.Theme))
    tops = set(graph.objects(scheme, SKOS.hasTopConcept))
    assert tops == {c for c in concepts if (c, SKOS.broader, None) not in graph}
    assert tops == set(graph.subjects(SKOS.topConceptOf, scheme))
    owners: dict[str, set] = {}  # type: ignore[type-arg]
    for c in concepts:
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(c, p):
                if getattr(label, "language", None) == "fi":
                    owners.setdefault(str(label).casefold(), set()).add(c)
    clashes = {label: c for label, c in owners.items() if len(c) > 1}
    assert clashes == {}


@needs_voikko
@pytest.mark.parametrize(
    "sentence",
    [
        "Ympäristöosaaminen on huomioitu hankkeessa.",  # a horizontal principle, not osaaminen
        "Työmarkkinajärjestöt neuvottelevat palkoista.",  # not NGOs
        "Raportin kirjoitti Työterveyslaitos yhdessä kuntien kanssa.",  # an organisation's name
    ],
)
def test_compound_false_friends(resolver: ThemeResolver, sentence: str) -> None:
    assert [m.label for m in resolver.assign(sentence) if m.weight < 1.0] == []

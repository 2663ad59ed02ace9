"""Swedish prose: routing by language, the Swedish pipeline, its cue rules and periods.

Every sentence is written for these tests (none is copied from a corpus). Municipalities
and public bodies are real public names; the projects are invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("spacy")

from sotegraph.extract import extract, is_swedish
from sotegraph.extract.swedish import extract_swedish
from sotegraph.facts import Facts, Role
from sotegraph.nlp.swedish import (
    CUE_KEY,
    ORG_KEY,
    load_swedish_pipeline,
    organisation_names,
)
from sotegraph.read import Document, Genre


@pytest.fixture(scope="module")
def sv():
    """The Swedish pipeline (built once per process)."""
    return load_swedish_pipeline()


def _facts(sv, text: str) -> Facts:
    doc = Document.from_text(text, source="sida.txt")
    assert doc.language == "sv", "the test text must be detected as Swedish"
    return extract_swedish(doc, nlp=sv)


def _roles(facts: Facts) -> set[tuple[str, str, str]]:
    return {
        (
            facts.project(p.project).name or "",
            p.role.value,
            facts.organisation(p.organisation).name,
        )
        for p in facts.participations
    }


def _project(facts: Facts, name: str):
    for p in facts.projects:
        if p.name == name:
            return p
    raise AssertionError(f"no project {name!r} in {[p.name for p in facts.projects]}")


# ---------------------------------------------------------------- the pipeline


def test_pipeline_is_blank_swedish_with_rules(sv) -> None:
    assert sv.lang == "sv"
    assert sv.pipe_names == [
        "sotegraph_sv_paragraphs",
        "sentencizer",
        "sotegraph_sv_organisations",
        "sotegraph_sv_cues",
    ]
    assert load_swedish_pipeline() is sv  # cached


def test_gazetteer_from_reference_data() -> None:
    names = {(phrase, record) for phrase, _label, record in organisation_names()}
    assert ("Vasa stad", "Vasa stad") in names  # municipalities.csv, Swedish name
    assert ("Korsholms kommun", "Korsholms kommun") in names
    assert ("Österbottens välfärdsområde", "Österbottens välfärdsområde") in names
    assert ("Social- och hälsovårdsministeriet", "Social- och hälsovårdsministeriet") in names
    assert ("EU:s återhämtningsinstrument", "EU:n elpymis- ja palautumistukiväline") in names


def test_swedish_municipality_is_an_organisation(sv) -> None:
    doc = sv("Jakobstads stads ungdomstjänster och Larsmo kommun deltar.")
    assert [(s.text, s.id_) for s in doc.spans[ORG_KEY]] == [
        ("Jakobstads stads", "Jakobstads stad"),
        ("Larsmo kommun", "Larsmo kommun"),
    ]


def test_stad_alone_is_no_organisation(sv) -> None:
    doc = sv("Morgondagens stad byggs av invånarna.")
    assert list(doc.spans[ORG_KEY]) == []


def test_organisation_shapes(sv) -> None:
    doc = sv(
        "Mellersta Koebygdens samkommun, Stiftelsen Koehjälp och Institutet för hälsa och "
        "välfärd deltar."
    )
    assert [s.text for s in doc.spans[ORG_KEY]] == [
        "Mellersta Koebygdens samkommun",
        "Stiftelsen Koehjälp",
        "Institutet för hälsa och välfärd",
    ]


def test_sentences_break_at_blank_lines(sv) -> None:
    doc = sv("Rubrik utan punkt\n\nProjektet Koe pågår. Det slutar snart.")
    assert [s.text.strip() for s in doc.sents] == [
        "Rubrik utan punkt",
        "Projektet Koe pågår.",
        "Det slutar snart.",
    ]


def test_cues_are_marked(sv) -> None:
    doc = sv("Projektet förvaltas av Vasa stad i samarbete med Novia och finansieras av ESF.")
    assert [(s.label_, s.text) for s in doc.spans[CUE_KEY]] == [
        ("lead:after", "förvaltas av"),
        ("collaborator:after", "i samarbete med"),
        ("funder:after", "finansieras av"),
    ]


# ---------------------------------------------------------------- cue rules


def test_sokande_is_lead(sv) -> None:
    f = _facts(sv, "Projektet Hälsobron pågår åren 2024–2026. Sökande är Jakobstads stad.")
    assert ("Hälsobron", "lead", "Jakobstads stad") in _roles(f)


def test_koordinerar_is_lead(sv) -> None:
    f = _facts(sv, "Kristinestads stad koordinerar projektet Trygg Hemma på landsbygden.")
    assert _roles(f) == {("Trygg Hemma", "lead", "Kristinestads stad")}


def test_koordineras_av_is_lead(sv) -> None:
    f = _facts(sv, "Projektet Trygg Hemma koordineras av Närpes stad och pågår ett år.")
    assert _roles(f) == {("Trygg Hemma", "lead", "Närpes stad")}


def test_i_samarbete_med_a_b_och_c_are_collaborators(sv) -> None:
    f = _facts(
        sv,
        "Projektet Gröna Vägar genomförs i samarbete med Närpes stad, Yrkeshögskolan Novia "
        "och Åbo Akademi.",
    )
    assert _roles(f) == {
        ("Gröna Vägar", "collaborator", "Närpes stad"),
        ("Gröna Vägar", "collaborator", "Yrkeshögskolan Novia"),
        ("Gröna Vägar", "collaborator", "Åbo Akademi"),
    }


def test_finansieras_av_is_funder_with_canonical_fund_name(sv) -> None:
    f = _facts(sv, "Projektet Gröna Vägar finansieras av Europeiska socialfonden och staten.")
    assert ("Gröna Vägar", "funder", "Euroopan sosiaalirahasto") in _roles(f)


def test_pengarna_kommer_fran_a_fund(sv) -> None:
    f = _facts(
        sv,
        "Projektet Snabbare Vård ska korta köerna. Pengarna kommer från EU:s "
        "engångsinstrument för återhämtning.",
    )
    assert _roles(f) == {("Snabbare Vård", "funder", "EU:n elpymis- ja palautumistukiväline")}


def test_har_beviljat_statsunderstod_gives_funder_and_lead(sv) -> None:
    f = _facts(
        sv,
        "Projektet Digibron startar i höst. Arbets- och näringsministeriet har beviljat "
        "Korsholms kommun statsunderstöd på 200 000 euro.",
    )
    assert _roles(f) == {
        ("Digibron", "funder", "Arbets- och näringsministeriet"),
        ("Digibron", "lead", "Korsholms kommun"),
    }


def test_har_beviljats_av_gives_lead_and_funder(sv) -> None:
    f = _facts(
        sv,
        "Projektet Digibron startar i höst. Korsholms kommun har beviljats statsunderstöd av "
        "Social- och hälsovårdsministeriet.",
    )
    assert _roles(f) == {
        ("Digibron", "lead", "Korsholms kommun"),
        ("Digibron", "funder", "Social- och hälsovårdsministeriet"),
    }


def test_negated_clause_gives_no_role(sv) -> None:
    f = _facts(
        sv,
        "Projektet Digibron förvaltas av Vasa stad. Institutet för hälsa och välfärd deltar "
        "inte i projektet, och Till skillnad från Närpes stad koordinerar Malax kommun inget.",
    )
    assert _roles(f) == {("Digibron", "lead", "Vasa stad")}


def test_organisation_without_cue_is_no_participant(sv) -> None:
    f = _facts(sv, "Projektet Digibron presenterades i Vasa stads stadshus i går.")
    assert f.participations == []


def test_spans_point_into_the_original_text(sv) -> None:
    text = "Till innehållet | Suomeksi\n\nProjektet Trygg Hemma drivs av Vasa stad."
    f = _facts(sv, text)
    (p,) = f.participations
    assert text[p.span.start : p.span.end] == "Vasa stad"
    assert p.role_text == "drivs av"
    assert p.sentence == "Projektet Trygg Hemma drivs av Vasa stad."


# ---------------------------------------------------------------- projects and periods


def test_projektet_x_names_a_project(sv) -> None:
    f = _facts(sv, "I höst startar projektet Gröna Vägar i Vasa och Närpes.")
    assert [p.name for p in f.projects] == ["Gröna Vägar"]


def test_projektet_with_a_sentence_case_name(sv) -> None:
    f = _facts(
        sv,
        "Vid byrån genomförs också projektet Morgondagens social- och hälsotjänster under året.",
    )
    assert [p.name for p in f.projects] == ["Morgondagens social- och hälsotjänster"]


def test_name_with_a_small_word_and_an_abbreviation(sv) -> None:
    f = _facts(sv, "Projektet Vård i Rörelse (VIR) leds av Yrkeshögskolan Novia.")
    (p,) = f.projects
    assert (p.name, p.aliases) == ("Vård i Rörelse", ["VIR"])
    assert _roles(f) == {("Vård i Rörelse", "lead", "Yrkeshögskolan Novia")}


def test_projekten_a_b_och_c_and_then_projekten(sv) -> None:
    f = _facts(
        sv,
        "Pengarna går till projekten Digital Vård, Trygg Vardag och Aktiv Fritid. "
        "Projekten genomförs under åren 2024–2026 i samarbete med Åbo Akademi.",
    )
    assert [(p.name, p.start, p.end) for p in f.projects] == [
        ("Digital Vård", 2024, 2026),
        ("Trygg Vardag", 2024, 2026),
        ("Aktiv Fritid", 2024, 2026),
    ]
    assert {r for _p, r, _o in _roles(f)} == {"collaborator"}
    assert len(f.participations) == 3


def test_projektet_followed_by_a_verb_names_nothing(sv) -> None:
    f = _facts(sv, "Projektet ska göra det lättare att få vård i Vasa och Närpes.")
    assert f.projects == []


def test_aren_gives_the_period(sv) -> None:
    f = _facts(sv, "Projektet Gröna Vägar pågår åren 2023–2025 i hela landskapet.")
    p = _project(f, "Gröna Vägar")
    assert (p.start, p.end) == (2023, 2025)


def test_dates_with_a_period_cue(sv) -> None:
    f = _facts(sv, "Projektet Gröna Vägar pågår under tiden 1.3.2024–28.2.2026 i Vasa.")
    p = _project(f, "Gröna Vägar")
    assert (p.start, p.end) == (dt.date(2024, 3, 1), dt.date(2026, 2, 28))


def test_continues_gives_an_end_and_an_earlier_start_wins(sv) -> None:
    f = _facts(
        sv,
        "Projektet Hemma Bäst fortsätter åren 2024–2026.\n\nRedan år 2023 fick projektet "
        "finansiering från programmet.",
    )
    p = _project(f, "Hemma Bäst")
    assert (p.start, p.end) == (2023, 2026)


def test_both_projects_share_a_role(sv) -> None:
    f = _facts(
        sv,
        "Projektet Alfa Hälsa pågår i Vasa. Vid samma byrå drivs projektet Beta Omsorg. "
        "Båda projekten förvaltas av Österbottens välfärdsområde.",
    )
    assert _roles(f) == {
        ("Alfa Hälsa", "lead", "Österbottens välfärdsområde"),
        ("Beta Omsorg", "lead", "Österbottens välfärdsområde"),
    }


def test_a_short_name_before_a_hyphen_is_the_same_project(sv) -> None:
    f = _facts(
        sv,
        "Projektet Koe Botnia-Välmående Koeby pågår åren 2024–2025. Koe Botnia leds av Vasa stad.",
    )
    assert [p.name for p in f.projects] == ["Koe Botnia-Välmående Koeby"]
    assert _roles(f) == {("Koe Botnia-Välmående Koeby", "lead", "Vasa stad")}


# ---------------------------------------------------------------- routing


def test_swedish_document_is_routed_to_the_swedish_extractor(monkeypatch) -> None:
    import sotegraph.extract.swedish as swedish

    seen: list[str] = []

    def fake(document: Document, *, nlp=None) -> Facts:
        seen.append(document.language)
        return Facts(document_id=document.id, source=document.source)

    monkeypatch.setattr(swedish, "extract_swedish", fake)
    doc = Document.from_text("Projektet Koe förvaltas av Vasa stad och Novia.", source="s.txt")
    assert doc.genre is Genre.ARTICLE
    assert is_swedish(doc)
    extract(doc)
    assert seen == ["sv"]


@pytest.mark.nlp
def test_finnish_document_is_not_routed_to_the_swedish_pipeline(monkeypatch) -> None:
    import sotegraph.extract.swedish as swedish

    def boom(*_a, **_k):  # pragma: no cover - must not be called
        raise AssertionError("a Finnish text went to the Swedish extractor")

    monkeypatch.setattr(swedish, "extract_swedish", boom)
    doc = Document.from_text("Koe-hanketta hallinnoi Vaasan kaupunki.", source="k.txt")
    assert not is_swedish(doc)
    facts = extract(doc)
    assert [p.role.value for p in facts.participations] == ["lead"]


def test_without_nlp_a_swedish_article_yields_no_facts() -> None:
    doc = Document.from_text("Projektet Koe förvaltas av Vasa stad och Novia.", source="s.txt")
    assert extract(doc, use_nlp=False).participations == []


def test_builder_batches_only_finnish_prose(monkeypatch) -> None:
    """The batched path (``extract_articles``) gets the Finnish articles only."""
    import sotegraph.builder as builder
    import sotegraph.extract.article as article
    from sotegraph.builder import BuildResult, KnowledgeGraph

    batched: list[str] = []

    def fake_batch(documents, *, nlp=None, **_k):
        docs = list(documents)
        batched.extend(d.language for d in docs)
        return iter([Facts(document_id=d.id, source=d.source) for d in docs])

    monkeypatch.setattr(builder, "_load_nlp", lambda: object())
    monkeypatch.setattr(article, "extract_articles", fake_batch)
    fi = [Document.from_text(f"Hanketta {n} hallinnoi Vaasan kaupunki.") for n in "ab"]
    sv_doc = Document.from_text("Projektet Koe förvaltas av Vasa stad.", source="s.txt")
    res = BuildResult()
    # one process: the stand-ins above live in this one (worker processes have their own)
    out = KnowledgeGraph._extract(None, [*fi, sv_doc], res, use_nlp=True, progress=None, workers=1)  # type: ignore[arg-type]
    assert batched == ["fi", "fi"]
    assert [d.language for d, _f in out] == ["fi", "fi", "sv"]
    assert res.failed == []
    swedish_facts = out[2][1]
    assert {
        (p.role, o.name)
        for p in swedish_facts.participations
        for o in [swedish_facts.organisation(p.organisation)]
    } == {(Role.LEAD, "Vasa stad")}

"""``sotegraph evaluate`` scores every key of the gold.

Small gold files and documents made up for these tests (nothing from ../shared): authority,
periods given only as years, ``participants`` (any role), consortium and network membership,
distractors as false hits, per-genre rows from ``document_info``, the count of personal-data
strings in the built graph, and that a wrong extraction lowers the scores.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from sotegraph.errors import InputError
from sotegraph.evaluate import (
    FACT_TYPES,
    PERSONAL_DATA,
    EvaluationReport,
    evaluate,
    evaluate_facts,
    personal_data_in_store,
)
from sotegraph.facts import (
    Facts,
    GroupFact,
    GroupKind,
    OrganisationFact,
    Participation,
    ProjectFact,
    Role,
)
from sotegraph.store import open_store

pytest.importorskip("spacy")

NEWS, REPORT = "uutinen.txt", "raportti.txt"


def _gold() -> dict[str, Any]:
    """Two made-up projects, a consortium, a network, a distractor and two genres."""
    return {
        "about": "made up for tests/test_evaluate_keys.py",
        "organisations": [
            {"id": "vaasa", "name": "Vaasan kaupunki", "type": "kunta"},
            {"id": "lapin", "name": "Lapin yliopisto"},
            {"id": "oulu", "name": "Oulun kaupunki"},
            {"id": "kela", "name": "Kansaneläkelaitos", "aliases": ["Kela"]},
            {"id": "hame-ely", "name": "Hämeen elinkeino-, liikenne- ja ympäristökeskus"},
            {"id": "tampere", "name": "Tampereen kaupunki"},
        ],
        "projects": [
            {
                "id": "kuu",
                "docs": [NEWS, REPORT],
                "name": "Kuunsilta",
                "lead": "vaasa",
                "participants": ["lapin", "oulu"],
                "authority": "hame-ely",
                "start_year": 2019,
                "end_year": 2021,
                "consortium": "taivas",
                "funding": {"eu_state_granted": 1},
            },
            {
                "id": "tahti",
                "docs": [REPORT],
                "name": "Tähtitaivas",
                "lead": "lapin",
                "start": "2020-03-01",
                "end": "2022-02-28",
            },
        ],
        "consortia": [{"id": "taivas", "docs": [REPORT], "name": "Taivaankansi", "members": []}],
        "networks": [
            {"id": "rata", "docs": [NEWS], "name": "Ratapiha", "members": ["kuu"]},
            {"id": "muu", "docs": [REPORT], "name": "Muu verkosto"},
        ],
        "distractors": [
            {
                "doc": NEWS,
                "org": "kela",
                "as_written": "Kelan",
                "not_participant_of": "kuu",
                "cue": "statistics only",
            },
            {
                "doc": REPORT,
                "org": "tampere",
                "as_written": "Tampereen",
                "not_participant_of": "*",
                "cue": "not a party",
            },
        ],
        "document_info": {NEWS: {"genre": "news"}, REPORT: {"genre": "report"}},
        "personal_data": {"people": ["Maija Meikäläinen"], "contact_strings": ["040 123 4567"]},
    }


def _facts(source: str, **kw: Any) -> Facts:
    return Facts(document_id=source, source=source, **kw)


def _news(*, lead: str = "Vaasan kaupunki", start: Any = dt.date(2019, 3, 1)) -> Facts:
    """What a right extraction of the made-up news item gives."""
    return _facts(
        NEWS,
        projects=[ProjectFact(key="p1", name="Kuunsilta", start=start, end=2021, member_of=["g"])],
        organisations=[
            OrganisationFact(key="o1", name=lead),
            OrganisationFact(key="o2", name="Lapin yliopisto"),
            OrganisationFact(key="o3", name="Hämeen elinkeino-, liikenne- ja ympäristökeskus"),
            OrganisationFact(key="o4", name="Kela"),  # named, takes no part
        ],
        participations=[
            Participation("p1", "o1", Role.LEAD),
            Participation("p1", "o2", Role.PARTNER),  # a participant: any role counts
            Participation("p1", "o3", Role.AUTHORITY),
        ],
        groups=[GroupFact(key="g", name="Ratapiha", kind=GroupKind.NETWORK)],
    )


def _report() -> Facts:
    return _facts(
        REPORT,
        projects=[
            ProjectFact(key="p1", name="Kuunsilta", member_of=["c"]),
            ProjectFact(
                key="p2", name="Tähtitaivas", start=dt.date(2020, 3, 1), end=dt.date(2022, 2, 28)
            ),
        ],
        organisations=[
            OrganisationFact(key="o1", name="Lapin yliopisto"),
            OrganisationFact(key="o2", name="Oulun kaupunki"),
            OrganisationFact(key="o3", name="Tampereen kaupunki"),  # named, takes no part
        ],
        participations=[
            Participation("p2", "o1", Role.LEAD),
            Participation("p1", "o2", Role.COLLABORATOR),
        ],
        groups=[GroupFact(key="c", name="Taivaankansi", kind=GroupKind.CONSORTIUM)],
    )


@pytest.fixture(scope="module")
def right() -> EvaluationReport:
    return evaluate_facts(_gold(), {NEWS: _news(), REPORT: _report()})


def _counts(report: EvaluationReport, fact_type: str) -> tuple[int, int, int]:
    s = report.score(fact_type)
    return s.tp, s.fp, s.fn


# ----------------------------------------------------------------------------- each key


def test_every_fact_type_is_reported(right: EvaluationReport) -> None:
    assert list(right.scores) == list(FACT_TYPES)
    for t in ("authority", "network membership", "participant (any role)"):
        assert t in FACT_TYPES
    data = right.to_dict()
    assert set(data["scores"]) == set(FACT_TYPES)
    assert {"genres", "distractors", "personal_data", "unscored_keys"} <= set(data)
    json.dumps(data)


def test_authority_is_scored(right: EvaluationReport) -> None:
    assert _counts(right, "authority") == (1, 0, 0)
    wrong = _news()
    wrong.participations[2] = Participation("p1", "o1", Role.AUTHORITY)  # Vaasa, not the ELY
    report = evaluate_facts(_gold(), {NEWS: wrong, REPORT: _report()})
    assert _counts(report, "authority") == (0, 1, 1)
    assert report.score("authority").misses == [
        "Kuunsilta ← Hämeen elinkeino-, liikenne- ja ympäristökeskus"
    ]
    assert report.score("authority").false_hits == ["Kuunsilta ← Vaasan kaupunki"]
    missing = _news()
    del missing.participations[2]
    assert _counts(evaluate_facts(_gold(), {NEWS: missing}), "authority") == (0, 0, 1)


def test_year_only_periods(right: EvaluationReport) -> None:
    # Kuunsilta 2019-2021 (years) and Tähtitaivas 2020-03-01..2022-02-28 (dates)
    assert _counts(right, "period") == (4, 0, 0)
    # two dates of the gold year are one fact, not two hits
    both = _report()
    both.projects[0].start = dt.date(2019, 9, 1)
    report = evaluate_facts(_gold(), {NEWS: _news(), REPORT: both})
    assert _counts(report, "period") == (4, 0, 0)
    # another year: a miss and a false hit
    report = evaluate_facts(_gold(), {NEWS: _news(start=dt.date(2018, 3, 1)), REPORT: _report()})
    assert _counts(report, "period") == (3, 1, 1)
    assert report.score("period").misses == ["Kuunsilta start 2019"]
    assert report.score("period").false_hits == ["Kuunsilta start 2018-03-01 (gold 2019)"]
    # a gold date wants the date: the year alone is not enough
    year_only = _report()
    year_only.projects[1].start = 2020
    report = evaluate_facts(_gold(), {NEWS: _news(), REPORT: year_only})
    assert _counts(report, "period") == (3, 1, 1)
    assert report.score("period").misses == ["Tähtitaivas start 2020-03-01"]


def test_a_period_the_gold_does_not_give_is_a_false_hit() -> None:
    extra = _report()
    extra.groups[0].start = 2018  # the gold gives no period for the consortium
    report = evaluate_facts(_gold(), {NEWS: _news(), REPORT: extra})
    assert report.score("period").false_hits == ["Taivaankansi start 2018 (not in the gold)"]


def test_participants_take_any_role(right: EvaluationReport) -> None:
    # Lapin yliopisto extracted as partner, Oulun kaupunki as collaborator: both count
    assert _counts(right, "participant (any role)") == (2, 0, 0)
    assert _counts(right, "partner") == (0, 0, 0)
    assert _counts(right, "collaborator") == (0, 0, 0)
    # an authority is not a way of taking part
    news = _news()
    news.participations[1] = Participation("p1", "o2", Role.AUTHORITY)
    report = evaluate_facts(_gold(), {NEWS: news, REPORT: _report()})
    assert _counts(report, "participant (any role)") == (1, 0, 1)
    assert report.score("authority").false_hits == ["Kuunsilta ← Lapin yliopisto"]


def test_consortium_and_network_membership(right: EvaluationReport) -> None:
    # the consortium's members come from the project's 'consortium' key too
    assert _counts(right, "consortium membership") == (1, 0, 0)
    assert _counts(right, "network membership") == (1, 0, 0)
    # Tähtitaivas put in the network: a false hit; Kuunsilta left out: a miss
    news = _news()
    news.projects[0].member_of = []
    news.projects.append(ProjectFact(key="p2", name="Tähtitaivas", member_of=["g"]))
    report = evaluate_facts(_gold(), {NEWS: news, REPORT: _report()})
    s = report.score("network membership")
    assert (s.tp, s.fp, s.fn) == (0, 1, 1)
    assert s.misses == ["Kuunsilta ∈ Ratapiha"]
    assert s.false_hits == ["Tähtitaivas ∈ Ratapiha"]


def test_membership_of_a_group_without_members_in_the_gold_is_not_scored() -> None:
    report_facts = _report()
    report_facts.groups.append(GroupFact(key="m", name="Muu verkosto", kind=GroupKind.NETWORK))
    report_facts.projects[1].member_of = ["m"]
    report = evaluate_facts(_gold(), {NEWS: _news(), REPORT: report_facts})
    assert _counts(report, "network membership") == (1, 0, 0)
    assert any("not scored" in n and "Muu verkosto" in n for n in report.notes)


def test_a_distractor_extracted_is_a_false_hit(right: EvaluationReport) -> None:
    assert right.distractors == []
    assert right.distractors_total == 2
    news = _news()
    news.participations.append(Participation("p1", "o4", Role.FUNDER))  # Kela
    report = evaluate_facts(_gold(), {NEWS: news, REPORT: _report()})
    assert _counts(report, "funder") == (0, 1, 0)
    assert report.score("funder").false_hits == ["Kuunsilta ← Kansaneläkelaitos"]
    assert [(d.organisation, d.extracted) for d in report.distractors] == [
        ("kela", (("kuu", "funder"),))
    ]
    assert report.score("funder").f1 < right.score("funder").f1
    assert report.score("organisations").fp == 0  # Kela is an organisation the text names


def test_a_star_distractor_covers_every_project_of_its_document() -> None:
    report_facts = _report()
    report_facts.participations.append(Participation("p2", "o3", Role.PARTNER))  # Tampere
    report = evaluate_facts(_gold(), {NEWS: _news(), REPORT: report_facts})
    assert report.score("partner").false_hits == ["Tähtitaivas ← Tampereen kaupunki"]
    assert [(d.organisation, d.not_participant_of, d.extracted) for d in report.distractors] == [
        ("tampere", "*", (("tahti", "partner"),))
    ]
    # the same pair extracted from a document that does not name it a distractor is still a
    # false hit, but not this distractor's
    news = _news()
    news.projects.append(ProjectFact(key="p2", name="Tähtitaivas"))
    news.organisations.append(OrganisationFact(key="o5", name="Tampereen kaupunki"))
    news.participations.append(Participation("p2", "o5", Role.PARTNER))
    report = evaluate_facts(_gold(), {NEWS: news, REPORT: _report()})
    assert report.score("partner").fp == 1
    assert report.distractors == []


def test_per_genre_rows(right: EvaluationReport) -> None:
    assert [g.genre for g in right.genres] == ["news", "report"]
    news, report = right.genre("news"), right.genre("report")
    assert news.documents == [NEWS]
    assert news.read == 1
    assert (news.fp, news.fn) == (0, 0)
    assert (report.fp, report.fn) == (0, 0)
    assert news.f1 == report.f1 == 1.0
    # Kuunsilta's lead is expected from both documents; only the news yields it, so the
    # report neither hits nor misses it: it is counted apart as found elsewhere
    assert news.by_type["lead"].tp == 1  # Kuunsilta
    assert report.by_type["lead"].tp == 1  # Tähtitaivas
    assert report.elsewhere_by_type["lead"] == 1
    assert news.elsewhere_by_type["lead"] == 0
    # the network membership is expected from the news only (the network's document)
    assert news.by_type["network membership"].tp == 1
    assert report.by_type["network membership"].tp == 0


def test_per_genre_misses_and_false_hits() -> None:
    news = _news()
    news.participations = [p for p in news.participations if p.role is not Role.LEAD]
    news.organisations.append(OrganisationFact(key="o9", name="Keksityn kunnan kaupunki"))
    report = evaluate_facts(_gold(), {NEWS: news, REPORT: _report()})
    g_news, g_report = report.genre("news"), report.genre("report")
    # the lead of Kuunsilta came from no document: a miss of both genres
    assert g_news.by_type["lead"].fn == 1
    assert g_report.by_type["lead"].fn == 1
    # an organisation the gold does not list: a false hit of the news only
    assert g_news.by_type["organisations"].fp == 1
    assert g_report.by_type["organisations"].fp == 0
    assert g_news.f1 < 1.0


def test_a_document_not_read_misses_its_facts() -> None:
    report = evaluate_facts(_gold(), {NEWS: _news()})
    g = report.genre("report")
    assert g.read == 0
    assert g.tp == 0
    assert g.fn > 0
    assert report.score("projects").misses == [
        "raportti.txt: Kuunsilta",
        "raportti.txt: Tähtitaivas",
    ]


def test_a_wrong_extraction_lowers_the_scores(right: EvaluationReport) -> None:
    wrong_news = _news(lead="Keksityn kunnan kaupunki", start=dt.date(2017, 1, 1))
    wrong_news.groups[0].kind = GroupKind.CONSORTIUM
    wrong_news.groups[0].name = "Keksitty konsortio"
    wrong = evaluate_facts(_gold(), {NEWS: wrong_news, REPORT: _report()})
    for t in ("lead", "period", "network membership", "consortium membership"):
        assert wrong.score(t).f1 < right.score(t).f1, t
    assert wrong.genre("news").f1 < right.genre("news").f1
    assert wrong.failed_targets()  # lead and consortium targets no longer met
    assert not wrong.meets_targets()


def test_unscored_keys_are_listed(right: EvaluationReport) -> None:
    assert "projects.funding" in right.unscored_keys
    assert "organisations.type" in right.unscored_keys
    assert not any(
        k.startswith(("projects.start", "projects.authority")) for k in right.unscored_keys
    )


@pytest.mark.parametrize(
    ("gold", "message"),
    [
        ([], "JSON list"),
        ({"projects": {"id": "x"}}, "'projects' is not a list"),
        ({"projects": [{"name": "x"}]}, "'projects' item 0 has no id"),
        ({"distractors": [{"doc": "a.txt", "org": "x"}]}, "no not_participant_of"),
        ({"document_info": {"a.txt": "news"}}, "'document_info'"),
        ({"personal_data": {"people": "Maija"}}, "'personal_data'"),
    ],
)
def test_a_gold_of_the_wrong_shape_is_an_input_error(gold: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        evaluate_facts(gold, {})


# ----------------------------------------------------------------------------- personal data


def test_personal_data_strings_are_found_in_any_form() -> None:
    store, g = open_store(), Graph()
    person = URIRef("https://w3id.org/sotegraph/id/person/maija-meikalainen")
    g.add((person, URIRef("https://e.org/tel"), Literal("puh. 040-1234567")))
    g.add((person, URIRef("https://e.org/mail"), Literal("maija.meikalainen@keksitty.fi")))
    store.replace_graph("https://e.org/g", g)
    check = personal_data_in_store(
        store,
        [
            "Maija Meikäläinen",  # as the IRI slug
            "+358 40 123 4567",  # another spacing and the country code
            "maija.meikalainen(at)keksitty.fi",  # (at) for @
            "Ville Vallaton",
        ],
    )
    assert check.strings == 4
    assert check.count == 3
    assert "Ville Vallaton" not in [f.string for f in check.found]
    empty = personal_data_in_store(open_store(), ["Maija Meikäläinen"])
    assert (empty.count, empty.strings) == (0, 1)


RECORD = """Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus

1 Hanke

Hankekoodi: S29871

Hankkeen nimi: Kuunsilta

Suunnitelman mukainen toteutusaika: Alkaa 1.3.2019 ja päättyy 30.6.2021

Vastuuviranomainen: Hämeen elinkeino-, liikenne- ja ympäristökeskus

2 Hakijan perustiedot

Hakijan virallinen nimi: Vaasan kaupunki

Hankkeen yhteyshenkilön nimi: Maija Meikäläinen

Yhteyshenkilön sähköpostiosoite: maija.meikalainen(at)keksitty.fi

Yhteyshenkilön puhelinnumero: 040 123 4567
"""

ARTICLE = """Tähtitaivas alkaa

Tähtitaivas-hanketta hallinnoi Lapin yliopisto. Hanke alkaa maaliskuussa 2020.
"""


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kuunsilta.txt").write_text(RECORD, encoding="utf-8")
    (corpus / "tahti.txt").write_text(ARTICLE, encoding="utf-8")
    gold = {
        "organisations": [
            {"id": "vaasa", "name": "Vaasan kaupunki"},
            {"id": "lapin", "name": "Lapin yliopisto"},
            {"id": "hame-ely", "name": "Hämeen elinkeino-, liikenne- ja ympäristökeskus"},
        ],
        "projects": [
            {
                "id": "kuu",
                "doc": "kuunsilta.txt",
                "code": "S29871",
                "name": "Kuunsilta",
                "lead": "vaasa",
                "authority": "hame-ely",
                "start_year": 2019,
                "end": "2021-06-30",
            },
            {"id": "tahti", "doc": "tahti.txt", "name": "Tähtitaivas", "lead": "lapin"},
        ],
        "document_info": {
            "kuunsilta.txt": {"genre": "eura-record"},
            "tahti.txt": {"genre": "news"},
        },
        "personal_data": {
            "people": ["Maija Meikäläinen"],
            "contact_strings": ["maija.meikalainen(at)keksitty.fi", "040 123 4567"],
        },
    }
    gold_file = tmp_path / "gold.json"
    gold_file.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return gold_file, corpus


def test_evaluate_counts_personal_data_in_the_built_graph(tmp_path: Path) -> None:
    from sotegraph.builder import build

    gold_file, corpus = _corpus(tmp_path)
    report = evaluate(gold_file, corpus)
    assert report.score("authority").tp == 1  # the record's Vastuuviranomainen
    assert report.score("period").tp == 2  # start_year 2019 and the end date
    assert report.personal_data is not None
    assert report.personal_data.strings == 3
    assert report.personal_data.count == 0
    assert report.personal_data.terms > 0
    assert [g.genre for g in report.genres] == ["eura-record", "news"]
    # the check finds them where they are: a graph built with personal data holds them
    kg = build([corpus], include_personal_data=True, validate=False)
    try:
        strings = ["Maija Meikäläinen", "maija.meikalainen(at)keksitty.fi", "040 123 4567"]
        found = personal_data_in_store(kg.store, strings)
    finally:
        kg.close()
    assert found.count >= 1
    report.personal_data = found
    assert PERSONAL_DATA in report.failed_targets()
    skipped = evaluate(gold_file, corpus, check_personal_data=False)
    assert skipped.personal_data is None


# ----------------------------------------------------------------------------- command


def test_cli_prints_the_new_rows_and_the_genre_table(tmp_path: Path) -> None:
    from sotegraph.cli import app

    gold_file, corpus = _corpus(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["evaluate", str(gold_file), str(corpus)], env={"COLUMNS": "200"})
    assert result.exit_code in (0, 1), result.output
    for row in ("authority", "network membership", PERSONAL_DATA, "eura-record", "news"):
        assert row in result.output, row
    assert "Per genre" in result.output
    assert "gold keys not scored" not in result.output  # this gold has only scored keys
    as_json = runner.invoke(app, ["evaluate", str(gold_file), str(corpus), "--json"])
    data = json.loads(as_json.output)
    assert as_json.exit_code == (0 if data["meets_targets"] else 1)
    assert data["personal_data"]["count"] == 0
    assert [g["genre"] for g in data["genres"]] == ["eura-record", "news"]
    assert data["scores"]["authority"]["tp"] == 1


@pytest.mark.parametrize(
    "content",
    [None, "{not json", "[1, 2]", '{"projects": [{"id": 1}]}', b"\xff\xfe{}"],
    ids=["missing", "not-json", "a-list", "bad-project", "not-utf8"],
)
def test_cli_unreadable_gold_exits_2_without_a_traceback(
    tmp_path: Path, content: str | bytes | None
) -> None:
    from sotegraph.cli import app

    gold = tmp_path / "gold.json"
    if isinstance(content, bytes):
        gold.write_bytes(content)
    elif content is not None:
        gold.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(gold), str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)

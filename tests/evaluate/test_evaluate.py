"""Evaluation against gold facts, and ``explain`` over a built store.

The seed evaluation runs the whole pipeline (EURA parser + prose enrichment for records,
the article extractor for prose) over ``../shared/corpus/seeds`` and asserts the F1 targets
of issue 5; it prints precision and recall per fact type and skips when ../shared is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sotegraph.errors import InputError
from sotegraph.evaluate import (
    FACT_TYPES,
    TARGETS,
    FactScore,
    evaluate,
    evaluate_facts,
    explain,
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

pytest.importorskip("spacy")


@pytest.fixture(scope="session")
def seed_report(gold, seeds_dir):
    from sotegraph.nlp import load_pipeline

    return evaluate(seeds_dir.parent.parent / "gold" / "seeds.json", seeds_dir, nlp=load_pipeline())


def test_seed_evaluation_meets_targets(seed_report):
    print()
    for t in FACT_TYPES:
        s = seed_report.scores[t]
        print(
            f"{t:24s} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
            f"(tp {s.tp}, fp {s.fp}, fn {s.fn})"
        )
        for m in s.misses:
            print(f"    miss: {m}")
        for m in s.false_hits:
            print(f"    false hit: {m}")
    assert len(seed_report.documents) == 5
    assert seed_report.failed_targets() == {}
    for t, goal in TARGETS.items():
        assert seed_report.scores[t].f1 >= goal, t


def test_seed_report_lists_every_miss_and_false_hit(seed_report):
    for s in seed_report.scores.values():
        assert len(s.misses) == s.fn
        assert len(s.false_hits) == s.fp
    data = seed_report.to_dict()
    assert set(data["scores"]) == set(FACT_TYPES)
    json.dumps(data)  # JSON-ready


def test_cli_evaluate_prints_table_and_exit_code(gold, seeds_dir, tmp_path):
    from sotegraph.cli import app

    gold_file = seeds_dir.parent.parent / "gold" / "seeds.json"
    result = CliRunner().invoke(app, ["evaluate", str(gold_file), str(seeds_dir), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["meets_targets"] is True
    assert data["scores"]["lead"]["f1"] >= 0.85


# ----------------------------------------------------------------------------- unit level


def _gold() -> dict:
    return {
        "organisations": [
            {"id": "lapin", "name": "Lapin yliopisto", "aliases": ["LY"]},
            {"id": "vaasa", "name": "Vaasan kaupunki"},
            {"id": "esr", "name": "Euroopan sosiaalirahasto", "aliases": ["ESR"]},
        ],
        "projects": [
            {
                "id": "arki",
                "doc": "a.txt",
                "name": "Arjen tuki kotiin",
                "aliases": ["Arki"],
                "lead": "lapin",
                "partners": ["vaasa"],
                "funders": ["esr"],
                "start": "2020-03-01",
                "end_year": 2022,
            }
        ],
        "consortia": [
            {"id": "yv", "doc": "a.txt", "name": "Yhdessä vahvemmiksi", "members": ["arki"]}
        ],
    }


def _facts(*, lead: str = "Lapin yliopiston", role: Role = Role.LEAD) -> Facts:
    return Facts(
        document_id="d",
        source="a.txt",
        projects=[
            ProjectFact(
                key="p1",
                name="Arki",
                start=__import__("datetime").date(2020, 3, 1),
                end=2022,
                member_of=["g1"],
            )
        ],
        organisations=[
            OrganisationFact(key="o1", name=lead),
            OrganisationFact(key="o2", name="Vaasan kaupunki"),
            OrganisationFact(key="o3", name="Keravan kaupunki"),
        ],
        participations=[
            Participation("p1", "o1", role),
            Participation("p1", "o2", Role.PARTNER),
        ],
        groups=[GroupFact(key="g1", name="Yhdessä vahvemmiksi", kind=GroupKind.CONSORTIUM)],
    )


def test_scores_and_matching_through_inflection():
    report = evaluate_facts(_gold(), {"a.txt": _facts()})
    assert report.score("lead").f1 == 1.0  # "Lapin yliopiston" matches "Lapin yliopisto"
    assert report.score("partner").f1 == 1.0
    assert report.score("projects").f1 == 1.0  # "Arki" is an alias
    assert report.score("consortium membership").f1 == 1.0
    assert report.score("period").tp == 2
    orgs = report.score("organisations")
    assert orgs.false_hits == ["new:Keravan kaupunki"]
    assert orgs.misses == ["Euroopan sosiaalirahasto"]
    funder = report.score("funder")
    assert (funder.tp, funder.fn) == (0, 1)


def test_wrong_role_is_a_miss_and_a_false_hit():
    report = evaluate_facts(_gold(), {"a.txt": _facts(role=Role.COLLABORATOR)})
    assert report.score("lead").fn == 1
    assert report.score("collaborator").false_hits == ["Arjen tuki kotiin ← Lapin yliopisto"]


def test_any_role_participants_are_scored_apart():
    g = _gold()
    g["projects"][0].pop("lead")
    g["projects"][0]["participants"] = ["lapin"]
    report = evaluate_facts(g, {"a.txt": _facts(role=Role.COLLABORATOR)})
    assert report.score("collaborator").fp == 0
    assert report.score("participant (any role)").tp == 1


def test_fact_score_arithmetic():
    s = FactScore("x", tp=3, fp=1, fn=2)
    assert s.precision == 0.75
    assert s.recall == 0.6
    assert round(s.f1, 4) == round(2 * 0.75 * 0.6 / 1.35, 4)
    assert FactScore("empty").f1 == 1.0


def test_unreadable_gold_file(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as info:
        evaluate(bad, tmp_path)
    assert info.value.line == 1
    with pytest.raises(InputError):
        evaluate(tmp_path / "missing.json", tmp_path)
    good = tmp_path / "g.json"
    good.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="corpus folder"):
        evaluate(good, tmp_path / "nowhere")


# ----------------------------------------------------------------------------- explain


def test_explain_shows_the_sentence_of_a_participation(tmp_path: Path):
    from sotegraph.builder import build
    from sotegraph.namespaces import SGID

    text = (
        "Arjen tuki kotiin\n\nArki-hanketta hallinnoi Lapin yliopisto. "
        "Osatoteuttajana toimii Pohjanmaan Palvelu Oy.\n"
    )
    path = tmp_path / "arki.txt"
    path.write_text(text, encoding="utf-8")
    kg = build([path], validate=False)
    rows = kg.store.query(
        "SELECT ?o WHERE { ?p <http://www.w3.org/ns/org#member> ?o ; "
        "<http://www.w3.org/ns/org#role> ?r . FILTER(STRENDS(STR(?r), 'partner')) }"
    )
    assert rows, "no partner participation in the graph"
    org = str(rows[0]["o"])
    found = explain(kg.store, org)
    assert [e.role for e in found] == ["partner"]
    e = found[0]
    assert e.sentence == "Osatoteuttajana toimii Pohjanmaan Palvelu Oy."
    assert e.cue == "Osatoteuttajana"
    assert e.source == path.name  # recorded relative to what was named
    assert e.line == 3
    assert text[e.char_start : e.char_end] == "Pohjanmaan Palvelu Oy"
    assert explain(kg.store, str(SGID["organisation/nobody"])) == []


def test_cli_explain_exit_codes(tmp_path: Path):
    from sotegraph.builder import build
    from sotegraph.cli import app

    path = tmp_path / "kotona.txt"
    path.write_text("Kotona-hanketta hallinnoi Vaasan kaupunki.\n", encoding="utf-8")
    kg = build([path], store=tmp_path / "store", validate=False)
    rows = kg.store.query("SELECT ?o WHERE { ?p <http://www.w3.org/ns/org#member> ?o }")
    org = str(rows[0]["o"])
    kg.store.close()
    runner = CliRunner()
    result = runner.invoke(app, ["explain", org, "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "Kotona-hanketta hallinnoi Vaasan kaupunki." in " ".join(result.output.split())
    missing = runner.invoke(app, ["explain", org + "-nobody", "--store", str(tmp_path / "store")])
    assert missing.exit_code == 1

"""Organisations that are people (private persons, sole traders) keep their names out of graphs.

The EURA project lists name private persons and sole traders as implementers ("Toteuttajan
nimi"); by default their names are withheld from every graph, IRI and export, and they are
written as ``Yksityinen toteuttaja (<first project code>)``. ``include_personal_data=True``
keeps the names. The rows below are invented.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sotegraph.builder import KnowledgeGraph
from sotegraph.extract.bulk import read_bulk
from sotegraph.namespaces import slugify
from sotegraph.nlp.voikko import voikko as _voikko
from sotegraph.privacy import (
    PRIVATE_ORGANISATION_TYPE,
    names_a_person,
    withhold_private_organisations,
)
from sotegraph.rdf import facts_to_graph
from sotegraph.read import Document, Genre
from sotegraph.resources import data_file

needs_voikko = pytest.mark.skipif(
    _voikko() is None, reason="libvoikko and voikko-fi are not installed (scripts/setup)"
)

HEADER = (
    "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
    "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
    "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä"
)
AUTHORITY = "Sosiaali- ja terveysministeriö"
ROWS = [
    ("S90001", "Aino Maria Virtanen"),  # a private person
    ("S90002", "Tmi Kukkakauppa Orvokki"),  # a sole trader, no person's name in it
    ("S90003", "Aino Maria Virtanen"),  # the same person again: one node
    ("S90004", "Hoivapalvelut Kukkaniemi Oy"),  # a company: kept
    ("S90005", "VIRTANEN AINO"),  # surname first, capitals
    ("S90006", "Pohjois-Savon hyvinvointialue"),  # a public body: kept
]
PEOPLE = ["Aino Maria Virtanen", "Tmi Kukkakauppa Orvokki", "VIRTANEN AINO"]
KEPT = ["Hoivapalvelut Kukkaniemi Oy", "Pohjois-Savon hyvinvointialue"]


def _table() -> str:
    lines = [HEADER]
    for code, implementer in ROWS:
        lines.append(
            f"{code},ESR,Hanke {code},5,{AUTHORITY},Toiminnassa,1.1.2016,31.12.2017,"
            f"{implementer},100,50,200,80"
        )
    return "\n".join(lines) + "\n"


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "lista.csv"
    path.write_text(_table(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tmi Kukkakauppa Orvokki", True),
        ("T:MI KUKKAKAUPPA", True),
        ("Kukkakauppa Orvokki toiminimi", True),
        ("Aino Virtanen kuolinpesä", True),
        ("Hoivapalvelut Kukkaniemi Oy", False),
        ("Kajaanin ammattikorkeakoulu", False),
        ("Pohjois-Karjalan sosiaali- ja terveyspalvelujen kuntayhtymä", False),
        ("Aino Virtanen Oy", False),  # a legal person named after someone
        ("Kotihoidon kehittämisyhdistys ry", False),
    ],
)
def test_markers_and_legal_forms(name: str, expected: bool) -> None:
    assert names_a_person(name) is expected


@needs_voikko
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Aino Maria Virtanen", True),
        ("Aino Virtanen", True),
        ("VIRTANEN AINO", True),
        ("Autokorjaamo Matti Virtanen", True),
        ("Fysioterapia A. Virtanen", True),
        ("Aino Inkeri Virtanen", True),  # a middle name Voikko knows as a place
        ("Kukkakauppa Orvokki", False),  # a first name alone is no person's name here
        ("Siun sote", False),
        ("Työterveyslaitos", False),
    ],
)
def test_person_names_by_voikko(name: str, expected: bool) -> None:
    assert names_a_person(name) is expected


def test_no_curated_organisation_is_taken_for_a_person() -> None:
    with data_file("organisations.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = [n for r in rows for n in [r["name"], *r["aliases"].split("|")] if n.strip()]
    assert len(names) > 170
    assert [n for n in names if names_a_person(n)] == []


@needs_voikko
def test_withholding_in_the_facts() -> None:
    facts = read_bulk(Document.from_text(_table(), source="lista.csv", genre=Genre.BULK_TABLE))
    assert withhold_private_organisations(facts) == 3
    names = sorted(o.name for o in facts.organisations)
    assert "Yksityinen toteuttaja (S90001)" in names
    assert "Yksityinen toteuttaja (S90002)" in names
    assert "Yksityinen toteuttaja (S90005)" in names
    assert not set(PEOPLE) & set(names)
    assert set(KEPT) <= set(names)
    private = [o for o in facts.organisations if o.private]
    assert all(o.org_type == PRIVATE_ORGANISATION_TYPE for o in private)
    assert withhold_private_organisations(facts) == 0  # checked once


@needs_voikko
def test_facts_to_graph_withholds_on_a_copy() -> None:
    facts = read_bulk(Document.from_text(_table(), source="lista.csv", genre=Genre.BULK_TABLE))
    text = facts_to_graph(facts).serialize(format="nt")
    assert not [p for p in PEOPLE if p in text or slugify(p) in text]
    assert all(k in text for k in KEPT)
    assert {o.name for o in facts.organisations} >= set(PEOPLE)  # the caller's facts untouched
    kept = facts_to_graph(facts, include_personal_data=True).serialize(format="nt")
    assert all(p in kept for p in PEOPLE)


def _org_rows(kg: KnowledgeGraph) -> list[dict[str, str]]:
    rows = kg.store.query(
        """PREFIX sg: <https://w3id.org/sotegraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?o ?label ?type ?personal WHERE {
          ?o a sg:Organisation ; skos:prefLabel ?label .
          OPTIONAL { ?o sg:organisationType ?type }
          OPTIONAL { ?d a sg:Document ; sg:includesPersonalData ?personal }
        }"""
    )
    return [{k: str(v) for k, v in r.items() if v is not None} for r in rows]


@needs_voikko
@pytest.mark.parametrize("include", [False, True])
def test_build_keeps_people_out_unless_asked(tmp_path: Path, include: bool) -> None:
    kg = KnowledgeGraph(None, include_personal_data=include)
    result = kg.add_paths([_write(tmp_path)], validate=True)
    assert result.validation is not None
    assert result.validation.conforms, result.validation
    rows = _org_rows(kg)
    labels = {r["label"] for r in rows}
    iris = {r["o"] for r in rows}
    dump = kg.serialize(tmp_path / "kg.nq").read_text(encoding="utf-8")
    assert set(KEPT) <= labels
    if include:
        assert set(PEOPLE) <= labels
        assert {r["personal"] for r in rows} == {"true"}
        return
    assert not set(PEOPLE) & labels
    assert not [i for i in iris for p in PEOPLE if slugify(p) in i.lower()]
    assert not [p for p in PEOPLE if p in dump]
    private = {r["label"]: r for r in rows if r.get("type") == PRIVATE_ORGANISATION_TYPE}
    # the same person in two projects is one node, named after the first
    assert sorted(private) == [
        "Yksityinen toteuttaja (S90001)",
        "Yksityinen toteuttaja (S90002)",
        "Yksityinen toteuttaja (S90005)",
    ]
    lead = kg.store.query(
        """PREFIX sg: <https://w3id.org/sotegraph/ontology#>
        SELECT ?p WHERE { ?p sg:lead <https://w3id.org/sotegraph/id/organisation/"""
        + """yksityinen-toteuttaja-s90001> }"""
    )
    assert sorted(str(r["p"]).rsplit("/", 1)[-1] for r in lead) == ["S90001", "S90003"]


@needs_voikko
@pytest.mark.parametrize("include", [False, True])
def test_resolve_report_and_build_cli(tmp_path: Path, include: bool) -> None:
    from typer.testing import CliRunner

    from sotegraph.cli import app

    table = _write(tmp_path)
    flag = ["--include-personal-data"] if include else []
    report = CliRunner().invoke(app, ["resolve-report", str(table), "--format", "json", *flag])
    assert report.exit_code == 0, report.output
    assert ("Aino Maria Virtanen" in report.stdout) is include
    counts = json.loads(report.stdout)["counts"]
    assert counts["organisations_withheld"] == (0 if include else 3)
    out = tmp_path / "kg.nq"
    built = CliRunner().invoke(app, ["build", str(table), "--out", str(out), *flag])
    assert built.exit_code == 0, built.output
    assert ("names of 3 implementers that are people" in built.output) is not include
    assert ("Aino Maria Virtanen" in out.read_text(encoding="utf-8")) is include


@needs_voikko
def test_rebuild_with_the_other_setting_builds_again(tmp_path: Path) -> None:
    table = _write(tmp_path)
    store = tmp_path / "store"

    def build(include: bool) -> tuple[int, int, set[str]]:
        kg = KnowledgeGraph(store, include_personal_data=include)
        try:
            result = kg.add_paths([table], validate=False)
            labels = {r["label"] for r in _org_rows(kg)}
        finally:
            kg.close()
        return result.built, result.unchanged, labels

    built, unchanged, labels = build(False)
    assert (built, unchanged) == (1, 0)
    assert not set(PEOPLE) & labels
    built, unchanged, labels = build(False)
    assert (built, unchanged) == (0, 1)  # same file, same setting: nothing to do
    built, unchanged, labels = build(True)
    assert (built, unchanged) == (1, 0)  # asked for the names: built again
    assert set(PEOPLE) <= labels
    built, unchanged, labels = build(True)
    assert (built, unchanged) == (0, 1)
    built, unchanged, labels = build(False)
    assert (built, unchanged) == (1, 0)  # and the names go again
    assert not set(PEOPLE) & labels

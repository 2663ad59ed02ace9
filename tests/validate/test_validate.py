"""sotegraph.validate: the typed report, its renderings, inputs, scopes and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS
from typer.testing import CliRunner

from sotegraph.errors import ValidationError
from sotegraph.validate import (
    Severity,
    ValidationReport,
    validate,
    validate_document,
    validate_graph_wide,
)
from sotegraph.vocab import SG

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "shapes"
PROJECT = URIRef("https://w3id.org/sotegraph/id/project/S20001")
ORG = URIRef("https://w3id.org/sotegraph/id/organisation/2553600-4")
REGIONS = URIRef("https://w3id.org/sotegraph/id/graph/regions")


def ttl(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


def trig(name: str) -> Dataset:
    ds = Dataset()
    ds.parse(FIXTURES / name, format="trig")
    return ds


def test_report_tells_which_file_which_thing_what_is_wrong_and_what_is_right() -> None:
    report = validate(ttl("business_id_check.bad.ttl"))
    text = report.render(lang="en")
    assert "business_id_check.bad.ttl" in text  # which file
    assert "Kainuun koeorganisaatio" in text  # which thing, by name
    assert "sgid:organisation/2553600-4" in text  # ... and by IRI
    assert "check digit" in text  # what is wrong
    assert "would be right: 2553600-4" in text  # what would be right
    assert text.splitlines()[-1].startswith("1 violations, 0 warnings, 0 infos")
    fi = report.render(lang="fi")
    assert "tarkistusnumero" in fi
    assert "oikein olisi: 2553600-4" in fi
    assert "Virhe (1)" in fi


def test_result_fields() -> None:
    report = validate(ttl("project_funding.bad.ttl"))
    [r] = report.results
    assert r.severity is Severity.VIOLATION
    assert r.focus_node == PROJECT
    assert r.path == SG.grantedEUStateFunding
    assert r.value == Literal(
        "-200000.00", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    )
    assert r.shape == URIRef("https://w3id.org/sotegraph/shapes#Project-grantedEUStateFunding")
    assert r.component == SH.MinInclusiveConstraintComponent
    assert r.label == "Koehanke"
    assert [d.source for d in r.source_documents] == ["project_funding.bad.ttl"]
    assert "ei-negatiivinen" in r.message("fi")
    assert "non-negative" in r.message("en")


def test_severities_are_kept_apart() -> None:
    warning = validate(ttl("project_realised.bad.ttl"))
    assert warning.conforms
    assert [r.severity for r in warning.warnings] == [Severity.WARNING]
    assert warning.violations == []
    warning.raise_for_results()  # warnings do not raise
    info = validate(trig("bulk_lead.bad.trig"))
    assert info.conforms
    assert [r.severity for r in info.infos] == [Severity.INFO]
    assert info.warnings == []


def test_raise_for_results() -> None:
    report = validate(ttl("eura_lead.bad.ttl"), lang="en")
    with pytest.raises(ValidationError, match="has no lead"):
        report.raise_for_results()


def test_to_json() -> None:
    report = validate(ttl("eura_code.bad.ttl"))
    payload = json.loads(report.to_json())
    assert payload["conforms"] is False
    assert payload["violations"] == 1
    [r] = payload["results"]
    assert r["focus_node"] == str(PROJECT)
    assert r["path"] == "sg:projectCode"
    assert r["value"] == "S2001"
    assert r["source_documents"][0]["source"] == "eura_code.bad.ttl"
    assert r["message_fi"]
    assert r["message_en"]


def test_to_graph_is_a_shacl_report() -> None:
    report = validate(ttl("project_dates.bad.ttl"))
    g = report.to_graph()
    [node] = list(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(node, SH.conforms) == Literal(False)
    results = list(g.objects(node, SH.result))
    assert len(results) == 1
    assert g.value(results[0], SH.resultSeverity) == SH.Violation
    assert g.value(results[0], SH.focusNode) == PROJECT
    assert {m.language for m in g.objects(results[0], SH.resultMessage)} == {"fi", "en"}  # type: ignore[attr-defined]
    # round trip through Turtle
    assert len(Graph().parse(data=g.serialize(format="turtle"), format="turtle")) == len(g)


def test_callers_graph_is_not_modified() -> None:
    g = ttl("eura_lead.bad.ttl")
    before = set(g)
    validate(g)
    assert set(g) == before
    ds = trig("article_lead.bad.trig")
    quads = set(ds.quads((None, None, None, None)))
    union = ds.default_union
    validate(ds)
    assert set(ds.quads((None, None, None, None))) == quads
    assert ds.default_union == union


def test_reference_graphs_in_a_dataset_are_context_not_data() -> None:
    ds = trig("article_lead.ok.trig")
    regions = ds.graph(REGIONS)
    # a broken reference node: it would be a Violation if it were validated as data
    regions.add(
        (URIRef("https://w3id.org/sotegraph/id/municipality/091"), RDF.type, SG.Municipality)
    )
    regions.add(
        (URIRef("https://w3id.org/sotegraph/id/municipality/091"), SKOS.notation, Literal("91"))
    )
    assert validate(ds).results == []
    # ... and it is the reference used for sh:class: without Helsinki typed there, the target
    # area of the EURA project fails
    ds.remove_graph(regions)
    other = ds.graph(REGIONS)
    other.add((URIRef("https://w3id.org/sotegraph/id/region/01"), RDF.type, SG.Region))
    shapes = {str(r.shape).rsplit("#", 1)[1] for r in validate(ds).results}
    assert shapes == {"Project-targetArea"}


def test_document_and_graph_wide_scopes() -> None:
    ds = trig("article_lead.bad.trig")
    [doc] = [g for g in ds.graphs() if len(g)]
    assert validate_document(doc).results == []  # an article may lack a lead in itself
    wide = validate_graph_wide(ds)
    assert [str(r.shape).rsplit("#", 1)[1] for r in wide.results] == ["ArticleProjectLeadShape"]
    per_doc = validate_document(ttl("eura_lead.bad.ttl"))
    assert [str(r.shape).rsplit("#", 1)[1] for r in per_doc.results] == ["EuraProjectLeadShape"]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="engine"):
        validate(Graph(), engine="fast")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        validate(Graph(), lang="sv")
    with pytest.raises(TypeError):
        validate("not a graph")  # type: ignore[arg-type]


def test_empty_report_renders_a_summary() -> None:
    report = ValidationReport()
    assert report.conforms
    assert (
        report.render(lang="en")
        == "0 violations, 0 warnings, 0 infos in 0 source documents: conforms"
    )


def test_seed_corpus_has_no_violation(seeds_dir: Path) -> None:
    from sotegraph.builder import build

    kg = build([seeds_dir], use_nlp=False, validate=False)
    try:
        report = validate(kg.dataset())
    finally:
        kg.close()
    print(report.render(lang="en"))
    assert report.documents >= 5
    assert report.violations == [], report.render(lang="en")


# --- CLI ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    from sotegraph.cli import app

    result = runner.invoke(app, ["validate", *args])
    return result.exit_code, result.output


def test_cli_exit_codes_and_text(runner: CliRunner) -> None:
    code, output = invoke(runner, str(FIXTURES / "eura_lead.ok.ttl"))
    assert code == 0, output
    code, output = invoke(runner, str(FIXTURES / "eura_lead.bad.ttl"), "--lang", "en")
    assert code == 1
    assert "eura_lead.bad.ttl" in output
    assert "Violation (1)" in output
    assert "has no lead" in output
    assert "1 violations" in output.splitlines()[-1]
    code, output = invoke(runner, str(FIXTURES / "project_realised.bad.ttl"))
    assert code == 0  # a warning only
    assert "Varoitus (1)" in output


def test_cli_machine_formats(runner: CliRunner) -> None:
    code, output = invoke(runner, str(FIXTURES / "eura_code.bad.ttl"), "--format", "json")
    assert code == 1
    assert json.loads(output)["violations"] == 1
    code, output = invoke(runner, str(FIXTURES / "eura_code.bad.ttl"), "--format", "ttl")
    assert code == 1
    g = Graph().parse(data=output, format="turtle")
    assert len(list(g.subjects(RDF.type, SH.ValidationResult))) == 1


def test_cli_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    code, _ = invoke(runner)
    assert code == 2
    code, output = invoke(runner, str(tmp_path / "missing.ttl"))
    assert code == 2
    assert "missing.ttl" in output
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle <<<", encoding="utf-8")
    code, output = invoke(runner, str(broken))
    assert code == 2
    assert "broken.ttl" in output
    code, _ = invoke(runner, "--store", str(tmp_path / "no-store"))
    assert code == 2


def test_results_are_grouped_by_their_own_document() -> None:
    d1 = "aaaa000000000000000000000000000000000000000000000000000000000001"
    d2 = "bbbb000000000000000000000000000000000000000000000000000000000002"
    ds = Dataset()
    base = "https://w3id.org/sotegraph/id/document/"
    first = (FIXTURES / "eura_lead.bad.ttl").read_text(encoding="utf-8")
    second = (
        (FIXTURES / "project_funding.bad.ttl")
        .read_text(encoding="utf-8")
        .replace(d1, d2)
        .replace("S20001", "S20002")
    )
    ds.graph(URIRef(base + d1)).parse(data=first, format="turtle")
    ds.graph(URIRef(base + d2)).parse(data=second, format="turtle")
    report = validate(ds, lang="en")
    groups = report.by_document()
    assert list(groups) == ["eura_lead.bad.ttl", "project_funding.bad.ttl"]
    assert [str(r.shape).rsplit("#", 1)[1] for r in groups["eura_lead.bad.ttl"]] == [
        "EuraProjectLeadShape"
    ]
    assert [str(r.shape).rsplit("#", 1)[1] for r in groups["project_funding.bad.ttl"]] == [
        "Project-grantedEUStateFunding"
    ]
    text = report.render()
    assert (
        text.index("eura_lead.bad.ttl")
        < text.index("has no lead")
        < text.index("project_funding.bad.ttl")
    )
    assert report.documents == 2


def test_cli_validates_a_store(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    from sotegraph.builder import build

    store = tmp_path / "store"
    build([seeds_dir], store=store, use_nlp=False, validate=False).close()
    code, output = invoke(runner, "--store", str(store), "--lang", "en")
    assert code == 0, output
    assert output.strip().splitlines()[-1].endswith(": conforms")


@pytest.mark.nlp
@pytest.mark.slow
def test_seed_corpus_with_nlp_has_no_violation(seeds_kg: Any) -> None:
    """The issue's done-criterion: the seeds, articles read by spaCy too, have no Violation."""
    report = validate(seeds_kg.dataset(), lang="en")
    print(report.render())
    assert report.violations == [], report.render()
    # the articles' projects without a stated lead are Warnings, not Violations
    assert all(r.severity is not Severity.VIOLATION for r in report.results)

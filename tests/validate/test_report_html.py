"""The validation report as a table in a notebook (``ValidationReport._repr_html_``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from sotegraph.validate import Severity, ValidationReport, validate
from sotegraph.validate.report import SourceDocument, ValidationResult

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "shapes"
SGID = "https://w3id.org/sotegraph/id/"


def _result(severity: Severity, n: int, message: str = "väärin") -> ValidationResult:
    return ValidationResult(
        severity,
        URIRef(f"{SGID}organisation/x{n}"),
        SKOS.prefLabel,
        Literal(f"arvo {n}"),
        message,
        message.replace("väärin", "wrong"),
        URIRef("https://w3id.org/sotegraph/shapes#Test"),
        source_documents=(SourceDocument(URIRef(f"{SGID}document/{n}"), f"doc{n}.txt"),),
    )


def _count(page: str, label: str) -> int:
    m = re.search(rf"<tr><td>{label}</td><td[^>]*>(\d+)</td></tr>", page)
    assert m, f"no count row {label!r} in the page"
    return int(m[1])


def test_a_real_report_shows_verdict_counts_and_results() -> None:
    report = validate(Graph().parse(FIXTURES / "business_id_check.bad.ttl", format="turtle"))
    page = report.to_html(lang="en")
    assert "does not conform" in page
    assert _count(page, "Violation") == len(report.violations) == 1
    assert _count(page, "Warning") == len(report.warnings)
    assert "business_id_check.bad.ttl" in page  # which file
    assert "sgid:organisation/2553600-4" in page  # which thing
    assert "<th>would be right</th>" in page
    assert "<td>2553600-4</td>" in page  # what would be right, in its own cell
    fi = report._repr_html_()  # the report's own language (fi)
    assert "ei kelvollinen" in fi
    assert "Virhe" in fi


def test_conforming_report_says_so() -> None:
    report = ValidationReport([_result(Severity.WARNING, 1)], lang="en")
    page = report._repr_html_()
    assert "\u2714 conforms" in page
    assert "does not conform" not in page
    assert _count(page, "Warning") == 1
    assert _count(page, "Violation") == 0
    empty = ValidationReport([], lang="en")._repr_html_()
    assert "\u2714 conforms" in empty
    assert "Results" not in empty


def test_every_text_is_escaped() -> None:
    bad = _result(Severity.VIOLATION, 1, message="<img src=x onerror=alert(1)> & väärin")
    bad = ValidationResult(
        bad.severity,
        URIRef(f"{SGID}organisation/<b>"),
        bad.path,
        Literal("<i>arvo</i>"),
        bad.message_fi,
        bad.message_en,
        bad.shape,
        label="Firma <Oy> & Co",
        expected="<u>oikein</u>",
    )
    page = ValidationReport([bad], lang="en").to_html()
    for raw in ("<img", "<b>", "<i>", "<u>", "<Oy>"):
        assert raw not in page, raw
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; wrong" in page
    assert "Firma &lt;Oy&gt; &amp; Co" in page
    assert "&lt;u&gt;oikein&lt;/u&gt;" in page


def test_long_report_is_cut_and_says_how_many_more() -> None:
    results = [_result(Severity.VIOLATION, i) for i in range(30)]
    results += [_result(Severity.INFO, 100 + i) for i in range(90)]
    report = ValidationReport(results, lang="en")
    page = report.to_html(limit=25)
    body = page.split("Results", 1)[1]
    assert body.count("<tr>") == 1 + 25
    assert "95 more results (120 in all)" in body
    # the most severe first: every shown row is a violation
    assert body.count("<tr><td>Violation</td>") == 25
    default = report._repr_html_().split("Results", 1)[1]
    assert default.count("<tr>") == 1 + ValidationReport.html_limit
    fi = ValidationReport(results, lang="fi").to_html(limit=100)
    assert "20 tulosta lisää (120 kaikkiaan)" in fi


def test_seeds_report_html(seeds_kg: Any) -> None:
    report = seeds_kg.validate(lang="en")
    page = report._repr_html_()
    assert ("\u2714 conforms" in page) == report.conforms
    assert _count(page, "Warning") == len(report.warnings)
    assert _count(page, "source documents") == report.documents > 0
    shown = min(len(report.results), ValidationReport.html_limit)
    if report.results:
        assert page.split("Results", 1)[1].count("<tr>") == 1 + shown

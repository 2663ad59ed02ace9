"""The validation report: what is wrong with which thing, from which file.

:class:`SourceDocument`, :class:`ValidationResult` and :class:`ValidationReport`, the
Finnish and English texts of the rendered report, and its renderings as text, JSON and an
RDF graph in SHACL's report vocabulary. Also the ``sgsh:`` namespace and the severity
mappings the rest of the package shares.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, RDF, SH, XSD
from rdflib.term import Node

from sotegraph.errors import UsageError, ValidationError
from sotegraph.facts import Severity
from sotegraph.vocab import SG

SGSH = "https://w3id.org/sotegraph/shapes#"
_SGID = "https://w3id.org/sotegraph/id/"
_SCHEMA = "https://schema.org/"

_SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}
_SH_OF = {v: k for k, v in _SEVERITY.items()}
_SEVERITY_ORDER = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}

Path = URIRef | tuple[Any, ...]

_TEXT = {
    "fi": {
        Severity.VIOLATION: "Virhe",
        Severity.WARNING: "Varoitus",
        Severity.INFO: "Huomio",
        "value": "arvo",
        "path": "ominaisuus",
        "expected": "oikein olisi",
        "shape": "sääntö",
        "no_source": "(ei lähdeasiakirjaa)",
        "file": "Tiedosto",
        "blank": "nimetön solmu (esim. havainto)",
        "summary": "{v} virhettä, {w} varoitusta, {i} huomiota {d} lähdeasiakirjassa",
        "conforms": "kelvollinen",
        "not_conforms": "ei kelvollinen",
        "severity": "vakavuus",
        "thing": "kohde",
        "message": "viesti",
        "count": "määrä",
        "documents": "lähdeasiakirjoja",
        "results": "Tulokset",
        "more": "{more} tulosta lisää ({total} kaikkiaan)",
    },
    "en": {
        Severity.VIOLATION: "Violation",
        Severity.WARNING: "Warning",
        Severity.INFO: "Info",
        "value": "value",
        "path": "property",
        "expected": "would be right",
        "shape": "rule",
        "no_source": "(no source document)",
        "file": "File",
        "blank": "an unnamed node (e.g. an observation)",
        "summary": "{v} violations, {w} warnings, {i} infos in {d} source documents",
        "conforms": "conforms",
        "not_conforms": "does not conform",
        "severity": "severity",
        "thing": "thing",
        "message": "message",
        "count": "count",
        "documents": "source documents",
        "results": "Results",
        "more": "{more} more results ({total} in all)",
    },
}

_PREFIXES = {
    "https://w3id.org/sotegraph/ontology#": "sg:",
    SGSH: "sgsh:",
    _SGID: "sgid:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/org#": "org:",
    _SCHEMA: "schema:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
}


def _short(node: object) -> str:
    """A compact, readable form of an RDF term or path."""
    if isinstance(node, tuple):
        if len(node) == 2 and node[0] == "alternative":
            return "|".join(_short(p) for p in node[1])
        if len(node) == 2 and node[0] == "inverse":
            return "^" + _short(node[1])
        return "/".join(_short(p) for p in node)
    if isinstance(node, URIRef):
        text = str(node)
        for ns, prefix in _PREFIXES.items():
            if text.startswith(ns):
                return prefix + text[len(ns) :]
        return f"<{text}>"
    if isinstance(node, Literal):
        if node.language:
            return f'"{node}"@{node.language}'
        if node.datatype is not None and node.datatype != XSD.string:
            return f'"{node}"^^{_short(node.datatype)}'
        return f'"{node}"'
    if isinstance(node, BNode):
        return "[]"
    return str(node)


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A source document a focus node was derived from: its IRI and its file name."""

    iri: URIRef
    source: str | None = None

    def __str__(self) -> str:
        return self.source or str(self.iri)


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One finding: what is wrong with which thing, from which file.

    Attributes
    ----------
    severity:
        :class:`Severity` (Violation, Warning or Info).
    focus_node:
        The thing that is wrong (a project, an organisation, ...).
    path:
        The property (an IRI, or a tuple for a sequence path), or ``None``.
    value:
        The offending value, if there is one.
    message_fi, message_en:
        What is wrong and what would be right, in Finnish and in English.
    shape:
        The shape that produced the result.
    component:
        The SHACL constraint component (e.g. ``sh:MinCountConstraintComponent``), or a
        ``sgsh:`` IRI for the rules implemented in Python.
    source_documents:
        The documents the focus node ``prov:wasDerivedFrom``, with their file names.
    expected:
        A concrete right value where one is known (e.g. the business id with its right
        check digit).
    label:
        The focus node's name (``skos:prefLabel``), when it has one.
    """

    severity: Severity
    focus_node: Node
    path: Path | None
    value: Node | None
    message_fi: str
    message_en: str
    shape: Node
    component: URIRef | None = None
    source_documents: tuple[SourceDocument, ...] = ()
    expected: str | None = None
    label: str | None = None

    def message(self, lang: str = "fi") -> str:
        """The message in ``lang`` (``"fi"`` or ``"en"``), falling back to the other one."""
        if lang == "en":
            return self.message_en or self.message_fi
        return self.message_fi or self.message_en

    def key(self) -> tuple[str, str, str, str, str]:
        """A hashable identity (severity, focus, path, value, shape) for comparisons."""
        return (
            self.severity.value,
            str(self.focus_node),
            _short(self.path) if self.path is not None else "",
            str(self.value) if self.value is not None else "",
            str(self.shape) if not isinstance(self.shape, BNode) else "[]",
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of this result."""
        return {
            "severity": self.severity.value,
            "focus_node": str(self.focus_node),
            "label": self.label,
            "path": _short(self.path) if self.path is not None else None,
            "value": str(self.value) if self.value is not None else None,
            "value_n3": _short(self.value) if self.value is not None else None,
            "message_fi": self.message_fi,
            "message_en": self.message_en,
            "expected": self.expected,
            "shape": str(self.shape),
            "component": str(self.component) if self.component is not None else None,
            "source_documents": [
                {"iri": str(d.iri), "source": d.source} for d in self.source_documents
            ],
        }


@dataclass(slots=True)
class ValidationReport:
    """The outcome of a validation: every result, severity kept apart.

    ``conforms`` is true when there is no Violation (Warnings and Infos are allowed).
    """

    results: list[ValidationResult] = field(default_factory=list)
    lang: str = "fi"
    documents: int = 0

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation."""
        return not any(r.severity is Severity.VIOLATION for r in self.results)

    @property
    def violations(self) -> list[ValidationResult]:
        """The results of severity Violation."""
        return [r for r in self.results if r.severity is Severity.VIOLATION]

    @property
    def warnings(self) -> list[ValidationResult]:
        """The results of severity Warning."""
        return [r for r in self.results if r.severity is Severity.WARNING]

    @property
    def infos(self) -> list[ValidationResult]:
        """The results of severity Info."""
        return [r for r in self.results if r.severity is Severity.INFO]

    def extend(self, other: ValidationReport) -> ValidationReport:
        """Add the results of ``other`` (e.g. another document's) to this report; return self."""
        seen = {r.key() for r in self.results}
        for r in other.results:
            if r.key() not in seen:
                seen.add(r.key())
                self.results.append(r)
        self.documents += other.documents
        return self

    def sort(self) -> ValidationReport:
        """Order the results by severity, focus node and shape (as :func:`validate` gives
        them); return self.

        A report gathered document by document (a build, a store's validation) lists its
        results in the order the documents came; sorted, two reports of the same findings
        read the same.
        """
        self.results.sort(
            key=lambda r: (_SEVERITY_ORDER[r.severity], str(r.focus_node), str(r.shape))
        )
        return self

    def raise_for_results(self) -> None:
        """Raise :class:`~sotegraph.errors.ValidationError` if there is any Violation.

        Raises
        ------
        ValidationError
            With the rendered violations as its message.
        """
        if not self.conforms:
            violations = ValidationReport(self.violations, lang=self.lang)
            raise ValidationError(violations.render(lang=self.lang))

    def by_document(self) -> dict[str, list[ValidationResult]]:
        """Results grouped by source document file name (sorted by severity within)."""
        groups: dict[str, list[ValidationResult]] = {}
        for r in self.results:
            names = sorted({str(d) for d in r.source_documents}) or [""]
            groups.setdefault(", ".join(names), []).append(r)
        for rs in groups.values():
            rs.sort(key=lambda r: (_SEVERITY_ORDER[r.severity], str(r.focus_node), str(r.shape)))
        return dict(sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0])))

    def summary(self, lang: str | None = None) -> str:
        """One line: how many violations, warnings and infos, and whether the graph conforms."""
        text = _TEXT[_lang(lang or self.lang)]
        docs = len({d for r in self.results for d in r.source_documents})
        line = text["summary"].format(
            v=len(self.violations), w=len(self.warnings), i=len(self.infos), d=docs
        )
        return f"{line}: {text['conforms'] if self.conforms else text['not_conforms']}"

    def render(self, lang: str | None = None) -> str:
        """Human-readable text: results grouped by source document and severity.

        Each result says which file, which thing (its name and IRI), what is wrong, the
        offending value and what would be right; the last line is :meth:`summary`.
        """
        lg = _lang(lang or self.lang)
        text = _TEXT[lg]
        out: list[str] = []
        for doc, results in self.by_document().items():
            out.append(f"{text['file']}: {doc}" if doc else text["no_source"])
            current: Severity | None = None
            for r in results:
                if r.severity is not current:
                    current = r.severity
                    count = sum(1 for x in results if x.severity is current)
                    out.append(f"  {text[current]} ({count})")
                if isinstance(r.focus_node, BNode):
                    thing = text["blank"]
                else:
                    short = _short(r.focus_node)
                    thing = f"{r.label} ({short})" if r.label else short
                out.append(f"    - {thing}")
                out.append(f"      {r.message(lg)}")
                details = []
                if r.path is not None:
                    details.append(f"{text['path']}: {_short(r.path)}")
                if r.value is not None:
                    details.append(f"{text['value']}: {_short(r.value)}")
                if r.expected:
                    details.append(f"{text['expected']}: {r.expected}")
                details.append(f"{text['shape']}: {_short(r.shape)}")
                out.append("      " + "; ".join(details))
        out.append(self.summary(lg))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()

    #: How many results :meth:`_repr_html_` shows before it says how many more there are.
    html_limit = 50

    def to_html(self, lang: str | None = None, *, limit: int | None = None) -> str:
        """The report as HTML (a notebook shows this): whether the graph conforms, the counts
        by severity and a table of the results, every text escaped.

        Only the first ``limit`` results (by default :attr:`html_limit`) are listed, most
        severe first, with a line saying how many more there are.

        Examples
        --------
        >>> from rdflib import URIRef
        >>> r = ValidationResult(Severity.WARNING, URIRef("https://e.org/a"), None, None,
        ...                      "<b>huono</b>", "<b>bad</b>", URIRef("https://e.org/s"))
        >>> page = ValidationReport([r], lang="en").to_html()
        >>> "conforms" in page, "&lt;b&gt;bad&lt;/b&gt;" in page, "<b>bad" in page
        (True, True, False)
        """
        from sotegraph._html import html_table

        lg = _lang(lang or self.lang)
        text = _TEXT[lg]
        verdict = text["conforms"] if self.conforms else text["not_conforms"]
        mark = "\u2714" if self.conforms else "\u2718"
        colour = "#1a7f37" if self.conforms else "#cf222e"
        docs = self.documents or len({d for r in self.results for d in r.source_documents})
        counts = html_table(
            [text["severity"], text["count"]],
            [
                [text[Severity.VIOLATION], len(self.violations)],
                [text[Severity.WARNING], len(self.warnings)],
                [text[Severity.INFO], len(self.infos)],
                [text["documents"], docs],
            ],
            limit=None,
        )
        ordered = sorted(
            self.results,
            key=lambda r: (_SEVERITY_ORDER[r.severity], str(r.focus_node), str(r.shape)),
        )
        rows = [
            [
                text[r.severity],
                _thing(r, text),
                r.message(lg),
                _short(r.path) if r.path is not None else None,
                _short(r.value) if r.value is not None else None,
                r.expected,
                ", ".join(sorted({str(d) for d in r.source_documents})) or None,
            ]
            for r in ordered
        ]
        shown = self.html_limit if limit is None else limit
        columns = ("severity", "thing", "message", "path", "value", "expected", "file")
        results = html_table(
            [text[k] for k in columns],
            rows,
            limit=shown,
            more=text["more"],
        )
        head = (
            f'<p class="sotegraph-verdict" style="color:{colour}"><strong>{mark} '
            f"{html.escape(verdict)}</strong></p>"
        )
        parts = [head, counts]
        if rows:
            parts += [f"<p><strong>{html.escape(text['results'])}</strong></p>", results]
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON: ``conforms``, counts and every result."""
        payload = {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "infos": len(self.infos),
            "results": [r.to_dict() for r in self.results],
        }
        return json.dumps(payload, ensure_ascii=False, indent=indent)

    def to_graph(self) -> Graph:
        """The report as an RDF graph typed ``sh:ValidationReport`` (SHACL's report vocabulary).

        Source documents are attached to each result with ``prov:wasDerivedFrom``.
        """
        g = Graph()
        g.bind("sh", SH)
        g.bind("sg", str(SG._NS))
        g.bind("sgsh", SGSH)
        g.bind("prov", PROV)
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for r in self.results:
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.resultSeverity, _SH_OF[r.severity]))
            g.add((node, SH.focusNode, r.focus_node))
            if r.path is not None:
                g.add((node, SH.resultPath, _path_to_rdf(g, r.path)))
            if r.value is not None:
                g.add((node, SH.value, r.value))
            g.add((node, SH.sourceShape, r.shape))
            if r.component is not None:
                g.add((node, SH.sourceConstraintComponent, r.component))
            g.add((node, SH.resultMessage, Literal(r.message_fi, lang="fi")))
            g.add((node, SH.resultMessage, Literal(r.message_en, lang="en")))
            for d in r.source_documents:
                g.add((node, PROV.wasDerivedFrom, d.iri))
        return g


class Lang(StrEnum):
    """The languages reports are written in."""

    FI = "fi"
    EN = "en"


def _thing(r: ValidationResult, text: dict[Any, str]) -> str:
    """The focus node of a result as the text report names it: its label and short IRI."""
    if isinstance(r.focus_node, BNode):
        return text["blank"]
    short = _short(r.focus_node)
    return f"{r.label} ({short})" if r.label else short


def _lang(lang: Lang | str) -> Lang:
    try:
        return Lang(lang)
    except ValueError:
        raise UsageError(f"unknown language {lang!r}; valid: fi, en") from None


def _path_to_rdf(g: Graph, path: Path) -> Node:
    if isinstance(path, URIRef):
        return path
    if len(path) == 2 and path[0] == "inverse":
        node = BNode()
        g.add((node, SH.inversePath, _path_to_rdf(g, path[1])))
        return node
    if len(path) == 2 and path[0] == "alternative":
        node, head = BNode(), BNode()
        Collection(g, head, [_path_to_rdf(g, p) for p in path[1]])
        g.add((node, SH.alternativePath, head))
        return node
    head = BNode()
    Collection(g, head, [_path_to_rdf(g, p) for p in path])
    return head

"""SHACL validation of sotegraph graphs, with a typed report people can act on.

The shapes live in ``ontology/shapes.ttl``. :func:`validate` checks a graph (or every
document graph of a dataset) against them together with the reference graphs (regions,
funds, themes), and returns a :class:`ValidationReport` whose results keep their severity
(Violation / Warning / Info), focus node, path, value, message in Finnish and English, shape
and the source documents the focus node came from.

How it runs
-----------
* **Per document, then graph-wide.** Shapes are *document* shapes (the default) or *graph*
  shapes (``sgsh:scope "graph"``: rules whose answer depends on other documents, such as
  "a project from an article has a lead somewhere"). With a dataset, document shapes run on
  each document's named graph (so one bad file is reported with its name while the rest goes
  on, :func:`validate_document` is the same check at ingest time) and graph shapes run once on
  the union (:func:`validate_graph_wide`). Reference graphs (named ``sgid:graph/...``) are
  context: their nodes are looked up (``sh:class``), never validated as data.
* **Fast Core engine.** The Core constraints the shapes use are evaluated directly on the
  rdflib graphs (no copy of the data, no inference). ``engine="pyshacl"`` runs the same shapes
  through pyshacl instead (slower; used by the tests as the reference implementation).
* **Rules SHACL Core cannot express cheaply** (Y-tunnus check digit with python-stdnum,
  year-dependent target-area containment, dates known only to the year) are shapes marked
  ``sh:deactivated true; sgsh:implementedIn "python"`` whose severity and messages come from
  ``shapes.ttl``; their results appear in the same report.

Examples
--------
>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
... @prefix sg: <https://w3id.org/sotegraph/ontology#> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... @prefix prov: <http://www.w3.org/ns/prov#> .
... @prefix dcterms: <http://purl.org/dc/terms/> .
... <https://w3id.org/sotegraph/id/document/0000000000000000000000000000000000000000000000000000000000000001>
...     a sg:Document ; dcterms:source "esimerkki.txt" ; sg:genre "article" ;
...     sg:sha256 "0000000000000000000000000000000000000000000000000000000000000001" .
... <https://w3id.org/sotegraph/id/organisation/0201256-7> a sg:Organisation ;
...     skos:prefLabel "Esimerkki Oy"@fi ; sg:businessId "0201256-7" ;
...     prov:wasDerivedFrom <https://w3id.org/sotegraph/id/document/0000000000000000000000000000000000000000000000000000000000000001> .
... ''')
>>> report = validate(data)
>>> report.conforms
False
>>> [(r.severity.value, r.path.n3()) for r in report.results]
[('Violation', '<https://w3id.org/sotegraph/ontology#businessId>')]
>>> report.results[0].expected
'0201256-6'
>>> print(report.render(lang="en").splitlines()[0])
File: esimerkki.txt
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, XSD
from rdflib.paths import Path as RdfPath
from rdflib.term import Node

from sotegraph.errors import ValidationError
from sotegraph.facts import Severity
from sotegraph.vocab import SG

__all__ = [
    "SGSH",
    "IndexedGraph",
    "Severity",
    "SourceDocument",
    "ValidationReport",
    "ValidationResult",
    "reference_graph",
    "shapes_graph",
    "validate",
    "validate_document",
    "validate_graph_wide",
]

SGSH = "https://w3id.org/sotegraph/shapes#"
_SCOPE = URIRef(SGSH + "scope")
_IMPLEMENTED_IN = URIRef(SGSH + "implementedIn")
_RESULT_PATH = URIRef(SGSH + "resultPath")
_SGID = "https://w3id.org/sotegraph/id/"
_REFERENCE_PREFIX = _SGID + "graph/"
_SCHEMA = "https://schema.org/"

_SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}
_SH_OF = {v: k for k, v in _SEVERITY.items()}
_SEVERITY_ORDER = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}

Engine = TypingLiteral["auto", "core", "pyshacl"]
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


# ======================================================================================
# Report
# ======================================================================================


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


def _lang(lang: str) -> str:
    if lang not in _TEXT:
        raise ValueError(f"unknown language {lang!r}; valid: fi, en")
    return lang


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


# ======================================================================================
# Shipped shapes and reference data
# ======================================================================================


@cache
def _shipped_shapes() -> Graph:
    from sotegraph import resources

    g = Graph()
    g.parse(data=resources.ontology_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def shapes_graph() -> Graph:
    """Return a fresh copy of the shipped shapes graph (``ontology/shapes.ttl``).

    >>> len(shapes_graph()) > 500
    True
    """
    g = Graph()
    for prefix, ns in _shipped_shapes().namespaces():
        g.bind(prefix, ns)
    for triple in _shipped_shapes():
        g.add(triple)
    return g


@cache
def _default_references() -> dict[str, Graph]:
    """The shipped reference graphs by name (``regions``, ``funds``, ``themes``)."""
    makers: dict[str, Callable[[], Graph]] = {}
    try:
        from sotegraph.resolve.regions import regions_graph

        makers["regions"] = regions_graph
    except ImportError:  # pragma: no cover - the regions resolver is part of the package
        pass
    try:
        from sotegraph.rdf import funds_graph

        makers["funds"] = funds_graph
    except ImportError:  # pragma: no cover
        pass
    try:
        from sotegraph.resolve.themes import themes_graph

        makers["themes"] = themes_graph
    except ImportError:  # pragma: no cover
        pass
    out: dict[str, Graph] = {}
    for name, make in makers.items():
        try:
            out[name] = make()
        except FileNotFoundError:  # a reference file not shipped (yet)
            continue
    return out


_default_references = cache(_default_references)


def reference_graph() -> Graph:
    """Return the shipped reference data (regions, funds and periods, themes) as one graph.

    This is what :func:`validate` looks target areas, funds and themes up in when the data
    carries no reference graphs of its own and none is given.

    >>> from sotegraph.namespaces import region_iri
    >>> from rdflib.namespace import RDF
    >>> from sotegraph.vocab import SG
    >>> (region_iri("municipality", 91), RDF.type, SG.Municipality) in reference_graph()
    True
    """
    g = Graph()
    for part in _default_references().values():
        for triple in part:
            g.add(triple)
    return g


# ======================================================================================
# Input handling
# ======================================================================================


class _Index:
    """Subjects of one document graph by class and by predicate, built in one pass.

    rdflib's memory store answers ``(None, p, o)`` patterns on one named graph of a dataset by
    scanning every graph's matches; this index keeps per-document focus-node lookups linear.
    """

    __slots__ = ("_by_type", "by_predicate", "spo", "subjects")

    def __init__(self, graph: Graph | None = None) -> None:
        self._by_type: dict[Node, list[Node]] | None = None
        self.by_predicate: dict[Node, dict[Node, None]] = {}
        self.spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        self.subjects: set[Node] = self.spo.keys()  # type: ignore[assignment]
        if graph is not None:
            self.add(graph)

    def add(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Index more triples."""
        spo, by_predicate = self.spo, self.by_predicate
        self._by_type = None
        for s, p, o in triples:
            po = spo.get(s)
            if po is None:
                po = spo[s] = {}
            objects = po.get(p)
            if objects is None:
                objects = po[p] = {}
                by_predicate.setdefault(p, {})[s] = None
            objects[o] = None

    @property
    def by_type(self) -> dict[Node, list[Node]]:
        """Subjects by their ``rdf:type``."""
        if self._by_type is None:
            by_type: dict[Node, list[Node]] = {}
            for s in self.by_predicate.get(RDF.type, {}):
                for o in self.spo[s][RDF.type]:
                    by_type.setdefault(o, []).append(s)
            self._by_type = by_type
        return self._by_type

    def objects(self, s: Node, p: Node) -> list[Node]:
        po = self.spo.get(s)
        if po is None:
            return []
        return list(po.get(p, ()))

    def with_predicate(self, p: Node) -> dict[Node, None]:
        """Subjects that have ``p``."""
        return self.by_predicate.get(p, {})

    def __contains__(self, node: Node) -> bool:
        return node in self.spo


class _UnionIndex(_Index):
    """The union of several document indexes, without copying them.

    Looks a subject up in the documents that describe it; the by-predicate and by-type
    tables are merged on demand, one key at a time.
    """

    __slots__ = ("_indexes", "_predicates", "_where")

    def __init__(self, indexes: Sequence[_Index]) -> None:
        super().__init__()
        self._indexes = list(indexes)
        self._where: dict[Node, list[_Index]] = {}
        for index in self._indexes:
            for s in index.spo:
                self._where.setdefault(s, []).append(index)
        self.subjects = self._where.keys()  # type: ignore[assignment]
        self._predicates: dict[Node, dict[Node, None]] = {}

    def objects(self, s: Node, p: Node) -> list[Node]:
        found = self._where.get(s)
        if not found:
            return []
        if len(found) == 1:
            return list(found[0].spo[s].get(p, ()))
        out: dict[Node, None] = {}
        for index in found:
            out.update(index.spo[s].get(p, {}))
        return list(out)

    def with_predicate(self, p: Node) -> dict[Node, None]:
        merged = self._predicates.get(p)
        if merged is None:
            merged = {}
            for index in self._indexes:
                merged.update(index.by_predicate.get(p, {}))
            self._predicates[p] = merged
        return merged

    @property
    def by_type(self) -> dict[Node, list[Node]]:
        if self._by_type is None:
            by_type: dict[Node, dict[Node, None]] = {}
            for index in self._indexes:
                for cls, subjects in index.by_type.items():
                    by_type.setdefault(cls, {}).update(dict.fromkeys(subjects))
            self._by_type = {cls: list(s) for cls, s in by_type.items()}
        return self._by_type

    def __contains__(self, node: Node) -> bool:
        return node in self._where


class IndexedGraph(Graph):
    """A read-only rdflib graph over triples indexed once in plain dictionaries.

    Building an rdflib memory graph costs about 35 µs a triple (three indexes and context
    bookkeeping); this one costs a few. It answers the triple patterns that rdflib's
    :class:`~rdflib.Graph` methods ask (``objects``, ``subjects``, ``value``, ``in``, SPARQL),
    and the validator reads its index directly. Meant for large generated graphs that are
    validated or inspected and then dropped, such as a bulk table's 400,000 triples.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> s, p = URIRef("https://e.org/s"), URIRef("https://e.org/p")
    >>> g = IndexedGraph([(s, p, Literal("a")), (s, p, Literal("a")), (s, p, Literal("b"))])
    >>> len(g), sorted(str(o) for o in g.objects(s, p)), (s, p, Literal("b")) in g
    (2, ['a', 'b'], True)
    >>> list(g.subjects(None, Literal("a"))) == [s]
    True
    >>> g.add((s, p, Literal("c")))
    Traceback (most recent call last):
    ...
    TypeError: an IndexedGraph is read-only
    """

    def __init__(
        self,
        triples: Iterable[tuple[Node, Node, Node]] = (),
        *,
        identifier: Node | str | None = None,
    ) -> None:
        super().__init__(identifier=identifier)  # type: ignore[arg-type]
        self.index = _Index()
        self.index.add(triples)
        self._reverse: dict[Node, dict[Node, dict[Node, None]]] | None = None
        self._size: int | None = None

    @classmethod
    def from_ntriples(
        cls, data: str | bytes, *, identifier: Node | str | None = None
    ) -> IndexedGraph:
        """Parse N-Triples (Oxigraph's parser; each distinct term converted once).

        Raises
        ------
        SyntaxError
            If ``data`` is not valid N-Triples.
        """
        import pyoxigraph as ox

        return cls(
            rdflib_triples(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)), identifier=identifier
        )

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]
        s, p, o = triple
        if isinstance(p, RdfPath):
            for s2, o2 in p.eval(self, s, o):
                yield s2, p, o2
            return
        spo = self.index.spo
        if s is not None:
            subjects: Iterable[Node] = (s,) if s in spo else ()
        elif p is not None:
            subjects = self.index.with_predicate(p)
        elif o is not None:
            for s2, ps in self._reverse_index().get(o, {}).items():
                for p2 in ps:
                    yield s2, p2, o
            return
        else:
            subjects = spo
        for s2 in subjects:
            po = spo[s2]
            if p is None:
                items: Iterable[tuple[Node, dict[Node, None]]] = po.items()
            elif p in po:
                items = ((p, po[p]),)
            else:
                continue
            for p2, objects in items:
                if o is None:
                    for o2 in objects:
                        yield s2, p2, o2
                elif o in objects:
                    yield s2, p2, o

    def _reverse_index(self) -> dict[Node, dict[Node, dict[Node, None]]]:
        if self._reverse is None:
            rev: dict[Node, dict[Node, dict[Node, None]]] = {}
            for s, po in self.index.spo.items():
                for p, objects in po.items():
                    for o in objects:
                        rev.setdefault(o, {}).setdefault(s, {})[p] = None
            self._reverse = rev
        return self._reverse

    def __contains__(self, triple: Any) -> bool:
        for _t in self.triples(triple):
            return True
        return False

    def __len__(self) -> int:
        if self._size is None:
            self._size = sum(len(objs) for po in self.index.spo.values() for objs in po.values())
        return self._size

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        return self.triples((None, None, None))

    def add(self, triple: Any) -> IndexedGraph:
        raise TypeError("an IndexedGraph is read-only")

    def addN(self, quads: Any) -> IndexedGraph:
        raise TypeError("an IndexedGraph is read-only")

    def remove(self, triple: Any) -> IndexedGraph:
        raise TypeError("an IndexedGraph is read-only")


def rdflib_triples(triples: Iterable[Any]) -> Iterator[tuple[Node, Node, Node]]:
    """pyoxigraph triples or quads as rdflib term triples (each distinct term converted once)."""
    from sotegraph.terms import rdflib_converter

    conv = rdflib_converter()
    for t in triples:
        yield conv(t.subject), conv(t.predicate), conv(t.object)


@dataclass(slots=True)
class _Input:
    documents: list[tuple[Graph, _Index]]
    union: Graph
    union_index: _Index
    reference: list[Graph]
    reference_subjects: set[Node]


def _split(data: Graph | Dataset, reference: Graph | Dataset | None) -> _Input:
    ref_graphs: list[Graph] = []
    docs: list[tuple[Graph, _Index]] = []
    if isinstance(data, Dataset):
        for ctx in data.graphs():
            if str(ctx.identifier).startswith(_REFERENCE_PREFIX):
                if len(ctx):
                    ref_graphs.append(ctx)
                continue
            index = _Index(ctx)
            if index.subjects:
                docs.append((ctx, index))
        # a new wrapper on the caller's store: a read-only union view; the caller's Dataset
        # object is not touched
        union: Graph = Dataset(store=data.store, default_union=True)
        union_index = docs[0][1] if len(docs) == 1 else _UnionIndex([i for _d, i in docs])
    elif isinstance(data, IndexedGraph):
        union_index = data.index
        docs = [(data, union_index)]
        union = data
    elif isinstance(data, Graph):
        union_index = _Index(data)
        docs = [(data, union_index)]
        union = data
    else:
        raise TypeError(f"data must be an rdflib Graph or Dataset, not {type(data).__name__}")
    if reference is not None:
        if isinstance(reference, Dataset):
            ref_graphs.extend(c for c in reference.graphs() if len(c))
        else:
            ref_graphs.append(reference)
    else:  # the data's own reference graphs, and the shipped ones it does not carry
        present = {str(g.identifier)[len(_REFERENCE_PREFIX) :] for g in ref_graphs}
        ref_graphs.extend(g for name, g in _default_references().items() if name not in present)
    return _Input(docs, union, union_index, ref_graphs, _reference_subjects(tuple(ref_graphs)))


def _reference_subjects(graphs: tuple[Graph, ...]) -> set[Node]:
    """Every subject of the reference graphs (cached for the shipped ones)."""
    shipped = _default_references()
    out: set[Node] = set()
    for g in graphs:
        if any(g is s for s in shipped.values()):
            out |= _shipped_subjects(str(g.identifier))
        else:
            out.update(g.subjects())
    return out


@cache
def _shipped_subjects(name: str) -> frozenset[Node]:
    for g in _default_references().values():
        if str(g.identifier) == name:
            return frozenset(g.subjects())
    return frozenset()


# ======================================================================================
# Shapes model
# ======================================================================================


class _UnsupportedError(Exception):
    """A shape uses a feature the Core engine does not implement (pyshacl runs it)."""


@dataclass(slots=True)
class _Shape:
    node: Node
    path: Path | None
    severity: Severity
    message_fi: str
    message_en: str
    scope: str
    deactivated: bool
    implemented_in: str | None
    constraints: list[tuple[URIRef, Any]]
    properties: list[_Shape]
    targets: list[tuple[str, Any]]
    result_path: Path | None = None


_CORE_PARAMS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minCount,
    SH.maxCount,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.pattern,
    SH.languageIn,
    SH["in"],
    SH.hasValue,
    SH.lessThanOrEquals,
    SH.lessThan,
    SH["or"],
    SH["not"],
    SH["and"],
    SH.qualifiedValueShape,
    SH.minLength,
    SH.maxLength,
    SH.node,
    SH.equals,
    SH.disjoint,
}
_IGNORED = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.path,
    SH.property,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.flags,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    _SCOPE,
    _IMPLEMENTED_IN,
    _RESULT_PATH,
    RDFS.seeAlso,
}
_COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.equals: SH.EqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
}


def _messages(sg: Graph, node: Node) -> tuple[str, str]:
    fi = en = other = ""
    for m in sg.objects(node, SH.message):
        if isinstance(m, Literal):
            if m.language == "fi":
                fi = str(m)
            elif m.language == "en":
                en = str(m)
            else:
                other = str(m)
    return fi or other, en or other


def _read_path(sg: Graph, node: Node) -> Path:
    if isinstance(node, URIRef):
        return node
    inverse = sg.value(node, SH.inversePath)
    if inverse is not None:
        return ("inverse", _read_path(sg, inverse))
    alternative = sg.value(node, SH.alternativePath)
    if alternative is not None:
        return ("alternative", tuple(_read_path(sg, p) for p in Collection(sg, alternative)))
    if sg.value(node, RDF.first) is not None:
        return tuple(_read_path(sg, p) for p in Collection(sg, node))
    raise _UnsupportedError(f"path {node!r}")


class _ShapeModel:
    """The shapes graph read once into plain objects."""

    def __init__(self, sg: Graph) -> None:
        self.graph = sg
        self._cache: dict[Node, _Shape] = {}
        self._supported: dict[Node, bool] = {}
        roots: set[Node] = set()
        for kind in (SH.NodeShape, SH.PropertyShape):
            roots.update(sg.subjects(RDF.type, kind))
        for p in (
            SH.targetClass,
            SH.targetNode,
            SH.targetSubjectsOf,
            SH.targetObjectsOf,
            SH.target,
        ):
            roots.update(sg.subjects(p, None))
        self.roots = [self.shape(n) for n in sorted(roots, key=str)]
        self.by_node = {s.node: s for s in self.roots}

    def shape(self, node: Node) -> _Shape:
        if node in self._cache:
            return self._cache[node]
        sg = self.graph
        path_node = sg.value(node, SH.path)
        sev = sg.value(node, SH.severity)
        severity = _SEVERITY.get(URIRef(str(sev)), Severity.VIOLATION)
        fi, en = _messages(sg, node)
        scope = str(sg.value(node, _SCOPE) or "document")
        deactivated = sg.value(node, SH.deactivated) == Literal(True)
        impl = sg.value(node, _IMPLEMENTED_IN)
        rp = sg.value(node, _RESULT_PATH)
        shape = _Shape(
            node=node,
            path=_read_path(sg, path_node) if path_node is not None else None,
            severity=severity,
            message_fi=fi,
            message_en=en,
            scope=scope,
            deactivated=deactivated,
            implemented_in=str(impl) if impl is not None else None,
            constraints=[],
            properties=[],
            targets=[],
            result_path=_read_path(sg, rp) if rp is not None else None,
        )
        self._cache[node] = shape
        for pred, o in sg.predicate_objects(node):
            p = URIRef(str(pred))
            if p in _CORE_PARAMS:
                shape.constraints.append((p, self._param(node, p, o)))
            elif p == SH.property:
                shape.properties.append(self.shape(o))
            elif p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
                shape.targets.append((str(p), o))
            elif p == SH.target:
                select = sg.value(o, SH.select)
                if select is None:
                    shape.targets.append(("unsupported", o))
                else:
                    shape.targets.append(("sparql", str(select)))
            elif p not in _IGNORED and str(p).startswith(str(SH)):
                shape.constraints.append((p, None))  # unknown SHACL parameter
        shape.constraints.sort(key=lambda c: str(c[0]))
        return shape

    def _param(self, node: Node, p: URIRef, o: Node) -> Any:
        sg = self.graph
        if p in (SH["in"], SH.languageIn):
            return list(Collection(sg, o))
        if p in (SH["or"], SH["and"]):
            return [self.shape(m) for m in Collection(sg, o)]
        if p in (SH["not"], SH.node):
            return self.shape(o)
        if p == SH.qualifiedValueShape:
            qmin = sg.value(node, SH.qualifiedMinCount)
            qmax = sg.value(node, SH.qualifiedMaxCount)
            return (
                self.shape(o),
                int(str(qmin)) if qmin is not None else None,
                int(str(qmax)) if qmax is not None else None,
            )
        if p == SH.pattern:
            flags = sg.value(node, SH.flags)
            re_flags = re.IGNORECASE if flags is not None and "i" in str(flags) else 0
            return re.compile(str(o), re_flags)
        if p in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
            return int(o)  # type: ignore[call-overload]
        return o

    def supported(self, shape: _Shape) -> bool:
        """True if the Core engine implements everything ``shape`` uses."""
        known = self._supported.get(shape.node)
        if known is None:
            known = self._supported[shape.node] = self._supported_uncached(shape)
        return known

    def _supported_uncached(self, shape: _Shape, _seen: set[Node] | None = None) -> bool:
        seen = _seen if _seen is not None else set()
        if shape.node in seen:
            return True
        seen.add(shape.node)
        for kind, _t in shape.targets:
            if kind == "unsupported":
                return False
        for p, v in shape.constraints:
            if v is None:
                return False
            subs: list[_Shape] = []
            if p in (SH["or"], SH["and"]):
                subs = list(v)
            elif p in (SH["not"], SH.node):
                subs = [v]
            elif p == SH.qualifiedValueShape:
                subs = [v[0]]
            if not all(self._supported_uncached(s, seen) for s in subs):
                return False
        return all(self._supported_uncached(s, seen) for s in shape.properties)


@cache
def _shipped_model() -> _ShapeModel:
    return _ShapeModel(_shipped_shapes())


# ======================================================================================
# Core engine
# ======================================================================================


class _View:
    """Where values and types are looked up: the data graph, plus context for types."""

    def __init__(
        self,
        data: Graph,
        context: Sequence[Graph],
        index: _Index | None = None,
        reference_subjects: set[Node] | None = None,
    ) -> None:
        self.data = data
        self.index = index
        self.reference = list(context)
        # nodes described in the reference graphs: only those are looked up there
        self.in_reference = (
            reference_subjects
            if reference_subjects is not None
            else {s for g in context for s in g.subjects()}
        )
        self.context = [data, *context]
        self._types: dict[Node, set[Node]] = {}
        self._supers: dict[Node, set[Node]] = {}

    def objects(self, s: Node, p: Node) -> list[Node]:
        """Objects of ``(s, p)`` in the data graph."""
        if self.index is not None:
            return self.index.objects(s, p)
        return list(dict.fromkeys(self.data.objects(s, p)))

    def values(self, focus: Node, path: Path) -> list[Node]:
        if isinstance(path, URIRef):
            return self.objects(focus, path)
        if path[0] == "inverse":
            inner = path[1]
            if not isinstance(inner, URIRef):
                raise _UnsupportedError("complex inverse path")
            return list(dict.fromkeys(self.data.subjects(inner, focus)))
        if path[0] == "alternative":
            out: dict[Node, None] = {}
            for p in path[1]:
                out.update(dict.fromkeys(self.values(focus, p)))
            return list(out)
        nodes: list[Node] = [focus]
        for step in path:
            nxt: dict[Node, None] = {}
            for n in nodes:
                nxt.update(dict.fromkeys(self._step(n, step)))
            nodes = list(nxt)
        return nodes

    def _step(self, node: Node, step: Path) -> list[Node]:
        # later steps of a sequence may leave the document (e.g. to a document node)
        if isinstance(step, URIRef):
            out = dict.fromkeys(self.objects(node, step))
            if node in self.in_reference:
                for g in self.reference:
                    out.update(dict.fromkeys(g.objects(node, step)))
            return list(out)
        return self.values(node, step)

    def types(self, node: Node) -> set[Node]:
        found = self._types.get(node)
        if found is None:
            found = set(self.objects(node, RDF.type))
            if node in self.in_reference:
                for g in self.reference:
                    found.update(g.objects(node, RDF.type))
            self._types[node] = found
        return found

    def superclasses(self, cls: Node) -> set[Node]:
        found = self._supers.get(cls)
        if found is None:
            found = {cls}
            todo = [cls]
            while todo:
                c = todo.pop()
                for g in self.context:
                    for sup in g.objects(c, RDFS.subClassOf):
                        if sup not in found:
                            found.add(sup)
                            todo.append(sup)
            self._supers[cls] = found
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        return any(cls in self.superclasses(t) for t in self.types(node))

    def subjects_with(self, predicate: Node) -> list[Node]:
        """Subjects that have ``predicate`` in the data graph."""
        if self.index is not None:
            return list(self.index.with_predicate(predicate))
        return list(dict.fromkeys(self.data.subjects(predicate, None)))

    def instances(self, cls: Node) -> list[Node]:
        """Subjects typed ``cls`` in the data graph."""
        if self.index is not None:
            return self.index.by_type.get(cls, [])
        return list(self.data.subjects(RDF.type, cls))

    def focus_nodes(self, shape: _Shape) -> list[Node]:
        out: dict[Node, None] = {}
        for kind, value in shape.targets:
            if kind == str(SH.targetClass):
                classes = {value} | {
                    s for g in self.context for s in g.subjects(RDFS.subClassOf, value)
                }
                for c in classes:
                    out.update(dict.fromkeys(self.instances(c)))
            elif kind == str(SH.targetNode):
                out[value] = None
            elif kind == str(SH.targetSubjectsOf):
                out.update(dict.fromkeys(self.subjects_with(value)))
            elif kind == str(SH.targetObjectsOf):
                for s in self.subjects_with(value):
                    out.update(dict.fromkeys(self.objects(s, value)))
            elif kind == "sparql":
                for row in self.data.query(_prepared(value)):
                    out[row[0]] = None  # type: ignore[index]
        return list(out)


@cache
def _prepared(select: str) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(select)


@dataclass(slots=True)
class _Raw:
    shape: _Shape
    focus: Node
    path: Path | None
    value: Node | None
    component: URIRef | None


def _compare(a: Node, b: Node) -> int | None:
    """-1/0/1 when two literals are comparable, else None.

    An ``xsd:gYear`` is ordered by its year against another gYear or an ``xsd:date``
    (``"2016"^^xsd:gYear`` equals any day of 2016): pyshacl cannot compare them at all.
    """
    if not isinstance(a, Literal) or not isinstance(b, Literal):
        return None
    if XSD.gYear in (a.datatype, b.datatype):
        ya, yb = _year(a), _year(b)
        if ya is None or yb is None or not ({a.datatype, b.datatype} <= {XSD.gYear, XSD.date}):
            return None
        return (ya > yb) - (ya < yb)
    va, vb = a.toPython(), b.toPython()
    numeric = (int, float, Decimal)
    if isinstance(va, bool) or isinstance(vb, bool):
        return None
    if isinstance(va, numeric) and isinstance(vb, numeric):
        fa, fb = Decimal(str(va)), Decimal(str(vb))
        return (fa > fb) - (fa < fb)
    if type(va) is type(vb) and isinstance(va, (str, dt.date, dt.datetime)):
        if isinstance(va, dt.datetime) != isinstance(vb, dt.datetime):
            return None
        return (va > vb) - (va < vb)
    return None


def _datatype_ok(v: Node, datatype: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    dtype = v.datatype
    if dtype is None:
        dtype = RDF.langString if v.language else XSD.string
    if dtype != datatype:
        return False
    return not getattr(v, "ill_typed", False)


_NODE_KINDS: dict[Node, Callable[[Node], bool]] = {
    SH.IRI: lambda v: isinstance(v, URIRef),
    SH.BlankNode: lambda v: isinstance(v, BNode),
    SH.Literal: lambda v: isinstance(v, Literal),
    SH.BlankNodeOrIRI: lambda v: isinstance(v, (BNode, URIRef)),
    SH.BlankNodeOrLiteral: lambda v: isinstance(v, (BNode, Literal)),
    SH.IRIOrLiteral: lambda v: isinstance(v, (URIRef, Literal)),
}


_S = {
    name: URIRef(str(SH) + name)
    for name in [
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "pattern",
        "languageIn",
        "in",
        "hasValue",
        "lessThanOrEquals",
        "lessThan",
        "or",
        "not",
        "and",
        "qualifiedValueShape",
        "minLength",
        "maxLength",
        "node",
        "equals",
        "disjoint",
    ]
}
_QMIN = SH.QualifiedMinCountConstraintComponent
_QMAX = SH.QualifiedMaxCountConstraintComponent
_Handler = Callable[[_Shape, Any, Node, list[Node]], Iterator[Node | None]]


class _Engine:
    """Evaluates the Core constraints of a shape on focus nodes (yields raw results)."""

    def __init__(self, view: _View) -> None:
        self.view = view
        self._compiled: dict[int, list[tuple[_Handler | None, URIRef | None, Any]]] = {}
        self._keep: list[_Shape] = []
        s = _S
        self.handlers: dict[URIRef, tuple[_Handler, URIRef | None]] = {
            s[name]: (handler, _COMPONENT.get(s[name]))
            for name, handler in {
                "minCount": self._min_count,
                "maxCount": self._max_count,
                "class": self._class,
                "datatype": self._datatype,
                "nodeKind": self._node_kind,
                "pattern": self._pattern,
                "minLength": self._min_length,
                "maxLength": self._max_length,
                "languageIn": self._language_in,
                "in": self._in,
                "hasValue": self._has_value,
                "minInclusive": self._range(lambda c: c >= 0),
                "maxInclusive": self._range(lambda c: c <= 0),
                "minExclusive": self._range(lambda c: c > 0),
                "maxExclusive": self._range(lambda c: c < 0),
                "lessThanOrEquals": self._pair(lambda c: c <= 0),
                "lessThan": self._pair(lambda c: c < 0),
                "equals": self._equals,
                "disjoint": self._disjoint,
                "or": self._or,
                "and": self._and,
                "not": self._not,
                "node": self._node,
            }.items()
        }

    def conforms(self, shape: _Shape, node: Node) -> bool:
        return not any(True for _ in self.check(shape, (node,), stop_first=True))

    def _compile(self, shape: _Shape) -> list[tuple[_Handler | None, URIRef | None, Any]]:
        """The shape's constraints as (handler, component, parameter); None = qualified."""
        key = id(shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = []
            for p, param in shape.constraints:
                if p == _S["qualifiedValueShape"]:
                    compiled.append((None, None, param))
                else:
                    handler, component = self.handlers[p]
                    compiled.append((handler, component, param))
            self._compiled[key] = compiled
            self._keep.append(shape)  # ids stay unique while the engine lives
        return compiled

    def check(
        self, shape: _Shape, focus: Iterable[Node], *, stop_first: bool = False
    ) -> Iterator[_Raw]:
        compiled = self._compile(shape)
        for f in focus:
            values = self.view.values(f, shape.path) if shape.path is not None else [f]
            for handler, component, param in compiled:
                if handler is None:
                    sub, qmin, qmax = param
                    n = sum(1 for v in values if self.conforms(sub, v))
                    found = []
                    if qmin is not None and n < qmin:
                        found.append(_Raw(shape, f, shape.path, None, _QMIN))
                    if qmax is not None and n > qmax:
                        found.append(_Raw(shape, f, shape.path, None, _QMAX))
                    for raw in found:
                        yield raw
                        if stop_first:
                            return
                    continue
                for value in handler(shape, param, f, values):
                    yield _Raw(shape, f, shape.path, value, component)
                    if stop_first:
                        return
            for prop in shape.properties:
                if prop.deactivated:
                    continue
                for v in values:
                    for raw in self.check(prop, (v,), stop_first=stop_first):
                        yield raw
                        if stop_first:
                            return

    # each handler yields the value of every result (None for a result without a value)

    def _min_count(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        if len(values) < param:
            yield None

    def _max_count(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        if len(values) > param:
            yield None

    def _class(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        for v in values:
            if not self.view.is_instance(v, param):
                yield v

    def _datatype(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        for v in values:
            if not _datatype_ok(v, param):
                yield v

    def _node_kind(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        test = _NODE_KINDS[param]
        for v in values:
            if not test(v):
                yield v

    def _pattern(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        for v in values:
            if isinstance(v, BNode) or not param.search(str(v)):
                yield v

    def _min_length(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        for v in values:
            if isinstance(v, BNode) or len(str(v)) < param:
                yield v

    def _max_length(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        for v in values:
            if isinstance(v, BNode) or len(str(v)) > param:
                yield v

    def _language_in(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        for v in values:
            lang = v.language if isinstance(v, Literal) else None
            if not lang or not any(_lang_match(lang, str(x)) for x in param):
                yield v

    def _in(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> Iterator[Node | None]:
        for v in values:
            if v not in param:
                yield v

    def _has_value(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        if param not in values:
            yield None

    @staticmethod
    def _range(ok: Callable[[int], bool]) -> _Handler:
        def handler(
            shape: _Shape, param: Any, f: Node, values: list[Node]
        ) -> Iterator[Node | None]:
            for v in values:
                c = _compare(v, param)
                if c is None or not ok(c):
                    yield v

        return handler

    def _pair(self, ok: Callable[[int], bool]) -> _Handler:
        def handler(
            shape: _Shape, param: Any, f: Node, values: list[Node]
        ) -> Iterator[Node | None]:
            others = self.view.objects(f, param)
            for v in values:
                for o in others:
                    c = _compare(v, o)
                    if c is None or not ok(c):
                        yield v

        return handler

    def _equals(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        other_set = set(self.view.objects(f, param))
        value_set = set(values)
        yield from (value_set - other_set) | (other_set - value_set)

    def _disjoint(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        other_set = set(self.view.objects(f, param))
        yield from (v for v in values if v in other_set)

    def _or(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> Iterator[Node | None]:
        for v in values:
            if not any(self.conforms(s, v) for s in param):
                yield v

    def _and(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> Iterator[Node | None]:
        for v in values:
            if not all(self.conforms(s, v) for s in param):
                yield v

    def _not(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> Iterator[Node | None]:
        for v in values:
            if self.conforms(param, v):
                yield v

    def _node(
        self, shape: _Shape, param: Any, f: Node, values: list[Node]
    ) -> Iterator[Node | None]:
        for v in values:
            if not self.conforms(param, v):
                yield v


def _lang_match(lang: str, wanted: str) -> bool:
    lang, wanted = lang.lower(), wanted.lower()
    return wanted == "*" or lang == wanted or lang.startswith(wanted + "-")


# ======================================================================================
# pyshacl engine (reference implementation)
# ======================================================================================


def _pyshacl_results(
    model: _ShapeModel, shapes: list[_Shape], data: Graph, context: Sequence[Graph]
) -> list[_Raw]:
    import pyshacl

    sg = Graph()
    for triple in model.graph:
        sg.add(triple)
    chosen = {s.node: s for s in shapes}
    for s in model.roots:
        if not s.targets:
            continue
        trimmed = chosen.get(s.node)
        if trimmed is None:
            sg.set((s.node, SH.deactivated, Literal(True)))
            continue
        keep = {p.node for p in trimmed.properties}
        for prop in s.properties:
            if prop.node not in keep:
                sg.remove((s.node, SH.property, prop.node))
        if not trimmed.constraints:
            for param, _v in s.constraints:
                sg.remove((s.node, param, None))
    merged = Graph()
    for triple in data.triples((None, None, None)):
        merged.add(triple)
    # from the reference graphs only what the data points at (types for sh:class), one hop
    wanted = {o for o in data.objects() if isinstance(o, URIRef)}
    for g in context:
        for node in wanted:
            for p, o in g.predicate_objects(node):
                merged.add((node, p, o))
        for triple in g.triples((None, RDFS.subClassOf, None)):
            merged.add(triple)
    _conforms, report, _text = pyshacl.validate(
        merged,
        shacl_graph=sg,
        advanced=True,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
    )
    out: list[_Raw] = []
    assert isinstance(report, Graph)
    for r in report.subjects(RDF.type, SH.ValidationResult):
        source = report.value(r, SH.sourceShape)
        shape = model.shape(source) if source is not None else None
        if shape is None:  # pragma: no cover
            continue
        path_node = report.value(r, SH.resultPath)
        out.append(
            _Raw(
                shape,
                report.value(r, SH.focusNode),  # type: ignore[arg-type]
                _read_path(report, path_node) if path_node is not None else None,
                report.value(r, SH.value),
                report.value(r, SH.sourceConstraintComponent),  # type: ignore[arg-type]
            )
        )
    return out


# ======================================================================================
# Python-implemented rules
# ======================================================================================

_BUSINESS_ID = re.compile(r"^[0-9]{7}-[0-9]$")


def _check_business_ids(view: _View, shape: _Shape) -> Iterator[tuple[_Raw, str | None]]:
    from stdnum.fi import ytunnus

    pairs = [
        (s, v) for s in view.subjects_with(SG.businessId) for v in view.objects(s, SG.businessId)
    ]
    for s, v in pairs:
        text = str(v)
        if not _BUSINESS_ID.match(text) or ytunnus.is_valid(text):
            continue  # a malformed id is reported by the Core pattern shape
        digits = text[:7]
        right = [d for d in "0123456789" if ytunnus.is_valid(f"{digits}-{d}")]
        expected = f"{digits}-{right[0]}" if right else None
        yield _Raw(shape, s, SG.businessId, v, URIRef(SGSH + "BusinessIdCheckDigit")), expected


def _area_code(iri: Node) -> tuple[str, str] | None:
    text = str(iri)
    if not isinstance(iri, URIRef) or not text.startswith(_SGID):
        return None
    kind, _, code = text[len(_SGID) :].partition("/")
    if kind in ("municipality", "subregion", "region", "wellbeingcounty") and code.isdigit():
        return kind, code
    return None


def _known_municipality(resolver: Any, code: str) -> bool:
    """True if ``code`` is a municipality of the classification in some year."""
    try:
        resolver.match("municipality", code)
    except KeyError:
        return False  # not in the classification at all: the Core shape reports it
    return True


@cache
def _region_resolver() -> Any:
    from sotegraph.resolve.regions import RegionResolver

    return RegionResolver(use_voikko=False)


def _check_areas(
    view: _View, containment: _Shape | None, year_shape: _Shape | None
) -> Iterator[tuple[_Raw, str | None]]:
    try:
        resolver = _region_resolver()
    except (ImportError, FileNotFoundError):  # pragma: no cover - regions data not shipped
        return
    for project in view.subjects_with(SG.targetArea):
        areas = [(a, _area_code(a)) for a in view.objects(project, SG.targetArea)]
        years = sorted(
            int(str(y))
            for y in view.objects(project, SG.classificationYear)
            if isinstance(y, Literal) and isinstance(y.toPython(), int)
        )
        if not years:
            continue  # without a classification year membership cannot be told
        year = years[0]
        wider = {
            (k, c) for _a, kc in areas if kc is not None for k, c in [kc] if k != "municipality"
        }
        for iri, kc in areas:
            if kc is None or kc[0] != "municipality":
                continue
            try:
                m = resolver.municipality_membership(kc[1], year)
            except KeyError:
                if year_shape is not None and _known_municipality(resolver, kc[1]):
                    yield (
                        _Raw(year_shape, project, SG.targetArea, iri, URIRef(SGSH + "AreaYear")),
                        None,
                    )
                continue
            if not wider or containment is None:
                continue
            inside = {("subregion", m.subregion), ("region", m.region)}
            if m.wellbeing_county:
                inside.add(("wellbeingcounty", m.wellbeing_county))
            if not inside & wider:
                expected = ", ".join(_short(URIRef(f"{_SGID}{k}/{c}")) for k, c in sorted(inside))
                yield (
                    _Raw(
                        containment, project, SG.targetArea, iri, URIRef(SGSH + "AreaContainment")
                    ),
                    expected,
                )


def _year(v: Node) -> int | None:
    if not isinstance(v, Literal):
        return None
    py = v.toPython()
    if isinstance(py, dt.date):
        return py.year
    m = re.match(r"^-?(\d{4})", str(v))
    return int(m.group(1)) if m else None


_PY_CHECKS: dict[str, str] = {
    SGSH + "BusinessIdCheckDigitShape": "business_id",
    SGSH + "TargetAreaContainmentShape": "containment",
    SGSH + "TargetAreaYearShape": "area_year",
}


def _python_results(model: _ShapeModel, view: _View, scope: str) -> list[tuple[_Raw, str | None]]:
    shapes = {
        _PY_CHECKS[str(s.node)]: s
        for s in model.roots
        if str(s.node) in _PY_CHECKS and s.implemented_in == "python" and s.scope == scope
    }
    out: list[tuple[_Raw, str | None]] = []
    if "business_id" in shapes:
        out.extend(_check_business_ids(view, shapes["business_id"]))
    if "containment" in shapes or "area_year" in shapes:
        out.extend(_check_areas(view, shapes.get("containment"), shapes.get("area_year")))
    return out


# ======================================================================================
# Running
# ======================================================================================


def _model_for(shapes: Graph | None) -> _ShapeModel:
    return _shipped_model() if shapes is None else _ShapeModel(shapes)


def _in_scope(scope: str | None, s: _Shape) -> bool:
    return scope is None or s.scope == scope


def _scoped_roots(model: _ShapeModel, scope: str | None) -> list[_Shape]:
    """The targeted, active root shapes trimmed to the constraints and properties of ``scope``."""
    out: list[_Shape] = []
    for s in model.roots:
        if not s.targets or s.deactivated:
            continue
        own = _in_scope(scope, s)
        props = [p for p in s.properties if _in_scope(scope, p) and not p.deactivated]
        if not own and not props:
            continue
        out.append(replace(s, constraints=s.constraints if own else [], properties=props))
    return out


def _run(
    model: _ShapeModel,
    data: Graph,
    context: Sequence[Graph],
    *,
    scope: str | None,
    engine: Engine,
    provenance: Graph,
    index: _Index,
    reference_subjects: set[Node] | None = None,
) -> list[ValidationResult]:
    roots = _scoped_roots(model, scope)
    view = _View(data, context, index, reference_subjects)
    raws: list[tuple[_Raw, str | None]] = []
    if engine == "pyshacl":
        slow = roots
    else:
        slow = [s for s in roots if not model.supported(s)]
        if slow and engine == "core":
            raise ValueError(
                "shapes use SHACL features the core engine does not implement: "
                + ", ".join(str(s.node) for s in slow)
            )
        core = _Engine(view)
        for shape in roots:
            if shape not in slow:
                raws.extend((r, None) for r in core.check(shape, view.focus_nodes(shape)))
    if slow:
        found = _pyshacl_results(model, slow, data, context)
        raws.extend((r, None) for r in found if r.focus in index)
    for s in ("document", "graph") if scope is None else (scope,):
        raws.extend(_python_results(model, view, s))
    docs = index.by_type.get(SG.Document, [])
    fallback = [data.identifier] if data.identifier in docs else docs[:1] if len(docs) == 1 else []
    return _results(raws, provenance, context, fallback)


def _results(
    raws: list[tuple[_Raw, str | None]],
    data: Graph,
    context: Sequence[Graph],
    fallback: Sequence[Node] = (),
) -> list[ValidationResult]:
    """Turn raw results into :class:`ValidationResult` objects with sources and labels.

    ``fallback`` is the document a result belongs to when its focus node names none (e.g.
    a node missing ``prov:wasDerivedFrom``): the document whose graph is being validated.
    """
    docs_cache: dict[Node, tuple[SourceDocument, ...]] = {}

    def source_name(doc: Node) -> str | None:
        for g in (data, *context):
            v = g.value(doc, DCTERMS.source)
            if v is not None:
                return str(v)
        return None

    def documents(node: Node, depth: int = 0) -> tuple[SourceDocument, ...]:
        if node in docs_cache:
            return docs_cache[node]
        found: list[SourceDocument] = []
        if (node, RDF.type, SG.Document) in data:
            found.append(SourceDocument(node, source_name(node)))  # type: ignore[arg-type]
        for d in data.objects(node, PROV.wasDerivedFrom):
            if isinstance(d, URIRef):
                found.append(SourceDocument(d, source_name(d)))
        if not found and depth < 2:  # e.g. a blank observation node: ask whoever points to it
            for s in data.subjects(None, node):
                found.extend(documents(s, depth + 1))
                if found:
                    break
        if depth == 0 and not any(d.source for d in found):
            # no known source document: the document whose graph this is
            found += [SourceDocument(d, source_name(d)) for d in fallback if isinstance(d, URIRef)]
        out = tuple(sorted(set(found), key=lambda d: (str(d), str(d.iri))))
        docs_cache[node] = out
        return out

    seen: set[tuple[str, ...]] = set()
    results: list[ValidationResult] = []
    for raw, expected in raws:
        shape = raw.shape
        path = raw.path if raw.path is not None else shape.path or shape.result_path
        value = raw.value
        if shape.path is None and value == raw.focus:
            # a node-level result (e.g. a guarded sh:or): show the value at the reported path
            value = None
            if isinstance(path, URIRef):
                value = next(iter(data.objects(raw.focus, path)), None)
        # the Finnish name (the first in order when there are several), else any name
        names = [
            lab
            for lab in data.objects(
                raw.focus, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
            )
            if isinstance(lab, Literal)
        ]
        finnish = sorted(str(lab) for lab in names if lab.language == "fi")
        label = finnish[0] if finnish else min((str(lab) for lab in names), default=None)
        result = ValidationResult(
            severity=shape.severity,
            focus_node=raw.focus,
            path=path,
            value=value,
            message_fi=shape.message_fi,
            message_en=shape.message_en,
            shape=shape.node,
            component=raw.component,
            source_documents=documents(raw.focus),
            expected=expected,
            label=label,
        )
        key = (*result.key(), str(raw.component))
        if key in seen:
            continue
        seen.add(key)
        results.append(result)
    results.sort(key=lambda r: (_SEVERITY_ORDER[r.severity], str(r.focus_node), str(r.shape)))
    return results


def validate(
    data: Graph | Dataset,
    *,
    shapes: Graph | None = None,
    reference: Graph | Dataset | None = None,
    lang: str = "fi",
    engine: Engine = "auto",
) -> ValidationReport:
    """Validate a graph or a dataset against the shapes; return a :class:`ValidationReport`.

    Parameters
    ----------
    data:
        An rdflib ``Graph`` (treated as one document) or a ``Dataset`` (each named graph a
        document; graphs named ``sgid:graph/...`` are reference data). Never modified.
    shapes:
        A shapes graph; the shipped ``ontology/shapes.ttl`` by default.
    reference:
        Reference graphs to look target areas, funds and themes up in. By default the
        reference graphs inside ``data``, else the shipped ones (:func:`reference_graph`).
    lang:
        Default language of :meth:`ValidationReport.render` (``"fi"`` or ``"en"``).
    engine:
        ``"auto"`` (the Core engine, pyshacl for shapes it does not implement), ``"core"``
        (fail on such shapes) or ``"pyshacl"`` (everything through pyshacl; slow).

    Returns
    -------
    ValidationReport

    Raises
    ------
    TypeError
        If ``data`` is not an rdflib graph.
    ValueError
        If ``lang`` or ``engine`` is unknown.

    Examples
    --------
    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
    """
    _lang(lang)
    if engine not in ("auto", "core", "pyshacl"):
        raise ValueError(f"unknown engine {engine!r}; valid: auto, core, pyshacl")
    model = _model_for(shapes)
    inp = _split(data, reference)
    report = ValidationReport(lang=lang)
    for doc, index in inp.documents:
        results = _run(
            model,
            doc,
            inp.reference,
            scope="document",
            engine=engine,
            provenance=doc,
            index=index,
            reference_subjects=inp.reference_subjects,
        )
        report.extend(ValidationReport(results, documents=1))
    # a graph-wide finding on a thing and property already reported per document adds nothing
    reported = {(r.focus_node, r.path) for r in report.results}
    wide = [r for r in _graph_wide(model, inp, engine) if (r.focus_node, r.path) not in reported]
    report.extend(ValidationReport(wide))
    report.results.sort(
        key=lambda r: (_SEVERITY_ORDER[r.severity], str(r.focus_node), str(r.shape))
    )
    return report


def _graph_wide(model: _ShapeModel, inp: _Input, engine: Engine) -> list[ValidationResult]:
    return _run(
        model,
        inp.union,
        inp.reference,
        scope="graph",
        engine=engine,
        provenance=inp.union,
        index=inp.union_index,
        reference_subjects=inp.reference_subjects,
    )


def validate_document(
    graph: Graph,
    *,
    shapes: Graph | None = None,
    reference: Graph | Dataset | None = None,
    lang: str = "fi",
    engine: Engine = "auto",
) -> ValidationReport:
    """Validate one document's graph with the document shapes (at ingest time).

    Graph-wide shapes (``sgsh:scope "graph"``) are left out: run them once on the whole
    graph with :func:`validate_graph_wide`.

    Examples
    --------
    >>> from rdflib import Graph
    >>> validate_document(Graph()).results
    []
    """
    _lang(lang)
    model = _model_for(shapes)
    inp = _split(graph, reference)
    results = _run(
        model,
        graph,
        inp.reference,
        scope="document",
        engine=engine,
        provenance=graph,
        index=inp.union_index,
        reference_subjects=inp.reference_subjects,
    )
    return ValidationReport(results, lang=lang, documents=1)


def validate_graph_wide(
    data: Graph | Dataset,
    *,
    shapes: Graph | None = None,
    reference: Graph | Dataset | None = None,
    lang: str = "fi",
    engine: Engine = "auto",
) -> ValidationReport:
    """Run only the graph-wide shapes (``sgsh:scope "graph"``) once on the union of ``data``.

    Examples
    --------
    >>> from rdflib import Graph
    >>> validate_graph_wide(Graph()).conforms
    True
    """
    _lang(lang)
    model = _model_for(shapes)
    inp = _split(data, reference)
    return ValidationReport(_graph_wide(model, inp, engine), lang=lang)

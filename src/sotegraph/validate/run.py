"""Running a validation: the entry points and how raw findings become a report.

:func:`validate` (a graph or a dataset: document shapes per document, then graph shapes
once on the union), :func:`validate_document` (one document, at ingest time) and
:func:`validate_graph_wide` (only the graph shapes); :func:`_run` picks the engine for each
shape and adds the Python checks, :func:`_results` adds source documents and labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum
from typing import Literal as TypingLiteral

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF
from rdflib.term import Node

from sotegraph.errors import UsageError
from sotegraph.validate.checks import _python_results
from sotegraph.validate.core import _Engine, _Raw, _View
from sotegraph.validate.index import _Index
from sotegraph.validate.inputs import _Input, _split
from sotegraph.validate.pyshacl import _pyshacl_results
from sotegraph.validate.report import (
    _SEVERITY_ORDER,
    SourceDocument,
    ValidationReport,
    ValidationResult,
    _lang,
)
from sotegraph.validate.shapes import _Shape, _ShapeModel, _shipped_model
from sotegraph.vocab import SG


class Engine(StrEnum):
    """Which engine evaluates the shapes (the plain strings work too: they compare equal).

    >>> Engine("pyshacl") is Engine.PYSHACL, Engine.CORE == "core"
    (True, True)
    """

    AUTO = "auto"
    """The Core engine, and pyshacl for the shapes it does not implement."""
    CORE = "core"
    """The Core engine only: shapes it does not implement are an error."""
    PYSHACL = "pyshacl"
    """Everything through pyshacl (slow; the reference implementation)."""


EngineName = TypingLiteral["auto", "core", "pyshacl"]
"""The engine names as plain strings, as callers may pass them."""


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
    engine: Engine | EngineName,
    provenance: Graph,
    index: _Index,
    reference_subjects: set[Node] | None = None,
) -> list[ValidationResult]:
    roots = _scoped_roots(model, scope)
    view = _View(data, context, index, reference_subjects)
    raws: list[tuple[_Raw, str | None]] = []
    if engine == Engine.PYSHACL:
        slow = roots
    else:
        slow = [s for s in roots if not model.supported(s)]
        if slow and engine == Engine.CORE:
            raise UsageError(
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
    ident = None if isinstance(data, Dataset) else data.identifier  # a document's own graph
    fallback = [ident] if ident in docs else docs[:1] if len(docs) == 1 else []
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
    engine: Engine | EngineName = Engine.AUTO,
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
        An :class:`Engine` or its name: ``"auto"`` (the Core engine, pyshacl for shapes it
        does not implement), ``"core"`` (fail on such shapes) or ``"pyshacl"`` (everything
        through pyshacl; slow).

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
    try:
        engine = Engine(engine)
    except ValueError:
        raise UsageError(f"unknown engine {engine!r}; valid: auto, core, pyshacl") from None
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
    return report.sort()


def _graph_wide(
    model: _ShapeModel, inp: _Input, engine: Engine | EngineName
) -> list[ValidationResult]:
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
    engine: Engine | EngineName = Engine.AUTO,
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
    engine: Engine | EngineName = Engine.AUTO,
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

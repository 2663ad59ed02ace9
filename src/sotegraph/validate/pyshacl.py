"""The pyshacl adapter: shapes the Core engine does not implement, and the reference engine.

:func:`_pyshacl_results` runs the chosen shapes of a :class:`_ShapeModel` through pyshacl
on a copy of the data (plus what it points at in the reference graphs) and reads pyshacl's
report back into :class:`_Raw` results.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from sotegraph.validate.core import _Raw
from sotegraph.validate.shapes import _read_path, _Shape, _ShapeModel


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

"""The shapes: the shipped ``ontology/shapes.ttl`` and the shape model read from a graph.

:func:`shapes_graph` copies the shipped shapes; :class:`_ShapeModel` reads a shapes graph
once into :class:`_Shape` objects (targets, Core constraints, property shapes, paths,
severity, messages in Finnish and English, ``sgsh:scope`` and ``sgsh:implementedIn``) and
tells which shapes the Core engine implements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from sotegraph.facts import Severity
from sotegraph.validate.report import _SEVERITY, SGSH, Path

_SCOPE = URIRef(SGSH + "scope")
_IMPLEMENTED_IN = URIRef(SGSH + "implementedIn")
_RESULT_PATH = URIRef(SGSH + "resultPath")


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


class _UnsupportedError(Exception):
    """A shape uses a feature the Core engine does not implement (pyshacl runs it)."""


@dataclass(slots=True)
class _Shape:
    """One node or property shape, its constraints and property shapes read into objects."""

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

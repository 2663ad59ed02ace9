"""The Core engine: SHACL Core constraints evaluated directly on the rdflib graphs.

:class:`_View` looks values, types and focus nodes up in a document graph (through its
index) and the reference graphs; :class:`_Engine` evaluates a shape's constraints on focus
nodes and yields :class:`_Raw` results. Also the comparison, datatype and node-kind helpers
the constraints use (an ``xsd:gYear`` compares with a date by its year).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from sotegraph.validate.index import _Index
from sotegraph.validate.report import Path
from sotegraph.validate.shapes import _Shape, _UnsupportedError


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
    """One finding as an engine reports it, before sources and labels are added."""

    shape: _Shape
    focus: Node
    path: Path | None
    value: Node | None
    component: URIRef | None


def _year(v: Node) -> int | None:
    """The year of a date or a ``gYear`` literal (a date may be known only to the year)."""
    if not isinstance(v, Literal):
        return None
    py = v.toPython()
    if isinstance(py, dt.date):
        return py.year
    m = re.match(r"^-?(\d{4})", str(v))
    return int(m.group(1)) if m else None


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
#: the values of a constraint's results on one focus node (``None``: a result without one)
_Hits = Sequence[Node | None]
_Handler = Callable[[_Shape, Any, Node, list[Node]], _Hits]
_NO_VALUE: tuple[None] = (None,)

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


class _Engine:
    """Evaluates the Core constraints of a shape on focus nodes (yields raw results)."""

    def __init__(self, view: _View) -> None:
        self.view = view
        self._compiled: dict[int, list[tuple[_Handler | None, URIRef | None, Any]]] = {}
        self._keep: list[_Shape] = []
        # whether a node conforms to a shape depends on the two alone (the view is fixed for
        # the engine's life): the same area or concept is checked once, not once per focus
        self._conforming: dict[tuple[int, Node], bool] = {}
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
        key = (id(shape), node)
        known = self._conforming.get(key)
        if known is None:
            known = not any(True for _ in self.check(shape, (node,), stop_first=True))
            self._conforming[key] = known  # check() compiled the shape: its id stays unique
        return known

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
        path = shape.path
        values_of = self.view.values
        properties = [prop for prop in shape.properties if not prop.deactivated]
        for f in focus:
            values = values_of(f, path) if path is not None else [f]
            for handler, component, param in compiled:
                if handler is None:
                    sub, qmin, qmax = param
                    n = sum(1 for v in values if self.conforms(sub, v))
                    found = []
                    if qmin is not None and n < qmin:
                        found.append(_Raw(shape, f, path, None, _QMIN))
                    if qmax is not None and n > qmax:
                        found.append(_Raw(shape, f, path, None, _QMAX))
                    for raw in found:
                        yield raw
                        if stop_first:
                            return
                    continue
                hits = handler(shape, param, f, values)
                if hits:
                    for value in hits:
                        yield _Raw(shape, f, path, value, component)
                        if stop_first:
                            return
            # each property shape on all the values, in their order (as one call per value)
            for prop in properties:
                for raw in self.check(prop, values, stop_first=stop_first):
                    yield raw
                    if stop_first:
                        return

    # each handler returns the value of every result (None for a result without a value);
    # most calls find nothing: an empty tuple or list costs less than a generator

    def _min_count(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return _NO_VALUE if len(values) < param else ()

    def _max_count(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return _NO_VALUE if len(values) > param else ()

    def _class(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        is_instance = self.view.is_instance
        return [v for v in values if not is_instance(v, param)]

    def _datatype(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if not _datatype_ok(v, param)]

    def _node_kind(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        test = _NODE_KINDS[param]
        return [v for v in values if not test(v)]

    def _pattern(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if isinstance(v, BNode) or not param.search(str(v))]

    def _min_length(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if isinstance(v, BNode) or len(str(v)) < param]

    def _max_length(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if isinstance(v, BNode) or len(str(v)) > param]

    def _language_in(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        out: list[Node | None] = []
        for v in values:
            lang = v.language if isinstance(v, Literal) else None
            if not lang or not any(_lang_match(lang, str(x)) for x in param):
                out.append(v)
        return out

    def _in(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if v not in param]

    def _has_value(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return _NO_VALUE if param not in values else ()

    @staticmethod
    def _range(ok: Callable[[int], bool]) -> _Handler:
        def handler(shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
            out: list[Node | None] = []
            for v in values:
                c = _compare(v, param)
                if c is None or not ok(c):
                    out.append(v)
            return out

        return handler

    def _pair(self, ok: Callable[[int], bool]) -> _Handler:
        def handler(shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
            others = self.view.objects(f, param)
            out: list[Node | None] = []
            for v in values:
                for o in others:
                    c = _compare(v, o)
                    if c is None or not ok(c):
                        out.append(v)
            return out

        return handler

    def _equals(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        other_set = set(self.view.objects(f, param))
        value_set = set(values)
        return list((value_set - other_set) | (other_set - value_set))

    def _disjoint(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        other_set = set(self.view.objects(f, param))
        return [v for v in values if v in other_set]

    def _or(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if not any(self.conforms(s, v) for s in param)]

    def _and(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if not all(self.conforms(s, v) for s in param)]

    def _not(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if self.conforms(param, v)]

    def _node(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if not self.conforms(param, v)]


def _lang_match(lang: str, wanted: str) -> bool:
    lang, wanted = lang.lower(), wanted.lower()
    return wanted == "*" or lang == wanted or lang.startswith(wanted + "-")

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
        # a class's instances as found so far (node -> bool), one table per class
        self._instances: dict[Node, dict[Node, bool]] = {}
        # the document index's own term objects: a look-up with the identical object is
        # answered without rdflib's (Python) __eq__
        self._canonical: dict[Node, Node] | None = None
        #: the index's subject -> predicate -> objects table when it is a plain document
        #: index (values are read from it directly), else None
        self.spo = index.spo if type(index) is _Index else None

    def canonical(self, term: Node) -> Node:
        """The index's own object for ``term`` (a predicate or a class), else ``term``."""
        canon = self._canonical
        if canon is None:
            canon = self._canonical = {}
            if self.spo is not None and self.index is not None:
                for p in self.index.by_predicate:
                    canon[p] = p
                for cls in self.index.by_type:
                    canon.setdefault(cls, cls)
        return canon.get(term, term)

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
            found = set(self.objects(node, _RDF_TYPE))
            if node in self.in_reference:
                for g in self.reference:
                    found.update(g.objects(node, _RDF_TYPE))
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
                    for sup in g.objects(c, _SUBCLASS_OF):
                        if sup not in found:
                            found.add(sup)
                            todo.append(sup)
            self._supers[cls] = found
        return found

    def instances_of(self, cls: Node) -> dict[Node, bool]:
        """Whether each node looked at so far is an instance of ``cls`` (filled by
        :meth:`is_instance`)."""
        known = self._instances.get(cls)
        if known is None:
            known = self._instances[cls] = {}
        return known

    def is_instance(self, node: Node, cls: Node) -> bool:
        known = self._instances.get(cls)
        if known is None:
            known = self._instances[cls] = {}
        found = known.get(node)
        if found is None:
            found = known[node] = any(cls in self.superclasses(t) for t in self.types(node))
        return found

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


_str_eq = str.__eq__
_RDF_TYPE = RDF.type
_SUBCLASS_OF = RDFS.subClassOf
_GYEAR = XSD.gYear
_DATE = XSD.date
_LANG_STRING = RDF.langString
_XSD_STRING = XSD.string


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

    >>> from rdflib import Literal, XSD
    >>> _compare(Literal("2016", datatype=XSD.gYear), Literal("2016-05-01", datatype=XSD.date))
    0
    >>> _compare(Literal("1.5", datatype=XSD.decimal), Literal(2)), _compare(Literal(0.1), Literal("0.1", datatype=XSD.decimal))
    (-1, 0)
    >>> _compare(Literal("a"), Literal(1)) is None
    True
    """
    if not isinstance(a, Literal) or not isinstance(b, Literal):
        return None
    # rdflib's datatype and toPython() read from the slots (no Python calls)
    da, db = a._datatype, b._datatype
    # the datatypes are URIRefs: compared as strings, without rdflib's Python __eq__
    if (da is not None and _str_eq(da, _GYEAR)) or (db is not None and _str_eq(db, _GYEAR)):
        ya, yb = _year(a), _year(b)
        if ya is None or yb is None or not ({da, db} <= {_GYEAR, _DATE}):
            return None
        return (ya > yb) - (ya < yb)
    va, vb = a._value, b._value
    if va is None:
        va = a
    if vb is None:
        vb = b
    ta, tb = type(va), type(vb)
    if ta is bool or tb is bool:
        return None
    if (ta is int or ta is Decimal) and (tb is int or tb is Decimal):
        # exact either way: an int or a Decimal is the Decimal of its str()
        return (va > vb) - (va < vb)
    numeric = (int, float, Decimal)
    if isinstance(va, numeric) and isinstance(vb, numeric):
        fa, fb = Decimal(str(va)), Decimal(str(vb))
        return (fa > fb) - (fa < fb)
    if ta is tb and isinstance(va, (str, dt.date, dt.datetime)):
        if isinstance(va, dt.datetime) != isinstance(vb, dt.datetime):
            return None
        return (va > vb) - (va < vb)
    return None


def _datatype_ok(v: Node, datatype: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    dtype = v.datatype
    if dtype is None:
        dtype = _LANG_STRING if v.language else _XSD_STRING
    # rdflib's Identifier.__eq__ (same type, same string), without its Python call
    if dtype is not datatype and (
        type(dtype) is not type(datatype) or not _str_eq(dtype, datatype)
    ):
        return False
    return not v.ill_typed


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


#: constraints that find nothing on no values (their handlers loop over the values): a
#: focus node without values skips them
_EMPTY_SAFE = frozenset(
    _S[name]
    for name in [
        "class",
        "datatype",
        "nodeKind",
        "pattern",
        "minLength",
        "maxLength",
        "languageIn",
        "in",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "lessThanOrEquals",
        "lessThan",
        "disjoint",
        "or",
        "and",
        "not",
        "node",
    ]
)
#: (how, handler, component, parameter): ``how`` one of the _OP_ codes, which
#: :meth:`_Engine._eval` runs inline (no handler call), else _OP_CALL (the handler)
_Compiled = list[tuple[int, _Handler | None, URIRef | None, Any]]
_OP_CALL, _OP_QUALIFIED, _OP_MIN_COUNT, _OP_MAX_COUNT, _OP_CLASS, _OP_DATATYPE = range(6)
_OP_MIN_INCLUSIVE, _OP_MAX_INCLUSIVE = 6, 7
_INLINE = {
    _S["minCount"]: _OP_MIN_COUNT,
    _S["maxCount"]: _OP_MAX_COUNT,
    _S["class"]: _OP_CLASS,
    _S["datatype"]: _OP_DATATYPE,
    _S["minInclusive"]: _OP_MIN_INCLUSIVE,
    _S["maxInclusive"]: _OP_MAX_INCLUSIVE,
}
_NOTHING: dict[Node, Any] = {}


@dataclass(slots=True)
class _Plan:
    """A shape made ready to evaluate: its constraints as handlers, its property shapes."""

    shape: _Shape
    #: the shape's path, and the index's own object for it when it is one IRI read
    #: straight from the index's table ``spo`` (else ``spo`` is None)
    path: Path | None
    key: Node | None
    spo: dict[Node, dict[Node, Any]] | None
    #: (handler, component, parameter); handler None: a qualified value shape
    compiled: _Compiled
    #: the constraints that may find something on a focus node without values
    on_empty: _Compiled
    properties: list[_Plan]
    #: whether a node conforms to the shape
    conforming: dict[Node, bool]
    #: True when the shape finds nothing on a focus node without values (``spo`` is set
    #: and ``on_empty`` is empty): such a node need not be evaluated
    sparse: bool = False


class _Engine:
    """Evaluates the Core constraints of a shape on focus nodes (yields raw results)."""

    def __init__(self, view: _View) -> None:
        self.view = view
        self._plans: dict[int, _Plan] = {}
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
        # whether a node conforms to a shape depends on the two alone (the view is fixed for
        # the engine's life): the same area or concept is checked once, not once per focus
        plan = self._plans.get(id(shape))
        if plan is None:
            plan = self._plan(shape)
        known = plan.conforming.get(node)
        if known is None:
            found: list[_Raw] = []
            self._eval(plan, (node,), found, True)
            known = plan.conforming[node] = not found
        return known

    def _plan(self, shape: _Shape) -> _Plan:
        """The shape's plan, made once (shapes are known by id: they are kept alive)."""
        plan = self._plans.get(id(shape))
        if plan is not None:
            return plan
        compiled: _Compiled = []
        on_empty: _Compiled = []
        for p, param in shape.constraints:
            if p == _S["qualifiedValueShape"]:
                entry: tuple[int, _Handler | None, URIRef | None, Any] = (
                    _OP_QUALIFIED,
                    None,
                    None,
                    param,
                )
            else:
                handler, component = self.handlers[p]
                if p == _S["class"] or p in (_S["lessThanOrEquals"], _S["lessThan"]):
                    param = self.view.canonical(param)  # looked up in the index
                elif p == _S["in"]:
                    param = frozenset(param)  # the same members, found by hash
                how = _INLINE.get(p, _OP_CALL)
                if how == _OP_CLASS:
                    # the class and its members found so far (shared with is_instance)
                    entry = (how, handler, component, (param, self.view.instances_of(param)))
                else:
                    entry = (how, handler, component, param)
            compiled.append(entry)
            safe = p in _EMPTY_SAFE or (p == _S["maxCount"] and param >= 0)
            if not safe:
                on_empty.append(entry)
        path = shape.path
        spo = self.view.spo if isinstance(path, URIRef) else None
        key = self.view.canonical(path) if spo is not None else None  # type: ignore[arg-type]
        plan = _Plan(shape, path, key, spo, compiled, on_empty, [], {})
        plan.sparse = spo is not None and not on_empty
        self._plans[id(shape)] = plan
        self._keep.append(shape)  # ids stay unique while the engine lives
        # after the plan is known: a shape among its own property shapes ends here
        plan.properties = [self._plan(prop) for prop in shape.properties if not prop.deactivated]
        return plan

    def check(
        self, shape: _Shape, focus: Iterable[Node], *, stop_first: bool = False
    ) -> Iterator[_Raw]:
        """The results of ``shape`` on each focus node, in order (only the first one with
        ``stop_first``)."""
        out: list[_Raw] = []
        self._eval(self._plan(shape), focus, out, stop_first)
        return iter(out)

    def _eval(self, plan: _Plan, focus: Iterable[Node], out: list[_Raw], stop_first: bool) -> None:
        """Append the results of ``plan`` on ``focus`` to ``out`` (with ``stop_first``, ``out``
        starts empty and the first result ends the evaluation)."""
        shape = plan.shape
        path = plan.path
        spo = plan.spo
        key = plan.key
        is_instance = self.view.is_instance
        for f in focus:
            if spo is not None:
                po = spo.get(f)
                values = list(po.get(key, ())) if po is not None else []  # type: ignore[arg-type]
            elif path is None:
                values = [f]
            else:
                values = self.view.values(f, path)
            for how, handler, component, param in plan.compiled if values else plan.on_empty:
                # the common constraints inline; each finds the value of every result
                # (None: a result without one), most find nothing
                hits: _Hits | None = None
                if how == _OP_CALL:
                    hits = handler(shape, param, f, values)  # type: ignore[misc]
                elif how == _OP_CLASS:
                    cls, known = param
                    for v in values:
                        ok = known.get(v)
                        if ok is None:
                            ok = is_instance(v, cls)
                        if not ok:
                            if hits is None:
                                hits = []
                            hits.append(v)  # type: ignore[attr-defined]
                elif how == _OP_DATATYPE:
                    for v in values:
                        if not _datatype_ok(v, param):
                            if hits is None:
                                hits = []
                            hits.append(v)  # type: ignore[attr-defined]
                elif how == _OP_MIN_COUNT:
                    if len(values) < param:
                        hits = _NO_VALUE
                elif how == _OP_MAX_COUNT:
                    if len(values) > param:
                        hits = _NO_VALUE
                elif how in (_OP_MIN_INCLUSIVE, _OP_MAX_INCLUSIVE):
                    for v in values:
                        c = _compare(v, param)
                        if c is None or (c < 0 if how == _OP_MIN_INCLUSIVE else c > 0):
                            if hits is None:
                                hits = []
                            hits.append(v)  # type: ignore[attr-defined]
                else:  # _OP_QUALIFIED
                    sub, qmin, qmax = param
                    n = 0
                    for v in values:
                        if self.conforms(sub, v):
                            n += 1
                    if qmin is not None and n < qmin:
                        out.append(_Raw(shape, f, path, None, _QMIN))
                        if stop_first:
                            return
                    if qmax is not None and n > qmax:
                        out.append(_Raw(shape, f, path, None, _QMAX))
                        if stop_first:
                            return
                    continue
                if hits:
                    for value in hits:
                        out.append(_Raw(shape, f, path, value, component))
                        if stop_first:
                            return
            if not values or not plan.properties:
                continue
            # each property shape on all the values, in their order (as one call per value)
            if len(values) == 1:
                # one value (a node shape's focus): a property shape that finds nothing
                # without values is skipped when the node has none
                po = None
                for prop in plan.properties:
                    if prop.sparse:
                        if po is None:
                            po = prop.spo.get(values[0], _NOTHING)  # type: ignore[union-attr]
                        if prop.key not in po:
                            continue
                    self._eval(prop, values, out, stop_first)
                    if stop_first and out:
                        return
                continue
            for prop in plan.properties:
                self._eval(prop, values, out, stop_first)
                if stop_first and out:
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
        conforms = self.conforms
        out: list[Node | None] = []
        for v in values:
            for s in param:
                if conforms(s, v):
                    break
            else:
                out.append(v)
        return out

    def _and(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if not all(self.conforms(s, v) for s in param)]

    def _not(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if self.conforms(param, v)]

    def _node(self, shape: _Shape, param: Any, f: Node, values: list[Node]) -> _Hits:
        return [v for v in values if not self.conforms(param, v)]


def _lang_match(lang: str, wanted: str) -> bool:
    lang, wanted = lang.lower(), wanted.lower()
    return wanted == "*" or lang == wanted or lang.startswith(wanted + "-")

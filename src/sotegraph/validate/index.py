"""Triple indexes the validator reads instead of asking rdflib.

:class:`_Index` (one document graph's subjects by class and by predicate),
:class:`_UnionIndex` (several of them seen as one, without copying) and
:class:`IndexedGraph`, a read-only rdflib graph over such an index; plus
:func:`rdflib_triples`, which turns pyoxigraph triples into rdflib ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.paths import Path as RdfPath
from rdflib.term import Node

from sotegraph._gc import no_cycle_collection
from sotegraph.errors import UsageError

#: the objects of one subject and predicate in ``_Index.spo``: a 1-tuple while there is one
#: (most: no dictionary, no rdflib hash of a literal), then a dict used as an ordered set
_Objects = Any


class _Index:
    """Subjects of one document graph by class and by predicate, built in one pass.

    rdflib's memory store answers ``(None, p, o)`` patterns on one named graph of a dataset by
    scanning every graph's matches; this index keeps per-document focus-node lookups linear.
    ``spo[s][p]`` holds the objects (:data:`_Objects`: iterate them or ask ``in``).
    """

    __slots__ = ("_by_type", "_keys", "by_predicate", "spo", "subjects")

    def __init__(self, graph: Graph | None = None) -> None:
        self._by_type: dict[Node, list[Node]] | None = None
        self._keys: dict[Node, Node] | None = None
        self.by_predicate: dict[Node, dict[Node, None]] = {}
        self.spo: dict[Node, dict[Node, _Objects]] = {}
        self.subjects: set[Node] = self.spo.keys()  # type: ignore[assignment]
        if graph is not None:
            self.add(graph)

    def add(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Index more triples.

        Triples that carry ``ntriples_terms`` (N-Triples triples and a term converter, as
        :meth:`sotegraph.rdf.Emitted.rdflib_triples` gives them) are converted here, each
        distinct term once, in the same pass.
        """
        self._by_type = self._keys = None
        with no_cycle_collection():  # dictionaries of terms: no cycles to look for
            ntriples = getattr(triples, "ntriples_terms", None)
            if ntriples is not None:
                self._add_ntriples(*ntriples)
                return
            spo, by_predicate = self.spo, self.by_predicate
            for s, p, o in triples:
                po = spo.get(s)
                if po is None:
                    po = spo[s] = {}
                objects = po.get(p)
                if objects is None:
                    po[p] = (o,)
                    by_predicate.setdefault(p, {})[s] = None
                elif type(objects) is tuple:
                    po[p] = dict.fromkeys((objects[0], o))
                else:
                    objects[o] = None

    def _add_ntriples(
        self, lines: Iterable[tuple[str, str, str]], convert: Callable[[str], Node]
    ) -> None:
        """Index triples of N-Triples terms (the same index as :meth:`add` of the converted
        triples; a subject's triples come mostly one after another)."""
        spo, by_predicate = self.spo, self.by_predicate
        terms: dict[str, Node] = {}
        last: str | None = None
        ts: Node | None = None
        po: dict[Node, _Objects] = {}
        for s, p, o in lines:
            if s != last:
                ts = terms.get(s)
                if ts is None:
                    ts = terms[s] = convert(s)
                found = spo.get(ts)
                if found is None:
                    found = spo[ts] = {}
                po = found
                last = s
            tp = terms.get(p)
            if tp is None:
                tp = terms[p] = convert(p)
            to = terms.get(o)
            if to is None:
                to = terms[o] = convert(o)
            objects = po.get(tp)
            if objects is None:
                po[tp] = (to,)
                subjects = by_predicate.get(tp)
                if subjects is None:
                    subjects = by_predicate[tp] = {}
                subjects[ts] = None  # type: ignore[index]
            elif type(objects) is tuple:
                po[tp] = dict.fromkeys((objects[0], to))
            else:
                objects[to] = None

    @property
    def by_type(self) -> dict[Node, list[Node]]:
        """Subjects by their ``rdf:type``."""
        if self._by_type is None:
            by_type: dict[Node, list[Node]] = {}
            rdf_type = self.predicate_key(RDF.type)
            for s in self.by_predicate.get(rdf_type, {}):
                for o in self.spo[s][rdf_type]:
                    by_type.setdefault(o, []).append(s)
            self._by_type = by_type
        return self._by_type

    def predicate_key(self, p: Node) -> Node:
        """The index's own object for the predicate ``p`` (else ``p``): a look-up with it
        is answered without rdflib's (Python) ``__eq__``."""
        keys = self._keys
        if keys is None:
            keys = self._keys = {k: k for k in self.by_predicate}
        return keys.get(p, p)

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
            out.update(dict.fromkeys(index.spo[s].get(p, ())))
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
    sotegraph.errors.UsageError: an IndexedGraph is read-only
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

        Lines too long for Oxigraph's parser (a literal over 16 MiB) are parsed by
        :func:`sotegraph.rdf.parse_ntriples`, so a huge document validates like any other.

        Raises
        ------
        SyntaxError
            If ``data`` is not valid N-Triples.
        """
        from sotegraph.rdf import parse_ntriples

        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return cls(rdflib_triples(parse_ntriples(text)), identifier=identifier)

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
            # each subject that has p: its objects read by the index's own key for p
            key = self.index.predicate_key(p)
            for s2 in self.index.with_predicate(key):
                objects = spo[s2][key]
                if o is None:
                    for o2 in objects:
                        yield s2, p, o2
                elif o in objects:
                    yield s2, p, o
            return
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
                items: Iterable[tuple[Node, _Objects]] = po.items()
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
        raise UsageError("an IndexedGraph is read-only")

    def addN(self, quads: Any) -> IndexedGraph:
        raise UsageError("an IndexedGraph is read-only")

    def remove(self, triple: Any) -> IndexedGraph:
        raise UsageError("an IndexedGraph is read-only")


def rdflib_triples(triples: Iterable[Any]) -> Iterator[tuple[Node, Node, Node]]:
    """pyoxigraph triples or quads as rdflib term triples (each distinct term converted once)."""
    from sotegraph.terms import rdflib_converter

    conv = rdflib_converter()
    for t in triples:
        yield conv(t.subject), conv(t.predicate), conv(t.object)

"""What :func:`~sotegraph.validate.validate` is given, split into what it checks.

A graph is one document; a dataset's named graphs are documents, except those named
``sgid:graph/...``, which are reference data (context, never validated). The shipped
reference graphs fill in for those the data does not carry.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, Graph
from rdflib.term import Node

from sotegraph.errors import UsageError
from sotegraph.validate.index import IndexedGraph, _Index, _UnionIndex
from sotegraph.validate.references import _default_references, _shipped_subjects
from sotegraph.validate.report import _SGID

_REFERENCE_PREFIX = _SGID + "graph/"


@dataclass(slots=True)
class _Input:
    """What to validate: each document graph with its index, their union and the context."""

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
        raise UsageError(f"data must be an rdflib Graph or Dataset, not {type(data).__name__}")
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

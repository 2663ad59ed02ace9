"""Incidence matrices: which project has which partner, place, theme or group.

SPARQL selects the *incidence pairs* (project → item) from the store
(:meth:`~sotegraph.store.Store.select_iri_pairs`); :class:`Incidence` holds them as a 0/1
sparse matrix and :func:`count_overlap` counts what pairs of rows share, the upper triangle
of ``M Mᵀ`` (DESIGN.md: "counting is matrix work").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Protocol, TypeAlias

import numpy as np
import scipy.sparse as sp

from sotegraph.errors import SotegraphError
from sotegraph.network._selects import PARTNERS_SPARQL, SG, OverlapBy
from sotegraph.store import Store
from sotegraph.store.base import IriPairs

__all__ = [
    "HasStore",
    "Incidence",
    "OverlapBy",
    "StoreSource",
    "count_overlap",
    "incidence",
]


# the SPARQL that selects each kind of incidence pair, the same patterns as queries/overlap_*.rq
# (no DISTINCT: duplicates from several named graphs are merged when the matrix is built; the
# domain of sg:participant is sg:Project, and load_network_data keeps only typed projects' rows)
_INCIDENCE_SPARQL: dict[OverlapBy, str] = {
    OverlapBy.PARTNERS: PARTNERS_SPARQL,
    OverlapBy.PLACES: f"""SELECT ?project ?item WHERE {{
        ?project a <{SG}Project> ; <{SG}targetArea>/<{SG}inRegion>? ?item }}""",
    OverlapBy.THEMES: f"""SELECT ?project ?item WHERE {{
        ?project a <{SG}Project> ; <{SG}theme> ?item }}""",
    OverlapBy.GROUPS: f"""SELECT ?project ?item WHERE {{
        ?project a <{SG}Project> .
        {{ ?project <{SG}memberOf> ?item }} UNION {{ ?item <{SG}gathers> ?project }} }}""",
}
_COUNTED = (OverlapBy.PARTNERS, OverlapBy.PLACES, OverlapBy.THEMES, OverlapBy.GROUPS)


def _by(by: OverlapBy | str) -> OverlapBy:
    try:
        return OverlapBy(str(by).strip().lower())
    except ValueError:
        valid = ", ".join(b.value for b in OverlapBy)
        raise SotegraphError(f"cannot overlap by {by!r}; valid: {valid}") from None


@dataclass(frozen=True, slots=True)
class Incidence:
    """A 0/1 sparse matrix: which project (row) has which item (column).

    Attributes
    ----------
    rows, cols:
        The project IRIs and the item IRIs, in matrix order.
    matrix:
        ``scipy.sparse.csr_matrix`` of shape ``(len(rows), len(cols))``, dtype ``int32``.
    """

    rows: list[str]
    cols: list[str]
    matrix: sp.csr_matrix
    index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.index:
            self.index.update((r, i) for i, r in enumerate(self.rows))

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, str]], *, rows: Sequence[str] | None = None
    ) -> Incidence:
        """Build the matrix from ``(project, item)`` pairs (duplicates count once).

        Parameters
        ----------
        pairs:
            The incidence pairs.
        rows:
            Fix the row order (projects without items get empty rows); by default the
            projects seen in ``pairs``, sorted.

        Examples
        --------
        >>> inc = Incidence.from_pairs([("p1", "a"), ("p2", "a"), ("p1", "a")])
        >>> inc.matrix.toarray().tolist()
        [[1], [1]]
        """
        listed = list(pairs)
        ps: Sequence[str] = ()
        items: Sequence[str] = ()
        if listed:
            ps, items = zip(*listed, strict=True)
        return cls.from_columns(ps, items, rows=rows)

    @classmethod
    def from_columns(
        cls, ps: Sequence[str], items: Sequence[str], *, rows: Sequence[str] | None = None
    ) -> Incidence:
        """Like :meth:`from_pairs`, from two equally long columns (projects, items)."""
        if len(ps) != len(items):
            raise SotegraphError("incidence columns differ in length")
        row_seen, r = _factorize(ps)
        col_seen, c = _factorize(items)
        return cls._from_codes(row_seen, r, col_seen, c, rows=rows)

    @classmethod
    def from_iri_pairs(cls, pairs: IriPairs, *, rows: Sequence[str] | None = None) -> Incidence:
        """Like :meth:`from_pairs`, from a select's factorised pairs (projects on the left).

        Examples
        --------
        >>> from sotegraph.store.base import IriPairs
        >>> inc = Incidence.from_iri_pairs(IriPairs.from_pairs([("p2", "a"), ("p1", "b")]))
        >>> inc.rows, inc.cols, inc.matrix.toarray().tolist()
        (['p1', 'p2'], ['a', 'b'], [[0, 1], [1, 0]])
        """
        return cls._from_codes(
            pairs.left,
            np.array(pairs.left_codes, dtype=np.int64),
            pairs.right,
            np.array(pairs.right_codes, dtype=np.int64),
            rows=rows,
        )

    def take_rows(self, rows: Sequence[str]) -> Incidence:
        """The matrix of some of the rows (in the given order); items no kept row has drop out.

        Raises
        ------
        SotegraphError
            If a row is not in the matrix.

        Examples
        --------
        >>> inc = Incidence.from_pairs([("p1", "a"), ("p2", "a"), ("p2", "b")])
        >>> small = inc.take_rows(["p1"])
        >>> small.rows, small.cols, small.matrix.toarray().tolist()
        (['p1'], ['a'], [[1]])
        """
        try:
            idx = np.array([self.index[r] for r in rows], dtype=np.int64)
        except KeyError as exc:
            raise SotegraphError(f"no row {exc.args[0]!r} in the incidence") from None
        m = sp.csr_matrix(self.matrix[idx]) if len(idx) else sp.csr_matrix((0, len(self.cols)))
        used = np.flatnonzero(m.getnnz(axis=0) > 0)
        m = sp.csr_matrix(m[:, used], dtype=np.int32)
        return Incidence(list(rows), [self.cols[c] for c in used.tolist()], m)

    @classmethod
    def _from_codes(
        cls,
        row_seen: list[str],
        r: np.ndarray,
        col_seen: list[str],
        c: np.ndarray,
        *,
        rows: Sequence[str] | None = None,
    ) -> Incidence:
        """The matrix from factorised columns: ``row_seen[r[k]]`` has ``col_seen[c[k]]``.

        ``row_seen`` and ``col_seen`` are distinct values in any order; the matrix has its
        rows in ``rows`` order (or sorted) and its columns sorted.
        """
        if rows is not None:
            row_names = list(rows)
            rindex = {name: i for i, name in enumerate(row_names)}
            rank = np.fromiter(
                map(rindex.get, row_seen, repeat(-1)), dtype=np.int64, count=len(row_seen)
            )
        else:
            row_names, rank, rindex = _sorted_ranks(row_seen)
        r = rank[r]
        if (r < 0).any():  # pairs of subjects outside the given rows are left out
            keep = r >= 0
            r, c = r[keep], c[keep]
            used = np.zeros(len(col_seen), dtype=bool)
            used[c] = True
            if not used.all():  # and items only they had
                col_seen = [name for name, u in zip(col_seen, used.tolist(), strict=True) if u]
                c = (np.cumsum(used) - 1)[c]
        col_names, crank = _sorted_order(col_seen)
        c = crank[c]
        m = sp.csr_matrix(
            (np.ones(len(r), dtype=np.int32), (r, c)), shape=(len(row_names), len(col_names))
        )
        m.sum_duplicates()
        m.data[:] = 1
        return cls(row_names, col_names, m, rindex)


def _factorize(values: Iterable[str]) -> tuple[list[str], np.ndarray]:
    """The distinct values in first-seen order, and each value's position among them."""
    seen: dict[str, int] = {}
    codes = [seen.setdefault(v, len(seen)) for v in values]
    return list(seen), np.array(codes, dtype=np.int64)


def _sorted_ranks(distinct: list[str]) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """``distinct`` sorted, where each of its entries went, and each name's position."""
    names = sorted(distinct)
    position = {name: i for i, name in enumerate(names)}
    if names == distinct:
        return names, np.arange(len(names), dtype=np.int64), position
    ranks = np.fromiter(map(position.__getitem__, distinct), np.int64, len(distinct))
    return names, ranks, position


def _sorted_order(distinct: list[str]) -> tuple[list[str], np.ndarray]:
    """Like :func:`_sorted_ranks` without the positions (cheaper when they are not needed)."""
    order = sorted(range(len(distinct)), key=distinct.__getitem__)
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order), dtype=np.int64)
    return [distinct[i] for i in order], ranks


def count_overlap(matrix: sp.spmatrix) -> tuple[sp.coo_matrix, np.ndarray]:
    """Count shared items between every pair of rows: the upper triangle of ``M Mᵀ``.

    Parameters
    ----------
    matrix:
        A 0/1 incidence matrix (rows = projects).

    Returns
    -------
    shared:
        COO matrix of the pairs ``i < j`` with at least one shared item (value = count).
    sizes:
        Number of items per row.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> shared, sizes = count_overlap(sp.csr_matrix([[1, 1, 0], [1, 1, 1], [0, 0, 1]]))
    >>> sorted(zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist()))
    [(0, 1, 2), (1, 2, 1)]
    >>> sizes.tolist()
    [2, 3, 1]
    """
    m = matrix if isinstance(matrix, sp.csr_matrix) else sp.csr_matrix(matrix)
    if m.dtype != np.int32:
        m = m.astype(np.int32)
    product = sp.csr_matrix(m @ m.T)
    # the strict upper triangle straight from the CSR arrays (cheaper than sp.triu)
    rows = np.repeat(np.arange(product.shape[0], dtype=np.int32), np.diff(product.indptr))
    keep = product.indices > rows
    shared = sp.coo_matrix(
        (product.data[keep], (rows[keep], product.indices[keep])), shape=product.shape
    )
    if m.has_canonical_format and (m.data == 1).all():
        sizes = np.diff(m.indptr)  # a canonical 0/1 matrix: stored entries are the items
    else:
        sizes = np.asarray(m.sum(axis=1)).ravel()
    return shared, sizes


class HasStore(Protocol):
    """Anything that holds a store in its ``store`` attribute (e.g. a ``KnowledgeGraph``)."""

    @property
    def store(self) -> Store: ...


StoreSource: TypeAlias = Store | HasStore
"""What the network functions read from: a store, or an object holding one."""


def _store_of(source: StoreSource) -> Store:
    if isinstance(source, Store):
        return source
    store = getattr(source, "store", None)
    if isinstance(store, Store):
        return store
    raise SotegraphError(f"expected a Store or a KnowledgeGraph, not {type(source).__name__}")


def incidence(
    source: StoreSource, by: OverlapBy | str, *, rows: Sequence[str] | None = None
) -> Incidence:
    """Select the incidence pairs of one kind from the store and build the sparse matrix.

    Parameters
    ----------
    source:
        A store, or an object holding one in ``.store`` (a knowledge graph).
    by:
        ``partners``, ``places``, ``themes`` or ``groups`` (``time`` is not an incidence).
    rows:
        Fix the row order (e.g. all projects).

    Raises
    ------
    SotegraphError
        If ``by`` is ``time`` or unknown.

    Examples
    --------
    >>> from sotegraph.network import example_store
    >>> store = example_store()
    >>> int(incidence(store, "partners").matrix.sum())
    6
    """
    kind = _by(by)
    if kind is OverlapBy.TIME:
        raise SotegraphError("time overlap is computed from the project periods, not an incidence")
    pairs = _store_of(source).select_iri_pairs(_INCIDENCE_SPARQL[kind])
    return Incidence.from_iri_pairs(pairs, rows=rows)

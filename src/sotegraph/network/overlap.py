"""What pairs of projects share, kind by kind and combined into one score.

:func:`pair_overlap` lists the pairs sharing items of one kind, :func:`project_overlap` ranks
them by a weighted mean of the per-kind Jaccard similarities.

The counts come from sparse matrix products of the incidences (:func:`count_overlap`); the
named queries ``overlap_partners``, ``overlap_places`` and ``overlap_themes`` are the
portable definition of the same counts for remote endpoints. Time overlap compares the
project periods (days both run over days either runs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sotegraph.errors import SotegraphError
from sotegraph.network.data import NetworkData, SoteFilter
from sotegraph.network.matrix import OverlapBy, _by, count_overlap

__all__ = ["OverlapPair", "PairCount", "pair_overlap", "project_overlap"]


@dataclass(frozen=True, slots=True)
class OverlapPair:
    """Two projects and what they share.

    ``score`` is the combined overlap (weighted mean of the per-kind Jaccard similarities);
    ``shared`` holds per kind the number of shared items, ``jaccard`` the similarity and
    ``items`` the shared item IRIs (for time: the overlap in days).
    """

    project1: str
    project2: str
    label1: str
    label2: str
    score: float
    shared: dict[str, int]
    jaccard: dict[str, float]
    items: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class PairCount:
    """Two projects sharing items of one kind (a row of the ``overlap_<kind>`` queries)."""

    project1: str
    project2: str
    label1: str
    label2: str
    shared: int
    size1: int
    size2: int
    jaccard: float


def pair_overlap(data: NetworkData, *, by: OverlapBy | str, min_shared: int = 1) -> list[PairCount]:
    """Pairs of projects sharing items of one kind, as the ``overlap_<by>`` query lists them.

    Returns rows with ``project1 < project2`` (string order), ``shared``, ``size1``,
    ``size2`` and ``jaccard``, sorted like the query (most shared first).

    Raises
    ------
    SotegraphError
        If ``by`` is ``time`` or unknown.
    """
    kind = _by(by)
    if kind is OverlapBy.TIME:
        raise SotegraphError("use project_overlap(by=['time']) for time overlap")
    inc = data.incidences[kind]
    shared, sizes = count_overlap(inc.matrix)
    out: list[PairCount] = []
    for i, j, n in zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist(), strict=True):
        if n < min_shared:
            continue
        a, b = inc.rows[i], inc.rows[j]
        sa, sb = int(sizes[i]), int(sizes[j])
        if b < a:
            a, b, sa, sb = b, a, sb, sa
        out.append(PairCount(a, b, data.label(a), data.label(b), int(n), sa, sb, n / (sa + sb - n)))
    out.sort(key=lambda p: (-p.shared, -p.jaccard, p.project1, p.project2))
    return out


def _time_pairs(
    periods: Mapping[str, tuple[dt.date, dt.date]], candidates: Iterable[tuple[str, str]] | None
) -> dict[tuple[str, str], tuple[int, float]]:
    """Overlap days and interval Jaccard for candidate pairs, or all concurrent pairs."""
    out: dict[tuple[str, str], tuple[int, float]] = {}

    def measure(a: str, b: str) -> None:
        (s1, e1), (s2, e2) = periods[a], periods[b]
        days = (min(e1, e2) - max(s1, s2)).days + 1
        if days > 0:
            union = (max(e1, e2) - min(s1, s2)).days + 1
            out[(a, b) if a < b else (b, a)] = (days, days / union)

    if candidates is not None:
        for a, b in candidates:
            if a in periods and b in periods:
                measure(a, b)
        return out
    # sweep over start dates: every pair whose periods intersect
    order = sorted(periods, key=lambda p: periods[p][0])
    active: list[str] = []
    for p in order:
        start = periods[p][0]
        active = [q for q in active if periods[q][1] >= start]
        for q in active:
            measure(q, p)
        active.append(p)
    return out


def project_overlap(
    data: NetworkData,
    *,
    by: Sequence[OverlapBy | str] = tuple(OverlapBy),
    weights: Mapping[str, float] | None = None,
    top: int | None = None,
    min_score: float = 0.0,
    sote: SoteFilter = None,
) -> list[OverlapPair]:
    """Rank project pairs by a combined overlap score.

    The score is ``Σ wₖ · Jₖ / Σ wₖ`` over the kinds in ``by``, where ``Jₖ`` is the Jaccard
    similarity of the two projects' partners, places, themes or groups (consortia, networks,
    coordinating projects), or for time the days both run divided by the days either runs.
    Candidate pairs are those sharing at least one partner, place, theme or group; with
    ``by=["time"]`` alone every concurrent pair is a candidate.

    Parameters
    ----------
    data:
        From :func:`load_network_data`.
    by:
        Kinds to combine (default all five: partners, places, themes, groups, time).
    weights:
        Weight per kind (default 1 each); kinds not in ``by`` are ignored.
    top:
        Keep only the ``top`` best pairs.
    min_score:
        Keep only pairs scoring above this.
    sote:
        Only projects of these sote relevance values (``True`` or ``"sote"``, or e.g.
        ``("sote", "borderline")``; :meth:`NetworkData.with_sote`).

    Raises
    ------
    SotegraphError
        If a kind is unknown, ``by`` is empty or a weight is negative.

    Examples
    --------
    >>> from sotegraph.network import example_store, load_network_data
    >>> store = example_store()
    >>> best = project_overlap(load_network_data(store), by=["partners"], top=1)[0]
    >>> best.label1, best.label2, round(best.score, 3)
    ('Eka', 'Toka', 0.667)
    """
    data = data.with_sote(sote)
    kinds = list(dict.fromkeys(_by(b) for b in by))
    if not kinds:
        raise SotegraphError("project_overlap needs at least one kind to overlap by")
    w = {k: float((weights or {}).get(k.value, 1.0)) for k in kinds}
    if any(v < 0 for v in w.values()):
        raise SotegraphError(f"overlap weights must not be negative: {weights}")
    total = sum(w.values()) or 1.0
    n = len(data.projects)
    index = {p: i for i, p in enumerate(data.projects)}
    counted = [k for k in kinds if k is not OverlapBy.TIME]
    shared_of: dict[OverlapBy, sp.csr_matrix] = {}
    jaccard_of: dict[OverlapBy, sp.csr_matrix] = {}
    score = sp.csr_matrix((n, n), dtype=np.float64)
    for ck in counted:
        inc = data.incidences[ck]
        if inc.rows != data.projects:  # pragma: no cover - load_network_data aligns the rows
            raise SotegraphError(f"the {ck.value} incidence is not aligned with the projects")
        shared, sizes = count_overlap(inc.matrix)
        jac = shared.data / (sizes[shared.row] + sizes[shared.col] - shared.data)
        shared_of[ck] = sp.csr_matrix((shared.data, (shared.row, shared.col)), shape=(n, n))
        jaccard_of[ck] = sp.csr_matrix((jac, (shared.row, shared.col)), shape=(n, n))
        score = score + w[ck] * jaccard_of[ck]
    if counted:
        cand = score.tocoo()
        rows, cols, values = cand.row.astype(np.int64), cand.col.astype(np.int64), cand.data
    else:  # time alone: every concurrent pair
        timed = _time_pairs(data.periods, None)
        rows = np.array([index[a] for a, _ in timed], dtype=np.int64)
        cols = np.array([index[b] for _, b in timed], dtype=np.int64)
        values = np.zeros(len(rows))
    days = np.zeros(len(rows), dtype=np.int64)
    time_jaccard = np.zeros(len(rows))
    if OverlapBy.TIME in kinds and len(rows):
        days, time_jaccard = _time_arrays(data, rows, cols)
        values = values + w[OverlapBy.TIME] * time_jaccard
    values = values / total
    keep = np.flatnonzero(values > min_score)
    # best first; ties by project IRIs (the rows are sorted, and row < column)
    order = keep[np.lexsort((cols[keep], rows[keep], -values[keep]))]
    if top is not None:
        order = order[:top]
    out: list[OverlapPair] = []
    for k in order.tolist():
        i, j = int(rows[k]), int(cols[k])
        a, b = data.projects[i], data.projects[j]
        shared_n: dict[str, int] = {}
        jac_n: dict[str, float] = {}
        items: dict[str, list[str]] = {}
        for kind in kinds:
            if kind is OverlapBy.TIME:
                cnt, jv = int(days[k]), float(time_jaccard[k])
            else:
                cnt, jv = int(shared_of[kind][i, j]), float(jaccard_of[kind][i, j])
            shared_n[kind.value], jac_n[kind.value] = cnt, jv
            if cnt:
                items[kind.value] = (
                    [f"{cnt} days"] if kind is OverlapBy.TIME else _shared_items(data, kind, a, b)
                )
        out.append(
            OverlapPair(
                a, b, data.label(a), data.label(b), float(values[k]), shared_n, jac_n, items
            )
        )
    return out


def _time_arrays(
    data: NetworkData, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Overlap days and interval Jaccard for the pairs ``(rows[k], cols[k])``."""
    n = len(data.projects)
    start = np.full(n, -1, dtype=np.int64)
    end = np.full(n, -2, dtype=np.int64)
    for i, p in enumerate(data.projects):
        if p in data.periods:
            s, e = data.periods[p]
            start[i], end[i] = s.toordinal(), e.toordinal()
    known = (start[rows] >= 0) & (start[cols] >= 0)
    overlap = np.minimum(end[rows], end[cols]) - np.maximum(start[rows], start[cols]) + 1
    union = np.maximum(end[rows], end[cols]) - np.minimum(start[rows], start[cols]) + 1
    ok = known & (overlap > 0)
    days = np.where(ok, overlap, 0)
    jac = np.where(ok, overlap / np.where(union > 0, union, 1), 0.0)
    return days, jac


def _shared_items(data: NetworkData, kind: OverlapBy, a: str, b: str) -> list[str]:
    inc = data.incidences[kind]
    ra = inc.matrix.indices[inc.matrix.indptr[inc.index[a]] : inc.matrix.indptr[inc.index[a] + 1]]
    rb = inc.matrix.indices[inc.matrix.indptr[inc.index[b]] : inc.matrix.indptr[inc.index[b] + 1]]
    return sorted(inc.cols[c] for c in np.intersect1d(ra, rb))

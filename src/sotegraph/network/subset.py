"""Readable parts of a large network: around a node, by place, theme, period or sote relevance.

:func:`subset` cuts any graph of :mod:`sotegraph.network.graphs` down by its node attributes
(``region``, ``county``, ``theme``, ``period``, ``programme_period``, ``sote_relevance``), to
the nodes within ``hops`` of one node (``around``, an IRI or a name), and by degree.
:func:`filter_projects` applies the same attribute tests to the projects of a
:class:`~sotegraph.network.NetworkData` before a graph is built, so that a co-participation
network of one county counts only the projects in that county. :func:`find_node` resolves
a name to a node (case-insensitive; an ambiguous name raises :class:`AmbiguousNameError`
with the candidates).

Matching rules (all case-insensitive):

* ``region``: a region's name or code (``Kainuu``, ``18``);
* ``county``: a wellbeing county's code (``2`` or ``02``), its name, or the start of its name
  (``Pirkanmaa`` matches *Pirkanmaan hyvinvointialue*);
* ``theme``: a theme's label;
* ``period``: a programme period as the data name it (``2014-2020``), else years ``YYYY`` or
  ``YYYY-YYYY`` that the node's period overlaps;
* ``sote_only``: the node's ``sote_relevance`` is ``sote`` (an organisation's is the most
  relevant value among its projects).

A node without the attribute does not match a filter on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sotegraph.errors import SotegraphError

if TYPE_CHECKING:  # imported when used: the package binds its subset() function at import
    import networkx as nx

    from sotegraph.network.data import NetworkData

__all__ = ["AmbiguousNameError", "NodeFilter", "filter_projects", "find_node", "subset"]

_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*$")


class AmbiguousNameError(SotegraphError):
    """A name given for a node fits several nodes; ``candidates`` holds ``(node, label)``."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]) -> None:
        self.name = name
        self.candidates = candidates
        shown = "; ".join(f"{label} <{node}>" for node, label in candidates[:10])
        more = f" and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        super().__init__(
            f"{name!r} fits {len(candidates)} nodes: {shown}{more}; give the IRI or a longer name"
        )


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value]
    return [str(value)]


def _wanted(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [i.strip().casefold() for i in items if i and i.strip()]


def _county_code(text: str) -> str:
    return text.zfill(2) if text.isdigit() else text


@dataclass(frozen=True, slots=True)
class NodeFilter:
    """The attribute tests of :func:`subset` and :func:`filter_projects`.

    Each field holds the wanted values (lower-cased); an empty field tests nothing. A node
    passes when every non-empty test has a match.

    Raises
    ------
    SotegraphError
        From :meth:`create` if a period is neither a programme period nor years.
    """

    region: tuple[str, ...] = ()
    county: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    period: tuple[str, ...] = ()
    sote_only: bool = False

    @classmethod
    def create(
        cls,
        *,
        region: str | Iterable[str] | None = None,
        county: str | Iterable[str] | None = None,
        theme: str | Iterable[str] | None = None,
        period: str | Iterable[str] | None = None,
        sote_only: bool = False,
    ) -> NodeFilter:
        """A filter from user input (a value or several; case and spaces do not matter).

        Examples
        --------
        >>> f = NodeFilter.create(county="2", period="2016")
        >>> f.matches({"county_code": ["02"], "period": "2015-2017"})
        True
        >>> f.matches({"county_code": ["02"], "period": "2018"})
        False
        """
        periods = _wanted(period)
        for p in periods:
            if not _YEARS.match(p):
                raise SotegraphError(
                    f"period {p!r}: write a programme period (2014-2020) or years (2016, 2016-2018)"
                )
        return cls(
            tuple(_wanted(region)),
            tuple(_county_code(c) for c in _wanted(county)),
            tuple(_wanted(theme)),
            tuple(periods),
            bool(sote_only),
        )

    @property
    def empty(self) -> bool:
        """Whether the filter tests nothing."""
        return not (self.region or self.county or self.theme or self.period or self.sote_only)

    def matches(self, attrs: Mapping[str, Any], *, programme_periods: Iterable[str] = ()) -> bool:
        """Whether a node with these attributes passes.

        ``programme_periods`` are the programme periods the data know: a wanted period equal
        to one of them is tested against the node's ``programme_period``, not its years.
        """
        if self.sote_only and attrs.get("sote_relevance") != "sote":
            return False
        if self.region:
            have = {v.casefold() for k in ("region", "region_code") for v in _values(attrs.get(k))}
            if not have & set(self.region):
                return False
        if self.county:
            codes = {v.casefold() for v in _values(attrs.get("county_code"))}
            names = [v.casefold() for v in _values(attrs.get("county"))]
            if not any(
                c in codes or any(n == c or n.startswith(c) for n in names) for c in self.county
            ):
                return False
        if self.theme and not {v.casefold() for v in _values(attrs.get("theme"))} & set(self.theme):
            return False
        if self.period:
            known = {p.casefold() for p in programme_periods}
            if not any(_period_matches(attrs, p, p in known) for p in self.period):
                return False
        return True


def _years(text: str) -> tuple[int, int] | None:
    m = _YEARS.match(text)
    if not m:
        return None
    first = int(m[1])
    return first, int(m[2] or first)


def _period_matches(attrs: Mapping[str, Any], wanted: str, programme: bool) -> bool:
    if programme:
        return wanted in {v.casefold() for v in _values(attrs.get("programme_period"))}
    span, have = _years(wanted), _years(str(attrs.get("period") or ""))
    if span is None or have is None:
        return False
    return have[0] <= span[1] and span[0] <= have[1]


def _programme_periods(g: nx.Graph) -> set[str]:
    return {v for _n, d in g.nodes(data=True) for v in _values(d.get("programme_period"))}


def find_node(g: nx.Graph, name: str) -> str:
    """The node a user means by ``name``: its IRI, else its label (case-insensitive).

    An exact label wins over labels that contain the name; several nodes with the same
    label, or several containing the name and none equal to it, make it ambiguous.

    Raises
    ------
    AmbiguousNameError
        If the name fits several nodes (``candidates`` lists them).
    SotegraphError
        If no node fits.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("o:1", {"label": "Alfa Oy"}), ("o:2", {"label": "Alfan kaupunki"})])
    >>> find_node(g, "alfa oy"), find_node(g, "o:2")
    ('o:1', 'o:2')
    >>> find_node(g, "alfa")
    Traceback (most recent call last):
    ...
    sotegraph.network.subset.AmbiguousNameError: 'alfa' fits 2 nodes: Alfa Oy <o:1>; Alfan kaupunki <o:2>; give the IRI or a longer name
    """
    if name in g:
        return name
    wanted = name.strip().casefold()
    exact: list[tuple[str, str]] = []
    partial: list[tuple[str, str]] = []
    for n, d in g.nodes(data=True):
        label = str(d.get("label", ""))
        folded = label.casefold()
        if folded == wanted:
            exact.append((str(n), label))
        elif wanted and wanted in folded:
            partial.append((str(n), label))
    for found in (exact, partial):
        if len(found) == 1:
            return found[0][0]
        if found:
            raise AmbiguousNameError(name, sorted(found, key=lambda c: (c[1], c[0])))
    raise SotegraphError(f"no node is named {name!r} or has that IRI")


def subset(
    g: nx.Graph,
    *,
    around: str | None = None,
    hops: int = 1,
    region: str | Iterable[str] | None = None,
    county: str | Iterable[str] | None = None,
    theme: str | Iterable[str] | None = None,
    period: str | Iterable[str] | None = None,
    sote_only: bool = False,
    min_degree: int | None = None,
    drop_isolated: bool = False,
) -> nx.Graph:
    """A readable part of ``g`` (a new graph; ``g`` is not changed).

    In this order: the attribute filters keep the nodes that match (see the module's rules);
    ``around`` keeps the nodes within ``hops`` of that node (an IRI or a name,
    :func:`find_node`); ``min_degree`` keeps nodes with at least that many neighbours left;
    ``drop_isolated`` drops nodes without any. The ``around`` node itself is always kept.

    Raises
    ------
    AmbiguousNameError
        If ``around`` fits several nodes.
    SotegraphError
        If ``around`` fits no node, ``hops`` or ``min_degree`` is negative, or a period is
        not readable.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.path_graph(5)
    >>> nx.set_node_attributes(g, {n: f"n{n}" for n in g}, "label")
    >>> sorted(subset(g, around="n2", hops=1))
    [1, 2, 3]
    >>> sorted(subset(g, min_degree=2))
    [1, 2, 3]
    """
    if hops < 0:
        raise SotegraphError("hops must not be negative")
    if min_degree is not None and min_degree < 0:
        raise SotegraphError("min_degree must not be negative")
    test = NodeFilter.create(
        region=region, county=county, theme=theme, period=period, sote_only=sote_only
    )
    centre: Any = None
    if around is not None:
        name = find_node(g, around)
        centre = next(n for n in g.nodes if str(n) == name)
    keep: set[Any] = set(g.nodes)
    if not test.empty:
        known = _programme_periods(g)
        keep = {n for n, d in g.nodes(data=True) if test.matches(d, programme_periods=known)}
    if centre is not None:
        import networkx as nx

        keep.add(centre)
        view = g.subgraph(keep)
        keep = set(nx.single_source_shortest_path_length(view, centre, cutoff=hops))
    if min_degree:
        view = g.subgraph(keep)
        keep = {n for n in keep if view.degree(n) >= min_degree or n == centre}
    if drop_isolated:
        view = g.subgraph(keep)
        keep = {n for n in keep if view.degree(n) > 0 or n == centre}
    out: nx.Graph = g.subgraph(keep).copy()
    return out


def filter_projects(
    data: NetworkData,
    *,
    region: str | Iterable[str] | None = None,
    county: str | Iterable[str] | None = None,
    theme: str | Iterable[str] | None = None,
    period: str | Iterable[str] | None = None,
    sote_only: bool = False,
) -> NetworkData:
    """The data of the projects that match the tests of :func:`subset` (by their own attributes).

    Organisations that took part only in other projects drop out, and co-participation then
    counts only the projects kept.

    Raises
    ------
    SotegraphError
        If a period is not readable.

    Examples
    --------
    >>> from sotegraph.network import example_store, load_network_data
    >>> data = load_network_data(example_store())
    >>> filter_projects(data, sote_only=True).projects
    []
    """
    test = NodeFilter.create(
        region=region, county=county, theme=theme, period=period, sote_only=sote_only
    )
    if test.empty:
        return data
    from sotegraph.network.graphs import _project_node

    known = {
        str(a["programme_period"])
        for p in data.projects
        if "programme_period" in (a := data.attrs.get(p, {}))
    }
    return data.restrict(lambda p: test.matches(_project_node(data, p), programme_periods=known))

"""What the extractor looks up outside the text: the gazetteer of the NLP lexicon, and the
resolvers of names, organisations, regions and themes (loaded once, on first use).

The gazetteer (:func:`sotegraph.nlp.lexicon.gazetteer_entries`) holds every organisation the
project knows: the authority file, the funders, the municipalities in their organisation
form and the wellbeing counties (Finnish and Swedish names), and the implementers of the bulk
project lists (people left out). Mentions are matched in the text by the
``sotegraph_gazetteer`` component (:class:`sotegraph.nlp.components.Gazetteer`), with its
rules: whole names only, runs of three capitals or fewer (``LAB``) only as written, no place
or lone common word as a name. The lookups here work on the names it found.

The resolvers are imported lazily, here and only here, so that importing the extractor
stays cheap.
"""

from __future__ import annotations

from typing import Any

from sotegraph.extract.article.names import norm_name
from sotegraph.nlp.lexicon import gazetteer_entries
from sotegraph.nlp.names import analyse_name
from sotegraph.reference.organisations import AuthorityMatcher
from sotegraph.reference.regions import RegionResolver
from sotegraph.reference.themes import ThemeResolver

__all__ = [
    "authority_id",
    "gazetteer_by_alias",
    "gazetteer_by_name",
    "gazetteer_names",
    "loose_key",
    "region_resolver",
    "theme_resolver",
]

_GAZ_CACHE: dict[str, Any] = {}
_THEME_RESOLVER: dict[str, Any] = {}


def gazetteer_names() -> frozenset[str]:
    """The folded names and aliases of the gazetteer's organisations."""
    if "names" not in _GAZ_CACHE:
        names: set[str] = set()
        for e in gazetteer_entries():
            names.add(norm_name(e.name))
            names.update(norm_name(a) for a in e.aliases)
        _GAZ_CACHE["names"] = frozenset(names)
    names_out: frozenset[str] = _GAZ_CACHE["names"]
    return names_out


def gazetteer_by_alias() -> dict[str, Any]:
    """Gazetteer entries by folded name or alias (the first entry of a name wins: the
    authority file before the funders, the municipalities and the bulk lists)."""
    if "by_alias" not in _GAZ_CACHE:
        out: dict[str, Any] = {}
        for e in gazetteer_entries():
            for n in (e.name, *e.aliases):
                out.setdefault(norm_name(n), e)
        _GAZ_CACHE["by_alias"] = out
    by_alias: dict[str, Any] = _GAZ_CACHE["by_alias"]
    return by_alias


def gazetteer_by_name() -> dict[str, Any]:
    """Gazetteer entries by name as written."""
    if "by_name" not in _GAZ_CACHE:
        _GAZ_CACHE["by_name"] = {e.name: e for e in gazetteer_entries()}
    by_name: dict[str, Any] = _GAZ_CACHE["by_name"]
    return by_name


def loose_key(name: str) -> str | None:
    """The resolver's base key of a name (legal form dropped, head lemmatised), prefixed."""
    base = analyse_name(name).base
    return f"\x00{base}" if base and " " in base else None


def authority_id(name: str) -> str | None:
    """The authority-file id of an organisation name (see :class:`AuthorityMatcher`)."""
    if "resolver" not in _GAZ_CACHE:
        _GAZ_CACHE["resolver"] = AuthorityMatcher()
    resolver = _GAZ_CACHE["resolver"]
    if not name:
        return None
    m = resolver.match(name)
    return None if m is None else (m.authority_id or str(m.iri))


def region_resolver() -> Any:
    """The process-wide :class:`~sotegraph.reference.regions.RegionResolver`."""
    if "regions" not in _THEME_RESOLVER:
        _THEME_RESOLVER["regions"] = RegionResolver()
    return _THEME_RESOLVER["regions"]


def theme_resolver() -> Any:
    """The process-wide :class:`~sotegraph.reference.themes.ThemeResolver`."""
    if "r" not in _THEME_RESOLVER:
        _THEME_RESOLVER["r"] = ThemeResolver()
    return _THEME_RESOLVER["r"]

"""Areas inferred from what a project list row states: its authority and its implementer.

A bulk project list has no area column. Two cells still say where a project worked, not as a
statement but by inference, and each inferred area keeps the basis it was inferred from
(:class:`AreaBasis`; ``sg:areaBasis`` in the graph, never ``sg:targetArea``):

* the **responsible authority** (``Viranomainen``): an ELY centre covers the regions of its
  area of operation (the Häme centre: Kanta-Häme and Päijät-Häme; the one of south-eastern
  Finland: Kymenlaakso and Etelä-Karjala; otherwise the region its name names), a regional council
  (*maakunnan liitto*, *maakuntaliitto*, *Satakuntaliitto*) its region, both in the
  classification year of the project's start. A ministry or a national agency (Tekes,
  Finnvera, Opetushallitus...) covers the whole country and gives no region. In the
  structural-fund programmes a few ELY centres decided for wider areas than their own; the
  inferred region is the centre's own area, so it is a lower bound of where the money went;
* the **implementer's seat**: the home municipality of an implementer in the authority file
  (``data/organisations.csv``), the municipality a city or municipality is (*Oulun
  kaupunki*, *Sallan kunta*), and for a joint municipal authority, a hospital district or a
  wellbeing county the area its name names (*Itä-Lapin kuntayhtymä*: the sub-region).

Examples
--------
>>> inferrer = AreaInferrer()
>>> [(a.kind, a.code, a.basis) for a in inferrer.authority_areas("Uudenmaan ELY-keskus", 2015)]
[('region', '01', 'authority')]
>>> [(a.kind, a.code) for a in inferrer.authority_areas("Keksityn maakunnan ministeriö", 2015)]
[]
>>> [(a.kind, a.code) for a in inferrer.authority_areas("Satakuntaliitto", 2010)]
[('region', '04')]
>>> [(a.kind, a.code, a.basis) for a in inferrer.implementer_areas("Sallan kunta", 2012)]
[('municipality', '732', 'implementer')]
>>> inferrer.implementer_areas("Keksitty Testiyhdistys ry", 2015)
()
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache

from sotegraph.facts import AreaLevel, InferredPlace
from sotegraph.reference.organisations import AuthorityMatcher
from sotegraph.reference.regions import FIRST_YEAR, LAST_YEAR, RegionResolver

__all__ = ["BASIS_IRI", "AreaBasis", "AreaInferrer", "default_inferrer"]


class AreaBasis(StrEnum):
    """What an area of a project rests on (the concepts of ``sg:areaBasisScheme``)."""

    STATED = "stated"
    AUTHORITY = "authority"
    IMPLEMENTER = "implementer"


#: The SKOS concept of each basis.
BASIS_IRI: dict[AreaBasis, str] = {
    AreaBasis.STATED: "https://w3id.org/sotegraph/ontology#areaBasisStated",
    AreaBasis.AUTHORITY: "https://w3id.org/sotegraph/ontology#areaBasisAuthority",
    AreaBasis.IMPLEMENTER: "https://w3id.org/sotegraph/ontology#areaBasisImplementer",
}

# ELY centres whose area is not the one region their name names (Finnish genitive, folded)
_ELY_REGIONS: dict[str, tuple[str, ...]] = {
    "hämeen": ("05", "07"),
    "kaakkois-suomen": ("08", "09"),
    "lapin": ("19",),
}
# regional councils whose name is not their region's: the council named after Häme is
# Kanta-Häme's; Itä-Uusimaa's (to 2010) joined Uusimaa's
_COUNCIL_REGIONS: dict[str, tuple[str, ...]] = {"hämeen": ("05",), "itä-uudenmaan": ("01",)}

_ELY = re.compile(r"([\w-]+)\s+(?:elinkeino-|ely-keskus)", re.IGNORECASE)
_COUNCIL = re.compile(r"(?:^|\s)([\w-]+?)(?:n\s+(?:maakunta)?liitto|liitto)\s*$", re.IGNORECASE)
_MUNICIPALITY = re.compile(r"(?:^|[\s/(,])([\w-]+n)\s+(?:kaupunki|kunta)(?![\w-])", re.IGNORECASE)
_JOINT = re.compile(r"kuntayhtymä|sairaanhoitopiiri|hyvinvointialue", re.IGNORECASE)
_WORD = re.compile(r"[\w-]+")
_SPACES = re.compile(r"\s+")


class AreaInferrer:
    """Infer a project's areas from its authority and implementer (cached per name and year).

    Parameters
    ----------
    resolver:
        Place names to the classification; default: a new :class:`RegionResolver`.
    matcher:
        The authority file, for implementers' home municipalities; default: the shipped one.
    """

    def __init__(
        self,
        *,
        resolver: RegionResolver | None = None,
        matcher: AuthorityMatcher | None = None,
    ) -> None:
        self._resolver = resolver or RegionResolver()
        self._matcher = matcher
        self._cache: dict[tuple[str, str, int], tuple[InferredPlace, ...]] = {}

    def infer(
        self, *, authority: str | None, implementer: str | None, year: int | None
    ) -> list[InferredPlace]:
        """The areas inferred from both cells, each once per basis (authority first)."""
        out: list[InferredPlace] = []
        if authority:
            out.extend(self.authority_areas(authority, year))
        if implementer:
            out.extend(self.implementer_areas(implementer, year))
        return out

    def authority_areas(self, name: str, year: int | None) -> tuple[InferredPlace, ...]:
        """Regions covered by an ELY centre or a regional council; ``()`` for anything else."""
        return self._cached("a", name, year, self._authority)

    def implementer_areas(self, name: str, year: int | None) -> tuple[InferredPlace, ...]:
        """The implementer's home municipality (or the area a joint authority is named after)."""
        return self._cached("i", name, year, self._implementer)

    def _cached(
        self, which: str, name: str, year: int | None, fn: object
    ) -> tuple[InferredPlace, ...]:
        y = LAST_YEAR if year is None else min(max(int(year), FIRST_YEAR), LAST_YEAR)
        key = (which, name, y)
        hit = self._cache.get(key)
        if hit is None:
            text = _SPACES.sub(" ", name).strip()
            hit = self._cache[key] = tuple(fn(text, y)) if text else ()  # type: ignore[operator]
        return hit

    def _place(self, kind: str, code: str, year: int, basis: AreaBasis) -> InferredPlace:
        match = self._resolver.match(kind, code, year)
        return InferredPlace(iri=str(match.iri), kind=kind, code=code, basis=basis.value, year=year)

    def _regions(self, genitive: str, year: int, special: dict[str, tuple[str, ...]]) -> list[str]:
        fixed = special.get(genitive.casefold())
        if fixed is not None:
            return list(fixed)
        m = self._resolver.resolve(genitive, level=AreaLevel.REGION, year=year)
        return [m.code] if m is not None else []

    def _authority(self, text: str, year: int) -> list[InferredPlace]:
        ely = _ELY.search(text)
        if ely is not None:
            codes = self._regions(ely.group(1), year, _ELY_REGIONS)
        else:
            council = _COUNCIL.search(text)
            if council is None:
                return []
            word = council.group(1)
            if not council.group(0).rstrip().casefold().endswith(("n liitto", "maakuntaliitto")):
                codes = self._regions(word, year, {})  # Satakuntaliitto
            else:
                whole = council.group(0).strip().split()[0]
                if whole.casefold().endswith("maakuntaliitto"):
                    whole = whole[: -len("maakuntaliitto")]
                codes = self._regions(whole, year, _COUNCIL_REGIONS)
        return [self._place("region", c, year, AreaBasis.AUTHORITY) for c in codes]

    def _implementer(self, text: str, year: int) -> list[InferredPlace]:
        matcher = self._matcher
        if matcher is None:
            matcher = self._matcher = AuthorityMatcher()
        hit = matcher.match(text)
        if hit is not None and hit.authority_id:
            home = matcher.authority.by_id[hit.authority_id].home_municipality
            if home:
                code = self._resolver._data.successor(home, year) or home
                return [self._place("municipality", code, year, AreaBasis.IMPLEMENTER)]
        muni = _MUNICIPALITY.search(text)
        if muni is not None:
            m = self._resolver.resolve(muni.group(1), level=AreaLevel.MUNICIPALITY, year=year)
            if m is not None:
                return [self._place("municipality", m.code, year, AreaBasis.IMPLEMENTER)]
        joint = _JOINT.search(text)
        if joint is None:
            return []
        words = _WORD.findall(text[: joint.start()])
        if words and not text[joint.start() - 1 : joint.start()].isspace():
            words.pop()  # the compound that holds the keyword (koulutuskuntayhtymä)
        # the genitive phrase just before the keyword, longest first, then any genitive word
        tail = words[-3:]
        phrases = [" ".join(tail[i:]) for i in range(len(tail))]
        phrases += [w for w in words if w.casefold().endswith("n")]
        for phrase in phrases:
            if not phrase.casefold().endswith("n"):
                continue
            m = self._resolver.resolve(phrase, year=year)
            if m is not None:
                return [self._place(m.kind, m.code, m.year, AreaBasis.IMPLEMENTER)]
        return []


@cache
def default_inferrer() -> AreaInferrer:
    """One shared :class:`AreaInferrer` per process (its caches grow with the names seen)."""
    return AreaInferrer()

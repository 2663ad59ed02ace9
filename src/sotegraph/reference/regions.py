"""Resolve Finnish place names to the regional classification of a given year.

Municipalities (kunta), sub-regions (seutukunta), regions (maakunta) and wellbeing services
counties (hyvinvointialue) are read from the shipped ``data/regions/*.csv`` (Statistics
Finland, 2013–2026; see ``data/regions/README.md``). Names resolve as texts write them:

* inflected forms (``Oulunkaaren`` → Oulunkaari, ``Pohjois-Karjalassa`` → Pohjois-Karjala):
  first through a table of inflected forms generated from the names, then through Voikko base
  forms (``libvoikko``; optional), then by stripping case endings;
* Swedish names (``Jakobstad``, ``Norra Karelen``) and a few brand names of counties;
* merged municipalities, by year (``Valtimo`` in 2020 → Nurmes);
* year-dependent membership (Heinävesi was in Etelä-Savo until 2020, in Pohjois-Karjala from 2021).

Names of places that are not units of the classification (``Turun saaristo``, ``Itä-Suomi``)
resolve to ``None``: the caller keeps them as unresolved area mentions.
:meth:`RegionResolver.find` scans free text for place names and returns
:class:`~sotegraph.facts.PlaceMention` objects, resolved or kept as unresolved areas.

Examples
--------
>>> from sotegraph.reference.regions import RegionResolver
>>> r = RegionResolver()
>>> m = r.resolve("Oulunkaaren seutukunta")
>>> m.kind, m.code, m.name
('subregion', '173', 'Oulunkaari')
>>> str(m.iri)
'https://w3id.org/sotegraph/id/subregion/173'
>>> r.resolve("Heinävedellä", year=2018).name
'Heinävesi'
>>> r.municipality_membership("090", 2018).region
'10'
>>> r.municipality_membership("090", 2023).wellbeing_county
'14'
>>> r.resolve("Valtimo", year=2021).name
'Nurmes'
>>> r.resolve("Turun saaristo") is None
True
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD
from rdflib.term import URIRef

from sotegraph import resources
from sotegraph.facts import AreaLevel, PlaceMention, Span
from sotegraph.namespaces import SCHEMA, SG, SGID, bind_prefixes, region_iri
from sotegraph.nlp import cases, voikko

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Membership",
    "RegionMatch",
    "RegionResolver",
    "current_wellbeing_counties",
    "inflected_forms",
    "regions_graph",
]

FIRST_YEAR = 2013
LAST_YEAR = 2026
#: bound of the per-word and per-name lookup caches (entries); emptied when reached
_WORD_CACHE_SIZE = 200_000
COUNTY_FIRST_YEAR = 2023
REGIONS_GRAPH = SGID["graph/regions"]

_KINDS = tuple(level.value for level in AreaLevel if level is not AreaLevel.UNKNOWN)
_PRIORITY = {kind: i for i, kind in enumerate(_KINDS)}


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegionMatch:
    """A place name resolved to one unit of the regional classification.

    Attributes
    ----------
    kind:
        ``"municipality"``, ``"subregion"``, ``"region"`` or ``"wellbeingcounty"``.
    code:
        Statistics Finland code, zero-padded (``"091"``, ``"173"``, ``"17"``, ``"14"``).
    iri:
        The resource IRI (``sgid:municipality/091`` …).
    name:
        Canonical Finnish name in the classification of ``year``.
    year:
        Classification year used (1 January of that year).
    matched:
        The base form of the text that matched a name.
    replaced:
        Code of the abolished municipality the text named, when it was merged into ``code``.
    """

    kind: str
    code: str
    iri: URIRef
    name: str
    year: int
    matched: str
    replaced: str | None = None

    @property
    def level(self) -> AreaLevel:
        """The kind as an :class:`~sotegraph.facts.AreaLevel`."""
        return AreaLevel(self.kind)


@dataclass(frozen=True, slots=True)
class Membership:
    """Where a municipality belonged in one classification year.

    ``wellbeing_county`` is ``None`` before 2023 and for Helsinki and Åland, which are not
    wellbeing services counties; ``sote_area`` then holds their area code (90, 91).
    """

    municipality: str
    year: int
    name: str
    subregion: str
    region: str
    wellbeing_county: str | None
    sote_area: str | None
    nuts3: str | None


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Span:
    code: str
    first: int
    last: int
    row: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Name:
    kind: str
    code: str
    first: int
    last: int


class _Data:
    """The shipped classification tables, indexed."""

    def __init__(self) -> None:
        self.spans: dict[str, dict[str, list[_Span]]] = {}
        for kind, file in (
            ("municipality", "municipalities.csv"),
            ("subregion", "subregions.csv"),
            ("region", "regions.csv"),
            ("wellbeingcounty", "wellbeing_areas.csv"),
        ):
            table: dict[str, list[_Span]] = defaultdict(list)
            for row in _read(file):
                table[row["code"]].append(
                    _Span(row["code"], int(row["first_year"]), int(row["last_year"]), row)
                )
            self.spans[kind] = dict(table)
        self.mergers: dict[str, tuple[str, int, str]] = {}
        for row in _read("mergers.csv"):
            date = row["date"]
            self.mergers[row["abolished"]] = (row["successor"], int(date[:4]), row["name_fi"])
        self.aliases = [(r["kind"], r["code"], r["alias"]) for r in _read("aliases.csv")]
        self.county_kind = {
            code: spans[-1].row["kind"] for code, spans in self.spans["wellbeingcounty"].items()
        }
        self.names: dict[str, list[_Name]] = defaultdict(list)
        self.display: dict[str, str] = {}
        self._index()
        self.forms: dict[str, set[str]] = defaultdict(set)
        for key, display in self.display.items():
            for form in inflected_forms(display):
                self.forms[_norm(form)].add(key)

    def _add(self, name: str, kind: str, code: str, first: int, last: int) -> None:
        name = name.strip()
        if not name:
            return
        key = _norm(name)
        entry = _Name(kind, code, first, last)
        if entry not in self.names[key]:
            self.names[key].append(entry)
        self.display.setdefault(key, name)

    def _index(self) -> None:
        for kind, table in self.spans.items():
            for code, spans in table.items():
                if kind == "wellbeingcounty" and self.county_kind[code] != "county":
                    continue
                for span in spans:
                    for lang in ("fi", "sv", "en"):
                        self._add(span.row[f"name_{lang}"], kind, code, span.first, span.last)
        for kind, code, alias in self.aliases:
            spans = self.spans[kind][code]
            self._add(alias, kind, code, spans[0].first, spans[-1].last)
        for abolished, (_successor, year, name) in self.mergers.items():
            if abolished not in self.spans["municipality"]:
                # abolished before 2013: the name is valid until the merger
                self._add(name, "municipality", abolished, 0, year - 1)

    def span(self, kind: str, code: str, year: int) -> _Span | None:
        for span in self.spans[kind].get(code, ()):
            if span.first <= year <= span.last:
                return span
        return None

    def last_span(self, kind: str, code: str) -> _Span | None:
        spans = self.spans[kind].get(code)
        return spans[-1] if spans else None

    def successor(self, code: str, year: int) -> str | None:
        """Follow mergers from ``code`` to the municipality in force in ``year``."""
        seen = code
        for _ in range(10):
            if self.span("municipality", seen, year):
                return seen
            merged = self.mergers.get(seen)
            if merged is None or merged[1] > year:
                return None
            seen = merged[0]
        return None

    def municipalities_in(self, kind: str, code: str, year: int) -> list[str]:
        column = {"subregion": "subregion", "region": "region", "wellbeingcounty": "wellbeing_area"}
        out = []
        for muni, spans in self.spans["municipality"].items():
            for span in spans:
                if span.first <= year <= span.last and span.row[column[kind]] == code:
                    out.append(muni)
        return sorted(out)


def _read(file: str) -> list[dict[str, str]]:
    text = resources.data_file("regions", file).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def _data() -> _Data:
    return _Data()


# --------------------------------------------------------------------------------------
# Normalising and inflecting names
# --------------------------------------------------------------------------------------

_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*")
_SPACE = re.compile(r"\s+")
_EDGE = re.compile(r"^[\s\"'«»“”‘’(\[.,;:!?]+|[\s\"'«»“”‘’)\].,;:!?]+$")


def _norm(text: str) -> str:
    text = _EDGE.sub("", text)
    text = _DASHES.sub("-", text)
    return _SPACE.sub(" ", text).strip().casefold()


def _harmony(word: str) -> str:
    for ch in reversed(word.casefold()):
        if ch in "aou":
            return "a"
        if ch in "äöy":
            return "ä"
    return "ä"


# Final compound parts of old e-stem nouns: (nominative, weak stem, strong stem).
_E_STEMS = (
    ("järvi", "järve", "järve"),
    ("lahti", "lahde", "lahte"),
    ("joki", "joe", "joke"),
    ("mäki", "mäe", "mäke"),
    ("niemi", "nieme", "nieme"),
    ("salmi", "salme", "salme"),
    ("koski", "koske", "koske"),
    ("lampi", "lamme", "lampe"),
    ("saari", "saare", "saare"),
    ("kaari", "kaare", "kaare"),
    ("kivi", "kive", "kive"),
    ("vuori", "vuore", "vuore"),
    ("vesi", "vede", "vete"),
    ("suvi", "suve", "suve"),
    ("hirvi", "hirve", "hirve"),
    ("pohja", "pohja", "pohja"),
    ("kangas", "kankaa", "kankaa"),
    ("pudas", "putaa", "putaa"),
    ("suomi", "suome", "suome"),
    ("lampi", "lammi", "lampi"),  # Toholammilla, Rautalammin
    ("seutu", "seudu", "seutu"),
    ("luoto", "luodo", "luoto"),
    ("loppi", "lope", "loppe"),
    ("juuka", "juua", "juuka"),
    ("kymi", "kyme", "kyme"),
)
_GRADATION = (
    ("kk", "k"),
    ("pp", "p"),
    ("tt", "t"),
    ("nk", "ng"),
    ("mp", "mm"),
    ("nt", "nn"),
    ("lt", "ll"),
    ("rt", "rr"),
    ("ht", "hd"),
    ("rk", "r"),
    ("lk", "l"),
)
_VOWELS = "aeiouyäö"
# Names whose first part inflects too (uusi: uuden, uudessa, uuteen).
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "Uusimaa": (
        "Uudenmaan",
        "Uudessamaassa",
        "Uudestamaasta",
        "Uudellamaalla",
        "Uudeltamaalta",
        "Uudellemaalle",
        "Uuteenmaahan",
        "Uutenamaana",
        "Uuttamaata",
    ),
    "Uusikaupunki": (
        "Uudenkaupungin",
        "Uudessakaupungissa",
        "Uudestakaupungista",
        "Uuteenkaupunkiin",
        "Uutenakaupunkina",
    ),
    "Uusikaarlepyy": (
        "Uudenkaarlepyyn",
        "Uudessakaarlepyyssä",
        "Uudestakaarlepyystä",
        "Uuteenkaarlepyyhyn",
    ),
}


def _weak(stem: str) -> str:
    """Weak grade of the last syllable of a vowel stem (``Lappeenranta`` → ``Lappeenranna``)."""
    body, vowel = stem[:-1], stem[-1:]
    for strong, weak in _GRADATION:
        if body.endswith(strong) and len(body) > len(strong):
            return body[: -len(strong)] + weak + vowel
    return stem


def inflected_forms(name: str) -> set[str]:
    """Return the name and its singular case forms, generated by rule.

    Only the last word is inflected (``Pielisen Karjala`` → ``Pielisen Karjalan``). The rules
    cover the nominal types of Finnish place names (vowel stems with consonant gradation, old
    e-stems such as *-järvi*, *-lahti*, *-vesi*, *-nen* and *-us* words) and the Swedish
    genitive *-s*. Forms are over-generated rather than missed; the resolver only uses them
    to look names up.

    Examples
    --------
    >>> forms = inflected_forms("Heinävesi")
    >>> {"Heinäveden", "Heinävedellä", "Heinäveteen"} <= forms
    True
    >>> {"Oulunkaaren", "Lappeenrannassa"} <= inflected_forms("Oulunkaari") | inflected_forms(
    ...     "Lappeenranta")
    True
    """
    head, sep, word = name.rpartition(" ")
    prefix = head + sep
    low = word.casefold()
    a = _harmony(word)
    forms = {word, word + "s"}
    weak_stems: set[str] = set()
    strong_stems: set[str] = set()
    partitives: set[str] = set()
    matched = [e for e in _E_STEMS if low.endswith(e[0])]
    for nominative, weak, strong in matched:
        base = word[: len(word) - len(nominative)]
        a = _harmony(nominative)  # a compound inflects like its last part: Rovaniemellä
        weak_stems.add(base + weak)
        strong_stems.add(base + strong)
        if nominative == "vesi":
            partitives.add(base + "vettä")
        elif nominative.endswith("s"):
            partitives.add(base + nominative + "t" + a)
        else:
            partitives.add(base + strong + a)
    if not matched:
        if low.endswith("nen"):
            stem = word[:-3] + "se"
            weak_stems.add(stem)
            strong_stems.add(stem)
            partitives.add(word[:-3] + "st" + a)
            plural = word[:-3] + "si"  # Kuhmoinen: Kuhmoisissa, Kuhmoisten
            forms.update({plural + "ss" + a, plural + "st" + a, plural + "in", plural + "ll" + a})
            forms.add(word[:-3] + "sten")
        elif low.endswith("s") and len(low) > 2 and low[-2] in _VOWELS:
            # Varkaus: Varkauden; Kannus, Nurmes, Muhos: Kannuksen, Nurmeksen, Muhoksen;
            # Kannas: Kannaksen, Kannaan
            stems = {word[:-1] + "kse"}
            if low.endswith(("us", "ys")):
                weak_stems.add(word[:-1] + "de")
                strong_stems.add(word[:-1] + "te")
            elif low.endswith(("as", "äs")):
                stems.add(word[:-1] + word[-2])
            weak_stems.update(stems)
            strong_stems.update(stems)
            partitives.add(word + "t" + a)
        elif low.endswith("e") and len(low) > 2 and low[-2] != "e":
            # Häme: Hämeen, Hämeessä; Raahe: Raahen, Raahessa; alue: alueella
            weak_stems.update({word, word + "e"})
            strong_stems.update({word, word + "e"})
            partitives.update({word + "tt" + a, word + "tt" + a.replace("ä", "a")})
        elif low[-1:] in _VOWELS:
            weak_stems.add(_weak(word))
            strong_stems.add(word)
            partitives.update({word + a, word + "t" + a})
        else:
            weak_stems.add(word + "i")
            strong_stems.add(word + "i")
            partitives.add(word + "i" + a)
    for stem in weak_stems:
        forms.update(
            stem + ending
            for ending in ("n", "ss" + a, "st" + a, "ll" + a, "lt" + a, "lle", "ksi", "t")
        )
    for stem in strong_stems:
        last = stem[-1:]
        long_vowel = len(stem) > 1 and stem[-2] == last and last in _VOWELS
        if long_vowel or stem.casefold().endswith(("ie", "uo", "yö")):
            forms.update({stem + "h" + last + "n", stem + "seen", stem + "hin"})
        else:
            forms.add(stem + last + "n")
        forms.add(stem + "n" + a)
    forms.update(partitives)
    forms.update(_IRREGULAR.get(word, ()))
    return {prefix + f for f in forms}


# --------------------------------------------------------------------------------------
# Base forms: Voikko when available, suffix stripping otherwise
# --------------------------------------------------------------------------------------

_ENDINGS = cases.longest_first(
    cases.GENITIVE + cases.LOCAL + cases.TRANSLATIVE + cases.ESSIVE + cases.PARTITIVE + ("s",)
)


def _stripped(word: str) -> list[str]:
    """Candidate base forms by removing one case ending (and an illative ``-Vn``)."""
    out = []
    low = word.casefold()
    for ending in _ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 2:
            out.append(word[: -len(ending)])
    if len(low) > 3 and low.endswith("n") and low[-2] == low[-3]:
        out.append(word[:-2])
    return out


# Generic words after a name that say which level is meant ("Kuopion seutukunta").
_GENERIC: dict[str, AreaLevel] = {
    "kunta": AreaLevel.MUNICIPALITY,
    "kaupunki": AreaLevel.MUNICIPALITY,
    "kommun": AreaLevel.MUNICIPALITY,
    "stad": AreaLevel.MUNICIPALITY,
    "seutukunta": AreaLevel.SUBREGION,
    "seutu": AreaLevel.SUBREGION,
    "seutukunta-alue": AreaLevel.SUBREGION,
    "ekonomiska region": AreaLevel.SUBREGION,
    "maakunta": AreaLevel.REGION,
    "landskap": AreaLevel.REGION,
    "landskapet": AreaLevel.REGION,
    "hyvinvointialue": AreaLevel.WELLBEING_COUNTY,
    "välfärdsområde": AreaLevel.WELLBEING_COUNTY,
    "välfärdsområdet": AreaLevel.WELLBEING_COUNTY,
    "sote-alue": AreaLevel.WELLBEING_COUNTY,
}
_GENERIC_FORMS: dict[str, str] = {}
for _generic in _GENERIC:
    for _form in inflected_forms(_generic) | {_generic}:
        _GENERIC_FORMS.setdefault(_form.casefold(), _generic)
# irregular forms the rules do not make
_GENERIC_FORMS.update(
    {
        "kaupungin": "kaupunki",
        "kaupungissa": "kaupunki",
        "kaupungista": "kaupunki",
        "kaupunkiin": "kaupunki",
        "kunnan": "kunta",
        "kunnassa": "kunta",
        "kunnasta": "kunta",
        "kuntaan": "kunta",
        "kunnalla": "kunta",
        "seutukunnan": "seutukunta",
        "seutukunnassa": "seutukunta",
        "seutukunnasta": "seutukunta",
        "seutukunnalla": "seutukunta",
        "seutukunnat": "seutukunta",
        "seudun": "seutu",
        "seudulla": "seutu",
        "seudulta": "seutu",
        "seudulle": "seutu",
        "maakunnan": "maakunta",
        "maakunnassa": "maakunta",
        "maakunnasta": "maakunta",
        "maakunnalla": "maakunta",
        "hyvinvointialueen": "hyvinvointialue",
        "hyvinvointialueella": "hyvinvointialue",
        "hyvinvointialueelta": "hyvinvointialue",
        "hyvinvointialueelle": "hyvinvointialue",
        "hyvinvointialueeseen": "hyvinvointialue",
        "hyvinvointialueena": "hyvinvointialue",
        "sote-alueen": "sote-alue",
        "sote-alueella": "sote-alue",
    }
)


# --------------------------------------------------------------------------------------
# The resolver
# --------------------------------------------------------------------------------------


class RegionResolver:
    """Resolve place names to municipalities, sub-regions, regions and wellbeing counties.

    The classification tables are loaded once per process (cached) and every lookup is
    memoised per resolver, so one resolver can serve a whole corpus.

    Parameters
    ----------
    use_voikko:
        Use Voikko base forms when libvoikko and its Finnish dictionary are installed. Without
        Voikko the generated inflection table and suffix stripping still resolve the common
        case forms.

    Examples
    --------
    >>> r = RegionResolver()
    >>> [r.resolve(t, level=AreaLevel.SUBREGION, year=2018).name for t in ("Pielisen Karjalan",
    ...  "Koillismaan")]
    ['Pielisen Karjala', 'Koillismaa']
    >>> r.resolve("Etelä-Savossa").kind
    'region'
    >>> r.resolve("Koillismaa", level=AreaLevel.MUNICIPALITY) is None
    True
    """

    def __init__(self, *, use_voikko: bool = True) -> None:
        self._data = _data()
        self._use_voikko = use_voikko
        self._cache: dict[tuple[str, AreaLevel | None, int], RegionMatch | None] = {}

    # ----- public API ---------------------------------------------------------------

    def resolve(
        self, text: str, *, level: AreaLevel | None = None, year: int | None = None
    ) -> RegionMatch | None:
        """Resolve one place name as written.

        Parameters
        ----------
        text:
            The name as a text writes it: any case form, Finnish or Swedish, optionally
            followed by a generic word (``kunta``, ``kaupunki``, ``seutukunta``, ``seutu``,
            ``maakunta``, ``hyvinvointialue``) that selects the level.
        level:
            Only accept a unit of this level (``None`` or ``AreaLevel.UNKNOWN``: any level,
            municipalities first). A region name asked for as a wellbeing county resolves
            to the county that covers that region, where exactly one does.
        year:
            Classification year (1 January); ``None`` means the newest (2026). Years outside
            2013–2026 use the nearest one.

        Returns
        -------
        RegionMatch or None
            ``None`` when the text names no unit of that level (an unresolved area).

        Examples
        --------
        >>> r = RegionResolver()
        >>> r.resolve("Iitti", level=AreaLevel.MUNICIPALITY, year=2020).code
        '142'
        >>> r.resolve("Heinävesi", level=AreaLevel.REGION) is None
        True
        """
        year_used = _clamp(year)
        if level is AreaLevel.UNKNOWN:
            level = None
        key = (text, level, year_used)
        if key not in self._cache:
            if len(self._cache) >= _WORD_CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = self._resolve(text, level, year_used)
        return self._cache[key]

    def resolve_all(
        self, texts: Iterable[str], *, level: AreaLevel | None = None, year: int | None = None
    ) -> list[RegionMatch | None]:
        """Resolve several names (one result per name, ``None`` where unresolved).

        Examples
        --------
        >>> [m and m.code for m in RegionResolver().resolve_all(["Kuopio", "Itä-Suomi"])]
        ['297', None]
        """
        return [self.resolve(t, level=level, year=year) for t in texts]

    def municipality_membership(self, code: str | int, year: int | None = None) -> Membership:
        """Return the sub-region, region, wellbeing county and NUTS 3 of a municipality.

        Raises
        ------
        KeyError
            If the municipality was not in force in that year (abolished or unknown code).

        Examples
        --------
        >>> m = RegionResolver().municipality_membership(91, 2024)
        >>> m.subregion, m.region, m.wellbeing_county, m.sote_area, m.nuts3
        ('011', '01', None, '90', 'FI1B1')
        """
        code = f"{int(str(code)):03d}"
        year_used = _clamp(year)
        span = self._data.span("municipality", code, year_used)
        if span is None:
            raise KeyError(f"municipality {code} is not in the {year_used} classification")
        row = span.row
        area = row["wellbeing_area"] or None
        county = area if area and self._data.county_kind.get(area) == "county" else None
        return Membership(
            municipality=code,
            year=year_used,
            name=row["name_fi"],
            subregion=row["subregion"],
            region=row["region"],
            wellbeing_county=county,
            sote_area=area,
            nuts3=row["nuts3"] or None,
        )

    def find(self, text: str, *, year: int | None = None) -> list[PlaceMention]:
        """Find the place names in free text (an article, a project description).

        A capitalised word, or up to five words starting with one (``Pielisen Karjalan
        seutukunnassa``, ``Vantaan ja Keravan hyvinvointialueella``), that resolves is a
        target-area mention with ``iri``, ``code``, ``canonical_name`` and ``level`` filled.
        Not taken as places: a genitive that modifies a following common noun (``Kuopion
        yliopistollinen sairaala``, ``Turun yliopisto``) and, at the start of a sentence, a
        word Voikko knows only as a common noun. Kept as unresolved mentions (no ``iri``):
        a place genitive before a geographic head noun (``Turun saaristossa``) and informal
        compass-point areas (``Itä-Suomessa``, ``Pohjois-Suomen``).

        Parameters
        ----------
        text:
            The text to scan.
        year:
            Classification year for the resolved mentions (``None``: the newest).

        Returns
        -------
        list of PlaceMention
            In text order; spans are offsets into ``text``.

        Examples
        --------
        >>> r = RegionResolver()
        >>> found = r.find("Hanke toimii Kuusamossa ja Turun saaristossa, ei Turun yliopistossa.")
        >>> [(p.text, p.code) for p in found]
        [('Kuusamossa', '305'), ('Turun saaristossa', None)]
        """
        words = [(m.group(), m.start(), m.end()) for m in _FIND_WORD.finditer(text)]
        out: list[PlaceMention] = []
        i = 0
        while i < len(words):
            word = words[i][0]
            if not word[:1].isupper():
                i += 1
                continue
            step = self._find_at(text, words, i, year, out)
            i += step
        return out

    def _find_at(
        self,
        text: str,
        words: list[tuple[str, int, int]],
        i: int,
        year: int | None,
        out: list[PlaceMention],
    ) -> int:
        """Try the phrases starting at word ``i``; append what is found; return words used."""
        start = words[i][1]
        sentence_start = _sentence_start(text, start)
        for n in range(min(5, len(words) - i), 0, -1):
            end = words[i + n - 1][2]
            if n > 1 and any(
                _FIND_GAP.search(text[words[k][2] : words[k + 1][1]]) for k in range(i, i + n - 1)
            ):
                continue
            if (
                n > 1
                and not words[i + n - 1][0][:1].isupper()
                and not _is_generic(words[i + n - 1][0])
            ):
                continue  # a phrase ends in a name or in a generic word ("seutukunnassa")
            phrase = text[start:end]
            match = self.resolve(phrase, year=year)
            if match is None:
                continue
            if n == 1 and sentence_start and self._use_voikko and _common_noun_only(phrase):
                return 1
            if i > 0 and self._use_voikko and _first_name(text, words[i - 1], start):
                return n  # "Matti Salo": a person
            follower = words[i + n] if i + n < len(words) else None
            gap = text[end : follower[1]] if follower else ""
            genitive = _genitive(words[i + n - 1][0], self._use_voikko)
            if follower and not _FIND_GAP.search(gap) and follower[0][:1].isupper() and genitive:
                return n  # "Helsingin Sanomat", "Etelä-Savon ELY-keskus": part of a name
            if follower and not _FIND_GAP.search(gap) and follower[0][:1].islower():
                head = follower[0].casefold()
                if any(head.startswith(h) for h in _GEO_HEADS):
                    out.append(
                        PlaceMention(text[start : follower[2]], span=Span(start, follower[2]))
                    )
                    return n + 1
                if head not in _LIST_WORDS and genitive:
                    return n  # "Turun yliopisto": a modifier, not a place mention
            out.append(
                PlaceMention(
                    phrase,
                    level=match.level,
                    span=Span(start, end),
                    iri=str(match.iri),
                    code=match.code,
                    canonical_name=match.name,
                )
            )
            return n
        word = words[i][0]
        if _INFORMAL_AREA.match(word):
            out.append(PlaceMention(word, span=Span(start, words[i][2])))
        return 1

    def municipalities(self, kind: str, code: str, year: int | None = None) -> list[str]:
        """Return the codes of the municipalities in a sub-region, region or county in a year.

        Examples
        --------
        >>> RegionResolver().municipalities("subregion", "178", 2018)
        ['305', '832']
        """
        if kind == "municipality":
            return [code]
        return self._data.municipalities_in(kind, code, _clamp(year))

    def match(self, kind: str, code: str, year: int | None = None) -> RegionMatch:
        """Return the :class:`RegionMatch` of a unit given by kind and code.

        Raises
        ------
        KeyError
            If there is no such unit.

        Examples
        --------
        >>> RegionResolver().match("wellbeingcounty", "14").name
        'Pohjois-Karjalan hyvinvointialue'
        """
        year_used = _clamp(year)
        span = self._data.span(kind, code, year_used) or self._data.last_span(kind, code)
        if span is None:
            raise KeyError(f"no {kind} with code {code}")
        name = span.row["name_fi"]
        return RegionMatch(kind, code, region_iri(kind, code), name, year_used, name)

    # ----- internals ----------------------------------------------------------------

    def _resolve(self, text: str, level: AreaLevel | None, year: int) -> RegionMatch | None:
        norm = _norm(text)
        if not norm or len(norm) > 120:
            return None
        found = self._lookup(norm, level, year)
        if found is not None:
            return found
        # a generic word at the end: "Kuopion seutukunta", "Pohjois-Karjalan hyvinvointialueella"
        words = norm.split(" ")
        for n_generic in (2, 1):
            if len(words) <= n_generic:
                continue
            tail = " ".join(words[-n_generic:])
            generic = _GENERIC_FORMS.get(tail)
            if generic is None:
                continue
            hint = _GENERIC[generic]
            if level is not None and level is not hint:
                return None
            head = " ".join(words[:-n_generic])
            return self._lookup(head, hint, year)
        return None

    def _lookup(self, norm: str, level: AreaLevel | None, year: int) -> RegionMatch | None:
        for base in self._base_forms(norm):
            entries = self._data.names.get(base)
            if entries:
                match = self._choose(base, entries, level, year)
                if match is not None:
                    return match
        return None

    def _base_forms(self, norm: str) -> Iterator[str]:
        """Yield candidate base forms of a normalised phrase, most reliable first."""
        seen: set[str] = set()

        def fresh(keys: Iterable[str]) -> Iterator[str]:
            for k in keys:
                if k not in seen:
                    seen.add(k)
                    yield k

        yield from fresh([norm])
        yield from fresh(sorted(self._data.forms.get(norm, ())))
        head, sep, last = norm.rpartition(" ")
        prefix = head + sep
        if self._use_voikko:
            yield from fresh(prefix + b.casefold() for b in _voikko_bases(last))
        yield from fresh(prefix + s for s in _stripped(last))

    def _choose(
        self, base: str, entries: list[_Name], level: AreaLevel | None, year: int
    ) -> RegionMatch | None:
        data = self._data
        # units in force in the year first (region Lappi before the Lappi merged into Rauma
        # in 2009), then municipalities before sub-regions, regions and counties
        ranked = sorted(entries, key=lambda e: (not e.first <= year <= e.last, _PRIORITY[e.kind]))
        for entry in ranked:
            if level is not None and entry.kind != level.value:
                continue
            if level is None and entry.last < FIRST_YEAR:
                # municipalities abolished before 2013 ("Saari", "Rautio", "Kuusisto" are
                # surnames too): only when the text says a municipality is meant
                continue
            if entry.kind == "municipality":
                code = data.successor(entry.code, year)
                if code is None:
                    # named before it existed, or a year before a later merger: take the
                    # municipality as it was when the name was valid
                    code = entry.code if data.last_span("municipality", entry.code) else None
                if code is None:
                    continue
                span = data.span("municipality", code, year) or data.last_span("municipality", code)
                assert span is not None
                return RegionMatch(
                    "municipality",
                    code,
                    region_iri("municipality", code),
                    span.row["name_fi"],
                    year,
                    data.display.get(base, base),
                    replaced=entry.code if code != entry.code else None,
                )
            span = data.span(entry.kind, entry.code, year) or data.last_span(entry.kind, entry.code)
            if span is None:
                continue
            if entry.kind == "wellbeingcounty":
                year = max(year, COUNTY_FIRST_YEAR)
            return RegionMatch(
                entry.kind,
                entry.code,
                region_iri(entry.kind, entry.code),
                span.row["name_fi"],
                year,
                data.display.get(base, base),
            )
        if level is AreaLevel.WELLBEING_COUNTY:
            for entry in ranked:
                if entry.kind == "region":
                    county = self._county_of_region(entry.code, year)
                    if county is not None:
                        return county
        return None

    def _county_of_region(self, region: str, year: int) -> RegionMatch | None:
        year = max(year, COUNTY_FIRST_YEAR)
        counties = {
            m.wellbeing_county
            for code in self._data.municipalities_in("region", region, year)
            if (m := self.municipality_membership(code, year)).wellbeing_county
        }
        if len(counties) != 1:
            return None
        return self.match("wellbeingcounty", counties.pop(), year)


_FIND_WORD = re.compile(r"\w+(?:[-:]\w+)*")
_FIND_GAP = re.compile(r"[^ \t\u00a0]")  # words of one name: spaces only, same line
_LIST_WORDS = frozenset({"ja", "sekä", "tai", "och", "eli"})
_GEO_HEADS = ("saaristo", "rannikko", "maaseutu", "lähialue", "talousalue", "kaupunkiseutu")
_INFORMAL_AREA = re.compile(
    r"^(?:Itä|Länsi|Pohjois|Etelä|Keski|Sisä|Koillis|Kaakkois|Lounais|Luoteis)-Suom\w*$"
)


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:\n" or text[:start].endswith("\n")


def _is_generic(word: str) -> bool:
    return word.casefold() in _GENERIC_FORMS


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _classes_and_cases(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """Voikko's word classes and cases of a word (empty without Voikko)."""
    analyses = voikko.analyse(word)
    return (
        frozenset(a.get("CLASS", "") for a in analyses),
        frozenset(a.get("SIJAMUOTO", "") for a in analyses),
    )


def _common_noun_only(word: str) -> bool:
    """Voikko knows the word, and not as a proper noun (a sentence-initial common noun)."""
    classes = _classes_and_cases(word)[0]
    return bool(classes) and not classes & {"paikannimi", "nimi"}


def _first_name(text: str, previous: tuple[str, int, int], start: int) -> bool:
    """The word just before (separated by a space only) is a first name per Voikko."""
    word, _, end = previous
    if _FIND_GAP.search(text[end:start]) or not word[:1].isupper():
        return False
    return "etunimi" in _classes_and_cases(word)[0]


def _genitive(word: str, use_voikko: bool) -> bool:
    cases = _classes_and_cases(word)[1] if use_voikko else frozenset()
    if not cases:
        return word.endswith("n")
    return "omanto" in cases


def _clamp(year: int | None) -> int:
    if year is None:
        return LAST_YEAR
    return min(max(int(year), FIRST_YEAR), LAST_YEAR)


def _voikko_bases(word: str) -> list[str]:
    bases = list(voikko.base_forms(word, places_first=True))
    if not bases and "-" in word:
        # Voikko may not know the whole compound ("Haapavesi-Siikalatvan"): lemmatise the last part
        head, _, last = word.rpartition("-")
        bases = [head + "-" + b.casefold() for b in voikko.base_forms(last, places_first=True)]
    return bases


# --------------------------------------------------------------------------------------
# Today's map, and the RDF reference graph
# --------------------------------------------------------------------------------------


def current_wellbeing_counties(
    codes: Iterable[str | RegionMatch], *, year: int = LAST_YEAR
) -> list[RegionMatch]:
    """Return the wellbeing counties that today's map (2026) puts the given areas in.

    Parameters
    ----------
    codes:
        Municipality codes (``"911"``; abolished ones follow their merger), region IRIs
        (``".../subregion/125"``) or :class:`RegionMatch` results of any year. A sub-region or
        region counts with the municipalities it had in the match's year (for an IRI: in the
        last year it existed), each placed on today's map.
    year:
        The map to use; the newest classification by default.

    Returns
    -------
    list of RegionMatch
        Sorted by code. Helsinki and Åland are not wellbeing counties and add nothing.

    Examples
    --------
    >>> [c.name for c in current_wellbeing_counties(["090", "911"])]
    ['Pohjois-Karjalan hyvinvointialue']
    >>> [c.code for c in current_wellbeing_counties(["https://w3id.org/sotegraph/id/region/01"])]
    ['01', '02', '03', '04']
    >>> etela_savo_2018 = RegionResolver().resolve("Etelä-Savo", year=2018)
    >>> [c.code for c in current_wellbeing_counties([etela_savo_2018])]  # with Heinävesi, Joroinen
    ['12', '13', '14']
    """
    resolver = RegionResolver(use_voikko=False)
    data = resolver._data
    found: set[str] = set()
    for item in codes:
        area_year: int | None = None
        if isinstance(item, RegionMatch):
            kind, code, area_year = item.kind, item.code, item.year
        else:
            text = str(item)
            if "/" in text:
                kind, code = text.rstrip("/").split("/")[-2:]
            else:
                kind, code = "municipality", f"{int(text):03d}"
        if kind == "wellbeingcounty":
            if data.county_kind.get(code) == "county":
                found.add(code)
            continue
        if kind == "municipality":
            munis = [code]
        else:
            # the area as it was in its own year (a 2018 "Etelä-Savo" still holds Heinävesi),
            # or in the last year the unit existed (sub-region Kyrönmaa ended in 2020)
            spans = data.spans.get(kind, {}).get(code, [])
            if area_year is None or not any(sp.first <= area_year <= sp.last for sp in spans):
                area_year = max((sp.last for sp in spans if sp.first <= year), default=year)
            munis = data.municipalities_in(kind, code, area_year)
        for muni in munis:
            current = data.successor(muni, year)
            if current is None:
                continue
            county = resolver.municipality_membership(current, year).wellbeing_county
            if county:
                found.add(county)
    return [resolver.match("wellbeingcounty", c, year) for c in sorted(found)]


def _membership_iri(code: str, year: int) -> URIRef:
    return SGID[f"membership/{code}-{year}"]


@cache
def _region_triples() -> tuple[tuple[URIRef, URIRef, URIRef | Literal], ...]:
    data = _data()
    out: list[tuple[URIRef, URIRef, URIRef | Literal]] = []

    def add(s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        out.append((s, p, o))

    classes = {
        "municipality": SG.Municipality,
        "subregion": SG.SubRegion,
        "region": SG.Region,
        "wellbeingcounty": SG.WellbeingCounty,
    }
    in_props = {
        "subregion": SG.inSubRegion,
        "region": SG.inRegion,
        "wellbeingcounty": SG.inWellbeingCounty,
    }
    for kind, table in data.spans.items():
        for code, spans in sorted(table.items()):
            if kind == "wellbeingcounty" and data.county_kind[code] != "county":
                continue  # Helsinki (90) and Åland (91) are not wellbeing counties
            iri = region_iri(kind, code)
            last = spans[-1].row
            add(iri, RDF.type, classes[kind])
            add(iri, SKOS.notation, Literal(code))
            for lang in ("fi", "sv", "en"):
                if last[f"name_{lang}"]:
                    add(iri, SKOS.prefLabel, Literal(last[f"name_{lang}"], lang=lang))
                older = {s.row[f"name_{lang}"] for s in spans} - {last[f"name_{lang}"], ""}
                for alt in sorted(older):
                    add(iri, SKOS.altLabel, Literal(alt, lang=lang))
            current = data.span(kind, code, LAST_YEAR)
            if current is None:
                continue
            if kind == "municipality":
                row = current.row
                add(iri, SG.inSubRegion, region_iri("subregion", row["subregion"]))
                add(iri, SG.inRegion, region_iri("region", row["region"]))
                if data.county_kind.get(row["wellbeing_area"]) == "county":
                    add(
                        iri,
                        SG.inWellbeingCounty,
                        region_iri("wellbeingcounty", row["wellbeing_area"]),
                    )
            elif kind == "subregion":
                add(iri, SG.inRegion, region_iri("region", current.row["region"]))
            elif kind == "wellbeingcounty":
                regions = {
                    data.span("municipality", m, LAST_YEAR).row["region"]  # type: ignore[union-attr]
                    for m in data.municipalities_in(kind, code, LAST_YEAR)
                }
                for region in sorted(regions):
                    add(iri, SG.inRegion, region_iri("region", region))
    for kind, code, alias in data.aliases:
        add(region_iri(kind, code), SKOS.altLabel, Literal(alias, lang="fi"))
    # year-dependent membership, one flat node per municipality and year
    membership, of_municipality, nuts3 = SG.RegionMembership, SG.municipality, SG.nuts3
    for code, spans in sorted(data.spans["municipality"].items()):
        for span in spans:
            row = span.row
            for year in range(span.first, span.last + 1):
                node = _membership_iri(code, year)
                add(node, RDF.type, membership)
                add(node, of_municipality, region_iri("municipality", code))
                add(node, SG.classificationYear, Literal(year, datatype=XSD.integer))
                add(node, in_props["subregion"], region_iri("subregion", row["subregion"]))
                add(node, in_props["region"], region_iri("region", row["region"]))
                if data.county_kind.get(row["wellbeing_area"]) == "county":
                    add(
                        node,
                        in_props["wellbeingcounty"],
                        region_iri("wellbeingcounty", row["wellbeing_area"]),
                    )
                if row["nuts3"]:
                    add(node, nuts3, Literal(row["nuts3"]))
    # mergers: the abolished municipality is replaced by its successor on a date
    for abolished, (successor, _year, name) in sorted(data.mergers.items()):
        iri = region_iri("municipality", abolished)
        if abolished not in data.spans["municipality"]:
            add(iri, RDF.type, SG.Municipality)
            add(iri, SKOS.notation, Literal(abolished))
            add(iri, SKOS.prefLabel, Literal(name, lang="fi"))
        add(iri, DCTERMS.isReplacedBy, region_iri("municipality", successor))
        add(region_iri("municipality", successor), DCTERMS.replaces, iri)
    for row in _read("mergers.csv"):
        add(
            region_iri("municipality", row["abolished"]),
            SCHEMA.dissolutionDate,
            Literal(_dt.date.fromisoformat(row["date"]), datatype=XSD.date),
        )
    return tuple(out)


def regions_graph(*, copy: bool = False) -> Graph:
    """Return the reference graph ``sgid:graph/regions``.

    Municipalities, sub-regions, regions and wellbeing counties with ``skos:prefLabel``
    (fi/sv/en), ``skos:notation`` and the **current** (2026) ``sg:inSubRegion`` /
    ``sg:inRegion`` / ``sg:inWellbeingCounty``; one flat membership node per municipality and
    year (``sgid:membership/090-2018``: ``sg:municipality``, ``sg:classificationYear``,
    ``sg:inSubRegion``, ``sg:inRegion``, ``sg:inWellbeingCounty`` from 2023, ``sg:nuts3``);
    mergers as ``dcterms:isReplacedBy`` / ``dcterms:replaces`` with ``schema:dissolutionDate``.
    About 32,000 triples.

    Parameters
    ----------
    copy:
        The graph is built once per process and shared: treat it as read-only. Pass
        ``copy=True`` for a new graph you may change.

    Examples
    --------
    >>> g = regions_graph()
    >>> from sotegraph.namespaces import region_iri, SG
    >>> (region_iri("municipality", 90), SG.inRegion, region_iri("region", 12)) in g
    True
    >>> regions_graph() is g, regions_graph(copy=True) is g
    (True, False)
    """
    if not copy:
        return _shared_regions_graph()
    g = Graph(identifier=REGIONS_GRAPH)
    bind_prefixes(g)
    for triple in _region_triples():
        g.add(triple)
    return g


@cache
def _shared_regions_graph() -> Graph:
    return regions_graph(copy=True)

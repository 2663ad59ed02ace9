"""Assign sote development themes (SKOS concepts of ``data/themes.ttl``) to texts.

Words are matched in base form against the Finnish preferred and alternative labels of the
themes: ``työhyvinvointia`` → työhyvinvointi, ``kevytyrittäjien`` → kevytyrittäjyys,
``kolmannen sektorin`` → kolmas sektori. Base forms come from the caller (``lemmas=``, e.g.
spaCy's), from Voikko (``libvoikko``, optional) and from rules that work without it:
``-minen`` nouns from their inflected forms (``johtamisen`` → johtaminen), case endings
stripped, and stems of the labels (``kevytyrittäjänä`` starts like ``kevytyrittäjä``).
A compound that starts or ends with a label (``digitalisaatiohanke``,
``järjestötaustainen``, ``naisyrittäjyys``) counts too, with a lower weight.

Examples
--------
>>> from sotegraph.reference.themes import ThemeResolver
>>> r = ThemeResolver()
>>> [m.label for m in r.assign("Hanke edistää työhyvinvointia ja kevytyrittäjien verkostoja.")]
['työhyvinvointi', 'kevytyrittäjyys', 'verkostoituminen']
>>> m = r.assign("Tietoa digitalisaatiosta.")[0]
>>> m.label, m.span.start, m.span.end, m.iri
('digitalisaatio', 7, 24, 'https://w3id.org/sotegraph/id/theme/digitalisaatio')
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from rdflib import Graph
from rdflib.namespace import SKOS
from rdflib.term import URIRef

from sotegraph import resources
from sotegraph.facts import Span, ThemeMention
from sotegraph.namespaces import SGID, bind_prefixes
from sotegraph.nlp import cases, voikko

__all__ = ["THEMES_GRAPH", "ThemeConcept", "ThemeResolver", "themes_graph"]

THEMES_GRAPH = SGID["graph/themes"]
#: weight factor of a theme found as the first or last part of a compound word
COMPOUND_FACTOR = 0.6
#: shortest label (in characters) looked for inside compounds and by stem
MIN_AFFIX = 6
_CACHE_SIZE = 200_000

_WORD = re.compile(r"\w+(?:-\w+)*")
_MINEN = re.compile(
    r"^(\w+?m)i(?:nen|sen|sta|stä|sessa|sessä|sesta|sestä|seen|sella|sellä|selle|sena|senä|"
    r"seksi|set|sia|siä|sten|siin|sissa|sissä|sista|sistä|silla|sillä)$"
)
# 3rd infinitive ("yhteiskehittämällä", "johtamassa") -> the -minen noun
#: the third infinitive (tekemällä, tekemässä, tekemästä, tekemään, tekemättä)
_MA_ENDINGS = ("lla", "llä", "ssa", "ssä", "sta", "stä", "an", "än", *cases.ABESSIVE_INSTRUCTIVE)
_MA_INFINITIVE = re.compile(r"^(\w+?[aeiouyäö])m[aä](?:" + "|".join(_MA_ENDINGS) + ")$")
_SENTENCE_END = re.compile(r"[.!?:;\n•–—|]")
# Labels too general to name a theme when they end a compound (the compound is about
# something else: ympäristöosaaminen, työmarkkinajärjestöt, asukasyhdistys).
_GENERIC_HEADS = frozenset(
    {"osaaminen", "järjestö", "järjestöt", "yhdistys", "yhdistykset", "verkosto", "verkostot"}
)
_CASE_RESTS = frozenset(
    cases.GENITIVE
    + cases.PARTITIVE
    + cases.LOCAL
    + cases.ESSIVE
    + cases.TRANSLATIVE
    + cases.ILLATIVE_SHORT
    + ("hin", "seen")
    + cases.NOMINATIVE_PLURAL
    + ("jen", "den", "tten")
    + ("ja", "jä", "ita", "itä")
    + cases.LOCAL_PLURAL
    + cases.OTHER_PLURAL
    + ("kin",)
)

_ENDINGS = cases.longest_first(
    (
        "iden",
        "itten",
        *cases.LOCAL,
        *cases.TRANSLATIVE,
        *cases.ESSIVE,
        *cases.PARTITIVE,
        "en",
        *cases.GENITIVE,
        *cases.NOMINATIVE_PLURAL,
    )
)


@dataclass(frozen=True, slots=True)
class ThemeConcept:
    """One theme of the scheme: IRI, Finnish preferred label and alternative labels."""

    iri: str
    label: str
    alt_labels: tuple[str, ...]


@cache
def _theme_graph() -> Graph:
    g = Graph()
    g.parse(data=resources.data_file("themes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


@cache
def _concepts() -> tuple[ThemeConcept, ...]:
    g = _theme_graph()
    out = []
    for iri in sorted({str(s) for s in g.subjects(SKOS.inScheme, None)}):
        concept = URIRef(iri)
        pref = [
            str(o) for o in g.objects(concept, SKOS.prefLabel) if getattr(o, "language", "") == "fi"
        ]
        alts = sorted(
            str(o) for o in g.objects(concept, SKOS.altLabel) if getattr(o, "language", "") == "fi"
        )
        if pref:
            out.append(ThemeConcept(iri, pref[0], tuple(alts)))
    return tuple(out)


def themes_graph() -> Graph:
    """Return the reference graph ``sgid:graph/themes`` (the SKOS scheme) as a new graph.

    Examples
    --------
    >>> from sotegraph.namespaces import theme_iri, SG
    >>> from rdflib.namespace import RDF
    >>> g = themes_graph()
    >>> (theme_iri("kevytyrittäjyys"), RDF.type, SG.Theme) in g
    True
    """
    g = Graph(identifier=THEMES_GRAPH)
    bind_prefixes(g)
    for triple in _theme_graph():
        g.add(triple)
    return g


class ThemeResolver:
    """Find the themes a text talks about.

    The scheme is loaded once per process; base forms of words are memoised per resolver.

    Parameters
    ----------
    use_voikko:
        Use Voikko base forms when libvoikko is installed; the rule-based forms are used
        either way.

    Examples
    --------
    >>> r = ThemeResolver(use_voikko=False)
    >>> [m.label for m in r.assign("Osuuskuntien ja järjestöjen yhteistyö")]
    ['osuuskunnat', 'järjestöt']
    >>> r.assign("Kunnan tiet korjataan.")
    []
    """

    def __init__(self, *, use_voikko: bool = True) -> None:
        self._use_voikko = use_voikko
        self.concepts = _concepts()
        self._single: dict[str, set[int]] = defaultdict(set)
        self._multi: dict[str, list[tuple[tuple[frozenset[str], ...], int]]] = defaultdict(list)
        self._stems: dict[str, set[int]] = defaultdict(set)
        self._word_cache: dict[str, tuple[frozenset[str], bool]] = {}
        self._affix_cache: dict[str, tuple[tuple[int, float], ...]] = {}
        for i, concept in enumerate(self.concepts):
            for label in (concept.label, *concept.alt_labels):
                words = [w.casefold() for w in _WORD.findall(label)]
                if not words:
                    continue
                keys = tuple(frozenset(self._label_keys(w)) for w in words)
                if len(keys) == 1:
                    for key in keys[0]:
                        self._single[key].add(i)
                        if len(key) >= MIN_AFFIX:
                            self._stems[key].add(i)
                else:
                    for key in keys[0]:
                        self._multi[key].append((keys, i))
        self._lengths = sorted({len(k) for k in self._stems}, reverse=True)
        # stems of single-word labels for inflected forms Voikko does not know:
        # stem -> [(concept, letters the rest may start with; "" = only a case ending)]
        self._stem_index: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for label, concepts in self._stems.items():
            stems = [(label, "")]
            if label[-1] in "aä":
                stems.append((label[:-1], "aäio"))  # kevytyrittäjä: kevytyrittäjien
            elif label.endswith(("us", "ys", "ös")):
                stems.append((label[:-1], "dtk"))  # kevytyrittäjyys: kevytyrittäjyyden
            elif label.endswith("t"):
                stems.append((label[:-1], ""))  # järjestöt: järjestöjen, sote-palveluissa
            elif label.endswith("nen"):
                stems.append((label[:-3] + "s", "eit"))  # johtaminen: johtamisen
            for stem, allowed in stems:
                for c in concepts:
                    self._stem_index[stem].append((c, allowed))
        self._stem_lengths = sorted({len(k) for k in self._stem_index}, reverse=True)
        # A word can only match if it contains the start ("core") of some label word: the
        # other words skip Voikko and the affix search (most words of a text).
        label_words: set[str] = set(self._single) | set(self._stems)
        for entries in self._multi.values():
            for label_keys, _ in entries:
                for keyset in label_keys:
                    label_words.update(keyset)
        self._short_words = frozenset(w for w in label_words if len(w) < 4)
        cores = sorted({w[:4] for w in label_words if len(w) >= 4})
        self._cores = re.compile("|".join(re.escape(c) for c in cores))

    # ----- public API ---------------------------------------------------------------

    def assign(
        self, text: str, *, lemmas: list[str] | None = None, weight: float = 1.0
    ) -> list[ThemeMention]:
        """Return the theme mentions in ``text``, in text order.

        Parameters
        ----------
        text:
            Any Finnish text: a project name, a summary, an article paragraph.
        lemmas:
            Base forms of the words of ``text`` from an upstream lemmatiser (e.g. spaCy), in
            order. When there is one per word of ``text`` (words are runs of letters, digits and
            inner hyphens; lemmas of punctuation tokens are ignored) they are used beside the
            resolver's own base forms; otherwise they are matched on their own and the
            mentions carry no span.
        weight:
            Weight of a whole-word match (the weight of the text as evidence, e.g. 1.0 for a
            project name, less for a general paragraph). A compound-part match gets
            ``weight * COMPOUND_FACTOR``.

        Returns
        -------
        list of ThemeMention
            One per occurrence, ``label`` the theme's Finnish preferred label, ``iri`` its IRI,
            ``span`` the words that matched.
        """
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        spans: list[tuple[int, int] | None]
        if lemmas is not None and len(lemmas) != len(words):
            # spaCy-style lemmas include punctuation tokens: drop those and try again
            lemmas = [lemma for lemma in lemmas if _WORD.search(lemma)]
        if lemmas is not None and len(lemmas) != len(words):
            words = [(lemma, 0, 0) for lemma in lemmas if lemma.strip()]
            spans = [None] * len(words)
            extra: list[str | None] = [None] * len(words)
        else:
            spans = [(start, end) for _, start, end in words]
            extra = list(lemmas) if lemmas is not None else [None] * len(words)
        keysets = [self._word_keys(w, extra[i]) for i, (w, _, _) in enumerate(words)]
        # a capitalised word inside a sentence is a name ("Työterveyslaitos"): no compound parts
        proper = [
            k > 0
            and spans[k] is not None
            and w[:1].isupper()
            and not _SENTENCE_END.search(text[words[k - 1][2] : words[k][1]])
            for k, (w, _, _) in enumerate(words)
        ]
        found: list[ThemeMention] = []
        i = 0
        while i < len(words):
            hit = self._match_at(keysets, i, compounds=not proper[i])
            if hit is not None:
                length, concepts, factor = hit
                first, last = spans[i], spans[i + length - 1]
                span = Span(first[0], last[1]) if first and last else None
                for c in sorted(concepts):
                    concept = self.concepts[c]
                    found.append(ThemeMention(concept.label, span, weight * factor, concept.iri))
                i += length
            else:
                i += 1
        return found

    def themes(self, text: str, *, weight: float = 1.0) -> dict[str, float]:
        """Return ``{theme IRI: summed weight}`` of the mentions in ``text``.

        Examples
        --------
        >>> ThemeResolver().themes("Etätyö ja etätyön johtaminen")
        {'https://w3id.org/sotegraph/id/theme/etatyo': 2.0, 'https://w3id.org/sotegraph/id/theme/johtaminen': 1.0}
        """
        out: dict[str, float] = defaultdict(float)
        for m in self.assign(text, weight=weight):
            if m.iri is not None:
                out[m.iri] += m.weight
        return dict(out)

    def concept(self, label: str) -> ThemeConcept | None:
        """Return the concept whose Finnish preferred or alternative label is ``label``.

        Examples
        --------
        >>> ThemeResolver().concept("osuuskunta").label
        'osuuskunnat'
        """
        low = label.casefold()
        for c in self.concepts:
            if low == c.label.casefold() or low in (a.casefold() for a in c.alt_labels):
                return c
        return None

    # ----- internals ----------------------------------------------------------------

    def _match_at(
        self, keysets: list[tuple[frozenset[str], bool]], i: int, *, compounds: bool = True
    ) -> tuple[int, set[int], float] | None:
        keys, known = keysets[i]
        if not keys:
            return None  # a word that cannot match (most words of a text)
        best: tuple[int, set[int], float] | None = None
        for key in keys:
            for label_keys, concept in self._multi.get(key, ()):
                n = len(label_keys)
                if i + n > len(keysets):
                    continue
                if all(keysets[i + k][0] & label_keys[k] for k in range(1, n)):
                    if best is None or n > best[0]:
                        best = (n, {concept}, 1.0)
                    elif n == best[0]:
                        best[1].add(concept)
        if best is not None:
            return best
        whole: set[int] = set().union(*(self._single.get(k, ()) for k in keys))
        if whole:
            return 1, whole, 1.0
        parts: dict[int, float] = {}
        for key in keys:
            for concept, factor in self._affixes(key, known=known, compounds=compounds):
                parts[concept] = max(parts.get(concept, 0.0), factor)
        if parts:
            factor = max(parts.values())
            return 1, {c for c, f in parts.items() if f == factor}, factor
        return None

    def _affixes(
        self, key: str, *, known: bool, compounds: bool = True
    ) -> tuple[tuple[int, float], ...]:
        """Labels a word starts or ends with (compounds) or, if ``known`` is false (Voikko
        did not know the word), is an inflected form of (stems)."""
        cache_key = f"{key}\t{known}\t{compounds}"
        cached = self._affix_cache.get(cache_key)
        if cached is not None:
            return cached
        out: dict[int, float] = {}
        word = key
        for n in self._lengths if compounds else ():
            if n + 3 > len(word):
                continue
            for part in (word[:n], word[-n:]):
                if part == word[-n:] and part in _GENERIC_HEADS:
                    continue  # "ympäristöosaaminen", "työmarkkinajärjestö": another thing
                for concept in self._stems.get(part, ()):
                    out.setdefault(concept, COMPOUND_FACTOR)
        if not known:
            for n in self._stem_lengths:
                if n >= len(word):
                    continue
                rest = word[n:]
                for concept, allowed in self._stem_index.get(word[:n], ()):
                    if rest in _CASE_RESTS or (allowed and rest[0] in allowed):
                        out[concept] = 1.0
        result = tuple(sorted(out.items()))
        if len(self._affix_cache) >= _CACHE_SIZE:
            self._affix_cache.clear()
        self._affix_cache[cache_key] = result
        return result

    def _label_keys(self, word: str) -> set[str]:
        keys = {word}
        # Voikko gives the verb as the base form of a -minen noun ("johtaminen" -> "johtaa"):
        # that would match every form of the verb, so -minen labels keep their own form only
        # (the text side maps inflected -minen forms back to it).
        if self._use_voikko and not word.endswith("minen"):
            keys.update(b.casefold() for b in voikko.base_forms(word, places_first=True))
        return keys

    def _word_keys(self, word: str, lemma: str | None) -> tuple[frozenset[str], bool]:
        """Candidate base forms of a word, and whether a lemmatiser knew it."""
        low = word.casefold()
        cache_key = low if lemma is None else f"{low}\t{lemma.casefold()}"
        cached = self._word_cache.get(cache_key)
        if cached is not None:
            return cached
        if (
            low not in self._short_words
            and self._cores.search(low) is None
            and (lemma is None or self._cores.search(lemma.casefold()) is None)
        ):
            irrelevant: tuple[frozenset[str], bool] = (frozenset(), True)
            self._remember(cache_key, irrelevant)
            return irrelevant
        keys = {low}
        known = False
        if lemma:
            keys.add(lemma.casefold())
            known = lemma.casefold() != low
        elif self._use_voikko:
            bases = voikko.base_forms(word, places_first=True)
            keys.update(b.casefold() for b in bases)
            known = bool(bases)
        m = _MINEN.match(low)
        if m:
            keys.add(m.group(1) + "inen")
        m = _MA_INFINITIVE.match(low)
        if m:
            keys.add(m.group(1) + "minen")
        for ending in _ENDINGS:
            if low.endswith(ending) and len(low) - len(ending) >= 4:
                keys.add(low[: -len(ending)])
        result = (frozenset(keys), known)
        self._remember(cache_key, result)
        return result

    def _remember(self, key: str, value: tuple[frozenset[str], bool]) -> None:
        if len(self._word_cache) >= _CACHE_SIZE:
            self._word_cache.clear()
        self._word_cache[key] = value

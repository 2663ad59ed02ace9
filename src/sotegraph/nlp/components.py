"""spaCy components of the sotegraph pipeline, registered with ``@Language.factory``.

Importing this module registers the component factories (``sotegraph_base_forms_v1``,
``sotegraph_gazetteer_v1``, ``sotegraph_values_v1``, ``sotegraph_cues_v1``,
``sotegraph_domain_shapes_v1``, ``sotegraph_organisations_v1``; versioned by a ``_v<N>``
suffix because spaCy does not allow dots in factory names; each declares what it
``assigns`` and ``requires``, so ``nlp.analyze_pipes()`` checks the order) and the versioned pattern sources in ``spacy.registry.misc``
(``sotegraph.gazetteer_patterns.v1``, ``sotegraph.value_patterns.v1``,
``sotegraph.cue_patterns.v1``) that the ``SpanRuler`` components take as their ``patterns``
setting. ``pipeline.cfg`` in this package puts them after the statistical components of
``spacy_fi_experimental_web_md``.

What each one leaves on the ``Doc``:

==================================  =====================================================
component                           result
==================================  =====================================================
``sotegraph_base_forms``           ``token.norm_`` = lower-cased base form (lemma; Voikko
                                    for hyphenated compounds and abbreviations with a case
                                    ending). Runs after the models, which read NORM.
``sotegraph_gazetteer``             ``doc.spans["sg_gazetteer"]``: known organisations
                                    (authority file, funders, municipalities, wellbeing
                                    counties, bulk-list implementers: see
                                    ``lexicon.gazetteer_entries``), label ``ORG``,
                                    ``span.id_`` = the entry's name; a trie over base forms
                                    with whole-name and exact-abbreviation rules.
``sotegraph_values``                ``doc.spans["sg_values"]``: ``PERIOD`` and ``MONEY``
                                    (``SpanRuler``, patterns in ``data/nlp/patterns.jsonl``).
``sotegraph_cues``                  ``doc.spans["sg_cues"]``: role, membership, sister,
                                    gathering and negation cue words (``SpanRuler`` from
                                    ``data/nlp/cues.json``).
``sotegraph_domain_shapes``         ``doc.spans["sg_names"]`` (``PROJECT``, ``CONSORTIUM``,
                                    ``NETWORK``, ``PROGRAMME``, ``ALIAS``) and
                                    ``doc.spans["sg_org_shapes"]``.
``sotegraph_organisations``         ``doc.spans["sg_organisations"]``: the organisation
                                    mentions (gazetteer > shape > model NER), with
                                    abbreviations introduced in parentheses applied to the
                                    rest of the document; ``span.id_`` names the source.
                                    ``doc.ents`` corrected: organisation mentions become
                                    ``ORG`` (``Jamk`` tagged PERSON, ``Keva`` GPE) and
                                    lower-case ORG noise (``sote-alan``) is dropped.
==================================  =====================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry

from sotegraph import resources
from sotegraph.nlp import cases
from sotegraph.nlp import shapes as _shapes
from sotegraph.nlp.lexicon import (
    base_forms,
    cues,
    gazetteer_entries,
    is_legal_form,
    is_org_head,
    is_place_name,
    strip_case_suffix,
    token_base,
)
from sotegraph.nlp.voikko import analyse as voikko_analyse

__all__ = [
    "BaseForms",
    "CueMarker",
    "DomainShapes",
    "Gazetteer",
    "OrganisationMentions",
    "cue_patterns",
    "gazetteer_patterns",
    "value_patterns",
]

SPANS_GAZETTEER = "sg_gazetteer"
SPANS_VALUES = "sg_values"
SPANS_CUES = "sg_cues"
SPANS_NAMES = "sg_names"
SPANS_ORG_SHAPES = "sg_org_shapes"
SPANS_ORGS = "sg_organisations"
SPANS_SENTENCES = "sg_sentences"


class BaseForms:
    """Set ``token.norm_`` to the token's lower-cased base form."""

    def __init__(self, name: str = "sotegraph_base_forms") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc:
            if tok.is_alpha or "-" in tok.text or ":" in tok.text:
                tok.norm_ = token_base(tok.text, tok.lemma_)
        return doc


@Language.factory(
    "sotegraph_base_forms_v1",
    assigns=["token.norm"],
    requires=["token.lemma"],
)
def make_base_forms(nlp: Language, name: str) -> BaseForms:
    """Create the base-forms component."""
    return BaseForms(name)


def gazetteer_patterns(nlp: Language) -> list[dict[str, Any]]:
    """Return the gazetteer's patterns: every known organisation name and alias.

    Each pattern is ``{"id": canonical name, "label": "ORG", "words": [...], "strict": bool,
    "exact": bool, "source": ...}`` (``words`` as the tokenizer splits the name). Every word
    matches any of its base forms, so inflected mentions (``Työterveyslaitoksen``,
    ``Jyväskylän ammattikorkeakoulun``) are found. ``strict`` names (one word, or upper
    case words in a mixed-case name) match capitalised tokens only (``Keva``, ``Turun
    AMK``); ``exact`` names, runs of at most three capitals (``LAB``, ``STM``, ``EU``), match
    that very spelling only (``STM:n`` too, not ``Lab`` or ``Stm``).

    >>> import spacy
    >>> pats = gazetteer_patterns(spacy.blank("fi"))
    >>> [p for p in pats if p["words"] == ["LAB"]][0]["exact"]
    True
    """
    out: list[dict[str, Any]] = []
    for entry in gazetteer_entries():
        for label in dict.fromkeys([entry.name, *entry.aliases]):
            words = [w for w, _norm in _label_tokens(nlp, label)]
            if not words or (len(words) == 1 and len(words[0]) < 2):
                continue
            exact = len(words) == 1 and _is_short_caps(words[0])
            mixed = any(c.islower() for c in label)
            strict = len(words) == 1 or (mixed and any(w.isupper() and len(w) > 1 for w in words))
            out.append(
                {
                    "id": entry.name,
                    "label": entry.label,
                    "words": words,
                    "strict": strict,
                    "exact": exact,
                    "source": entry.source,
                }
            )
    return out


_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_CHUNKS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}  # (language, chunk)


def _label_tokens(nlp: Language, label: str) -> list[tuple[str, str]]:
    """The tokens of a name as the tokenizer splits it, with their NORM.

    The tokenizer splits at white space first, so each chunk is split once and remembered;
    a chunk of letters (with inner hyphens) that is no special case is one token itself.
    """
    out: list[tuple[str, str]] = []
    rules = nlp.tokenizer.rules  # type: ignore[union-attr]
    for chunk in label.split():
        key = (nlp.lang or "", chunk)
        toks = _CHUNKS.get(key)
        if toks is None:
            if _PLAIN_WORD.fullmatch(chunk) and chunk not in rules:
                toks = ((chunk, chunk.lower()),)
            else:
                toks = tuple((t.text, t.norm_) for t in nlp.make_doc(chunk))
            _CHUNKS[key] = toks
        out.extend(toks)
    return out


@cache
def _shipped_patterns() -> list[dict[str, Any]]:
    """The patterns of the shipped gazetteer, made once per process."""
    import spacy

    return gazetteer_patterns(spacy.blank("fi"))


def _is_short_caps(word: str) -> bool:
    """``LAB``, ``STM``, ``EU``: a run of two or three capitals (no lower-case letter)."""
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(letters) <= 3 and all(c.isupper() for c in letters) and len(word) <= 4


@registry.misc("sotegraph.gazetteer_patterns.v1")
def make_gazetteer_patterns() -> list[dict[str, Any]]:
    """Registered pattern source: the organisation gazetteer (see :func:`gazetteer_patterns`),
    made once per process (the pipeline's component then reuses its compiled trie)."""
    return _shipped_patterns()


_MAX_VARIANTS = 16


_SOURCE_RANK = {"authority": 0, "funders": 1, "public": 2, "implementers": 3}


class _Pattern:
    """One compiled name: what the matched tokens are checked against."""

    __slots__ = ("exact", "ident", "label", "org_head", "proper", "rank", "strict", "words")

    def __init__(self, pat: dict[str, Any]) -> None:
        self.ident: str = pat["id"]
        self.label: str = pat["label"]
        self.words: tuple[str, ...] = tuple(pat["words"])
        self.strict = bool(pat.get("strict"))
        self.exact = bool(pat.get("exact"))
        # of two names matching the same words, the more trusted source's wins
        self.rank = _SOURCE_RANK.get(pat.get("source", ""), len(_SOURCE_RANK))
        last = self.words[-1].lower()
        self.org_head = len(self.words) > 1 and is_org_head(last)
        # a proper-name run: every word capitalised ("Business Finland", "Keva")
        self.proper = all(w[:1].isupper() or not w[:1].isalpha() for w in self.words)


@lru_cache(maxsize=65536)
def _head_keys(word: str, norm: str) -> tuple[str, ...]:
    """Keys of a name's last word: its base forms (it inflects: ``ammattikorkeakoulun``)."""
    return tuple(sorted(base_forms(word) | {norm}))


def _word_keys(word: str, norm: str) -> tuple[str, ...]:
    """Keys of a word before the last: as written. A genitive keeps its form in a mention
    (``Kuopion kaupungin``, never ``Kuopiossa kaupunki``); a word in its base form that
    agrees with the head (``Humanistisen``) has it as its NORM."""
    low = word.lower()
    return (low,) if norm == low else (low, norm)


#: Singular case endings glued to a name no dictionary knows (``Noviasta``, ``Kevaan``).
_GLUED_ENDINGS = cases.longest_first(
    [
        *("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "na", "nä"),
        *("ta", "tä", "a", "ä", "n", "han", "hen", "hin", "hon", "hun", "hyn", "hän", "hön"),
        *("aan", "een", "iin", "oon", "uun", "yyn", "ään", "öön"),
    ]
)


@lru_cache(maxsize=16384)
def _case_stems(text: str) -> tuple[str, ...]:
    """Stems of a capitalised word without a case ending: ``Noviasta`` → ``novia``."""
    out = dict.fromkeys(s.lower() for s in strip_case_suffix(text))
    low = text.lower()
    for ending in _GLUED_ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            out.setdefault(low[: -len(ending)])
    return tuple(out)


class Gazetteer:
    """Find known organisations by the base forms of their words.

    The names are kept in a trie: a name's last word under each of its base forms (it is
    the word that inflects), the words before it as written (and under their NORM), and the
    text's tokens carry their base form in NORM (``sotegraph_base_forms``), so one walk per
    token, by NORM or lower-case form, finds every inflected mention; a capitalised word no
    dictionary knows is also looked up without a case ending (``Noviasta``). The trie of
    the shipped names is built once per process (about 11,600 names). A match is kept only
    if it passes the matching rules:

    * ``exact`` names (``LAB``, ``STM``) only as written, also with a colon ending
      (``STM:n``): ``Lab`` in ``Living Lab`` is not LAB-ammattikorkeakoulu;
    * ``strict`` names on capitalised tokens only (``keva`` is not Keva); a one-word name
      on a word that starts with it and is not shorter (``NOVA`` is not ``Novia``, which
      Voikko also reads as a form of *nova*);
    * a word before the last keeps its written form (``Kuopion kaupunki``, not ``Kuopiossa
      kaupunki``), and an institution word does not stand in the plural (``Kuopion ja
      Siilinjärven kunnissa`` are two municipalities, not one organisation);
    * whole names only: a one-word or all-capitalised match next to another capitalised
      word of the same clause that belongs to no other match (and is no legal form or
      person's name) is a part of a longer name (``NOVA University of Lisbon``) and is
      dropped.
    """

    def __init__(
        self, nlp: Language, name: str, spans_key: str, patterns: list[dict[str, Any]]
    ) -> None:
        self.name = name
        self.spans_key = spans_key
        self.root = _compiled(nlp, patterns)

    def _find(self, doc: Doc) -> list[tuple[int, int, _Pattern]]:
        children = self.root[0]
        n = len(doc)
        keys = [(t.norm_, t.lower_) for t in doc]
        found: list[tuple[int, int, _Pattern]] = []
        for i in range(n):
            frontier = _next_nodes(children, keys[i])
            if not frontier and doc[i].text[:1].isupper():  # "Noviasta": an unknown name
                stems = _case_stems(doc[i].text)
                frontier = [node for k in stems if (node := children.get(k)) is not None]
            j = i + 1
            while frontier:
                for node in frontier:
                    found.extend((i, j, pat) for pat in node[1])
                if j >= n:
                    break
                frontier = [c for node in frontier for c in _next_nodes(node[0], keys[j])]
                j += 1
        return found

    def __call__(self, doc: Doc) -> Doc:
        raw = [(s, e, p) for s, e, p in self._find(doc) if _tokens_fit(doc, s, e, p)]
        raw.sort(key=lambda m: m[2].rank)  # filter_spans keeps the first of equal spans
        cover: dict[int, int] = {}
        for s, e, _p in raw:
            for k in range(s, e):
                cover[k] = cover.get(k, 0) + 1
        spans: list[Span] = []
        for s, e, p in raw:
            if (e - s == 1 or p.proper) and _part_of_longer_name(doc, s, e, cover):
                continue
            spans.append(Span(doc, s, e, label=p.label, span_id=p.ident))
        doc.spans[self.spans_key] = filter_spans(spans)
        return doc


Trie = tuple[dict[str, Any], list["_Pattern"]]


def _next_nodes(children: dict[str, Any], keys: tuple[str, str]) -> list[Trie]:
    """The children a token leads to, by its NORM or its lower-case form."""
    norm, low = keys
    a = children.get(norm)
    b = children.get(low) if low != norm else None
    if a is None:
        return [] if b is None else [b]
    return [a] if b is None or b is a else [a, b]


def _compiled(nlp: Language, patterns: list[dict[str, Any]]) -> Trie:
    """The trie of ``patterns`` (built once per process for the shipped patterns)."""
    if patterns is _shipped_patterns():
        return _shipped_trie()
    return _build_trie(nlp, patterns)


@cache
def _shipped_trie() -> Trie:
    import spacy

    return _build_trie(spacy.blank("fi"), _shipped_patterns())


def _build_trie(nlp: Language, patterns: list[dict[str, Any]]) -> Trie:
    from itertools import islice, product

    root: Trie = ({}, [])
    for raw in patterns:
        pat = _Pattern(raw)
        norms = [n for _w, n in _label_tokens(nlp, " ".join(pat.words))]
        if len(norms) != len(pat.words):
            norms = [w.lower() for w in pat.words]
        last = len(pat.words) - 1
        variants = [
            _head_keys(w, nm) if i == last else _word_keys(w, nm)
            for i, (w, nm) in enumerate(zip(pat.words, norms, strict=True))
        ]
        for combo in islice(product(*variants), _MAX_VARIANTS):
            node = root
            for key in combo:
                nxt = node[0].get(key)
                if nxt is None:
                    nxt = node[0][key] = ({}, [])
                node = nxt
            if pat not in node[1]:
                node[1].append(pat)
    return root


def _tokens_fit(doc: Doc, start: int, end: int, pat: _Pattern) -> bool:
    toks = doc[start:end]
    if len(toks) != len(pat.words):
        return False
    if pat.exact:
        return toks[0].text.split(":", 1)[0] == pat.words[0]
    if pat.strict and not all(
        t.text[:1].isupper() or t.text[:1].isdigit() or not t.is_alpha for t in toks
    ):
        return False  # "keva" in lower case is not Keva
    if len(toks) == 1:
        core = toks[0].text.split(":", 1)[0].casefold()
        word = pat.words[0].casefold()
        # "NOVA" is not "Novia", "Saimi" is not "Saimia"
        return len(core) >= len(word) and _common_prefix(core, word) >= max(len(word) - 2, 2)
    return not (pat.org_head and "Plur" in toks[-1].morph.get("Number", []))


@lru_cache(maxsize=16384)
def _person_word(word: str) -> bool:
    """A word Voikko knows as a first name or a surname."""
    return any(a.get("CLASS") in ("etunimi", "sukunimi") for a in voikko_analyse(word))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _part_of_longer_name(doc: Doc, start: int, end: int, cover: dict[int, int]) -> bool:
    """True if a capitalised word of the same clause joins the match from either side and is
    in no other match: the match is a part of a longer name (``Living Lab``, ``NOVA
    University of Lisbon``)."""

    def joins(i: int) -> bool:
        tok = doc[i]
        return (
            tok.is_alpha
            and tok.text[:1].isupper()
            and cover.get(i, 0) == 0
            and not is_legal_form(tok.text)
            and not _person_word(tok.text)  # "kertoo Aino Virtanen Kevasta"
        )

    if start > 1 and joins(start - 1) and doc[start - 2].is_alpha:
        return True  # "toimii Living Lab": not at the start of a clause
    return end < len(doc) and joins(end)


@Language.factory(
    "sotegraph_gazetteer_v1",
    assigns=["doc.spans"],
    requires=["token.norm"],
    default_config={
        "spans_key": SPANS_GAZETTEER,
        "patterns": {"@misc": "sotegraph.gazetteer_patterns.v1"},
    },
)
def make_gazetteer(
    nlp: Language, name: str, spans_key: str, patterns: list[dict[str, Any]]
) -> Gazetteer:
    """Create the organisation gazetteer component."""
    return Gazetteer(nlp, name, spans_key, patterns)


@registry.misc("sotegraph.value_patterns.v1")
def value_patterns() -> list[dict[str, Any]]:
    """Return the period and money patterns of ``data/nlp/patterns.jsonl``."""
    import json

    text = resources.data_file("nlp", "patterns.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@Language.factory(
    "sotegraph_values_v1",
    assigns=["doc.spans"],
    requires=["token.norm"],
    default_config={
        "spans_key": SPANS_VALUES,
        "overwrite": True,
        "patterns": {"@misc": "sotegraph.value_patterns.v1"},
    },
)
def make_values(
    nlp: Language, name: str, spans_key: str, overwrite: bool, patterns: list[dict[str, Any]]
) -> SpanRuler:
    """Create a ``SpanRuler`` for periods and amounts of money."""
    ruler = SpanRuler(
        nlp,
        name,
        spans_key=spans_key,
        overwrite=overwrite,
        validate=True,
        spans_filter=_longest,
    )
    ruler.add_patterns(patterns)
    return ruler


def _longest(a: Iterable[Span], b: Iterable[Span]) -> list[Span]:
    """Keep the longest of overlapping value spans (``208 856 €``, not also ``856 €``)."""
    return filter_spans([*a, *b])


def _forms_regex(forms: Iterable[str]) -> str:
    return "^(?:" + "|".join(forms) + ")$"


@registry.misc("sotegraph.cue_patterns.v1")
def cue_patterns() -> list[dict[str, Any]]:
    """Return the cue-word patterns built from ``data/nlp/cues.json``.

    Labels: the roles (``lead``, ``partner``, ``collaborator``, ``funder``,
    ``coordinator``), ``member``, ``sister``, ``gathering``, ``negation``.
    """
    c = cues()
    out: list[dict[str, Any]] = []
    for role, spec in c["roles"].items():
        out.append({"label": role, "pattern": [{"NORM": {"IN": spec["lemmas"]}}]})
        out.append({"label": role, "pattern": [{"LOWER": {"REGEX": _forms_regex(spec["forms"])}}]})
    out.append({"label": "member", "pattern": [{"NORM": {"IN": c["membership"]["verbs"]}}]})
    out.append(
        {
            "label": "member",
            "pattern": [{"LOWER": {"REGEX": _forms_regex(c["membership"]["forms"])}}],
        }
    )
    for key in ("sister", "gathering"):
        out.append({"label": key, "pattern": [{"LOWER": {"REGEX": _forms_regex(c[key]["forms"])}}]})
    out.append({"label": "negation", "pattern": [{"LOWER": {"IN": c["negation"]["forms"]}}]})
    for opener in c["negation"]["clause_openers"]:
        out.append({"label": "negation", "pattern": [{"LOWER": w} for w in opener]})
    return out


class CueMarker:
    """Mark cue words: one-token patterns (``NORM``/``LOWER`` sets, ``LOWER`` regular
    expressions) and fixed phrases (``toisin kuin``) in the ``SpanRuler`` pattern format.

    Each distinct (word, base form) is classified once and remembered, so a corpus costs a
    dictionary lookup per token (the same patterns in a ``SpanRuler`` ran every regular
    expression on every token).
    """

    def __init__(self, name: str, spans_key: str, patterns: list[dict[str, Any]]) -> None:
        self.name = name
        self.spans_key = spans_key
        self.norms: dict[str, set[str]] = {}
        self.lowers: dict[str, set[str]] = {}
        self.regexes: list[tuple[str, re.Pattern[str]]] = []
        self.phrases: list[tuple[str, tuple[str, ...]]] = []
        self._memo: dict[tuple[str, str], frozenset[str]] = {}
        for pat in patterns:
            label, tokens = pat["label"], pat["pattern"]
            if len(tokens) > 1:
                self.phrases.append((label, tuple(t["LOWER"] for t in tokens)))
                continue
            spec = tokens[0]
            for attr, target in (("NORM", self.norms), ("LOWER", self.lowers)):
                value = spec.get(attr)
                if isinstance(value, dict) and "IN" in value:
                    for v in value["IN"]:
                        target.setdefault(v, set()).add(label)
                elif isinstance(value, dict) and "REGEX" in value:
                    self.regexes.append((label, re.compile(value["REGEX"])))
                elif isinstance(value, str):
                    target.setdefault(value, set()).add(label)

    def labels(self, lower: str, norm: str) -> frozenset[str]:
        """The cue labels of one word (memoised)."""
        key = (lower, norm)
        hit = self._memo.get(key)
        if hit is None:
            out = set(self.lowers.get(lower, ())) | set(self.norms.get(norm, ()))
            out.update(label for label, rx in self.regexes if rx.search(lower))
            hit = self._memo[key] = frozenset(out)
        return hit

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for tok in doc:
            if not tok.is_alpha and "-" not in tok.text:
                continue
            for label in sorted(self.labels(tok.lower_, tok.norm_)):
                spans.append(Span(doc, tok.i, tok.i + 1, label=label))
        for label, words in self.phrases:
            n = len(words)
            for tok in doc:
                if (
                    tok.lower_ == words[0]
                    and tok.i + n <= len(doc)
                    and all(doc[tok.i + k].lower_ == words[k] for k in range(1, n))
                ):
                    spans.append(Span(doc, tok.i, tok.i + n, label=label))
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory(
    "sotegraph_cues_v1",
    assigns=["doc.spans"],
    requires=["token.norm"],
    default_config={
        "spans_key": SPANS_CUES,
        "patterns": {"@misc": "sotegraph.cue_patterns.v1"},
    },
)
def make_cues(
    nlp: Language, name: str, spans_key: str, patterns: list[dict[str, Any]]
) -> CueMarker:
    """Create the cue-word component."""
    return CueMarker(name, spans_key, patterns)


class DomainShapes:
    """Find project, group and organisation names by their shape (see :mod:`.shapes`)."""

    def __init__(self, name: str = "sotegraph_domain_shapes") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        units = _shapes.sentence_units(doc)
        doc.spans[SPANS_SENTENCES] = [Span(doc, s, e, label="S") for s, e in units]
        doc.spans[SPANS_NAMES] = _shapes.find_names(doc, units, not_names=_known_names())
        doc.spans[SPANS_ORG_SHAPES] = _shapes.find_organisation_shapes(doc, units)
        return doc


def _known_names() -> frozenset[str]:
    """Lower-cased names and aliases of known organisations (never project names)."""
    if not _KNOWN:
        _KNOWN.append(
            frozenset(n.casefold() for e in gazetteer_entries() for n in (e.name, *e.aliases) if n)
        )
    return _KNOWN[0]


_KNOWN: list[frozenset[str]] = []


@Language.factory(
    "sotegraph_domain_shapes_v1",
    assigns=["doc.spans"],
    requires=["token.norm", "token.dep", "token.head", "token.pos", "doc.sents"],
)
def make_shapes(nlp: Language, name: str) -> DomainShapes:
    """Create the domain-shapes component."""
    return DomainShapes(name)


_NOISE_LOWER = re.compile(r"^[a-zåäö]")


class OrganisationMentions:
    """Merge organisation mentions and correct the model's NER on them.

    Sources, in order of trust: the gazetteer, the organisation shapes, abbreviations
    introduced in parentheses (``Jyväskylän ammattikorkeakoulu (Jamk)``: every later
    ``Jamk``/``JAMK``/``Jamkin`` is that organisation), then the model's ORG entities and
    its PERSON/GPE entities that are single capitalised words or abbreviations (the model
    tags ``Siun Sote`` as PERSON and ``Keva`` as GPE). Project and group names are never
    organisations, nor are places (``Hollanti``, ``Kuopiossa``: an entity of the model that is
    a bare place name) or institution words in the plural (``Keski-Suomen kunnissa``).
    ``span.id_`` is ``gazetteer``, ``shape``, ``alias`` or ``ner``.
    """

    def __init__(self, name: str = "sotegraph_organisations", ner_labels: list[str] | None = None):
        self.name = name
        self.ner_labels = set(ner_labels or ["ORG", "PERSON", "GPE", "LOC", "NORP"])

    def __call__(self, doc: Doc) -> Doc:
        names = list(doc.spans.get(SPANS_NAMES, []))
        name_tokens = {i for s in names if s.label_ != "ALIAS" for i in range(s.start, s.end)}
        name_tokens_attached = {
            s.start for s in names if s.id_ == "attached" and s.label_ != "ALIAS"
        }
        cands: list[Span] = []
        for s in doc.spans.get(SPANS_GAZETTEER, []):
            if not (set(range(s.start, s.end)) & name_tokens_attached):
                cands.append(
                    Span(doc, s.start, s.end, label="ORG", kb_id=s.id_, span_id="gazetteer")
                )
        for s in doc.spans.get(SPANS_ORG_SHAPES, []):
            if not (set(range(s.start, s.end)) & name_tokens) and not _generic_plural(s):
                cands.append(Span(doc, s.start, s.end, label="ORG", span_id="shape"))
        for ent in doc.ents:
            if ent.label_ not in self.ner_labels:
                continue
            if _NOISE_LOWER.match(ent.text) or set(range(ent.start, ent.end)) & name_tokens:
                continue
            how = "ner" if ent.label_ == "ORG" else _org_like_entity(ent)
            if how is None or _is_place(ent):
                continue
            cands.append(Span(doc, ent.start, ent.end, label="ORG", span_id=how))
        # abbreviations in parentheses right after an organisation become aliases
        first = _staged(cands)
        alias_of: dict[str, Span] = {}
        for span, abbr in _shapes.find_aliases(doc, first):
            alias_of[abbr.text.lower()] = span
        extra: list[Span] = []
        if alias_of:
            for tok in doc:
                if not tok.text[:1].isupper() or tok.i in name_tokens:
                    continue
                key = tok.text.lower()
                hit = alias_of.get(key)
                if hit is None:
                    for stem in strip_case_suffix(tok.text):
                        hit = alias_of.get(stem.lower())
                        if hit is not None:
                            break
                if hit is not None and not (hit.start <= tok.i < hit.end):
                    extra.append(
                        Span(
                            doc,
                            tok.i,
                            tok.i + 1,
                            label="ORG",
                            kb_id=hit.kb_id_ or hit.text,
                            span_id="alias",
                        )
                    )
        final = _staged(extra + first)
        doc.spans[SPANS_ORGS] = final
        self._fix_ents(doc, final, name_tokens)
        return doc

    @staticmethod
    def _fix_ents(doc: Doc, orgs: list[Span], name_tokens: set[int]) -> None:
        keep: list[Span] = []
        taken: set[int] = set()
        for s in orgs:
            if s.id_ == "ner_weak":
                continue  # a lone capitalised word: an organisation only next to a role cue
            keep.append(Span(doc, s.start, s.end, label="ORG"))
            taken.update(range(s.start, s.end))
        for ent in doc.ents:
            toks = set(range(ent.start, ent.end))
            if toks & taken:
                continue
            if ent.label_ == "ORG" and (_NOISE_LOWER.match(ent.text) or toks & name_tokens):
                continue  # "sote-alan" as ORG; a project name as ORG
            keep.append(ent)
        doc.set_ents(filter_spans(keep), default="outside")


_STAGES = (("gazetteer", "alias"), ("shape",), ("ner",), ("ner_weak",))


def _is_place(span: Span) -> bool:
    """A place is never an organisation: ``Hollanti``, ``Kuopiossa``, ``Etelä-Pohjanmaa``
    (the model tags some as ORG, and a lone capitalised word may pass for one)."""
    words = [t.text for t in span if t.is_alpha or "-" in t.text]
    return bool(words) and (
        is_place_name(span.text) or all(is_place_name(w) or w in ("ja", "och") for w in words)
    )


def _generic_plural(span: Span) -> bool:
    """An institution word in the plural names several organisations, not one:
    ``Keski-Suomen kunnissa``, ``Pohjois-Savon kuntien`` (``Suomen Yrittäjät`` is no
    institution word)."""
    head = span[-1]
    return (
        len(span) > 1
        and "Plur" in head.morph.get("Number", [])
        and is_org_head(head.norm_ or head.lemma_.lower())
        and not is_legal_form(head.text)
    )


def _staged(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans: a more trusted source wins over a longer, less trusted one."""
    out: list[Span] = []
    taken: set[int] = set()
    for stage in _STAGES:
        group = filter_spans([s for s in spans if s.id_ in stage])
        for s in group:
            if not taken & set(range(s.start, s.end)):
                out.append(s)
                taken.update(range(s.start, s.end))
    return sorted(out, key=lambda s: s.start)


def _org_like_entity(ent: Span) -> str | None:
    """Judge a PERSON/GPE entity the model may have mislabelled (``Jamk``, ``Keva``).

    Returns ``"ner"`` for abbreviation-like words and ``… Sote`` names (likely
    organisations), ``"ner_weak"`` for other single capitalised words (an organisation
    only right next to a role cue), ``None`` for the rest (people's names, places).
    """
    words = [t.text for t in ent]
    if len(words) == 1:
        w = words[0]
        stems = strip_case_suffix(w)
        core = stems[0] if stems else w
        if any(c.isupper() for c in core[1:]) or "sote" in w.lower() or w.isupper():
            return "ner"
        return "ner_weak" if w[:1].isupper() else None
    if any(t.text.lower().startswith("sote") for t in ent[1:]):
        return "ner"
    return None


@Language.factory(
    "sotegraph_organisations_v1",
    assigns=["doc.spans", "doc.ents"],
    requires=["doc.spans", "doc.ents", "token.norm"],
    default_config={"ner_labels": ["ORG", "PERSON", "GPE", "LOC", "NORP"]},
)
def make_organisations(nlp: Language, name: str, ner_labels: list[str]) -> OrganisationMentions:
    """Create the organisation-mention component."""
    return OrganisationMentions(name, ner_labels)

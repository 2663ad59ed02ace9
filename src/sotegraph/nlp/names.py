"""Normalisation of Finnish organisation and project names for resolution.

Names are compared in three increasingly loose forms:

``folded``
    case, spacing, dashes and punctuation folded (``Oulun Yliopisto`` = ``OULUN YLIOPISTO``;
    ``elinkeino-, liikenne-`` = ``elinkeino-  liikenne-``); used for exact alias matches.
``base``
    the folded name without legal-form affixes (``Oy``, ``Oyj``, ``ry``, ``sr``, ``Ab`` …), with
    the HEAD word (the last word) lemmatised with Voikko and hyphens read as spaces
    (``Jyväskylän ammattikorkeakoulun`` → ``jyväskylän ammattikorkeakoulu``). Adjectives that
    agree with an inflected head are lemmatised too (``Humanistisen ammattikorkeakoulun`` →
    ``humanistinen ammattikorkeakoulu``); other words are left as written, because genitive
    attributes (``Jyväskylän``) are part of the name.
``candidates``
    further base forms to try against a known index: other Voikko readings and case endings
    stripped from the head word (``KAMKin`` → ``kamk``, ``Siun soten`` → ``siun sote``). These
    are only accepted when they hit a name that is already known.

Voikko (``libvoikko`` with Debian ``voikko-fi``) is optional: without it (or with the
environment variable ``SOTEGRAPH_NO_VOIKKO=1``) the base form is the folded form and inflection
is handled by the candidate suffixes alone.
Everything is cached: a bulk table repeats the same few thousand names.

Examples
--------
>>> from sotegraph.nlp.names import analyse_name, fold
>>> fold("Pohjois-Pohjanmaan elinkeino-  liikenne- ja ympäristökeskus")
'pohjois-pohjanmaan elinkeino- liikenne- ja ympäristökeskus'
>>> fold("Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus")
'pohjois-pohjanmaan elinkeino- liikenne- ja ympäristökeskus'
>>> analyse_name("Kajaanin Ammattikorkeakoulu Oy").base
'kajaanin ammattikorkeakoulu'
>>> analyse_name("ICCUNA OYTEEMU HAAPALAHTI").cleaned
'ICCUNA OY'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sotegraph.nlp import cases
from sotegraph.nlp.voikko import analyse, voikko_available

__all__ = [
    "NameForms",
    "analyse_name",
    "base_form",
    "clean_name",
    "fold",
    "head_lemma_name",
    "head_lemmas",
    "inflection_candidates",
    "lemmatise_head",
    "split_auxiliary_name",
    "strip_legal_form",
    "voikko_available",
]


@dataclass(frozen=True, slots=True)
class _Reading:
    baseform: str
    word_class: str
    case: str
    number: str


@lru_cache(maxsize=200_000)
def _analyse_word(word: str) -> tuple[_Reading, ...]:
    analyses = analyse(word)
    out: list[_Reading] = []
    seen: set[_Reading] = set()
    for a in analyses:
        r = _Reading(
            (a.get("BASEFORM") or "").casefold(),
            a.get("CLASS") or "",
            a.get("SIJAMUOTO") or "",
            a.get("NUMBER") or "",
        )
        if r.baseform and r not in seen:
            seen.add(r)
            out.append(r)
    return tuple(out)


# --------------------------------------------------------------------------- folding

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_PUNCT = re.compile(r"[,;.\"“”„«»'’´`!?*]+")
_SPACES = re.compile(r"\s+")
_SPACE_HYPHEN = re.compile(r"(?<=\w)- (?=ja\b|tai\b|sekä\b)")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Fold case, Unicode form, dashes, punctuation and spacing of a name.

    Commas and full stops are dropped (the bulk lists lose the comma in
    ``elinkeino-, liikenne- ja ympäristökeskus``); hyphens are kept.

    Parameters
    ----------
    text:
        A name as written.

    Returns
    -------
    str
        The folded name; empty when ``text`` has no letters or digits.

    Examples
    --------
    >>> fold("  Oulun   Yliopisto ")
    'oulun yliopisto'
    >>> fold("Etelä-Savon elinkeino‑, liikenne‑ ja ympäristökeskus")
    'etelä-savon elinkeino- liikenne- ja ympäristökeskus'
    """
    t = unicodedata.normalize("NFKC", text).translate(_DASHES).replace("\u00ad", "")
    t = _PUNCT.sub(" ", t.casefold())
    t = _SPACES.sub(" ", t).strip()
    return t


# --------------------------------------------------------------------------- legal forms

#: Legal-form words and abbreviations that may end (or start) a Finnish/Swedish name.
LEGAL_FORMS_END: tuple[tuple[str, ...], ...] = (
    ("oy", "ab"),
    ("ab", "oy"),
    ("oy", "ltd"),
    ("avoin", "yhtiö"),
    ("kommandiittiyhtiö",),
    ("osakeyhtiö",),
    ("oyj",),
    ("oy",),
    ("ab",),
    ("abp",),
    ("ltd",),
    ("ry",),
    ("rf",),
    ("r", "y"),
    ("sr",),
    ("ky",),
    ("kb",),
    ("ay",),
    ("tmi",),
    ("t:mi",),
    ("osk",),
    ("inc",),
    ("gmbh",),
)
LEGAL_FORMS_START: tuple[tuple[str, ...], ...] = (
    ("oy",),
    ("ab",),
    ("tmi",),
    ("t:mi",),
    ("kiinteistö", "oy"),
)

_LEGAL_LAST = frozenset(form[-1] for form in LEGAL_FORMS_END)
_LEGAL_FIRST = frozenset(form[0] for form in LEGAL_FORMS_START)


def strip_legal_form(folded: str) -> tuple[str, str | None]:
    """Remove legal-form affixes from a folded name.

    Returns the name without them and the affixes found (``None`` if none). A name that
    would be left empty is returned unchanged.

    Examples
    --------
    >>> strip_legal_form("kajaanin ammattikorkeakoulu oy")
    ('kajaanin ammattikorkeakoulu', 'oy')
    >>> strip_legal_form("oy maprotec ab")
    ('maprotec', 'oy ab')
    >>> strip_legal_form("oy")
    ('oy', None)
    """
    tokens = folded.split()
    if not tokens or (tokens[-1] not in _LEGAL_LAST and tokens[0] not in _LEGAL_FIRST):
        return folded, None
    front: list[str] = []
    back: list[str] = []
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for form in LEGAL_FORMS_END:
            n = len(form)
            if len(tokens) > n and tuple(tokens[-n:]) == form:
                back[:0] = list(form)
                tokens = tokens[:-n]
                changed = True
                break
        for form in LEGAL_FORMS_START:
            n = len(form)
            if len(tokens) > n and tuple(tokens[:n]) == form:
                front.extend(form)
                tokens = tokens[n:]
                changed = True
                break
    found = front + back
    return " ".join(tokens), (" ".join(found) if found else None)


# --------------------------------------------------------------------------- auxiliary names

_AUX_OY = re.compile(r"^(?P<main>.*?\S\s(?:OY|Oy))(?P<aux>(?!J\b)[A-ZÅÄÖ0-9].*)$")
_AUX_DUP = re.compile(r"^(?P<main>.*?\S\s(?:OYJ|KY|AB|RY|AY|LTD))(?P<aux>\S.*)$")


def split_auxiliary_name(name: str) -> tuple[str, str | None]:
    """Split a company name run together with its auxiliary business name.

    The EURA bulk lists write ``ICCUNA OYTEEMU HAAPALAHTI`` for the company ``ICCUNA OY``
    with the auxiliary name ``TEEMU HAAPALAHTI``. A legal form glued to a following
    capital letter marks the join (``OY`` always; ``KY``, ``AB``, ``RY`` only when the
    main name is repeated, as in ``HALTINMAA KYHALTINMAA KY``).

    Examples
    --------
    >>> split_auxiliary_name("ICCUNA OYTEEMU HAAPALAHTI")
    ('ICCUNA OY', 'TEEMU HAAPALAHTI')
    >>> split_auxiliary_name("HALTINMAA KYHALTINMAA KY")
    ('HALTINMAA KY', 'HALTINMAA KY')
    >>> split_auxiliary_name("VALTIMO COMPONENTS OYJ")
    ('VALTIMO COMPONENTS OYJ', None)
    >>> split_auxiliary_name("LOMAKYLÄ KAKSLAUTTANEN OY")
    ('LOMAKYLÄ KAKSLAUTTANEN OY', None)
    """
    s = name.strip()
    m = _AUX_OY.match(s)
    if m and len(m.group("aux").strip()) >= 2:
        return m.group("main"), m.group("aux").strip()
    m = _AUX_DUP.match(s)
    if m:
        main, aux = m.group("main"), m.group("aux").strip()
        first = main.split()[0]
        if aux.upper().startswith(first.upper()):
            return main, aux
    return s, None


# --------------------------------------------------------------------------- head words

_COLON_CASE = re.compile(r"^(?P<stem>[^:\s]+):[a-zåäö]{1,6}$")

#: Case endings tried on the head word when Voikko does not know it (proper names,
#: abbreviations read as words). Shortest first, so the longest stem is tried first.
_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [
            (s, "")
            for s in set(
                cases.GENITIVE
                + cases.PARTITIVE
                + cases.LOCAL
                + cases.TRANSLATIVE
                + cases.ESSIVE
                + ("in", "iin", "iksi", "ina", "inä", "ia", "iä")
                + cases.LOCAL_PLURAL
                + tuple(e for e in cases.ILLATIVE if e != "seen")
            )
        ]
        # -s words: kehitys -> kehityksen, kehitykseen, kehityksessä ...
        + [
            ("kse" + e, "s")
            for e in (
                *cases.GENITIVE,
                "en",
                *tuple(e for e in cases.LOCAL if not e.startswith("lt")),
                "na",
            )
        ]
        + [("sta", "s"), ("ksi", "s"), ("tten", "t")],
        key=lambda p: (len(p[0]), p[0]),
    )
)
_SUFFIXES_BY_LAST: dict[str, tuple[tuple[str, str], ...]] = {
    ch: tuple(p for p in _SUFFIXES if p[0].endswith(ch)) for ch in {p[0][-1] for p in _SUFFIXES}
}


def _suffix_stems(word: str, *, min_stem: int = 2) -> list[tuple[str, str]]:
    """``(suffix, stem)`` for every case ending ``word`` may carry, shortest ending first."""
    out = []
    for suffix, repl in _SUFFIXES_BY_LAST.get(word[-1:], ()):
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            out.append((suffix, word[: len(word) - len(suffix)] + repl))
    return out


#: The subset used to merge two unknown names with each other (safer: no bare vowel).
SAFE_SUFFIXES = frozenset(
    cases.GENITIVE + cases.LOCAL + ("in", "issa", "issä", "ista", "istä", "illa", "illä", "ksen")
)


def _strip_colon_case(word: str) -> str:
    if word == "t:mi":
        return word
    m = _COLON_CASE.match(word)
    return m.group("stem") if m else word


def _lemmas_of(word: str) -> list[tuple[str, _Reading | None]]:
    """Voikko base forms of ``word`` (hyphenated compounds: of the part after the last hyphen)."""
    readings = _analyse_word(word)
    if readings:
        return [(r.baseform, r) for r in readings]
    if "-" in word.strip("-"):
        prefix, _, last = word.rpartition("-")
        if last:
            return [(f"{prefix}-{r.baseform}", r) for r in _analyse_word(last)]
    return []


@lru_cache(maxsize=200_000)
def head_lemmas(word: str) -> tuple[str, ...]:
    """All base forms Voikko gives for a (folded) head word, the word itself first if it is one.

    Examples
    --------
    >>> head_lemmas("kt:n")
    ('kt',)
    >>> "työterveyslaitos" in head_lemmas("työterveyslaitoksen") or not voikko_available()
    True
    """
    w = _strip_colon_case(word)
    if w != word:
        return (w,)
    lemmas = [b for b, _ in _lemmas_of(w)]
    if not lemmas:
        return (w,)
    if w in lemmas:
        lemmas.remove(w)
        lemmas.insert(0, w)
    return tuple(dict.fromkeys(lemmas))


def _head_reading(word: str) -> tuple[str, _Reading | None] | None:
    """The lemma and reading chosen for a head word, ``None`` when it is a base form already."""
    lemmas = _lemmas_of(word)
    if not lemmas or any(b == word for b, _ in lemmas):
        return None
    # prefer a noun reading
    return next(
        ((b, r) for b, r in lemmas if r is not None and r.word_class in ("nimisana", "nimi")),
        lemmas[0],
    )


def lemmatise_head(tokens: list[str]) -> list[str]:
    """Lemmatise the head (last) token and the adjectives agreeing with it.

    Examples
    --------
    >>> words = "jyväskylän ammattikorkeakoulun".split()
    >>> " ".join(lemmatise_head(words)) if voikko_available() else "jyväskylän ammattikorkeakoulu"
    'jyväskylän ammattikorkeakoulu'
    """
    if not tokens:
        return tokens
    head = tokens[-1]
    w = _strip_colon_case(head)
    if w != head:
        return [*tokens[:-1], w]
    chosen = _head_reading(w)
    if chosen is None:
        return tokens
    lemma, reading = chosen
    out = [*tokens[:-1], lemma]
    if reading is not None and reading.case and reading.case != "nimento":
        i = len(out) - 2
        while i >= 0:
            adj = next(
                (
                    r
                    for r in _analyse_word(out[i])
                    if r.word_class == "laatusana"
                    and r.case == reading.case
                    and r.number == reading.number
                ),
                None,
            )
            if adj is None:
                break
            out[i] = adj.baseform
            i -= 1
    return out


# --------------------------------------------------------------------------- whole names

# a remark in parentheses after a name: the name starts with a letter, a digit or a quotation
# mark; ``=HYPERLINK("…","klik")`` or ``@SUM(1+1)`` is an expression, kept whole (issue 20)
_TRAILING_PAREN = re.compile(r"^(?=[\w\"'“”‘’«»])(?P<main>.*?\S)\s*\((?P<paren>[^()]{1,80})\)\s*$")
_UNIT_SUFFIX = re.compile(r"(ympäristökeskus|ely-keskus) (?:yritystuet|yritystuki)$")


@dataclass(frozen=True, slots=True)
class NameForms:
    """The forms of one organisation name used for matching (see the module docstring).

    Attributes
    ----------
    original:
        The name as given.
    cleaned:
        Display form: spacing collapsed, an auxiliary business name and a trailing
        parenthetical removed (only after a name that starts with a letter, a digit or a
        quotation mark: ``@SUM(1+1)`` stays whole).
    folded:
        :func:`fold` of ``cleaned``.
    base:
        Legal form stripped, head lemmatised, hyphens as spaces.
    head:
        Last word of ``base``.
    legal_form, auxiliary, parenthetical:
        The parts removed, if any.
    candidates:
        Further base forms to try against known names, most likely first.
    """

    original: str
    cleaned: str
    folded: str
    base: str
    head: str
    legal_form: str | None = None
    auxiliary: str | None = None
    parenthetical: str | None = None
    candidates: tuple[str, ...] = ()


def clean_name(name: str) -> str:
    """Collapse spacing and remove an auxiliary business name glued to the main name.

    Examples
    --------
    >>> clean_name("  KOKKOLAN NAHKA OYKOKKOLAN NAHKA OY KARLEBY LÄDER AB ")
    'KOKKOLAN NAHKA OY'
    """
    s = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()
    return split_auxiliary_name(s)[0]


def _hyphens_as_spaces(text: str) -> str:
    return _SPACES.sub(" ", text.replace("-", " ")).strip()


@lru_cache(maxsize=200_000)
def analyse_name(name: str) -> NameForms:
    """Return the matching forms of an organisation name (cached).

    Parameters
    ----------
    name:
        The name as a document writes it, possibly inflected (``Työterveyslaitoksen``).

    Examples
    --------
    >>> f = analyse_name("Jyväskylän Ammattikorkeakoulu Oy (JAMK)")
    >>> f.cleaned, f.parenthetical, f.legal_form
    ('Jyväskylän Ammattikorkeakoulu Oy', 'JAMK', 'oy')
    >>> analyse_name("Pohjois-Pohjanmaan elinkeino- liikenne- ja ympäristökeskus yritystuet").base
    'pohjois pohjanmaan elinkeino liikenne ja ympäristökeskus'
    >>> "kamk" in analyse_name("KAMKin").candidates
    True
    """
    s = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()
    main, aux = split_auxiliary_name(s)
    paren = None
    m = _TRAILING_PAREN.match(main)
    if m:
        main, paren = m.group("main").strip(), m.group("paren").strip()
    folded = fold(main)
    if folded:
        first, _, last = folded.rpartition(" ")
        folded = f"{first} {_strip_colon_case(last)}".strip()
    stripped, legal = strip_legal_form(folded)
    stripped = _UNIT_SUFFIX.sub(r"\1", stripped)
    tokens = stripped.split()
    lemmatised = lemmatise_head(tokens)
    base = _hyphens_as_spaces(" ".join(lemmatised))
    head = base.rsplit(" ", 1)[-1] if base else ""
    cands: list[str] = []
    if tokens:
        prefix = tokens[:-1]
        last = _strip_colon_case(tokens[-1])
        for lemma in head_lemmas(tokens[-1]):
            cands.append(_hyphens_as_spaces(" ".join([*prefix, lemma])))
        for _suffix, stem in _suffix_stems(last):
            cands.append(_hyphens_as_spaces(" ".join([*prefix, stem])))
    cands = [c for c in dict.fromkeys(cands) if c and c != base]
    return NameForms(
        original=name,
        cleaned=main,
        folded=folded,
        base=base,
        head=head,
        legal_form=legal,
        auxiliary=aux,
        parenthetical=paren,
        candidates=tuple(cands),
    )


def base_form(name: str) -> str:
    """Return the normalised base form of an organisation name.

    Examples
    --------
    >>> base_form("OULUN YLIOPISTO") == base_form("Oulun Yliopisto")
    True
    """
    return analyse_name(name).base


def inflection_candidates(name: str, *, safe_only: bool = False) -> tuple[str, ...]:
    """Return the candidate base forms of ``name`` for inflection-insensitive lookup.

    With ``safe_only`` only candidates reached by stripping a case ending from
    :data:`SAFE_SUFFIXES` (or by Voikko) are returned.

    Examples
    --------
    >>> "siun sote" in inflection_candidates("Siun soten")
    True
    """
    forms = analyse_name(name)
    if not safe_only:
        return forms.candidates
    tokens = strip_legal_form(forms.folded)[0].split()
    if not tokens:
        return ()
    last = _strip_colon_case(tokens[-1])
    prefix = " ".join(tokens[:-1])
    ok: list[str] = []
    for lemma in head_lemmas(tokens[-1]):
        ok.append(_hyphens_as_spaces(f"{prefix} {lemma}"))
    for suffix, stem in _suffix_stems(last, min_stem=3):
        if suffix in SAFE_SUFFIXES:
            ok.append(_hyphens_as_spaces(f"{prefix} {stem}"))
    return tuple(c for c in dict.fromkeys(ok) if c != forms.base)


@lru_cache(maxsize=200_000)
def head_lemma_name(name: str) -> str:
    """Return a name in its base form, as written otherwise: only the head word is lemmatised.

    The written capitalisation is kept; an abbreviation's colon case ending is dropped
    (``Oy:n`` → ``Oy``); adjectives agreeing with an inflected head follow it. Words Voikko
    does not know are left as they are (use :func:`analyse_name` for matching).

    Examples
    --------
    >>> head_lemma_name("Alustapalvelu Sociala Oy:n")
    'Alustapalvelu Sociala Oy'
    >>> head_lemma_name("Työterveyslaitoksen") if voikko_available() else "Työterveyslaitos"
    'Työterveyslaitos'
    >>> head_lemma_name("Humanistisen ammattikorkeakoulun") if voikko_available() else (
    ...     "Humanistinen ammattikorkeakoulu")
    'Humanistinen ammattikorkeakoulu'
    """
    words = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip().split(" ")
    if not words or not words[0]:
        return name.strip()
    lowered = [w.casefold() for w in words]
    lemmatised = lemmatise_head(lowered)
    head = _head_reading(lowered[-1]) if ":" not in lowered[-1] else None
    if head is not None and head[1] is not None and head[1].number == "plural":
        # keep the number of a plural name (Kuntatyönantajien -> Kuntatyönantajat)
        last = lemmatised[-1]
        if last[-1:] in "aeiouyäö" and last == head[0] and lowered[-1].startswith(last[:-1]):
            lemmatised[-1] = last + "t"
    out = []
    for written, low, lemma in zip(words, lowered, lemmatised, strict=True):
        if lemma == low:
            out.append(written)
        elif ":" in written:
            out.append(written.split(":", 1)[0])
        elif written.isupper() and len(written) > 1:
            out.append(lemma.upper())
        else:
            n = 0
            while n < min(len(low), len(lemma)) and low[n] == lemma[n]:
                n += 1
            out.append(written[:n] + lemma[n:])
    return " ".join(out)

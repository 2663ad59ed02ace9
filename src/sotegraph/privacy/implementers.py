"""Is an implementer a person? The one classifier the privacy gate asks about every name.

Project lists name private people, sole traders and small firms as implementers, beside
companies, associations and public bodies. :func:`classify_implementer` reads an
organisation's name and says which it is, from the name's structure alone:

- **sole traders** (``Tmi``, ``T:mi``, ``toiminimi``, ``F:ma``) and estates of deceased persons
  (``kuolinpesä``) are natural persons, whatever the rest of the name says;
- a name with the **legal form** of a legal person (``Oy``, ``Ab``, ``Ky``, ``ry``, ``avoin
  yhtiö``, ``osuuskunta`` …) or a **public or non-profit institution** word (``yliopisto``,
  ``kunta``, ``kaupunki``, ``säätiö``, ``yhdistys``, ``virasto`` …) is an organisation, also when
  it is named after someone (``Aino Esimerkin säätiö``, ``Eino Esimerkki Oy``); but a
  person's name *inside* its label (after a title such as ``Professori``, after ``c/o``, as
  an auxiliary business name glued to ``OY``, or as a part of its own between ``/``, ``,`` or
  parentheses) is found, so that the gate can remove it and keep the organisation;
- any other name is a **person** when the whole of it is a person's name, and a **trade name
  with a person** when a person's full name stands inside it (``Hierontapalvelu Aino
  Esimerkki``, ``Valokuvaamo A. Esimerkki``).

A person's name is one to four given names or initials and a surname (``Aino Maria
Esimerkki``, ``Anna-Mari Esimerkki``, ``A. Esimerkki``, ``Aino E. Esimerkki``, ``Jyrki von
Esimerkki``), or a surname and given names (``Esimerkki Aino``, ``ESIMERKKI, AINO``). Given
names are those of the population register's first-name statistics (``data/names/``, DVV,
CC BY 4.0), so also the foreign names Voikko does not know, and Voikko's ``etunimi`` class.
A surname is judged by Voikko's ``sukunimi`` class and by shape: the endings of Finnish
surnames (``-nen``, ``-la``/``-lä``, ``-sto`` …, or a landscape compound such as ``-mäki``,
``-salo``), a capitalised word Voikko does not know, or, more weakly, a common noun. A word
that is a business word (``Systems``, ``Design``, ``Palvelu`` …) or an inflected form
(``Kajaanin``) is no surname, and a given name that is also a common word (``Varma``) needs
more than a common noun after it. The word lists (legal forms, institution words, business
words, trade-noun heads, surname particles) are language data in
``data/names/implementer_words.json``; the title words are :data:`TITLE_STEMS`, shared with
:func:`sotegraph.privacy.find_personal_data`. Everything is read once, when first needed.

The rules were written against the labelled sample of ``tests/data/privacy/`` (its README
says how it was drawn and labelled) and are measured on it by
``tests/privacy/test_person_classifier.py``.

Examples
--------
>>> from sotegraph.privacy.implementers import classify_implementer
>>> classify_implementer("Aino Maria Esimerkki").kind.value
'person'
>>> classify_implementer("Hierontapalvelu Aino Esimerkki").kind.value
'trade_name_with_person'
>>> v = classify_implementer("Keksitty yliopisto, Kuvitelmalaitos, Professori Aino Esimerkki")
>>> v.kind.value, v.redact("Keksitty yliopisto, Kuvitelmalaitos, Professori Aino Esimerkki")
('person_in_label', 'Keksitty yliopisto, Kuvitelmalaitos, Professori [nimi]')
>>> classify_implementer("Aino Esimerkin säätiö").kind.value
'organisation'
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

from sotegraph import resources
from sotegraph.nlp.names import split_auxiliary_name
from sotegraph.nlp.voikko import analyse

__all__ = [
    "ImplementerKind",
    "Verdict",
    "classify_implementer",
    "first_name_count",
]

#: What replaces a person's name inside an organisation's label.
NAME_PLACEHOLDER = "[nimi]"


class ImplementerKind(StrEnum):
    """What an implementer's name says about who the implementer is."""

    #: The whole name is a person's name.
    PERSON = "person"
    #: A sole trader or a deceased person's estate (``Tmi``, ``toiminimi``, ``kuolinpesä``).
    SOLE_TRADER = "sole_trader"
    #: A business name without a legal person's form that holds a person's full name.
    TRADE_NAME_WITH_PERSON = "trade_name_with_person"
    #: An organisation whose label also holds a person's name (after a title, ``c/o`` …).
    PERSON_IN_LABEL = "person_in_label"
    #: An organisation; no person's name found in its label.
    ORGANISATION = "organisation"


#: The kinds whose implementer is a natural person (the name is withheld whole).
NATURAL_PERSON_KINDS = frozenset(
    {ImplementerKind.PERSON, ImplementerKind.SOLE_TRADER, ImplementerKind.TRADE_NAME_WITH_PERSON}
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The classifier's answer for one name.

    Attributes
    ----------
    kind:
        What the name is.
    rule:
        Which rule decided (for explaining a decision), e.g. ``"given-first"``.
    persons:
        Character spans ``(start, end)`` of the persons' names found in the name (empty for a
        sole trader whose name holds none, and for organisations).
    """

    kind: ImplementerKind
    rule: str
    persons: tuple[tuple[int, int], ...] = ()

    @property
    def natural_person(self) -> bool:
        """Whether the implementer is a natural person (person, sole trader, trade name)."""
        return self.kind in NATURAL_PERSON_KINDS

    @property
    def holds_person(self) -> bool:
        """Whether the name is, or holds, a person's name (every kind but organisation)."""
        return self.kind is not ImplementerKind.ORGANISATION

    def person_names(self, name: str) -> list[str]:
        """The persons' names found in ``name`` (the string this verdict was made for)."""
        return [name[a:b] for a, b in self.persons]

    def redact(self, name: str, placeholder: str = NAME_PLACEHOLDER) -> str:
        """``name`` with each person's name found in it replaced by ``placeholder``.

        Examples
        --------
        >>> name = "KEKSITTY OYAINO ESIMERKKI"
        >>> classify_implementer(name).redact(name)
        'KEKSITTY OY [nimi]'
        """
        out, pos = [], 0
        for a, b in sorted(self.persons):
            glued = a > 0 and name[a - 1].isalnum()  # "KEKSITTY OYAINO ESIMERKKI"
            out += [name[pos:a], " " + placeholder if glued else placeholder]
            pos = b
        out.append(name[pos:])
        return "".join(out)


# ---------------------------------------------------------------------------------------------
# Language data: the words the rules read

#: Sole traders and estates: natural persons whatever the name says.
_SOLE_TRADER_RE = re.compile(
    r"(?<![\w:])(?:t:mi|tmi|toiminimi|f:ma|kuolinpesä|kuolinpesän|dödsbo|ammatinharjoittaja"
    r"|yksityinen[ \t]+elinkeinonharjoittaja|enskild[ \t]+firma)(?![\w:])",
    re.IGNORECASE,
)
_LEGAL_PHRASE_RE = re.compile(
    r"(?<!\w)(?:avoin[ \t]+yhtiö|r\.[ \t]?y\.?|r\.[ \t]?f\.?|as[ \t]+oy|kiinteistö[ \t]+oy)(?!\w)",
    re.IGNORECASE,
)
#: Titles: a person's name after one inside an organisation's label is that person's.
TITLE_STEMS = (
    "päällikkö",
    "päällikön",
    "johtaja",
    "johtajan",
    "asiantuntija",
    "asiantuntijan",
    "koordinaattori",
    "koordinaattorin",
    "tutkija",
    "tutkijan",
    "hoitaja",
    "hoitajan",
    "lääkäri",
    "lääkärin",
    "työntekijä",
    "työntekijän",
    "opettaja",
    "opettajan",
    "sihteeri",
    "sihteerin",
    "asiamies",
    "asiamiehen",
    "suunnittelija",
    "suunnittelijan",
    "professori",
    "professorin",
    "dosentti",
    "dosentin",
    "lehtori",
    "lehtorin",
    "rehtori",
    "rehtorin",
    "kehittäjä",
    "kehittäjän",
    "tiedottaja",
    "tiedottajan",
    "ministeri",
    "ministerin",
    "kansanedustaja",
    "kansanedustajan",
    "virkamies",
    "virkamiehen",
    "tarkastaja",
    "tarkastajan",
    "esimies",
    "esimiehen",
    "yrittäjä",
    "yrittäjän",
    "puheenjohtaja",
    "puheenjohtajan",
    "pormestari",
    "pormestarin",
    "vastuuhenkilö",
    "vastuuhenkilön",
    "yhteyshenkilö",
    "yhteyshenkilön",
    "terapeutti",
    "terapeutin",
    "sosionomi",
    "sosionomin",
    "fysioterapeutti",
    "psykologi",
    "psykologin",
    "ohjaaja",
    "ohjaajan",
    "valmentaja",
    "valmentajan",
    "neuvoja",
    "neuvojan",
    "kouluttaja",
    "kouluttajan",
    "konsultti",
    "konsultin",
    "toimittaja",
    "toimittajan",
)
#: Endings of Finnish surnames (a word Voikko does not know as a common word).
_SURNAME_END_RE = re.compile(r"(?:nen|la|lä|sto|stö|ntö|nto)$")
#: Endings of foreign surnames (of a word Voikko does not know).
_FOREIGN_SURNAME_END_RE = re.compile(
    r"(?:ov|ova|ev|eva|ski|ska|sky|ić|vić|vic|ez|escu|enko|ishvili|ian|yan|oglu|opoulos|akis"
    r"|idis|sson|sen|stein|mann)$"
)
#: Landscape compounds, typical of surnames (also of places and common nouns).
_LANDSCAPE_END_RE = re.compile(
    r"(?:mäki|niemi|salo|salmi|järvi|koski|lahti|aho|oja|vaara|maa|kangas|harju|joki|saari"
    r"|ranta|nummi|korpi|kallio|lampi|suo|virta|vuori|pelto|metsä|puro|lehto|luoto|kylä"
    r"|berg|ström|qvist|kvist|lund|dahl|gren|holm|man|son|sson)$"
)
_COMMON_CLASSES = frozenset(
    {"nimisana", "laatusana", "nimisana_laatusana", "paikannimi", "teonsana", "seikkasana"}
)
_NAME_CLASSES = frozenset({"etunimi", "sukunimi", "nimi"})
#: A first name that is also a common word needs this many bearers to count as a name
#: alone (``Kari``, ``Anna``); below it (``Varma``) a common noun after it is no surname.
_COMMON_WORD_NAME_MIN = 1000
#: Bearers of a common given name (one that alone, after an unknown word, makes a name).
_COMMON_NAME = 100
#: A word borne as a first name by fewer people is mostly something else (a surname).
_FREQUENT_GIVEN = 20

_TOKEN_RE = re.compile(
    r"(?i:c/o)(?!\w)|[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*\.?|\S"
)
_INITIAL_RE = re.compile(r"[A-ZÅÄÖÜÉ]\.?")
# Separators between the parts of a label; " - " with spaces only ("Eino Leino -seura" is one).
_SEPARATORS = frozenset("/,;()[]|&+:")
#: Separators of an organisation's label ("&" and "+" join the words of a firm's name).
_ORG_SEPARATORS = frozenset("/,;()[]|:")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The word lists of ``data/names/implementer_words.json`` (all in lower case)."""

    legal_forms: frozenset[str]
    institution_stems: tuple[str, ...]
    label_titles: tuple[str, ...]
    business_words: frozenset[str]
    trade_heads: tuple[str, ...]
    surname_particles: frozenset[str]


@cache
def _lexicon() -> _Lexicon:
    data = json.loads(
        resources.data_file("names", "implementer_words.json").read_text(encoding="utf-8")
    )
    return _Lexicon(
        legal_forms=frozenset(data["legal_forms"]),
        institution_stems=tuple(data["institution_stems"]),
        label_titles=(*TITLE_STEMS, *data["label_titles"]),
        business_words=frozenset(data["business_words"]),
        trade_heads=tuple(data["trade_heads"]),
        surname_particles=frozenset(data["surname_particles"]),
    )


# ---------------------------------------------------------------------------------------------
# The first-name lexicon


@cache
def _first_names() -> dict[str, int]:
    text = resources.data_file("names", "first_names.csv").read_text(encoding="utf-8")
    return {r["name"]: int(r["men"]) + int(r["women"]) for r in csv.DictReader(io.StringIO(text))}


def first_name_count(name: str) -> int:
    """How many people in Finland bear ``name`` as their first given name (DVV statistics).

    A double-barrelled name missing from the statistics counts as its rarer part.

    Examples
    --------
    >>> first_name_count("Aino") > 10000, first_name_count("Esimerkki")
    (True, 0)
    >>> first_name_count("Aino-Kaarina") > 0
    True
    """
    names = _first_names()
    n = names.get(name, 0)
    if n or "-" not in name:
        return n
    parts = [names.get(p.title() if p.isupper() or p.islower() else p, 0) for p in name.split("-")]
    return min(parts) if all(parts) else 0


# ---------------------------------------------------------------------------------------------
# Words


@dataclass(frozen=True, slots=True)
class _Word:
    text: str  # as written
    norm: str  # capitalised like a name: "ESIMERKKI" -> "Esimerkki"
    start: int
    end: int

    @property
    def initial(self) -> bool:
        return _INITIAL_RE.fullmatch(self.text) is not None


@lru_cache(maxsize=65536)
def _classes(word: str, use_voikko: bool) -> frozenset[str]:
    """Voikko's word classes of a word; a name class counts only in the nominative."""
    if not use_voikko:
        return frozenset()
    out = set()
    for a in analyse(word):
        cls = a.get("CLASS", "")
        case = a.get("SIJAMUOTO")
        nominal = cls in _NAME_CLASSES or cls in ("nimisana", "laatusana", "nimisana_laatusana")
        if nominal and case not in (None, "nimento"):
            cls += "-inflected"
        out.add(cls)
    return frozenset(out)


@lru_cache(maxsize=65536)
def _is_given(word: str, use_voikko: bool) -> bool:
    if len(word) < 2 or not word[0].isupper() or word.isupper():
        return False
    lex = _lexicon()
    if word.lower() in lex.legal_forms or word.lower() in lex.business_words:
        return False
    return first_name_count(word) > 0 or "etunimi" in _classes(word, use_voikko)


@lru_cache(maxsize=65536)
def _weak_given(word: str, use_voikko: bool) -> bool:
    """A given name that is also a common word and not a frequent name (``Varma``)."""
    cls = _classes(word, use_voikko)
    return bool(cls & _COMMON_CLASSES) and first_name_count(word) < _COMMON_WORD_NAME_MIN


@lru_cache(maxsize=65536)
def _surname_strength(word: str, use_voikko: bool) -> int:
    """How much a word looks like a surname: 3 surely, 2 likely, 1 possibly, 0 not."""
    low = word.lower()
    if len(word) < 2 or not word[0].isupper() or word.endswith(".") or word.isupper():
        return 0
    lex = _lexicon()
    if low in lex.business_words or low in lex.legal_forms or low.endswith(lex.trade_heads):
        return 0
    if "-" in word:
        parts = word.split("-")
        if any(not p or p.lower() in lex.business_words for p in parts):
            return 0
        caps = [p[:1].upper() + p[1:] for p in parts]
        if any(c.endswith("-inflected") for c in _classes(caps[-1], use_voikko)):
            return 0  # "Etelä-Suomen"
        return max(_surname_strength(p, use_voikko) for p in caps)  # "Keksitty-Esimerkkinen"
    cls = _classes(word, use_voikko)
    if "sukunimi" in cls:
        return 3
    if low.endswith("nen") and len(word) >= 6 and not all(c.endswith("-inflected") for c in cls):
        # the commonest surname ending, also of common words ("Kääminen", "Punainen")
        return 2 if cls & _COMMON_CLASSES else 3
    common = cls & _COMMON_CLASSES
    if _SURNAME_END_RE.search(low) and len(word) >= 5 and not common - {"paikannimi"}:
        return 3  # "Esimerkkilä", also a place
    if not cls:
        if _FOREIGN_SURNAME_END_RE.search(low) and len(word) >= 5:
            return 3  # "Keksittova", "Kuvitelmić"
        return 1 if _frequent_given(word, use_voikko) else 2
    if cls <= {"etunimi", "etunimi-inflected"}:
        return 1
    if _LANDSCAPE_END_RE.search(low) and len(word) >= 6 and "paikannimi" not in cls:
        return 2  # "Järvisalo"; a known place alone ("Seinäjoki") is no more than possible
    # a common word, a place, an inflected form or a verb: possibly a surname ("Kivi")
    return 1


def _given_of_many(word: str, use_voikko: bool) -> bool:
    """A given name Voikko knows or that many bear (not a rare or foreign one: ``Vo``)."""
    return not _weak_given(word, use_voikko) and (
        first_name_count(word) >= _COMMON_NAME or "etunimi" in _classes(word, use_voikko)
    )


def _frequent_given(word: str, use_voikko: bool) -> bool:
    """A given name borne by many (``Albert``), not a rare one that is mostly a surname."""
    return first_name_count(word) >= _FREQUENT_GIVEN or "etunimi" in _classes(word, use_voikko)


def _words(name: str, separators: frozenset[str] = _SEPARATORS) -> list[list[_Word | str]]:
    """The parts of a label between separators, each a list of words (and ``"."`` marks)."""
    upper = not any(ch.islower() for ch in name)
    lower = not any(ch.isupper() for ch in name)
    parts: list[list[_Word | str]] = [[]]
    for m in _TOKEN_RE.finditer(name):
        tok = m.group(0)
        if tok in separators or (tok in "-–—" and _spaced(name, m.start(), m.end())):
            parts.append([])
            continue
        if tok.lower() == "c/o":
            parts[-1].append(_Word(tok, "c/o", m.start(), m.end()))
            continue
        if not tok[0].isalpha():
            parts[-1].append(tok)
            continue
        norm = tok
        if (upper or lower or tok.isupper()) and len(tok.rstrip(".")) > 1:
            norm = "-".join(p[:1].upper() + p[1:].lower() for p in tok.split("-"))
            if tok.isupper() and not upper and len(tok) <= 4 and first_name_count(norm) < 1000:
                norm = tok  # an acronym in a mixed-case label ("Etelä-Suomen AVI")
        parts[-1].append(_Word(tok, norm, m.start(), m.end()))
    return [p for p in parts if p]


def _spaced(name: str, start: int, end: int) -> bool:
    return (start == 0 or name[start - 1].isspace()) and (end >= len(name) or name[end].isspace())


# ---------------------------------------------------------------------------------------------
# Person-name patterns over a run of words


def _given_first(words: list[_Word], i: int, *, whole: bool, use_voikko: bool) -> int | None:
    """End index of the longest person's name starting at ``words[i]`` (given names first)."""
    best = None
    n = len(words)
    g = i
    while g < n and g - i < 5 and (words[g].initial or _is_given(words[g].norm, use_voikko)):
        g += 1
        for s_end in (g + 1, g + 2, g + 3):
            if s_end > n:
                break
            if whole and s_end != n:
                continue
            at_end = s_end == n
            if _valid_given_first(
                words[i:g], words[g:s_end], whole=whole, at_end=at_end, use_voikko=use_voikko
            ):
                best = s_end
        # the last given name itself as the surname ("Aino Maria", "Raino-Lars Albert")
        if (
            g - i >= 2
            and (not whole or g == n)
            and _valid_given_first(
                words[i : g - 1],
                words[g - 1 : g],
                whole=whole,
                at_end=g == n,
                use_voikko=use_voikko,
            )
        ):
            best = max(best or 0, g)
    return best


def _valid_given_first(
    givens: list[_Word], surnames: list[_Word], *, whole: bool, at_end: bool, use_voikko: bool
) -> bool:
    if not givens or not surnames:
        return False
    full = [w for w in givens if not w.initial]
    if givens[0].initial and full:
        return False  # "A. Aino Esimerkki" is no name order
    rest = list(surnames)
    while len(rest) > 1 and rest[0].norm.lower() in _lexicon().surname_particles:
        rest = rest[1:]
    if len(rest) > 2 or (len(rest) == 2 and not whole):
        return False
    strengths = [_surname_strength(w.norm, use_voikko) for w in rest]
    if len(rest) == 2 and min(strengths) < 2:
        return False  # two surnames ("Ayala Garzon"): both must look like surnames
    st = strengths[-1]
    if not full:  # initials only: "A. Esimerkki", "A J Esimerkki"
        return st >= (2 if whole else 3)
    first = full[0].norm
    if whole and (len(full) >= 2 or len(full) < len(givens)):
        return st >= 1  # "Aino Maria X", "Aino E. X": the given names make it a name
    # one given name and a surname: a rare given name ("Eko") needs a sure surname
    if first_name_count(first) < _FREQUENT_GIVEN and "etunimi" not in _classes(first, use_voikko):
        return st >= 3
    if st >= 2:
        return True
    if st < 1 or (not whole and not at_end):
        return False
    # a common noun ("Kivi") after a given name that many bear and that is no common word
    many = first_name_count(first) >= _COMMON_WORD_NAME_MIN or "etunimi" in _classes(
        first, use_voikko
    )
    given_only = _frequent_given(rest[-1].norm, use_voikko) and not (
        _classes(rest[-1].norm, use_voikko) & _COMMON_CLASSES
    )
    return many and not _weak_given(first, use_voikko) and (whole or not given_only)


def _surname_first(words: list[_Word], *, whole: bool, use_voikko: bool) -> bool:
    """Whether the words are a surname and given names (``Esimerkki Aino``, ``Esimerkki A.``)."""
    if not 2 <= len(words) <= 5 or words[0].initial:
        return False
    st = _surname_strength(words[0].norm, use_voikko)
    rest = list(words[1:])
    while len(rest) > 1 and rest[-1].initial:
        rest.pop()  # "Esimerkki Aino A."
    if len(rest) > 3 or not all(not w.initial and _is_given(w.norm, use_voikko) for w in rest):
        return False
    if not whole:
        return st >= 3
    # the whole name: a likely surname, or any possible one before two given names
    if st == 2:  # a word Voikko does not know: the given names must be common ones
        return all(_given_of_many(w.norm, use_voikko) for w in rest)
    return st >= 3 or (st == 1 and len(rest) >= 2)


def _plain(part: list[_Word | str]) -> list[_Word] | None:
    """The words of a part that holds only words (dots after initials allowed), else None."""
    out = [w for w in part if isinstance(w, _Word)]
    return out if all(isinstance(w, _Word) or w == "." for w in part) else None


def _whole_person(part: list[_Word | str], *, use_voikko: bool) -> tuple[str, int, int] | None:
    """``(rule, start, end)`` when a part of a label is a person's name and nothing else."""
    words = _plain(part)
    if not words or len(words) < 2 or len(words) > 6:
        return None
    if _given_first(words, 0, whole=True, use_voikko=use_voikko) == len(words):
        return "given-first", words[0].start, words[-1].end
    if _surname_first(words, whole=True, use_voikko=use_voikko):
        return "surname-first", words[0].start, words[-1].end
    return None


def _inner_persons(part: list[_Word | str], *, use_voikko: bool) -> list[tuple[int, int]]:
    """Spans of full names inside a part of a longer label (``Taksi Aino Esimerkki``)."""
    words = [w for w in part if isinstance(w, _Word)]
    spans = []
    i = 0
    while i < len(words):
        end = _given_first(words, i, whole=False, use_voikko=use_voikko)
        if end is not None:
            spans.append((words[i].start, words[end - 1].end))
            i = end
            continue
        i += 1
    # surname first at the end: "Fysioterapia Esimerkki Aino"
    for k in (2, 3):
        tail = words[-k:]
        if (
            not spans
            and len(words) > k
            and _surname_first(tail, whole=False, use_voikko=use_voikko)
        ):
            spans.append((tail[0].start, tail[-1].end))
    return spans


def _after_title(part: list[_Word | str], *, use_voikko: bool) -> list[tuple[int, int]]:
    """Spans of names after a title word or ``c/o`` in a part of a label."""
    words = [w for w in part if isinstance(w, _Word)]
    spans = []
    for k, w in enumerate(words[:-1]):
        low = w.norm.lower().rstrip(".")
        if low.endswith(_lexicon().label_titles) or low == "c/o":
            end = _given_first(words, k + 1, whole=False, use_voikko=use_voikko)
            if end is None and _surname_first(
                words[k + 1 : k + 3], whole=False, use_voikko=use_voikko
            ):
                end = k + 3
            if end is not None:
                spans.append((words[k + 1].start, words[end - 1].end))
    return spans


# ---------------------------------------------------------------------------------------------
# The classifier


def _is_organisation(name: str) -> bool:
    """Whether a label has a legal person's form or an institution word."""
    if _LEGAL_PHRASE_RE.search(name):
        return True
    for m in _TOKEN_RE.finditer(name):
        low = m.group(0).lower().rstrip(".")
        if low in _lexicon().legal_forms or low.endswith(_lexicon().institution_stems):
            return True
    return False


@lru_cache(maxsize=65536)
def classify_implementer(name: str, *, use_voikko: bool = True) -> Verdict:
    """Classify an implementer's (an organisation's) name: a person, or an organisation.

    Parameters
    ----------
    name:
        The name as written in the source.
    use_voikko:
        Use Voikko's word classes (given names, surnames, common words); without it only the
        DVV first names and the shapes of surnames are used.

    Returns
    -------
    Verdict
        The kind, the rule that decided, and the spans of the persons' names found.

    Examples
    --------
    >>> classify_implementer("Esimerkki Aino Maria").kind.value
    'person'
    >>> classify_implementer("Tmi Kukkakauppa Orvokki").kind.value
    'sole_trader'
    >>> classify_implementer("Aino Esimerkki Oy").kind.value
    'organisation'
    >>> v = classify_implementer("KEKSITTY OYAINO ESIMERKKI")
    >>> v.kind.value, v.person_names("KEKSITTY OYAINO ESIMERKKI")
    ('person_in_label', ['AINO ESIMERKKI'])
    """
    text = unicodedata.normalize("NFC", name)
    if _SOLE_TRADER_RE.search(text):
        named = [s for p in _words(text) for s in _inner_persons(p, use_voikko=use_voikko)]
        return Verdict(ImplementerKind.SOLE_TRADER, "sole-trader", tuple(named))
    main, aux = split_auxiliary_name(text)
    if aux is not None:
        # "KEKSITTY OYAINO ESIMERKKI": a company and its auxiliary name, run together
        offset = text.index(aux, len(main))
        inner = classify_implementer(aux, use_voikko=use_voikko)
        spans = tuple((a + offset, b + offset) for a, b in inner.persons)
        if spans and (inner.natural_person or inner.kind is ImplementerKind.PERSON_IN_LABEL):
            return Verdict(ImplementerKind.PERSON_IN_LABEL, "auxiliary-name", spans)
        lead = len(text) - len(text.lstrip())
        text = text[: lead + len(main)]  # offsets stay those of the name
    if _is_organisation(text):
        parts = _words(text, _ORG_SEPARATORS)
        found: list[tuple[int, int]] = []
        for part in parts:
            whole = _whole_person(part, use_voikko=use_voikko) if len(parts) > 1 else None
            found += [whole[1:]] if whole else _after_title(part, use_voikko=use_voikko)
        if found:
            return Verdict(ImplementerKind.PERSON_IN_LABEL, "name-in-label", tuple(found))
        return Verdict(ImplementerKind.ORGANISATION, "legal-form-or-institution")
    parts = _words(text)
    whole = _whole_person([w for p in parts for w in p], use_voikko=use_voikko)
    if whole is not None and (len(parts) == 1 or _comma_only(text)):
        return Verdict(ImplementerKind.PERSON, whole[0], (whole[1:],))
    if len(parts) == 2 and _comma_only(text) and len(parts[0]) == 1:
        # "ESIMERKKI, AINO": a surname, a comma and given names
        flipped = _whole_person(parts[1] + parts[0], use_voikko=use_voikko)
        first, last = parts[0][0], parts[1][-1]
        if flipped is not None and isinstance(first, _Word) and isinstance(last, _Word):
            return Verdict(ImplementerKind.PERSON, "surname-comma", ((first.start, last.end),))
    found = [s for p in parts for s in _inner_persons(p, use_voikko=use_voikko)]
    if found:
        return Verdict(ImplementerKind.TRADE_NAME_WITH_PERSON, "name-in-trade-name", tuple(found))
    return Verdict(ImplementerKind.ORGANISATION, "no-person-name")


def _comma_only(text: str) -> bool:
    """Whether a label's only separator is one comma (``ESIMERKKI, AINO``)."""
    return text.count(",") == 1 and not any(ch in text for ch in _SEPARATORS - {","})

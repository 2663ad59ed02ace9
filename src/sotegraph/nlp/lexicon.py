"""Word lists and base forms for the Finnish prose extractor (no spaCy needed here).

The lists live in ``data/nlp/`` (cues, keyword shapes, funders) and are read through
:mod:`sotegraph.resources`. The organisation gazetteer (:func:`gazetteer_entries`, loaded
once) joins the organisations authority file (``data/organisations.*``), the built-in funder
list and the generated ``data/gazetteer/`` files (municipalities in their organisation form,
wellbeing counties, the implementers of the bulk project lists); bare place names
(:func:`is_place_name`) never enter it.

Base forms come from Voikko (``libvoikko``): a name is reduced to its base form by
lemmatising its head word only (``Jyväskylän ammattikorkeakoulun`` →
``Jyväskylän ammattikorkeakoulu``).

Examples
--------
>>> from sotegraph.nlp.lexicon import base_name, keyword_kind
>>> base_name(["Jyväskylän", "ammattikorkeakoulun"])
'Jyväskylän ammattikorkeakoulu'
>>> base_name(["Työterveyslaitoksen"])
'Työterveyslaitos'
>>> keyword_kind("hankkeessa"), keyword_kind("-konsortioon"), keyword_kind("hankesivusto")
('project', 'consortium', None)
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from sotegraph import resources
from sotegraph.nlp import cases, voikko
from sotegraph.nlp.names import lemmatise_head

__all__ = [
    "GAZETTEER_FILES",
    "GazetteerEntry",
    "base_forms",
    "base_name",
    "cues",
    "gazetteer_entries",
    "is_common_word",
    "is_legal_form",
    "is_org_head",
    "is_place_name",
    "keyword_kind",
    "load_nlp_json",
    "place_names",
    "shapes",
    "strip_case_suffix",
    "token_base",
]

_HYPHENS = "-‐‑–"


def load_nlp_json(name: str) -> dict[str, Any]:
    """Load ``data/nlp/<name>`` (a JSON file shipped with sotegraph).

    Raises
    ------
    FileNotFoundError
        If the file is not shipped.

    Examples
    --------
    >>> "roles" in load_nlp_json("cues.json")
    True
    """
    data: dict[str, Any] = json.loads(resources.data_file("nlp", name).read_text(encoding="utf-8"))
    return data


@cache
def cues() -> dict[str, Any]:
    """Return the cue lists of ``data/nlp/cues.json`` (cached)."""
    return load_nlp_json("cues.json")


@cache
def shapes() -> dict[str, Any]:
    """Return the keyword shapes of ``data/nlp/shapes.json`` (cached)."""
    return load_nlp_json("shapes.json")


@cache
def _keyword_res() -> dict[str, re.Pattern[str]]:
    poss = shapes()["possessive"]
    return {
        kind: re.compile(rf"(?:{rx}){poss}", re.IGNORECASE)
        for kind, rx in shapes()["keywords"].items()
    }


@lru_cache(maxsize=65536)
def keyword_kind(word: str) -> str | None:
    """Return ``project``/``consortium``/``network``/``programme`` if ``word`` is that keyword.

    The word may carry a leading hyphen (``-hanke``) or a compound prefix
    (``kehittämishanketta``); it must end in an inflected form of the keyword.

    >>> keyword_kind("kehittämishanketta"), keyword_kind("asiantuntijaverkostoksi")
    ('project', 'network')
    """
    w = word.lower().lstrip(_HYPHENS)
    if not w:
        return None
    for kind, rx in _keyword_res().items():
        if rx.fullmatch(w):
            return kind
    return None


@cache
def _plural_keywords() -> frozenset[str]:
    return frozenset(shapes()["plural_keyword_endings"])


def is_plural_keyword(word: str) -> bool:
    """Return True if ``word`` ends in a plural form of a keyword (``hankkeet``, ``-hankkeiden``).

    >>> is_plural_keyword("hankkeita"), is_plural_keyword("hanketta")
    (True, False)
    """
    w = word.lower()
    return any(w.endswith(p) for p in _plural_keywords())


@cache
def _org_heads() -> tuple[str, ...]:
    return tuple(shapes()["organisation_heads"])


@cache
def _legal_forms() -> frozenset[str]:
    return frozenset(shapes()["legal_forms"])


def is_legal_form(word: str) -> bool:
    """Return True for legal-form tokens (``Oy``, ``ry``, ``Oy:n``).

    >>> is_legal_form("Oy:n"), is_legal_form("ry."), is_legal_form("oyj"), is_legal_form("Oulu")
    (True, True, True, False)
    """
    w = word.lower()
    return w in _legal_forms() or (w.endswith(".") and w[:-1] in _legal_forms())


def is_org_head(base: str) -> bool:
    """Return True if a lower-cased base form ends in an organisation head noun.

    >>> is_org_head("ammattikorkeakoulu"), is_org_head("työterveyslaitos"), is_org_head("hanke")
    (True, True, False)
    """
    return base.endswith(_org_heads())


_COMMON_CLASSES = frozenset({"nimisana", "laatusana", "lyhenne", "nimisana_laatusana", "teonsana"})


@lru_cache(maxsize=65536)
def is_common_word(word: str) -> bool:
    """True if Voikko knows ``word`` only as a common word or abbreviation (not a name).

    >>> is_common_word("Sote"), is_common_word("Asko"), is_common_word("SoteHelmet")
    (True, False, False)
    """
    classes = {a.get("CLASS") for a in voikko.analyse(word)}
    return bool(classes) and classes <= _COMMON_CLASSES


#: Endings of an abbreviation or unknown name: after a colon (``ESR:n``) or glued on
#: (``KAMKin``), longest first.
_CASE_SUFFIXES = cases.longest_first(
    [
        ":" + e
        for e in cases.GENITIVE
        + cases.LOCAL
        + cases.TRANSLATIVE
        + cases.ESSIVE
        + ("iin", "ään", "aan")
        + cases.PARTITIVE
    ]
    + ["in", "iin", "ia", "iä", *cases.GENITIVE]
    + [e for e in cases.LOCAL_PLURAL if not e.startswith("ilt")]
)


def strip_case_suffix(word: str) -> list[str]:
    """Return the candidate stems of an abbreviation or unknown name with a case ending.

    >>> strip_case_suffix("KAMKin")[:2]
    ['KAMK', 'KAMKi']
    >>> strip_case_suffix("ESR:n")
    ['ESR']
    """
    out: list[str] = []
    for suf in _CASE_SUFFIXES:
        if len(word) > len(suf) + 1 and word.endswith(suf):
            stem = word[: -len(suf)]
            if stem not in out and not stem.endswith(":"):
                out.append(stem)
    return out


@lru_cache(maxsize=131072)
def base_forms(word: str) -> frozenset[str]:
    """Return the lower-cased base forms a word may have (itself included).

    Hyphenated compounds whose first part Voikko does not know are split at the last hyphen
    (``Laurea-ammattikorkeakoulun`` → ``laurea-ammattikorkeakoulu``).

    >>> sorted(base_forms("Tampereen"))
    ['tampere', 'tampereen']
    >>> "laurea-ammattikorkeakoulu" in base_forms("Laurea-ammattikorkeakoulun")
    True
    """
    out = {word.lower()}
    out.update(b.lower() for b in voikko.base_forms(word))
    if len(out) == 1 and "-" in word.strip("-"):
        head_at = word.rstrip("-").rfind("-")
        prefix, last = word[: head_at + 1], word[head_at + 1 :]
        out.update((prefix + b).lower() for b in voikko.base_forms(last))
    if len(out) == 1 and ":" in word:
        out.add(word.split(":", 1)[0].lower())
    return frozenset(out)


def token_base(text: str, lemma: str) -> str:
    """Return the one lower-cased base form used to match a token of a parsed text.

    spaCy's lemma is used when it differs from the word; otherwise Voikko (with hyphenated
    compounds split) and finally the word with an abbreviation's case ending removed.

    >>> token_base("ammattikorkeakoulun", "ammattikorkeakoulu")
    'ammattikorkeakoulu'
    >>> token_base("Laurea-ammattikorkeakoulun", "Laurea-ammattikorkeakoulun")
    'laurea-ammattikorkeakoulu'
    >>> token_base("ESR:n", "ESR:n")
    'esr'
    """
    if lemma and lemma != text:
        return lemma.lower()
    return _token_base_slow(text)


@lru_cache(maxsize=131072)
def _token_base_slow(text: str) -> str:
    low = text.lower()
    bases = sorted(b for b in base_forms(text) if b != low)
    if bases:
        return bases[0]
    return low


def base_name(words: list[str], *, head_lemma: str | None = None) -> str:
    """Reduce a name to its base form by lemmatising its head (last) word only.

    Uses ``sotegraph.nlp.names.lemmatise_head`` (which also lemmatises adjectives
    agreeing with the head) when the resolution package provides it, so that extraction and
    resolution agree; otherwise Voikko on the head word.

    Parameters
    ----------
    words:
        The words of the name as written.
    head_lemma:
        The lemma of the last word if a parser already gave one.

    >>> base_name(["Pudasjärven", "kaupungin"])
    'Pudasjärven kaupunki'
    >>> base_name(["Alustapalvelu", "Sociala", "Oy:n"])
    'Alustapalvelu Sociala Oy'
    """
    if not words:
        return ""
    external = _external_normaliser()
    if external is not None:
        result = external(" ".join(words))
        if isinstance(result, str) and result:
            return result
    head = words[-1]
    base = _head_base(head, head_lemma)
    return " ".join([*words[:-1], base])


def _head_base(head: str, head_lemma: str | None) -> str:
    if ":" in head:
        return head.split(":", 1)[0]
    if head_lemma and head_lemma != head and head_lemma.lower() != head.lower():
        cand = head_lemma
    else:
        bases = voikko.base_forms(head)
        cand = bases[0] if bases else ""
        if not cand and "-" in head.strip("-"):
            at = head.rfind("-")
            tail = voikko.base_forms(head[at + 1 :])
            cand = head[: at + 1] + tail[0] if tail else ""
        if not cand:
            return head
    # keep the capitalisation of the written word
    if head[:1].isupper() and cand[:1].islower():
        cand = cand[:1].upper() + cand[1:]
    if head.isupper() and len(head) > 1:
        return head
    return cand


@cache
def _external_normaliser() -> Any:
    """``sotegraph.nlp.names.lemmatise_head`` wrapped to keep the written case."""

    def run(name: str) -> str:
        words = name.split()
        out = lemmatise_head(words)
        if out == words or not out:
            return name
        head, new = words[-1], out[-1]
        if ":" in head:
            new = head.split(":", 1)[0]
        elif head.isupper() and len(head) > 1:
            new = head
        elif head[:1].isupper() and new[:1].islower():
            new = new[:1].upper() + new[1:]
        fixed = [
            w if w.casefold() == o.casefold() else (o[:1].upper() + o[1:] if w[:1].isupper() else o)
            for w, o in zip(words[:-1], out[:-1], strict=True)
        ]
        return " ".join([*fixed, new])

    return run


@dataclass(slots=True)
class GazetteerEntry:
    """A known organisation with the names it goes by.

    ``source`` says where it comes from: ``authority`` (``data/organisations.*``),
    ``funders`` (``data/nlp/funders.json``), ``public`` (municipalities and wellbeing
    counties, ``data/gazetteer/public_bodies.csv``) or ``implementers`` (the bulk lists,
    ``data/gazetteer/implementers.csv``).
    """

    key: str
    name: str
    label: str = "ORG"
    aliases: list[str] = field(default_factory=list)
    business_id: str | None = None
    org_type: str | None = None
    source: str = "authority"


def _split_aliases(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(a).strip() for a in raw if str(a).strip()]
    return [a.strip() for a in re.split(r"[|;]", str(raw)) if a.strip()]


def _entry_from_mapping(row: dict[str, Any], n: int) -> GazetteerEntry | None:
    name = (
        row.get("name")
        or row.get("prefLabel")
        or row.get("pref_label")
        or row.get("canonical_name")
        or row.get("nimi")
    )
    if not name:
        return None
    aliases = _split_aliases(
        row.get("aliases") or row.get("altLabels") or row.get("alt_labels") or row.get("alias")
    )
    key = str(row.get("id") or row.get("key") or row.get("business_id") or f"org{n}")
    return GazetteerEntry(
        key=key,
        name=str(name).strip(),
        aliases=aliases,
        business_id=(row.get("business_id") or row.get("businessId") or None),
        org_type=(row.get("type") or row.get("org_type") or row.get("organisation_type") or None),
    )


def _authority_entries() -> list[GazetteerEntry]:
    """Read the organisations authority file, whatever of the usual shapes it has."""
    try:
        names = resources.list_data_files()
    except FileNotFoundError:
        return []
    out: list[GazetteerEntry] = []
    for rel in names:
        if "/" in rel or not rel.startswith("organisations."):
            continue
        node = resources.data_file(rel)
        text = node.read_text(encoding="utf-8")
        if rel.endswith((".csv", ".tsv")):
            dialect = "excel-tab" if rel.endswith(".tsv") else "excel"
            reader = csv.DictReader(
                (line for line in io.StringIO(text) if not line.startswith("#")), dialect=dialect
            )
            for n, row in enumerate(reader):
                e = _entry_from_mapping(dict(row), n)
                if e:
                    out.append(e)
        elif rel.endswith(".json"):
            data = json.loads(text)
            rows = data.get("organisations", data) if isinstance(data, dict) else data
            if isinstance(rows, list):
                for n, row in enumerate(rows):
                    if isinstance(row, dict):
                        e = _entry_from_mapping(row, n)
                        if e:
                            out.append(e)
        elif rel.endswith(".jsonl"):
            for n, line in enumerate(text.splitlines()):
                if line.strip():
                    e = _entry_from_mapping(json.loads(line), n)
                    if e:
                        out.append(e)
        elif rel.endswith((".ttl", ".nt", ".trig")):
            out.extend(_entries_from_rdf(text, rel))
    return out


def _entries_from_rdf(text: str, rel: str) -> list[GazetteerEntry]:
    from rdflib import Graph
    from rdflib.namespace import SKOS

    g = Graph()
    g.parse(data=text, format="turtle" if rel.endswith(".ttl") else "nt")
    out: list[GazetteerEntry] = []
    for s, label in g.subject_objects(SKOS.prefLabel):
        lang = getattr(label, "language", None)
        if lang not in (None, "fi"):
            continue
        aliases = [str(a) for a in g.objects(s, SKOS.altLabel)]
        out.append(GazetteerEntry(key=str(s), name=str(label), aliases=aliases))
    return out


#: The generated gazetteer files (``scripts/generate_gazetteer.py``), in loading order.
GAZETTEER_FILES = (("public", "public_bodies.csv"), ("implementers", "implementers.csv"))

_SPACES = re.compile(r"\s+")


def _fold_label(name: str) -> str:
    return _SPACES.sub(" ", name).strip().casefold()


@cache
def place_names() -> frozenset[str]:
    """Folded names of Finland's municipalities (Finnish and Swedish, also merged ones),
    sub-regions, regions and NUTS 3 areas, from ``data/regions/`` (empty if not shipped).

    >>> {"kuopio", "vasa", "keski-suomi", "pohjois-savo"} <= place_names()
    True
    """
    out: set[str] = set()
    for name in ("municipalities.csv", "subregions.csv", "regions.csv", "nuts3.csv", "mergers.csv"):
        try:
            text = resources.data_file("regions", name).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        for row in csv.DictReader(io.StringIO(text)):
            out.update(_fold_label(row[k]) for k in ("name_fi", "name_sv") if row.get(k))
    return frozenset(out)


@lru_cache(maxsize=65536)
def is_place_name(text: str) -> bool:
    """True if ``text`` (possibly inflected) is the bare name of a place, not an organisation.

    A place is a Finnish municipality, sub-region, region or NUTS area (``data/regions/``),
    in any case form, or a capitalised word Voikko knows as a place name and as no person's
    or other proper name (``Hollanti``, ``Portugalista``).

    >>> is_place_name("Kuopiossa"), is_place_name("Hollanti"), is_place_name("Vasa")
    (True, True, True)
    >>> is_place_name("Kuopion kaupunki"), is_place_name("Keva")
    (False, False)
    """
    folded = _fold_label(text)
    if not folded:
        return False
    places = place_names()
    if folded in places:
        return True
    if " " in folded:
        return False
    if any(b in places for b in base_forms(text)):
        return True
    classes = {a.get("CLASS") for a in voikko.analyse(text)} - {None}
    # capitalised, a place name may also be a common word ("Lahdessa", "Hollanti": also a
    # bay and the Dutch language), but no person's or other proper name
    return "paikannimi" in classes and text[:1].isupper() and not classes & _PROPER_CLASSES


_PROPER_CLASSES = frozenset({"etunimi", "sukunimi", "nimi"})


def _generated_entries(source: str, file: str) -> list[GazetteerEntry]:
    try:
        text = resources.data_file("gazetteer", file).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    out: list[GazetteerEntry] = []
    for n, row in enumerate(csv.DictReader(io.StringIO(text))):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        out.append(
            GazetteerEntry(
                key=row.get("key") or f"{source}{n}",
                name=name,
                aliases=_split_aliases(row.get("aliases")),
                business_id=row.get("business_id") or None,
                org_type=row.get("kind") or None,
                source=source,
            )
        )
    return out


def _keep_label(label: str, source: str) -> bool:
    """Whether a name may stand for an organisation: never a bare Finnish place name; from
    the generated sources also never a word Voikko knows only as a place or a common word
    (``Hollanti``, ``Kumppani``). The curated sources may keep a one-word name Voikko also
    knows as a place (``Karelia``, Karelia-ammattikorkeakoulu)."""
    if _fold_label(label) in place_names():
        return False
    if source in ("public", "implementers") and " " not in label.strip():
        return not is_place_name(label) and not is_common_word(label)
    return True


@cache
def gazetteer_entries() -> tuple[GazetteerEntry, ...]:
    """Every organisation the project knows, loaded once per process.

    In order, each later source merged into the earlier ones by name (its aliases are added
    to an entry of the same name; a name already known is not added again):

    1. the organisations authority file (``data/organisations.*``): universities and
       universities of applied sciences, agencies, ministries, ELY centres, wellbeing
       counties, hospital districts and joint municipal authorities, regional councils;
    2. the funders of ``data/nlp/funders.json`` (ESR, EAKR, STEA, Sitra, Keva, Suomen
       Akatemia, Business Finland …);
    3. the municipalities in their organisation form (``Kuopion kaupunki``, ``Vasa stad``)
       and the wellbeing counties with their Swedish names
       (``data/gazetteer/public_bodies.csv``);
    4. the implementers of the bulk project lists, people left out
       (``data/gazetteer/implementers.csv``).

    A name or alias that is a bare place name (``Kuopio``, ``Hollanti``) is dropped, and so
    is a lone common word from the generated files; an entry whose name is dropped goes.

    >>> names = {e.name for e in gazetteer_entries()}
    >>> {"Euroopan sosiaalirahasto", "Kuopion kaupunki", "Keva"} <= names
    True
    >>> "Kuopio" in names
    False
    """
    out: list[GazetteerEntry] = []
    by_label: dict[str, GazetteerEntry] = {}

    def add(e: GazetteerEntry, *, merge_by_alias: bool = False) -> None:
        key = _fold_label(e.name)
        same = by_label.get(key)
        if same is None and merge_by_alias:
            same = next(
                (by_label[k] for a in e.aliases if len(k := _fold_label(a)) > 4 and k in by_label),
                None,
            )
        if same is not None:
            same.org_type = same.org_type or e.org_type
            same.business_id = same.business_id or e.business_id
            known = {_fold_label(a) for a in (same.name, *same.aliases)}
            for a in (e.name, *e.aliases):
                if _fold_label(a) not in known and _keep_label(a, e.source):
                    same.aliases.append(a)
                    known.add(_fold_label(a))
            return
        if not _keep_label(e.name, e.source):
            return
        e.aliases = [a for a in dict.fromkeys(e.aliases) if _keep_label(a, e.source)]
        out.append(e)
        for label in (e.name, *e.aliases):
            by_label.setdefault(_fold_label(label), e)

    curated = _authority_entries()
    funders = []
    for n, row in enumerate(load_nlp_json("funders.json")["organisations"]):
        f = _entry_from_mapping(row, n)
        if f is not None:
            f.key, f.source = f"funder{n}", "funders"
            funders.append(f)
    for e in curated:
        add(e)
    for f in funders:
        add(f, merge_by_alias=True)
    for source, file in GAZETTEER_FILES:
        for e in _generated_entries(source, file):
            add(e)
    return tuple(out)

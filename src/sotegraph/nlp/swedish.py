"""The sotegraph Swedish pipeline: spaCy's ``sv`` language data plus rules (no model).

No Swedish spaCy model is shipped, so the pipeline is :func:`spacy.blank` ``("sv")`` (the
Swedish tokenizer, stop words and lexical attributes) with a sentencizer and two rule
components, both :class:`~spacy.pipeline.SpanRuler` s:

- ``sotegraph_sv_organisations`` marks organisations in ``doc.spans["sg_organisations"]``
  (label ``ORG``, or ``FUND`` for an EU fund; ``span.id_`` of a gazetteer match is the
  name to record: the base form as written, a fund's canonical name; a name found by its
  shape has none, and :func:`base_name` gives its base form):

  * a gazetteer from the reference data: the organisations authority file
    (``data/organisations.csv``: Finnish and Swedish names and aliases), the Swedish names
    of municipalities as organisations (``Vasa stad``, ``Korsholms kommun``:
    ``data/regions/municipalities.csv``), of wellbeing services counties
    (``Österbottens välfärdsområde``: ``data/regions/wellbeing_areas.csv``) and of the
    regional councils (``Österbottens förbund``: ``data/regions/regions.csv``), the
    built-in funders (``data/nlp/funders.json``) and the Swedish names of EU funds
    (:data:`FUNDS`); genitive forms (``Vasa stads``, ``THL:s``) are matched too;
  * name shapes: capitalised words ending with an organisation head noun (``…
    välfärdsområde``, ``… samkommun``, ``… universitet``, ``… högskola``, ``… förbund``,
    ``… stiftelse``, ``… ministeriet``, ``… rf``, ``… Ab``), and ``Yrkeshögskolan X``,
    ``Stiftelsen X``, ``Institutet för X``. ``stad`` and ``kommun`` are not heads: a
    municipality is one only when the reference data knows its name (``Morgondagens stad``
    is no organisation);

- ``sotegraph_sv_cues`` marks cue words in ``doc.spans["sg_cues"]``; the label is
  ``<role>:<where>`` (:data:`CUES`): the role (``lead``, ``partner``, ``collaborator``,
  ``funder``), or ``grant`` (``X har beviljat Y statsunderstöd``: X funds, Y leads),
  ``granted`` (``Y har beviljats … av X``) and ``neg`` (``inte``, ``ingen``, ``till
  skillnad från``); ``where`` says where the organisations the cue speaks of stand: ``after``
  (``förvaltas av X``, ``i samarbete med A, B och C``, ``finansieras av X``), ``before``
  (``X koordinerar``) or ``near`` (``sökande``, ``finansiär``: the nearest).

Nothing here imports spaCy until :func:`load_swedish_pipeline` is called.

Examples
--------
>>> nlp = load_swedish_pipeline()
>>> doc = nlp("Projektet förvaltas av Vasa stads socialväsende och finansieras av "
...           "Social- och hälsovårdsministeriet.")
>>> [(s.label_, s.text) for s in doc.spans["sg_organisations"]]
[('ORG', 'Vasa stads'), ('ORG', 'Social- och hälsovårdsministeriet')]
>>> [s.id_ or base_name(s.text) for s in doc.spans["sg_organisations"]]
['Vasa stad', 'Social- och hälsovårdsministeriet']
>>> [(s.label_, s.text) for s in doc.spans["sg_cues"]]
[('lead:after', 'förvaltas av'), ('funder:after', 'finansieras av')]
"""

from __future__ import annotations

import csv
import io
import json
import threading
from functools import cache
from typing import TYPE_CHECKING, Any

from sotegraph import resources
from sotegraph.errors import SotegraphError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "CUES",
    "CUE_KEY",
    "FUNDS",
    "LANGUAGE",
    "ORG_HEADS",
    "ORG_KEY",
    "base_name",
    "load_swedish_pipeline",
    "organisation_names",
    "place_names",
]

#: The spaCy language code of the pipeline.
LANGUAGE = "sv"
#: ``doc.spans`` key of the organisations.
ORG_KEY = "sg_organisations"
#: ``doc.spans`` key of the cue words.
CUE_KEY = "sg_cues"

_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {}

#: The Swedish (and international) names of EU funds, with the canonical names the Finnish
#: side records them under (as :data:`sotegraph.extract.layout.orgs.FUNDS` does).
FUNDS: dict[str, tuple[str, ...]] = {
    "EU:n elpymis- ja palautumistukiväline": (
        "EU:s återhämtningsinstrument",
        "EU:s engångsinstrument för återhämtning",
        "EU:s återhämtnings- och resiliensfacilitet",
        "EU:s facilitet för återhämtning och resiliens",
        "faciliteten för återhämtning och resiliens",
        "återhämtnings- och resiliensfaciliteten",
        "Next Generation EU",
        "NextGenerationEU",
        "RRF",
    ),
    "Euroopan sosiaalirahasto": ("Europeiska socialfonden", "ESF", "ESF+", "ESR"),
    "Euroopan aluekehitysrahasto": ("Europeiska regionala utvecklingsfonden", "ERUF", "EAKR"),
}

#: Head nouns that end an organisation's name (lower case; genitive ``s`` allowed).
ORG_HEADS = (
    r"\w*välfärdsområde|\w*samkommun|\w*universitet|\w*högskola|\w*högskolan|förbund"
    r"|\w*stiftelse|\w*stiftelsen|\w*ministeriet|\w*institutet|\w*verket|\w*centralen"
    r"|\w*sjukvårdsdistrikt|\w*församling|rf|r\.f\.|ab|abp|oy|oyj"
)
_PREFIX_HEADS = ("yrkeshögskolan", "stiftelsen", "föreningen", "institutet", "förbundet")

#: Cue words and phrases (lower case, one list item a token), by ``<role>:<where>`` label.
CUES: dict[str, tuple[str, ...]] = {
    "lead:after": (
        "förvaltas av",
        "förvaltades av",
        "administreras av",
        "administrerades av",
        "koordineras av",
        "koordinerades av",
        "leds av",
        "leddes av",
        "drivs av",
        "drevs av",
        "ägs av",
        "sökande är",
        "sökanden är",
        "huvudsökande är",
        "förvaltare är",
    ),
    "lead:before": (
        "koordinerar",
        "koordinerade",
        "förvaltar",
        "förvaltade",
        "administrerar",
        "leder projektet",
        "leder utvecklingsprojektet",
        "äger projektet",
        "ansvarar för projektet",
        "är sökande",
        "är huvudsökande",
        "är förvaltare",
        "är huvudman",
        "står som sökande",
    ),
    "lead:near": (
        "sökande",
        "sökanden",
        "huvudsökande",
        "förvaltare",
        "förvaltaren",
        "huvudgenomförare",
        "huvudgenomföraren",
        "projektägare",
        "projektägaren",
        "huvudman",
        "huvudmannen",
    ),
    "partner:near": (
        "delgenomförare",
        "delgenomförarna",
        "delgenomförare är",
        "medsökande",
        "medsökanden",
        "projektpartner",
        "projektpartnerna",
        "projektpartners",
    ),
    "collaborator:after": (
        "i samarbete med",
        "i samverkan med",
        "tillsammans med",
        "samarbetar med",
        "samverkar med",
        "samarbetspartner är",
        "samarbetspartner:",
        "samarbetspartnerna är",
    ),
    "collaborator:near": ("samarbetspartner", "samarbetspartnerna", "samarbetspartners"),
    "funder:after": (
        "finansieras av",
        "finansierat av",
        "finansierad av",
        "finansierade av",
        "finansierats av",
        "finansierades av",
        "bekostas av",
        "med finansiering från",
        "finansiering från",
        "finansieringen från",
        "statsunderstöd från",
        "statsunderstödet från",
        "understöd från",
        "bidrag från",
        "stöd från",
        "stöd av",
        "anslag från",
        "medel från",
        "pengarna kommer från",
        "medlen kommer från",
        "finansieringen kommer från",
        "finansiären är",
    ),
    "funder:before": ("finansierar", "finansierade", "bekostar", "stöder projektet"),
    "funder:near": ("finansiär", "finansiären", "finansiärer"),
    "grant:around": ("har beviljat", "hade beviljat", "beviljade", "beviljar", "har gett"),
    "granted:around": ("har beviljats", "beviljades", "har fått", "fick", "får"),
    "neg:clause": (
        "inte",
        "ej",
        "icke",
        "ingen",
        "inget",
        "inga",
        "aldrig",
        "till skillnad från",
        "i stället för",
        "i motsats till",
    ),
}


def _rows(*parts: str) -> list[dict[str, str]]:
    """Rows of a shipped CSV file (``data/...``); none if it is not shipped."""
    try:
        text = resources.data_file(*parts).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return []
    lines = (line for line in io.StringIO(text) if not line.startswith("#"))
    return [dict(r) for r in csv.DictReader(lines)]


def _genitive(word: str) -> str:
    """The Swedish genitive of a word: ``Vasa`` → ``Vasas``; ``Närpes`` stays."""
    return word if word[-1:].lower() in ("s", "x", "z") else word + "s"


def base_name(text: str) -> str:
    """The name as recorded: a name in the genitive back in its base form.

    Only a genitive ``s`` on a head noun (or an abbreviation's ``:s``) is removed.

    >>> base_name("Österbottens välfärdsområdes"), base_name("THL:s"), base_name("Vasa stads")
    ('Österbottens välfärdsområde', 'THL', 'Vasa stad')
    >>> base_name("Svenska handelshögskolans"), base_name("Närpes stad")
    ('Svenska handelshögskolan', 'Närpes stad')
    """
    text = " ".join(text.split())
    if text.endswith(":s"):
        return text[:-2]
    last = text.rsplit(" ", 1)[-1].lower()
    for head in (
        "välfärdsområdes",
        "samkommuns",
        "kommuns",
        "stads",
        "universitets",
        "högskolans",
        "högskolas",
        "förbunds",
        "stiftelsens",
        "stiftelses",
        "ministeriets",
        "institutets",
        "verkets",
        "centralens",
        "sjukvårdsdistrikts",
        "församlings",
    ):
        if last.endswith(head):
            return text[:-1]
    return text


@cache
def organisation_names() -> tuple[tuple[str, str, str], ...]:
    """The gazetteer: ``(phrase, label, name to record)`` from the reference data.

    Organisations of the authority file by every name (Finnish, Swedish, English, aliases);
    municipalities as ``X stad`` and ``X kommun`` by their Swedish (and Finnish) names;
    wellbeing services counties and regional councils by their Swedish names; the
    built-in funders; EU funds by their Swedish names (label ``FUND``, recorded under the
    canonical name). Genitives are added by the pipeline.

    >>> names = organisation_names()
    >>> ("Vasa stad", "ORG", "Vasa stad") in names
    True
    >>> ("Österbottens välfärdsområde", "ORG", "Österbottens välfärdsområde") in names
    True
    """
    out: dict[str, tuple[str, str, str]] = {}

    def add(phrase: str, label: str = "ORG", record: str | None = None) -> None:
        phrase = " ".join(phrase.split())
        if len(phrase) >= 2 and phrase.lower() not in out:
            out[phrase.lower()] = (phrase, label, record or phrase)

    for canonical, funds in FUNDS.items():
        for n in funds:
            add(n, "FUND", canonical)
    for row in _rows("organisations.csv"):
        names = [row.get("name", ""), row.get("name_sv", ""), row.get("name_en", "")]
        names += (row.get("aliases") or "").split("|")
        for n in names:
            if n.strip():
                add(n.strip())
    try:
        funders = json.loads(resources.data_file("nlp", "funders.json").read_text("utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        funders = {}
    for row in funders.get("organisations", []):
        for n in [row.get("name", ""), *row.get("aliases", [])]:
            if n and n != "EU":  # "EU" alone is the union, not a funding body
                add(n)
    for row in _rows("regions", "wellbeing_areas.csv"):
        if row.get("name_sv"):
            add(row["name_sv"])
    for row in _rows("regions", "regions.csv"):
        sv = row.get("name_sv", "")
        if sv and " " not in sv:  # "Österbotten" → "Österbottens förbund"
            add(_genitive(sv) + " förbund")
    seen: set[str] = set()
    for row in _rows("regions", "municipalities.csv"):
        for n in (row.get("name_sv", ""), row.get("name_fi", "")):
            if n and n not in seen:
                seen.add(n)
                for head in ("stad", "kommun"):
                    add(f"{n} {head}")
                    if _genitive(n) != n:
                        add(f"{_genitive(n)} {head}")
    return tuple(out.values())


@cache
def place_names() -> frozenset[str]:
    """Finnish and Swedish names of municipalities and regions (``Vasa``, ``Österbotten``).

    >>> {"Vasa", "Vaasa", "Österbotten"} <= place_names()
    True
    """
    out: set[str] = set()
    for rel in ("municipalities.csv", "regions.csv", "subregions.csv"):
        for row in _rows("regions", rel):
            out |= {n for n in (row.get("name_fi", ""), row.get("name_sv", "")) if n}
    return frozenset(out)


def _short(phrase: str) -> bool:
    """An abbreviation (``THL``, ``ESF+``, ``Soite``): matched in its exact case only."""
    return len(phrase) <= 5 or (phrase.isupper() and " " not in phrase)


def _org_patterns(nlp: Language) -> list[dict[str, Any]]:
    """Phrase patterns of the gazetteer (and their genitives), token patterns of shapes."""
    out: list[dict[str, Any]] = []
    for phrase, label, record in organisation_names():
        if _short(phrase):
            for form in (phrase, phrase + ":s"):
                pattern = [{"ORTH": t.text} for t in nlp.make_doc(form)]
                out.append({"label": label, "pattern": pattern, "id": record})
            continue
        forms = [phrase]
        if label == "ORG":
            forms.append(_genitive(phrase))
        for form in forms:
            out.append({"label": label, "pattern": form, "id": record})
    name_word = {"IS_TITLE": True, "IS_STOP": False}
    heads = {"REGEX": rf"^(?:{ORG_HEADS})s?$"}
    out.append({"label": "ORG", "pattern": [name_word, {"OP": "*", **name_word}, {"LOWER": heads}]})
    out.append(  # "Social- och hälsovårdsministeriet"
        {
            "label": "ORG",
            "pattern": [
                {"IS_TITLE": True, "TEXT": {"REGEX": r"-$"}},
                {"LOWER": {"IN": ["och", "samt"]}},
                {"LOWER": heads},
            ],
        }
    )
    out.append(  # "Yrkeshögskolan Novia", "Stiftelsen Koe"
        {
            "label": "ORG",
            "pattern": [{"LOWER": {"IN": list(_PREFIX_HEADS)}, "IS_TITLE": True}, name_word],
        }
    )
    out.append(  # "Institutet för hälsa och välfärd"
        {
            "label": "ORG",
            "pattern": [
                {"TEXT": {"REGEX": r"^[A-ZÅÄÖ]\w*(?:institutet|centralen|verket|förbundet)$"}},
                {"LOWER": "för"},
                {"IS_ALPHA": True, "IS_TITLE": False},
                {"LOWER": {"IN": ["och", "samt"]}, "OP": "?"},
                {"IS_ALPHA": True, "IS_TITLE": False, "IS_STOP": False, "OP": "?"},
            ],
        }
    )
    return out


def _cue_patterns(nlp: Language) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for label, phrases in CUES.items():
        for phrase in phrases:
            pattern = [{"LOWER": t.lower_} for t in nlp.make_doc(phrase)]
            out.append({"label": label, "pattern": pattern})
    return out


_PARAGRAPHS = "sotegraph_sv_paragraphs"
_BULLETS = {"•", "-", "–", "*", "·", "▪"}


def _paragraphs(doc: Doc) -> Doc:
    """Start a sentence after a blank line and at a bulleted line (titles, list items).

    The sentencizer then splits the rest at sentence-final punctuation (it keeps these).
    """
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        gap = prev.text if prev.is_space else prev.whitespace_
        bullet = "\n" in gap and doc[i].text in _BULLETS and not doc[i].is_space
        if "\n\n" in gap or bullet:
            doc[i].is_sent_start = True
    return doc


def load_swedish_pipeline(*, refresh: bool = False) -> Language:
    """Return the Swedish pipeline, built once per process (thread-safe cache).

    Parameters
    ----------
    refresh:
        Build a new pipeline even if one is cached (e.g. after the reference data changed).

    Raises
    ------
    SotegraphError
        If spaCy is not installed.
    """
    with _LOCK:
        if not refresh and LANGUAGE in _CACHE:
            return _CACHE[LANGUAGE]
        try:
            import spacy
        except ImportError as exc:  # pragma: no cover - spaCy is in the nlp extra
            raise SotegraphError("spaCy is not installed; install sotegraph[nlp]") from exc
        if refresh:
            organisation_names.cache_clear()
            place_names.cache_clear()
        from spacy.language import Language as _Language

        if not _Language.has_factory(_PARAGRAPHS):
            _Language.component(_PARAGRAPHS, func=_paragraphs)
        nlp = spacy.blank(LANGUAGE)
        nlp.add_pipe(_PARAGRAPHS)
        nlp.add_pipe("sentencizer")
        longest = {"@misc": "spacy.first_longest_spans_filter.v1"}
        orgs = nlp.add_pipe(
            "span_ruler",
            name="sotegraph_sv_organisations",
            config={
                "spans_key": ORG_KEY,
                "phrase_matcher_attr": "LOWER",
                "spans_filter": longest,
            },
        )
        orgs.add_patterns(_org_patterns(nlp))  # type: ignore[attr-defined]
        cues = nlp.add_pipe(
            "span_ruler",
            name="sotegraph_sv_cues",
            config={"spans_key": CUE_KEY, "spans_filter": longest},
        )
        cues.add_patterns(_cue_patterns(nlp))  # type: ignore[attr-defined]
        _CACHE[LANGUAGE] = nlp
        return nlp

"""Find and remove personal data: people's names, e-mail addresses, phone numbers, identity codes.

Personal data stays out of every graph and export unless the caller asks for it by name
(``include_personal_data=True``). The decision is taken once per document, on its extracted
:class:`~sotegraph.facts.Facts` and before resolution mints IRIs from names, by
:func:`apply_policy` (the privacy gate): it withholds the names of organisations that are
people, drops the contact persons (:attr:`sotegraph.facts.Facts.persons`) and redacts every
text that becomes a literal (summaries, sentences, labels); :mod:`sotegraph.rdf` then writes
what the facts hold. :func:`find_personal_data` finds personal data in a text and
:func:`redact` replaces it; :func:`scrub_graph` does the same to RDF that did not come through
a build (a copy of a graph without ``sg:Person`` nodes and with every literal redacted).

Whether an implementer (an organisation's name) is a person is decided by one classifier,
:func:`~sotegraph.privacy.implementers.classify_implementer` (in
:mod:`sotegraph.privacy.implementers`, with its rules and the word lists and first-name
statistics of ``data/names/`` it reads); :func:`names_a_person`, the gate and
:func:`withheld_names` ask it. Its evaluation on a labelled sample of implementer names is
``tests/privacy/test_person_classifier.py``.

What is recognised
------------------
- e-mail addresses, also written ``name(at)example.fi``, ``name[at]example.fi`` or
  ``name at example.fi``;
- Finnish phone numbers: ``044-7101008``, ``0405018751``, ``045 180 7767``,
  ``+358 40 869 6494``, ``(08) 618991``, ``09 1234 5678`` (business ids such as
  ``0188962-2`` and postal codes are not phone numbers);
- personal identity codes (henkilötunnus), validated with :mod:`stdnum.fi.hetu`;
- people's names: in contact fields (``Hankkeen yhteyshenkilön nimi: …``, ``Lisätietoja: …``),
  after a title (``projektipäällikkö Aija Virtanen``), in signature lines
  (``Aija Virtanen, KT, yliopettaja``), in contact blocks (a name alone on a line followed by a
  phone, an e-mail or a title), after a first name Voikko knows (when ``libvoikko`` is
  installed), and any further mention of a name or surname found so.

Examples
--------
>>> from sotegraph.privacy import find_personal_data, redact
>>> text = "Lisätietoja: projektipäällikkö Maija Meikäläinen, puh. 040 123 4567, maija(at)esim.fi"
>>> [(h.kind.value, h.value) for h in find_personal_data(text)]
[('name', 'Maija Meikäläinen'), ('phone', '040 123 4567'), ('email', 'maija(at)esim.fi')]
>>> redact(text)
'Lisätietoja: projektipäällikkö [nimi], puh. [puhelin], [sähköposti]'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from sotegraph.facts import Genre, PolicyResult, Span
from sotegraph.nlp.voikko import analyse, voikko_available
from sotegraph.privacy.implementers import (
    TITLE_STEMS,
    ImplementerKind,
    Verdict,
    classify_implementer,
)

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from sotegraph.facts import Facts

__all__ = [
    "PRIVATE_ORGANISATION_TYPE",
    "ImplementerKind",
    "PersonalDataHit",
    "PersonalDataKind",
    "PolicyResult",
    "Verdict",
    "apply_policy",
    "classify_implementer",
    "contains_personal_data",
    "find_personal_data",
    "names_a_person",
    "redact",
    "scrub_graph",
    "withheld_names",
    "withhold_private_organisations",
]


class PersonalDataKind(StrEnum):
    """The kind of personal data a hit is."""

    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"
    HETU = "hetu"


#: What :func:`redact` puts in place of each kind.
PLACEHOLDERS: dict[PersonalDataKind, str] = {
    PersonalDataKind.NAME: "[nimi]",
    PersonalDataKind.EMAIL: "[sähköposti]",
    PersonalDataKind.PHONE: "[puhelin]",
    PersonalDataKind.HETU: "[henkilötunnus]",
}


@dataclass(frozen=True, slots=True)
class PersonalDataHit:
    """One piece of personal data found in a text.

    Attributes
    ----------
    kind:
        What it is.
    span:
        Character offsets ``[start, end)`` into the text, and the 1-based line.
    value:
        The text found (``text[span.start:span.end]``).
    rule:
        Which rule found it (for explaining a hit), e.g. ``"title"`` or ``"contact-field"``.
    """

    kind: PersonalDataKind
    span: Span
    value: str
    rule: str = ""


# ---------------------------------------------------------------------------------------------
# Patterns

_UP = "A-ZÅÄÖÜÉ"
_LOW = "a-zåäöüéšž"
# One part of a personal name: "Aija", "Hauta-aho", "Anna-Liisa", "McDonald" is not needed.
_NAME_PART = rf"[{_UP}][{_LOW}]+(?:-[{_UP}{_LOW}][{_LOW}]+)?"
# Two or three name parts: first name(s) and surname.
_FULL_NAME = rf"{_NAME_PART}(?:[ \t]+{_NAME_PART}){{1,2}}"
_TWO_NAMES = rf"{_NAME_PART}[ \t]+{_NAME_PART}"

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])"
    r"[A-Za-z0-9][A-Za-z0-9._%+-]*"
    r"(?:\s*@\s*|\s*\(at\)\s*|\s*\[at\]\s*|\s*\{at\}\s*|\s*\(a\)\s*|[ \t]+at[ \t]+|[ \t]+ät[ \t]+)"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:(?:\.|\s*\(dot\)\s*|\s*\[dot\]\s*|[ \t]+dot[ \t]+|[ \t]+piste[ \t]+)"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"(?:\.|\s*\(dot\)\s*|\s*\[dot\]\s*|[ \t]+dot[ \t]+|[ \t]+piste[ \t]+)[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
# " at " is only an e-mail separator when the right side looks like a domain (checked above:
# it needs a dot and a top-level domain); the left side must not be an ordinary word.
_SPACED_AT = re.compile(r"[ \t]+(?:at|ät)[ \t]+", re.IGNORECASE)

_PHONE_RE = re.compile(
    r"(?<![\w+/.,-])"
    r"(?:"
    r"(?:\+|00)358[ \t-]?(?:\(0\)[ \t-]?)?\d{1,3}"  # international: +358 40, +358 (0)9
    r"|\(0\d{1,2}\)"  # area code in brackets: (08), (09)
    r"|0\d{1,3}"  # national: 040, 09, 044
    r")"
    r"(?:[ \t-]?\d{2,4}){1,4}"
    r"(?![\w-]|[.,]\d)"
)
_BUSINESS_ID = re.compile(r"\d{7}-\d")
_HETU_RE = re.compile(r"(?<![\w-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w-])")

# Contact fields whose value starts with a person's name.
_CONTACT_LABEL_RE = re.compile(
    r"^[ \t]*(?:"
    r"(?:Hankkeen[ \t]+)?yhteyshenkilö(?:n[ \t]+nimi|t)?"
    r"|(?:Hankkeen[ \t]+)?vastuuhenkilö(?:n[ \t]+nimi|t)?"
    r"|projektipäällikkö|hankepäällikkö|hankekoordinaattori|projektikoordinaattori"
    r"|lisätietoja(?:[ \t]+antaa|[ \t]+antavat)?|lisätiedot|lisätietoa"
    r"|kirjoittaja(?:t)?|teksti|kuva(?:t)?|haastateltava|yhteystiedot|nimi|contact|contact person"
    r")[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)

_TITLE_STEMS = TITLE_STEMS  # one list: the classifier's (sotegraph.privacy.implementers)
_TITLE_RE = re.compile(
    rf"(?<![\w-])(?:[{_LOW}{_UP}][{_LOW}-]*)?(?:{'|'.join(_TITLE_STEMS)})"
    rf"(?:[ \t]+\([A-ZÅÄÖ]+\))?[ \t,]+({_TWO_NAMES})(?![\w-])",
)
_TITLE_WORD_RE = re.compile(
    rf"(?<![\w-])(?:[{_LOW}{_UP}][{_LOW}-]*)?(?:{'|'.join(_TITLE_STEMS)})(?![\w])", re.IGNORECASE
)
_DEGREES = [
    "KT",
    "FT",
    "VTT",
    "VTM",
    "HT",
    "HTM",
    "TtT",
    "TtM",
    "TtK",
    "YTT",
    "YTM",
    "FM",
    "FK",
    "KM",
    "KTM",
    "KTT",
    "THM",
    "LL",
    "LT",
    "DI",
    "TkT",
    "PsT",
    "PsM",
    "MBA",
    "PhD",
    "MSc",
    "MA",
    "BA",
    "eMBA",
    "AMK",
    "YAMK",
    "ft",
    "sh",
    "th",
    "dos",
    "prof",
]
_SIGNATURE_RE = re.compile(
    rf"^[ \t]*({_FULL_NAME})[ \t]*,[ \t]*(?P<rest>.+)$",
    re.MULTILINE,
)
_DEGREE_RE = re.compile(rf"(?<![\w-])(?:{'|'.join(_DEGREES)})(?![\w-])")
_NAME_LINE_RE = re.compile(rf"^[ \t]*({_FULL_NAME})[ \t]*$", re.MULTILINE)
_CONTACT_CUE_RE = re.compile(
    r"puhelin|puh\.|matkapuhelin|gsm|sähköposti|e-mail|email|tel\.|p\.[ \t]*\d",
    re.IGNORECASE,
)
_COMPANY_AFTER_RE = re.compile(
    r"[ \t]*(?:-|–|(?:Oy|Oyj|Ab|Ky|Ltd|Tmi|Inc|Osk|Instituutti|Oy:n|Ky:n|Ab:n)(?![\w]))"
)

# Capitalised words that follow a name but are not part of it, and "names" that are not people.
_NOT_NAME_WORDS = frozenset(
    [
        "Oy",
        "Oyj",
        "Ab",
        "Ry",
        "Ry:n",
        "Ky",
        "Tmi",
        "Osk",
        "Kuntayhtymä",
        "Hanke",
        "Hankkeen",
        "Hankkeessa",
        "Hankkeesta",
        "Projekti",
        "Euroopan",
        "Suomen",
        "Ammattikorkeakoulu",
        "Yliopisto",
        "Kaupunki",
        "Kunta",
        "Sote",
        "Ja",
        "Sekä",
        "Tai",
    ]
)


# ---------------------------------------------------------------------------------------------
# Finding


def find_personal_data(
    text: str, *, names: Iterable[str] = (), use_voikko: bool = True
) -> list[PersonalDataHit]:
    """Find people's names, e-mail addresses, phone numbers and identity codes in a text.

    Parameters
    ----------
    text:
        The text to search.
    names:
        Names already known to be people's (e.g. contact persons the extractor found); every
        occurrence of each, and of its surname alone, is a hit.
    use_voikko:
        Also take a first name that Voikko's Finnish dictionary knows, followed by a capitalised
        word, as a person's name (only when ``libvoikko`` and ``voikko-fi`` are installed).

    Returns
    -------
    list of PersonalDataHit
        Sorted by position; overlapping hits are merged into the longer one.

    Examples
    --------
    >>> hits = find_personal_data("Yhteyshenkilön puhelinnumero: 044-1234567")
    >>> [(h.kind.value, h.value, h.span.start, h.span.line) for h in hits]
    [('phone', '044-1234567', 30, 1)]
    >>> [h.value for h in find_personal_data("Y-tunnus 0188962-2, postinumero 00100")]
    []
    >>> [h.kind.value for h in find_personal_data("Henkilötunnus 131052-308T.")]
    ['hetu']
    """
    hits: list[PersonalDataHit] = []
    hits += _find_emails(text)
    hits += _find_hetus(text)
    hits += _find_phones(text)
    name_hits = _find_names(text, use_voikko=use_voikko)
    hits += name_hits
    known = {n.strip() for n in names if n and n.strip()}
    known |= {h.value for h in name_hits if h.rule != "voikko"}
    hits += _find_known_names(text, known)
    return _with_lines(text, _resolve_overlaps(text, hits))


def contains_personal_data(text: str, *, names: Iterable[str] = ()) -> bool:
    """Return whether a text holds any personal data :func:`find_personal_data` recognises.

    >>> contains_personal_data("Hanketta hallinnoi Keksityn ammattikorkeakoulu.")
    False
    >>> contains_personal_data("Soita 0401234567")
    True
    """
    return bool(find_personal_data(text, names=names))


def redact(
    text: str,
    *,
    names: Iterable[str] = (),
    placeholder: str | None = None,
    use_voikko: bool = True,
) -> str:
    """Return the text with every piece of personal data replaced by a placeholder.

    Parameters
    ----------
    text:
        The text to redact.
    names:
        Names known to be people's (see :func:`find_personal_data`).
    placeholder:
        One replacement for every kind; by default ``[nimi]``, ``[sähköposti]``, ``[puhelin]``,
        ``[henkilötunnus]``.
    use_voikko:
        See :func:`find_personal_data`.

    Examples
    --------
    >>> redact("Soita projektipäällikkö Matti Virtaselle 050 765 4321.")
    'Soita projektipäällikkö [nimi] [puhelin].'
    >>> redact("Hanketta hallinnoi Kuvitelma-amk.")
    'Hanketta hallinnoi Kuvitelma-amk.'
    >>> redact("Pekka Puupää kertoo", names=["Pekka Puupää"], placeholder="***")
    '*** kertoo'
    """
    hits = find_personal_data(text, names=names, use_voikko=use_voikko)
    if not hits:
        return text
    out: list[str] = []
    pos = 0
    for hit in hits:
        out.append(text[pos : hit.span.start])
        out.append(placeholder if placeholder is not None else PLACEHOLDERS[hit.kind])
        pos = hit.span.end
    out.append(text[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Organisations that are people


#: The ``sg:organisationType`` of an organisation whose name was withheld.
PRIVATE_ORGANISATION_TYPE = "yksityishenkilö tai toiminimi"


def names_a_person(name: str, *, use_voikko: bool = True) -> bool:
    """Return whether an organisation's name is a natural person's.

    That is a person's name alone (``Aino Maria Esimerkki``, ``Esimerkki Aino``, ``A.
    Esimerkki``), a sole trader or an estate (``Tmi``, ``toiminimi``, ``kuolinpesä``), or a
    business name without a legal person's form that holds a person's full name
    (``Hierontapalvelu Aino Esimerkki``). The decision is
    :func:`~sotegraph.privacy.implementers.classify_implementer`'s (see there for the rules);
    an organisation whose label only *holds* a person's name (``… Professori Aino
    Esimerkki``) is no person: :func:`withhold_private_organisations` removes the name from
    its label instead.

    Examples
    --------
    >>> names_a_person("Tmi Kukkakauppa Orvokki")
    True
    >>> names_a_person("Aino Maria Esimerkki"), names_a_person("Anna-Mari Kuvitelma")
    (True, True)
    >>> names_a_person("Aino Esimerkki Oy"), names_a_person("Keksityn ammattikorkeakoulu")
    (False, False)
    """
    return classify_implementer(name, use_voikko=use_voikko).natural_person


def withhold_private_organisations(facts: Facts, *, use_voikko: bool = True) -> int:
    """Withhold the names of organisations that are natural persons, in place.

    Each such organisation (see :func:`names_a_person`) is named after the first project it
    takes part in, ``Yksityinen toteuttaja (S10324)`` (private implementer), gets
    ``sg:organisationType`` :data:`PRIVATE_ORGANISATION_TYPE`, and loses its aliases,
    business id and other details; its IRI is minted from that label, so no graph, export or
    IRI carries the name. An organisation whose label holds a person's name (after a title,
    ``c/o``, or as an auxiliary business name: kind ``person_in_label``) is kept, with each
    such name replaced by ``[nimi]`` in its name, canonical name and aliases (an alias that
    is a person's name alone is dropped); the gate counts those in ``PolicyResult.redacted``. Organisations
    checked are marked (``private``), so a second call does nothing.

    Returns
    -------
    int
        How many organisations were withheld by this call.

    Examples
    --------
    >>> from sotegraph.facts import Facts, OrganisationFact, Participation, ProjectFact, Role
    >>> f = Facts("d", "lista.csv", projects=[ProjectFact(key="S1", name="Hanke", code="S1")],
    ...           organisations=[OrganisationFact("o1", "Tmi Aino Esimerkki"),
    ...                          OrganisationFact("o2", "Keksitty Oy c/o Aino Esimerkki")],
    ...           participations=[Participation("S1", "o1", Role.LEAD)])
    >>> withhold_private_organisations(f), f.organisations[0].name, f.organisations[1].name
    (1, 'Yksityinen toteuttaja (S1)', 'Keksitty Oy c/o [nimi]')
    """
    return _withhold(facts, use_voikko=use_voikko)[0]


def _withhold(facts: Facts, *, use_voikko: bool) -> tuple[int, int]:
    """Withhold private organisations and redact persons' names in labels.

    Returns how many organisations were withheld and how many label texts were redacted.
    """
    first_project: dict[str, str] = {}
    codes = {p.key: p.code or p.key for p in facts.projects}
    for part in facts.participations:
        first_project.setdefault(part.organisation, codes.get(part.project, part.project))
    withheld = redacted = 0
    for o in facts.organisations:
        if o.private is not None:
            continue
        verdict = classify_implementer(o.name, use_voikko=use_voikko) if o.name else None
        o.private = verdict is not None and verdict.natural_person
        if not o.private:
            redacted += _redact_labels(o, use_voikko=use_voikko)
            continue
        withheld += 1
        ref = first_project.get(o.key) or f"{facts.document_id} {o.key}"
        o.name = f"Yksityinen toteuttaja ({ref})"
        o.org_type = PRIVATE_ORGANISATION_TYPE
        o.aliases = []
        o.business_id = o.postal_town = o.website = o.iri = o.canonical_name = None
    return withheld, redacted


def _redact_labels(o: Any, *, use_voikko: bool) -> int:
    """Replace persons' names in an organisation's labels by ``[nimi]``; count the changes."""
    changed = 0

    def clean(label: str) -> str | None:
        nonlocal changed
        verdict = classify_implementer(label, use_voikko=use_voikko)
        if verdict.natural_person:
            changed += 1
            return None
        if verdict.kind is ImplementerKind.PERSON_IN_LABEL:
            changed += 1
            return verdict.redact(label)
        return label

    if o.name:
        o.name = clean(o.name) or PLACEHOLDERS[PersonalDataKind.NAME]
    if o.canonical_name:
        o.canonical_name = clean(o.canonical_name)
    if o.aliases:
        o.aliases = [a for a in (clean(a) for a in o.aliases if a) if a]
    return changed


def withheld_names(facts: Facts, *, use_voikko: bool = True) -> list[str]:
    """The persons' names the gate would take out of ``facts``' organisation labels.

    For organisations that are natural persons their whole names (and aliases); for those
    whose labels hold a person's name, that name. Read before :func:`apply_policy`
    (afterwards the names are gone); tests grep exports for them.

    Examples
    --------
    >>> from sotegraph.facts import Facts, OrganisationFact
    >>> f = Facts("d", "lista.csv", organisations=[
    ...     OrganisationFact("o1", "Hierontapalvelu Aino Esimerkki"),
    ...     OrganisationFact("o2", "Keksitty yliopisto, Professori Eino Kuvitelma"),
    ...     OrganisationFact("o3", "Keksitty Oy")])
    >>> withheld_names(f)
    ['Hierontapalvelu Aino Esimerkki', 'Eino Kuvitelma']
    """
    out: list[str] = []
    for o in facts.organisations:
        for label in [o.name, o.canonical_name, *o.aliases]:
            if not label:
                continue
            verdict = classify_implementer(label, use_voikko=use_voikko)
            if verdict.natural_person:
                out.append(label)
            elif verdict.kind is ImplementerKind.PERSON_IN_LABEL:
                out += verdict.person_names(label)
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------------------------
# The gate: the one place where the policy is applied to a document's facts


def apply_policy(
    facts: Facts,
    *,
    include_personal_data: bool,
    redact_text: bool | None = None,
    use_voikko: bool = True,
) -> PolicyResult:
    """Apply the personal-data policy to one document's facts, in place (the privacy gate).

    The build runs it once per document, after extraction and before resolution mints IRIs
    from names, so nothing downstream (IRIs, graphs, exports) sees what it takes out. When
    personal data is not asked for, it

    1. withholds the names of organisations that are people, and replaces the persons'
       names inside other organisations' labels by ``[nimi]``
       (:func:`withhold_private_organisations`; the decision is
       :func:`~sotegraph.privacy.implementers.classify_implementer`'s);
    2. drops the contact persons (:attr:`Facts.persons <sotegraph.facts.Facts.persons>`);
    3. redacts with :func:`redact` every text of the facts that becomes a literal of the
       document's graph: the prose (``ProjectFact.summary``, ``target_groups``,
       ``final_report_summary``, ``Participation.sentence``) also with Voikko's first-name
       rule, the other texts (the names and aliases of projects, organisations and groups,
       organisation types and towns, programme texts, statuses, place mentions, role wording)
       without it, as a first name next to a capitalised word is often a firm's name. The
       names of the contact persons, and the names found in contact fields, after titles or in
       signatures of any of these texts, are redacted in all of them.

    These are the rules :func:`scrub_graph` applies to the literals of a graph. References are
    left as they are: keys (``ProjectFact.key``, ``Participation.project`` and
    ``organisation``, ``GroupFact.members`` and ``funders``, ``sister_projects`` …), IRIs,
    project codes and business ids, theme labels, website addresses, the document's id and
    its source path (which the store's manifest records anyway).

    When personal data is asked for, the facts keep everything and the result says whether
    they hold any (contact persons, or organisations whose names are people's).

    The result is also kept in :attr:`Facts.policy <sotegraph.facts.Facts.policy>`, and
    :mod:`sotegraph.rdf` writes gated facts as they are. A second call with the same setting,
    or after personal data was already taken out, does nothing and returns the first result.

    Parameters
    ----------
    facts:
        One document's facts, as extracted; changed in place.
    include_personal_data:
        Keep personal data (the caller asked for it by name).
    redact_text:
        Redact the text fields (step 3). By default yes, except for bulk tables: their texts
        are project and organisation names and codes, with no contact field or prose, and a
        table holds tens of thousands of them.
    use_voikko:
        Use Voikko's Finnish dictionary (see :func:`find_personal_data` and
        :func:`names_a_person`).

    Returns
    -------
    PolicyResult
        What the gate did (:class:`sotegraph.facts.PolicyResult`, also kept in
        ``facts.policy``); the build adds the counts up in its
        :class:`~sotegraph.builder.BuildResult`.

    Examples
    --------
    >>> from sotegraph.facts import (
    ...     Facts, OrganisationFact, Participation, PersonFact, ProjectFact, Role)
    >>> f = Facts("d", "uutinen.txt",
    ...     projects=[ProjectFact("p1", name="Hoivaa kotiin", summary=(
    ...         "Hanketta vetää projektipäällikkö Aili Kuvitelma, puh. 040 123 4567."))],
    ...     organisations=[OrganisationFact("o1", "Tmi Aili Kuvitelma")],
    ...     participations=[Participation("p1", "o1", Role.LEAD,
    ...                                   sentence="Kuvitelma kertoo hankkeesta.")],
    ...     persons=[PersonFact(name="Aili Kuvitelma", project="p1")])
    >>> result = apply_policy(f, include_personal_data=False)
    >>> result.withheld, result.persons_dropped, result.redacted, f.persons
    (1, 1, 2, [])
    >>> f.projects[0].summary
    'Hanketta vetää projektipäällikkö [nimi], puh. [puhelin].'
    >>> f.participations[0].sentence, f.participations[0].organisation
    ('[nimi] kertoo hankkeesta.', 'o1')
    >>> f.organisations[0].name
    'Yksityinen toteuttaja (p1)'
    >>> kept = Facts("e", "uutinen.txt", persons=[PersonFact(name="Aili Kuvitelma")])
    >>> apply_policy(kept, include_personal_data=True).personal_data, len(kept.persons)
    (True, 1)
    """
    if redact_text is None:
        redact_text = facts.genre is not Genre.BULK_TABLE
    done = facts.policy
    if done is not None and (
        include_personal_data
        or (not done.include_personal_data and (done.text_redacted or not redact_text))
    ):
        return done
    if include_personal_data:
        personal = bool(facts.persons) or bool(withheld_names(facts, use_voikko=use_voikko))
        result = PolicyResult(include_personal_data=True, personal_data=personal)
    else:
        withheld, in_labels = _withhold(facts, use_voikko=use_voikko)
        names = [p.name for p in facts.persons if p.name]
        dropped = len(facts.persons)
        facts.persons = []  # a new list: a list shared with a caller's copy stays as it was
        redacted = _redact_facts(facts, names, use_voikko=use_voikko) if redact_text else 0
        redacted += in_labels
        result = PolicyResult(
            include_personal_data=False,
            personal_data=False,
            text_redacted=redact_text,
            withheld=withheld,
            persons_dropped=dropped,
            redacted=redacted,
        )
    facts.policy = result
    return result


# The text fields of each fact that become literals of a document's graph (see
# sotegraph.rdf), as (attribute, prose); an attribute holds a string, None or a list of strings.
_ORGANISATION_TEXT = (
    ("name", False),
    ("canonical_name", False),
    ("aliases", False),
    ("org_type", False),
    ("postal_town", False),
)
_PROJECT_TEXT = (
    ("name", False),
    ("aliases", False),
    ("programme", False),
    ("priority_axis", False),
    ("specific_objective", False),
    ("status", False),
    ("summary", True),
    ("target_groups", True),
    ("final_report_summary", True),
)
_GROUP_TEXT = (("name", False), ("aliases", False))
_PARTICIPATION_TEXT = (("role_text", False), ("sentence", True))


def _text_fields(facts: Facts) -> list[tuple[Any, str, bool]]:
    """``(fact, attribute, prose)`` of every text of ``facts`` that becomes a literal."""
    out: list[tuple[Any, str, bool]] = []
    for o in facts.organisations:
        out += [(o, attr, prose) for attr, prose in _ORGANISATION_TEXT]
    for p in facts.projects:
        out += [(p, attr, prose) for attr, prose in _PROJECT_TEXT]
        out += [(place, "text", False) for place in p.places]  # sg:unresolvedArea
    for g in facts.groups:
        out += [(g, attr, prose) for attr, prose in _GROUP_TEXT]
    for part in facts.participations:
        out += [(part, attr, prose) for attr, prose in _PARTICIPATION_TEXT]
    return out


def _redact_facts(facts: Facts, names: list[str], *, use_voikko: bool) -> int:
    """Redact the text fields of ``facts`` in place (see :func:`apply_policy`).

    Returns how many text values changed.
    """
    fields = _text_fields(facts)
    texts: set[str] = set()
    for fact, attr, _prose in fields:
        value = getattr(fact, attr)
        if isinstance(value, list):
            texts.update(v for v in value if v)
        elif value:
            texts.add(value)
    # the contact persons' names, and names found in contact fields / after titles in any
    # text of the document, apply to every text
    known = {n for n in names if n}
    for text in texts:
        known |= {h.value for h in _find_names(text, use_voikko=False)}
    known_list = sorted(known)
    cache: dict[tuple[str, bool], str] = {}
    changed = 0

    def clean(value: str, prose: bool) -> str:
        # Voikko's first-name rule only runs on prose: in names it would also hit the names
        # of sole traders' firms ("Eino Esimerkki Ky"), which are business data.
        nonlocal changed
        key = (value, prose and use_voikko)
        new = cache.get(key)
        if new is None:
            new = cache[key] = redact(value, names=known_list, use_voikko=key[1])
        if new != value:
            changed += 1
        return new

    for fact, attr, prose in fields:
        value = getattr(fact, attr)
        if isinstance(value, list):
            if any(value):
                setattr(fact, attr, [clean(v, prose) if v else v for v in value])
        elif value:
            setattr(fact, attr, clean(value, prose))
    return changed


def _hit(text: str, kind: PersonalDataKind, start: int, end: int, rule: str) -> PersonalDataHit:
    # the line is filled in once for all hits by _with_lines (counting per hit is quadratic)
    return PersonalDataHit(kind, Span(start, end), text[start:end], rule)


def _with_lines(text: str, hits: list[PersonalDataHit]) -> list[PersonalDataHit]:
    """Set the 1-based line of each hit (hits sorted by start), counting newlines once."""
    out = []
    line, pos = 1, 0
    for h in hits:
        line += text.count("\n", pos, h.span.start)
        pos = h.span.start
        out.append(PersonalDataHit(h.kind, Span(h.span.start, h.span.end, line), h.value, h.rule))
    return out


def _find_emails(text: str) -> list[PersonalDataHit]:
    out = []
    for m in _EMAIL_RE.finditer(text):
        value = m.group(0)
        spaced = _SPACED_AT.search(value)
        if spaced and "@" not in value and "(" not in value and "[" not in value:
            local = value[: spaced.start()]
            # "Meet at example.fi" is no address; "matti.m at example.fi" is.
            if not re.search(r"[._%+\d-]", local):
                continue
        out.append(_hit(text, PersonalDataKind.EMAIL, m.start(), m.end(), "email"))
    return out


def _find_hetus(text: str) -> list[PersonalDataHit]:
    from stdnum.fi import hetu

    return [
        _hit(text, PersonalDataKind.HETU, m.start(), m.end(), "hetu")
        for m in _HETU_RE.finditer(text)
        if hetu.is_valid(m.group(0))
    ]


def _find_phones(text: str) -> list[PersonalDataHit]:
    out = []
    for m in _PHONE_RE.finditer(text):
        value = m.group(0)
        if _BUSINESS_ID.fullmatch(value):
            continue
        digits = re.sub(r"\D", "", value)
        if value.startswith(("+", "00")):
            national = digits[5:] if value.startswith("00") else digits[3:]
            national = national.lstrip("0")
            if not 5 <= len(national) <= 11:
                continue
        elif len(digits) < 7 or len(digits) > 12:
            # 00100 is a postal code, 040 123 is too short to be a number
            continue
        out.append(_hit(text, PersonalDataKind.PHONE, m.start(), m.end(), "phone"))
    return out


def _is_name(candidate: str) -> bool:
    words = candidate.split()
    if len(words) < 2:
        return False
    return not any(w in _NOT_NAME_WORDS for w in words)


def _trim_name(candidate: str) -> str:
    """Cut a name candidate before the first word that is not part of a name."""
    words = candidate.split()
    kept: list[str] = []
    for w in words:
        if w in _NOT_NAME_WORDS:
            break
        kept.append(w)
    return " ".join(kept)


def _name_hit(text: str, start: int, candidate: str, rule: str) -> PersonalDataHit | None:
    name = _trim_name(candidate)
    if not _is_name(name):
        return None
    return _hit(text, PersonalDataKind.NAME, start, start + len(name), rule)


def _find_names(text: str, *, use_voikko: bool) -> list[PersonalDataHit]:
    out: list[PersonalDataHit] = []

    # 1. contact fields: "Hankkeen yhteyshenkilön nimi: Tuula Esimerkki"
    for m in _CONTACT_LABEL_RE.finditer(text):
        rest = text[m.end() :]
        nm = re.match(rf"(?:[{_LOW}-]+[ \t]+)?({_FULL_NAME})(?![\w-])", rest)
        if nm:
            hit = _name_hit(text, m.end() + nm.start(1), nm.group(1), "contact-field")
            if hit:
                out.append(hit)

    # 2. after a title: "projektipäällikkö Aija Esimerkki"
    for m in _TITLE_RE.finditer(text):
        name = m.group(1)
        # "projektipäällikkö Eija Esimerkki Työterveyslaitoksesta": two words only
        hit = _name_hit(text, m.start(1), name, "title")
        if hit:
            out.append(hit)

    # 3. signatures: "Kaija Esimerkki, KT, yliopettaja, Keksityn ammattikorkeakoulu"
    for m in _SIGNATURE_RE.finditer(text):
        rest = m.group("rest")
        if (
            _DEGREE_RE.search(rest[:60])
            or _TITLE_WORD_RE.search(rest[:120])
            or _EMAIL_RE.search(rest)
            or _PHONE_RE.search(rest)
        ):
            hit = _name_hit(text, m.start(1), m.group(1), "signature")
            if hit:
                out.append(hit)

    # 4. contact blocks: a name alone on a line, followed by a title, phone or e-mail
    for m in _NAME_LINE_RE.finditer(text):
        following = [ln.strip() for ln in text[m.end() : m.end() + 400].splitlines()]
        following = [ln for ln in following if ln][:6]
        if any(
            _CONTACT_CUE_RE.search(ln)
            or _EMAIL_RE.search(ln)
            or _PHONE_RE.search(ln)
            or (_TITLE_WORD_RE.fullmatch(ln) is not None)
            for ln in following
        ):
            hit = _name_hit(text, m.start(1), m.group(1), "contact-block")
            if hit:
                out.append(hit)

    # 5. a first name Voikko knows, then a capitalised word: "Aija Esimerkki kertoo"
    if use_voikko:
        out += _find_voikko_names(text)
    return out


@cache
def _word_classes(word: str) -> frozenset[str]:
    """Voikko's word classes of a word; a first name counts only in the nominative."""
    out = set()
    for a in analyse(word):
        cls = a.get("CLASS", "")
        if cls == "etunimi" and a.get("SIJAMUOTO") != "nimento":
            cls = "etunimi-inflected"
        out.add(cls)
    return frozenset(out)


def _find_voikko_names(text: str) -> list[PersonalDataHit]:
    if not voikko_available():
        return []
    out = []
    # a lookahead, so that "Aamulla Helena Esimerkki" tries "Helena Esimerkki" as well
    pairs = re.finditer(rf"(?<![\w-])(?=(({_NAME_PART})[ \t]+({_NAME_PART})(?![\w-])))", text)
    for m in pairs:
        first, last = m.group(2), m.group(3)
        if first in _NOT_NAME_WORDS or last in _NOT_NAME_WORDS:
            continue
        end = m.start() + len(m.group(1))
        if _COMPANY_AFTER_RE.match(text, end):
            continue  # "Eino Esimerkki Oy", "Eino Esimerkki -säätiö": a name of a thing
        first_classes = _word_classes(first)
        if "etunimi" not in first_classes:
            continue
        last_classes = _word_classes(last)
        # the second word must be able to be a surname: Voikko knows it as one, or does not
        # know it at all, or knows it only as an ordinary noun ("Haukka"); a place or
        # organisation name in the genitive ("Kajaanin") is not a surname.
        if last_classes and not (
            "sukunimi" in last_classes or last_classes <= {"nimisana", "laatusana"}
        ):
            continue
        # a sentence-initial common word is no first name: "Onni oli ..." is rare enough, but
        # "Kari Oy" or "Aino Kunta" are filtered by _NOT_NAME_WORDS above.
        out.append(_hit(text, PersonalDataKind.NAME, m.start(), end, "voikko"))
    return out


def _find_known_names(text: str, names: set[str]) -> list[PersonalDataHit]:
    out: list[PersonalDataHit] = []
    if not names:
        return out
    full = sorted(names, key=len, reverse=True)
    surnames = {n.split()[-1] for n in names if len(n.split()) >= 2}
    surnames = {s for s in surnames if len(s) >= 4}
    for name in full:
        pattern = r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?![\w-])"
        for m in re.finditer(pattern, text):
            out.append(_hit(text, PersonalDataKind.NAME, m.start(), m.end(), "known-name"))
    for surname in surnames:
        # the surname alone, also inflected: "Esimerkki kertoo", "Esimerkin mukaan" is missed
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}[{_LOW}]{{0,4}}(?![\w-])", text):
            out.append(_hit(text, PersonalDataKind.NAME, m.start(), m.end(), "known-surname"))
    return out


def _resolve_overlaps(text: str, hits: list[PersonalDataHit]) -> list[PersonalDataHit]:
    """Keep the longest of overlapping hits; a hit of another kind inside a longer one goes."""
    hits = sorted(hits, key=lambda h: (h.span.start, -(h.span.end - h.span.start)))
    out: list[PersonalDataHit] = []
    for hit in hits:
        if out and hit.span.start < out[-1].span.end:
            prev = out[-1]
            if hit.span.end > prev.span.end:
                if hit.span.end - hit.span.start > prev.span.end - prev.span.start:
                    out[-1] = hit
                else:
                    out[-1] = _hit(text, prev.kind, prev.span.start, hit.span.end, prev.rule)
            continue
        out.append(hit)
    return out


# ---------------------------------------------------------------------------------------------
# Graphs


def scrub_graph(graph: Graph, *, names: Iterable[str] = (), use_voikko: bool = True) -> Graph:
    """Return a copy of a graph (or dataset) with personal data removed.

    For RDF that did not come through a build (one's own graph, a file from elsewhere): a
    build applies the same rules to each document's facts before any RDF is written
    (:func:`apply_policy`) and never calls this. The copy has no ``sg:Person`` node (and no triple pointing to one), no ``sg:email``,
    ``sg:telephone``, ``schema:email``, ``schema:telephone`` or ``sg:contactPerson`` triple,
    and every string literal (summaries, sentences, labels) redacted with :func:`redact`: a
    summary with a phone number in it keeps its other words. A sotegraph IRI whose slug holds
    a known person's name (made from a mis-read text) is renamed ``…/redacted-<hash>``. ``sg:includesPersonalData true``
    becomes ``false``. The input graph is not changed.

    Parameters
    ----------
    graph:
        An :class:`rdflib.Graph` or :class:`rdflib.Dataset` (named graphs are kept).
    names:
        Further names known to be people's; the names of the ``sg:Person`` nodes in the graph
        and the names found in contact fields of its literals are always used.
    use_voikko:
        Use Voikko's first names (see :func:`find_personal_data`) in prose literals
        (``sg:summary``, ``sg:sentence``, descriptions); labels are checked without it.

    Returns
    -------
    rdflib.Graph or rdflib.Dataset
        Of the same kind as ``graph``.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> from rdflib.namespace import RDF
    >>> from sotegraph.vocab import SG
    >>> g = Graph()
    >>> p, person = URIRef("urn:p"), URIRef("urn:person")
    >>> g.add((person, RDF.type, SG.Person))
    <Graph ...>
    >>> g.add((person, URIRef("https://schema.org/name"), Literal("Liisa Esimerkki")))
    <Graph ...>
    >>> g.add((p, SG.contactPerson, person))
    <Graph ...>
    >>> g.add((p, SG.summary, Literal("Liisa Esimerkki vastaa, puh. 040 111 2233.", lang="fi")))
    <Graph ...>
    >>> clean = scrub_graph(g)
    >>> len(clean), str(clean.value(p, SG.summary))
    (1, '[nimi] vastaa, puh. [puhelin].')
    """
    from rdflib import Dataset, Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS, XSD

    from sotegraph.vocab import SG

    schema = "https://schema.org/"
    drop_predicates = {
        SG.email,
        SG.telephone,
        SG.contactPerson,
        URIRef(schema + "email"),
        URIRef(schema + "telephone"),
        URIRef("http://xmlns.com/foaf/0.1/mbox"),
        URIRef("http://xmlns.com/foaf/0.1/phone"),
    }
    name_predicates = {
        URIRef(schema + "name"),
        URIRef(schema + "givenName"),
        URIRef(schema + "familyName"),
        SKOS.prefLabel,
        RDFS.label,
        URIRef("http://xmlns.com/foaf/0.1/name"),
    }
    is_dataset = isinstance(graph, Dataset)
    quads: list[tuple[Any, Any, Any, Any]]
    if is_dataset:
        quads = list(graph.quads((None, None, None, None)))  # type: ignore[attr-defined]
    else:
        quads = [(s, p, o, None) for s, p, o in graph]

    persons = {s for s, p, o, _ in quads if p == RDF.type and o == SG.Person}
    known = {n for n in names if n}
    for s, p, o, _ in quads:
        if s in persons and p in name_predicates and isinstance(o, Literal):
            known.add(str(o))
    # names found in contact fields / after titles anywhere in the graph apply everywhere
    texts = {str(o) for _, _, o, _ in quads if _is_text_literal(o, XSD)}
    for t in texts:
        known |= {h.value for h in _find_names(t, use_voikko=False)}
    known_list = sorted(known)

    prose_predicates = {
        SG.summary,
        SG.sentence,
        SG.finalReportSummary,
        SG.targetGroups,
        RDFS.comment,
        URIRef("http://purl.org/dc/terms/description"),
        URIRef(schema + "description"),
    }
    cache: dict[tuple[str, bool], str] = {}

    def clean(lit: Literal, prose: bool) -> Literal:
        # Voikko's first-name rule only runs on prose: in labels it would also hit the names
        # of sole traders' firms ("Eino Esimerkki Ky"), which are business data.
        value = str(lit)
        key = (value, prose and use_voikko)
        if key not in cache:
            cache[key] = redact(value, names=known_list, use_voikko=key[1])
        new = cache[key]
        if new == value:
            return lit
        return Literal(new, lang=lit.language, datatype=lit.datatype)

    rename = _name_iri_renamer(known_list)

    out: Any = Dataset() if is_dataset else type(graph)(identifier=graph.identifier)
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for s, p, o, c in quads:
        if s in persons or o in persons or p in drop_predicates:
            continue
        s, o = rename(s), rename(o)
        if p == SG.includesPersonalData:
            o = Literal(False)
        elif _is_text_literal(o, XSD):
            o = clean(o, p in prose_predicates)
        if is_dataset:
            ctx = c if c is not None else out.default_context.identifier
            out.add((s, p, o, ctx))
        else:
            out.add((s, p, o))
    return out


_SGID = "https://w3id.org/sotegraph/id/"


def _name_iri_renamer(names: list[str]) -> Any:
    """Return a function that renames sotegraph IRIs whose slug contains a person's name.

    A slug IRI made from a text that held a name (``…/project/liisa-esimerkki-ht-dosentti``)
    would carry the name into every export; it becomes ``…/project/redacted-<hash>``.
    """
    import hashlib

    from rdflib import URIRef

    from sotegraph.namespaces import slugify

    slugs = {slugify(n) for n in names if len(n.split()) >= 2}
    slugs = {s for s in slugs if len(s) >= 5 and "-" in s}
    if not slugs:
        return lambda term: term
    pattern = re.compile(r"(?:^|-)(?:" + "|".join(map(re.escape, sorted(slugs))) + r")(?:-|$)")

    def rename(term: Any) -> Any:
        if not isinstance(term, URIRef) or not str(term).startswith(_SGID):
            return term
        kind, _, local = str(term)[len(_SGID) :].rpartition("/")
        if not pattern.search(local):
            return term
        digest = hashlib.sha256(str(term).encode("utf-8")).hexdigest()[:12]
        return URIRef(f"{_SGID}{kind}/redacted-{digest}")

    return rename


def _is_text_literal(term: Any, xsd: Any) -> bool:
    from rdflib import Literal

    return isinstance(term, Literal) and (term.datatype is None or term.datatype == xsd.string)

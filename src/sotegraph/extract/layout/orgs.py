"""Organisations named in a field value: lists split into names, aliases, business ids, roles.

A value such as ``Koelan kuntayhtymä (KoeSote), hallinnoija`` or ``Testilän yliopisto,
Koeseudun Kehitys Oy ja Esimerkkisäätiö`` is split at commas and semicolons outside
brackets, then at ``ja``/``sekä`` between two names (not inside one: ``Terveyden ja
hyvinvoinnin laitos``, ``Pohjolan Nuorten ja Lasten Säätiö``). EU funds get their canonical
names; regional intermediate bodies (ELY-keskus, a regional council) are funding
authorities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sotegraph.facts import Role

__all__ = [
    "ABBR",
    "BID",
    "FUNDS",
    "OrgMention",
    "fund_name",
    "is_authority",
    "split_organisations",
]

#: EU and national funds named in funding statements, with their canonical names.
FUNDS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\bEuroopan\s+sosiaalirahasto\w*|\bESR\b|\bESF\b|"
            r"\bEuropeiska\s+socialfonden\b",
            re.IGNORECASE,
        ),
        "Euroopan sosiaalirahasto",
    ),
    (
        re.compile(
            r"\bEuroopan\s+aluekehitysrahasto\w*|\bEAKR\b|\bERUF\b|"
            r"\bEuropeiska\s+regionala\s+utvecklingsfonden\b",
            re.IGNORECASE,
        ),
        "Euroopan aluekehitysrahasto",
    ),
    (
        re.compile(
            r"\belpymis-\s+ja\s+palautumistukiväline\w*|\båterhämtningsinstrument\w*|"
            r"\bNext\s+Generation\s+EU\b|\bRRF\b",
            re.IGNORECASE,
        ),
        "EU:n elpymis- ja palautumistukiväline",
    ),
]
_AUTHORITY = re.compile(
    r"\bELY-keskus\w*|\belinkeino-,\s+liikenne-\s+ja\s+ympäristökeskus\w*|"
    r"\bmaakuntaliitto\w*|\b[A-ZÅÄÖ][\w-]*\s+liitto\w*|\bNTM-central\w*",
)
_ROLE_WORDS: list[tuple[re.Pattern[str], Role]] = [
    (
        re.compile(
            r"\b(hallinnoija\w*|päätoteuttaja\w*|hallinnoi\w*|koordinoi\w*|hakija|"
            r"vetäjä\w*|förvaltare|huvudgenomförare)\b",
            re.I,
        ),
        Role.LEAD,
    ),
    (re.compile(r"\b(osatoteuttaja\w*|osahakija\w*|delgenomförare)\b", re.I), Role.PARTNER),
    (
        re.compile(r"\b(yhteistyökumppani\w*|kumppani\w*|samarbetspartner)\b", re.I),
        Role.COLLABORATOR,
    ),
    (re.compile(r"\b(rahoittaja\w*|finansiär)\b", re.I), Role.FUNDER),
]
_GENERIC_HEAD = re.compile(
    r"^(valtio|valtion|kunnat|kunta|kuntien|muu|muut|kaikki|alueen|hankekuntien|maakunnalliset"
    r"|työntekijät|yritykset|järjestöt|staten|kommunerna)\b",
    re.IGNORECASE,
)
#: a Finnish business id (``1234567-8``)
BID = re.compile(r"^\d{7}-\d$")
#: an abbreviation or short alias (``TAMKO``, ``KoeSote``, ``Siun sote``)
ABBR = re.compile(r"^[A-ZÅÄÖ0-9][\wÅÄÖåäö&.-]{0,14}(?:\s[A-ZÅÄÖ][\wåäö]{0,10})?$")
_CONJ = re.compile(r"\s+(?:ja|sekä|och|samt)\s+")
_LAST_TOKEN = re.compile(r"(\S+)$")
_CLOSES = re.compile(r"\)$")
_NAME_STOP = re.compile(
    r"\s+(?:koordinoi|hallinnoi|vastaa|toteuttaa|arvioi|toimii|on|oli|ovat|olivat|\d)"
)
_STARTS_NAME = re.compile(r"^\d\w*[A-ZÅÄÖa-zåäö]")
_PERCENT = re.compile(r"^\d+([.,]\d+)?\s*%")
_BRACKETS = re.compile(r"\s*\(([^()]*)\)")
_TRAILING_NUMBER = re.compile(r"\s+\d[\d ,.]*\s*(%|€|euroa)?$")
_TRAILING_PUBLIC = re.compile(r"\s+(ja|sekä)\s+(valtio|valtion|kunnat|staten)\b.*$")
_GENITIVE_WORD = re.compile(r"^[A-ZÅÄÖ][a-zåäö]+n$")
_PLURAL_NOUN = re.compile(r"[^aeiouyäö]?(et|at|ät|ot|öt|ut|yt)$")


@dataclass(slots=True)
class OrgMention:
    """One organisation named in a field value, with its offsets in the value."""

    name: str
    start: int
    end: int
    aliases: list[str] = field(default_factory=list)
    business_id: str | None = None
    role: Role | None = None


def _split_top(value: str, seps: str) -> list[tuple[int, int]]:
    """Split at separators outside parentheses; ``(start, end)`` pieces."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            # "elinkeino-, liikenne- ja": a comma after a hyphenated first part is no split
            if ch == "," and i > 0 and value[i - 1] == "-":
                i += 1
                continue
            # a decimal comma "15,01"
            if ch == "," and i > 0 and value[i - 1].isdigit() and value[i + 1 : i + 2].isdigit():
                i += 1
                continue
            out.append((start, i))
            start = i + 1
        i += 1
    out.append((start, len(value)))
    return out


def _conj_split(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split ``text[a:b]`` at ``ja``/``sekä`` between two names (not inside one)."""
    piece = text[a:b]
    cuts: list[tuple[int, int]] = []
    depth = 0
    for m in _CONJ.finditer(piece):
        depth = piece[: m.start()].count("(") - piece[: m.start()].count(")")
        if depth:
            continue
        left = piece[: m.start()].rstrip()
        right = piece[m.end() :]
        if not right[:1].isupper():
            continue  # "Terveyden ja hyvinvoinnin laitos", "sosiaali- ja terveys…"
        if left.endswith("-"):
            continue
        last = _LAST_TOKEN.search(left)
        if (
            last
            and last.group(1)[:1].isupper()
            and last.group(1).endswith("n")
            and not (last.group(1).isupper())
            and not _CLOSES.search(left)
        ):
            # "Pohjolan Nuorten ja Lasten Säätiö": a genitive before "ja" modifies what follows
            continue
        cuts.append((m.start(), m.end()))
    out: list[tuple[int, int]] = []
    pos = 0
    for s, e in cuts:
        out.append((a + pos, a + s))
        pos = e
    out.append((a + pos, b))
    return out


def split_organisations(value: str) -> list[OrgMention]:
    """Organisations named in a field value, with aliases, business ids and role words.

    Parameters
    ----------
    value:
        A field value or a table cell naming one or more organisations.

    Returns
    -------
    list of OrgMention
        The organisations in order, offsets into ``value``; a business id, an upper-case
        alias or a role word after a name is given to that name.

    Examples
    --------
    >>> [(m.name, m.aliases, m.role) for m in split_organisations(
    ...     "Koekuntien sosiaali- ja terveyskuntayhtymä (KoeSote), hallinnoija")]
    [('Koekuntien sosiaali- ja terveyskuntayhtymä', ['KoeSote'], <Role.LEAD: 'lead'>)]
    >>> [m.name for m in split_organisations(
    ...     "Testilän yliopisto, Koeseudun Kehitys Oy ja Esimerkkisäätiö")]
    ['Testilän yliopisto', 'Koeseudun Kehitys Oy', 'Esimerkkisäätiö']
    >>> [(m.name, m.aliases, m.business_id) for m in split_organisations(
    ...     "Koelaakson sosiaali- ja terveyspalvelujen kuntayhtymä, KOESOTE, 1234567-8")]
    [('Koelaakson sosiaali- ja terveyspalvelujen kuntayhtymä', ['KOESOTE'], '1234567-8')]
    """
    out: list[OrgMention] = []
    for a, b in _split_top(value, ",;"):
        for s, e in _conj_split(value, a, b):
            raw = value[s:e]
            lead_ws = len(raw) - len(raw.lstrip())
            piece = raw.strip().rstrip(".")
            s += lead_ws
            if not piece:
                continue
            if BID.match(piece):
                if out and out[-1].business_id is None:
                    out[-1].business_id = piece
                continue
            role = None
            for pat, r in _ROLE_WORDS:
                if pat.fullmatch(piece.lower()):
                    role = r
            if role is not None:
                if out and out[-1].role is None:
                    out[-1].role = role
                continue
            if out and piece.isupper() and len(piece) <= 12 and " " not in piece:
                out[-1].aliases.append(piece)  # "…, ESSOTE, 0825508-3"
                continue
            m = _org_shape(piece)
            if m is None:
                continue
            name, aliases, rest_role, n_end = m
            out.append(OrgMention(name, s, s + n_end, aliases, None, rest_role))
    return out


def _org_shape(piece: str) -> tuple[str, list[str], Role | None, int] | None:
    """``(name, aliases, role word after it, end of the name)`` of a value piece, or ``None``."""
    if not piece[:1].isupper() and not _STARTS_NAME.match(piece):
        return None
    if _GENERIC_HEAD.match(piece) or _PERCENT.match(piece):
        return None
    aliases: list[str] = []
    rest = ""
    m = _BRACKETS.search(piece)
    name_end = len(piece)
    if m:
        inner = m.group(1).strip()
        if ABBR.match(inner) and len(inner) <= 15:
            aliases.append(inner)
        rest = piece[m.end() :]
        name_end = m.start()
    name = piece[:name_end]
    stop = _NAME_STOP.search(name)
    if stop:
        rest = name[stop.start() :] + " " + rest
        name = name[: stop.start()]
        name_end = stop.start()
    # a percentage or amount after the name ("… ja valtio 75 %")
    name = _TRAILING_NUMBER.sub("", name).strip()
    name = _TRAILING_PUBLIC.sub("", name).strip()
    if not name or len(name) < 2 or not (name[0].isupper() or name[0].isdigit()):
        return None
    if len(name.split()) > 9:
        return None
    words = name.split()
    if len(words) == 1 and _GENITIVE_WORD.match(name) and not aliases:
        return None  # "Alajärven, Alavuden ja Lapuan sosiaalitoimet": a modifier alone
    if len(words) > 1 and words[-1].islower() and _PLURAL_NOUN.search(words[-1]):
        return None  # a plural common noun: "… sosiaalitoimet", "… kunnat"
    role = None
    for pat, r in _ROLE_WORDS:
        if pat.search(rest):
            role = r
            break
    return name, aliases, role, len(name)


def fund_name(text: str) -> str | None:
    """The canonical name of the first EU fund ``text`` names.

    Parameters
    ----------
    text:
        A name or a sentence.

    Returns
    -------
    str or None
        ``Euroopan sosiaalirahasto``, ``Euroopan aluekehitysrahasto`` or ``EU:n elpymis- ja
        palautumistukiväline``; ``None`` if no fund is named.

    Examples
    --------
    >>> fund_name("ESR-rahoitus"), fund_name("Koelan kaupunki")
    ('Euroopan sosiaalirahasto', None)
    """
    for pat, canonical in FUNDS:
        if pat.search(text):
            return canonical
    return None


def is_authority(name: str) -> bool:
    """Whether ``name`` is a regional intermediate body (ELY-keskus, a regional council).

    Parameters
    ----------
    name:
        An organisation name.

    Returns
    -------
    bool
        ``True`` for an ELY-keskus, a regional council (``… liitto``) or an NTM-central.

    Examples
    --------
    >>> is_authority("Koe-Savon ELY-keskus"), is_authority("Koelan kaupunki")
    (True, False)
    """
    return bool(_AUTHORITY.search(name))

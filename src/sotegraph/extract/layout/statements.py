"""What a page's sentences state of its project, found by cue words.

EU funds named in funding statements, state grants of a ministry (and who received them),
cooperation partners (``yhteistyössä X:n kanssa``), the project's period (dates, or months:
``maaliskuussa 2019 … helmikuun lopussa 2022``) and Swedish ``förvaltas av X``. Negated
sentences say nothing, and a statement about a counted set of projects (``kuusi ESR:n
rahoittamaa hanketta``) is not about the page's one project.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sotegraph.extract.layout.orgs import FUNDS
from sotegraph.facts import Facts, OrganisationFact, Participation, Role, Span
from sotegraph.values import (
    MONTH_END,
    MONTH_START,
    MONTHS,
    ONE_DATE,
    find_period,
    make_date,
    month_end,
)

__all__ = [
    "FUNDING_WORD",
    "FUND_SENTENCE",
    "NEGATION",
    "apply_page_statements",
    "fund_mentions",
    "grant_statements",
    "page_statements",
]

_MINISTRY = (
    r"(?P<org>\b(?:[\wåäöÅÄÖ]+-\s+(?:ja|och)\s+)?[\wåäöÅÄÖ-]*"
    r"(?:ministeriö|ministeriet)\w*)"
)
_MINISTRY_RE = re.compile(_MINISTRY)
_MINISTRY_CASE = re.compile(r"ministeriö\w+$")
_GRANT = re.compile(
    r"\b(valtionavustu\w*|valtionapu\w*|statsunderstöd\w*|statsbidrag\w*)", re.IGNORECASE
)
_RECIPIENT = re.compile(
    r"(?:^\s*|(?<=[.!?]\s))(?P<org>[A-ZÅÄÖ]{2,}[A-ZÅÄÖa-zåäö-]*|[A-ZÅÄÖ][\wåäö-]+"
    r"(?:\s+[\wåäö-]+){0,3}?\s+(?:kaupunki|kunta|kuntayhtymä|hyvinvointialue|säätiö|ry|Oy))"
    r"\s+sai\b|\bmyönnettiin\s+(?P<org2>[A-ZÅÄÖ]{2,}[\wåäö-]*?):(?:lle|ille)\b"
)
_TOGETHER = re.compile(
    r"\byhteistyössä\s+(?P<org>[A-ZÅÄÖ][\wåäö-]*(?:\s+[A-ZÅÄÖ][\wåäö-]*){0,3}?)"
    r"(?::n|n)\s+kanssa\b"
)
#: one sentence (a period before a digit or a lower-case word does not end it)
FUND_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?!\s+[A-ZÅÄÖ]|$)|\.(?=\d))*[.!?]?")
#: a word of funding near a fund's name
FUNDING_WORD = re.compile(
    r"\b(rahoit\w*|rahoitus\w*|varoin|varoista|tuella|myön\w*|finansier\w*|"
    r"-rahoit\w*)|-rahoit|-hank|-projekt|\b(ESR|EAKR)-",
    re.IGNORECASE,
)
#: a negation (the sentence states nothing)
NEGATION = re.compile(r"\b(ei|eivät|eikä|inte|ingen)\b", re.IGNORECASE)
_COUNTED = re.compile(
    r"\b(kaksi|kahdelle|kolme|kolmelle|neljä\w*|viisi|viidelle|kuusi|kuudelle|seitsemä\w*|"
    r"kahdeksa\w*|yhdeksä\w*|kymmene\w*|useita|useat|usealle|monet|monelle|kaikki\w*|\d+)"
    r"(?:\s+\S+){0,4}?\s+\S*(hank|projekt)\w*",
    re.IGNORECASE,
)
_PERIOD_CUE = re.compile(
    r"\b(toteut\w*|toiminta-aika|kesto|kestää|käynnist\w*|alkoi|alkaa|päätty\w*|hankeaika|"
    r"jatkuu|käyttöaika)\b",
    re.IGNORECASE,
)
_SWEDISH_LEAD = re.compile(
    r"\b(?:förvaltas|administreras|koordineras|leds)\s+av\s+(?P<org>[A-ZÅÄÖ][\w-]*"
    r"(?:\s+[A-ZÅÄÖ][\w-]*)*\s+[a-zåäö][\wåäö-]*)"
)


def _nominative_ministry(name: str) -> str:
    name = _MINISTRY_CASE.sub("ministeriö", name)
    return name[:1].upper() + name[1:]


def grant_statements(text: str) -> list[tuple[str, int, Role, str]]:
    """State grants, grant recipients and cooperation partners in a text.

    ``X sai … ministeriöltä … valtionavustuksen`` → the ministry funds, X leads;
    ``myönnettiin X:lle … valtionavustusta`` → X leads; ``yhteistyössä X:n kanssa`` → X
    collaborates.

    Parameters
    ----------
    text:
        A list item or a page.

    Returns
    -------
    list of tuple
        ``(organisation, offset in text, role, cue)`` for each statement.

    Examples
    --------
    >>> [(o, r.value) for o, _at, r, _cue in grant_statements(
    ...     "Koelan kaupunki sai sosiaali- ja terveysministeriöltä valtionavustuksen.")]
    [('Sosiaali- ja terveysministeriö', 'funder'), ('Koelan kaupunki', 'lead')]
    """
    out: list[tuple[str, int, Role, str]] = []
    for sm in FUND_SENTENCE.finditer(text):
        sent = sm.group(0)
        if not sent.strip() or NEGATION.search(sent):
            continue
        if _GRANT.search(sent):
            for mm in _MINISTRY_RE.finditer(sent):
                if mm.group("org").lower().startswith(("ministeriö", "ministeriet")):
                    continue
                out.append(
                    (
                        _nominative_ministry(mm.group("org")),
                        sm.start() + mm.start(),
                        Role.FUNDER,
                        "valtionavustus",
                    )
                )
            for rm in _RECIPIENT.finditer(sent):
                org = rm.group("org") or rm.group("org2")
                start = rm.start("org") if rm.group("org") else rm.start("org2")
                out.append((org, sm.start() + start, Role.LEAD, "sai valtionavustuksen"))
        for tm in _TOGETHER.finditer(sent):
            org = tm.group("org")
            out.append((org, sm.start() + tm.start("org"), Role.COLLABORATOR, "yhteistyössä"))
    return out


def fund_mentions(text: str, *, counted: bool = False) -> list[tuple[int, int, str]]:
    """EU funds named in funding statements (not negated).

    Parameters
    ----------
    text:
        A page.
    counted:
        Whether a statement about a counted set of projects (``kuusi ESR:n rahoittamaa
        hanketta``) counts: it speaks of the single page's project only in list documents.

    Returns
    -------
    list of tuple
        ``(start, end, canonical name)`` of each fund mention.

    Examples
    --------
    >>> fund_mentions("Hanketta rahoittaa ESR.")
    [(19, 22, 'Euroopan sosiaalirahasto')]
    """
    out: list[tuple[int, int, str]] = []
    for sm in FUND_SENTENCE.finditer(text):
        sent = sm.group(0)
        if not sent.strip() or NEGATION.search(sent):
            continue
        if not counted and _COUNTED.search(sent):
            continue
        for pat, canonical in FUNDS:
            for fm in pat.finditer(sent):
                window = sent[max(0, fm.start() - 60) : fm.end() + 60]
                if FUNDING_WORD.search(window):
                    out.append((sm.start() + fm.start(), sm.start() + fm.end(), canonical))
    return out


def _sentence_period(sent: str) -> tuple[dt.date, dt.date] | None:
    """The period a sentence with a period cue states: dates, else months."""
    start, end = find_period(sent)
    dates = [make_date(*d) for d in ONE_DATE.findall(sent)]
    if start is None and len(dates) == 2 and dates[0] and dates[1] and dates[0] < dates[1]:
        start, end = dates[0], dates[1]
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return start, end
    ms, me = MONTH_START.search(sent), MONTH_END.search(sent)
    if ms and me and me.start() > ms.start():
        y1, y2 = int(ms.group("ay")), int(me.group("by"))
        m1, m2 = MONTHS[ms.group("am")], MONTHS[me.group("bm")]
        if (y1, m1) <= (y2, m2):
            return dt.date(y1, m1, 1), month_end(y2, m2)
    return None


def page_statements(text: str) -> list[tuple[str, Any, tuple[int, int]]]:
    """Statements a single-project page makes of its project, found by cue words.

    Parameters
    ----------
    text:
        The page (its clean view, or what is left of it for the prose reader).

    Returns
    -------
    list of tuple
        ``(kind, value, span)``: ``("funder", name, span)`` for an EU fund named in a
        funding statement or a ministry giving a state grant; ``("period", (start, end),
        span)`` for the first period stated with a period cue (dates, or months:
        ``maaliskuussa 2019 … helmikuun lopussa 2022``); ``("lead", name, span)`` for
        Swedish ``förvaltas av X``. Negated sentences say nothing.

    Examples
    --------
    >>> [k for k, _v, _s in page_statements(
    ...     "Hanke toteutetaan 1.2.2016–31.1.2018. Sitä rahoittaa Euroopan sosiaalirahasto.")]
    ['funder', 'period']
    """
    out: list[tuple[str, Any, tuple[int, int]]] = []
    for s, e, canonical in fund_mentions(text):
        out.append(("funder", canonical, (s, e)))
    for org, o0, role, _cue in grant_statements(text):
        if role is Role.FUNDER:
            out.append(("funder", org, (o0, o0 + len(org))))
    for sm in FUND_SENTENCE.finditer(text):
        sent = sm.group(0)
        if not sent.strip() or NEGATION.search(sent) or not _PERIOD_CUE.search(sent):
            continue
        period = _sentence_period(sent)
        if period is not None:
            out.append(("period", period, (sm.start(), sm.end())))
            break
    for m in _SWEDISH_LEAD.finditer(text):
        out.append(("lead", m.group("org"), (m.start("org"), m.end("org"))))
    return out


def apply_page_statements(facts: Facts, project: str, text: str, *, cue: str = "sivu") -> None:
    """Give ``project`` what :func:`page_statements` finds in ``text`` (no overwriting).

    A period is set only when the project has none; a lead only when it has none; an
    organisation already taking part keeps its role. New organisations get keys ``ls1``,
    ``ls2`` …; participations have the cue ``layout:<cue>``.

    Parameters
    ----------
    facts:
        The facts to add to (in place).
    project:
        The key of the page's project.
    text:
        The text the spans of the statements index into.
    cue:
        The cue of the participations.
    """
    p = facts.project(project)
    have = {(x.organisation, x.role) for x in facts.participations if x.project == project}
    names = {facts.organisation(o).name: o for o, _r in have}
    roles_of = {o for o, _r in have}
    n = sum(1 for o in facts.organisations if o.key.startswith("ls"))
    for kind, value, (s, e) in page_statements(text):
        span = Span(s, e, text.count("\n", 0, s) + 1)
        if kind == "period":
            if p.start is None and p.end is None:
                p.start, p.end = value
            continue
        role = Role.FUNDER if kind == "funder" else Role.LEAD
        if role is Role.LEAD and any(r is Role.LEAD for _o, r in have):
            continue
        key = names.get(value)
        if key is None:
            for o in facts.organisations:
                if o.name == value or o.canonical_name == value:
                    key = o.key
                    break
        if key is None:
            n += 1
            key = f"ls{n}"
            facts.organisations.append(OrganisationFact(key=key, name=value, span=span))
        names[value] = key
        if key in roles_of:
            continue
        roles_of.add(key)
        have.add((key, role))
        facts.participations.append(Participation(project, key, role, span, None, "layout:" + cue))

"""From records to facts: projects ``lp1``, ``lp2`` …, organisations ``lo1`` …, roles.

One named record is the page's project (the page's own fields merged into it); with two or
more the page is a list document (``multi``). A list document's items without a funder get
the fund its introduction names (the fund named nearest before the first item), or the
fund a closing statement gives every listed project. A single-project page's project also
gets what the page's sentences state of it (:mod:`.statements`). The lines read as fields
and tables are blanked from the text left for the prose reader.
"""

from __future__ import annotations

import re

from sotegraph.extract.layout.model import LayoutResult, Org, ReadState, Record, fold
from sotegraph.extract.layout.orgs import fund_name
from sotegraph.extract.layout.page import page_project
from sotegraph.extract.layout.statements import (
    FUNDING_WORD,
    NEGATION,
    apply_page_statements,
    fund_mentions,
)
from sotegraph.facts import Facts, OrganisationFact, Participation, ProjectFact, Role, Span

__all__ = ["make_facts"]

_LISTED = ("item", "row", "label")
_EVERY_PROJECT = re.compile(r"[^.\n]*\b(kaikki\w*|jokai\w*)\b[^.\n]*\.", re.I)


def _merge_into(target: Record, src: Record) -> None:
    target.code = target.code or src.code
    target.aliases += [a for a in src.aliases if a not in target.aliases]
    target.orgs += src.orgs
    target.start = target.start or src.start
    target.end = target.end or src.end
    target.granted = target.granted or src.granted
    target.planned = target.planned or src.planned


def _list_fund(records: list[Record], text: str) -> str | None:
    """The fund of a list document's items (``None`` unless two items or more)."""
    item_records = [r for r in records if r.kind in _LISTED]
    if len(item_records) < 2:
        return None
    doc_fund: str | None = None
    first = min((r.name_span[0] for r in item_records if r.name_span), default=len(text))
    mentions = [m for m in fund_mentions(text, counted=True) if m[1] <= first]
    if mentions:
        return mentions[-1][2]
    # a closing statement of every listed project ("Kaikkien hankkeiden rahoittajana…")
    for sm in _EVERY_PROJECT.finditer(text):
        f = fund_name(sm.group(0))
        if f and FUNDING_WORD.search(sm.group(0)) and not NEGATION.search(sm.group(0)):
            doc_fund = f
    return doc_fund


class _Organisations:
    """Organisation facts by folded name and alias, keys ``lo1``, ``lo2`` …"""

    def __init__(self, facts: Facts, text: str) -> None:
        self.facts = facts
        self.text = text
        self.keys: dict[str, str] = {}
        self.n = 0

    def key(self, o: Org) -> str:
        k = fold(o.name)
        if k in self.keys:
            key = self.keys[k]
            fact = self.facts.organisation(key)
            for a_ in o.aliases:
                if a_ not in fact.aliases:
                    fact.aliases.append(a_)
            if o.business_id and not fact.business_id:
                fact.business_id = o.business_id
            return key
        self.n += 1
        key = f"lo{self.n}"
        self.facts.organisations.append(
            OrganisationFact(
                key=key,
                name=o.name,
                span=_span(self.text, o.span),
                business_id=o.business_id,
                aliases=list(o.aliases),
            )
        )
        self.keys[k] = key
        for a_ in o.aliases:
            self.keys.setdefault(fold(a_), key)
        return key


def _span(text: str, span: tuple[int, int]) -> Span:
    return Span(span[0], span[1], text.count("\n", 0, span[0]) + 1)


def _prose_left(state: ReadState) -> str:
    """The clean view with the lines read as fields and tables blanked (same length)."""
    chars = list(state.text)
    for i, j in state.consumed:
        for a, b, _t in state.lines[i:j]:
            chars[a:b] = " " * (b - a)
    return "".join(chars)


def make_facts(state: ReadState, facts: Facts, original: str) -> LayoutResult:
    """Turn the records of a scan into facts (see the module docstring).

    Parameters
    ----------
    state:
        The reader's state after :func:`~sotegraph.extract.layout.reader.scan`.
    facts:
        Empty facts of the document, filled in place.
    original:
        The original text (for breadcrumbs, which the clean view blanks).

    Returns
    -------
    LayoutResult
        The facts (spans into the clean view), the page's project and the prose left.
    """
    text = state.text
    records = [r for r in state.records if r.name]
    page = state.page
    multi = len(records) >= 2
    if not multi:
        page_project(state, original)
    # a single named record and page-level fields: one project
    if len(records) == 1 and not page.name:
        r = records[0]
        _merge_into(r, page)
        records = [r]
    elif (page.name or (not records and (page.orgs or page.code))) and (page.name or page.code):
        records = [page, *records]
    # funds of list documents: the fund named nearest before the first item
    doc_fund = _list_fund(records, text)
    main_key: str | None = None
    orgs = _Organisations(facts, text)
    pairs = {(x.project, x.organisation) for x in facts.participations}
    for n, r in enumerate(records, 1):
        key = f"lp{n}"
        p = ProjectFact(
            key=key,
            name=r.name or r.code,
            code=r.code,
            span=_span(text, r.name_span) if r.name_span else None,
            aliases=[a_ for a_ in r.aliases if a_ != r.name],
        )
        p.start, p.end = r.start, r.end
        p.granted_eu_state, p.planned_public = r.granted, r.planned
        facts.projects.append(p)
        if r is page or (not multi and main_key is None):
            main_key = key
        funders = [o for o in r.orgs if o.role is Role.FUNDER]
        if not funders and doc_fund and r.kind in _LISTED:
            r.orgs.append(
                Org(Role.FUNDER, doc_fund, r.name_span or (0, 0), [], None, "luettelon rahoitus")
            )
        seen: set[tuple[str, Role]] = set()
        for o in r.orgs:
            ok = orgs.key(o)
            if (ok, o.role) in seen or (key, ok) in pairs:
                continue
            seen.add((ok, o.role))
            pairs.add((key, ok))
            facts.participations.append(
                Participation(key, ok, o.role, _span(text, o.span), None, "layout:" + o.cue)
            )
    # single-project documents: what the page says of its project by cue words
    if main_key is not None and not multi:
        apply_page_statements(facts, main_key, text)
    return LayoutResult(facts, state.clean, main_key, multi, _prose_left(state))

"""Periods in prose (``1.3.2020–28.2.2023``, ``vuosina 2019–2021``, ``vuodelle 2022``,
``1/2019–12/2022``): for the project the period's phrase hangs under, else the sentence's;
a period of a plural reference (``Ne toteutetaan vuosina …``) is the group's.

A year without an end (``vuodelle 2022``) counts only in a sentence that names a project or
speaks of funding. Periods of a counted set of projects (``kuusi vuosina 2019–2022
rahoitettua hanketta``) are nobody's. The first period found for a project is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sotegraph.extract.article.clauses import (
    ancestor_project,
    in_counted_phrase,
    under_counted_projects,
)
from sotegraph.extract.article.model import Mention
from sotegraph.extract.article.registry import Registry
from sotegraph.values import parse_period

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan

__all__ = ["assign_periods"]


def assign_periods(
    reg: Registry,
    sent: SpacySpan,
    periods: list[SpacySpan],
    s_projects: list[Mention],
    sent_project: str | None,
    plural_ref: bool,
    context_group: str | None,
) -> None:
    """Give the periods marked in one sentence (``PERIOD`` spans) to their projects."""
    for span in periods:
        if not sent.start <= span.start < sent.end:
            continue
        start, end = parse_period(span.text)
        if start is None:
            continue
        weak = end is None
        target: str | None
        if under_counted_projects(span) or in_counted_phrase(sent, span.start):
            continue
        hit = ancestor_project(span, s_projects)
        if hit is not None:
            target = hit
        elif plural_ref:
            if context_group is not None:
                g = reg.groups[context_group]
                if g.start is None and not weak:
                    g.start, g.end = start, end
            continue
        else:
            singular = [m for m in s_projects if not m.plural]
            target = singular[0].key if singular else sent_project
        if target is None:
            continue
        if weak and not (
            s_projects or any(t.lower_.startswith(("rahoit", "lisärahoit")) for t in sent)
        ):
            continue
        p = reg.projects[target].fact
        if p.start is None and p.end is None:
            p.start, p.end = start, end

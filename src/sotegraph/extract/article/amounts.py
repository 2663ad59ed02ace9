"""Money in prose: ``Hankkeen kokonaisbudjetti on 1,2 miljoonaa euroa`` → the planned public
funding; ``STM myönsi hankkeelle 450 000 euroa`` → the granted EU and state funding.

Amounts are read by :func:`sotegraph.values.parse_amount` (prose, lenient); an
amount of a counted set of projects is nobody's. The first amount found for a project is
kept.
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
from sotegraph.values import Written, parse_amount

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan

__all__ = ["assign_amounts"]

_BUDGET_WORDS = frozenset(
    [
        "budjetti",
        "kokonaisbudjetti",
        "kustannusarvio",
        "kokonaiskustannus",
        "kokonaiskustannukset",
        "kokonaisrahoitus",
    ]
)
_GRANT_WORDS = frozenset(
    [
        "myöntää",
        "myönnetty",
        "myönsi",
        "rahoitus",
        "lisärahoitus",
        "rahoittaa",
        "avustus",
        "valtionavustus",
        "rahoituksella",
        "rahoittaa",
    ]
)


def assign_amounts(
    reg: Registry,
    sent: SpacySpan,
    amounts: list[SpacySpan],
    s_projects: list[Mention],
    sent_project: str | None,
) -> None:
    """Give the amounts marked in one sentence (``MONEY`` spans) to their projects."""
    for span in amounts:
        if not sent.start <= span.start < sent.end:
            continue
        if under_counted_projects(span) or in_counted_phrase(sent, span.start):
            continue
        value = parse_amount(span.text, written=Written.PROSE, strict=False)
        if value is None:
            continue
        words = {t.norm_ for t in sent} | {t.lower_ for t in sent}
        target = ancestor_project(span, s_projects) or sent_project
        if target is None:
            continue
        p = reg.projects[target].fact
        if words & _BUDGET_WORDS:
            if p.planned_public is None:
                p.planned_public = value
        elif words & _GRANT_WORDS and p.granted_eu_state is None:
            p.granted_eu_state = value

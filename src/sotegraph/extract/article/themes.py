"""Themes of projects: :class:`~sotegraph.reference.themes.ThemeResolver` over the sentences
about each project, the title weighted above the lead paragraph and that above the body.

A theme is kept when its summed weight reaches 1.5, at most eight per project, with the span
of its first mention; themes a project already has are not repeated.
"""

from __future__ import annotations

from sotegraph.extract.article.gazetteer import theme_resolver
from sotegraph.extract.article.registry import ProjectInfo
from sotegraph.facts import Span, ThemeMention
from sotegraph.read import Document

__all__ = ["assign_themes"]

_THEME_MIN_WEIGHT = 1.5
_THEME_MAX = 8


def assign_themes(
    theme_text: dict[str, list[tuple[str, int, float]]],
    projects: dict[str, ProjectInfo],
    document: Document,
) -> None:
    """Themes per project from the sentences about it, title and lead weighted above body.

    ``theme_text`` holds, per project key, the sentences about it as ``(text, document
    offset, weight)``.
    """
    resolver = theme_resolver()
    if resolver is None:
        return
    for key, sentences in theme_text.items():
        info = projects.get(key)
        if info is None:
            continue
        totals: dict[str, float] = {}
        first: dict[str, ThemeMention] = {}
        for n, (text, offset, weight) in enumerate(sentences):
            w = weight * (1.0 if n < 3 else 0.6)
            for m in resolver.assign(text, weight=w):
                ident = m.iri or m.label
                totals[ident] = totals.get(ident, 0.0) + m.weight
                if ident not in first:
                    span = None
                    if m.span is not None:
                        start = offset + m.span.start
                        span = Span(start, offset + m.span.end, document.line_of(start))
                    first[ident] = ThemeMention(m.label, span, m.weight, m.iri)
        have = {t.iri or t.label for t in info.fact.themes}
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])
        for ident, total in ranked[:_THEME_MAX]:
            if total < _THEME_MIN_WEIGHT or ident in have:
                continue
            mention = first[ident]
            mention.weight = round(total, 3)
            info.fact.themes.append(mention)

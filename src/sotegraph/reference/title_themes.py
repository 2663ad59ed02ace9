"""Themes of a listed project from its title (and specific objective, where a row has one).

The words of the title are matched in base form (Voikko, and the rules of
:class:`~sotegraph.reference.themes.ThemeResolver`) against the Finnish labels and
alternative labels of the SKOS themes of ``data/themes.ttl`` (whose YSO matches carry the
same Finnish labels). A compound word counts when it starts or ends with a theme's label
(``mielenterveyspalveluiden`` → mielenterveyspalvelut, ``Työhyvinvointiakatemia`` →
työhyvinvointi). Each theme keeps the word that matched, as written, as its evidence
(``ThemeMention.evidence``, written as ``sg:matchedText`` of an ``sg:ThemeMatch``).

A title is short and says what the project is about, so one matching word is enough; at most
:data:`MAX_THEMES` themes per project, whole-word matches before compound parts. Base forms
are memoised per distinct word by the resolver (titles repeat words heavily): all 22,821
titles of both EURA lists take about a second.

Examples
--------
>>> [(m.label, m.evidence) for m in title_themes("Mielenterveyspalveluiden kehittäminen")]
[('mielenterveyspalvelut', 'Mielenterveyspalveluiden')]
>>> found = title_themes("Nuorten työpajat", objective="Syrjäytymisen ehkäisy")
>>> [(m.label, m.evidence) for m in found]
[('nuoret', 'Nuorten'), ('syrjäytyminen', 'Syrjäytymisen ehkäisy')]
>>> title_themes("Kunnan tien perusparannus")
[]
"""

from __future__ import annotations

from functools import cache

from sotegraph.facts import ThemeMention
from sotegraph.reference.themes import ThemeResolver

__all__ = ["MAX_THEMES", "title_themes"]

#: at most this many themes per project (the strongest first, then in text order)
MAX_THEMES = 4


@cache
def _resolver() -> ThemeResolver:
    return ThemeResolver()


def title_themes(title: str | None, *, objective: str | None = None) -> list[ThemeMention]:
    """Return the themes of a project named ``title``, each with the word that matched.

    Parameters
    ----------
    title:
        The project's name as listed.
    objective:
        The specific objective's text, where the row has one (its words count like the
        title's, after them).

    Returns
    -------
    list of ThemeMention
        One per theme (no repeats), ``evidence`` the matched word(s) as written, ``weight``
        1.0 for a whole word and ``COMPOUND_FACTOR`` for a part of a compound; no ``span``
        (the row's line is the project's).
    """
    found: dict[str, ThemeMention] = {}
    for text in (title, objective):
        if not text:
            continue
        for m in _resolver().assign(text):
            ident = m.iri or m.label
            if ident in found and found[ident].weight >= m.weight:
                continue
            word = text[m.span.start : m.span.end] if m.span is not None else m.label
            found[ident] = ThemeMention(m.label, None, m.weight, m.iri, evidence=word)
    ranked = sorted(found.values(), key=lambda m: -m.weight)  # stable: text order within
    return ranked[:MAX_THEMES]

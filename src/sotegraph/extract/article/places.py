"""Target areas of articles' projects: places that
:class:`~sotegraph.reference.regions.RegionResolver` resolves, in sentences about the project
that speak of an area (``toteutuu Etelä-Savossa``, ``alueen kunnissa``).

Places inside an organisation's name (``Pohjois-Savon hyvinvointialue`` as an organisation)
are not target areas; a project that already has target areas (an EURA record's) keeps them.
"""

from __future__ import annotations

import re

from sotegraph.extract.article.gazetteer import region_resolver
from sotegraph.extract.article.registry import ProjectInfo
from sotegraph.facts import Span
from sotegraph.read import Document

__all__ = ["assign_places"]

_PLACE_CUE = re.compile(
    r"\b(alue\w*|kun(?:nissa|nat|tien|tia)|maakun\w*|seutukun\w*|hyvinvointialue\w*|"
    r"toteute\w*|toteutu\w*|toimii|toimivat|kohdealue\w*|paikkakun\w*)\b",
    re.IGNORECASE,
)


def assign_places(
    theme_text: dict[str, list[tuple[str, int, float]]],
    projects: dict[str, ProjectInfo],
    org_chars: list[tuple[int, int]],
    document: Document,
) -> None:
    """Target areas: places named in sentences about a project that speak of an area.

    ``Hanke toteutuu Etelä-Savossa ja Pohjois-Karjalassa`` → the two regions (only resolved
    places are kept). ``theme_text`` holds the sentences about each project as ``(text,
    document offset, weight)``; ``org_chars`` the document spans of organisation names.
    """
    resolver = region_resolver()
    if resolver is None:
        return
    for key, sentences in theme_text.items():
        info = projects.get(key)
        if info is None or info.fact.places:
            continue  # an EURA record's own target areas stay as they are
        seen: set[str] = set()
        for text, offset, _weight in sentences:
            if not _PLACE_CUE.search(text):
                continue
            for m in resolver.find(text):
                if m.iri is None or str(m.iri) in seen:
                    continue
                if m.span is not None and any(
                    a < offset + m.span.end and offset + m.span.start < b_ for a, b_ in org_chars
                ):
                    continue  # "Pohjois-Savon hyvinvointialue" named as an organisation
                seen.add(str(m.iri))
                if m.span is not None:
                    start = offset + m.span.start
                    m.span = Span(start, offset + m.span.end, document.line_of(start))
                info.fact.places.append(m)

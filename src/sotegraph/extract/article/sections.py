"""The prose sections of an EURA record: the summary (``3 … tiivistelmä``), the target
groups (``4``, ``4.1``, ``4.2``) and the final report's summary (``9``).
"""

from __future__ import annotations

import re

__all__ = ["prose_sections"]

_HEADING = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2})?)\.?[ \t]+(?P<title>[A-ZÅÄÖ][^\n:]{2,90})$", re.MULTILINE
)
_PROSE_TITLES = ("tiivistelmä", "kohderyhm")


def prose_sections(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, title)`` of the prose sections of an EURA record.

    The prose sections are the summary (``3 … tiivistelmä toteutuksesta``), the target
    groups (``4``, ``4.1``, ``4.2``) and the final report's summary (``9``).

    >>> t = "1 Hanke\\nHankekoodi: S1\\n3 Suunnitelman mukainen tiivistelmä\\nTeksti.\\n5 Rahoitus\\nX"
    >>> [(t[s:e].strip(), title) for s, e, title in prose_sections(t)]
    [('Teksti.', 'Suunnitelman mukainen tiivistelmä')]
    """
    heads = list(_HEADING.finditer(text))
    out: list[tuple[int, int, str]] = []
    for i, m in enumerate(heads):
        title = m.group("title").strip()
        if not any(k in title.lower() for k in _PROSE_TITLES):
            continue
        start = m.end() + 1
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        if end > start and text[start:end].strip():
            out.append((start, end, title))
    return out

"""The package's one Voikko handle (Finnish morphology), shared and locked.

Voikko (``libvoikko`` with Debian's ``voikko-fi``) gives base forms, word classes and cases.
It is optional: without it, or with the environment variable ``SOTEGRAPH_NO_VOIKKO=1`` (the
rule-based fallback on request, for comparisons), :func:`voikko` returns ``None`` and every
user falls back to its case-ending rules. A libvoikko handle is not thread-safe, so every
analysis goes through :func:`analyse`, which holds one lock and caches by word.

Examples
--------
>>> isinstance(voikko_available(), bool)
True
>>> all(isinstance(a, dict) for a in analyse("Kuopiossa"))
True
"""

from __future__ import annotations

import os
import threading
from functools import cache, lru_cache
from typing import Any

__all__ = ["analyse", "base_forms", "voikko", "voikko_available"]

_LOCK = threading.Lock()


@cache
def voikko() -> Any:
    """Return the shared ``libvoikko.Voikko("fi")``, or ``None`` when it cannot be had."""
    if os.environ.get("SOTEGRAPH_NO_VOIKKO"):
        return None
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception:  # libvoikko missing (ImportError), or no Finnish dictionary (OSError)
        return None


def voikko_available() -> bool:
    """Return whether Voikko can be used."""
    return voikko() is not None


# 65,536 words: the vocabulary of a large corpus (the two bulk lists' titles hold about 30,000
# distinct words); each entry is a tuple of dictionaries, about 1 KB, so memory stays bounded
@lru_cache(maxsize=65536)
def analyse(word: str) -> tuple[dict[str, str], ...]:
    """Voikko's analyses of one word (empty without Voikko or for an empty word).

    The dictionaries are shared between calls: treat them as read-only.
    """
    v = voikko()
    if v is None or not word:
        return ()
    with _LOCK:
        return tuple(dict(a) for a in v.analyze(word))


@lru_cache(maxsize=65536)
def base_forms(word: str, *, places_first: bool = False) -> tuple[str, ...]:
    """The distinct base forms (``BASEFORM``) of a word, in Voikko's order.

    With ``places_first``, readings as a place name (``paikannimi``) come first.

    Examples
    --------
    >>> "Oulunkaari" in base_forms("Oulunkaaren") or not voikko_available()
    True
    """
    out: list[str] = []
    analyses = analyse(word)
    if places_first:
        analyses = tuple(sorted(analyses, key=lambda a: a.get("CLASS") != "paikannimi"))
    for a in analyses:
        base = a.get("BASEFORM")
        if base and base not in out:
            out.append(base)
    return tuple(out)

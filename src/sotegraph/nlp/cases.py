"""Finnish case endings: the one home of this word knowledge.

Every list of endings the package strips or recognises (place names, themes, organisation
names, project keys, abbreviations with a colon) is put together from the groups below, each
with both vowel-harmony forms. The groups are named by case so a reader sees what a list
covers; a user composes exactly the cases it needs.

Examples
--------
>>> "ssä" in LOCAL and "lle" in LOCAL
True
>>> stems("Kuopiossa", LOCAL)
['Kuopio']
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ABESSIVE_INSTRUCTIVE",
    "ESSIVE",
    "GENITIVE",
    "GENITIVE_PLURAL",
    "ILLATIVE",
    "ILLATIVE_SHORT",
    "LOCAL",
    "LOCAL_PLURAL",
    "NOMINATIVE_PLURAL",
    "OTHER_PLURAL",
    "PARTITIVE",
    "PARTITIVE_PLURAL",
    "TRANSLATIVE",
    "longest_first",
    "shortest_first",
    "stems",
]

GENITIVE = ("n",)
PARTITIVE = ("a", "ä", "ta", "tä")
#: inessive, elative, adessive, ablative, allative
LOCAL = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle")
ESSIVE = ("na", "nä")
TRANSLATIVE = ("ksi",)
#: illative after a long vowel or in -hVn / -seen
ILLATIVE = ("aan", "ään", "een", "oon", "uun", "yyn", "hin", "hen", "han", "hän", "seen")
#: illative written after a stem vowel, seen as the rest after the stem (talo|on, kunta|an)
ILLATIVE_SHORT = ("on", "un", "yn", "ön", "an", "än", "en")
NOMINATIVE_PLURAL = ("t",)
GENITIVE_PLURAL = ("jen", "iden", "itten", "den", "tten", "ien")
PARTITIVE_PLURAL = ("ja", "jä", "ita", "itä", "ia", "iä")
LOCAL_PLURAL = ("issa", "issä", "ista", "istä", "illa", "illä", "ilta", "iltä", "ille")
#: the plural stem, illative, essive and translative in the plural
OTHER_PLURAL = ("in", "iin", "ihin", "ina", "inä", "iksi")
#: rare cases that still end words in names
ABESSIVE_INSTRUCTIVE = ("tta", "ttä")


def shortest_first(endings: Iterable[str]) -> tuple[str, ...]:
    """The distinct endings, shortest first (ties alphabetical)."""
    return tuple(sorted(set(endings), key=lambda e: (len(e), e)))


def longest_first(endings: Iterable[str]) -> tuple[str, ...]:
    """The distinct endings, longest first (ties alphabetical)."""
    return tuple(sorted(set(endings), key=lambda e: (-len(e), e)))


def stems(word: str, endings: Iterable[str], *, min_stem: int = 2) -> list[str]:
    """The stems ``word`` has for each ending it carries, longest ending first.

    >>> stems("Tampereella", LOCAL + GENITIVE)
    ['Tamperee']
    """
    out: list[str] = []
    for e in longest_first(endings):
        if word.endswith(e) and len(word) - len(e) >= min_stem:
            stem = word[: len(word) - len(e)]
            if stem not in out:
                out.append(stem)
    return out

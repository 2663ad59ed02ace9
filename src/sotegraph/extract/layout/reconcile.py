"""Layout facts and prose facts together: tidying the merge, and spans back to the original.

The article extractor parses the clean view (:mod:`.clean`) with the layout's facts
already in place; :func:`reconcile` then tidies what the two readers found together, and
:func:`remap_spans` moves every span from clean-view offsets to the original text.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from sotegraph.extract.layout.clean import CleanText
from sotegraph.extract.layout.model import fold
from sotegraph.extract.layout.orgs import FUNDS, is_authority
from sotegraph.facts import Facts, Participation, Role, Span

__all__ = ["reconcile", "remap_spans"]

#: the lists of :class:`~sotegraph.facts.Facts` whose items hold spans
_SPANNED = ("projects", "organisations", "participations", "groups", "persons", "unresolved_places")


def remap_spans(facts: Facts, clean: CleanText, original: str) -> None:
    """Move every :class:`~sotegraph.facts.Span` in ``facts`` from clean-view to original offsets.

    Parameters
    ----------
    facts:
        Facts whose spans index into ``clean.text`` (changed in place).
    clean:
        The clean view.
    original:
        The original text (the lines of the new spans are counted in it).

    Examples
    --------
    >>> from sotegraph.extract.layout.clean import clean_text
    >>> from sotegraph.facts import OrganisationFact
    >>> text = "Rahoi-\\ntus: Koelan kaupunki"
    >>> c = clean_text(text)
    >>> at = c.text.index("Koelan")
    >>> f = Facts(document_id="d", source="s")
    >>> f.organisations.append(OrganisationFact("o1", "Koelan kaupunki", Span(at, at + 15)))
    >>> remap_spans(f, c, text)
    >>> s = f.organisations[0].span
    >>> text[s.start : s.end], s.line
    ('Koelan kaupunki', 2)
    """
    seen: set[int] = set()

    def fix(obj: Any) -> Any:
        if isinstance(obj, Span):
            s, e = clean.original(obj.start, obj.end)
            return Span(s, e, original.count("\n", 0, s) + 1)
        if isinstance(obj, list):
            for k, item in enumerate(obj):
                obj[k] = fix(item)
            return obj
        if is_dataclass(obj) and not isinstance(obj, type) and id(obj) not in seen:
            seen.add(id(obj))
            for f in fields(obj):
                v = getattr(obj, f.name)
                if isinstance(v, (Span, list)) or (is_dataclass(v) and not isinstance(v, type)):
                    nv = fix(v)
                    if nv is not v:
                        setattr(obj, f.name, nv)
        return obj

    for name in _SPANNED:
        fix(getattr(facts, name))


def reconcile(facts: Facts, layout_keys: set[str] | None = None) -> None:
    """Tidy merged layout and prose facts (in place).

    - a regional intermediate body (ELY-keskus, a regional council) given as *funder* of a
      project that also has an EU fund as funder is the funding *authority*;
    - a prose project whose name ends with a layout project's name (``Olen työskennellyt X``)
      is that project.

    Parameters
    ----------
    facts:
        The merged facts.
    layout_keys:
        The keys of the projects the layout read (``lp1`` …); without them only roles are
        tidied.
    """
    funds = {c for _p, c in FUNDS}
    by_project: dict[str, set[str]] = {}
    for part in facts.participations:
        if part.role is Role.FUNDER:
            by_project.setdefault(part.project, set()).add(
                facts.organisation(part.organisation).name
            )
    for part in facts.participations:
        if part.role is Role.FUNDER and by_project.get(part.project, set()) & funds:
            o = facts.organisation(part.organisation)
            if is_authority(o.canonical_name or o.name) and o.name not in funds:
                part.role = Role.AUTHORITY
    if not layout_keys:
        return
    merged = _prose_projects_of_layout(facts, layout_keys)
    if not merged:
        return
    facts.projects = [p for p in facts.projects if p.key not in merged]
    seen: set[tuple[str, str]] = {
        (x.project, x.organisation) for x in facts.participations if x.project not in merged
    }
    keep: list[Participation] = []
    for x in facts.participations:
        if x.project in merged:
            x.project = merged[x.project]
            if (x.project, x.organisation) in seen:
                continue
            seen.add((x.project, x.organisation))
        keep.append(x)
    facts.participations = keep
    for g in facts.groups:
        g.members = [merged.get(m, m) for m in g.members]


def _prose_projects_of_layout(facts: Facts, layout_keys: set[str]) -> dict[str, str]:
    """Prose project key → the layout project it is (its name ends with the layout name)."""
    layout = [p for p in facts.projects if p.key in layout_keys and p.name]
    merged: dict[str, str] = {}
    for p in facts.projects:
        if p.key in layout_keys or not p.name:
            continue
        pn = fold(p.name)
        for lp in layout:
            for n in [lp.name, *lp.aliases]:
                fn = fold(n) if n else ""
                if len(fn) < 4 or pn == fn:
                    continue
                # "Olen työskennellyt X" ⊃ X, and X = "6Aika: Y" ⊃ "Y" (two words at least)
                if pn.endswith(" " + fn) or (fn.endswith(" " + pn) and " " in pn):
                    merged[p.key] = lp.key
    return merged

"""The rules implemented in Python rather than SHACL Core.

Shapes marked ``sh:deactivated true; sgsh:implementedIn "python"`` in ``shapes.ttl`` give
these checks their severity and messages: the Y-tunnus (business id) check digit, with
python-stdnum, and the target areas of a project against the regional classification of
its year (a municipality inside the wider areas given, a municipality of that year).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from sotegraph.facts import AreaLevel
from sotegraph.validate.core import _compare, _Raw, _View
from sotegraph.validate.references import _region_resolver
from sotegraph.validate.report import _SGID, SGSH, _short
from sotegraph.validate.shapes import _Shape, _ShapeModel
from sotegraph.values import business_id_check_digit, valid_business_id
from sotegraph.vocab import SG

_REGION_KINDS = frozenset(level.value for level in AreaLevel if level is not AreaLevel.UNKNOWN)

_START = URIRef("https://schema.org/startDate")
_END = URIRef("https://schema.org/endDate")
_BUSINESS_ID = re.compile(r"^[0-9]{7}-[0-9]$")


def _check_business_ids(view: _View, shape: _Shape) -> Iterator[tuple[_Raw, str | None]]:
    pairs = [
        (s, v) for s in view.subjects_with(SG.businessId) for v in view.objects(s, SG.businessId)
    ]
    for s, v in pairs:
        text = str(v)
        if not _BUSINESS_ID.match(text) or valid_business_id(text) == text:
            continue  # a malformed id is reported by the Core pattern shape
        digit = business_id_check_digit(text[:7])
        expected = f"{text[:7]}-{digit}" if digit else None
        yield _Raw(shape, s, SG.businessId, v, URIRef(SGSH + "BusinessIdCheckDigit")), expected


def _check_dates(view: _View, shape: _Shape) -> Iterator[tuple[_Raw, str | None]]:
    """Start on or before end, a year ordered by its year (sh:lessThanOrEquals otherwise)."""
    component = URIRef(str(SH.LessThanOrEqualsConstraintComponent))
    for project in view.subjects_with(_START):
        ends = view.objects(project, _END)
        for start in view.objects(project, _START):
            for end in ends:
                c = _compare(start, end)
                if c is None or c > 0:
                    yield _Raw(shape, project, _START, start, component), None


def _area_code(iri: Node) -> tuple[str, str] | None:
    text = str(iri)
    if not isinstance(iri, URIRef) or not text.startswith(_SGID):
        return None
    kind, _, code = text[len(_SGID) :].partition("/")
    if kind in _REGION_KINDS and code.isdigit():
        return kind, code
    return None


def _known_municipality(resolver: Any, code: str) -> bool:
    """True if ``code`` is a municipality of the classification in some year."""
    try:
        resolver.match("municipality", code)
    except KeyError:
        return False  # not in the classification at all: the Core shape reports it
    return True


def _check_areas(
    view: _View, containment: _Shape | None, year_shape: _Shape | None
) -> Iterator[tuple[_Raw, str | None]]:
    try:
        resolver = _region_resolver()
    except (ImportError, FileNotFoundError):  # pragma: no cover - regions data not shipped
        return
    for project in view.subjects_with(SG.targetArea):
        areas = [(a, _area_code(a)) for a in view.objects(project, SG.targetArea)]
        years = sorted(
            int(str(y))
            for y in view.objects(project, SG.classificationYear)
            if isinstance(y, Literal) and isinstance(y.toPython(), int)
        )
        if not years:
            continue  # without a classification year membership cannot be told
        year = years[0]
        wider = {
            (k, c) for _a, kc in areas if kc is not None for k, c in [kc] if k != "municipality"
        }
        for iri, kc in areas:
            if kc is None or kc[0] != "municipality":
                continue
            try:
                m = resolver.municipality_membership(kc[1], year)
            except KeyError:
                if year_shape is not None and _known_municipality(resolver, kc[1]):
                    yield (
                        _Raw(year_shape, project, SG.targetArea, iri, URIRef(SGSH + "AreaYear")),
                        None,
                    )
                continue
            if not wider or containment is None:
                continue
            inside = {("subregion", m.subregion), ("region", m.region)}
            if m.wellbeing_county:
                inside.add(("wellbeingcounty", m.wellbeing_county))
            if not inside & wider:
                expected = ", ".join(_short(URIRef(f"{_SGID}{k}/{c}")) for k, c in sorted(inside))
                yield (
                    _Raw(
                        containment, project, SG.targetArea, iri, URIRef(SGSH + "AreaContainment")
                    ),
                    expected,
                )


_PY_CHECKS: dict[str, str] = {
    SGSH + "BusinessIdCheckDigitShape": "business_id",
    SGSH + "TargetAreaContainmentShape": "containment",
    SGSH + "TargetAreaYearShape": "area_year",
    SGSH + "ProjectDatesShape": "dates",
}


def _python_results(model: _ShapeModel, view: _View, scope: str) -> list[tuple[_Raw, str | None]]:
    shapes = {
        _PY_CHECKS[str(s.node)]: s
        for s in model.roots
        if str(s.node) in _PY_CHECKS and s.implemented_in == "python" and s.scope == scope
    }
    out: list[tuple[_Raw, str | None]] = []
    if "business_id" in shapes:
        out.extend(_check_business_ids(view, shapes["business_id"]))
    if "dates" in shapes:
        out.extend(_check_dates(view, model.shape(URIRef(SGSH + "Project-dates"))))
    if "containment" in shapes or "area_year" in shapes:
        out.extend(_check_areas(view, shapes.get("containment"), shapes.get("area_year")))
    return out

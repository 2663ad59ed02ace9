"""The EURA parser against the gold facts of seeds 001 and 004 (every field, mismatches printed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sotegraph.extract.eura import parse_eura
from sotegraph.facts import AreaLevel, Facts, Role
from sotegraph.read import read_document

CASES = [
    ("001_d86b9bca13a0eb96.txt", "sotenoste"),
    ("004_4074baee79ca4e82.txt", "yhteisen-hyvan-alusta"),
]


def _gold_org(gold: dict[str, Any], org_id: str) -> dict[str, Any]:
    return next(o for o in gold["organisations"] if o["id"] == org_id)


def _matches_org(name: str, bid: str | None, gold_org: dict[str, Any]) -> bool:
    if gold_org.get("business_id") and bid:
        return bid == gold_org["business_id"]
    return name in {gold_org["name"], *gold_org.get("aliases", [])}


def _place_names(facts: Facts, level: AreaLevel) -> list[str]:
    from sotegraph.reference.regions import RegionResolver

    resolver = RegionResolver()
    p = facts.projects[0]
    year = p.start.year if isinstance(p.start, dt.date) else None
    out = []
    for place in p.places:
        if place.level is level:
            match = resolver.resolve(place.text, level=level, year=year)
            out.append(match.name if match else f"UNRESOLVED:{place.text}")
    return out


@pytest.mark.parametrize(("doc", "project_id"), CASES)
def test_eura_record_matches_gold(
    seeds_dir: Path, gold: dict[str, Any], doc: str, project_id: str
) -> None:
    facts = parse_eura(read_document(seeds_dir / doc))
    exp = next(p for p in gold["projects"] if p["id"] == project_id)
    p = facts.projects[0]
    mismatches: list[str] = []

    def check(field: str, got: Any, want: Any) -> None:
        if got != want:
            mismatches.append(f"{field}: got {got!r}, want {want!r}")

    check("code", p.code, exp["code"])
    check("name", p.name, exp["name"])
    check("start", p.start, dt.date.fromisoformat(exp["start"]))
    check("end", p.end, dt.date.fromisoformat(exp["end"]))
    check("status", p.status, exp["status"])
    check("priority_axis", p.priority_axis, exp["priority_axis"])
    check("specific_objective", p.specific_objective, exp["specific_objective"])
    check("fund", [p.fund.lower()] if p.fund else [], exp["funders"])
    funding = exp["funding"]
    check("granted", p.granted_eu_state, Decimal(funding["eu_state_granted"]))
    check("realised", p.realised_eu_state, Decimal(funding["eu_state_realised"]))
    check("planned_public", p.planned_public, Decimal(funding["public_planned"]))
    check("realised_public", p.realised_public, Decimal(funding["public_realised"]))
    leads = facts.organisations_with_role(p.key, Role.LEAD)
    check("lead count", len(leads), 1)
    lead_gold = _gold_org(gold, exp["lead"])
    if not any(_matches_org(o.name, o.business_id, lead_gold) for o in leads):
        mismatches.append(f"lead: got {[o.name for o in leads]}, want {lead_gold['name']}")
    for key in ("type", "municipality"):
        if key in lead_gold:
            got = leads[0].org_type if key == "type" else leads[0].postal_town
            check(f"lead {key}", (got or "").lower(), lead_gold[key].lower())
    partners = facts.organisations_with_role(p.key, Role.PARTNER)
    want_partners = [_gold_org(gold, pid) for pid in exp["partners"]]
    check("partner count", len(partners), len(want_partners))
    for g in want_partners:
        if not any(_matches_org(o.name, o.business_id, g) for o in partners):
            mismatches.append(f"partner missing: {g['name']}")
    authority = facts.organisations_with_role(p.key, Role.AUTHORITY)
    auth_gold = _gold_org(gold, exp["authority"])
    check("authority", [o.name for o in authority], [auth_gold["name"]])
    check("regions", sorted(_place_names(facts, AreaLevel.REGION)), sorted(exp["regions"]))
    check("subregions", sorted(_place_names(facts, AreaLevel.SUBREGION)), sorted(exp["subregions"]))
    municipalities = _place_names(facts, AreaLevel.MUNICIPALITY)
    if "municipalities" in exp:
        check("municipalities", sorted(municipalities), sorted(exp["municipalities"]))
    if "municipality_count" in exp:
        check("municipality count", len(municipalities), exp["municipality_count"])
    for name in exp.get("municipalities_include", []):
        if name not in municipalities:
            mismatches.append(f"municipality missing: {name}")
    part = exp["participants"]
    check("companies_planned", p.companies_planned, part["companies_planned"])
    check("companies_actual", p.companies_actual, part["companies_actual"])
    check("persons_planned", p.persons_planned, part["persons_planned"])
    for line in mismatches:
        print(f"{doc}: MISMATCH {line}")
    assert not mismatches, "\n".join(mismatches)


def test_period_conflict_in_004_is_reported(seeds_dir: Path) -> None:
    facts = parse_eura(read_document(seeds_dir / "004_4074baee79ca4e82.txt"))
    p = facts.projects[0]
    assert (p.start, p.end) == (dt.date(2018, 10, 1), dt.date(2020, 12, 31))
    conflicts = [w for w in facts.warnings if "period" in w.message]
    assert len(conflicts) == 1
    assert "30.9.2020" in conflicts[0].message
    assert conflicts[0].line is not None


def test_contact_person_goes_to_persons_only(seeds_dir: Path, gold: dict[str, Any]) -> None:
    facts = parse_eura(read_document(seeds_dir / "001_d86b9bca13a0eb96.txt"))
    assert [p.name for p in facts.persons] == ["Tuula Haverinen"]
    assert facts.persons[0].email == "tuula.haverinen(at)kamk.fi"
    names = {o.name for o in facts.organisations}
    assert not names & set(gold["personal_data"]["people"])

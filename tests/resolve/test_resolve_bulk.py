"""Resolution at bulk scale (22,821 EURA rows) and the ``resolve-report`` command."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sotegraph.cli import app
from sotegraph.extract import extract
from sotegraph.facts import Facts
from sotegraph.read import read_document
from sotegraph.resolve import Resolver

BULK_FILES = ("fi_eura2014_projektilista_2016_clean.csv", "fi_eura2007_projektilista_2007-2013.csv")


@pytest.fixture(scope="module")
def bulk_facts(bulk_dir: Path) -> list[Facts]:
    pytest.importorskip("sotegraph.extract.bulk")
    return [extract(read_document(bulk_dir / name)) for name in BULK_FILES]


@pytest.mark.slow
def test_bulk_resolution_is_fast_and_merges_variants(bulk_facts: list[Facts]) -> None:
    r = Resolver()
    cpu = time.process_time()
    wall = time.perf_counter()
    r.resolve_all(bulk_facts)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rows = sum(len(f.projects) for f in bulk_facts)
    orgs = [o for f in bulk_facts for o in f.organisations]
    print(
        f"resolved {rows} rows, {len(orgs)} organisation mentions: cpu {cpu:.2f} s, wall {wall:.2f} s"
    )
    assert rows == 2881 + 19940
    assert all(o.iri for o in orgs)
    assert cpu < 6.0  # a couple of seconds on an idle core; generous for a shared machine
    by_name = {o.name.strip(): o.iri for o in orgs}
    assert by_name["Oulun Yliopisto"] == by_name["OULUN YLIOPISTO"] == by_name["Oulun yliopisto"]
    assert by_name["Mikkelin Ammattikorkeakoulu Oy"] == by_name["MIKKELIN AMMATTIKORKEAKOULU OY"]
    assert str(by_name["ICCUNA OYTEEMU HAAPALAHTI"]).endswith("/organisation/iccuna")
    projects = {p.iri for f in bulk_facts for p in f.projects}
    assert len(projects) == rows - _duplicate_codes(bulk_facts)
    report = r.report()
    print(
        f"merges {len(report.organisation_merges)}, near misses {len(report.near_misses)}, "
        f"new organisations {len(report.new_organisations)}"
    )
    assert report.counts["organisation_mentions"] == len(orgs)


def _duplicate_codes(facts: list[Facts]) -> int:
    codes = [p.code for f in facts for p in f.projects]
    return len(codes) - len(set(codes))


@pytest.mark.slow
def test_authorities_of_bulk_rows_resolve_to_the_authority_file(bulk_facts: list[Facts]) -> None:
    r = Resolver()
    r.resolve_all(bulk_facts)
    from sotegraph.facts import Role

    authorities = [
        f.organisation(p.organisation)
        for f in bulk_facts
        for p in f.participations
        if p.role is Role.AUTHORITY
    ]
    if not authorities:
        pytest.skip("the bulk reader records no authority participations")
    known = [o for o in authorities if "/organisation/" in (o.iri or "") and o.canonical_name]
    ely = {str(o.canonical_name) for o in known if "ympäristökeskus" in str(o.canonical_name)}
    print(f"{len(authorities)} authority mentions; ELY centres: {sorted(ely)}")
    assert "Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus" in ely
    assert all(", liikenne-" in n for n in ely)


def test_resolve_report_command_json(seeds_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["resolve-report", str(seeds_dir), "--no-nlp", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"]["documents"] == 5
    assert {"organisation_merges", "near_misses", "unresolved_places"} <= set(data)


def test_resolve_report_command_text(seeds_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["resolve-report", str(seeds_dir / "001_d86b9bca13a0eb96.txt"), "--no-nlp"]
    )
    assert result.exit_code == 0, result.output
    assert "organisation mentions" in result.stdout


def test_resolve_report_command_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["resolve-report", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2

"""The network attributes on the store of both EURA bulk lists, against the named queries.

Reads the session-wide bulk store (``bulk_store_kg``, read-only; skips without ../shared).
The queries ``projects`` and ``county_coverage`` are the portable definitions of what
:func:`load_network_data` computes in Python from its small SELECTs.
"""

from __future__ import annotations

import collections
from typing import Any

import pytest

from sotegraph.network import coparticipation_graph, load_network_data
from sotegraph.queries import run_query

SG = "https://w3id.org/sotegraph/ontology#"


def test_project_attributes_equal_the_projects_query(bulk_store_kg: Any) -> None:
    data = load_network_data(bulk_store_kg, kinds=["partners"], attributes=["project"])
    rows = run_query(bulk_store_kg.store, "projects").to_python()
    assert len(data.projects) == len({str(r["project"]) for r in rows}) == 22_821
    differ = collections.Counter()
    for r in rows:
        a = data.attrs[str(r["project"])]
        granted = float(r["granted"]) if r["granted"] is not None else None
        for key, want in (
            ("funding", granted),
            ("end", str(r["end"]) if r["end"] else None),
            ("status", str(r["status"]) if r["status"] else None),
            ("code", str(r["code"]) if r["code"] else None),
        ):
            differ[key] += a.get(key) != want
    print(f"attributes differing from the projects query: {dict(differ)}")
    assert sum(differ.values()) == 0


def test_counties_cover_what_county_coverage_counts(bulk_store_kg: Any) -> None:
    data = load_network_data(bulk_store_kg, kinds=["partners"], attributes=["areas"])
    got = collections.Counter(c for cs in data.counties.values() for c in cs)
    want = {
        str(r["county"]): int(r["projects"])
        for r in run_query(bulk_store_kg.store, "county_coverage").to_python()
    }
    # the query's today map leaves out municipalities merged since; the network follows
    # their successor, so a county can count these projects more, never fewer
    merged = bulk_store_kg.sparql(
        f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{
          {{ ?p <{SG}targetArea> ?m }} UNION {{ ?p <{SG}inferredArea>/<{SG}area> ?m }}
          ?m a <{SG}Municipality>
          FILTER NOT EXISTS {{ ?m <{SG}inWellbeingCounty> ?c }} }}"""
    )
    extra = int(next(iter(merged[0].values())))
    print(f"{len(want)} counties; projects through a merged municipality: {extra}")
    for county, n in sorted(want.items()):
        print(f"  {county.rsplit('/', 1)[-1]}: query {n}, network {got[county]}")
    assert set(got) == set(want)
    assert len(want) == 21
    for county, n in want.items():
        assert n <= got[county] <= n + extra, county


def test_sote_only_network_on_the_bulk_lists(bulk_store_kg: Any) -> None:
    sote = load_network_data(bulk_store_kg, kinds=["partners"], attributes=False, sote=True)
    rows = bulk_store_kg.sparql(
        f"SELECT DISTINCT ?p WHERE {{ ?p a <{SG}Project> ; <{SG}soteRelevance> <{SG}soteRelevanceSote> }}"
    )
    assert set(sote.projects) == {str(next(iter(r.values()))) for r in rows}
    assert 500 < len(sote.projects) < 1000  # about 3 % of the 22,821 listed projects
    g = coparticipation_graph(sote)
    whole = load_network_data(bulk_store_kg, kinds=["partners"], attributes=False)
    print(
        f"sote projects {len(sote.projects)}: {g.number_of_nodes()} organisations; "
        f"all projects: {len(whole.organisations)} organisations"
    )
    assert g.number_of_nodes() == len(sote.organisations) < len(whole.organisations)


@pytest.mark.parametrize("county", ["Kainuu", "20"])
def test_county_subset_on_the_bulk_lists(bulk_store_kg: Any, county: str) -> None:
    from sotegraph.network import filter_projects

    data = load_network_data(bulk_store_kg, kinds=["partners"], attributes=["areas"])
    kainuu = filter_projects(data, county=county)
    iri = "https://w3id.org/sotegraph/id/wellbeingcounty/20"
    assert set(kainuu.projects) == {p for p, cs in data.counties.items() if iri in cs}
    assert kainuu.projects

"""Named queries (``queries/*.rq`` through :func:`sotegraph.queries.run_query`) give the same
rows on every store backend, and hostile parameter values change nothing anywhere.

The seed corpus is built once (no NLP) into memory; its named graphs (documents, manifest and
the reference graphs) are copied into each backend once per module: embedded memory, an
embedded folder, an Oxigraph server of this module's own, and Virtuoso (marker).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from oxigraph_server import start_oxigraph, stop
from sotegraph.errors import QueryError
from sotegraph.store import OxigraphStore, Store
from sotegraph.store.remote import RemoteStore
from store.test_store_contract import HOSTILE, rows_of


@pytest.fixture(scope="module")
def seed_graphs(seeds_dir: Path) -> list[Graph]:
    """The seeds built into memory (no NLP): every named graph, as rdflib graphs."""
    from sotegraph.builder import build

    kg = build(seeds_dir, use_nlp=False, validate=False)
    graphs = [kg.store.graph(n) for n in kg.store.graph_names()]
    assert sum(1 for g in graphs if "/document/" in str(g.identifier)) == 5
    return graphs


@pytest.fixture(scope="module")
def reference_store(seed_graphs: list[Graph]) -> OxigraphStore:
    store = OxigraphStore()
    for g in seed_graphs:
        store.replace_graph(g.identifier, g)
    return store


@pytest.fixture(
    scope="module",
    params=[
        "memory",
        "disk",
        "oxigraph-server",
        pytest.param("virtuoso", marks=pytest.mark.virtuoso),
    ],
)
def loaded(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    seed_graphs: list[Graph],
) -> Iterator[Store]:
    """Each backend holding the seed graphs."""
    kind = request.param
    server = None
    if kind == "memory":
        store: Store = OxigraphStore()
    elif kind == "disk":
        store = OxigraphStore(tmp_path_factory.mktemp("named") / "store")
    elif kind == "oxigraph-server":
        server = start_oxigraph(tmp_path_factory.mktemp("named-server") / "data")
        store = RemoteStore(server.query, timeout=60)
    else:
        v = request.getfixturevalue("virtuoso_server")
        # the anonymous endpoints (the fixture grants them updates): large Graph Store PUTs
        # with digest authentication are reset by Virtuoso, and its SPARQL compiler runs
        # out of memory on a 32k-triple INSERT DATA
        base = v.query.rsplit("/", 1)[0]
        store = RemoteStore(
            f"{base}/sparql",
            update_endpoint=f"{base}/sparql",
            gsp_endpoint=f"{base}/sparql-graph-crud",
        )
    for g in seed_graphs:
        store.replace_graph(g.identifier, g)
    try:
        yield store
    finally:
        if kind == "virtuoso":
            for g in seed_graphs:
                store.remove_graph(g.identifier)
        store.close()
        if server is not None:
            stop(server.process)


def _cases() -> list[tuple[str, dict[str, Any]]]:
    from sotegraph.queries import list_queries

    cases: list[tuple[str, dict[str, Any]]] = [(q.name, {}) for q in list_queries()]
    cases.append(("projects", {"code": "S21259"}))
    cases.append(("projects", {"fund": "https://w3id.org/sotegraph/id/fund/ESR"}))
    cases.append(("organisations_by_role", {"role": "https://w3id.org/sotegraph/ontology#lead"}))
    cases.append(("coparticipation", {"min_weight": 2}))
    return cases


@pytest.mark.parametrize(("name", "params"), _cases())
def test_named_query_same_rows(
    loaded: Store, reference_store: OxigraphStore, name: str, params: dict[str, Any]
) -> None:
    from sotegraph.queries import run_query

    want = run_query(reference_store, name, **params)
    got = run_query(loaded, name, **params)
    print(f"{name} {params}: {len(got)} rows (reference {len(want)})")
    assert rows_of(got) == rows_of(want)


def test_parameter_restricts_rows(loaded: Store) -> None:
    from sotegraph.queries import run_query

    everything = run_query(loaded, "projects")
    one = run_query(loaded, "projects", code="S21259")
    assert len(everything) >= 2
    assert [str(r["code"]) for r in one] == ["S21259"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_named_query_parameter(loaded: Store, value: str) -> None:
    from sotegraph.queries import run_query

    before = len(loaded)
    n = len(run_query(loaded, "projects"))
    assert run_query(loaded, "projects", code=value) == []
    assert run_query(loaded, "projects", prefer=value) is not None
    with pytest.raises(QueryError):
        run_query(loaded, "projects", fund=value)
    assert len(run_query(loaded, "projects")) == n
    assert len(loaded) == before, "a parameter value changed the store"

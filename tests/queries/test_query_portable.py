"""Every ``queries/*.rq`` file runs as it is on a real SPARQL server and gives sotegraph's rows.

A real ``oxigraph serve --union-default-graph`` (started here, as the README tells a user to
serve a store) holds the five seeds, built by sotegraph, and the small invented fixture graph
(tests/data/network/fixture.trig, so that every query has rows). Each file's raw text is posted to it
with no parameter bound, as ``curl --data-urlencode query@queries/NAME.rq`` does, so every
parameter takes the default written inside the query; the rows must equal those of
``sotegraph query NAME --endpoint URL`` on the same server, which binds the defaults from the
header by a ``VALUES`` block: the two ways of giving a default must agree. The same rows must
also come from the embedded store the seeds were built in.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from typer.testing import CliRunner

from oxigraph_server import Server, free_port, oxigraph_binary, stop, wait_until_ready
from sotegraph import resources
from sotegraph.cli import app
from sotegraph.queries import Rows, run_query
from sotegraph.store import OxigraphStore, open_store

QUERIES = resources.query_names()
SG = "https://w3id.org/sotegraph/ontology#"
# the fixture's lead A also in a 2007–2013 project (organisations_both_periods has a row)
_EARLY = "<https://w3id.org/sotegraph/id/project/S70001>"
EARLIER = (
    f"{_EARLY} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SG}Project> .\n"
    f"{_EARLY} <{SG}programmePeriod> <https://w3id.org/sotegraph/id/period/2007-2013> .\n"
    f"{_EARLY} <{SG}lead> <https://w3id.org/sotegraph/id/organisation/1000001-1> .\n"
    # a sote project and a borderline one (funding_by_county_year counts sote projects)
    f"<https://w3id.org/sotegraph/id/project/S90001> <{SG}soteRelevance> <{SG}soteRelevanceSote> .\n"
    f"<https://w3id.org/sotegraph/id/project/S90002> <{SG}soteRelevance> "
    f"<{SG}soteRelevanceBorderline> .\n"
    # a second theme shared by S90001 and S90002 (overlap_themes asks for two by default)
    f"<https://w3id.org/sotegraph/id/project/S90002> <{SG}theme> "
    f"<https://w3id.org/sotegraph/id/theme/digitalisaatio> .\n"
)


@pytest.fixture(scope="module")
def local(seeds_kg: Any, fixtures_dir: Path) -> OxigraphStore:
    """An embedded store with the seeds' graphs and the fixture graph (every query has rows)."""
    seeds = seeds_kg.store
    assert isinstance(seeds, OxigraphStore)
    store = open_store()
    assert isinstance(store, OxigraphStore)
    store.raw.load(seeds.raw.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    store.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    store.replace_graph_ntriples("https://w3id.org/sotegraph/id/document/earlier", EARLIER)
    return store


@pytest.fixture(scope="module")
def served_seeds(
    local: OxigraphStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """``oxigraph serve --union-default-graph`` holding the same named graphs as ``local``."""
    import subprocess

    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph)")
    store = local
    folder = tmp_path_factory.mktemp("served") / "data"
    folder.mkdir()
    log = folder.parent / "server.log"
    port = free_port()
    with log.open("wb") as out:
        command = [binary, "serve", "--location", str(folder), "--union-default-graph"]
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    server = Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", process, folder)
    try:
        wait_until_ready(server.query, process, log, 30)
        quads = store.raw.dump(format=ox.RdfFormat.N_QUADS)
        assert quads
        request = urllib.request.Request(
            f"{base}/store",
            data=quads,
            headers={"Content-Type": "application/n-quads"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert answer.status in {200, 201, 204}
        yield server
    finally:
        stop(process)


def _term(binding: dict[str, str] | None) -> Any:
    """An rdflib term from one SPARQL JSON results binding."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype is None or datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


def post_raw(url: str, text: str) -> tuple[list[str], Rows]:
    """The columns and rows of a query text posted as it is (SPARQL protocol, JSON results)."""
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": text}).encode(),
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        doc = json.load(answer)
    columns = list(doc["head"]["vars"])
    rows = Rows({c: _term(b.get(c)) for c in columns} for b in doc["results"]["bindings"])
    return columns, rows


def _multiset(records: list[dict[str, Any]]) -> Counter[str]:
    return Counter(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records)


def test_every_file_header_says_how_to_call_it_with_curl() -> None:
    for name in QUERIES:
        text = resources.query_text(name)
        header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
        assert "curl" in header, name
        assert f"query@queries/{name}.rq" in header, name
        assert "--union-default-graph" in header, name


@pytest.mark.parametrize("name", QUERIES)
def test_raw_file_on_a_server_gives_the_rows_of_sotegraph_query(
    served_seeds: Server, local: OxigraphStore, name: str
) -> None:
    text = (Path(str(resources.resource_root("queries"))) / f"{name}.rq").read_text("utf-8")
    columns, raw = post_raw(served_seeds.query, text)
    records = [{c: r[c] for c in columns} for r in raw.to_python(json_safe=True)]

    result = CliRunner().invoke(
        app, ["query", name, "--endpoint", served_seeds.query, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    via_cli = json.loads(result.stdout)
    assert _multiset(records) == _multiset(via_cli), (
        f"{name}: {len(records)} rows as posted raw, {len(via_cli)} by sotegraph query"
    )
    embedded = run_query(local, name).to_python(json_safe=True)
    assert _multiset(records) == _multiset([{c: r[c] for c in columns} for r in embedded])


@pytest.fixture(scope="module")
def local_rows(local: OxigraphStore) -> dict[str, int]:
    return {name: len(run_query(local, name)) for name in QUERIES}


def test_every_query_has_rows_on_the_served_data(local_rows: dict[str, int]) -> None:
    """Else the comparison above would be idle for that query."""
    print(f"rows by query on the seeds and the fixture: {local_rows}")
    assert all(local_rows.values()), [n for n, k in local_rows.items() if not k]


@pytest.mark.parametrize(
    "name", ["../queries/projects", "projects.rq", "/etc/hostname", "queries/projects", "", "."]
)
def test_query_text_reads_only_shipped_queries(name: str) -> None:
    with pytest.raises(FileNotFoundError, match="no shipped query named"):
        resources.query_text(name)
    assert resources.query_text("projects").startswith("# title:")


# -- Virtuoso -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(fixtures_dir: Path) -> OxigraphStore:
    """The fixture graph alone (with the earlier project): the seeds' graphs hold the whole
    regions reference graph, which this Virtuoso does not take in one request."""
    store = open_store()
    assert isinstance(store, OxigraphStore)
    store.raw.load(path=str(fixtures_dir / "network" / "fixture.trig"), format=ox.RdfFormat.TRIG)
    store.replace_graph_ntriples("https://w3id.org/sotegraph/id/document/earlier", EARLIER)
    return store


@pytest.fixture(scope="module")
def virtuoso_with_data(request: pytest.FixtureRequest, small: OxigraphStore) -> Iterator[Server]:
    """The Virtuoso server fixture holding the same named graphs as ``small``."""
    from sotegraph.store.remote import RemoteStore

    server: Server = request.getfixturevalue("virtuoso_server")
    remote = RemoteStore(
        server.query,
        update_endpoint=server.update,
        user=server.user,
        password=server.password,
        auth=server.auth,
        timeout=120,
        max_update_bytes=150_000,
    )
    names = small.graph_names()
    try:
        for name in names:
            data = small.raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
            remote.replace_graph_ntriples(name, data.decode("utf-8"))
        yield server
    finally:
        for name in names:
            remote.remove_graph(name)
        remote.close()


@pytest.mark.virtuoso
@pytest.mark.parametrize("name", QUERIES)
def test_raw_file_on_virtuoso_gives_the_rows_of_sotegraph_query(
    virtuoso_with_data: Server, small: OxigraphStore, name: str
) -> None:
    text = (Path(str(resources.resource_root("queries"))) / f"{name}.rq").read_text("utf-8")
    # the public endpoint, as curl would use it (the fixture's query URL asks for a login)
    public = virtuoso_with_data.query.removesuffix("-auth")
    columns, raw = post_raw(public, text)
    records = [{c: r[c] for c in columns} for r in raw.to_python(json_safe=True)]
    embedded = run_query(small, name).to_python(json_safe=True)
    assert embedded, f"{name}: no rows on the fixture"
    assert _multiset(records) == _multiset([{c: r[c] for c in columns} for r in embedded])

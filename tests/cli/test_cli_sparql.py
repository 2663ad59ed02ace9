"""``sotegraph query NAME`` runs named queries only; ``sotegraph sparql FILE`` runs one's own.

Issue 20, problem 7: ``sotegraph query ../../x.rq`` used to run any ``.rq`` file. A name that
is a path is refused now (exit 2, pointing to ``sotegraph sparql``), and ``sotegraph sparql``
runs a SELECT, ASK, CONSTRUCT or DESCRIBE query from a file, stdin or ``--query`` read-only:
updates are refused before the store is opened, and the embedded store is opened read-only
(its folder stays the same byte for byte). All against a store built from a fixture file.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner, Result

from sotegraph.cli import app

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
MARKER = "marker-of-the-file-query"
FILE_QUERY = f'SELECT ?x WHERE {{ BIND("{MARKER}" AS ?x) }}\n'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
UPDATES = [
    "INSERT DATA { GRAPH <urn:sotegraph:test:g> { <urn:a> <urn:b> <urn:c> } }",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p 1 } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CLEAR ALL",
    "DROP ALL",
    "DROP GRAPH <https://w3id.org/sotegraph/id/graph/manifest>",
    "CREATE GRAPH <urn:sotegraph:test:g>",
    "ADD DEFAULT TO <urn:sotegraph:test:g>",
    "MOVE <https://w3id.org/sotegraph/id/graph/manifest> TO <urn:sotegraph:test:g>",
    "COPY <https://w3id.org/sotegraph/id/graph/manifest> TO <urn:sotegraph:test:g>",
    "PREFIX x: <urn:x#>\nWITH <urn:sotegraph:test:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]
NOT_A_QUERY = [
    "SELECT ?s WHERE { ?s ?p ?o } ; DROP ALL",
    "SELECT ?s WHERE { ?s ?p ?o } INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "ASK { ?s ?p ?o } DROP ALL",
    "SELECT ?s WHERE { ?s ?p ?o",
    "",
    "# only a comment\nPREFIX x: <urn:x#>\n",
]


def _text(result: Result) -> str:
    """Everything the command printed, line breaks of the narrow test console undone."""
    return " ".join(result.output.split())


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(folder)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sotegraph.builder import build

    folder = tmp_path_factory.mktemp("sparql") / "kg"
    kg = build([BAD / "ok_record.txt"], store=folder, use_nlp=False, validate=False)
    assert kg.last_build is not None
    assert kg.last_build.built == 1
    kg.close()
    del kg
    gc.collect()
    return folder


@pytest.fixture(scope="module")
def query_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outside") / "mine.rq"
    path.write_text(FILE_QUERY, encoding="utf-8")
    return path


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def _quads(store: Path) -> int:
    got = run("sparql", "--query", COUNT, "--store", str(store), "--format", "json")
    assert got.exit_code == 0, got.output
    return int(json.loads(got.stdout)[0]["n"])


# -- sotegraph query NAME -----------------------------------------------------------------
def test_query_runs_a_named_query(store: Path) -> None:
    got = run("query", "projects", "--store", str(store), "--format", "json")
    assert got.exit_code == 0, got.output
    assert [r["code"] for r in json.loads(got.stdout)] == ["S29901"]


def _as_names(query_file: Path) -> list[str]:
    relative = os.path.relpath(query_file, Path.cwd())
    up = "../" * len(Path.cwd().parts) + str(query_file).lstrip("/")
    return [
        str(query_file),
        relative,
        up,
        up[: -len(".rq")],  # the old resolution added .rq itself
        "mine.rq",
        "queries/projects.rq",
        "../queries/projects",
        "..\\queries\\projects",
        "projects.RQ",
    ]


def test_query_refuses_paths(store: Path, query_file: Path) -> None:
    for name in _as_names(query_file):
        got = run("query", name, "--store", str(store), "--format", "json")
        assert got.exit_code == 2, (name, got.output)
        assert MARKER not in got.output, f"{name!r} ran the file"
        text = _text(got)
        assert "named queries only" in text, text
        assert f"sotegraph sparql {name}" in text, text
        assert "Traceback" not in text


def test_query_refuses_unknown_names(store: Path) -> None:
    got = run("query", "mine", "--store", str(store))
    assert got.exit_code == 2
    assert "no query named 'mine'" in _text(got)
    assert "projects" in _text(got), "the valid names are listed"


def test_load_query_reads_nothing_outside_queries(query_file: Path) -> None:
    from sotegraph.errors import QueryError
    from sotegraph.queries import load_query

    up = "../" * len(Path.cwd().parts) + str(query_file.with_suffix("")).lstrip("/")
    for name in (up, str(query_file.with_suffix("")), "mine", "projects/../projects"):
        with pytest.raises(QueryError, match="no query named"):
            load_query(name)
    assert load_query("projects").name == "projects"


# -- sotegraph sparql -----------------------------------------------------------------------
def test_sparql_runs_a_file(store: Path, query_file: Path) -> None:
    for fmt in ("json", "csv", "table"):
        got = run("sparql", str(query_file), "--store", str(store), "--format", fmt)
        assert got.exit_code == 0, got.output
        assert MARKER in got.stdout
    got = run("sparql", str(query_file), "--store", str(store), "--format", "json")
    assert json.loads(got.stdout) == [{"x": MARKER}]


def test_sparql_reads_stdin_and_query_text(store: Path) -> None:
    got = run("sparql", "-", "--store", str(store), "--format", "json", stdin=FILE_QUERY)
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout) == [{"x": MARKER}]
    got = run("sparql", "--query", FILE_QUERY, "--store", str(store), "--format", "json")
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout) == [{"x": MARKER}]


def test_sparql_select_gives_the_rows_of_the_store(store: Path) -> None:
    text = (
        "PREFIX sg: <https://w3id.org/sotegraph/ontology#>\n"
        "SELECT ?code WHERE { ?p a sg:Project ; sg:projectCode ?code }"
    )
    got = run("sparql", "--query", text, "--store", str(store), "--format", "csv")
    assert got.exit_code == 0, got.output
    assert list(csv.reader(io.StringIO(got.stdout))) == [["code"], ["S29901"]]


def test_sparql_ask_and_construct(store: Path) -> None:
    got = run("sparql", "--query", "ASK { ?s ?p ?o }", "--store", str(store), "--format", "json")
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout) == [{"ask": True}]
    text = (
        "PREFIX sg: <https://w3id.org/sotegraph/ontology#>\n"
        "CONSTRUCT { ?p sg:projectCode ?c } WHERE { ?p a sg:Project ; sg:projectCode ?c }"
    )
    got = run("sparql", "--query", text, "--store", str(store), "--format", "csv")
    assert got.exit_code == 0, got.output
    rows = list(csv.reader(io.StringIO(got.stdout)))
    assert rows[0] == ["subject", "predicate", "object"]
    assert rows[1:] == [
        [
            "https://w3id.org/sotegraph/id/project/S29901",
            "https://w3id.org/sotegraph/ontology#projectCode",
            "S29901",
        ]
    ]


def test_sparql_empty_result_keeps_its_columns(store: Path) -> None:
    text = "SELECT ?nothing ?else WHERE { ?nothing a <urn:sotegraph:test:none> ; ?p ?else }"
    got = run("sparql", "--query", text, "--store", str(store), "--format", "csv")
    assert got.exit_code == 0, got.output
    assert got.stdout.splitlines() == ["nothing,else"]
    got = run("sparql", "--query", text, "--store", str(store), "--format", "json")
    assert json.loads(got.stdout) == []


def test_sparql_csv_cells_cannot_be_formulas(store: Path) -> None:
    values = ['=HYPERLINK("http://e.org","klik")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3+cmd"]
    rows = " ".join(f"({json.dumps(v)})" for v in values)
    text = f"SELECT ?v WHERE {{ VALUES (?v) {{ {rows} }} }}"
    got = run("sparql", "--query", text, "--store", str(store), "--format", "csv")
    assert got.exit_code == 0, got.output
    cells = [r[0] for r in csv.reader(io.StringIO(got.stdout))][1:]
    assert cells == ["'" + v for v in values]
    got = run("sparql", "--query", text, "--store", str(store), "--format", "json")
    assert [r["v"] for r in json.loads(got.stdout)] == values, "JSON keeps the values as they are"


@pytest.mark.parametrize("update", UPDATES)
def test_sparql_refuses_updates(store: Path, update: str) -> None:
    before = _quads(store)
    got = run("sparql", "--query", update, "--store", str(store))
    assert got.exit_code == 2, got.output
    assert "is a SPARQL update" in _text(got), _text(got)
    assert "read-only" in _text(got)
    assert _quads(store) == before


@pytest.mark.parametrize("text", NOT_A_QUERY)
def test_sparql_refuses_what_is_not_one_query(store: Path, text: str, tmp_path: Path) -> None:
    before = _quads(store)
    path = tmp_path / "x.rq"
    path.write_text(text, encoding="utf-8")
    got = run("sparql", str(path), "--store", str(store))
    assert got.exit_code == 2, got.output
    assert f"{path} does not parse as a SPARQL query" in _text(got)
    assert "Traceback" not in got.output
    assert _quads(store) == before


def test_sparql_opens_the_store_read_only(store: Path, tmp_path: Path) -> None:
    import shutil

    from sotegraph.store import OxigraphStore

    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    before = _digest(copy)
    for args in (
        ("--query", "ASK { ?s ?p ?o }"),
        ("--query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"),
        ("--query", "DROP ALL"),
    ):
        got = run("sparql", *args, "--store", str(copy), "--format", "json")
        assert got.exit_code in (0, 2), got.output
    assert _digest(copy) == before, "the store folder changed"
    # the check can fail: opening the folder for writing changes it
    OxigraphStore(copy).close()
    gc.collect()
    assert _digest(copy) != before


def test_sparql_usage_errors(store: Path, query_file: Path, tmp_path: Path) -> None:
    cases: list[tuple[list[str], str]] = [
        (["sparql", "--store", str(store)], "give one of FILE"),
        (["sparql", str(query_file), "--query", "ASK {}", "--store", str(store)], "give one of"),
        (["sparql", str(tmp_path / "missing.rq"), "--store", str(store)], "cannot read"),
        (["sparql", str(tmp_path), "--store", str(store)], "cannot read"),
        (["sparql", str(query_file)], "give one of --store DIR or --endpoint URL"),
        (["sparql", str(query_file), "--store", str(tmp_path / "none")], "no store at"),
    ]
    latin1 = tmp_path / "latin1.rq"
    latin1.write_bytes('SELECT ?x WHERE { BIND("\xe4" AS ?x) }'.encode("latin-1"))
    cases.append((["sparql", str(latin1), "--store", str(store)], "not UTF-8"))
    for args, message in cases:
        got = run(*args)
        assert got.exit_code == 2, (args, got.output)
        assert message in _text(got), (args, _text(got))
        assert "Traceback" not in got.output
    assert not (tmp_path / "none").exists()


def test_sparql_failing_on_the_store_exits_1(store: Path) -> None:
    # rdflib's grammar reads it; Oxigraph refuses to bind ?x twice
    text = "SELECT ?x WHERE { BIND(1 AS ?x) BIND(2 AS ?x) }"
    got = run("sparql", "--query", text, "--store", str(store))
    assert got.exit_code == 1, got.output
    assert "the query failed: SPARQL syntax error" in _text(got)
    assert "Traceback" not in got.output


def test_sparql_as_a_process(store: Path, query_file: Path) -> None:
    """The installed entry point, stdin included, and the refusal of ``query PATH``."""

    def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sotegraph.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "300", "NO_COLOR": "1"},
            timeout=300,
            check=False,
        )

    got = cli("sparql", "-", "--store", str(store), "--format", "json", stdin=FILE_QUERY)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == [{"x": MARKER}]
    got = cli("sparql", "-", "--store", str(store), stdin="DROP ALL")
    assert got.returncode == 2
    assert "stdin is a SPARQL update" in got.stderr
    got = cli("query", str(query_file), "--store", str(store))
    assert got.returncode == 2
    assert MARKER not in got.stdout + got.stderr
    assert f"sotegraph sparql {query_file}" in got.stderr


# -- against a remote endpoint --------------------------------------------------------------
EX = "https://example.org/cli-sparql/"


@pytest.fixture
def endpoint(oxigraph_server: object) -> Iterator[str]:
    from sotegraph.store.remote import RemoteStore

    server = oxigraph_server
    remote = RemoteStore(
        server.query,  # type: ignore[attr-defined]
        update_endpoint=server.update,  # type: ignore[attr-defined]
        timeout=30,
    )
    g = Graph(identifier=URIRef(EX + "graph"))
    g.add((URIRef(EX + "s"), URIRef(EX + "code"), Literal("S90001")))
    remote.replace_graph(EX + "graph", g)
    try:
        yield str(server.query)  # type: ignore[attr-defined]
    finally:
        remote.remove_graph(EX + "graph")
        remote.close()


def test_sparql_on_an_endpoint(endpoint: str) -> None:
    text = f"SELECT ?code WHERE {{ GRAPH <{EX}graph> {{ ?s <{EX}code> ?code }} }}"
    got = run("sparql", "--query", text, "--endpoint", endpoint, "--format", "json")
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout) == [{"code": "S90001"}]
    drop = f"DROP GRAPH <{EX}graph>"
    got = run("sparql", "--query", drop, "--endpoint", endpoint)
    assert got.exit_code == 2
    assert "is a SPARQL update" in _text(got)
    got = run("sparql", "--query", text, "--endpoint", endpoint, "--format", "json")
    assert json.loads(got.stdout) == [{"code": "S90001"}], "the graph is still there"

"""Commands that answer at once (issue 19, point 5).

* The CLI imports a command's module only when that command runs; ``sotegraph --help``
  lists every command from the table in ``sotegraph/cli/__init__.py`` (checked here against
  what each module registers) without importing any.
* ``query --list`` reads the queries' header comments: no SPARQL parser, no store.
* The table shows the first ``--limit`` rows (default 50) and says how many more there are;
  CSV, JSON and TSV write the rows as the store gives them, with the same values as the rows
  of :func:`sotegraph.queries.run_query` (every named query, and literals of every kind).
* Building tables or records without prose never imports spaCy.
"""

from __future__ import annotations

import csv
import gc
import inspect
import io
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import typer
from typer.testing import CliRunner

from sotegraph import resources
from sotegraph.cli import COMMANDS, app, load_command_module
from sotegraph.errors import QueryError

DATA = Path(__file__).resolve().parents[1] / "data"
TABLES = [DATA / "bulk" / "layout2007.csv", DATA / "bulk" / "layout2014.csv"]
XSD = "http://www.w3.org/2001/XMLSchema#"


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _modules_after(*args: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``sotegraph ARGS`` in a fresh interpreter; its output and the modules it imported."""
    script = tmp_path / "probe.py"
    script.write_text(
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sys.modules) + '\\n'))\n"
        "sys.argv = ['sotegraph', *sys.argv[1:]]\n"
        "from sotegraph.cli import main\n"
        "main()\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return done, set(line.split()[1:])


# -- the command table --------------------------------------------------------------------


def _short_help(info: Any) -> str:
    doc = info.help or inspect.getdoc(info.callback) or ""
    return " ".join(inspect.cleandoc(doc).split("\n\n")[0].split())


def test_the_table_matches_what_the_modules_register() -> None:
    for module in sorted({m for m, _ in COMMANDS.values()}):
        load_command_module(module)
    registered: dict[str, tuple[str, str]] = {}
    for info in app.registered_commands:
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        module = info.callback.__module__.removeprefix("sotegraph.cli.")
        registered[name] = (module, _short_help(info))
    print(f"{len(registered)} commands registered, {len(COMMANDS)} in the table")
    missing = sorted(set(registered) - set(COMMANDS))
    assert not missing, f"commands not in sotegraph.cli.COMMANDS: {missing}"
    stale = sorted(set(COMMANDS) - set(registered))
    assert not stale, f"COMMANDS names commands no module registers: {stale}"
    differ = [n for n in COMMANDS if COMMANDS[n] != registered[n]]
    lines = "\n".join(f"    {n!r}: {registered[n]!r}," for n in differ)
    assert not differ, f"update these lines of COMMANDS in sotegraph/cli/__init__.py:\n{lines}"


def test_help_lists_every_command_without_importing_one(tmp_path: Path) -> None:
    done, modules = _modules_after("--help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    for name, (_, short) in COMMANDS.items():
        assert name in text, name
        assert " ".join(short.split()[:4]) in text, (name, short)
    loaded = sorted(m for m in modules if m.startswith("sotegraph.cli."))
    assert loaded == [], loaded
    for heavy in ("rdflib", "pyoxigraph", "sotegraph.store", "sotegraph.builder"):
        assert heavy not in modules, heavy


def test_no_arguments_shows_the_help_without_importing_a_command(tmp_path: Path) -> None:
    done, modules = _modules_after(tmp_path=tmp_path)
    assert "query" in done.stdout + done.stderr
    assert not [m for m in modules if m.startswith("sotegraph.cli.")]


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    done, modules = _modules_after("query", "--list", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "projects" in done.stdout
    loaded = sorted(m for m in modules if m.startswith("sotegraph.cli."))
    assert loaded == ["sotegraph.cli._options", "sotegraph.cli.query"], loaded
    # the list reads header comments: no SPARQL parser, no store, no builder
    for heavy in ("rdflib", "sotegraph.queries", "sotegraph.store", "sotegraph.builder"):
        assert heavy not in modules, heavy


def test_a_mistyped_command_is_told_the_near_one() -> None:
    got = run("qeury", "--list")
    assert got.exit_code == 2
    assert "Did you mean 'query'?" in " ".join(got.output.split())


def test_a_command_help_loads_that_command() -> None:
    got = run("sparql", "--help")
    assert got.exit_code == 0, got.output
    assert "--limit" in got.output


def test_every_shipped_query_parses() -> None:
    """``load_query`` reads headers only, so the parse check of the shipped files is here."""
    from rdflib.plugins.sparql.parser import parseQuery

    from sotegraph.queries import list_queries

    names = [q.name for q in list_queries()]
    for name in names:
        parseQuery(resources.query_text(name))  # rdflib's grammar
        ox.Store().query(resources.query_text(name))  # Oxigraph's, which runs them
    print(f"{len(names)} queries parse")
    assert len(names) >= 12


# -- rows: a table for the screen, the rest streamed ------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sotegraph.builder import build

    folder = tmp_path_factory.mktemp("lazy") / "kg"
    kg = build(TABLES, store=folder, use_nlp=False, validate=False)
    assert kg.last_build is not None
    assert kg.last_build.built == len(TABLES)
    kg.close()
    del kg
    gc.collect()
    return folder


def _values(n: int) -> str:
    return "SELECT ?n WHERE { VALUES ?n { " + " ".join(map(str, range(1, n + 1))) + " } }"


def test_the_table_shows_the_first_fifty_rows(store: Path) -> None:
    got = run("sparql", "--query", _values(60), "--store", str(store))
    assert got.exit_code == 0, got.output
    text = " ".join(got.output.split())
    assert "(60 rows)" in text
    assert "10 more rows, use --format csv (or --limit 0)" in text
    cells = {c.strip() for line in got.output.splitlines() for c in line.split("│")}
    assert {"1", "50"} <= cells
    assert "51" not in cells


def test_limit_zero_shows_every_row_and_a_limit_cuts_every_format(store: Path) -> None:
    every = run("sparql", "--query", _values(60), "--store", str(store), "--limit", "0")
    assert every.exit_code == 0, every.output
    assert "more rows" not in every.output
    assert "60" in {c.strip() for line in every.output.splitlines() for c in line.split("│")}
    cut = run("sparql", "--query", _values(60), "--store", str(store), "--format", "csv")
    assert cut.exit_code == 0
    assert len(cut.stdout.splitlines()) == 61, "csv writes every row by default"
    cut = CliRunner().invoke(
        app,
        [
            "sparql",
            "--query",
            _values(60),
            "--store",
            str(store),
            "--format",
            "json",
            "--limit",
            "7",
        ],
    )
    assert cut.exit_code == 0, cut.output
    assert [r["n"] for r in json.loads(cut.stdout)] == list(range(1, 8))
    assert "53 more rows" in " ".join(cut.stderr.split())


def test_query_table_and_csv_on_a_built_store(store: Path) -> None:
    table = run("query", "projects", "--store", str(store), "--limit", "1")
    assert table.exit_code == 0, table.output
    rows = run("query", "projects", "--store", str(store), "--format", "csv")
    assert rows.exit_code == 0, rows.output
    n = len(list(csv.reader(io.StringIO(rows.stdout)))) - 1
    print(f"projects: {n} rows")
    assert n >= 3
    assert f"{n - 1} more rows, use --format csv" in " ".join(table.output.split())


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def test_every_named_query_streams_the_rows_run_query_gives(store: Path) -> None:
    from sotegraph.export import write_csv
    from sotegraph.queries import list_queries, run_query
    from sotegraph.store import open_store

    backend = open_store(store, read_only=True)
    try:
        expected = {q.name: run_query(backend, q.name) for q in list_queries()}
    finally:
        backend.close()
    nonempty = 0
    for name, rows in expected.items():
        got = run("query", name, "--store", str(store), "--format", "json")
        assert got.exit_code == 0, (name, got.output)
        records = rows.to_python(json_safe=True)
        assert json.loads(got.stdout) == records, name
        got_csv = run("query", name, "--store", str(store), "--format", "csv")
        if rows:
            nonempty += 1
            buf = io.StringIO()
            columns = list(rows[0])
            write_csv(buf, columns, ([r[c] for c in columns] for r in records))
            want = list(csv.reader(io.StringIO(buf.getvalue())))
            assert list(csv.reader(io.StringIO(got_csv.stdout))) == want, name
    print(f"{nonempty} of {len(expected)} named queries have rows here; all equal")
    assert nonempty >= 5


TRICKY = [
    '"208856.0"^^xsd:decimal',
    '"0.50"^^xsd:decimal',
    '"-12"^^xsd:decimal',
    '"1."^^xsd:decimal',
    '".5"^^xsd:decimal',
    '"1e5"^^xsd:decimal',
    '"007"^^xsd:integer',
    '"+5"^^xsd:integer',
    '"abc"^^xsd:integer',
    '"1_000"^^xsd:integer',
    '"2020-12-31"^^xsd:date',
    '"2020-02-30"^^xsd:date',
    '"2020-01-01Z"^^xsd:date',
    '"2020-01-01T10:00:00"^^xsd:dateTime',
    '"true"^^xsd:boolean',
    '"1"^^xsd:boolean',
    '"1.5E2"^^xsd:double',
    '"NaN"^^xsd:double',
    '"2019"^^xsd:gYear',
    '"=HYPERLINK(1)"',
    '"-744.5"',
    '"@x"@fi',
    '"rivi\\nrivi \\"lainaus\\""@sv',
    "<https://w3id.org/sotegraph/id/project/S90001>",
    '"x"^^<https://example.org/own-type>',
    "'ä'",
]


def test_values_of_every_kind_are_what_rows_give(store: Path) -> None:
    from sotegraph.export import csv_cell
    from sotegraph.queries import Rows, run_sparql
    from sotegraph.store import open_store

    text = (
        f"PREFIX xsd: <{XSD}>\nSELECT ?v ?blank WHERE {{ VALUES ?v {{ {' '.join(TRICKY)} }} "
        "BIND(BNODE() AS ?blank) }"
    )
    backend = open_store(store, read_only=True)
    try:
        rows = run_sparql(backend, text)
    finally:
        backend.close()
    assert len(rows) == len(TRICKY)
    expected = [r["v"] for r in Rows(rows).to_python(json_safe=True)]
    got = run("sparql", "--query", text, "--store", str(store), "--format", "json")
    assert got.exit_code == 0, got.output
    values = [r["v"] for r in json.loads(got.stdout)]
    wrong = [(t, e, v) for t, e, v in zip(TRICKY, expected, values, strict=True) if not _same(e, v)]
    assert not wrong, wrong
    assert all(isinstance(r["blank"], str) and r["blank"] for r in json.loads(got.stdout))
    got = run("sparql", "--query", text, "--store", str(store), "--format", "csv")
    cells = [r[0] for r in list(csv.reader(io.StringIO(got.stdout)))[1:]]
    want = ["" if e is None else str(csv_cell(e)) for e in expected]
    assert cells == want
    got = run("sparql", "--query", text, "--store", str(store), "--format", "tsv")
    lines = got.stdout.splitlines()
    assert lines[0] == "?v\t?blank"
    first, blank = lines[1].split("\t")
    assert first.startswith('"208856'), first
    assert first.endswith(f'"^^<{XSD}decimal>'), first
    assert blank.startswith("_:"), blank


def test_formula_first_characters_are_the_ones_csv_cell_guards() -> None:
    from sotegraph.cli.query import FORMULA_FIRST
    from sotegraph.export import csv_cell

    changed = {chr(c) for c in range(0x250) if csv_cell(chr(c) + "x") != chr(c) + "x"}
    assert changed == set(FORMULA_FIRST)


def test_rows_are_written_as_they_come(capsys: pytest.CaptureFixture[str]) -> None:
    """A store that fails after three rows: those three are out before the error."""
    from sotegraph.cli.query import Result, print_result

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(3):
            yield (ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer")),)
        raise QueryError("the store failed")

    for fmt, first in (("csv", "n\r\n0\r\n1\r\n2\r\n"), ("tsv", "?n\n"), ("json", '[\n{"n": 0}')):
        with pytest.raises(QueryError):
            print_result(Result(["n"], rows()), fmt, None, title="t")
        out = capsys.readouterr().out
        assert out.startswith(first), (fmt, out)
        assert out.count("2") >= 1, (fmt, out)


def test_an_empty_result_is_an_empty_json_array(store: Path) -> None:
    got = run("sparql", "--query", "SELECT ?s WHERE { ?s <urn:none> ?o }", "--store", str(store))
    assert got.exit_code == 0
    assert "(0 rows)" in " ".join(got.output.split())
    got = run(
        "sparql",
        "--query",
        "SELECT ?s WHERE { ?s <urn:none> ?o }",
        "--store",
        str(store),
        "--format",
        "json",
    )
    assert json.loads(got.stdout) == []
    got = run("query", "projects", "--store", str(store), "--format", "csv", "-p", "code=S0")
    assert got.exit_code == 0, got.output
    assert got.stdout.startswith("project,"), got.stdout


# -- building without prose never imports spaCy --------------------------------------------


@pytest.mark.parametrize(
    ("what", "args"),
    [
        ("a bulk table", [str(TABLES[1])]),
        ("a record with --no-nlp", [str(DATA / "bad" / "ok_record.txt"), "--no-nlp"]),
    ],
)
def test_a_build_without_prose_never_imports_spacy(
    what: str, args: list[str], tmp_path: Path
) -> None:
    done, modules = _modules_after(
        "build", *args, "--store", str(tmp_path / "kg"), tmp_path=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    said = " ".join((done.stdout + done.stderr).split())
    assert "1 read, 1 built" in said, said[-2000:]
    nlp = sorted(m for m in modules if m.split(".")[0] in {"spacy", "thinc"})
    print(f"{what}: {len(modules)} modules, spaCy: {nlp[:3]}")
    assert nlp == []

"""Hostile query parameters cannot change a named query's structure.

Every shipped query (``sotegraph.resources.query_names()``) is run with every declared
parameter set to values that would break out of a query if they were pasted into its text:
quotes, braces, ``} INSERT …``, ``DROP ALL``, IRIs with spaces or angle brackets. Each run ends
in rows or a :class:`~sotegraph.errors.QueryError`, never another exception; the store is
unchanged afterwards; and a hostile string gives exactly the rows any other string that matches
nothing gives (so it was bound as one value, not read as SPARQL).
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sotegraph import resources
from sotegraph.errors import QueryError
from sotegraph.queries import load_query

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
CANARY = "urn:sotegraph:test:injected"

HOSTILE_STRINGS = [
    '"',
    "'",
    "\\",
    '"""',
    f'" }} INSERT DATA {{ <{CANARY}> <{CANARY}> <{CANARY}> }} #',
    f'\' }} ; INSERT DATA {{ GRAPH <{CANARY}> {{ <{CANARY}> <{CANARY}> "x" }} }} #',
    "} } DROP ALL ; SELECT * WHERE { {",
    '") } DROP ALL #',
    "{ ?s ?p ?o }",
    "?project",
    "$code",
    'S29901" || true || "',
    "S29901') || (1 = 1",
    f"<{CANARY}>",
    "x\n} INSERT DATA { <urn:a> <urn:b> <urn:c> }\n#",
    "# comment",
    "VALUES ?code { 1 }",
    "\u0000",
    "ä\u202eö",
]
HOSTILE_IRIS = [
    f"https://w3id.org/sotegraph/id/fund/ESR> }} INSERT DATA {{ <{CANARY}> <{CANARY}> <{CANARY}> }} #",
    "https://example.org/a b",
    "<https://example.org/x>",
    "https://example.org/x>",
    'urn:x"}',
    "urn:x{ ?s ?p ?o }",
    "not an iri",
    "",
    "javascript:alert(1)",  # a valid absolute IRI: accepted, matches nothing
]
NOTHING = {
    "string": "zz-no-such-value",
    "iri": "urn:sotegraph:test:nothing",
}


def _cases() -> Iterator[tuple[str, str, str, str]]:
    for name in resources.query_names():
        q = load_query(name)
        for param in q.params.values():
            values = HOSTILE_IRIS if param.type == "iri" else HOSTILE_STRINGS
            for v in values:
                yield name, param.name, param.type, v


CASES = list(_cases())
_BASELINES: dict[tuple[str, str], Any] = {}


def _snapshot(kg: Any) -> tuple[int, list[str]]:
    return len(kg.store), sorted(kg.store.graph_names())


@pytest.fixture(scope="module")
def kg() -> Iterator[Any]:
    from sotegraph.builder import build

    graph = build(
        [BAD / "ok_record.txt", BAD / "ok_record_cp1252.txt"], use_nlp=False, validate=False
    )
    assert graph.last_build is not None
    assert graph.last_build.built == 2
    yield graph
    graph.close()


def test_every_query_has_cases() -> None:
    names = resources.query_names()
    assert names, "no named queries shipped"
    with_params = [n for n in names if load_query(n).params]
    assert {n for n, *_ in CASES} == set(with_params)
    print(f"{len(CASES)} hostile cases over {len(with_params)} queries with parameters")


def _outcome(kg: Any, name: str, params: dict[str, Any]) -> list[list[tuple[str, str]]] | str:
    try:
        rows = kg.query(name, **params)
    except QueryError as exc:
        return f"QueryError: {exc}"
    return sorted(
        (sorted((k, str(v)) for k, v in r.items()) for r in rows),
        key=str,
    )


@pytest.mark.parametrize(("name", "param", "ptype", "value"), CASES)
def test_hostile_parameter(kg: Any, name: str, param: str, ptype: str, value: str) -> None:
    before = _snapshot(kg)
    got = _outcome(kg, name, {param: value})
    assert _snapshot(kg) == before, "the store changed"
    assert not any(CANARY in g for g in kg.store.graph_names())
    if ptype in NOTHING:
        key = (name, param)
        if key not in _BASELINES:
            _BASELINES[key] = _outcome(kg, name, {param: NOTHING[ptype]})
        baseline = _BASELINES[key]
        if isinstance(got, str):
            # refused: only IRIs that are not IRIs may be refused
            assert ptype == "iri", got
            assert got.startswith("QueryError: parameter"), got
        else:
            assert got == baseline, f"{value!r} did not behave like a plain value"
    else:
        # integers, years, dates: a hostile string is not a valid value
        assert isinstance(got, str), f"{value!r} accepted as a {ptype}"
        assert got.startswith(f"QueryError: parameter {param!r}: ")


def test_unknown_parameter_names_are_refused(kg: Any) -> None:
    for name in resources.query_names():
        with pytest.raises(QueryError) as info:
            kg.query(name, **{"x } DROP ALL #": "1"})
        assert "valid parameters" in str(info.value)


def test_cli_query_with_hostile_parameter(tmp_path: Path) -> None:
    pytest.importorskip("sotegraph.cli.query")
    from sotegraph.builder import build

    store = tmp_path / "store"
    kg = build([BAD / "ok_record.txt"], store=store, use_nlp=False, validate=False)
    before = _snapshot(kg)
    kg.close()
    del kg
    gc.collect()
    hostile = f'" }} INSERT DATA {{ <{CANARY}> <{CANARY}> <{CANARY}> }} #'
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sotegraph.cli",
            "query",
            "projects",
            "--store",
            str(store),
            "--param",
            f"code={hostile}",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300", "NO_COLOR": "1"},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() in {"[]", ""}, proc.stdout
    from sotegraph.builder import KnowledgeGraph

    again = KnowledgeGraph.open(store)
    try:
        assert _snapshot(again) == before
    finally:
        again.close()

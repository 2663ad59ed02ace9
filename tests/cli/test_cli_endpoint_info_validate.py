"""``sotegraph info`` and ``sotegraph validate`` read an endpoint too (issue 16, point 4).

The seeds (spaCy on) and one bad record are built into a folder; a real Oxigraph server is
started on a copy of that folder (``start_oxigraph`` of the ``oxigraph_server`` fixture
module, on its own data rather than the session server's, which other tests write to), so
the endpoint holds exactly the quads of the folder. Each command must say the same about
both: ``info`` the same counts and documents, ``validate`` the same report, which is the
build's own findings.
"""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from oxigraph_server import Server, oxigraph_binary, start_oxigraph, stop
from sotegraph.cli import app

BAD = Path(__file__).resolve().parents[1] / "data" / "bad" / "end_before_start.txt"

pytestmark = pytest.mark.nlp


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def built(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The folder store of the seeds and the bad record, and the build's validation report."""
    from sotegraph.builder import build

    folder = tmp_path_factory.mktemp("endpoint-info") / "kg"
    kg = build([seeds_dir, BAD], store=folder, use_nlp=True, validate=True)
    result = kg.last_build
    assert result is not None
    assert result.built == 6
    assert result.validation is not None
    kg.close()
    del kg
    gc.collect()
    return folder, result.validation


@pytest.fixture(scope="module")
def server(built: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real Oxigraph server holding a copy of the built folder."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph)")
    copy = tmp_path_factory.mktemp("endpoint-server") / "data"
    shutil.copytree(built[0], copy)
    running = start_oxigraph(copy)
    try:
        yield running
    finally:
        stop(running.process)


def table_rows(output: str) -> list[list[str]]:
    """The rows of rich's tables in ``output`` (cells split at the box lines), titles left out."""
    rows = []
    for line in output.splitlines():
        if "│" in line or "┃" in line:
            cells = [c.strip() for c in line.replace("┃", "│").strip().strip("│").split("│")]
            rows.append(cells)
    return rows


def test_info_on_an_endpoint_says_what_the_folder_says(
    built: tuple[Path, Any], server: Server
) -> None:
    local = run("info", "--store", built[0])
    remote = run("info", "--endpoint", server.query)
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    print(remote.output)
    assert f"sotegraph store {server.query}" in remote.output.splitlines()
    counts = dict(r for r in table_rows(remote.output) if len(r) == 2)
    assert int(counts["documents"]) == 6
    assert int(counts["projects"]) > 5
    assert int(counts["quads"]) > 1000
    assert table_rows(remote.output) == table_rows(local.output)
    sources = [r[0] for r in table_rows(remote.output) if len(r) == 4]
    assert BAD.name in " ".join(sources)


def test_info_options(built: tuple[Path, Any], server: Server) -> None:
    neither = run("info")
    assert neither.exit_code == 2
    assert "give --store DIR or --endpoint URL" in " ".join(neither.output.split())
    both = run("info", "--store", built[0], "--endpoint", server.query)
    assert both.exit_code == 2
    assert "not both" in both.output


def test_validate_on_an_endpoint_gives_the_build_s_report(
    built: tuple[Path, Any], server: Server
) -> None:
    folder, report = built
    local = run("validate", "--store", folder, "--format", "json")
    remote = run("validate", "--endpoint", server.query, "--format", "json")
    assert local.exit_code == remote.exit_code == 1, remote.output  # the bad record: a Violation
    got = json.loads(remote.stdout)
    print(
        f"endpoint: {got['violations']} violations, {got['warnings']} warnings, "
        f"{got['infos']} infos; the build: {len(report.violations)} violations, "
        f"{len(report.warnings)} warnings, {len(report.infos)} infos"
    )
    assert got == json.loads(local.stdout)
    assert got["results"] == [r.to_dict() for r in report.sort().results]
    assert got["violations"] >= 1
    assert got["warnings"] >= 1  # the seed articles' projects with no stated lead
    text = run("validate", "--endpoint", server.query, "--lang", "en")
    assert text.exit_code == 1
    assert BAD.name in text.output
    assert "ends before it starts" in " ".join(text.output.split())


def test_validate_options(built: tuple[Path, Any], server: Server) -> None:
    both = run("validate", "--store", built[0], "--endpoint", server.query)
    assert both.exit_code == 2
    assert "not both" in both.output
    nothing = run("validate")
    assert nothing.exit_code == 2
    assert "give --store DIR, --endpoint URL or at least one path" in nothing.output

"""The wheel ships ontology/, queries/ and data/; an installed copy finds them from anywhere."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (whl,) = out.glob("sotegraph-*.whl")
    return whl


def test_wheel_contains_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    prefix = "sotegraph/_resources/"
    assert f"{prefix}ontology/sotegraph.ttl" in names
    assert f"{prefix}ontology/shapes.ttl" in names
    for rq in (ROOT / "queries").glob("*.rq"):
        assert f"{prefix}queries/{rq.name}" in names
    for data in (ROOT / "data").rglob("*"):
        if data.is_file():
            assert f"{prefix}data/{data.relative_to(ROOT / 'data').as_posix()}" in names
    assert "sotegraph/py.typed" in names
    assert "sotegraph/nlp/pipeline.cfg" in names
    view = ["view.html", "view.js", "sigma.min.js", "sigma.LICENSE"]
    view += ["graphology.umd.min.js", "graphology.LICENSE"]
    assert {f"sotegraph/view/{name}" for name in view} <= names
    pages = {"map.html", "map.js", "report.html", "report.js", "vega-interpreter.js"}
    pages |= {f"{lib}.min.js" for lib in ("d3-array", "d3-geo", "vega", "vega-lite", "vega-embed")}
    assert {f"sotegraph/view/{name}" for name in pages} <= names


def test_installed_wheel_finds_resources_from_another_directory(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    code = (
        "from sotegraph import resources as r;"
        "print(r.ontology_file('sotegraph.ttl').is_file(), r.ontology_file('shapes.ttl').is_file(),"
        " len(r.query_names()), len(r.list_data_files()), r.resource_root('queries'))"
    )
    proc = subprocess.run(
        [str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True, timeout=120
    )
    ontology_ok, shapes_ok, n_queries, n_data, root = proc.stdout.split(maxsplit=4)
    assert (ontology_ok, shapes_ok) == ("True", "True")
    assert int(n_queries) == len(list((ROOT / "queries").glob("*.rq")))
    assert int(n_data) > 0
    assert str(env_dir) in root

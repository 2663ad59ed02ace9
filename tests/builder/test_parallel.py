"""Extraction in worker processes and on a Dask cluster gives the graph of a one-process build.

The graphs are compared as sorted N-Quads, byte for byte, less the one value that differs from
build to build by design: ``sg:ingestedAt``, the time each manifest entry was written.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sotegraph import errors
from sotegraph.builder import BuildResult, KnowledgeGraph, build
from sotegraph.cli import app
from sotegraph.parallel import DASK_MISSING, default_workers, extract_documents
from sotegraph.read import Document, read_document

pytestmark = pytest.mark.nlp

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


def _nquads(kg: KnowledgeGraph, folder: Path) -> list[str]:
    """The store's quads as sorted N-Quads lines, without the ingestion times."""
    path = folder / "all.nq"
    kg.store.dump(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted(line for line in lines if "#ingestedAt>" not in line)


def _documents(seeds_dir: Path) -> list[Document]:
    """The seeds and the bundled examples, read as the builder reads them, and one document
    that cannot be extracted (its text is bytes, not a string)."""
    docs = [read_document(p, source=f"seeds/{p.name}") for p in sorted(seeds_dir.glob("*.txt"))]
    docs += [read_document(p, source=f"examples/{p.name}") for p in sorted(EXAMPLES.glob("*.txt"))]
    record = next(d for d in docs if d.source.endswith("S29901.txt"))
    broken = dataclasses.replace(record, text=record.text.encode(), source="broken.txt")
    broken = dataclasses.replace(broken, id="f" * 64)
    return [*docs[:3], broken, *docs[3:]]


def _build(docs: list[Document], **how: Any) -> tuple[KnowledgeGraph, BuildResult]:
    kg = KnowledgeGraph()
    return kg, kg.add_documents(docs, use_nlp=True, validate=True, **how)


@pytest.fixture(scope="module")
def local(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A one-process build of the seeds, the examples and the broken document."""
    docs = _documents(seeds_dir)
    kg, result = _build(docs, workers=1)
    yield docs, result, _nquads(kg, tmp_path_factory.mktemp("local"))
    kg.close()


def _same_build(got: BuildResult, want: BuildResult) -> None:
    assert got.built == want.built
    assert [str(f) for f in got.failed] == [str(f) for f in want.failed]
    assert [str(w) for w in got.warnings] == [str(w) for w in want.warnings]
    assert got.validation is not None
    assert want.validation is not None
    assert len(got.validation.results) == len(want.validation.results)


def test_the_broken_document_fails_alone(local: Any) -> None:
    docs, result, quads = local
    assert [f.source for f in result.failed] == ["broken.txt"]
    assert "unexpected error (TypeError" in result.failed[0].message
    assert result.built == len(docs) - 1
    assert len(quads) > 1000


def test_two_workers_build_the_same_graph(local: Any, tmp_path: Path) -> None:
    docs, result, quads = local
    kg, got = _build(docs, workers=2)
    two = _nquads(kg, tmp_path)
    kg.close()
    _same_build(got, result)
    assert len(two) == len(quads)
    assert two == quads


def test_a_worker_process_killed(
    local: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A pool whose worker process is ended mid-build: its documents are extracted here."""
    docs, result, quads = local
    extract_documents(docs[:2], use_nlp=True, workers=2)  # the pool of two is up
    pool = [p for p in multiprocessing.active_children() if p.name.startswith("SpawnProcess")]
    assert pool
    outcome: dict[str, Any] = {}
    builder = threading.Thread(target=lambda: outcome.update(built=_build(docs, workers=2)))
    builder.start()
    time.sleep(0.05)
    assert pool[0].pid is not None
    os.kill(pool[0].pid, signal.SIGKILL)
    builder.join(timeout=300)
    assert not builder.is_alive()
    kg, got = outcome["built"]
    after = _nquads(kg, tmp_path)
    kg.close()
    _same_build(got, result)
    assert after == quads
    # the next build starts a new pool
    again = extract_documents(docs, use_nlp=True, workers=2)
    assert [getattr(o, "source", None) for o in again] == [d.source for d in docs]
    assert "worker processes failed" in caplog.text


def test_outcomes_in_input_order_and_picklable(local: Any) -> None:
    docs = local[0]
    outcomes = extract_documents(docs, use_nlp=True, workers=2)
    assert [getattr(o, "source", None) for o in outcomes] == [d.source for d in docs]
    for outcome in outcomes:
        assert pickle.loads(pickle.dumps(outcome)) == outcome


@pytest.mark.parametrize(
    "exc",
    [
        errors.InputError("amount is not a number", file="a.txt", line=3, expected="digits"),
        errors.ValueFormatError("not a date", file="b.txt", line=1),
        errors.DocumentTooLargeError("too long", file="c.txt"),
        errors.UnsupportedFormatError("not read", file="d.docx"),
        errors.SotegraphError("plain"),
        errors.StoreError("full disk"),
        errors.UsageError("workers must be 1 or more"),
    ],
)
def test_errors_cross_processes(exc: errors.SotegraphError) -> None:
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc)
    assert str(back) == str(exc)
    assert vars(back) == vars(exc)


def test_workers_below_one_is_a_usage_error() -> None:
    with pytest.raises(errors.UsageError, match="workers must be 1 or more"):
        extract_documents([], use_nlp=True, workers=0)
    assert default_workers() >= 1


def test_cli_workers(seeds_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    args = ["build", str(seeds_dir), str(EXAMPLES), "--workers", "2", "--store", str(store)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        assert len(kg.documents()) == 8
    finally:
        kg.close()


def test_cli_scheduler_without_dask(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "dask" or m.startswith(("dask.", "distributed"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    args = ["build", str(seeds_dir), "--scheduler", "tcp://127.0.0.1:1", "--store", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert f"error: {DASK_MISSING}" in " ".join(result.output.split())
    assert "Traceback" not in result.output


# -- Dask ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A real Dask cluster on 127.0.0.1: two worker processes, one thread each."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        yield cluster, client


@pytest.mark.dask
def test_dask_builds_the_same_graph(cluster: Any, local: Any, tmp_path: Path) -> None:
    docs, result, quads = local
    _cluster, client = cluster
    kg, got = _build(docs, scheduler=client)
    on_dask = _nquads(kg, tmp_path)
    kg.close()
    _same_build(got, result)  # the broken document is reported as it is locally
    assert on_dask == quads


@pytest.mark.dask
def test_dask_by_address(cluster: Any, local: Any, seeds_dir: Path, tmp_path: Path) -> None:
    dask_cluster, _client = cluster
    kg = build([seeds_dir, EXAMPLES], scheduler=dask_cluster.scheduler_address, validate=False)
    assert kg.last_build is not None
    assert kg.last_build.built == 8
    assert not kg.last_build.failed
    kg.close()


@pytest.mark.dask
def test_dask_worker_killed_mid_build(cluster: Any, local: Any, tmp_path: Path) -> None:
    docs, result, quads = local
    _cluster, client = cluster
    pids: dict[str, int] = client.run(os.getpid)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["built"] = _build(docs, scheduler=client)
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            outcome["error"] = exc

    builder = threading.Thread(target=run)
    builder.start()
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline and builder.is_alive():
        busy = [w for w, tasks in client.processing().items() if tasks]
        if busy:
            killed = pids[busy[0]]
            os.kill(killed, signal.SIGKILL)
        else:
            time.sleep(0.01)
    builder.join(timeout=180)
    assert killed is not None, "no task ran on a worker"
    assert not builder.is_alive()
    assert "error" not in outcome, outcome.get("error")
    kg, got = outcome["built"]
    after = _nquads(kg, tmp_path)
    kg.close()
    _same_build(got, result)
    assert after == quads  # nothing lost, nothing doubled
    assert killed not in client.run(os.getpid).values()  # the worker was indeed replaced


@pytest.mark.dask
def test_cli_scheduler(cluster: Any, seeds_dir: Path, tmp_path: Path) -> None:
    dask_cluster, _client = cluster
    store = tmp_path / "store"
    args = ["build", str(seeds_dir), "--scheduler", dask_cluster.scheduler_address]
    result = CliRunner().invoke(app, [*args, "--store", str(store), "--no-validate"])
    assert result.exit_code == 0, result.output
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        assert len(kg.documents()) == 5
    finally:
        kg.close()

"""Shared pytest fixtures: paths to ../shared and the small fixture corpus."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SOTEGRAPH_SHARED", ROOT.parent / "shared")).resolve()
SEEDS = SHARED / "corpus" / "seeds"
BULK = SHARED / "corpus" / "bulk"
GOLD = SHARED / "gold" / "seeds.json"
REFERENCE = SHARED / "reference"
FIXTURES = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "data" / "examples"

SEED_001 = "001_d86b9bca13a0eb96.txt"
SEED_004 = "004_4074baee79ca4e82.txt"

# store tests: real SPARQL server fixtures (tests/oxigraph_server.py)
sys.path.insert(0, str(Path(__file__).resolve().parent))
pytest_plugins = ["oxigraph_server"]


def _need(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.skip(f"{what} not found at {path} (clone the project with ../shared beside it)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """Folder of the five seed texts (skips when ../shared is absent)."""
    return _need(SEEDS, "the seed corpus")


@pytest.fixture(scope="session")
def seeds_kg(seeds_dir: Path) -> Iterator[Any]:
    """The five seeds built once into a memory store (spaCy on, no validation).

    Shared by every test that reads a built seeds graph; tests must not write to it.
    """
    from sotegraph.builder import build

    kg = build(seeds_dir, use_nlp=True, validate=False)
    yield kg
    kg.close()


@pytest.fixture(scope="session")
def bulk_dir() -> Path:
    """Folder of the EURA bulk project lists (skips when ../shared is absent)."""
    return _need(BULK, "the bulk corpus")


BULK_LISTS = ("fi_eura2014_projektilista_2016_clean.csv", "fi_eura2007_projektilista_2007-2013.csv")


@pytest.fixture(scope="session")
def bulk_store_dir(bulk_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of an on-disk store of both EURA project lists (22,821 projects), built once.

    Shared by every test that reads the whole bulk store (the CLI with ``--store``, or
    :func:`bulk_store_kg`); tests must not write to it.
    """
    from sotegraph.builder import KnowledgeGraph

    path = tmp_path_factory.mktemp("bulk-lists") / "store"
    kg = KnowledgeGraph(path)
    try:
        result = kg.add_paths([bulk_dir / name for name in BULK_LISTS])
        assert not result.failed, result.failed
    finally:
        kg.close()
    return path


@pytest.fixture(scope="session")
def bulk_store_kg(bulk_store_dir: Path) -> Iterator[Any]:
    """The store of :func:`bulk_store_dir` opened read-only."""
    from sotegraph.builder import KnowledgeGraph

    kg = KnowledgeGraph.open(bulk_store_dir, read_only=True)
    yield kg
    kg.close()


@pytest.fixture(scope="session")
def gold() -> dict[str, Any]:
    """The gold facts of the seeds (skips when ../shared is absent)."""
    return json.loads(_need(GOLD, "the gold file").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """Statistics Finland / YSO reference data (skips when ../shared is absent)."""
    return _need(REFERENCE, "the reference data")


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The bundled example texts in data/examples/."""
    return EXAMPLES


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """tests/data/: small fixture files written for the tests."""
    return FIXTURES

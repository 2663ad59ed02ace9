"""Personal data stays out of every export of the seeds unless it is asked for by name.

Builds the five seed texts (plus an invented record with a contact person) twice: by default
and with ``include_personal_data=True``. Writes each export format (TriG, N-Quads, Turtle,
JSON-LD through rdflib and ``KnowledgeGraph.serialize``; GraphML, GEXF, Cytoscape JSON,
node-link JSON, CSV and HTML through :mod:`sotegraph.export`) and looks for every string listed
under ``personal_data`` in ``../shared/gold/seeds.json``, also as IRI slugs and JSON escapes.
With personal data included the contact persons do appear, so the test can fail.
"""

from __future__ import annotations

import gc
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sotegraph.namespaces import slugify

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
# the invented contact person of tests/data/bad/ok_record.txt
FIXTURE_PERSON = ["Outi Keksitty", "outi.keksitty(at)keksitty.example", "040-1234567"]

RDF_FORMATS = ["trig", "nquads", "turtle", "json-ld"]
REFERENCE_GRAPHS = "https://w3id.org/sotegraph/id/graph/"
NETWORK_FORMATS = ["graphml", "gexf", "cyjs", "json", "csv", "html"]


@dataclass
class Exports:
    files: dict[str, list[Path]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def text(self, fmt: str) -> str:
        if fmt in self.skipped:
            pytest.skip(self.skipped[fmt])
        return "\n".join(p.read_text(encoding="utf-8") for p in self.files[fmt])


def _write_all(kg: Any, folder: Path, *, include: bool) -> Exports:
    from rdflib import Dataset, Graph

    out = Exports()
    folder.mkdir(parents=True, exist_ok=True)
    full = kg.dataset()
    # the reference graphs (regions, themes, organisations: sgid:graph/…) hold no personal
    # data and make up most of the size; kg.serialize below still writes everything
    ds = Dataset()
    for s, p, o, g in full.quads((None, None, None, None)):
        if g is not None and not str(g).startswith(REFERENCE_GRAPHS):
            ds.add((s, p, o, g))
    for fmt, suffix in (("trig", "trig"), ("nquads", "nq"), ("json-ld", "jsonld")):
        path = folder / f"graph.{suffix}"
        ds.serialize(destination=path, format=fmt)
        out.files[fmt] = [path]
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    path = folder / "graph.ttl"
    union.serialize(destination=path, format="turtle")
    out.files["turtle"] = [path]
    # the library's own serialiser too (suffix decides the format)
    for suffix in ("trig",):
        path = folder / f"kg.{suffix}"
        kg.serialize(path)
        out.files[f"kg-{suffix}"] = [path]

    try:
        from sotegraph import export, network
    except ImportError as exc:
        for fmt in NETWORK_FORMATS:
            out.skipped[fmt] = f"sotegraph.export / sotegraph.network not available yet ({exc})"
        return out
    data = network.load_network_data(kg)
    graphs = {
        "bipartite": network.bipartite_graph(data),
        "coparticipation": network.coparticipation_graph(data),
    }
    for fmt in NETWORK_FORMATS:
        written: list[Path] = []
        for name, g in graphs.items():
            written += export.export_graph(
                g, folder / f"{name}.{fmt}", format=fmt, include_personal_data=include
            )
        out.files[fmt] = written
    return out


def _build(paths: list[Path], *, include: bool, folder: Path) -> Exports:
    from sotegraph.builder import build

    kg = build(paths, include_personal_data=include, validate=False)
    try:
        result = kg.last_build
        assert result is not None
        assert result.failed == [], [str(f) for f in result.failed]
        return _write_all(kg, folder, include=include)
    finally:
        kg.close()
        del kg
        gc.collect()


@pytest.fixture(scope="module")
def personal_strings(gold: dict[str, Any]) -> list[str]:
    pd = gold["personal_data"]
    return list(pd["people"]) + list(pd["contact_strings"]) + FIXTURE_PERSON


@pytest.fixture(scope="module")
def exports(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Exports, Exports]:
    paths = [seeds_dir, BAD / "ok_record.txt"]
    default = _build(paths, include=False, folder=tmp_path_factory.mktemp("default"))
    included = _build(paths, include=True, folder=tmp_path_factory.mktemp("included"))
    return default, included


def _variants(s: str) -> set[str]:
    """The string as written, JSON-escaped, XML-escaped, and as an IRI slug for names."""
    out = {s, json.dumps(s)[1:-1], s.replace("&", "&amp;")}
    out.add(json.dumps(s, ensure_ascii=True)[1:-1])
    if "@" not in s and "(at)" not in s and not any(c.isdigit() for c in s):
        out.add(slugify(s))
    return out


def _leaks(text: str, strings: list[str]) -> list[str]:
    low = text.lower()
    found = []
    for s in strings:
        for v in _variants(s):
            if v and (v in text or (v == slugify(s) and v in low)):
                found.append(v)
    return sorted(set(found))


ALL_FORMATS = [*RDF_FORMATS, "kg-trig", *NETWORK_FORMATS]


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_no_personal_data_in_exports(
    exports: tuple[Exports, Exports], personal_strings: list[str], fmt: str
) -> None:
    default, _ = exports
    text = default.text(fmt)
    assert text.strip(), f"{fmt} export is empty"
    leaks = _leaks(text, personal_strings)
    print(f"{fmt}: {len(text)} characters, {len(leaks)} personal strings found")
    assert leaks == [], f"personal data in the {fmt} export: {leaks}"


def test_graph_says_it_holds_no_personal_data(exports: tuple[Exports, Exports]) -> None:
    default, included = exports
    assert "includesPersonalData true" not in default.text("trig")
    assert "includesPersonalData true" in included.text("trig")


def test_personal_data_appears_when_asked_for(
    exports: tuple[Exports, Exports], gold: dict[str, Any]
) -> None:
    """With include_personal_data=True the EURA contact persons are in the graph export."""
    _, included = exports
    text = included.text("trig")
    contacts = ["Tuula Haverinen", "Hanna Hauta-aho", "Outi Keksitty"]
    emails = [s for s in gold["personal_data"]["contact_strings"] if "(at)" in s]
    found = [s for s in contacts + emails if s in text]
    print(f"with personal data: {len(found)}/{len(contacts + emails)} contact strings present")
    assert found == contacts + emails


@pytest.mark.parametrize("include", [False, True], ids=["default", "include-personal-data"])
def test_cli_flag(tmp_path: Path, include: bool) -> None:
    """``sotegraph build --out`` keeps the contact person out unless the flag is given."""
    import os
    import subprocess
    import sys

    pytest.importorskip("sotegraph.cli.build")
    out = tmp_path / "graph.trig"
    args = [sys.executable, "-m", "sotegraph.cli", "build", str(BAD / "ok_record.txt")]
    args += ["--store", str(tmp_path / "store"), "--out", str(out), "--no-nlp", "--no-validate"]
    if include:
        args.append("--include-personal-data")
    proc = subprocess.run(
        args,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300", "NO_COLOR": "1"},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = out.read_text(encoding="utf-8")
    present = [s for s in FIXTURE_PERSON if s in text]
    assert present == (FIXTURE_PERSON if include else [])

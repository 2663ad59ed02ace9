"""``sotegraph network`` in its common form without the full command's start-up
(``sotegraph.cli._network_plain``; issue 19, point 5).

The short way must be the full command in all that shows: the same file byte for byte, the
same messages and exit codes, the same graphs hidden in a store a build did not finish. The
full command is reached with an option the short way leaves to it and that changes nothing
(``--by`` with its default value).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from sotegraph.cli import _network_plain as plain
from sotegraph.cli import app
from sotegraph.errors import SotegraphError
from sotegraph.export import export_graph, xml_forbidden
from sotegraph.network import PlainGraph, annotate_plain, coparticipation_network
from sotegraph.store import OxigraphStore, open_store
from sotegraph.store import base as store_base

SG = "https://w3id.org/sotegraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "https://w3id.org/sotegraph/id/organisation/"
PRJ = "https://w3id.org/sotegraph/id/project/"
DOC = "https://w3id.org/sotegraph/id/document/"
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
FULL = ["--by", "partners,places,themes,groups,time"]  # the default: the full command


def _document(n: int) -> str:
    return DOC + f"{n:02x}" * 32


def _quads(doc: str, first: int, count: int) -> list[str]:
    """Projects of one organisation each (no edges), some labels hostile to XML."""
    lines = []
    for i in range(first, first + count):
        p = f"<{PRJ}Q{i:03d}>"
        lines.append(f"{p} {A} <{SG}Project> <{doc}> .")
        lines.append(f"{p} <{SG}participant> <{ORG}k{i % 17:02d}> <{doc}> .")
        lines.append(f'{p} <{SKOS}prefLabel> "Hanke {i}"@fi <{doc}> .')
    for j in range(17):
        if j % 5:
            label = f'Osuuskunta {j} & <Kumppanit> \\t \\"lainaus\\"'
            lines.append(f'<{ORG}k{j:02d}> <{SKOS}prefLabel> "{label}"@fi <{doc}> .')
    return lines


def _commit(doc: str) -> str:
    return f"<{doc}> {A} <{SG}Document> <{store_base.MANIFEST_GRAPH}> ."


def _store(folder: Path, lines: list[str]) -> Path:
    store = open_store(folder)  # opened writable first: what is loaded after stays as it is
    assert isinstance(store, OxigraphStore)
    store.raw.load(input="\n".join(lines) + "\n", format=ox.RdfFormat.N_QUADS)
    store.close()
    return folder


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = _document(1)
    return _store(tmp_path_factory.mktemp("clean"), [*_quads(doc, 0, 30), _commit(doc)])


@pytest.fixture(scope="module")
def edges_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Organisations that share projects: networkx annotates the network."""
    doc = _document(3)
    lines = [*_quads(doc, 0, 30), _commit(doc)]
    lines += [
        f"<{PRJ}Q{i:03d}> <{SG}participant> <{ORG}k{(i + 1) % 17:02d}> <{doc}> ." for i in (1, 2)
    ]
    return _store(tmp_path_factory.mktemp("edges"), lines)


@pytest.fixture(scope="module")
def unfinished_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One committed document, one a build did not record, and a staging graph."""
    done, left = _document(1), _document(2)
    staging = store_base.STAGING_PREFIX + "x"
    lines = [*_quads(done, 0, 30), _commit(done), *_quads(left, 30, 5)]
    lines.append(f"<{PRJ}Q900> {A} <{SG}Project> <{staging}> .")
    lines.append(f"<{PRJ}Q900> <{SG}participant> <{ORG}staged> <{staging}> .")
    return _store(tmp_path_factory.mktemp("unfinished"), lines)


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, ["network", *args])


# -- the form ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--store", "kg"],
        ["--kind", "coparticipation", "--store", "kg", "-o", "x.graphml"],
        ["--store=kg", "--output=sub/x.XML"],
        ["--store", "kg", "--attributes", " None ", "--min-weight", "2"],
        ["--min-weight=0", "--store", "kg"],  # the command itself refuses it
    ],
)
def test_the_common_form_is_recognised(args: list[str]) -> None:
    assert plain.plain_command(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["-o", "x.graphml"],  # no --store
        ["--store", "kg", "--kind", "overlap"],
        ["--store", "kg", "--kind", "Coparticipation"],
        ["--store", "kg", "-o", "x.gexf"],
        ["--store", "kg", "-o", "x"],
        ["--store", "kg", "--help"],
        ["--store", "kg", "--store", "kg2"],
        ["--store", "-x"],
        ["--store"],
        ["--store", ""],
        ["--store", "kg", "--attributes", "all"],
        ["--store", "kg", "--min-weight", "+2"],
        ["--store", "kg", "--min-weight", "２"],
        ["--store", "kg", "path.csv"],
        ["--store", "kg", "-o=x.graphml"],
        ["--store", "kg", "--format", "graphml"],
        ["--store", "kg", "--endpoint", "http://localhost:7878/query"],
        ["--store", "kg", "--sote-only"],
        ["--store", "kg", "--", "-o"],
        ["--store", "kg", *FULL],
    ],
)
def test_every_other_form_is_left_to_the_full_command(args: list[str]) -> None:
    assert plain.plain_command(args) is None


def test_the_store_names_are_those_of_the_store_layer() -> None:
    assert plain.STAGING_PREFIX == store_base.STAGING_PREFIX
    assert plain.MANIFEST_GRAPH == store_base.MANIFEST_GRAPH
    names = [
        _document(7),
        _document(7) + "0",
        _document(7)[:-1],
        _document(7).upper(),
        DOC + "g" * 64,
        store_base.MANIFEST_GRAPH,
        "https://w3id.org/sotegraph/id/graph/regions",
    ]
    for name in names:
        assert bool(plain.DOCUMENT_GRAPH.fullmatch(name)) == store_base.is_document_graph(name)


# -- the writer -------------------------------------------------------------------------


def _hostile() -> PlainGraph:
    names = [
        f"{ORG}a&<\"'>\t\n\r",
        f"{ORG}b\x01",
        f"{ORG}c\ufffe",
        f"{ORG}d\ud800",
        f"{ORG}e",
        f"{ORG}f/",
        "",
    ]
    labels = ['Alfa & <Oy>\r\n\t"q" \x02', "", "Gamma\ufffd", "Delta\x1f", "=1+1", " ", "x"]
    g = PlainGraph({"name": "verkko & <x>\x03"})
    for i, (n, label) in enumerate(zip(names, labels, strict=True)):
        g.node_data[n] = {"type": "organisation", "label": label, "projects": i}
    return annotate_plain(g)


def _with_forbidden(g: PlainGraph) -> bool:
    return xml_forbidden(g) > 0


@pytest.mark.parametrize("which", ["clean", "hostile"])
def test_the_plain_writer_writes_what_the_export_writes(
    which: str, clean_dir: Path, tmp_path: Path
) -> None:
    if which == "clean":
        g = coparticipation_network(ox.Store.read_only(str(clean_dir)))
    else:
        g = _hostile()
    assert plain._fits_plain_graphml(g)
    replaced = plain._write_plain_graphml(g, tmp_path / "plain.graphml")
    [want] = export_graph(g, tmp_path / "export.graphml")
    print(f"{which}: {g.number_of_nodes()} nodes, {replaced} replaced")
    assert (tmp_path / "plain.graphml").read_bytes() == want.read_bytes()
    assert replaced == xml_forbidden(g)
    assert (replaced > 0) == (which == "hostile")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.graphml", "plain.graphml"]
    back = nx.read_graphml(tmp_path / "plain.graphml")
    assert back.number_of_nodes() == g.number_of_nodes()


def test_the_plain_writer_refuses_what_the_export_refuses(tmp_path: Path) -> None:
    node = {"type": "organisation", "label": "a", "projects": 1}
    g = annotate_plain(PlainGraph({"name": "x"}, {"a\x01": dict(node), "a\x02": dict(node)}))
    assert plain._fits_plain_graphml(g)
    with pytest.raises(SotegraphError, match="differ only in characters") as mine:
        plain._write_plain_graphml(g, tmp_path / "x.graphml")
    with pytest.raises(SotegraphError, match="differ only in characters") as theirs:
        export_graph(g, tmp_path / "x.graphml")
    assert str(mine.value) == str(theirs.value)
    assert list(tmp_path.iterdir()) == []
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(SotegraphError, match="cannot write") as mine:
        plain._write_plain_graphml(_hostile(), blocked / "x.graphml")
    with pytest.raises(SotegraphError, match="cannot write") as theirs:
        export_graph(_hostile(), blocked / "x.graphml")
    assert str(mine.value) == str(theirs.value)


def test_only_the_annotated_network_without_edges_fits(clean_dir: Path) -> None:
    g = coparticipation_network(ox.Store.read_only(str(clean_dir)))
    assert plain._fits_plain_graphml(g)
    assert not plain._fits_plain_graphml(PlainGraph({"name": "x"}))
    first = next(iter(g.node_data))
    odd = PlainGraph(g.graph, dict(g.node_data), [(first, first, {"weight": 1})])
    assert not plain._fits_plain_graphml(odd)
    extra = PlainGraph(g.graph, {n: {**d, "region": "x"} for n, d in g.node_data.items()})
    assert not plain._fits_plain_graphml(extra)
    flag = PlainGraph(g.graph, {n: {**d, "degree": False} for n, d in g.node_data.items()})
    assert not plain._fits_plain_graphml(flag)
    assert not plain._fits_plain_graphml(nx.Graph())


# -- the command ------------------------------------------------------------------------


def _both(*args: str) -> tuple[Any, Any]:
    """The command run the short way and the full way."""
    return _run(*args), _run(*args, *FULL)


def _said(result: Any) -> str:
    return re.sub(r"[^ ]*\.graphml", "FILE", " ".join(result.output.split()))


@pytest.mark.parametrize("which", ["clean", "unfinished"])
def test_the_short_way_writes_what_the_full_command_writes(
    which: str, clean_dir: Path, unfinished_dir: Path, tmp_path: Path
) -> None:
    folder = clean_dir if which == "clean" else unfinished_dir
    assert plain.plain_command(["--store", str(folder)]) is not None
    short = _run("--store", str(folder), "-o", str(tmp_path / "short.graphml"))
    full = _run("--store", str(folder), "-o", str(tmp_path / "full.graphml"), *FULL)
    assert short.exit_code == full.exit_code == 0, short.output + full.output
    assert _said(short) == _said(full)
    assert "nodes, 0 edges (coparticipation)" in _said(short)
    data = (tmp_path / "short.graphml").read_bytes()
    assert data == (tmp_path / "full.graphml").read_bytes()
    # what a build did not commit stays hidden: organisations k00-k16, not "staged"
    assert data.count(b"<node ") == 17
    assert b"staged" not in data


def test_the_short_way_imports_no_typer_validation_rdflib_or_graph_library(
    clean_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.graphml"
    code = (
        "import sys\n"
        "from sotegraph.cli import main\n"
        f"sys.argv = ['sotegraph', 'network', '--store', {str(clean_dir)!r}, '-o', {str(out)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = ('pydantic', 'rdflib', 'networkx', 'numpy', 'scipy', 'pandas', 'pyshacl', "
        "'sotegraph.store', 'sotegraph.export', 'sotegraph.cli.network')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout
    assert f"wrote {out}: 17 nodes, 0 edges" in " ".join(proc.stderr.split())


@pytest.mark.parametrize(
    "case", ["no store", "not a store", "min weight", "blocked output", "with edges"]
)
def test_the_short_way_answers_as_the_full_command_answers(
    case: str, clean_dir: Path, edges_dir: Path, tmp_path: Path
) -> None:
    store, out, extra = str(clean_dir), str(tmp_path / "x.graphml"), []
    if case == "no store":
        store = str(tmp_path / "missing")
    elif case == "not a store":
        (tmp_path / "empty").mkdir()
        (tmp_path / "empty" / "CURRENT").write_text("garbage")
        store = str(tmp_path / "empty")
    elif case == "min weight":
        extra = ["--min-weight", "0"]
    elif case == "blocked output":
        (tmp_path / "file").write_text("")
        out = str(tmp_path / "file" / "x.graphml")
    else:  # a network with edges: networkx annotates it, the export writes it
        store = str(edges_dir)
    assert plain.plain_command(["--store", store, "-o", out, *extra]) is not None
    short, full = _both("--store", store, "-o", out, *extra)
    print(case, short.exit_code, _said(short)[:200])
    assert short.exit_code == full.exit_code
    assert _said(short) == _said(full)
    if case != "with edges":
        assert short.exit_code == 2
        assert _said(short).startswith("error: ")
        assert not Path(out).exists()
    else:
        assert short.exit_code == 0, short.output
        assert "17 nodes, 2 edges" in _said(short)

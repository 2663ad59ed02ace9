"""``sotegraph network`` in its common form, without the full command's start-up.

``sotegraph network [--kind coparticipation] --store DIR [-o FILE.graphml]`` (also with
``--attributes none`` or ``--min-weight N``: no attribute groups, no subset) writes the
whole co-participation network, whose work is three SELECTs
(:func:`~sotegraph.network.coparticipation_network`). The full command spends a third of its
CPU before that work: typer builds a pydantic validator for each of its options, its module
imports what the other networks and formats need, and the store layer imports rdflib. For
this form :func:`plain_command` gives a command without options that writes the same file;
the command group (:class:`sotegraph.cli._Commands`) runs it in place of the full one, inside
the same error handling, so the messages and exit codes are those of the full command. Any
other form (another option or value, ``--help``, a repeated option, a value that starts with
``-``) is left to the full command.

The command opens the store with Oxigraph itself when everything in it is committed
(:func:`_open_committed`; else through :func:`~sotegraph.cli._options.open_from_cli`, which
hides what a build left unfinished, as the full command does) and writes a network without
edges with its own GraphML writer (:func:`_write_plain_graphml`: the bytes
:func:`~sotegraph.export.export_graph` writes, without importing the export module and
rdflib); a network with edges goes through networkx and the export, as in the full command.

:func:`write_network` and :func:`report_written` are the end of both: the export and what
the command says about it.

Examples
--------
>>> plain_command(["--store", "kg", "-o", "net.graphml"]) is not None
True
>>> plain_command(["--store", "kg", "-o", "net.gexf"]) is None  # other formats: the full command
True
>>> plain_command(["--store", "kg", "--help"]) is None
True
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer.core import TyperCommand

from sotegraph._xml import GRAPHML_HEAD

if TYPE_CHECKING:
    from sotegraph.export import ExportFormat

__all__ = ["plain_command", "report_written", "write_network"]

_KIND = "coparticipation"
# the options of the form, each with its long name (``-o`` is ``--output``)
_NAMES = {"--kind": "--kind", "--store": "--store", "-o": "--output", "--output": "--output"}
_NAMES |= {"--attributes": "--attributes", "--min-weight": "--min-weight"}


def _given(args: list[str]) -> dict[str, str] | None:
    """The options of ``args`` by long name, or ``None`` unless each is one of the form's,
    given once, with a value (``--name value``, ``--name=value`` or ``-o value``)."""
    found: dict[str, str] = {}
    i = 0
    while i < len(args):
        given, eq, value = args[i].partition("=")
        name = _NAMES.get(given)
        if name is None or name in found or (eq and given == "-o"):
            return None
        if not eq:
            if i + 1 == len(args):
                return None
            value = args[i + 1]
            i += 1
        if not value or value.startswith("-"):
            return None
        found[name] = value
        i += 1
    return found


def plain_command(args: list[str]) -> TyperCommand | None:
    """The command that writes the whole co-participation network as GraphML when ``args``
    (what follows ``network``) ask for nothing else; ``None`` otherwise.

    The values must be what the full command reads the same way: ``--kind coparticipation``,
    ``--attributes none`` (in any case), ``--min-weight`` as digits, a ``--store`` folder and
    an output file whose suffix names GraphML (the default ``network.graphml``).
    """
    found = _given(args)
    if found is None or "--store" not in found or found.get("--kind", _KIND) != _KIND:
        return None
    if found.get("--attributes", "none").strip().lower() != "none":
        return None
    weight = found.get("--min-weight", "1")
    if not (weight.isascii() and weight.isdigit()):
        return None
    output = Path(found.get("--output", "network.graphml"))
    if output.suffix.lower() not in {".graphml", ".xml"}:
        return None
    store, min_weight = Path(found["--store"]), int(weight)

    def run() -> None:
        _write_coparticipation(store, output, min_weight)

    return TyperCommand("network", callback=run, add_help_option=False)


def _write_coparticipation(store: Path, output: Path, min_weight: int) -> None:
    """What ``sotegraph network`` does for :func:`plain_command`'s form."""
    from sotegraph.cli._options import fail, open_from_cli
    from sotegraph.errors import SotegraphError
    from sotegraph.network.plain import coparticipation_network

    raw = _open_committed(store)
    source = None if raw is not None else open_from_cli(store, read_only=True, existing=True)
    try:
        g = coparticipation_network(raw if raw is not None else source, min_weight=min_weight)
        if _fits_plain_graphml(g):
            written = [output]
            replaced = _write_plain_graphml(g, output)
        else:
            written, replaced = write_network(g, output, None, title=f"sotegraph {_KIND}")
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    finally:
        if source is not None:
            source.close()
    report_written(g, written, replaced, _KIND)


# -- the store, read as it is -----------------------------------------------------------
# (as sotegraph.store has them: tests/cli/test_cli_network_plain.py checks they agree)
STAGING_PREFIX = "https://w3id.org/sotegraph/id/graph/staging/"
MANIFEST_GRAPH = "https://w3id.org/sotegraph/id/graph/manifest"
DOCUMENT_GRAPH = re.compile("https://w3id\\.org/sotegraph/id/document/[0-9a-f]{64}")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DOCUMENT = "https://w3id.org/sotegraph/ontology#Document"


def _open_committed(folder: Path) -> Any:
    """The store in ``folder`` opened read-only by Oxigraph itself (a
    :class:`pyoxigraph.Store`) when everything it holds is committed, else ``None``.

    :class:`~sotegraph.store.OxigraphStore` hides, read-only, the document graphs without a
    manifest entry and the staging graphs of an interrupted build; a store without either
    reads the same through Oxigraph's union default graph, without sotegraph's store layer
    (and rdflib, which that imports). ``None`` also when the folder cannot be opened: the
    store layer then opens it, or says why it cannot.
    """
    import pyoxigraph as ox

    if not folder.is_dir():
        return None
    try:
        raw = ox.Store.read_only(str(folder))
    except (OSError, RuntimeError):
        return None
    documents = []
    for g in raw.named_graphs():
        if isinstance(g, ox.NamedNode):
            if g.value.startswith(STAGING_PREFIX):
                return None
            if DOCUMENT_GRAPH.fullmatch(g.value):
                documents.append(g.value)
    if documents:
        manifest = raw.quads_for_pattern(
            None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_DOCUMENT), ox.NamedNode(MANIFEST_GRAPH)
        )
        committed = {q.subject.value for q in manifest if isinstance(q.subject, ox.NamedNode)}
        if not committed.issuperset(documents):
            return None
    return raw


# -- GraphML of the annotated network without edges ---------------------------------------
# what sotegraph.export writes (tests/cli/test_cli_network_plain.py compares the bytes)
_NODE_DATA = (
    ("type", str, "string"),
    ("label", str, "string"),
    ("projects", int, "long"),
    ("degree", int, "long"),
    ("betweenness", float, "double"),
    ("eigenvector", float, "double"),
    ("community", int, "long"),
)
_SIGNATURE = (tuple(k for k, _, _ in _NODE_DATA), tuple(t for _, t, _ in _NODE_DATA))
_GRAPHML_HEAD = (
    GRAPHML_HEAD
    + "".join(
        f'  <key id="d{i}" for="node" attr.name="{name}" attr.type="{kind}" />\n'
        for i, (name, _, kind) in reversed(list(enumerate(_NODE_DATA, start=1)))
    )
    + '  <key id="d0" for="graph" attr.name="name" attr.type="string" />\n'
    '  <graph edgedefault="undirected">\n'
)
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """Element text escaped as the export escapes it (``&``, ``<``, ``>``, carriage return)."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attribute(value: str) -> str:
    """An attribute value escaped as the export escapes it."""
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#09;")


_CHUNK = 4096  # nodes per write


def _fits_plain_graphml(g: Any) -> bool:
    """Whether ``g`` is the network :func:`_write_plain_graphml` writes: a
    :class:`~sotegraph.network.PlainGraph` of named nodes, no edges, and the node attributes
    :func:`~sotegraph.network.annotate_plain` gives each node of such a graph."""
    from sotegraph.network.plain import PlainGraph

    if not isinstance(g, PlainGraph) or g.edge_list or not g.node_data:
        return False
    if not all(type(n) is str for n in g.node_data):
        return False
    return {(tuple(d), tuple(map(type, d.values()))) for d in g.node_data.values()} == {_SIGNATURE}


def _data(key: int, text: str) -> str:
    if not text:
        return f'      <data key="d{key}" />\n'
    return f'      <data key="d{key}">{_text(text)}</data>\n'


def _node(item: tuple[str, dict[str, Any]]) -> str:
    n, d = item
    kind, label, projects, degree, betweenness, eigenvector, community = d.values()
    return (
        f'    <node id="{_attribute(n)}">\n{_data(1, kind)}{_data(2, label)}'
        f'      <data key="d3">{projects}</data>\n'
        f'      <data key="d4">{degree}</data>\n'
        f'      <data key="d5">{betweenness!r}</data>\n'
        f'      <data key="d6">{eigenvector!r}</data>\n'
        f'      <data key="d7">{community}</data>\n'
        "    </node>\n"
    )


def _write_plain_graphml(g: Any, path: Path) -> int:
    """Write ``g`` (:func:`_fits_plain_graphml`) to ``path`` as
    :func:`~sotegraph.export.export_graph` does; how many names or values had characters XML
    1.0 forbids replaced.

    Raises
    ------
    SotegraphError
        If two node names differ only in characters XML 1.0 forbids, the file cannot be
        written, or (a bug) the written file does not parse.
    """
    from sotegraph._gc import no_cycle_collection
    from sotegraph._xml import check_well_formed
    from sotegraph.errors import SotegraphError

    names = list(g.node_data)
    forbidden = _XML_FORBIDDEN.search("\n".join(names)) is not None
    if forbidden and len({_XML_FORBIDDEN.sub("\ufffd", n) for n in names}) < len(names):
        raise SotegraphError(
            "two node names differ only in characters XML 1.0 forbids; GraphML and GEXF "
            "cannot hold them apart (write JSON or CSV instead)"
        )
    graph_name = str(g.graph.get("name", "sotegraph"))
    # only the names and the text values can hold a forbidden character or U+FFFD
    texts = "\n".join([graph_name, *names, *(d["type"] + d["label"] for d in g.node_data.values())])
    forbidden = _XML_FORBIDDEN.search(texts) is not None
    replaced = "\ufffd" in texts

    def clean(text: str) -> str:
        nonlocal replaced
        if forbidden and _XML_FORBIDDEN.search(text) is not None:
            text = _XML_FORBIDDEN.sub("\ufffd", text)
            replaced = True
        return text

    tail = f"{_data(0, graph_name)[2:]}  </graph>\n</graphml>\n"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(6).hex()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with no_cycle_collection(), tmp.open("w", encoding="utf-8", newline="") as fh:
                fh.write(clean(_GRAPHML_HEAD))
                items = list(g.node_data.items())
                for start in range(0, len(items), _CHUNK):
                    fh.write(clean("".join(map(_node, items[start : start + _CHUNK]))))
                fh.write(clean(tail))
            check_well_formed(tmp, "graphml")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise SotegraphError(f"cannot write {path}: {exc}") from exc
    if not replaced:
        return 0
    from sotegraph.export import xml_forbidden

    return xml_forbidden(g)


def _holds_replacement(path: Path) -> bool:
    """Whether the file holds U+FFFD, which an XML export writes for a forbidden character."""
    with path.open("rb") as fh:
        return "\ufffd".encode() in fh.read()


def write_network(
    g: Any, output: Path, fmt: ExportFormat | None, *, title: str
) -> tuple[list[Path], int]:
    """Export ``g`` (:func:`~sotegraph.export.export_graph`); the files written and how many
    names or values had characters XML 1.0 forbids replaced (0 for the other formats).

    Raises
    ------
    SotegraphError
        If the suffix names no format, or the export fails.
    """
    from sotegraph.export import ExportFormat, export_graph, xml_forbidden

    xml = (fmt or ExportFormat.from_path(output)) in (ExportFormat.GRAPHML, ExportFormat.GEXF)
    written = export_graph(g, output, format=fmt, title=title)
    # only a file that holds U+FFFD can have had characters replaced: count them then
    replaced = xml_forbidden(g) if xml and _holds_replacement(written[0]) else 0
    return written, replaced


def report_written(g: Any, written: list[Path], replaced: int, kind: str) -> None:
    """Say on standard error what was written (and warn of replaced characters)."""
    from sotegraph.cli._options import _console

    console = _console()
    if replaced:
        console.print(
            f"[yellow]warning:[/yellow] {replaced} names or values hold characters XML 1.0 "
            "forbids (control characters); written as U+FFFD (the JSON, CSV and RDF exports "
            "keep them)"
        )
    for path in written:
        console.print(
            f"wrote {path}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges ({kind})"
        )

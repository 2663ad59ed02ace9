"""Every export format: networks for Gephi, Cytoscape and a browser, and the graph as RDF.

Network formats (:class:`ExportFormat`, :func:`export_graph`): GraphML and GEXF (Gephi,
Cytoscape desktop), Cytoscape.js JSON, networkx node-link JSON, CSV node and edge lists, and a
self-contained interactive HTML view whose JavaScript (sigma.js and graphology, vendored in
``sotegraph/view/``) is inlined, so the file opens offline from the file system and fetches
nothing.

RDF formats (:class:`RdfFormat`, :func:`export_rdf`): TriG, N-Quads and JSON-LD keep the named
graphs (one per document; JSON-LD as one ``@graph`` object each); Turtle and N-Triples write
their union.

GraphML and GEXF are XML, which cannot hold control characters other than tab, line feed and
carriage return (nor U+FFFE, U+FFFF, lone surrogates): those are written as U+FFFD, and
``sotegraph network`` says how many it replaced. JSON, CSV and RDF keep them (only a lone
surrogate, which UTF-8 cannot hold, becomes U+FFFD everywhere). A written GraphML or GEXF file
is read back by an XML parser before it takes its name; every file is renamed into place only
when complete. GraphML is written element by element from templates made once per set of
attribute names and types: byte for byte the document ``networkx.write_graphml`` writes of the
sanitised graph, without building an element tree or a copy of the graph. Besides networkx
graphs, :func:`export_graph` takes the :class:`~sotegraph.network.PlainGraph` of
:func:`~sotegraph.network.coparticipation_network`.

Every CSV sotegraph writes (node and edge lists here, ``query`` and ``overlap`` with
``--format csv``) goes through :func:`csv_cell`: a cell a spreadsheet would run as a formula
gets a leading apostrophe (OWASP's rule), while JSON and RDF keep the value untouched.

GraphML and GEXF need one type per attribute and no missing values written as ``None``:
:func:`sanitise` turns lists into ``"; "``-joined strings, drops ``None`` values and gives
every attribute a single type (``int`` → ``float`` when mixed, else ``str``).

The graphs come from :mod:`sotegraph.network`, which never selects personal data; these
functions also refuse nodes typed ``person`` unless asked to keep them.

Examples
--------
>>> import networkx as nx, tempfile, pathlib
>>> g = nx.Graph()
>>> g.add_node("a", type="organisation", label="Alfa Oy", region=["Kainuu"], funding=None)
>>> g.add_node("b", type="organisation", label="Beeta ry", region=[])
>>> g.add_edge("a", "b", weight=2, shared=["P1", "P2"])
>>> out = pathlib.Path(tempfile.mkdtemp()) / "net.graphml"
>>> [p.name for p in export_graph(g, out)]
['net.graphml']
>>> back = nx.read_graphml(out)
>>> back.nodes["a"]["region"], back.edges["a", "b"]["shared"]
('Kainuu', 'P1; P2')
"""

from __future__ import annotations

import contextlib
import csv
import enum
import html
import json
import math
import os
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources as _ir
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from rdflib import Dataset, Graph, URIRef

from sotegraph._gc import no_cycle_collection
from sotegraph._xml import GRAPHML_HEAD, check_well_formed
from sotegraph.errors import SotegraphError, UnsupportedFormatError
from sotegraph.namespaces import PREFIXES

if TYPE_CHECKING:  # networkx is imported when a network is written (CLI start-up)
    import networkx as nx

    from sotegraph.network.plain import PlainGraph
    from sotegraph.store import Store

__all__ = [
    "REPLACEMENT",
    "ExportFormat",
    "RdfFormat",
    "csv_cell",
    "cytoscape_json",
    "export_graph",
    "export_rdf",
    "html_view",
    "node_link_json",
    "sanitise",
    "write_csv",
    "xml_forbidden",
    "xml_text",
]

LIST_SEPARATOR = "; "
_PERSONAL_TYPES = {"person"}
_PERSONAL_KEYS = {"email", "telephone", "phone", "contact_person", "person_name"}


class ExportFormat(enum.StrEnum):
    """Network file formats."""

    GRAPHML = "graphml"
    GEXF = "gexf"
    CYJS = "cyjs"
    """Cytoscape.js elements JSON (also opens in Cytoscape desktop)."""
    JSON = "json"
    """networkx node-link JSON."""
    CSV = "csv"
    """Two files: ``<stem>_nodes.csv`` and ``<stem>_edges.csv``."""
    HTML = "html"
    """Self-contained interactive view."""

    @classmethod
    def from_path(cls, path: str | Path) -> ExportFormat:
        """The format a file suffix names (``.graphml``, ``.gexf``, ``.cyjs``, ``.json``,
        ``.csv``, ``.html``).

        Raises
        ------
        UnsupportedFormatError
            If the suffix names none of them.
        """
        suffix = Path(path).suffix.lower().lstrip(".")
        aliases = {"htm": "html", "xml": "graphml"}
        try:
            return cls(aliases.get(suffix, suffix))
        except ValueError:
            valid = ", ".join(f".{f.value}" for f in cls)
            raise UnsupportedFormatError(
                f"cannot tell the network format from {Path(path).name!r}; use one of {valid}"
            ) from None

    @classmethod
    def parse(cls, value: str | ExportFormat) -> ExportFormat:
        """Parse a format name (case-insensitive).

        Raises
        ------
        UnsupportedFormatError
            If the name is not one of the formats (the message lists them).
        """
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            valid = ", ".join(f.value for f in cls)
            raise UnsupportedFormatError(
                f"unknown network format {value!r}; valid: {valid}"
            ) from None


# --------------------------------------------------------------------------------------
# Attribute hygiene
# --------------------------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(map(str, value)) if isinstance(value, set | frozenset) else value
        return LIST_SEPARATOR.join(str(v) for v in items)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _unify(records: list[dict[str, Any]]) -> None:
    """Give each attribute one type across all records (in place)."""
    kinds: dict[str, set[type]] = {}
    for rec in records:
        for k, v in rec.items():
            kinds.setdefault(k, set()).add(type(v))
    for key, types in kinds.items():
        if len(types) <= 1:
            continue
        if types <= {int, float}:
            target: type = float
        else:
            target = str
        for rec in records:
            if key in rec:
                v = rec[key]
                rec[key] = (
                    float(v)
                    if target is float
                    else (str(v).lower() if isinstance(v, bool) else str(v))
                )


def _flat(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` with flat, single-typed attributes (lists joined, ``None`` dropped)."""
    import networkx as nx

    out = nx.Graph(name=str(g.graph.get("name", "sotegraph")))
    node_records: list[dict[str, Any]] = []
    nodes = list(g.nodes(data=True))
    for _, data in nodes:
        node_records.append({k: _scalar(v) for k, v in data.items() if v is not None})
    _unify(node_records)
    for (n, _), rec in zip(nodes, node_records, strict=True):
        out.add_node(n, **rec)
    edges = list(g.edges(data=True))
    edge_records = [{k: _scalar(v) for k, v in d.items() if v is not None} for _, _, d in edges]
    _unify(edge_records)
    for (u, v, _), rec in zip(edges, edge_records, strict=True):
        out.add_edge(u, v, **rec)
    return out


#: characters XML 1.0 forbids: C0 controls other than tab, line feed and carriage return,
#: U+FFFE, U+FFFF and surrogate code points (in a Python ``str`` a surrogate is always lone)
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
"""What :func:`xml_text` writes for a character XML 1.0 forbids (U+FFFD REPLACEMENT CHARACTER)."""


def xml_text(value: str) -> str:
    r"""``value`` with every character XML 1.0 forbids replaced by U+FFFD.

    XML 1.0 has no way to write U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF
    or a lone surrogate, not even as a character reference, so a GraphML or GEXF file holding
    one is no XML file at all. Tab, line feed and carriage return are kept.

    Examples
    --------
    >>> xml_text("Alfa\x01 Oy\tKoe\ufffe") == "Alfa\ufffd Oy\tKoe\ufffd"
    True
    """
    return _XML_FORBIDDEN.sub(REPLACEMENT, value)


def xml_forbidden(g: nx.Graph | PlainGraph) -> int:
    r"""How many node names, attribute names and values of ``g`` hold a character XML 1.0
    forbids (:func:`xml_text`); GraphML and GEXF exports write each such character as U+FFFD.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_node("a", label="Alfa\x02 Oy", region=["Kai\x1fnuu"]); g.add_node("b")
    >>> xml_forbidden(g)
    2
    """

    if not _may_hold_forbidden(g):
        return 0

    def bad(value: Any) -> bool:
        if isinstance(value, list | tuple | set | frozenset):
            return any(bad(v) for v in value)
        return isinstance(value, str) and _XML_FORBIDDEN.search(value) is not None

    count = int(bad(g.graph.get("name")))
    for n, d in g.nodes(data=True):
        count += bad(n) + sum(bad(k) + bad(v) for k, v in d.items())
    for _, _, d in g.edges(data=True):
        count += sum(bad(k) + bad(v) for k, v in d.items())
    return count


def _may_hold_forbidden(g: nx.Graph | PlainGraph) -> bool:
    """``False`` when no name or value of ``g`` holds a character XML 1.0 forbids (one search
    over all its text; ``True`` also when a value is not a plain ``str``, number or bool)."""
    plain = _GRAPHML_TYPES.keys()
    parts = [str(g.graph.get("name"))]
    for n, d in g.nodes(data=True):
        if not plain >= set(map(type, d.values())):
            return True
        parts.append(str(n))
        parts.extend(map(str, d))
        parts.extend(map(str, d.values()))
    for _, _, d in g.edges(data=True):
        if not plain >= set(map(type, d.values())):
            return True
        parts.extend(map(str, d))
        parts.extend(map(str, d.values()))
    return _XML_FORBIDDEN.search("\n".join(parts)) is not None


def _xml_safe(g: nx.Graph) -> nx.Graph:
    """A copy of the flat graph ``g`` with :func:`xml_text` applied to every name and text."""
    import networkx as nx

    def clean(value: Any) -> Any:
        return xml_text(value) if isinstance(value, str) else value

    ids: dict[Any, Any] = {n: clean(n) for n in g.nodes}
    if len(set(ids.values())) < len(ids):
        raise SotegraphError(
            "two node names differ only in characters XML 1.0 forbids; GraphML and GEXF "
            "cannot hold them apart (write JSON or CSV instead)"
        )
    out = nx.Graph(name=clean(g.graph.get("name", "sotegraph")))
    for n, d in g.nodes(data=True):
        out.add_node(ids[n], **{clean(k): clean(v) for k, v in d.items()})
    for u, v, d in g.edges(data=True):
        out.add_edge(ids[u], ids[v], **{clean(k): clean(x) for k, x in d.items()})
    return out


def sanitise(g: nx.Graph, *, include_personal_data: bool = False) -> nx.Graph:
    r"""A copy of ``g`` whose attributes GraphML and GEXF can hold.

    Lists become ``"; "``-joined strings, ``None`` values are dropped, each attribute gets
    one type, graph-level attributes other than ``name`` are dropped, and every character
    XML 1.0 forbids (control characters other than tab, line feed and carriage return;
    U+FFFE, U+FFFF, lone surrogates) becomes U+FFFD (:func:`xml_text`; count them with
    :func:`xml_forbidden`).

    Raises
    ------
    SotegraphError
        If the graph holds personal data (a node of type ``person`` or a contact attribute)
        and ``include_personal_data`` is false, or two node names differ only in characters
        XML forbids.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_node(1, x=[1, 2], y=None, z=1); g.add_node(2, z=2.5)
    >>> dict(sanitise(g).nodes(data=True))
    {1: {'x': '1; 2', 'z': 1.0}, 2: {'z': 2.5}}
    >>> g.add_node(3, label="a\x00b"); sanitise(g).nodes[3]["label"] == "a\ufffdb"
    True
    """
    _check_personal(g, include_personal_data=include_personal_data)
    return _xml_safe(_flat(g))


def _check_personal(g: nx.Graph | PlainGraph, *, include_personal_data: bool) -> None:
    if include_personal_data:
        return
    for n, d in g.nodes(data=True):
        if str(d.get("type", "")).lower() in _PERSONAL_TYPES or not _PERSONAL_KEYS.isdisjoint(d):
            raise SotegraphError(
                f"node {n!r} holds personal data; pass include_personal_data=True to export it"
            )


# --------------------------------------------------------------------------------------
# JSON forms
# --------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_jsonable(v) for v in items]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity (JSON.parse would reject the file)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def cytoscape_json(g: nx.Graph, *, include_personal_data: bool = False) -> dict[str, Any]:
    """The graph as Cytoscape.js elements: ``{"data": …, "elements": {"nodes", "edges"}}``.

    Node data has ``id`` and ``label`` (the IRI's tail when there is no label); edge data has
    ``id``, ``source`` and ``target``. Lists stay lists, ``None`` values are dropped.

    Raises
    ------
    SotegraphError
        If the graph holds personal data and ``include_personal_data`` is false.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_edge("a", "b", weight=1)
    >>> cytoscape_json(g)["elements"]["edges"][0]["data"]
    {'id': 'e0', 'source': 'a', 'target': 'b', 'weight': 1}
    """
    _check_personal(g, include_personal_data=include_personal_data)
    nodes = []
    for n, d in g.nodes(data=True):
        data = {"id": str(n), "label": str(d.get("label") or str(n).rstrip("/").rsplit("/", 1)[-1])}
        data.update({k: _jsonable(v) for k, v in d.items() if v is not None and k not in data})
        nodes.append({"data": data})
    edges = []
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        data = {"id": f"e{i}", "source": str(u), "target": str(v)}
        data.update({k: _jsonable(x) for k, x in d.items() if x is not None and k not in data})
        edges.append({"data": data})
    return {
        "format_version": "1.0",
        "generated_by": "sotegraph",
        "data": {"name": str(g.graph.get("name", "sotegraph"))},
        "elements": {"nodes": nodes, "edges": edges},
    }


def node_link_json(g: nx.Graph, *, include_personal_data: bool = False) -> dict[str, Any]:
    """The graph as networkx node-link data (``nx.node_link_graph`` reads it back).

    Raises
    ------
    SotegraphError
        If the graph holds personal data and ``include_personal_data`` is false.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_edge("a", "b", weight=1)
    >>> sorted(nx.node_link_graph(node_link_json(g), edges="links").edges)
    [('a', 'b')]
    """
    import networkx as nx

    _check_personal(g, include_personal_data=include_personal_data)
    clean = nx.Graph(name=str(g.graph.get("name", "sotegraph")))
    for n, d in g.nodes(data=True):
        clean.add_node(str(n), **{k: _jsonable(v) for k, v in d.items() if v is not None})
    for u, v, d in g.edges(data=True):
        clean.add_edge(str(u), str(v), **{k: _jsonable(x) for k, x in d.items() if x is not None})
    data: dict[str, Any] = nx.node_link_data(clean, edges="links")
    return data


# --------------------------------------------------------------------------------------
# HTML view
# --------------------------------------------------------------------------------------


def _view_asset(name: str) -> str:
    return _ir.files("sotegraph").joinpath("view", name).read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</``, no ``<!--``, no line separators)."""
    text = _json_text(value, indent=None)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _json_text(value: Any, *, indent: int | None = 1) -> str:
    """Strict JSON (no NaN) that UTF-8 can hold: a lone surrogate becomes U+FFFD.

    Control characters stay as they are (JSON escapes them, ``\\u0001``)."""
    separators = (",", ":") if indent is None else None
    try:
        text = json.dumps(
            value, ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
        )
    except ValueError as exc:  # NaN or infinity the caller did not convert
        raise SotegraphError(f"cannot write the graph as JSON: {exc}") from exc
    return _SURROGATE.sub(REPLACEMENT, text)


def html_view(
    g: nx.Graph, *, title: str = "sotegraph network", include_personal_data: bool = False
) -> str:
    """A self-contained interactive HTML page showing ``g``, drawn with WebGL.

    sigma.js and graphology are inlined (vendored in ``sotegraph/view/``), and so is the graph,
    in the compact column-wise form of :func:`sotegraph.view.view_payload` with positions
    computed beforehand (:func:`sotegraph.view.layout_positions`): the page draws at once, also
    for tens of thousands of nodes. Nodes are coloured by ``type`` and sized by degree; names
    show on zoom and hover (a long one is shortened on the canvas only at a word boundary and
    never into the start of another name); the page has search by name, filters by type,
    region, wellbeing county, theme, year, programme period and sote relevance (each shown
    only when the graph has that attribute), a details panel with the node's attributes and
    source documents, and a legend. A Content-Security-Policy forbids any request: nothing
    is fetched from the network.

    Raises
    ------
    SotegraphError
        If the graph holds personal data and ``include_personal_data`` is false.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_node("a", type="project", label="Koe </script>")
    >>> page = html_view(g, title="Koe")
    >>> page.count("</script>") == page.count("<script")
    True
    >>> "https://" in page.split("<script", 1)[0]
    False
    """
    from sotegraph.view import view_payload

    _check_personal(g, include_personal_data=include_personal_data)
    payload = view_payload(g, title=title)
    template = _view_asset("view.html")
    parts = {
        "/*{{GRAPHOLOGY}}*/": _view_script("graphology.umd.min.js"),
        "/*{{SIGMA}}*/": _view_script("sigma.min.js"),
        "/*{{APP}}*/": _view_script("view.js"),
        "{{DATA}}": _script_json(payload),
        "{{TITLE}}": html.escape(title),
    }
    # one pass, so that no inserted text is searched for the next placeholder
    pattern = re.compile("|".join(re.escape(k) for k in parts))
    return pattern.sub(lambda m: parts[m.group(0)], template)


def _view_script(name: str) -> str:
    """A vendored script, safe to inline in a ``<script>`` element."""
    return re.sub(r"</(script)", r"<\\/\1", _view_asset(name), flags=re.IGNORECASE)


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    r"""A value made safe for a CSV cell that a spreadsheet may open.

    Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return: OWASP's list) gets a leading apostrophe, so it shows as
    written and runs nothing. Every CSV sotegraph writes goes through here (network node and
    edge lists, ``query --format csv``, ``overlap --format csv``); the JSON and RDF outputs
    keep the value untouched.

    One exception, the same in every column: a cell that is exactly one decimal number
    (``-744.5``, ``+3``, ``1e5``) is left as it is, whether it is an amount sotegraph computed
    or a name in the input. A spreadsheet reads it as that number and runs nothing, so the
    amount columns stay numeric; anything more (``-2+3``, ``-1 Oy``) is prefixed.
    Lone surrogates, which UTF-8 cannot hold, become U+FFFD.

    Examples
    --------
    >>> [csv_cell(v) for v in ("=HYPERLINK(1)", "@SUM(A1)", "-2+3+cmd", "-744.5", 12, "Oulu")]
    ["'=HYPERLINK(1)", "'@SUM(A1)", "'-2+3+cmd", '-744.5', 12, 'Oulu']
    >>> csv_cell("\tSUM(1)"), csv_cell("-1 Oy")
    ("'\tSUM(1)", "'-1 Oy")
    """
    if not isinstance(value, str):
        return value
    value = _SURROGATE.sub(REPLACEMENT, value)
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(fh: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``header`` and ``rows`` as CSV to ``fh``, every cell through :func:`csv_cell`.

    ``None`` is written as an empty cell. Open ``fh`` with ``newline=""``.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> write_csv(buf, ["name", "granted"], [["=1+1", -2.5], ["Alfa Oy", None]])
    >>> buf.getvalue().splitlines()
    ['name,granted', "'=1+1,-2.5", 'Alfa Oy,']
    """
    w = csv.writer(fh)
    w.writerow([csv_cell(h) for h in header])
    for row in rows:
        w.writerow(["" if x is None else csv_cell(x) for x in row])


def _csv_paths(path: Path) -> tuple[Path, Path]:
    stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
    return stem.with_name(stem.name + "_nodes.csv"), stem.with_name(stem.name + "_edges.csv")


def _write_csv(g: nx.Graph, path: Path) -> list[Path]:
    clean = _flat(g)  # control characters stay: CSV holds them (quoted)
    nodes_path, edges_path = _csv_paths(path)
    node_keys = sorted({k for _, d in clean.nodes(data=True) for k in d})
    edge_keys = sorted({k for _, _, d in clean.edges(data=True) for k in d})
    with _replacing(nodes_path) as tmp, tmp.open("w", newline="", encoding="utf-8") as fh:
        write_csv(
            fh,
            ["id", *node_keys],
            ([n, *(d.get(k) for k in node_keys)] for n, d in clean.nodes(data=True)),
        )
    with _replacing(edges_path) as tmp, tmp.open("w", newline="", encoding="utf-8") as fh:
        write_csv(
            fh,
            ["source", "target", *edge_keys],
            ([u, v, *(d.get(k) for k in edge_keys)] for u, v, d in clean.edges(data=True)),
        )
    return [nodes_path, edges_path]


@contextlib.contextmanager
def _replacing(path: Path, *, suffix: str = ".part") -> Iterator[Path]:
    """A path beside ``path`` for the block to write; it replaces ``path`` when the block
    ends without error.

    A reader never sees a half-written file, and a file that fails its check after writing
    is never left under the name asked for. The block creates the file itself, so it gets
    the usual permissions (the umask), not a temporary file's owner-only ones.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}{suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _keep_carriage_returns(path: Path) -> None:
    """Write each carriage return of an XML file as ``&#13;``.

    ElementTree writes a carriage return inside element text as it is, and every XML parser
    reads it back as a line feed (XML's end-of-line rule); as a character reference it
    survives. Attribute values are escaped by ElementTree already, and its own line ends are
    line feeds, so a raw CR byte can only be such text.
    """
    data = path.read_bytes()
    if b"\r" in data:
        path.write_bytes(data.replace(b"\r", b"&#13;"))


def _check_xml(path: Path, fmt: ExportFormat) -> None:
    """Parse the written file with expat (:func:`sotegraph._xml.check_well_formed`)."""
    check_well_formed(path, fmt.value)


# --------------------------------------------------------------------------------------
# GraphML
# --------------------------------------------------------------------------------------

# GraphML's names of the Python types (as networkx writes them: an int is a "long")
_GRAPHML_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string"}
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#13;",
        "\n": "&#10;",
        "\t": "&#09;",
    }
)
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t]')
_CHUNK = 4096  # nodes or edges per write


def _escaped(texts: list[str], table: dict[int, str], special: re.Pattern[str]) -> list[str]:
    """``texts`` with ``table``'s escapes (the same list when none holds a special character)."""
    if special.search("".join(texts)) is None:
        return texts
    return [t.translate(table) for t in texts]


def _graphml_type(kind: type) -> str:
    """The ``attr.type`` of a flat value's type (a numpy scalar by networkx's name for it)."""
    name = _GRAPHML_TYPES.get(kind)
    if name is not None:
        return name
    if kind.__module__ == "numpy":
        return "float" if issubclass(kind, float) else "int"
    for base, base_name in _GRAPHML_TYPES.items():  # a subclass, e.g. a StrEnum member
        if issubclass(kind, base):
            return base_name
    return "string"


Signature: TypeAlias = tuple[tuple[Any, ...], tuple[type, ...]]


def _flat_data(items: list[Mapping[Any, Any]]) -> tuple[list[Mapping[Any, Any]], list[Signature]]:
    """The attribute dicts as :func:`_flat` makes them (lists joined, ``None`` dropped, one
    type per attribute, names cleaned by :func:`xml_text`) and each one's signature (its
    names and value types). Dicts that are flat already are used as they are."""
    plain = _GRAPHML_TYPES.keys()
    sigs = [(tuple(d), tuple(map(type, d.values()))) for d in items]
    out = list(items)
    odd = {s for s in set(sigs) if not plain >= set(s[1])}
    if odd:  # lists, None or other values: as _flat makes them
        for i, s in enumerate(sigs):
            if s in odd:
                rec = {
                    k: v if type(v) in plain else _scalar(v)
                    for k, v in out[i].items()
                    if v is not None
                }
                out[i] = rec
                sigs[i] = (tuple(rec), tuple(map(type, rec.values())))
    kinds: dict[Any, set[type]] = {}
    for names, types in set(sigs):
        for k, t in zip(names, types, strict=True):
            kinds.setdefault(k, set()).add(t)
    mixed = any(len(ts) > 1 for ts in kinds.values())
    unclean = any(isinstance(k, str) and _XML_FORBIDDEN.search(k) for k in kinds)
    if mixed or unclean:  # copies: one type per attribute, names without forbidden characters
        records = [dict(d) for d in out]
        _unify(records)
        out = [
            {(xml_text(k) if isinstance(k, str) else k): v for k, v in d.items()} for d in records
        ]
        sigs = [(tuple(d), tuple(map(type, d.values()))) for d in out]
    return out, sigs


def _graphml_elements(
    scope: str,
    heads: list[str],
    items: list[Mapping[Any, Any]],
    keys: dict[tuple[str, str, str], str],
    indent: str,
) -> list[str]:
    """Each element's text (``heads[i]`` opens it; its data elements follow), keys added to
    ``keys`` in the order first used (as networkx numbers them)."""
    records, sigs = _flat_data(items)
    templates: dict[Signature, str] = {}
    inner = indent + "  "
    tag = heads[0].split(" ", 1)[0] if heads else ""
    for sig in sigs:
        if sig in templates:
            continue
        names, types = sig
        lines = []
        for k, t in zip(names, types, strict=True):
            ident = (str(k), _graphml_type(t), scope)
            kid = keys.get(ident)
            if kid is None:
                kid = keys[ident] = f"d{len(keys)}"
            lines.append(f'{inner}<data key="{kid}">%s</data>\n')
        templates[sig] = "".join(lines)
    out: list[str] = []
    append = out.append
    values = [tuple(map(str, rec.values())) for rec in records]  # numbers need no escape
    escape = _TEXT_SPECIAL.search("".join(map("".join, values))) is not None
    for head, rec, sig, texts in zip(heads, records, sigs, values, strict=True):
        if not rec:
            append(f"{indent}<{head} />\n")
            continue
        if escape and _TEXT_SPECIAL.search("".join(texts)) is not None:
            texts = tuple(t.translate(_TEXT_ESCAPES) for t in texts)
        if "" in texts:  # an empty value is an empty element
            body = "".join(
                (line % text) if text else line.replace(">%s</data>", " />")
                for line, text in zip(templates[sig].splitlines(keepends=True), texts, strict=True)
            )
        else:
            body = templates[sig] % texts
        append(f"{indent}<{head}>\n{body}{indent}</{tag or head}>\n")
    return out


def _write_graphml(g: nx.Graph | PlainGraph, path: Path) -> None:
    """Write ``g`` as GraphML, as ``nx.write_graphml(sanitise(g))`` writes it, node by node.

    The same document byte for byte (keys ``d0``, ``d1``, … numbered in the order first used
    and listed last first, the same types, indentation and escapes), with every carriage
    return as ``&#13;`` (:func:`_keep_carriage_returns`) and every character XML 1.0 forbids
    as U+FFFD (:func:`xml_text`), without an element tree or a copy of the graph: each
    element is filled into a template made once per set of attribute names and types.

    Raises
    ------
    SotegraphError
        If two node names differ only in characters XML 1.0 forbids.
    """
    nodes = g.nodes(data=True)
    edges = g.edges(data=True)
    with no_cycle_collection():
        _write_graphml_items(g, nodes, edges, path)


def _write_graphml_items(
    g: nx.Graph | PlainGraph, nodes: Sequence[Any], edges: Sequence[Any], path: Path
) -> None:
    names = [str(n) for n, _ in nodes]
    if _XML_FORBIDDEN.search("\n".join(names)) is not None:
        cleaned = {xml_text(n) if isinstance(n, str) else n for n, _ in nodes}
        if len(cleaned) < len(nodes):
            raise SotegraphError(
                "two node names differ only in characters XML 1.0 forbids; GraphML and GEXF "
                "cannot hold them apart (write JSON or CSV instead)"
            )
    keys: dict[tuple[str, str, str], str] = {}
    graph_name = str(g.graph.get("name", "sotegraph"))
    [graph_element] = _graphml_elements("graph", ["graph"], [{"name": graph_name}], keys, "  ")
    ids = _escaped(names, _ATTR_ESCAPES, _ATTR_SPECIAL)
    node_text = _graphml_elements(
        "node", [f'node id="{n}"' for n in ids], [d for _, d in nodes], keys, "    "
    )
    sources = _escaped([str(u) for u, _, _ in edges], _ATTR_ESCAPES, _ATTR_SPECIAL)
    targets = _escaped([str(v) for _, v, _ in edges], _ATTR_ESCAPES, _ATTR_SPECIAL)
    edge_text = _graphml_elements(
        "edge",
        [f'edge source="{u}" target="{v}"' for u, v in zip(sources, targets, strict=True)],
        [d for _, _, d in edges],
        keys,
        "    ",
    )

    def clean(text: str) -> str:
        return text if _XML_FORBIDDEN.search(text) is None else xml_text(text)

    with path.open("w", encoding="utf-8", newline="") as fh:
        head = [GRAPHML_HEAD]
        for (name, type_name, scope), kid in reversed(keys.items()):
            head.append(
                f'  <key id="{kid}" for="{scope}" attr.name="{name.translate(_ATTR_ESCAPES)}" '
                f'attr.type="{type_name}" />\n'
            )
        head.append('  <graph edgedefault="undirected">\n')
        fh.write(clean("".join(head)))
        for part in (node_text, edge_text):
            for start in range(0, len(part), _CHUNK):
                fh.write(clean("".join(part[start : start + _CHUNK])))
        # the graph's own data and its end (after the head the element was made with)
        fh.write(clean(graph_element.split("\n", 1)[1] + "</graphml>\n"))


def export_graph(
    g: nx.Graph | PlainGraph,
    path: str | Path,
    *,
    format: ExportFormat | str | None = None,
    title: str = "sotegraph network",
    include_personal_data: bool = False,
) -> list[Path]:
    """Write ``g`` to ``path`` in ``format`` (by default the one the suffix names).

    Every file is written beside its target and renamed into place only when complete: a
    GraphML or GEXF file only after an XML parser has read it whole, so no reader ever gets
    an unreadable file. GraphML and GEXF write each character XML 1.0 forbids as U+FFFD
    (:func:`sanitise`; :func:`xml_forbidden` counts them beforehand); JSON and the HTML view
    keep every value as it is (JSON escapes control characters); CSV cells that a
    spreadsheet would run are prefixed with an apostrophe (:func:`csv_cell`).

    Parameters
    ----------
    g:
        A graph from :mod:`sotegraph.network` (or any networkx graph), or a
        :class:`~sotegraph.network.PlainGraph`.
    path:
        The file to write; for CSV, ``<stem>_nodes.csv`` and ``<stem>_edges.csv`` beside it.
    format:
        An :class:`ExportFormat` or its name; ``None`` = from the suffix.
    title:
        Title of the HTML view.
    include_personal_data:
        Allow person nodes and contact attributes (off by default).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    UnsupportedFormatError
        If the format is unknown.
    SotegraphError
        If the graph holds personal data and ``include_personal_data`` is false, the file
        cannot be written, or (a bug) the written GraphML or GEXF does not parse.
    """
    p = Path(path)
    fmt = ExportFormat.from_path(p) if format is None else ExportFormat.parse(format)
    _check_personal(g, include_personal_data=include_personal_data)
    if fmt is not ExportFormat.GRAPHML:
        from sotegraph.network.plain import PlainGraph

        if isinstance(g, PlainGraph):
            g = g.to_networkx()  # the other formats are written from networkx
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        if fmt is ExportFormat.CSV:
            return _write_csv(g, p)
        with _replacing(p) as tmp:
            if fmt is ExportFormat.GRAPHML:
                _write_graphml(g, tmp)
                _check_xml(tmp, fmt)
            elif fmt is ExportFormat.GEXF:
                import networkx as nx

                nx.write_gexf(sanitise(g, include_personal_data=include_personal_data), tmp)
                _keep_carriage_returns(tmp)
                _check_xml(tmp, fmt)
            elif fmt is ExportFormat.CYJS:
                _write_json(tmp, cytoscape_json(g, include_personal_data=include_personal_data))
            elif fmt is ExportFormat.JSON:
                _write_json(tmp, node_link_json(g, include_personal_data=include_personal_data))
            else:
                page = html_view(g, title=title, include_personal_data=include_personal_data)
                tmp.write_text(_SURROGATE.sub(REPLACEMENT, page), encoding="utf-8")
    except OSError as exc:
        raise SotegraphError(f"cannot write {p}: {exc}") from exc
    return [p]


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(_json_text(data), encoding="utf-8")


# --------------------------------------------------------------------------------------
# RDF
# --------------------------------------------------------------------------------------


class RdfFormat(enum.StrEnum):
    """RDF file formats of :func:`export_rdf`; the value is the file suffix without the dot."""

    TRIG = "trig"
    """TriG: keeps the named graphs (one per document)."""
    NQUADS = "nq"
    """N-Quads: keeps the named graphs."""
    TURTLE = "ttl"
    """Turtle: the union of the named graphs."""
    NTRIPLES = "nt"
    """N-Triples: the union of the named graphs."""
    JSONLD = "jsonld"
    """JSON-LD: keeps the named graphs (one ``{"@id": graph, "@graph": [...]}`` each)."""

    @property
    def suffix(self) -> str:
        """The file suffix, e.g. ``".trig"``."""
        return f".{self.value}"

    @property
    def keeps_graphs(self) -> bool:
        """Whether the format holds named graphs (TriG, N-Quads, JSON-LD) rather than their
        union (Turtle, N-Triples)."""
        return self in (RdfFormat.TRIG, RdfFormat.NQUADS, RdfFormat.JSONLD)

    @property
    def rdflib_name(self) -> str:
        """The rdflib serializer name (``"turtle"``, ``"nquads"``, ``"json-ld"``, …)."""
        return _RDFLIB_NAMES[self]

    @classmethod
    def from_path(cls, path: str | Path) -> RdfFormat:
        """The format a file suffix names (``.trig``, ``.nq``, ``.ttl``, ``.nt``, ``.jsonld``).

        Raises
        ------
        UnsupportedFormatError
            If the suffix names none of them.

        Examples
        --------
        >>> RdfFormat.from_path("seeds.TriG")
        <RdfFormat.TRIG: 'trig'>
        """
        suffix = Path(path).suffix.lower()
        try:
            return cls(suffix[1:])
        except ValueError:
            valid = ", ".join(f.suffix for f in cls)
            raise UnsupportedFormatError(f"cannot write {suffix!r}; use one of {valid}") from None

    @classmethod
    def parse(cls, value: str | RdfFormat) -> RdfFormat:
        """Parse a format name: a suffix (``"ttl"``, ``".nq"``) or an rdflib name (``"turtle"``).

        Raises
        ------
        UnsupportedFormatError
            If the name is not one of the formats (the message lists them).

        Examples
        --------
        >>> RdfFormat.parse("json-ld"), RdfFormat.parse(".nq")
        (<RdfFormat.JSONLD: 'jsonld'>, <RdfFormat.NQUADS: 'nq'>)
        """
        name = str(value).strip().lower().removeprefix(".")
        try:
            return cls(_RDF_ALIASES.get(name, name))
        except ValueError:
            valid = ", ".join(f.value for f in cls)
            raise UnsupportedFormatError(f"unknown RDF format {value!r}; valid: {valid}") from None


_RDFLIB_NAMES = {
    RdfFormat.TRIG: "trig",
    RdfFormat.NQUADS: "nquads",
    RdfFormat.TURTLE: "turtle",
    RdfFormat.NTRIPLES: "nt",
    RdfFormat.JSONLD: "json-ld",
}
_RDF_ALIASES = {name: fmt.value for fmt, name in _RDFLIB_NAMES.items()} | {
    "n-quads": "nq",
    "ntriples": "nt",
    "n-triples": "nt",
}


def export_rdf(
    source: Store | Dataset, path: str | Path, *, format: RdfFormat | str | None = None
) -> Path:
    """Write every named graph of ``source`` to ``path`` as RDF.

    TriG, N-Quads and JSON-LD keep the named graphs (one per document; JSON-LD writes one
    object with ``@id`` and ``@graph`` per named graph); Turtle and N-Triples write their
    union, with the sotegraph prefixes bound. An embedded Oxigraph store is written by
    Oxigraph's own serialisers (JSON-LD then with full IRIs, no ``@context``); an rdflib
    Dataset or a remote store through rdflib (JSON-LD with the sotegraph prefixes as its
    ``@context``).

    Parameters
    ----------
    source:
        A :class:`~sotegraph.store.Store` (its named graphs) or an rdflib Dataset (all its
        graphs).
    path:
        The file to write.
    format:
        An :class:`RdfFormat` or its name; ``None`` = from the suffix of ``path``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    UnsupportedFormatError
        If the format is unknown (or, without ``format``, the suffix names none).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sotegraph.store import open_store
    >>> from rdflib import Graph, URIRef
    >>> store = open_store()
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://e.org/s"), URIRef("https://e.org/p"), URIRef("https://e.org/o")))
    >>> store.replace_graph("https://e.org/doc1", g)
    >>> out = export_rdf(store, pathlib.Path(tempfile.mkdtemp()) / "all.nq")
    >>> out.read_text()
    '<https://e.org/s> <https://e.org/p> <https://e.org/o> <https://e.org/doc1> .\\n'
    """
    p = Path(path)
    fmt = RdfFormat.from_path(p) if format is None else RdfFormat.parse(format)
    if not isinstance(source, Dataset) and (fmt is RdfFormat.JSONLD or not fmt.keeps_graphs):
        raw = getattr(source, "raw", None)
        if raw is not None and _oxigraph_export(source, raw, p, fmt):
            return p
    if fmt is RdfFormat.JSONLD:
        _jsonld(source, p)
        return p
    graphs: Iterable[Graph]
    if isinstance(source, Dataset):
        if fmt.keeps_graphs:
            source.serialize(destination=str(p), format=fmt.rdflib_name, encoding="utf-8")
            return p
        graphs = source.graphs()
    else:
        if fmt.keeps_graphs:
            _dump(source, p, fmt)
            return p
        graphs = (source.graph(name) for name in source.graph_names())
    union = Graph()
    for prefix, ns in PREFIXES.items():
        union.bind(prefix, ns)
    for graph in graphs:
        for t in graph:
            union.add(t)
    union.serialize(destination=str(p), format=fmt.rdflib_name, encoding="utf-8")
    return p


def _oxigraph_export(store: Store, raw: Any, path: Path, fmt: RdfFormat) -> bool:
    """Write Turtle, N-Triples or JSON-LD of an embedded Oxigraph store with Oxigraph's own
    serialisers (seconds for a store where rdflib takes minutes); ``False`` for other formats.

    Only the graphs the store shows (:meth:`Store.graph_names`: committed documents and
    reference graphs) are written. Turtle and N-Triples get their union, each triple once;
    JSON-LD one object with ``@id`` and ``@graph`` per named graph (full IRIs, no
    ``@context``).
    """
    import pyoxigraph as ox

    formats = {
        RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
        RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
        RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
    }
    if fmt not in formats:
        return False
    names = [ox.NamedNode(name) for name in store.graph_names()]
    quads = (q for g in names for q in raw.quads_for_pattern(None, None, None, g))
    items: Iterable[Any]
    if fmt is RdfFormat.JSONLD:
        items = quads
    else:
        seen: dict[Any, None] = {}  # the union: each triple once, in store order
        for q in quads:
            seen.setdefault(ox.Triple(q.subject, q.predicate, q.object))
        items = seen
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    with _replacing(path) as tmp:
        ox.serialize(
            items,
            str(tmp),
            format=formats[fmt],
            prefixes=prefixes if fmt is RdfFormat.TURTLE else None,
        )
    return True


def _jsonld(source: Store | Dataset, path: Path) -> None:
    """JSON-LD with one ``@graph`` per named graph (rdflib writes a Dataset's contexts so).

    Triples of a Dataset's default graph stay in the default graph (top-level nodes).
    """
    if isinstance(source, Dataset):
        ds = source
    else:
        ds = Dataset()
        for name in source.graph_names():
            target = ds.graph(URIRef(name))
            for t in source.graph(name):
                target.add(t)
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    with _replacing(path) as tmp:
        ds.serialize(destination=str(tmp), format="json-ld", context=context, encoding="utf-8")


def _dump(store: Store, path: Path, fmt: RdfFormat) -> None:
    """``store.dump`` (which reads the format from the suffix) to a path of any suffix."""
    if path.suffix.lower() == fmt.suffix:
        store.dump(path)
        return
    with _replacing(path, suffix=fmt.suffix) as tmp:
        store.dump(tmp)

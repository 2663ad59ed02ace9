"""Read RDF files as they are: a Graph for a triples file, a Dataset for a quads file.

A quads file (``.trig``, ``.nq``, ``.jsonld``) keeps one named graph per source document, as
:func:`sotegraph.export.export_rdf` writes them; a triples file (``.ttl``, ``.nt``, ``.n3``,
``.rdf``, ``.owl``) is one graph. Writing RDF lives in :mod:`sotegraph.export`.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "one.nq"
>>> _ = path.write_text('<https://e.org/s> <https://e.org/p> "x" <https://e.org/g> .\\n')
>>> ds = load_rdf(path)
>>> [str(g.identifier) for g in ds.graphs() if len(g)]
['https://e.org/g']
>>> is_rdf_file(path), is_rdf_file("notes.txt")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph

from sotegraph.errors import InputError, UnsupportedFormatError

__all__ = ["QUAD_FORMATS", "RDF_FORMATS", "is_rdf_file", "load_rdf", "load_rdf_files"]

#: rdflib parser name of each RDF file suffix read as it is
RDF_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}
#: the parsers whose files hold named graphs (read into a Dataset)
QUAD_FORMATS = frozenset({"trig", "nquads", "json-ld"})


def is_rdf_file(path: str | Path) -> bool:
    """Whether the suffix of ``path`` names an RDF syntax (see :data:`RDF_FORMATS`)."""
    return Path(path).suffix.lower() in RDF_FORMATS


def load_rdf(path: str | Path) -> Graph | Dataset:
    """Parse an RDF file into a Graph (triples) or a Dataset (quads: one graph per document).

    Raises
    ------
    UnsupportedFormatError
        If the suffix names no RDF syntax.
    InputError
        If the file does not parse (the parser's message and the file are given).
    """
    p = Path(path)
    fmt = RDF_FORMATS.get(p.suffix.lower())
    if fmt is None:
        valid = ", ".join(RDF_FORMATS)
        raise UnsupportedFormatError(f"not an RDF file; use one of {valid}", file=p)
    try:
        if fmt in QUAD_FORMATS:
            ds = Dataset()
            ds.parse(p, format=fmt)
            return ds
        return Graph().parse(p, format=fmt)
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise InputError(
            f"not valid RDF ({type(exc).__name__}: {exc})", file=p, expected=f"{fmt} syntax"
        ) from exc


def load_rdf_files(
    paths: Iterable[str | Path],
) -> tuple[list[tuple[str, Graph | Dataset]], list[Path]]:
    """Parse the RDF files among ``paths``; return them by name and the other paths.

    The other paths (source texts, folders) are returned in order for the caller to build.
    The paths are taken in order, so the first missing or broken one is the one reported.

    Raises
    ------
    InputError
        If a path does not exist or an RDF file does not parse.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.ttl").write_text("<https://e.org/s> <https://e.org/p> 1 .")
    >>> _ = (folder / "b.txt").write_text("Hankkeen nimi: Koe")
    >>> graphs, texts = load_rdf_files([folder / "a.ttl", folder / "b.txt"])
    >>> [(pathlib.Path(n).name, len(g)) for n, g in graphs], [t.name for t in texts]
    ([('a.ttl', 1)], ['b.txt'])
    """
    graphs: list[tuple[str, Graph | Dataset]] = []
    others: list[Path] = []
    for path in map(Path, paths):
        if not path.exists():
            raise InputError("no such file or folder", file=path)
        if path.is_file() and is_rdf_file(path):
            graphs.append((str(path), load_rdf(path)))
        else:
            others.append(path)
    return graphs, others

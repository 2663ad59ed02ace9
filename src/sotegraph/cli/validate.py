"""``sotegraph validate``: check a stored graph, RDF files or source texts against the shapes.

Exit code 0 when the graph conforms (Warnings and Infos allowed), 1 when there is a
Violation, 2 on bad input (no such path or store, a file that does not parse).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rdflib import Dataset, Graph
from rdflib.namespace import RDF
from rich.console import Console

from sotegraph.cli import app
from sotegraph.errors import InputError, SotegraphError
from sotegraph.validate import ValidationReport, validate
from sotegraph.vocab import SG

console = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)

#: RDF files are parsed as they are; any other file is read as a source text and built
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
_QUAD_FORMATS = {"trig", "nquads", "json-ld"}


class Lang(StrEnum):
    """Language of the messages."""

    fi = "fi"
    en = "en"


class Format(StrEnum):
    """Output format."""

    text = "text"
    json = "json"
    ttl = "ttl"


def load_rdf(path: Path) -> Graph | Dataset:
    """Parse an RDF file into a Graph (triples) or a Dataset (quads: one graph per document).

    Raises
    ------
    InputError
        If the file does not parse (the parser's message and the file are given).
    """
    fmt = RDF_FORMATS[path.suffix.lower()]
    try:
        if fmt in _QUAD_FORMATS:
            ds = Dataset()
            ds.parse(path, format=fmt)
            return ds
        return Graph().parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise InputError(
            f"not valid RDF ({type(exc).__name__}: {exc})", file=path, expected=f"{fmt} syntax"
        ) from exc


def collect(
    paths: list[Path], store: Path | None, *, use_nlp: bool
) -> list[tuple[str, Graph | Dataset]]:
    """Return the graphs to validate: a store, RDF files, and a graph built from source texts.

    Raises
    ------
    InputError
        If a path does not exist or an RDF file does not parse.
    SotegraphError
        If the store cannot be opened or nothing could be built.
    """
    graphs: list[tuple[str, Graph | Dataset]] = []
    if store is not None:
        from sotegraph.builder import KnowledgeGraph

        kg = KnowledgeGraph.open(store, read_only=True)
        try:
            graphs.append((str(store), kg.dataset()))
        finally:
            kg.close()
    texts: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder", file=path)
        if path.is_file() and path.suffix.lower() in RDF_FORMATS:
            graphs.append((str(path), load_rdf(path)))
        else:
            texts.append(path)
    if texts:
        from sotegraph.builder import build

        kg = build(texts, use_nlp=use_nlp, validate=False)
        try:
            result = kg.last_build
            if result is not None and not (result.built or result.unchanged):
                raise SotegraphError("nothing readable in " + ", ".join(str(t) for t in texts))
            graphs.append((", ".join(str(t) for t in texts), kg.dataset()))
        finally:
            kg.close()
    return graphs


@app.command("validate")
def validate_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="RDF files (.ttl .trig .nq .nt .jsonld) to check as they are, or source texts "
            "and folders to build and check."
        ),
    ] = None,
    store: Annotated[
        Path | None, typer.Option("--store", help="Check the graph stored in this folder.")
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages.")] = Lang.fi,
    fmt: Annotated[
        Format, typer.Option("--format", help="text for people, json or ttl for machines.")
    ] = Format.text,
    no_nlp: Annotated[
        bool, typer.Option("--no-nlp", help="Build source texts without spaCy.")
    ] = False,
) -> None:
    """Validate against the SHACL shapes; results grouped by source document and severity.

    Exit code 0 when the graph conforms (Warnings allowed), 1 on Violations, 2 on bad input.
    """
    if not paths and store is None:
        console.print("error: give a --store folder or at least one path")
        raise typer.Exit(2)
    try:
        graphs = collect(list(paths or []), store, use_nlp=not no_nlp)
    except SotegraphError as exc:
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from exc
    report = ValidationReport(lang=lang.value)
    for name, graph in graphs:
        if not isinstance(graph, Dataset):
            documents = len(set(graph.subjects(RDF.type, SG.Document)))
            if documents > 1:
                console.print(
                    f"note: {name} holds {documents} source documents in one graph; the "
                    "per-document rules see them as one (write .trig or .nq to keep one "
                    "named graph per document)",
                    markup=False,
                )
        report.extend(validate(graph, lang=lang.value))
    if fmt is Format.json:
        out.print(report.to_json(), markup=False)
    elif fmt is Format.ttl:
        out.print(report.to_graph().serialize(format="turtle"), markup=False)
    else:
        out.print(report.render(lang=lang.value), markup=False)
    raise typer.Exit(0 if report.conforms else 1)

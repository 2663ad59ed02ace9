"""``sotegraph validate``: check a stored graph, RDF files or source texts against the shapes.

A store (``--store DIR`` or ``--endpoint URL``) is validated as a build validates what it
writes (:meth:`~sotegraph.builder.KnowledgeGraph.validate`): each document's graph on its
own with the per-document shapes, then the graph-wide shapes once over a view of the whole
store, never the whole store copied into memory; the findings are the build's.

Exit code 0 when the graph conforms (Warnings and Infos allowed), 1 when there is a
Violation, 2 on bad input (no such path or store, a file that does not parse, an endpoint
that cannot be used).
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
from sotegraph.cli._options import EndpointOpt, StoreOpt, fail, open_from_cli
from sotegraph.errors import SotegraphError
from sotegraph.vocab import SG

console = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)


class Lang(StrEnum):
    """Language of the messages."""

    fi = "fi"
    en = "en"


class Format(StrEnum):
    """Output format."""

    text = "text"
    json = "json"
    ttl = "ttl"


def _build(texts: list[Path], *, use_nlp: bool) -> Dataset:
    """The graph built in memory from source texts (not validated while built)."""
    from sotegraph.builder import build

    with build(texts, use_nlp=use_nlp, validate=False) as kg:
        result = kg.last_build
        if result is not None and not (result.built or result.unchanged):
            raise SotegraphError("nothing readable in " + ", ".join(str(t) for t in texts))
        return kg.dataset()


@app.command("validate")
def validate_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="RDF files (.ttl .trig .nq .nt .jsonld) to check as they are, or source texts "
            "and folders to build and check."
        ),
    ] = None,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages.")] = Lang.fi,
    fmt: Annotated[
        Format, typer.Option("--format", help="text for people, json or ttl for machines.")
    ] = Format.text,
    no_nlp: Annotated[
        bool, typer.Option("--no-nlp", help="Build source texts without spaCy.")
    ] = False,
) -> None:
    """Validate against the SHACL shapes; results grouped by source document and severity.

    A store (--store or --endpoint) is checked document by document as a build checks it.
    Exit code 0 when the graph conforms (Warnings allowed), 1 on Violations, 2 on bad input.
    """
    from sotegraph.builder import KnowledgeGraph
    from sotegraph.rdfio import load_rdf_files
    from sotegraph.validate import ValidationReport, validate

    if not paths and store is None and not endpoint:
        raise fail("give --store DIR, --endpoint URL or at least one path")
    report = ValidationReport(lang=lang.value)
    if store is not None or endpoint:
        # as the build validates: document by document, then the graph-wide shapes once
        with KnowledgeGraph(open_from_cli(store, endpoint, read_only=True, existing=True)) as kg:
            report.extend(kg.validate(lang=lang.value))
    graphs: list[tuple[str, Graph | Dataset]] = []
    try:
        files, texts = load_rdf_files(paths or [])
        graphs += files
        if texts:
            graphs.append((", ".join(str(t) for t in texts), _build(texts, use_nlp=not no_nlp)))
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
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
    report.sort()
    if fmt is Format.json:
        out.print(report.to_json(), markup=False)
    elif fmt is Format.ttl:
        out.print(report.to_graph().serialize(format="turtle"), markup=False)
    else:
        out.print(report.render(lang=lang.value), markup=False)
    raise typer.Exit(0 if report.conforms else 1)

"""``sotegraph similar``: the projects most like a text, a file or a project of the store.

Reads an existing store (``--store DIR`` or ``--endpoint URL``) or builds the graph in
memory from ``PATH...``, then calls :func:`sotegraph.network.similar_projects` and prints
each project found with why it is similar. Exit 0 with the ranking (also when nothing is
similar: a note says so on the standard error), 2 on usage errors (no store, an unknown
project, a text without words).
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sotegraph.cli import app
from sotegraph.cli._options import EndpointOpt, StoreOpt, fail, parse_weights
from sotegraph.cli.network import NoNlpOpt, RowFormat, open_source
from sotegraph.errors import SotegraphError

console = Console(stderr=True)
out = Console()


def _read_text(path: Path) -> str:
    from sotegraph.read import read_document

    try:
        return read_document(path).text
    except SotegraphError as exc:
        raise fail(str(exc)) from exc


def _rows(found: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "rank": rank,
            "score": round(s.score, 4),
            "project": s.project,
            "name": s.label,
            "code": s.code,
            **{k: round(v, 4) for k, v in s.components.items()},
            "terms": [[t, round(w, 4)] for t, w in s.terms],
            "shared": s.shared,
            "why": s.why(),
        }
        for rank, s in enumerate(found, 1)
    ]


@app.command()
def similar(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            help="The TEXT to compare with, then files and folders to build the graph from in "
            "memory (no --store); with --file or --project every argument is a PATH.",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Compare with the text of this file.")
    ] = None,
    project: Annotated[
        str | None,
        typer.Option("--project", help="Compare with this project of the store (IRI or code)."),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="How many projects to show.", min=1)] = 10,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            "--weight",
            help="Component weights, e.g. text=2,places=0 (text, partners, themes, groups, "
            "places, time).",
        ),
    ] = None,
    fmt: Annotated[RowFormat, typer.Option("--format", help="Output format.")] = RowFormat.TABLE,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    no_nlp: NoNlpOpt = False,
) -> None:
    """Rank the projects most similar to a TEXT, a --file or a --project, and say why.

    Text similarity compares the words (Voikko base forms) of names and summaries; a
    --project is also compared by shared partners, themes, groups, places and period.
    """
    from sotegraph.network import similarity_index

    words = list(args or [])
    given = sum(x is not None for x in (file, project)) + (
        1 if words and not (file or project) else 0
    )
    if given != 1:
        raise fail('give one of "TEXT", --file FILE or --project IRI_OR_CODE')
    text: str | None = None
    if file is not None:
        text = _read_text(file)
    elif project is None:
        text, words = words[0], words[1:]
    paths = [Path(w) for w in words] or None
    weights = parse_weights(weight, example="text=2,places=0")
    source = open_source(paths, store, endpoint, no_nlp=no_nlp)
    try:
        started = time.perf_counter()
        index = similarity_index(source, overlap=project is not None)
        built = time.perf_counter() - started
        if not index.text.projects:
            raise fail("the store holds no projects to compare with")
        found = index.similar(text=text, project=project, top=top, weights=weights)
    except SotegraphError as exc:
        raise fail(str(exc)) from exc
    finally:
        source.close()
    if not found:
        console.print("no similar project found")
    rows = _rows(found)
    if fmt is RowFormat.JSON:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if fmt is RowFormat.CSV:
        from sotegraph.export import write_csv

        buf = io.StringIO()
        columns = [c for c in (rows[0] if rows else {"rank": 0, "score": 0}) if c != "shared"]
        write_csv(
            buf,
            columns,
            (
                [
                    "; ".join(f"{t} {w}" for t, w in r[c]) if c == "terms" else r.get(c)
                    for c in columns
                ]
                for r in rows
            ),
        )
        typer.echo(buf.getvalue(), nl=False)
        return
    what = (
        f"project {project}" if project is not None else ("file " + str(file) if file else "text")
    )
    table = Table(title=f"projects similar to the {what}")
    table.add_column("#", justify="right")
    table.add_column("score", justify="right")
    table.add_column("project")
    table.add_column("code")
    table.add_column("why")
    for r, s in zip(rows, found, strict=True):
        table.add_row(str(r["rank"]), f"{s.score:.3f}", s.label, s.code or "", s.why())
    out.print(table)
    console.print(
        f"{len(index.text.projects)} projects compared (index built in {built:.1f} s, "
        f"{'Voikko base forms' if index.text.lemmatised else 'word forms'})"
    )

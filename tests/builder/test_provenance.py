"""Provenance without machine paths: documents are recorded relative to what the user named."""

from __future__ import annotations

from pathlib import Path

from sotegraph.builder import KnowledgeGraph
from sotegraph.read import iter_sources, source_name

RECORD = "Hankekoodi: S29{n:03d}\nHankkeen nimi: Keksitty hanke {n}\n"


def _corpus(root: Path) -> Path:
    folder = root / "aineisto"
    (folder / "alikansio").mkdir(parents=True)
    (folder / "a.txt").write_text(RECORD.format(n=1), encoding="utf-8")
    (folder / "alikansio" / "b.txt").write_text(RECORD.format(n=2), encoding="utf-8")
    return folder


def test_names_are_relative_to_what_was_named(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    names = [name for _path, name in iter_sources([folder.resolve()])]
    assert names == ["aineisto/a.txt", "aineisto/alikansio/b.txt"]
    assert source_name(folder / "a.txt", folder / "a.txt") == "a.txt"


def test_no_absolute_path_reaches_the_graph(tmp_path: Path) -> None:
    folder = _corpus(tmp_path).resolve()
    with KnowledgeGraph(None) as kg:
        result = kg.add_paths([folder], use_nlp=False, validate=False)
        assert result.built == 2
        literals = {
            str(row["o"])
            for row in kg.store.query("SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        }
        sources = {str(d["source"]) for d in kg.documents()}
    assert sources == {"aineisto/a.txt", "aineisto/alikansio/b.txt"}
    assert not [v for v in literals if str(tmp_path) in v or v.startswith("/")]


def test_a_document_is_found_by_the_path_as_typed(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    with KnowledgeGraph(None) as kg:
        kg.add_paths([folder], use_nlp=False, validate=False)
        assert kg.remove_document(str(folder / "alikansio" / "b.txt")) is True
        assert {str(d["source"]) for d in kg.documents()} == {"aineisto/a.txt"}
        assert kg.remove_document(str(tmp_path / "muu" / "a-ei-ole.txt")) is False

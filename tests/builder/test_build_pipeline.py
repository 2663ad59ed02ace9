"""The build's fast paths give the same answers as the plain ones.

* :class:`sotegraph.validate.IndexedGraph` answers every triple pattern as an rdflib graph
  does, and validating it gives the same report;
* the graph-wide view read from the store by pattern equals the CONSTRUCT view;
* the view gathered during a build (while the last graph is still being written) equals the
  CONSTRUCT view over the store after the build, also when a document is replaced;
* a write that fails in the background writer reaches the caller.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from sotegraph.builder import _GRAPH_WIDE_VIEW, KnowledgeGraph, _GraphWideView, build
from sotegraph.errors import StoreError
from sotegraph.store import OxigraphStore
from sotegraph.validate import IndexedGraph, validate_document, validate_graph_wide

FIXTURES = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


def _sample_graph() -> Graph:
    g = Graph()
    for path in sorted((FIXTURES / "shapes").glob("*.ttl")):
        g.parse(path)
    b = BNode()
    s, p = URIRef("https://e.org/s"), URIRef("https://e.org/p")
    g.add((s, p, b))
    g.add((b, p, Literal("x", lang="fi")))
    g.add((s, p, Literal("2020-01-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))
    return g


def test_indexed_graph_answers_every_pattern_like_rdflib() -> None:
    g = _sample_graph()
    ig = IndexedGraph(g, identifier=URIRef("https://e.org/g"))
    assert len(ig) == len(g) > 50
    assert set(ig) == set(g)
    subjects = [*list(dict.fromkeys(g.subjects()))[:8], URIRef("https://e.org/none")]
    predicates = [*list(dict.fromkeys(g.predicates()))[:8], URIRef("https://e.org/none")]
    objects = [*list(dict.fromkeys(g.objects()))[:12], Literal("none")]
    checked = 0
    for s, p, o in itertools.product([None, *subjects], [None, *predicates], [None, *objects]):
        assert set(ig.triples((s, p, o))) == set(g.triples((s, p, o))), (s, p, o)
        checked += 1
    assert checked > 1000
    some = next(iter(g))
    assert some in ig
    assert (some[0], some[1], Literal("none")) not in ig
    assert ig.value(some[0], some[1]) is not None
    assert ig.identifier == URIRef("https://e.org/g")


def test_indexed_graph_is_read_only_and_parses_ntriples() -> None:
    g = _sample_graph()
    ig = IndexedGraph.from_ntriples(g.serialize(format="nt"))
    assert set(ig) == set(g)
    with pytest.raises(TypeError, match="read-only"):
        ig.add(next(iter(g)))
    with pytest.raises(TypeError, match="read-only"):
        ig.remove(next(iter(g)))
    with pytest.raises(SyntaxError):
        IndexedGraph.from_ntriples("<https://e.org/s> <https://e.org/p> .\n")


@pytest.mark.parametrize(
    "path", sorted((FIXTURES / "shapes").glob("*.ttl")), ids=lambda p: Path(p).stem
)
def test_validating_an_indexed_graph_gives_the_same_report(path: Path) -> None:
    g = Graph().parse(path)
    plain = validate_document(g)
    fast = validate_document(IndexedGraph(g))
    assert fast.to_json() == plain.to_json()
    if path.name.endswith(".bad.ttl") and "lead" not in path.name:
        assert plain.results, f"{path.name} should have findings"


@pytest.mark.parametrize("name", ["article_lead.bad.trig", "bulk_lead.bad.trig"])
def test_graph_wide_on_an_indexed_view_gives_the_same_report(name: str) -> None:
    ds = Dataset()
    ds.parse(FIXTURES / "shapes" / name, format="trig")
    store = OxigraphStore()
    for ctx in ds.graphs():
        if len(ctx) and isinstance(ctx.identifier, URIRef):
            store.replace_graph(ctx.identifier, ctx)
    kg = KnowledgeGraph(store)
    construct = store.construct(_GRAPH_WIDE_VIEW)
    fast = kg.validate_graph_wide()
    assert fast.results, "the bad fixture has a graph-wide finding"
    plain = validate_graph_wide(construct)
    assert fast.to_json() == plain.to_json()


def _construct_view(kg: KnowledgeGraph) -> set[Any]:
    return set(kg.store.construct(_GRAPH_WIDE_VIEW))


def _store_view(kg: KnowledgeGraph) -> set[Any]:
    view = _GraphWideView()
    view.add_store(kg.store)
    return set(view.triples())


def test_store_view_equals_construct_on_the_seeds(seeds_dir: Path, tmp_path: Path) -> None:
    kg = build([seeds_dir, EXAMPLES], store=tmp_path / "s", use_nlp=False, validate=False)
    construct = _construct_view(kg)
    assert len(construct) > 20
    assert _store_view(kg) == construct


def test_view_gathered_during_a_build_equals_the_store_after_it(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sotegraph.validate as v

    seen: list[set[Any]] = []
    real = v.validate_graph_wide

    def spy(data: Graph, **kw: Any) -> Any:
        seen.append(set(data))
        return real(data, **kw)

    monkeypatch.setattr(v, "validate_graph_wide", spy)
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    kg = build([folder], store=tmp_path / "s", use_nlp=False)
    assert len(seen) == 1
    assert seen[-1] == _construct_view(kg)
    first = kg.last_build
    assert first is not None
    assert first.built == 5

    # one document changed (its old graph and manifest entry leave the view), one new
    changed = sorted(folder.iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nLisätieto.\n", encoding="utf-8")
    shutil.copy(EXAMPLES / "esimerkki_esr_S29901.txt", folder / "uusi.txt")
    kg2 = KnowledgeGraph(kg.store)
    result = kg2.add_paths([folder], use_nlp=False)
    assert (result.built, result.replaced, result.unchanged) == (2, 1, 4)
    assert len(seen) == 2
    assert seen[-1] == _construct_view(kg2)
    # and the build's graph-wide findings are those of validating the store afterwards
    assert result.validation is not None
    again = kg2.validate()
    assert sorted(r.key() for r in result.validation.results) == sorted(
        r.key() for r in again.results
    )


def test_a_failed_background_write_reaches_the_caller(tmp_path: Path) -> None:
    with build([EXAMPLES / "esimerkki_eakr_A79902.txt"], store=tmp_path / "s", use_nlp=False):
        pass
    # a store opened read-only refuses writes: the refusal, raised in the writer thread,
    # reaches the caller, and the store keeps what it had
    with KnowledgeGraph.open(tmp_path / "s", read_only=True) as kg:
        before = kg.documents()
        with pytest.raises(StoreError, match="read-only"):
            kg.add_paths([EXAMPLES / "esimerkki_esr_S29901.txt"], use_nlp=False)
        assert kg.documents() == before
        assert len(before) == 1


class _Interrupted(KeyboardInterrupt):
    """Ctrl-C, raised from the progress callback in the middle of storing."""


def test_ctrl_c_while_storing_leaves_whole_recorded_documents(tmp_path: Path) -> None:
    from store.test_store_reingest import snapshot, write_corpus

    folder = tmp_path / "docs"
    write_corpus(folder, 8)
    with build([folder], store=tmp_path / "reference", use_nlp=False) as ref:
        whole = snapshot(ref.store)
    seen: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "store":
            seen.append(done)
            if done == 3:
                raise _Interrupted

    kg = KnowledgeGraph(tmp_path / "s")
    with pytest.raises(_Interrupted):
        kg.add_paths([folder], use_nlp=False, progress=progress)
    # the writer had the 4th document in flight: leaving waited for it, so every graph in
    # the store is whole and recorded, and the next build adds only what is missing
    graphs = {n for n in kg.store.graph_names() if "/document/" in n}
    recorded = {d["doc"] for d in kg.documents()}
    assert seen == [1, 2, 3]
    assert len(graphs) >= 3
    assert graphs == {str(r) for r in recorded}
    now = snapshot(kg.store)
    assert all(now[g] == whole[g] for g in graphs)
    again = kg.add_paths([folder], use_nlp=False)
    assert again.unchanged == len(graphs)
    assert again.built == 8 - len(graphs)
    kg.close()


def test_an_unexpected_error_in_one_document_fails_only_that_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sotegraph.extract as extract_module
    from sotegraph.builder import KnowledgeGraph

    good = tmp_path / "hyva.txt"
    good.write_text("Hyva-hanketta hallinnoi Oulun kaupunki.\n", encoding="utf-8")
    bad = tmp_path / "rikki.txt"
    bad.write_text("Rikki-hanketta hallinnoi Turun kaupunki.\n", encoding="utf-8")
    real = extract_module.extract

    def flaky(document: Any, **kwargs: Any) -> Any:
        if document.source.endswith("rikki.txt"):
            raise ValueError("a library refused this text")
        return real(document, **kwargs)

    monkeypatch.setattr(extract_module, "extract", flaky)
    kg = KnowledgeGraph(None)
    result = kg.add_paths([bad, good], use_nlp=False, validate=False)
    assert result.built == 1
    assert [f.source for f in result.failed] == [bad.name]  # named as the user named it
    assert "ValueError: a library refused this text" in str(result.failed[0])
    assert result.exit_code == 1

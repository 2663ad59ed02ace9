"""Builds whose memory follows a group, not the corpus (issue 19, point 3).

Documents are built in groups (:attr:`KnowledgeGraph.group_documents`): each group is
extracted, resolved against the store as the earlier groups left it, validated and written,
then let go; the graph-wide shapes run at the end on the store's projects, read from the
store a chunk of projects at a time. A bulk table of more rows than :attr:`KnowledgeGraph.table_batch_rows` is
read, resolved, validated and written in batches into its one graph, and recorded in the
manifest (its commit record) after the last batch.

Each test builds the same input twice, once as one group and once in small groups or
batches, and compares the stores quad by quad and the validation reports result by result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bad_corpus import load_corpus_script
from sotegraph import builder
from sotegraph.builder import KnowledgeGraph
from sotegraph.store.base import MANIFEST_GRAPH

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpus"
NAME_PREDICATES = (
    "<https://schema.org/name>",
    "<http://www.w3.org/2004/02/skos/core#prefLabel>",
    "<http://www.w3.org/2004/02/skos/core#altLabel>",
)


def _make_bad_corpus() -> Any:
    return load_corpus_script()


def _table(tmp_path: Path, rows: int) -> Path:
    path: Path = _make_bad_corpus().write_large_csv(tmp_path / "rows.csv", rows)
    return path


def _quads(kg: KnowledgeGraph) -> set[str]:
    """Every quad as text, but the build's clock."""
    return {str(q) for q in kg.store.raw if "ingestedAt" not in str(q.predicate)}  # type: ignore[attr-defined]


def _keys(kg: KnowledgeGraph) -> set[Any]:
    assert kg.last_build is not None
    assert kg.last_build.validation is not None
    return {r.key() for r in kg.last_build.validation.results}


def _build(paths: list[Path], **attributes: int) -> KnowledgeGraph:
    kg = KnowledgeGraph(None)
    for name, value in attributes.items():
        setattr(kg, name, value)
    kg.last_build = kg.add_paths(paths, use_nlp=False)
    return kg


def test_a_generated_table_in_batches_is_the_table_built_at_once(tmp_path: Path) -> None:
    table = _table(tmp_path, 2_500)
    whole = _build([table])
    batched = _build([table], table_batch_rows=600)  # five batches, the last of 100 rows
    assert batched.last_build is not None
    assert whole.last_build is not None
    result = batched.last_build
    assert (result.built, result.projects, result.failed) == (1, 2_500, [])
    assert [s.rows_read for s in result.tables] == [2_500]  # the whole file's counts, once
    # the rows spell each implementer alike: the same graph, quad for quad
    assert _quads(batched) == _quads(whole)
    assert _keys(batched) == _keys(whole)
    assert result.validation is not None
    assert result.validation.conforms
    entries = [q for q in batched.store.raw if q.graph_name.value == str(MANIFEST_GRAPH)]  # type: ignore[attr-defined]
    assert len({q.subject for q in entries}) == 1
    assert batched.store.uncommitted_documents() == []


def test_documents_in_groups_are_the_documents_built_at_once() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus is not beside the repository")
    paths = [SHARED / "seeds", SHARED / "dev"]
    whole = _build(paths)
    grouped = _build(paths, group_documents=7)  # 45 documents: seven groups
    assert grouped.last_build is not None
    assert whole.last_build is not None
    assert grouped.last_build.built == whole.last_build.built == 45
    assert _quads(grouped) == _quads(whole)
    assert _keys(grouped) == _keys(whole)


def test_a_real_list_in_batches_differs_only_in_organisation_names() -> None:
    """The 2014-2020 list spells some implementers differently in different rows; a batch
    is resolved against the batches before it, so such an organisation may keep another of
    its spellings as its label. Nothing else differs."""
    table = SHARED / "bulk" / "fi_eura2014_projektilista_2016_clean.csv"
    if not table.is_file():
        pytest.skip("../shared/corpus/bulk is not beside the repository")
    whole = _build([table])
    batched = _build([table], table_batch_rows=1_000)
    a, b = _quads(whole), _quads(batched)
    differ = a ^ b
    print(f"\n2014-2020 list in batches of 1,000 rows: {len(differ)} of {len(a):,} quads differ")
    assert len(differ) < 0.001 * len(a)
    assert all(
        q.split(" ", 2)[1] in NAME_PREDICATES and "/organisation/" in q.split(" ", 1)[0]
        for q in differ
    )
    assert _keys(batched) == _keys(whole)


def test_a_table_cut_off_between_batches_is_built_again(tmp_path: Path) -> None:
    """Ctrl-C after the first batch is written: the graph stays without its manifest entry
    (uncommitted), and the next build removes it and builds the table whole."""
    table = _table(tmp_path, 1_500)
    folder = tmp_path / "store"

    def stop_after_first_batch(stage: str, done: int, total: int) -> None:
        if stage == "rows" and done >= 1_000:  # the first batch of 500 rows went to the writer
            raise KeyboardInterrupt

    kg = KnowledgeGraph(folder)
    kg.table_batch_rows = 500
    with pytest.raises(KeyboardInterrupt):
        kg.add_paths([table], use_nlp=False, progress=stop_after_first_batch)
    assert len(kg.store.uncommitted_documents()) == 1
    assert kg.documents() == []
    kg.close()

    again = KnowledgeGraph(folder)
    again.table_batch_rows = 500
    result = again.add_paths([table], use_nlp=False)
    assert (result.built, result.projects, result.unchanged) == (1, 1_500, 0)
    assert again.store.uncommitted_documents() == []
    clean = _build([table])
    assert set(_store_quads(again)) == _quads(clean)
    again.close()


def _store_quads(kg: KnowledgeGraph) -> set[str]:
    return {
        f"{s.n3()} {p.n3()} {o.n3()} <{g}>"
        for s, p, o, g in kg.store.quads()
        if "ingestedAt" not in str(p)
    }


def test_groups_and_batches_on_a_remote_endpoint(oxigraph_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same build against a real Oxigraph server (SPARQL updates, no bulk loader): the
    table in batches and the records in groups give the store an embedded build gives."""
    from sotegraph.store.remote import RemoteStore

    table = _table(tmp_path, 1_200)
    records = tmp_path / "records"
    records.mkdir()
    corpus = _make_bad_corpus()
    for i in range(5):
        text = corpus.record(code=f"S2{9900 + i}", name=f"Kokeiluhanke numero {i}")
        (records / f"r{i}.txt").write_text(text, encoding="utf-8")
    store = RemoteStore(oxigraph_server.query, update_endpoint=oxigraph_server.update)
    store.update("DROP ALL")
    remote = KnowledgeGraph(store)
    remote.table_batch_rows, remote.group_documents = 500, 2
    result = remote.add_paths([table, records], use_nlp=False)
    assert (result.built, result.projects, result.failed) == (6, 1_205, [])
    local = _build([table, records], table_batch_rows=500, group_documents=2)
    assert _store_quads(remote) == _store_quads(local)
    assert result.validation is not None
    assert {r.key() for r in result.validation.results} == _keys(local)
    assert store.uncommitted_documents() == []
    store.update("DROP ALL")


@pytest.mark.parametrize("use_nlp", [False, True], ids=["no-nlp", "nlp"])
def test_groups_resolved_with_the_projects_they_reach_are_resolved_with_all(
    use_nlp: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group that replaces nothing is resolved with only the stored projects it can reach
    (by code, name key, inflected form): the same store as resolving each group with every
    stored project, and as one group. The seeds and the development set mix records, lists,
    articles and news that name the same projects with and without codes, in other words.
    The groups' builds run the graph-wide shapes on the store five projects at a time: the
    same findings as the one group's view of everything."""
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus is not beside the repository")
    paths = [SHARED / "seeds", SHARED / "dev"]

    def build(**attributes: Any) -> KnowledgeGraph:
        kg = KnowledgeGraph(None)
        for name, value in attributes.items():
            setattr(kg, name, value)
        kg.last_build = kg.add_paths(paths, use_nlp=use_nlp, workers=1)
        return kg

    whole = build()
    monkeypatch.setattr(builder, "_GRAPH_WIDE_CHUNK", 5)
    nearby = build(group_documents=4)
    everything = build(group_documents=4, resolve_nearby=False)
    quads = _quads(nearby)
    wide = {r.key() for r in whole.validate_graph_wide().results}
    print(f"\n{len(quads):,} quads, {len(wide)} graph-wide findings; nlp={use_nlp}")
    assert quads == _quads(everything)
    assert quads == _quads(whole)
    assert _keys(nearby) == _keys(everything) == _keys(whole)
    assert wide <= _keys(whole)
    if use_nlp:  # projects that articles name without a lead: chunks had findings to agree on
        assert wide


def test_the_names_kept_between_groups_are_the_names_in_the_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A build in groups keeps what the stored documents call their projects and
    organisations, reading again only what a group wrote, changed or replaced. Every time a
    group asks, that must equal reading every name back from the store: over the seeds and
    the development set in groups of four (groups whose resolution renames projects in
    earlier groups' graphs), then over invented records that a later build replaces."""
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus is not beside the repository")
    checks: list[tuple[int, int, bool]] = []
    read = builder._StoredNamings.read

    def checked(self: Any, *, leave_out: Any = ()) -> Any:
        leave_out = list(leave_out)
        kept = read(self, leave_out=leave_out)
        stored = self._kg._stored_namings(leave_out=leave_out)
        checks.append((len(kept), len(leave_out), kept == stored))
        return kept

    monkeypatch.setattr(builder._StoredNamings, "read", checked)
    kg = KnowledgeGraph(None)
    kg.group_documents = 4
    kg.add_paths([SHARED / "seeds", SHARED / "dev"], use_nlp=False, workers=1)
    corpus = _make_bad_corpus()
    folder = tmp_path / "records"
    folder.mkdir()

    def write(version: str) -> None:
        for i in range(6):
            text = corpus.record(
                code=f"S2{i % 3:04d}",
                name=f"Keksitty {version} hanke {i % 4}",
                applicant=f"Keksityn Seudun Kehitys {i % 2} Oy",
                partners=(f"Mallilan kunta {i % 3}", f"Koe ja Kumppanit {i % 2} Oy"),
            )
            (folder / f"r{i}.txt").write_text(text, encoding="utf-8")

    write("ensimmäinen")
    kg.group_documents = 2
    kg.add_paths([folder], use_nlp=False, workers=1)
    write("toinen")
    res = kg.add_paths([folder], use_nlp=False, workers=1)
    print(f"\n{len(checks)} reads: {checks}")
    assert res.replaced == 6
    assert len(checks) >= 15
    assert all(c[0] for c in checks[1:])
    assert any(c[1] for c in checks)  # some groups replaced stored documents
    assert all(same for _n, _l, same in checks)


def test_the_caches_let_go_between_groups_are_caches() -> None:
    """Every (module, function) a build in groups empties after a group names a cache that
    exists: a renamed function would otherwise keep its entries, unnoticed."""
    import importlib

    for module, name in builder._GROUP_CACHES:
        cached = getattr(importlib.import_module(module), name)
        assert callable(getattr(cached, "cache_clear", None)), (module, name)
        assert cached.cache_info().maxsize, (module, name)  # bounded

"""Re-ingest by document: unchanged files change nothing, a changed file replaces exactly its
own graph, ``sotegraph remove`` removes exactly one document, shared facts survive, and the
manifest says what changed.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from stdnum.fi import ytunnus
from typer.testing import CliRunner

from sotegraph.builder import KnowledgeGraph
from sotegraph.cli import app
from sotegraph.errors import StoreError
from sotegraph.namespaces import GRAPH_NAMES, document_iri
from sotegraph.read import source_name
from sotegraph.store import OxigraphStore, Store

MUNICIPALITIES = ["Kajaani", "Sotkamo", "Oulu", "Kuopio", "Joensuu", "Tampere", "Vaasa", "Lahti"]


def business_id(n: int) -> str:
    """A valid Y-tunnus made from a number (check digit computed; remainder 1 skipped)."""
    k = 3000000 + 3 * n
    while True:
        body = f"{k:07d}"
        r = sum(int(c) * w for c, w in zip(body, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if r != 1:
            code = f"{body}-{0 if r == 0 else 11 - r}"
            assert ytunnus.is_valid(code)
            return code
        k += 1


def make_record(i: int, *, version: int = 1, shared: int = 0, partners: int = 3) -> str:
    """An EURA-like project record written for these tests (invented project, own wording)."""
    rng = random.Random(i * 7919 + version)
    towns = rng.sample(MUNICIPALITIES, 2)
    lines = [
        "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus",
        "",
        f"Hankekoodi: S9{i:04d}",
        "",
        f"Hankkeen nimi: Testihanke {i} versio {version}",
        "",
        "Suunnitelman mukainen toteutusaika: Alkaa 1.3.2018 ja päättyy 28.2.2020",
        "",
        "Toiminnan tila: Toiminta käynnissä",
        "",
        f"Hakijan virallinen nimi: Testiorganisaatio {shared} Oy",
        "",
        f"Y-tunnus: {business_id(shared)}",
        "",
        "Osatoteuttajat",
        "",
    ]
    for k in range(partners):
        n = 100 + (i * partners + k) % 400
        lines.append(f"Kumppani {n} Oy, {business_id(n)}")
    lines += [
        "",
        "3 Suunnitelman mukainen tiivistelmä toteutuksesta",
        "",
        f"Kokeillaan uusia palvelumalleja, kierros {version}.",
        "",
        "5 Projektin julkinen rahoitus, euroa",
        "",
        f"Myönnetty EU- ja valtion rahoitus: {100000 + 1000 * i + version}",
        "",
        "6 Maantieteellinen kohdealue",
        "",
        f"Kunnat: {', '.join(towns)}",
        "",
    ]
    return "\n".join(lines)


def write_corpus(folder: Path, n: int, *, version: int = 1, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = folder / f"record_{i:04d}.txt"
        p.write_text(make_record(i, version=version, shared=i % 3), encoding="utf-8")
        paths.append(p)
    return paths


def snapshot(store: Store, tmp: Path | None = None) -> dict[str, bytes]:
    """Every named graph as its sorted N-Quads lines (a byte-level fingerprint)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp))
    store.dump(folder / "all.nq")
    lines: dict[str, list[str]] = {name: [] for name in store.graph_names()}
    for line in (folder / "all.nq").read_text(encoding="utf-8").splitlines():
        if line.strip():
            triple, graph = line[: -len(" .")].rsplit(" ", 1)
            lines.setdefault(graph.strip("<>"), []).append(triple)
    shutil.rmtree(folder)
    return {name: "\n".join(sorted(v)).encode() for name, v in lines.items()}


@pytest.fixture(scope="module")
def seeds_copy(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("seeds")
    for p in sorted(seeds_dir.glob("*.txt")):
        shutil.copy(p, folder / p.name)
    return folder


def test_building_the_seeds_twice_changes_nothing(seeds_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with KnowledgeGraph(folder) as kg:
        first = kg.add_paths([seeds_copy], use_nlp=False, validate=False)
        assert first.built == 5
        assert first.failed == []
        size, graphs = len(kg.store), snapshot(kg.store)
    with KnowledgeGraph(folder) as kg:  # a new process would see the same folder
        second = kg.add_paths([seeds_copy], use_nlp=False, validate=False)
        print(
            f"first: {first.built} built; second: {second.built} built, {second.unchanged} unchanged"
        )
        assert second.built == 0
        assert second.unchanged == 5
        assert len(kg.store) == size, "the second build changed the number of triples"
        assert snapshot(kg.store) == graphs, "the second build changed some graph"


def test_editing_one_seed_replaces_only_its_graph(seeds_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_copy, folder)
    with KnowledgeGraph(tmp_path / "store") as kg:
        kg.add_paths([folder], use_nlp=False, validate=False)
        before = snapshot(kg.store)
        size_before = len(kg.store)
        edited = folder / "001_d86b9bca13a0eb96.txt"
        old_iri = kg._find_document(str(edited))
        assert old_iri is not None
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text + "\nLisätieto: testin lisäämä rivi.\n", encoding="utf-8")
        again = kg.add_paths([folder], use_nlp=False, validate=False)
        assert (again.built, again.replaced, again.unchanged) == (1, 1, 4)
        after = snapshot(kg.store)
        new_iri = kg._find_document(str(edited))
        assert new_iri is not None
        assert new_iri != old_iri
        manifest = str(GRAPH_NAMES["manifest"])
        changed = {n for n in set(before) | set(after) if before.get(n) != after.get(n)}
        print(f"graphs changed: {sorted(changed)}")
        assert changed == {old_iri, new_iri, manifest}
        assert old_iri not in after
        for name in before:
            if name not in changed:
                assert after[name] == before[name], f"{name} is not byte-identical"
        old_len = before[old_iri].count(b"\n") + 1
        new_len = after[new_iri].count(b"\n") + 1
        assert len(kg.store) == size_before - old_len + new_len
        docs = {d["source"]: d for d in kg.documents()}
        assert docs[source_name(folder, edited)]["doc"] == new_iri
        assert len(docs) == 5


def test_remove_document_keeps_facts_other_documents_state(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    paths = write_corpus(folder, 3)  # records 0 and 3k share the lead organisation 0
    # records 0 and 1 share partners? make a second record with the same lead as record 0
    (folder / "record_9000.txt").write_text(make_record(9000, shared=0), encoding="utf-8")
    store_dir = tmp_path / "store"
    with KnowledgeGraph(store_dir) as kg:
        kg.add_paths([folder], use_nlp=False, validate=False)
        before = snapshot(kg.store)
        lead = f"https://w3id.org/sotegraph/id/organisation/{business_id(0)}"
        removed_iri = kg._find_document(str(paths[0]))
        assert removed_iri is not None
    result = CliRunner().invoke(app, ["remove", str(paths[0]), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    with KnowledgeGraph(store_dir) as kg:
        after = snapshot(kg.store)
        assert set(before) - set(after) == {removed_iri}
        for name in after:
            if name != str(GRAPH_NAMES["manifest"]):
                assert after[name] == before[name]
        assert str(paths[0]) not in {d["source"] for d in kg.documents()}
        # the organisation the removed record led is still stated by record 9000
        rows = kg.store.query(
            "SELECT ?name WHERE { ?org <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }",
            bindings={"org": _uri(lead)},
        )
        assert rows, "a shared organisation lost its facts"
        code = kg.query("projects", code="S90000")
        assert code == []
        assert [str(r["code"]) for r in kg.query("projects", code="S99000")] == ["S99000"]
    again = CliRunner().invoke(app, ["remove", str(paths[0]), "--store", str(store_dir)])
    assert again.exit_code == 1
    bad = CliRunner().invoke(app, ["remove", "x"])
    assert bad.exit_code == 2


def test_remove_by_sha_and_refuses_non_document_graphs(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    write_corpus(folder, 2)
    with KnowledgeGraph(tmp_path / "store") as kg:
        kg.add_paths([folder], use_nlp=False, validate=False)
        names = [n for n in kg.store.graph_names() if "/document/" in n]
        sha = names[0].rsplit("/", 1)[1]
        assert kg.remove_document(sha) is True
        assert kg.remove_document(sha) is False
        assert names[0] not in kg.store.graph_names()
        regions = str(GRAPH_NAMES["funds"])
        with pytest.raises(Exception, match="not a document graph"):
            kg.remove_document(regions)
        assert regions in kg.store.graph_names()
        kept = kg.store.graph_names()
        with pytest.raises(StoreError):
            kg.remove_document("https://w3id.org/x> } ; DROP ALL ; #")
        assert kg.store.graph_names() == kept


def test_changes_lists_new_changed_unchanged_removed(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    paths = write_corpus(folder, 4)
    with KnowledgeGraph(tmp_path / "store") as kg:
        first = kg.changes([folder])

        def n(p: Path) -> str:  # the recorded name: relative to the folder named
            return f"docs/{p.name}"

        assert sorted(first.new) == sorted(map(n, paths))
        kg.add_paths([folder], use_nlp=False, validate=False)
        assert kg.changes([folder]).pending is False
        paths[0].write_text(make_record(0, version=2), encoding="utf-8")
        paths[1].unlink()
        extra = write_corpus(folder, 1, start=50)[0]
        c = kg.changes([folder])
        assert c.changed == [n(paths[0])]
        assert c.removed == [n(paths[1])]
        assert c.new == [n(extra)]
        assert sorted(c.unchanged) == sorted(map(n, paths[2:]))
        # a narrower path does not report the rest of the store as removed
        only = kg.changes([paths[2]])
        assert (only.unchanged, only.removed, only.new) == ([paths[2].name], [], [])
        # the manifest carries what `sotegraph info` shows
        doc = next(d for d in kg.documents() if d["source"] == n(paths[2]))
        assert doc["genre"] == "eura-record"
        assert doc["version"]
        assert doc["ingested"] is not None
    result = CliRunner().invoke(app, ["changes", str(folder), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1
    assert f"changed\tdocs/{paths[0].name}" in result.output


def test_unchanged_document_is_not_rewritten_on_remote(oxigraph_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sotegraph.store.remote import RemoteStore

    store = RemoteStore(oxigraph_server.query)
    store.update("DROP ALL")
    folder = tmp_path / "docs"
    paths = write_corpus(folder, 3)
    kg = KnowledgeGraph(store)
    kg.add_paths([folder], use_nlp=False, validate=False)
    before, size = snapshot(store), len(store)
    again = kg.add_paths([folder], use_nlp=False, validate=False)
    assert (again.built, again.unchanged) == (0, 3)
    assert len(store) == size
    assert snapshot(store) == before
    paths[1].write_text(make_record(1, version=2), encoding="utf-8")
    third = kg.add_paths([folder], use_nlp=False, validate=False)
    assert (third.built, third.replaced) == (1, 1)
    after = snapshot(store)
    changed = {n for n in set(before) | set(after) if before.get(n) != after.get(n)}
    assert len(changed) == 3  # old graph gone, new graph, manifest
    store.update("DROP ALL")


def test_document_iri_is_the_graph_name(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    write_corpus(folder, 1)
    store = OxigraphStore()
    kg = KnowledgeGraph(store)
    result = kg.add_paths([folder], use_nlp=False, validate=False)
    assert result.built == 1
    (doc,) = kg.documents()
    assert doc["doc"] == str(document_iri(doc["doc"].rsplit("/", 1)[1]))
    assert store.has_graph(doc["doc"])


def _uri(text: str):  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    return URIRef(text)

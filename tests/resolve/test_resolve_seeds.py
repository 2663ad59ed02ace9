"""The whole pipeline on the five seeds: extraction (with spaCy) then resolution, against gold.

Prints how many gold organisations, projects and groups the resolved facts reach; fails on
any false merge and on any cross-document project pair that is not one resource.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sotegraph.extract import extract
from sotegraph.facts import Facts
from sotegraph.nlp.names import fold
from sotegraph.read import read_document
from sotegraph.resolve import Resolver
from sotegraph.resolve.organisations import OrganisationResolver

pytestmark = [pytest.mark.nlp, pytest.mark.slow]


@pytest.fixture(scope="module")
def resolved(seeds_dir: Path) -> tuple[dict[str, Facts], Resolver]:
    pytest.importorskip("spacy")
    pytest.importorskip("sotegraph.extract.article")
    from sotegraph.nlp import load_pipeline

    nlp = load_pipeline()
    by_doc = {p.name: extract(read_document(p), nlp=nlp) for p in sorted(seeds_dir.glob("*.txt"))}
    r = Resolver()
    r.resolve_all(list(by_doc.values()))
    return by_doc, r


def test_seed_organisations_resolve_to_gold(
    resolved: tuple[dict[str, Facts], Resolver], gold: dict[str, Any]
) -> None:
    by_doc, r = resolved
    ref = OrganisationResolver()
    gold_iri = {str(ref.resolve(o["name"]).iri): o["id"] for o in gold["organisations"]}
    found = {o.iri for f in by_doc.values() for o in f.organisations}
    reached = sorted(gold_iri[i] for i in found if i in gold_iri)
    other = sorted(
        o.canonical_name or o.name
        for f in by_doc.values()
        for o in f.organisations
        if o.iri not in gold_iri
    )
    print(f"gold organisations reached: {len(reached)}/{len(gold_iri)}; others: {other}")
    # names written exactly as gold gives them must land on that gold organisation ...
    owner = {
        fold(n): o["id"] for o in gold["organisations"] for n in [o["name"], *o.get("aliases", [])]
    }
    iri_of = {o["id"]: str(ref.resolve(o["name"]).iri) for o in gold["organisations"]}
    for f in by_doc.values():
        for o in f.organisations:
            if fold(o.name) in owner:
                assert o.iri == iri_of[owner[fold(o.name)]], (o.name, o.iri)
    # ... and no resource in the report carries the names of two gold organisations
    for merge in r.report().organisation_merges:
        ids = {owner[fold(n)] for n in merge.names if fold(n) in owner}
        assert len(ids) <= 1, merge
    assert len(reached) >= 0.9 * len(gold_iri)


def test_cross_document_projects_are_one_resource(
    resolved: tuple[dict[str, Facts], Resolver], gold: dict[str, Any]
) -> None:
    by_doc, _ = resolved
    names = {p["id"]: [p["name"], *p.get("aliases", [])] for p in gold["projects"]}
    from sotegraph.resolve.projects import project_keys

    for pid, doc_a, doc_b in gold["cross_document"]["same_project"]:
        keys = {k for n in names[pid] for k in project_keys(n)}

        def iri_in(doc: str, keys: set[str] = keys) -> set[str | None]:
            return {
                p.iri
                for p in by_doc[doc].projects
                if any(k in keys for n in [p.name or "", *p.aliases] for k in project_keys(n))
            }

        a, b = iri_in(doc_a), iri_in(doc_b)
        print(pid, a, b)
        assert a, f"{pid} not extracted from {doc_a}"
        assert b, f"{pid} not extracted from {doc_b}"
        assert a == b, pid


def test_seed_groups_resolve_once(resolved: tuple[dict[str, Facts], Resolver]) -> None:
    by_doc, _ = resolved
    iris = {g.iri for f in by_doc.values() for g in f.groups}
    kinds = {(g.kind.value, g.iri) for f in by_doc.values() for g in f.groups}
    print(sorted(kinds))
    assert any(str(i).endswith("/consortium/onnistu-yhdessa") for i in iris)
    assert any(str(i).endswith("/network/sotekehittajat") for i in iris)

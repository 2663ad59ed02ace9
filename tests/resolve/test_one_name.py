"""One project, one IRI, one name: resolving new facts against what a store holds.

Made-up projects and organisations only. The store side (reading graphs back, renaming) is
tested in ``tests/builder/test_one_name_store.py``; here the decisions themselves.
"""

from __future__ import annotations

import pytest

from sotegraph.facts import Facts, OrganisationFact, ProjectFact
from sotegraph.namespaces import organisation_iri, project_iri
from sotegraph.resolve import Resolver
from sotegraph.resolve.identity import (
    ORGANISATION,
    PROJECT,
    Naming,
    name_statements,
    own_names,
    preferred_labels,
)
from sotegraph.resolve.projects import project_keys

A, B, C = "a" * 64, "b" * 64, "c" * 64
RECORD_NAME = "Kotona kuntoon – kotihoidon uudet keinot"
BID = "3100000-3"


def record() -> Facts:
    return Facts(
        B,
        "record.txt",
        genre="eura-record",
        projects=[ProjectFact("S29901", name=RECORD_NAME, code="S29901")],
        organisations=[OrganisationFact("o", "Koesalon Kehitysyhdistys ry", business_id=BID)],
    )


def article() -> Facts:
    return Facts(
        A,
        "article.txt",
        genre="article",
        projects=[ProjectFact("p1", name="Kotona kuntoon", aliases=["KOKU"])],
        organisations=[OrganisationFact("o1", "Koesalon Kehitysyhdistys")],
    )


def stored(facts: Facts, labels: dict[str, str]) -> list[Naming]:
    """What a store would read back from the graph written for ``facts``."""
    out = []
    for kind, items in ((ORGANISATION, facts.organisations), (PROJECT, facts.projects)):
        for x in items:
            assert x.iri is not None
            names = [x.name] if x.name else []
            said = frozenset(name_statements(labels[x.iri], names, x.aliases))
            mains, aliases = own_names(said)
            out.append(
                Naming(
                    facts.document_id,
                    str(facts.genre),
                    kind,
                    x.iri,
                    mains,
                    aliases,
                    code=getattr(x, "code", None),
                    business_id=getattr(x, "business_id", None),
                    stated=said,
                )
            )
    return out


@pytest.mark.parametrize(
    ("label", "names", "aliases"),
    [
        ("Koehanke", ["Koehanke"], []),
        ("Koehanke", ["Koehanke"], ["KH"]),
        ("Koehanke", ["Koe-hanke"], ["KH"]),
        ("Koehanke", ["Koe-hanke", "Koehanke"], []),
        ("Koehanke", ["KH"], ["Koehanke"]),
        (None, [], ["KH"]),
        ("Koehanke", [], ["KH"]),
        ("Koehanke", [], []),
    ],
)
def test_own_names_come_back_from_the_statements(
    label: str | None, names: list[str], aliases: list[str]
) -> None:
    said = name_statements(label, names, aliases)
    named = bool(names or aliases)
    assert [t for t, _x in said].count("prefLabel") == (1 if label and named else 0)
    assert not {x for t, x in said if t == "altLabel"} & {label}, "a label is pref or alt"
    assert own_names(said) == (sorted(set(names)), sorted(set(aliases) - set(names)))


def test_the_record_names_the_project_and_the_bulk_list_the_next() -> None:
    iri = "https://w3id.org/sotegraph/id/project/S29901"
    article = Naming(A, "article", PROJECT, iri, ["Kotona kuntoon"])
    bulk = Naming(C, "bulk-table", PROJECT, iri, ["KOTONA KUNTOON"])
    rec = Naming(B, "eura-record", PROJECT, iri, [RECORD_NAME])
    assert preferred_labels([article, bulk, rec]) == {iri: RECORD_NAME}
    assert preferred_labels([article, bulk]) == {iri: "KOTONA KUNTOON"}
    assert preferred_labels([article]) == {iri: "Kotona kuntoon"}
    assert preferred_labels([article, rec], fixed={iri: "X"}) == {iri: "X"}


def test_article_and_record_in_one_resolution_are_one_project() -> None:
    a, r = article(), record()
    found = Resolver().resolve_against([a, r], [])
    code = str(project_iri(code="S29901"))
    assert a.projects[0].iri == r.projects[0].iri == code
    assert found.labels[code] == RECORD_NAME
    org = str(organisation_iri(business_id=BID))
    assert a.organisations[0].iri == r.organisations[0].iri == org
    assert found.labels[org] == "Koesalon Kehitysyhdistys ry"
    assert found.changes == []


def test_a_record_after_its_article_renames_the_article_s_project() -> None:
    a = article()
    first = Resolver().resolve_against([a], [])
    slug = str(project_iri(name="kotona kuntoon"))
    assert a.projects[0].iri == slug
    assert first.labels[slug] == "Kotona kuntoon"
    r = record()
    then = Resolver().resolve_against([r], stored(a, first.labels))
    code, org = str(project_iri(code="S29901")), str(organisation_iri(business_id=BID))
    assert r.projects[0].iri == code
    [change] = then.changes
    assert change.document == A
    assert change.renames == {
        slug: code,
        str(organisation_iri(name="koesalon kehitysyhdistys")): org,
    }
    assert (code, "prefLabel", RECORD_NAME) in change.add
    assert (code, "prefLabel", "Kotona kuntoon") in change.remove
    assert (code, "name", "Kotona kuntoon") in change.add  # the article's own name is kept
    assert then.labels[code] == RECORD_NAME
    # and the reverse order: the article joins the record; the record's graph stays
    r2, a2 = record(), article()
    first2 = Resolver().resolve_against([r2], [])
    then2 = Resolver().resolve_against([a2], stored(r2, first2.labels))
    assert a2.projects[0].iri == code
    assert a2.organisations[0].iri == org
    assert then2.changes == []
    assert then2.labels == then.labels


def test_removing_the_record_gives_the_article_its_own_name_back() -> None:
    a, r = article(), record()
    found = Resolver().resolve_against([a, r], [])
    left = Resolver().resolve_against([], stored(a, found.labels))
    code, slug = str(project_iri(code="S29901")), str(project_iri(name="kotona kuntoon"))
    [change] = left.changes
    assert change.renames[code] == slug
    assert left.labels[slug] == "Kotona kuntoon"
    assert (slug, "prefLabel", "Kotona kuntoon") in change.add
    assert not any(t == "name" for _i, t, _x in change.add)


def test_the_same_store_resolved_again_changes_nothing() -> None:
    a, r = article(), record()
    found = Resolver().resolve_against([a, r], [])
    again = Resolver().resolve_against([], [*stored(a, found.labels), *stored(r, found.labels)])
    assert again.changes == []
    assert again.labels == found.labels


def test_an_acronym_in_parentheses_finds_the_record_named_by_it() -> None:
    assert project_keys("VIRTA – Virtuaalinen vertaistuki ikääntyville") & project_keys(
        "Ikääntyvien vertaistuki verkossa (VIRTA)"
    )
    # the acronym's expansion, written alone, finds the project named "ACRONYM – expansion"
    assert project_keys("ARPA - Arvoperustaiset palvelumallit nuorten tueksi") & project_keys(
        "Arvoperustaiset palvelumallit nuorten tueksi -hanke"
    )
    # a title in capitals that abbreviates nothing adds no key
    assert len(project_keys("HYVÄ ARKI – Sosiaalinen tuki kotiin")) == 2


def test_the_authority_names_its_organisations_whatever_the_documents_say() -> None:
    f = Facts(
        A,
        "a.txt",
        genre="eura-record",
        organisations=[OrganisationFact("o", "Kajaanin ammattikorkeakoulun")],
    )
    found = Resolver().resolve_against([f], [])
    iri = f.organisations[0].iri
    assert iri is not None
    assert found.labels[iri] == f.organisations[0].canonical_name

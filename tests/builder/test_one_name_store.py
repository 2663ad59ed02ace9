"""One project, one IRI, one name over a whole store, whatever the order of the builds.

The texts are made up for these tests (invented projects, organisations and wording): two
EURA records and two articles that name the same projects otherwise (a short name, an acronym
in parentheses, an organisation without its legal form). Built together, in two builds in
either order, or with a record removed afterwards, the store must end the same: one IRI per
project and organisation, exactly one ``skos:prefLabel``@fi each over the store, taken from the
record when there is one; and plain pyshacl on a TriG dump of the store must report the
Violations ``sotegraph validate`` reports, no more.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SH

from sotegraph.builder import KnowledgeGraph
from sotegraph.export import export_rdf
from sotegraph.namespaces import GRAPH_NAMES, SKOS, organisation_iri, project_iri
from sotegraph.read import Document, read_document

pytest.importorskip("spacy")

KOKU_RECORD = """Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus

Hankekoodi: S29901

Hankkeen nimi: Kotona kuntoon – kotihoidon uudet keinot

Suunnitelman mukainen toteutusaika: Alkaa 1.3.2018 ja päättyy 28.2.2020

Toiminnan tila: Toiminta käynnissä

Hakijan virallinen nimi: Koesalon Kehitysyhdistys ry

Y-tunnus: 3100000-3

3 Suunnitelman mukainen tiivistelmä toteutuksesta

Hankkeessa kokeillaan kotihoidon uusia keinoja pienissä kunnissa.

6 Maantieteellinen kohdealue

Kunnat: Kajaani, Sotkamo
"""

KOKU_ARTICLE = """Kotihoito uudistuu Kainuussa

Kotona kuntoon (KOKU) -hanke kehittää kotihoidon keinoja Kajaanissa ja Sotkamossa. \
Hanketta hallinnoi Koesalon Kehitysyhdistys.

KOKU-hankkeessa kotihoidon työntekijät kokeilevat uusia työtapoja yhdessä asiakkaiden kanssa.
"""

VIRTA_RECORD = """Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus

Hankekoodi: S29902

Hankkeen nimi: VIRTA – Virtuaalinen vertaistuki ikääntyville

Suunnitelman mukainen toteutusaika: Alkaa 1.9.2019

Toiminnan tila: Toiminta käynnissä

Hakijan virallinen nimi: Pohjolan Koetuki ry

Y-tunnus: 3100001-1

3 Suunnitelman mukainen tiivistelmä toteutuksesta

Vapaaehtoiset ohjaajat tukevat kotona asuvia ikääntyviä verkossa.
"""

VIRTA_ARTICLE = """Vertaistukea verkossa ikääntyville

Ikääntyvien vertaistuki verkossa (VIRTA) -hanke kokoaa vapaaehtoisia ohjaajia Oulussa ja \
Kempeleessä. Hanketta hallinnoi Pohjolan Koetuki ry.

VIRTA-hankkeessa ohjaajat pitävät viikoittaisia videotapaamisia kotona asuville ikääntyville.
"""

KOKU, VIRTA = str(project_iri(code="S29901")), str(project_iri(code="S29902"))
KOESALO = str(organisation_iri(business_id="3100000-3"))
POHJOLA = str(organisation_iri(business_id="3100001-1"))
DOCUMENT_PREFIX = "https://w3id.org/sotegraph/id/document/"
SHAPES = Path(__file__).resolve().parents[2] / "ontology" / "shapes.ttl"


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    folder = tmp_path_factory.mktemp("one_name")
    out = {}
    for name, text in {
        "koku_record": KOKU_RECORD,
        "koku_article": KOKU_ARTICLE,
        "virta_record": VIRTA_RECORD,
        "virta_article": VIRTA_ARTICLE,
    }.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        out[name] = read_document(folder / f"{name}.txt", source=f"{name}.txt")
    assert out["koku_record"].genre.value == "eura-record"
    assert out["koku_article"].genre.value == "article"
    return out


def build(folder: Path, *batches: list[Document]) -> KnowledgeGraph:
    """Each batch in its own build and its own KnowledgeGraph (as separate runs would)."""
    for docs in batches:
        with KnowledgeGraph(folder) as kg:
            kg.add_documents(docs)
    return KnowledgeGraph(folder)


def snapshot(kg: KnowledgeGraph) -> dict[str, list[str]]:
    """Every graph's sorted N-Triples lines, the manifest left out (it holds ingest times)."""
    manifest = str(GRAPH_NAMES["manifest"])
    return {
        name: sorted(kg.store.graph_ntriples(name).splitlines())
        for name in kg.store.graph_names()
        if name != manifest
    }


def finnish_labels(kg: KnowledgeGraph) -> dict[str, set[str]]:
    """Every Finnish prefLabel over the store (the union of all graphs), by resource."""
    out: dict[str, set[str]] = defaultdict(set)
    for s, _p, o, _g in kg.store.quads((None, SKOS.prefLabel, None)):
        if getattr(o, "language", None) == "fi":
            out[str(s)].add(str(o))
    return out


def resources(kg: KnowledgeGraph, kind: str) -> set[str]:
    rows = kg.sparql(
        f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <https://w3id.org/sotegraph/ontology#{kind}> }}"
        f' FILTER(STRSTARTS(STR(?g), "{DOCUMENT_PREFIX}")) }}'
    )
    return {str(r["s"]) for r in rows}


def test_article_and_record_in_one_build(texts: dict[str, Document], tmp_path: Path) -> None:
    with build(tmp_path, list(texts.values())) as kg:
        assert resources(kg, "Project") == {KOKU, VIRTA}
        labels = finnish_labels(kg)
        assert labels[KOKU] == {"Kotona kuntoon – kotihoidon uudet keinot"}
        assert labels[VIRTA] == {"VIRTA – Virtuaalinen vertaistuki ikääntyville"}
        assert labels[KOESALO] == {"Koesalon Kehitysyhdistys ry"}  # the article: without "ry"
        assert POHJOLA in resources(kg, "Organisation")
        several = {s: v for s, v in labels.items() if len(v) > 1}
        assert not several, several
        # the article keeps what it calls them
        alt = {
            str(o)
            for _s, _p, o, _g in kg.store.quads((project_iri(code="S29901"), SKOS.altLabel, None))
        }
        assert {"Kotona kuntoon", "KOKU"} <= alt


@pytest.mark.parametrize("order", ["articles first", "records first"])
def test_two_builds_in_either_order_end_the_same(
    texts: dict[str, Document], tmp_path: Path, order: str
) -> None:
    records = [texts["koku_record"], texts["virta_record"]]
    articles = [texts["koku_article"], texts["virta_article"]]
    with build(tmp_path / "one", [*records, *articles]) as kg:
        together = snapshot(kg)
    batches = (articles, records) if order == "articles first" else (records, articles)
    with build(tmp_path / "two", *batches) as kg:
        assert snapshot(kg) == together
        assert resources(kg, "Project") == {KOKU, VIRTA}


def test_removing_the_record_gives_the_article_its_own_name(
    texts: dict[str, Document], tmp_path: Path
) -> None:
    with build(tmp_path / "alone", [texts["koku_article"]]) as kg:
        alone = snapshot(kg)
        [slug] = resources(kg, "Project")
        assert finnish_labels(kg)[slug] == {"Kotona kuntoon"}
    with build(tmp_path / "both", [texts["koku_record"], texts["koku_article"]]) as kg:
        assert resources(kg, "Project") == {KOKU}
        assert kg.remove_document(texts["koku_record"].id)
        assert resources(kg, "Project") == {slug}
        assert finnish_labels(kg)[slug] == {"Kotona kuntoon"}
        assert snapshot(kg) == alone
        # and the record back again
        kg.add_documents([texts["koku_record"]])
        assert resources(kg, "Project") == {KOKU}
        assert finnish_labels(kg)[KOKU] == {"Kotona kuntoon – kotihoidon uudet keinot"}


def _pyshacl_violations(kg: KnowledgeGraph, folder: Path) -> set[tuple[str, str]]:
    pyshacl = pytest.importorskip("pyshacl")
    dump = export_rdf(kg.store, folder / "store.trig")
    data = Dataset()
    data.parse(dump, format="trig")
    shapes = Graph().parse(SHAPES, format="turtle")
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    out = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(r, SH.resultSeverity) == SH.Violation:
            out.add((str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape))))
    return out


def test_plain_pyshacl_on_a_trig_dump_agrees_with_sotegraph_validate(
    texts: dict[str, Document], tmp_path: Path
) -> None:
    with build(
        tmp_path / "store",
        [texts["koku_article"], texts["virta_article"]],
        [texts["koku_record"], texts["virta_record"]],
    ) as kg:
        ours = {str(r.focus_node) for r in kg.validate().results if r.severity == "Violation"}
        theirs = _pyshacl_violations(kg, tmp_path)
    # the VIRTA record gives no end date: a Violation both must see; nothing else
    assert ours == {VIRTA}
    assert {focus for focus, _shape in theirs} == ours, sorted(theirs)


def test_renames_that_cross_in_one_graph_go_through_temporary_iris() -> None:
    from rdflib import Literal

    from sotegraph.builder import _identity_update
    from sotegraph.namespaces import SG, document_iri
    from sotegraph.resolve.identity import GraphChange, Identity
    from sotegraph.store import open_store

    store = open_store()
    doc = "d" * 64
    a, b = project_iri(name="alfa"), project_iri(name="beeta")
    g = Graph()
    g.add((a, SKOS.prefLabel, Literal("Alfa", lang="fi")))
    g.add((b, SKOS.prefLabel, Literal("Beeta", lang="fi")))
    g.add((a, SG.sisterProject, b))
    store.replace_graph(document_iri(doc), g)
    change = GraphChange(doc, renames={str(a): str(b), str(b): str(a)})
    store.update(_identity_update(Identity({}, [change])))
    after = store.graph(document_iri(doc))
    assert (b, SKOS.prefLabel, Literal("Alfa", lang="fi")) in after
    assert (a, SKOS.prefLabel, Literal("Beeta", lang="fi")) in after
    assert (b, SG.sisterProject, a) in after
    assert len(after) == 3
    assert not [t for t in after if "urn:sotegraph" in str(t)]

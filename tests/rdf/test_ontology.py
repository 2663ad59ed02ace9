"""The ontology: parses, is complete for the code, carries fi/en labels, matches vocab.py,
and survives an OWL-RL closure without inconsistency."""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from sotegraph import resources
from sotegraph.vocab import SG

ROOT = Path(__file__).resolve().parents[2]
NS = "https://w3id.org/sotegraph/ontology#"
ONTOLOGY_IRI = URIRef("https://w3id.org/sotegraph/ontology")
VANN = "http://purl.org/vocab/vann/"
EURIO = "http://data.europa.eu/s66#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def onto() -> Graph:
    text = resources.ontology_file("sotegraph.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def sg_terms(g: Graph) -> set[URIRef]:
    return {
        s
        for k in KINDS
        for s in g.subjects(RDF.type, k)
        if isinstance(s, URIRef) and str(s).startswith(NS)
    }


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_vocab", ROOT / "scripts" / "generate_vocab.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    titles = {t.language for t in onto.objects(ONTOLOGY_IRI, DCTERMS.title)}  # type: ignore[attr-defined]
    assert {"fi", "en"} <= titles
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert onto.value(ONTOLOGY_IRI, DCTERMS.license) is not None
    assert onto.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert onto.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespacePrefix")) == Literal("sg")


def test_every_term_has_fi_and_en_label_and_comment(onto: Graph) -> None:
    terms = sg_terms(onto)
    assert len(terms) > 70
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            langs = {x.language for x in onto.objects(term, prop) if isinstance(x, Literal)}
            assert {"fi", "en"} <= langs, (term, prop)


def test_properties_have_ranges_and_object_properties_domains(onto: Graph) -> None:
    for p in onto.subjects(RDF.type, OWL.ObjectProperty):
        if str(p).startswith(NS):
            assert onto.value(p, RDFS.range) is not None, p
    contract = [
        "lead",
        "partner",
        "collaborator",
        "participant",
        "funder",
        "authority",
        "memberOf",
        "gathers",
        "sisterProject",
        "targetArea",
        "theme",
        "projectCode",
        "businessId",
        "grantedEUStateFunding",
        "realisedEUStateFunding",
        "plannedPublicFunding",
        "realisedPublicFunding",
        "sha256",
    ]
    for name in contract:
        assert onto.value(URIRef(NS + name), RDFS.domain) is not None, name


def test_contract_classes_and_alignments(onto: Graph) -> None:
    def sub(c: str, sup: str) -> bool:
        return (URIRef(NS + c), RDFS.subClassOf, URIRef(sup)) in onto

    for c in [
        "Project",
        "Organisation",
        "Consortium",
        "Network",
        "Municipality",
        "SubRegion",
        "Region",
        "WellbeingCounty",
        "Theme",
        "Fund",
        "Person",
        "Document",
    ]:
        assert (URIRef(NS + c), RDF.type, OWL.Class) in onto, c
    assert sub("Project", SCHEMA + "Project")
    assert sub("Project", EURIO + "Project")
    assert sub("Organisation", ORG + "Organization")
    assert sub("Organisation", EURIO + "Organisation")
    assert sub("Theme", "http://www.w3.org/2004/02/skos/core#Concept")
    assert sub("Document", "http://www.w3.org/ns/prov#Entity")
    for role in ("lead", "partner", "collaborator"):
        assert (SG[role], RDFS.subPropertyOf, SG.participant) in onto
    assert (SG.funder, RDFS.subPropertyOf, URIRef(SCHEMA + "funder")) in onto
    assert (SG.sisterProject, RDF.type, OWL.SymmetricProperty) in onto
    # alignments are sub-class / sub-property, never equivalence
    assert not list(onto.triples((None, OWL.equivalentClass, None)))
    assert not list(onto.triples((None, OWL.equivalentProperty, None)))


def test_vocab_module_matches_the_ontology() -> None:
    script = load_script()
    generated = script.render()
    current = (ROOT / "src" / "sotegraph" / "vocab.py").read_text(encoding="utf-8")
    assert current == generated, "vocab.py drifted: run python scripts/generate_vocab.py"


def test_vocab_terms_are_exactly_the_declared_terms(onto: Graph) -> None:
    declared = {str(t)[len(NS) :] for t in sg_terms(onto)}
    in_vocab = set(SG.__annotations__)
    assert declared == in_vocab
    with pytest.raises(AttributeError):
        _ = SG.Projcet


_USE = [
    re.compile(r"\bSG\.([A-Za-z_]\w*)"),
    re.compile(r"\bSG\[\s*[\"']([A-Za-z_]\w*)[\"']\s*\]"),
    re.compile(r"(?<![\w<:/#])sg:([A-Za-z_][\w-]*)"),
    re.compile(r"ontology#([A-Za-z_]\w*)"),
    re.compile(r"_sg\(\s*[\"'](\w+)[\"']\s*\)"),
]


def used_terms() -> dict[str, set[str]]:
    files = [
        *(ROOT / "src").rglob("*.py"),
        *(ROOT / "queries").rglob("*.rq"),
        ROOT / "ontology" / "shapes.ttl",
    ]
    used: dict[str, set[str]] = {}
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f.name == "vocab.py":  # its doctest shows a misspelt term on purpose
            text = text.split('"""', 2)[-1]
        for pattern in _USE:
            for name in pattern.findall(text):
                if not name.startswith("_"):
                    used.setdefault(name, set()).add(str(f.relative_to(ROOT)))
    return used


def test_every_sg_term_used_in_code_and_queries_is_declared(onto: Graph) -> None:
    used = used_terms()
    assert len(used) > 40  # the grep does find the terms
    assert "lead" in used
    assert "Project" in used
    declared = {str(t)[len(NS) :] for t in onto.subjects() if str(t).startswith(NS)}
    missing = {name: sorted(files) for name, files in used.items() if name not in declared}
    assert not missing, f"sg: terms used but not declared in ontology/sotegraph.ttl: {missing}"


def test_owl_rl_closure_is_consistent(onto: Graph) -> None:
    import owlrl

    g = Graph()
    for triple in onto:
        g.add(triple)
    # data in the shape of the pipeline: every conforming shape fixture
    for f in sorted((ROOT / "tests" / "data" / "shapes").glob("*.ok.ttl")):
        g.parse(f, format="turtle")
    start = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    elapsed = time.perf_counter() - start
    errors = [
        str(m)
        for m in g.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error"))
    ]
    assert errors == []
    assert not [s for s in g.subjects(RDF.type, OWL.Nothing) if not isinstance(s, BNode)]
    assert not list(g.triples((None, OWL.differentFrom, None))) or not [
        (a, b) for a, b in g.subject_objects(OWL.differentFrom) if (a, OWL.sameAs, b) in g
    ]
    # the closure did infer things (sub-property and sub-class reasoning ran)
    project = URIRef("https://w3id.org/sotegraph/id/project/S20001")
    assert (project, RDF.type, URIRef(SCHEMA + "Project")) in g
    assert elapsed < 120


def test_owl_rl_closure_detects_a_clash(onto: Graph) -> None:
    """The disjointness axioms are real: a thing typed both project and organisation clashes."""
    import owlrl

    g = Graph()
    for triple in onto:
        g.add(triple)
    thing = URIRef("https://w3id.org/sotegraph/id/project/S99999")
    g.add((thing, RDF.type, SG.Project))
    g.add((thing, RDF.type, SG.Organisation))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    errors = list(g.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")))
    assert errors


def test_owl_rl_closure_of_the_pipelines_own_output_is_consistent(
    onto: Graph, seeds_dir: Path
) -> None:
    """The EURA seed records through the real extractor and RDF mapping: no clash."""
    import owlrl

    from sotegraph.extract.eura import parse_eura
    from sotegraph.rdf import facts_to_graph
    from sotegraph.read import Genre, read_document

    g = Graph()
    for triple in onto:
        g.add(triple)
    records = 0
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = read_document(path)
        if doc.genre is Genre.EURA_RECORD:
            records += 1
            for triple in facts_to_graph(parse_eura(doc)):
                g.add(triple)
    assert records >= 1
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    errors = [
        str(m)
        for m in g.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error"))
    ]
    assert errors == []
    assert any(g.subjects(RDF.type, URIRef(EURIO + "Project")))

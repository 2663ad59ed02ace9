"""Namespaces of the data contract and the functions that mint resource IRIs.

Every resource gets the same IRI whichever document names it (see DESIGN.md).

Examples
--------
>>> from sotegraph.namespaces import project_iri, organisation_iri, slugify
>>> str(project_iri(code="S21259"))
'https://w3id.org/sotegraph/id/project/S21259'
>>> str(organisation_iri(business_id="2553600-4"))
'https://w3id.org/sotegraph/id/organisation/2553600-4'
>>> slugify("Jyväskylän ammattikorkeakoulu")
'jyvaskylan-ammattikorkeakoulu'
>>> str(region_iri("municipality", 91))
'https://w3id.org/sotegraph/id/municipality/091'
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Graph
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD, Namespace
from rdflib.term import URIRef

from sotegraph.errors import UsageError
from sotegraph.facts import AreaLevel
from sotegraph.vocab import SG

__all__ = [
    "DCTERMS",
    "EURIO",
    "GRAPH_NAMES",
    "ORG",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SG",
    "SGID",
    "SKOS",
    "XSD",
    "YSO",
    "bind_prefixes",
    "consortium_iri",
    "document_iri",
    "fund_iri",
    "network_iri",
    "organisation_iri",
    "participation_iri",
    "period_iri",
    "project_iri",
    "region_iri",
    "slugify",
    "theme_iri",
]

SGID = Namespace("https://w3id.org/sotegraph/id/")
SCHEMA = Namespace("https://schema.org/")
EURIO = Namespace("http://data.europa.eu/s66#")
YSO = Namespace("http://www.yso.fi/onto/yso/")

PREFIXES: dict[str, str] = {
    "sg": str(SG._NS),
    "sgid": str(SGID),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "xsd": str(XSD),
    "rdfs": str(RDFS),
    "eurio": str(EURIO),
    "yso": str(YSO),
}

#: The region kinds (levels of the classification) and the width of their codes.
_REGION_KINDS: dict[str, int] = {
    AreaLevel.MUNICIPALITY: 3,
    AreaLevel.SUBREGION: 3,
    AreaLevel.REGION: 2,
    AreaLevel.WELLBEING_COUNTY: 2,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the contract's prefixes on ``graph`` explicitly and return it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug: letters and digits joined by single hyphens."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug or "unnamed"


def project_iri(*, code: str | None = None, name: str | None = None) -> URIRef:
    """IRI of a project: by programme code where one exists, else by a slug of its name."""
    if code:
        return SGID[f"project/{code.strip().upper()}"]
    if name:
        return SGID[f"project/{slugify(name)}"]
    raise UsageError("a project IRI needs a code or a name")


def organisation_iri(*, business_id: str | None = None, name: str | None = None) -> URIRef:
    """IRI of an organisation: by Y-tunnus where known, else by a slug of its canonical name."""
    if business_id:
        return SGID[f"organisation/{business_id.strip()}"]
    if name:
        return SGID[f"organisation/{slugify(name)}"]
    raise UsageError("an organisation IRI needs a business id or a name")


def consortium_iri(name: str) -> URIRef:
    """IRI of a consortium, by a slug of its canonical name."""
    return SGID[f"consortium/{slugify(name)}"]


def network_iri(name: str) -> URIRef:
    """IRI of a network, by a slug of its canonical name."""
    return SGID[f"network/{slugify(name)}"]


def region_iri(kind: AreaLevel | str, code: int | str) -> URIRef:
    """IRI of a municipality, sub-region, region or wellbeing county by its zero-padded code.

    Raises
    ------
    ValueError
        If ``kind`` is not one of the four region kinds.
    """
    width = _REGION_KINDS.get(kind)
    if width is None:
        raise UsageError(f"unknown region kind {kind!r}; valid: {', '.join(_REGION_KINDS)}")
    digits = re.sub(r"\D", "", str(code))
    return SGID[f"{kind}/{int(digits):0{width}d}"]


def theme_iri(label: str) -> URIRef:
    """IRI of a theme concept, by a slug of its Finnish label."""
    return SGID[f"theme/{slugify(label)}"]


def fund_iri(code: str) -> URIRef:
    """IRI of a fund such as ``ESR`` or ``EAKR``."""
    return SGID[f"fund/{code.strip().upper()}"]


def document_iri(sha256: str) -> URIRef:
    """IRI of a source document, which is also the name of its named graph."""
    return SGID[f"document/{sha256}"]


def period_iri(label: str) -> URIRef:
    """IRI of a programme period such as ``2014-2020``."""
    return SGID[f"period/{slugify(label)}"]


def participation_iri(project_key: str, n: int) -> URIRef:
    """IRI of a qualified participation node (flat, see DESIGN.md)."""
    key = re.sub(r"[^A-Za-z0-9]+", "-", project_key).strip("-") or "p"
    return SGID[f"participation/{key}-{n}"]


#: The named graphs that are not documents: reference data and the manifest.
GRAPH_NAMES = {
    "regions": SGID["graph/regions"],
    "themes": SGID["graph/themes"],
    "organisations": SGID["graph/organisations"],
    "funds": SGID["graph/funds"],
    "manifest": SGID["graph/manifest"],
}

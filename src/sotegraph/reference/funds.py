"""Reference data of funds: the structural funds (ESR, EAKR) and their programme periods."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS, XSD

from sotegraph.namespaces import GRAPH_NAMES, SCHEMA, SG, bind_prefixes, fund_iri, period_iri

__all__ = ["FUND_NAMES", "funds_graph"]

#: The funds by code, with their Finnish names.
FUND_NAMES = {"ESR": "Euroopan sosiaalirahasto", "EAKR": "Euroopan aluekehitysrahasto"}


def funds_graph() -> Graph:
    """The reference graph of funds (``sgid:fund/ESR``, ``sgid:fund/EAKR``) and periods."""
    g = bind_prefixes(Graph(identifier=GRAPH_NAMES["funds"]))
    for code, name in FUND_NAMES.items():
        ref = fund_iri(code)
        g.add((ref, RDF.type, SG.Fund))
        g.add((ref, SKOS.prefLabel, Literal(name, lang="fi")))
        g.add((ref, SKOS.notation, Literal(code)))
    for label, (start, end) in {"2007-2013": (2007, 2013), "2014-2020": (2014, 2020)}.items():
        ref = period_iri(label)
        g.add((ref, RDF.type, SG.ProgrammePeriod))
        g.add((ref, SKOS.prefLabel, Literal(f"Ohjelmakausi {label}", lang="fi")))
        g.add((ref, SKOS.prefLabel, Literal(f"Programme period {label}", lang="en")))
        g.add((ref, SCHEMA.startDate, Literal(f"{start:04d}", datatype=XSD.gYear)))
        g.add((ref, SCHEMA.endDate, Literal(f"{end:04d}", datatype=XSD.gYear)))
    return g

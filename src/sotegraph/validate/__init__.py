"""SHACL validation of sotegraph graphs, with a typed report people can act on.

The shapes live in ``ontology/shapes.ttl``. :func:`validate` checks a graph (or every
document graph of a dataset) against them together with the reference graphs (regions,
funds, themes), and returns a :class:`ValidationReport` whose results keep their severity
(Violation / Warning / Info), focus node, path, value, message in Finnish and English, shape
and the source documents the focus node came from.

How it runs
-----------
* **Per document, then graph-wide.** Shapes are *document* shapes (the default) or *graph*
  shapes (``sgsh:scope "graph"``: rules whose answer depends on other documents, such as
  "a project from an article has a lead somewhere"). With a dataset, document shapes run on
  each document's named graph (so one bad file is reported with its name while the rest goes
  on, :func:`validate_document` is the same check at ingest time) and graph shapes run once on
  the union (:func:`validate_graph_wide`). Reference graphs (named ``sgid:graph/...``) are
  context: their nodes are looked up (``sh:class``), never validated as data.
* **Fast Core engine.** The Core constraints the shapes use are evaluated directly on the
  rdflib graphs (no copy of the data, no inference). ``engine="pyshacl"`` runs the same shapes
  through pyshacl instead (slower; used by the tests as the reference implementation).
* **Rules SHACL Core cannot express cheaply** (Y-tunnus check digit by :mod:`sotegraph.values`,
  year-dependent target-area containment, dates known only to the year) are shapes marked
  ``sh:deactivated true; sgsh:implementedIn "python"`` whose severity and messages come from
  ``shapes.ttl``; their results appear in the same report.

Modules
-------
``report`` (the report types and their renderings), ``index`` (triple indexes and
:class:`IndexedGraph`), ``shapes`` (the shipped shapes, the shape model), ``references``
(the shipped reference data), ``inputs`` (the documents and context of a graph or a
dataset), ``core`` (the Core engine), ``pyshacl`` (the pyshacl adapter), ``checks`` (the
rules implemented in Python) and ``run`` (the entry points, re-exported here).

Examples
--------
>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
... @prefix sg: <https://w3id.org/sotegraph/ontology#> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... @prefix prov: <http://www.w3.org/ns/prov#> .
... @prefix dcterms: <http://purl.org/dc/terms/> .
... <https://w3id.org/sotegraph/id/document/0000000000000000000000000000000000000000000000000000000000000001>
...     a sg:Document ; dcterms:source "esimerkki.txt" ; sg:genre "article" ;
...     sg:sha256 "0000000000000000000000000000000000000000000000000000000000000001" .
... <https://w3id.org/sotegraph/id/organisation/0201256-7> a sg:Organisation ;
...     skos:prefLabel "Esimerkki Oy"@fi ; sg:businessId "0201256-7" ;
...     prov:wasDerivedFrom <https://w3id.org/sotegraph/id/document/0000000000000000000000000000000000000000000000000000000000000001> .
... ''')
>>> report = validate(data)
>>> report.conforms
False
>>> [(r.severity.value, r.path.n3()) for r in report.results]
[('Violation', '<https://w3id.org/sotegraph/ontology#businessId>')]
>>> report.results[0].expected
'0201256-6'
>>> print(report.render(lang="en").splitlines()[0])
File: esimerkki.txt
"""

from __future__ import annotations

from sotegraph.facts import Severity
from sotegraph.validate.index import IndexedGraph
from sotegraph.validate.references import reference_graph
from sotegraph.validate.report import (
    SGSH,
    Lang,
    SourceDocument,
    ValidationReport,
    ValidationResult,
)
from sotegraph.validate.report import _short as _short
from sotegraph.validate.run import Engine, validate, validate_document, validate_graph_wide
from sotegraph.validate.run import EngineName as EngineName
from sotegraph.validate.shapes import shapes_graph

__all__ = [
    "SGSH",
    "Engine",
    "IndexedGraph",
    "Lang",
    "Severity",
    "SourceDocument",
    "ValidationReport",
    "ValidationResult",
    "reference_graph",
    "shapes_graph",
    "validate",
    "validate_document",
    "validate_graph_wide",
]

"""Regenerate ``src/sotegraph/vocab.py`` from ``ontology/sotegraph.ttl``.

The ontology is the source of truth for the ``sg:`` terms; the generated module is an
``rdflib.namespace.DefinedNamespace`` with ``_fail = True``, so a misspelt term fails at once.

Usage::

    python scripts/generate_vocab.py           # rewrite src/sotegraph/vocab.py
    python scripts/generate_vocab.py --check   # exit 1 if the file differs from the ontology
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Literal, URIRef

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "sotegraph.ttl"
TARGET = ROOT / "src" / "sotegraph" / "vocab.py"
SG = "https://w3id.org/sotegraph/ontology#"

_GROUPS: tuple[tuple[str, URIRef], ...] = (
    ("classes", OWL.Class),
    ("object properties", OWL.ObjectProperty),
    ("datatype properties", OWL.DatatypeProperty),
    ("annotation properties", OWL.AnnotationProperty),
)

_HEADER = '''"""Terms of the sotegraph ontology (``sg:``) as a closed rdflib namespace.

GENERATED from ``ontology/sotegraph.ttl`` by ``scripts/generate_vocab.py``; do not edit.
A misspelt term fails at once:

>>> from sotegraph.vocab import SG
>>> SG.Project
rdflib.term.URIRef('https://w3id.org/sotegraph/ontology#Project')
>>> SG.Projcet
Traceback (most recent call last):
...
AttributeError: term 'Projcet' not in namespace 'https://w3id.org/sotegraph/ontology#'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class SG(DefinedNamespace):
    """The sotegraph ontology namespace."""

    _NS = Namespace("https://w3id.org/sotegraph/ontology#")
    _fail = True
'''


def _label(graph: Graph, term: URIRef) -> str:
    for label in graph.objects(term, RDFS.label):
        if isinstance(label, Literal) and label.language == "en":
            return str(label)
    return ""


def declared_terms(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    """Return the ``sg:`` terms declared in ``graph``, by group, as (local name, English label)."""
    out: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    for group, kind in _GROUPS:
        names: list[tuple[str, str]] = []
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(SG):
                local = str(term)[len(SG) :]
                if local and local not in seen:
                    seen.add(local)
                    names.append((local, _label(graph, term)))
        out[group] = sorted(names, key=lambda pair: (pair[0].lower(), pair[0]))
    return out


def render(ontology: Path = ONTOLOGY) -> str:
    """Return the text of ``vocab.py`` for the ontology at ``ontology``."""
    graph = Graph()
    graph.parse(ontology, format="turtle")
    lines = [_HEADER]
    for group, terms in declared_terms(graph).items():
        if not terms:
            continue
        lines.append(f"\n    # {group}\n")
        for local, label in terms:
            comment = f"  # {label}" if label else ""
            lines.append(f"    {local}: URIRef{comment}\n")
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) ``src/sotegraph/vocab.py``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, exit 1 on drift")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(
                f"{TARGET} differs from {ONTOLOGY}; run scripts/generate_vocab.py", file=sys.stderr
            )
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

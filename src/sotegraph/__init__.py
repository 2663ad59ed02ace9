"""sotegraph: a knowledge graph of Finnish social- and health-care development projects.

Importing the package is cheap: spaCy is loaded and stores are opened only when used.

Examples
--------
>>> import sotegraph
>>> sotegraph.__version__
'0.1.0'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sotegraph._version import __version__

__all__ = [
    "Document",
    "Facts",
    "KnowledgeGraph",
    "SotegraphError",
    "ValidationReport",
    "__version__",
    "build",
    "extract",
    "open_store",
    "read_document",
    "validate",
]

_LAZY = {
    "Document": ("sotegraph.read", "Document"),
    "read_document": ("sotegraph.read", "read_document"),
    "Facts": ("sotegraph.facts", "Facts"),
    "KnowledgeGraph": ("sotegraph.builder", "KnowledgeGraph"),
    "build": ("sotegraph.builder", "build"),
    "extract": ("sotegraph.extract", "extract"),
    "open_store": ("sotegraph.store", "open_store"),
    "SotegraphError": ("sotegraph.errors", "SotegraphError"),
    "ValidationReport": ("sotegraph.validate", "ValidationReport"),
    "validate": ("sotegraph.validate", "validate"),
}

if TYPE_CHECKING:  # pragma: no cover
    from sotegraph.builder import KnowledgeGraph, build
    from sotegraph.errors import SotegraphError
    from sotegraph.extract import extract
    from sotegraph.facts import Facts
    from sotegraph.read import Document, read_document
    from sotegraph.store import open_store
    from sotegraph.validate import ValidationReport, validate


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'sotegraph' has no attribute {name!r}") from None
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

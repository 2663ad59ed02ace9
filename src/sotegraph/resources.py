"""The one place that loads shipped resources: ontology, shapes, queries and data.

In an installed wheel the folders ``ontology/``, ``queries/`` and ``data/`` live in
``sotegraph/_resources/``; in a source checkout they are read from the repository root.

Examples
--------
>>> from sotegraph import resources
>>> resources.ontology_file("sotegraph.ttl").name
'sotegraph.ttl'
>>> "projects" in resources.query_names()
True
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import resources as _ir
from importlib.resources.abc import Traversable
from pathlib import Path

from sotegraph.errors import UsageError

__all__ = [
    "ResourceKind",
    "data_file",
    "list_data_files",
    "ontology_file",
    "query_names",
    "query_text",
    "resource_root",
]


class ResourceKind(StrEnum):
    """The kinds of shipped resources, each a folder."""

    ONTOLOGY = "ontology"
    QUERIES = "queries"
    DATA = "data"


@cache
def resource_root(kind: ResourceKind | str) -> Traversable:
    """Return the folder holding one kind of shipped resource.

    Parameters
    ----------
    kind:
        One of ``"ontology"``, ``"queries"``, ``"data"``.

    Raises
    ------
    UsageError
        If ``kind`` is not one of the three (also a ``ValueError``).
    FileNotFoundError
        If the folder is neither in the installed package nor in a source checkout.
    """
    try:
        kind = ResourceKind(kind)
    except ValueError:
        valid = ", ".join(ResourceKind)
        raise UsageError(f"unknown resource kind {kind!r}; valid: {valid}") from None
    packaged = _ir.files("sotegraph").joinpath("_resources", kind)
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / kind
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"sotegraph resource folder {kind.value!r} not found (broken install?)")


def ontology_file(name: str) -> Traversable:
    """Return a file in ``ontology/`` (``sotegraph.ttl`` or ``shapes.ttl``)."""
    return _existing(resource_root(ResourceKind.ONTOLOGY).joinpath(name), name)


def data_file(*parts: str) -> Traversable:
    """Return a file under ``data/``, e.g. ``data_file("regions", "municipalities.csv")``."""
    return _existing(resource_root(ResourceKind.DATA).joinpath(*parts), "/".join(parts))


def list_data_files() -> list[str]:
    """Return the relative paths of every shipped data file (not the examples)."""
    out: list[str] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            else:
                out.append(rel)

    walk(resource_root(ResourceKind.DATA), "")
    return out


def query_names() -> list[str]:
    """Return the names of the shipped named queries (file names without ``.rq``)."""
    root = resource_root(ResourceKind.QUERIES)
    return sorted(c.name[:-3] for c in root.iterdir() if c.name.endswith(".rq"))


def query_text(name: str) -> str:
    """Return the text of ``queries/<name>.rq``, a shipped named query.

    Only the names :func:`query_names` lists are read: a path (``../x``, ``x.rq``, ``/tmp/x``,
    ``a/b``) is no name, so nothing outside ``queries/`` is opened.

    Raises
    ------
    FileNotFoundError
        If there is no such query (the message lists the valid names).

    Examples
    --------
    >>> query_text("projects").startswith("# title:")
    True
    >>> query_text("../queries/projects")
    Traceback (most recent call last):
    ...
    FileNotFoundError: no shipped query named '../queries/projects'; valid: brokers, ...
    """
    names = query_names()
    if name not in names:
        raise FileNotFoundError(f"no shipped query named {name!r}; valid: {', '.join(names)}")
    return _existing(
        resource_root(ResourceKind.QUERIES).joinpath(f"{name}.rq"), f"{name}.rq"
    ).read_text(encoding="utf-8")


def _existing(node: Traversable, label: str) -> Traversable:
    if not node.is_file():
        raise FileNotFoundError(f"shipped resource {label!r} not found")
    return node

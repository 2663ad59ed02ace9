"""What the network functions share and the command line checks its options against: the
kinds of overlap (:class:`OverlapBy`), the attribute groups (:data:`ATTRIBUTES`), the common
SELECTs and how they run. No numpy, scipy, networkx nor ``sotegraph.store``: the
co-participation network read for a file (:mod:`sotegraph.network.plain`) needs only these.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the plain network reads a pyoxigraph store without sotegraph.store
    from sotegraph.store import Store


class OverlapBy(enum.StrEnum):
    """What two projects can share."""

    PARTNERS = "partners"
    """Participating organisations (lead, partner, collaborator)."""
    PLACES = "places"
    """Target areas plus the regions they lie in (today's map)."""
    THEMES = "themes"
    """Theme concepts."""
    GROUPS = "groups"
    """Consortia and networks (sg:memberOf) and coordinating projects (sg:gathers)."""
    TIME = "time"
    """Days of the project periods (interval Jaccard: overlap / union)."""


#: The groups of node attributes :func:`load_network_data` can select (``attributes=``).
ATTRIBUTES: tuple[str, ...] = (
    "project",  # code, fund, programme period, dates and period, status, funding, lead
    "organisation",  # business id, organisation type
    "roles",  # lead / partner / collaborator of each participation
    "areas",  # regions and wellbeing counties, stated and inferred, with the basis
    "themes",  # theme concepts
    "groups",  # consortia and networks
    "sote",  # sote relevance
    "documents",  # source files
)

SG = "https://w3id.org/sotegraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

PROJECTS_SPARQL = f"SELECT ?project WHERE {{ ?project a <{SG}Project> }}"
"""The typed projects (the rows of every incidence)."""
LABELS_SPARQL = f"""SELECT ?s ?label WHERE {{
  ?s <{SKOS}prefLabel> ?label FILTER(LANG(?label) = "fi") }}"""
"""Finnish preferred labels."""
PARTNERS_SPARQL = f"""SELECT ?project ?item WHERE {{ ?project <{SG}participant> ?item }}"""
"""Who takes part in which project (lead, partner or collaborator), the partners incidence."""
PARTNER_IRIS_SPARQL = f"""SELECT ?project ?item WHERE {{
  ?project <{SG}participant> ?item FILTER(isIRI(?project) && isIRI(?item)) }}"""
"""The same pairs where both are IRIs (as :meth:`Store.select_iri_pairs` keeps them), for
:meth:`Store.select_lexical`."""


def run_selects(store: Store, jobs: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run the selects; an embedded store (Oxigraph releases the GIL while it evaluates)
    runs two at a time, on the machine's two cores or more."""
    if not store.embedded or len(jobs) < 2:
        return {name: job() for name, job in jobs.items()}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sotegraph-select") as pool:
        pending = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in pending.items()}

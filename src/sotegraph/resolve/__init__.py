"""Resolution: the one stage that looks across documents.

:class:`Resolver` fills the ``iri`` / ``canonical_name`` / ``code`` fields of extracted facts
in place, so that every real thing gets one stable IRI whichever document names it:

* organisations: :class:`~sotegraph.resolve.organisations.OrganisationResolver`
  (Y-tunnus → curation → exact alias → normalised base form; new ones get slug IRIs);
* projects, consortia and networks: :mod:`sotegraph.resolve.projects` (code first, then
  name, aliases and abbreviations);
* target areas: :class:`~sotegraph.reference.regions.RegionResolver`, with the classification
  of the project's start year;
* themes: :class:`~sotegraph.reference.themes.ThemeResolver` (IRIs for theme mentions; themes
  from the project's name and summary when the extractor found none).

Region and theme resolution are used when those modules are installed.

Examples
--------
>>> from sotegraph.facts import Facts, OrganisationFact, ProjectFact
>>> from sotegraph.resolve import Resolver
>>> a = Facts("d1", "a.txt", organisations=[OrganisationFact("o1", "Jyväskylän ammattikorkeakoulun")],
...           projects=[ProjectFact("p1", name="Soteliiderit")])
>>> b = Facts("d2", "b.txt", organisations=[OrganisationFact("o1", "JAMK")],
...           projects=[ProjectFact("p1", name="SoteLiiderit-hanke")])
>>> r = Resolver()
>>> r.resolve_all([a, b])
>>> a.organisations[0].iri == b.organisations[0].iri, a.organisations[0].canonical_name
(True, 'Jyväskylän ammattikorkeakoulu')
>>> a.projects[0].iri == b.projects[0].iri
True
>>> r.report().counts["organisation_mentions"]
2
"""

from __future__ import annotations

import datetime as _dt
import gc
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from sotegraph import resources
from sotegraph.facts import Facts, Genre, PlaceMention, ProjectFact, ThemeMention
from sotegraph.namespaces import DCTERMS, PROV, SG, SGID, document_iri, fund_iri
from sotegraph.reference.funds import funds_graph
from sotegraph.reference.organisations import (
    FUND_IDS,
    Authority,
    Curations,
    organisations_graph,
)
from sotegraph.reference.regions import RegionResolver, regions_graph
from sotegraph.reference.themes import ThemeResolver, themes_graph
from sotegraph.resolve.identity import (
    ORGANISATION,
    Identity,
    Naming,
    _Context,
    _context,
    decide,
    namings_of,
    reachable,
    uncoded_projects,
)
from sotegraph.resolve.organisations import (
    BusinessIdWarning,
    MergeRecord,
    NearMiss,
    OrganisationResolver,
)
from sotegraph.resolve.projects import (
    GroupResolver,
    ProjectConflict,
    ProjectMerge,
    ProjectResolver,
)

__all__ = [
    "Identity",
    "Naming",
    "ResolutionReport",
    "Resolver",
    "UnresolvedPlace",
]

_FUND_PREFIX = str(SGID) + "fund/"

#: The ``sg:genre`` of a reference file a resource is derived from (the authority file).
REFERENCE_GENRE = "reference"

#: Weights of theme evidence by the project field it was found in.
THEME_FIELD_WEIGHTS = (
    ("name", 1.0),
    ("summary", 0.8),
    ("target_groups", 0.5),
    ("final_report_summary", 0.5),
)
#: Themes are inferred from the first this many characters of each field (an EURA summary
#: has a few thousand; a 50 MB one would take the theme matcher minutes).
THEME_FIELD_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class UnresolvedPlace:
    """A place mention that no unit of the regional classification matched."""

    text: str
    level: str
    year: int | None
    source: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"text": self.text, "level": self.level, "year": self.year, "source": self.source}


@dataclass(slots=True)
class ResolutionReport:
    """What resolution merged, what it did not, and what it could not resolve.

    Attributes
    ----------
    organisation_merges:
        Resources that several distinct names resolved to, with how each name matched.
    near_misses:
        Similar organisation names kept apart (for a person to curate in
        ``data/curations.csv``).
    new_organisations:
        ``(iri, name)`` of organisations not in the authority file.
    business_id_warnings:
        Y-tunnus values with a bad check digit (not used as keys).
    observed_business_ids:
        Valid Y-tunnus seen for authority organisations whose row has none.
    project_merges, group_merges:
        Projects / consortia and networks named in several mentions or documents.
    project_conflicts:
        Project names shared by projects with different codes (kept apart).
    unresolved_places:
        Target-area mentions left unresolved.
    counts:
        Totals (mentions, resources, resolved places, themes …).
    """

    organisation_merges: list[MergeRecord] = field(default_factory=list)
    near_misses: list[NearMiss] = field(default_factory=list)
    new_organisations: list[tuple[str, str]] = field(default_factory=list)
    business_id_warnings: list[BusinessIdWarning] = field(default_factory=list)
    observed_business_ids: dict[str, list[str]] = field(default_factory=dict)
    project_merges: list[ProjectMerge] = field(default_factory=list)
    group_merges: list[ProjectMerge] = field(default_factory=list)
    project_conflicts: list[ProjectConflict] = field(default_factory=list)
    unresolved_places: list[UnresolvedPlace] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready dictionaries and lists."""
        return {
            "counts": dict(self.counts),
            "organisation_merges": [m.to_dict() for m in self.organisation_merges],
            "near_misses": [n.to_dict() for n in self.near_misses],
            "new_organisations": [{"iri": i, "name": n} for i, n in self.new_organisations],
            "business_id_warnings": [w.to_dict() for w in self.business_id_warnings],
            "observed_business_ids": dict(self.observed_business_ids),
            "project_merges": [m.to_dict() for m in self.project_merges],
            "group_merges": [m.to_dict() for m in self.group_merges],
            "project_conflicts": [c.to_dict() for c in self.project_conflicts],
            "unresolved_places": [p.to_dict() for p in self.unresolved_places],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text.

        Examples
        --------
        >>> json.loads(ResolutionReport(counts={"organisation_mentions": 0}).to_json())["counts"]
        {'organisation_mentions': 0}
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def render(self, *, limit: int = 40) -> str:
        """The report as plain text, each section cut at ``limit`` entries.

        Examples
        --------
        >>> print(ResolutionReport(counts={"organisation_mentions": 3}).render())
        Resolution report
          organisation_mentions: 3
        """
        lines = ["Resolution report"]
        lines += [f"  {k}: {v}" for k, v in self.counts.items()]

        def section(title: str, items: list[str]) -> None:
            if not items:
                return
            lines.append("")
            lines.append(f"{title} ({len(items)})")
            lines.extend(f"  {s}" for s in items[:limit])
            if len(items) > limit:
                lines.append(f"  … {len(items) - limit} more (use --format json for all)")

        section(
            "Organisations: names merged into one resource",
            [
                f"{m.canonical_name} <{m.iri}> ← "
                + "; ".join(f"{n!r} [{how}]" for n, how in sorted(m.names.items()))
                for m in self.organisation_merges
            ],
        )
        section(
            "Organisations: near misses NOT merged",
            [
                f"{n.name!r} <{n.iri}> ≠ {n.other_name!r} <{n.other_iri}>"
                f" ({n.score:.2f}, {n.reason})"
                for n in self.near_misses
            ],
        )
        section(
            "Y-tunnus not used (bad check digit)",
            [f"{w.source}: {w.name!r} {w.business_id!r}" for w in self.business_id_warnings],
        )
        section(
            "Y-tunnus seen for authority organisations without one",
            [f"{k}: {', '.join(v)}" for k, v in self.observed_business_ids.items()],
        )
        section(
            "Projects named in several mentions",
            [
                f"<{m.iri}> ← " + " | ".join(m.names) + f" ({m.documents} documents)"
                for m in self.project_merges
            ],
        )
        section(
            "Consortia and networks named in several mentions",
            [
                f"<{m.iri}> ← " + " | ".join(m.names) + f" ({m.documents} documents)"
                for m in self.group_merges
            ],
        )
        section(
            "Project names kept apart (different codes)",
            [f"{c.key!r}: {', '.join(c.codes)} ({c.reason})" for c in self.project_conflicts],
        )
        section(
            "Unresolved places",
            [f"{p.source}: {p.text!r} ({p.level}, {p.year})" for p in self.unresolved_places],
        )
        section(
            "New organisations (not in the authority file)",
            [f"{name} <{iri}>" for iri, name in self.new_organisations],
        )
        return "\n".join(lines)


class Resolver:
    """Resolve the facts of many documents to canonical resources, in place.

    Parameters
    ----------
    curations:
        Person-made merge / keep-apart decisions: a path to a curations CSV, a
        :class:`~sotegraph.resolve.organisations.Curations`, or ``None`` for the shipped
        ``data/curations.csv``.
    authority:
        The organisation authority file (default: the shipped ``data/organisations.csv``).
    assign_themes:
        Assign themes from a project's name and summary when its extractor found none:
        ``True`` always, ``False`` never, ``None`` (default) for every genre except bulk
        tables (whose only text is the project name; 22,821 names would cost seconds).

    Notes
    -----
    The resolver keeps state across calls of :meth:`resolve_all` (new organisations met
    earlier keep their IRIs), and prints nothing.
    """

    def __init__(
        self,
        *,
        curations: str | Path | Curations | None = None,
        authority: Authority | None = None,
        assign_themes: bool | None = None,
    ) -> None:
        self.assign_themes = assign_themes
        self.organisations = OrganisationResolver(authority=authority, curations=curations)
        self._authority_source = "organisations.csv" if authority is None else None
        self.projects = ProjectResolver()
        self.groups = GroupResolver()
        self._regions: Any = None
        self._themes: Any = None
        self._regions_tried = False
        self._themes_tried = False
        self._unresolved: list[UnresolvedPlace] = []
        self._project_iris: set[str] = set()
        self._group_iris: set[str] = set()
        self._authority_cache: set[str] | None = None
        self._counts: dict[str, int] = {
            "documents": 0,
            "organisation_mentions": 0,
            "organisations_withheld": 0,
            "project_mentions": 0,
            "group_mentions": 0,
            "places_resolved": 0,
            "places_unresolved": 0,
            "themes_assigned": 0,
        }

    # ----- optional sub-resolvers ---------------------------------------------------------

    def _region_resolver(self) -> Any:
        if not self._regions_tried:
            self._regions_tried = True
            self._regions = RegionResolver()
        return self._regions

    def _theme_resolver(self) -> Any:
        if not self._themes_tried:
            self._themes_tried = True
            try:
                self._themes = ThemeResolver()
            except FileNotFoundError:  # a wheel built without the themes file
                self._themes = None
        return self._themes

    # ----- resolution -----------------------------------------------------------------------

    def resolve_all(self, facts_list: list[Facts]) -> None:
        """Fill the ``iri`` / ``canonical_name`` / ``code`` fields of all facts in place.

        Parameters
        ----------
        facts_list:
            The facts of every document of the build (resolution looks across them).
        """
        self._paused(self._resolve_all, list(facts_list), None)

    def resolve_against(
        self, facts_list: list[Facts], stored: Sequence[Naming], *, nearby: bool = False
    ) -> Identity:
        """Resolve new documents' facts together with what a store already holds.

        Parameters
        ----------
        facts_list:
            The facts of the new documents (filled in place, as by :meth:`resolve_all`).
        stored:
            The projects and organisations of the documents the store keeps, as
            :func:`~sotegraph.resolve.identity.read_namings` reads them.
        nearby:
            Resolve the new facts only with the stored projects they can reach
            (:func:`~sotegraph.resolve.identity.reachable`): the same result, in time and
            memory that follow what the new facts touch. Only when no stored document
            leaves (is replaced or removed) with this call.

        Returns
        -------
        Identity
            The preferred label of every project and organisation over the store and the new
            documents, and what changes in the stored graphs (resources that resolve to another
            IRI now, name statements). The store and the new documents are resolved as one
            set, and what earlier calls met is forgotten (the store is the memory): the same
            documents give the same IRIs and labels in whatever order and builds they came.

        Examples
        --------
        >>> from sotegraph.facts import Facts, ProjectFact
        >>> from sotegraph.resolve.identity import Naming
        >>> stored = [Naming("a" * 64, "article", "project",
        ...                  "https://w3id.org/sotegraph/id/project/koehanke", ["Koehanke"])]
        >>> record = Facts("b" * 64, "r.txt", genre="eura-record",
        ...                projects=[ProjectFact("p", name="Koehanke", code="S20001")])
        >>> found = Resolver().resolve_against([record], stored)
        >>> found.changes[0].renames
        {'https://w3id.org/sotegraph/id/project/koehanke': 'https://w3id.org/sotegraph/id/project/S20001'}
        """
        found: Identity = self._paused(self._resolve_against, list(facts_list), stored, nearby)
        return found

    def _resolve_against(
        self, facts_list: list[Facts], stored: Sequence[Naming], nearby: bool
    ) -> Identity:
        authority = self._authority_iris()
        by_name = uncoded_projects(stored)  # of the whole store, as without nearby
        if nearby:
            stored = reachable(facts_list, stored)
        context = _context(n for n in stored if not (n.kind == ORGANISATION and n.iri in authority))
        self._resolve_all(facts_list, context, by_name=by_name)
        org = self.organisations
        new = namings_of(facts_list, skip=lambda iri: iri.startswith(_FUND_PREFIX))
        fixed: dict[str, str] = {}
        for facts in [*context.facts, *facts_list]:
            for o in facts.organisations:
                if o.iri and o.iri not in fixed:
                    name = org.authority_name(o.iri)
                    if name is not None:
                        fixed[o.iri] = name
        return decide(context, new, fixed=fixed)

    def _authority_iris(self) -> set[str]:
        if self._authority_cache is None:
            self._authority_cache = {str(o.iri) for o in self.organisations.authority}
        return self._authority_cache

    @staticmethod
    def _paused(fn: Any, *args: Any) -> Any:
        # tens of thousands of small objects: the cyclic GC would cost as much as the work
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            return fn(*args)
        finally:
            if paused:
                gc.enable()

    def _resolve_all(
        self, facts_list: list[Facts], context: _Context | None, *, by_name: bool = False
    ) -> None:
        c = self._counts
        c["documents"] += len(facts_list)
        c["organisation_mentions"] += sum(len(f.organisations) for f in facts_list)
        # people's names withheld (sotegraph.privacy): resolved by their labels, not matched
        c["organisations_withheld"] += sum(
            o.private is True for f in facts_list for o in f.organisations
        )
        c["project_mentions"] += sum(len(f.projects) for f in facts_list)
        c["group_mentions"] += sum(len(f.groups) for f in facts_list)
        if context is None:
            self.organisations.resolve_facts(facts_list)
            self.projects.resolve_facts(facts_list)
        else:
            self.organisations.reset()  # the store is the memory
            self.organisations.resolve_facts([*context.facts, *facts_list])
            self.projects.resolve_facts(facts_list, context=context.facts, by_name=by_name)
        self.groups.resolve_facts(facts_list)
        for f in facts_list:
            self._project_iris.update(p.iri for p in f.projects if p.iri)
            self._group_iris.update(g.iri for g in f.groups if g.iri)
        regions = self._region_resolver()
        themes = self._theme_resolver()
        for facts in facts_list:
            if regions is not None:
                self._resolve_places(facts, regions)
            if themes is not None:
                infer = (
                    self.assign_themes
                    if self.assign_themes is not None
                    else facts.genre is not Genre.BULK_TABLE
                )
                for p in facts.projects:
                    self._resolve_themes(p, themes, infer=infer)

    def _resolve_places(self, facts: Facts, regions: Any) -> None:
        for p in facts.projects:
            year = _start_year(p)
            for place in p.places:
                self._resolve_place(place, year, facts.source, regions)
        year = next((y for y in map(_start_year, facts.projects) if y is not None), None)
        for place in facts.unresolved_places:
            self._resolve_place(place, year, facts.source, regions)

    def _resolve_place(
        self, place: PlaceMention, year: int | None, source: str, regions: Any
    ) -> None:
        if place.iri:
            return
        try:
            match = regions.resolve(place.text, level=place.level, year=year)
        except (ValueError, KeyError):
            match = None
        if match is None:
            self._counts["places_unresolved"] += 1
            self._unresolved.append(UnresolvedPlace(place.text, place.level.value, year, source))
            return
        place.iri = str(match.iri)
        place.code = match.code
        place.canonical_name = match.name
        self._counts["places_resolved"] += 1

    def _resolve_themes(self, p: ProjectFact, themes: Any, *, infer: bool) -> None:
        for mention in p.themes:
            if mention.iri is None:
                concept = themes.concept(mention.label)
                if concept is None:
                    found = themes.assign(mention.label)
                    concept = themes.concept(found[0].label) if found else None
                if concept is not None:
                    mention.iri = concept.iri
        if p.themes or not infer:
            return
        seen: dict[str, ThemeMention] = {}
        for attr, weight in THEME_FIELD_WEIGHTS:
            text = getattr(p, attr, None)
            if not text:
                continue
            for m in themes.assign(text[:THEME_FIELD_CHARS], weight=weight):
                # spans from a field are not offsets into the document: keep none
                key = m.iri or m.label
                if key in seen:
                    seen[key].weight += m.weight
                else:
                    seen[key] = ThemeMention(m.label, None, m.weight, m.iri)
        p.themes.extend(seen.values())
        self._counts["themes_assigned"] += len(seen)

    # ----- report and reference data -----------------------------------------------------

    def report(self, *, near_misses: bool = True) -> ResolutionReport:
        """Return what was merged, what was not, and what stayed unresolved.

        Parameters
        ----------
        near_misses:
            Compute near misses among organisation names (linear in the number of names).
        """
        org = self.organisations
        merges = org.merges()
        new = org.new_organisations()
        counts = dict(self._counts)
        counts["organisation_resources"] = org.resource_count
        counts["organisations_new"] = len(new)
        counts["organisation_names_without_words"] = len(org.unnamed)
        counts["organisation_merges"] = len(merges)
        counts["projects"] = len(self._project_iris)
        counts["groups"] = len(self._group_iris)
        return ResolutionReport(
            organisation_merges=merges,
            near_misses=org.near_misses() if near_misses else [],
            new_organisations=new,
            business_id_warnings=list(org.warnings),
            observed_business_ids=org.observed_business_ids(),
            project_merges=list(self.projects.merges),
            group_merges=list(self.groups.merges),
            project_conflicts=list(self.projects.conflicts) + list(self.groups.conflicts),
            unresolved_places=list(self._unresolved),
            counts=counts,
        )

    def reference_graphs(self) -> dict[str, Graph]:
        """The reference data as RDF graphs, keyed by graph IRI.

        ``sgid:graph/organisations`` (the authority file), ``sgid:graph/funds`` (ESR, EAKR and
        the programme periods), and ``sgid:graph/regions`` / ``sgid:graph/themes`` when those
        modules are installed.

        Examples
        --------
        >>> sorted(Resolver().reference_graphs())[:2]  # doctest: +ELLIPSIS
        ['https://w3id.org/sotegraph/id/graph/funds', 'https://w3id.org/sotegraph/id/graph/organisations'...]
        """
        out: dict[str, Graph] = {}
        og = organisations_graph(self.organisations.authority)
        self._authority_provenance(og)
        out[str(og.identifier)] = og
        fg = _funds_graph(self.organisations.authority)
        out[str(fg.identifier)] = fg
        rg = regions_graph()
        out[str(rg.identifier)] = rg
        try:
            tg = themes_graph()
        except FileNotFoundError:  # a wheel built without the themes file
            pass
        else:
            out[str(tg.identifier)] = tg
        return out

    def _authority_provenance(self, og: Graph) -> None:
        """Derive every organisation of ``og`` from the authority file, an ``sg:Document``.

        The file is a document of genre ``reference`` named by the SHA-256 of its text (of its
        rows, for an authority given as rows), so that the provenance shape holds for the
        organisations of the authority file as for those extracted from documents, also for a
        validator that sees the whole store as one graph.
        """
        if self._authority_source is not None:
            text = resources.data_file(self._authority_source).read_text(encoding="utf-8")
            source = self._authority_source
        else:
            text = "\n".join(sorted(repr(o) for o in self.organisations.authority))
            source = "authority"
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        doc = document_iri(sha)
        og.add((doc, RDF.type, SG.Document))
        og.add((doc, DCTERMS.source, Literal(source)))
        og.add((doc, SG.sha256, Literal(sha)))
        og.add((doc, SG.genre, Literal(REFERENCE_GENRE)))
        for org in list(og.subjects(RDF.type, SG.Organisation)):
            og.add((org, PROV.wasDerivedFrom, doc))


def _start_year(p: ProjectFact) -> int | None:
    if isinstance(p.start, _dt.date):
        return p.start.year
    if isinstance(p.start, int):
        return p.start
    return None


def _funds_graph(authority: Authority) -> Graph:
    g = funds_graph()
    for org_id, code in FUND_IDS.items():
        o = authority.by_id.get(org_id)
        ref = fund_iri(code)
        g.add((ref, RDF.type, SG.Fund))
        if o is None:
            continue
        if (ref, SKOS.prefLabel, None) not in g:
            g.add((ref, SKOS.prefLabel, Literal(o.name, lang="fi")))
        if o.name_en:
            g.add((ref, SKOS.prefLabel, Literal(o.name_en, lang="en")))
        for alias in o.aliases:
            if alias != o.name:
                g.add((ref, SKOS.altLabel, Literal(alias, lang="fi")))
    return g

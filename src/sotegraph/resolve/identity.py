"""One IRI and one name per project and organisation over a whole store.

A store is built document by document, in any order and in several builds, and documents
leave it again. What a project or an organisation is called, and which IRI it has, must not
depend on that history:

* **IRIs.** The documents a store already holds are read back as :class:`Naming` records
  (:func:`read_namings`: per document graph and resource, the names the document gives it,
  its programme code or Y-tunnus) and resolved together with the new documents' facts
  (:meth:`sotegraph.resolve.Resolver.resolve_against`), as one set. A project named in an
  article before its EURA record arrives gets the record's code IRI when it does; the
  article's graph is renamed (:class:`GraphChange`).
* **Names.** Each document graph keeps the names its source gives. Over the store, every
  project and organisation has exactly one ``skos:prefLabel``\\@fi, chosen by source
  precedence: the authority file for the organisations it lists, then an EURA record, then a
  bulk list, then any other text (:data:`GENRE_RANK`, :func:`preferred_labels`). Every
  document graph that describes the resource carries that label, its own other names as
  ``skos:altLabel``; where the document itself calls the resource something else than the
  label, ``schema:name`` (and ``schema:alternateName`` for its aliases) keep the names as the
  document gives them (:func:`name_statements`), so the choice can be made again when a
  document comes or goes (:func:`own_names`).

The store side (reading the graphs back, writing the changes in one update) is the builder's:
this module only decides.

Examples
--------
>>> name_statements("Koehanke", ["Koehanke"], ["KH"])
[('prefLabel', 'Koehanke'), ('altLabel', 'KH')]
>>> name_statements("Koehanke", ["Koe-hanke"], [])
[('prefLabel', 'Koehanke'), ('altLabel', 'Koe-hanke'), ('name', 'Koe-hanke')]
>>> own_names({("prefLabel", "Koehanke"), ("altLabel", "Koe-hanke"), ("name", "Koe-hanke")})
(['Koe-hanke'], [])
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib.term import URIRef

from sotegraph.facts import Facts, Genre, OrganisationFact, ProjectFact
from sotegraph.namespaces import RDF, SCHEMA, SG, SKOS
from sotegraph.nlp.names import analyse_name
from sotegraph.resolve.organisations import _display_name
from sotegraph.resolve.projects import _inflection_variants, _name_key, project_keys

__all__ = [
    "GENRE_RANK",
    "NAME_TERMS",
    "ORGANISATION",
    "PROJECT",
    "GraphChange",
    "Identity",
    "Naming",
    "name_statements",
    "naming_patterns",
    "namings_query",
    "own_names",
    "preferred_labels",
    "read_namings",
]

PROJECT = "project"
ORGANISATION = "organisation"

#: Source precedence of a document's genre for the preferred label (lower wins; any other
#: genre: 2). The authority file comes before all of them for the organisations it lists.
GENRE_RANK: dict[str, int] = {Genre.EURA_RECORD.value: 0, Genre.BULK_TABLE.value: 1}

#: The name statements a document graph makes about a resource, by term.
NAME_TERMS: dict[str, URIRef] = {
    "prefLabel": SKOS.prefLabel,
    "altLabel": SKOS.altLabel,
    "name": SCHEMA.name,
    "alternateName": SCHEMA.alternateName,
}
_TERM_OF = {v: k for k, v in NAME_TERMS.items()}

Statement = tuple[str, str]
"""``(term, text)``: one name statement (``term`` a key of :data:`NAME_TERMS`; text @fi)."""


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v and v.strip()))


def name_statements(
    label: str | None, names: Sequence[str], aliases: Sequence[str]
) -> list[Statement]:
    """The name statements of one document graph about one resource.

    Parameters
    ----------
    label:
        The resource's preferred label over the store (``None``: the document names it not).
    names:
        The names the document gives the resource (a name per mention, as written).
    aliases:
        The aliases it gives (abbreviations, other forms).

    Returns
    -------
    list
        ``skos:prefLabel`` the label; ``skos:altLabel`` every other name and alias; and,
        unless the document's only name is the label, ``schema:name`` / ``schema:alternateName``
        with the names and aliases as the document gives them (:func:`own_names` reads them
        back). Nothing when the document gives no name.

    Examples
    --------
    >>> name_statements("A", ["B"], ["A"])
    [('prefLabel', 'A'), ('altLabel', 'B'), ('name', 'B'), ('alternateName', 'A')]
    """
    mains = _unique(names)
    others = [a for a in _unique(aliases) if a not in mains]
    if not mains and not others:
        return []  # a document that does not name the resource does not label it
    out: list[Statement] = []
    if label:
        out.append(("prefLabel", label))
    out += [("altLabel", n) for n in (*mains, *others) if n != label]
    if mains != [label]:
        out += [("name", n) for n in mains]
        out += [("alternateName", a) for a in others]
    return out


def own_names(statements: Iterable[Statement]) -> tuple[list[str], list[str]]:
    """The names and aliases a document gives a resource, read back from its statements.

    ``schema:name`` / ``schema:alternateName`` when the document has them, else its
    ``skos:prefLabel`` and ``skos:altLabel`` (also what graphs written before this scheme say).
    Sorted, so that the result does not depend on the order the store gives them in.

    Examples
    --------
    >>> own_names([("prefLabel", "A"), ("altLabel", "AA")])
    (['A'], ['AA'])
    """
    by: dict[str, list[str]] = defaultdict(list)
    for term, text in statements:
        by[term].append(text)
    if by["name"] or by["alternateName"]:
        names, aliases = by["name"], by["alternateName"]
    else:
        names, aliases = by["prefLabel"], by["altLabel"]
    names = sorted(set(names))
    return names, sorted(set(aliases) - set(names))


@dataclass(slots=True)
class Naming:
    """What one document says about one project or organisation: its names and keys.

    Attributes
    ----------
    document:
        The document's id (sha256; its graph is ``sgid:document/<id>``).
    genre:
        The document's genre (``eura-record``, ``bulk-table``, ``article``).
    kind:
        :data:`PROJECT` or :data:`ORGANISATION`.
    iri:
        The resource's IRI in the document's graph.
    names, aliases:
        As the document gives them (:func:`own_names`).
    code, business_id:
        The programme code / Y-tunnus the document states for it.
    private:
        An organisation whose name was withheld (a person's): left as it is.
    stated:
        The name statements the graph holds now (:func:`name_statements`).
    also:
        Other documents that say the very same of the same organisation (genre, names,
        aliases, Y-tunnus, statements): one naming stands for them all
        (``read_namings(..., alike=True)``), as they resolve alike. An organisation named in
        thousands of documents is read back as one naming per distinct way it is named.
    """

    document: str
    genre: str
    kind: str
    iri: str
    names: list[str]
    aliases: list[str] = field(default_factory=list)
    code: str | None = None
    business_id: str | None = None
    private: bool = False
    stated: frozenset[Statement] = frozenset()
    also: tuple[str, ...] = ()

    @property
    def documents(self) -> tuple[str, ...]:
        """The documents this naming stands for (its own first, then :attr:`also`)."""
        return (self.document, *self.also)


_KIND_OF = {str(SG.Project): PROJECT, str(SG.Organisation): ORGANISATION}
_TERM_OF_IRI = {str(k): v for k, v in _TERM_OF.items()}
_KEPT = {str(SG.projectCode), str(SG.businessId), str(SG.organisationType)}
_TYPE, _GENRE = str(RDF.type), str(SG.genre)


def namings_query(graphs: Iterable[str] | None = None) -> str:
    """The SPARQL SELECT whose rows :func:`read_namings` reads (``?g ?s ?p ?o``).

    Over all named graphs (the reader keeps the document graphs), or only ``graphs`` (IRIs,
    bound by ``VALUES``): the types ``sg:Project`` and ``sg:Organisation``, the name
    statements (:data:`NAME_TERMS`; document graphs write names in Finnish only),
    ``sg:projectCode``, ``sg:businessId``, ``sg:organisationType`` and ``sg:genre``. Two index
    scans, no filter: 1.2 s on the bulk lists' 22,821 projects.

    Examples
    --------
    >>> "VALUES ?g { <urn:x:g> }" in namings_query(["urn:x:g"])
    True
    """
    predicates = " ".join(f"<{p}>" for p in (*_TERM_OF_IRI, *sorted(_KEPT), _GENRE))
    kinds = " ".join(f"<{k}>" for k in _KIND_OF)
    only = ""
    if graphs is not None:
        only = "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " } "
    return (
        f"SELECT ?g ?s ?p ?o WHERE {{ {{ {only}VALUES ?p {{ {predicates} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        f" UNION {{ {only}VALUES ?o {{ {kinds} }} GRAPH ?g {{ ?s <{_TYPE}> ?o }}"
        f" BIND(<{_TYPE}> AS ?p) }} }}"
    )


def read_namings(
    rows: Iterable[Mapping[str, str | None]],
    *,
    document_prefix: str,
    private_type: str | None = None,
    alike: bool = False,
) -> list[Naming]:
    """The projects and organisations of document graphs, from the rows of a scan.

    Parameters
    ----------
    rows:
        Rows of :func:`namings_query` as plain strings (``g``, ``s``, ``p``, ``o``: IRIs and
        lexical forms; a ``lang`` other than ``fi``, if given, leaves a name out), e.g. from
        :meth:`sotegraph.store.Store.select_lexical`; rows of other graphs and predicates
        are passed over.
    document_prefix:
        The IRI prefix of document graphs (``…/id/document/``); the rest is the document id.
    private_type:
        The ``sg:organisationType`` of organisations whose names were withheld.
    alike:
        Organisations that several documents name in the very same way come as one naming
        of the first such document, the others in :attr:`Naming.also` (what
        :meth:`~sotegraph.resolve.Resolver.resolve_against` needs, in memory that grows with
        the distinct namings rather than with the documents). Projects come one per document.

    Examples
    --------
    >>> from sotegraph.namespaces import document_iri, project_iri
    >>> d, p = str(document_iri("a" * 64)), str(project_iri(code="S20001"))
    >>> rows = [{"g": d, "s": d, "p": str(SG.genre), "o": "article"},
    ...         {"g": d, "s": p, "p": str(RDF.type), "o": str(SG.Project)},
    ...         {"g": d, "s": p, "p": str(SKOS.prefLabel), "o": "Koe"}]
    >>> [(n.genre, n.names) for n in read_namings(rows, document_prefix=d[:-64])]
    [('article', ['Koe'])]
    """
    kinds: dict[tuple[str, str], str] = {}
    genres: dict[str, str] = {}
    stated: dict[tuple[str, str], set[Statement]] = defaultdict(set)
    values: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    # the same IRIs, names and statements recur in document after document: one object each
    one: dict[object, object] = {}
    for row in rows:
        graph, s, p, o = row["g"], row["s"], row["p"], row["o"]
        if graph is None or s is None or p is None or o is None:
            continue
        if not graph.startswith(document_prefix):
            continue
        graph, s = one.setdefault(graph, graph), one.setdefault(s, s)  # type: ignore[assignment]
        if p == _TYPE:
            kind = _KIND_OF.get(o)
            if kind is not None:
                kinds[(graph, s)] = kind
        elif p in _TERM_OF_IRI:
            if (row.get("lang") or "fi") == "fi":
                statement = (_TERM_OF_IRI[p], o)
                stated[(graph, s)].add(one.setdefault(statement, statement))  # type: ignore[arg-type]
        elif p == _GENRE:
            if s == graph:
                genres[graph] = o
        elif p in _KEPT:
            values[(graph, s)][p] = o
    out: list[Naming] = []
    code_p, bid_p, type_p = str(SG.projectCode), str(SG.businessId), str(SG.organisationType)
    # an organisation's namings by what they say, the first in document order standing for
    # the others (alike)
    firsts: dict[tuple[object, ...], tuple[Naming, list[str]]] = {}
    for (graph, s), kind in sorted(kinds.items()):
        if graph not in genres:
            continue
        said: frozenset[Statement] = frozenset(stated.pop((graph, s), ()))
        said = one.setdefault(said, said)  # type: ignore[assignment]
        extra = values.pop((graph, s), {})
        document = graph[len(document_prefix) :]
        private = private_type is not None and extra.get(type_p) == private_type
        bid = extra.get(bid_p) if kind == ORGANISATION else None
        if alike and kind == ORGANISATION:
            same = (genres[graph], s, said, bid, private)
            seen = firsts.get(same)
            if seen is not None:
                seen[1].append(document)
                continue
        names, aliases = own_names(said)
        naming = Naming(
            document=document,
            genre=genres[graph],
            kind=kind,
            iri=s,
            names=names,
            aliases=aliases,
            code=extra.get(code_p) if kind == PROJECT else None,
            business_id=bid,
            private=private,
            stated=said,
        )
        if alike and kind == ORGANISATION:
            firsts[(genres[graph], s, said, bid, private)] = (naming, [])
        out.append(naming)
    for naming, others in firsts.values():
        naming.also = tuple(others)
    out.sort(key=_naming_order)
    return out


def _naming_order(n: Naming) -> tuple[str, str, str]:
    return (n.document, n.kind, n.iri)


def naming_patterns() -> tuple[list[str], list[str]]:
    """What :func:`namings_query` matches, for reading one graph by index scans: the
    predicates whose statements it reads, and the classes of ``rdf:type`` it reads (IRIs).

    Examples
    --------
    >>> predicates, kinds = naming_patterns()
    >>> str(SG.Project) in kinds and str(SG.projectCode) in predicates
    True
    """
    return [*_TERM_OF_IRI, *sorted(_KEPT), _GENRE], list(_KIND_OF)


# --------------------------------------------------------------------------- context facts


@dataclass(slots=True)
class _Context:
    """Stored namings as facts to resolve, and which fact stands for which naming."""

    facts: list[Facts]
    pairs: list[tuple[Naming, ProjectFact | OrganisationFact]]


def _context(namings: Iterable[Naming]) -> _Context:
    """Facts (one per document) that say what the stored namings say.

    A naming becomes one fact per name, all under the naming's IRI as key (which the project
    and organisation resolvers read as one thing), the aliases on the first. Namings without a
    name are left out (nothing to resolve them by; they stay as they are).
    """
    by_doc: dict[str, Facts] = {}
    pairs: list[tuple[Naming, ProjectFact | OrganisationFact]] = []
    for n in namings:
        if not n.names and not n.aliases:
            continue
        facts = by_doc.get(n.document)
        if facts is None:
            facts = by_doc[n.document] = Facts(n.document, "", genre=Genre(n.genre))
        if n.kind == PROJECT:
            first = True
            mains: list[str | None] = [*n.names] or [None]
            for name in mains:
                p = ProjectFact(
                    key=n.iri, name=name, code=n.code, aliases=list(n.aliases) if first else []
                )
                facts.projects.append(p)
                if first:
                    pairs.append((n, p))
                first = False
        else:
            names = n.names or n.aliases[:1]
            for i, name in enumerate(names):
                o = OrganisationFact(
                    key=n.iri,
                    name=name,
                    business_id=n.business_id,
                    aliases=[a for a in n.aliases if a not in names] if i == 0 else [],
                    private=n.private,
                )
                facts.organisations.append(o)
                if i == 0:
                    pairs.append((n, o))
    return _Context(list(by_doc.values()), pairs)


def _project_code(code: str | None) -> str | None:
    return code.strip().upper() if code and code.strip() else None


def _naming_keys(n: Naming) -> frozenset[str]:
    return frozenset(k for name in (*n.names, *n.aliases) for k in project_keys(name))


def uncoded_projects(stored: Iterable[Naming]) -> bool:
    """Whether a stored project the resolver reads has no programme code (then project names
    are matched across the whole set, :class:`~sotegraph.resolve.projects.ProjectResolver`)."""
    return any(
        n.kind == PROJECT and (n.names or n.aliases) and not _project_code(n.code) for n in stored
    )


def reachable(facts_list: Iterable[Facts], stored: Sequence[Naming]) -> list[Naming]:
    """``stored`` without the projects that new facts cannot reach (organisations all kept).

    A stored project is reached by a new project that shares its programme code, one of its
    name keys (:func:`~sotegraph.resolve.projects.project_keys`) or, without a code, an
    inflected form of one (either way round), and by what such a project reaches in turn,
    and its IRI's other namings with it: everything the project resolver could join, keep
    apart or name differently because of the new facts. What is left out resolves to what
    it has (the store was resolved as a whole before), so resolving the new facts with the
    rest gives the same IRIs, labels and changes as with everything, while a build in many
    groups reads back only what each group touches. Only right when no stored document
    leaves: one that goes may split what it joined.

    Examples
    --------
    >>> from sotegraph.facts import ProjectFact
    >>> new = Facts("n" * 64, "", projects=[ProjectFact("p", name="Koehanke", code="S1")])
    >>> stored = [Naming("a" * 64, "article", PROJECT, "x", ["Koehanke"]),
    ...           Naming("b" * 64, "article", PROJECT, "y", ["Toinen hanke"])]
    >>> [n.iri for n in reachable([new], stored)]
    ['x']
    """
    projects = [n for n in stored if n.kind == PROJECT]
    if not projects:
        return list(stored)
    codes: set[str] = set()
    keys: set[str] = set()
    for facts in facts_list:
        for p in facts.projects:
            code = _project_code(p.code)
            found = frozenset(
                k
                for name in (p.name, *p.aliases)
                if name and name.strip()
                for k in project_keys(name)
            )
            keys |= found
            if code:
                codes.add(code)
            else:
                keys.update(v for k in found for v in _inflection_variants(k))
    iris: set[str] = set()
    # (naming, code, keys, keys of its inflected forms if it has no code): each worked out once
    left = [(n, _project_code(n.code), _naming_keys(n)) for n in projects]
    while True:
        reached: list[tuple[Naming, str | None, frozenset[str]]] = []
        rest: list[tuple[Naming, str | None, frozenset[str]]] = []
        for item in left:
            n, code, own = item
            hit = (code is not None and code in codes) or n.iri in iris or not own.isdisjoint(keys)
            if not hit and code is None:
                hit = any(not keys.isdisjoint(_inflection_variants(k)) for k in own)
            (reached if hit else rest).append(item)
        if not reached:
            break
        for n, code, own in reached:
            iris.add(n.iri)
            keys |= own
            if code:
                codes.add(code)
            else:
                keys.update(v for k in own for v in _inflection_variants(k))
        left = rest
    gone = {id(n) for n, _code, _own in left}
    return [n for n in stored if id(n) not in gone]


# --------------------------------------------------------------------------- decisions


@dataclass(slots=True)
class GraphChange:
    """What changes in one stored document graph.

    Attributes
    ----------
    document:
        The document's id.
    renames:
        Stored IRI → new IRI (the resource resolved to another IRI now).
    remove, add:
        ``(iri, term, text)`` name statements to take out / put in, on the new IRIs.
    """

    document: str
    renames: dict[str, str] = field(default_factory=dict)
    remove: list[tuple[str, str, str]] = field(default_factory=list)
    add: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Identity:
    """What resolving new documents against a store decided.

    Attributes
    ----------
    labels:
        The preferred Finnish label of every project and organisation the store and the new
        documents name (IRI → label); the new documents' graphs are written with them.
    changes:
        What to change in the stored document graphs (IRIs and name statements).
    """

    labels: dict[str, str] = field(default_factory=dict)
    changes: list[GraphChange] = field(default_factory=list)

    @property
    def renamed(self) -> int:
        """How many stored resources get another IRI."""
        return sum(len(c.renames) for c in self.changes)


def _rank(genre: str) -> int:
    return GENRE_RANK.get(str(genre), 2)


def _project_label(names: Counter[str]) -> str:
    """The most documents' name; then the fuller one (a ``-hanke`` word not counted), not all
    capitals; then the first in order."""

    def rank(item: tuple[str, int]) -> tuple[int, int, bool, str]:
        name, count = item
        return (-count, -len(_name_key(name, PROJECT).split()), name.isupper(), name)

    return min(names.items(), key=rank)[0]


def preferred_labels(
    namings: Iterable[Naming], *, fixed: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The one preferred label of each resource, by source precedence.

    Parameters
    ----------
    namings:
        What each document calls each resource (on the resources' final IRIs).
    fixed:
        Labels decided elsewhere (organisations of the authority file, withheld names).

    Returns
    -------
    dict
        IRI → label. Among the documents of the best-ranked genre (:data:`GENRE_RANK`), a
        project takes the name most of them give (then the fuller one); an organisation the
        display form of its names (:func:`~sotegraph.nlp.names.analyse_name`), as the
        organisation resolver picks display names. Resources no document names are left out.

    Examples
    --------
    >>> article = Naming("a", "article", PROJECT, "p", ["Koe-hanke"])
    >>> record = Naming("r", "eura-record", PROJECT, "p", ["Koehanke – kokeilu"])
    >>> preferred_labels([article, record])
    {'p': 'Koehanke – kokeilu'}
    """
    return _labels(((n.iri, n) for n in namings), fixed or {})


def _labels(items: Iterable[tuple[str, Naming]], fixed: Mapping[str, str]) -> dict[str, str]:
    """:func:`preferred_labels` of namings given with the IRIs they stand under."""
    best: dict[str, tuple[int, str]] = {}
    chosen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for iri, n in items:
        if iri in fixed or not n.names:
            continue
        rank = _rank(n.genre)
        seen = best.get(iri)
        if seen is not None and seen[0] < rank:
            continue
        if seen is None or rank < seen[0]:
            best[iri] = (rank, n.kind)
            chosen[iri].clear()
        for name in n.names:
            shown = (analyse_name(name).cleaned or name) if n.kind == ORGANISATION else name
            chosen[iri][shown].update(n.documents)
    out = dict(fixed)
    for iri, (_r, kind) in best.items():
        counts = Counter({name: len(docs) for name, docs in chosen[iri].items()})
        out[iri] = _display_name(counts) if kind == ORGANISATION else _project_label(counts)
    return out


def namings_of(facts_list: Iterable[Facts], *, skip: Callable[[str], bool]) -> list[Naming]:
    """The namings of resolved facts (one per document and resource IRI).

    ``skip``: IRIs not to name (funds written as organisations, which no graph describes).
    """
    # (document, kind, IRI) -> (genre, private, names, aliases); dicts keep the order
    seen: dict[tuple[str, str, str], tuple[str, bool, dict[str, None], dict[str, None]]] = {}
    for facts in facts_list:
        genre = str(facts.genre)
        doc = facts.document_id
        mentions: list[tuple[str, str | None, str | None, list[str], bool]] = [
            (ORGANISATION, o.iri, o.name, o.aliases, bool(o.private)) for o in facts.organisations
        ]
        mentions += [(PROJECT, p.iri, p.name, p.aliases, False) for p in facts.projects]
        for kind, iri, name, aliases, private in mentions:
            if not iri or (kind == ORGANISATION and skip(iri)):
                continue
            entry = seen.get((doc, kind, iri))
            if entry is None:
                entry = seen[(doc, kind, iri)] = (genre, private, {}, {})
            if name and name.strip():
                entry[2][name] = None
            for a in aliases:
                if a and a.strip():
                    entry[3][a] = None
    return [
        Naming(doc, genre, kind, iri, list(names), list(aliases), private=private)
        for (doc, kind, iri), (genre, private, names, aliases) in seen.items()
    ]


def decide(
    context: _Context,
    new: Sequence[Naming],
    *,
    fixed: Mapping[str, str],
) -> Identity:
    """Labels over the store and the changes to the stored graphs, once all is resolved.

    ``context``: the stored namings and the facts they were resolved as (their ``iri`` now
    the resolved one); ``new``: the namings of the new documents; ``fixed``: labels decided
    elsewhere (authority organisations, withheld names).
    """
    # (the IRI a stored naming resolves to now, the naming with its stored IRI)
    moved = [(fact.iri or n.iri, n) for n, fact in context.pairs]
    everything = [*moved, *((n.iri, n) for n in new)]
    fixed = dict(fixed)
    for iri, n in everything:
        if n.private and n.names:
            fixed[iri] = n.names[0]
    labels = _labels(everything, fixed)
    # one stored document may name one resource under two IRIs that are one now: merged
    merged: dict[tuple[str, str], list[Naming]] = defaultdict(list)
    for iri, n in moved:
        for document in n.documents:  # each document a naming stands for changes alike
            merged[(document, iri)].append(n)
    changes: dict[str, GraphChange] = {}
    for (doc, iri), ns in merged.items():
        if len(ns) == 1:
            n = ns[0]
            names, aliases, have = n.names, n.aliases, n.stated
        else:
            names = _unique(x for n in ns for x in n.names)
            aliases = _unique(x for n in ns for x in n.aliases)
            have = frozenset().union(*(n.stated for n in ns))
        want = frozenset(name_statements(labels.get(iri), names, aliases))
        moves = {n.iri: iri for n in ns if n.iri != iri}
        if want == have and not moves:
            continue
        change = changes.setdefault(doc, GraphChange(doc))
        change.renames.update(moves)
        change.remove += [(iri, t, x) for t, x in sorted(have - want)]
        change.add += [(iri, t, x) for t, x in sorted(want - have)]
    return Identity(labels, [changes[d] for d in sorted(changes)])

"""The authority file of organisations, the person-made curations, and matching a name to them.

The authority file (``data/organisations.csv``) lists the organisations sotegraph knows: name,
aliases in Finnish, Swedish and English, Y-tunnus, type, predecessors. :class:`AuthorityMatcher`
matches a name as written (inflected, with a legal form, with its abbreviation) to one of them,
without state; :class:`sotegraph.resolve.organisations.OrganisationResolver` builds on it to
give every other organisation an IRI of its own. :func:`organisations_graph` is the reference
graph of the file.

Examples
--------
>>> m = AuthorityMatcher()
>>> m.match("Jyväskylän ammattikorkeakoulun").canonical_name
'Jyväskylän ammattikorkeakoulu'
>>> m.match("Keksitty Testiyhdistys ry") is None
True
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD
from rdflib.term import URIRef

from sotegraph import resources
from sotegraph.errors import ResolutionError
from sotegraph.namespaces import (
    SCHEMA,
    SG,
    SGID,
    bind_prefixes,
    fund_iri,
    organisation_iri,
    region_iri,
)
from sotegraph.nlp.names import NameForms, analyse_name, fold
from sotegraph.values import valid_business_id

__all__ = [
    "FUND_IDS",
    "ORGANISATIONS_GRAPH",
    "Authority",
    "AuthorityMatcher",
    "AuthorityOrganisation",
    "Curations",
    "Method",
    "OrgMatch",
    "alias_language",
    "default_authority",
    "organisations_graph",
]

ORGANISATIONS_GRAPH = SGID["graph/organisations"]
#: Authority rows that are funds, not organisations: they resolve to ``sgid:fund/<code>``.
FUND_IDS = {"esr": "ESR", "eakr": "EAKR"}


class Method(StrEnum):
    """How a name was resolved."""

    BUSINESS_ID = "business id"
    CURATION = "curation"
    ALIAS = "alias"
    BASE_FORM = "base form"
    INFLECTION = "inflection"
    ABBREVIATION = "abbreviation"
    EMBEDDED = "ELY name after stray words"
    NEW = "new"
    NEW_BUSINESS_ID = "new, business id"


# --------------------------------------------------------------------------- authority file


@dataclass(frozen=True, slots=True)
class AuthorityOrganisation:
    """One row of ``data/organisations.csv``."""

    id: str
    name: str
    type: str = ""
    aliases: tuple[str, ...] = ()
    name_sv: str = ""
    name_en: str = ""
    business_id: str = ""
    home_municipality: str = ""
    replaced_by: str = ""
    replaced_on: str = ""
    source: str = ""

    @property
    def iri(self) -> URIRef:
        """The resource IRI: a fund, the Y-tunnus, or a slug of the canonical name."""
        if self.id in FUND_IDS:
            return fund_iri(FUND_IDS[self.id])
        if self.business_id:
            return organisation_iri(business_id=self.business_id)
        return organisation_iri(name=self.name)

    @property
    def names(self) -> tuple[str, ...]:
        """Name, aliases and Swedish/English names."""
        extra = tuple(n for n in (self.name_sv, self.name_en) if n)
        return (self.name, *self.aliases, *extra)


class Authority:
    """The authority file of canonical organisations, indexed for lookup.

    Parameters
    ----------
    rows:
        The organisations; default: the shipped ``data/organisations.csv``.

    Raises
    ------
    ResolutionError
        If a Y-tunnus in the file has a bad check digit, an id repeats, or a
        ``replaced_by`` names an unknown id.

    Examples
    --------
    >>> a = Authority()
    >>> a.by_id["tamk"].name
    'Tampereen ammattikorkeakoulu'
    >>> len([o for o in a if o.type == "ELY-keskus"])
    15
    """

    def __init__(self, rows: Iterable[AuthorityOrganisation] | None = None) -> None:
        orgs = list(rows) if rows is not None else _load_authority()
        self.by_id: dict[str, AuthorityOrganisation] = {}
        self.by_business_id: dict[str, AuthorityOrganisation] = {}
        for o in orgs:
            if o.id in self.by_id:
                raise ResolutionError(f"organisations.csv: id {o.id!r} repeats")
            if o.business_id and valid_business_id(o.business_id) != o.business_id:
                raise ResolutionError(
                    f"organisations.csv: {o.id}: Y-tunnus {o.business_id!r} has a bad check digit"
                )
            self.by_id[o.id] = o
            if o.business_id:
                self.by_business_id[o.business_id] = o
        for o in orgs:
            if o.replaced_by and o.replaced_by not in self.by_id:
                raise ResolutionError(f"organisations.csv: {o.id}: unknown {o.replaced_by!r}")
        folded: dict[str, set[str]] = defaultdict(set)
        base: dict[str, set[str]] = defaultdict(set)
        for o in orgs:
            for n in o.names:
                forms = analyse_name(n)
                folded[fold(n)].add(o.id)
                folded[forms.folded].add(o.id)
                base[forms.base].add(o.id)
        #: keys that name more than one organisation (never used for matching)
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        self.by_folded = self._unique(folded)
        self.by_base = self._unique(base)

    def _unique(self, index: dict[str, set[str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, ids in index.items():
            if not key:
                continue
            if len(ids) == 1:
                out[key] = next(iter(ids))
            else:
                self.ambiguous[key] = tuple(sorted(ids))
        return out

    def __iter__(self) -> Iterator[AuthorityOrganisation]:
        return iter(self.by_id.values())

    def __len__(self) -> int:
        return len(self.by_id)

    def successors(self, org_id: str) -> list[AuthorityOrganisation]:
        """Return the organisations that replaced ``org_id``, nearest first."""
        out: list[AuthorityOrganisation] = []
        cur = self.by_id.get(org_id)
        while cur is not None and cur.replaced_by and len(out) < 10:
            cur = self.by_id[cur.replaced_by]
            out.append(cur)
        return out


def _split_aliases(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


def _load_authority() -> list[AuthorityOrganisation]:
    text = resources.data_file("organisations.csv").read_text(encoding="utf-8")
    return read_authority_csv(text, source="organisations.csv")


def read_authority_csv(text: str, *, source: str = "<text>") -> list[AuthorityOrganisation]:
    """Parse an authority file in the ``data/organisations.csv`` layout.

    Raises
    ------
    ResolutionError
        If a required column is missing.

    Examples
    --------
    >>> rows = read_authority_csv("id,name,aliases\\nx,Testi Oy,Testi | TO\\n")
    >>> rows[0].aliases
    ('Testi', 'TO')
    """
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"id", "name"} <= set(reader.fieldnames):
        raise ResolutionError(f"{source}: the header needs at least the columns id, name")
    out: list[AuthorityOrganisation] = []
    for row in reader:
        out.append(
            AuthorityOrganisation(
                id=row["id"].strip(),
                name=row["name"].strip(),
                type=(row.get("type") or "").strip(),
                aliases=_split_aliases(row.get("aliases") or ""),
                name_sv=(row.get("name_sv") or "").strip(),
                name_en=(row.get("name_en") or "").strip(),
                business_id=(row.get("business_id") or "").strip(),
                home_municipality=(row.get("home_municipality") or "").strip(),
                replaced_by=(row.get("replaced_by") or "").strip(),
                replaced_on=(row.get("replaced_on") or "").strip(),
                source=(row.get("source") or "").strip(),
            )
        )
    return out


# --------------------------------------------------------------------------- curations


@dataclass(slots=True)
class Curations:
    """Person-made decisions the resolver honours (``data/curations.csv``).

    Rows: ``action,name,target,note``.

    * ``merge``: ``name`` is the organisation ``target`` (an authority id such as ``jamk``,
      or another name, which is resolved in turn).
    * ``keep_apart``: ``name`` and ``target`` are different organisations. Both names are then
      matched only exactly (alias or Y-tunnus): no base-form, inflection or similarity merge.

    Examples
    --------
    >>> c = Curations.from_text("action,name,target,note\\nmerge,Jamk Oy,jamk,typo\\n")
    >>> c.merge_target("JAMK OY")
    'jamk'
    """

    merges: dict[str, str] = field(default_factory=dict)
    apart: dict[str, set[str]] = field(default_factory=dict)
    rows: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, *, source: str = "<text>") -> Curations:
        """Parse curations from CSV text.

        Raises
        ------
        ResolutionError
            On an unknown action or a missing column.
        """
        reader = csv.DictReader(io.StringIO(text))
        need = {"action", "name", "target"}
        if not reader.fieldnames or not need <= set(reader.fieldnames):
            raise ResolutionError(f"{source}: the header needs the columns action, name, target")
        cur = cls()
        for i, row in enumerate(reader, start=2):
            action = (row.get("action") or "").strip().lower().replace("-", "_")
            name, target = (row.get("name") or "").strip(), (row.get("target") or "").strip()
            if not action or action.startswith("#"):
                continue
            if not name or not target:
                raise ResolutionError(f"{source}:{i}: name and target are required")
            if action == "merge":
                cur.merges[fold(name)] = target
            elif action in ("keep_apart", "split"):
                cur.apart.setdefault(fold(name), set()).add(fold(target))
                cur.apart.setdefault(fold(target), set()).add(fold(name))
            else:
                raise ResolutionError(
                    f"{source}:{i}: unknown action {action!r}; valid: merge, keep_apart"
                )
            cur.rows.append({k: (v or "") for k, v in row.items() if k})
        return cur

    @classmethod
    def load(cls, path: str | Path | None = None) -> Curations:
        """Load curations from ``path``, or the shipped ``data/curations.csv`` (empty if absent).

        Raises
        ------
        ResolutionError
            If ``path`` cannot be read or parsed.
        """
        if path is None:
            try:
                node = resources.data_file("curations.csv")
            except FileNotFoundError:
                return cls()
            return cls.from_text(node.read_text(encoding="utf-8"), source="curations.csv")
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ResolutionError(f"cannot read curations file {path}: {exc}") from exc
        return cls.from_text(text, source=str(path))

    def merge_target(self, name: str) -> str | None:
        """The curated target of ``name`` (folded match), if any."""
        return self.merges.get(fold(name))

    def kept_apart(self, name: str) -> bool:
        """Whether ``name`` takes part in a ``keep_apart`` decision."""
        return fold(name) in self.apart


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class OrgMatch:
    """Where one organisation name resolved to."""

    iri: URIRef
    canonical_name: str
    method: Method
    authority_id: str | None = None
    key: str = ""


_ELY_TAIL = re.compile(
    r"\s((?:[\w]+-)?[\w]+ elinkeino- ?liikenne-? ja ympäristökeskus)(?: yritystuet)?$"
)


class AuthorityMatcher:
    """Match organisation names (and Y-tunnus) against the authority file, with curations.

    Parameters
    ----------
    authority:
        The authority file; default: the shipped one.
    curations:
        Person-made decisions; a :class:`Curations`, a path to a curations CSV, or ``None``
        for the shipped ``data/curations.csv``.
    """

    def __init__(
        self,
        *,
        authority: Authority | None = None,
        curations: Curations | str | Path | None = None,
    ) -> None:
        self.authority = authority if authority is not None else default_authority()
        self.curations = (
            curations if isinstance(curations, Curations) else Curations.load(curations)
        )
        self._match_cache: dict[tuple[str, str | None], OrgMatch | None] = {}

    def match(self, name: str, business_id: str | None = None) -> OrgMatch | None:
        """Match a name against the authority file only (no new resources, no state).

        Parameters
        ----------
        name:
            The name as written (inflected forms are fine).
        business_id:
            A Y-tunnus **already validated** (see :func:`valid_business_id`).

        Returns
        -------
        OrgMatch or None
            ``None`` when the authority file does not know the organisation.
        """
        ck = (name, business_id)
        if ck not in self._match_cache:
            self._match_cache[ck] = self._match(name, business_id, depth=0)
        return self._match_cache[ck]

    def _org_match(self, org_id: str, method: Method, key: str = "") -> OrgMatch:
        o = self.authority.by_id[org_id]
        return OrgMatch(o.iri, o.name, method, o.id, key)

    def _match(self, name: str, bid: str | None, depth: int) -> OrgMatch | None:
        a = self.authority
        if bid and bid in a.by_business_id:
            return self._org_match(a.by_business_id[bid].id, Method.BUSINESS_ID)
        forms = analyse_name(name)
        if not forms.folded:
            return None
        target = self.curations.merge_target(name) or self.curations.merge_target(forms.cleaned)
        if target is not None and depth < 3:
            if target in a.by_id:
                return self._org_match(target, Method.CURATION)
            m = self._match(target, None, depth + 1)
            if m is not None:
                return OrgMatch(m.iri, m.canonical_name, Method.CURATION, m.authority_id, m.key)
            return None
        for exact in (fold(name), forms.folded):
            if exact in a.by_folded:
                return self._org_match(a.by_folded[exact], Method.ALIAS)
        if self.curations.kept_apart(name) or self.curations.kept_apart(forms.cleaned):
            return None
        if forms.base in a.by_base:
            return self._org_match(a.by_base[forms.base], Method.BASE_FORM, forms.base)
        for cand in forms.candidates:
            if cand in a.by_base:
                return self._org_match(a.by_base[cand], Method.INFLECTION, cand)
        # a name followed by its own abbreviation: "… Hyvinvointiyhtymä PHHyky", "… (JAMK)"
        if depth == 0:
            m = self._with_abbreviation(forms)
            if m is not None:
                return m
            # an ELY centre's name after words shifted in from another column of a bulk row
            tail = _ELY_TAIL.search(forms.folded)
            if tail and tail.start() > 0:
                m = self._match(tail.group(1), None, 1)
                if m is not None:
                    return OrgMatch(m.iri, m.canonical_name, Method.EMBEDDED, m.authority_id)
        return None

    def _with_abbreviation(self, forms: NameForms) -> OrgMatch | None:
        a = self.authority
        if forms.parenthetical:
            inner = a.by_folded.get(fold(forms.parenthetical))
            main = self._match(forms.cleaned, None, 1)
            if main is not None and (inner is None or inner == main.authority_id):
                return main
            if main is None and inner is not None:
                return self._org_match(inner, Method.ABBREVIATION)
        words = forms.cleaned.split()
        if len(words) >= 3:
            last = a.by_folded.get(fold(words[-1]))
            if last is not None:
                rest = self._match(" ".join(words[:-1]), None, 1)
                if rest is not None and rest.authority_id == last:
                    return OrgMatch(rest.iri, rest.canonical_name, Method.ABBREVIATION, last)
        return None


@cache
def default_authority() -> Authority:
    """The shipped authority file, read once."""
    return Authority()


# --------------------------------------------------------------------------- RDF

_SV_WORDS = frozenset(
    [
        "universitet",
        "institutet",
        "ministeriet",
        "yrkeshögskolan",
        "högskolan",
        "centralen",
        "förbund",
        "stad",
        "välfärdsområde",
        "folkpensionsanstalten",
        "arbetshälsoinstitutet",
        "utbildningsstyrelsen",
        "finansministeriet",
        "miljöministeriet",
        "i",
        "på",
        "och",
    ]
)
_EN_WORDS = frozenset(
    [
        "university",
        "institute",
        "ministry",
        "fund",
        "centre",
        "center",
        "council",
        "association",
        "school",
        "agency",
        "college",
        "sciences",
        "of",
        "the",
        "and",
        "for",
        "city",
        "finland",
        "finnish",
        "research",
        "survey",
    ]
)


def alias_language(alias: str) -> str:
    """Guess the language tag of an alias in the authority file: ``fi``, ``sv`` or ``en``.

    Examples
    --------
    >>> [alias_language(a) for a in ("Jamk", "Helsingfors universitet", "University of Oulu")]
    ['fi', 'sv', 'en']
    """
    words = set(fold(alias).split())
    if words & _SV_WORDS:
        return "sv"
    if len(words & _EN_WORDS) >= 1 and alias.isascii() and len(words) >= 2:
        return "en"
    return "fi"


def organisations_graph(authority: Authority | None = None) -> Graph:
    """The reference graph ``sgid:graph/organisations`` built from the authority file.

    Each organisation: ``sg:Organisation``, ``skos:prefLabel``/``skos:altLabel`` (fi, sv, en),
    ``sg:businessId``, ``sg:organisationType``, ``sg:homeMunicipality``; successions as
    ``dcterms:replaces`` / ``dcterms:isReplacedBy`` with ``schema:dissolutionDate`` (the day
    before the successor took over). Funds (ESR, EAKR) are left to ``sgid:graph/funds``.

    Examples
    --------
    >>> from sotegraph.namespaces import organisation_iri, SG
    >>> g = organisations_graph()
    >>> (organisation_iri(business_id="2553600-4"), SG.businessId, None) in g
    True
    """
    a = authority if authority is not None else default_authority()
    g = bind_prefixes(Graph(identifier=ORGANISATIONS_GRAPH))
    for o in a:
        if o.id in FUND_IDS:
            continue
        ref = o.iri
        g.add((ref, RDF.type, SG.Organisation))
        g.add((ref, SKOS.prefLabel, Literal(o.name, lang="fi")))
        for alias in o.aliases:
            if alias not in (o.name, o.name_sv, o.name_en):
                g.add((ref, SKOS.altLabel, Literal(alias, lang=alias_language(alias))))
        if o.name_sv:
            g.add((ref, SKOS.prefLabel, Literal(o.name_sv, lang="sv")))
        if o.name_en:
            g.add((ref, SKOS.prefLabel, Literal(o.name_en, lang="en")))
        if o.business_id:
            g.add((ref, SG.businessId, Literal(o.business_id)))
        if o.type:
            g.add((ref, SG.organisationType, Literal(o.type)))
        if o.home_municipality:
            g.add((ref, SG.homeMunicipality, region_iri("municipality", o.home_municipality)))
        if o.replaced_by:
            succ = a.by_id[o.replaced_by].iri
            g.add((succ, DCTERMS.replaces, ref))
            g.add((ref, DCTERMS.isReplacedBy, succ))
            if o.replaced_on:
                day = _dt.date.fromisoformat(o.replaced_on) - _dt.timedelta(days=1)
                g.add((ref, SCHEMA.dissolutionDate, Literal(day, datatype=XSD.date)))
    return g

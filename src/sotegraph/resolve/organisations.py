"""Organisations: the authority file and the resolver that maps names to one IRI each.

Resolution order for one name (with an optional Y-tunnus):

1. **Y-tunnus** with a valid check digit (``stdnum.fi.ytunnus``) that the authority file
   knows. A Y-tunnus with a bad check digit is never used as a key (a warning instead).
2. **Curation** (``data/curations.csv``): a person's ``merge`` decision for this name.
3. **Exact alias**: the folded name equals a name or alias of an authority organisation.
4. **Base form**: legal form stripped, head word lemmatised (see
   :mod:`sotegraph.nlp.names`), then other readings and case endings of the head word,
   then a name followed by its own abbreviation (``Päijät-Hämeen Hyvinvointiyhtymä PHHyky``,
   ``Jyväskylän Ammattikorkeakoulu Oy (JAMK)``).
5. Otherwise the organisation is **new**: it gets ``sgid:organisation/<Y-tunnus>`` when a valid
   Y-tunnus is known for its base form (from any document, if only one is), else a slug of its
   base form. Mentions of one new organisation across documents share that IRI.

Every merge (several names → one resource) and every near miss (similar names that were *not*
merged) is recorded for the resolution report, so that a person can curate; curations are
kept in ``data/curations.csv`` and survive the next build.

Examples
--------
>>> from sotegraph.resolve.organisations import OrganisationResolver
>>> r = OrganisationResolver()
>>> m = r.resolve("Jyväskylän ammattikorkeakoulun")
>>> m.canonical_name, m.method.value
('Jyväskylän ammattikorkeakoulu', 'base form')
>>> r.resolve("JAMK").iri == m.iri
True
>>> str(r.resolve("Kajaanin ammattikorkeakoulu").iri)
'https://w3id.org/sotegraph/id/organisation/2553600-4'
>>> str(r.resolve("ICCUNA OYTEEMU HAAPALAHTI").iri)
'https://w3id.org/sotegraph/id/organisation/iccuna'
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.term import URIRef

from sotegraph.errors import ResolutionError
from sotegraph.facts import Facts, OrganisationFact
from sotegraph.namespaces import organisation_iri
from sotegraph.nlp.names import NameForms, analyse_name, fold, inflection_candidates
from sotegraph.reference.organisations import (
    Authority,
    AuthorityMatcher,
    AuthorityOrganisation,
    Curations,
    Method,
    OrgMatch,
    alias_language,
    organisations_graph,
)
from sotegraph.values import valid_business_id

__all__ = [
    "Authority",
    "AuthorityOrganisation",
    "BusinessIdWarning",
    "Curations",
    "MergeRecord",
    "Method",
    "NearMiss",
    "OrgMatch",
    "OrganisationResolver",
    "alias_language",
    "organisations_graph",
    "valid_business_id",
]


@dataclass(slots=True)
class MergeRecord:
    """Several names resolved to one resource (for the report)."""

    iri: str
    canonical_name: str
    authority_id: str | None
    names: dict[str, str]  # name as written -> method
    mentions: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "iri": self.iri,
            "canonical_name": self.canonical_name,
            "authority_id": self.authority_id,
            "names": dict(sorted(self.names.items())),
            "mentions": self.mentions,
        }


@dataclass(frozen=True, slots=True)
class NearMiss:
    """Two names that look alike but were kept as different resources."""

    name: str
    iri: str
    other_name: str
    other_iri: str
    score: float
    reason: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "iri": self.iri,
            "other_name": self.other_name,
            "other_iri": self.other_iri,
            "score": round(self.score, 3),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class BusinessIdWarning:
    """A Y-tunnus that was not used as a key."""

    name: str
    business_id: str
    source: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "business_id": self.business_id,
            "source": self.source,
            "message": self.message,
        }


@dataclass(slots=True)
class _Resource:
    iri: URIRef
    authority_id: str | None
    canonical: str | None
    names: Counter[str] = field(default_factory=Counter)
    methods: dict[str, str] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    business_ids: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Pending:
    fact: OrganisationFact
    facts: Facts | None
    forms: NameForms
    key: str
    business_id: str | None


# --------------------------------------------------------------------------- resolver


class OrganisationResolver(AuthorityMatcher):
    """Resolve organisation names (and Y-tunnus) to one IRI per real organisation.

    Parameters
    ----------
    authority:
        The authority file; default: the shipped one.
    curations:
        Person-made decisions; a :class:`Curations`, a path to a curations CSV, or ``None``
        for the shipped ``data/curations.csv``.

    Examples
    --------
    >>> r = OrganisationResolver()
    >>> r.resolve("Työterveyslaitoksen").canonical_name
    'Työterveyslaitos'
    >>> r.resolve("Tampereen yliopisto").iri == r.resolve("Tampereen ammattikorkeakoulu").iri
    False
    """

    def __init__(
        self,
        *,
        authority: Authority | None = None,
        curations: Curations | str | Path | None = None,
    ) -> None:
        super().__init__(authority=authority, curations=curations)
        self.reset()

    def reset(self) -> None:
        """Forget every name met so far (the authority file and the curations stay).

        For resolving a whole store again: what the store holds is then the memory, so a
        document removed from it leaves nothing behind here.

        Examples
        --------
        >>> r = OrganisationResolver()
        >>> _ = r.resolve("Oulun Seudun Koeyritys Oy")
        >>> r.reset()
        >>> r.resource_count
        0
        """
        self._resources: dict[URIRef, _Resource] = {}
        self._key_bid: dict[str, str] = {}  # base key of a new organisation -> its Y-tunnus
        self._key_bids: dict[str, set[str]] = defaultdict(set)
        self._new_keys: set[str] = set()
        self.warnings: list[BusinessIdWarning] = []
        #: ``(source, name)`` of organisation mentions without a letter or digit (left as is)
        self.unnamed: list[tuple[str, str]] = []
        self._explicit_near: list[NearMiss] = []
        self._observed_bids: dict[str, set[str]] = defaultdict(set)  # authority id -> ids

    def authority_name(self, iri: str | URIRef) -> str | None:
        """The authority file's name of the organisation ``iri``, if a name resolved to it.

        Examples
        --------
        >>> r = OrganisationResolver()
        >>> r.authority_name(r.resolve("Kajaanin ammattikorkeakoulun").iri)
        'Kajaanin Ammattikorkeakoulu Oy'
        >>> r.authority_name(r.resolve("Oulun Seudun Koeyritys Oy").iri) is None
        True
        """
        res = self._resources.get(URIRef(str(iri)))
        if res is None or res.authority_id is None:
            return None
        return self.authority.by_id[res.authority_id].name

    # ----- single names ---------------------------------------------------------------

    def _match_alias(self, fact: OrganisationFact) -> OrgMatch | None:
        """Match by an alias the document gave the organisation (``… (Xamk)``)."""
        for alias in fact.aliases:
            if not alias.strip() or self.curations.kept_apart(fact.name):
                continue
            m = self.match(alias)
            if m is not None and m.method in (Method.ALIAS, Method.BASE_FORM, Method.BUSINESS_ID):
                return OrgMatch(m.iri, m.canonical_name, Method.ABBREVIATION, m.authority_id)
        return None

    def key_of(self, name: str) -> str:
        """The base-form key under which a new organisation named ``name`` is kept.

        Examples
        --------
        >>> OrganisationResolver().key_of("OULUN SEUDUN YRITYS OY")
        'oulun seudun yritys'
        """
        forms = analyse_name(name)
        target = self.curations.merge_target(name)
        if target is not None:
            return analyse_name(target).base
        if self.curations.kept_apart(name):
            return "=" + forms.folded
        return forms.base or forms.folded

    def resolve(self, name: str, business_id: str | None = None, *, source: str = "") -> OrgMatch:
        """Resolve one name, creating a new resource when the authority file does not know it.

        A Y-tunnus with a bad check digit is ignored (and recorded in :attr:`warnings`).
        For cross-document merging of new organisations use :meth:`resolve_facts`.

        Raises
        ------
        ResolutionError
            If ``name`` has no letter or digit.

        Examples
        --------
        >>> r = OrganisationResolver()
        >>> r.resolve("Oulun Yliopisto").iri == r.resolve("OULUN YLIOPISTO").iri
        True
        >>> str(r.resolve("Testi Oy", "2553600-5").iri)
        'https://w3id.org/sotegraph/id/organisation/testi'
        >>> r.warnings[-1].business_id
        '2553600-5'
        """
        if not _has_word(name):
            raise ResolutionError(f"organisation name {name!r} has no letters or digits")
        bid = self._check_bid(name, business_id, source)
        m = self.match(name, bid)
        if m is None:
            forms = analyse_name(name)
            key = self.key_of(name)
            if bid:
                self._key_bids[key].add(bid)
                if len(self._key_bids[key]) == 1:
                    self._key_bid[key] = bid
                else:
                    self._key_bid.pop(key, None)
            m = self._new(forms, key, bid)
        self._record(m, analyse_name(name).cleaned, bid)
        return m

    def _check_bid(self, name: str, business_id: str | None, source: str) -> str | None:
        if not business_id or not business_id.strip():
            return None
        bid = valid_business_id(business_id)
        if bid is None:
            self.warnings.append(
                BusinessIdWarning(
                    name,
                    business_id,
                    source,
                    "Y-tunnus check digit is not valid; not used to identify the organisation",
                )
            )
        return bid

    def _new(self, forms: NameForms, key: str, bid: str | None) -> OrgMatch:
        self._new_keys.add(key)
        use = bid or self._key_bid.get(key)
        if use:
            method = Method.NEW_BUSINESS_ID
            iri = organisation_iri(business_id=use)
        else:
            method = Method.NEW
            iri = organisation_iri(name=key.lstrip("="))
        res = self._resources.get(iri)
        canonical = res.canonical if res and res.canonical else forms.cleaned
        return OrgMatch(iri, canonical, method, None, key)

    def _record(self, m: OrgMatch, written: str, bid: str | None) -> None:
        res = self._resources.get(m.iri)
        if res is None:
            canonical = m.canonical_name if m.authority_id else None
            res = self._resources[m.iri] = _Resource(m.iri, m.authority_id, canonical)
        res.names[written] += 1
        res.methods.setdefault(written, m.method.value)
        if m.key:
            res.keys.add(m.key)
        if bid:
            res.business_ids.add(bid)
            if m.authority_id and not self.authority.by_id[m.authority_id].business_id:
                self._observed_bids[m.authority_id].add(bid)

    # ----- facts across documents -------------------------------------------------------

    def resolve_facts(self, facts_list: Iterable[Facts]) -> None:
        """Fill ``iri`` and ``canonical_name`` of every organisation, across documents.

        Two passes: names the authority file knows are resolved at once; new organisations
        are grouped by base form over all documents first, so that a name given with a valid
        Y-tunnus in one document and without it in another becomes one resource (when only
        one Y-tunnus is seen for that name). Inflected forms of a new name written without a
        legal form (``Naturpoliksen``) join the same resource.
        """
        pending: list[_Pending] = []
        for facts in facts_list:
            for fact in facts.organisations:
                if fact.private:  # a person's name was withheld: the label is no name to match
                    fact.iri = str(organisation_iri(name=fact.name))
                    fact.canonical_name = fact.name
                    continue
                if not fact.name or not _has_word(fact.name):
                    self.unnamed.append((facts.source, fact.name or ""))
                    continue
                bid = self._check_bid(fact.name, fact.business_id, facts.source)
                if fact.business_id and bid is None:
                    facts.warn(
                        f"Y-tunnus {fact.business_id!r} of {fact.name!r} has a bad check digit;"
                        " not used to identify the organisation",
                        expected="a Y-tunnus with a valid check digit, e.g. 2553600-4",
                        field="business_id",
                    )
                m = self.match(fact.name, bid) or self._match_alias(fact)
                if m is not None:
                    self._record(m, analyse_name(fact.name).cleaned, bid)
                    fact.iri, fact.canonical_name = str(m.iri), m.canonical_name
                    continue
                forms = analyse_name(fact.name)
                pending.append(_Pending(fact, facts, forms, self.key_of(fact.name), bid))
        if not pending:
            return
        keys = {p.key for p in pending} | self._new_keys
        # inflected forms of new names join their base form (only names without a legal form)
        remap: dict[str, str] = {}
        for p in pending:
            if p.key in remap or p.forms.legal_form or p.key.startswith("="):
                continue
            for cand in inflection_candidates(p.fact.name, safe_only=True):
                if cand in keys and cand != p.key:
                    remap[p.key] = cand
                    break
        # a new organisation named by the abbreviation another document gave it in parentheses
        alias_owner: dict[str, set[str]] = defaultdict(set)
        for p in pending:
            for alias in p.fact.aliases:
                if alias.strip():
                    alias_owner[fold(alias)].add(remap.get(p.key, p.key))
        for p in pending:
            owners = alias_owner.get(p.forms.folded, set()) - {p.key}
            if len(owners) == 1 and p.key not in remap and not p.key.startswith("="):
                remap[p.key] = next(iter(owners))
        for p in pending:
            p.key = remap.get(p.key, p.key)
        _one_key_per_fact_key(pending)
        for p in pending:
            if p.business_id:
                self._key_bids[p.key].add(p.business_id)
        for key, bids in self._key_bids.items():
            if len(bids) == 1:
                self._key_bid[key] = next(iter(bids))
            else:
                self._key_bid.pop(key, None)
        for key, bids in self._key_bids.items():
            if len(bids) > 1 and key in keys:
                ordered = sorted(bids)
                for other in ordered[1:]:
                    miss = NearMiss(
                        key,
                        str(organisation_iri(business_id=ordered[0])),
                        key,
                        str(organisation_iri(business_id=other)),
                        1.0,
                        "same name, different Y-tunnus: kept apart",
                    )
                    if miss not in self._explicit_near:
                        self._explicit_near.append(miss)
        # canonical display names, decided over all mentions
        names_by_iri: dict[URIRef, Counter[str]] = defaultdict(Counter)
        matches: list[OrgMatch] = []
        for p in pending:
            m = self._new(p.forms, p.key, p.business_id)
            if p.forms.legal_form is None and p.key != p.forms.base and p.key in remap.values():
                m = OrgMatch(m.iri, m.canonical_name, Method.INFLECTION, None, m.key)
            matches.append(m)
            names_by_iri[m.iri][p.forms.cleaned] += 1
        for iri, names in names_by_iri.items():
            res = self._resources.get(iri)
            if res is not None and res.canonical:
                continue
            if res is not None:
                names = names + res.names
            chosen = _display_name(names)
            if res is None:
                res = self._resources[iri] = _Resource(iri, None, chosen)
            res.canonical = chosen
        for p, m in zip(pending, matches, strict=True):
            self._record(m, p.forms.cleaned, p.business_id)
            p.fact.iri = str(m.iri)
            p.fact.canonical_name = self._resources[m.iri].canonical

    # ----- report -------------------------------------------------------------------------

    def merges(self) -> list[MergeRecord]:
        """Resources that several distinct names (as written) resolved to."""
        out = []
        for res in self._resources.values():
            if len(res.names) < 2:
                continue
            out.append(
                MergeRecord(
                    str(res.iri),
                    res.canonical or res.names.most_common(1)[0][0],
                    res.authority_id,
                    dict(res.methods),
                    sum(res.names.values()),
                )
            )
        out.sort(key=lambda m: (-len(m.names), m.canonical_name))
        return out

    @property
    def resource_count(self) -> int:
        """How many organisation resources the names resolved to so far."""
        return len(self._resources)

    def new_organisations(self) -> list[tuple[str, str]]:
        """``(iri, canonical name)`` of resources not in the authority file."""
        return sorted(
            (str(r.iri), r.canonical or r.names.most_common(1)[0][0])
            for r in self._resources.values()
            if r.authority_id is None
        )

    def observed_business_ids(self) -> dict[str, list[str]]:
        """Valid Y-tunnus seen for authority organisations whose row has none (to curate)."""
        return {k: sorted(v) for k, v in sorted(self._observed_bids.items())}

    def near_misses(self, *, threshold: float = 0.86, window: int = 6) -> list[NearMiss]:
        """Similar names that resolved to different resources.

        Compares each base form with its neighbours in two sort orders (sorted-neighbourhood
        blocking, so the cost stays linear in the number of names) with
        :class:`difflib.SequenceMatcher`; pairs a curation keeps apart are left out.
        """
        entries: list[tuple[str, str, URIRef]] = []  # (key, display name, iri)
        seen: set[tuple[str, URIRef]] = set()
        for res in self._resources.values():
            for written in res.names:
                forms = analyse_name(written)
                k = forms.base or forms.folded
                if (k, res.iri) not in seen and len(k) >= 5:
                    seen.add((k, res.iri))
                    entries.append((k, written, res.iri))
        found: dict[tuple[URIRef, URIRef], NearMiss] = {}
        sm = difflib.SequenceMatcher(None, "", "", autojunk=False)
        for order in (lambda e: e[0], lambda e: " ".join(reversed(e[0].split()))):
            ordered = sorted(entries, key=order)
            for i, (k1, n1, iri1) in enumerate(ordered):
                sm.set_seq2(k1)  # the expensive index is built once per name
                for k2, n2, iri2 in ordered[i + 1 : i + 1 + window]:
                    if iri1 == iri2:
                        continue
                    lo, hi = sorted((len(k1), len(k2)))
                    if 2 * lo / (lo + hi) < threshold:
                        continue
                    pair = (iri1, iri2) if str(iri1) < str(iri2) else (iri2, iri1)
                    if pair in found:
                        continue
                    if fold(n2) in self.curations.apart.get(fold(n1), set()):
                        continue
                    sm.set_seq1(k2)
                    if sm.quick_ratio() < threshold:
                        continue
                    score = sm.ratio()
                    if score < threshold:
                        continue
                    h1, h2 = k1.rsplit(" ", 1)[-1], k2.rsplit(" ", 1)[-1]
                    reason = (
                        "different head word" if h1 != h2 else "same head word, different words"
                    )
                    found[pair] = NearMiss(n1, str(iri1), n2, str(iri2), score, reason)
        subunits = self._subunit_near_misses()
        out = self._explicit_near + subunits + sorted(found.values(), key=lambda n: -n.score)
        return out

    def _subunit_near_misses(self) -> list[NearMiss]:
        out = []
        for res in self._resources.values():
            if res.authority_id is not None:
                continue
            for written in res.names:
                if "/" not in written:
                    continue
                head = written.split("/", 1)[0].strip()
                if not head:
                    continue
                m = self.match(head)
                if m is not None and m.iri != res.iri:
                    out.append(
                        NearMiss(
                            written,
                            str(res.iri),
                            m.canonical_name,
                            str(m.iri),
                            1.0,
                            "unit of a known organisation: kept apart",
                        )
                    )
        return out


def _one_key_per_fact_key(pending: list[_Pending]) -> None:
    """Facts of one document under one key are one organisation: they get one base key.

    Extracted facts have a key of their own each; several facts share one when a stored
    resource is read back as several names (:mod:`sotegraph.resolve.identity`, whose facts
    are keyed by the stored IRI). The key kept is the one that gives the stored IRI, if one
    does, else the first.
    """
    groups: dict[tuple[str, str], list[_Pending]] = defaultdict(list)
    for p in pending:
        if p.facts is not None:
            groups[(p.facts.document_id, p.fact.key)].append(p)
    for (_doc, fact_key), ps in groups.items():
        if len(ps) < 2 or len({p.key for p in ps}) < 2:
            continue
        keep = next(
            (p.key for p in ps if str(organisation_iri(name=p.key.lstrip("="))) == fact_key),
            ps[0].key,
        )
        for p in ps:
            p.key = keep


def _has_word(name: str) -> bool:
    return any(ch.isalnum() for ch in name)


def _display_name(names: Counter[str]) -> str:
    def rank(item: tuple[str, int]) -> tuple[int, int, int, str]:
        name, count = item
        shouting = int(name.isupper())
        return (shouting, -count, len(name), name)

    return min(names.items(), key=rank)[0]

"""Benchmark: sotegraph.validate vs plain pyshacl.validate on the same graph and shapes.

Generates a graph of N projects (default 20,000) through the real pipeline's RDF mapping
(:func:`sotegraph.rdf.facts_to_graph`): 10 % from EURA records (one document each), 90 % from
four bulk tables, every project with a lead, partners, participations, dates, funding,
target areas (municipality + its region) and funds; about 1 % of the projects carry a
deliberate fault (negative funding, end before start, bad business id).

Then validates it with ``sotegraph.validate.validate`` and with plain
``pyshacl.validate(data, shacl_graph=shapes, advanced=True, inference="none")`` of the same
graph (union of its named graphs plus the same reference graphs), in the same run, and prints
both times and their ratio. Plain pyshacl is slow: when it would take longer than
``--pyshacl-budget`` seconds, it is run on the first ``--pyshacl-n`` projects instead and its
time is scaled linearly (said so in the output).

Usage::

    python benchmarks/bench_validate.py                 # 20,000 projects
    python benchmarks/bench_validate.py -n 2000 --pyshacl-n 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
from decimal import Decimal

from rdflib import Dataset, Graph
from stdnum.fi import ytunnus

from sotegraph.facts import Facts, OrganisationFact, Participation, PlaceMention, ProjectFact, Role
from sotegraph.namespaces import region_iri
from sotegraph.rdf import facts_to_graph


def _business_id(i: int, *, broken: bool = False) -> str:
    """A valid Y-tunnus (or, when ``broken``, one with a wrong check digit)."""
    base = 1000000 + i * 7919 % 8999999
    while True:
        digits = f"{base:07d}"
        valid = [d for d in "0123456789" if ytunnus.is_valid(f"{digits}-{d}")]
        if valid:  # remainder 1 has no valid check digit: try the next number
            break
        base += 1
    check = valid[0] if not broken else str((int(valid[0]) + 1) % 10)
    return f"{digits}-{check}"


def _municipalities() -> list[tuple[str, str]]:
    """(municipality code, region code) pairs of the 2018 classification."""
    from sotegraph.resolve.regions import RegionResolver

    resolver = RegionResolver(use_voikko=False)
    out = []
    for code in range(1, 1000):
        try:
            m = resolver.municipality_membership(code, 2018)
        except KeyError:
            continue
        out.append((m.municipality, m.region))
    return out


def generate(n: int, *, seed: int = 7) -> tuple[Dataset, int]:
    """Return a dataset of ``n`` projects (one named graph per document) and the fault count."""
    rng = random.Random(seed)
    munis = _municipalities()
    n_orgs = max(50, n // 6)
    orgs = [
        OrganisationFact(
            key=f"o{i}",
            name=f"Organisaatio {i}",
            business_id=_business_id(i, broken=(i % 997 == 5)),
        )
        for i in range(n_orgs)
    ]
    faults = sum(1 for i in range(n_orgs) if i % 997 == 5)
    n_eura = n // 10
    bulk_docs = 4
    facts_list: list[Facts] = []

    def new_facts(name: str, genre: str) -> Facts:
        return Facts(
            document_id=hashlib.sha256(name.encode()).hexdigest(), source=name, genre=genre
        )

    bulk = [new_facts(f"bulk_{k}.csv", "bulk-table") for k in range(bulk_docs)]
    for i in range(n):
        facts = new_facts(f"eura_{i}.txt", "eura-record") if i < n_eura else bulk[i % bulk_docs]
        start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 1500))
        end = start + dt.timedelta(days=rng.randrange(200, 1200))
        granted = Decimal(rng.randrange(10_000, 2_000_000))
        realised = granted * Decimal("0.9")
        fault = i % 100 == 42
        if fault:
            faults += 1
            if i % 3 == 0:
                granted = -granted
            elif i % 3 == 1:
                start, end = end, start
            else:
                realised = granted * 2
        muni, region = munis[rng.randrange(len(munis))]
        key = f"p{i}"
        facts.projects.append(
            ProjectFact(
                key=key,
                name=f"Hanke {i}",
                code=f"{'S' if i % 2 else 'A'}{20000 + i:05d}" if i < 80000 else None,
                fund="ESR" if i % 2 else "EAKR",
                programme_period="2014-2020",
                start=start,
                end=end,
                status="Päättynyt",
                granted_eu_state=granted,
                realised_eu_state=realised,
                planned_public=granted * Decimal("1.2"),
                realised_public=realised * Decimal("1.2"),
                places=[
                    PlaceMention(text="kunta", iri=str(region_iri("municipality", muni))),
                    PlaceMention(text="maakunta", iri=str(region_iri("region", region))),
                ],
            )
        )
        chosen = rng.sample(range(n_orgs), k=rng.randrange(1, 4))
        for j, o in enumerate(chosen):
            if all(x.key != orgs[o].key for x in facts.organisations):
                facts.organisations.append(orgs[o])
            facts.participations.append(
                Participation(
                    project=key,
                    organisation=orgs[o].key,
                    role=Role.LEAD if j == 0 else Role.PARTNER,
                )
            )
        if i < n_eura:
            facts_list.append(facts)
    facts_list.extend(bulk)
    ds = Dataset()
    for facts in facts_list:
        g = facts_to_graph(facts)
        target = ds.graph(g.identifier)
        for triple in g:
            target.add(triple)
    return ds, faults


def _union(ds: Dataset, reference: Graph) -> Graph:
    g = Graph()
    for ctx in ds.graphs():
        for triple in ctx:
            g.add(triple)
    for triple in reference:
        g.add(triple)
    return g


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the times."""
    parser = argparse.ArgumentParser(description="sotegraph.validate vs plain pyshacl")
    parser.add_argument("-n", type=int, default=20_000, help="projects (default 20000)")
    parser.add_argument(
        "--pyshacl-n",
        type=int,
        default=2_000,
        help="projects for plain pyshacl when the full run would be too slow",
    )
    parser.add_argument(
        "--pyshacl-budget",
        type=float,
        default=300.0,
        help="seconds plain pyshacl may take on the full graph (estimated)",
    )
    args = parser.parse_args(argv)

    import pyshacl

    from sotegraph.validate import reference_graph, shapes_graph, validate

    t0 = time.perf_counter()
    ds, faults = generate(args.n)
    triples = sum(len(g) for g in ds.graphs())
    print(
        f"generated {args.n} projects, {triples} triples, {faults} faults "
        f"in {time.perf_counter() - t0:.1f} s"
    )

    t0 = time.perf_counter()
    report = validate(ds)
    t_sg = time.perf_counter() - t0
    print(
        f"sotegraph.validate: {t_sg:.1f} s, {len(report.violations)} violations, "
        f"{len(report.warnings)} warnings, {len(report.results)} results"
    )

    shapes = shapes_graph()
    reference = reference_graph()
    n_py = args.n
    # estimate plain pyshacl's time on a small sample first
    sample_n = min(args.pyshacl_n, args.n)
    sample, _ = generate(sample_n)
    data = _union(sample, reference)
    t0 = time.perf_counter()
    _conforms, _graph, _text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True
    )
    t_sample = time.perf_counter() - t0
    estimate = t_sample * args.n / sample_n
    if sample_n == args.n:
        t_py = t_sample
    elif estimate > args.pyshacl_budget:
        n_py = sample_n
        t_py = estimate
        print(
            f"plain pyshacl: {t_sample:.1f} s on {sample_n} projects; the full graph would take "
            f"about {estimate:.0f} s (> budget {args.pyshacl_budget:.0f} s), so it is scaled "
            f"linearly from the {sample_n}-project run"
        )
    else:
        data = _union(ds, reference)
        t0 = time.perf_counter()
        pyshacl.validate(
            data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True
        )
        t_py = time.perf_counter() - t0
    print(
        f"plain pyshacl.validate: {t_py:.1f} s"
        + ("" if n_py == args.n else f" (estimated for {args.n} from {n_py} projects)")
    )
    print(f"ratio pyshacl / sotegraph: {t_py / t_sg:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

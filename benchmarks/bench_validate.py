"""Benchmark: sotegraph.validate vs plain pyshacl.validate on the same graph and shapes.

Generates a graph of N projects (default 20,000) through the real pipeline's RDF mapping
(:func:`sotegraph.rdf.facts_to_graph`): 10 % from EURA records (one document each), 90 % from
four bulk tables, every project with a lead, partners, participations, dates, funding,
target areas (municipality + its region) and funds; about 1 % of the projects carry a
deliberate fault (negative funding, end before start, bad business id).

Then validates it with ``sotegraph.validate.validate`` and with plain
``pyshacl.validate(data, shacl_graph=shapes, inference="none")`` of the same
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
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from stdnum.fi import ytunnus

from sotegraph.facts import Facts, OrganisationFact, Participation, PlaceMention, ProjectFact, Role
from sotegraph.namespaces import region_iri
from sotegraph.rdf import facts_to_graph
from sotegraph.validate import ValidationReport, validate
from sotegraph.vocab import SG

_GRAPH_PREFIX = "https://w3id.org/sotegraph/id/graph/"


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


@cache
def _membership(code: str, year: int) -> str | None:
    """The region of a municipality in a classification year (None if not in force)."""
    from sotegraph.reference.regions import RegionResolver

    try:
        return RegionResolver(use_voikko=False).municipality_membership(code, year).region
    except KeyError:
        return None


def _municipalities() -> list[str]:
    """Codes of the municipalities of the 2016 classification."""
    return [f"{c:03d}" for c in range(1, 1000) if _membership(f"{c:03d}", 2016) is not None]


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
        muni = munis[rng.randrange(len(munis))]
        region = _membership(muni, start.year) or _membership(muni, 2016)
        assert region is not None  # every municipality in munis is in force in 2016
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


def _with_context(ds: Dataset, reference: Graph) -> Dataset:
    """Add the reference graphs to ``ds`` as a named graph: "the same graph" for plain pyshacl.

    Plain pyshacl then also validates every reference node (municipalities, their yearly
    memberships, themes, funds), which sotegraph.validate treats as context (looked up for
    ``sh:class``, validated once when the reference data is made, not on every run).
    """
    ctx = ds.graph(URIRef("https://w3id.org/sotegraph/id/graph/reference"))
    for triple in reference:
        ctx.add(triple)
    return ds


def _python_rule_results(report: ValidationReport) -> int:
    """How many results come from the rules sotegraph implements in Python (Y-tunnus, areas)."""
    return sum(
        1 for r in report.results if str(r.component).startswith("https://w3id.org/sotegraph/")
    )


def _time_sotegraph(ds: Dataset) -> tuple[float, ValidationReport]:

    t0 = time.perf_counter()
    report = validate(ds)
    return time.perf_counter() - t0, report


def _time_pyshacl(ds: Dataset, shapes: Graph) -> tuple[float, int]:
    import pyshacl
    from rdflib.namespace import RDF, SH

    t0 = time.perf_counter()
    _conforms, results, _text = pyshacl.validate(
        ds, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    elapsed = time.perf_counter() - t0
    assert isinstance(results, Graph)
    return elapsed, len(list(results.subjects(RDF.type, SH.ValidationResult)))


def _bench_bulk(folder: Path, budget: float) -> int:
    """Validate the graph built from the bulk tables; pyshacl too if it fits the budget."""
    from sotegraph.builder import build
    from sotegraph.validate import reference_graph, shapes_graph

    paths = sorted(folder.glob("*.csv"))
    t0 = time.perf_counter()
    kg = build(paths, use_nlp=False, validate=False)
    ds = kg.dataset()
    kg.close()
    data = [g for g in ds.graphs() if len(g) and not str(g.identifier).startswith(_GRAPH_PREFIX)]
    triples = sum(len(g) for g in data)
    projects = sum(1 for g in data for _ in g.subjects(RDF.type, SG.Project))
    print(
        f"built {len(paths)} bulk tables: {projects} project nodes, {triples} triples "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    t_sg, report = _time_sotegraph(ds)
    counts = Counter((r.severity.value, str(r.shape).rsplit("#", 1)[-1]) for r in report.results)
    print(f"sotegraph.validate: {t_sg:.1f} s, {len(report.results)} results")
    for (severity, shape), n in counts.most_common(12):
        print(f"  {n:6d} {severity:9s} {shape}")
    # plain pyshacl: first on the smallest table's graph (+ reference), then on everything if
    # the linear estimate fits the budget
    smallest = min(data, key=len)
    one = Dataset()
    target = one.graph(smallest.identifier)
    for triple in smallest:
        target.add(triple)
    _with_context(one, reference_graph())
    t_one, n_one = _time_pyshacl(one, shapes_graph())
    t_sg_one, _report_one = _time_sotegraph(one)
    print(
        f"smallest table ({len(smallest)} triples): plain pyshacl {t_one:.1f} s ({n_one} "
        f"results), sotegraph.validate {t_sg_one:.1f} s, ratio {t_one / t_sg_one:.1f}x"
    )
    estimate = t_one * triples / len(smallest)
    if estimate > budget:
        print(
            f"plain pyshacl on all {triples} triples: not run, estimated {estimate:.0f} s "
            f"(> budget {budget:.0f} s); estimated ratio {estimate / t_sg:.1f}x"
        )
        return 0
    plain = Dataset()
    for g in data:
        target = plain.graph(g.identifier)
        for triple in g:
            target.add(triple)
    _with_context(plain, reference_graph())
    t_py, n_py = _time_pyshacl(plain, shapes_graph())
    print(f"plain pyshacl: {t_py:.1f} s ({n_py} results), ratio {t_py / t_sg:.1f}x")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the times."""
    parser = argparse.ArgumentParser(description="sotegraph.validate vs plain pyshacl")
    parser.add_argument("-n", type=int, default=20_000, help="projects (default 20000)")
    parser.add_argument(
        "--pyshacl-n",
        type=int,
        default=2_000,
        help="projects for the first, always-run comparison (default 2000)",
    )
    parser.add_argument(
        "--pyshacl-budget",
        type=float,
        default=300.0,
        help="seconds plain pyshacl may take on the full graph (estimated from the first run)",
    )
    parser.add_argument(
        "--bulk",
        type=Path,
        default=None,
        help="instead of generating, build the graph of these bulk tables (e.g. "
        "../shared/corpus/bulk) with sotegraph.builder.build and validate that",
    )
    args = parser.parse_args(argv)

    from sotegraph.validate import reference_graph, shapes_graph

    if args.bulk is not None:
        return _bench_bulk(args.bulk, args.pyshacl_budget)

    shapes = shapes_graph()
    reference = reference_graph()
    t_warm, _ = _time_sotegraph(generate(50)[0])  # loads the reference data once
    print(f"warm-up (reference data, shapes): {t_warm:.1f} s")

    # 1. both on the smaller graph
    n_small = min(args.pyshacl_n, args.n)
    small, _faults = generate(n_small)
    t_sg_small, rep_small = _time_sotegraph(small)
    t_py_small, n_py_small = _time_pyshacl(_with_context(small, reference), shapes)
    print(
        f"{n_small} projects: sotegraph.validate {t_sg_small:.1f} s "
        f"({len(rep_small.results)} results, {_python_rule_results(rep_small)} of them from the "
        "Python rules pyshacl does not have), plain pyshacl "
        f"{t_py_small:.1f} s ({n_py_small} results), ratio {t_py_small / t_sg_small:.1f}x"
    )
    if n_small == args.n:
        return 0

    # 2. sotegraph on the full graph
    t0 = time.perf_counter()
    ds, faults = generate(args.n)
    triples = sum(len(g) for g in ds.graphs())
    print(
        f"generated {args.n} projects, {triples} triples, {faults} faults "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    t_sg, report = _time_sotegraph(ds)
    print(
        f"{args.n} projects: sotegraph.validate {t_sg:.1f} s, "
        f"{len(report.violations)} violations, {len(report.warnings)} warnings, "
        f"{len(report.results)} results"
    )

    # 3. plain pyshacl on the full graph, if it fits the budget
    estimate = t_py_small * args.n / n_small
    if estimate > args.pyshacl_budget:
        print(
            f"plain pyshacl on {args.n} projects: not run, estimated {estimate:.0f} s "
            f"(> budget {args.pyshacl_budget:.0f} s) by scaling its {n_small}-project time "
            f"linearly; estimated ratio {estimate / t_sg:.1f}x"
        )
    else:
        t_py, n_py = _time_pyshacl(_with_context(ds, reference), shapes)
        print(
            f"{args.n} projects: plain pyshacl {t_py:.1f} s ({n_py} results), "
            f"ratio {t_py / t_sg:.1f}x (sotegraph {t_sg:.1f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

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

``--build-vs-store`` measures instead what issue 16 asks (point 5): a build of the bulk store
(both EURA lists of ``../shared/corpus/bulk`` plus the seeds) with its validation share timed,
then ``sotegraph validate --store`` of the same store, and checks that both find the same
results. The build has no timer of its own: the validation calls it makes (parsing each
document's N-Triples into an :class:`~sotegraph.validate.IndexedGraph`, the document shapes,
gathering the graph-wide view, the graph-wide shapes) are wrapped with timers in the
benchmark's build process, outermost call only; the same wrappers time an in-process
:meth:`KnowledgeGraph.validate` of the store part by part. The command itself runs as a
subprocess (its wall time, Python's start-up and imports included, is the figure compared).
The load average is printed with every figure: the machine is shared.

Usage::

    python benchmarks/bench_validate.py                 # 20,000 projects
    python benchmarks/bench_validate.py -n 2000 --pyshacl-n 2000
    python benchmarks/bench_validate.py --build-vs-store [--no-nlp] [--files F ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from functools import cache, wraps
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from stdnum.fi import ytunnus

from sotegraph.facts import Facts, OrganisationFact, Participation, PlaceMention, ProjectFact, Role
from sotegraph.namespaces import region_iri
from sotegraph.rdf import facts_to_graph
from sotegraph.validate import ValidationReport, validate
from sotegraph.vocab import SG

_GRAPH_PREFIX = "https://w3id.org/sotegraph/id/graph/"
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_BULK_STORE_INPUTS = [
    _SHARED / "bulk" / "fi_eura2014_projektilista_2016_clean.csv",
    _SHARED / "bulk" / "fi_eura2007_projektilista_2007-2013.csv",
    _SHARED / "seeds",
]
TARGET_RATIO = 1.5  # validate --store within 1.5x the build's validation share (issue 16)


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


# --- a build's validation share vs validate --store (issue 16, point 5) -------------------


class _Timers:
    """Seconds spent in wrapped functions, by part; only the outermost timed call counts."""

    def __init__(self) -> None:
        self.parts: Counter[str] = Counter()
        self._local = threading.local()

    def wrap(self, owner: Any, name: str, part: str) -> None:
        """Time ``owner.name`` (a function, method or classmethod) as ``part``."""
        raw = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        is_classmethod = isinstance(raw, classmethod)
        func: Callable[..., Any] = raw.__func__ if is_classmethod else raw
        local = self._local

        @wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if getattr(local, "depth", 0):
                return func(*args, **kwargs)
            local.depth = 1
            t0 = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.parts[part] += time.perf_counter() - t0
                local.depth = 0

        setattr(owner, name, classmethod(timed) if is_classmethod else timed)

    def install(self) -> None:
        """Wrap what a build and :meth:`KnowledgeGraph.validate` call to validate."""
        import sotegraph.builder as builder
        import sotegraph.validate as v
        from sotegraph.store.oxigraph import OxigraphStore

        self.wrap(OxigraphStore, "graph_ntriples", "read graphs (N-Triples dump)")
        self.wrap(v.IndexedGraph, "from_ntriples", "parse + index graphs")
        self.wrap(v.IndexedGraph, "__init__", "parse + index graphs")
        self.wrap(v, "validate_document", "document shapes")
        for method in ("add_store", "add_graph", "add_manifest_entry"):
            self.wrap(builder._GraphWideView, method, "graph-wide view")
        self.wrap(v, "validate_graph_wide", "graph-wide shapes")


def _results(report: Any) -> list[str]:
    """A report's results as sorted JSON texts (to compare two reports)."""
    return sorted(json.dumps(r.to_dict(), sort_keys=True) for r in report.results)


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _build_child(paths: list[str], store: str, use_nlp: bool, out: Any) -> None:
    """Child process: build with validation, its validation calls timed."""
    from sotegraph.builder import build

    timers = _Timers()
    timers.install()
    t0 = time.perf_counter()
    kg = build([Path(p) for p in paths], store=store, use_nlp=use_nlp, validate=True)
    seconds = time.perf_counter() - t0
    res = kg.last_build
    kg.close()
    assert res is not None
    assert res.validation is not None
    out.send(
        {
            "seconds": seconds,
            "parts": dict(timers.parts),
            "results": _results(res.validation),
            "documents": res.built,
            "projects": res.projects,
            "triples": res.triples,
        }
    )
    out.close()


def _store_child(store: str, out: Any) -> None:
    """Child process: :meth:`KnowledgeGraph.validate` of the store, timed part by part."""
    from sotegraph.builder import KnowledgeGraph
    from sotegraph.store import open_store

    timers = _Timers()
    timers.install()
    t0 = time.perf_counter()
    with KnowledgeGraph(open_store(store, read_only=True)) as kg:
        results = len(kg.validate().results)
    seconds = time.perf_counter() - t0
    out.send({"seconds": seconds, "parts": dict(timers.parts), "results": results})
    out.close()


def _in_child(target: Callable[..., None], *args: Any) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, child))
    proc.start()
    child.close()
    result: dict[str, Any] = parent.recv()
    proc.join()
    if proc.exitcode:
        raise SystemExit(f"{target.__name__} failed (exit {proc.exitcode})")
    return result


def _print_parts(parts: dict[str, float]) -> None:
    for part, secs in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"    {secs:7.2f} s  {part}")


def bench_build_vs_store(paths: list[Path], *, use_nlp: bool) -> int:
    """Build ``paths`` into a store (validation share timed), then validate the store."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"not found: {missing[0]} (../shared/corpus beside the repository)")
        return 2
    folder = Path(tempfile.mkdtemp(prefix="bench_validate_")) / "kg"
    print(f"before the build: {_load()}")
    b = _in_child(_build_child, [str(p) for p in paths], str(folder), use_nlp)
    share = sum(b["parts"].values())
    print(
        f"build of {len(paths)} inputs ({b['documents']} documents, {b['projects']:,} projects, "
        f"{b['triples']:,} triples): {b['seconds']:.1f} s wall, validation share "
        f"{share:.1f} s, {len(b['results'])} results; {_load()}"
    )
    _print_parts(b["parts"])

    command = [sys.executable, "-m", "sotegraph", "validate", "--store", str(folder)]
    t0 = time.perf_counter()
    proc = subprocess.run([*command, "--format", "json"], capture_output=True, check=False)
    cli = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        print(proc.stderr.decode(errors="replace"))
        return 2
    found = sorted(
        json.dumps(r, sort_keys=True) for r in json.loads(proc.stdout.decode("utf-8"))["results"]
    )
    print(
        f"sotegraph validate --store: {cli:.1f} s wall (exit {proc.returncode}, "
        f"{len(found)} results); {_load()}"
    )
    s = _in_child(_store_child, str(folder))
    print(f"  in process, KnowledgeGraph.validate: {s['seconds']:.1f} s; {_load()}")
    _print_parts(s["parts"])

    same = found == b["results"]
    if not same:
        print(
            f"results DIFFER: {len(set(b['results']) - set(found))} only in the build, "
            f"{len(set(found) - set(b['results']))} only in validate --store"
        )
    ratio = cli / share
    print(
        f"ratio validate --store / build's validation share: {ratio:.2f}x "
        f"(target <= {TARGET_RATIO}x: {'OK' if ratio <= TARGET_RATIO else 'MISSED'}); "
        f"same results: {'yes' if same else 'NO'}"
    )
    return 0 if same else 1


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
    parser.add_argument(
        "--build-vs-store",
        action="store_true",
        help="build the bulk store (both lists + seeds) with its validation share timed, then "
        "time sotegraph validate --store of it (issue 16)",
    )
    parser.add_argument(
        "--files",
        nargs="+",
        type=Path,
        default=None,
        help="with --build-vs-store: these inputs instead of both bulk lists and the seeds",
    )
    parser.add_argument(
        "--no-nlp", action="store_true", help="with --build-vs-store: build without spaCy"
    )
    args = parser.parse_args(argv)

    if args.build_vs_store:
        return bench_build_vs_store(args.files or _BULK_STORE_INPUTS, use_nlp=not args.no_nlp)

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

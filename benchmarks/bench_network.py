"""``sotegraph network --kind coparticipation`` on the bulk store against the SELECTs it needs.

The store holds both EURA bulk lists (``../shared/corpus/bulk``, 22,821 projects), built once
by :func:`sotegraph.builder.build` (SHACL validation off) into a folder under the system's
temporary directory and reused while the inputs are unchanged (``--rebuild`` builds it
again; ``--store DIR`` uses an existing store instead).

Each case runs in a new process, ``--runs`` times (default 3) alternating with the others
(a change of load touches all alike); the figure is the median CPU time of the child (user +
system, its threads included), with the median wall-clock time beside it:

* ``command``: ``sotegraph network --kind coparticipation --store S -o x.graphml`` (the
  default ``--attributes none``);
* ``selects``: a new ``python`` process that opens the same store with pyoxigraph and runs
  the three SELECTs the network is made of (the typed projects, the participations, the
  Finnish labels), reading every row: the floor of the same work on the same engine;
* ``coparticipation.rq``: the named query of the same network's edges, run the same way;
* ``command --attributes all``: for reference (every attribute group, the networkx path).

Target (issue 19.5): ``network --kind coparticipation`` at most 2x its select; the ratio is
printed against both baselines, and the line ``target ... met`` / ``not met`` says it
against the named query. The load average is printed before and after: the machine is
shared, and a loaded machine slows both alike.

Bytecode: a machine with ``PYTHONDONTWRITEBYTECODE=1`` (this one) compiles sotegraph's
modules again in every process (about 0.07 s of CPU), which an installed package never does;
the children get a bytecode folder of their own (``PYTHONPYCACHEPREFIX``, filled by one
warm-up run of each case, which also warms the page cache) unless ``--compile-each-run``.

The command's path (``sotegraph.cli._network_plain``): the command group recognises this
form of ``network`` and runs it without typer's per-option validators (pydantic) or the full
command's module; the store is opened by Oxigraph itself when all it holds is committed (no
``sotegraph.store``, so no rdflib), :func:`sotegraph.network.coparticipation_network` reads
the three SELECTs as Oxigraph's terms, and a network without edges is written by the
command's own GraphML writer (the bytes of :func:`sotegraph.export.export_graph`).

Then, in one process: the command's path (opening the store, the network, the GraphML) and
the networkx path (``load_network_data``, ``coparticipation_graph``, ``annotate``, the
export) step by step, against the three SELECTs, and whether the two write the same file.

Run: ``python benchmarks/bench_network.py [--store DIR] [--runs N] [--rebuild]
[--compile-each-run]``
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _cached_store import cached_store

ROOT = Path(__file__).resolve().parents[1]
BULK = ROOT.parent / "shared" / "corpus" / "bulk"
INPUTS = [
    BULK / "fi_eura2014_projektilista_2016_clean.csv",
    BULK / "fi_eura2007_projektilista_2007-2013.csv",
]
TARGET_RATIO = 2.0
SG = "https://w3id.org/sotegraph/ontology#"

# the SELECTs the co-participation network is made of (the command keeps the participations
# between IRIs by their terms' types)
SELECTS = [
    f"SELECT ?project WHERE {{ ?project a <{SG}Project> }}",
    f"SELECT ?project ?item WHERE {{ ?project <{SG}participant> ?item }}",
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
    'FILTER(LANG(?label) = "fi") }',
]

_RAW = """
import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
for text in sys.argv[2:]:
    for row in store.query(text, use_default_graph_as_union=True):
        for term in row:
            term is None or term.value
"""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bulk_store(rebuild: bool) -> Path:
    """The built bulk store's folder (built here unless a cached one is complete)."""
    return cached_store(INPUTS, "network", rebuild=rebuild)


def _child(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (it must exit 0)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:3]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _coparticipation_text() -> str:
    from sotegraph.queries import load_query
    from sotegraph.store import bind_values

    q = load_query("coparticipation")
    return bind_values(q.text, q.bindings({}))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def in_process(store_dir: Path, work: Path) -> None:
    """Where the CPU goes, in one process: the selects, the command's path, the networkx path."""
    import pyoxigraph as ox

    from sotegraph.cli._network_plain import (
        _fits_plain_graphml,
        _open_committed,
        _write_plain_graphml,
    )
    from sotegraph.export import export_graph
    from sotegraph.network import (
        annotate,
        coparticipation_graph,
        coparticipation_network,
        load_network_data,
    )
    from sotegraph.store import open_store

    raw = ox.Store.read_only(str(store_dir))
    t0 = _cpu()
    for text in SELECTS:
        rows: Any = raw.query(text, use_default_graph_as_union=True)
        for row in rows:
            for term in row:
                _ = term is None or term.value
    bare = _cpu() - t0
    del raw
    plain: list[tuple[str, float]] = []
    t0 = _cpu()
    committed = _open_committed(store_dir)
    plain.append(("open the store (Oxigraph)", _cpu() - t0))
    if committed is None:
        raise SystemExit(f"{store_dir}: not a store whose graphs are all committed")
    t0 = _cpu()
    g = coparticipation_network(committed)
    plain.append(("coparticipation_network", _cpu() - t0))
    del committed
    fast = work / "plain.graphml"
    t0 = _cpu()
    if _fits_plain_graphml(g):
        _write_plain_graphml(g, fast)
    else:
        export_graph(g, fast)
    plain.append(("write GraphML", _cpu() - t0))
    store = open_store(store_dir, read_only=True)
    steps: list[tuple[str, float]] = []
    t0 = _cpu()
    data = load_network_data(store, kinds=["partners"], attributes=False)
    steps.append(("load_network_data", _cpu() - t0))
    t0 = _cpu()
    h = coparticipation_graph(data)
    steps.append(("coparticipation_graph", _cpu() - t0))
    t0 = _cpu()
    annotate(h)
    steps.append(("annotate", _cpu() - t0))
    t0 = _cpu()
    [slow] = export_graph(h, work / "networkx.graphml")
    steps.append(("export GraphML", _cpu() - t0))
    store.close()
    same = fast.read_bytes() == slow.read_bytes()
    print(
        f"in one process, CPU seconds ({g.number_of_nodes():,} nodes, "
        f"{g.number_of_edges():,} edges; networkx path: {h.number_of_nodes():,} nodes, "
        f"{h.number_of_edges():,} edges; the same GraphML: {'yes' if same else 'NO'}):"
    )
    print(f"  the three SELECTs by pyoxigraph       {bare:6.2f}")
    print("  the command's path:")
    for name, secs in plain:
        print(f"    {name:33s} {secs:6.2f}")
    print("  networkx path:")
    for name, secs in steps:
        print(f"    {name:33s} {secs:6.2f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store of the bulk lists")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs per case (3)")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--compile-each-run",
        action="store_true",
        help="no bytecode folder for the children (each compiles sotegraph again when "
        "PYTHONDONTWRITEBYTECODE is set)",
    )
    args = parser.parse_args(argv)
    if args.store is None and not all(p.exists() for p in INPUTS):
        print(f"skipped: the bulk lists are not in {BULK}")
        return 0
    store_dir = args.store or bulk_store(args.rebuild)
    work = Path(tempfile.mkdtemp(prefix="sotegraph-bench-network-"))
    env = dict(os.environ)
    if not args.compile_each_run:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    try:
        out = work / "x.graphml"
        cli = [sys.executable, "-m", "sotegraph", "network", "--kind", "coparticipation"]
        cases = {
            "command": [*cli, "--store", str(store_dir), "-o", str(out)],
            "selects": [sys.executable, "-c", _RAW, str(store_dir), *SELECTS],
            "coparticipation.rq": [
                sys.executable,
                "-c",
                _RAW,
                str(store_dir),
                _coparticipation_text(),
            ],
            "command --attributes all": [
                *cli,
                "--attributes",
                "all",
                "--store",
                str(store_dir),
                "-o",
                str(out),
            ],
        }
        if not args.compile_each_run:
            for command in cases.values():  # bytecode and page cache, not timed
                _child(command, env)
        print(
            "bytecode: "
            + (
                "compiled in every run (--compile-each-run)"
                if args.compile_each_run
                else f"compiled once into {work / 'pycache'} (as an installed package has it)"
            )
        )
        print(f"load average before: {_load()}")
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, command in cases.items():  # alternating: load changes touch all alike
                runs[name].append(_child(command, env))
        print(f"median of {args.runs} alternating runs (new processes):")
        med: dict[str, tuple[float, float]] = {}
        for name, got in runs.items():
            wall = statistics.median(w for w, _ in got)
            cpu = statistics.median(c for _, c in got)
            med[name] = (wall, cpu)
            each = " ".join(f"{c:.2f}" for _, c in got)
            print(f"  {name:28s} {wall:6.2f} s wall {cpu:6.2f} s CPU   (CPU runs: {each})")
        cmd = med["command"][1]
        for base in ("selects", "coparticipation.rq"):
            print(f"command / {base}: {cmd / med[base][1]:.2f}x CPU")
        ratio = cmd / med["coparticipation.rq"][1]
        print(
            f"target: network --kind coparticipation <= {TARGET_RATIO:.0f}x its select "
            f"(coparticipation.rq): {ratio:.2f}x, {'met' if ratio <= TARGET_RATIO else 'not met'}"
        )
        print(f"load average after the runs: {_load()}")
        in_process(store_dir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average after: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Extraction in worker processes: 1 against 2 workers, with the bare spaCy pipeline beside it.

Two generated corpora are written to a temporary folder:

* prose: ``--docs`` articles recombined from the paragraphs of ``data/examples`` (the article
  and the records' free-text sections, in a seeded random choice and order, each under its
  own title), about 1,000-1,500 characters each;
* records: ``--docs`` EURA records made from the two example records, each with its own
  project code and name.

For each corpus and each worker count the script times, on a warm pool (the workers'
spaCy already loaded; the cold start is printed apart), ``--runs`` times alternating 1 and 2
workers, keeping the best run (the one least slowed by other work on the machine):

* extraction alone (:func:`sotegraph.parallel.extract_documents`), documents/s;
* the whole build (read, extract, resolve, validate, write into a memory store), documents/s;

and the ratio of 2 workers to 1. For reference, the bare pipeline over the same prose texts:
``nlp.pipe(texts, n_process=1)`` against ``n_process=2``. Wall-clock seconds: the load
average (before and after) is printed, as other work on the machine slows every figure; so is
the CPU time of the extraction in all processes (this one and the pool's workers), which
other work does not inflate: ``2 × CPU(1 worker) / CPU(2 workers)`` is the most that two
free cores can give.

Run: ``python benchmarks/bench_workers.py [--docs 200] [--runs 3]``
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sotegraph import parallel
from sotegraph.builder import KnowledgeGraph
from sotegraph.read import Document, read_document

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"
TARGET = 1.7  # throughput of 2 workers / 1 worker


def _paragraphs() -> list[str]:
    """The prose paragraphs of the examples: the article's, and the records' long lines."""
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            text = " ".join(block.split())
            if len(text) > 80 and not re.match(r"^[\w ,()-]{1,60}: ", text):
                out.append(text)
    return out


def prose_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """``n`` articles recombined from the example paragraphs."""
    rng = random.Random(seed)
    paragraphs = _paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        chosen = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(6, 10)))
        title = f"Kehittämishanke {i + 1} vahvistaa palveluja"
        path = folder / f"artikkeli_{i:04d}.txt"
        path.write_text(title + "\n\n" + "\n\n".join(chosen) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def record_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` EURA records from the two examples, each with its own code and name."""
    folder.mkdir(parents=True, exist_ok=True)
    templates = [
        (p.read_text(encoding="utf-8"), code)
        for p, code in (
            (EXAMPLES / "esimerkki_esr_S29901.txt", "S29901"),
            (EXAMPLES / "esimerkki_eakr_A79902.txt", "A79902"),
        )
    ]
    paths = []
    for i in range(n):
        text, code = templates[i % 2]
        new = f"{code[0]}3{i:04d}"
        text = text.replace(code, new)
        text = re.sub(r"(Hankkeen nimi: [^\n]+)", rf"\1 {i + 1}", text, count=1)
        path = folder / f"{new}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and its live child processes (the pool's
    workers, read from ``/proc``; Linux)."""
    total = time.process_time()
    tick = os.sysconf("SC_CLK_TCK")
    for child in multiprocessing.active_children():
        try:
            fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile, or no /proc
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_corpus(name: str, paths: list[Path], runs: int) -> None:
    docs: list[Document] = [read_document(p, source=p.name) for p in paths]
    n = len(docs)
    print(f"\n{name}: {n} documents, {sum(len(d.text) for d in docs) / n:.0f} characters each")
    for workers in (1, 2):
        # warm: the pipeline of this process, or the pool's workers, loaded before the clock
        cold = timed(
            lambda w=workers: parallel.extract_documents(docs[:4], use_nlp=True, workers=w)
        )
        print(f"  workers={workers}: start {cold:.1f} s")

    def build(w: int) -> None:
        kg = KnowledgeGraph()
        result = kg.add_paths(paths, use_nlp=True, validate=True, workers=w)
        assert result.built == n, result.failed
        kg.close()

    times: dict[str, dict[int, list[float]]] = {
        "extraction": {1: [], 2: []},
        "build": {1: [], 2: []},
    }
    cpu: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(runs):  # alternating, so a burst of load elsewhere hits both
        for workers in (1, 2):
            before = cpu_seconds()
            times["extraction"][workers].append(
                timed(lambda w=workers: parallel.extract_documents(docs, use_nlp=True, workers=w))
            )
            cpu[workers].append(cpu_seconds() - before)
            times["build"][workers].append(timed(lambda w=workers: build(w)))
    for what, by in times.items():
        best = {w: min(t) for w, t in by.items()}
        for w, t in by.items():
            shown = ", ".join(f"{x:.1f}" for x in t)
            print(f"  {what}, workers={w}: {n / best[w]:6.1f} docs/s (best of {shown} s)")
        ratio = best[1] / best[2]
        verdict = "meets" if ratio >= TARGET else "below"
        print(
            f"  {what}: 2 workers / 1 = {ratio:.2f}x ({verdict} the {TARGET}x target)  [load {load()}]"
        )
    # CPU of the extraction, all processes: what spreading costs, whatever else runs
    c1, c2 = min(cpu[1]), min(cpu[2])
    print(
        f"  extraction CPU: {c1:.1f} s with 1 worker, {c2:.1f} s with 2 (all processes); "
        f"on two free cores 2 workers would give at most {2 * c1 / c2:.2f}x"
    )


def bench_bare(paths: list[Path], runs: int) -> None:
    from sotegraph.nlp import load_pipeline

    nlp = load_pipeline()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    best: dict[int, float] = {}
    for _ in range(runs):
        for k in (1, 2):
            t = timed(lambda k=k: list(nlp.pipe(texts, n_process=k, batch_size=16)))
            best[k] = min(t, best.get(k, t))
    for k, t in best.items():
        print(f"  bare nlp.pipe(n_process={k}): {len(texts) / t:6.1f} docs/s (best {t:.1f} s)")
    print(f"  bare: n_process=2 / 1 = {best[1] / best[2]:.2f}x  [load {load()}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="documents per corpus")
    parser.add_argument("--runs", type=int, default=3, help="runs of each case (best is kept)")
    args = parser.parse_args()
    print(f"cores: {parallel.default_workers()}; load average before: {load()}")
    with tempfile.TemporaryDirectory(prefix="sotegraph-bench-workers-") as tmp:
        prose = prose_corpus(Path(tmp) / "prose", args.docs)
        records = record_corpus(Path(tmp) / "records", args.docs)
        bench_corpus("prose", prose, args.runs)
        bench_bare(prose, args.runs)
        bench_corpus("EURA records", records, args.runs)
    parallel.shutdown()
    print(f"\nload average after: {load()}")


if __name__ == "__main__":
    main()

"""Prose extraction throughput: sotegraph's extraction against the bare spaCy model.

Texts: the five seed texts (``../shared/corpus/seeds``, when present) and the bundled
examples (``data/examples``), replicated to ``--docs`` documents. Both runs read the same
texts in the same process with the same batch size:

- **bare**: ``spacy.load("spacy_fi_experimental_web_md").pipe(texts)``;
- **sotegraph**: :func:`sotegraph.extract.article.extract_articles` (the model plus
  sotegraph's components, then facts with roles, groups, periods and themes).

It prints documents and characters per second for both and the ratio (target ≥ 0.8). The
two take turns on chunks of ``--chunk`` documents (the order alternating), so load from other
processes on a shared machine falls on both alike; the same ratio in CPU time of this
process (with ``--n-process 1``) is printed too, which such load does not skew at all.

Run: ``python benchmarks/bench_nlp.py [--docs 300] [--batch-size 16] [--n-process 1]``.
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
EXAMPLES = ROOT / "data" / "examples"


def corpus(n_docs: int) -> list[str]:
    """The seed and example texts, replicated to ``n_docs`` texts."""
    texts = (
        [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
        if SEEDS.is_dir()
        else []
    )
    texts += [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    if not texts:
        raise SystemExit("no texts found (seeds or data/examples)")
    return [texts[i % len(texts)] for i in range(n_docs)]


def run(
    n_docs: int, batch_size: int, n_process: int, repeat: int = 1, chunk: int = 20
) -> dict[str, float]:
    import spacy

    from sotegraph.extract.article import extract_articles
    from sotegraph.nlp import BASE_MODEL, load_pipeline
    from sotegraph.read import Document

    texts = corpus(n_docs)
    chars = sum(len(t) for t in texts)
    docs = [Document.from_text(t, source=f"b{i}.txt") for i, t in enumerate(texts)]

    bare = spacy.load(BASE_MODEL)
    ours = load_pipeline()
    # warm both up (first-call allocations, Voikko and resolver caches)
    list(bare.pipe(texts[:4], batch_size=batch_size))
    list(extract_articles(docs[:4], nlp=ours, batch_size=batch_size))

    n_facts = 0

    def time_bare(part: list[str]) -> tuple[float, float]:
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        for _ in bare.pipe(part, batch_size=batch_size, n_process=n_process):
            pass
        return time.perf_counter() - w, time.process_time() - c

    def time_ours(part: list[Document]) -> tuple[float, float]:
        nonlocal n_facts
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        for facts in extract_articles(part, nlp=ours, batch_size=batch_size, n_process=n_process):
            n_facts += len(facts.participations) + len(facts.projects)
        return time.perf_counter() - w, time.process_time() - c

    # The machine may be shared: the two pipelines take turns on chunks of the corpus (the
    # order alternating), so that a burst of someone else's load hits both about equally.
    t_bare = t_ours = c_bare = c_ours = 0.0
    for rnd in range(repeat):
        for k, start in enumerate(range(0, len(texts), chunk)):
            part_t, part_d = texts[start : start + chunk], docs[start : start + chunk]
            if (k + rnd) % 2 == 0:
                wb, cb = time_bare(part_t)
                wo, co = time_ours(part_d)
            else:
                wo, co = time_ours(part_d)
                wb, cb = time_bare(part_t)
            t_bare, c_bare, t_ours, c_ours = t_bare + wb, c_bare + cb, t_ours + wo, c_ours + co
    n_facts //= max(repeat, 1)
    t_bare, t_ours, c_bare, c_ours = (x / repeat for x in (t_bare, t_ours, c_bare, c_ours))

    return {
        "docs": len(texts),
        "chars": chars,
        "bare_s": t_bare,
        "ours_s": t_ours,
        "bare_docs_s": len(texts) / t_bare,
        "ours_docs_s": len(texts) / t_ours,
        "bare_chars_s": chars / t_bare,
        "ours_chars_s": chars / t_ours,
        "ratio": t_bare / t_ours,
        "cpu_bare_s": c_bare,
        "cpu_ours_s": c_ours,
        "cpu_ratio": c_bare / c_ours if c_ours else float("nan"),
        "facts": n_facts,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1, help="passes over the corpus (averaged)")
    ap.add_argument("--chunk", type=int, default=20, help="documents per alternating turn")
    args = ap.parse_args()
    r = run(args.docs, args.batch_size, args.n_process, args.repeat, args.chunk)
    print(f"texts: {r['docs']:.0f} documents, {r['chars'] / 1e6:.2f} M characters")
    print(
        f"bare spacy_fi_experimental_web_md : {r['bare_s']:7.2f} s  "
        f"{r['bare_docs_s']:7.2f} docs/s  {r['bare_chars_s']:10.0f} chars/s"
    )
    print(
        f"sotegraph extraction              : {r['ours_s']:7.2f} s  "
        f"{r['ours_docs_s']:7.2f} docs/s  {r['ours_chars_s']:10.0f} chars/s  "
        f"({r['facts']:.0f} projects+participations)"
    )
    print(
        f"CPU time (this process): bare {r['cpu_bare_s']:.2f} s, sotegraph {r['cpu_ours_s']:.2f} s, "
        f"ratio {r['cpu_ratio']:.3f}"
    )
    verdict = "meets" if r["ratio"] >= 0.8 else "misses"
    print(f"ratio sotegraph/bare throughput: {r['ratio']:.3f}  ({verdict} the 0.8 target)")


if __name__ == "__main__":
    main()

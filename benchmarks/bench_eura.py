"""EURA records parsed per second, against a bare line tokenizer on the same texts.

Baseline: splitting every record into lines and each line at its first colon (the least any
parser of this layout must do). Figures: records/s and MB/s for both, and the ratio.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from sotegraph.extract.eura import parse_eura
from sotegraph.read import Document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def corpus() -> list[Document]:
    texts = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "examples").glob("*_S*.txt"))
    ]
    texts += [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "examples").glob("*_A*.txt"))
    ]
    for name in ("001_d86b9bca13a0eb96.txt", "004_4074baee79ca4e82.txt"):
        if (SEEDS / name).exists():
            texts.append((SEEDS / name).read_text(encoding="utf-8"))
    docs = []
    for i in range(500):  # distinct documents: vary the code so nothing is cached by content
        base = texts[i % len(texts)]
        docs.append(
            Document.from_text(
                base.replace("Hankekoodi: S", f"Hankekoodi: S{i % 10}"[:13]), source=f"r{i}.txt"
            )
        )
    return docs


def baseline(docs: list[Document]) -> int:
    n = 0
    for d in docs:
        for line in d.text.split("\n"):
            _label, sep, value = line.partition(":")
            n += bool(sep and value)
    return n


def parse_all(docs: list[Document]) -> int:
    return sum(len(parse_eura(d).projects) for d in docs)


def timed(fn, docs: list[Document], repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(docs)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    docs = corpus()
    chars = sum(len(d.text) for d in docs)
    t_parse = timed(parse_all, docs)
    t_base = timed(baseline, docs)
    print(f"records: {len(docs)}, characters: {chars:,}")
    print(
        f"sotegraph parse_eura : {len(docs) / t_parse:10.0f} records/s  {chars / t_parse / 1e6:6.2f} MB/s  ({t_parse * 1000:.1f} ms)"
    )
    print(
        f"baseline line split  : {len(docs) / t_base:10.0f} records/s  {chars / t_base / 1e6:6.2f} MB/s  ({t_base * 1000:.1f} ms)"
    )
    print(f"ratio (parser time / baseline time): {t_parse / t_base:.1f}x")


if __name__ == "__main__":
    main()

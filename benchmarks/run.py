"""Run every benchmark in this folder (``bench_*.py``), each in its own process.

Usage: ``python benchmarks/run.py [NAME ...]`` (names without ``bench_`` and ``.py``).
Each benchmark prints its figures next to a baseline measured in the same run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    failed = 0
    for script in scripts:
        print(f"=== {script.stem} ===", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], check=False)
        print(f"--- {script.stem}: exit {proc.returncode} in {time.perf_counter() - t0:.1f} s\n")
        failed += proc.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

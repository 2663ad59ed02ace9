"""A bulk store built once per input version and kept in the temporary folder, for the
benchmarks that time reads of it (``bench_queries``, ``bench_network``).

The folder's name carries a hash of the inputs' names, sizes and modification times; a
``built`` marker is written last, so an interrupted build is built again.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


def input_key(inputs: Sequence[Path]) -> str:
    """A hash of the input files' (or folders' files') names, sizes and modification times."""
    h = hashlib.sha256()
    for path in inputs:
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        for f in files:
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def cached_store(inputs: Sequence[Path], tag: str, *, rebuild: bool = False) -> Path:
    """The folder of a store of ``inputs`` built without validation (built here unless a
    complete one of the same inputs is cached)."""
    from sotegraph.builder import build

    folder = Path(tempfile.gettempdir()) / f"sotegraph-bench-{tag}-{input_key(inputs)}"
    done = folder / "built"
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    if done.exists():
        print(f"store: {folder / 'store'} (cached)")
        return folder / "store"
    if folder.exists():
        shutil.rmtree(folder)
    t0 = time.perf_counter()
    kg = build(list(inputs), store=folder / "store", validate=False)
    stats = kg.stats()
    kg.close()
    done.write_text("ok\n")
    print(f"store: {folder / 'store'} built in {time.perf_counter() - t0:.0f} s: {stats}")
    return folder / "store"

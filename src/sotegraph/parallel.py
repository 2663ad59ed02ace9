"""Extraction of many documents: here, in worker processes, or on a Dask cluster.

:func:`extract_documents` gives one outcome per document, in input order: its
:class:`~sotegraph.facts.Facts`, or a :class:`Failed` telling why it could not be extracted.
The outcomes are the same however the work was spread (the builder resolves, validates and
writes them in the calling process, so the store keeps one writer):

- one process (``workers=1``, a single document, or nothing that needs spaCy): no pool;
- ``workers=N``: a pool of ``N`` processes (started with ``spawn``), each loading the spaCy
  pipeline once and taking documents in batches; the pool is kept for the next build of the
  same process (:func:`shutdown` ends it);
- ``scheduler=``: a Dask cluster (an address ``tcp://HOST:PORT`` or a
  ``dask.distributed.Client``), each worker loading the pipeline once; a task whose worker is
  lost is run again (Dask's ``retries``). Needs the ``dask`` extra.

Only documents that need the spaCy pipeline (prose and record summaries, with ``use_nlp``)
leave the calling process; project lists (bulk tables, read from their files) and builds
without NLP are extracted here.

Examples
--------
>>> from sotegraph.read import Document
>>> docs = [Document.from_text(
...     "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus\\n"
...     f"Hankekoodi: S2000{i}\\nHankkeen nimi: Koehanke {i}\\n", source=f"{i}.txt")
...     for i in (1, 2)]
>>> [o.projects[0].code for o in extract_documents(docs, use_nlp=False, workers=2)]
['S20001', 'S20002']
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from sotegraph.errors import InputError, SotegraphError, UsageError
from sotegraph.facts import Facts, Genre
from sotegraph.read import Document

__all__ = [
    "DASK_MISSING",
    "Failed",
    "Outcome",
    "default_workers",
    "extract_batch",
    "extract_documents",
    "require_dask",
    "shutdown",
]

log = logging.getLogger(__name__)

#: What to do when ``scheduler=`` is asked for without Dask installed.
DASK_MISSING = "building on a Dask cluster needs Dask: pip install 'sotegraph[dask]'"

#: The most documents sent to a worker at once.
MAX_BATCH = 32


@dataclass(frozen=True, slots=True)
class Failed:
    """A document that could not be extracted, and why (picklable, as it crosses processes)."""

    source: str
    message: str
    line: int | None = None
    expected: str | None = None


Outcome = Facts | Failed
"""What extracting one document gave."""

Done = Callable[[int], None]
"""Told how many more documents are done."""


def default_workers() -> int:
    """The cores this process may run on (at least 1).

    >>> default_workers() >= 1
    True
    """
    count = getattr(os, "process_cpu_count", None)  # Python 3.13
    if count is not None:
        return max(1, count() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def _needs_nlp(doc: Document, use_nlp: bool) -> bool:
    return use_nlp and doc.genre is not Genre.BULK_TABLE


def _failure(doc: Document, exc: Exception) -> Failed:
    if isinstance(exc, InputError):
        return Failed(exc.file or doc.source, exc.message, exc.line, exc.expected)
    if isinstance(exc, SotegraphError):
        return Failed(doc.source, str(exc))
    # a bug, or a library's own limit: this one fails, not all
    return Failed(
        doc.source,
        f"extraction stopped on an unexpected error ({type(exc).__name__}: {exc}); "
        "the other documents went on; please report this",
    )


def extract_batch(
    docs: Sequence[Document], *, use_nlp: bool, nlp: Any = None, done: Done | None = None
) -> list[Outcome]:
    """Extract ``docs`` in this process, one outcome per document in their order.

    Finnish prose goes through ``nlp.pipe`` together (a document that fails there is retried
    on its own); every other document, and Swedish prose with its own pipeline, one by one.
    """
    from sotegraph.extract import extract, is_swedish

    out: dict[int, Outcome] = {}
    articles = (
        [d for d in docs if d.genre is Genre.ARTICLE and not is_swedish(d)]
        if nlp is not None
        else []
    )
    if len(articles) > 1:
        from sotegraph.extract.article import extract_articles

        try:
            for doc, facts in zip(articles, extract_articles(articles, nlp=nlp), strict=True):
                out[id(doc)] = facts
                if done:
                    done(1)
        except Exception as exc:  # the documents not done are retried one by one below
            log.debug("batched extraction stopped (%r); the rest go one by one", exc)
    for doc in docs:
        if id(doc) in out:
            continue
        try:
            out[id(doc)] = extract(doc, nlp=nlp, use_nlp=use_nlp)
        except Exception as exc:
            out[id(doc)] = _failure(doc, exc)
        if done:
            done(1)
    return [out[id(d)] for d in docs]


def _batches(docs: list[Document], workers: int) -> list[list[Document]]:
    """About four batches per worker (so a slow one does not hold the rest), at most
    :data:`MAX_BATCH` documents each."""
    size = max(1, min(MAX_BATCH, math.ceil(len(docs) / (workers * 4))))
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def extract_documents(
    docs: Sequence[Document],
    *,
    use_nlp: bool,
    workers: int | None = None,
    scheduler: Any = None,
    load_nlp: Callable[[], Any] | None = None,
    done: Done | None = None,
) -> list[Outcome]:
    """Extract ``docs``, one outcome per document in their order (see the module).

    Parameters
    ----------
    use_nlp:
        Run the spaCy pipeline over prose and record summaries.
    workers:
        Processes to extract in (``None``: :func:`default_workers`).
    scheduler:
        A Dask scheduler's address or a ``dask.distributed.Client``; ``workers`` is then
        not used.
    load_nlp:
        Gives the pipeline for extraction in this process (``None``: loaded here when needed).
    done:
        Told how many more documents are done, as they are.

    Raises
    ------
    UsageError
        If ``workers`` is below 1, or ``scheduler`` is given without Dask installed.
    SotegraphError
        If the Dask scheduler at ``scheduler`` cannot be reached.
    """
    docs = list(docs)
    n = default_workers() if workers is None else workers
    if n < 1:
        raise UsageError(f"workers must be 1 or more, not {n}")
    remote = [i for i, d in enumerate(docs) if _needs_nlp(d, use_nlp)]
    here = [i for i, d in enumerate(docs) if not _needs_nlp(d, use_nlp)]
    out: list[Outcome | None] = [None] * len(docs)
    far: list[Outcome] | None = None
    if remote and scheduler is not None:
        far = _on_dask([docs[i] for i in remote], scheduler, use_nlp=use_nlp, done=done)
    elif len(remote) > 1 and n > 1 and not _daemonic():
        far = _on_pool([docs[i] for i in remote], n, use_nlp=use_nlp, done=done)
    if far is None:
        here = list(range(len(docs)))
    else:
        for i, outcome in zip(remote, far, strict=True):
            out[i] = outcome
    if here:
        local = [docs[i] for i in here]
        needs = any(_needs_nlp(d, use_nlp) for d in local)
        nlp = (load_nlp or _worker_nlp)() if needs else None
        for i, outcome in zip(
            here, extract_batch(local, use_nlp=use_nlp, nlp=nlp, done=done), strict=True
        ):
            out[i] = outcome
    return [o for o in out if o is not None]


# -- worker processes ---------------------------------------------------------------------

_NLP: dict[str, Any] = {}
_NLP_LOCK = threading.Lock()


def _worker_nlp() -> Any:
    """The spaCy pipeline of this process, loaded once (None without spaCy or the model)."""
    with _NLP_LOCK:
        if "nlp" not in _NLP:
            from sotegraph.nlp import load_pipeline

            try:
                _NLP["nlp"] = load_pipeline()
            except (OSError, ImportError):  # spaCy or the Finnish model is not installed
                _NLP["nlp"] = None
        return _NLP["nlp"]


#: One thread per worker for the numeric libraries under spaCy: the workers already fill the
#: cores, and two BLAS threads in each of them halve the throughput (as Dask's nannies do).
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _init_worker() -> None:
    """Load the pipeline once, the numeric libraries first told to use one thread (before
    they are imported, as in a freshly spawned process)."""
    for name in _ONE_THREAD:
        os.environ.setdefault(name, "1")
    _worker_nlp()


def _work(docs: list[Document], use_nlp: bool) -> list[Outcome]:
    """A batch in a worker (a pool process or a Dask worker)."""
    return extract_batch(docs, use_nlp=use_nlp, nlp=_worker_nlp() if use_nlp else None)


def _daemonic() -> bool:
    """Whether this process may not start processes of its own (a daemonic one, such as a
    pool worker): it then extracts here."""
    import multiprocessing

    return bool(multiprocessing.current_process().daemon)


_POOLS: dict[int, ProcessPoolExecutor] = {}
_POOL_LOCK = threading.Lock()


def _pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing

    with _POOL_LOCK:
        pool = _POOLS.get(workers)
        if pool is None:
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
            )
            _POOLS[workers] = pool
        return pool


def shutdown() -> None:
    """End the worker processes kept for the next build (also done at exit)."""
    with _POOL_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)


def _on_pool(
    docs: list[Document], workers: int, *, use_nlp: bool, done: Done | None
) -> list[Outcome] | None:
    """The outcomes from a pool of ``workers`` processes; None if the pool broke (a worker
    was killed): the caller then extracts them all here."""
    from concurrent.futures.process import BrokenProcessPool

    batches = _batches(docs, workers)
    pool = _pool(workers)
    futures: list[Future[list[Outcome]]] = []
    try:
        futures = [pool.submit(_work, b, use_nlp) for b in batches]
        results: list[Outcome] = []
        for f in futures:
            got = f.result()
            if done:
                done(len(got))
            results.extend(got)
        return results
    except (BrokenProcessPool, OSError) as exc:  # a worker killed; no process could start
        log.warning("worker processes failed (%s); extracting the documents here", exc)
        with _POOL_LOCK:
            if _POOLS.get(workers) is pool:
                del _POOLS[workers]
        pool.shutdown(wait=False, cancel_futures=True)
        return None


# -- Dask ---------------------------------------------------------------------------------


def require_dask() -> None:
    """Raise :class:`UsageError` (:data:`DASK_MISSING`) unless ``dask.distributed`` imports."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError as exc:
        raise UsageError(DASK_MISSING) from exc


def _on_dask(
    docs: list[Document], scheduler: Any, *, use_nlp: bool, done: Done | None
) -> list[Outcome]:
    """The outcomes from a Dask cluster: batches mapped over its workers, gathered in order;
    a task whose worker is lost runs again elsewhere."""
    require_dask()
    from dask.distributed import Client

    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, set_as_default=False) if own else scheduler
    except (OSError, TimeoutError, ValueError) as exc:
        raise SotegraphError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        batches = _batches(docs, workers)
        futures = client.map(_work, batches, use_nlp=use_nlp, retries=2, pure=False)
        results: list[Outcome] = []
        for f in futures:  # in order: a batch's outcomes once it and those before it are in
            got = f.result()
            if done:
                done(len(got))
            results.extend(got)
        return results
    finally:
        if own:
            client.close()

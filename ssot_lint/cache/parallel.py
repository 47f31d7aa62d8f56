"""Run fact extraction in parallel: local worker processes, or a Dask cluster.

Extraction is pure (bytes and target in, facts out), so it can run anywhere. Work is
sent in batches of ``(key, bytes)`` and comes back as JSON text (the cache's format),
collected by key: the result never depends on which worker finished first, so any
``--jobs`` value, or a Dask cluster, gives exactly the output of ``--jobs 1``.
The bytes travel with the task, so remote workers need no shared file system — only
ssot-lint installed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from typing import Any

from ssot_lint.cache.store import decode_facts, encode_facts, interface_of
from ssot_lint.errors import ConfigError
from ssot_lint.facts.extract import extract_facts
from ssot_lint.model.facts import FileFacts

EXECUTORS = ("local", "dask")
# Below this many files a worker pool costs more to start than it saves.
MIN_PARALLEL_FILES = 24
MAX_BATCH = 64

Work = Sequence[tuple[str, bytes]]
Extracted = dict[str, tuple[FileFacts, str | None]]  # key -> (facts, JSON text if encoded)


def available_cores() -> int:
    """Cores this process may run on (honours CPU affinity, e.g. in containers)."""
    getter = getattr(os, "sched_getaffinity", None)
    if getter is not None:
        return max(1, len(getter(0)))
    return max(1, os.cpu_count() or 1)


def extract_batch(batch: Work, target: tuple[int, int]) -> list[tuple[str, str]]:
    """Worker side: facts of each ``(key, bytes)`` as JSON text. Must stay importable."""
    return [(key, encode_facts(extract_facts(data, target))) for key, data in batch]


def _batches(work: Work, workers: int) -> list[list[tuple[str, bytes]]]:
    """Sorted, roughly equal batches: several per worker so a slow file does not idle others."""
    items = sorted(work, key=lambda item: item[0])
    size = max(1, min(MAX_BATCH, -(-len(items) // (workers * 8))))
    return [items[i:i + size] for i in range(0, len(items), size)]


def extract_serial(work: Work, target: tuple[int, int], encode: bool) -> Extracted:
    """In this process; JSON text only when a cache will store it."""
    out: Extracted = {}
    for key, data in work:
        facts = extract_facts(data, target)
        out[key] = (facts, encode_facts(facts) if encode else None)
    return out


def encode_batch(batch: Work, target: tuple[int, int]) -> list[tuple[str, str, str]]:
    """Worker side: (key, facts as JSON text, interface digest). Must stay importable."""
    out = []
    for key, data in batch:
        facts = extract_facts(data, target)
        out.append((key, encode_facts(facts), interface_of(facts)))
    return out


def stream_encoded(items: Iterable[tuple[str, bytes]], count: int, target: tuple[int, int],
                   jobs: int, sink: Callable[[str, str, str], None]) -> None:
    """Extract ``items`` — produced lazily, about ``count`` of them — handing each
    ``(key, facts as JSON text, interface digest)`` to ``sink`` as it arrives.

    Only a few batches are in memory at a time (``items`` can read files as they are
    needed), and the workers are forked before the files are read, so neither this
    process nor the workers ever hold the whole project's bytes or facts. Results
    are keyed, so the order they arrive in changes nothing.
    """
    if jobs <= 1 or count < MIN_PARALLEL_FILES:
        for key, data in items:
            _sink_batch(encode_batch([(key, data)], target), sink)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    workers = min(jobs, max(1, count // MIN_PARALLEL_FILES))
    size = max(1, min(MAX_BATCH, -(-count // (workers * 8))))
    inflight: deque[tuple[Future[list[tuple[str, str, str]]], list[tuple[str, bytes]]]] = deque()
    broken = False

    def settle(limit: int) -> None:
        nonlocal broken
        while len(inflight) > limit:
            future, batch = inflight.popleft()
            try:
                results = None if broken else future.result()
            except BrokenProcessPool:  # a worker died (out of memory, killed)
                broken, results = True, None
            _sink_batch(results if results is not None else encode_batch(batch, target), sink)

    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:

        def submit(batch: list[tuple[str, bytes]]) -> None:
            nonlocal broken
            if not broken:
                try:
                    inflight.append((pool.submit(encode_batch, batch, target), batch))
                    settle(workers * 3)
                    return
                except BrokenProcessPool:
                    broken = True
            _sink_batch(encode_batch(batch, target), sink)

        batch: list[tuple[str, bytes]] = []
        for item in items:
            batch.append(item)
            if len(batch) == size:
                submit(batch)
                batch = []
        if batch:
            submit(batch)
        settle(0)


def _sink_batch(results: list[tuple[str, str, str]], sink: Callable[[str, str, str], None]
                ) -> None:
    for key, text, face in results:
        sink(key, text, face)


def _submit_all(executor: Executor, work: Work, target: tuple[int, int], workers: int,
                batch_fn: Callable[[Work, tuple[int, int]], Any]) -> list[Any]:
    """``batch_fn`` over sorted batches; results in submission order (order-independent)."""
    futures = [executor.submit(batch_fn, batch, target) for batch in _batches(work, workers)]
    return [future.result() for future in futures]


def _local_pool(work: Work, target: tuple[int, int], jobs: int,
                batch_fn: Callable[[Work, tuple[int, int]], Any]) -> list[Any] | None:
    """``batch_fn`` in ``jobs`` worker processes; None when this process should do the
    work (too little of it to pay for workers, or a worker died)."""
    if jobs <= 1 or len(work) < MIN_PARALLEL_FILES:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork starts workers in milliseconds with ssot_lint already imported; macOS and
    # Windows cannot fork safely, so they use their default (spawn).
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    workers = min(jobs, max(1, len(work) // MIN_PARALLEL_FILES))
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return _submit_all(pool, work, target, workers, batch_fn)
    except BrokenProcessPool:
        # A worker died (out of memory, killed): do the work here rather than fail the run.
        return None


def _check_executor(executor: str, scheduler: str | None) -> None:
    if executor == "dask" and not scheduler:
        raise ConfigError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}; expected one of: "
                          f"{', '.join(EXECUTORS)}")


def extract_with(executor: Executor, work: Work, target: tuple[int, int],
                 workers: int) -> Extracted:
    """Submit batches to any ``concurrent.futures`` executor and merge the results."""
    batches = _submit_all(executor, work, target, workers, extract_batch)
    return {key: (decode_facts(text), text) for batch in batches for key, text in batch}


def extract_local(work: Work, target: tuple[int, int], jobs: int, encode: bool) -> Extracted:
    """``jobs`` worker processes (or this process when that cannot pay off)."""
    batches = _local_pool(work, target, jobs, extract_batch)
    if batches is None:
        return extract_serial(work, target, encode)
    return {key: (decode_facts(text), text) for batch in batches for key, text in batch}


def extract_dask(work: Work, target: tuple[int, int], scheduler: str) -> Extracted:
    """Extract on the Dask cluster at ``scheduler`` through its futures executor."""
    client = connect_dask(scheduler)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        executor = client.get_executor()
        return extract_with(executor, work, target, workers)
    finally:
        client.close()


def connect_dask(scheduler: str) -> Any:
    """A ``distributed.Client``; a missing extra or a bad address is a usage error."""
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError("--executor dask needs Dask: pip install 'ssot-lint[distributed]'") \
            from None
    try:
        return Client(  # type: ignore[no-untyped-call]  # distributed leaves it unannotated
            scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}; check "
                          "--scheduler (e.g. tcp://host:8786)") from None


def extract(work: Work, target: tuple[int, int], *, jobs: int = 1, executor: str = "local",
            scheduler: str | None = None, encode: bool = False) -> Extracted:
    """Facts for every ``(key, bytes)`` of ``work``, by key, on the chosen executor."""
    if not work:
        return {}
    _check_executor(executor, scheduler)
    if executor == "dask":
        return extract_dask(work, target, scheduler or "")
    return extract_local(work, target, jobs, encode)


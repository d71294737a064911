"""The dashboard's simulation workers: a scenario's runs split into contiguous spans, one per
worker process (one Numba thread each), accumulated there and merged here in run order, so the
summary is the command line's, number for number (each run's numbers depend on its global index
only: tests/test_dashboard.py). Why processes: on two cores the engine's parallel kernel gains
1.35x from its second thread and the crisis layer and the reductions none (they are Python and
numpy), while two processes each running half the runs use both cores for all of it.

Workers report each simulated year through a queue, which the progress bar reads. This module
imports nothing heavy at the top: a spawned worker sets its Numba thread count before Numba loads.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable

_QUEUE = None


def _init(queue) -> None:
    global _QUEUE
    os.environ["NUMBA_NUM_THREADS"] = "1"       # one thread per process: N processes use N cores
    _QUEUE = queue


@functools.lru_cache(maxsize=8)
def _world(name: str):
    from umbrella.scenario import load_world
    return load_world(name)


def part(text: str, world: str, runs: int, span: tuple[int, int], job: str):
    """The Accumulator of the global runs `span` of the page's scenario (in a worker process)."""
    from umbrella.interfaces.dashboard.service import load_text
    from umbrella.results.stream import accumulate
    sc = load_text(text, {"runs": runs, "world": world})

    def tick(done: float) -> None:
        if _QUEUE is not None:
            _QUEUE.put((job, span[0], done))

    return accumulate(sc, _world(sc.world), span=span, on_year=tick)


def warm(_i: int) -> int:
    """Load the kernels from Numba's cache (or compile them) before the first request."""
    part("id: warm\nextends: status-quo-2025\n", "consensus", 100, (0, 100), "")
    return os.getpid()


class Pool:
    """`n` spawned worker processes (not forked: the server has threads) and the runs done per
    job, read from their queue."""

    def __init__(self, n: int):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        ctx = mp.get_context("spawn")
        self.n = n
        self._queue = ctx.Queue()
        self._done: dict[str, dict[int, float]] = {}
        self._lock = threading.Lock()
        self._ex = ProcessPoolExecutor(n, mp_context=ctx, initializer=_init, initargs=(self._queue,))
        threading.Thread(target=self._drain, daemon=True, name="umbrella-progress").start()
        self._warm = [self._ex.submit(warm, i) for i in range(n)]

    def ready(self) -> list[int]:
        """Wait for the warm-up (each worker's kernels loaded); the workers' pids."""
        return [f.result() for f in self._warm]

    def _drain(self) -> None:
        while True:
            try:
                job, first, done = self._queue.get()
            except (EOFError, OSError):     # the pool is gone (server stopping)
                return
            with self._lock:
                if job in self._done:
                    self._done[job][first] = done

    def run(self, text: str, world: str, runs: int, job: str, progress: Callable[[float], None] | None = None):
        """The Accumulator of all `runs` runs: the spans in the workers, merged in run order."""
        bounds = [runs * i // self.n for i in range(self.n + 1)]
        spans = [(bounds[i], bounds[i + 1]) for i in range(self.n) if bounds[i + 1] > bounds[i]]
        with self._lock:
            self._done[job] = {}
        try:
            futs = [self._ex.submit(part, text, world, runs, s, job) for s in spans]
            accs = [f.result() for f in futs]
        finally:
            with self._lock:
                self._done.pop(job, None)
        acc = accs[0]
        for other in accs[1:]:
            acc.merge(other)
        return acc

    def done(self, job: str) -> float:
        """Runs done so far by the job's workers (0 when it is not running)."""
        with self._lock:
            return sum(self._done.get(job, {}).values())

    def shutdown(self) -> None:
        self._ex.shutdown(wait=True, cancel_futures=True)

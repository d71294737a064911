"""A sweep: the design's missing units through the engine, locally or on Dask, into the store.

Only this process writes the store (Dask workers return each unit's outcomes to it), so one
lock covers every writer, and a unit is either in the store, whole, or absent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import umbrella
from umbrella.engine import run as engine
from umbrella.explore import design as D
from umbrella.explore import execute
from umbrella.explore.spec import Experiment
from umbrella.explore.store import Store, code_version, design_hash
from umbrella.results.store import data_version, world_hash


def manifest(ex: Experiment, design: D.Design) -> dict:
    stored = D.for_store(design.table)
    return {
        "format": 1, "umbrella": umbrella.__version__, "spec": ex.spec.model_dump(mode="json"),
        "spec_hash": ex.digest(), "base": ex.base.id, "code_version": code_version(),
        "data_version": data_version(),
        "worlds": {w: world_hash(execute._world(w)) for w in ex.worlds},
        "seed": ex.seed, "runs": ex.spec.runs, "spec_horizon": ex.base.horizon,
        "experiments": design.experiments, "units": design.units,
        "unit": design.unit, "policies": list(design.policy_names), "policy_fields":
            [{k: D.label(v) if isinstance(v, bool | str) else v for k, v in f.items()} for f in design.fields],
        "factors": [{"name": f.name, "source": f.source, "kind": f.kind, "low": f.low, "high": f.high,
                     "values": [D.label(v) for v in f.values]} for f in ex.factors],
        "sampler": ex.spec.sampler.model_dump(mode="json"), "points": len(design.points),
        "outcomes": [{"name": o.name, "path": o.path, "year": o.year, "direction": o.direction,
                      "threshold": o.threshold, "series": o.series} for o in ex.outcomes],
        "design_columns": list(stored.columns), "design_hash": design_hash(stored),
    }


@dataclass
class Report:
    store: str
    units: int
    computed: int
    skipped: int
    experiments: int
    runs: int
    seconds: float

    @property
    def runs_per_second(self) -> float:
        return self.runs / self.seconds if self.seconds > 0 else 0.0


def _remote_unit(ex, rows, fields, pidx, threads):
    """A unit on a Dask worker: one Numba thread per worker process unless told otherwise (a
    worker per core would otherwise oversubscribe the cores)."""
    import numba
    numba.set_num_threads(max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS)))
    return execute.run_unit(ex, rows, fields, pidx)


def warm(ex: Experiment) -> None:
    """Compile (or load from Numba's cache) every kernel once in this process, before Dask
    workers start: concurrent first compilations would race on the cache files."""
    sc = ex.base.model_copy(update={"runs": 1, "seed": ex.seed})
    engine.simulate(sc, execute._world(ex.worlds[0]), design=engine.Design((), np.zeros((1, 0)), 1))


def run(ex: Experiment, store_path, *, dask: str | None = None, progress: bool = True,
        on_unit: Callable[[int], None] | None = None, batch_size: int = 10_000) -> Report:
    """Compute the units of `ex` missing from the store at `store_path`; returns what was done.
    `on_unit(u)` is called after each unit is stored (tests use it to kill a sweep)."""
    design = D.build(ex)
    store = Store(store_path)
    t0 = time.perf_counter()
    with store.locked():
        store.prepare(manifest(ex, design), D.for_store(design.table))
        store.clean()
        todo = [u for u in range(design.units) if u not in store.done()]
        pidx = {n: i for i, n in enumerate(design.policy_names)}
        n_exp = sum(len(design.unit_rows(u)) for u in todo)
        bar = _Bar(progress, n_exp, ex.spec.runs)
        with bar:
            if dask is None:
                for u in todo:
                    rows = design.unit_rows(u)
                    store.write_unit(u, execute.run_unit(ex, rows, design.fields, pidx, batch_size))
                    bar.advance(len(rows))
                    if on_unit is not None:
                        on_unit(u)
            else:
                from umbrella.explore import distributed
                warm(ex)
                for u, df in distributed.map_units(dask, ex, design, todo, pidx, _remote_unit):
                    store.write_unit(u, df)
                    bar.advance(len(df))
                    if on_unit is not None:
                        on_unit(u)
    secs = time.perf_counter() - t0
    return Report(str(store.path), design.units, len(todo), design.units - len(todo), n_exp,
                  n_exp * ex.spec.runs, secs)


class _Bar:
    """A rich progress bar over experiments with the ETA (stderr); silent when off."""

    def __init__(self, on: bool, total: int, runs: int):
        self.on, self.total, self.runs = on, total, runs
        self._p = None

    def __enter__(self):
        if self.on and self.total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            self._p = Progress(TextColumn("explore"), BarColumn(), MofNCompleteColumn(), TextColumn("experiments"),
                               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                               console=Console(stderr=True))
            self._p.__enter__()
            self._task = self._p.add_task("explore", total=self.total)
        return self

    def advance(self, n: int) -> None:
        if self._p is not None:
            self._p.advance(self._task, n)

    def __exit__(self, *exc):
        if self._p is not None:
            self._p.__exit__(*exc)
        return False

"""A sweep: the design's missing units through the engine, locally or on Dask, into the store.

Only this process writes the store (Dask workers return each unit's outcomes to it), so one
lock covers every writer, and a unit is either in the store, whole, or absent.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import umbrella
from umbrella.engine import run as engine
from umbrella.errors import InputError
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


def estimate(ex: Experiment, design: D.Design, dask: str | None = None) -> dict:
    """A sweep's size before it starts, in bytes: a unit keeps its runs' full arrays while its
    outcomes are reduced (unit experiments x runs x `engine.run.bytes_per_run`, twice as for
    `run --out`), one unit per local worker (`--dask local:N`: N at once); the store holds one
    float64 per outcome and experiment, the design's columns, and about 8 KB per Parquet file."""
    from umbrella.engine import crises, init
    sc = ex.base.model_copy(update={"runs": 1, "seed": ex.seed})
    w = execute._world(ex.worlds[0])
    inp = init.build(sc, w)
    plan = crises.plan(sc, w, inp)
    per_run = engine.bytes_per_run(len(inp.years), len(inp.actors), len(inp.pairs),
                                   len(plan.theatres) if plan else 0)
    spans = [f for f in ex.factors if f.source == "field" and f.name in ("start_year", "horizon")]
    if spans:       # a factor moves the window: size the widest run
        lo = min([sc.start_year] + [int(f.low) for f in spans if f.name == "start_year"])
        hi = max([sc.horizon] + [int(f.high) for f in spans if f.name == "horizon"])
        per_run = per_run * (hi - lo + 1) // len(inp.years) + 1
    parallel = 1
    if dask is not None and dask.startswith("local:") and dask[6:].isdigit():
        parallel = max(1, int(dask[6:]))
    unit = min(design.unit, design.experiments)
    unit_runs = unit * ex.spec.runs
    cols = len(design.table.columns) + len(ex.outcomes) + 1
    return {"per_run": per_run, "unit_runs": unit_runs, "parallel": parallel,
            "memory": 2 * per_run * unit_runs * parallel, "remote": dask is not None and not dask.startswith("local:"),
            "disk": 8 * cols * design.experiments + 8192 * (design.units + 2),
            "runs": design.experiments * ex.spec.runs}


def check_limits(ex: Experiment, design: D.Design, store_path, dask: str | None = None,
                 disk: bool = True) -> dict:
    """Refuse (InputError, exit 2) a sweep whose units do not fit in the free memory or whose
    store does not fit on the disk (`disk`), before anything is computed (docs/reliability.md,
    "Limits"). A remote Dask scheduler's workers are not sized here (their memory is their own)."""
    from umbrella.results.limits import MB, _mem_available, free_disk
    est = estimate(ex, design, dask)
    avail = _mem_available()
    if not est["remote"] and avail is not None and est["memory"] > avail:
        most = avail // (2 * est["per_run"] * est["parallel"])
        hint = (f"unit: {most // ex.spec.runs:,} or less" if most >= ex.spec.runs
                else f"runs: {most:,} or less per experiment")
        at_once = f", {est['parallel']} units at once" if est["parallel"] > 1 else ""
        unit = min(design.unit, design.experiments)
        raise InputError("unit", design.unit,
                         f"units whose runs fit in the free memory ({avail / MB:,.0f} MB available; "
                         f"{est['per_run'] / 1024:.1f} KB per run, twice while reducing{at_once}): {hint}",
                         problem=f"would hold {est['unit_runs']:,} runs per unit ({unit:,} experiments x "
                                 f"{ex.spec.runs:,} runs), about {est['memory'] / MB:,.0f} MB of memory")
    free = free_disk(store_path) if disk else 2 ** 62
    if est["disk"] > free:
        raise InputError("--store", str(store_path), f"a disk with room for the store ({free / MB:,.0f} MB free)",
                         problem=f"would need about {est['disk'] / MB:,.0f} MB on disk "
                                 f"({design.experiments:,} experiments)")
    return est


def run(ex: Experiment, store_path, *, dask: str | None = None, progress: bool = True,
        on_unit: Callable[[int], None] | None = None, batch_size: int = 10_000) -> Report:
    """Compute the units of `ex` missing from the store at `store_path`; returns what was done.
    `on_unit(u)` is called after each unit is stored (tests use it to kill a sweep)."""
    design = D.build(ex)
    check_limits(ex, design, store_path, dask, disk=False)
    store = Store(store_path)
    fresh = not store.path.exists()
    t0 = time.perf_counter()
    with store.locked():        # an unwritable path is reported here, before the disk's free space
        try:
            check_limits(ex, design, store_path, dask)
        except InputError:
            if fresh:
                shutil.rmtree(store.path, ignore_errors=True)
            raise
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

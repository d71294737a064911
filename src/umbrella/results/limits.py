"""Limits: a run's or a sweep's memory and disk, estimated before it starts, and a clear refusal
(InputError, exit 2) when it exceeds what is free, instead of an out-of-memory kill, a
MemoryError traceback or a disk filled half way (docs/reliability.md, "Limits")."""

from __future__ import annotations

import shutil
from pathlib import Path


def _mem_available() -> int | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def estimate(scenario, world, batch_size: int = 10_000) -> dict:
    """Memory and disk of a run, in bytes. `--out` keeps the full arrays of every run
    (`engine.run.bytes_per_run`), held once while running and about once more while the netCDF
    file is written; on disk about the arrays once (netCDF 3 is not compressed). The streamed JSON
    summary (`stream`) holds one batch (twice: the arrays and the summary's work on them) and, up
    to EXACT_RUNS runs, the exact quantiles' series (about EXACT_BYTES_PER_RUN per run)."""
    from umbrella.engine import crises, init
    from umbrella.engine.run import bytes_per_run
    from umbrella.results.stream import EXACT_RUNS
    inp = init.build(scenario, world)
    plan = crises.plan(scenario, world, inp)
    per_run = bytes_per_run(len(inp.years), len(inp.actors), len(inp.pairs), len(plan.theatres) if plan else 0)
    runs = int(scenario.runs)
    arrays = per_run * runs
    batch = min(int(batch_size), runs)
    exact = EXACT_BYTES_PER_RUN * runs if runs <= EXACT_RUNS else 0
    return {"per_run": per_run, "memory": 2 * arrays, "disk": arrays,
            "stream_memory": 2 * per_run * batch + exact, "batch": batch}


# stream.py: exact quantiles keep about 5 KB per run (warheads, opinion, credibility by year)
EXACT_BYTES_PER_RUN = 5 * 1024
MB = 2 ** 20


def free_disk(path) -> int:
    """Free bytes on the file system that would hold `path` (its nearest existing ancestor)."""
    parent = Path(path).resolve().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    try:
        return shutil.disk_usage(parent).free
    except OSError:
        return 2 ** 62     # unknown: let the write itself report a full disk


def check_memory(scenario, world, batch_size: int) -> dict:
    """Refuse (InputError) a streamed run (the JSON summary) whose batch does not fit in the free
    memory, instead of an out-of-memory kill or a MemoryError traceback."""
    from umbrella.errors import InputError
    est = estimate(scenario, world, batch_size)
    avail = _mem_available()
    if avail is not None and est["stream_memory"] > avail:
        exact = est["stream_memory"] - 2 * est["per_run"] * est["batch"]
        fit = max(1, (avail - exact) // (2 * est["per_run"]))
        raise InputError("--batch-size", int(batch_size),
                         f"a batch whose runs fit in the free memory ({avail / MB:,.0f} MB available; "
                         f"{est['per_run'] / 1024:.1f} KB per run, twice while summarising): "
                         f"--batch-size {fit:,} or less (the results do not change)",
                         problem=f"would need about {est['stream_memory'] / MB:,.0f} MB of memory "
                                 f"({est['batch']:,} runs per batch)")
    return est


def check_space(scenario, world, out_dir, batch_size: int, say=None) -> dict:
    """Estimate `--out`'s memory and disk; refuse (InputError) when either exceeds what is free."""
    from umbrella.errors import InputError
    est = estimate(scenario, world, batch_size)
    if say is not None:
        say(f"note: --out keeps every run: about {est['memory'] / MB:,.0f} MB of memory and "
            f"{est['disk'] / MB:,.0f} MB on disk ({est['per_run'] / 1024:.1f} KB per run)")
    avail = _mem_available()
    if avail is not None and est["memory"] > avail:
        raise InputError("--out", str(out_dir), f"runs whose arrays fit in the free memory ({avail / MB:,.0f} MB "
                         f"available; {est['per_run'] / 1024:.1f} KB per run, twice while writing): at most about "
                         f"{avail // (2 * est['per_run']):,} runs, or leave out --out (the JSON summary streams)",
                         problem=f"would need about {est['memory'] / MB:,.0f} MB of memory")
    free = free_disk(out_dir)
    if est["disk"] > free:
        raise InputError("--out", str(out_dir), f"a disk with room for it ({free / MB:,.0f} MB free)",
                         problem=f"would need about {est['disk'] / MB:,.0f} MB on disk")
    return est


def check_arrays(scenario, world, copies: int, option: str = "--runs") -> dict:
    """Refuse (InputError) a command that keeps every run's arrays (`compare`: both scenarios and
    their differences; `explain`: the base and one counterfactual) when `copies` times the runs'
    arrays exceed the free memory, instead of a MemoryError traceback or an out-of-memory kill."""
    from umbrella.errors import InputError
    est = estimate(scenario, world)
    need = copies * est["per_run"] * int(scenario.runs)
    avail = _mem_available()
    if avail is not None and need > avail:
        raise InputError(option, int(scenario.runs),
                         f"runs whose arrays fit in the free memory ({avail / MB:,.0f} MB available; "
                         f"{est['per_run'] / 1024:.1f} KB per run, {copies} copies): at most about "
                         f"{avail // (copies * est['per_run']):,} runs",
                         problem=f"would need about {need / MB:,.0f} MB of memory")
    return {**est, "arrays_memory": need}

"""Exploration benchmark (issue 15), each case in a fresh process after a warm-up:

1. overhead: an LHS design of 100 experiments x 100 runs (10,000 runs, one unit) through
   `explore run`'s path (design, engine, outcome reduction, Parquet unit, manifest) against
   `simulate` of 10,000 runs of the same scenario: runs per second and the overhead;
2. sobol: a Saltelli design over 40 world parameters, N = 256 (256 x 42 = 10,752 experiments) x
   100 runs = 1,075,200 runs: time, and the resident memory after each quarter of the units
   (memory must not grow with the number of experiments);
3. dask: the design of case 1 scaled to 40,000 runs on a Dask LocalCluster of 2 one-thread
   workers against local (2 Numba threads): time, efficiency and identical outcomes.

`--quick` runs case 2 with N = 32 (for a smoke test of the benchmark itself).
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, os, resource, shutil, sys, tempfile, time
import numpy as np
from umbrella.explore import sweep
from umbrella.explore.spec import load_spec
from umbrella.explore.store import Store

case, arg = sys.argv[1], sys.argv[2]


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def spec(text):
    d = tempfile.mkdtemp()
    p = os.path.join(d, "e.yaml")
    open(p, "w").write(text)
    return load_spec(p), d


OUT = "outcomes: [status.KOR.arsenal.2040, status.JPN.pursue.2040, nuclear_use.any.2050, npt.collapse.2050, " \
      "credibility.KOR.p50.2035, new_arsenals.mean.2050]\n"
PARAMS = "".join(f"    {p}: {{}}\n" for p in ("cred.lr_troops", "prolif.cascade.explore", "prolif.cascade.pursue",
                                                "react.buildup", "crisis.korea.onset", "npt.withdraw_base"))


def lhs(unit, n):
    return (f"id: bench\nbase: status-quo-2025\nruns: 100\nunit: {unit}\nsampler: {{method: lhs, n: {n}, seed: 1}}\n"
            "uncertainties:\n  parameters:\n" + PARAMS + OUT)

if case == "overhead":
    from umbrella.engine.run import simulate
    from umbrella.scenario import load_scenario, load_world
    ex, d = spec(lhs(100, 100))
    sc = load_scenario("status-quo-2025", fields={"runs": 10000})
    w = load_world(sc.world)
    sweep.warm(ex)
    simulate(sc.model_copy(update={"runs": 200}), w)
    te = tx = float("inf")
    for i in range(2):
        t = time.perf_counter(); simulate(sc, w); te = min(te, time.perf_counter() - t)
        s = os.path.join(d, f"s{i}")
        t = time.perf_counter(); sweep.run(ex, s, progress=False); tx = min(tx, time.perf_counter() - t)
    print(json.dumps({"case": "overhead", "runs": 10000, "engine_s": te, "explore_s": tx,
                      "engine_runs_per_s": 10000 / te, "explore_runs_per_s": 10000 / tx,
                      "overhead_pct": 100 * (tx / te - 1)}))
elif case == "sobol":
    from umbrella.scenario import load_world, registry
    w = load_world("consensus")
    names = [n for n in registry.NAMES if n not in registry.STRUCTURAL
             and w.parameters[n].range[0] < w.parameters[n].range[1]][:40]
    n = int(arg)
    text = ("id: sobol40\nbase: status-quo-2025\nruns: 100\nsampler: {method: sobol, n: %d, seed: 1}\n"
            "uncertainties:\n  parameters:\n" % n + "".join(f"    {p}: {{}}\n" for p in names) + OUT)
    ex, d = spec(text)
    sweep.warm(ex)
    marks = []
    from umbrella.explore import design as D
    units = D.build(ex).units
    checkpoints = {max(0, units * q // 4 - 1) for q in (1, 2, 3, 4)}
    done = [0]
    t0 = time.perf_counter()

    def on_unit(u):
        done[0] += 1
        if done[0] - 1 in checkpoints:
            marks.append({"units": done[0], "seconds": time.perf_counter() - t0, "rss_mb": rss_mb()})

    r = sweep.run(ex, os.path.join(d, "s"), progress=False, on_unit=on_unit)
    from umbrella.explore import analyses as A
    t = time.perf_counter()
    sob = A.sobol(os.path.join(d, "s"))
    ta = time.perf_counter() - t
    top = sob[sob.outcome == "status.KOR.arsenal.2040"].head(5)[["parameter", "ST", "ST_conf"]].to_dict("records")
    print(json.dumps({"case": "sobol", "parameters": len(names), "N": n, "experiments": r.experiments,
                      "runs": r.runs, "seconds": r.seconds, "runs_per_s": r.runs_per_second, "marks": marks,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "analyze_s": ta, "top_kor_arsenal_2040": top}))
elif case == "dask":
    import pandas as pd
    ex, d = spec(lhs(25, 400))
    sweep.warm(ex)
    marks = {"local": [], "dask": []}

    def timed(kind, **kw):
        t = time.perf_counter()
        sweep.run(ex, os.path.join(d, kind), progress=False,
                  on_unit=lambda u: marks[kind].append(time.perf_counter() - t), **kw)
        return time.perf_counter() - t

    tl = timed("local")
    td = timed("dask", dask="local:2")
    same = Store(os.path.join(d, "local")).table().equals(Store(os.path.join(d, "dask")).table())
    # steady state: from the second pair of units on (cluster start, worker imports and the
    # kernels' cache loading are paid once per sweep, before the first units)
    per_unit = 2500

    def steady(m):
        return (len(m) - 2) * per_unit / (m[-1] - m[1])

    print(json.dumps({"case": "dask", "runs": 40000, "local_s": tl, "dask_s": td, "efficiency": tl / td,
                      "first_unit_local_s": marks["local"][0], "first_unit_dask_s": marks["dask"][0],
                      "steady_local": steady(marks["local"]), "steady_dask": steady(marks["dask"]),
                      "identical": bool(same)}))
"""


def child(case: str, arg: str = "") -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, case, arg], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"bench_explore {case} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    quick = "--quick" in sys.argv
    o = child("overhead")
    print(f"explore overhead, 10,000 runs (100 experiments x 100): engine {o['engine_runs_per_s']:,.0f} runs/s, "
          f"explore {o['explore_runs_per_s']:,.0f} runs/s, overhead {o['overhead_pct']:+.1f} %")
    s = child("sobol", "32" if quick else "256")
    print(f"sobol over {s['parameters']} parameters, N = {s['N']}: {s['experiments']:,} experiments x 100 runs = "
          f"{s['runs']:,} runs in {s['seconds']:.0f} s ({s['runs_per_s']:,.0f} runs/s); peak {s['peak_mb']:.0f} MB; "
          f"analysis {s['analyze_s']:.1f} s")
    for m in s["marks"]:
        print(f"   after {m['units']:>4} units: {m['seconds']:>7.0f} s, resident {m['rss_mb']:>6.0f} MB")
    print("   top ST, status.KOR.arsenal.2040: " + ", ".join(f"{t['parameter']} {t['ST']:.2f}"
                                                            for t in s["top_kor_arsenal_2040"]))
    if not quick:
        k = child("dask")
        print(f"dask LocalCluster 2 x 1 thread vs local (2 threads), 40,000 runs: local {k['local_s']:.1f} s, "
              f"dask {k['dask_s']:.1f} s, efficiency {k['efficiency']:.2f}, identical {k['identical']}")
        print(f"   first unit after {k['first_unit_local_s']:.1f} s local, {k['first_unit_dask_s']:.1f} s dask "
              f"(cluster start); steady state {k['steady_local']:,.0f} runs/s local, "
              f"{k['steady_dask']:,.0f} runs/s dask ({k['steady_dask'] / k['steady_local']:.2f}x)")


if __name__ == "__main__":
    main()

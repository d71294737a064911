"""Scaling, cold start and streaming (issue 16), each figure in a fresh process:

1. runs: `simulate` of status-quo-2025 (crises on) at 2,500 / 5,000 / 10,000 / 20,000 runs;
2. years: 10,000 runs to 2030 / 2040 / 2050;
3. threads: 10,000 runs with NUMBA_NUM_THREADS=1 and 2;
4. cold start: `umbrella --help`, and `umbrella run status-quo-2025 --runs 100 --json FILE`
   (a new process; the kernels load from Numba's on-disk cache), best of 3;
5. streaming (`--stream`, slow): `umbrella run status-quo-2025 --runs 1000000 --json FILE`,
   wall time and peak resident memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "umbrella"

CHILD = r"""
import json, sys, time
from umbrella.engine.run import simulate
from umbrella.scenario import load_scenario, load_world
n, horizon = int(sys.argv[1]), int(sys.argv[2])
sc = load_scenario("status-quo-2025", fields={"runs": 200, "horizon": horizon})
w = load_world(sc.world)
simulate(sc, w)
sc = sc.model_copy(update={"runs": n})
best = float("inf")
for _ in range(2):
    t = time.perf_counter()
    simulate(sc, w)
    best = min(best, time.perf_counter() - t)
print(json.dumps({"runs": n, "horizon": horizon, "seconds": best}))
"""


def engine(n: int, horizon: int = 2050, threads: int | None = None) -> float:
    env = dict(os.environ)
    if threads is not None:
        env["NUMBA_NUM_THREADS"] = str(threads)
    r = subprocess.run([sys.executable, "-c", CHILD, str(n), str(horizon)], capture_output=True, text=True,
                       check=True, env=env)
    return json.loads(r.stdout.strip().splitlines()[-1])["seconds"]


def wall(cmd: list[str], repeat: int = 3) -> tuple[float, float]:
    """Best wall time and the peak resident memory (MB) of the command, in fresh processes."""
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        best = min(best, time.perf_counter() - t)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return best, peak


def main() -> None:
    print("runs (crises on, 2025-2050):")
    base = None
    for n in (2_500, 5_000, 10_000, 20_000):
        s = engine(n)
        base = base or s / n
        print(f"  {n:>7,} runs {s:6.2f} s  {n / s:8,.0f} runs/s  (time / runs relative to 2,500: "
              f"{s / n / base:.2f})")
    print("years (10,000 runs):")
    for h in (2030, 2040, 2050):
        s = engine(10_000, h)
        years = h - 2025 + 1
        print(f"  2025-{h} ({years:>2} years) {s:6.2f} s  {s / years * 1000:6.1f} ms per year")
    print("threads (10,000 runs):")
    one = engine(10_000, threads=1)
    two = engine(10_000, threads=2)
    print(f"  1 thread {one:.2f} s, 2 threads {two:.2f} s: speed-up {one / two:.2f}")
    with tempfile.TemporaryDirectory() as d:
        h, _ = wall([str(BIN), "--help"])
        subprocess.run([str(BIN), "run", "status-quo-2025", "--runs", "100", "--json", f"{d}/w.json"],
                       capture_output=True, check=True)   # make sure the cache is written
        c, _ = wall([str(BIN), "run", "status-quo-2025", "--runs", "100", "--json", f"{d}/c.json"])
        print(f"cold start: umbrella --help {h:.2f} s; umbrella run status-quo-2025 --runs 100 {c:.2f} s")
        if "--stream" in sys.argv:
            t, peak = wall([str(BIN), "run", "status-quo-2025", "--runs", "1000000", "--json", f"{d}/m.json"],
                           repeat=1)
            print(f"streaming: 1,000,000 runs --json in {t:.0f} s ({1e6 / t:,.0f} runs/s), peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()

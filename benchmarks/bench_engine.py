"""Engine benchmark: status-quo-2025, all 20 actors, 2025-2050 (26 simulated years), every
mechanism on. Times `simulate` (the engine with parameter sampling, no summary or I/O) at
10,000 and 100,000 runs, each in a fresh process after a warm-up that compiles or loads the
numba cache, and prints runs per second and the process's peak resident memory."""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
from umbrella.engine.run import simulate
from umbrella.scenario import load_scenario, load_world
n, batch = int(sys.argv[1]), int(sys.argv[2])
sc = load_scenario("status-quo-2025", fields={"runs": 200})
w = load_world(sc.world)
simulate(sc, w)  # warm-up: compile or load the numba cache
sc = sc.model_copy(update={"runs": n})
best = float("inf")
for _ in range(2):
    t = time.perf_counter()
    simulate(sc, w, batch_size=batch)
    best = min(best, time.perf_counter() - t)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"runs": n, "batch": batch, "seconds": best, "runs_per_s": n / best, "peak_mb": peak}))
"""


def main() -> None:
    rows = []
    for n in (10_000, 100_000):
        r = subprocess.run([sys.executable, "-c", CHILD, str(n), "10000"], capture_output=True,
                           text=True, check=True)
        rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
    print(f"{'runs':>8} {'batch':>6} {'seconds':>8} {'runs/s':>10} {'peak MB':>8}")
    for x in rows:
        print(f"{x['runs']:>8,} {x['batch']:>6,} {x['seconds']:>8.2f} {x['runs_per_s']:>10,.0f} {x['peak_mb']:>8.0f}")


if __name__ == "__main__":
    main()

"""Engine benchmark: status-quo-2025, all 20 actors, 2025-2050 (26 simulated years), every
mechanism on, the crisis step included (and once without it: `levers.crisis_onsets=false`,
which runs the kernel over all years in one call). Times `simulate` (the engine with parameter sampling, no summary or
I/O) at 10,000 and 100,000 runs, each in a fresh process after a warm-up that compiles or loads the
numba cache, and prints runs per second and the process's peak resident memory."""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
from umbrella.engine.run import simulate
from umbrella.scenario import load_scenario, load_world
n, batch, crises = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sc = load_scenario("status-quo-2025", overrides=[f"levers.crisis_onsets={crises}"], fields={"runs": 200})
w = load_world(sc.world)
simulate(sc, w)  # warm-up: compile or load the numba cache
sc = sc.model_copy(update={"runs": n})
best = float("inf")
for _ in range(2):
    t = time.perf_counter()
    simulate(sc, w, batch_size=batch)
    best = min(best, time.perf_counter() - t)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"runs": n, "batch": batch, "crises": crises, "seconds": best, "runs_per_s": n / best,
                  "peak_mb": peak}))
"""


def main() -> None:
    rows = []
    for n, crises in ((10_000, "true"), (10_000, "false"), (100_000, "true")):
        r = subprocess.run([sys.executable, "-c", CHILD, str(n), "10000", crises], capture_output=True,
                           text=True, check=True)
        rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
    print(f"{'runs':>8} {'batch':>6} {'crises':>6} {'seconds':>8} {'runs/s':>10} {'peak MB':>8}")
    for x in rows:
        print(f"{x['runs']:>8,} {x['batch']:>6,} {x['crises']:>6} {x['seconds']:>8.2f} {x['runs_per_s']:>10,.0f} "
              f"{x['peak_mb']:>8.0f}")


if __name__ == "__main__":
    main()

"""Per-mechanism cost: each mechanism's step called in a loop on one run's state of
`status-quo-2025` (start year), single thread, in microseconds per simulated year. A profile,
not a model run: the state does not evolve meaningfully between calls."""

from __future__ import annotations

import time

import numba as nb
import numpy as np

from umbrella import rng
from umbrella.engine import (
    alignment,
    arsenals,
    credibility,
    economy,
    init,
    npt,
    opinion,
    params,
    politics,
    proliferation,
)
from umbrella.engine import layout as L
from umbrella.engine.arrays import Log
from umbrella.engine.step import start_run
from umbrella.scenario import load_scenario, load_world


@nb.njit
def _politics(N, key, xf, xi, si, P, D, G, SCH, SCG, scr, log):
    for _ in range(N):
        log.n[0] = 0
        politics.step(0, 2026, 1, key, xf, xi, si, P, D, G, SCH, SCG, scr, log.year, log.actor, log.kind, log.terms,
                      log.n)


@nb.njit
def _economy(N, key, xf, xi, P, D, G, SCH):
    for _ in range(N):
        economy.step(0, 2026, 1, key, xf, xi, P, D, G, SCH)


@nb.njit
def _arsenals(N, key, xf, xi, sf, P, D, G, SCH, scr):
    for _ in range(N):
        arsenals.step(0, 2026, 1, key, xf, xi, sf, P, D, G, SCH, scr)


@nb.njit
def _credibility(N, key, xf, xi, si, pf, P, D, G, SCH, SCG, SCP, scr, pp, pc, pk, log):
    for _ in range(N):
        log.n[0] = 0
        credibility.step(0, 2026, 1, key, xf, xi, si, pf, P, D, G, SCH, SCG, SCP, scr, pp, pc, pk,
                         log.year, log.actor, log.kind, log.terms, log.n)


@nb.njit
def _opinion(N, key, xf, xi, si, P, D, G, SCG):
    for _ in range(N):
        opinion.step(0, 2026, 1, key, xf, xi, si, P, D, G, SCG)


@nb.njit
def _proliferation(N, key, xf, xi, pf, sf, si, P, D, G, GW, pc, scr, tv, log):
    xi0 = xi.copy()
    for _ in range(N):
        log.n[0] = 0
        xi[:] = xi0  # keep statuses from drifting between calls
        proliferation.step(0, 2026, 1, key, xf, xi, pf, sf, si, P, D, G, GW, pc, scr, tv,
                           log.year, log.actor, log.kind, log.terms, log.n)


@nb.njit
def _npt(N, key, xi, sf, si, P, D, SCG, log):
    for _ in range(N):
        log.n[0] = 0
        npt.step(0, 2026, 1, key, xi, sf, si, P, D, SCG, log.year, log.actor, log.kind, log.terms, log.n)


@nb.njit
def _alignment(N, key, xf, xi, sf, si, P, D, align_idx):
    for _ in range(N):
        alignment.step(0, 2026, 1, key, xf, xi, sf, si, P, D, align_idx)


def main(n: int = 100_000) -> None:
    nb.set_num_threads(1)
    sc = load_scenario("status-quo-2025", fields={"runs": 1})
    w = load_world(sc.world)
    inp = init.build(sc, w)
    P = params.sample(w, sc.uncertain, sc.seed, 0, 1)
    xf, xi, pf = inp.xf0[None].copy(), inp.xi0[None].copy(), inp.pf0[None].copy()
    sf, si = inp.sf0[None].copy(), inp.si0[None].copy()
    key = np.uint64(rng.run_key(sc.seed, 0))   # a Python int below 2**63 would reach numba as int64
    scr = np.zeros((xf.shape[1], L.N_B))
    tv = np.zeros(L.N_TERMS)
    start_run(0, key, 2025, xf, xi, pf, sf, si, P, inp.D, inp.G, inp.pair_pat, inp.pair_cli, scr)
    ev = Log(np.zeros((1, L.MAX_EVENTS), np.int16), np.zeros((1, L.MAX_EVENTS), np.int8),
             np.zeros((1, L.MAX_EVENTS), np.int8), np.zeros((1, L.MAX_EVENTS, L.N_TERMS), np.float32),
             np.zeros(1, np.int32))
    D = inp.D
    jobs = {
        "politics": lambda k: _politics(k, key, xf, xi, si, P, D, inp.G, inp.SCH, inp.SCG, scr, ev),
        "economy": lambda k: _economy(k, key, xf, xi, P, D, inp.G, inp.SCH),
        "arsenals": lambda k: _arsenals(k, key, xf, xi, sf, P, D, inp.G, inp.SCH, scr),
        "credibility": lambda k: _credibility(k, key, xf, xi, si, pf, P, D, inp.G, inp.SCH, inp.SCG,
                                              inp.SCP, scr, inp.pair_pat, inp.pair_cli, inp.pair_kind, ev),
        "opinion": lambda k: _opinion(k, key, xf, xi, si, P, D, inp.G, inp.SCG),
        "proliferation": lambda k: _proliferation(k, key, xf, xi, pf, sf, si, P, D, inp.G, inp.GW,
                                                  inp.pair_cli, scr, tv, ev),
        "npt": lambda k: _npt(k, key, xi, sf, si, P, D, inp.SCG, ev),
        "alignment": lambda k: _alignment(k, key, xf, xi, sf, si, P, D, inp.align_idx),
    }
    total = 0.0
    print(f"{'mechanism':<14} {'us/year':>8}")
    for name, f in jobs.items():
        f(10)  # compile
        best = min(_timed(f, n) for _ in range(3)) / n * 1e6
        total += best
        print(f"{name:<14} {best:>8.2f}")
    print(f"{'sum':<14} {total:>8.2f}   (x {len(inp.years)} years = {total * len(inp.years):.0f} us/run)")


def _timed(f, n):
    t = time.perf_counter()
    f(n)
    return time.perf_counter() - t


if __name__ == "__main__":
    import sys
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)

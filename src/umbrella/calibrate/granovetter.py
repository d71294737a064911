"""Granovetter (1978) threshold model as a benchmark for the engine's cascade exposure
(literature §3.1, V14; VALIDATION H11).

N actors; actor i participates once the share x of the population participating reaches its
threshold theta_i, so x_{t+1} = F(x_t) with F the threshold cdf, and the outcome is the smallest
fixed point above x_0. Here every step's share is computed by the ENGINE's
`proliferation.exposure` (participants carry XI_STATUS = PURSUE) on a complete graph with unit
weights, so the benchmark exercises the same code the cascade layer uses.

Graph choice: every actor's neighbour list is ALL N actors, itself included. Granovetter's x is
the fraction of the whole population of N, and a non-participant's own status adds nothing to
the numerator, so an outsider's exposure is exactly x_t = (#participants)/N. (Excluding self
would give #participants/(N-1), which is not his definition.) Updates are synchronous: all
actors read the statuses at the start of the step, as the engine does; participation never
reverses, and actors with theta_i <= 0 start (exposure 0 >= theta_i).

Measured (N = 100, mean 0.25, grid step 0.001, jump = first sd with final share >= 0.5):
  - quantile thresholds: critical sd 0.126 (share 5% at 0.125, 100% at 0.126), inside H11's
    [0.09, 0.13]. Granovetter's continuous map x = Phi((x - 0.25)/sd) loses its low fixed point
    (x* = 6.2%) at sd = 0.1222; the quantile ladder's rounding moves this to 0.126.
  - random thresholds, share averaged over draws (common random numbers across sd): ~0.133
    (seed 1978, 200 draws: 0.132, 46% -> 51%; 1000 draws, seeds 1-3: 0.133-0.135). Each draw
    either cascades to 100% or stalls at a few %, so the average is the cascade probability;
    a sample's empirical cdf can dip under the diagonal anywhere along the way, so a random
    population needs a larger sd than the smooth quantile one (per-draw critical sd: median
    0.136, 10-90% 0.117-0.160). This lies just above H11's band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba as nb
import numpy as np
from scipy.special import ndtri

from umbrella.engine import layout as L
from umbrella.engine.proliferation import exposure


@nb.njit(cache=True)
def _iterate(theta, start, xf, xi, G, GW):
    n = theta.shape[0]
    for a in range(n):                       # theta <= 0 (or seeded): participates from the start
        if theta[a] <= 0.0 or start[a]:
            xi[0, a, L.XI_STATUS] = L.PURSUE
    for _ in range(n + 1):                   # at most n activations, so at most n + 1 steps
        exposure(0, xf, xi, G, GW)           # xf[0, :, XF_CASCADE] = x_t (statuses at step start)
        changed = False
        for a in range(n):
            if xi[0, a, L.XI_STATUS] < L.PURSUE and xf[0, a, L.XF_CASCADE] >= theta[a]:
                xi[0, a, L.XI_STATUS] = L.PURSUE
                changed = True
        if not changed:
            break
    k = 0
    for a in range(n):
        if xi[0, a, L.XI_STATUS] >= L.PURSUE:
            k += 1
    return k


def complete_graph(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Engine adjacency G[a, G_NB, :] = 0..n-1 (self included, -1 end mark) and unit weights GW."""
    G = np.full((n, L.N_G, n + 1), -1, np.int64)
    G[:, L.G_NB, :n] = np.arange(n)
    GW = np.zeros((n, n + 1))
    GW[:, :n] = 1.0
    return G, GW


def participants(thresholds: np.ndarray, seeds: np.ndarray | None = None) -> int:
    """Final number of participants under Granovetter's dynamics (engine exposure, complete
    graph). `seeds`: optional indices of actors forced to participate at the start (x_0)."""
    theta = np.ascontiguousarray(thresholds, dtype=np.float64)
    n = theta.shape[0]
    start = np.zeros(n, np.bool_)
    if seeds is not None:
        start[np.asarray(seeds, np.int64)] = True
    xf = np.zeros((1, n, L.N_XF))
    xi = np.zeros((1, n, L.N_XI), np.int64)
    G, GW = complete_graph(n)
    return int(_iterate(theta, start, xf, xi, G, GW))


def run(thresholds: np.ndarray, seeds: np.ndarray | None = None) -> float:
    """Final participation share in [0, 1] (`seeds`: actors participating at the start)."""
    return participants(thresholds, seeds) / len(thresholds)


def ladder(n: int = 100) -> np.ndarray:
    """Granovetter's uniform example: thresholds 0, 1/n, ..., (n-1)/n."""
    return np.arange(n) / n


def normal_thresholds(n: int = 100, mean: float = 0.25, sd: float = 0.1, *,
                      seed: int | None = None, draws: int = 1) -> np.ndarray:
    """Normal thresholds. Deterministic (seed None): quantiles theta_i = mean + sd Phi^-1((i+.5)/n).
    With a seed: `draws` independent samples, shape (draws, n) (shape (n,) if draws == 1)."""
    if seed is None:
        return mean + sd * ndtri((np.arange(n) + 0.5) / n)
    z = np.random.default_rng(seed).standard_normal((draws, n))
    t = mean + sd * z
    return t[0] if draws == 1 else t


def share_normal(sd: float, n: int = 100, mean: float = 0.25, *, seed: int | None = None,
                 draws: int = 200) -> float:
    """Final share for normal thresholds: quantile version (seed None), or the mean over `draws`
    random samples. The same seed gives the same standard-normal draws for every sd (common
    random numbers), so the averaged curve over a grid of sd is smooth."""
    if seed is None:
        return run(normal_thresholds(n, mean, sd))
    t = normal_thresholds(n, mean, sd, seed=seed, draws=draws).reshape(draws, n)
    return float(np.mean([run(row) for row in t]))


@dataclass(frozen=True)
class Critical:
    sigma: float          # smallest sd on the grid with final share >= 0.5
    below: float          # final share at the previous grid point
    above: float          # final share at sigma
    grid: np.ndarray
    shares: np.ndarray


def critical_sigma(n: int = 100, mean: float = 0.25, grid: np.ndarray | None = None, *,
                   seed: int | None = None, draws: int = 200) -> Critical:
    """The sd at which final participation jumps: the smallest sd on `grid` (default 0.001 ..
    0.300 step 0.001) whose final share is >= 0.5. seed None: quantile thresholds; otherwise
    the share averaged over `draws` random samples."""
    grid = np.round(np.arange(1, 301) * 0.001, 6) if grid is None else np.asarray(grid, float)
    shares = np.array([share_normal(s, n, mean, seed=seed, draws=draws) for s in grid])
    hit = np.flatnonzero(shares >= 0.5)
    if hit.size == 0:
        return Critical(float("nan"), float(shares[-1]), float("nan"), grid, shares)
    i = int(hit[0])
    below = float(shares[i - 1]) if i > 0 else float("nan")
    return Critical(float(grid[i]), below, float(shares[i]), grid, shares)

"""(DESIGN.md §5 item 1; run order in step.py) economy and power: GDP growth with noise, defence burden toward its
target, and the conventional threat index (Jo & Gartzke's ln(1 + sum of rivals' capability / own),
spending-based)."""

import math

import numba as nb

from umbrella import rng
from umbrella.engine.layout import (
    ARSENAL,
    D_BURDEN0,
    D_GROWTH,
    D_NWS,
    G_RIV,
    SC_BURDEN_TARGET,
    XF_BURDEN,
    XF_GDP,
    XF_MILEX,
    XF_THREAT,
    XI_STATUS,
)
from umbrella.engine.params import INDEX

P_GSD = INDEX["econ.growth_sd"]
P_BADJ = INDEX["econ.burden_adjust"]
P_BSD = INDEX["econ.burden_sd"]


@nb.njit(inline="always", cache=True, error_model="numpy")
def step(r, year, t, key, xf, xi, P, D, G, SCH):
    n = xf.shape[1]
    for a in range(n):
        g = D[a, D_GROWTH] + P[r, P_GSD] * rng.normal(key, year, rng.ECON, a)
        xf[r, a, XF_GDP] *= math.exp(g)
        target = SCH[t, a, SC_BURDEN_TARGET]
        if math.isnan(target):
            target = D[a, D_BURDEN0]
        b = xf[r, a, XF_BURDEN]
        b += P[r, P_BADJ] * (target - b)
        b *= math.exp(P[r, P_BSD] * rng.normal(key, year, rng.ECON, 100 + a))
        xf[r, a, XF_BURDEN] = min(max(b, 0.0), 0.5)
        xf[r, a, XF_MILEX] = xf[r, a, XF_BURDEN] * xf[r, a, XF_GDP]
    threat(r, xf, xi, D, G)


@nb.njit(inline="always", cache=True, error_model="numpy")
def threat(r, xf, xi, D, G):
    """Only for actors that can still move (the hazards are its one use)."""
    n = xf.shape[1]
    for a in range(n):
        if D[a, D_NWS] > 0.0 or xi[r, a, XI_STATUS] == ARSENAL:
            continue
        s = 0.0
        for k in range(G.shape[2]):
            b = G[a, G_RIV, k]
            if b < 0:
                break
            s += xf[r, b, XF_MILEX]
        own = max(xf[r, a, XF_MILEX], 1e-6)
        xf[r, a, XF_THREAT] = math.log(1.0 + s / own)

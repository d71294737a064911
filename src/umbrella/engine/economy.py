"""Mechanism 1, economy and power: GDP growth with noise, defence burden toward its target,
and the conventional threat index (Jo & Gartzke's ln(1 + sum of rivals' capability / own),
spending-based)."""

import math

import numba as nb

from umbrella.engine import rng
from umbrella.engine.layout import (
    D_BURDEN0, D_GROWTH, SC_BURDEN_TARGET, XF_BURDEN, XF_GDP, XF_MILEX, XF_THREAT,
)
from umbrella.engine.params import INDEX

P_GSD = INDEX["econ.growth_sd"]
P_BADJ = INDEX["econ.burden_adjust"]
P_BSD = INDEX["econ.burden_sd"]


@nb.njit(cache=True)
def step(r, year, t, key, xf, P, D, RIV, SCH):
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
    threat(r, xf, RIV)


@nb.njit(cache=True)
def threat(r, xf, RIV):
    n = xf.shape[1]
    for a in range(n):
        s = 0.0
        for b in range(n):
            if RIV[a, b] > 0.0:
                s += xf[r, b, XF_MILEX]
        own = max(xf[r, a, XF_MILEX], 1e-6)
        xf[r, a, XF_THREAT] = math.log(1.0 + s / own)

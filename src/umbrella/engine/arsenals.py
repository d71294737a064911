"""Mechanism 2, arsenals: asymmetric target-seeking growth toward a doctrine path, not a
symmetric Richardson race (literature §5, §8.4f):
    W' = W + theta (W* - W) + kappa max(0, rival build-up last year) + noise
China's W* follows the DoD CMPR path; the DPRK's is its fissile-material capacity (RAND/Asan
2021), which also caps it; new arsenals grow from one weapon at a data-derived build rate."""

import math

import numba as nb
import numpy as np

from umbrella.engine import rng
from umbrella.engine.layout import (
    ARSENAL, D_IS_PRK, SC_DOCTRINE, SF_PRK_FISSILE, SF_PRK_FISSILE_RATE, XF_BUILD, XF_DW, XF_WARHEADS,
    XI_STATUS, XI_YEARS,
)
from umbrella.engine.params import INDEX

P_ADJ = INDEX["arsenal.adjust"]
P_REACT = INDEX["arsenal.reaction"]
P_NOISE = INDEX["arsenal.noise_sd"]


@nb.njit(cache=True)
def step(r, year, t, key, xf, xi, sf, P, D, RIV, SCH):
    n = xf.shape[1]
    sf[r, SF_PRK_FISSILE] += sf[r, SF_PRK_FISSILE_RATE]
    new_w = np.empty(n)  # computed for all first, so no actor sees another's update this year
    for a in range(n):
        new_w[a] = xf[r, a, XF_WARHEADS]
        if xi[r, a, XI_STATUS] != ARSENAL:
            continue
        w = xf[r, a, XF_WARHEADS]
        if D[a, D_IS_PRK] > 0.0:
            target = sf[r, SF_PRK_FISSILE]
        elif not math.isnan(SCH[t, a, SC_DOCTRINE]):
            target = SCH[t, a, SC_DOCTRINE]
        elif xf[r, a, XF_BUILD] > 0.0:
            # a new arsenal: its target grows by the build rate each year since acquisition
            target = xf[r, a, XF_BUILD] * (xi[r, a, XI_YEARS] + 1)
        else:
            target = w
        rival_growth = 0.0
        for b in range(n):
            if RIV[a, b] > 0.0 and b != a:
                rival_growth = max(rival_growth, xf[r, b, XF_DW])
        dw = P[r, P_ADJ] * (target - w) + P[r, P_REACT] * rival_growth
        dw += P[r, P_NOISE] * w * rng.normal(key, year, rng.ARSENAL, a)
        w = max(w + dw, 1.0)
        if D[a, D_IS_PRK] > 0.0:
            w = min(w, max(sf[r, SF_PRK_FISSILE], 1.0))
        new_w[a] = w
    for a in range(n):
        xf[r, a, XF_DW] = new_w[a] - xf[r, a, XF_WARHEADS]
        xf[r, a, XF_WARHEADS] = new_w[a]

"""(DESIGN.md §5 item 2; run order in step.py) arsenals: asymmetric target-seeking growth toward a doctrine path, not a
symmetric Richardson race (literature §5, §8.4f):
    W' = max(1, W + theta (W* - W) + kappa max(0, rival build-up last year) + sigma W z)
China's W* follows the DoD CMPR path; the DPRK's is its fissile-material capacity (RAND/Asan
2021), which also caps it, or the start-year arsenal if a DPRK deal freezes it, if lower;
a new arsenal's target is 1 + build rate x years since acquisition."""

import math

import numba as nb

from umbrella import rng
from umbrella.engine.layout import (
    ARSENAL,
    B_NEW_W,
    D_IS_PRK,
    G_RIV,
    SC_DOCTRINE,
    SF_PRK_FISSILE,
    SF_PRK_FISSILE_RATE,
    XF_BUILD,
    XF_DW,
    XF_WARHEADS,
    XI_STATUS,
    XI_YEARS,
)
from umbrella.engine.params import INDEX

P_ADJ = INDEX["arsenal.adjust"]
P_REACT = INDEX["arsenal.reaction"]
P_NOISE = INDEX["arsenal.noise_sd"]


@nb.njit(inline="always", cache=True, error_model="numpy")
def step(r, year, t, key, xf, xi, sf, P, D, G, SCH, scr):
    n = xf.shape[1]
    sf[r, SF_PRK_FISSILE] += sf[r, SF_PRK_FISSILE_RATE]
    # computed for all first (in scr), so no actor sees another's update this year
    for a in range(n):
        scr[a, B_NEW_W] = xf[r, a, XF_WARHEADS]
        if xi[r, a, XI_STATUS] != ARSENAL:
            continue
        w = xf[r, a, XF_WARHEADS]
        if D[a, D_IS_PRK] > 0.0:
            target = sf[r, SF_PRK_FISSILE]
            if not math.isnan(SCH[t, a, SC_DOCTRINE]):   # a freeze (DPRK deal)
                target = min(target, SCH[t, a, SC_DOCTRINE])
        elif not math.isnan(SCH[t, a, SC_DOCTRINE]):
            target = SCH[t, a, SC_DOCTRINE]
        elif xf[r, a, XF_BUILD] > 0.0:
            # a new arsenal: one weapon at acquisition, plus the build rate per year since
            target = 1.0 + xf[r, a, XF_BUILD] * xi[r, a, XI_YEARS]
        else:
            target = w
        rival_growth = 0.0
        for k in range(G.shape[2]):
            b = G[a, G_RIV, k]
            if b < 0:
                break
            rival_growth = max(rival_growth, xf[r, b, XF_DW])
        dw = P[r, P_ADJ] * (target - w) + P[r, P_REACT] * rival_growth
        dw += P[r, P_NOISE] * w * rng.normal(key, year, rng.ARSENAL, a)
        w = max(w + dw, 1.0)
        if D[a, D_IS_PRK] > 0.0:
            w = min(w, max(sf[r, SF_PRK_FISSILE], 1.0))
        scr[a, B_NEW_W] = w
    for a in range(n):
        xf[r, a, XF_DW] = scr[a, B_NEW_W] - xf[r, a, XF_WARHEADS]
        xf[r, a, XF_WARHEADS] = scr[a, B_NEW_W]

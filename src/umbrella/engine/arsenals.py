"""(DESIGN.md §5 item 2; run order in step.py) arsenals: asymmetric target-seeking growth toward a doctrine path, not a
symmetric Richardson race (literature §5, §8.4f):
    W' = max(1, W + theta (W* - W) + kappa max(0, rival build-up last year) + sigma W z)
China's W* follows the DoD CMPR path. The DPRK's W* is its fissile-material capacity F (RAND/Asan
2021: 67-116 weapons' worth in 2020, +12-18 a year), which also caps it; it approaches F at its
own rate theta_PRK (arsenal.prk_adjust: SIPRI's 50 assembled warheads of 2024 against material
for up to 90, plus production), and a DPRK deal's freeze caps W* at the start-year arsenal. A new
arsenal's target is 1 + build rate x years since acquisition.
An adversary answers the allies it watches (adversary_reactions.csv: China and Russia; C1.4,
F1:L4, L44-45) while their programme is known or they are armed (engine/known.py): its target is
multiplied by 1 + react.buildup x n (n such allies); an arsenal without a target path (W* = W)
gets the target W0 (1 + react.buildup x n), W0 its start-year stockpile, when that is above W."""

import math

import numba as nb

from umbrella import rng
from umbrella.engine.known import known
from umbrella.engine.layout import (
    ARSENAL,
    B_NEW_W,
    D_IS_PRK,
    D_W0,
    G_BUILDUP,
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
P_PRK_ADJ = INDEX["arsenal.prk_adjust"]
P_REACT = INDEX["arsenal.reaction"]
P_NOISE = INDEX["arsenal.noise_sd"]
P_BUILDUP = INDEX["react.buildup"]


@nb.njit(inline="always", cache=True, error_model="numpy")
def response(r, a, xi, P, G):
    """react.buildup x the number of allies actor a watches whose programme is known or who are
    armed (its target's relative increase)."""
    n = 0
    for k in range(G.shape[2]):
        b = G[a, G_BUILDUP, k]
        if b < 0:
            break
        if known(r, b, xi):
            n += 1
    return P[r, P_BUILDUP] * n


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
        up = 1.0 + response(r, a, xi, P, G)
        adjust = P[r, P_ADJ]
        if D[a, D_IS_PRK] > 0.0:
            # bounded by its fissile material: it answers no one (it builds at capacity)
            target = sf[r, SF_PRK_FISSILE]
            adjust = P[r, P_PRK_ADJ]
            if not math.isnan(SCH[t, a, SC_DOCTRINE]):   # a freeze (DPRK deal)
                target = min(target, SCH[t, a, SC_DOCTRINE])
        elif not math.isnan(SCH[t, a, SC_DOCTRINE]):
            target = SCH[t, a, SC_DOCTRINE] * up
        elif xf[r, a, XF_BUILD] > 0.0:
            # a new arsenal: one weapon at acquisition, plus the build rate per year since
            target = (1.0 + xf[r, a, XF_BUILD] * xi[r, a, XI_YEARS]) * up
        else:
            target = max(w, D[a, D_W0] * up) if up > 1.0 else w
        rival_growth = 0.0
        for k in range(G.shape[2]):
            b = G[a, G_RIV, k]
            if b < 0:
                break
            rival_growth = max(rival_growth, xf[r, b, XF_DW])
        dw = adjust * (target - w) + P[r, P_REACT] * rival_growth
        dw += P[r, P_NOISE] * w * rng.normal(key, year, rng.ARSENAL, a)
        w = max(w + dw, 1.0)
        if D[a, D_IS_PRK] > 0.0:
            w = min(w, max(sf[r, SF_PRK_FISSILE], 1.0))
        scr[a, B_NEW_W] = w
    for a in range(n):
        xf[r, a, XF_DW] = scr[a, B_NEW_W] - xf[r, a, XF_WARHEADS]
        xf[r, a, XF_WARHEADS] = scr[a, B_NEW_W]

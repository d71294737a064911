"""Mechanism 5, opinion: public support for own nuclear weapons, in log-odds, for polled
actors. It relaxes to its start level and responds to DPRK provocations (F0:L72, C0.23),
test moratoria (F0:L110, C0.33), the patron's credibility (F0:L68, C0.20; Sukin 2020's
entrapment non-monotonicity as an optional term) and rivals' programmes begun last year:
    y* = y0 - b_cred (logit U - logit U0) + b_ent max(0, U - 0.8) - b_mor moratorium
    y' = y + rho (y* - y) + b_prov (prov - rate_prov) + b_riv new_rival_programmes + sigma z"""

import math

import numba as nb

from umbrella.engine import rng
from umbrella.engine.layout import (
    D_IS_PRK, D_OPINION0, D_POLLED, PURSUE, SG_MORATORIUM, SI_PROVOCATION,
    XF_OPINION, XF_UMB0, XF_UMBRELLA, XI_STATUS, XI_YEARS,
)
from umbrella.engine.params import INDEX

P_RHO = INDEX["opinion.reversion"]
P_PROV = INDEX["opinion.provocation"]
P_PRATE = INDEX["politics.prk_provocation_rate"]
P_MOR = INDEX["opinion.moratorium"]
P_CRED = INDEX["opinion.credibility"]
P_ENT = INDEX["opinion.entrapment"]
P_RIV = INDEX["opinion.rival_programme"]
P_SD = INDEX["opinion.noise_sd"]


@nb.njit(cache=True)
def _logit(p):
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p / (1.0 - p))


@nb.njit(cache=True)
def step(r, year, t, key, xf, xi, si, P, D, RIV, NB, SCG):
    n = xf.shape[1]
    prk = -1
    for j in range(n):
        if D[j, D_IS_PRK] > 0.0:
            prk = j
    for a in range(n):
        if D[a, D_POLLED] == 0.0:
            continue
        y = xf[r, a, XF_OPINION]
        # level effects move the target; provocations and rivals' programmes are pulses
        target = D[a, D_OPINION0]
        u = xf[r, a, XF_UMBRELLA]
        u0 = xf[r, a, XF_UMB0]
        if u0 > 0.0:
            target -= P[r, P_CRED] * (_logit(u) - _logit(u0))
            target += P[r, P_ENT] * max(0.0, u - 0.8)
        dy = 0.0
        if prk >= 0 and RIV[a, prk] > 0.0:
            if SCG[t, SG_MORATORIUM] > 0.0:
                target -= P[r, P_MOR]
            # relative to the usual rate: the start level already reflects routine provocations
            dy += P[r, P_PROV] * (si[r, SI_PROVOCATION] - P[r, P_PRATE])
        dy += P[r, P_RHO] * (target - y)
        new = 0
        for j in range(n):
            if (RIV[a, j] > 0.0 or NB[a, j] > 0.0) and xi[r, j, XI_STATUS] == PURSUE and xi[r, j, XI_YEARS] == 1:
                new += 1
        dy += P[r, P_RIV] * new
        dy += P[r, P_SD] * rng.normal(key, year, rng.OPINION, a)
        xf[r, a, XF_OPINION] = y + dy

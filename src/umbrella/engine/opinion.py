"""(DESIGN.md §5 item 5; run order in step.py) opinion: public support for own nuclear weapons, in log-odds y, for
polled actors. It relaxes toward a target that moves with the umbrella (F0:L68, C0.20; Sukin
2020's entrapment non-monotonicity as an optional term) and, for the DPRK's rivals, with a test
moratorium (F0:L110, C0.33); DPRK provocations (F0:L72, C0.23) and rivals' or neighbours'
programmes begun last year are one-year pulses:
    y*  = y0 - b_cred (logit U - logit U0) + b_ent (max(0, U - 0.8) - max(0, U0 - 0.8))
          - b_mor mor_t                                           (DPRK rivals only)
    y~  = y - b_mor (mor_t - mor_{t-1})     the moratorium's own first-year change is -b_mor
    y'  = y~ + rho (y* - y~) + b_prov (prov_t - E prov_t) + b_riv new_programmes + sigma z
The provocation pulse is centred on the year's expected rate (lower under a moratorium), so
it is news only; the moratorium's level effect is b_mor alone. The credibility and entrapment
terms apply where the actor has an umbrella at the start (U0 > 0)."""


import numba as nb

from umbrella import rng
from umbrella.engine import link
from umbrella.engine.layout import (
    D_FACES_PRK,
    D_OPINION0,
    D_POLLED,
    G_RIV_NB,
    PURSUE,
    SG_MORATORIUM,
    SI_PROVOCATION,
    XF_LOGIT_UMB0,
    XF_OPINION,
    XF_UMB0,
    XF_UMBRELLA,
    XI_STATUS,
    XI_YEARS,
)
from umbrella.engine.params import INDEX

P_RHO = INDEX["opinion.reversion"]
P_PROV = INDEX["opinion.provocation"]
P_PRATE = INDEX["politics.prk_provocation_rate"]
P_MFAC = INDEX["politics.moratorium_factor"]
P_MOR = INDEX["opinion.moratorium"]
P_CRED = INDEX["opinion.credibility"]
P_ENT = INDEX["opinion.entrapment"]
P_RIV = INDEX["opinion.rival_programme"]
P_SD = INDEX["opinion.noise_sd"]


@nb.njit(inline="always", cache=True, error_model="numpy")
def logit(p):
    """Log-odds of a share of support (engine/link.py, clipped at EPS_OPINION)."""
    return link.logit(p, link.EPS_OPINION)


@nb.njit(inline="always", cache=True, error_model="numpy")
def step(r, year, t, key, xf, xi, si, P, D, G, SCG):
    n = xf.shape[1]
    for a in range(n):
        if D[a, D_POLLED] == 0.0:
            continue
        y = xf[r, a, XF_OPINION]
        # level effects move the target; provocations and rivals' programmes are pulses
        target = D[a, D_OPINION0]
        u = xf[r, a, XF_UMBRELLA]
        u0 = xf[r, a, XF_UMB0]
        if u0 > 0.0:
            target -= P[r, P_CRED] * (logit(u) - xf[r, a, XF_LOGIT_UMB0])
            target += P[r, P_ENT] * (max(0.0, u - 0.8) - max(0.0, u0 - 0.8))
        dy = 0.0
        if D[a, D_FACES_PRK] > 0.0:
            mor = SCG[t, SG_MORATORIUM]
            mor_prev = SCG[t - 1, SG_MORATORIUM] if t > 0 else 0.0  # a lever departs from the data
            y -= P[r, P_MOR] * (mor - mor_prev)
            target -= P[r, P_MOR] * mor
            rate = P[r, P_PRATE] * (P[r, P_MFAC] if mor > 0.0 else 1.0)
            dy += P[r, P_PROV] * (si[r, SI_PROVOCATION] - rate)
        dy += P[r, P_RHO] * (target - y)
        new = 0
        for k in range(G.shape[2]):
            j = G[a, G_RIV_NB, k]
            if j < 0:
                break
            if xi[r, j, XI_STATUS] == PURSUE and xi[r, j, XI_YEARS] == 1:
                new += 1
        dy += P[r, P_RIV] * new
        dy += P[r, P_SD] * rng.normal(key, year, rng.OPINION, a)
        xf[r, a, XF_OPINION] = y + dy

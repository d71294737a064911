"""(DESIGN.md §5 item 8; run order in step.py) alignment: each US ally facing China picks balancing, hedging or
accommodating by a multinomial logit with inertia (utilities relative to hedging = 0):
    U_bal = a_bal + c_cred (U - U0) - c_pow,i (ln(GDP_CHN/GDP) - ln ratio0) - c_turt armed
            + c_camp conservative(ROK)
    U_acc = a_acc - c_cred (U - U0) + c_pow,i (...) + c_turt armed + c_camp progressive(ROK)
            - c_coerc m (1 - armed),    m <- coercion_memory m + coerced    (the memory of coercion)
plus `inertia` on the current posture. China's rise moves each ally its own way (c_pow,i, per
aligner: Japan balances harder, the ROK accommodates, F0:L13, L38, C0.8). Armed allies lean
toward accommodation ("turtling", F0:L7, L160); Chinese economic coercion of an unarmed ally
backfires and is remembered (F0:L86, L94: the pro-US shift of 2017 still held in 2019); an armed
ally turtles instead (its memory is kept, but does not push it off accommodation). The regional-order index
(1 = China's priorities) rises with ln(GDP_CHN / (GDP_USA + sum of aligners' GDP)), the share
of allies accommodating and falling credibility (F0:L160-162); it is NaN when China or every
aligner is absent."""

import math

import numba as nb

from umbrella import rng
from umbrella.engine.layout import (
    ACCOMMODATING,
    ARSENAL,
    BALANCING,
    CONSERVATIVE,
    D_ALIGNER,
    D_IS_CHN,
    D_IS_KOR,
    D_LOGPOW0,
    HEDGING,
    PROGRESSIVE,
    SF_ORDER,
    SI_CAMP,
    XF_COERCION_MEM,
    XF_GDP,
    XF_UMB0,
    XF_UMBRELLA,
    XI_COERCED,
    XI_POSTURE,
    XI_STATUS,
)
from umbrella.engine.params import INDEX

P_INERTIA = INDEX["align.inertia"]
P_CRED = INDEX["align.credibility"]
P_MEM = INDEX["align.coercion_memory"]
P_TURT = INDEX["align.turtling"]
P_CAMP = INDEX["align.camp"]
P_COERC = INDEX["align.coercion"]
P_O_POW = INDEX["order.power"]
P_O_ACC = INDEX["order.accommodation"]
P_O_CRED = INDEX["order.credibility"]


@nb.njit(inline="always", cache=True, error_model="numpy")
def step(r, year, t, key, xf, xi, sf, si, P, D, align_idx):
    n = xf.shape[1]
    chn = -1
    for j in range(n):
        if D[j, D_IS_CHN] > 0.0:
            chn = j
    n_al = 0
    n_acc = 0
    gdp_al = xf[r, 0, XF_GDP]  # the USA is actor 0
    cred_sum = 0.0
    for a in range(n):
        if D[a, D_ALIGNER] == 0.0:
            continue
        dcred = xf[r, a, XF_UMBRELLA] - xf[r, a, XF_UMB0]
        dpow = 0.0
        if chn >= 0:
            dpow = math.log(xf[r, chn, XF_GDP] / xf[r, a, XF_GDP]) - D[a, D_LOGPOW0]
        armed = 1.0 if xi[r, a, XI_STATUS] == ARSENAL else 0.0
        c_pow = P[r, align_idx[a, 2]]
        ub = P[r, align_idx[a, 0]] + P[r, P_CRED] * dcred - c_pow * dpow - P[r, P_TURT] * armed
        ua = P[r, align_idx[a, 1]] - P[r, P_CRED] * dcred + c_pow * dpow + P[r, P_TURT] * armed
        xf[r, a, XF_COERCION_MEM] = P[r, P_MEM] * xf[r, a, XF_COERCION_MEM] + xi[r, a, XI_COERCED]
        # coercion backfires on an unarmed ally (THAAD, F0:L86-94); an armed one turtles (F0:L160)
        ua -= P[r, P_COERC] * xf[r, a, XF_COERCION_MEM] * (1.0 - armed)
        if D[a, D_IS_KOR] > 0.0:
            if si[r, SI_CAMP] == CONSERVATIVE:
                ub += P[r, P_CAMP]
            elif si[r, SI_CAMP] == PROGRESSIVE:
                ua += P[r, P_CAMP]
        uh = 0.0
        cur = xi[r, a, XI_POSTURE]
        if cur == BALANCING:
            ub += P[r, P_INERTIA]
        elif cur == HEDGING:
            uh += P[r, P_INERTIA]
        else:
            ua += P[r, P_INERTIA]
        m = max(ub, max(uh, ua))
        eb = math.exp(ub - m)
        eh = math.exp(uh - m)
        ea = math.exp(ua - m)
        u = rng.uniform(key, year, rng.ALIGN, a) * (eb + eh + ea)
        if u < eb:
            xi[r, a, XI_POSTURE] = BALANCING
        elif u < eb + eh:
            xi[r, a, XI_POSTURE] = HEDGING
        else:
            xi[r, a, XI_POSTURE] = ACCOMMODATING
        n_al += 1
        if xi[r, a, XI_POSTURE] == ACCOMMODATING:
            n_acc += 1
        gdp_al += xf[r, a, XF_GDP]
        cred_sum += xf[r, a, XF_UMBRELLA]
    if n_al > 0 and chn >= 0:
        x = P[r, P_O_POW] * math.log(xf[r, chn, XF_GDP] / gdp_al)
        x += P[r, P_O_ACC] * (n_acc / n_al - 1.0 / 3.0)
        x -= P[r, P_O_CRED] * (cred_sum / n_al - 0.5)
        sf[r, SF_ORDER] = 1.0 / (1.0 + math.exp(-x))
    else:
        sf[r, SF_ORDER] = math.nan

"""(DESIGN.md §5 item 3; run order in step.py) politics and events: the US administration type and the ROK government
camp change on their electoral calendars by Markov draws (switch probability = the historical
alternation rate); scenario shocks fire on their dates; DPRK strategic provocations occur at
their observed annual rate (lower under a test moratorium). Under burden sharing by HNS
transfers (levers.burden_sharing = hns_transfer), an America-first administration issues a
host-nation-support ultimatum to each US client hosting US troops with chance
politics.hns_demand_rate a year (F0:L34); the flag is a credibility signal (+cred.lr_hns).
Adversaries coerce the allies whose programme they know (`coerce`)."""

import math

import numba as nb

from umbrella import rng
from umbrella.engine.known import known
from umbrella.engine.layout import (
    AMERICA_FIRST,
    ARSENAL,
    B_CONSULT,
    B_FORWARD,
    B_SHARING,
    B_TROOPS,
    D_KEY_NPT,
    D_US_CLIENT,
    EV_COERCED,
    EV_FORCED,
    EV_HNS_ULTIMATUM,
    EV_NPT_WITHDRAW,
    G_COERCE,
    PURSUE,
    SC_COERCION,
    SC_CONSULT,
    SC_COVERT,
    SC_FORWARD,
    SC_HNS,
    SC_NPT_WITHDRAW,
    SC_PERMIT,
    SC_PROGRAMME,
    SC_SHARING,
    SC_TROOPS,
    SG_ADMIN,
    SG_CAMP,
    SG_ELECTION_KOR,
    SG_ELECTION_US,
    SG_HNS_MODE,
    SG_MORATORIUM,
    SG_TEST,
    SI_ADMIN,
    SI_CAMP,
    SI_KEY_WITHDRAWALS,
    SI_PROVOCATION,
    SI_WITHDRAWALS,
    XF_PROGRESS,
    XF_TROOPS,
    XF_TTW,
    XI_COERCED,
    XI_CONSULT,
    XI_COVERT,
    XI_DETECTED,
    XI_EVER_COVERT,
    XI_FORWARD,
    XI_HNS,
    XI_NPT,
    XI_PERMIT,
    XI_REACHED,
    XI_SANCTIONED,
    XI_SHARING,
    XI_STATUS,
    XI_YEARS,
)
from umbrella.engine.log import record
from umbrella.engine.params import INDEX

P_USF = INDEX["politics.us_flip"]
P_KRF = INDEX["politics.kor_flip"]
P_PROV = INDEX["politics.prk_provocation_rate"]
P_MOR = INDEX["politics.moratorium_factor"]
P_HNS = INDEX["politics.hns_demand_rate"]
P_COERCE_RATE = INDEX["react.coercion_rate"]


@nb.njit(inline="always", cache=True, error_model="numpy")
def coerce(r, year, key, xi, P, G, ev_year, ev_actor, ev_kind, ev_terms, ev_n):
    """An adversary coerces the allies it watches (adversary_reactions.csv) while their programme
    is known or they are armed: react.coercion_rate a year each (C0.28, C0.35; the THAAD
    sanctions of 2017 as the precedent). Reads last year's statuses; logs `coerced` events."""
    for c in range(xi.shape[1]):
        for k in range(G.shape[2]):
            a = G[c, G_COERCE, k]
            if a < 0:
                break
            if known(r, a, xi) and rng.uniform(key, year, rng.REACT, c * xi.shape[1] + a) < P[r, P_COERCE_RATE]:
                if xi[r, a, XI_COERCED] == 0:
                    record(r, year, a, EV_COERCED, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
                xi[r, a, XI_COERCED] = 1


@nb.njit(inline="always", cache=True, error_model="numpy")
def step(r, year, t, key, xf, xi, si, P, D, G, SCH, SCG, before, ev_year, ev_actor, ev_kind, ev_terms, ev_n):
    # elections (before scheduled shocks, so a scheduled change overrides the draw)
    if SCG[t, SG_ELECTION_US] > 0.0 and rng.uniform(key, year, rng.POLITICS, 0) < P[r, P_USF]:
        si[r, SI_ADMIN] = 1 - si[r, SI_ADMIN]
    if SCG[t, SG_ELECTION_KOR] > 0.0 and rng.uniform(key, year, rng.POLITICS, 1) < P[r, P_KRF]:
        si[r, SI_CAMP] = 1 - si[r, SI_CAMP]
    if not math.isnan(SCG[t, SG_ADMIN]):
        si[r, SI_ADMIN] = int(SCG[t, SG_ADMIN])
    if not math.isnan(SCG[t, SG_CAMP]):
        si[r, SI_CAMP] = int(SCG[t, SG_CAMP])
    rate = P[r, P_PROV] * (P[r, P_MOR] if SCG[t, SG_MORATORIUM] > 0.0 else 1.0)
    prov = rng.uniform(key, year, rng.POLITICS, 2) < rate
    si[r, SI_PROVOCATION] = 1 if (prov or SCG[t, SG_TEST] > 0.0) else 0

    # an America-first administration bargaining by HNS transfers issues ultimatums to hosts
    hns_mode = SCG[t, SG_HNS_MODE] > 0.0 and si[r, SI_ADMIN] == AMERICA_FIRST
    n = xf.shape[1]
    for a in range(n):
        hns = SCH[t, a, SC_HNS] > 0.0
        if (hns_mode and D[a, D_US_CLIENT] > 0.0 and xf[r, a, XF_TROOPS] > 0.0
                and rng.uniform(key, year, rng.POLITICS, 16 + a) < P[r, P_HNS]):
            hns = True
        xi[r, a, XI_HNS] = 1 if hns else 0
        if hns:  # logged: explain reads the engine's own signals, never re-draws them
            record(r, year, a, EV_HNS_ULTIMATUM, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
        before[a, B_TROOPS] = xf[r, a, XF_TROOPS]
        before[a, B_CONSULT] = xi[r, a, XI_CONSULT]
        before[a, B_SHARING] = xi[r, a, XI_SHARING]
        before[a, B_FORWARD] = xi[r, a, XI_FORWARD]
        v = SCH[t, a, SC_TROOPS]
        if not math.isnan(v):
            xf[r, a, XF_TROOPS] = v
        v = SCH[t, a, SC_CONSULT]
        if not math.isnan(v):
            xi[r, a, XI_CONSULT] = int(v)
        v = SCH[t, a, SC_SHARING]
        if not math.isnan(v):
            xi[r, a, XI_SHARING] = int(v)
        v = SCH[t, a, SC_FORWARD]
        if not math.isnan(v):
            xi[r, a, XI_FORWARD] = int(v)
        v = SCH[t, a, SC_PERMIT]
        if not math.isnan(v):
            xi[r, a, XI_PERMIT] = int(v)
        xi[r, a, XI_COERCED] = 1 if SCH[t, a, SC_COERCION] > 0.0 else 0
        v = SCH[t, a, SC_PROGRAMME]
        if not math.isnan(v) and xi[r, a, XI_STATUS] < int(v) and xi[r, a, XI_STATUS] != ARSENAL:
            level = int(v)
            xi[r, a, XI_STATUS] = level
            xi[r, a, XI_YEARS] = 0
            xi[r, a, XI_REACHED] = max(xi[r, a, XI_REACHED], level)
            if level == PURSUE:
                xf[r, a, XF_PROGRESS] = 0.0
                xf[r, a, XF_TTW] = -1.0  # time to weapon drawn by the proliferation step
                covert = SCH[t, a, SC_COVERT] > 0.0
                xi[r, a, XI_COVERT] = 1 if covert else 0
                xi[r, a, XI_DETECTED] = 0  # a new programme: nothing known, nothing sanctioned yet
                xi[r, a, XI_SANCTIONED] = 0
                if covert:
                    xi[r, a, XI_EVER_COVERT] = 1
            record(r, year, a, EV_FORCED, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
        if SCH[t, a, SC_NPT_WITHDRAW] > 0.0 and xi[r, a, XI_NPT] == 1:
            xi[r, a, XI_NPT] = 0
            si[r, SI_WITHDRAWALS] += 1
            if D[a, D_KEY_NPT] > 0.0:
                si[r, SI_KEY_WITHDRAWALS] += 1
            record(r, year, a, EV_NPT_WITHDRAW, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
    coerce(r, year, key, xi, P, G, ev_year, ev_actor, ev_kind, ev_terms, ev_n)

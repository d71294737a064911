"""(DESIGN.md §5 item 7; run order in step.py) the NPT regime: strength N in [0, 1] recovers slowly and erodes with new
arsenals, withdrawals (more for the states whose exit F1:L41 says the regime would not survive)
and failed review conferences (literature §8.4d):
    N' = N + rho (1 - N) - psi_A new_arsenals - psi_W withdrawals - psi_K key_withdrawals
           - psi_R revcon_failed
Collapse is absorbing once N falls below a threshold. Members that are exploring leave with a
hazard that rises as the regime weakens, so one exit raises the odds of the next."""

import math

import numba as nb

from umbrella import rng
from umbrella.engine.layout import (
    D_KEY_NPT,
    D_NWS,
    EV_NPT_COLLAPSE,
    EV_NPT_WITHDRAW,
    EXPLORE,
    SF_NPT,
    SG_REVCON,
    SI_COLLAPSED,
    SI_KEY_WITHDRAWALS,
    SI_NEW_ARSENALS,
    SI_WITHDRAWALS,
    XI_NPT,
    XI_STATUS,
)
from umbrella.engine.log import record
from umbrella.engine.params import INDEX

P_REC = INDEX["npt.recovery"]
P_ARS = INDEX["npt.new_arsenal"]
P_WD = INDEX["npt.withdrawal"]
P_KEY = INDEX["npt.key_withdrawal"]
P_RCF = INDEX["npt.revcon_failure_rate"]
P_RCI = INDEX["npt.revcon_impact"]
P_THR = INDEX["npt.collapse_threshold"]
P_WBASE = INDEX["npt.withdraw_base"]
P_WERO = INDEX["npt.withdraw_erosion"]
P_REF = INDEX["npt.ref"]


@nb.njit(inline="always", cache=True, error_model="numpy")
def step(r, year, t, key, xi, sf, si, P, D, SCG, ev_year, ev_actor, ev_kind, ev_terms, ev_n):
    if si[r, SI_COLLAPSED] == 1:
        return
    n = xi.shape[1]
    # exploring members weigh leaving; the weaker the regime, the likelier
    h = P[r, P_WBASE] * math.exp(P[r, P_WERO] * (P[r, P_REF] - sf[r, SF_NPT]))
    for a in range(n):
        if xi[r, a, XI_NPT] == 1 and xi[r, a, XI_STATUS] == EXPLORE and D[a, D_NWS] == 0.0:
            if rng.uniform(key, year, rng.NPT, a) < min(h, 1.0):
                xi[r, a, XI_NPT] = 0
                si[r, SI_WITHDRAWALS] += 1
                if D[a, D_KEY_NPT] > 0.0:
                    si[r, SI_KEY_WITHDRAWALS] += 1
                record(r, year, a, EV_NPT_WITHDRAW, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
    N = sf[r, SF_NPT]
    N += P[r, P_REC] * (1.0 - N)
    N -= P[r, P_ARS] * si[r, SI_NEW_ARSENALS]
    N -= P[r, P_WD] * si[r, SI_WITHDRAWALS] + P[r, P_KEY] * si[r, SI_KEY_WITHDRAWALS]
    if SCG[t, SG_REVCON] > 0.0 and rng.uniform(key, year, rng.NPT, 255) < P[r, P_RCF]:
        N -= P[r, P_RCI]
    N = min(max(N, 0.0), 1.0)
    if N < P[r, P_THR]:
        si[r, SI_COLLAPSED] = 1
        N = 0.0
        record(r, year, -1, EV_NPT_COLLAPSE, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
    sf[r, SF_NPT] = N

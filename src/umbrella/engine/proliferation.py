"""(DESIGN.md §5 item 6; run order in step.py) proliferation: transitions 0->1->2->3 and reversals.

Onset hazards are complementary log-log in a linear predictor (literature §8.4a):
    h = 1 - exp(-exp(eta))
    eta_s = alpha_s + b_L L + b_T T + b_R R + b_U U/Cref + b_N NPT N/Nref + b_reg REG   (backbone)
            + b_pop y                          (strategic: public support, log-odds)
            - b_sanc US_client permit          (strategic, pursue only: Miller 2014)
            + gamma_s (E - E_ref_s)            (cascade: neighbours' programmes)
The backbone is fitted on the historical panel (umbrella.calibrate.backbone) and drawn per run
from its covariance; the three structural terms are zero under the conditions it was fitted on
(pacts at the reference credibility, no US acceptance of an ally's deterrent, 50 % support,
exposure at its historical mean), so the fit survives (literature §8.1). A programme (status 2)
becomes an arsenal when its progress, 1/TTW a year, reaches one, never in its onset year; TTW is
drawn at onset from the published estimates (the ROK, Japan) or from latency, fuel-cycle access
and plutonium, and covertness, never under a year (F1:L37). Known
programmes are sanctioned (slower, the more so for a fuel importer; also under an adversary's
coercion), face preventive strikes
from nuclear-armed rivals (at a flat yearly rate, except a theatre ally's, which is struck in its
theatre's wars: engine/crises.py), and take their state out of the NPT. Reversal hazards are
cloglog too: exploring stops more readily under
a credible umbrella; a patron's coercion multiplies the hazard that a client abandons a
programme by (1 + c U)/(1 + c Cref) (Gerzhoy 2015). The NPT term is zero once the regime has
collapsed. All onsets and checks of rivals read the statuses at the start of the step, so
actors move simultaneously."""

import math

import numba as nb
import numpy as np

from umbrella import rng
from umbrella.engine.known import known as is_known
from umbrella.engine.layout import (
    ARSENAL,
    B_STATUS0,
    D_ELEC,
    D_ENR,
    D_KEY_NPT,
    D_LATENCY,
    D_NWS,
    D_POLLED,
    D_RED_LINE,
    D_REGIONAL,
    D_SEP_PU,
    D_THEATRE,
    D_TTW_PUB,
    D_TTW_SD,
    D_US_CLIENT,
    EV_ABANDON_EXPLORE,
    EV_ABANDON_PURSUE,
    EV_ACQUIRE,
    EV_COVERT_DETECTED,
    EV_EXPLORE,
    EV_NPT_WITHDRAW,
    EV_PREVENTIVE,
    EV_PURSUE,
    EXPLORE,
    G_NB,
    G_RIV,
    N_TERMS,
    NONE,
    PF_CRED,
    PF_CRED_LAG2,
    PURSUE,
    SF_NPT,
    SI_COLLAPSED,
    SI_KEY_WITHDRAWALS,
    SI_NEW_ARSENALS,
    SI_WITHDRAWALS,
    T_BASE,
    T_CASCADE,
    T_LATENCY,
    T_NPT,
    T_OPINION,
    T_RED_LINE,
    T_RIVAL,
    T_SANCTIONS,
    T_STATUS,
    T_THREAT,
    T_UMBRELLA,
    XF_BUILD,
    XF_CASCADE,
    XF_OPINION,
    XF_PROGRESS,
    XF_THREAT,
    XF_TTW,
    XF_UMBRELLA,
    XF_WARHEADS,
    XI_COERCED,
    XI_COVERT,
    XI_DETECTED,
    XI_EVER_COVERT,
    XI_NPT,
    XI_PERMIT,
    XI_REACHED,
    XI_SANCTIONED,
    XI_STATUS,
    XI_YEARS,
)
from umbrella.engine.log import record
from umbrella.engine.params import INDEX

STAGE = ("explore", "pursue")
_ONSET = ("base", "latency", "threat", "rival", "umbrella", "npt", "regional", "exposure_ref")
P_E = np.array([INDEX[f"prolif.explore.{k}"] for k in _ONSET])
P_P = np.array([INDEX[f"prolif.pursue.{k}"] for k in _ONSET])
P_CREF = INDEX["prolif.cred_ref"]
P_POP = INDEX["prolif.opinion"]
P_SANC = INDEX["prolif.sanctions"]
P_CE = INDEX["prolif.cascade.explore"]
P_CP = INDEX["prolif.cascade.pursue"]
P_REV_E = INDEX["prolif.reversal_explore.base"]
P_REV_U = INDEX["prolif.reversal_explore.umbrella"]
P_REV_P = INDEX["prolif.reversal_pursue.base"]
P_COERCE = INDEX["prolif.coercion"]
P_COV = INDEX["prolif.covert_base"]
P_COV_R = INDEX["prolif.covert_rupture"]
P_DET = INDEX["prolif.detect_rate"]
P_PREV = INDEX["prolif.prevent_rate"]
P_NREF = INDEX["npt.ref"]
P_BUILD = INDEX["arsenal.new_build_rate"]
P_BUILD_ENR = INDEX["arsenal.enr_build_multiplier"]
P_RED = INDEX["prolif.red_line"]
P_T_MED = INDEX["ttw.median_hist"]
P_T_SLOPE = INDEX["ttw.latency_slope"]
P_T_LREF = INDEX["ttw.latency_ref"]
P_T_ENR = INDEX["ttw.no_enr"]
P_T_FUEL = INDEX["ttw.fuel"]
P_T_PU = INDEX["ttw.plutonium"]
P_T_SANC = INDEX["ttw.sanctions"]
P_T_COV = INDEX["ttw.covert"]
P_T_MIN = INDEX["ttw.min_years"]
P_T_SD = INDEX["ttw.sd"]


@nb.njit(cache=True, error_model="numpy")
def _occurs(u, eta):
    """u < cloglog(eta), exactly; since 1 - exp(-x) <= x, most draws are settled by one exp."""
    x = math.exp(min(eta, 30.0))
    if u >= x:
        return False
    return u < -math.expm1(-x)


@nb.njit(inline="always", cache=True, error_model="numpy")
def terms(r, a, idx, cascade_k, with_sanctions, xf, xi, sf, si, P, D, G, scr, out):
    """Contributions to the linear predictor of one onset (filled into `out`); returns eta.
    Rivals' programmes are read from the statuses at the start of the step (scr), so the
    order of actors does not matter."""
    rival = 0.0
    for k in range(G.shape[2]):
        j = G[a, G_RIV, k]
        if j < 0:
            break
        if scr[j, B_STATUS0] >= PURSUE:
            rival = 1.0
    npt_strength = 0.0 if si[r, SI_COLLAPSED] == 1 else sf[r, SF_NPT] / P[r, P_NREF]
    out[T_BASE] = P[r, idx[0]]
    out[T_LATENCY] = P[r, idx[1]] * D[a, D_LATENCY]
    out[T_THREAT] = P[r, idx[2]] * xf[r, a, XF_THREAT]
    out[T_RIVAL] = P[r, idx[3]] * rival
    out[T_UMBRELLA] = P[r, idx[4]] * xf[r, a, XF_UMBRELLA] / P[r, P_CREF]
    out[T_NPT] = P[r, idx[5]] * xi[r, a, XI_NPT] * npt_strength
    out[T_STATUS] = P[r, idx[6]] * D[a, D_REGIONAL]
    out[T_OPINION] = P[r, P_POP] * xf[r, a, XF_OPINION] if D[a, D_POLLED] > 0.0 else 0.0
    # structural deviations are zero under the conditions the backbone was fitted on: US clients
    # were not allowed to arm (so acceptance lifts the sanctions), exposure centred on history
    out[T_SANCTIONS] = 0.0
    if with_sanctions and D[a, D_US_CLIENT] > 0.0 and xi[r, a, XI_PERMIT] == 1:
        out[T_SANCTIONS] = -P[r, P_SANC]
    out[T_CASCADE] = P[r, cascade_k] * (xf[r, a, XF_CASCADE] - P[r, idx[7]])
    # an adversary's declared red line deters the decision to build (zero on the panel: none coded)
    out[T_RED_LINE] = P[r, P_RED] * D[a, D_RED_LINE] if with_sanctions else 0.0
    s = 0.0
    for k in range(N_TERMS):
        s += out[k]
    return s


@nb.njit(inline="always", cache=True, error_model="numpy")
def exposure(r, xf, xi, G, GW):
    """Cascade exposure E_i: weighted share of an actor's regional peers with a programme."""
    n = xf.shape[1]
    for a in range(n):
        num = 0.0
        den = 0.0
        for k in range(G.shape[2]):
            j = G[a, G_NB, k]
            if j < 0:
                break
            w = GW[a, k]
            den += w
            if xi[r, j, XI_STATUS] >= PURSUE:
                num += w
        xf[r, a, XF_CASCADE] = num / den if den > 0.0 else 0.0


@nb.njit(inline="always", cache=True, error_model="numpy")
def time_to_weapon(r, a, year, key, xf, xi, P, D):
    """Unsanctioned years from the decision to a first weapon: the published estimates where
    there are some (the ROK, Japan: breakout_estimates.csv), else the historical lag scaled by
    latency, fuel-cycle access and plutonium; longer for a covert programme; lognormal noise;
    never under ttw.min_years. Sanctions and fuel dependence act on progress (`_programme`)."""
    sd = P[r, P_T_SD]
    if D[a, D_TTW_PUB] > 0.0:
        m = D[a, D_TTW_PUB]
        sd = max(sd, D[a, D_TTW_SD])
    else:
        L = D[a, D_LATENCY]
        m = P[r, P_T_MED] * math.exp(-P[r, P_T_SLOPE] * (L - P[r, P_T_LREF]))
        m *= 1.0 + P[r, P_T_ENR] * (1.0 - D[a, D_ENR])
        if D[a, D_SEP_PU] >= 1.0:
            m *= 1.0 - P[r, P_T_PU]
    if xi[r, a, XI_COVERT] == 1:
        m *= 1.0 + P[r, P_T_COV]
    m *= math.exp(sd * rng.normal(key, year, rng.TTW, a))
    return max(m, P[r, P_T_MIN])


@nb.njit(inline="always", cache=True, error_model="numpy")
def _rupture(r, a, pf, pair_cli):
    """Fall in the client's best credibility over two years (a fast rupture drives covertness)."""
    drop = 0.0
    for p in range(pair_cli.shape[0]):
        if pair_cli[p] == a:
            drop = max(drop, pf[r, p, PF_CRED_LAG2] - pf[r, p, PF_CRED])
    return drop


@nb.njit(inline="always", cache=True, error_model="numpy")
def _withdraw(r, year, a, xi, si, D, ev_year, ev_actor, ev_kind, ev_terms, ev_n):
    if xi[r, a, XI_NPT] == 1:
        xi[r, a, XI_NPT] = 0
        si[r, SI_WITHDRAWALS] += 1
        if D[a, D_KEY_NPT] > 0.0:
            si[r, SI_KEY_WITHDRAWALS] += 1
        record(r, year, a, EV_NPT_WITHDRAW, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)


@nb.njit(inline="always", cache=True, error_model="numpy")
def step(r, year, t, key, xf, xi, pf, sf, si, P, D, G, GW, pair_cli, scr, tv,
         ev_year, ev_actor, ev_kind, ev_terms, ev_n):
    n = xf.shape[1]
    exposure(r, xf, xi, G, GW)
    # onsets are decided on the start-of-year statuses, so actors move simultaneously
    for a in range(n):
        scr[a, B_STATUS0] = xi[r, a, XI_STATUS]
    for a in range(n):
        s = int(scr[a, B_STATUS0])
        if s == ARSENAL or D[a, D_NWS] > 0.0:
            continue
        if s == NONE:
            eta = terms(r, a, P_E, P_CE, False, xf, xi, sf, si, P, D, G, scr, tv)
            if _occurs(rng.uniform(key, year, rng.EXPLORE, a), eta):
                xi[r, a, XI_STATUS] = EXPLORE
                xi[r, a, XI_YEARS] = 0
                xi[r, a, XI_REACHED] = max(xi[r, a, XI_REACHED], EXPLORE)
                record(r, year, a, EV_EXPLORE, ev_year, ev_actor, ev_kind, ev_terms, ev_n, tv)
        elif s == EXPLORE:
            # a credible umbrella makes exploring likelier to stop (Bleek & Lorber 2014)
            eta_rev = P[r, P_REV_E] + P[r, P_REV_U] * xf[r, a, XF_UMBRELLA] / P[r, P_CREF]
            if _occurs(rng.uniform(key, year, rng.REVERSAL, a), eta_rev):
                xi[r, a, XI_STATUS] = NONE
                xi[r, a, XI_YEARS] = 0
                record(r, year, a, EV_ABANDON_EXPLORE, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
                continue
            eta = terms(r, a, P_P, P_CP, True, xf, xi, sf, si, P, D, G, scr, tv)
            if _occurs(rng.uniform(key, year, rng.PURSUE, a), eta):
                xi[r, a, XI_STATUS] = PURSUE
                xi[r, a, XI_YEARS] = 0
                xi[r, a, XI_REACHED] = max(xi[r, a, XI_REACHED], PURSUE)
                xf[r, a, XF_PROGRESS] = 0.0
                xf[r, a, XF_TTW] = -1.0
                # covert pursuit is likelier after a fast rupture (F0:L134-138, C0.35)
                zc = math.log(P[r, P_COV] / (1.0 - P[r, P_COV])) + P[r, P_COV_R] * _rupture(r, a, pf, pair_cli)
                covert = rng.uniform(key, year, rng.COVERT, a) < 1.0 / (1.0 + math.exp(-zc))
                xi[r, a, XI_COVERT] = 1 if covert else 0
                xi[r, a, XI_DETECTED] = 0
                xi[r, a, XI_SANCTIONED] = 0  # set below once the programme is known
                if covert:
                    xi[r, a, XI_EVER_COVERT] = 1
                record(r, year, a, EV_PURSUE, ev_year, ev_actor, ev_kind, ev_terms, ev_n, tv)
        if xi[r, a, XI_STATUS] == PURSUE:
            _programme(r, year, a, key, xf, xi, si, P, D, G, scr, ev_year, ev_actor, ev_kind, ev_terms, ev_n)


@nb.njit(inline="always", cache=True, error_model="numpy")
def new_build_rate(r, a, P, D):
    """Warheads a year a new arsenal adds: arsenal.new_build_rate, more with enrichment."""
    return P[r, P_BUILD] * (1.0 + P[r, P_BUILD_ENR] * D[a, D_ENR])


@nb.njit(inline="always", cache=True, error_model="numpy")
def _programme(r, year, a, key, xf, xi, si, P, D, G, scr, ev_year, ev_actor, ev_kind, ev_terms, ev_n):
    """One year of an active programme: detection, NPT exit, strikes, coercion, progress."""
    if xf[r, a, XF_TTW] < 0.0:
        xf[r, a, XF_TTW] = time_to_weapon(r, a, year, key, xf, xi, P, D)
    if xi[r, a, XI_COVERT] == 1 and xi[r, a, XI_DETECTED] == 0:
        if rng.uniform(key, year, rng.DETECT, a) < P[r, P_DET]:
            xi[r, a, XI_DETECTED] = 1
            record(r, year, a, EV_COVERT_DETECTED, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
    known = is_known(r, a, xi)   # pursuing here: overt or detected
    if known:
        # an overt programme by a party means leaving the NPT (Article X)
        _withdraw(r, year, a, xi, si, D, ev_year, ev_actor, ev_kind, ev_terms, ev_n)
        # sanctioned unless the patron accepts it; an adversary's coercion presses all the same
        xi[r, a, XI_SANCTIONED] = 1 if (D[a, D_US_CLIENT] == 0.0 or xi[r, a, XI_PERMIT] == 0
                                        or xi[r, a, XI_COERCED] == 1) else 0
        armed_rival = False
        for k in range(G.shape[2]):
            j = G[a, G_RIV, k]
            if j < 0:
                break
            if scr[j, B_STATUS0] == ARSENAL:
                armed_rival = True
        # a theatre ally's programme is struck in a war of its theatre (engine/crises.py); elsewhere
        # at a flat yearly rate
        if (armed_rival and D[a, D_THEATRE] == 0.0
                and rng.uniform(key, year, rng.PREVENT, a) < P[r, P_PREV]):
            xi[r, a, XI_STATUS] = EXPLORE
            xi[r, a, XI_YEARS] = 0
            xf[r, a, XF_PROGRESS] = 0.0
            xf[r, a, XF_TTW] = -1.0
            record(r, year, a, EV_PREVENTIVE, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
            return
    # abandonment: a patron's coercion works through dependence (Gerzhoy 2015), relative to the
    # reference credibility the backbone's rate reflects (so it is zero-mean on history)
    eta_ab = P[r, P_REV_P]
    if known and D[a, D_US_CLIENT] > 0.0 and xi[r, a, XI_PERMIT] == 0:
        eta_ab += math.log((1.0 + P[r, P_COERCE] * xf[r, a, XF_UMBRELLA]) / (1.0 + P[r, P_COERCE] * P[r, P_CREF]))
    # its own draw (index offset by the actor count), independent of the explore reversal
    if _occurs(rng.uniform(key, year, rng.REVERSAL, xf.shape[1] + a), eta_ab):
        xi[r, a, XI_STATUS] = NONE
        xi[r, a, XI_YEARS] = 0
        xf[r, a, XF_PROGRESS] = 0.0
        record(r, year, a, EV_ABANDON_PURSUE, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
        return
    # sanctions slow a programme, the more so for a state that imports its reactor fuel (F0:L150)
    fuel = 1.0 + P[r, P_T_FUEL] * D[a, D_ELEC] * (1.0 - D[a, D_ENR])
    slow = 1.0 + P[r, P_T_SANC] * xi[r, a, XI_SANCTIONED] * fuel
    xf[r, a, XF_PROGRESS] += 1.0 / (xf[r, a, XF_TTW] * slow)
    # a first weapon no earlier than ttw.min_years after the decision (years counts from 0 in the
    # onset year): A3, F1:L37
    if xf[r, a, XF_PROGRESS] >= 1.0 and xi[r, a, XI_YEARS] >= P[r, P_T_MIN]:
        xi[r, a, XI_STATUS] = ARSENAL
        xi[r, a, XI_YEARS] = 0
        xi[r, a, XI_REACHED] = ARSENAL
        xf[r, a, XF_WARHEADS] = 1.0
        xf[r, a, XF_BUILD] = new_build_rate(r, a, P, D)
        si[r, SI_NEW_ARSENALS] += 1
        _withdraw(r, year, a, xi, si, D, ev_year, ev_actor, ev_kind, ev_terms, ev_n)
        record(r, year, a, EV_ACQUIRE, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)

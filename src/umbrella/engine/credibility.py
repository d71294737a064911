"""(DESIGN.md §5 item 4; run order in step.py) credibility: each client's belief that its patron is resolute.

Bayes' rule in log-odds form on this year's signals, then a pull toward a structural anchor
(literature §8.4b):
    logit C' = logit C - sum_k lambda_k            lambda_k = log L(o_k|irresolute)/L(o_k|resolute)
    C_next   = (1 - delta) C' + delta A
    A        = sigmoid(a0 + a_tr ln(1 + troops/1000) + a_inst consult + a_share sharing
                       + a_fwd forward + a_adm engaged - a_dec decoupling - a_arms arms)
plus noise sigma z in log-odds. a0 is calibrated per pair so that A equals the start-year
credibility under start conditions: the anchor moves only when its inputs move (a lever that
departs from the data acts as a change in the first year). Only pairs with the USA as patron
receive signals and carry the troops/institution/sharing/forward/admin/decoupling terms; every
pair carries the arms term ln((W_adv + 1)/(W_adv0 + 1)) over its client's nuclear-armed rivals,
each rival's warheads weighted by the share of its theatre nuclear-capable missiles that can
reach the client (geography layer: umbrella.geo.engine_inputs).
A French or British commitment (an informal pair) moves with that patron's own consultation and
forward basing (per-pair schedules SCP: the 2025 offers) and the arms term; it hears no US signal.
Signals about one US client spill over to the other US clients (the interdependence of
commitments); rhetoric aimed at a client is not spilled. A crisis in which the US backed down
is a signal of +lr_crisis for every US client; standing firm, -0.5 lr_crisis (good news is
discounted, literature §1.5). Crises simulated by the crisis layer (engine/crises.py) arrive as
a per-client signal already weighted (the theatre's allies in full, others by the spillover).
A DPRK deal struck without trilateral coordination is a start-year signal of lr_deal times the
client's weight (ROK 1; Japan 1 + deal_mrbm_extra when MRBMs stay uncapped; A9), not spilled. Decoupling is max over
nuclear-armed rivals j of reach_j g_j (1 - exp(-W_j / W_half)), g_j = 1 if one of j's missile classes can reach the US
homeland (CONUS) by the geography layer, else 0."""

import math

import numba as nb

from umbrella import rng
from umbrella.engine import link
from umbrella.engine.known import known
from umbrella.engine.layout import (
    ARSENAL,
    B_CONSULT,
    B_FORWARD,
    B_REACH,
    B_SHARING,
    B_SYSTEM_SIGNAL,
    B_TROOPS,
    D_EXPO_CHN,
    D_EXPO_PRK,
    D_EXPO_RUS,
    D_HOME_REACH,
    D_HOME_REACH0,
    D_IS_CHN,
    D_IS_PRK,
    D_IS_RUS,
    D_SYSTEM,
    ENGAGED,
    EV_US_REASSURANCE,
    EV_US_STATEMENT,
    G_RIV,
    PF_ADV0,
    PF_ANCHOR0,
    PF_CONSULT,
    PF_CRED,
    PF_CRED_LAG1,
    PF_CRED_LAG2,
    PF_FORWARD,
    PF_SIGNAL,
    PURSUE,
    SC_DEAL,
    SC_RHETORIC,
    SG_CRISIS,
    SG_THEATRE,
    SI_ADMIN,
    SP_CONSULT,
    SP_FORWARD,
    XF_CRISIS_SIG,
    XF_TROOPS,
    XF_UMBRELLA,
    XF_WARHEADS,
    XI_CONSULT,
    XI_FORWARD,
    XI_HNS,
    XI_PERMIT,
    XI_SHARING,
    XI_STATUS,
)
from umbrella.engine.log import record
from umbrella.engine.params import INDEX

P_LR_TR = INDEX["cred.lr_troops"]
P_SOFT = INDEX["cred.troops_soft"]
P_LR_HNS = INDEX["cred.lr_hns"]
P_LR_RH = INDEX["cred.lr_rhetoric"]
P_LR_INST = INDEX["cred.lr_institution"]
P_LR_SH = INDEX["cred.lr_sharing"]
P_LR_FWD = INDEX["cred.lr_forward"]
P_LR_CR = INDEX["cred.lr_crisis"]
P_LR_DEAL = INDEX["cred.lr_deal"]
P_DEAL_X = INDEX["cred.deal_mrbm_extra"]
P_SPILL = INDEX["cred.spillover"]
P_FAR = INDEX["cred.spillover_far"]
P_A_REG = INDEX["cred.anchor_region"]
P_A_THEATRE = INDEX["cred.anchor_theatre"]
P_LR_PCO = INDEX["cred.lr_patron_coercion"]
P_REASSURE = INDEX["politics.reassure_rate"]
P_PULL = INDEX["cred.anchor_pull"]
P_A_TR = INDEX["cred.anchor_troops"]
P_A_INST = INDEX["cred.anchor_institution"]
P_A_SH = INDEX["cred.anchor_sharing"]
P_A_FWD = INDEX["cred.anchor_forward"]
P_A_ADM = INDEX["cred.anchor_admin"]
P_A_DEC = INDEX["cred.anchor_decoupling"]
P_A_ARMS = INDEX["cred.anchor_arms"]
P_R_PRK = INDEX["cred.reach_PRK"]
P_R_CHN = INDEX["cred.reach_CHN"]
P_R_RUS = INDEX["cred.reach_RUS"]
P_HALF = INDEX["cred.decoupling_half"]
P_NOISE = INDEX["cred.noise_sd"]
P_AFRH = INDEX["politics.af_rhetoric_rate"]
P_INFORMAL = INDEX["prolif.informal_weight"]

US = 0  # USA is always actor 0 (enforced when actors are resolved)
GOOD_NEWS = 0.5  # good news is discounted against bad news of the same kind (literature §1.5)


@nb.njit(inline="always", cache=True, error_model="numpy")
def _logit(p):
    return link.logit(p, link.EPS_CRED)


_sigmoid = link.sigmoid


@nb.njit(inline="always", cache=True, error_model="numpy")
def theatre_weight(c, j, D):
    """How much of armed rival j's theatre nuclear-capable missile force can reach client c
    (geography layer, umbrella.geo; 1 for rivals without bundled missile data)."""
    if D[j, D_IS_CHN] > 0.0:
        return D[c, D_EXPO_CHN]
    if D[j, D_IS_PRK] > 0.0:
        return D[c, D_EXPO_PRK]
    if D[j, D_IS_RUS] > 0.0:
        return D[c, D_EXPO_RUS]
    return 1.0


@nb.njit(inline="always", cache=True, error_model="numpy")
def adversary_warheads(r, c, xf, xi, D, G):
    """Armed rivals' warheads, each weighted by how much of its theatre force reaches c."""
    s = 0.0
    for k in range(G.shape[2]):
        j = G[c, G_RIV, k]
        if j < 0:
            break
        if xi[r, j, XI_STATUS] == ARSENAL:
            s += theatre_weight(c, j, D) * xf[r, j, XF_WARHEADS]
    return s


@nb.njit(inline="always", cache=True, error_model="numpy")
def reach(r, xf, xi, P, D, scr, g_col=D_HOME_REACH):
    """Each armed actor's reach against the patron's homeland this year, in [0, 1]: a
    per-adversary maximum times the saturation 1 - exp(-W / W_half) (computed once per actor,
    then shared by every client that faces it)."""
    for j in range(xf.shape[1]):
        scr[j, B_REACH] = 0.0
        if xi[r, j, XI_STATUS] != ARSENAL:
            continue
        m = 0.0
        if D[j, D_IS_PRK] > 0.0:
            m = P[r, P_R_PRK]
        elif D[j, D_IS_CHN] > 0.0:
            m = P[r, P_R_CHN]
        elif D[j, D_IS_RUS] > 0.0:
            m = P[r, P_R_RUS]
        # geography: none of j's missile classes reaches the US homeland -> no decoupling
        m *= D[j, g_col]
        if m > 0.0:
            scr[j, B_REACH] = m * (1.0 - math.exp(-xf[r, j, XF_WARHEADS] / P[r, P_HALF]))


@nb.njit(inline="always", cache=True, error_model="numpy")
def decoupling(c, G, scr):
    """The patron's homeland exposure to the client's nuclear-armed rivals, in [0, 1]."""
    out = 0.0
    for k in range(G.shape[2]):
        j = G[c, G_RIV, k]
        if j < 0:
            break
        out = max(out, scr[j, B_REACH])
    return out


@nb.njit(inline="always", cache=True, error_model="numpy")
def region_troops(c, xf, D, pair_pat, pair_cli, r):
    """US troops hosted by the other US clients of c's alliance system (D_SYSTEM)."""
    s = 0.0
    for q in range(pair_pat.shape[0]):
        d = pair_cli[q]
        if pair_pat[q] == US and d != c and D[d, D_SYSTEM] == D[c, D_SYSTEM]:
            s += xf[r, d, XF_TROOPS]
    return s


@nb.njit(inline="always", cache=True, error_model="numpy")
def anchor_features(r, pat, c, p, xf, xi, si, pf, P, D, G, scr, pair_pat, pair_cli, theatre):
    """The structural part of the anchor's linear predictor (without the intercept a0)."""
    x = 0.0
    if pat == US:
        x += P[r, P_A_TR] * math.log1p(xf[r, c, XF_TROOPS] / 1000.0)
        # US forces with the other allies of the client's alliance system: the forward line the
        # client sees (US forces in Korea count for Japan: F1:L26)
        x += P[r, P_A_TR] * P[r, P_A_REG] * math.log1p(region_troops(c, xf, D, pair_pat, pair_cli, r) / 1000.0)
        x += P[r, P_A_INST] * xi[r, c, XI_CONSULT]
        x += P[r, P_A_SH] * xi[r, c, XI_SHARING]
        x += P[r, P_A_FWD] * xi[r, c, XI_FORWARD]
        if si[r, SI_ADMIN] == ENGAGED:
            x += P[r, P_A_ADM]
        x -= P[r, P_A_DEC] * decoupling(c, G, scr)
        x += P[r, P_A_THEATRE] * theatre
    else:
        # a French or British commitment: its own consultation and forward basing (SCP shocks)
        x += P[r, P_A_INST] * pf[r, p, PF_CONSULT] + P[r, P_A_FWD] * pf[r, p, PF_FORWARD]
    adv = adversary_warheads(r, c, xf, xi, D, G)
    x -= P[r, P_A_ARMS] * math.log((adv + 1.0) / (pf[r, p, PF_ADV0] + 1.0))
    return x


@nb.njit(inline="always", cache=True, error_model="numpy")
def calibrate(r, xf, xi, si, pf, P, D, G, pair_pat, pair_cli, scr):
    """Set each pair's anchor intercept so that the anchor equals the start credibility."""
    reach(r, xf, xi, P, D, scr, D_HOME_REACH0)  # the data's reach: a lever departs from it
    for p in range(pair_pat.shape[0]):
        c = pair_cli[p]
        pf[r, p, PF_ADV0] = adversary_warheads(r, c, xf, xi, D, G)
        # the data's US theatre forces (medium): a lever that departs from them acts from the first year
        f = anchor_features(r, pair_pat[p], c, p, xf, xi, si, pf, P, D, G, scr, pair_pat, pair_cli, 0.0)
        pf[r, p, PF_ANCHOR0] = _logit(pf[r, p, PF_CRED]) - f
        pf[r, p, PF_CRED_LAG1] = pf[r, p, PF_CRED]
        pf[r, p, PF_CRED_LAG2] = pf[r, p, PF_CRED]


@nb.njit(inline="always", cache=True, error_model="numpy")
def _own_signal(r, t, c, xf, xi, P, SCH, scr):
    """Log-likelihood ratio of the signals about client c itself (bad news > 0)."""
    lam = 0.0
    if xf[r, c, XF_TROOPS] != scr[c, B_TROOPS]:
        s = P[r, P_SOFT]
        lam -= P[r, P_LR_TR] * math.log((xf[r, c, XF_TROOPS] + s) / (scr[c, B_TROOPS] + s))
    if xi[r, c, XI_HNS] == 1:
        lam += P[r, P_LR_HNS]
    lam -= P[r, P_LR_INST] * (xi[r, c, XI_CONSULT] - scr[c, B_CONSULT])
    lam -= P[r, P_LR_SH] * (xi[r, c, XI_SHARING] - scr[c, B_SHARING])
    lam -= P[r, P_LR_FWD] * (xi[r, c, XI_FORWARD] - scr[c, B_FORWARD])
    return lam


@nb.njit(inline="always", cache=True, error_model="numpy")
def step(r, year, t, key, xf, xi, si, pf, P, D, G, SCH, SCG, SCP, scr, pair_pat, pair_cli,
         pair_kind, ev_year, ev_actor, ev_kind, ev_terms, ev_n):
    n_pairs = pair_pat.shape[0]
    theatre = SCG[t, SG_THEATRE]   # US theatre nuclear forces against the data's (levers.us_theater_nuclear)
    reach(r, xf, xi, P, D, scr)
    # the administration's yearly word to every US client (one draw): an America-first statement
    # read as doubt, or an engaged administration's reaffirmation (good news, discounted)
    u_word = rng.uniform(key, year, rng.SIGNAL, 0)
    af_statement = si[r, SI_ADMIN] != ENGAGED and u_word < P[r, P_AFRH]
    reassurance = si[r, SI_ADMIN] == ENGAGED and u_word < P[r, P_REASSURE]
    if af_statement:
        record(r, year, -1, EV_US_STATEMENT, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
    if reassurance:
        record(r, year, -1, EV_US_REASSURANCE, ev_year, ev_actor, ev_kind, ev_terms, ev_n, None)
    # signals about each US client, and their sums (heard by the other clients as spillover):
    # in all, and per alliance system (scratch rows indexed by the system id)
    us_total = 0.0
    for a in range(scr.shape[0]):
        scr[a, B_SYSTEM_SIGNAL] = 0.0
    for p in range(n_pairs):
        if pair_pat[p] == US:
            pf[r, p, PF_SIGNAL] = _own_signal(r, t, pair_cli[p], xf, xi, P, SCH, scr)
            us_total += pf[r, p, PF_SIGNAL]
            scr[int(D[pair_cli[p], D_SYSTEM]), B_SYSTEM_SIGNAL] += pf[r, p, PF_SIGNAL]
    for p in range(n_pairs):
        pat = pair_pat[p]
        c = pair_cli[p]
        lam = 0.0
        if pat == US:
            own = pf[r, p, PF_SIGNAL]
            # spillover: in full within the client's alliance system, less across systems
            same = scr[int(D[c, D_SYSTEM]), B_SYSTEM_SIGNAL]
            lam += own + P[r, P_SPILL] * ((same - own) + P[r, P_FAR] * (us_total - same))
            lam -= P[r, P_LR_RH] * SCH[t, c, SC_RHETORIC]
            if af_statement:
                lam += P[r, P_LR_RH]
            if reassurance:
                lam -= GOOD_NEWS * P[r, P_LR_RH]
            crisis = SCG[t, SG_CRISIS]
            if not math.isnan(crisis):
                lam += P[r, P_LR_CR] if crisis < 0.0 else -GOOD_NEWS * P[r, P_LR_CR]
            # last year's simulated crises (already weighted: own theatre vs spillover)
            lam += xf[r, c, XF_CRISIS_SIG]
            deal = SCH[t, c, SC_DEAL]
            if not math.isnan(deal):
                lam += P[r, P_LR_DEAL] * (1.0 + P[r, P_DEAL_X] * (deal - 1.0))
            if t == 0:   # US theatre forces that depart from the data: a first-year signal
                lam -= P[r, P_LR_FWD] * theatre
            # the patron presses a client whose unpermitted programme it knows: threats of
            # abandonment and aid cut-off (Gerzhoy 2015; F1:L40), bad news for that client only
            if xi[r, c, XI_STATUS] == PURSUE and xi[r, c, XI_PERMIT] == 0 and known(r, c, xi):
                lam += P[r, P_LR_PCO]
        elif SCP.shape[0] > 0:
            # a non-US patron's scheduled arrangements: good news by the step, like the US's
            v = SCP[t, p, SP_CONSULT]
            if not math.isnan(v):
                lam -= P[r, P_LR_INST] * (v - pf[r, p, PF_CONSULT])
                pf[r, p, PF_CONSULT] = v
            v = SCP[t, p, SP_FORWARD]
            if not math.isnan(v):
                lam -= P[r, P_LR_FWD] * (v - pf[r, p, PF_FORWARD])
                pf[r, p, PF_FORWARD] = v
        pf[r, p, PF_SIGNAL] = lam
        z = _logit(pf[r, p, PF_CRED]) - lam + P[r, P_NOISE] * rng.normal(key, year, rng.SIGNAL, 1 + p)
        a = _sigmoid(pf[r, p, PF_ANCHOR0] + anchor_features(r, pat, c, p, xf, xi, si, pf, P, D, G, scr,
                                                            pair_pat, pair_cli, theatre))
        d = P[r, P_PULL]
        pf[r, p, PF_CRED_LAG2] = pf[r, p, PF_CRED_LAG1]
        pf[r, p, PF_CRED_LAG1] = pf[r, p, PF_CRED]
        pf[r, p, PF_CRED] = (1.0 - d) * _sigmoid(z) + d * a
    for a in range(xf.shape[1]):
        xf[r, a, XF_CRISIS_SIG] = 0.0   # heard once
    umbrella(r, xf, pf, P, pair_cli, pair_kind)


@nb.njit(inline="always", cache=True, error_model="numpy")
def umbrella(r, xf, pf, P, pair_cli, pair_kind):
    """Each client's umbrella: the best of its patrons' credibility, informal ties discounted."""
    for a in range(xf.shape[1]):
        xf[r, a, XF_UMBRELLA] = 0.0
    for p in range(pair_cli.shape[0]):
        w = 1.0 if pair_kind[p] == 1 else P[r, P_INFORMAL]
        c = pair_cli[p]
        xf[r, c, XF_UMBRELLA] = max(xf[r, c, XF_UMBRELLA], w * pf[r, p, PF_CRED])

"""The year: the order of mechanisms, written in this one place (DESIGN.md §5).

    politics & events -> economy -> arsenals -> credibility -> opinion -> proliferation
    -> NPT regime -> alignment -> crises and escalation (engine/crises.py, run between the
                                  kernel's years: its outcomes are next year's signals)

Scheduled shocks fire first so that the year's mechanisms see them. `simulate` runs a batch of
runs in parallel; each run draws only from its own counter-based stream, keyed by its global
index (or its replicate index in an explicit design), so the batch split and the thread count do not change any result.
"""

import math

import numba as nb
import numpy as np

from umbrella import rng
from umbrella.engine import (
    alignment,
    arsenals,
    credibility,
    economy,
    npt,
    opinion,
    politics,
    proliferation,
)
from umbrella.engine.layout import (
    D_ALIGNER,
    D_POLLED,
    N_B,
    N_TERMS,
    PF_CRED,
    SF_NPT,
    SF_ORDER,
    SF_PRK_FISSILE,
    SF_PRK_FISSILE_RATE,
    SI_ADMIN,
    SI_CAMP,
    SI_COLLAPSED,
    SI_KEY_WITHDRAWALS,
    SI_NEW_ARSENALS,
    SI_WITHDRAWALS,
    XF_BUILD,
    XF_LOGIT_UMB0,
    XF_OPINION,
    XF_PROGRESS,
    XF_UMB0,
    XF_UMBRELLA,
    XF_WARHEADS,
    XI_EVER_COVERT,
    XI_POSTURE,
    XI_REACHED,
    XI_STATUS,
    XI_YEARS,
)
from umbrella.engine.params import INDEX

P_F2020 = INDEX["arsenal.prk_fissile_2020"]
P_FRATE = INDEX["arsenal.prk_fissile_rate"]
P_NPT0 = INDEX["npt.start"]


@nb.njit(inline="always", cache=True, error_model="numpy")
def start_run(r, key, start_year, xf, xi, pf, sf, si, P, D, G, pair_pat, pair_cli, scr):
    """Per-run initial values that depend on the run's parameters."""
    # DPRK weapons-equivalent fissile capacity on the RAND/Asan path, at the year before start
    sf[r, SF_PRK_FISSILE_RATE] = P[r, P_FRATE]
    sf[r, SF_PRK_FISSILE] = P[r, P_F2020] + P[r, P_FRATE] * (start_year - 1 - 2020)
    sf[r, SF_NPT] = P[r, P_NPT0]
    for a in range(xf.shape[1]):
        if xi[r, a, XI_STATUS] == 2:
            # an ongoing programme's progress is unknown: uniform on [0, 0.5)
            xf[r, a, XF_PROGRESS] = 0.5 * rng.uniform(key, start_year, rng.PROGRESS, a)
        elif xi[r, a, XI_STATUS] == 3 and xf[r, a, XF_WARHEADS] < 1.0:
            # armed by the `status` lever without recorded warheads: a new arsenal, acquired
            # at the start, built up like one acquired in the run (proliferation.py)
            xf[r, a, XF_WARHEADS] = 1.0
            xf[r, a, XF_BUILD] = proliferation.new_build_rate(r, a, P, D)
            xi[r, a, XI_YEARS] = 0
    credibility.calibrate(r, xf, xi, si, pf, P, D, G, pair_pat, pair_cli, scr)


@nb.njit(inline="always", cache=True, error_model="numpy")
def year_step(r, year, t, key, xf, xi, pf, sf, si, P, D, G, GW, SCH, SCG, SCP, scr, tv,
              pair_pat, pair_cli, pair_kind, align_idx, ev_year, ev_actor, ev_kind,
              ev_terms, ev_n):
    """One year of one run. `scr` (actor x N_B) and `tv` (N_TERMS) are the run's scratch."""
    n = xf.shape[1]
    for a in range(n):
        xi[r, a, XI_YEARS] += 1
    si[r, SI_NEW_ARSENALS] = 0
    si[r, SI_WITHDRAWALS] = 0
    si[r, SI_KEY_WITHDRAWALS] = 0
    politics.step(r, year, t, key, xf, xi, si, P, D, G, SCH, SCG, scr,
                  ev_year, ev_actor, ev_kind, ev_terms, ev_n)
    economy.step(r, year, t, key, xf, xi, P, D, G, SCH)
    arsenals.step(r, year, t, key, xf, xi, sf, P, D, G, SCH, scr)
    credibility.step(r, year, t, key, xf, xi, si, pf, P, D, G, SCH, SCG, SCP, scr,
                     pair_pat, pair_cli, pair_kind, ev_year, ev_actor, ev_kind, ev_terms, ev_n)
    opinion.step(r, year, t, key, xf, xi, si, P, D, G, SCG)
    proliferation.step(r, year, t, key, xf, xi, pf, sf, si, P, D, G, GW, pair_cli, scr, tv,
                       ev_year, ev_actor, ev_kind, ev_terms, ev_n)
    npt.step(r, year, t, key, xi, sf, si, P, D, SCG, ev_year, ev_actor, ev_kind, ev_terms, ev_n)
    alignment.step(r, year, t, key, xf, xi, sf, si, P, D, align_idx)


@nb.njit(parallel=True, cache=True, error_model="numpy")
def simulate(seed, runs, start_year, t0, t1, s, x, out, log):
    """Years t0 .. t1-1 of a batch of runs (t0 = 0 starts the runs): `runs` the global run index
    of each row (its random-number key; an explicit design repeats them, so that every design
    point replays the same random numbers), s the state (arrays.State,
    updated in place), x the static inputs (arrays.Static), out the outputs (arrays.Out), log
    the event log (arrays.Log). The state carries everything from one call to the next, so the
    year range can be split (the crisis layer runs between years, engine/crises.py) without
    changing a result."""
    # unpacked before the parallel loop: numba (0.68) loses writes through a namedtuple's arrays
    # inside a prange body, and a function call per run instead costs about 40 % of the speed
    xf, xi, pf, sf, si = s.xf, s.xi, s.pf, s.sf, s.si
    P, D, G, GW, SCH, SCG, SCP = x.P, x.D, x.G, x.GW, x.SCH, x.SCG, x.SCP
    pair_pat, pair_cli, pair_kind = x.pair_pat, x.pair_cli, x.pair_kind
    align_idx = x.align_idx
    out_status, out_reached, out_covert, out_w = out.status, out.reached, out.covert, out.warheads
    out_op, out_posture, out_cred, out_npt = out.opinion, out.posture, out.credibility, out.npt_strength
    out_collapsed, out_admin, out_camp, out_order = out.npt_collapsed, out.us_admin, out.rok_camp, out.order
    ev_year, ev_actor, ev_kind, ev_terms, ev_n = log.year, log.actor, log.kind, log.terms, log.n
    # each run is independent: its own counter-based random numbers and its own rows
    for r in nb.prange(xf.shape[0]):
        n = xf.shape[1]
        key = rng.run_key(seed, runs[r])
        scr = np.zeros((n, N_B))  # scratch: every slot is rewritten in the year that reads it
        tv = np.zeros(N_TERMS)
        if t0 == 0:
            start_run(r, key, start_year, xf, xi, pf, sf, si, P, D, G, pair_pat, pair_cli, scr)
            credibility.umbrella(r, xf, pf, P, pair_cli, pair_kind)
            for a in range(n):
                xf[r, a, XF_UMB0] = xf[r, a, XF_UMBRELLA]
                xf[r, a, XF_LOGIT_UMB0] = opinion.logit(xf[r, a, XF_UMBRELLA])
        for t in range(t0, t1):
            year = start_year + t
            year_step(r, year, t, key, xf, xi, pf, sf, si, P, D, G, GW, SCH, SCG, SCP, scr, tv,
                      pair_pat, pair_cli, pair_kind, align_idx,
                      ev_year, ev_actor, ev_kind, ev_terms, ev_n)
            for a in range(n):
                out_status[r, t, a] = xi[r, a, XI_STATUS]
                out_reached[r, t, a] = xi[r, a, XI_REACHED]
                out_covert[r, t, a] = xi[r, a, XI_EVER_COVERT]
                out_w[r, t, a] = xf[r, a, XF_WARHEADS]
                if D[a, D_POLLED] > 0.0:
                    out_op[r, t, a] = 1.0 / (1.0 + math.exp(-xf[r, a, XF_OPINION]))
                else:
                    out_op[r, t, a] = np.nan
                out_posture[r, t, a] = xi[r, a, XI_POSTURE] if D[a, D_ALIGNER] > 0.0 else -1
            for p in range(pair_pat.shape[0]):
                out_cred[r, t, p] = pf[r, p, PF_CRED]
            out_npt[r, t] = sf[r, SF_NPT]
            out_collapsed[r, t] = si[r, SI_COLLAPSED]
            out_admin[r, t] = si[r, SI_ADMIN]
            out_camp[r, t] = si[r, SI_CAMP]
            out_order[r, t] = sf[r, SF_ORDER]

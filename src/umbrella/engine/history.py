"""Historical mode: the engine's proliferation mechanism over the whole historical panel, with the
panel's covariates as exogenous paths (literature §8.5 step 4; docs/model.md §10).

Every state of the panel is an actor. Each year, before the runs step in parallel, the shared
static data take that year's values: latency, regional and major power, presence (a state not
in the panel that year cannot move, through the nuclear-weapon-state flag the step already
skips), and the rival lists: the panel's rival-programme indicator has no rival's identity, so a
state with r_nukep = 1 gets one placeholder rival (the last actor) whose programme is always
on. Major powers' statuses follow the record (the backbone is fitted without them). Per run, conventional threat, the
umbrella (pact x prolif.cred_ref, so the pact enters at
its estimated strength) and NPT membership are set; a state that left the NPT in the run stays
out. Cascade exposure is endogenous: neighbours are the other states of the same region, so
simulated programmes spread through the same term as in the forward engine. Credibility,
economy, opinion and the NPT regime are not simulated (regime strength stays at npt.ref)."""

import numba as nb
import numpy as np

from umbrella import rng
from umbrella.engine import proliferation
from umbrella.engine.layout import (
    D_LATENCY,
    D_MAJOR,
    D_NWS,
    D_REGIONAL,
    G_RIV,
    N_B,
    N_TERMS,
    PURSUE,
    SF_NPT,
    XF_PROGRESS,
    XF_THREAT,
    XF_UMBRELLA,
    XI_NPT,
    XI_REACHED,
    XI_STATUS,
    XI_YEARS,
)
from umbrella.engine.params import INDEX

# exogenous covariates, X[year, actor, k]
X_LATENCY, X_THREAT, X_RIVAL, X_PACT, X_NPT, X_REGIONAL, X_MAJOR, X_PRESENT = range(8)
N_X = 8
P_CREF = INDEX["prolif.cred_ref"]
P_NREF = INDEX["npt.ref"]


@nb.njit(parallel=True, cache=True, error_model="numpy")
def simulate(seed, run0, start_year, X, obs, s, x, out_status, log):
    """The panel's years for a batch of runs: s the state (arrays.State), x the static inputs
    (arrays.Static; D and G are rewritten each year from X), log the event log (arrays.Log)."""
    # unpacked before the parallel loop: numba loses writes through a namedtuple's arrays inside
    # a prange body (engine/step.py)
    xf, xi, pf, sf, si = s.xf, s.xi, s.pf, s.sf, s.si
    P, D, G, GW, pair_cli = x.P, x.D, x.G, x.GW, x.pair_cli
    ev_year, ev_actor, ev_kind, ev_terms, ev_n = log.year, log.actor, log.kind, log.terms, log.n
    R, A = xf.shape[0], xf.shape[1]
    phantom = A - 1
    withdrawn = np.zeros((R, A), np.bool_)
    scr = np.zeros((R, A, N_B))
    tv = np.zeros((R, N_TERMS))
    for r in range(R):
        sf[r, SF_NPT] = P[r, P_NREF]
        key = rng.run_key(seed, run0 + r)
        for a in range(A - 1):
            if xi[r, a, XI_STATUS] == PURSUE:
                # an ongoing programme's progress is unknown: uniform on [0, 0.5), as in step.start_run
                xf[r, a, XF_PROGRESS] = 0.5 * rng.uniform(key, start_year, rng.PROGRESS, a)
    for t in range(X.shape[0]):
        year = start_year + t
        # shared per-year data, set before the runs of this year start
        for a in range(phantom):
            D[a, D_LATENCY] = X[t, a, X_LATENCY]
            D[a, D_REGIONAL] = X[t, a, X_REGIONAL]
            D[a, D_MAJOR] = X[t, a, X_MAJOR]
            # absent states and major powers (the record, see calibrate.backbone) do not move
            D[a, D_NWS] = 0.0 if (X[t, a, X_PRESENT] > 0.0 and X[t, a, X_MAJOR] == 0.0) else 1.0
            G[a, G_RIV, 0] = phantom if X[t, a, X_RIVAL] > 0.0 else -1
        for r in nb.prange(R):
            key = rng.run_key(seed, run0 + r)
            for a in range(phantom):
                xi[r, a, XI_YEARS] += 1
                xf[r, a, XF_THREAT] = X[t, a, X_THREAT]
                xf[r, a, XF_UMBRELLA] = X[t, a, X_PACT] * P[r, P_CREF]
                xi[r, a, XI_NPT] = 1 if (X[t, a, X_NPT] > 0.0 and not withdrawn[r, a]) else 0
                if X[t, a, X_MAJOR] > 0.0 and obs[t, a] >= 0 and xi[r, a, XI_STATUS] != obs[t, a]:
                    xi[r, a, XI_STATUS] = obs[t, a]
                    xi[r, a, XI_YEARS] = 0
                    if obs[t, a] > xi[r, a, XI_REACHED]:
                        xi[r, a, XI_REACHED] = obs[t, a]
            proliferation.step(r, year, t, key, xf, xi, pf, sf, si, P, D, G, GW, pair_cli, scr[r], tv[r],
                               ev_year, ev_actor, ev_kind, ev_terms, ev_n)
            for a in range(A):
                if X[t, a, X_NPT] > 0.0 and xi[r, a, XI_NPT] == 0 and a < phantom:
                    withdrawn[r, a] = True
                out_status[r, t, a] = xi[r, a, XI_STATUS]

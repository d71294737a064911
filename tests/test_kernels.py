"""Known-answer tests of single engine kernels against docs/model.md (§5.0-§5.8).

Each test starts from the status-quo-2025 inputs (one run), overwrites the slots the mechanism
reads with values chosen here, calls ONE mechanism once through a small non-parallel numba
wrapper, and compares the result with the value computed in this file, in plain Python, from
the equation as printed in docs/model.md (never by calling the engine's own helpers). Float64
state is compared at 1e-9, integers exactly; the event log stores hazard terms as float32 and
is compared at float32 precision.

Noise s.d.s are 0 unless a test says otherwise. Where a draw decides an outcome, the test
recomputes the uniform with `umbrella.rng` following the stream table of model.md §3, and sets
the parameter relative to that draw so that the outcome is known and would change if the
stream, index, coefficient or sign were wrong. Parameter values are deliberately away from the
consensus and from each other, so a swapped or mis-signed coefficient changes the answer.

Note on draws from Python: a run key is an unsigned 64-bit integer, but numba types a Python
int below 2**63 as int64, and `int64 + uint64` then promotes to float64 inside `rng._hash`, so
`rng.uniform(rng.run_key(seed, run), ...)` called from Python with a raw Python int can differ
from the kernel's draw. The key is therefore always passed as `np.uint64`.
"""

from __future__ import annotations

import functools
import math

import numba as nb
import numpy as np
import pytest

from umbrella import rng
from umbrella.engine import (
    alignment,
    arsenals,
    credibility,
    economy,
    init,
    npt,
    opinion,
    params,
    politics,
    proliferation,
)
from umbrella.engine import layout as L
from umbrella.engine.arrays import Log
from umbrella.engine.step import start_run
from umbrella.scenario import load_scenario, load_world

SEED = 20250101          # status-quo-2025's seed
RUN = 0
KEY = np.uint64(rng.run_key(SEED, RUN))
YEAR, T = 2026, 1        # the simulated year used by most tests (t = year - 2025)
TOL = 1e-9
F32 = 2.0 ** -23         # relative precision of the float32 event-log terms

NOISE = {"econ.growth_sd": 0.0, "econ.burden_sd": 0.0, "arsenal.noise_sd": 0.0,
         "cred.noise_sd": 0.0, "opinion.noise_sd": 0.0, "ttw.sd": 0.0}


# --------------------------------------------------------------------------- wrappers
# one small non-parallel wrapper per mechanism, run index 0; cached on disk: the mechanisms are
# inlined, so tests/conftest.py drops this cache whenever the engine's own cache is rebuilt

@nb.njit(cache=True)
def _start(key, start_year, xf, xi, pf, sf, si, P, D, G, pp, pc, scr):
    start_run(0, key, start_year, xf, xi, pf, sf, si, P, D, G, pp, pc, scr)


@nb.njit(cache=True)
def _politics(year, t, key, xf, xi, si, P, D, G, SCH, SCG, scr, log):
    politics.step(0, year, t, key, xf, xi, si, P, D, G, SCH, SCG, scr,
                  log.year, log.actor, log.kind, log.terms, log.n)


@nb.njit(cache=True)
def _economy(year, t, key, xf, xi, P, D, G, SCH):
    economy.step(0, year, t, key, xf, xi, P, D, G, SCH)


@nb.njit(cache=True)
def _arsenals(year, t, key, xf, xi, sf, P, D, G, SCH, scr):
    arsenals.step(0, year, t, key, xf, xi, sf, P, D, G, SCH, scr)


@nb.njit(cache=True)
def _credibility(year, t, key, xf, xi, si, pf, P, D, G, SCH, SCG, SCP, scr, pp, pc, pk, log):
    credibility.step(0, year, t, key, xf, xi, si, pf, P, D, G, SCH, SCG, SCP, scr, pp, pc, pk,
                     log.year, log.actor, log.kind, log.terms, log.n)


@nb.njit(cache=True)
def _opinion(year, t, key, xf, xi, si, P, D, G, SCG):
    opinion.step(0, year, t, key, xf, xi, si, P, D, G, SCG)


@nb.njit(cache=True)
def _proliferation(year, t, key, xf, xi, pf, sf, si, P, D, G, GW, pc, scr, tv, log):
    proliferation.step(0, year, t, key, xf, xi, pf, sf, si, P, D, G, GW, pc, scr, tv,
                       log.year, log.actor, log.kind, log.terms, log.n)


@nb.njit(cache=True)
def _npt(year, t, key, xi, sf, si, P, D, SCG, log):
    npt.step(0, year, t, key, xi, sf, si, P, D, SCG, log.year, log.actor, log.kind, log.terms, log.n)


@nb.njit(cache=True)
def _alignment(year, t, key, xf, xi, sf, si, P, D, align_idx):
    alignment.step(0, year, t, key, xf, xi, sf, si, P, D, align_idx)


# --------------------------------------------------------------------------- helpers

@functools.cache
def _inputs():
    sc = load_scenario("status-quo-2025", fields={"runs": 1})
    world = load_world("consensus")
    inp = init.build(sc, world)
    P = params.sample(world, {}, SEED, RUN, 1)
    return inp, world, P


def u(year, stream, index):
    """The kernel's uniform u(key, year, stream, index) for this run (model.md §3)."""
    return float(rng.uniform_grid(SEED, [RUN], [year], stream, [index])[0, 0, 0])


def z(year, stream, index):
    """The kernel's standard normal z(key, year, stream, index) for this run (model.md §3)."""
    return float(rng.normal(KEY, year, stream, index))


def sig(x):
    return 1.0 / (1.0 + math.exp(-x))


def logit(p, eps):
    p = min(max(p, eps), 1.0 - eps)
    return math.log(p / (1.0 - p))


def cloglog(eta):
    return 1.0 - math.exp(-math.exp(eta))


class Run:
    """One run's arrays with the run axis first, freshly copied from the status-quo inputs."""

    def __init__(self):
        inp, world, P = _inputs()
        self.inp, self.world = inp, world
        self.actors = inp.actors
        self.ix = {a: i for i, a in enumerate(inp.actors)}
        self.n = len(inp.actors)
        self.xf = inp.xf0[None].copy()
        self.xi = inp.xi0[None].copy()
        self.pf = inp.pf0[None].copy()
        self.sf = inp.sf0[None].copy()
        self.si = inp.si0[None].copy()
        self.P = P.copy()
        self.D = inp.D.copy()
        self.G, self.GW = inp.G, inp.GW
        self.RIV, self.NB = inp.RIV, inp.NB
        self.SCH = inp.SCH.copy()
        self.SCG = inp.SCG.copy()
        self.SCP = inp.SCP.copy()
        self.pp, self.pc, self.pk = inp.pair_pat, inp.pair_cli, inp.pair_kind
        self.scr = np.zeros((self.n, L.N_B))
        self.tv = np.zeros(L.N_TERMS)
        self.log = Log(np.zeros((1, L.MAX_EVENTS), np.int16), np.zeros((1, L.MAX_EVENTS), np.int8),
                       np.zeros((1, L.MAX_EVENTS), np.int8),
                       np.zeros((1, L.MAX_EVENTS, L.N_TERMS), np.float32), np.zeros(1, np.int32))
        self.set(NOISE)

    def snapshot(self):
        """A copy of the state arrays (parameters, data and schedules shared)."""
        out = object.__new__(Run)
        out.__dict__.update(self.__dict__)
        out.xf, out.xi, out.pf = self.xf.copy(), self.xi.copy(), self.pf.copy()
        out.sf, out.si = self.sf.copy(), self.si.copy()
        return out

    def set(self, values):
        for name, v in values.items():
            self.P[0, params.INDEX[name]] = v

    def p(self, name):
        return float(self.P[0, params.INDEX[name]])

    def put(self, i, **state):
        """One actor's state by field name: put(i, status=2, covert=0, ttw=4.0) sets XI_STATUS,
        XI_COVERT and XF_TTW (the integer and float fields' names do not overlap)."""
        for name, v in state.items():
            key = name.upper()
            if hasattr(L, "XI_" + key):
                self.xi[0, i, getattr(L, "XI_" + key)] = v
            else:
                self.xf[0, i, getattr(L, "XF_" + key)] = v

    def __getitem__(self, code):
        return self.ix[code]

    def events(self):
        k = int(self.log.n[0])
        return [(int(self.log.year[0, e]), int(self.log.actor[0, e]), int(self.log.kind[0, e]))
                for e in range(min(k, L.MAX_EVENTS))]

    def rivals(self, i):
        return [j for j in range(self.n) if self.RIV[i, j] > 0 and j != i]


ANCHOR = {"cred.anchor_troops": 0.37, "cred.anchor_institution": 0.23, "cred.anchor_sharing": 0.17,
          "cred.anchor_forward": 0.29, "cred.anchor_admin": 0.61, "cred.anchor_decoupling": 1.3,
          "cred.anchor_arms": 0.41, "cred.reach_PRK": 0.73, "cred.reach_CHN": 0.93,
          "cred.reach_RUS": 0.97, "cred.decoupling_half": 43.0}


def _theatre_weight(k, c, j):
    """e_cj of model.md §5.4 (D_EXPO_* of the client for China, the DPRK, Russia; 1 otherwise)."""
    code = k.actors[j]
    col = {"CHN": L.D_EXPO_CHN, "PRK": L.D_EXPO_PRK, "RUS": L.D_EXPO_RUS}.get(code)
    return 1.0 if col is None else float(k.D[c, col])


def _anchor_f(k, pat, c, p, g_col, theatre=0.0):
    """f_p of model.md §5.4 from the run's current state, written from the document."""
    reach = np.zeros(k.n)
    for j in range(k.n):
        if k.xi[0, j, L.XI_STATUS] == 3:
            m = {"PRK": k.p("cred.reach_PRK"), "CHN": k.p("cred.reach_CHN"),
                 "RUS": k.p("cred.reach_RUS")}.get(k.actors[j], 0.0)
            reach[j] = m * k.D[j, g_col] * (1.0 - math.exp(-k.xf[0, j, L.XF_WARHEADS] / k.p("cred.decoupling_half")))
    X = max([reach[j] for j in k.rivals(c)], default=0.0)
    w_adv = sum(_theatre_weight(k, c, j) * k.xf[0, j, L.XF_WARHEADS]
                for j in k.rivals(c) if k.xi[0, j, L.XI_STATUS] == 3)
    f = 0.0
    if k.actors[pat] == "USA":
        # US troops with the other US clients of c's alliance system (actors.csv alliance_system)
        region = sum(k.xf[0, d, L.XF_TROOPS] for q, d in enumerate(k.pc)
                     if k.actors[k.pp[q]] == "USA" and d != c and k.D[d, L.D_SYSTEM] == k.D[c, L.D_SYSTEM])
        f += (k.p("cred.anchor_troops") * math.log(1.0 + k.xf[0, c, L.XF_TROOPS] / 1000.0)
              + k.p("cred.anchor_troops") * k.p("cred.anchor_region") * math.log(1.0 + region / 1000.0)
              + k.p("cred.anchor_institution") * k.xi[0, c, L.XI_CONSULT]
              + k.p("cred.anchor_sharing") * k.xi[0, c, L.XI_SHARING]
              + k.p("cred.anchor_forward") * k.xi[0, c, L.XI_FORWARD]
              + k.p("cred.anchor_admin") * (k.si[0, L.SI_ADMIN] == 0)
              - k.p("cred.anchor_decoupling") * X
              + k.p("cred.anchor_theatre") * theatre)
    else:   # a non-US patron: its own consultation and forward basing (per-pair schedules)
        f += (k.p("cred.anchor_institution") * k.pf[0, p, L.PF_CONSULT]
              + k.p("cred.anchor_forward") * k.pf[0, p, L.PF_FORWARD])
    f -= k.p("cred.anchor_arms") * math.log((w_adv + 1.0) / (k.pf[0, p, L.PF_ADV0] + 1.0))
    return f, w_adv


# --------------------------------------------------------------------------- 5.0 set-up

def test_setup_5_0_fissile_npt_progress_and_anchor_calibration():
    """§5.0: F, N, start progress 0.5 u(start_year, PROGRESS, i), W_adv0, a0 = logit C − f
    (on the data's homeland reach D_HOME_REACH0), lags = C."""
    k = Run()
    a = k.ix
    k.set({"arsenal.prk_fissile_2020": 80.5, "arsenal.prk_fissile_rate": 13.25, "npt.start": 0.655,
           **ANCHOR})
    k.si[0, L.SI_ADMIN] = L.ENGAGED                   # the admin term enters the anchor
    k.xi[0, a["KOR"], L.XI_STATUS] = 2                # a second programme under way (IRN too)
    # a capability lever: the reach now differs from the data's; the calibration uses the data's
    k.D[a["PRK"], L.D_HOME_REACH] = 0.0
    k.D[a["CHN"], L.D_HOME_REACH0] = 0.6
    k.xf[0, a["PRK"], L.XF_WARHEADS] = 57.0
    NP = k.pp.shape[0]
    cred = 0.31 + 0.037 * np.arange(NP)
    cred[1] = 1.0                                     # clipped at 1 − 1e−6 (credibility's clip)
    cred[9] = 0.0                                     # clipped at 1e−6
    k.pf[0, :, L.PF_CRED] = cred
    k.pf[0, :, L.PF_CRED_LAG1] = -1.0
    k.pf[0, :, L.PF_CRED_LAG2] = -2.0
    xf0 = k.xf.copy()
    _start(KEY, 2025, k.xf, k.xi, k.pf, k.sf, k.si, k.P, k.D, k.G, k.pp, k.pc, k.scr)

    assert abs(k.sf[0, L.SF_PRK_FISSILE] - (80.5 + 13.25 * (2025 - 1 - 2020))) < TOL
    assert abs(k.sf[0, L.SF_PRK_FISSILE_RATE] - 13.25) < TOL
    assert abs(k.sf[0, L.SF_NPT] - 0.655) < TOL
    for i in range(k.n):
        want = 0.5 * u(2025, rng.PROGRESS, i) if k.xi[0, i, L.XI_STATUS] == 2 else xf0[0, i, L.XF_PROGRESS]
        assert abs(k.xf[0, i, L.XF_PROGRESS] - want) < TOL, k.actors[i]
    for p in range(NP):
        c, pat = int(k.pc[p]), int(k.pp[p])
        f, w_adv0 = _anchor_f(k, pat, c, p, L.D_HOME_REACH0)   # arms term 0: W_adv = W_adv0
        assert abs(k.pf[0, p, L.PF_ADV0] - w_adv0) < TOL, p
        assert abs(k.pf[0, p, L.PF_ANCHOR0] - (logit(cred[p], 1e-6) - f)) < TOL, p
        assert k.pf[0, p, L.PF_CRED_LAG1] == cred[p] and k.pf[0, p, L.PF_CRED_LAG2] == cred[p]
    assert k.pf[0, 9, L.PF_ADV0] > 0.0 or k.pf[0, 0, L.PF_ADV0] > 0.0   # the arms base is exercised


def test_setup_5_8_start_postures_argmax():
    """§5.8 start postures: argmax(u_bal, 0, u_acc) at start conditions with the world's values."""
    inp, world, _ = _inputs()
    wv = {n: p.value for n, p in world.parameters.items()}
    camp0 = int(inp.si0[L.SI_CAMP])
    for i, code in enumerate(inp.actors):
        if inp.D[i, L.D_ALIGNER] == 0.0:
            continue
        ub, ua = wv[f"align.bal.{code}"], wv[f"align.acc.{code}"]
        if code == "KOR":
            ub += wv["align.camp"] * (camp0 == 1)
            ua += wv["align.camp"] * (camp0 == 0)
        assert inp.xi0[i, L.XI_POSTURE] == int(np.argmax([ub, 0.0, ua])), code


# --------------------------------------------------------------------------- 5.1 politics

def _politics_state():
    k = Run()
    k.si[0, L.SI_WITHDRAWALS] = 0
    k.si[0, L.SI_KEY_WITHDRAWALS] = 0
    k.SCG[T, :] = np.nan
    for col in (L.SG_TEST, L.SG_ELECTION_US, L.SG_ELECTION_KOR, L.SG_REVCON, L.SG_MORATORIUM, L.SG_HNS_MODE):
        k.SCG[T, col] = 0.0
    k.SCH[T, :, :] = np.nan
    k.SCH[T, :, L.SC_RHETORIC] = 0.0
    return k


def test_politics_5_1_elections_provocation_hns_and_shocks():
    """§5.1: election flips by u(POLITICS, 0/1), provocation rate × moratorium factor against
    u(POLITICS, 2), HNS ultimatums (admin after the election, troops before the shock,
    u(POLITICS, 16 + i)), scheduled levels, coercion, forced programmes, NPT withdrawals."""
    k = _politics_state()
    a = k.ix
    u0, u1, u2 = u(YEAR, rng.POLITICS, 0), u(YEAR, rng.POLITICS, 1), u(YEAR, rng.POLITICS, 2)
    assert u1 > 0.0 and 0.0 < u2 < 1.0
    k.set({"politics.us_flip": (1.0 + u0) / 2.0,          # > u0: the US flips
           "politics.kor_flip": u1 / 2.0,                 # < u1: the ROK does not
           "politics.prk_provocation_rate": min(1.0, 1.5 * u2),   # > u2 ...
           "politics.moratorium_factor": 0.5,             # ... but × 0.5 < u2: no provocation
           "politics.hns_demand_rate": 0.5})
    k.si[0, L.SI_ADMIN] = L.ENGAGED                      # becomes America-first at the election
    k.si[0, L.SI_CAMP] = 0
    k.SCG[T, L.SG_ELECTION_US] = 1.0
    k.SCG[T, L.SG_ELECTION_KOR] = 1.0
    k.SCG[T, L.SG_MORATORIUM] = 1.0
    k.SCG[T, L.SG_HNS_MODE] = 1.0
    # schedules
    k.SCH[T, a["KOR"], L.SC_TROOPS] = 0.0
    k.SCH[T, a["JPN"], L.SC_TROOPS] = 0.0               # troops before > 0: HNS still possible
    k.SCH[T, a["FRA"], L.SC_TROOPS] = 3000.0            # troops before = 0: no drawn HNS
    k.SCH[T, a["DEU"], L.SC_HNS] = 1.0                  # a scheduled ultimatum
    k.SCH[T, a["JPN"], L.SC_CONSULT] = 3.0
    k.SCH[T, a["DEU"], L.SC_SHARING] = 0.0
    k.SCH[T, a["TUR"], L.SC_FORWARD] = 0.0
    k.SCH[T, a["AUS"], L.SC_PERMIT] = 1.0
    k.SCH[T, a["TWN"], L.SC_COERCION] = 1.0
    k.SCH[T, a["JPN"], L.SC_PROGRAMME] = 2.0
    k.SCH[T, a["JPN"], L.SC_COVERT] = 1.0
    k.SCH[T, a["KOR"], L.SC_PROGRAMME] = 1.0
    k.SCH[T, a["CHN"], L.SC_PROGRAMME] = 1.0            # an arsenal: unchanged
    k.SCH[T, a["IRN"], L.SC_PROGRAMME] = 2.0            # already pursuing: unchanged
    k.SCH[T, a["POL"], L.SC_NPT_WITHDRAW] = 1.0         # party, key state
    k.SCH[T, a["EGY"], L.SC_NPT_WITHDRAW] = 1.0         # party
    k.SCH[T, a["IRN"], L.SC_NPT_WITHDRAW] = 1.0         # not a party
    k.xi[0, :, L.XI_COERCED] = 1                        # stale flags: reset where not scheduled
    j, ko = a["JPN"], a["KOR"]
    k.put(j, years=5, detected=1, sanctioned=1, progress=0.4, ttw=7.0)
    k.put(ko, progress=0.3, years=4)
    xf0, xi0 = k.xf.copy(), k.xi.copy()
    _politics(YEAR, T, KEY, k.xf, k.xi, k.si, k.P, k.D, k.G, k.SCH, k.SCG, k.scr, k.log)

    assert k.si[0, L.SI_ADMIN] == L.AMERICA_FIRST
    assert k.si[0, L.SI_CAMP] == 0
    assert k.si[0, L.SI_PROVOCATION] == 0
    hns = {}
    for i in range(k.n):
        drawn = (k.D[i, L.D_US_CLIENT] > 0 and xf0[0, i, L.XF_TROOPS] > 0
                 and u(YEAR, rng.POLITICS, 16 + i) < 0.5)
        hns[i] = int(drawn or k.actors[i] == "DEU")
        assert k.xi[0, i, L.XI_HNS] == hns[i], k.actors[i]
        # the before copy, then the scheduled values
        assert k.scr[i, L.B_TROOPS] == xf0[0, i, L.XF_TROOPS]
        assert k.scr[i, L.B_CONSULT] == xi0[0, i, L.XI_CONSULT]
        assert k.scr[i, L.B_SHARING] == xi0[0, i, L.XI_SHARING]
        assert k.scr[i, L.B_FORWARD] == xi0[0, i, L.XI_FORWARD]
        assert k.xi[0, i, L.XI_COERCED] == int(k.actors[i] == "TWN")
    drawn_clients = [hns[i] for i in range(k.n) if k.D[i, L.D_US_CLIENT] > 0 and xf0[0, i, L.XF_TROOPS] > 0
                     and k.actors[i] != "DEU"]
    assert 0 < sum(drawn_clients) < len(drawn_clients)          # both outcomes exercised
    assert u(YEAR, rng.POLITICS, 16 + a["FRA"]) < 0.5 and hns[a["FRA"]] == 0
    assert k.xf[0, a["KOR"], L.XF_TROOPS] == 0.0 and k.xf[0, a["FRA"], L.XF_TROOPS] == 3000.0
    assert k.xi[0, a["JPN"], L.XI_CONSULT] == 3
    assert k.xi[0, a["DEU"], L.XI_SHARING] == 0
    assert k.xi[0, a["TUR"], L.XI_FORWARD] == 0
    assert k.xi[0, a["AUS"], L.XI_PERMIT] == 1
    # forced pursue (JPN, covert): years 0, reached 2, progress 0, TTW undrawn, flags reset
    assert k.xi[0, j, L.XI_STATUS] == 2 and k.xi[0, j, L.XI_YEARS] == 0 and k.xi[0, j, L.XI_REACHED] == 2
    assert k.xf[0, j, L.XF_PROGRESS] == 0.0 and k.xf[0, j, L.XF_TTW] == -1.0
    assert k.xi[0, j, L.XI_COVERT] == 1 and k.xi[0, j, L.XI_EVER_COVERT] == 1
    assert k.xi[0, j, L.XI_DETECTED] == 0 and k.xi[0, j, L.XI_SANCTIONED] == 0
    # forced explore (KOR): progress untouched
    assert k.xi[0, ko, L.XI_STATUS] == 1 and k.xi[0, ko, L.XI_YEARS] == 0 and k.xi[0, ko, L.XI_REACHED] == 1
    assert k.xf[0, ko, L.XF_PROGRESS] == 0.3
    for code in ("CHN", "IRN"):
        assert k.xi[0, a[code], L.XI_STATUS] == xi0[0, a[code], L.XI_STATUS]
        assert k.xi[0, a[code], L.XI_YEARS] == xi0[0, a[code], L.XI_YEARS]
    # NPT withdrawals: POL (key) and EGY leave; IRN is not a party
    assert k.xi[0, a["POL"], L.XI_NPT] == 0 and k.xi[0, a["EGY"], L.XI_NPT] == 0
    assert k.si[0, L.SI_WITHDRAWALS] == 2 and k.si[0, L.SI_KEY_WITHDRAWALS] == 1
    want = {(YEAR, i, L.EV_HNS_ULTIMATUM) for i in range(k.n) if hns[i]}
    want |= {(YEAR, j, L.EV_FORCED), (YEAR, ko, L.EV_FORCED),
             (YEAR, a["POL"], L.EV_NPT_WITHDRAW), (YEAR, a["EGY"], L.EV_NPT_WITHDRAW)}
    assert sorted(k.events()) == sorted(want)


def test_politics_5_1_schedule_overrides_draw_and_forced_test():
    """§5.1: a scheduled administration / camp overrides the election draw; hns_mode reads the
    administration after that; a scheduled DPRK test is a provocation whatever the draw."""
    k = _politics_state()
    u0, u1, u2 = u(YEAR, rng.POLITICS, 0), u(YEAR, rng.POLITICS, 1), u(YEAR, rng.POLITICS, 2)
    k.set({"politics.us_flip": (1.0 + u0) / 2.0, "politics.kor_flip": u1 / 2.0,
           "politics.prk_provocation_rate": u2 / 2.0, "politics.moratorium_factor": 1.0,
           "politics.hns_demand_rate": 1.0})
    k.si[0, L.SI_ADMIN] = L.ENGAGED
    k.si[0, L.SI_CAMP] = 0
    k.SCG[T, L.SG_ELECTION_US] = 1.0                 # the draw flips to America-first ...
    k.SCG[T, L.SG_ADMIN] = 0.0                       # ... and the schedule sets engaged
    k.SCG[T, L.SG_ELECTION_KOR] = 1.0                # the draw keeps progressive ...
    k.SCG[T, L.SG_CAMP] = 1.0                        # ... and the schedule sets conservative
    k.SCG[T, L.SG_TEST] = 1.0
    k.SCG[T, L.SG_HNS_MODE] = 1.0
    _politics(YEAR, T, KEY, k.xf, k.xi, k.si, k.P, k.D, k.G, k.SCH, k.SCG, k.scr, k.log)
    assert k.si[0, L.SI_ADMIN] == L.ENGAGED
    assert k.si[0, L.SI_CAMP] == 1
    assert k.si[0, L.SI_PROVOCATION] == 1
    assert (k.xi[0, :, L.XI_HNS] == 0).all()        # engaged: no drawn ultimatum (rate 1)
    assert k.events() == []


# --------------------------------------------------------------------------- 5.2 economy

def _economy_state():
    k = Run()
    a = k.ix
    k.set({"econ.burden_adjust": 0.35})
    n = k.n
    k.D[:, L.D_GROWTH] = 0.013 * np.arange(n) - 0.07             # some negative
    k.xf[0, :, L.XF_BURDEN] = 0.011 + 0.0029 * np.arange(n)
    k.D[:, L.D_BURDEN0] = k.xf[0, :, L.XF_BURDEN] + 0.004 * (np.arange(n) % 5 - 2)
    k.SCH[T, :, L.SC_BURDEN_TARGET] = np.nan
    k.SCH[T, a["KOR"], L.SC_BURDEN_TARGET] = 0.035
    k.xf[0, a["JPN"], L.XF_BURDEN] = 0.45
    k.SCH[T, a["JPN"], L.SC_BURDEN_TARGET] = 0.9                  # above the 0.5 cap
    k.SCH[T, a["TWN"], L.SC_BURDEN_TARGET] = -0.5                 # below 0
    k.xf[0, a["UKR"], L.XF_BURDEN] = 0.0                          # milex 0: the 1e−6 floor
    k.D[a["UKR"], L.D_BURDEN0] = 0.0
    k.xf[0, :, L.XF_THREAT] = 7.5                                 # kept where not computed
    k.xi[0, a["IRN"], L.XI_STATUS] = 2
    return k


def _economy_expected(k, xf0, zg, zb):
    n = k.n
    gdp = xf0[0, :, L.XF_GDP] * np.exp(k.D[:, L.D_GROWTH] + k.p("econ.growth_sd") * zg)
    bur = np.empty(n)
    for i in range(n):
        tgt = k.SCH[T, i, L.SC_BURDEN_TARGET]
        if math.isnan(tgt):
            tgt = k.D[i, L.D_BURDEN0]
        b = xf0[0, i, L.XF_BURDEN] + k.p("econ.burden_adjust") * (tgt - xf0[0, i, L.XF_BURDEN])
        b *= math.exp(k.p("econ.burden_sd") * zb[i])
        bur[i] = min(max(b, 0.0), 0.5)
    milex = bur * gdp
    thr = np.full(n, 7.5)
    for i in range(n):
        if k.D[i, L.D_NWS] == 0.0 and k.xi[0, i, L.XI_STATUS] != 3:
            thr[i] = math.log(1.0 + sum(milex[j] for j in k.rivals(i)) / max(milex[i], 1e-6))
    return gdp, bur, milex, thr


@pytest.mark.parametrize("noisy", [False, True], ids=["noise0", "noise_streams"])
def test_economy_5_2_growth_burden_threat(noisy):
    """§5.2: GDP · exp(growth + sd z(ECON, i)); burden + adjust (b* − burden), × exp(sd
    z(ECON, 100 + i)), clipped to [0, 0.5]; milex; T_i for actors that can still move."""
    k = _economy_state()
    n = k.n
    zg, zb = np.zeros(n), np.zeros(n)
    if noisy:
        k.set({"econ.growth_sd": 0.021, "econ.burden_sd": 0.033})
        zg = np.array([z(YEAR, rng.ECON, i) for i in range(n)])
        zb = np.array([z(YEAR, rng.ECON, 100 + i) for i in range(n)])
    xf0 = k.xf.copy()
    _economy(YEAR, T, KEY, k.xf, k.xi, k.P, k.D, k.G, k.SCH)
    gdp, bur, milex, thr = _economy_expected(k, xf0, zg, zb)
    np.testing.assert_allclose(k.xf[0, :, L.XF_GDP], gdp, rtol=TOL, atol=0)
    np.testing.assert_allclose(k.xf[0, :, L.XF_BURDEN], bur, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(k.xf[0, :, L.XF_MILEX], milex, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(k.xf[0, :, L.XF_THREAT], thr, rtol=TOL, atol=TOL)
    a = k.ix
    if not noisy:
        assert k.xf[0, a["JPN"], L.XF_BURDEN] == 0.5 and k.xf[0, a["TWN"], L.XF_BURDEN] == 0.0
        assert thr[a["UKR"]] > 15.0                   # the floor of own milex at 1e−6
    assert k.xf[0, a["PRK"], L.XF_THREAT] == 7.5 and k.xf[0, a["CHN"], L.XF_THREAT] == 7.5


# --------------------------------------------------------------------------- 5.3 arsenals

def _arsenal_state():
    k = Run()
    a = k.ix
    k.set({"arsenal.adjust": 0.43, "arsenal.prk_adjust": 0.31, "arsenal.reaction": 0.07, "react.buildup": 0.17})
    k.SCH[T, :, L.SC_DOCTRINE] = np.nan
    k.sf[0, L.SF_PRK_FISSILE] = 100.0
    k.sf[0, L.SF_PRK_FISSILE_RATE] = 12.0
    k.xf[0, :, L.XF_DW] = 0.0
    for code, dw in (("USA", 5.0), ("CHN", 8.0), ("RUS", -1.0), ("PRK", -2.0), ("IND", -3.0),
                     ("PAK", -4.0), ("KOR", 3.0)):
        k.xf[0, a[code], L.XF_DW] = dw
    for code, w in (("USA", 3700.0), ("CHN", 600.0), ("RUS", 4300.0), ("PRK", 90.0), ("FRA", 290.0),
                    ("GBR", 225.0), ("IND", 180.0), ("PAK", 1.5), ("ISR", 90.0), ("JPN", 10.0),
                    ("KOR", 0.0)):
        k.xf[0, a[code], L.XF_WARHEADS] = w
    k.SCH[T, a["CHN"], L.SC_DOCTRINE] = 700.0
    k.SCH[T, a["PAK"], L.SC_DOCTRINE] = 0.0         # a target below 1: the floor
    j = a["JPN"]                                    # an arsenal acquired in the run
    k.xi[0, j, L.XI_STATUS] = 3
    k.xf[0, j, L.XF_BUILD] = 6.5
    k.xi[0, j, L.XI_YEARS] = 3
    # the ROK pursues overtly: known, like Japan's arsenal (China and Russia watch both)
    k.xi[0, a["KOR"], L.XI_STATUS] = 2
    k.xi[0, a["KOR"], L.XI_COVERT] = 0
    k.xi[0, a["TWN"], L.XI_STATUS] = 2              # covert and undetected: unknown
    k.xi[0, a["TWN"], L.XI_COVERT] = 1
    k.xi[0, a["TWN"], L.XI_DETECTED] = 0
    k.D[a["RUS"], L.D_W0] = 4500.0                  # above its W: the answer's target binds
    return k


def _watched(k, i):
    """How many allies actor i answers (adversary_reactions.csv) are armed or pursue a known
    programme (overt, or covert and detected)."""
    from umbrella.data.load import load_table
    t = load_table("adversary_reactions")
    n = 0
    for b in t.loc[(t["reactor"] == k.actors[i]) & (t["buildup"] == 1), "target"]:
        if b not in k.ix:
            continue
        j = k.ix[b]
        st = k.xi[0, j, L.XI_STATUS]
        if st == 3 or (st == 2 and (k.xi[0, j, L.XI_COVERT] == 0 or k.xi[0, j, L.XI_DETECTED] == 1)):
            n += 1
    return n


def _arsenal_expected(k, xf0, zs, prk_target):
    """§5.3 as printed; `prk_target(F, doctrine)` is the DPRK's W*."""
    F = k.sf[0, L.SF_PRK_FISSILE]                   # already F + rate (checked separately)
    new = xf0[0, :, L.XF_WARHEADS].copy()
    for i in range(k.n):
        if k.xi[0, i, L.XI_STATUS] != 3:
            continue
        w = xf0[0, i, L.XF_WARHEADS]
        doc = k.SCH[T, i, L.SC_DOCTRINE]
        up = 1.0 + k.p("react.buildup") * _watched(k, i)
        adjust = k.p("arsenal.adjust")
        if k.actors[i] == "PRK":
            tgt = prk_target(F, doc)
            adjust = k.p("arsenal.prk_adjust")
        elif not math.isnan(doc):
            tgt = doc * up
        elif xf0[0, i, L.XF_BUILD] > 0:
            tgt = (1.0 + xf0[0, i, L.XF_BUILD] * k.xi[0, i, L.XI_YEARS]) * up
        else:
            tgt = max(w, k.D[i, L.D_W0] * up) if up > 1.0 else w
        R = max([0.0] + [xf0[0, j, L.XF_DW] for j in k.rivals(i)])
        dw = adjust * (tgt - w) + k.p("arsenal.reaction") * R + k.p("arsenal.noise_sd") * w * zs[i]
        w2 = max(w + dw, 1.0)
        if k.actors[i] == "PRK":
            w2 = min(w2, max(F, 1.0))
        new[i] = w2
    return new, new - xf0[0, :, L.XF_WARHEADS]


@pytest.mark.parametrize("noisy", [False, True], ids=["noise0", "noise_stream"])
def test_arsenals_5_3_target_seeking(noisy):
    """§5.3: F += rate; ΔW = adjust (W* − W) + reaction R + sd W z(ARSENAL, i); W* = F (DPRK),
    doctrine (China), 1 + build · years (new arsenal), W (others); floor 1; DPRK cap."""
    k = _arsenal_state()
    zs = np.zeros(k.n)
    if noisy:
        k.set({"arsenal.noise_sd": 0.019})
        zs = np.array([z(YEAR, rng.ARSENAL, i) for i in range(k.n)])
    xf0 = k.xf.copy()
    _arsenals(YEAR, T, KEY, k.xf, k.xi, k.sf, k.P, k.D, k.G, k.SCH, k.scr)
    assert abs(k.sf[0, L.SF_PRK_FISSILE] - 112.0) < TOL
    w, dw = _arsenal_expected(k, xf0, zs, lambda F, doc: F)
    np.testing.assert_allclose(k.xf[0, :, L.XF_WARHEADS], w, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(k.xf[0, :, L.XF_DW], dw, rtol=TOL, atol=TOL)
    a = k.ix
    if not noisy:   # hand values: the new arsenal's target 1 + 6.5·3, the floor, rivals' build-up
        assert abs(w[a["JPN"]] - (10.0 + 0.43 * (20.5 - 10.0) + 0.07 * 8.0)) < TOL
        assert w[a["PAK"]] == 1.0 and abs(w[a["USA"]] - 3700.56) < TOL
        assert k.xf[0, a["KOR"], L.XF_DW] == 0.0
        # China and Russia answer the ROK's programme and Japan's arsenal, not Taiwan's covert one
        assert _watched(k, a["CHN"]) == 2 and _watched(k, a["RUS"]) == 2
        assert abs(w[a["CHN"]] - (600.0 + 0.43 * (700.0 * 1.34 - 600.0) + 0.07 * 5.0)) < TOL
        assert abs(w[a["RUS"]] - (4300.0 + 0.43 * (4500.0 * 1.34 - 4300.0) + 0.07 * 5.0)) < TOL


def test_arsenals_5_3_prk_cap():
    """§5.3: the DPRK's W' is capped at max(F, 1)."""
    k = _arsenal_state()
    a = k.ix
    k.xf[0, a["PRK"], L.XF_WARHEADS] = 110.0
    k.xf[0, a["USA"], L.XF_DW] = 100.0
    xf0 = k.xf.copy()
    _arsenals(YEAR, T, KEY, k.xf, k.xi, k.sf, k.P, k.D, k.G, k.SCH, k.scr)
    w, _ = _arsenal_expected(k, xf0, np.zeros(k.n), lambda F, doc: F)
    assert k.xf[0, a["PRK"], L.XF_WARHEADS] == 112.0 == w[a["PRK"]]


def test_arsenals_6_1_prk_freeze_target():
    """§6.1 (dprk_deal.freeze): the DPRK's target is min(fissile capacity, frozen level)."""
    k = _arsenal_state()
    a = k.ix
    k.SCH[T, a["PRK"], L.SC_DOCTRINE] = 60.0
    xf0 = k.xf.copy()
    _arsenals(YEAR, T, KEY, k.xf, k.xi, k.sf, k.P, k.D, k.G, k.SCH, k.scr)
    w, _ = _arsenal_expected(k, xf0, np.zeros(k.n), lambda F, doc: min(F, doc))
    assert abs(k.xf[0, a["PRK"], L.XF_WARHEADS] - w[a["PRK"]]) < TOL
    assert abs(w[a["PRK"]] - (90.0 + 0.31 * (60.0 - 90.0) + 0.07 * 5.0)) < TOL


# --------------------------------------------------------------------------- 5.4 credibility

CRED = {"cred.lr_troops": 0.55, "cred.troops_soft": 1200.0, "cred.lr_hns": 0.33,
        "cred.lr_rhetoric": 0.11, "cred.lr_institution": 0.27, "cred.lr_sharing": 0.31,
        "cred.lr_forward": 0.23, "cred.lr_crisis": 1.3, "cred.spillover": 0.35, "cred.spillover_far": 0.27,
        "cred.anchor_region": 0.43, "cred.lr_patron_coercion": 0.37,
        "cred.anchor_pull": 0.22, "cred.lr_deal": 0.29, "cred.deal_mrbm_extra": 0.8,
        "prolif.informal_weight": 0.45, **ANCHOR}


def _cred_state():
    k = Run()
    a = k.ix
    k.set(CRED)
    NP = k.pp.shape[0]
    pr = np.arange(NP)
    k.pf[0, :, L.PF_CRED] = 0.28 + 0.041 * pr
    k.pf[0, :, L.PF_ANCHOR0] = -0.55 + 0.13 * pr
    k.pf[0, :, L.PF_ADV0] = 250.0 + 17.0 * pr
    k.pf[0, :, L.PF_CRED_LAG1] = 0.5 + 0.01 * pr
    k.pf[0, :, L.PF_CRED_LAG2] = 0.6 - 0.01 * pr
    k.pf[0, :, L.PF_SIGNAL] = 9.0
    k.xf[0, a["PRK"], L.XF_WARHEADS] = 61.0
    k.xf[0, a["CHN"], L.XF_WARHEADS] = 640.0
    k.D[a["PRK"], L.D_HOME_REACH] = 0.5            # the current reach (a lever), not the data's
    k.D[a["PRK"], L.D_HOME_REACH0] = 1.0
    # nothing changed this year unless a test says so
    k.scr[:, L.B_TROOPS] = k.xf[0, :, L.XF_TROOPS]
    k.scr[:, L.B_CONSULT] = k.xi[0, :, L.XI_CONSULT]
    k.scr[:, L.B_SHARING] = k.xi[0, :, L.XI_SHARING]
    k.scr[:, L.B_FORWARD] = k.xi[0, :, L.XI_FORWARD]
    k.xi[0, :, L.XI_HNS] = 0
    k.xf[0, :, L.XF_CRISIS_SIG] = 0.0
    k.SCH[T, :, L.SC_RHETORIC] = 0.0
    k.SCH[T, :, L.SC_DEAL] = np.nan
    k.SCG[T, L.SG_CRISIS] = np.nan
    k.SCG[T, L.SG_THEATRE] = -1.0                   # US theatre forces below the data's: the anchor term
    # the KOR troop cut (the year's shock): before 24,515, now 12,000
    k.scr[a["KOR"], L.B_TROOPS] = 24515.0
    k.xf[0, a["KOR"], L.XF_TROOPS] = 12000.0
    return k


def _cred_expected(k, xf0, pf0, af):
    """§5.4 as printed, from the pre-step state (anchor features on the current state)."""
    NP = k.pp.shape[0]
    us = [p for p in range(NP) if k.actors[k.pp[p]] == "USA"]

    def own(c):
        s = k.p("cred.troops_soft")
        lam = 0.0
        if xf0[0, c, L.XF_TROOPS] != k.scr[c, L.B_TROOPS]:
            lam -= k.p("cred.lr_troops") * math.log((xf0[0, c, L.XF_TROOPS] + s) / (k.scr[c, L.B_TROOPS] + s))
        lam += k.p("cred.lr_hns") * k.xi[0, c, L.XI_HNS]
        lam -= k.p("cred.lr_institution") * (k.xi[0, c, L.XI_CONSULT] - k.scr[c, L.B_CONSULT])
        lam -= k.p("cred.lr_sharing") * (k.xi[0, c, L.XI_SHARING] - k.scr[c, L.B_SHARING])
        lam -= k.p("cred.lr_forward") * (k.xi[0, c, L.XI_FORWARD] - k.scr[c, L.B_FORWARD])
        return lam

    Lam = sum(own(int(k.pc[p])) for p in us)

    def same(c):
        return sum(own(int(k.pc[p])) for p in us if k.D[k.pc[p], L.D_SYSTEM] == k.D[c, L.D_SYSTEM])

    crisis = k.SCG[T, L.SG_CRISIS]
    C, lam = np.empty(NP), np.empty(NP)
    for p in range(NP):
        c = int(k.pc[p])
        if p in us:
            lo = own(c)
            # spillover: in full within c's alliance system, times spillover_far across systems
            lp = lo + k.p("cred.spillover") * ((same(c) - lo) + k.p("cred.spillover_far") * (Lam - same(c)))
            lp -= k.p("cred.lr_rhetoric") * k.SCH[T, c, L.SC_RHETORIC]
            lp += k.p("cred.lr_rhetoric") * af          # af: +1 a statement, -0.5 a reaffirmation
            if crisis == -1.0:
                lp += k.p("cred.lr_crisis")
            elif crisis == 1.0:
                lp -= 0.5 * k.p("cred.lr_crisis")
            lp += xf0[0, c, L.XF_CRISIS_SIG]
            deal = k.SCH[T, c, L.SC_DEAL]
            if not math.isnan(deal):
                lp += k.p("cred.lr_deal") * (1.0 + k.p("cred.deal_mrbm_extra") * (deal - 1.0))
            known = k.xi[0, c, L.XI_COVERT] == 0 or k.xi[0, c, L.XI_DETECTED] == 1
            if k.xi[0, c, L.XI_STATUS] == 2 and k.xi[0, c, L.XI_PERMIT] == 0 and known:
                lp += k.p("cred.lr_patron_coercion")      # the patron presses an unpermitted programme
        else:   # a non-US patron: only its scheduled arrangements (SCP)
            lp = 0.0
            v = k.SCP[T, p, L.SP_CONSULT]
            if not math.isnan(v):
                lp -= k.p("cred.lr_institution") * (v - pf0[0, p, L.PF_CONSULT])
            v = k.SCP[T, p, L.SP_FORWARD]
            if not math.isnan(v):
                lp -= k.p("cred.lr_forward") * (v - pf0[0, p, L.PF_FORWARD])
        lam[p] = lp
        x = logit(pf0[0, p, L.PF_CRED], 1e-6) - lp
        f, _ = _anchor_f(k, int(k.pp[p]), c, p, L.D_HOME_REACH, k.SCG[T, L.SG_THEATRE])
        A = sig(pf0[0, p, L.PF_ANCHOR0] + f)
        d = k.p("cred.anchor_pull")
        C[p] = (1.0 - d) * sig(x) + d * A
    umb = np.zeros(k.n)
    for p in range(NP):
        w = 1.0 if k.pk[p] == 1 else k.p("prolif.informal_weight")
        umb[k.pc[p]] = max(umb[k.pc[p]], w * C[p])
    return C, lam, umb


def _run_cred(k):
    xf0, pf0 = k.xf.copy(), k.pf.copy()
    _credibility(YEAR, T, KEY, k.xf, k.xi, k.si, k.pf, k.P, k.D, k.G, k.SCH, k.SCG, k.SCP, k.scr,
                 k.pp, k.pc, k.pk, k.log)
    return xf0, pf0


def _check_cred(k, xf0, pf0, af):
    C, lam, umb = _cred_expected(k, xf0, pf0, af)
    np.testing.assert_allclose(k.pf[0, :, L.PF_CRED], C, rtol=0, atol=TOL)
    np.testing.assert_allclose(k.pf[0, :, L.PF_SIGNAL], lam, rtol=0, atol=TOL)
    np.testing.assert_array_equal(k.pf[0, :, L.PF_CRED_LAG1], pf0[0, :, L.PF_CRED])
    np.testing.assert_array_equal(k.pf[0, :, L.PF_CRED_LAG2], pf0[0, :, L.PF_CRED_LAG1])
    np.testing.assert_allclose(k.xf[0, :, L.XF_UMBRELLA], umb, rtol=0, atol=TOL)
    assert (k.xf[0, :, L.XF_CRISIS_SIG] == 0.0).all()
    return C, lam


def test_credibility_5_4_troop_cut_and_anchor_pull():
    """§5.4: a KOR troop cut, λ_own = −lr_troops ln((new + s)/(old + s)) > 0 (bad news), spilled
    to the other US clients × spillover; x = logit C − λ; C' = (1 − pull) σ(x) + pull σ(a0 + f)."""
    k = _cred_state()
    a = k.ix
    k.si[0, L.SI_ADMIN] = L.ENGAGED                 # no America-first statement ...
    k.set({"politics.reassure_rate": u(YEAR, rng.SIGNAL, 0) / 2.0})   # ... and no reaffirmation
    xf0, pf0 = _run_cred(k)
    C, lam = _check_cred(k, xf0, pf0, af=0)
    kor = [p for p in range(len(C)) if k.pc[p] == a["KOR"] and k.pp[p] == 0][0]
    own = -0.55 * math.log((12000.0 + 1200.0) / (24515.0 + 1200.0))
    assert own > 0 and abs(lam[kor] - own) < TOL
    jpn = [p for p in range(len(C)) if k.pc[p] == a["JPN"] and k.pp[p] == 0][0]
    assert abs(lam[jpn] - 0.35 * own) < TOL             # the same alliance system: in full
    deu = [p for p in range(len(C)) if k.pc[p] == a["DEU"] and k.pp[p] == 0][0]
    assert abs(lam[deu] - 0.35 * 0.27 * own) < TOL      # NATO: across systems
    assert k.events() == []


def test_credibility_5_4_engaged_reaffirmation():
    """§5.4: under an engaged administration u(SIGNAL, 0) < politics.reassure_rate is a
    reaffirmation heard by every US client: good news of 0.5 lr_rhetoric, logged."""
    k = _cred_state()
    k.si[0, L.SI_ADMIN] = L.ENGAGED
    k.scr[:, L.B_TROOPS] = k.xf[0, :, L.XF_TROOPS]                # no troop change
    k.set({"politics.reassure_rate": (1.0 + u(YEAR, rng.SIGNAL, 0)) / 2.0,
           "politics.af_rhetoric_rate": 1.0})                     # America-first only: no statement
    xf0, pf0 = _run_cred(k)
    C, lam = _check_cred(k, xf0, pf0, af=-0.5)
    for p in range(len(C)):
        assert abs(lam[p] - (-0.5 * 0.11 if k.pp[p] == 0 else 0.0)) < TOL
    assert k.events() == [(YEAR, -1, L.EV_US_REASSURANCE)]


def test_credibility_5_4_all_signals():
    """§5.4 with every signal at once: troops, HNS, consultation, sharing, forward weapons
    (spilled), rhetoric and the America-first statement u(SIGNAL, 0) (not spilled), a crisis
    backed down, last year's crisis signal S_c, an uncoordinated deal (JPN weight 2)."""
    k = _cred_state()
    a = k.ix
    us0 = u(YEAR, rng.SIGNAL, 0)
    k.set({"politics.af_rhetoric_rate": (1.0 + us0) / 2.0})      # > u: a statement
    k.si[0, L.SI_ADMIN] = L.AMERICA_FIRST                         # anchor: no admin term
    k.scr[a["JPN"], L.B_CONSULT] = 1
    k.xi[0, a["JPN"], L.XI_CONSULT] = 2
    k.scr[a["DEU"], L.B_SHARING] = 2
    k.xi[0, a["DEU"], L.XI_SHARING] = 1
    k.scr[a["TUR"], L.B_FORWARD] = 1
    k.xi[0, a["TUR"], L.XI_FORWARD] = 0
    k.xi[0, a["POL"], L.XI_HNS] = 1
    k.SCH[T, a["TWN"], L.SC_RHETORIC] = -2.0
    k.SCH[T, a["AUS"], L.SC_RHETORIC] = 1.0
    k.SCG[T, L.SG_CRISIS] = -1.0
    k.xf[0, a["KOR"], L.XF_CRISIS_SIG] = 0.17
    k.xf[0, a["JPN"], L.XF_CRISIS_SIG] = -0.05
    k.xf[0, a["PRK"], L.XF_CRISIS_SIG] = 0.4                    # no US pair: not heard
    k.SCH[T, a["JPN"], L.SC_DEAL] = 2.0
    k.SCH[T, a["KOR"], L.SC_DEAL] = 1.0
    k.xi[0, a["KOR"], L.XI_STATUS], k.xi[0, a["KOR"], L.XI_COVERT] = 2, 0    # known, unpermitted: pressed
    k.xi[0, a["AUS"], L.XI_STATUS], k.xi[0, a["AUS"], L.XI_COVERT] = 2, 1    # covert, undetected: not
    k.xi[0, a["AUS"], L.XI_DETECTED] = 0
    xf0, pf0 = _run_cred(k)
    C, lam = _check_cred(k, xf0, pf0, af=1)
    NP = len(C)
    assert all(lam[p] == 0.0 for p in range(NP) if k.pp[p] != 0)
    assert k.events() == [(YEAR, -1, L.EV_US_STATEMENT)]


def test_credibility_5_4_european_patron_arrangements():
    """§5.4: a French or British commitment moves with that patron's own scheduled consultation
    and forward basing (SCP): good news by the step, and the new level in its anchor; no US
    signal reaches it."""
    k = _cred_state()
    k.si[0, L.SI_ADMIN] = L.AMERICA_FIRST
    k.set({"politics.af_rhetoric_rate": 1.0})                     # a US statement every year
    pairs = [(k.actors[k.pp[p]], k.actors[k.pc[p]]) for p in range(k.pp.shape[0])]
    fd, fp = pairs.index(("FRA", "DEU")), pairs.index(("FRA", "POL"))
    k.SCP[T, :, :] = np.nan
    k.SCP[T, fd, L.SP_CONSULT] = 1.0
    k.SCP[T, fp, L.SP_FORWARD] = 1.0
    k.pf[0, fp, L.PF_CONSULT] = 2.0                               # an earlier step, kept
    xf0, pf0 = _run_cred(k)
    C, lam = _check_cred(k, xf0, pf0, af=1)
    assert abs(lam[fd] + 0.27 * 1.0) < TOL and abs(lam[fp] + 0.23 * 1.0) < TOL
    assert k.pf[0, fd, L.PF_CONSULT] == 1.0 and k.pf[0, fp, L.PF_FORWARD] == 1.0 and k.pf[0, fp, L.PF_CONSULT] == 2.0
    g = pairs.index(("GBR", "DEU"))
    assert lam[g] == 0.0


def test_credibility_5_4_crisis_stood_firm():
    """§5.4: a crisis in which the US stood firm is −0.5 lr_crisis for every US client."""
    k = _cred_state()
    k.si[0, L.SI_ADMIN] = L.ENGAGED
    k.set({"politics.reassure_rate": 0.0})
    k.scr[:, L.B_TROOPS] = k.xf[0, :, L.XF_TROOPS]                # no troop change
    k.SCG[T, L.SG_CRISIS] = 1.0
    xf0, pf0 = _run_cred(k)
    C, lam = _check_cred(k, xf0, pf0, af=0)
    for p in range(len(C)):
        assert abs(lam[p] - (-0.65 if k.pp[p] == 0 else 0.0)) < TOL


# --------------------------------------------------------------------------- 5.5 opinion

OPINION = {"opinion.reversion": 0.23, "opinion.provocation": 0.31, "opinion.moratorium": 0.27,
           "opinion.credibility": 0.55, "opinion.entrapment": 0.6, "opinion.rival_programme": 0.42,
           "politics.prk_provocation_rate": 0.47, "politics.moratorium_factor": 0.3}


def _opinion_state():
    k = Run()
    a = k.ix
    k.set(OPINION)
    vals = {  # code: (y, y0, U, U0)
        "KOR": (0.6, 0.8, 0.55, 0.62), "JPN": (-1.4, -1.6, 0.9, 0.83), "FRA": (-0.2, -0.4, 0.3, 0.25),
        "GBR": (-0.5, -0.3, 0.7, 0.0), "DEU": (-0.9, -1.1, 0.85, 0.81), "POL": (0.1, 0.3, 0.62, 0.7)}
    for code, (y, y0, U, U0) in vals.items():
        i = a[code]
        assert k.D[i, L.D_POLLED] > 0
        k.xf[0, i, L.XF_OPINION] = y
        k.D[i, L.D_OPINION0] = y0
        k.xf[0, i, L.XF_UMBRELLA] = U
        k.xf[0, i, L.XF_UMB0] = U0
        k.xf[0, i, L.XF_LOGIT_UMB0] = logit(U0, 1e-4)
    k.xf[0, a["TWN"], L.XF_OPINION] = 5.0              # not polled: untouched
    for code, st, yrs in (("TWN", 2, 1), ("AUS", 2, 1), ("DEU", 2, 2), ("UKR", 2, 1)):
        k.xi[0, a[code], L.XI_STATUS] = st
        k.xi[0, a[code], L.XI_YEARS] = yrs
    return k


def _opinion_expected(k, xf0, t, prov):
    mor = k.SCG[t, L.SG_MORATORIUM]
    mor_prev = k.SCG[t - 1, L.SG_MORATORIUM] if t > 0 else 0.0
    out = xf0[0, :, L.XF_OPINION].copy()
    for i in range(k.n):
        if k.D[i, L.D_POLLED] == 0:
            continue
        kk = k.D[i, L.D_FACES_PRK]
        U, U0 = xf0[0, i, L.XF_UMBRELLA], xf0[0, i, L.XF_UMB0]
        ys = k.D[i, L.D_OPINION0]
        if U0 > 0:
            ys -= k.p("opinion.credibility") * (logit(U, 1e-4) - logit(U0, 1e-4))
            ys += k.p("opinion.entrapment") * (max(0.0, U - 0.8) - max(0.0, U0 - 0.8))
        ys -= kk * k.p("opinion.moratorium") * mor
        yt = xf0[0, i, L.XF_OPINION] - kk * k.p("opinion.moratorium") * (mor - mor_prev)
        rate = k.p("politics.prk_provocation_rate") * (k.p("politics.moratorium_factor") if mor == 1 else 1.0)
        n_i = sum(1 for j in range(k.n) if j != i and (k.RIV[i, j] > 0 or k.NB[i, j] > 0)
                  and k.xi[0, j, L.XI_STATUS] == 2 and k.xi[0, j, L.XI_YEARS] == 1)
        out[i] = (yt + k.p("opinion.reversion") * (ys - yt) + kk * k.p("opinion.provocation") * (prov - rate)
                  + k.p("opinion.rival_programme") * n_i)
    return out


@pytest.mark.parametrize("t, mor_prev, mor_now, prov", [(1, 0.0, 1.0, 1), (0, None, 1.0, 0), (1, 1.0, 0.0, 1)],
                         ids=["moratorium_begins_provocation", "moratorium_in_start_year", "moratorium_ends"])
def test_opinion_5_5_reversion_and_terms(t, mor_prev, mor_now, prov):
    """§5.5: y*, the moratorium jump ỹ (mor_{−1} = 0), reversion toward y*, the centred
    provocation pulse, and new programmes of rivals or neighbours (status 2, years 1)."""
    k = _opinion_state()
    k.SCG[t, L.SG_MORATORIUM] = mor_now
    if t > 0:
        k.SCG[t - 1, L.SG_MORATORIUM] = mor_prev
    k.si[0, L.SI_PROVOCATION] = prov
    xf0 = k.xf.copy()
    _opinion(2025 + t, t, KEY, k.xf, k.xi, k.si, k.P, k.D, k.G, k.SCG)
    want = _opinion_expected(k, xf0, t, prov)
    np.testing.assert_allclose(k.xf[0, :, L.XF_OPINION], want, rtol=0, atol=TOL, equal_nan=True)
    a = k.ix
    assert k.xf[0, a["TWN"], L.XF_OPINION] == 5.0


def test_opinion_5_5_hand_value():
    """§5.5 by hand for KOR (faces the DPRK; neighbour TWN began a programme last year)."""
    k = _opinion_state()
    k.SCG[1, L.SG_MORATORIUM] = 1.0
    k.SCG[0, L.SG_MORATORIUM] = 0.0
    k.si[0, L.SI_PROVOCATION] = 1
    _opinion(YEAR, 1, KEY, k.xf, k.xi, k.si, k.P, k.D, k.G, k.SCG)
    lg = lambda p: math.log(p / (1 - p))  # noqa: E731
    ystar = 0.8 - 0.55 * (lg(0.55) - lg(0.62)) + 0.6 * (0.0 - 0.0) - 0.27
    ytil = 0.6 - 0.27
    want = ytil + 0.23 * (ystar - ytil) + 0.31 * (1 - 0.47 * 0.3) + 0.42 * 1
    assert abs(k.xf[0, k.ix["KOR"], L.XF_OPINION] - want) < TOL


# --------------------------------------------------------------------------- 5.6 proliferation

PROLIF = {
    "prolif.explore.latency": 0.31, "prolif.explore.threat": 0.27, "prolif.explore.rival": 0.9,
    "prolif.explore.umbrella": -0.8, "prolif.explore.npt": -1.3, "prolif.explore.regional": 0.6,
    "prolif.explore.exposure_ref": 0.07,
    "prolif.pursue.latency": -0.05, "prolif.pursue.threat": 0.45, "prolif.pursue.rival": -0.5,
    "prolif.pursue.umbrella": -0.3, "prolif.pursue.npt": 0.35, "prolif.pursue.regional": 0.7,
    "prolif.pursue.exposure_ref": 0.09,
    "prolif.cred_ref": 0.62, "prolif.opinion": 0.47, "prolif.sanctions": -0.41,
    "prolif.cascade.explore": 1.5, "prolif.cascade.pursue": 0.33, "npt.ref": 0.8,
    "prolif.reversal_explore.base": -60.0, "prolif.reversal_explore.umbrella": 0.4,
    "prolif.reversal_pursue.base": -60.0, "prolif.prevent_rate": 0.0, "prolif.detect_rate": 0.3,
    "prolif.covert_base": 0.4, "prolif.covert_rupture": 6.0,
    "ttw.median_hist": 9.0, "ttw.latency_slope": 0.33, "ttw.latency_ref": 5.6, "ttw.no_enr": 0.45,
    "ttw.fuel": 1.1, "ttw.plutonium": 0.4, "ttw.sanctions": 0.6, "ttw.covert": 0.55,
    "ttw.min_years": 1.0, "arsenal.new_build_rate": 6.5, "arsenal.enr_build_multiplier": 0.8,
    "prolif.red_line": -0.7,
}

TERM_ORDER = ("baseline", "latency", "conventional_threat", "rival_programme", "umbrella", "npt",
              "power_status", "public_opinion", "sanctions", "cascade", "red_line")   # model.md §7


def _prolif_state(explore_base, pursue_base):
    k = Run()
    a = k.ix
    k.set({**PROLIF, "prolif.explore.base": explore_base, "prolif.pursue.base": pursue_base})
    k.sf[0, L.SF_NPT] = 0.66
    k.si[0, L.SI_COLLAPSED] = 0
    k.xi[0, a["KOR"], L.XI_STATUS] = 1                 # exploring: the pursue hazard
    k.xi[0, a["TWN"], L.XI_STATUS] = 2                 # a programme: cascade, rival terms
    k.xf[0, :, L.XF_THREAT] = 0.11 * np.arange(k.n) % 0.9
    k.xf[0, :, L.XF_UMBRELLA] = 0.0
    for code, U in (("KOR", 0.58), ("JPN", 0.71), ("DEU", 0.66), ("POL", 0.52), ("TUR", 0.44),
                    ("AUS", 0.63), ("TWN", 0.3)):
        k.xf[0, a[code], L.XF_UMBRELLA] = U
    for code, y in (("KOR", 0.9), ("JPN", -1.2), ("DEU", -0.7), ("POL", 0.2)):
        k.xf[0, a[code], L.XF_OPINION] = y
    k.D[:, L.D_LATENCY] = 2.0 + 0.23 * np.arange(k.n) % 5.0
    k.xi[0, a["EGY"], L.XI_NPT] = 0
    k.xi[0, a["KOR"], L.XI_PERMIT] = 1                 # US client, permitted: sanctions term
    k.D[a["KOR"], L.D_RED_LINE] = 1.0                  # a declared red line: the pursue-stage term
    k.xi[0, a["JPN"], L.XI_PERMIT] = 1                 # explore stage: no sanctions term
    for p in range(k.pp.shape[0]):                     # KOR's credibility fell 0.3 in two years
        if k.pc[p] == a["KOR"]:
            k.pf[0, p, L.PF_CRED_LAG2] = 0.75
            k.pf[0, p, L.PF_CRED] = 0.45
    return k


def _onset_terms(k, status0, i, stage):
    """The eleven §5.6 terms of actor i's onset hazard, in the order of §7, from the state."""
    s = "explore" if stage == 0 else "pursue"
    g = lambda name: k.p(f"prolif.{s}.{name}")  # noqa: E731
    R = 1.0 if any(status0[j] >= 2 for j in k.rivals(i)) else 0.0
    den = sum(k.NB[i, j] for j in range(k.n))
    E = sum(k.NB[i, j] * (status0[j] >= 2) for j in range(k.n)) / den if den > 0 else 0.0
    N_eff = 0.0 if k.si[0, L.SI_COLLAPSED] == 1 else k.sf[0, L.SF_NPT] / k.p("npt.ref")
    y = k.xf[0, i, L.XF_OPINION] if k.D[i, L.D_POLLED] > 0 else 0.0
    sanc = 0.0
    if stage == 1 and k.D[i, L.D_US_CLIENT] > 0 and k.xi[0, i, L.XI_PERMIT] == 1:
        sanc = -k.p("prolif.sanctions")
    return np.array([
        g("base"), g("latency") * k.D[i, L.D_LATENCY], g("threat") * k.xf[0, i, L.XF_THREAT], g("rival") * R,
        g("umbrella") * k.xf[0, i, L.XF_UMBRELLA] / k.p("prolif.cred_ref"),
        g("npt") * k.xi[0, i, L.XI_NPT] * N_eff, g("regional") * k.D[i, L.D_REGIONAL],
        k.p("prolif.opinion") * y, sanc,
        k.p(f"prolif.cascade.{s}") * (E - g("exposure_ref")),
        k.p("prolif.red_line") * k.D[i, L.D_RED_LINE] if stage == 1 else 0.0,
    ]), E


def test_proliferation_5_6_onset_terms_and_decisions():
    """§5.6: the logged hazard terms of each onset equal the eleven terms recomputed from the
    parameters and the state; each decision is u(EXPLORE / PURSUE, i) < 1 − exp(−exp η);
    cascade exposure E_i; covertness σ(logit covert_base + rupture · D_i) against u(COVERT, i)."""
    assert tuple(L.TERM_NAMES) == TERM_ORDER
    k = _prolif_state(explore_base=0.1, pursue_base=3.0)
    a = k.ix
    status0 = k.xi[0, :, L.XI_STATUS].copy()
    pre = k.snapshot()
    _proliferation(YEAR, T, KEY, k.xf, k.xi, k.pf, k.sf, k.si, k.P, k.D, k.G, k.GW, k.pc, k.scr,
                   k.tv, k.log)

    logged = {}
    for e in range(int(k.log.n[0])):
        if k.log.kind[0, e] in (L.EV_EXPLORE, L.EV_PURSUE):
            logged[(int(k.log.actor[0, e]), int(k.log.kind[0, e]))] = k.log.terms[0, e].astype(float)
    onsets, quiet, last = 0, 0, None
    for i in range(k.n):
        if status0[i] == 3 or k.D[i, L.D_NWS] > 0:
            continue
        _, E = _onset_terms(pre, status0, i, 0)
        assert abs(k.xf[0, i, L.XF_CASCADE] - E) < TOL, k.actors[i]
        if status0[i] not in (0, 1):
            continue
        stage = int(status0[i])
        terms, _ = _onset_terms(pre, status0, i, stage)
        last = terms
        eta = terms.sum()
        draw = u(YEAR, rng.EXPLORE if stage == 0 else rng.PURSUE, i)
        onset = draw < cloglog(eta)
        kind = L.EV_EXPLORE if stage == 0 else L.EV_PURSUE
        assert ((i, kind) in logged) == onset, (k.actors[i], eta, draw)
        if onset:
            onsets += 1
            np.testing.assert_allclose(logged[(i, kind)], terms, rtol=F32, atol=1e-300)
            assert k.xi[0, i, L.XI_STATUS] == stage + 1 and k.xi[0, i, L.XI_YEARS] == 0
            assert k.xi[0, i, L.XI_REACHED] >= stage + 1
        else:
            quiet += 1
            assert k.xi[0, i, L.XI_STATUS] == stage
    assert onsets >= 2 and quiet >= 2                  # both outcomes exercised
    # the scratch vector holds the last evaluated actor's terms in float64
    np.testing.assert_allclose(k.tv, last, rtol=0, atol=TOL)
    # KOR: pursue terms include the sanctions deviation (permitted US client)
    kor = a["KOR"]
    assert (kor, L.EV_PURSUE) in logged and abs(logged[(kor, L.EV_PURSUE)][8] - 0.41) < 1e-7
    # covertness: D = 0.75 − 0.45 = 0.3; σ(logit 0.4 + 6 · 0.3) against u(COVERT, KOR)
    p_cov = sig(math.log(0.4 / 0.6) + 6.0 * 0.3)
    uc = u(YEAR, rng.COVERT, kor)
    assert 0.4 < uc < p_cov                            # covert only because of the rupture term
    assert k.xi[0, kor, L.XI_COVERT] == 1 and k.xi[0, kor, L.XI_EVER_COVERT] == 1


def test_proliferation_5_6_programme_year_ttw_progress_acquisition():
    """§5.6 programme year: TTW = max(m, min_years) with every factor and z(TTW, i); progress
    += 1/(TTW (1 + ttw.sanctions · sanctioned)); a known programme leaves the NPT and is
    sanctioned; acquisition at progress ≥ 1 (W = 1, build rate, new_arsenals, NPT exit)."""
    k = _prolif_state(explore_base=-60.0, pursue_base=-60.0)   # no onsets
    a = k.ix
    k.set({"ttw.sd": 0.3, "prolif.detect_rate": 0.0})
    k.xi[0, a["KOR"], L.XI_STATUS] = 0
    k.si[0, L.SI_WITHDRAWALS] = 0
    k.si[0, L.SI_KEY_WITHDRAWALS] = 0
    k.si[0, L.SI_NEW_ARSENALS] = 0
    ir, tw, sa = a["IRN"], a["TWN"], a["SAU"]
    # IRN: overt, TTW undrawn, enrichment, separated Pu >= 1 t; not an NPT party
    k.D[ir, L.D_LATENCY], k.D[ir, L.D_ENR], k.D[ir, L.D_ELEC], k.D[ir, L.D_SEP_PU] = 5.2, 1.0, 0.02, 2.0
    k.put(ir, ttw=-1.0, progress=0.2, covert=0, sanctioned=0)
    # TWN: covert, undetected (detect_rate 0), no enrichment, nuclear electricity 0.2
    k.D[tw, L.D_LATENCY], k.D[tw, L.D_ENR], k.D[tw, L.D_ELEC], k.D[tw, L.D_SEP_PU] = 6.3, 0.0, 0.2, 0.0
    k.put(tw, ttw=-1.0, progress=0.0, covert=1, detected=0, npt=1)
    # SAU: overt, TTW 4 drawn, progress 0.9, NPT party (key state): acquires this year
    k.put(sa, status=2, ttw=4.0, progress=0.9, covert=0, npt=1, years=2)
    k.D[sa, L.D_ENR] = 1.0
    # EGY: overt, TTW undrawn, a published estimate (median 2.2 years, log-s.d. 0.45 > ttw.sd),
    # no enrichment and a nuclear electricity share of 0.3: sanctions bite harder (fuel imports)
    eg = a["EGY"]
    k.put(eg, status=2, covert=0, years=3, ttw=-1.0, progress=0.1)
    k.D[eg, L.D_TTW_PUB], k.D[eg, L.D_TTW_SD] = 2.2, 0.45
    k.D[eg, L.D_ENR], k.D[eg, L.D_ELEC] = 0.0, 0.3
    # TUR: progress past 1 in its onset year (years 0): no weapon before a year has passed (A3)
    tu = a["TUR"]
    k.put(tu, status=2, covert=1, detected=0, years=0, ttw=1.0, progress=0.5)
    _proliferation(YEAR, T, KEY, k.xf, k.xi, k.pf, k.sf, k.si, k.P, k.D, k.G, k.GW, k.pc, k.scr,
                   k.tv, k.log)

    def ttw(i, covert):
        if k.D[i, L.D_TTW_PUB] > 0:
            m, sd = k.D[i, L.D_TTW_PUB], max(0.3, k.D[i, L.D_TTW_SD])
        else:   # the historical lag; fuel dependence acts through sanctions, not here
            m, sd = 9.0 * math.exp(-0.33 * (k.D[i, L.D_LATENCY] - 5.6)), 0.3
            m *= 1.0 + 0.45 * (1.0 - k.D[i, L.D_ENR])
            if k.D[i, L.D_SEP_PU] >= 1.0:
                m *= 1.0 - 0.4
        if covert:
            m *= 1.0 + 0.55
        m *= math.exp(sd * z(YEAR, rng.TTW, i))
        return max(m, 1.0)

    t_ir, t_tw, t_eg = ttw(ir, False), ttw(tw, True), ttw(eg, False)
    assert abs(k.xf[0, ir, L.XF_TTW] - t_ir) < TOL and abs(k.xf[0, tw, L.XF_TTW] - t_tw) < TOL
    assert abs(k.xf[0, eg, L.XF_TTW] - t_eg) < TOL
    assert k.xi[0, ir, L.XI_SANCTIONED] == 1 and k.xi[0, tw, L.XI_SANCTIONED] == 0
    assert abs(k.xf[0, ir, L.XF_PROGRESS] - (0.2 + 1.0 / (t_ir * 1.6))) < TOL
    assert abs(k.xf[0, tw, L.XF_PROGRESS] - 1.0 / t_tw) < TOL
    assert abs(k.xf[0, eg, L.XF_PROGRESS] - (0.1 + 1.0 / (t_eg * (1.0 + 0.6 * (1.0 + 1.1 * 0.3))))) < TOL
    assert k.xf[0, tu, L.XF_PROGRESS] == 1.5 and k.xi[0, tu, L.XI_STATUS] == 2
    assert k.xi[0, tw, L.XI_NPT] == 1                  # unknown: still a party
    # SAU: known (leaves the NPT, sanctioned), 0.9 + 1/(4 · 1.6) >= 1: an arsenal
    assert k.xi[0, sa, L.XI_STATUS] == 3 and k.xi[0, sa, L.XI_YEARS] == 0 and k.xi[0, sa, L.XI_REACHED] == 3
    assert k.xf[0, sa, L.XF_WARHEADS] == 1.0
    assert abs(k.xf[0, sa, L.XF_BUILD] - 6.5 * (1.0 + 0.8 * 1.0)) < TOL
    assert k.xi[0, sa, L.XI_NPT] == 0 and k.xi[0, sa, L.XI_SANCTIONED] == 1
    assert k.si[0, L.SI_NEW_ARSENALS] == 1
    assert k.si[0, L.SI_WITHDRAWALS] == 1 and k.si[0, L.SI_KEY_WITHDRAWALS] == 1
    assert sorted(k.events()) == sorted([(YEAR, sa, L.EV_NPT_WITHDRAW), (YEAR, sa, L.EV_ACQUIRE)])


def test_proliferation_5_6_strike_and_coerced_abandonment():
    """§5.6 steps 3-4: a preventive strike against a known programme with a nuclear-armed rival
    (u(PREVENT, i) < prevent_rate) sets it back to 1; abandonment η_ab = base + ln[(1 + c U) /
    (1 + c Cref)] for a known programme of a US client without permit, decided by
    u(REVERSAL, n + i), with the base set so that only the coercion term tips the decision."""
    k = _prolif_state(explore_base=-60.0, pursue_base=-60.0)
    a = k.ix
    n = k.n
    ko, au, de = a["KOR"], a["AUS"], a["DEU"]
    c, cref, U_au = 2.0, 0.62, 0.9
    term = math.log((1.0 + c * U_au) / (1.0 + c * cref))
    u_au = u(YEAR, rng.REVERSAL, n + au)
    assert 0.01 < u_au < 0.99
    base = math.log(-math.log(1.0 - u_au)) - term / 2.0
    k.set({"prolif.prevent_rate": 1.0, "prolif.coercion": c, "prolif.reversal_pursue.base": base})
    for i, permit in ((ko, 0), (au, 0), (de, 1)):
        k.put(i, status=2, covert=0, permit=permit, years=3, ttw=8.0, progress=0.5, umbrella=U_au)
    k.xi[0, a["TWN"], L.XI_STATUS] = 0
    assert k.rivals(au) == [] and k.rivals(de) == [] and any(k.xi[0, j, L.XI_STATUS] == 3 for j in k.rivals(ko))
    k.D[ko, L.D_THEATRE] = 0.0      # the flat rate: no crisis theatre plays the ROK's wars
    _proliferation(YEAR, T, KEY, k.xf, k.xi, k.pf, k.sf, k.si, k.P, k.D, k.G, k.GW, k.pc, k.scr,
                   k.tv, k.log)
    # KOR struck: status 1, years 0, progress 0, TTW undrawn
    assert k.xi[0, ko, L.XI_STATUS] == 1 and k.xi[0, ko, L.XI_YEARS] == 0
    assert k.xf[0, ko, L.XF_PROGRESS] == 0.0 and k.xf[0, ko, L.XF_TTW] == -1.0
    # AUS abandons only because of the coercion term
    assert cloglog(base) < u_au < cloglog(base + term)
    assert k.xi[0, au, L.XI_STATUS] == 0 and k.xf[0, au, L.XF_PROGRESS] == 0.0
    # DEU (permitted): no coercion term
    u_de = u(YEAR, rng.REVERSAL, n + de)
    abandoned = u_de < cloglog(base)
    assert (k.xi[0, de, L.XI_STATUS] == 0) == abandoned
    if not abandoned:
        assert abs(k.xf[0, de, L.XF_PROGRESS] - (0.5 + 1.0 / 8.0)) < TOL   # permitted: unsanctioned
    ev = set(k.events())
    assert (YEAR, ko, L.EV_PREVENTIVE) in ev and (YEAR, au, L.EV_ABANDON_PURSUE) in ev
    assert ((YEAR, de, L.EV_ABANDON_PURSUE) in ev) == abandoned


def test_proliferation_5_6_theatre_ally_is_not_struck_at_the_flat_rate():
    """A local defender of a crisis theatre (D_THEATRE) is struck only in its theatre's wars
    (engine/crises.py), so the flat prolif.prevent_rate does not apply to it, even at 1."""
    k = _prolif_state(explore_base=-60.0, pursue_base=-60.0)
    ko = k.ix["KOR"]
    k.set({"prolif.prevent_rate": 1.0, "prolif.reversal_pursue.base": -60.0})
    k.xi[0, ko, L.XI_STATUS] = 2
    k.xi[0, ko, L.XI_COVERT] = 0
    k.xf[0, ko, L.XF_TTW] = 8.0
    k.xf[0, ko, L.XF_PROGRESS] = 0.2
    k.D[ko, L.D_THEATRE] = 1.0
    _proliferation(YEAR, T, KEY, k.xf, k.xi, k.pf, k.sf, k.si, k.P, k.D, k.G, k.GW, k.pc, k.scr,
                   k.tv, k.log)
    assert k.xi[0, ko, L.XI_STATUS] == 2
    assert (YEAR, ko, L.EV_PREVENTIVE) not in set(k.events())


def test_politics_5_1_adversary_coercion_of_known_programmes():
    """§5.1: China coerces the allies it watches (adversary_reactions.csv, coercion = 1) whose
    programme is known (armed, overt, or covert and detected), each if u(REACT, c n + a) <
    react.coercion_rate; Russia coerces no one; an unknown programme is not coerced."""
    k = _politics_state()
    a = k.ix
    n = k.n
    c = a["CHN"]
    setup = {"KOR": (3, 0, 0), "TWN": (2, 0, 0), "JPN": (2, 1, 0), "AUS": (2, 1, 1), "DEU": (3, 0, 0)}
    for code, (st, cov, det) in setup.items():
        k.xi[0, a[code], L.XI_STATUS] = st
        k.xi[0, a[code], L.XI_COVERT] = cov
        k.xi[0, a[code], L.XI_DETECTED] = det
    draws = {code: u(YEAR, rng.REACT, c * n + a[code]) for code in ("KOR", "TWN", "AUS")}
    lo, hi = sorted(draws.values())[:2]
    k.set({"react.coercion_rate": (lo + hi) / 2.0})      # exactly one of the three known is coerced
    _politics(YEAR, T, KEY, k.xf, k.xi, k.si, k.P, k.D, k.G, k.SCH, k.SCG, k.scr, k.log)
    want = {code: int(v < (lo + hi) / 2.0) for code, v in draws.items()}
    assert sum(want.values()) == 1
    for code in ("KOR", "TWN", "AUS"):
        assert k.xi[0, a[code], L.XI_COERCED] == want[code], code
    assert k.xi[0, a["JPN"], L.XI_COERCED] == 0            # covert, undetected
    assert k.xi[0, a["DEU"], L.XI_COERCED] == 0            # Russia watches it, but does not coerce


# --------------------------------------------------------------------------- 5.7 NPT

NPT = {"npt.ref": 0.8, "npt.withdraw_base": 0.12, "npt.withdraw_erosion": 4.2, "npt.recovery": 0.03,
       "npt.new_arsenal": 0.09, "npt.withdrawal": 0.045, "npt.key_withdrawal": 0.11,
       "npt.revcon_impact": 0.035, "npt.collapse_threshold": 0.2, "npt.revcon_failure_rate": 0.5}


def _npt_state():
    k = Run()
    a = k.ix
    k.set(NPT)
    k.SCG[T, L.SG_REVCON] = 0.0
    k.si[0, L.SI_COLLAPSED] = 0
    for code in ("KOR", "DEU", "TUR", "USA"):     # exploring parties (USA: a weapon state)
        k.xi[0, a[code], L.XI_STATUS] = 1
        k.xi[0, a[code], L.XI_NPT] = 1
    k.xi[0, a["TWN"], L.XI_STATUS] = 1            # exploring, not a party
    k.xi[0, a["TWN"], L.XI_NPT] = 0
    return k


def test_npt_5_7_withdrawals_and_strength():
    """§5.7: h_W = base exp(erosion (ref − N)); exploring non-weapon-state parties leave if
    u(NPT, i) < min(h_W, 1); N ← N + rec (1 − N) − ψ_A n_A − ψ_W n_W − ψ_K n_K − impact 1{failed RevCon}."""
    k = _npt_state()
    a = k.ix
    N0 = 0.62
    k.sf[0, L.SF_NPT] = N0
    k.si[0, L.SI_NEW_ARSENALS] = 1
    k.si[0, L.SI_WITHDRAWALS] = 1
    k.si[0, L.SI_KEY_WITHDRAWALS] = 0
    k.SCG[T, L.SG_REVCON] = 1.0
    u255 = u(YEAR, rng.NPT, 255)
    k.set({"npt.revcon_failure_rate": (1.0 + u255) / 2.0})   # > u: the conference fails
    h = 0.12 * math.exp(4.2 * (0.8 - N0))
    xi0 = k.xi.copy()
    _npt(YEAR, T, KEY, k.xi, k.sf, k.si, k.P, k.D, k.SCG, k.log)
    left = [i for i in range(k.n) if xi0[0, i, L.XI_NPT] == 1 and xi0[0, i, L.XI_STATUS] == 1
            and k.D[i, L.D_NWS] == 0 and u(YEAR, rng.NPT, i) < min(h, 1.0)]
    for i in range(k.n):
        assert k.xi[0, i, L.XI_NPT] == (0 if i in left else xi0[0, i, L.XI_NPT]), k.actors[i]
    assert a["KOR"] in left and a["TUR"] not in left          # both outcomes exercised
    assert u(YEAR, rng.NPT, a["USA"]) < h and u(YEAR, rng.NPT, a["TWN"]) < h   # excluded anyway
    nW = 1 + len(left)
    nK = sum(1 for i in left if k.D[i, L.D_KEY_NPT] > 0)
    assert k.si[0, L.SI_WITHDRAWALS] == nW and k.si[0, L.SI_KEY_WITHDRAWALS] == nK
    N = N0 + 0.03 * (1 - N0) - 0.09 * 1 - 0.045 * nW - 0.11 * nK - 0.035
    assert N > 0.2 and abs(k.sf[0, L.SF_NPT] - N) < TOL
    assert k.si[0, L.SI_COLLAPSED] == 0
    assert sorted(k.events()) == sorted((YEAR, i, L.EV_NPT_WITHDRAW) for i in left)


def test_npt_5_7_collapse_and_absorbing():
    """§5.7: below the threshold the regime collapses (N = 0, event); once collapsed nothing moves."""
    k = _npt_state()
    for code in ("KOR", "DEU", "TUR"):
        k.xi[0, k.ix[code], L.XI_STATUS] = 0
    k.sf[0, L.SF_NPT] = 0.4
    k.si[0, L.SI_NEW_ARSENALS] = 2
    k.si[0, L.SI_WITHDRAWALS] = 0
    k.si[0, L.SI_KEY_WITHDRAWALS] = 0
    k.SCG[T, L.SG_REVCON] = 1.0
    k.set({"npt.collapse_threshold": 0.3, "npt.revcon_failure_rate": u(YEAR, rng.NPT, 255) / 2.0})
    _npt(YEAR, T, KEY, k.xi, k.sf, k.si, k.P, k.D, k.SCG, k.log)
    assert 0.4 + 0.03 * 0.6 - 0.18 < 0.3            # no RevCon impact: 0.238 is below 0.3
    assert k.si[0, L.SI_COLLAPSED] == 1 and k.sf[0, L.SF_NPT] == 0.0
    assert k.events() == [(YEAR, -1, L.EV_NPT_COLLAPSE)]
    # absorbing: a collapsed regime, an exploring party with h_W = 1: nothing happens
    k2 = _npt_state()
    k2.si[0, L.SI_COLLAPSED] = 1
    k2.sf[0, L.SF_NPT] = 0.5
    k2.set({"npt.withdraw_base": 5.0})
    xi0, si0 = k2.xi.copy(), k2.si.copy()
    _npt(YEAR, T, KEY, k2.xi, k2.sf, k2.si, k2.P, k2.D, k2.SCG, k2.log)
    assert k2.sf[0, L.SF_NPT] == 0.5
    np.testing.assert_array_equal(k2.xi, xi0)
    np.testing.assert_array_equal(k2.si, si0)
    assert k2.events() == []


# --------------------------------------------------------------------------- 5.8 alignment

ALIGN = {"align.inertia": 1.7, "align.credibility": 2.3, "align.power.JPN": -0.6, "align.power.KOR": 0.8,
         "align.power.TWN": -0.35, "align.power.AUS": 0.45, "align.coercion_memory": 0.55, "align.turtling": 1.1,
         "align.camp": 0.45, "align.coercion": 0.9, "align.bal.JPN": 1.6, "align.acc.JPN": -0.7,
         "align.bal.KOR": -0.4, "align.acc.KOR": 1.2, "align.bal.TWN": 1.9, "align.acc.TWN": -0.3,
         "align.bal.AUS": 1.3, "align.acc.AUS": -1.1, "order.power": 1.2, "order.accommodation": 2.1,
         "order.credibility": 1.8}


def _align_state(scale):
    k = Run()
    a = k.ix
    k.set({n: v * (scale if n.startswith("align.") else 1.0) for n, v in ALIGN.items()})
    k.si[0, L.SI_CAMP] = 1                                   # conservative
    k.xf[0, a["CHN"], L.XF_GDP] = 21000.0
    for code, U, U0, gdp, lp0, posture in (("KOR", 0.35, 0.62, 1700.0, 2.3, 2), ("JPN", 0.74, 0.7, 4100.0, 1.5, 0),
                                          ("TWN", 0.2, 0.55, 780.0, 3.2, 1), ("AUS", 0.66, 0.6, 1750.0, 2.6, 0)):
        i = a[code]
        k.xf[0, i, L.XF_UMBRELLA] = U
        k.xf[0, i, L.XF_UMB0] = U0
        k.xf[0, i, L.XF_GDP] = gdp
        k.D[i, L.D_LOGPOW0] = lp0
        k.xi[0, i, L.XI_POSTURE] = posture
    k.xi[0, a["AUS"], L.XI_STATUS] = 3                       # armed: turtling
    k.xi[0, a["TWN"], L.XI_COERCED] = 1
    k.xf[0, a["KOR"], L.XF_COERCION_MEM] = 0.8               # remembered coercion of earlier years
    k.xf[0, a["TWN"], L.XF_COERCION_MEM] = 0.3
    return k


def _utilities(k):
    a = k.ix
    out = {}
    chn = a["CHN"]
    for i in range(k.n):
        if k.D[i, L.D_ALIGNER] == 0:
            continue
        code = k.actors[i]
        dU = k.xf[0, i, L.XF_UMBRELLA] - k.xf[0, i, L.XF_UMB0]
        dP = math.log(k.xf[0, chn, L.XF_GDP] / k.xf[0, i, L.XF_GDP]) - k.D[i, L.D_LOGPOW0]
        armed = float(k.xi[0, i, L.XI_STATUS] == 3)
        kor = code == "KOR"
        mem = k.p("align.coercion_memory") * k.xf[0, i, L.XF_COERCION_MEM] + k.xi[0, i, L.XI_COERCED]
        ub = (k.p(f"align.bal.{code}") + k.p("align.credibility") * dU - k.p(f"align.power.{code}") * dP
              - k.p("align.turtling") * armed + k.p("align.camp") * (kor and k.si[0, L.SI_CAMP] == 1))
        uh = 0.0
        ua = (k.p(f"align.acc.{code}") - k.p("align.credibility") * dU + k.p(f"align.power.{code}") * dP
              + k.p("align.turtling") * armed + k.p("align.camp") * (kor and k.si[0, L.SI_CAMP] == 0)
              - k.p("align.coercion") * mem * (1.0 - armed))
        uu = [ub, uh, ua]
        uu[int(k.xi[0, i, L.XI_POSTURE])] += k.p("align.inertia")
        out[i] = np.array(uu)
    return out


def _order(k, postures):
    a = k.ix
    al = list(postures)
    gdp = k.xf[0, 0, L.XF_GDP] + sum(k.xf[0, i, L.XF_GDP] for i in al)
    x = k.p("order.power") * math.log(k.xf[0, a["CHN"], L.XF_GDP] / gdp)
    x += k.p("order.accommodation") * (sum(postures[i] == 2 for i in al) / len(al) - 1.0 / 3.0)
    x -= k.p("order.credibility") * (np.mean([k.xf[0, i, L.XF_UMBRELLA] for i in al]) - 0.5)
    return sig(x)


@pytest.mark.parametrize("first", [+1, -1], ids=["KOR_JPN_above", "KOR_JPN_below"])
@pytest.mark.parametrize("camp", [1, 0], ids=["conservative", "progressive"])
def test_alignment_5_8_multinomial_draw_and_order(first, camp):
    """§5.8: utilities (credibility, power, turtling, camp, coercion, inertia), the multinomial
    logit over (balancing, hedging, accommodating) drawn with u(ALIGN, i), and the order index.
    Each aligner's align.bal constant is set so that P(balancing) lies 1e−9 above or below its
    draw (KOR and JPN on the side `first`, TWN and AUS on the other), and the aligners of each
    pair share every feature: an error in a term moves P(balancing) across the draw for one of
    the two (KOR, the only actor with a camp term, is placed on both sides across the cases)."""
    k = _align_state(scale=1.0)
    a = k.ix
    k.si[0, L.SI_CAMP] = camp
    feats = {  # U, U0, GDP, D_LOGPOW0, current posture, status, coerced
        ("KOR", "TWN"): (0.35, 0.62, 1700.0, 1.1, 1, 0, 1),
        ("JPN", "AUS"): (0.74, 0.6, 4100.0, 0.9, 2, 3, 1)}
    side = {}
    for pair, (U, U0, gdp, lp0, posture, status, coerced) in feats.items():
        for code, s in zip(pair, (first, -first), strict=True):
            i = a[code]
            k.xf[0, i, L.XF_UMBRELLA], k.xf[0, i, L.XF_UMB0], k.xf[0, i, L.XF_GDP] = U, U0, gdp
            k.D[i, L.D_LOGPOW0] = lp0
            k.xi[0, i, L.XI_POSTURE], k.xi[0, i, L.XI_STATUS], k.xi[0, i, L.XI_COERCED] = posture, status, coerced
            k.set({f"align.bal.{code}": 0.0})
            side[i] = s
    uu = _utilities(k)
    for i, s in side.items():
        q = u(YEAR, rng.ALIGN, i) + s * 1e-9
        S = math.exp(uu[i][1]) + math.exp(uu[i][2])
        k.set({f"align.bal.{k.actors[i]}": math.log(q * S / (1.0 - q)) - uu[i][0]})
    uu = _utilities(k)
    mem0 = k.xf[0, :, L.XF_COERCION_MEM].copy()
    _alignment(YEAR, T, KEY, k.xf, k.xi, k.sf, k.si, k.P, k.D, k.inp.align_idx)
    for i in uu:   # the memory of coercion: m <- memory m + coerced
        want = k.p("align.coercion_memory") * mem0[i] + k.xi[0, i, L.XI_COERCED]
        assert abs(k.xf[0, i, L.XF_COERCION_MEM] - want) < TOL
    postures = {}
    for i, ui in uu.items():
        pr = np.exp(ui - ui.max())
        pr /= pr.sum()
        draw = u(YEAR, rng.ALIGN, i)
        assert abs(pr[0] - (draw + side[i] * 1e-9)) < 1e-12
        want = int(np.searchsorted(np.cumsum(pr), draw, side="right"))
        assert (want == 0) == (side[i] > 0)
        assert k.xi[0, i, L.XI_POSTURE] == want, (k.actors[i], pr, draw)
        postures[i] = want
    assert abs(k.sf[0, L.SF_ORDER] - _order(k, postures)) < TOL


def test_alignment_5_8_utility_argmax():
    """§5.8: with every align.* parameter × 60 the draw cannot overturn the utilities: the
    posture is argmax(u_bal, u_hed, u_acc) of the printed utilities."""
    k = _align_state(scale=60.0)
    uu = _utilities(k)
    _alignment(YEAR, T, KEY, k.xf, k.xi, k.sf, k.si, k.P, k.D, k.inp.align_idx)
    postures = {}
    for i, ui in uu.items():
        srt = np.sort(ui)
        assert srt[-1] - srt[-2] > 30.0                   # the draw cannot matter
        postures[i] = int(np.argmax(ui))
        assert k.xi[0, i, L.XI_POSTURE] == postures[i], k.actors[i]
    assert len(set(postures.values())) >= 2              # more than one posture chosen
    assert abs(k.sf[0, L.SF_ORDER] - _order(k, postures)) < TOL

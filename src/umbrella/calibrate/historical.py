"""Historical mode, Python side: exogenous paths from the panel, the run, and what is measured on
simulated histories (onset rates, funnel, lags, odds ratios). The kernel is
`umbrella.engine.history`; see its docstring for what is exogenous and what is simulated.

Missing covariates are carried forward, then backward, within a state; a state-year still
missing one cannot move (as if absent), which keeps the simulation on the rows the backbone
was fitted on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from umbrella.calibrate import backbone as bb
from umbrella.engine import layout as L
from umbrella.engine import params
from umbrella.engine.arrays import Log, State, Static
from umbrella.engine.history import (
    N_X,
    X_LATENCY,
    X_MAJOR,
    X_NPT,
    X_PACT,
    X_PRESENT,
    X_REGIONAL,
    X_RIVAL,
    X_THREAT,
    simulate,
)

COLS = {X_LATENCY: "nuk7set1", X_THREAT: "ln_ri_t", X_RIVAL: "r_nukep", X_PACT: "nuke_a_d",
        X_NPT: "npt_rati", X_REGIONAL: "regpowt", X_MAJOR: "majpow"}
FIRST, LAST = 1939, 2017


@dataclass
class History:
    """Simulated statuses (run, year, state) next to the panel's record."""
    years: np.ndarray
    ccodes: np.ndarray
    status: np.ndarray        # (run, year, state) int8; the placeholder rival is dropped
    start_status: np.ndarray  # (state,) status at the end of the year before the start
    X: np.ndarray             # (year, state, N_X) exogenous covariates used
    params: np.ndarray
    observed: np.ndarray      # (year, state) Bleek status, -1 where the state is absent

    def reached(self) -> np.ndarray:
        """Highest status reached so far, including before the start (run, year, state)."""
        s = np.maximum.accumulate(self.status, axis=1)
        return np.maximum(s, self.start_status[None, None, :])


def _filled(df: pd.DataFrame) -> pd.DataFrame:
    cols = list(COLS.values())
    g = df.sort_values(["ccode1", "year"]).groupby("ccode1")[cols]
    out = df.sort_values(["ccode1", "year"]).copy()
    out[cols] = g.ffill()
    out[cols] = out.groupby("ccode1")[cols].bfill()
    return out


def inputs(start_year: int, end_year: int, panel: pd.DataFrame | None = None):
    """Exogenous paths and starting statuses for a run over start_year..end_year."""
    if not FIRST <= start_year <= end_year <= LAST:
        raise ValueError(f"historical mode covers {FIRST}-{LAST}; got {start_year}-{end_year}")
    df = _filled(bb.history_panel() if panel is None else panel)
    ccodes = np.array(sorted(df.loc[df["year"].between(start_year, end_year), "ccode1"].unique()))
    years = np.arange(start_year, end_year + 1)
    k = {c: i for i, c in enumerate(ccodes)}
    A = len(ccodes) + 1   # + the placeholder rival
    X = np.zeros((len(years), A, N_X))
    obs = -np.ones((len(years), len(ccodes)), np.int8)
    d = df[df["year"].between(start_year, end_year) & df["ccode1"].isin(k)]
    ti, ai = (d["year"].to_numpy() - start_year), d["ccode1"].map(k).to_numpy()
    for j, c in COLS.items():
        X[ti, ai, j] = d[c].to_numpy(float)
    complete = d[list(COLS.values())].notna().all(axis=1).to_numpy()
    X[ti, ai, X_PRESENT] = complete
    X = np.nan_to_num(X)
    obs[ti, ai] = d["status"].to_numpy()
    # statuses at the end of the year before the start, and years in the current status
    before = df[(df["year"] < start_year) & df["ccode1"].isin(k)].sort_values("year")
    s0 = np.zeros(len(ccodes), np.int8)
    reached0 = np.zeros(len(ccodes), np.int8)
    since = np.zeros(len(ccodes))
    for c, g in before.groupby("ccode1"):
        st = g["status"].to_numpy()
        i = k[c]
        s0[i], reached0[i] = st[-1], st.max()
        run = 1
        while run < len(st) and st[-1 - run] == st[-1]:
            run += 1
        since[i] = run
    return years, ccodes, X, s0, reached0, since, obs


def _regions(ccodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adjacency lists: neighbours = same COW region; rival slot 0 filled per year by the kernel."""
    reg = bb.region(ccodes)
    A = len(ccodes) + 1
    K = max(int(np.bincount(reg).max()), 2)
    G = -np.ones((A, L.N_G, K), np.int64)
    GW = np.zeros((A, K))
    for a in range(len(ccodes)):
        peers = [b for b in np.flatnonzero(reg == reg[a]) if b != a]
        G[a, L.G_NB, :len(peers)] = peers
        GW[a, :len(peers)] = 1.0
    return G, GW


def run(start_year: int, end_year: int, *, runs: int = 1000, seed: int = 1939, world=None,
        backbone: bb.Backbone | None = None, panel: pd.DataFrame | None = None) -> History:
    """Simulate the panel's states from start_year to end_year (inclusive)."""
    from umbrella.scenario.load import load_world
    world = load_world("consensus") if world is None else world
    years, ccodes, X, s0, reached0, since, obs = inputs(start_year, end_year, panel)
    A = len(ccodes) + 1
    P = params.sample(world, {}, seed, 0, runs, backbone=backbone)
    G, GW = _regions(ccodes)
    D = np.zeros((A, L.N_D))
    D[:, L.D_ENR] = 1.0           # the time-to-weapon median is the historical pursuers' lag
    D[A - 1, L.D_NWS] = 1.0       # the placeholder rival never moves
    xf = np.zeros((runs, A, L.N_XF))
    xi = np.zeros((runs, A, L.N_XI), np.int64)
    xi[:, :-1, L.XI_STATUS] = s0
    xi[:, :-1, L.XI_REACHED] = reached0
    xi[:, :-1, L.XI_YEARS] = since
    xi[:, -1, L.XI_STATUS] = L.PURSUE
    xf[:, :, L.XF_TTW] = -1.0
    pf = np.zeros((runs, 0, L.N_PF))
    sf = np.zeros((runs, L.N_SF))
    si = np.zeros((runs, L.N_SI), np.int64)
    out = np.zeros((runs, len(years), A), np.int8)
    ev = Log(np.zeros((runs, L.MAX_EVENTS), np.int16), np.zeros((runs, L.MAX_EVENTS), np.int16),
             np.zeros((runs, L.MAX_EVENTS), np.int8), np.zeros((runs, L.MAX_EVENTS, L.N_TERMS), np.float32),
             np.zeros(runs, np.int32))
    obs_full = -np.ones((len(years), A), np.int8)
    obs_full[:, :-1] = obs
    none = np.zeros(0, np.int64)   # no schedules, pairs or postures in historical mode
    static = Static(P, D, G, GW, np.zeros((0, A, L.N_SC)), np.zeros((0, L.N_SG)), none, none, none,
                    np.zeros((A, 3), np.int64), np.zeros((0, 0, L.N_SP)))
    simulate(seed, 0, start_year, X, obs_full, State(xf, xi, pf, sf, si), static, out, ev)
    return History(years, ccodes, out[:, :, :-1], s0, X[:, :-1], P, obs)


LEVELS = (("explore", 1), ("pursue", 2), ("arsenal", 3))
STATUS_NAMES = ("none", "explore", "pursue", "arsenal")


def state_names() -> dict[int, str]:
    """COW code -> name, from Bleek's spells and the actor registry (else 'COW n')."""
    from umbrella.data.load import load_table
    names = {int(r.ccode): str(r.country) for r in load_table("bleek_spells").itertuples()}
    for r in load_table("actors").itertuples():
        names.setdefault(int(r.cow_code), str(r.name_en))
    return names


def summarise(h: History, sc=None) -> dict:
    """Counts of states at each level by year (simulated median, p10, p90 and the record), the
    states likeliest to start pursuing, and the chance of a runaway (>= 15 armed states)."""
    reached = h.reached()
    obs_reached = np.maximum.accumulate(np.where(h.observed < 0, 0, h.observed), axis=0)
    obs_reached = np.maximum(obs_reached, h.start_status[None, :])
    Y = len(h.years)
    step = max(1, -(-(Y - 1) // 4))        # at most five report years, the last always included
    report = sorted({int(h.years[i]) for i in range(0, Y, step)} | {int(h.years[-1])})
    counts = {}
    for name, lv in LEVELS:
        counts[name] = {}
        for y in report:
            t = int(y - h.years[0])
            n = (reached[:, t] >= lv).sum(axis=1)
            counts[name][str(y)] = {"median": float(np.median(n)), "p10": float(np.percentile(n, 10)),
                                    "p90": float(np.percentile(n, 90)), "observed": int((obs_reached[t] >= lv).sum())}
    names = state_names()
    at_risk = np.flatnonzero(h.start_status < 2)
    p_pursue = (reached[:, -1, at_risk] >= 2).mean(axis=0)
    p_arsenal = (reached[:, -1, at_risk] >= 3).mean(axis=0)
    order = np.argsort(-p_pursue, kind="stable")[:10]
    top = [{"state": names.get(int(h.ccodes[at_risk[i]]), f"COW {int(h.ccodes[at_risk[i]])}"),
            "ccode": int(h.ccodes[at_risk[i]]), "p_pursue": float(p_pursue[i]), "p_arsenal": float(p_arsenal[i]),
            "record": STATUS_NAMES[int(obs_reached[-1, at_risk[i]])]} for i in order]
    armed = (h.status[:, -1] == 3).sum(axis=1)
    return {"mode": "historical", "scenario": "historical", "runs": int(h.status.shape[0]),
            "seed": None if sc is None else sc.seed, "start_year": int(h.years[0]), "horizon": int(h.years[-1]),
            "states": int(len(h.ccodes)), "report_years": report, "counts": counts, "top_states": top,
            "armed_at_horizon": {"median": float(np.median(armed)), "p10": float(np.percentile(armed, 10)),
                                 "p90": float(np.percentile(armed, 90))},
            "p_armed_ge15": float((armed >= 15).mean())}

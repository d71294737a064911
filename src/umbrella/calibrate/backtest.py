"""`umbrella backtest`: the backbone against history (VALIDATION H3-H10).

* In-sample history: simulate every state of the panel from 1939 to 2017 on the shipped
  backbone and measure, on the simulated histories, what the record shows: onset rates
  1939-92 (H3), the funnel 1939-2017 (H4), the pursuit-to-arsenal lag (H5), the odds ratios of
  a pact, a rival's programme and the NPT (H7-H9).
* Rolling origins (H6): fit the backbone on the panel through an origin year, simulate the ten
  years after it from the states' statuses at the origin, and score the forecast "pursues within
  10 years" for every state not yet pursuing (the share of runs in which it does, with Jeffreys'
  correction (k + 1/2)/(n + 1)): AUC, Brier, log score, calibration slope, and Brier
  skill against the base rate (the training years' ten-year pursuit rate) and against
  persistence (every state stays as it is: probability 0).
* Runaway checks (H10): from 1963 conditions to 1975, and from 2005 to 2015.

Simulated odds ratios are logits of the simulated onsets on the exogenous covariates, pooled
over runs, with the same risk sets as the re-analysis (onsets.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from umbrella.calibrate import backbone as bb
from umbrella.calibrate import historical, scores
from umbrella.calibrate.binary import fit_logit
from umbrella.engine.history import X_LATENCY, X_MAJOR, X_NPT, X_PACT, X_PRESENT, X_REGIONAL, X_RIVAL, X_THREAT

ORIGINS = (1965, 1975, 1985, 1995, 2005)
WINDOW = 10
OBSERVED_FUNNEL = {"explore": 31, "pursue": 17, "arsenal": 10}   # Bleek (2017), literature §1.1


def _onset_frame(h: historical.History, stage: str, until: int, runs: int) -> pd.DataFrame:
    """Simulated risk-set rows (first `runs` runs, years <= until): covariates and the event."""
    top, level = {"explore": (0, 1), "pursue": (1, 2)}[stage]
    T = int(np.searchsorted(h.years, until, side="right"))
    S = h.status[:runs, :T].astype(np.int16)
    prev = np.concatenate([np.broadcast_to(h.start_status, (S.shape[0], 1, S.shape[2])), S[:, :-1]], axis=1)
    present = h.X[:T, :, X_PRESENT] > 0
    at_risk = (prev <= top) & present[None]
    r, t, a = np.nonzero(at_risk)
    X = h.X[t, a]
    return pd.DataFrame({
        "event": (S[r, t, a] >= level).astype(float), "run": r, "state": a,
        "latent_capability": X[:, X_LATENCY], "conventional_threat": X[:, X_THREAT],
        "rival_programme": X[:, X_RIVAL], "nuclear_pact": X[:, X_PACT], "npt": X[:, X_NPT],
        "regional_power": X[:, X_REGIONAL], "major_power": X[:, X_MAJOR],
    })


def odds_ratios(h: historical.History, until: int = 1992, runs: int = 200) -> dict[str, float]:
    """Pact, rival and NPT odds ratios of simulated onsets, from the same logit as the re-analysis
    (without democracy and time, which the engine does not carry)."""
    out = {}
    terms = ("latent_capability", "conventional_threat", "rival_programme", "nuclear_pact", "npt",
             "regional_power", "major_power")
    for stage in ("explore", "pursue"):
        d = _onset_frame(h, stage, until, runs)
        X = np.column_stack([np.ones(len(d))] + [d[c].to_numpy() for c in terms])
        f = fit_logit(d["event"].to_numpy(), X, ("constant",) + terms)
        orat = dict(zip(f.names, np.exp(f.coef), strict=True))
        out[f"pact_{stage}"] = float(orat["nuclear_pact"])
        out[f"rival_{stage}"] = float(orat["rival_programme"])
        out[f"npt_{stage}"] = float(orat["npt"])
    out["npt"] = float(np.sqrt(out["npt_explore"] * out["npt_pursue"]))
    return out


def onset_rates(h: historical.History, until: int = 1992) -> dict[str, float]:
    """Simulated crude annual onset rates over the risk sets, years <= until."""
    out = {}
    for stage in ("explore", "pursue"):
        d = _onset_frame(h, stage, until, h.status.shape[0])
        out[stage] = float(d["event"].mean())
    # Jo & Gartzke's programmes are closest to Bleek's pursuit (with a few of Bleek's explore
    # spells: Sweden, Taiwan, Argentina, Romania), so a simulated programme onset is a pursuit onset
    out["program_jg"] = out["pursue"]
    return out


def funnel(h: historical.History) -> dict[str, dict[str, float]]:
    reached = h.reached()[:, -1]            # (run, state), 1939-2017 when started in 1939
    out = {}
    for name, level in (("explore", 1), ("pursue", 2), ("arsenal", 3)):
        n = (reached >= level).sum(axis=1)
        obs = int(((h.observed >= level).any(axis=0) | (h.start_status >= level)).sum())
        out[name] = {"mean": float(n.mean()), "p10": float(np.percentile(n, 10)),
                     "p90": float(np.percentile(n, 90)), "observed": obs,
                     "observed_bleek": OBSERVED_FUNNEL[name]}
    return out


def lag_median(h: historical.History) -> float:
    """Median years from the first simulated pursuit onset to the arsenal, over runs and states
    whose programme started and finished inside the simulation."""
    s = h.status
    lags = []
    for r in range(s.shape[0]):
        for a in np.flatnonzero((s[r, -1] == 3) & (h.start_status < 2)):
            p = np.flatnonzero(s[r, :, a] >= 2)
            q = np.flatnonzero(s[r, :, a] == 3)
            if len(p) and len(q):
                lags.append(q[0] - p[0])
    return float(np.median(lags)) if lags else float("nan")


def origin_scores(origin: int, *, runs: int, seed: int, world=None, panel=None) -> dict:
    """Fit through `origin`, simulate origin+1 .. origin+WINDOW, score 'pursues within 10 years'."""
    panel = bb.history_panel() if panel is None else panel
    fit = bb.fit(panel, through=origin)
    end = min(origin + WINDOW, historical.LAST)
    h = historical.run(origin + 1, end, runs=runs, seed=seed, world=world, backbone=fit, panel=panel)
    at_risk = (h.start_status < 2) & (h.X[0, :, X_PRESENT] > 0)
    # the forecast is the Monte Carlo frequency with Jeffreys' correction, (k + 1/2) / (n + 1):
    # 0 of 500 runs is not a probability of 0, and a 0 would make log score and calibration
    # slope hostage to the number of runs
    k = (h.status[:, :, at_risk] >= 2).any(axis=1).sum(axis=0)
    p = (k + 0.5) / (runs + 1)
    y = ((h.observed[:, at_risk] >= 2).any(axis=0)).astype(float)
    base = _base_rate(panel, origin)
    slope = _slope(y, p)
    return {
        "fit_through": origin, "window": [origin + 1, end], "states": int(at_risk.sum()),
        "events": int(y.sum()), "auc": _safe(scores.auc, y, p),
        "brier": scores.brier(y, p), "log_score": scores.log_score(y, p),
        "brier_base": scores.brier(y, np.full_like(p, base)), "base_rate": base,
        "brier_skill_base": _safe(scores.brier_skill, y, p, base),
        "brier_skill_persistence": _safe(scores.brier_skill, y, p, 0.0),
        "calibration_slope": slope, "_y": y, "_p": p,
    }


def _safe(fn, *a) -> float:
    """A score, or NaN where the window makes it undefined (no event: AUC and skill against
    persistence have no meaning)."""
    try:
        return fn(*a)
    except ValueError:
        return float("nan")


def _slope(y, p) -> float:
    """Calibration slope, or NaN where a window's few events leave it unestimable (separation)."""
    try:
        return scores.calibration(y, p)[1]
    except ValueError:
        return float("nan")


def _base_rate(panel: pd.DataFrame, origin: int) -> float:
    """Climatology: the share of non-pursuing states that began pursuing within 10 years, over
    every training year whose 10-year window closes by the origin."""
    d = panel[panel["year"] <= origin]
    st = d.pivot_table(index="ccode1", columns="year", values="status", aggfunc="max")
    hits, n = 0, 0
    for y0 in range(historical.FIRST, origin - WINDOW + 1):
        if y0 not in st.columns:
            continue
        cols = [c for c in range(y0 + 1, y0 + WINDOW + 1) if c in st.columns]
        risk = st[y0].notna() & (st[y0] < 2)
        hit = (st.loc[risk, cols] >= 2).any(axis=1)
        hits += int(hit.sum())
        n += int(risk.sum())
    return hits / n if n else float("nan")


def runaway(runs: int, seed: int, world=None) -> dict:
    h63 = historical.run(1963, 1975, runs=runs, seed=seed, world=world)
    armed75 = (h63.status[:, -1] == 3).sum(axis=1)
    h05 = historical.run(2006, 2015, runs=runs, seed=seed, world=world)
    new = ((h05.status[:, -1] == 3) & (h05.start_status < 3)[None]).sum(axis=1)
    return {"from_1963": {"p_ge15_by_1975": float((armed75 >= 15).mean()), "median_1975": float(np.median(armed75))},
            "from_2005": {"median_new_by_2015": float(np.median(new)), "mean_new_by_2015": float(new.mean())}}


def anchoring(h: historical.History, world, until: int = 2017) -> dict[str, float]:
    """Mean cascade term gamma (E - E_ref) over the simulated risk years: the structural
    deviation stays near zero on simulated histories (literature §8.1)."""
    T = int(np.searchsorted(h.years, until, side="right"))
    S = h.status[:, :T].astype(np.int16)
    prev = np.concatenate([np.broadcast_to(h.start_status, (S.shape[0], 1, S.shape[2])), S[:, :-1]], axis=1)
    present = (h.X[:T, :, X_PRESENT] > 0)[None]
    reg = bb.region(h.ccodes)
    prog = (prev >= 2) & present
    E = np.zeros(prev.shape)
    for g in np.unique(reg):
        m = reg == g
        k = prog[:, :, m].sum(axis=2, keepdims=True)
        n = np.broadcast_to(present[:, :, m], prog[:, :, m].shape).sum(axis=2, keepdims=True)
        E[:, :, m] = (k - prog[:, :, m]) / np.maximum(n - 1, 1)
    out = {}
    for stage, top in (("explore", 0), ("pursue", 1)):
        risk = (prev <= top) & present & (h.X[:T, :, X_MAJOR] == 0)[None]
        if stage == "pursue":
            risk &= prev == 1
        g = world.parameters[f"prolif.cascade.{stage}"].value
        ref = world.parameters[f"prolif.{stage}.exposure_ref"].value
        out[stage] = float(g * (E[risk].mean() - ref))
    return out


def backtest(runs: int = 500, seed: int = 1939, world=None) -> dict:
    """Everything `umbrella backtest` reports (JSON contract in docs/validation.md)."""
    full = historical.run(historical.FIRST, historical.LAST, runs=runs, seed=seed, world=world)
    origins = [origin_scores(o, runs=runs, seed=seed, world=world) for o in ORIGINS]
    y = np.concatenate([o["_y"] for o in origins])
    p = np.concatenate([o["_p"] for o in origins])
    pooled = {"auc": scores.auc(y, p), "brier": scores.brier(y, p), "log_score": scores.log_score(y, p),
              "calibration_slope": scores.calibration(y, p)[1],
              "calibration_intercept": scores.calibration(y, p)[0],
              "brier_skill_base": scores.brier_skill(y, p, np.concatenate(
                  [np.full(len(o["_y"]), o["base_rate"]) for o in origins])),
              "brier_skill_persistence": scores.brier_skill(y, p, 0.0), "events": int(y.sum()), "forecasts": len(y)}
    rel = scores.reliability(y, p, bins=5, strategy="quantile")
    from umbrella.scenario.load import load_world
    return {
        "anchoring": anchoring(full, load_world("consensus") if world is None else world),
        "runs": runs, "seed": seed,
        "onset_rates": onset_rates(full), "onset_rates_observed": _observed_rates(),
        "funnel": funnel(full), "lag_median_years": lag_median(full),
        "odds_ratios": odds_ratios(full),
        "origins": [{k: v for k, v in o.items() if not k.startswith("_")} for o in origins],
        "pooled": pooled, "runaway": runaway(runs, seed, world),
        "_reliability": rel,
    }


def _observed_rates() -> dict[str, float]:
    from umbrella.calibrate import onsets
    df = onsets.panel()
    out = {st: float(onsets.risk_set(df, st, complete=False)["event"].mean()) for st in ("explore", "pursue")}
    out["program_jg"] = jg_program_onset_rate()
    return out


def jg_program_onset_rate() -> float:
    """Jo & Gartzke's programme onsets over their at-risk years (no programme last year), 1939-92:
    24 / 5,861 = 0.41 % (literature §1.2 reports 24 / 5,674 = 0.42 %)."""
    from umbrella.data.load import load_table
    d = load_table("jg").sort_values(["ccode1", "year"])
    prev = d.groupby("ccode1")["nuk_a_p"].shift(1).fillna(0)
    return float((d.loc[prev == 0, "nuk_a_p"] == 1).mean())

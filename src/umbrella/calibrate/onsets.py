"""Discrete-time onset hazards on Bleek's (2017) codings with Jo & Gartzke's covariates,
1939-1992: the re-analysis of literature §1.4 (VALIDATION H3, H7-H9), rebuilt from the bundled
tables.

Panel: every country-year of the Jo & Gartzke file; Bleek status s_t = the highest stage whose
spell covers year t (0 none, 1 explore, 2 pursue, 3 acquire). Risk sets, as in the re-analysis:
explore onset = rows with s_{t-1} = 0, event s_t >= 1; pursue onset = rows with s_{t-1} <= 1,
event s_t >= 2. Covariates (already lagged in the file): latent capability, conventional
threat, rival nuclear programme, defence pact with a nuclear power, democracy, NPT ratification,
major power, regional power, ln(years since 1938). Logit with standard errors clustered by
country; complete cases."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from umbrella.calibrate.binary import BinaryFit, fit_logit
from umbrella.calibrate.scores import auc
from umbrella.data.load import load_table

STAGE = {"Explore": 1, "Pursue": 2, "Acquire": 3}
COVARIATES: tuple[tuple[str, str], ...] = (
    ("latent_capability", "nuk7set1"), ("conventional_threat", "ln_ri_t"),
    ("rival_programme", "r_nukep"), ("nuclear_pact", "nuke_a_d"), ("democracy", "democ"),
    ("npt", "npt_rati"), ("major_power", "majpow"), ("regional_power", "regpowt"),
    ("ln_time", "l_year_t"), ("constant", "const"),
)
ONSETS = {"explore": (0, 1), "pursue": (1, 2)}   # stage: (highest status at risk, event level)


def bleek_status() -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    for r in load_table("bleek_spells").itertuples():
        for y in range(int(r.start), int(r.end) + 1):
            out[(int(r.ccode), y)] = max(out.get((int(r.ccode), y), 0), STAGE[r.stage])
    return out


def panel() -> pd.DataFrame:
    """Jo & Gartzke country-years with Bleek's status this year and last year."""
    df = load_table("jg").reset_index(drop=True).copy()
    st = bleek_status()
    df["status"] = [st.get((int(c), int(y)), 0) for c, y in zip(df.ccode1, df.year, strict=True)]
    df["status_prev"] = [st.get((int(c), int(y) - 1), 0) for c, y in zip(df.ccode1, df.year, strict=True)]
    df["const"] = 1.0
    return df


def risk_set(df: pd.DataFrame, stage: str, complete: bool = True) -> pd.DataFrame:
    top, level = ONSETS[stage]
    d = df[df["status_prev"] <= top].copy()
    d["event"] = (d["status"] >= level).astype(float)
    if complete:
        d = d.dropna(subset=[c for _, c in COVARIATES])
    return d


@dataclass(frozen=True)
class OnsetModel:
    stage: str
    fit: BinaryFit
    events: int
    at_risk: int
    crude_rate: float          # all risk years, complete or not
    crude_events: int
    crude_at_risk: int

    def odds_ratio(self, term: str) -> float:
        return float(np.exp(self.fit.coef[self.fit.names.index(term)]))

    def p_value(self, term: str) -> float:
        from scipy.stats import norm
        i = self.fit.names.index(term)
        return float(2 * norm.sf(abs(self.fit.coef[i] / self.fit.se[i])))


def fit(stage: str, df: pd.DataFrame | None = None) -> OnsetModel:
    df = panel() if df is None else df
    full = risk_set(df, stage, complete=False)
    d = risk_set(df, stage)
    X = np.column_stack([d[c].to_numpy(float) for _, c in COVARIATES])
    f = fit_logit(d["event"].to_numpy(), X, tuple(t for t, _ in COVARIATES), cluster=d["ccode1"].to_numpy())
    return OnsetModel(stage, f, int(d["event"].sum()), len(d), float(full["event"].mean()),
                      int(full["event"].sum()), len(full))


def reference() -> dict[str, dict[str, float]]:
    t = load_table("onset_reanalysis_reference")
    out: dict[str, dict[str, float]] = {}
    for r in t.itertuples():
        out.setdefault(r.stage, {})[r.term] = float(r.value)
    return out


REPORTED = ("nuclear_pact", "rival_programme", "npt", "latent_capability", "major_power",
            "regional_power", "conventional_threat")


def compare(df: pd.DataFrame | None = None) -> dict[str, dict]:
    """Each onset model next to the re-analysis it reproduces."""
    df = panel() if df is None else df
    ref = reference()
    out = {}
    for stage in ONSETS:
        m = fit(stage, df)
        d = risk_set(df, stage)
        X = np.column_stack([d[c].to_numpy(float) for _, c in COVARIATES])
        out[stage] = {
            "events": {"reference": ref[stage]["events"], "estimated": m.events},
            "at_risk": {"reference": ref[stage]["at_risk"], "estimated": m.at_risk},
            "crude_rate": {"reference": ref[stage]["crude_rate"], "estimated": m.crude_rate},
            "auc": {"reference": ref[stage]["auc"], "estimated": auc(d["event"].to_numpy(), m.fit.predict(X))},
            "odds_ratios": {t: {"reference": ref[stage][t], "estimated": m.odds_ratio(t),
                                "p_value": m.p_value(t)} for t in REPORTED},
            "model": m,
        }
    return out

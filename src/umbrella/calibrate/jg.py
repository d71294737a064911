"""Jo & Gartzke (2007) Model 1 re-estimated from the bundled replication data: the regression
test of the estimation code against a published table (VALIDATION H1-H2).

Model 1 is a probit of programme *presence* (`nuk_a_p`) on covariates already lagged one year in
the file. The temporal counter Count1 is not in the file; it is rebuilt as the number of
consecutive earlier country-years without a programme (0 in the first year a country appears and
in the year after a programme year), the lag-based variant of literature §1.2. List-wise deletion
on the covariates gives the published N = 4,697.

Presence is dominated by persistence (the counter), so these are not hazards: the simulator's
onset hazards must come from onset models (literature §1.2, warning)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from umbrella.calibrate.binary import BinaryFit, fit_probit
from umbrella.data.load import load_table

# (term, column) in the published table's order; 'count' is rebuilt, 'const' is the constant
TERMS: tuple[tuple[str, str], ...] = (
    ("latent_capability", "nuk7set1"), ("economic_capacity", "new_econ"), ("diffusion", "l_year_t"),
    ("conventional_threat", "ln_ri_t"), ("nuclear_threat", "r_nukep"), ("nuclear_defender", "nuke_a_d"),
    ("diplomatic_isolation", "d_isol"), ("domestic_unrest", "ln_xst1"), ("democracy", "democ"),
    ("npt", "npt_rati"), ("npt_system", "npt_eff"), ("major_power", "majpow"),
    ("regional_power", "regpowt"), ("count", "count"), ("constant", "const"),
)
DEPENDENT = "nuk_a_p"


def count1(df: pd.DataFrame) -> np.ndarray:
    """Consecutive earlier non-programme years of each country (rows in any order)."""
    out = np.zeros(len(df))
    order = df.sort_values(["ccode1", "year"])
    pos = df.index.get_indexer(order.index)
    n, last = 0, None
    for k, (c, prog) in zip(pos, zip(order["ccode1"].to_numpy(), order[DEPENDENT].to_numpy(), strict=True),
                            strict=True):
        if c != last:
            n, last = 0, c
        out[k] = n
        n = 0 if prog == 1 else n + 1
    return out


def panel() -> pd.DataFrame:
    """The estimation sample: the replication file plus Count1, list-wise complete."""
    df = load_table("jg").reset_index(drop=True).copy()
    df["count"] = count1(df)
    df["const"] = 1.0
    cols = [c for _, c in TERMS]
    return df.dropna(subset=[DEPENDENT, *cols]).reset_index(drop=True)


def design(df: pd.DataFrame) -> np.ndarray:
    return np.column_stack([df[c].to_numpy(float) for _, c in TERMS])


def fit_model1(df: pd.DataFrame | None = None) -> BinaryFit:
    df = panel() if df is None else df
    # standard errors clustered by country, as in the published table
    return fit_probit(df[DEPENDENT].to_numpy(float), design(df), tuple(t for t, _ in TERMS),
                      cluster=df["ccode1"].to_numpy())


def published() -> dict[str, tuple[float, float | None]]:
    t = load_table("jg_model1_published")
    return {r.term: (float(r.coef), None if pd.isna(r.se) else float(r.se)) for r in t.itertuples()}


def recycled(fit: BinaryFit, df: pd.DataFrame, term: str, value: float) -> float:
    """Mean predicted probability with one covariate set to `value` for every observation and
    the others at their observed values (Jo & Gartzke's 'recycled predictions', Table 3)."""
    X = design(df)
    X[:, [t for t, _ in TERMS].index(term)] = value
    return float(fit.predict(X).mean())


@dataclass(frozen=True)
class Comparison:
    fit: BinaryFit
    table: dict[str, dict]      # term -> published, estimated, se_published, se_estimated, z
    pseudo_r2: tuple[float, float]   # published, estimated
    loglik: tuple[float, float]


def compare() -> Comparison:
    fit = fit_model1()
    pub = published()
    table = {}
    for term, (b, s) in fit.as_dict().items():
        pb, ps = pub[term]
        table[term] = {"published": pb, "estimated": b, "se_published": ps, "se_estimated": s,
                       "z": (b - pb) / ps}
    return Comparison(fit, table, (pub["pseudo_r2"][0], fit.pseudo_r2), (pub["loglik"][0], fit.loglik))

"""The proliferation backbone: discrete-time onset hazards fitted on the historical panel, in the
engine's own form, with their covariance (literature §8.1, §8.4a, §8.5).

One complementary log-log model per transition the engine makes:

    explore           status_{t-1} = 0                      event status_t >= 1
    pursue            status_{t-1} = 1 (or a same-year 0->2) event status_t >= 2
    reversal_explore  status_{t-1} = 1                      event status_t = 0
    reversal_pursue   status_{t-1} = 2                      event status_t <= 1

Onset covariates are the engine's terms on Jo & Gartzke's scales: latent capability (0-7),
conventional threat, a rival's programme, a defence pact with a nuclear power (the engine's
umbrella at its reference credibility), NPT ratification and regional power.

Major powers' country-years are left out of every risk set. The seven onsets of major powers
(USA, UK, USSR, France, China, Germany and Japan, 1939-52) are the founding great powers'
programmes; with them in, a major-power term takes an odds ratio of about 14 (coefficient 2.6,
1939-2017) that would apply to Japan and Germany, which the Correlates of War codes as major
powers since 1991 on economic weight and which began nothing in 27 years each. The backbone
therefore describes states that are not great powers; in historical mode the major powers'
statuses are the record (exogenous), and the forward engine's major powers are nuclear-armed
except Japan and Germany, which it treats like other non-nuclear states (docs/calibration.md).
Exploration reversal has a pact term (a credible umbrella makes stopping likelier, Bleek &
Lorber 2014); pursuit reversal is a constant rate. Arsenal onset is not a hazard: the engine
draws a time to weapon at pursuit onset (docs/model.md).

The engine's statuses are sequential, so the pursue model is fitted on explorers (conditioning
on exploring); a same-year 0->2 jump (Libya 1970, Pakistan 1972) counts as an explorer
pursuing. Neither a first-year term nor ln(years exploring) is distinguishable from zero on
the 15 non-major pursuit onsets (0.35 +- 0.70 and -0.11 +- 0.29), so the hazard is flat in
duration.

Anchors: the engine's cascade term is gamma (E - E_ref), E = the share of an actor's neighbours
with a programme; E_ref is the mean of E over the explore and pursue risk sets of the panel, with
neighbours = the other states of the same Correlates of War region. So the term averages about
zero under historical conditions and the fit survives (literature §8.1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from umbrella.calibrate.binary import BinaryFit, fit_binary
from umbrella.data.backbone import covariance_block, estimate, shipped  # noqa: F401 - re-exported readers

ONSET_TERMS: tuple[tuple[str, str], ...] = (
    ("base", "const"), ("latency", "nuk7set1"), ("threat", "ln_ri_t"), ("rival", "r_nukep"),
    ("umbrella", "nuke_a_d"), ("npt", "npt_rati"), ("regional", "regpowt"),
)
TRANSITIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "explore": ONSET_TERMS,
    "pursue": ONSET_TERMS,
    "reversal_explore": (("base", "const"), ("umbrella", "nuke_a_d")),
    "reversal_pursue": (("base", "const"),),
}
FIRST_YEAR, LAST_YEAR = 1939, 2017
# weakly informative normal prior on every coefficient but the intercept: it barely moves the
# full-panel fit (28 explore onsets over 9,760 years) and keeps the few-event fits of early
# backtest origins finite under separation (Gelman, Jakulin, Pittau & Su 2008, Ann. Appl. Stat.)
PRIOR_SD = 2.5


def region(ccode) -> np.ndarray:
    """Correlates of War region of a state code: 1 Americas, 2 Europe, 3 Africa, 4 Middle East,
    5 Asia and Oceania (the COW codebook's numbering blocks)."""
    c = np.asarray(ccode, int)
    return np.select([c < 200, c < 400, c < 600, c < 700], [1, 2, 3, 4], 5)


def risk_set(df: pd.DataFrame, transition: str) -> pd.DataFrame:
    """Rows at risk of `transition`, with the 0/1 column `event`."""
    df = df[df["majpow"] != 1]
    s0, s = df["status_prev"], df["status"]
    if transition == "explore":
        d, ev = df[s0 == 0], s >= 1
    elif transition == "pursue":
        d, ev = df[(s0 == 1) | ((s0 == 0) & (s >= 2))], s >= 2
    elif transition == "reversal_explore":
        d, ev = df[s0 == 1], s == 0
    elif transition == "reversal_pursue":
        d, ev = df[s0 == 2], s <= 1
    else:
        raise ValueError(f"transition {transition!r}: expected one of {', '.join(TRANSITIONS)}")
    d = d.copy()
    d["event"] = ev[d.index].astype(float)
    d["const"] = 1.0
    return d.dropna(subset=[c for _, c in TRANSITIONS[transition] if c != "const"])


def exposure(df: pd.DataFrame) -> pd.Series:
    """Regional cascade exposure per row: the share of the other states of the row's COW region,
    present in the panel that year, whose status last year was pursue or arsenal."""
    prog = (df["status_prev"] >= 2).astype(float)
    key = pd.DataFrame({"year": df["year"], "region": region(df["ccode1"]), "prog": prog, "one": 1.0})
    g = key.groupby(["year", "region"])[["prog", "one"]].transform("sum")
    others = (g["one"] - 1.0).clip(lower=1.0)
    return (g["prog"] - key["prog"]) / others


@dataclass(frozen=True)
class Backbone:
    fits: dict[str, BinaryFit]
    events: dict[str, int]
    at_risk: dict[str, int]
    exposure_ref: dict[str, float]
    years: tuple[int, int]

    def table(self) -> pd.DataFrame:
        """Long table: transition, term, coef, se (the engine's parameter is prolif.<transition>.<term>)."""
        rows = []
        for tr, f in self.fits.items():
            for name, c, s in zip(f.names, f.coef, f.se, strict=True):
                rows.append((tr, name, float(c), float(s)))
        for tr, v in self.exposure_ref.items():
            rows.append((tr, "exposure_ref", float(v), 0.0))
        return pd.DataFrame(rows, columns=["transition", "term", "coef", "se"])

    def covariance(self) -> pd.DataFrame:
        rows = []
        for tr, f in self.fits.items():
            for i, a in enumerate(f.names):
                for j, b in enumerate(f.names):
                    rows.append((tr, a, b, float(f.cov[i, j])))
        return pd.DataFrame(rows, columns=["transition", "term_i", "term_j", "cov"])


def fit(df: pd.DataFrame, through: int | None = None) -> Backbone:
    """Fit every transition on the panel rows up to `through` (inclusive; all rows by default).
    Standard errors and covariances are clustered by country."""
    if through is not None:
        df = df[df["year"] <= through]
    df = df.assign(exposure=exposure(df))
    fits, events, at_risk, ref = {}, {}, {}, {}
    for tr, terms in TRANSITIONS.items():
        d = risk_set(df, tr)
        X = d[[c for _, c in terms]].to_numpy(float)
        f = _fit_identified(d["event"].to_numpy(), X, tuple(t for t, _ in terms), d["ccode1"].to_numpy())
        fits[tr], events[tr], at_risk[tr] = f, int(d["event"].sum()), len(d)
        if tr in ("explore", "pursue"):
            ref[tr] = float(d["exposure"].mean())
    return Backbone(fits, events, at_risk, ref, (int(df["year"].min()), int(df["year"].max())))


def _fit_identified(y, X, names, cluster) -> BinaryFit:
    """Fit on the columns that vary in the risk set; a term without variation (e.g. the NPT
    before 1968, in a backtest fitted through an early origin) gets 0 with no variance: the data
    of that time carry no information on it."""
    keep = np.array([n == "base" or np.ptp(X[:, i]) > 0 for i, n in enumerate(names)])
    f = fit_binary(y, X[:, keep], tuple(n for n, k in zip(names, keep, strict=True) if k), link="cloglog",
                   cluster=cluster, prior_sd=PRIOR_SD)
    if keep.all():
        return f
    coef = np.zeros(len(names))
    cov = np.zeros((len(names), len(names)))
    coef[keep] = f.coef
    cov[np.ix_(keep, keep)] = f.cov
    return BinaryFit(tuple(names), coef, np.sqrt(np.diag(cov)), f.loglik, f.loglik_null, f.n, f.iterations,
                     f.link, cov)


def _header(bb: Backbone, what: str) -> list[str]:
    lo, hi = bb.years
    counts = "; ".join(f"{t} {bb.events[t]} events / {bb.at_risk[t]} at risk" for t in TRANSITIONS)
    return [
        f"Proliferation backbone ({what}): complementary log-log hazards fitted on historical_panel.csv, {lo}-{hi}",
        ("  (Bleek 2017 codings x Jo & Gartzke 2007 covariates, extended past 1992 as documented in "
         "docs/calibration.md);"),
        "  standard errors clustered by country (Stata's small-sample factor). Written by `umbrella calibrate --write`",
        "  (umbrella.calibrate.backbone); a test refits the panel and compares. Do not edit by hand.",
        f"  {counts}.",
        ("  term exposure_ref: mean regional cascade exposure over the risk set (the engine's cascade term is centred "
         "on it)."),
    ]


def write(bb: Backbone, tables_dir=None) -> list[str]:
    """Write backbone.csv and backbone_cov.csv (atomically: temp file then rename)."""
    import os
    from pathlib import Path

    from umbrella.data.load import TABLES_DIR
    d = Path(tables_dir if tables_dir is not None else TABLES_DIR)
    written = []
    for name, frame, what in (("backbone.csv", bb.table(), "coefficients"),
                              ("backbone_cov.csv", bb.covariance(), "covariance")):
        text = "".join(f"# {h}\n" for h in _header(bb, what)) + frame.to_csv(index=False, float_format="%.10g",
                                                                           lineterminator="\n")
        tmp = d / (name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, d / name)
        written.append(str(d / name))
    shipped.cache_clear()
    return written


def history_panel() -> pd.DataFrame:
    """The historical panel the backbone is fitted on (1939-2017 when bundled; JG years otherwise)."""
    try:
        from umbrella.calibrate.panel import load_panel
    except ImportError:  # pragma: no cover - the panel module ships with the package
        from umbrella.calibrate.onsets import panel as load_panel
    return load_panel()

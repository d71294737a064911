"""Strategic probit (Signorino 1999, 2003): maximum likelihood for the two-player, three-outcome
crisis game `games::egame12` (Kenkel & Signorino 2014) with agent error, built on `qre.solve`.

Game (qre.EGAME12): player 1 keeps the status quo (SQ, utility u11) or challenges; player 2 then
capitulates (CAP: u13 for player 1, u23 for player 2) or fights (WAR: u14, u24). Normalisations
as in the package's example: u13 = 0 and u23 = 0 (player 2's SQ payoff is never used). Utilities
are linear in covariates, u11 = X11 b11, u14 = X14 b14, u24 = X24 b24, and with unit-variance
agent errors (qre dist "probit", lam = 1)

    p4 = Pr(WAR | challenge) = Phi(u24 / sqrt 2)
    p2 = Pr(challenge)       = Phi((p4 u14 + (1 - p4) u13 - u11) / sqrt 2)
    Pr(SQ, CAP, WAR)         = (1 - p2, p2 (1 - p4), p2 p4).

The log-likelihood sums log Pr(observed outcome); its gradient is analytic (chain rule through
the two probits). The fit is deterministic: starting values by statistical backward induction (a
probit of player 2's choice on X24 among challenges, then a probit of the challenge on
[-X11, p4 X14], both scaled by sqrt 2, as in the package), then BFGS, then Newton steps on the
numerical Hessian (central differences of the analytic gradient) until the step is below 1e-10.
Standard errors: the inverse of minus that Hessian (what the package reports), or
cluster-robust through `calibrate.binary.sandwich` when `cluster` is given.

`war1800_design()` builds the package's example model m1,
``esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2``, on the bundled `war1800`
table (complete cases); R codes regime1/regime2 as factors with levels autoc, dem, mixed, so
autocracy is the reference category. `war1800_m1()` fits it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import log_ndtr

from . import qre
from .binary import fit_probit, sandwich

OUTCOMES = ("SQ", "CAP", "WAR")
_SQRT2 = np.sqrt(2.0)
_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


@dataclass(frozen=True)
class Fit:
    coef: np.ndarray
    se: np.ndarray
    loglik: float
    n: int
    shares: dict[str, float]      # mean predicted probability of SQ, CAP, WAR
    pct_correct: float            # % of cases whose most probable predicted outcome is observed
    names: tuple[str, ...] = ()
    cov: np.ndarray | None = None
    sizes: tuple[int, int, int] = (0, 0, 0)   # columns of X11, X14, X24
    iterations: int = 0
    gradient_norm: float = np.nan   # max |score| at the estimate

    def as_dict(self) -> dict[str, tuple[float, float]]:
        return {n: (float(b), float(s)) for n, b, s in zip(self.names, self.coef, self.se, strict=False)}

    def predict(self, X11, X14, X24) -> np.ndarray:
        """(n, 3) predicted probabilities of SQ, CAP, WAR."""
        return outcome_probs(self.coef, *_design(X11, X14, X24, self.sizes))


@dataclass(frozen=True)
class Design:
    y: np.ndarray          # 0 = SQ, 1 = CAP, 2 = WAR
    X11: np.ndarray
    X14: np.ndarray
    X24: np.ndarray
    names: tuple[str, ...]


def _design(X11, X14, X24, sizes=None):
    Xs = [np.asarray(X, float) for X in (X11, X14, X24)]
    Xs = [X[:, None] if X.ndim == 1 else X for X in Xs]
    n = Xs[0].shape[0]
    if any(X.ndim != 2 or X.shape[0] != n for X in Xs):
        raise ValueError(f"strategic probit: X11, X14, X24 must be 2-D with the same rows; got "
                         f"{[np.shape(X) for X in (X11, X14, X24)]}")
    if sizes is not None and tuple(X.shape[1] for X in Xs) != tuple(sizes):
        raise ValueError(f"strategic probit: design has {[X.shape[1] for X in Xs]} columns; fit has {sizes}")
    return Xs


def _split(b, Xs):
    k = np.cumsum([0] + [X.shape[1] for X in Xs])
    return [b[k[i]:k[i + 1]] for i in range(3)]


def utilities(b, X11, X14, X24) -> np.ndarray:
    """(n, 3, 2) utilities of EGAME12's outcomes SQ, CAP, WAR for players 1 and 2 (u13 = u23 = 0;
    player 2's SQ payoff, never used, is set to 0)."""
    b11, b14, b24 = _split(np.asarray(b, float), (X11, X14, X24))
    u = np.zeros((X11.shape[0], 3, 2))
    u[:, 0, 0] = X11 @ b11
    u[:, 2, 0] = X14 @ b14
    u[:, 2, 1] = X24 @ b24
    return u


def outcome_probs(b, X11, X14, X24) -> np.ndarray:
    return qre.solve(qre.EGAME12, utilities(b, X11, X14, X24), "probit").outcome


def _loglik_and_scores(b, y, X11, X14, X24):
    """Log-likelihood and the (n, K) per-case scores d log Pr(y_c) / d b."""
    u = utilities(b, X11, X14, X24)
    sol = qre.solve(qre.EGAME12, u, "probit")
    rows = np.arange(len(y))
    ll = float(sol.log_outcome[rows, y].sum())
    u11, u14, u24 = u[:, 0, 0], u[:, 2, 0], u[:, 2, 1]
    p4 = sol.choice["2"][:, 1]
    z2 = u24 / _SQRT2
    z1 = (p4 * u14 - u11) / _SQRT2

    def mills(z):  # d log Phi(z) / dz = phi(z) / Phi(z), in logs for the tails
        return np.exp(-0.5 * z * z - _LOG_SQRT_2PI - log_ndtr(z))

    # d log-lik / d z1 and d / d z2 by outcome: SQ log Phi(-z1); CAP log Phi(z1) + log Phi(-z2);
    # WAR log Phi(z1) + log Phi(z2)
    l1 = np.where(y == 0, -mills(-z1), mills(z1))
    l2 = np.select([y == 1, y == 2], [-mills(-z2), mills(z2)], 0.0)
    dp4_du24 = np.exp(-0.5 * z2 * z2 - _LOG_SQRT_2PI) / _SQRT2
    d11 = -l1 / _SQRT2
    d14 = l1 * p4 / _SQRT2
    d24 = l1 * u14 * dp4_du24 / _SQRT2 + l2 / _SQRT2
    scores = np.hstack([X11 * d11[:, None], X14 * d14[:, None], X24 * d24[:, None]])
    return ll, scores


def loglik(b, y, X11, X14, X24) -> float:
    return _loglik_and_scores(np.asarray(b, float), np.asarray(y), *_design(X11, X14, X24))[0]


def _hessian(b, y, Xs):
    """Central differences of the analytic gradient, symmetrised."""
    K = len(b)
    H = np.empty((K, K))
    for j in range(K):
        h = 1e-5 * max(1.0, abs(b[j]))
        e = np.zeros(K)
        e[j] = h
        gp = _loglik_and_scores(b + e, y, *Xs)[1].sum(axis=0)
        gm = _loglik_and_scores(b - e, y, *Xs)[1].sum(axis=0)
        H[:, j] = (gp - gm) / (2 * h)
    return 0.5 * (H + H.T)


def start_values(y, X11, X14, X24) -> np.ndarray:
    """Statistical backward induction (deterministic): probit of WAR vs CAP among challenges on
    X24, then probit of challenge on [-X11, p4 X14]; coefficients times sqrt 2 (agent error has
    variance 2 per comparison). Zeros where a probit cannot be fitted."""
    y = np.asarray(y)
    K = [X.shape[1] for X in (X11, X14, X24)]
    try:
        ch = y >= 1
        g = fit_probit((y[ch] == 2).astype(float), X24[ch], tuple(f"z{i}" for i in range(K[2]))).coef
        p4 = qre.choice_probs(np.column_stack([np.zeros(len(y)), _SQRT2 * (X24 @ g)]), "probit")[0][:, 1]
        X1 = np.hstack([-X11, X14 * p4[:, None]])
        b1 = fit_probit(ch.astype(float), X1, tuple(f"x{i}" for i in range(K[0] + K[1]))).coef
        return _SQRT2 * np.concatenate([b1, g])
    except (RuntimeError, np.linalg.LinAlgError, ValueError):
        return np.zeros(sum(K))


def fit(y, X11, X14, X24, names, *, cluster=None, start=None, max_newton: int = 50) -> Fit:
    """Maximum-likelihood strategic probit of EGAME12 (see the module docstring). y: 0 = SQ,
    1 = CAP, 2 = WAR; X11, X14, X24: regressors (include a constant column if wanted) of u11, u14,
    u24; names: one per column of X11, X14, X24 in that order."""
    Xs = _design(X11, X14, X24)
    y = np.asarray(y)
    if y.shape != (Xs[0].shape[0],) or not np.isin(y, (0, 1, 2)).all():
        raise ValueError("strategic probit: y must be one of 0 (SQ), 1 (CAP), 2 (WAR) per row")
    sizes = tuple(X.shape[1] for X in Xs)
    names = tuple(names)
    if len(names) != sum(sizes):
        raise ValueError(f"strategic probit: {len(names)} names for {sum(sizes)} coefficients")
    b = start_values(y, *Xs) if start is None else np.asarray(start, float).copy()

    def negll(beta):
        ll, sc = _loglik_and_scores(beta, y, *Xs)
        return -ll, -sc.sum(axis=0)

    res = minimize(negll, b, jac=True, method="BFGS", options={"gtol": 1e-6, "maxiter": 2000})
    b = res.x
    cur, g = -res.fun, -res.jac
    it = int(res.nit)
    for _ in range(max_newton):
        H = _hessian(b, y, Xs)
        try:
            step = np.linalg.solve(-H, g)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while True:
            new, sc = _loglik_and_scores(b + t * step, y, *Xs)
            if new >= cur - 1e-12 or t < 1e-8:
                break
            t *= 0.5
        if new < cur - 1e-12:
            break
        b, cur, g = b + t * step, new, sc.sum(axis=0)
        it += 1
        if np.max(np.abs(t * step)) < 1e-10:
            break
    ll, scores = _loglik_and_scores(b, y, *Xs)
    H = _hessian(b, y, Xs)
    cov = sandwich(-H, scores, cluster)
    probs = outcome_probs(b, *Xs)
    shares = dict(zip(OUTCOMES, (float(s) for s in probs.mean(axis=0)), strict=False))
    pct = 100.0 * float(np.mean(probs.argmax(axis=1) == y))
    return Fit(b, np.sqrt(np.diag(cov)), ll, len(y), shares, pct, names, cov, sizes, it,
               float(np.max(np.abs(scores.sum(axis=0)))))


# ------------------------------------------------------------------ the package's example, war1800

M1_COLUMNS = ("esc", "war", "s_wt_re1", "revis1", "regime1", "balanc", "regime2")
REGIME_LEVELS = ("autoc", "dem", "mixed")   # R factor levels; the first is the reference


def _dummies(s: pd.Series, prefix: str) -> list[tuple[str, np.ndarray]]:
    return [(f"{prefix}{lv}", (s == lv).to_numpy(float)) for lv in REGIME_LEVELS[1:]]


def war1800_design(df: pd.DataFrame | None = None) -> Design:
    """Design of `egame12(esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2,
    data = war1800)`: complete cases of the model's variables (282 of 313 rows); y = esc + war."""
    if df is None:
        from ..data.load import load_table
        df = load_table("war1800")
    d = df.loc[:, list(M1_COLUMNS)].dropna()
    y = (d["esc"] + d["war"]).to_numpy(int)
    one = np.ones(len(d))
    cols = {
        "u11": [("constant", one), ("s_wt_re1", d["s_wt_re1"].to_numpy(float)),
                ("revis1", d["revis1"].to_numpy(float))],
        "u14": [("constant", one)] + _dummies(d["regime1"], "regime1"),
        "u24": [("constant", one), ("balanc", d["balanc"].to_numpy(float))] + _dummies(d["regime2"], "regime2"),
    }
    X = {k: np.column_stack([c for _, c in v]) for k, v in cols.items()}
    names = tuple(f"{k}:{n}" for k, v in cols.items() for n, _ in v)
    return Design(y, X["u11"], X["u14"], X["u24"], names)


def war1800_m1(df: pd.DataFrame | None = None) -> Fit:
    """The package's example model m1 fitted on the bundled war1800 table."""
    d = war1800_design(df)
    return fit(d.y, d.X11, d.X14, d.X24, d.names)

"""Maximum-likelihood binary-response models (probit, logit, complementary log-log): one
deterministic Newton scheme with step halving (no random starts; converges on near-separated
data), standard errors from the information matrix or cluster-robust.

Each link supplies, at the linear predictor xb, the log-likelihood and two weights per row:
the score dll/dxb and the information weight (the observed -d2ll/dxb2 for probit and logit,
the expected one for cloglog, i.e. Fisher scoring there)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, log_expit, log_ndtr, ndtr

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


def _probit(xb, y):
    q = 2.0 * y - 1.0
    # inverse Mills ratio of the observed side: q phi(q xb) / Phi(q xb), in logs for stability
    lam = q * np.exp(-0.5 * xb * xb - _LOG_SQRT_2PI - log_ndtr(q * xb))
    return float(log_ndtr(q * xb).sum()), lam, lam * (lam + xb)


def _logit(xb, y):
    p = expit(xb)
    return float(log_expit((2.0 * y - 1.0) * xb).sum()), y - p, p * (1.0 - p)


def _cloglog(xb, y):
    mu = np.exp(np.minimum(xb, 30.0))
    p = np.clip(-np.expm1(-mu), 1e-300, 1.0)
    return float(np.sum(y * np.log(p) - (1.0 - y) * mu)), mu * (y - p) / p, mu * mu * (1.0 - p) / p


_LINKS = {"probit": _probit, "logit": _logit, "cloglog": _cloglog}


@dataclass(frozen=True)
class BinaryFit:
    names: tuple[str, ...]
    coef: np.ndarray
    se: np.ndarray
    loglik: float
    loglik_null: float   # intercept-only model
    n: int
    iterations: int
    link: str = "probit"
    cov: np.ndarray | None = None   # covariance of coef (cluster-robust when fitted with clusters)

    @property
    def pseudo_r2(self) -> float:
        """McFadden's pseudo-R2, 1 - logL / logL0 (what Stata's probit reports)."""
        return 1.0 - self.loglik / self.loglik_null

    def predict(self, X: np.ndarray) -> np.ndarray:
        xb = X @ self.coef
        if self.link == "probit":
            return ndtr(xb)
        if self.link == "cloglog":
            return -np.expm1(-np.exp(np.minimum(xb, 30.0)))
        return expit(xb)

    def as_dict(self) -> dict[str, tuple[float, float]]:
        return {n: (float(b), float(s)) for n, b, s in zip(self.names, self.coef, self.se, strict=True)}


def fit_binary(y: np.ndarray, X: np.ndarray, names: tuple[str, ...], link: str, *, cluster=None,
               tol: float = 1e-10, max_iter: int = 500, prior_sd: float | None = None,
               unpenalized: tuple[str, ...] = ("constant", "base")) -> BinaryFit:
    """Fit Pr(y = 1) = F(X b) for F the `link`'s inverse. y in {0, 1}; X includes the constant
    column if wanted. With `cluster` (one label per row), standard errors are cluster-robust.
    With `prior_sd`, the estimate is the posterior mode under independent normal(0, prior_sd)
    priors on every coefficient but the `unpenalized` ones (a weakly informative prior keeps
    a few-event fit finite under separation; Gelman et al. 2008), and the covariance uses the
    penalised information."""
    parts = _LINKS[link]
    y = np.asarray(y, float)
    X = np.asarray(X, float)
    if X.ndim != 2 or X.shape[0] != y.shape[0] or X.shape[1] != len(names):
        raise ValueError(f"{link}: X is {X.shape}, y has {y.shape[0]} rows, {len(names)} names")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError(f"{link}: y must be 0 or 1")
    b = np.zeros(X.shape[1])
    if link == "cloglog" and "constant" in names:
        b[names.index("constant")] = np.log(-np.log1p(-y.mean()))  # rare events: start at the rate
    pen = np.zeros(X.shape[1])
    if prior_sd is not None:
        pen = np.array([0.0 if n in unpenalized else 1.0 / prior_sd ** 2 for n in names])

    def objective(beta):
        ll, sc, inf = parts(X @ beta, y)
        return ll - 0.5 * float(np.sum(pen * beta * beta)), sc, inf

    cur, score, info = objective(b)
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` is read after the loop (BinaryFit iterations)
        step = np.linalg.solve((X * info[:, None]).T @ X + np.diag(pen), X.T @ score - pen * b)
        t = 1.0
        while objective(b + t * step)[0] < cur - 1e-12 and t > 1e-10:
            t *= 0.5
        b = b + t * step
        new, score, info = objective(b)
        done = abs(new - cur) < tol and np.max(np.abs(t * step)) < 1e-7
        cur = new
        if done:
            break
    else:
        raise RuntimeError(f"{link} did not converge in {max_iter} iterations")
    cov = sandwich((X * info[:, None]).T @ X + np.diag(pen), X * score[:, None] - pen * b / len(y), cluster)
    if prior_sd is not None:
        cur = parts(X @ b, y)[0]   # report the likelihood itself, not the penalised objective
    p0 = y.mean()
    ll0 = float(y.sum() * np.log(p0) + (len(y) - y.sum()) * np.log(1.0 - p0))
    return BinaryFit(tuple(names), b, np.sqrt(np.diag(cov)), cur, ll0, len(y), it, link, cov)


def fit_probit(y, X, names, **kw) -> BinaryFit:
    return fit_binary(y, X, names, "probit", **kw)


def fit_logit(y, X, names, **kw) -> BinaryFit:
    return fit_binary(y, X, names, "logit", **kw)


def fit_cloglog(y, X, names, **kw) -> BinaryFit:
    return fit_binary(y, X, names, "cloglog", **kw)


def sandwich(info: np.ndarray, scores: np.ndarray, cluster=None) -> np.ndarray:
    """Covariance of the estimates: the inverse information, or cluster-robust with Stata's
    small-sample factor G/(G-1) (N-1)/(N-K)."""
    inv = np.linalg.inv(info)
    if cluster is None:
        return inv
    _, groups = np.unique(np.asarray(cluster), return_inverse=True)
    G = groups.max() + 1
    S = np.zeros((G, scores.shape[1]))
    np.add.at(S, groups, scores)
    N, K = scores.shape
    cov = inv @ (S.T @ S) @ inv * (G / (G - 1)) * ((N - 1) / (N - K))
    return 0.5 * (cov + cov.T)

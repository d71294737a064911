"""Maximum-likelihood probit: Newton-Raphson on the analytic gradient and Hessian with step
halving, so the fit is deterministic (no random starts) and converges on near-separated data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import log_ndtr, ndtr

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


@dataclass(frozen=True)
class ProbitFit:
    names: tuple[str, ...]
    coef: np.ndarray
    se: np.ndarray
    loglik: float
    loglik_null: float   # intercept-only model
    n: int
    iterations: int
    link: str = "probit"

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
        return 1.0 / (1.0 + np.exp(-xb))

    def as_dict(self) -> dict[str, tuple[float, float]]:
        return {n: (float(b), float(s)) for n, b, s in zip(self.names, self.coef, self.se)}


def fit_probit(y: np.ndarray, X: np.ndarray, names: tuple[str, ...], *, cluster=None,
               tol: float = 1e-10, max_iter: int = 200) -> ProbitFit:
    """Fit Pr(y = 1) = Phi(X b). y in {0, 1}; X includes the constant column if wanted.
    With `cluster` (one label per row), standard errors are cluster-robust (sandwich with
    Stata's small-sample factor G/(G-1) (N-1)/(N-K)); otherwise from the inverse Hessian."""
    y = np.asarray(y, float)
    X = np.asarray(X, float)
    if X.ndim != 2 or X.shape[0] != y.shape[0] or X.shape[1] != len(names):
        raise ValueError(f"probit: X is {X.shape}, y has {y.shape[0]} rows, {len(names)} names")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("probit: y must be 0 or 1")
    q = 2.0 * y - 1.0

    def loglik(b):
        return float(log_ndtr(q * (X @ b)).sum())

    b = np.zeros(X.shape[1])
    cur = loglik(b)
    it = 0
    H = None
    for it in range(1, max_iter + 1):
        xb = X @ b
        # inverse Mills ratio of the observed side: q phi(q xb) / Phi(q xb), in logs for stability
        lam = q * np.exp(-0.5 * xb * xb - _LOG_SQRT_2PI - log_ndtr(q * xb))
        g = X.T @ lam
        H = -(X * (lam * (lam + xb))[:, None]).T @ X
        step = np.linalg.solve(H, g)
        t = 1.0
        while loglik(b - t * step) < cur - 1e-12 and t > 1e-10:
            t *= 0.5
        b = b - t * step
        new = loglik(b)
        done = abs(new - cur) < tol and np.max(np.abs(t * step)) < 1e-7
        cur = new
        if done:
            break
    else:
        raise RuntimeError(f"probit did not converge in {max_iter} iterations")
    xb = X @ b
    lam = q * np.exp(-0.5 * xb * xb - _LOG_SQRT_2PI - log_ndtr(q * xb))
    H = -(X * (lam * (lam + xb))[:, None]).T @ X
    se = sandwich(H, X * lam[:, None], cluster)
    p0 = y.mean()
    ll0 = float(y.sum() * np.log(p0) + (len(y) - y.sum()) * np.log(1.0 - p0))
    return ProbitFit(tuple(names), b, se, cur, ll0, len(y), it)


def sandwich(H: np.ndarray, scores: np.ndarray, cluster=None) -> np.ndarray:
    """Standard errors: inverse Hessian, or cluster-robust (Stata's small-sample factor)."""
    Hinv = np.linalg.inv(-H)
    if cluster is None:
        return np.sqrt(np.diag(Hinv))
    _, groups = np.unique(np.asarray(cluster), return_inverse=True)
    G = groups.max() + 1
    S = np.zeros((G, scores.shape[1]))
    np.add.at(S, groups, scores)
    N, K = scores.shape
    V = Hinv @ (S.T @ S) @ Hinv * (G / (G - 1)) * ((N - 1) / (N - K))
    return np.sqrt(np.diag(V))

"""Maximum-likelihood logit, the same deterministic Newton scheme and cluster-robust standard
errors as `probit` (used for the discrete-time onset hazards)."""

from __future__ import annotations

import numpy as np
from scipy.special import expit, log_expit

from umbrella.calibrate.probit import ProbitFit, sandwich


def fit_logit(y: np.ndarray, X: np.ndarray, names: tuple[str, ...], *, cluster=None,
              tol: float = 1e-10, max_iter: int = 200) -> ProbitFit:
    y = np.asarray(y, float)
    X = np.asarray(X, float)
    if X.ndim != 2 or X.shape[0] != y.shape[0] or X.shape[1] != len(names):
        raise ValueError(f"logit: X is {X.shape}, y has {y.shape[0]} rows, {len(names)} names")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("logit: y must be 0 or 1")
    q = 2.0 * y - 1.0

    def loglik(b):
        return float(log_expit(q * (X @ b)).sum())

    b = np.zeros(X.shape[1])
    cur = loglik(b)
    for it in range(1, max_iter + 1):
        p = expit(X @ b)
        g = X.T @ (y - p)
        H = -(X * (p * (1 - p))[:, None]).T @ X
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
        raise RuntimeError(f"logit did not converge in {max_iter} iterations")
    p = expit(X @ b)
    H = -(X * (p * (1 - p))[:, None]).T @ X
    se = sandwich(H, X * (y - p)[:, None], cluster)
    p0 = y.mean()
    ll0 = float(y.sum() * np.log(p0) + (len(y) - y.sum()) * np.log(1.0 - p0))
    return ProbitFit(tuple(names), b, se, cur, ll0, len(y), it, link="logit")

"""Maximum-likelihood complementary log-log binary model, the engine's hazard form
h = 1 - exp(-exp(eta)): Fisher scoring with step halving (deterministic), standard errors from
the expected information or cluster-robust."""

from __future__ import annotations

import numpy as np

from umbrella.calibrate.probit import ProbitFit, sandwich


def _parts(X, b, y):
    eta = np.minimum(X @ b, 30.0)
    mu = np.exp(eta)
    p = np.clip(-np.expm1(-mu), 1e-300, 1.0)
    ll = float(np.sum(y * np.log(p) - (1.0 - y) * mu))
    score_w = mu * (y - p) / p                      # d ll / d eta
    info_w = mu * mu * (1.0 - p) / p                # expected information weight
    return ll, score_w, info_w


def fit_cloglog(y: np.ndarray, X: np.ndarray, names: tuple[str, ...], *, cluster=None,
                tol: float = 1e-10, max_iter: int = 500) -> ProbitFit:
    y = np.asarray(y, float)
    X = np.asarray(X, float)
    if X.ndim != 2 or X.shape[0] != y.shape[0] or X.shape[1] != len(names):
        raise ValueError(f"cloglog: X is {X.shape}, y has {y.shape[0]} rows, {len(names)} names")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("cloglog: y must be 0 or 1")
    b = np.zeros(X.shape[1])
    b[0] = np.log(-np.log1p(-y.mean())) if "constant" not in names else 0.0
    if "constant" in names:
        b[names.index("constant")] = np.log(-np.log1p(-y.mean()))
    cur, sw, iw = _parts(X, b, y)
    for it in range(1, max_iter + 1):
        g = X.T @ sw
        info = (X * iw[:, None]).T @ X
        step = np.linalg.solve(info, g)
        t = 1.0
        while _parts(X, b + t * step, y)[0] < cur - 1e-12 and t > 1e-10:
            t *= 0.5
        b = b + t * step
        new, sw, iw = _parts(X, b, y)
        done = abs(new - cur) < tol and np.max(np.abs(t * step)) < 1e-7
        cur = new
        if done:
            break
    else:
        raise RuntimeError(f"cloglog did not converge in {max_iter} iterations")
    info = (X * iw[:, None]).T @ X
    se = sandwich(-info, X * sw[:, None], cluster)
    p0 = y.mean()
    ll0 = float(y.sum() * np.log(p0) + (len(y) - y.sum()) * np.log(1.0 - p0))
    return ProbitFit(tuple(names), b, se, cur, ll0, len(y), it, link="cloglog")

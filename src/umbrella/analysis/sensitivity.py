"""Global sensitivity analysis of explored outcomes: Sobol' indices and Morris screening (SALib).

Inputs are plain data: a SALib-style *problem* dict ``{"num_vars": D, "names": [...], "bounds":
[[lo, hi], ...]}`` (uniform factors), the design ``X`` (an (n, D) array in the sampler's row order)
and the outcomes ``Y`` (a DataFrame with n rows in the same order, one float column per outcome).
Outputs are long DataFrames, one row per (outcome, parameter), sorted by outcome then rank.

Sobol' (`sobol`)
    ``Y`` must be in the row order of ``SALib.sample.sobol.sample(problem, N,
    calc_second_order=second_order)``: N * (D + 2) rows, or N * (2D + 2) with second order. S1 is
    the first-order index (the share of the outcome's variance explained by the parameter alone),
    ST the total index (alone and in interactions); the ``*_conf`` columns are the half-widths of
    the bootstrap confidence intervals at ``conf_level``. Estimates are reported as SALib gives
    them (a small negative S1 is sampling noise around 0, not clipped). With ``second_order=True``
    the function only needs to know the row layout; second-order indices are not reported.

Morris (`morris`)
    ``X`` and ``Y`` come from ``SALib.sample.morris.sample(problem, r, num_levels=...)``: r
    trajectories of D + 1 rows each. mu is the mean elementary effect, mu_star the mean of its
    absolute value (influence), sigma its standard deviation (non-linearity or interaction).

Degenerate outcomes
    An outcome that is constant over the design has no variance to apportion: its indices are 0
    and ``note`` says "constant". If SALib nevertheless returns a non-finite number (e.g. the
    outcome varies only in the cross-sampled rows) the index is set to 0 and ``note`` says
    "degenerate". NaN never appears in the output; NaN or infinite values in ``Y`` are rejected.

Seeds
    ``SALib.analyze.sobol.analyze`` treats ``seed=0`` as "no seed" (``if seed:``) and would draw
    its bootstrap from NumPy's global state, so the seed is passed as a ``numpy.random.Generator``
    (which SALib accepts) to make every seed, 0 included, reproducible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from umbrella.errors import InputError

SOBOL_COLUMNS = ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf", "rank", "note"]
MORRIS_COLUMNS = ["outcome", "parameter", "mu", "mu_star", "mu_star_conf", "sigma", "rank", "note"]


def check_problem(problem: object) -> tuple[int, list[str]]:
    """Validate a SALib-style problem dict (uniform factors); return (D, names)."""
    allowed = '{"num_vars": D, "names": [D unique str], "bounds": [[lo, hi] x D] with lo < hi}'
    if not isinstance(problem, dict):
        raise InputError("problem", type(problem).__name__, allowed, problem="is not a dict")
    for key in ("num_vars", "names", "bounds"):
        if key not in problem:
            raise InputError(f"problem.{key}", None, allowed, problem="is missing")
    d = problem["num_vars"]
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise InputError("problem.num_vars", d, "an integer >= 1")
    names = list(problem["names"])
    if len(names) != d or len(set(names)) != d or not all(isinstance(n, str) for n in names):
        raise InputError("problem.names", names, f"{d} unique strings (num_vars = {d})")
    bounds = np.asarray(problem["bounds"], dtype=float)
    if bounds.shape != (d, 2) or not np.all(np.isfinite(bounds)) or np.any(bounds[:, 0] >= bounds[:, 1]):
        raise InputError("problem.bounds", problem["bounds"], f"{d} pairs [lo, hi] of finite numbers with lo < hi")
    return int(d), names


def as_outcomes(Y: object, n_rows: int | None = None, key: str = "Y") -> pd.DataFrame:
    """Y as a float DataFrame with at least one row and column and only finite values.

    Accepts a DataFrame, a Series (one outcome) or a 1-D/2-D array (columns named y0, y1, ...).
    ``n_rows`` (when given) is the number of rows the caller expects."""
    if isinstance(Y, pd.Series):
        Y = Y.to_frame(name=str(Y.name) if Y.name is not None else "y")
    elif isinstance(Y, np.ndarray):
        arr = Y.reshape(-1, 1) if Y.ndim == 1 else Y
        if arr.ndim != 2:
            raise InputError(key, f"array of shape {Y.shape}", "a DataFrame, a Series or a 1-D/2-D array")
        Y = pd.DataFrame(arr, columns=[f"y{i}" for i in range(arr.shape[1])])
    if not isinstance(Y, pd.DataFrame):
        raise InputError(key, type(Y).__name__, "a DataFrame with one float column per outcome")
    if Y.shape[0] == 0 or Y.shape[1] == 0:
        raise InputError(key, f"{Y.shape[0]} rows x {Y.shape[1]} columns", "at least one row and one outcome column",
                         problem="is empty")
    if n_rows is not None and Y.shape[0] != n_rows:
        raise InputError(key, f"{Y.shape[0]} rows", f"{n_rows} rows (one per row of X)",
                         problem="does not match the design")
    out = {}
    for col in Y.columns:
        try:
            values = pd.to_numeric(Y[col], errors="raise").to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"{key}[{col}]", str(Y[col].dtype), "numbers", problem="is not numeric") from None
        bad = ~np.isfinite(values)
        if bad.any():
            raise InputError(f"{key}[{col}]", f"{int(bad.sum())} NaN or infinite values",
                             "finite numbers in every row", problem="are not allowed")
        out[str(col)] = values
    return pd.DataFrame(out)


def _check_conf(conf_level: float, num_resamples: int) -> None:
    """Confidence level strictly inside (0, 1) and at least two bootstrap resamples."""
    if not 0.0 < float(conf_level) < 1.0:
        raise InputError("conf_level", conf_level, "a number strictly between 0 and 1")
    if isinstance(num_resamples, bool) or not isinstance(num_resamples, (int, np.integer)) or num_resamples < 2:
        raise InputError("num_resamples", num_resamples, "an integer >= 2")


def _per_outcome(Y: pd.DataFrame, names: list[str], keys: tuple[str, ...], analyze) -> pd.DataFrame:
    """One row per (outcome, parameter) with SALib's indices `keys` of `analyze(y)`: zeros and
    note "constant" for an outcome without variance, "degenerate" where SALib gave a non-finite
    index (set to 0), so NaN never reaches the table."""
    d = len(names)
    rows = []
    for col in Y.columns:
        y = Y[col].to_numpy()
        if np.ptp(y) == 0.0:
            vals, note = {k: np.zeros(d) for k in keys}, "constant"
        else:
            res = analyze(y)
            parts = {k: _finite(res[k], d) for k in keys}
            vals = {k: v for k, (v, _) in parts.items()}
            note = "degenerate" if any(bad for _, bad in parts.values()) else ""
        for j, name in enumerate(names):
            rows.append({"outcome": col, "parameter": name, **{k: float(vals[k][j]) for k in keys}, "note": note})
    return pd.DataFrame(rows)


def _plain(problem: dict) -> dict:
    """A fresh copy of the problem for SALib, which may add keys (e.g. "groups") to the dict it gets."""
    return {"num_vars": int(problem["num_vars"]), "names": list(problem["names"]),
            "bounds": [list(map(float, b)) for b in problem["bounds"]]}


def _finite(values: object, d: int) -> tuple[np.ndarray, bool]:
    """Indices as a float array of length d with non-finite entries set to 0; whether any were."""
    arr = np.asarray(values, dtype=float).reshape(d)
    bad = ~np.isfinite(arr)
    return np.where(bad, 0.0, arr), bool(bad.any())


def _rank_within(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Add an integer `rank` per outcome (1 = largest `by`; ties keep parameter order); sort."""
    df["rank"] = df.groupby("outcome", sort=False)[by].rank(method="first", ascending=False).astype(int)
    order = {name: i for i, name in enumerate(dict.fromkeys(df["outcome"]))}
    df["_o"] = df["outcome"].map(order)
    return df.sort_values(["_o", "rank"], kind="stable").drop(columns="_o").reset_index(drop=True)


def sobol(problem: dict, Y: pd.DataFrame, *, second_order: bool = False, conf_level: float = 0.90,
          num_resamples: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Sobol' first-order (S1) and total (ST) indices of every outcome column of Y.

    Returns columns outcome, parameter, S1, S1_conf, ST, ST_conf, rank (by ST within outcome,
    1 = most influential), note ("" | "constant" | "degenerate"); sorted by outcome (in Y's column
    order) then rank. See the module docstring for the row layout Y must have."""
    d, names = check_problem(problem)
    _check_conf(conf_level, num_resamples)
    Y = as_outcomes(Y)
    per = 2 * d + 2 if second_order else d + 2
    n = Y.shape[0]
    if n % per != 0:
        layout = "N * (2D + 2)" if second_order else "N * (D + 2)"
        raise InputError("Y", f"{n} rows", f"a multiple of {per} ({layout} with D = {d}; e.g. N = 1024 gives "
                         f"{1024 * per}), the rows of SALib.sample.sobol.sample(problem, N, "
                         f"calc_second_order={second_order})",
                         problem="does not match the Sobol' design")
    from SALib.analyze import sobol as salib_sobol

    def analyze(y):
        return salib_sobol.analyze(_plain(problem), y, calc_second_order=second_order, conf_level=conf_level,
                                   num_resamples=num_resamples, seed=np.random.default_rng(seed))

    rows = _per_outcome(Y, names, ("S1", "S1_conf", "ST", "ST_conf"), analyze)
    return _rank_within(rows, "ST")[SOBOL_COLUMNS]


def morris(problem: dict, X: np.ndarray, Y: pd.DataFrame, *, num_levels: int = 4, conf_level: float = 0.90,
           num_resamples: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Morris elementary-effects screening of every outcome column of Y.

    Returns columns outcome, parameter, mu, mu_star, mu_star_conf, sigma, rank (by mu_star within
    outcome, 1 = most influential), note ("" | "constant" | "degenerate"); sorted by outcome then
    rank. X and Y must come from SALib's Morris sampler with the same ``num_levels``."""
    d, names = check_problem(problem)
    _check_conf(conf_level, num_resamples)
    if isinstance(num_levels, bool) or not isinstance(num_levels, (int, np.integer)) or num_levels < 2:
        raise InputError("num_levels", num_levels, "an integer >= 2 (the value given to the Morris sampler)")
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != d or X.shape[0] == 0:
        raise InputError("X", f"array of shape {X.shape}", f"an (n, {d}) array (one column per parameter)")
    if not np.all(np.isfinite(X)):
        raise InputError("X", "NaN or infinite values", "finite numbers")
    if X.shape[0] % (d + 1) != 0:
        raise InputError("X", f"{X.shape[0]} rows", f"r * (D + 1) = r * {d + 1} rows (r Morris trajectories)",
                         problem="does not match a Morris design")
    Y = as_outcomes(Y, n_rows=X.shape[0])
    from SALib.analyze import morris as salib_morris

    def analyze(y):
        return salib_morris.analyze(_plain(problem), X, y, num_resamples=num_resamples, conf_level=conf_level,
                                    num_levels=num_levels, seed=np.random.default_rng(seed))

    rows = _per_outcome(Y, names, ("mu", "mu_star", "mu_star_conf", "sigma"), analyze)
    return _rank_within(rows, "mu_star")[MORRIS_COLUMNS]

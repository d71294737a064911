"""Signposts: which early observable tells most about whether an outcome will happen.

`signposts(observables, happened)` takes one row per run: observable columns (things an analyst
could watch early, e.g. "credibility.KOR.2030", "warheads.PRK.2030") and ``happened`` (whether the
outcome of interest happened in that run, e.g. a ROK arsenal by 2045). For each observable it
measures the information the observable carries about the outcome:

    ig = H(outcome) - H(outcome | binned observable)   (mutual information, in bits)

where H is the Shannon entropy of the outcome (a yes/no variable, so H <= 1 bit), and
``ig_share = ig / H(outcome)``: 1 when the observable settles the outcome, 0 when it says nothing.

Binning
    An observable with at most ``bins`` distinct values (after dropping NaN) is discrete: each value
    is a bin. Otherwise it is cut into ``bins`` quantile bins (fewer when ties make quantiles
    coincide). Missing values (NaN) form a bin of their own. Non-numeric columns (bool, str,
    category) are treated as discrete whatever their number of values. ``p_low`` and ``p_high`` are
    the shares of runs where the outcome happened in the lowest and highest (non-missing) bins, so
    their order tells the direction of the signpost (for non-numeric columns: the first and last
    category in sorted order).

Caveat
    The plug-in estimate of information is biased upwards by about (bins - 1) / (2 n ln 2) bits for
    n runs, so a pure-noise observable shows a small positive ig (about 0.001 bits for 5 bins and
    2,000 runs); compare signposts with each other rather than with 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from umbrella.analysis.checks import as_flags
from umbrella.errors import InputError

COLUMNS = ["observable", "ig", "ig_share", "p_low", "p_high", "n_bins", "missing", "rank"]


def _entropy_bits(p: object) -> np.ndarray:
    """Shannon entropy (bits) of a yes/no variable with probability p (array-friendly, 0 log 0 = 0)."""
    p = np.asarray(p, dtype=float)
    q = 1.0 - p
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(np.where(p > 0, p * np.log2(p), 0.0) + np.where(q > 0, q * np.log2(q), 0.0))
    return h


def _happened(happened: object, n: int) -> np.ndarray:
    """`happened` as a bool array of length n with both values present."""
    arr = as_flags("happened", happened, n, "run")
    k = int(arr.sum())
    if k in (0, n):
        raise InputError("happened", f"{'all' if k else 'none'} of {n} runs", "an outcome that happens in some "
                         "runs and not in others", problem="has no variation, so nothing can signal it")
    return arr


def bin_codes(values: pd.Series, bins: int) -> tuple[np.ndarray, int]:
    """Integer bin codes in the order of the values (-1 = missing) and the number of non-missing bins."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        codes = pd.Categorical(values).codes.astype(np.int64)  # NaN -> -1
        return codes, int(codes.max()) + 1 if (codes >= 0).any() else 0
    x = values.to_numpy(dtype=float)
    present = ~np.isnan(x)
    codes = np.full(x.shape[0], -1, dtype=np.int64)
    distinct = np.unique(x[present])
    if distinct.size <= bins:
        codes[present] = np.searchsorted(distinct, x[present])
        return codes, int(distinct.size)
    cut = pd.qcut(x[present], bins, labels=False, duplicates="drop")
    codes[present] = np.asarray(cut, dtype=np.int64)
    return codes, int(codes[present].max()) + 1


def _one(codes: np.ndarray, n_bins: int, y: np.ndarray, h_y: float) -> dict:
    """Information gain and the outcome's share in the lowest and highest bins for one observable."""
    n = y.shape[0]
    labels = np.unique(codes)
    h_cond = 0.0
    for b in labels:
        inside = codes == b
        h_cond += inside.sum() / n * float(_entropy_bits(y[inside].mean()))
    ig = max(h_y - h_cond, 0.0)
    present = labels[labels >= 0]
    p_low = float(y[codes == present[0]].mean()) if present.size else float("nan")
    p_high = float(y[codes == present[-1]].mean()) if present.size else float("nan")
    return {"ig": ig, "ig_share": ig / h_y, "p_low": p_low, "p_high": p_high, "n_bins": n_bins,
            "missing": int((codes < 0).sum())}


def signposts(observables: pd.DataFrame, happened: np.ndarray, *, bins: int = 5) -> pd.DataFrame:
    """Rank observables by the information (bits) they carry about whether the outcome happened.

    Returns one row per observable: observable, ig (bits), ig_share (of H(outcome)), p_low,
    p_high, n_bins, missing (runs with NaN), rank (1 = most informative); sorted by ig descending.
    An observable that is all NaN has p_low = p_high = NaN and ig = 0."""
    if not isinstance(observables, pd.DataFrame):
        raise InputError("observables", type(observables).__name__, "a DataFrame, one row per run")
    if observables.shape[0] == 0 or observables.shape[1] == 0:
        raise InputError("observables", f"{observables.shape[0]} rows x {observables.shape[1]} columns",
                         "at least one run and one observable column", problem="is empty")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
        raise InputError("bins", bins, "an integer >= 2")
    y = _happened(happened, observables.shape[0])
    h_y = float(_entropy_bits(y.mean()))
    rows = []
    for col in observables.columns:
        codes, n_bins = bin_codes(observables[col].reset_index(drop=True), int(bins))
        rows.append({"observable": str(col), **_one(codes, n_bins, y, h_y)})
    out = pd.DataFrame(rows).sort_values("ig", ascending=False, kind="stable").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out[COLUMNS]

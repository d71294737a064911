"""Scenario discovery with PRIM: which region of the uncertainty space makes an outcome of interest likely.

`prim(X, y)` runs ema_workbench's Patient Rule Induction Method once (one box) on a design ``X``
(a DataFrame, one column per uncertain factor; numeric or categorical, e.g. a "world" column) and
``y`` (True where the outcome of interest happened, e.g. "ROK arsenal by 2040"). PRIM peels the
box that holds all the data a sliver at a time, keeping the peel that raises the share of cases
of interest most, then pastes back what it can; each step is one box on the *peeling trajectory*.

Reading a box
    coverage  the share of all cases of interest that fall inside the box (how much it explains)
    density   the share of the box's cases that are of interest (how sharp it is)
    mass      the share of all cases inside the box
    res_dim   the number of restricted dimensions (how complex the story is)
    qp        a quasi-p-value per restricted dimension (Bryant and Lempert 2010): a one-sided
              binomial test of whether dropping that restriction would lower the density by chance;
              ema gives one per restricted side and we report the larger (the more cautious).

Which box
    The chosen box is, by default (``pick="first"``), the first box on the trajectory whose
    density is at least ``threshold``: the one of highest coverage among those dense enough
    (Bryant and Lempert 2010 pick by that trade-off). ``pick="last"`` takes the last such box:
    PRIM stops peeling when no peel raises the density, so on clean data it is the sharpest box;
    on a noisy outcome (Monte Carlo shares) it adds restrictions that are noise (their qp is
    high). If no box reaches the threshold, the densest box is chosen (``meets_threshold`` is
    then False). The trajectory is returned so the caller can inspect any box.

    ema_workbench itself throws the trajectory away (returns an unrestricted "dump box") when the
    final box misses its threshold. In binary mode ema's threshold does nothing else (a case of
    interest is y >= threshold, i.e. y == 1, for any threshold in (0, 1]), so ema is given a tiny
    threshold and the density threshold is applied here; the trajectory is thus always available.

Data types
    float columns are peeled as reals, integer columns as discrete values, and bool, object,
    string and category columns as categories (ema's categorical peel removes one category at a
    time). A column named "scenario" (which ema drops silently) is renamed internally and back.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from umbrella.analysis.checks import as_flags
from umbrella.errors import InputError

# ema_workbench drops a column with this name from the design without telling
_EMA_RESERVED = "scenario"
_EMA_THRESHOLD = 1e-9


@dataclass(frozen=True)
class PrimResult:
    """One PRIM box and the peeling trajectory it was chosen from.

    trajectory  DataFrame: box, coverage, density, mass, res_dim, n (cases in box), k (cases of
                interest in box); one row per box, in peeling-then-pasting order
    chosen      the box id (row of `trajectory`) chosen (see the module docstring)
    limits      DataFrame, one row per restricted dimension of the chosen box: parameter, kind
                ("real", "integer" or "categorical"), low, high (numbers; NaN for categoricals),
                values (the kept categories as a sorted list; None for numbers), side ("low",
                "high" or "both" for numbers: which limit is restricted; "categories"), qp
    coverage, density, mass   the chosen box's statistics
    threshold   the density threshold asked for; meets_threshold: whether the chosen box reaches it
    """

    trajectory: pd.DataFrame
    chosen: int
    limits: pd.DataFrame
    coverage: float
    density: float
    mass: float
    threshold: float
    meets_threshold: bool


def _import_prim():
    """ema_workbench's prim module, imported quietly (it warns about optional extras on import)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*ipyparallel.*")
        warnings.filterwarnings("ignore", category=ImportWarning)
        from ema_workbench.analysis import prim as ema_prim
    return ema_prim


def _check_unit(key: str, value: float, high: float, allowed: str, *, closed: bool = True) -> float:
    """A number in (0, high] (or (0, high) when not `closed`), else InputError."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(key, value, allowed) from None
    if not np.isfinite(v) or not 0.0 < v or v > high or (v == high and not closed):
        raise InputError(key, value, allowed)
    return v


def _prepare_x(X: pd.DataFrame) -> pd.DataFrame:
    """The design with ema-friendly dtypes: float64, int64 or category; no NaN; no empty frame."""
    if isinstance(X, np.ndarray):
        if X.ndim != 2:
            raise InputError("X", f"array of shape {X.shape}", "a DataFrame or 2-D array, one column per factor")
        X = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    if not isinstance(X, pd.DataFrame):
        raise InputError("X", type(X).__name__, "a DataFrame, one column per uncertain factor")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise InputError("X", f"{X.shape[0]} rows x {X.shape[1]} columns", "at least one row and one column",
                         problem="is empty")
    if len(set(map(str, X.columns))) != X.shape[1]:
        raise InputError("X.columns", list(X.columns), "unique column names")
    out: dict[str, pd.Series] = {}
    for col in X.columns:
        s = X[col]
        if s.isna().any():
            raise InputError(f"X[{col}]", f"{int(s.isna().sum())} missing values", "a value in every row",
                             problem="are not allowed")
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            out[str(col)] = s.astype("category")
        elif pd.api.types.is_integer_dtype(s):
            out[str(col)] = s.astype(np.int64)
        else:
            values = s.astype(np.float64)
            if not np.all(np.isfinite(values)):
                raise InputError(f"X[{col}]", "infinite values", "finite numbers")
            out[str(col)] = values
    return pd.DataFrame(out).reset_index(drop=True)


def _prepare_y(y: object, n: int) -> np.ndarray:
    """y as a 0/1 integer array of length n with both values present."""
    arr = as_flags("y", y, n, "row of X")
    k = int(arr.sum())
    if k == 0:
        raise InputError("y", f"all {n} False", "a boolean array with both True and False",
                         problem="leaves no case of interest (the outcome threshold selects no run)")
    if k == n:
        raise InputError("y", f"all {n} True", "a boolean array with both True and False",
                         problem="makes every case of interest (the outcome threshold selects every run)")
    return arr.astype(np.int64)


def _trajectory(box) -> pd.DataFrame:
    """The peeling trajectory as a plain DataFrame."""
    t = box.peeling_trajectory
    return pd.DataFrame({
        "box": t["id"].astype(int).to_numpy(),
        "coverage": t["coverage"].astype(float).to_numpy(),
        "density": t["density"].astype(float).to_numpy(),
        "mass": t["mass"].astype(float).to_numpy(),
        "res_dim": t["res_dim"].astype(int).to_numpy(),
        "n": t["n"].astype(int).to_numpy(),
        "k": t["k"].astype(int).to_numpy(),
    })


def choose_box(trajectory: pd.DataFrame, threshold: float, pick: str = "first") -> tuple[int, bool]:
    """The box whose density reaches `threshold`: the first on the trajectory (`pick="first"`,
    the highest coverage: later boxes buy density with restrictions that, on a noisy outcome,
    are often noise) or the last (`"last"`, the densest); else the densest box. And whether it
    reaches the threshold."""
    if pick not in ("first", "last"):
        raise InputError("pick", pick, "first (highest coverage) or last (highest density)")
    density = trajectory["density"].to_numpy()
    meets = np.flatnonzero(density >= threshold)
    if meets.size:
        return int(meets[0] if pick == "first" else meets[-1]), True
    return int(np.argmax(density)), False


def _limits(box_lim: pd.DataFrame, box_init: pd.DataFrame, qp: dict, x: pd.DataFrame,
            names: dict[str, str]) -> pd.DataFrame:
    """One row per restricted dimension of a box (ema's 2-row box-limit frame) with its larger qp."""
    rows = []
    for col in box_init.columns:
        lo: Any = box_lim.loc[0, col]
        hi: Any = box_lim.loc[1, col]
        lo0: Any = box_init.loc[0, col]
        hi0: Any = box_init.loc[1, col]
        qps = [float(v) for v in qp.get(col, []) if v is not None and float(v) >= 0]
        q = max(qps) if qps else float("nan")
        if isinstance(x[col].dtype, pd.CategoricalDtype):
            if set(lo) == set(lo0):
                continue
            rows.append({"parameter": names[col], "kind": "categorical", "low": np.nan, "high": np.nan,
                         "values": sorted(lo, key=str), "side": "categories", "qp": q})
            continue
        low_cut, high_cut = bool(lo != lo0), bool(hi != hi0)
        if not (low_cut or high_cut):
            continue
        side = "both" if low_cut and high_cut else ("low" if low_cut else "high")
        kind = "integer" if pd.api.types.is_integer_dtype(x[col]) else "real"
        rows.append({"parameter": names[col], "kind": kind, "low": float(lo), "high": float(hi), "values": None,
                     "side": side, "qp": q})
    columns = ["parameter", "kind", "low", "high", "values", "side", "qp"]
    return pd.DataFrame(rows, columns=columns)


def prim(X: pd.DataFrame, y: np.ndarray, *, threshold: float = 0.8, peel_alpha: float = 0.05,
         mass_min: float = 0.05, pick: str = "first") -> PrimResult:
    """Find one PRIM box in X where y (bool) is concentrated; see `PrimResult` and the module docstring."""
    threshold = _check_unit("threshold", threshold, 1.0, "a density in (0, 1]")
    peel_alpha = _check_unit("peel_alpha", peel_alpha, 0.5, "a share in (0, 0.5)", closed=False)
    mass_min = _check_unit("mass_min", mass_min, 1.0, "a share in (0, 1]")
    x = _prepare_x(X)
    yi = _prepare_y(y, x.shape[0])
    names = {c: c for c in x.columns}
    if _EMA_RESERVED in x.columns:
        internal = _EMA_RESERVED + "_"
        while internal in x.columns:
            internal += "_"
        x = x.rename(columns={_EMA_RESERVED: internal})
        names = {c: (_EMA_RESERVED if c == internal else c) for c in x.columns}
    ema_prim = _import_prim()
    with warnings.catch_warnings():
        # ema_workbench's pandas usage triggers FutureWarnings that are no concern of the caller
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        p = ema_prim.Prim(x, yi, threshold=_EMA_THRESHOLD, peel_alpha=peel_alpha, mass_min=mass_min)
        box = p.find_box()
    trajectory = _trajectory(box)
    chosen, meets = choose_box(trajectory, threshold, pick)
    limits = _limits(box.box_lims[chosen], p.box_init, box.qp[chosen], p.x, names)
    row = trajectory.iloc[chosen]
    return PrimResult(trajectory=trajectory, chosen=chosen, limits=limits, coverage=float(row["coverage"]),
                      density=float(row["density"]), mass=float(row["mass"]), threshold=threshold,
                      meets_threshold=meets)

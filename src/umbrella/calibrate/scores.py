"""Scoring binary forecasts against what happened: the proliferation backtest's yardsticks.

Every function takes outcomes ``y`` (0 or 1; bools allowed) and forecast probabilities ``p``
(in [0, 1]) as 1-D array-likes of the same length, and checks them at the edge: an empty input,
mismatched lengths, a ``y`` that is not 0/1 or a ``p`` outside [0, 1] (NaN included) raise
``ValueError`` naming the argument, the first bad value and its index.

- ``brier``: mean squared error of the probabilities (Brier 1950); lower is better.
- ``log_score``: mean negative log likelihood (ignorance, in nats); lower is better.
- ``brier_skill``: 1 - BS(p)/BS(p_ref) against a reference forecast, e.g. the base rate
  (climatology: a scalar) or persistence (last period's state or rate: an array); 1 is perfect,
  0 no better than the reference, negative worse.
- ``auc``: area under the ROC curve (Mann-Whitney, ties counted half).
- ``calibration``: (intercept, slope) of the logistic recalibration y ~ logit(p) (Cox 1958);
  (0, 1) is perfectly calibrated, slope < 1 means overconfident forecasts.
- ``reliability``: binned forecasts against observed frequencies, with Wilson 90% intervals.
- ``reliability_png``: a reliability diagram of one or more such tables (needs the ``plots``
  extra; matplotlib is imported only there).

Pure NumPy/SciPy/pandas; nothing here runs the engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from umbrella.results import intervals
from umbrella.results.atomic import write_with

P_CLIP = 1e-6                     # forecasts clipped to [P_CLIP, 1 - P_CLIP] before logit/log
WILSON_LEVEL = 0.90
RELIABILITY_COLUMNS = ("bin_lo", "bin_hi", "n", "mean_p", "observed", "lo", "hi")


# --- validation -------------------------------------------------------------------------------

def _vector(name: str, a) -> np.ndarray:
    arr = np.asarray(a)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name}: empty input (need at least one observation)")
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{name}: expected numbers, got dtype {arr.dtype}")
    return arr


def _outcomes(y) -> np.ndarray:
    arr = _vector("y", y)
    ok = (arr == 0) | (arr == 1)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise ValueError(f"y: value {arr[i].item()!r} at index {i} is not 0 or 1")
    return arr.astype(float)


def _probabilities(name: str, p) -> np.ndarray:
    arr = _vector(name, p).astype(float)
    ok = (arr >= 0.0) & (arr <= 1.0)            # False for NaN too
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise ValueError(f"{name}: value {arr[i].item()!r} at index {i} is outside [0, 1]")
    return arr


def _same_length(y: np.ndarray, other: np.ndarray, name: str) -> None:
    if y.shape[0] != other.shape[0]:
        raise ValueError(f"y and {name}: lengths differ ({y.shape[0]} vs {other.shape[0]})")


def _pair(y, p, name: str = "p") -> tuple[np.ndarray, np.ndarray]:
    y = _outcomes(y)
    p = _probabilities(name, p)
    _same_length(y, p, name)
    return y, p


def _reference(y: np.ndarray, p_ref) -> np.ndarray:
    if np.ndim(p_ref) == 0:
        v = float(p_ref)
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"p_ref: value {v!r} is outside [0, 1]")
        return np.full(y.shape[0], v)
    ref = _probabilities("p_ref", p_ref)
    _same_length(y, ref, "p_ref")
    return ref


# --- scores -----------------------------------------------------------------------------------

def brier(y, p) -> float:
    """Brier score: mean of (p - y)^2, in [0, 1]; lower is better (0 = perfect)."""
    y, p = _pair(y, p)
    return float(np.mean((p - y) ** 2))


def log_score(y, p, eps: float = P_CLIP) -> float:
    """Logarithmic score as a loss: the mean negative log likelihood
    -mean(y log p + (1 - y) log(1 - p)), in nats; lower is better (0 = perfect, ln 2 for a
    constant 0.5). ``p`` is clipped to [eps, 1 - eps] so a confident miss costs -log(eps)
    (13.8 for the default) instead of infinity."""
    y, p = _pair(y, p)
    if not 0.0 < eps < 0.5:
        raise ValueError(f"eps: value {eps!r} is outside (0, 0.5)")
    q = np.clip(p, eps, 1.0 - eps)
    return float(-np.mean(y * np.log(q) + (1.0 - y) * np.log1p(-q)))


def brier_skill(y, p, p_ref) -> float:
    """Brier skill score 1 - BS(p)/BS(p_ref). ``p_ref`` is a scalar (e.g. the base rate
    ``y.mean()``, climatology) or an array of the same length (e.g. persistence). 1 is perfect,
    0 no better than the reference, negative worse. A perfect reference (BS = 0) leaves the
    skill undefined: ValueError."""
    y, p = _pair(y, p)
    ref = _reference(y, p_ref)
    bs_ref = float(np.mean((ref - y) ** 2))
    if bs_ref == 0.0:
        raise ValueError("p_ref: reference forecast is perfect (Brier score 0); skill is undefined")
    return 1.0 - float(np.mean((p - y) ** 2)) / bs_ref


def auc(y, score) -> float:
    """Area under the ROC curve: the probability that a random event outranks a random
    non-event (Mann-Whitney U / (n1 n0)), ties counted half. ``score`` is any finite real
    ranking (need not be a probability). Needs both outcomes present."""
    from scipy.stats import rankdata

    y = _outcomes(y)
    s = _vector("score", score).astype(float)
    _same_length(y, s, "score")
    bad = ~np.isfinite(s)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"score: value {s[i].item()!r} at index {i} is not finite")
    pos = y == 1.0
    n1, n0 = int(pos.sum()), int((~pos).sum())
    if n1 == 0 or n0 == 0:
        raise ValueError(f"y: AUC needs both outcomes, got only {'1s' if n0 == 0 else '0s'} "
                         f"({y.shape[0]} observations)")
    r = rankdata(s)
    return float((r[pos].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def calibration(y, p) -> tuple[float, float]:
    """Logistic recalibration (Cox 1958): the maximum-likelihood (intercept, slope) of
    Pr(y = 1) = expit(a + b logit(p)), with p clipped to [1e-6, 1 - 1e-6]. Perfect calibration
    is (0, 1); slope < 1 means the forecasts are too extreme (overconfident), slope > 1 too
    timid; the intercept shifts them up or down at logit(p) = 0. Needs both outcomes and at
    least two distinct forecasts; forecasts that separate the outcomes perfectly have no
    finite fit (ValueError)."""
    from umbrella.calibrate.binary import fit_logit

    y, p = _pair(y, p)
    if y.min() == y.max():
        raise ValueError(f"y: calibration needs both outcomes, got only {int(y[0])}s "
                         f"({y.shape[0]} observations)")
    x = np.log(np.clip(p, P_CLIP, 1.0 - P_CLIP)) - np.log1p(-np.clip(p, P_CLIP, 1.0 - P_CLIP))
    if np.ptp(x) == 0.0:
        raise ValueError(f"p: calibration needs at least two distinct forecasts, all are {p[0]!r}")
    X = np.column_stack([np.ones_like(x), x])
    try:
        f = fit_logit(y, X, ("intercept", "slope"))
    except (RuntimeError, np.linalg.LinAlgError) as exc:
        raise ValueError("p: logistic recalibration has no finite maximum-likelihood fit "
                         "(do the forecasts separate the outcomes perfectly?)") from exc
    return float(f.coef[0]), float(f.coef[1])


def wilson(k, n, level: float = WILSON_LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials (elementwise; NaN where n = 0):
    results.intervals.wilson."""
    return intervals.wilson(k, n, level)


def reliability(y, p, bins: int = 10, strategy: str = "quantile") -> pd.DataFrame:
    """Reliability table: forecasts grouped into bins, each with its edges ``bin_lo``,
    ``bin_hi``, count ``n``, mean forecast ``mean_p``, observed event frequency ``observed``
    and the Wilson 90% interval ``lo``, ``hi`` of that frequency.

    ``strategy="uniform"``: ``bins`` equal-width bins on [0, 1]; ``"quantile"``: edges at the
    forecasts' quantiles (about equal counts; better for rare events, where uniform bins put
    nearly everything in the first). Bins are [lo, hi), the last one closed; quantile edges that
    coincide (tied forecasts) merge, and empty bins are left out, so there may be fewer rows
    than ``bins``. The rows partition the observations: ``n`` sums to len(y)."""
    y, p = _pair(y, p)
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins: value {bins!r} is not a positive integer")
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, bins + 1)
    elif strategy == "quantile":
        edges = np.unique(np.quantile(p, np.linspace(0.0, 1.0, bins + 1)))
        if edges.size == 1:                              # every forecast the same
            edges = np.array([edges[0], edges[0]])
    else:
        raise ValueError(f"strategy: value {strategy!r} is not 'quantile' or 'uniform'")
    idx = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, edges.size - 2)
    nb = edges.size - 1
    n = np.bincount(idx, minlength=nb)
    sp = np.bincount(idx, weights=p, minlength=nb)
    sy = np.bincount(idx, weights=y, minlength=nb)
    keep = n > 0
    n, sp, sy = n[keep], sp[keep], sy[keep]
    lo, hi = wilson(sy, n)
    return pd.DataFrame({
        "bin_lo": edges[:-1][keep], "bin_hi": edges[1:][keep], "n": n.astype(np.int64),
        "mean_p": sp / n, "observed": sy / n, "lo": lo, "hi": hi,
    })


# --- plot -------------------------------------------------------------------------------------

def _choose_scale(tables: Mapping[str, pd.DataFrame]) -> str:
    """'log' when the forecasts are rare-event probabilities (every bin's mean forecast below
    0.2, or the bin means spanning more than a factor of 30), else 'linear'."""
    mp = np.concatenate([np.asarray(t["mean_p"], float) for t in tables.values()])
    mp = mp[np.isfinite(mp) & (mp > 0)]
    if mp.size == 0:
        return "linear"
    return "log" if mp.max() < 0.2 or mp.max() / mp.min() > 30.0 else "linear"


def _count(n: int) -> str:
    return str(n) if n < 1000 else f"{n / 1000:.3g}k" if n < 1_000_000 else f"{n / 1e6:.3g}M"


def reliability_png(tables: Mapping[str, pd.DataFrame], path, title: str = "Reliability",
                    scale: str = "auto") -> Path:
    """Write a reliability diagram to ``path`` (PNG): for each label, the tables' observed
    frequency against mean forecast with Wilson-interval error bars, each point annotated
    with its count, and the diagonal of perfect calibration. ``scale`` is "auto" (log axes for
    rare-event forecasts, see ``_choose_scale``), "log" or "linear". On log axes, bins with no
    event (no point on a log scale) are drawn as a downward triangle at their Wilson 90% upper
    bound, off the line. Needs the ``plots`` extra
    (matplotlib); uses the Agg canvas directly, so no display and no global pyplot state."""
    from umbrella.errors import InputError

    if not tables:
        raise ValueError("tables: empty (need at least one labelled reliability table)")
    for label, t in tables.items():
        missing = [c for c in ("n", "mean_p", "observed", "lo", "hi") if c not in t.columns]
        if missing:
            raise ValueError(f"tables[{label!r}]: missing columns {missing}")
    if scale == "auto":
        scale = _choose_scale(tables)
    elif scale not in ("log", "linear"):
        raise ValueError(f"scale: value {scale!r} is not 'auto', 'log' or 'linear'")
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise InputError("reliability_png", "matplotlib", "install the plots extra: "
                         "pip install -e '.[plots]'", problem="is not installed") from exc

    fig = Figure(figsize=(6.4, 6.0), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    if scale == "log":
        vals = np.concatenate([np.concatenate([np.asarray(t["mean_p"], float),
                                               np.asarray(t["observed"], float),
                                               np.asarray(t["hi"], float)])
                               for t in tables.values()])
        pos = vals[np.isfinite(vals) & (vals > 0)]
        vmin = float(pos.min()) if pos.size else 1e-3
        vmax = float(pos.max()) if pos.size else 1.0
        low = 10.0 ** np.floor(np.log10(vmin / 1.5))
        high = min(1.0, 10.0 ** np.ceil(np.log10(vmax * 1.5)))
        ax.set_xscale("log")
        ax.set_yscale("log")
    else:
        low, high = 0.0, 1.0
    ax.plot([low, high], [low, high], color="0.6", linestyle="--", linewidth=1,
            label="perfect calibration")
    for label, t in tables.items():
        t = t[np.asarray(t["n"]) > 0]
        x = np.asarray(t["mean_p"], float)
        obs = np.asarray(t["observed"], float)
        lo = np.asarray(t["lo"], float)
        hi = np.asarray(t["hi"], float)
        n = np.asarray(t["n"])
        # on log axes a bin with no event has no point: it is drawn as its 90% upper bound
        hit = obs > 0 if scale == "log" else np.ones(obs.shape, bool)
        err = np.vstack([np.maximum(obs - np.maximum(lo, low), 0.0), np.maximum(hi - obs, 0.0)])
        line = ax.errorbar(x[hit], obs[hit], yerr=err[:, hit], marker="o", markersize=5,
                           capsize=2, linewidth=1.2, label=label)
        colour = line[0].get_color()
        ax.plot(x[~hit], hi[~hit], linestyle="none", marker="v", markersize=7, color=colour)
        for xi, yi, ni in zip(x, np.where(hit, obs, hi), n, strict=True):
            ax.annotate(_count(int(ni)), (xi, yi), textcoords="offset points", xytext=(4, 4),
                        fontsize=7, color=colour)
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_xlabel("mean forecast probability (bin)")
    ax.set_ylabel("observed frequency (Wilson 90% interval)")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    note = "numbers: forecasts per bin"
    if scale == "log":
        note += "; \u25bc no event in bin: 90% upper bound"
    ax.text(0.99, 0.01, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=7,
            color="0.4")
    fig.tight_layout()
    return write_with(Path(path), lambda tmp: fig.savefig(tmp, format="png"), "--out")

"""Monte Carlo intervals of a share of runs: the Wilson score interval (Wilson 1927), which
keeps its coverage near 0 and 1 where the normal interval collapses to a point."""

from __future__ import annotations

from statistics import NormalDist
from typing import overload

import numpy as np

LEVEL = 0.90
RARE = 10    # fewer runs than this with (or without) the outcome: a rare outcome, read the interval


def wilson(k, n, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials (elementwise; NaN where n = 0)."""
    k = np.asarray(k, float)
    n = np.asarray(n, float)
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ph = k / n
        denom = 1.0 + z * z / n
        centre = (ph + z * z / (2.0 * n)) / denom
        half = z / denom * np.sqrt(ph * (1.0 - ph) / n + z * z / (4.0 * n * n))
    lo = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))   # exact at the ends
    hi = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return lo, hi


@overload
def share_interval(share: float, runs: int, level: float = ...) -> tuple[float, float]: ...
@overload
def share_interval(share: None, runs: int, level: float = ...) -> None: ...
def share_interval(share: float | None, runs: int, level: float = LEVEL) -> tuple[float, float] | None:
    """The interval of a share of `runs` runs (the share is a count over the runs)."""
    if share is None:
        return None
    lo, hi = wilson(round(share * runs), runs, level)
    return float(lo), float(hi)


def rare(share: float | None, runs: int) -> bool:
    """1 to RARE - 1 runs on one side: a paired normal interval would be too narrow (never and
    always are exact counts, their interval is Wilson's one-sided bound)."""
    if share is None:
        return False
    k = round(share * runs)
    return 0 < min(k, runs - k) < RARE

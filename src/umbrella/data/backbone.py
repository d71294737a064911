"""The shipped proliferation backbone (tables backbone.csv, backbone_cov.csv): the reader the
world and the engine use. The fit that writes these tables is `umbrella.calibrate.backbone`."""

from __future__ import annotations

import functools
import typing

import numpy as np
import pandas as pd

from umbrella.data.load import load_table


@functools.lru_cache(maxsize=1)
def shipped() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The backbone the engine uses: (coefficients, covariance) from the bundled tables."""
    return load_table("backbone"), load_table("backbone_cov")


def estimate(name: str) -> tuple[float, float]:
    """(coefficient, SE) of the engine parameter `prolif.<transition>.<term>` in the shipped backbone."""
    coef, _ = shipped()
    parts = str(name).split(".")
    if len(parts) == 3 and parts[0] == "prolif":
        row = coef[(coef["transition"] == parts[1]) & (coef["term"] == parts[2])]
        if len(row) == 1:
            return float(row["coef"].iloc[0]), float(row["se"].iloc[0])
    allowed = ", ".join(f"prolif.{t}.{m}" for t, m in zip(coef["transition"], coef["term"], strict=True))
    raise ValueError(f"parameter {name!r} has no estimate in the fitted backbone; backbone parameters: {allowed}")


def covariance_block(transition: str) -> tuple[tuple[str, ...], np.ndarray]:
    """Term names and covariance matrix of one transition's coefficients (shipped backbone)."""
    _, cov = shipped()
    c = cov[cov["transition"] == transition]
    names = tuple(dict.fromkeys(c["term_i"]))
    k = {n: i for i, n in enumerate(names)}
    m = np.zeros((len(names), len(names)))
    for r in c.itertuples():
        m[k[r.term_i], k[r.term_j]] = typing.cast(float, r.cov)  # itertuples fields are typed as any scalar
    return names, m

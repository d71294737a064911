"""Experiment designs: uncertainty points from a sampler (SALib's Latin hypercube, Saltelli/Sobol
and Morris, or a full factorial), crossed with the policies. Every policy sees the same points,
and every experiment replays the same random numbers (replicate k of any experiment is global
run k: common random numbers).

Experiments are policy-major (experiment = policy * points + point), so a unit of work mostly
holds one policy and runs as one engine batch.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from umbrella.explore.spec import Experiment, Factor


def problem(factors: tuple[Factor, ...] | list[Factor]) -> dict:
    """The SALib problem of the numeric factors (plain data: names and bounds)."""
    num = [f for f in factors if f.numeric]
    return {"num_vars": len(num), "names": [f.name for f in num], "bounds": [[f.low, f.high] for f in num]}


def _from_unit(f: Factor, u: np.ndarray) -> list:
    """Values of factor f at unit-interval coordinates u."""
    u = np.clip(u, 0.0, np.nextafter(1.0, 0.0))
    if f.kind == "choice":
        return [f.values[int(i)] for i in np.floor(u * len(f.values))]
    if f.kind == "int":
        return [int(v) for v in np.floor(f.low + u * (f.high - f.low + 1))]
    return list(f.low + u * (f.high - f.low))


def _scale(f: Factor, x: np.ndarray) -> list:
    """Values of numeric factor f from a sampler's values in its own bounds."""
    return [int(round(v)) for v in x] if f.kind == "int" else [float(v) for v in x]


def _lhs(factors, n: int, seed: int) -> list[list]:
    from SALib.sample import latin
    unit = {"num_vars": len(factors), "names": [f.name for f in factors], "bounds": [[0.0, 1.0]] * len(factors)}
    u = latin.sample(unit, n, seed=seed)
    return [_from_unit(f, u[:, j]) for j, f in enumerate(factors)]


def _factorial(factors, levels: int) -> list[list]:
    axes = []
    for f in factors:
        if f.kind == "choice":
            axes.append(list(f.values))
        elif f.kind == "int":
            axes.append(sorted({int(round(v)) for v in np.linspace(f.low, f.high, levels)}))
        else:
            axes.append([float(v) for v in np.linspace(f.low, f.high, levels)])
    grid = list(itertools.product(*axes))
    return [[row[j] for row in grid] for j in range(len(factors))]


def _salib(method: str, factors, s) -> list[list]:
    prob = problem(factors)
    if method == "sobol":
        from SALib.sample import sobol
        x = sobol.sample(prob, s.n, calc_second_order=s.second_order, seed=s.seed)
    else:
        from SALib.sample import morris
        x = morris.sample(prob, s.n, num_levels=s.levels or 4, seed=s.seed)
    return [_scale(f, x[:, j]) for j, f in enumerate(factors)]


def points(ex: Experiment) -> pd.DataFrame:
    """The uncertainty points: one row per point, one column per factor (typed values)."""
    s = ex.spec.sampler
    fs = list(ex.factors)
    if s.method == "lhs":
        cols = _lhs(fs, s.n, s.seed)
    elif s.method == "factorial":
        cols = _factorial(fs, s.levels or 3)
    else:
        cols = _salib(s.method, fs, s)
    df = pd.DataFrame({f.name: pd.Series(c, dtype=object if f.kind == "choice" else
                                         ("int64" if f.kind == "int" else "float64"))
                       for f, c in zip(fs, cols, strict=True)})
    cats = [f for f in fs if f.kind == "choice"]
    if cats and s.method in ("lhs", "factorial"):
        # points that share a world and categorical fields run as one engine batch: put them next
        # to each other (the order of an LHS or a factorial design carries no meaning)
        keys = pd.DataFrame({f.name: df[f.name].map({v: i for i, v in enumerate(f.values)}) for f in cats})
        df = df.iloc[np.lexsort([keys[c].to_numpy() for c in reversed(keys.columns)])].reset_index(drop=True)
    df.index.name = "point"
    return df


def policies(ex: Experiment) -> list[tuple[str, dict]]:
    """(name, scenario fields) of every policy: the named ones, then the sampled ones (a Latin
    hypercube over the levers); `base` alone when the spec declares none."""
    out = [(n, dict(f)) for n, f in ex.named_policies]
    if ex.spec.policies.sampled is not None and ex.levers:
        sp = ex.spec.policies.sampled
        cols = _lhs(list(ex.levers), sp.n, sp.seed)
        width = len(str(sp.n))
        for i in range(sp.n):
            out.append((f"sampled-{i + 1:0{width}d}", {f.name: cols[j][i] for j, f in enumerate(ex.levers)}))
    return out or [("base", {})]


@dataclass(frozen=True)
class Design:
    """Points x policies: `table` has one row per experiment (experiment, policy, point, the
    factors' values); `fields[p]` is policy p's scenario fields."""

    table: pd.DataFrame
    points: pd.DataFrame
    policy_names: tuple[str, ...]
    fields: tuple[dict, ...]
    unit: int                    # experiments per unit of work

    @property
    def experiments(self) -> int:
        return len(self.table)

    @property
    def units(self) -> int:
        return math.ceil(self.experiments / self.unit)

    def unit_rows(self, u: int) -> pd.DataFrame:
        return self.table.iloc[u * self.unit:(u + 1) * self.unit]


def build(ex: Experiment) -> Design:
    pts = points(ex)
    pols = policies(ex)
    n = len(pts)
    frames = []
    for p, (name, _) in enumerate(pols):
        f = pts.reset_index()
        f.insert(0, "policy", name)
        f.insert(0, "experiment", np.arange(p * n, (p + 1) * n, dtype=np.int64))
        frames.append(f)
    table = pd.concat(frames, ignore_index=True)
    unit = ex.spec.unit or max(1, 10_000 // ex.spec.runs)
    return Design(table, pts, tuple(n for n, _ in pols), tuple(f for _, f in pols), int(unit))


def label(v) -> str:
    """A categorical value as text (the store's columns): true/false, names as written."""
    return str(v).lower() if isinstance(v, bool) else str(v)


def for_store(table: pd.DataFrame) -> pd.DataFrame:
    """The design table with categorical values as text (Parquet columns of one type)."""
    out = table.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(label)
    return out

"""Robustness of policies across explored uncertainty: regret, satisficing and what holds in every world.

`robustness(table, outcomes)` compares policies run on the same uncertainty points. ``table`` has
one row per experiment: a policy column, a point column (the uncertainty point; the same point
under different policies shares random numbers, so policies can be compared point by point),
optionally a world column, and the outcome columns. ``outcomes`` maps each outcome column to its
better direction, "min" or "max". Every policy must have run on the same set of (point, world) keys.

Measures
    regret        per experiment, how much worse the policy did than the best policy at the same
                  (point, world): value - best for "min" outcomes, best - value for "max" (>= 0;
                  0 for the best policy). `stats` reports its maximum and mean per policy.
    satisficing   an experiment satisfices when it meets every threshold: value <= bound for a
                  "min" outcome, value >= bound for a "max" outcome. `satisficing` reports the
                  share of a policy's experiments that satisfice, overall, per outcome
                  (``meets.<outcome>``) and per world (``share.<world>``), and ``min_world_share``,
                  the smallest share over the worlds (the caller judges what is enough).
    ranking       policies ranked by satisficing share (descending), then by the maximum regret of
                  the first outcome in ``outcomes`` (ascending). ``holds_in_every_world``: in every
                  world the policy's satisficing share is the highest (ties count). Without
                  thresholds, policies are ranked by that maximum regret alone and
                  ``holds_in_every_world`` means the policy has the lowest maximum regret of the
                  first outcome in every world (ties count).
    conclusions   statements that hold in every world: for each outcome and each ordered pair of
                  policies, policy `better`'s mean is strictly better than `worse`'s in every world;
                  ``min_difference`` is the smallest margin over the worlds. The means are
                  compared as they are: with few points per world, a small margin can be noise.

Without a world column the table is one world, named "all".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from umbrella.errors import InputError

ALL_WORLDS = "all"


@dataclass(frozen=True)
class RobustResult:
    """The robustness measures (see the module docstring).

    stats        DataFrame, one row per policy x outcome: policy, outcome, direction, mean, p10,
                 p50, p90, max_regret, mean_regret
    satisficing  DataFrame, one row per policy: policy, share, meets.<outcome> (per threshold),
                 share.<world> (per world), min_world_share; only `policy` without thresholds
    ranking      DataFrame: rank, policy, share (with thresholds), max_regret (of the first
                 outcome), min_world_share (with thresholds), holds_in_every_world
    conclusions  DataFrame: outcome, better, worse, worlds, min_difference
    """

    stats: pd.DataFrame
    satisficing: pd.DataFrame
    ranking: pd.DataFrame
    conclusions: pd.DataFrame


def _check_columns(table: pd.DataFrame, outcomes: dict, thresholds: dict | None, policy: str, point: str,
                   world: str) -> bool:
    """Validate the table and the outcome/threshold specs; return whether a world column is present."""
    if not isinstance(table, pd.DataFrame):
        raise InputError("table", type(table).__name__, "a DataFrame with one row per experiment")
    if table.shape[0] == 0:
        raise InputError("table", "0 rows", "at least one experiment", problem="is empty")
    for key, col in (("policy", policy), ("point", point)):
        if col not in table.columns:
            raise InputError(key, col, f"a column of the table: {list(table.columns)}", problem="is not a column")
    if not isinstance(outcomes, dict) or not outcomes:
        raise InputError("outcomes", outcomes, "a non-empty dict: outcome column -> 'min' or 'max'")
    for name, direction in outcomes.items():
        if name not in table.columns:
            raise InputError("outcomes", name, f"a column of the table: {list(table.columns)}",
                             problem="is not a column")
        if direction not in ("min", "max"):
            raise InputError(f"outcomes.{name}", direction, "'min' or 'max' (the better direction)")
        values = pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            raise InputError(f"table[{name}]", f"{int(bad.sum())} missing, non-numeric or infinite values",
                             "a finite number in every row", problem="are not allowed")
    for name, bound in (thresholds or {}).items():
        if name not in outcomes:
            raise InputError("thresholds", name, f"one of the outcomes: {list(outcomes)}",
                             problem="is not an outcome")
        try:
            ok = np.isfinite(float(bound))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise InputError(f"thresholds.{name}", bound, "a finite number")
    return world in table.columns


def _keyed(table: pd.DataFrame, outcomes: dict, policy: str, point: str, world: str | None) -> pd.DataFrame:
    """A normalised copy: columns policy, point, world (str), then the outcomes; keys checked."""
    df = pd.DataFrame({
        "policy": table[policy].astype(str).to_numpy(),
        "point": table[point].to_numpy(),
        "world": table[world].astype(str).to_numpy() if world else np.full(table.shape[0], ALL_WORLDS),
    })
    for name in outcomes:
        df[name] = pd.to_numeric(table[name]).to_numpy(dtype=float)
    dup = df.duplicated(["policy", "point", "world"])
    if dup.any():
        first = df.loc[dup, ["policy", "point", "world"]].iloc[0].tolist()
        raise InputError("table", f"{int(dup.sum())} repeated (policy, point, world) rows, e.g. {first}",
                         "one row per policy, point and world", problem="are not allowed")
    keys = {p: set(zip(g["point"], g["world"], strict=True)) for p, g in df.groupby("policy", sort=False)}
    reference_policy, reference = next(iter(keys.items()))
    for p, k in keys.items():
        if k != reference:
            missing, extra = len(reference - k), len(k - reference)
            raise InputError("table", f"policy {p!r}: {missing} (point, world) keys missing and {extra} extra "
                             f"compared with policy {reference_policy!r}",
                             "the same (point, world) keys for every policy", problem="are not comparable")
    return df


def _regret(df: pd.DataFrame, outcomes: dict) -> pd.DataFrame:
    """Per-experiment regret of each outcome (columns regret.<outcome>) against the best policy."""
    out = df.copy()
    grouped = df.groupby(["point", "world"], sort=False)
    for name, direction in outcomes.items():
        if direction == "min":
            out[f"regret.{name}"] = df[name] - grouped[name].transform("min")
        else:
            out[f"regret.{name}"] = grouped[name].transform("max") - df[name]
    return out


def _stats(df: pd.DataFrame, outcomes: dict, policies: list[str]) -> pd.DataFrame:
    """Distribution and regret of each outcome per policy."""
    rows = []
    for p in policies:
        g = df[df["policy"] == p]
        for name, direction in outcomes.items():
            v = g[name].to_numpy()
            r = g[f"regret.{name}"].to_numpy()
            p10, p50, p90 = np.quantile(v, [0.1, 0.5, 0.9])
            rows.append({"policy": p, "outcome": name, "direction": direction, "mean": float(v.mean()),
                         "p10": float(p10), "p50": float(p50), "p90": float(p90),
                         "max_regret": float(r.max()), "mean_regret": float(r.mean())})
    return pd.DataFrame(rows)


def _meets(df: pd.DataFrame, outcomes: dict, thresholds: dict) -> pd.DataFrame:
    """Per experiment, whether each thresholded outcome meets its bound (bool columns)."""
    met = pd.DataFrame(index=df.index)
    for name, bound in thresholds.items():
        met[name] = df[name] <= bound if outcomes[name] == "min" else df[name] >= bound
    return met


def _satisficing(df: pd.DataFrame, outcomes: dict, thresholds: dict, policies: list[str],
                 worlds: list[str]) -> pd.DataFrame:
    """Satisficing shares per policy: overall, per outcome and per world; the smallest world share."""
    if not thresholds:
        return pd.DataFrame({"policy": policies})
    met = _meets(df, outcomes, thresholds)
    ok = met.all(axis=1)
    rows = []
    for p in policies:
        mine = df["policy"] == p
        row: dict[str, object] = {"policy": p, "share": float(ok[mine].mean())}
        for name in thresholds:
            row[f"meets.{name}"] = float(met.loc[mine, name].mean())
        shares = [float(ok[mine & (df["world"] == w)].mean()) for w in worlds]
        for w, s in zip(worlds, shares, strict=True):
            row[f"share.{w}"] = s
        row["min_world_share"] = min(shares)
        rows.append(row)
    return pd.DataFrame(rows)


def _first_everywhere(values: pd.DataFrame, higher_is_better: bool) -> pd.Series:
    """Per policy (rows) whether it is best (ties count) in every world (columns)."""
    arr = values.to_numpy(dtype=float)
    best = arr.max(axis=0) if higher_is_better else arr.min(axis=0)
    return pd.Series(np.isclose(arr, best, rtol=0.0, atol=1e-12).all(axis=1), index=values.index)


def _ranking(df: pd.DataFrame, outcomes: dict, thresholds: dict, stats: pd.DataFrame, sat: pd.DataFrame,
             policies: list[str], worlds: list[str]) -> pd.DataFrame:
    """Policies ranked by satisficing share, then by the first outcome's maximum regret."""
    first = next(iter(outcomes))
    regret = stats[stats["outcome"] == first].set_index("policy")["max_regret"]
    rank = pd.DataFrame({"policy": policies})
    rank["max_regret"] = rank["policy"].map(regret).to_numpy()
    if thresholds:
        rank = rank.merge(sat[["policy", "share", "min_world_share"]], on="policy")
        per_world = sat.set_index("policy")[[f"share.{w}" for w in worlds]]
        holds = _first_everywhere(per_world, higher_is_better=True)
        rank = rank.sort_values(["share", "max_regret"], ascending=[False, True], kind="stable")
    else:
        per_world = (df.groupby(["policy", "world"])[f"regret.{first}"].max().unstack("world")
                     .reindex(index=policies, columns=worlds))
        holds = _first_everywhere(per_world, higher_is_better=False)
        rank = rank.sort_values("max_regret", kind="stable")
    rank["holds_in_every_world"] = rank["policy"].map(holds).astype(bool).to_numpy()
    rank.insert(0, "rank", np.arange(1, len(rank) + 1))
    cols = ["rank", "policy", "share", "max_regret", "min_world_share", "holds_in_every_world"]
    return rank[[c for c in cols if c in rank.columns]].reset_index(drop=True)


def _conclusions(df: pd.DataFrame, outcomes: dict, policies: list[str], worlds: list[str]) -> pd.DataFrame:
    """Pairs (better, worse) whose mean is strictly better in every world, per outcome."""
    rows = []
    for name, direction in outcomes.items():
        means = df.groupby(["policy", "world"])[name].mean().unstack("world").reindex(index=policies,
                                                                                     columns=worlds)
        sign = -1.0 if direction == "min" else 1.0
        for a in policies:
            for b in policies:
                if a == b:
                    continue
                margin = sign * (means.loc[a].to_numpy() - means.loc[b].to_numpy())
                if np.all(margin > 0):
                    rows.append({"outcome": name, "better": a, "worse": b, "worlds": len(worlds),
                                 "min_difference": float(margin.min())})
    out = pd.DataFrame(rows, columns=["outcome", "better", "worse", "worlds", "min_difference"])
    return out.sort_values(["outcome", "min_difference"], ascending=[True, False], kind="stable").reset_index(
        drop=True)


def robustness(table: pd.DataFrame, outcomes: dict[str, str], *, thresholds: dict[str, float] | None = None,
               policy: str = "policy", point: str = "point", world: str = "world") -> RobustResult:
    """Regret, satisficing, ranking and every-world conclusions for the policies in `table`.

    See the module docstring for the definitions; `RobustResult` for the columns."""
    has_world = _check_columns(table, outcomes, thresholds, policy, point, world)
    thresholds = {k: float(v) for k, v in (thresholds or {}).items()}
    df = _keyed(table, outcomes, policy, point, world if has_world else None)
    df = _regret(df, outcomes)
    policies = list(dict.fromkeys(df["policy"]))
    worlds = list(dict.fromkeys(df["world"]))
    stats = _stats(df, outcomes, policies)
    sat = _satisficing(df, outcomes, thresholds, policies, worlds)
    ranking = _ranking(df, outcomes, thresholds, stats, sat, policies, worlds)
    conclusions = _conclusions(df, outcomes, policies, worlds)
    return RobustResult(stats=stats, satisficing=sat, ranking=ranking, conclusions=conclusions)

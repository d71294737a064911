"""Small pure helpers for "latest value at or before a year" lookups, shared by the fact modules."""

from __future__ import annotations

import pandas as pd


def latest_at(df: pd.DataFrame, year: int, year_col: str = "year", value_col: str | None = None,
              order: tuple[str, ...] = ()) -> pd.Series | None:
    """The row with the greatest `year_col` <= `year` (ties broken by `order` columns, then file order).

    Rows whose `value_col` is missing are skipped, so a blank cell never hides an earlier value.
    Returns None if no row qualifies.
    """
    rows = df[df[year_col] <= year]
    if value_col is not None:
        rows = rows[rows[value_col].notna()]
    if rows.empty:
        return None
    rows = rows.sort_values([year_col, *order], kind="stable")
    return rows.iloc[-1]


def year_note(used: int, requested: int) -> str:
    """Say when a value is carried forward from an earlier year (the brief asks sources to record it)."""
    return f"{used}" if used == requested else f"{used} (latest available)"


def group_sources(actors: tuple[str, ...], per_actor: list[str]) -> str:
    """One citation string for a field: actors sharing a source are grouped, in first-seen order."""
    groups: dict[str, list[str]] = {}
    for code, src in zip(actors, per_actor, strict=False):
        groups.setdefault(src, []).append(code)
    if len(groups) == 1:
        return next(iter(groups))
    return "; ".join(f"{src} [{', '.join(codes)}]" for src, codes in groups.items())

"""The political calendar from bundled data: who governs at a start year, when elections fall,
and which states' NPT exit the articles call regime-breaking."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from umbrella.data import facts as F
from umbrella.data.load import load_table

_TABLES = Path(__file__).resolve().parent / "tables"


@cache
def npt_key_states() -> frozenset[str]:
    df = pd.read_csv(_TABLES / "npt_key_states.csv", comment="#")
    return frozenset(df["iso3"])


def election_years(country: str, start: int, end: int) -> list[int]:
    """Election years in [start, end]: recorded ones, then the regular calendar."""
    out: list[int] = []
    y = start - 1
    while True:
        y = F.next_election(country, y)
        if y > end:
            return out
        out.append(y)


def _last_election(country: str, year: int) -> pd.Series | None:
    df = load_table("elections")
    df = df[(df["country"] == country) & (df["year"] <= year)].sort_values("year")
    return None if df.empty else df.iloc[-1]


def us_administration_type(year: int) -> str:
    """America-first for the administrations elected in 2016 and 2024 (Republican wins since the
    2016 realignment, the seeds' "America First" presidencies: F0:L34, F1:L5); engaged otherwise.
    A US administration takes office in the January after its election."""
    row = _last_election("USA", year - 1)
    if row is None:
        return "engaged"
    return "america_first" if row["camp"] == "republican" and row["year"] >= 2016 else "engaged"


def rok_camp(year: int) -> str:
    """Camp of the last ROK president elected in or before `year` (conservative before 1987)."""
    row = _last_election("KOR", year)
    return "conservative" if row is None else str(row["camp"])

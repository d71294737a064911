"""Relations between actors: rivalries, neighbours, patron->client pairs, troops, polls."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .actors import check_actors, name_en
from .load import table_view as load_table
from .series import latest_at, year_note


def _active(df: pd.DataFrame, year: int, lo: str, hi: str) -> pd.DataFrame:
    # Inclusive both ends; an empty upper bound means ongoing.
    return df[(df[lo] <= year) & (df[hi].isna() | (df[hi] >= year))]


def rival_matrix(actors: tuple[str, ...], year: int) -> np.ndarray:
    idx = {a: i for i, a in enumerate(actors)}
    m = np.zeros((len(actors), len(actors)), dtype=np.int8)
    for _, r in _active(load_table("rivalries"), year, "from_year", "to_year").iterrows():
        if r["a"] in idx and r["b"] in idx:
            m[idx[r["a"]], idx[r["b"]]] = m[idx[r["b"]], idx[r["a"]]] = 1
    return m


def neighbour_matrix(actors: tuple[str, ...]) -> np.ndarray:
    idx = {a: i for i, a in enumerate(actors)}
    m = np.zeros((len(actors), len(actors)), dtype=np.float64)
    for _, r in load_table("neighbours").iterrows():
        if r["a"] in idx and r["b"] in idx:
            m[idx[r["a"]], idx[r["b"]]] = m[idx[r["b"]], idx[r["a"]]] = float(r["weight"])
    return m


def rivalries_of(iso3: str, year: int | None = None) -> list[dict]:
    """Rivalry rows involving `iso3` (all years, or only those active in `year`)."""
    df = load_table("rivalries")
    if year is not None:
        df = _active(df, year, "from_year", "to_year")
    df = df[(df["a"] == iso3) | (df["b"] == iso3)]
    return [{"rival": r["b"] if r["a"] == iso3 else r["a"], "from_year": int(r["from_year"]),
             "to_year": None if pd.isna(r["to_year"]) else int(r["to_year"]),
             "source": r["source"], "confidence": r["confidence"]} for _, r in df.iterrows()]


def neighbours_of(iso3: str) -> list[dict]:
    df = load_table("neighbours")
    df = df[(df["a"] == iso3) | (df["b"] == iso3)]
    return [{"neighbour": r["b"] if r["a"] == iso3 else r["a"], "weight": float(r["weight"]),
             "source": r["source"], "confidence": r["confidence"]} for _, r in df.iterrows()]


def us_troops(iso3: str, year: int) -> tuple[int, str]:
    df = load_table("us_troops")
    rows = df[df["iso3c"] == iso3]
    if rows.empty:
        return 0, "not a US host in the troopdata selection (or the USA itself): 0"
    row = latest_at(rows, year, value_col="troops_ad")
    if row is None:
        return 0, f"troopdata (DMDC): no row up to {year}: 0"
    return int(row["troops_ad"]), f"troopdata (DMDC) active-duty troops, {year_note(int(row['year']), year)}"


def support_own_weapons(iso3: str, year: int) -> tuple[float, str]:
    df = load_table("support_polls")
    rows = df[(df["iso3"] == iso3) & (df["population"] == "public")]
    row = latest_at(rows, year, order=("month",))
    if row is None:
        return math.nan, f"no public poll on own nuclear weapons up to {year}: NaN"
    when = f"{int(row['year'])}" + (f"-{int(row['month']):02d}" if row["month"] else "")
    return float(row["value"]), f"{row['pollster']}, fieldwork {when} ({row['source']})"


def polls_of(iso3: str) -> list[dict]:
    """Every row of the bundled poll table for the actor's country, as published."""
    df = load_table("polls")
    return df[df["country"] == name_en(iso3)].replace({np.nan: None}).to_dict("records")


def credibility_polls_of(client: str) -> list[dict]:
    df = load_table("credibility_polls")
    return df[df["client"] == client].to_dict("records")


@dataclass(frozen=True)
class PatronPair:
    patron: str
    client: str
    kind: str
    since: int
    cred0: float
    cred0_source: str


def cred0(patron: str, client: str, year: int) -> tuple[float, str]:
    """Latest credibility poll <= year for the client about this patron, else the documented default."""
    polls = load_table("credibility_polls")
    rows = polls[(polls["client"] == client) & (polls["patron"] == patron)]
    row = latest_at(rows, year, order=("month",))
    if row is not None:
        when = f"{int(row['year'])}-{int(row['month']):02d}" if row["month"] else f"{int(row['year'])}"
        return float(row["value"]), f"{row['pollster']}, fieldwork {when}: {row['derivation']} ({row['source']})"
    d = load_table("defaults").set_index("key").loc["cred0_default"]
    return float(d["value"]), f"defaults.csv cred0_default: {d['source']}"


def patron_pairs(actors: Sequence[str], year: int) -> list[PatronPair]:
    """Pairs active in `year` with both ends in `actors`, in table order."""
    return list(_patron_pairs(tuple(actors), int(year)))


@functools.lru_cache(maxsize=256)  # tables are immutable once loaded
def _patron_pairs(actors: tuple[str, ...], year: int) -> tuple[PatronPair, ...]:
    codes = set(check_actors(actors))
    df = _active(load_table("patron_pairs"), year, "since", "until")
    out = []
    for _, r in df.iterrows():
        if r["patron"] in codes and r["client"] in codes:
            value, src = cred0(r["patron"], r["client"], year)
            out.append(PatronPair(r["patron"], r["client"], r["kind"], int(r["since"]), value, src))
    return tuple(out)


def arrangements_of(iso3: str, year: int) -> list[dict]:
    """The actor's rows of arrangements.csv in force in `year`, with their sources."""
    df = _active(load_table("arrangements"), year, "since", "until")
    return [{"arrangement": r["arrangement"], "level": str(r["level"]), "since": int(r["since"]),
             "until": None if pd.isna(r["until"]) else int(r["until"]), "source": r["source"],
             "confidence": r["confidence"]} for _, r in df[df["actor"] == iso3].iterrows()]


def arrangement_levels(actors: Sequence[str], year: int) -> dict[str, tuple[np.ndarray, list[str]]]:
    """The US extended-deterrence arrangements in force in `year`, per actor: for each of
    consultation, nuclear_sharing and forward_weapons, the rung index on its ladder (0 when no
    row covers the year) and the row's source."""
    return {k: (lv.copy(), list(src)) for k, (lv, src) in _arrangement_levels(tuple(actors), int(year)).items()}


@functools.lru_cache(maxsize=256)  # tables are immutable once loaded
def _arrangement_levels(actors: tuple[str, ...], year: int) -> dict[str, tuple[np.ndarray, list[str]]]:
    from .catalog import ARRANGEMENT_LADDERS

    df = _active(load_table("arrangements"), year, "since", "until")
    out = {}
    for arr, ladder in ARRANGEMENT_LADDERS.items():
        level = np.zeros(len(actors), np.int64)
        sources = [""] * len(actors)
        for i, a in enumerate(actors):
            rows = df[(df["actor"] == a) & (df["arrangement"] == arr)]
            if len(rows) > 1:
                raise ValueError(f"arrangements.csv: {a} has {len(rows)} {arr} rows in force in {year}")
            if len(rows):
                level[i] = ladder.index(str(rows["level"].iloc[0]))
                sources[i] = str(rows["source"].iloc[0])
        out[arr] = (level, sources)
    return out


def reaction_matrices(actors: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(buildup, coercion) matrices [reactor, target] of adversary_reactions.csv over `actors`."""
    idx = {a: i for i, a in enumerate(actors)}
    up = np.zeros((len(actors), len(actors)), dtype=np.int8)
    co = np.zeros_like(up)
    for _, r in load_table("adversary_reactions").iterrows():
        if r["reactor"] in idx and r["target"] in idx:
            up[idx[r["reactor"]], idx[r["target"]]] = int(r["buildup"])
            co[idx[r["reactor"]], idx[r["target"]]] = int(r["coercion"])
    return up, co


def red_line(actor: str) -> tuple[bool, str]:
    """Whether an adversary has declared a red line against the actor's programme (red_lines.csv)."""
    t = load_table("red_lines")
    rows = t[t["target"] == actor]
    if rows.empty:
        return False, "red_lines.csv: none"
    return True, "red_lines.csv: " + "; ".join(f"{b} ({y})" for b, y in zip(rows["by"], rows["year"], strict=True))

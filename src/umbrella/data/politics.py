"""Treaty membership, electoral calendars and the NPT review cycle."""

from __future__ import annotations

import functools

import pandas as pd

from .errors import UnknownActorError
from .load import table_view as load_table


def npt_member(iso3: str, year: int) -> tuple[bool, str]:
    row = load_table("npt_status").set_index("iso3").loc[iso3]
    joined, withdrew = row["npt_joined"], row["npt_withdrew"]
    member = pd.notna(joined) and joined <= year and (pd.isna(withdrew) or year < withdrew)
    return bool(member), f"npt_status.csv: {row['source']}"


def npt_nws(iso3: str) -> tuple[bool, str]:
    row = load_table("npt_status").set_index("iso3").loc[iso3]
    return bool(row["nws"]), "npt_status.csv (NPT Art. IX(3) nuclear-weapon states; standard reference)"


def _elections(country: str) -> pd.DataFrame:
    df = load_table("elections")
    code = country.strip().upper() if isinstance(country, str) else country
    if code not in set(df["country"]):
        raise UnknownActorError(country, sorted(set(df["country"])), key="country",
                                what="a country with an election record")
    return df[df["country"] == code].sort_values("year")


def _schedule(scope: str, item: str) -> int:
    df = load_table("schedules")
    hit = df[(df["scope"] == scope) & (df["item"] == item)]
    if hit.empty:
        raise UnknownActorError(scope, sorted(set(df["scope"])), key=f"schedule {item}", what="a scope with that item")
    return int(hit["value"].iloc[0])


def alternation_rate(country: str) -> float:
    """Share of elections whose winning party/camp differs from the previous election's winner."""
    camps = _elections(country)["camp"].to_numpy()
    changes = camps[1:] != camps[:-1]
    return float(changes.mean())


def election_period(country: str) -> int:
    """Term length in years (schedules.csv)."""
    _elections(country)
    return _schedule(country.strip().upper(), "term_years")


@functools.lru_cache(maxsize=1024)  # tables are immutable once loaded
def next_election(country: str, after_year: int) -> int:
    """First election year strictly after `after_year`: a recorded one, else the regular calendar."""
    df = _elections(country)
    held = df[df["year"] > after_year]
    if len(held):
        return int(held["year"].iloc[0])
    code = country.strip().upper()
    nxt, period = _schedule(code, "next_regular_election"), _schedule(code, "term_years")
    while nxt <= after_year:
        nxt += period
    return nxt


def revcon_failure_rate(include_low: bool = False) -> float:
    """Share of NPT Review Conferences without a consensus final document.

    The unverified 2026 row (confidence low) is left out unless `include_low` is True.
    """
    df = load_table("revcon_outcomes")
    if not include_low:
        df = df[df["confidence"] != "low"]
    return float((df["final_document"] == "no").mean())


def revcon_years(start: int, end: int) -> list[int]:
    """Review Conference years in [start, end]: every `revcon_interval_years` from `revcon_next`."""
    first, step = _schedule("NPT", "revcon_next"), _schedule("NPT", "revcon_interval_years")
    return [y for y in range(first, end + 1, step) if y >= start]

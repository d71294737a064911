"""Nuclear facts per actor: warheads, Bleek status, latency (N_CAP7), fuel cycle, doctrine paths."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .actors import check_actor, cow_codes, name_en
from .economy import indicator_rows
from .errors import UnknownActorError
from .load import table_view as load_table
from .series import latest_at, year_note

# NL v1.2 codes (from its codebook, repeated in the table header): still operating in 2012,
# never operated, missing. Not facts about the world, only the file's conventions.
NL_OPEN, NL_NEVER, NL_MISSING = 7777, 9999, -99


def warheads(iso3: str, year: int) -> tuple[int, str]:
    df = load_table("warhead_stockpiles")
    rows = df[df["country_name"] == name_en(iso3)]
    if rows.empty:
        return 0, "not in the FAS/SIPRI stockpile table (no arsenal): 0"
    row = latest_at(rows, year)
    if row is None:
        return 0, f"FAS/SIPRI stockpile table: no row up to {year}: 0"
    return int(row["stockpile"]), f"{row['source']}, {year_note(int(row['year']), year)}"


def warhead_series(iso3: str) -> pd.DataFrame:
    df = load_table("warhead_stockpiles")
    return df[df["country_name"] == name_en(iso3)].sort_values("year").reset_index(drop=True)


def status(iso3: str, year: int) -> tuple[int, int, str]:
    """Bleek status 0-3 at min(year, last panel year) and years since entering it (counted to `year`)."""
    df = load_table("bleek_status")
    rows = df[(df["country_name"] == name_en(iso3)) & (df["year"] <= year)].sort_values("year")
    if rows.empty:
        return 0, 0, f"Bleek (2017)/OWID panel: no row up to {year}: 0"
    s = rows["nuclear_weapons_status"].to_numpy()
    y = rows["year"].to_numpy()
    last = len(s) - 1
    # Walk back over the current spell; a break in the years also ends it.
    first = last
    while first > 0 and s[first - 1] == s[last] and y[first - 1] == y[first] - 1:
        first -= 1
    censored = " (spell starts at the panel's first year)" if first == 0 else ""
    src = (f"Bleek (2017) status via OWID, {year_note(int(y[last]), year)}; "
           f"in status since {int(y[first])}{censored}")
    return int(s[last]), int(year - y[first]), src


def latency(iso3: str, year: int) -> tuple[int, str]:
    """Jo & Gartzke N_CAP7 (0-7) at the latest year <= `year` under any of the actor's COW codes."""
    df = load_table("nuccap")
    rows = df[df["ccode"].isin(cow_codes(iso3))]
    row = latest_at(rows, year)
    if row is None:
        return 0, f"Jo & Gartzke N_CAP7: no record up to {year}: 0"
    return int(row["N_CAP7"]), f"Jo & Gartzke N_CAP7, {year_note(int(row['year']), year)}"


def nl_last_year() -> int:
    """Last calendar year in the NL facility records (coverage end; 2012 for v1.2)."""
    df = load_table("nl_facilities")
    cols = ["operation_start", "operation_end", "operation2_start", "operation2_end"]
    values = pd.concat([df[c] for c in cols]).dropna().astype(int)
    return int(values[(values > 0) & (values < NL_OPEN)].max())


def _nl_operating(ccodes: Sequence[int], year: int) -> bool:
    df = load_table("nl_facilities")
    df = df[df["ccode"].isin(ccodes)]
    last_nl_year = nl_last_year()  # "still operating" means operating to the end of coverage

    def spell(start: pd.Series, end: pd.Series) -> pd.Series:
        start = start.astype("float64")
        end = end.astype("float64").where(end != NL_OPEN, last_nl_year)
        valid = start.notna() & ~start.isin([NL_NEVER, NL_MISSING]) & ~end.isin([NL_NEVER, NL_MISSING])
        return valid & (start <= year) & (end >= year)

    on = spell(df["operation_start"], df["operation_end"]) | spell(df["operation2_start"], df["operation2_end"])
    return bool(on.any())


def enr(iso3: str, year: int) -> tuple[bool, str]:
    """Operating enrichment or reprocessing in `year`.

    To 2012 from the NL v1.2 facility records (any size, NL's own definition of latency); from
    2013 from the coding of the 2024-25 latency snapshot, which counts only facilities operating
    at scale (so KOR's lab-scale pyroprocessing is 1 in NL 2012 but 0 in 2025).
    """
    if year <= nl_last_year():
        on = _nl_operating(cow_codes(iso3), year)
        return on, f"Fuhrmann & Tkach NL v1.2 facility records, {year}"
    rows = indicator_rows(iso3, "enr_operating")
    if rows.empty:
        return False, "no fuel-cycle coding: False"
    row = latest_at(rows, year)
    note = ""
    if row is None:  # 2013-2023: carry the snapshot coding back, saying so
        row, note = rows.iloc[0], f" (carried back to {year})"
    return bool(row["value"]), f"{row['source']}, {int(row['year'])}{note}"


def indicator(iso3: str, name: str, year: int, unknown: float = 0.0) -> tuple[float, str]:
    """Latest supplementary indicator <= year; `unknown` (documented) when there is none."""
    row = latest_at(indicator_rows(iso3, name), year)
    if row is None:
        return unknown, f"no {name} value up to {year}: {unknown:g} (unknown)"
    return float(row["value"]), f"{row['source']}, {year_note(int(row['year']), year)}"


def first_warhead_year(iso3: str) -> int | None:
    s = warhead_series(iso3)
    s = s[s["stockpile"] > 0]
    return int(s["year"].min()) if len(s) else None


def arsenal_buildups(after_year: int = 1955, window: int = 10) -> pd.DataFrame:
    """Early build-up of every arsenal acquired after `after_year` (Bleek acquire year).

    States come from the data, not a list: Bleek 'Acquire' spells starting after `after_year`
    whose country has a stockpile series. For each, the mean annual increment over the first
    `window` years after its first warhead (FAS): (S[y0 + window] - S[y0]) / window.
    """
    actors = load_table("actors")
    spells = load_table("bleek_spells")
    acq = spells[(spells["stage"] == "Acquire") & (spells["start"] > after_year)]
    rows = []
    for _, a in actors.iterrows():
        codes = cow_codes(a["iso3"])
        hit = acq[acq["ccode"].isin(codes)]
        if hit.empty:
            continue
        y0 = first_warhead_year(a["iso3"])
        if y0 is None:
            continue
        s = warhead_series(a["iso3"]).set_index("year")["stockpile"]
        if y0 + window not in s.index:
            continue
        rows.append({"iso3": a["iso3"], "acquire_year_bleek": int(hit["start"].min()), "first_warhead_year": y0,
                     "stockpile_start": int(s[y0]), "stockpile_end": int(s[y0 + window]),
                     "mean_increment": (s[y0 + window] - s[y0]) / window})
    return pd.DataFrame(rows)


def new_arsenal_build_rate(after_year: int = 1955, window: int = 10) -> float:
    """Median over new nuclear states of their mean annual stockpile increment in the first decade.

    The median of per-state means weights each state once, so one lumpy series (e.g. France's
    pause in the late 1960s, DPRK's 2021 method change) cannot dominate.
    """
    return float(np.median(arsenal_buildups(after_year, window)["mean_increment"]))


def doctrine_first_year(actor: str) -> int:
    """First year of an actor's doctrine path (the earliest projection point)."""
    df = load_table("doctrine_paths")
    return int(df.loc[df["actor"] == check_actor(actor), "year"].min())


def doctrine_path(actor: str, years: Sequence[int] | np.ndarray, extrapolate: bool = False) -> np.ndarray:
    """(len(years), 3) array of (low, mid, high) doctrine targets, linearly interpolated.

    Outside the tabulated years the path is held flat at the nearest end point (no invented
    growth) unless `extrapolate` is True, in which case the last/first segment's slope continues.
    """
    code = check_actor(actor)
    df = load_table("doctrine_paths")
    df = df[df["actor"] == code].sort_values("year")
    if df.empty:
        raise UnknownActorError(actor, sorted(set(load_table("doctrine_paths")["actor"])), key="doctrine_path actor",
                                what="an actor with a doctrine path")
    x = df["year"].to_numpy(dtype=float)
    years = np.asarray(years, dtype=float)
    out = []
    for col in ("low", "high"):
        y = df[col].to_numpy(dtype=float)
        v = np.interp(years, x, y)
        if extrapolate and len(x) >= 2:
            hi, lo = years > x[-1], years < x[0]
            v[hi] = y[-1] + (years[hi] - x[-1]) * (y[-1] - y[-2]) / (x[-1] - x[-2])
            v[lo] = np.maximum(0.0, y[0] - (x[0] - years[lo]) * (y[1] - y[0]) / (x[1] - x[0]))
        out.append(v)
    low, high = out
    return np.column_stack([low, (low + high) / 2, high])


def breakout(iso3: str) -> tuple[float, float, str]:
    """(median years, log-s.d., source) of the published estimates of the time from a decision
    to a first weapon (breakout_estimates.csv): the geometric mean of the rows' geometric
    midpoints sqrt(low high), and ln(max high / min low) / 4 (the range as +/- 2 s.d.); (0, 0, '')
    for a state without published estimates."""
    t = load_table("breakout_estimates")
    rows = t[t["actor"] == iso3]
    if rows.empty:
        return 0.0, 0.0, ""
    mid = np.sqrt(rows["low_years"].to_numpy(float) * rows["high_years"].to_numpy(float))
    med = float(np.exp(np.log(mid).mean()))
    sd = float(np.log(rows["high_years"].max() / rows["low_years"].min()) / 4.0)
    return med, sd, f"breakout_estimates.csv: {len(rows)} published estimates ({', '.join(rows['kind'])})"

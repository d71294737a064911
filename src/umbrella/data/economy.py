"""GDP, real growth and defence burden from the SIPRI milex table (and documented DPRK rows).

GDP comes from SIPRI's own two series (milex / share of GDP, SIPRI uses IMF WEO GDP); real GDP is
proxied by constant-2023 milex / share, i.e. nominal GDP deflated with SIPRI's (consumer-price)
deflator. SIPRI gives no DPRK figures, so the DPRK uses the Bank of Korea / WMEAT rows of
supplementary_indicators.csv.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .load import table_view as load_table
from .series import latest_at, year_note

SIPRI = "SIPRI Milex DB 2025"


def _sipri(iso3: str) -> pd.DataFrame:
    df = load_table("sipri_milex")
    return df[df["iso3"] == iso3].sort_values("year")


def indicator_rows(iso3: str, indicator: str) -> pd.DataFrame:
    df = load_table("supplementary_indicators")
    return df[(df["iso3"] == iso3) & (df["indicator"] == indicator)].sort_values("year")


def _has_sipri(iso3: str, col: str) -> bool:
    return bool(_sipri(iso3)[col].notna().any())


def real_gdp_series(iso3: str) -> pd.Series:
    """Real GDP proxy by year (US$ m, constant 2023): constant-2023 milex / (share of GDP)."""
    df = _sipri(iso3).dropna(subset=["milex_const2023_usd_m", "milex_share_gdp"])
    return pd.Series(df["milex_const2023_usd_m"].to_numpy() / (df["milex_share_gdp"].to_numpy() / 100),
                     index=df["year"].to_numpy(), name=iso3)


def real_growth(iso3: str, start: int, end: int) -> float:
    """Mean annual real log growth of the GDP proxy between two data years (e.g. 2010-2019)."""
    s = real_gdp_series(iso3)
    if start not in s.index or end not in s.index or end <= start:
        raise ValueError(f"real_growth: {iso3} has no SIPRI data for both {start} and {end} (end > start required)")
    return float((math.log(s[end]) - math.log(s[start])) / (end - start))


def gdp_usd_bn(iso3: str, year: int) -> tuple[float, str]:
    if _has_sipri(iso3, "gdp_implied_usd_bn"):
        row = latest_at(_sipri(iso3), year, value_col="gdp_implied_usd_bn")
        if row is None:
            return math.nan, f"{SIPRI}: no data up to {year}"
        return float(row["gdp_implied_usd_bn"]), (
            f"{SIPRI}: GDP implied by milex / share of GDP (current US$), {year_note(int(row['year']), year)}")
    row = latest_at(indicator_rows(iso3, "gdp_usd_bn"), year)
    if row is None:
        return math.nan, f"no GDP data up to {year}"
    return float(row["value"]), f"{row['source']}, {year_note(int(row['year']), year)}"


def gdp_growth(iso3: str, year: int, window: int = 10) -> tuple[float, str]:
    """Mean annual real log growth over the `window` years to the latest data year <= `year`."""
    if _has_sipri(iso3, "milex_const2023_usd_m"):
        s = real_gdp_series(iso3)
        s = s[s.index <= year]
        if len(s) < 2:
            return math.nan, f"{SIPRI}: fewer than two years of data up to {year}"
        end = int(s.index.max())
        start = max(end - window, int(s.index.min()))
        g = (math.log(s[end]) - math.log(s[start])) / (end - start)
        short = "" if end - start == window else f" (only {end - start} years available)"
        # Say what the proxy is: CPI-deflated nominal GDP drifts from national-accounts real GDP
        # where the GDP deflator and CPI diverge (high inflation, commodity exporters, war).
        return float(g), (f"{SIPRI}: real GDP proxy (constant-2023 milex / share of GDP, i.e. CPI-deflated "
                          f"nominal GDP), mean log growth {start}-{end}{short}")
    rows = indicator_rows(iso3, "gdp_growth_pct")
    rows = rows[rows["year"] <= year]
    if rows.empty:
        return math.nan, f"no growth data up to {year}"
    end = int(rows["year"].max())
    rows = rows[rows["year"] > end - window]
    g = float(np.mean(np.log1p(rows["value"].to_numpy() / 100)))
    return g, (f"Bank of Korea real growth estimates (supplementary_indicators.csv), mean log growth "
               f"{int(rows['year'].min())}-{end}")


def milex_share(iso3: str, year: int) -> tuple[float, str]:
    """Defence spending as a fraction of GDP."""
    if _has_sipri(iso3, "milex_share_gdp"):
        row = latest_at(_sipri(iso3), year, value_col="milex_share_gdp")
        if row is None:
            return math.nan, f"{SIPRI}: no data up to {year}"
        return float(row["milex_share_gdp"]) / 100, f"{SIPRI}: share of GDP, {year_note(int(row['year']), year)}"
    row = latest_at(indicator_rows(iso3, "milex_share_pct"), year)
    if row is None:
        return math.nan, f"no defence-burden data up to {year}"
    return float(row["value"]) / 100, f"{row['source']}, {year_note(int(row['year']), year)}"


def milex_usd_m(iso3: str, year: int) -> float:
    """SIPRI military expenditure, current US$ m, in exactly `year` (NaN if absent)."""
    df = _sipri(iso3)
    row = df[df["year"] == year]
    return float(row["milex_current_usd_m"].iloc[0]) if len(row) else math.nan


def gdp_implied(iso3: str, year: int) -> float:
    """SIPRI-implied GDP (current US$ bn) in exactly `year` (NaN if absent)."""
    df = _sipri(iso3)
    row = df[df["year"] == year]
    return float(row["gdp_implied_usd_bn"].iloc[0]) if len(row) else math.nan

"""Missile classes by state and year, from the bundled table ``missile_classes`` (policy level:
counts and ranges only).

The table is derived from ``missiles_china_dprk.csv`` (DoD CMPR 2023-2025, CSIS Missile
Threat, USFK 2019). Its '#' header states the rules; in short:

* ``range_km`` (the range used) is the UPPER value of the class's stated range: a class counts
  as in range of a point if its range >= the distance from the launch area, public inventories
  are not split by system, and what a class "can reach" is stated with maximum ranges. The
  lower value is ``range_min_km`` (a sensitivity). Per-row exceptions are in ``range_rule``
  (Russia's ICBM row uses the class's lower bound, 5,500 km: no Russian range is bundled).
* ``inventory`` (the number used) is the source's missile count; where the source says "not
  public" it is the low end of the bracket the source gives, with confidence "low". An empty
  inventory (Russia's ICBMs) means "present, count not bundled": used for homeland reach only.
* ``launch_area``: public sources give none; launch from anywhere on the state's territory.
"""

from __future__ import annotations

import functools
import numbers

import pandas as pd

from umbrella.data import load_table
from umbrella.data.errors import DataError
from umbrella.errors import InputError

STATES = ("CHN", "PRK", "RUS")
CLASS_ORDER = ("SRBM", "MRBM", "IRBM", "GLCM", "ICBM")
COLUMNS = ("state", "cls", "systems", "range_km", "range_min_km", "range_max_km", "inventory",
           "inventory_basis", "nuclear", "launch_area", "source", "confidence",
           "kind", "role", "range_rule", "year_from", "year_to")


@functools.lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    df = load_table("missile_classes")
    lo, hi = int(df["year_from"].min()), int(df["year_to"].max())
    # every (state, class) must cover every year of the table's span exactly once
    for (state, cls), g in df.groupby(["state", "cls"]):
        covered = sorted(y for a, b in zip(g["year_from"], g["year_to"], strict=True)
                         for y in range(int(a), int(b) + 1))
        if covered != list(range(lo, hi + 1)):
            raise DataError(f"table 'missile_classes': {state} {cls} rows cover years {covered}, "
                            f"not each of {lo}-{hi} exactly once")
    return df


def year_range() -> tuple[int, int]:
    """First and last year the bundled missile table stands for."""
    df = _table()
    return int(df["year_from"].min()), int(df["year_to"].max())


def check_year(year, key: str = "year") -> int:
    """`year` as an int inside `year_range()`, else InputError naming `key`."""
    lo, hi = year_range()
    if isinstance(year, bool) or not isinstance(year, numbers.Integral):
        raise InputError(key, year, f"an integer year from {lo} to {hi}")
    if not lo <= int(year) <= hi:
        raise InputError(key, year, f"{lo}-{hi} (the years of the bundled missile table)",
                         problem="is outside the data's range")
    return int(year)


def classes(year: int = 2025) -> pd.DataFrame:
    """One row per (state ISO3, class) in force in `year`: the range used (``range_km``) and
    its bounds, the inventory used (``inventory``, missiles; NaN = present, count not bundled)
    and its basis, nuclear role, launch-area assumption, source and confidence. Sorted by state,
    then SRBM, MRBM, IRBM, GLCM, ICBM. Raises InputError outside `year_range()`."""
    y = check_year(year)
    df = _table()
    sel = df[(df["year_from"] <= y) & (df["year_to"] >= y)].copy()
    sel["_o"] = sel["cls"].map(CLASS_ORDER.index)
    sel = sel.sort_values(["state", "_o"]).drop(columns="_o").reset_index(drop=True)
    return sel[list(COLUMNS)]

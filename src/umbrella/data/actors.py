"""Actor registry helpers: validating codes and mapping them to the keys other tables use."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .errors import UnknownActorError
from .load import table_view as load_table

# The 20 default actors in the order of the design brief. Codes are identifiers, not facts;
# a test checks that this tuple matches actors.csv row for row.
DEFAULT_ACTORS: tuple[str, ...] = (
    "USA", "CHN", "RUS", "PRK", "KOR", "JPN", "TWN", "FRA", "GBR", "DEU",
    "POL", "TUR", "SAU", "IRN", "EGY", "AUS", "UKR", "IND", "PAK", "ISR",
)


def actor_table() -> pd.DataFrame:
    return load_table("actors").set_index("iso3", drop=False)


def known_actors() -> tuple[str, ...]:
    return tuple(load_table("actors")["iso3"])


def check_actor(code: object) -> str:
    """Return the canonical code or raise UnknownActorError naming the value and the allowed codes."""
    known = known_actors()
    if isinstance(code, str) and code.strip().upper() in known:
        return code.strip().upper()
    raise UnknownActorError(code, known)


def check_actors(actors: Sequence[str]) -> tuple[str, ...]:
    if isinstance(actors, str):  # a bare string would otherwise be iterated letter by letter
        actors = (actors,)
    codes = tuple(check_actor(a) for a in actors)
    if len(set(codes)) != len(codes):
        dup = next(c for c in codes if codes.count(c) > 1)
        raise ValueError(f"actors: {dup!r} is listed more than once; each actor may appear once")
    if not codes:
        raise ValueError("actors: the list is empty; give at least one actor code")
    return codes


def cow_codes(iso3: str) -> tuple[int, ...]:
    """COW codes under which an actor appears in historical data (e.g. DEU: 255 and West Germany 260)."""
    row = actor_table().loc[iso3]
    codes = [int(row["cow_code"])]
    if pd.notna(row["cow_code_alt"]):
        codes.append(int(row["cow_code_alt"]))
    return tuple(codes)


def name_en(iso3: str) -> str:
    """English name used as join key by the OWID/FAS/Bleek tables, the snapshot and the polls."""
    return str(actor_table().loc[iso3, "name_en"])

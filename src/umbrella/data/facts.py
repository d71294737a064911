"""What the engine needs at a start year: per-actor arrays with a citation for every field.

`start_facts(actors, year)` returns a frozen `Facts` whose arrays are aligned with `actors` and
read-only (the engine copies what it mutates). Where the data end before `year`, the latest
earlier value is used and the source says so ("... 2001 (latest available)").
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from . import economy, load, nuclear, politics, relations
from .actors import DEFAULT_ACTORS, actor_table, check_actors
from .nuclear import doctrine_first_year, doctrine_path, new_arsenal_build_rate, warheads
from .politics import alternation_rate, election_period, next_election, revcon_failure_rate, revcon_years
from .relations import PatronPair, patron_pairs
from .series import group_sources

__all__ = [
    "DEFAULT_ACTORS", "Facts", "PatronPair", "start_facts", "patron_pairs", "alternation_rate", "next_election",
    "election_period", "revcon_failure_rate", "revcon_years", "doctrine_path", "doctrine_first_year",
    "new_arsenal_build_rate", "warheads",  # warheads: re-exported, called as facts.warheads (scenario/schedule.py)
]

YEAR_RANGE = (1945, 2100)  # accepted start years (the stockpile and status series begin 1945/1938)


@dataclass(frozen=True, eq=False)  # eq on arrays is ambiguous; compare fields explicitly
class Facts:
    """Start-year facts, every array aligned with `actors` (index i = actors[i]).

    gdp_usd_bn          latest SIPRI-implied GDP with year <= `year` (current US$ bn); PRK: Bank of Korea
    gdp_growth          mean annual real log growth over the 10 years to the latest data year
    milex_share         defence spending, fraction of GDP (0.0256 = 2.56 %)
    warheads            military stockpile (FAS/SIPRI), latest year <= year; 0 if none
    status              int8 Bleek status 0-3 (none, explore, pursue, possess), latest panel year <= year
    years_in_status     years since entering the current status, counted to `year`
    latency             int8 Jo & Gartzke N_CAP7 0-7 (latest year <= year; the index ends 2001)
    enr                 operating enrichment or reprocessing in `year`
    sep_pu_t            separated civil plutonium, tonnes (0 = none or unknown)
    red_line            an adversary's declared red line against the actor's programme (red_lines.csv)
    ttw_pub, ttw_pub_sd published estimates of the time from decision to a first weapon: median years
                        and log-s.d. (breakout_estimates.csv; 0 where none)
    nuclear_elec_share  share of electricity from nuclear, fraction (0 = none or unknown)
    npt_member          NPT party in `year`; npt_nws: NPT nuclear-weapon state
    major_power / regional_power   Jo & Gartzke majpow / regpowt (1992)
    alliance_system     int8 index into catalog.ALLIANCE_SYSTEMS (actors.csv, Umbrella coding): the US
                        alliance system whose signals the actor hears first
    us_troops           US active-duty troops hosted, latest year <= year (0 if not a host, and for the USA)
    support_own_weapons latest public poll (0-1) on the country's own nuclear weapons, NaN if none
    rival               (A, A) int8, symmetric: strategic rivalry active in `year`
    neighbour           (A, A) float, symmetric weights 0-1 of regional peers (not rivals)
    sources             field -> citation (actors with different sources are listed per group)
    actor_sources       field -> per-actor citations, aligned with `actors`
    """

    year: int
    actors: tuple[str, ...]
    gdp_usd_bn: np.ndarray
    gdp_growth: np.ndarray
    milex_share: np.ndarray
    warheads: np.ndarray
    status: np.ndarray
    years_in_status: np.ndarray
    latency: np.ndarray
    enr: np.ndarray
    sep_pu_t: np.ndarray
    ttw_pub: np.ndarray
    ttw_pub_sd: np.ndarray
    red_line: np.ndarray
    nuclear_elec_share: np.ndarray
    npt_member: np.ndarray
    npt_nws: np.ndarray
    major_power: np.ndarray
    regional_power: np.ndarray
    alliance_system: np.ndarray
    us_troops: np.ndarray
    support_own_weapons: np.ndarray
    rival: np.ndarray
    neighbour: np.ndarray
    sources: Mapping[str, str]
    actor_sources: Mapping[str, tuple[str, ...]]

    def index(self, actor: str) -> int:
        return self.actors.index(actor)


def _pct(fn: Callable) -> Callable:
    # Tables hold percentages; Facts holds fractions.
    def wrapped(a, y):
        v, s = fn(a, y)
        return v / 100, s
    return wrapped


def _per_actor(actors, year, fn, dtype):
    values, srcs = [], []
    for a in actors:
        v, s = fn(a, year)
        values.append(v)
        srcs.append(s)
    return np.asarray(values, dtype=dtype), srcs


def _actor_flag(column: str, label: str):
    def fn(a, _year):
        return bool(actor_table().loc[a, column]), label
    return fn


def _breakout(a: str, k: int) -> tuple[float, str]:
    med, sd, src = nuclear.breakout(a)
    return (med if k == 0 else sd), src or "no published estimate"


def _alliance_system(a, _year):
    from umbrella.data.catalog import ALLIANCE_SYSTEMS
    return (ALLIANCE_SYSTEMS.index(str(actor_table().loc[a, "alliance_system"])),
            "actors.csv alliance_system (Umbrella coding)")


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise TypeError(f"year: {year!r} is not an integer year")
    if not YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]:
        raise ValueError(f"year: {year!r} is outside the supported range {YEAR_RANGE[0]}-{YEAR_RANGE[1]}")
    return int(year)


def start_facts(actors: Sequence[str] = DEFAULT_ACTORS, year: int = 2025) -> Facts:
    """Facts for `actors` at start year `year` (unknown actor -> UnknownActorError).

    Cached per (actors, year, tables directory): Facts is immutable, and building it costs a
    few hundred pandas lookups.
    """
    return _build(check_actors(actors), _check_year(year), str(Path(load.TABLES_DIR).resolve()))


@functools.lru_cache(maxsize=256)
def _build(actors: tuple[str, ...], year: int, _tables_dir: str) -> Facts:
    # on disk too: a new process reads what an earlier one built from the same data (cold start)
    from umbrella.data import diskcache
    return _from_disk(diskcache.memo("facts", (actors, year), _tables_dir,
                                     lambda: _to_disk(_build_now(actors, year))))


def _to_disk(f: Facts) -> dict:
    """Facts as plain data (mapping proxies do not pickle)."""
    d = {fl.name: getattr(f, fl.name) for fl in dataclasses.fields(f)}
    d["sources"], d["actor_sources"] = dict(d["sources"]), dict(d["actor_sources"])
    return d


def _from_disk(d: dict) -> Facts:
    d = dict(d)
    d["sources"], d["actor_sources"] = MappingProxyType(d["sources"]), MappingProxyType(d["actor_sources"])
    for v in d.values():
        if isinstance(v, np.ndarray):
            v.setflags(write=False)   # frozen, as built
    return Facts(**d)


def _build_now(actors: tuple[str, ...], year: int) -> Facts:
    jg = "Jo & Gartzke (2007) jg.csv at 1992 (each state's last year in the data), via actors.csv"
    fields: dict[str, tuple[Callable, object]] = {
        "gdp_usd_bn": (economy.gdp_usd_bn, np.float64),
        "gdp_growth": (economy.gdp_growth, np.float64),
        "milex_share": (economy.milex_share, np.float64),
        "warheads": (nuclear.warheads, np.int64),
        "latency": (nuclear.latency, np.int8),
        "enr": (nuclear.enr, bool),
        "sep_pu_t": (lambda a, y: nuclear.indicator(a, "sep_pu_t", y), np.float64),
        "ttw_pub": (lambda a, y: _breakout(a, 0), np.float64),
        "ttw_pub_sd": (lambda a, y: _breakout(a, 1), np.float64),
        "red_line": (lambda a, y: relations.red_line(a), bool),
        "nuclear_elec_share": (_pct(lambda a, y: nuclear.indicator(a, "nuclear_elec_share_pct", y)), np.float64),
        "npt_member": (politics.npt_member, bool),
        "npt_nws": (lambda a, y: politics.npt_nws(a), bool),
        "major_power": (_actor_flag("major_power", jg), bool),
        "regional_power": (_actor_flag("regional_power", jg), bool),
        "alliance_system": (_alliance_system, np.int8),
        "us_troops": (relations.us_troops, np.int64),
        "support_own_weapons": (relations.support_own_weapons, np.float64),
    }
    arrays: dict[str, np.ndarray] = {}
    per_actor: dict[str, tuple[str, ...]] = {}
    for name, (fn, dtype) in fields.items():
        arrays[name], srcs = _per_actor(actors, year, fn, dtype)
        per_actor[name] = tuple(srcs)

    triples = [nuclear.status(a, year) for a in actors]
    arrays["status"] = np.array([t[0] for t in triples], dtype=np.int8)
    arrays["years_in_status"] = np.array([t[1] for t in triples], dtype=np.int64)
    per_actor["status"] = per_actor["years_in_status"] = tuple(t[2] for t in triples)

    arrays["rival"] = relations.rival_matrix(actors, year)
    per_actor["rival"] = (
        ("rivalries.csv: coded for this project (cf. Thompson & Dreyer 2012); not re-checked",) * len(actors))
    arrays["neighbour"] = relations.neighbour_matrix(actors)
    per_actor["neighbour"] = (
        ("neighbours.csv: project assumptions; JPN-KOR seed F1:L23 (Defense One 2025)",) * len(actors))

    for arr in arrays.values():
        arr.setflags(write=False)  # Facts is frozen; the engine copies what it evolves
    sources = {name: group_sources(actors, list(srcs)) for name, srcs in per_actor.items()}
    return Facts(year=year, actors=actors, sources=MappingProxyType(sources),
                 actor_sources=MappingProxyType(per_actor), **arrays)

"""What the annual engine takes from the geography layer (issue 4 item 3; docs/model.md §5.4).

* Homeland reach g_j: 1 if one of adversary j's missile classes reaches the continental US
  (`exposure.compute()["homeland_reach"][j]["CONUS"]`), else 0; it gates j's term in the
  credibility anchor's decoupling index. States without bundled missile data get 1, so their
  term rests on the world's `cred.reach_*` alone.
* Theatre exposure e_cj: for client c and adversary j, the theatre nuclear-capable inventory
  (classes with role "theatre" and nuclear "dual" or "nuclear") whose range covers c's points,
  as a share of that inventory at full capability (the data), averaged over c's bases and
  capital in the bases table (distance to the nearest point of j's territory). It weights j's
  warheads in c's arms term; a capability lever below 1 lowers it.
* With a capability lever on a strategic class (the DPRK's ICBMs), g_j is multiplied by the
  class's factor: the decoupling term is graded in capability, not only on or off.
  A client without points in the table, or an adversary without theatre classes (Russia: no
  bundled data), gets 1: the unweighted term of the foundation.

The missile table covers 2023-2025; another start year takes the nearest covered year (a run
started in 2010 sees 2023's classes). `capability` passes the geography layer's capability
levers (exposure.apply_capability) through, so a scenario that removes a class (e.g. the DPRK's
ICBMs) changes the engine's inputs."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from umbrella.geo import exposure, missiles

ADVERSARIES = ("CHN", "PRK", "RUS")


def scenario_capability(levers, deal_cap_factor: float | None = None) -> dict | None:
    """The geography layer's capability override from a scenario's levers (None: the data):
    `dprk_icbm_capability` / `dprk_mrbm_capability`, then, with `deal_cap_factor`
    (crisis.deal_cap_factor), a DPRK deal's ICBM cap (MRBM cap) multiplies the ICBM (MRBM and
    IRBM) factor by it."""
    prk = {}
    if levers.dprk_icbm_capability is not None:
        prk["ICBM"] = float(levers.dprk_icbm_capability)
    if levers.dprk_mrbm_capability is not None:
        prk["MRBM"] = prk["IRBM"] = float(levers.dprk_mrbm_capability)
    deal = levers.dprk_deal
    if deal is not None and deal_cap_factor is not None:
        if deal.icbm_cap:
            prk["ICBM"] = prk.get("ICBM", 1.0) * float(deal_cap_factor)
        if deal.mrbm_cap:
            for c in ("MRBM", "IRBM"):
                prk[c] = prk.get(c, 1.0) * float(deal_cap_factor)
    return {"PRK": prk} if prk else None


def engine_inputs(actors: tuple[str, ...], year: int, capability: dict | None = None) -> dict:
    """{"home_reach": (A,) array, "expo": {ADV: (A,) array}, "year_used": int} for the actors."""
    key = json.dumps(capability, sort_keys=True) if capability else ""
    return _cached(tuple(actors), int(year), key)


@functools.lru_cache(maxsize=32)
def _cached(actors: tuple[str, ...], year: int, capability_key: str) -> dict:
    # on disk too: a new process reads what an earlier one computed from the same data (cold start)
    from umbrella.data import diskcache, load
    return diskcache.memo("geo-engine-inputs", (actors, year, capability_key), str(Path(load.TABLES_DIR).resolve()),
                          lambda: _compute(actors, year, capability_key))


def _compute(actors: tuple[str, ...], year: int, capability_key: str) -> dict:
    lo, hi = missiles.year_range()
    y = min(max(year, lo), hi)
    capability = json.loads(capability_key) if capability_key else None
    res = exposure.compute(y, capability=capability)
    cls = exposure.apply_capability(missiles.classes(y), capability)
    home = np.array([float(res["homeland_reach"][a]["CONUS"]) if a in res["homeland_reach"] else 1.0
                     for a in actors])
    for i, a in enumerate(actors):
        strategic = cls[(cls["state"] == a) & (cls["role"] == "strategic")]
        if home[i] > 0 and len(strategic):
            home[i] *= float(strategic["factor"].max())
    points: dict[str, list[dict]] = {}
    for rec in [*res["bases"].values(), *res["other_points"].values()]:
        if rec.get("actor") and not str(rec.get("category", "")).startswith("reference"):
            points.setdefault(rec["actor"], []).append(rec)
    expo = {}
    for adv in ADVERSARIES:
        theatre = cls[(cls["state"] == adv) & (cls["role"] == "theatre") & cls["nuclear"].isin(["dual", "nuclear"])]
        inv = theatre["inventory_used"].to_numpy(float)
        full = theatre["inventory"].to_numpy(float).sum()     # the data's inventory: the denominator
        rng = theatre["range_used"].to_numpy(float)
        col = np.ones(len(actors))
        if len(theatre) and np.isfinite(inv).all() and full > 0:
            for i, a in enumerate(actors):
                pts = points.get(a)
                if pts and a != adv:
                    d = np.array([p["distance_km"][adv] for p in pts])
                    col[i] = float(np.mean([(inv * (rng >= di)).sum() / full for di in d]))
        expo[adv] = col
    return {"home_reach": home, "expo": expo, "year_used": y}

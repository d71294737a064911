"""The JSON summary: the contract scripts rely on. Years are string keys; shares lie in [0, 1]."""

from __future__ import annotations

import math

import numpy as np

from umbrella.crisis.payoffs import TOP, WAR
from umbrella.engine import layout as L

LEVELS = {"explore": L.EXPLORE, "pursue": L.PURSUE, "arsenal": L.ARSENAL}
QUANTILES = {"p10": 10, "p50": 50, "p90": 90}


def round6(x) -> float | None:
    """A JSON number: rounded to 6 decimals; None for None or NaN; -0.0 as 0.0 (so that a
    difference and its opposite print alike). Every JSON writer of results uses it."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else round(x, 6) + 0.0


_r = round6


def _series(values, years) -> dict[str, float]:
    return {str(int(y)): _r(v) for y, v in zip(years, values, strict=False)}


def ever(x: np.ndarray) -> np.ndarray:
    """(run, year, ...) bool -> happened at least once from the start year to each year."""
    return np.logical_or.accumulate(x, axis=1)


def nuclear_use_any(res) -> np.ndarray:
    """(run, year) bool: a nuclear detonation in any theatre at least once by the year."""
    R, Y = res.npt_collapsed.shape
    if not res.theatres or res.crisis_first_user is None:
        return np.zeros((R, Y), np.bool_)
    return ever((res.crisis_first_user >= 0).any(axis=2))


def war_ever(res) -> np.ndarray:
    """(run, year, theatre) bool: a war (rung >= 4) in the theatre at least once by the year."""
    return ever(res.crisis_rung >= WAR)


def nuclear_use_ever(res) -> np.ndarray:
    """(run, year, theatre) bool: a nuclear detonation in the theatre at least once by the year."""
    return ever(res.crisis_first_user >= 0)


def _quantiles(arr, years) -> dict[str, dict[str, float]]:
    """arr: (run, year) -> {p10, p50, p90, mean}[year]."""
    out = {q: _series(np.nanpercentile(arr, p, axis=0), years) for q, p in QUANTILES.items()}
    out["mean"] = _series(np.nanmean(arr, axis=0), years)
    return out


def time_to_weapon(res) -> dict[str, dict]:
    """Years from the onset of the programme that produced an arsenal to its first weapon."""
    inp = res.inputs
    y0 = int(inp.years[0])
    out = {}
    n = np.minimum(res.ev_n, L.MAX_EVENTS)
    starts0 = y0 - inp.xi0[:, L.XI_YEARS]
    lags: dict[int, list[int]] = {i: [] for i in range(len(inp.actors))}
    for r in np.nonzero(n)[0]:
        onset: dict[int, int] = {}
        for k in range(n[r]):
            a, kind, yr = int(res.ev_actor[r, k]), int(res.ev_kind[r, k]), int(res.ev_year[r, k])
            if kind == L.EV_PURSUE or (kind == L.EV_FORCED and res.reached[r, yr - y0, a] >= L.PURSUE):
                onset.setdefault(a, yr)
            elif kind in (L.EV_ABANDON_PURSUE, L.EV_PREVENTIVE, L.EV_ABANDON_EXPLORE):
                onset.pop(a, None)
            elif kind == L.EV_ACQUIRE:
                start = onset.get(a, int(starts0[a]) if inp.xi0[a, L.XI_STATUS] == L.PURSUE else yr)
                lags[a].append(yr - start + 1)
    for i, a in enumerate(inp.actors):
        v = lags[i]
        out[a] = {"p50": _r(float(np.median(v))) if v else None, "n": len(v)}
    return out


def crisis_series(res) -> dict:
    """Shares of runs by YEAR (cumulative: at least once from the start year to YEAR) with a
    nuclear detonation (`nuclear_use[THEATRE or "any"]`), a war at rung >= 4 (`war[THEATRE]`)
    and a central war at rung 8 (`strategic_exchange["any"]`), from the crisis layer."""
    years = res.inputs.years
    R, Y = res.status.shape[:2]
    if not res.theatres:
        zero = _series(np.zeros(Y), years)
        return {"nuclear_use": {"any": zero}, "war": {}, "strategic_exchange": {"any": zero}}
    use = nuclear_use_ever(res)
    war = war_ever(res)
    central = ever((res.crisis_rung >= TOP).any(axis=2))
    nuclear = {th: _series(use[:, :, k].mean(axis=0), years) for k, th in enumerate(res.theatres)}
    nuclear["any"] = _series(nuclear_use_any(res).mean(axis=0), years)
    return {"nuclear_use": nuclear,
            "war": {th: _series(war[:, :, k].mean(axis=0), years) for k, th in enumerate(res.theatres)},
            "strategic_exchange": {"any": _series(central.mean(axis=0), years)}}


def summarise(res) -> dict:
    sc = res.scenario
    inp = res.inputs
    years = inp.years
    actors = list(inp.actors)
    status = {}
    for i, a in enumerate(actors):
        reached = res.reached[:, :, i]
        d = {lvl: _series((reached >= code).mean(axis=0), years) for lvl, code in LEVELS.items()}
        d["covert"] = _series(res.covert[:, :, i].mean(axis=0), years)
        status[a] = d
    credibility, other = {}, {}
    for p, (pat, cli) in enumerate(inp.pairs):
        if pat == "USA":
            credibility[cli] = _quantiles(res.credibility[:, :, p], years)
        else:   # France, the UK, China and Russia as patrons: "PATRON->CLIENT"
            other[f"{pat}->{cli}"] = _quantiles(res.credibility[:, :, p], years)
    alignment = {}
    for i, a in enumerate(actors):
        if (res.posture[:, :, i] >= 0).any():   # -1: alignment not modelled for the actor
            alignment[a] = {name: _series((res.posture[:, :, i] == code).mean(axis=0), years)
                            for code, name in enumerate(L.POSTURE_NAMES)}
    opinion = {a: _quantiles(res.opinion[:, :, i], years)   # NaN: the actor is not polled
               for i, a in enumerate(actors) if not np.isnan(res.opinion[:, :, i]).all()}
    warheads = {a: _quantiles(res.warheads[:, :, i], years) for i, a in enumerate(actors)}
    nptq = _quantiles(res.npt_strength, years)
    return {
        "scenario": sc.id, "world": res.world.id, "runs": int(sc.runs), "seed": int(sc.seed),
        "start_year": int(sc.start_year), "horizon": int(sc.horizon), "actors": actors,
        "status": status,
        "npt": {"collapse": _series(res.npt_collapsed.mean(axis=0), years),
                "strength": {q: nptq[q] for q in QUANTILES}},
        "credibility": credibility,
        "credibility_other": other,
        "alignment": alignment,
        "opinion": opinion,
        "warheads": warheads,
        "time_to_weapon": time_to_weapon(res),
        "us_america_first": _series(res.us_admin.mean(axis=0), years),
        "regional_order": _quantiles(res.order, years),
        **crisis_series(res),
        "events_overflow_runs": int((res.ev_n > L.MAX_EVENTS).sum()),
    }

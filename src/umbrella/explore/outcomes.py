"""The outcome registry: named reductions of an experiment's runs to one number, each the same
quantity as the JSON summary's entry at the same dotted path (docs/explore.md lists them).

    status.ACTOR.LEVEL.YEAR          share of runs that reached LEVEL (explore, pursue, arsenal) by
                                     YEAR, or ran a covert programme (covert)
    credibility.CLIENT.STAT.YEAR     US credibility to CLIENT: p10, p50, p90 or mean over the runs
    warheads.ACTOR.STAT.YEAR         warheads at the end of YEAR
    opinion.ACTOR.STAT.YEAR          public support for an own bomb (polled actors only)
    alignment.ACTOR.POSTURE.YEAR     share of runs in POSTURE (balancing, hedging, accommodating)
    npt.collapse.YEAR                share of runs in which the NPT has collapsed by YEAR
    npt.strength.STAT.YEAR           NPT strength index
    nuclear_use.THEATRE.YEAR         share of runs with a nuclear detonation in THEATRE (or `any`)
                                     at least once by YEAR
    war.THEATRE.YEAR                 share of runs with a war (rung >= 4) in THEATRE by YEAR
    strategic_exchange.any.YEAR      share of runs with a central nuclear war (rung 8) by YEAR
    new_arsenals.mean.YEAR           mean number of actors armed by YEAR that were not at the start
    new_arsenals.any.YEAR            share of runs with at least one new arsenal by YEAR

Without YEAR, an outcome is a time series: one outcome per year of the run (`PATH.YEAR`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from umbrella.crisis.payoffs import TOP
from umbrella.engine import layout as L
from umbrella.errors import InputError
from umbrella.results import summary as S
from umbrella.scenario.schema import TheatreId

THEATRES = tuple(TheatreId.__args__)   # type: ignore[attr-defined]
STATS = ("p10", "p50", "p90", "mean")
KINDS = {
    "status": ("ACTOR", ("explore", "pursue", "arsenal", "covert")),
    "credibility": ("CLIENT", STATS),
    "warheads": ("ACTOR", STATS),
    "opinion": ("ACTOR", STATS),
    "alignment": ("ACTOR", L.POSTURE_NAMES),
    "npt": (None, ("collapse", "strength")),
    "nuclear_use": ("THEATRE", ()),
    "war": ("THEATRE", ()),
    "strategic_exchange": ("any", ()),
    "new_arsenals": (None, ("mean", "any")),
}
# the better direction of each kind when the spec gives none (robust policies); None: no default
# (a posture or public opinion is not better or worse in itself)
DIRECTION = {"status": "min", "warheads": "min", "npt": "min", "nuclear_use": "min", "war": "min",
             "strategic_exchange": "min", "new_arsenals": "min", "credibility": "max", "opinion": None,
             "alignment": None}
ALLOWED = ("status.ACTOR.{explore|pursue|arsenal|covert}[.YEAR], credibility.CLIENT.{p10|p50|p90|mean}[.YEAR], "
           "warheads|opinion.ACTOR.STAT[.YEAR], alignment.ACTOR.{balancing|hedging|accommodating}[.YEAR], "
           "npt.collapse[.YEAR], npt.strength.STAT[.YEAR], nuclear_use.{any|THEATRE}[.YEAR], war.THEATRE[.YEAR], "
           "strategic_exchange.any[.YEAR], new_arsenals.{mean|any}[.YEAR] (docs/explore.md)")


@dataclass(frozen=True)
class Outcome:
    name: str                    # the column in the store
    path: str                    # the dotted path, year included
    kind: str
    who: str | None              # actor, client or theatre
    what: str | None             # level, statistic, posture
    year: int
    direction: str | None = None  # "min" or "max": the better direction (robust policies)
    threshold: float | None = None
    series: str | None = None     # the time series it belongs to, when declared without a year


def parse(path: str, *, name: str | None = None, direction: str | None = None, threshold: float | None = None,
          where: str = "outcomes", scenario=None) -> list[Outcome]:
    """One Outcome, or one per year when the year is left out. `scenario` (the base) bounds the
    years and actors."""
    parts = str(path).split(".")
    kind = parts[0]
    if kind not in KINDS:
        raise InputError(where, path, ALLOWED, problem="is not a registered outcome")
    who_kind, whats = KINDS[kind]
    i = 1
    who = what = None
    if who_kind is not None:
        if len(parts) <= i:
            raise InputError(where, path, ALLOWED, problem=f"lacks the {who_kind.lower()}")
        who = parts[i]
        i += 1
        if who_kind in ("ACTOR", "CLIENT"):
            from umbrella.engine.init import resolve_actors
            actors = resolve_actors(scenario) if scenario is not None else None
            if actors is not None and who not in actors:
                raise InputError(where, path, "an actor of the base scenario: " + ", ".join(actors),
                                 problem=f"names {who!r}, not an actor of the base scenario")
        elif who_kind == "THEATRE" and who not in (*THEATRES, "any"):
            raise InputError(where, path, "a theatre: any, " + ", ".join(THEATRES), problem=f"names {who!r}")
        elif who_kind == "any" and who != "any":
            raise InputError(where, path, f"{kind}.any[.YEAR]", problem=f"names {who!r}")
        if kind == "war" and who == "any":
            raise InputError(where, path, "a theatre: " + ", ".join(THEATRES), problem="is not a theatre")
    if whats:
        if len(parts) <= i or parts[i] not in whats:
            raise InputError(where, path, f"{'.'.join(parts[:i])}.{{{'|'.join(whats)}}}[.YEAR]",
                             problem=f"lacks one of {', '.join(whats)}")
        what = parts[i]
        i += 1
        if kind == "npt" and what == "strength":
            if len(parts) <= i or parts[i] not in STATS:
                raise InputError(where, path, "npt.strength.{p10|p50|p90|mean}[.YEAR]", problem="lacks the statistic")
            what = f"strength.{parts[i]}"
            i += 1
    y0, y1 = (scenario.start_year, scenario.horizon) if scenario is not None else (1945, 2100)
    if len(parts) > i + 1:
        raise InputError(where, path, ALLOWED, problem="has too many parts")
    if direction not in (None, "min", "max"):
        raise InputError(f"{where}.direction", direction, "min or max")
    stem = ".".join(parts[:i])
    if direction is None:
        direction = "max" if kind == "npt" and what and what.startswith("strength") else DIRECTION[kind]
    if len(parts) == i + 1:
        try:
            year = int(parts[i])
        except ValueError:
            raise InputError(where, path, f"a year from {y0} to {y1} as the last part", problem="has no year") from None
        if not y0 <= year <= y1:
            raise InputError(where, path, f"a year from {y0} to {y1} (the base scenario's run)",
                             problem="lies outside the run")
        return [Outcome(name or path, f"{stem}.{year}", kind, who, what, year, direction, threshold)]
    if threshold is not None:
        raise InputError(f"{where}.threshold", threshold, "a threshold on a dated outcome (PATH.YEAR)",
                         problem="is given for a time series")
    return [Outcome(f"{name or stem}.{y}", f"{stem}.{y}", kind, who, what, y, direction, None, name or stem)
            for y in range(y0, y1 + 1)]


def _reduce(x: np.ndarray, points: int, stat: str) -> np.ndarray:
    """(rows,) per-run values, point-major -> (points,) by `stat`: a share (of a yes/no), a mean
    or a percentile, computed as the JSON summary computes them (the same dtype, summary.QUANTILES)."""
    x = x.reshape(points, -1)
    if stat == "share":
        v = x.mean(axis=1)
    elif stat == "mean":
        v = np.nanmean(x, axis=1)
    else:
        v = S.nanpercentile(x, S.QUANTILES[stat], axis=1)
    return np.asarray(v, np.float64)


def compute(outcomes: tuple[Outcome, ...] | list[Outcome], res, points: int) -> dict[str, np.ndarray]:
    """Each outcome for each design point of `res` (an engine.run.Results of `points` points
    times their replicates, point-major)."""
    inp = res.inputs
    y0 = int(inp.years[0])
    actors = list(inp.actors)
    theatres = list(res.theatres)
    cache: dict = {}

    def cached(key, fn):
        if key not in cache:
            cache[key] = fn()
        return cache[key]

    out: dict[str, np.ndarray] = {}
    for o in outcomes:
        t = o.year - y0
        if not 0 <= t < len(inp.years):
            raise InputError("outcomes", o.path, f"a year from {y0} to {int(inp.years[-1])}",
                             problem="lies outside the run")
        a = actors.index(o.who) if o.who in actors else None
        what = o.what or ""
        if o.kind in ("status", "warheads", "opinion", "alignment") and a is None:
            raise InputError("outcomes", o.path, "an actor of the scenario: " + ", ".join(actors))
        if o.kind == "status":
            v = res.covert[:, t, a] if what == "covert" else res.reached[:, t, a] >= S.LEVELS[what]
            val = _reduce(v, points, "share")
        elif o.kind == "credibility":
            pairs = [c for p, c in inp.pairs if p == "USA"]
            if o.who not in pairs:
                raise InputError("outcomes", o.path, "a client of the US umbrella: " + ", ".join(pairs))
            p = list(inp.pairs).index(("USA", o.who))
            val = _reduce(res.credibility[:, t, p], points, what)
        elif o.kind == "warheads":
            val = _reduce(res.warheads[:, t, a], points, what)
        elif o.kind == "opinion":
            x = res.opinion[:, t, a]
            if np.isnan(x).all():
                polled = [b for i, b in enumerate(actors) if not np.isnan(res.opinion[:, 0, i]).all()]
                raise InputError("outcomes", o.path, "a polled actor: " + ", ".join(polled),
                                 problem="is not polled (no opinion series)")
            val = _reduce(x, points, what)
        elif o.kind == "alignment":
            x = res.posture[:, t, a]
            if (x < 0).all():
                raise InputError("outcomes", o.path, "an actor whose alignment is modelled (JPN, KOR, TWN, AUS)")
            val = _reduce(x == L.POSTURE_NAMES.index(what), points, "share")
        elif o.kind == "npt":
            if what == "collapse":
                val = _reduce(res.npt_collapsed[:, t], points, "share")
            else:
                val = _reduce(res.npt_strength[:, t], points, what.split(".")[1])
        elif o.kind in ("nuclear_use", "war", "strategic_exchange"):
            if not theatres:
                val = np.zeros(points)
            elif o.kind == "strategic_exchange":
                val = _reduce(cached("central", lambda: S.ever((res.crisis_rung >= TOP).any(axis=2)))[:, t],
                              points, "share")
            elif o.kind == "nuclear_use" and o.who == "any":
                val = _reduce(cached("use_any", lambda: S.nuclear_use_any(res))[:, t], points, "share")
            elif o.who not in theatres:
                val = np.zeros(points)   # a theatre the scenario does not play has no war
            else:
                fn = S.nuclear_use_ever if o.kind == "nuclear_use" else S.war_ever
                arr = cached(o.kind, functools.partial(fn, res))
                val = _reduce(arr[:, t, theatres.index(o.who)], points, "share")
        elif o.kind == "new_arsenals":
            armed0 = inp.xi0[:, L.XI_STATUS] >= L.ARSENAL
            n = ((res.reached[:, t, :] >= L.ARSENAL) & ~armed0[None, :]).sum(axis=1)
            val = _reduce(n if what == "mean" else n > 0, points, "share")
        else:   # pragma: no cover - parse() admits only the kinds above
            raise AssertionError(o.kind)
        if np.isnan(val).any():
            raise InputError("outcomes", o.path, "an outcome defined in every run", problem="is undefined (NaN)")
        out[o.name] = val
    return out

"""Paired scenario comparison on common random numbers: the library behind `umbrella compare`.

Two scenarios run with the same seed and the same number of runs draw the same random numbers
run by run (every draw is keyed by seed, global run index, year, stream and index; see
`umbrella.rng`). Run r of A and run r of B therefore differ only by what the scenarios
change, and the per-run difference B_r - A_r is a paired comparison: its mean over runs
estimates the effect of going from A to B, with a standard error much smaller than that of
two independent ensembles.

Intervals
    For an outcome with per-run differences d_1..d_n, `mean` is their average and [lo, hi] the
    90% interval mean -/+ z * s / sqrt(n), where s is the sample standard deviation of the d_r
    (n - 1 in the denominator) and z = 1.6449 (the 95th percentile of the standard normal).
    This is the normal approximation for the mean of n iid paired differences; it is adequate
    for the run counts used here (hundreds to tens of thousands) unless an outcome is very rare
    (a handful of runs differ), where the interval is too narrow and should be read as rough.
    When every d_r is equal (e.g. a scenario compared with itself) the interval has zero width.
    With a single run the interval is undefined (null). The interval covers Monte Carlo noise
    only, not uncertainty in the model or its world.

Outcomes (the conventions of `umbrella.results.summary`; years are string keys)
    status.ACTOR.LEVEL.YEAR  indicator that the actor has reached LEVEL (explore, pursue,
                             arsenal) or higher by YEAR (`Results.reached >= level`)
    npt_collapse.YEAR        indicator that the NPT has collapsed at least once by YEAR
    credibility.CLIENT.YEAR  the client's credibility of the US umbrella in YEAR (per run,
                             in [0, 1]; US clients only)
    nuclear_use.(any|THEATRE).YEAR
                             indicator of a nuclear detonation (in any crisis theatre, or in
                             that theatre) at least once by YEAR
    war.THEATRE.YEAR         indicator of a war (rung >= 4) in the theatre at least once by YEAR
    warheads.ACTOR.YEAR      the actor's warheads (actors armed in either run)
    alignment.ACTOR.POSTURE.YEAR  indicator that the aligner's posture is POSTURE in YEAR
    order.YEAR               the regional-order index (1 = China's priorities)
    base_access.THEATRE.YEAR the host's base-access decoupling index (korea, taiwan: Japan)

All values are rounded to 6 decimals, like the summary.
"""

from __future__ import annotations

import os
import tempfile
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import yaml

from umbrella.engine import layout as L
from umbrella.errors import InputError
from umbrella.results.summary import LEVELS, nuclear_use_any, nuclear_use_ever, war_ever
from umbrella.results.summary import round6 as _r

from .checks import DEFAULT_RUNS, check_runs, parse_worlds

__all__ = ["DEFAULT_RUNS", "Z90", "diff", "compare", "outcomes", "headline_years"]

Z90 = 1.6448536269514722  # standard normal 95th percentile: a two-sided 90% interval
INTERVAL = {"level": 0.9, "z": round(Z90, 6),
            "method": "mean of per-run paired differences B_r - A_r (common random numbers) "
                      "-/+ z * sd / sqrt(runs), normal approximation"}


# --------------------------------------------------------------------------------------------
# Paired differences


def _paired(d: np.ndarray, bound: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """d: (run, ...) per-run differences (float64; NaN = missing) -> mean, lo, hi over the
    remaining axes (NaN where undefined: no finite run for the mean, fewer than two for the
    interval). `bound`: the differences lie in [-bound, bound] (shares and probabilities: 1),
    and so does the interval (the normal approximation overshoots with few runs)."""
    ok = np.isfinite(d)
    n = ok.sum(axis=0)
    dz = np.where(ok, d, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = dz.sum(axis=0) / n
        dev = np.where(ok, d - mean, 0.0)
        var = (dev * dev).sum(axis=0) / (n - 1)
        half = Z90 * np.sqrt(var / n)
    half = np.where(n >= 2, half, np.nan)
    if bound is not None:
        return mean, np.maximum(mean - half, -bound), np.minimum(mean + half, bound)
    return mean, mean - half, mean + half


def _cells(d: np.ndarray, years: Sequence[int], bound: float | None = 1.0) -> dict[str, dict[str, float | None]]:
    """d: (run, year) -> {YEAR: {mean, lo, hi}}; `bound` as in _paired (None: unbounded)."""
    mean, lo, hi = _paired(d, bound)
    return {str(int(y)): {"mean": _r(m), "lo": _r(a), "hi": _r(b)}
            for y, m, a, b in zip(years, mean, lo, hi, strict=True)}


def _cells2(d: np.ndarray, years: Sequence[int], keys: Sequence[str],
            bound: float | None = 1.0) -> dict[str, dict]:
    """d: (run, year, key) -> {KEY: {YEAR: {mean, lo, hi}}} (one vectorised pass)."""
    mean, lo, hi = _paired(d, bound)
    return {k: {str(int(y)): {"mean": _r(mean[t, j]), "lo": _r(lo[t, j]), "hi": _r(hi[t, j])}
                for t, y in enumerate(years)}
            for j, k in enumerate(keys)}


def diff(ra, rb) -> dict:
    """B minus A, run by run, for two `Results` of the same number of runs.

    The runs are paired by index, so the difference is meaningful as an effect only when both
    ensembles were run with the same seed (common random numbers; `compare` ensures it). With
    different seeds the pairs are independent and the mean and interval remain valid, only
    wider.

    Only what both results share is compared: the calendar years of both runs (if the start
    years or horizons differ, the overlap), the actors of both (in A's order) and the US clients
    (pairs ("USA", CLIENT)) of both. Cumulative outcomes (npt_collapse, nuclear_use) count from
    each run's own start year. Note that a different start year or actor set also changes which
    random numbers each run draws, so the pairing then no longer isolates the scenarios'
    differences (the interval stays valid).

    Returns ``{"status": {ACTOR: {LEVEL: {YEAR: cell}}}, "npt_collapse": {YEAR: cell},
    "credibility": {CLIENT: {YEAR: cell}}, "nuclear_use": {"any" | THEATRE: {YEAR: cell}},
    "warheads": {ACTOR: {YEAR: cell}}, "alignment": {ACTOR: {POSTURE: {YEAR: cell}}},
    "order": {YEAR: cell}, "war": {THEATRE: {YEAR: cell}}, "base_access": {THEATRE: {YEAR: cell}}}``
    with ``cell = {"mean", "lo", "hi"}``: the mean over runs of B_r - A_r and its 90% interval (see
    the module docstring). Status, NPT collapse, war, nuclear use and postures are 0/1 indicators
    per run (war and nuclear use: at least once by the year), so their means are differences in
    the share of runs; credibility, warheads (actors armed in either run), the regional-order
    index (1 = China's priorities) and the base-access index are per-run levels.
    """
    R = ra.reached.shape[0]
    if rb.reached.shape[0] != R:
        raise InputError("runs", f"{R} (A) and {rb.reached.shape[0]} (B)",
                         "the same number of runs in both results", problem="differ")
    ya = [int(y) for y in ra.inputs.years]
    yb = [int(y) for y in rb.inputs.years]
    pos_b = {y: t for t, y in enumerate(yb)}
    years = [y for y in ya if y in pos_b]
    if not years:
        raise InputError("years", f"{ya[0]}-{ya[-1]} (A) and {yb[0]}-{yb[-1]} (B)",
                         "runs whose years overlap", problem="do not overlap")
    ia = np.array([ya.index(y) for y in years])
    ib = np.array([pos_b[y] for y in years])

    act_a = {a: i for i, a in enumerate(ra.inputs.actors)}
    act_b = {a: i for i, a in enumerate(rb.inputs.actors)}
    actors = [a for a in ra.inputs.actors if a in act_b]
    aa = np.array([act_a[a] for a in actors], dtype=np.intp)
    ab = np.array([act_b[a] for a in actors], dtype=np.intp)

    status: dict[str, dict] = {a: {} for a in actors}
    if actors:
        rea = ra.reached[:, ia][:, :, aa]
        reb = rb.reached[:, ib][:, :, ab]
        for lvl, code in LEVELS.items():
            d = (reb >= code).astype(np.float64) - (rea >= code)
            for a, series in _cells2(d, years, actors).items():
                status[a][lvl] = series

    npt_a = np.logical_or.accumulate(ra.npt_collapsed, axis=1)[:, ia]
    npt_b = np.logical_or.accumulate(rb.npt_collapsed, axis=1)[:, ib]
    npt = _cells(npt_b.astype(np.float64) - npt_a, years)

    pa = {cli: p for p, (pat, cli) in enumerate(ra.inputs.pairs) if pat == "USA"}
    pb = {cli: p for p, (pat, cli) in enumerate(rb.inputs.pairs) if pat == "USA"}
    clients = [c for c in pa if c in pb]
    cred: dict[str, dict] = {}
    if clients:
        ca = ra.credibility[:, ia][:, :, [pa[c] for c in clients]].astype(np.float64)
        cb = rb.credibility[:, ib][:, :, [pb[c] for c in clients]].astype(np.float64)
        cred = _cells2(cb - ca, years, clients)

    # the outcomes analysts ask about beyond the statuses (issue 14): adversaries' and others'
    # warheads, postures and the regional order, war and nuclear use by theatre, base access
    armed = [a for a in actors if (ra.warheads[:, :, act_a[a]] > 0).any() or (rb.warheads[:, :, act_b[a]] > 0).any()]
    warheads: dict[str, dict] = {}
    if armed:
        wa = ra.warheads[:, ia][:, :, [act_a[a] for a in armed]].astype(np.float64)
        wb = rb.warheads[:, ib][:, :, [act_b[a] for a in armed]].astype(np.float64)
        warheads = _cells2(wb - wa, years, armed, bound=None)
    alignment: dict[str, dict] = {}
    for a, i, j in zip(actors, aa, ab, strict=True):
        pa_, pb_ = ra.posture[:, ia, i], rb.posture[:, ib, j]
        if (pa_ < 0).all() and (pb_ < 0).all():
            continue                                   # not an aligner
        alignment[a] = {name: _cells((pb_ == code).astype(np.float64) - (pa_ == code), years)
                        for code, name in enumerate(L.POSTURE_NAMES)}
    order = _cells(rb.order[:, ib].astype(np.float64) - ra.order[:, ia], years, bound=None)
    use = {"any": _cells(nuclear_use_any(rb)[:, ib].astype(np.float64) - nuclear_use_any(ra)[:, ia], years)}
    war: dict[str, dict] = {}
    theatres = [t for t in (ra.theatres or ()) if t in (rb.theatres or ())]
    if theatres:
        war_a, war_b, use_a, use_b = war_ever(ra), war_ever(rb), nuclear_use_ever(ra), nuclear_use_ever(rb)
    for th in theatres:
        ka, kb = ra.theatres.index(th), rb.theatres.index(th)
        war[th] = _cells(war_b[:, ib, kb].astype(np.float64) - war_a[:, ia, ka], years)
        use[th] = _cells(use_b[:, ib, kb].astype(np.float64) - use_a[:, ia, ka], years)
    access = {}
    for th in theatres:
        ba, bb = base_access(ra, th), base_access(rb, th)
        if ba is not None and bb is not None:
            access[th] = _cells(bb[:, ib] - ba[:, ia], years, bound=None)
    return {"status": status, "npt_collapse": npt, "credibility": cred, "nuclear_use": use,
            "warheads": warheads, "alignment": alignment, "order": order, "war": war,
            "base_access": access}


def base_access(res, theatre_id: str) -> np.ndarray | None:
    """(run, year) the host's base-access decoupling index of a theatre with a host (korea and
    taiwan: Japan): B = share x (1 - exp(-W_C / cred.decoupling_half)), the share of the
    challenger's theatre nuclear-capable missiles that reach the host's base groups there
    (geography, the scenario's capability levers) and W_C the run's challenger warheads
    (crisis/inputs.py); None without a host."""
    from umbrella.crisis import inputs as cin
    from umbrella.crisis import theatres as cth
    from umbrella.engine.params import INDEX

    th = cth.get(theatre_id)
    if not th.host or th.challenger not in res.inputs.actors:
        return None
    cap = res.inputs.schedule.capability if th.challenger == "PRK" else None
    share = cin.base_share(th.challenger, th.host_groups, int(res.inputs.years[0]), cap)
    w = res.warheads[:, :, list(res.inputs.actors).index(th.challenger)].astype(np.float64)
    return share * cin.saturation(w, res.params[:, INDEX["cred.decoupling_half"]][:, None])


# --------------------------------------------------------------------------------------------
# Outcome names, headline years, robustness across worlds


OUTCOMES = ("status", "npt_collapse", "credibility", "nuclear_use", "warheads", "alignment", "order", "war",
            "base_access")


def _years_of(d: dict) -> list[int]:
    return sorted(int(y) for y in d["npt_collapse"])


def headline_years(years: Iterable[int | str]) -> list[int]:
    """The years listed in `robust` / `sign_flips`: multiples of 5 and the last year."""
    ys = sorted(int(y) for y in years)
    return [y for y in ys if y % 5 == 0 or y == ys[-1]]


def outcomes(d: dict, years: Iterable[int] | None = None) -> Iterator[tuple[str, dict]]:
    """(name, cell) for every outcome of a `diff` result, restricted to `years` if given.
    Names: status.ACTOR.LEVEL.YEAR, npt_collapse.YEAR, credibility.CLIENT.YEAR,
    nuclear_use.(any|THEATRE).YEAR, warheads.ACTOR.YEAR, alignment.ACTOR.POSTURE.YEAR, order.YEAR,
    war.THEATRE.YEAR, base_access.THEATRE.YEAR."""
    keep = None if years is None else {str(int(y)) for y in years}

    def walk(node: dict, path: str):
        # every leaf is a cell {"mean", "lo", "hi"} under its YEAR key
        for key, v in node.items():
            if "mean" in v:
                if keep is None or key in keep:
                    yield f"{path}.{key}", v
            else:
                yield from walk(v, f"{path}.{key}")

    for name in OUTCOMES:
        if name in d:
            yield from walk(d[name], name)


def _sign(c: dict) -> int:
    """+1 / -1 when the 90% interval excludes 0 above / below, else 0."""
    if c["lo"] is not None and c["lo"] > 0:
        return 1
    if c["hi"] is not None and c["hi"] < 0:
        return -1
    return 0


def _across(per_world: dict[str, dict]) -> dict[str, list[str]]:
    """robust, sign_flips and contested over the headline years (see `compare`)."""
    first = next(iter(per_world.values()))
    years = headline_years(_years_of(first))
    cells = {w: dict(outcomes(d, years)) for w, d in per_world.items()}
    robust, flips, contested = [], [], []
    for name in cells[next(iter(cells))]:
        got = [cells[w].get(name) for w in per_world]
        if any(c is None for c in got):
            continue
        cs = typing.cast("list[dict]", got)  # every world has the outcome (checked just above)
        signs = {_sign(c) for c in cs}
        if signs in ({1}, {-1}):
            robust.append(name)
        means = [c["mean"] for c in cs if c["mean"] is not None]
        if any(m > 0 for m in means) and any(m < 0 for m in means):
            flips.append(name)
        if {1, -1} <= signs:
            contested.append(name)
    return {"robust": robust, "sign_flips": flips, "contested": contested}


# --------------------------------------------------------------------------------------------
# Loading and running


def _load(ref, label: str, overrides: Sequence[str], fields: dict, notes: list[str]):
    """A preset id, a YAML path or a `Scenario` -> a validated Scenario with `fields` applied."""
    from umbrella.scenario import Scenario, load_scenario

    dropped: list = []
    try:
        if isinstance(ref, Scenario):
            # through a YAML file, so overrides and fields behave exactly as for a file
            data = ref.model_dump(mode="json")
            data["extends"] = None
            with tempfile.TemporaryDirectory() as tmp:
                p = Path(tmp) / f"{label}.yaml"
                p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
                sc = load_scenario(p, overrides=list(overrides), fields=fields, dropped=dropped)
            sc = sc.model_copy(update={"extends": ref.extends})  # only a record once resolved
        else:
            sc = load_scenario(ref, overrides=list(overrides), fields=fields, dropped=dropped)
    except InputError as e:
        if e.path == "scenario":  # name which of the two it was
            raise InputError(label, e.value, e.allowed, problem=e.problem) from None
        raise
    if sc.mode == "historical":
        raise InputError(label, sc.id, "a forward scenario (preset or file)",
                         problem="runs in historical mode, which compare does not support")
    for sh in dropped:
        notes.append(f"{label} ({sc.id}): shock {sh.get('type')} in {sh.get('year')} lies outside "
                     f"the run ({sc.start_year}-{sc.horizon}) and is left out")
    return sc


def compare(a, b, *, world: str | os.PathLike | None = None,
            worlds: str | Sequence[str] | None = None, runs: int | None = None,
            seed: int | None = None, overrides: Sequence[str] = (), batch_size: int = 10_000,
            on_run: Callable[[str, str], None] | None = None) -> dict:
    """Run scenarios `a` and `b` (preset ids, YAML paths or `Scenario` objects) on common random
    numbers and return B minus A (`diff`).

    Both get the same `runs` (default 2000, whatever the scenarios say) and `seed` (default: A's
    seed), and the same `overrides` (``--set PATH=VALUE``, applied to both). They run in the same
    world: `world` (an id or path) if given; otherwise the scenarios' own world, and if A and B
    name different worlds, A's (said in ``notes``). `batch_size` bounds memory and never changes
    a result; `on_run(scenario_id, world_id)` is called before each simulation (progress).

    One world: ``{"a", "b", "runs", "seed", "world", "interval", "notes", "diff"}``.

    ``worlds="all"`` (every bundled world), a list of world ids or a comma-separated string:
    the pair runs in every world and the result is ``{"a", "b", "runs", "seed", "interval",
    "notes", "worlds": {W: {"diff": ...}}, "headline_years", "robust", "sign_flips",
    "contested"}``. The three lists name outcomes (``status.KOR.pursue.2040``,
    ``npt_collapse.2050``, ``credibility.JPN.2035``, ``nuclear_use.any.2050``, ``war.korea.2050``,
    ``warheads.CHN.2050``, ...), limited to the
    headline years (multiples of 5 and the last year) to keep them short:

    * ``robust``: the 90% interval excludes 0 with the same sign in every world;
    * ``sign_flips``: the mean is > 0 in one world and < 0 in another (a zero mean has no sign);
      near-zero effects flip by noise, so read it with the intervals;
    * ``contested``: the stronger form, the interval excludes 0 upwards in one world and
      downwards in another (the effect's direction depends on the theory).

    Bad input (unknown preset or world, runs < 1, both `world` and `worlds`) raises InputError.
    """
    from umbrella.engine.run import simulate
    from umbrella.scenario import load_world

    runs = check_runs(runs)
    refs = parse_worlds(world, worlds)
    notes: list[str] = []
    fields = {"runs": runs, "seed": seed, "world": world}
    sa = _load(a, "A", overrides, fields, notes)
    fields["seed"] = sa.seed
    sb = _load(b, "B", overrides, fields, notes)
    if refs is None and world is None and sa.world != sb.world:
        notes.append(f"A ({sa.id}) and B ({sb.id}) name different worlds ({sa.world}, "
                     f"{sb.world}); both run in A's ({sa.world})")
    head = {"a": sa.id, "b": sb.id, "runs": runs, "seed": int(sa.seed)}

    from umbrella.results.limits import check_arrays

    def pair(w) -> dict:
        x = sa.model_copy(update={"world": w.id})
        y = sb.model_copy(update={"world": w.id})
        if on_run is not None:
            on_run(x.id, w.id)
        check_arrays(x, w, copies=3)        # A's and B's arrays and their differences, or refused
        ra = simulate(x, w, batch_size=batch_size)
        if on_run is not None:
            on_run(y.id, w.id)
        rb = simulate(y, w, batch_size=batch_size)
        return diff(ra, rb)

    if refs is None:
        w = load_world(world if world is not None else sa.world)
        return {**head, "world": w.id, "interval": INTERVAL, "notes": notes, "diff": pair(w)}

    loaded = [load_world(r) for r in refs]  # every world validated before anything runs
    per_world = {}
    for w in loaded:
        if w.id in per_world:
            raise InputError("--worlds", refs, "distinct worlds", problem=f"names {w.id} twice")
        per_world[w.id] = pair(w)
    first = next(iter(per_world.values()))
    return {**head, "interval": INTERVAL, "notes": notes,
            "worlds": {w: {"diff": d} for w, d in per_world.items()},
            "headline_years": headline_years(_years_of(first)),
            **_across(per_world)}

"""Analyses of a results store (and of a scenario's runs), returning pandas: the glue between
the store and the model-agnostic methods of umbrella.analysis (sensitivity, discovery, robust,
signposts, search)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from umbrella.analysis import discovery, robust, sensitivity
from umbrella.analysis import search as search_mod
from umbrella.analysis import signposts as sp
from umbrella.errors import InputError
from umbrella.explore.store import Store


def _store(store) -> tuple[Store, dict]:
    """The store and its manifest (a directory without one is refused here)."""
    s = store if isinstance(store, Store) else Store(store)
    return s, s.manifest()


def outcome_names(m: dict) -> list[str]:
    return [o["name"] for o in m["outcomes"]]


def _pick_outcomes(m: dict, outcomes) -> list[str]:
    names = outcome_names(m)
    if not outcomes:
        return names
    picked = []
    for o in outcomes:
        if o in names:
            picked.append(o)
        else:
            series = [n for n in names if n.startswith(f"{o}.") and n[len(o) + 1:].isdigit()]
            if not series:
                raise InputError("--outcome", o, "an outcome of the store: " + ", ".join(names[:12])
                                 + (" ..." if len(names) > 12 else ""))
            picked += series
    return picked


def _policy_rows(s: Store, m: dict, policy: str | None) -> tuple[str, pd.DataFrame]:
    t = s.table()
    policy = policy or m["policies"][0]
    if policy not in m["policies"]:
        raise InputError("--policy", policy, "a policy of the store: " + ", ".join(m["policies"]))
    rows = t[t["policy"] == policy].sort_values("point")
    if len(rows) != m["points"]:
        raise InputError("store", str(s.path), "a complete sweep (run `umbrella explore run` again to finish it)",
                         problem=f"holds {len(rows)} of the {m['points']} points of policy {policy!r}")
    return policy, rows


def _sensitivity_input(store, method: str, needs: str, outcomes, policy: str | None):
    """(manifest, SALib problem, the policy, its rows in design order, Y) for a sensitivity
    method, refused unless the store was made by that method's sampler."""
    from umbrella.explore.design import problem
    from umbrella.explore.spec import Factor
    s, m = _store(store)
    if m["sampler"]["method"] != method:
        raise InputError("method", method, f"the sampler the store was made with ({m['sampler']['method']}): "
                         f"{needs} (sampler: {{method: {method}}})", problem="does not fit")
    policy, rows = _policy_rows(s, m, policy)
    factors = [Factor(**{**f, "values": tuple(f["values"])}) for f in m["factors"]]
    Y = rows[_pick_outcomes(m, outcomes)].reset_index(drop=True)
    return m, problem(factors), policy, rows, Y


def sobol(store, outcomes=None, policy: str | None = None, *, conf_level: float = 0.90, seed: int = 0) -> pd.DataFrame:
    """Sobol first- and total-order indices (bootstrap intervals) of each outcome, for one policy
    (default: the first): a store made with `sampler: {method: sobol}`."""
    m, prob, policy, _, Y = _sensitivity_input(store, "sobol", "Sobol indices need Saltelli's design",
                                               outcomes, policy)
    df = sensitivity.sobol(prob, Y, second_order=bool(m["sampler"]["second_order"]), conf_level=conf_level,
                           seed=seed)
    df.insert(0, "policy", policy)
    return df


def morris(store, outcomes=None, policy: str | None = None, *, conf_level: float = 0.90, seed: int = 0) -> pd.DataFrame:
    """Morris elementary effects (mu*, sigma) of each outcome for one policy: a store made with
    `sampler: {method: morris}`."""
    m, prob, policy, rows, Y = _sensitivity_input(store, "morris", "Morris needs trajectories", outcomes, policy)
    X = rows[prob["names"]].to_numpy(np.float64)
    df = sensitivity.morris(prob, X, Y, num_levels=int(m["sampler"]["levels"] or 4), conf_level=conf_level, seed=seed)
    df.insert(0, "policy", policy)
    return df


def prim(store, outcome: str, threshold: float, *, above: bool = True, policy: str | None = None,
         density: float = 0.8, peel_alpha: float = 0.05, mass_min: float = 0.05,
         pick: str = "first") -> discovery.PrimResult:
    """Scenario discovery: the box of the uncertainty space (and the policies, when several)
    where `outcome` is above (or below) `threshold`."""
    s, m = _store(store)
    names = outcome_names(m)
    if outcome not in names:
        raise InputError("--outcome", outcome, "a dated outcome of the store: " + ", ".join(names[:12]))
    t = s.table()
    if policy is not None:
        if policy not in m["policies"]:
            raise InputError("--policy", policy, "a policy of the store: " + ", ".join(m["policies"]))
        t = t[t["policy"] == policy]
    cols = [f["name"] for f in m["factors"]]
    if policy is None and len(m["policies"]) > 1:
        cols = ["policy", *cols]
    X = t[cols].reset_index(drop=True)
    for f in m["factors"]:
        if f["kind"] == "choice":
            X[f["name"]] = X[f["name"]].astype("category")
    v = t[outcome].to_numpy(np.float64)
    y = v > threshold if above else v < threshold
    return discovery.prim(X, y, threshold=density, peel_alpha=peel_alpha, mass_min=mass_min, pick=pick)


def robustness(store, thresholds: dict[str, float] | None = None, directions: dict[str, str] | None = None,
               outcomes=None) -> robust.RobustResult:
    """Each policy over every uncertainty point and world: mean and percentiles, maximum regret,
    satisficing shares; thresholds and directions default to the spec's."""
    s, m = _store(store)
    # by default the dated outcomes (not the time series) that have a better direction
    picked = _pick_outcomes(m, outcomes) if outcomes else [o["name"] for o in m["outcomes"] if not o["series"]]
    spec_dir = {o["name"]: o["direction"] for o in m["outcomes"]}
    directions = dict(directions or {})
    given = {o: directions.get(o, spec_dir.get(o)) for o in picked}
    dirs: dict[str, str] = {o: d for o, d in given.items() if d is not None}
    if not dirs:
        raise InputError("--outcome", outcomes or picked, "outcomes with a better direction (direction: min or max "
                         "in the spec)", problem="gives nothing to rank policies by")
    thr = dict(thresholds) if thresholds is not None else {
        o["name"]: o["threshold"] for o in m["outcomes"] if o["threshold"] is not None and o["name"] in dirs}
    t = s.table()
    if len(t) != m["experiments"]:
        raise InputError("store", str(s.path), "a complete sweep", problem=f"holds {len(t)} of {m['experiments']} "
                         "experiments")
    return robust.robustness(t, dirs, thresholds=thr or None, world="world")


def run_signposts(scenario, outcome: str, year: int, *, world=None, runs: int = 4000,
                  observables: tuple[str, ...] = ()) -> pd.DataFrame:
    """Which observables of `year` best separate the runs of `scenario` in which `outcome` (a
    dated share outcome, e.g. status.KOR.arsenal.2040) happens: information gained, in bits."""
    from umbrella.engine.run import simulate
    from umbrella.explore import outcomes as O
    from umbrella.scenario import load as scenario_load
    sc = scenario if not isinstance(scenario, str) else scenario_load.load_scenario(scenario)
    sc = sc.model_copy(update={"runs": int(runs)})
    w = world if world is not None and not isinstance(world, str) else scenario_load.load_world(world or sc.world)
    if not outcome.rsplit(".", 1)[-1].isdigit():
        raise InputError("--outcome", outcome, "a dated outcome, e.g. status.KOR.arsenal.2040")
    (o,) = O.parse(outcome, where="--outcome", scenario=sc)
    if o.kind not in ("status", "npt", "nuclear_use", "war", "strategic_exchange", "alignment") or \
            (o.kind == "npt" and o.what != "collapse"):
        raise InputError("--outcome", outcome, "an event outcome (status, alignment, npt.collapse, nuclear_use, war, "
                         "strategic_exchange)", problem="is not a yes/no event per run")
    if not sc.start_year <= year < o.year:
        raise InputError("--year", year, f"a year from {sc.start_year} to {o.year - 1} (before the outcome)")
    res = simulate(sc, w)
    happened = O.compute([o], res, res.status.shape[0])[o.name].astype(bool)   # one point per run
    obs = observables_at(res, year)
    if observables:
        missing = [c for c in observables if c not in obs.columns]
        if missing:
            raise InputError("--observable", missing[0], "one of " + ", ".join(obs.columns))
        obs = obs[list(observables)]
    df = sp.signposts(obs, happened)
    df.insert(0, "outcome", outcome)
    df.insert(1, "year", year)
    return df


def observables_at(res, year: int) -> pd.DataFrame:
    """What an analyst can watch in `year`, per run: US credibility to each client, public
    opinion, warheads of China and the DPRK, the US administration, NPT strength, the regional
    order, known programmes (status >= explore) of the allies."""
    inp = res.inputs
    t = int(year) - int(inp.years[0])
    actors = list(inp.actors)
    cols: dict[str, np.ndarray] = {}
    for p, (pat, cli) in enumerate(inp.pairs):
        if pat == "USA" and cli in ("JPN", "KOR", "TWN", "AUS"):
            cols[f"credibility.{cli}"] = res.credibility[:, t, p]
    for i, a in enumerate(actors):
        if a in ("JPN", "KOR", "TWN") and not np.isnan(res.opinion[:, t, i]).all():
            cols[f"opinion.{a}"] = res.opinion[:, t, i]
    for a in ("CHN", "PRK", "RUS"):
        if a in actors:
            cols[f"warheads.{a}"] = res.warheads[:, t, actors.index(a)]
    for a in ("JPN", "KOR", "TWN"):
        if a in actors:
            cols[f"status.{a}"] = res.reached[:, t, actors.index(a)].astype(np.float64)
    cols["us_america_first"] = res.us_admin[:, t].astype(np.float64)
    cols["npt_strength"] = res.npt_strength[:, t]
    cols["regional_order"] = res.order[:, t]
    return pd.DataFrame({k: np.asarray(v, np.float64) for k, v in cols.items()})


def policy_search(ex, objectives: list[str], *, pop_size: int = 12, n_gen: int = 4, seed: int = 0,
                  points: int | None = None, progress=None) -> pd.DataFrame:
    """A many-objective search over the spec's sampled levers (NSGA-II): each generation's whole
    population is run over the spec's uncertainty points in one call of the engine's unit
    runner; each objective is the outcome's mean over the points, in the spec's direction."""
    from umbrella.explore import design as D
    from umbrella.explore import execute
    if not ex.levers:
        raise InputError("policies.sampled.levers", {}, "levers to search over (policies: {sampled: {levers: ...}})",
                         problem="is empty")
    by_name = {o.name: o for o in ex.outcomes}
    for o in objectives:
        if o not in by_name or by_name[o].direction is None:
            raise InputError("--objective", o, "a dated outcome of the spec with a direction (min or max): "
                             + ", ".join(n for n, x in by_name.items() if x.direction))
    pts = D.points(ex)
    if points is not None:
        pts = pts.iloc[:points]
    levers = [{"name": f.name, "kind": "choice", "values": list(f.values)} if f.kind == "choice" else
              {"name": f.name, "kind": "real", "low": f.low, "high": f.high} for f in ex.levers]

    def evaluate(policies: list[dict]) -> np.ndarray:
        frames = []
        for p in range(len(policies)):
            f = pts.reset_index()
            f.insert(0, "policy", f"p{p}")
            frames.append(f)
        rows = pd.concat(frames, ignore_index=True)
        rows.insert(0, "experiment", np.arange(len(rows)))
        fields = tuple({k: (int(round(v)) if isinstance(v, float) and f.kind == "int" else v)
                        for (k, v), f in zip(pol.items(), ex.levers, strict=True)} for pol in policies)
        out = execute.run_unit(ex, rows, fields, {f"p{p}": p for p in range(len(policies))})
        out["policy"] = rows["policy"].to_numpy()
        means = out.groupby("policy", sort=False)[objectives].mean()
        if progress is not None:
            progress(len(rows))
        return means.loc[[f"p{p}" for p in range(len(policies))]].to_numpy(np.float64)

    return search_mod.search(evaluate, levers, objectives=list(objectives),
                             directions=[by_name[o].direction for o in objectives],
                             pop_size=pop_size, n_gen=n_gen, seed=seed)

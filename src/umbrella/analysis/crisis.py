"""`umbrella crisis`: a war in one theatre, played on the state the annual model reaches.

The scenario runs in the annual model (`engine.run.simulate`) from its start year to the crisis
year (`crisis.run.crisis_year`: its war, else crisis, shock in the theatre, else its start year)
with a war forced in the theatre that year, so every run's crisis starts at rung 4 from that
run's own state: arsenals (the DPRK's and China's paths, an ally's own), troops, sharing and
forward weapons, the administration, the local ally's credibility and the crises of earlier
years. The crises are the annual model's own (the same draws): `umbrella crisis korea
korean-war` is the 2026 Korean war of `umbrella run korean-war`, run by run. Parameters are drawn
per run as in the annual model (a world's distributions, a scenario's `uncertain`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from umbrella.crisis import outputs, params, stability, theatres
from umbrella.crisis.inputs import CrisisInputs
from umbrella.crisis.ladder import Outcome
from umbrella.crisis.run import crisis_year
from umbrella.errors import InputError

from .checks import check_seed

MAX_RUNS = 1_000_000


def _scenario_at_war(sc, theatre_id: str, year: int):
    """The scenario cut at the crisis year (one year more if that is its start year) with a war in
    the theatre that year (replacing a crisis shock there)."""
    from umbrella.scenario.schema import CrisisShock, Scenario

    shocks = [k for k in sc.shocks if k.year <= year
              and not (k.type in ("crisis", "war") and k.theatre == theatre_id and k.year == year)]
    shocks.append(CrisisShock.model_validate({"type": "war", "theatre": theatre_id, "year": year}))
    data = sc.model_dump()
    data.update(horizon=max(year, sc.start_year + 1), shocks=[k.model_dump() for k in shocks])
    return Scenario.model_validate(data)


def crisis(theatre_id: str, scenario: str = "status-quo-2025", runs: int | None = None, seed: int | None = None,
           overrides: Sequence[str] = (), world: str | None = None, batch_size: int = 10_000) -> tuple[dict, dict]:
    """(JSON summary, extras) of a war in `theatre_id` under the scenario (preset id or path) with
    `--set` overrides, on the annual model's state in the crisis year. Extras: the exact annual
    rates and stability-instability at the world's values and the median state, the median inputs."""
    from umbrella.engine.run import simulate
    from umbrella.scenario import load_scenario, load_world

    th = theatres.get(theatre_id)
    if runs is not None and (isinstance(runs, bool) or not 1 <= int(runs) <= MAX_RUNS):
        raise InputError("--runs", runs, f"an integer from 1 to {MAX_RUNS:,}")
    seed = check_seed(seed)
    fields: dict = {"world": world}
    if runs is not None:
        fields["runs"] = int(runs)
    if seed is not None:
        fields["seed"] = seed
    sc = load_scenario(scenario, overrides=list(overrides), fields=fields)
    if sc.mode != "annual":
        raise InputError("scenario", sc.id, "an annual-mode scenario (not the historical panel)")
    year = crisis_year(sc, th.id)
    w = load_world(sc.world)
    at_war = _scenario_at_war(sc, th.id, year)
    res = simulate(at_war, w, batch_size=batch_size, capture=(th.id, year))
    parts = res.extra["crises"]
    runs_idx = np.concatenate([p[0] for p in parts])
    order = np.argsort(runs_idx, kind="stable")
    x = CrisisInputs.concat([p[1] for p in parts]).take(order)
    P = params.Params.concat([p[2] for p in parts]).take(order)
    o = Outcome.concat([p[3] for p in parts]).take(order)
    summary = outputs.summarise(th, x, o, P, int(sc.seed))
    P0 = params.point(w, sc.uncertain)
    x0 = x.median()
    extras = {"scenario": sc.id, "world": sc.world, "year": year,
              "rates": stability.rates(th, x0, P0),
              "stability_instability": stability.stability_instability(th, x0, P0),
              "inputs": {"w_challenger": float(x0.w_challenger[0]),
                         "w_challenger_theatre": float(x0.w_challenger_theatre[0]),
                         "w_defender_theatre": float(x0.w_defender_theatre[0]),
                         "w_local": float(x0.w_local[0]), "patron_resolve": float(x0.patron_resolve[0]),
                         "cred_ratio": float(x0.cred_ratio[0]), **x.notes}}
    return summary, extras

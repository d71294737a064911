"""Entry points of the crisis layer.

`run_crisis(theatre, inputs, P, seed, runs)` is the pure function of one theatre's crises
(the annual engine stacks the same two steps for all theatres, engine/crises.py): per-run inputs in (run axis first,
`CrisisInputs`), per-run outcomes out
(`Outcome`), the draws depending only on (seed, global run index, year). `crisis(...)` is what
`umbrella crisis` runs: a war (rung 4) in the scenario's world in its year (`crisis_year`: the
scenario's war or crisis shock in the theatre, else the start year), summarised as the JSON contract
(outputs.py), with the exact implied annual rates (stability.py) alongside for the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from umbrella.errors import InputError

from . import ladder, outputs, params, payoffs, stability, theatres
from .inputs import CrisisInputs, from_scenario
from .ladder import Outcome
from .theatres import Theatre

WAR = payoffs.WAR  # the CLI's crisis is conditional on war breaking out
ONSET = 1    # a crisis starts at rung 1


def run_crisis(theatre: Theatre, inputs: CrisisInputs, P: params.Params, seed: int,
               runs: np.ndarray | None = None, start: int = WAR, substream: int = 0) -> Outcome:
    """Simulate one crisis per run from rung `start`. `runs` are the global run indices (default
    0..n-1, n = inputs.runs); `inputs.year` is the calendar year of the draws; `P` the runs'
    parameters (or one run's, for every run)."""
    if runs is None:
        runs = np.arange(inputs.runs)
    runs = np.asarray(runs, np.int64)
    if runs.shape[0] != inputs.runs:
        raise ValueError(f"run_crisis: {runs.shape[0]} run indices for inputs of {inputs.runs} runs")
    T = payoffs.tables(theatre, inputs, P)
    return ladder.simulate(T, P.one("crisis.steps"), seed, runs, inputs.year, start=start, substream=substream)


def crisis_year(scenario, theatre_id: str) -> int:
    """The year of the scenario's first `war` (else `crisis`) shock in the theatre, else its start
    year: `umbrella crisis taiwan taiwan-crisis` plays the preset's war, in its year."""
    for kind in ("war", "crisis"):
        years = [s.year for s in scenario.shocks if s.type == kind and s.theatre == theatre_id]
        if years:
            return min(years)
    return int(scenario.start_year)


def crisis(theatre_id: str, scenario: str = "status-quo-2025", runs: int | None = None, seed: int | None = None,
           overrides: Sequence[str] = (), world: str | None = None) -> tuple[dict, dict]:
    """(JSON summary, extras) of a war in `theatre_id` under the scenario (preset id or path)
    with `--set` overrides. Parameters are drawn per run as in the annual engine (the world's
    distributions and the scenario's `uncertain`, e.g. `--set uncertain.crisis.lambda=...`).
    Extras: exact annual rates and stability-instability (at the world's values), input notes."""
    from umbrella.scenario import load_scenario, load_world

    th = theatres.get(theatre_id)
    if runs is not None and not 1 <= int(runs) <= 10_000_000:
        raise InputError("--runs", runs, "an integer from 1 to 10,000,000")
    if seed is not None and not 0 <= int(seed) <= 2**63 - 1:
        raise InputError("--seed", seed, "an integer from 0 to 2**63 - 1")
    sc = load_scenario(scenario, overrides=list(overrides), fields={"world": world})
    w = load_world(sc.world)
    from umbrella.engine.params import check_uncertain
    check_uncertain(sc.uncertain)
    n = int(runs if runs is not None else sc.runs)
    s = int(seed if seed is not None else sc.seed)
    P = params.draw(w, sc.uncertain, s, n)
    year = crisis_year(sc, th.id)
    x = from_scenario(th, sc, w, P, year=year)
    o = run_crisis(th, x, P, s, np.arange(n))
    summary = outputs.summarise(th, x, o, P, s)
    P0 = params.point(w, sc.uncertain)
    x0 = from_scenario(th, sc, w, P0, year=year)
    extras = {"scenario": sc.id, "world": sc.world, "year": year,
              "rates": stability.rates(th, x0, P0),
              "stability_instability": stability.stability_instability(th, x0, P0),
              "inputs": {"w_challenger": float(x.w_challenger[0]),
                         "w_challenger_theatre": float(x.w_challenger_theatre[0]),
                         "w_defender_theatre": float(x.w_defender_theatre[0]), **x.notes}}
    return summary, extras

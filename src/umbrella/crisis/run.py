"""Entry points of the crisis layer.

`run_crisis(theatre, inputs, P, seed, runs)` is the pure function of one theatre's crises
(the annual engine stacks the same two steps for all theatres, engine/crises.py): per-run inputs in (run axis first,
`CrisisInputs`), per-run outcomes out
(`Outcome`), the draws depending only on (seed, global run index, year). `crisis_year` is the
year `umbrella crisis` plays (the scenario's war, else crisis, shock in the theatre, else its
start year); the command itself runs the annual model to that year (analysis/crisis.py).
"""

from __future__ import annotations

import numpy as np

from . import ladder, params, payoffs
from .inputs import CrisisInputs
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

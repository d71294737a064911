"""One unit of work: a chunk of experiments through the engine, reduced to one row of outcomes
per experiment. Experiments that share a structure (policy, world, scenario fields, structural
parameters) run as one engine batch with an explicit design (engine.run.Design); their runs
are replicates on common random numbers, so an experiment's outcomes do not depend on the unit,
the batch or the machine that computed it."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from umbrella.engine import run as engine
from umbrella.explore import outcomes as O
from umbrella.explore.spec import Experiment
from umbrella.scenario import load as scenario_load
from umbrella.scenario import registry
from umbrella.scenario.schema import Distribution


@functools.lru_cache(maxsize=16)
def _world(name: str):
    return scenario_load.load_world(name)


def _key(v):
    return ("b", v) if isinstance(v, bool) else (type(v).__name__, v)


def run_unit(ex: Experiment, rows: pd.DataFrame, fields: tuple[dict, ...], policy_index: dict[str, int],
             batch_size: int = 10_000) -> pd.DataFrame:
    """Outcomes (one column each) of the experiments in `rows` (a slice of design.table), with
    their `experiment` ids; `fields[policy_index[name]]` is a policy's scenario fields."""
    params = [f.name for f in ex.factors if f.source == "parameter" and f.name not in registry.STRUCTURAL]
    structural = [f.name for f in ex.factors if f.source == "parameter" and f.name in registry.STRUCTURAL]
    field_f = [f.name for f in ex.factors if f.source == "field"]
    has_world = any(f.source == "world" for f in ex.factors)
    groups: dict[tuple, list[int]] = {}
    for i, rec in enumerate(rows.to_dict("records")):
        key = (rec["policy"], rec["world"] if has_world else None,
               tuple(_key(rec[c]) for c in field_f), tuple(float(rec[c]) for c in structural))
        groups.setdefault(key, []).append(i)
    cols = {o.name: np.empty(len(rows)) for o in ex.outcomes}
    for (policy, world_id, fvals, svals), idx in groups.items():
        sub = rows.iloc[idx]
        f = dict(fields[policy_index[policy]])
        f.update({c: v for c, (_, v) in zip(field_f, fvals, strict=True)})
        sc = scenario_load.with_fields(ex.base, f)
        upd: dict = {"seed": ex.seed, "runs": ex.spec.runs}
        if structural:
            unc = dict(sc.uncertain)
            unc.update({n: Distribution.model_validate({"dist": "fixed", "value": v})
                        for n, v in zip(structural, svals, strict=True)})
            upd["uncertain"] = unc
        sc = sc.model_copy(update=upd)
        world = _world(world_id or sc.world)
        design = engine.Design(tuple(params), sub[params].to_numpy(np.float64) if params
                               else np.zeros((len(sub), 0)), ex.spec.runs)
        res = engine.simulate(sc, world, batch_size=batch_size, design=design)
        vals = O.compute(ex.outcomes, res, len(sub))
        for name, v in vals.items():
            cols[name][idx] = v
        del res
    out = pd.DataFrame({"experiment": rows["experiment"].to_numpy(np.int64), **cols})
    return out

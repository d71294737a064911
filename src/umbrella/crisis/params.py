"""The crisis layer's parameters as the ladder reads them: per-run columns of the engine's
parameter matrix P (run axis first).

Names are in the one registry (`umbrella.scenario.registry.CRISIS`); values, ranges, per-run
distributions and sources in the world YAML (`worlds/consensus.yaml`). The annual engine's crisis
step and `umbrella crisis` both draw P with `umbrella.engine.params.sample`, so a crisis
parameter varies per run exactly like an annual one (a world's `dist`, a scenario's `uncertain`,
`--set uncertain.crisis.lambda=...`). Utilities are in units of the patron's stake in its ally
(`crisis.<theatre>.stake_patron` = 1). docs/parameters.md prints the table.
"""

from __future__ import annotations

import numpy as np

from umbrella.engine.params import INDEX, sample
from umbrella.errors import InputError
from umbrella.scenario.registry import CRISIS

__all__ = ["CRISIS", "READS", "Params", "draw", "point"]


# what the crisis layer reads: its own parameters and the annual ones of its inputs and signal
READS: tuple[str, ...] = CRISIS + ("cred.reach_PRK", "cred.reach_CHN", "cred.reach_RUS",
                                   "cred.decoupling_half", "cred.lr_crisis", "cred.spillover",
                                   "cred.spillover_far")


class Params:
    """Per-run parameters: `p[name]` is the (runs,) column of P for a parameter name (`index`:
    name -> column, the engine's INDEX unless the matrix holds a selection of columns)."""

    __slots__ = ("P", "index")

    def __init__(self, P: np.ndarray, index: dict[str, int] | None = None):
        self.P = np.atleast_2d(np.asarray(P, float))
        self.index = INDEX if index is None else index

    @property
    def runs(self) -> int:
        return int(self.P.shape[0])

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.P[:, self.index[name]]
        except KeyError:
            raise InputError("crisis parameter", name, "a parameter of the registry (docs/parameters.md)",
                             problem="is not a model parameter") from None

    def get(self, name: str, default: float) -> np.ndarray:
        return self[name] if name in self.index else np.full(self.runs, float(default))

    def one(self, name: str) -> float:
        """A structural parameter (registry.STRUCTURAL): one value for every run."""
        return float(self.P[0, self.index[name]])

    def take(self, idx) -> "Params":
        return Params(self.P[idx], self.index)

    @staticmethod
    def concat(parts: "list[Params]") -> "Params":
        """Several run sets with the same columns as one, rows in order."""
        return Params(np.concatenate([p.P for p in parts]), parts[0].index)

    def select(self, names) -> "Params":
        """The same runs, only the columns `names` (a smaller matrix to subset by run)."""
        names = tuple(names)
        return Params(self.P[:, [self.index[n] for n in names]], {n: i for i, n in enumerate(names)})

    def check(self) -> "Params":
        """The ladder's own constraints (the world's ranges are checked on load)."""
        lam = self["crisis.lambda"]
        if not (lam > 0).all():
            raise InputError("crisis.lambda", float(lam[~(lam > 0)][0]), "a number > 0 in every run")
        steps = self.one("crisis.steps")
        if steps != int(steps) or not 1 <= steps <= 1000:
            raise InputError("crisis.steps", steps, "an integer from 1 to 1000")
        return self


def point(world, uncertain=None) -> Params:
    """One run at the world's values (a scenario's fixed `uncertain` values applied): the point
    at which `umbrella crisis` computes its exact annual rates."""
    from umbrella.engine.params import PARAMS, fixed_value
    unc = uncertain or {}
    return Params(np.array([[fixed_value(world, unc, n) for n in PARAMS]])).check()


def draw(world, uncertain=None, seed: int = 0, runs: int = 1) -> Params:
    """The per-run parameters of runs 0..runs-1 (the same draws as the annual engine's)."""
    return Params(sample(world, uncertain or {}, int(seed), 0, int(runs))).check()

"""Many-objective search over policies (levers) with NSGA-II, evaluated one generation at a time.

`search(evaluate, levers, objectives=..., directions=...)` looks for policies that are not
dominated on the objectives (no other policy found is at least as good on every objective and
better on one). ``evaluate`` is called once per generation with the whole population, a list of
policies (dicts lever name -> value), and returns an array (len(policies), n_objectives), so the
caller can run a population as one engine batch. The loop is pymoo's ask-and-tell interface:
``algorithm.ask()`` proposes a population, we evaluate it and ``algorithm.tell(infills=pop)``.

Levers
    ``{"name": str, "kind": "real", "low": float, "high": float}``  a number in [low, high]
    ``{"name": str, "kind": "choice", "values": [...]}``           one of the values (a bool lever
                                                                   is a choice of [False, True])
    Every lever is one real decision variable for NSGA-II (SBX crossover, polynomial mutation). A
    choice among k values is a real in [0, k]; the value is index floor(x) (k maps to k - 1), and
    a repair step moves x to the middle of its cell (index + 0.5) so that two individuals with the
    same choice have the same encoding and pymoo's duplicate elimination sees them as one.

Objectives
    ``directions[i]`` is "min" or "max"; "max" objectives are negated for pymoo (which minimises)
    and reported in the caller's sign.

Result
    Every evaluated policy is kept; the returned table holds the non-dominated ones among them
    (over all generations, not only the last population), one row per distinct policy, with the
    lever columns, the objective columns and ``generation`` (1 = the initial population), sorted
    by the first objective (best first). ``evaluate`` is called ``n_gen`` times, each time with
    ``pop_size`` policies (fewer only if the lever space has too few distinct policies left, and the
    search stops early if none is left). The same seed gives the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from umbrella.errors import InputError

LEVER_FORMS = ('{"name": str, "kind": "real", "low": float, "high": float} or '
               '{"name": str, "kind": "choice", "values": [...]}')


def check_levers(levers: Sequence[dict]) -> list[dict]:
    """Validate lever specs; return normalised copies (real bounds as floats, choice values as lists)."""
    if not isinstance(levers, (list, tuple)) or not levers:
        raise InputError("levers", levers, f"a non-empty list of {LEVER_FORMS}")
    out, seen = [], set()
    for i, lever in enumerate(levers):
        key = f"levers[{i}]"
        if not isinstance(lever, dict) or not isinstance(lever.get("name"), str) or not lever["name"]:
            raise InputError(key, lever, LEVER_FORMS, problem="has no name")
        name = lever["name"]
        if name in seen:
            raise InputError(f"{key}.name", name, "unique lever names", problem="is repeated")
        seen.add(name)
        kind = lever.get("kind")
        if kind == "real":
            try:
                low, high = float(lever["low"]), float(lever["high"])
            except (KeyError, TypeError, ValueError):
                raise InputError(f"{key}.low/high", lever, "finite numbers low < high") from None
            if not (np.isfinite(low) and np.isfinite(high) and low < high):
                raise InputError(f"{key}.low/high", [lever.get("low"), lever.get("high")], "finite numbers low < high")
            out.append({"name": name, "kind": "real", "low": low, "high": high})
        elif kind == "choice":
            values = lever.get("values")
            if not isinstance(values, (list, tuple)) or not values:
                raise InputError(f"{key}.values", values, "a non-empty list of values")
            out.append({"name": name, "kind": "choice", "values": list(values)})
        else:
            raise InputError(f"{key}.kind", kind, "'real' or 'choice'")
    return out


def _check_objectives(objectives: Sequence[str], directions: Sequence[str], lever_names: set[str]) -> None:
    """Objectives: unique names, not lever names, one direction ('min' or 'max') each."""
    if not isinstance(objectives, (list, tuple)) or not objectives:
        raise InputError("objectives", objectives, "a non-empty list of objective names")
    if len(set(objectives)) != len(objectives):
        raise InputError("objectives", list(objectives), "unique names")
    clash = [o for o in objectives if o in lever_names or o == "generation"]
    if clash:
        raise InputError("objectives", clash, "names that are not lever names nor 'generation'")
    if not isinstance(directions, (list, tuple)) or len(directions) != len(objectives):
        raise InputError("directions", directions, f"a list of {len(objectives)} entries, one per objective")
    for o, d in zip(objectives, directions, strict=True):
        if d not in ("min", "max"):
            raise InputError(f"directions[{o}]", d, "'min' or 'max'")


def _check_count(key: str, value: int, minimum: int) -> int:
    """An integer >= minimum, else InputError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InputError(key, value, f"an integer >= {minimum}")
    return int(value)


def _bounds(levers: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the encoded variables."""
    xl = np.array([lv["low"] if lv["kind"] == "real" else 0.0 for lv in levers])
    xu = np.array([lv["high"] if lv["kind"] == "real" else float(len(lv["values"])) for lv in levers])
    return xl, xu


def _choice_index(x: np.ndarray, k: int) -> np.ndarray:
    """Index of a choice among k values encoded as a real in [0, k]."""
    return np.clip(np.floor(x), 0, k - 1).astype(int)


def snap(X: np.ndarray, levers: list[dict]) -> np.ndarray:
    """Move every choice variable to the middle of its cell (index + 0.5); reals unchanged."""
    X = np.array(X, dtype=float, copy=True)
    for j, lv in enumerate(levers):
        if lv["kind"] == "choice":
            X[:, j] = _choice_index(X[:, j], len(lv["values"])) + 0.5
    return X


def decode(X: np.ndarray, levers: list[dict]) -> list[dict]:
    """Policies (dicts lever name -> value) from encoded variables (rows of X)."""
    policies = []
    for row in np.atleast_2d(X):
        policy = {}
        for j, lv in enumerate(levers):
            if lv["kind"] == "real":
                policy[lv["name"]] = float(np.clip(row[j], lv["low"], lv["high"]))
            else:
                policy[lv["name"]] = lv["values"][int(_choice_index(row[j], len(lv["values"])))]
        policies.append(policy)
    return policies


def _evaluated(F: object, n: int, objectives: Sequence[str]) -> np.ndarray:
    """evaluate()'s answer as a finite float array (n, n_objectives), else InputError."""
    try:
        arr = np.asarray(F, dtype=float)
    except (TypeError, ValueError):
        raise InputError("evaluate", type(F).__name__, f"an array ({n}, {len(objectives)}) of numbers") from None
    if arr.ndim == 1 and len(objectives) == 1:
        arr = arr.reshape(-1, 1)
    if arr.shape != (n, len(objectives)):
        raise InputError("evaluate", f"an array of shape {arr.shape}",
                         f"shape ({n}, {len(objectives)}): one row per policy, one column per objective "
                         f"{list(objectives)}", problem="has the wrong shape")
    if not np.all(np.isfinite(arr)):
        raise InputError("evaluate", f"{int((~np.isfinite(arr)).sum())} NaN or infinite values",
                         "finite objective values", problem="are not allowed")
    return arr


def _pareto(F: np.ndarray) -> np.ndarray:
    """Indices of the rows of F (to be minimised) that no other row dominates."""
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    return np.sort(np.asarray(NonDominatedSorting().do(F, only_non_dominated_front=True), dtype=int))


def _algorithm(levers: list[dict], n_obj: int, pop_size: int):
    """An NSGA-II instance and the pymoo problem it solves (bounds only; evaluation is ours)."""
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.problem import Problem
    from pymoo.core.repair import Repair

    class _SnapChoices(Repair):
        """Choice variables to the middle of their cell, so equal choices encode equally."""

        def _do(self, problem, X, **kwargs):
            return snap(X, levers)

    xl, xu = _bounds(levers)
    problem = Problem(n_var=len(levers), n_obj=n_obj, xl=xl, xu=xu)
    return NSGA2(pop_size=pop_size, repair=_SnapChoices(), eliminate_duplicates=True), problem


def search(evaluate: Callable[[list[dict]], np.ndarray], levers: list[dict], *, objectives: list[str],
           directions: list[str], pop_size: int = 16, n_gen: int = 5, seed: int = 0) -> pd.DataFrame:
    """NSGA-II over the levers; the non-dominated policies found (see the module docstring)."""
    levers = check_levers(levers)
    _check_objectives(objectives, directions, {lv["name"] for lv in levers})
    pop_size = _check_count("pop_size", pop_size, 2)
    n_gen = _check_count("n_gen", n_gen, 1)
    seed = _check_count("seed", seed, 0)
    if not callable(evaluate):
        raise InputError("evaluate", type(evaluate).__name__, "a function: list of policies -> array")
    from pymoo.core.evaluator import Evaluator
    from pymoo.problems.static import StaticProblem

    sign = np.array([1.0 if d == "min" else -1.0 for d in directions])
    algorithm, problem = _algorithm(levers, len(objectives), pop_size)
    algorithm.setup(problem, termination=("n_gen", n_gen), seed=seed, verbose=False)
    archive_x, archive_f, archive_gen = [], [], []
    generation = 0
    while algorithm.has_next():
        pop = algorithm.ask()
        if pop is None or len(pop) == 0:
            break
        generation += 1
        X = np.asarray(pop.get("X"), dtype=float)
        F = _evaluated(evaluate(decode(X, levers)), len(pop), objectives)
        Evaluator().eval(StaticProblem(problem, F=F * sign), pop)
        algorithm.tell(infills=pop)
        archive_x.append(X)
        archive_f.append(F)
        archive_gen.append(np.full(len(pop), generation))
    return _front(np.vstack(archive_x), np.vstack(archive_f), np.concatenate(archive_gen), levers, objectives, sign)


def _front(X: np.ndarray, F: np.ndarray, gen: np.ndarray, levers: list[dict], objectives: Sequence[str],
           sign: np.ndarray) -> pd.DataFrame:
    """The non-dominated distinct policies of the archive as a table (first generation each was found)."""
    policies = decode(X, levers)
    keys = [tuple(repr(p[lv["name"]]) for lv in levers) for p in policies]
    seen: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        seen.setdefault(key, i)
    distinct = np.array(sorted(seen.values()), dtype=int)
    best = distinct[_pareto(F[distinct] * sign)]
    rows = []
    for i in best:
        row = dict(policies[i])
        row.update({o: float(F[i, j]) for j, o in enumerate(objectives)})
        row["generation"] = int(gen[i])
        rows.append(row)
    out = pd.DataFrame(rows, columns=[lv["name"] for lv in levers] + list(objectives) + ["generation"])
    first_obj = objectives[0]
    return out.sort_values(first_obj, ascending=sign[0] > 0, kind="stable").reset_index(drop=True)

"""Input checks shared by the analysis commands (compare, explain) and `run --worlds`: each
refuses bad input early with an InputError that names the option, the value and what is allowed."""

from __future__ import annotations

import numpy as np

from umbrella.errors import InputError

DEFAULT_RUNS = 2000


def check_runs(runs: object, default: int = DEFAULT_RUNS) -> int:
    """`--runs`: an integer >= 1 (None: `default`)."""
    if runs is None:
        return default
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise InputError("--runs", runs, "an integer >= 1")
    return int(runs)


def check_seed(seed: object) -> int | None:
    """`--seed`: an integer from 0 to 2**63 - 1 (None: the scenario's)."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= 2**63 - 1:
        raise InputError("--seed", seed, "an integer from 0 to 2**63 - 1")
    return int(seed)


def parse_worlds(world: object, worlds: object) -> list[str] | None:
    """`--worlds`: None when not given, else the world refs ('all' = every bundled world; a
    list, or comma-separated), deduplicated in order. Refuses `--world` given as well and an
    empty list; the refs themselves are checked where they are loaded."""
    from umbrella.scenario import list_worlds

    if worlds is None:
        return None
    allowed = f"'all', or world ids from: {', '.join(list_worlds())} (a list, or comma-separated)"
    if world is not None:
        raise InputError("--worlds", worlds, "either --world W or --worlds, not both",
                         problem="is given together with --world")
    if isinstance(worlds, str):
        items = list_worlds() if worlds.strip() == "all" else [w.strip() for w in worlds.split(",")]
    elif isinstance(worlds, (list, tuple)):
        items = list(worlds)
    else:
        raise InputError("--worlds", worlds, allowed, problem="has the wrong type")
    items = [w for w in items if not (isinstance(w, str) and w == "")]
    if not items:
        raise InputError("--worlds", worlds, allowed, problem="names no world")
    return list(dict.fromkeys(items))


def as_flags(key: str, value: object, n: int, per: str) -> np.ndarray:
    """`value` as a 1-D bool array of length n (one per `per`): booleans, or numbers 0 and 1."""
    arr = np.asarray(value)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise InputError(key, f"shape {arr.shape}", f"a 1-D boolean array with {n} entries (one per {per})")
    if arr.dtype != bool:
        if not np.issubdtype(arr.dtype, np.number) or not np.all(np.isin(arr, (0, 1))):
            raise InputError(key, f"dtype {arr.dtype}", "booleans (or 0/1) with no missing value",
                             problem="is not boolean")
    return arr.astype(bool)

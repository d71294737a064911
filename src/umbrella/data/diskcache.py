"""A disk cache of values derived from the bundled data (the start-year facts, the geography's
engine inputs), so that a new process does not rebuild them: the cold start.

A value is stored under the user's cache directory ($UMBRELLA_CACHE_DIR, else
$XDG_CACHE_HOME/umbrella, else ~/.cache/umbrella) in a file named by the hash of its kind, its key
and the version of what derives it: the bundled tables and shapes and the source of the data and
geo packages, plus numpy's and pandas' versions. Any change makes another file; a file that cannot
be read is recomputed; writes are atomic (temporary name, rename). The files are pickles written
by this package into the user's own directory, as Numba's cache is; UMBRELLA_NO_CACHE=1 turns the
cache off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_ROOT = Path(__file__).resolve().parent.parent          # the umbrella package


def directory() -> Path:
    env = os.environ.get("UMBRELLA_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "umbrella"


@functools.cache
def _version(tables_dir: str) -> str:
    import numpy as np
    import pandas as pd

    from umbrella.data.digest import files_digest
    tables = Path(tables_dir)
    return files_digest([*(_ROOT / "data" / "geo").glob("*.geojson"), *(_ROOT / "data").glob("*.py"),
                         *(_ROOT / "geo").glob("*.py")], _ROOT,
                        salt=f"{np.__version__}|{pd.__version__}|{pickle.HIGHEST_PROTOCOL}|"
                        + files_digest(tables.glob("*.csv"), tables))


def memo(kind: str, key: tuple, tables_dir: str, compute: Callable[[], T]) -> T:
    """compute(), or its value from an earlier process with the same kind, key and version."""
    if os.environ.get("UMBRELLA_NO_CACHE"):
        return compute()
    digest = hashlib.sha256(repr((kind, key, _version(tables_dir))).encode()).hexdigest()[:32]
    path = directory() / f"{kind}-{digest}.pkl"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)   # noqa: S301 - our own file in the user's cache directory
    except Exception:  # noqa: BLE001 - missing, partial or stale: recompute
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, TypeError, pickle.PicklingError):
        # a read-only or full cache directory (or a value that does not pickle) only costs the
        # next process the rebuild
        try:
            tmp.unlink(missing_ok=True)
        except (OSError, UnboundLocalError):
            pass
    return value

"""The results store: a directory that survives faults, queried with DuckDB.

    STORE/manifest.json         spec and its hash, code, data and world versions, seed, design size
    STORE/design.parquet        one row per experiment: policy, point, the factors' values
    STORE/units/u000012.parquet the outcomes of unit 12 (a chunk of experiments)
    STORE/.lock                 held (flock) by the sweep writing the store

Every file is written under a temporary name and renamed, so a file that exists is complete; the
manifest is written last when a store is created. A sweep killed at any moment loses at most the
units in flight; the next sweep on the same store computes only the missing units. DuckDB reads
the Parquet files (it is never the write path: one writer process per database file, and a
database killed mid-write may fail to reopen). A store of another spec, code, data or world
version is refused, never mixed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

import umbrella
from umbrella.data.digest import files_digest
from umbrella.errors import InputError

FORMAT = 1
_UNIT = re.compile(r"^u(\d{6})\.parquet$")
# the packages whose code decides a result (the interfaces and the analyses do not)
_MODEL_CODE = ("rng.py", "errors.py", "data", "scenario", "engine", "crisis", "geo", "results", "explore")


def code_version() -> str:
    """A hash of the model's source (see _MODEL_CODE): a store is tied to the code that made it."""
    root = Path(umbrella.__file__).parent
    files: list[Path] = []
    for part in _MODEL_CODE:
        p = root / part
        files += [p] if p.is_file() else [f for f in p.rglob("*.py") if "__pycache__" not in f.parts]
    return files_digest(files, root)[:16]


def design_hash(table: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes()
                          + ",".join(map(str, table.columns)).encode()).hexdigest()[:16]


def _oserror(path: Path, e: OSError, doing: str) -> InputError:
    why = "the disk is full" if e.errno == errno.ENOSPC else (e.strerror or str(e))
    return InputError("--store", str(path), "a writable directory with free space",
                      problem=f"cannot be written ({doing}: {why})")


def _atomic_write(path: Path, write) -> None:
    """write(tmp_path), fsync, rename onto `path`; the temporary file is removed on any error.
    A device or FIFO (/dev/null) is written through, never renamed over."""
    from umbrella.results.atomic import special
    if special(path):
        write(path)
        return
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class Store:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"

    @property
    def units_dir(self) -> Path:
        return self.path / "units"

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    def manifest(self) -> dict:
        if not self.exists():
            raise InputError("store", str(self.path), "a results store made by `umbrella explore run`",
                             problem="has no manifest.json")
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise InputError("store", str(self.path), "a store with a readable manifest.json",
                             problem=f"cannot be read ({e})") from None

    # -- writing ------------------------------------------------------------------------------

    @contextmanager
    def locked(self):
        """Hold the store's lock for a sweep; a second sweep on the same store is refused."""
        from umbrella.results.atomic import held
        lock_file = self.path / ".lock"
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            lock_file.touch()
        except OSError as e:
            raise _oserror(self.path, e, "creating the store") from None

        def busy(pid: str) -> InputError:
            return InputError("--store", str(self.path), "a store no other sweep is writing",
                              problem=f"is locked by a running sweep (pid {pid})")

        with held(lock_file, busy):
            yield self

    def prepare(self, manifest: dict, design: pd.DataFrame) -> bool:
        """Create the store, or check that an existing one was made by the same spec, code, data
        and worlds. Returns True when it was created. Call with the lock held."""
        if self.exists():
            old = self.manifest()
            for key, what in (("format", "store format"), ("spec_hash", "experiment spec"),
                              ("code_version", "code version"), ("data_version", "data version"),
                              ("worlds", "world versions"), ("design_hash", "design")):
                if old.get(key) != manifest.get(key):
                    raise InputError("--store", str(self.path),
                                     f"an empty directory or a store of the same {what} (its {key} is "
                                     f"{old.get(key)!r}, this run's {manifest.get(key)!r}); use another --store",
                                     problem=f"was made by another {what}")
            return False
        leftovers = [p.name for p in self.path.iterdir() if p.name not in (".lock", "design.parquet", "units")
                     and not p.name.startswith(".")] if self.path.is_dir() else []
        if leftovers:
            raise InputError("--store", str(self.path), "a new or empty directory, or an existing store",
                             problem=f"is a directory that is not a store (it holds {leftovers[0]!r})")
        try:
            self.units_dir.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.path / "design.parquet", lambda p: design.to_parquet(p, index=False))
            text = json.dumps(manifest, indent=1, sort_keys=True, allow_nan=False)
            _atomic_write(self.manifest_path, lambda p: p.write_text(text, encoding="utf-8"))
        except OSError as e:
            raise _oserror(self.path, e, "creating the store") from None
        return True

    def clean(self) -> int:
        """Remove temporary files of units (or of the design and manifest) that were in flight
        when a sweep died (lock held)."""
        n = 0
        for p in [*self.units_dir.glob(".*.tmp-*"), *self.path.glob(".*.tmp-*")]:
            p.unlink(missing_ok=True)
            n += 1
        return n

    def done(self) -> set[int]:
        if not self.units_dir.is_dir():
            return set()
        return {int(m.group(1)) for p in self.units_dir.iterdir() if (m := _UNIT.match(p.name))}

    def write_unit(self, u: int, df: pd.DataFrame) -> None:
        if not np.isfinite(df.drop(columns=["experiment"]).to_numpy(np.float64)).all():
            raise ValueError(f"unit {u}: a non-finite outcome")   # never stored: NaN never reaches an output
        try:
            _atomic_write(self.units_dir / f"u{u:06d}.parquet", lambda p: df.to_parquet(p, index=False))
        except OSError as e:
            raise _oserror(self.path, e, f"writing unit {u}") from None

    # -- reading ------------------------------------------------------------------------------

    def _sql(self, query: str) -> pd.DataFrame:
        import duckdb
        con = duckdb.connect()
        try:
            return con.execute(query).df()
        finally:
            con.close()

    def design(self) -> pd.DataFrame:
        self.manifest()
        return pd.read_parquet(self.path / "design.parquet")

    def table(self) -> pd.DataFrame:
        """Design and outcomes of every finished experiment, by experiment (DuckDB over the
        Parquet files)."""
        self.manifest()
        d = str(self.path / "design.parquet").replace("'", "''")
        if not self.done():
            return self.design().iloc[0:0]
        u = str(self.units_dir / "u*.parquet").replace("'", "''")
        return self._sql(f"SELECT d.*, u.* EXCLUDE (experiment) FROM read_parquet('{d}') d "
                         f"JOIN read_parquet('{u}') u USING (experiment) ORDER BY experiment")

    def progress(self) -> dict:
        m = self.manifest()
        done = self.done()
        exps = sum(min(m["unit"], m["experiments"] - u * m["unit"]) for u in done)
        return {"units": m["units"], "units_done": len(done), "experiments": m["experiments"],
                "experiments_done": exps, "complete": len(done) == m["units"]}

    def export_parquet(self, out: str | os.PathLike) -> Path:
        import duckdb
        out = Path(out)
        t = self.table()
        try:
            _atomic_write(out, lambda p: duckdb.from_df(t).write_parquet(str(p)) if len(t) else t.to_parquet(p))
        except OSError as e:
            raise InputError("--parquet", str(out), "a writable file path",
                             problem=f"cannot be written ({e})") from None
        return out

    def to_xarray(self):
        """An xarray Dataset: dimension `experiment` (policy, point and the factors as
        coordinates); a time-series outcome (PATH without a year in the spec) is one variable
        over (experiment, year)."""
        import xarray as xr
        m = self.manifest()
        t = self.table()
        exp = t["experiment"].to_numpy()
        coords = {"experiment": exp}
        for c in m["design_columns"]:
            if c != "experiment":
                coords[c] = ("experiment", t[c].to_numpy())
        data = {}
        series: dict[str, list[tuple[int, str]]] = {}
        for o in m["outcomes"]:
            if o["series"]:
                series.setdefault(o["series"], []).append((o["year"], o["name"]))
            else:
                data[o["name"]] = ("experiment", t[o["name"]].to_numpy(np.float64))
        for stem, items in series.items():
            items.sort()
            years = [y for y, _ in items]
            arr = np.stack([t[n].to_numpy(np.float64) for _, n in items], axis=1)
            # every series spans the base scenario's years, so they share one `year` dimension
            data[stem] = xr.DataArray(arr, dims=("experiment", "year"), coords={"year": years})
        ds = xr.Dataset(data, coords=coords)
        ds.attrs.update({"experiment_id": m["spec"]["id"], "spec_hash": m["spec_hash"],
                         "code_version": m["code_version"], "seed": m["seed"], "runs": m["runs"]})
        return ds

"""Saving a run: labelled arrays, event log, summary and manifest, written atomically (into a
temporary directory that replaces the target only when complete)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import umbrella
from umbrella.data.digest import files_digest
from umbrella.results import atomic
from umbrella.results.dataset import events, to_dataset
from umbrella.results.limits import check_space, estimate  # noqa: F401  (store.estimate: re-exported)


def data_version() -> str:
    """Hash of the bundled data tables and shapes: changes whenever any bundled fact changes."""
    root = Path(umbrella.__file__).parent / "data"
    return files_digest([*root.glob("tables/*.csv"), *root.glob("geo/*.geojson")], root)[:16]


def code_version() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=Path(umbrella.__file__).parent, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        rev = ""
    return f"{umbrella.__version__}+{rev}" if rev else umbrella.__version__


def world_hash(world) -> str:
    blob = json.dumps(world.model_dump(mode="json"), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def manifest(res, scenario_hash: str, batch_size: int) -> dict:
    sc = res.scenario
    return {
        "scenario": sc.id, "scenario_hash": scenario_hash, "world": res.world.id,
        "world_hash": world_hash(res.world), "seed": sc.seed, "runs": sc.runs,
        "start_year": sc.start_year, "horizon": sc.horizon, "batch_size": batch_size,
        "code_version": code_version(), "data_version": data_version(),
        "scenario_spec": sc.model_dump(mode="json"),
    }


def _check_target(out: Path) -> None:
    """`--out` replaces a directory only when it holds a saved run (its manifest.json) or nothing:
    never a user's directory of other files."""
    from umbrella.errors import InputError
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InputError("--out", str(out), "a new directory, or one written by `umbrella run --out`",
                         problem="is a symbolic link" if out.is_symlink() else "is a file, not a directory")
    if out.is_dir() and not (out / "manifest.json").is_file():
        try:
            first = next(iter(out.iterdir()), None)
        except OSError as e:
            raise atomic.os_error("--out", out, e, "reading it") from None
        if first is not None:
            raise InputError("--out", str(out), "a new or empty directory, or one written by `umbrella run --out` "
                             "(it is replaced)",
                             problem=f"is a directory of other files (it holds {first.name!r})")


def run_to_dir(sc, w, out_dir, batch_size: int, progress=None, say=None) -> dict:
    """`umbrella run --out DIR`: with DIR's lock held, check the space, run, save; returns the
    summary. A second process on DIR is refused; a kill leaves DIR as it was (or absent) and at
    most a hidden temporary directory, removed by the next run on DIR."""
    from umbrella.engine.run import simulate
    from umbrella.results.summary import summarise
    from umbrella.scenario import scenario_hash
    out = Path(out_dir)
    _check_target(out)
    with atomic.lock(out, "--out"):
        for p in atomic.stale(out):
            atomic.remove(p)
        old = out.with_name(f".{out.name}.old")
        if old.exists():      # killed between the two renames of save(): the previous run comes back
            if out.exists():
                atomic.remove(old)
            else:
                os.replace(old, out)
        check_space(sc, w, out, batch_size, say=say)
        res = simulate(sc, w, batch_size=batch_size, progress=progress)
        s = summarise(res)
        save(res, out, s, manifest(res, scenario_hash(sc), batch_size))
    return s


def save(res, out_dir: str | os.PathLike, summary: dict, manifest_: dict) -> Path:
    """Write a run to `out_dir` whole or not at all: every file into a hidden temporary directory
    beside it (manifest.json last, each fsynced), which then replaces the target. An OSError
    (full disk, permission) is an InputError naming the path; the temporary directory is removed."""
    out = Path(out_dir)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = atomic.tmp_name(out)
        if tmp.exists():
            atomic.remove(tmp)
        tmp.mkdir()
    except OSError as e:
        raise atomic.os_error("--out", out, e, "creating it") from None
    try:
        to_dataset(res).to_netcdf(tmp / "results.nc", engine="scipy")
        events(res).to_csv(tmp / "events.csv.gz", index=False, compression="gzip")
        (tmp / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
        (tmp / "manifest.json").write_text(json.dumps(manifest_, indent=1, ensure_ascii=False))
        for f in ("results.nc", "events.csv.gz", "summary.json", "manifest.json"):
            atomic.fsync_file(tmp / f)
        atomic.fsync_dir(tmp)
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
        atomic.fsync_dir(out.parent)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise atomic.os_error("--out", out, e) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out

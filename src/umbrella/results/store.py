"""Saving a run: labelled arrays, event log, summary and manifest, written atomically (into a
temporary directory that replaces the target only when complete)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import umbrella
from umbrella.data.digest import files_digest
from umbrella.results.dataset import events, to_dataset


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


def _mem_available() -> int | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def estimate(scenario, world) -> dict:
    """What `--out` will hold in memory and write to disk, in bytes: the full arrays of every run
    (`engine.run.bytes_per_run`), held once while running and about once more while the netCDF
    file is written; on disk about the arrays once (netCDF 3 is not compressed)."""
    from umbrella.engine import crises, init
    from umbrella.engine.run import bytes_per_run
    inp = init.build(scenario, world)
    plan = crises.plan(scenario, world, inp)
    per_run = bytes_per_run(len(inp.years), len(inp.actors), len(inp.pairs), len(plan.theatres) if plan else 0)
    arrays = per_run * int(scenario.runs)
    return {"per_run": per_run, "memory": 2 * arrays, "disk": arrays}


def check_space(scenario, world, out_dir, batch_size: int, say=None) -> dict:
    """Estimate `--out`'s memory and disk; refuse (InputError) when either exceeds what is free."""
    from umbrella.errors import InputError
    est = estimate(scenario, world)
    mb = 2 ** 20
    if say is not None:
        say(f"note: --out keeps every run: about {est['memory'] / mb:,.0f} MB of memory and "
            f"{est['disk'] / mb:,.0f} MB on disk ({est['per_run'] / 1024:.1f} KB per run)")
    avail = _mem_available()
    if avail is not None and est["memory"] > avail:
        raise InputError("--out", str(out_dir), f"runs whose arrays fit in the free memory ({avail / mb:,.0f} MB "
                         f"available; {est['per_run'] / 1024:.1f} KB per run, twice while writing): at most about "
                         f"{avail // (2 * est['per_run']):,} runs, or leave out --out (the JSON summary streams)",
                         problem=f"would need about {est['memory'] / mb:,.0f} MB of memory")
    parent = Path(out_dir).resolve().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    free = shutil.disk_usage(parent).free
    if est["disk"] > free:
        raise InputError("--out", str(out_dir), f"a disk with room for it ({free / mb:,.0f} MB free)",
                         problem=f"would need about {est['disk'] / mb:,.0f} MB on disk")
    return est


def save(res, out_dir: str | os.PathLike, summary: dict, manifest_: dict) -> Path:
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        to_dataset(res).to_netcdf(tmp / "results.nc", engine="scipy")
        events(res).to_csv(tmp / "events.csv.gz", index=False, compression="gzip")
        (tmp / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
        (tmp / "manifest.json").write_text(json.dumps(manifest_, indent=1, ensure_ascii=False))
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out

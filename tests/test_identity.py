"""Identity (issue 19, part 5; docs/reliability.md "Identity"): the same seed gives the same
bytes whatever the batch size, the number of Numba threads, and local or Dask execution.

Covered elsewhere: `run --json` across threads and batch sizes, exact and histogram quantiles
(test_stream.py::test_same_seed_same_json_across_threads_and_batches); the engine's arrays
across batch sizes (test_engine.py::test_same_results_for_any_batch_size); `compare` across batch
sizes in process (test_compare.py::test_deterministic_and_batch_size_invariant). Here, in
subprocesses with NUMBA_NUM_THREADS=1 and 2: every file of `run --out`, `compare --json`,
`crisis --json`, and every file of an exploration store, locally and on a Dask LocalCluster."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

UMB = [sys.executable, "-m", "umbrella.interfaces.cli"]


def sh(*args, threads: int, timeout=900) -> subprocess.CompletedProcess:
    env = dict(os.environ, NUMBA_NUM_THREADS=str(threads))
    r = subprocess.run([*UMB, *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)
    assert r.returncode == 0, r.stderr
    return r


def files(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and p.name != ".lock"}


@pytest.mark.slow
def test_run_out_files_are_the_same_across_batch_sizes_and_threads(tmp_path):
    """`run --out` and its `--json`: the summary's bytes, every array of results.nc, the event
    log; and the streamed JSON summary equals the one computed from the full arrays."""
    import xarray as xr
    base = ["run", "status-quo-2025", "--runs", "400", "--horizon", "2035", "--seed", "9"]
    for name, threads, batch in (("a", 1, 10_000), ("b", 2, 97), ("c", 2, 400)):
        sh(*base, "--batch-size", batch, "--out", tmp_path / name, "--json", tmp_path / f"{name}.json",
           threads=threads)
    a, b, c = (tmp_path / n for n in "abc")
    for other in (b, c):
        assert (other / "summary.json").read_bytes() == (a / "summary.json").read_bytes()
        assert Path(f"{other}.json").read_bytes() == Path(f"{a}.json").read_bytes()
        assert gzip.decompress((other / "events.csv.gz").read_bytes()) == \
            gzip.decompress((a / "events.csv.gz").read_bytes())
        with xr.open_dataset(a / "results.nc", engine="scipy") as x, \
                xr.open_dataset(other / "results.nc", engine="scipy") as y:
            assert list(x.data_vars) == list(y.data_vars)
            for v in x.data_vars:
                assert x[v].to_numpy().tobytes() == y[v].to_numpy().tobytes(), v
        # the manifests differ only in the batch size they record
        ma, mo = (json.loads((d / "manifest.json").read_text()) for d in (a, other))
        assert {k for k in ma if ma[k] != mo[k]} <= {"batch_size"}
    # the streamed summary (`--json`) is the summary of the saved arrays
    assert json.loads(Path(f"{a}.json").read_text()) == json.loads((a / "summary.json").read_text())


@pytest.mark.slow
def test_compare_and_crisis_json_are_the_same_with_one_or_two_threads():
    cmp = ["compare", "status-quo-2025", "us-abandonment", "--runs", "300", "--seed", "3", "--set",
           "horizon=2035", "--json", "-"]
    one, two = (sh(*cmp, threads=t).stdout for t in (1, 2))
    assert one == two and json.loads(one)["runs"] == 300
    cri = ["crisis", "korea", "status-quo-2025", "--runs", "400", "--seed", "5", "--json", "-"]
    one, two = (sh(*cri, threads=t).stdout for t in (1, 2))
    assert one == two and json.loads(one)["runs"] == 400


SPEC = """
id: ident
base: status-quo-2025
runs: 20
unit: 2
sampler: {method: lhs, n: 3, seed: 4}
uncertainties:
  parameters:
    cred.lr_troops: {}
    crisis.korea.onset: {}
policies:
  named:
    status-quo: {}
    no-troops: {levers.us_troops.KOR: 0}
outcomes:
  - status.KOR.arsenal.2040
  - credibility.KOR.p50.2035
  - npt.collapse
"""


@pytest.mark.slow
def test_a_store_is_the_same_bytes_locally_and_on_dask_with_any_threads(tmp_path):
    """Every file of the store (each unit's Parquet file, the design, the manifest) is the same
    bytes: one Numba thread locally, two threads locally, two threads on a Dask LocalCluster of
    two workers (`--dask local:2`)."""
    pytest.importorskip("distributed")
    spec = tmp_path / "exp.yaml"
    spec.write_text(SPEC)
    sh("explore", "run", spec, "--store", tmp_path / "one", "--quiet", threads=1)
    sh("explore", "run", spec, "--store", tmp_path / "two", "--quiet", threads=2)
    sh("explore", "run", spec, "--store", tmp_path / "dask", "--quiet", "--dask", "local:2", threads=2)
    one = files(tmp_path / "one")
    assert len([k for k in one if k.startswith("units/")]) == 3
    assert files(tmp_path / "two") == one
    assert files(tmp_path / "dask") == one
    # and the table read back through DuckDB, value by value
    from umbrella.explore.store import Store
    t1, t2 = Store(tmp_path / "one").table(), Store(tmp_path / "dask").table()
    for c in t1.columns:
        assert np.array_equal(t1[c].to_numpy(), t2[c].to_numpy()), c

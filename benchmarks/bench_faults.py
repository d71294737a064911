"""Kill points (issue 19, part 3): SIGKILL `umbrella run --out`, `umbrella explore run` and
`umbrella report` at evenly spaced moments of an uninterrupted run (from start-up to the last
write), then check what the kill left and rerun to the same target:

- run --out: the target is absent or the whole run (every file; the summary's bytes equal an
  uninterrupted run's); the rerun succeeds, leaves no temporary directory, and gives the same bytes.
- explore run: the store never says complete before it is; the rerun computes only the missing
  units and the store's table equals an uninterrupted sweep's, value for value.
- report: every visible report file is whole (HTML to </html>, PDF to %%EOF); the rerun succeeds.

    .venv/bin/python benchmarks/bench_faults.py [KILLS_PER_COMMAND [COMMAND...]]   (default 12, all three;
                                                   COMMAND: run, explore, report)

A store is tied to the code that made it: edit the model's sources while this runs and a resume
is (rightly) refused as "made by another code version".
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

UMB = [sys.executable, "-m", "umbrella.interfaces.cli"]
RUN = ["run", "status-quo-2025", "--runs", "1500", "--horizon", "2040", "--seed", "5"]
REPORT = ["report", "status-quo-2025", "--runs", "200", "--format", "both"]
SPEC = """
id: faults
base: status-quo-2025
runs: 30
unit: 1
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
  - {path: nuclear_use.any.2050, direction: min, threshold: 0.05}
  - credibility.KOR.p50.2035
"""


def sh(args) -> subprocess.CompletedProcess:
    return subprocess.run([*UMB, *map(str, args)], capture_output=True, text=True, timeout=900)


def timed(args) -> float:
    t = time.perf_counter()
    r = sh(args)
    assert r.returncode == 0, r.stderr
    return time.perf_counter() - t


def kill_after(args, delay: float) -> bool:
    """True when the process was still running when killed."""
    p = subprocess.Popen([*UMB, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        p.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return True


def check_run(out: Path, ref: Path) -> list[str]:
    bad = []
    if out.exists():
        names = sorted(f.name for f in out.iterdir())
        if names != sorted(f.name for f in ref.iterdir()):
            bad.append(f"partial target {names}")
        elif (out / "summary.json").read_bytes() != (ref / "summary.json").read_bytes():
            bad.append("target differs from the uninterrupted run")
    r = sh([*RUN, "--out", out])
    if r.returncode != 0:
        bad.append(f"rerun failed: {r.stderr.strip()[-200:]}")
    elif (out / "summary.json").read_bytes() != (ref / "summary.json").read_bytes():
        bad.append("rerun differs")
    if list(out.parent.glob(f".{out.name}.tmp-*")) or out.with_name(f".{out.name}.old").exists():
        bad.append("temporary directory left after the rerun")
    return bad


def check_explore(spec: Path, s: Path, full: Path) -> list[str]:
    from umbrella.explore.store import Store
    bad = []
    n_units = len(list((full / "units").glob("u*.parquet")))
    done = len(list((s / "units").glob("u*.parquet"))) if (s / "units").is_dir() else 0
    if (s / "manifest.json").is_file():
        show = sh(["explore", "show", s])
        if done < n_units and "(complete)" in show.stdout:
            bad.append("a partial store says complete")
    r = sh(["explore", "run", spec, "--store", s, "--quiet"])
    if r.returncode != 0:
        bad.append(f"resume failed: {r.stderr.strip()[-200:]}")
        return bad
    if f"{n_units - done} units computed, {done} already stored" not in " ".join(r.stdout.split()):
        bad.append(f"resume recomputed stored units: {r.stdout.strip()}")
    try:
        pd.testing.assert_frame_equal(Store(s).table(), Store(full).table(), check_exact=True)
    except AssertionError as e:
        bad.append(f"resumed store differs: {e}")
    return bad


def check_report(out: Path) -> list[str]:
    def whole() -> list[str]:
        b = []
        for p in out.glob("report-*"):
            data = p.read_bytes()
            ok = data.rstrip().endswith(b"</html>") if p.suffix == ".html" else \
                data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
            if not ok:
                b.append(f"partial {p.name}")
        return b
    bad = whole() if out.exists() else []
    r = sh([*REPORT, "--out", out])
    if r.returncode != 0:
        bad.append(f"rerun failed: {r.stderr.strip()[-200:]}")
    bad += whole()
    if len(list(out.glob("report-*"))) != 2 or list(out.glob(".report-*.tmp-*")):
        bad.append("rerun left the wrong files")
    return bad


def main(kills: int = 12, only: tuple[str, ...] = ()) -> None:
    t_all = time.perf_counter()
    results = {}
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        spec = d / "exp.yaml"
        spec.write_text(SPEC)
        cases = {
            "run --out": ([*RUN, "--out", d / "ref"], lambda i: [*RUN, "--out", d / f"o{i}"],
                          lambda i: check_run(d / f"o{i}", d / "ref")),
            "explore run": (["explore", "run", spec, "--store", d / "full", "--quiet"],
                            lambda i: ["explore", "run", spec, "--store", d / f"s{i}", "--quiet"],
                            lambda i: check_explore(spec, d / f"s{i}", d / "full")),
            "report": ([*REPORT, "--out", d / "rep-ref"], lambda i: [*REPORT, "--out", d / f"rep{i}"],
                       lambda i: check_report(d / f"rep{i}")),
        }
        for name, (ref_args, args, check) in cases.items():
            if only and name.split()[0] not in only:
                continue
            t0 = time.perf_counter()
            full = timed(ref_args)
            tried = survived = in_flight = 0
            failures = []
            for i in range(kills):
                delay = full * (i + 0.5) / kills          # evenly over an uninterrupted run
                in_flight += kill_after(args(i), delay)
                bad = check(i)
                tried += 1
                survived += not bad
                failures += [f"kill at {delay:.2f} s: {b}" for b in bad]
            results[name] = {"uninterrupted_s": round(full, 2), "kill_points": tried, "killed_in_flight": in_flight,
                             "survived": survived, "seconds": round(time.perf_counter() - t0, 1),
                             "failures": failures}
            print(name, json.dumps(results[name]), flush=True)
    print(json.dumps({"total_seconds": round(time.perf_counter() - t_all, 1)}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12, tuple(sys.argv[2:]))

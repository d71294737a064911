"""Faults (issue 19, part 3; docs/reliability.md "Faults"): SIGKILL at several moments of
`run --out`, `explore run` and `report`, in subprocesses; then no partial result that looks
complete, and a rerun to the same target succeeds with the results of an uninterrupted run. Two
writers of one target: the second is refused (exit 2, naming the target and the holder's pid).
A full disk or an unwritable path: one line, exit 2, no traceback, nothing half-written."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from umbrella.interfaces.cli import app
from umbrella.results import atomic

UMB = [sys.executable, "-m", "umbrella.interfaces.cli"]
OUT_FILES = ("events.csv.gz", "manifest.json", "results.nc", "summary.json")


def cli(*args):
    return CliRunner().invoke(app, list(map(str, args)))


def sh(*args, timeout=600, env=None):
    return subprocess.run([*UMB, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env)


def kill_when(args, ready, timeout=300.0) -> bool:
    """Start the command, poll `ready()` every few milliseconds, SIGKILL the process as soon as it
    holds; True when the kill fell before the command finished on its own."""
    p = subprocess.Popen([*UMB, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while p.poll() is None and time.monotonic() < deadline:
            if ready():
                break
            time.sleep(0.003)
        alive = p.poll() is None
        p.send_signal(signal.SIGKILL)
        p.wait()
        return alive
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def one_line_error(r) -> str:
    msg = r.output if hasattr(r, "output") else r.stderr
    assert r.exit_code == 2 if hasattr(r, "exit_code") else r.returncode == 2, msg
    assert "Traceback" not in msg and "error:" in msg, msg
    line = msg[msg.index("error:"):].strip()
    assert "\n" not in line, msg                        # one line (notes may come before it)
    return line


def root_or_ro_dir(tmp_path: Path) -> Path:
    """A directory this process cannot write into, or skip (root writes through chmod)."""
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod does not block writes (the path-under-a-file case covers it)")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    return ro


# ---------------------------------------------------------------------------------------------
# run --out

RUN = ["run", "status-quo-2025", "--runs", "1500", "--horizon", "2040", "--seed", "5"]


def _hidden(parent: Path, name: str, part: str) -> list[Path]:
    return [p for p in parent.glob(f".{name}{atomic.TMP}*") if p.is_dir() and (part == "" or (p / part).exists())]


def _assert_not_partial(out: Path, ref: Path | None = None) -> None:
    """`out` is absent, or a complete run (every file, a readable manifest and summary)."""
    if not out.exists():
        return
    assert sorted(f.name for f in out.iterdir()) == sorted(OUT_FILES), list(out.iterdir())
    json.loads((out / "manifest.json").read_text())
    json.loads((out / "summary.json").read_text())
    if ref is not None:
        assert (out / "summary.json").read_bytes() == (ref / "summary.json").read_bytes()


@pytest.fixture(scope="module")
def run_ref(tmp_path_factory):
    d = tmp_path_factory.mktemp("run_ref")
    r = sh(*RUN, "--out", d / "ref")
    assert r.returncode == 0, r.stderr
    return d / "ref"


def _same_run(out: Path, ref: Path) -> None:
    import xarray as xr
    assert (out / "summary.json").read_bytes() == (ref / "summary.json").read_bytes()
    a, b = (json.loads((p / "manifest.json").read_text()) for p in (out, ref))
    assert a["scenario_hash"] == b["scenario_hash"] and a["seed"] == b["seed"]
    with xr.open_dataset(out / "results.nc", engine="scipy") as x, xr.open_dataset(ref / "results.nc",
                                                                                     engine="scipy") as y:
        for v in y.data_vars:
            np.testing.assert_array_equal(x[v].to_numpy(), y[v].to_numpy(), err_msg=v)


# the moments a `run --out` is killed at: (name, what to wait for)
RUN_POINTS = [
    ("started", lambda out: atomic.lock_path(out).exists()),
    ("temporary dir made", lambda out: bool(_hidden(out.parent, out.name, ""))),
    ("results.nc being written", lambda out: bool(_hidden(out.parent, out.name, "results.nc"))),
    ("before the manifest", lambda out: bool(_hidden(out.parent, out.name, "summary.json"))),
    ("after 1 s", None),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,ready", RUN_POINTS, ids=[p[0] for p in RUN_POINTS])
def test_run_out_killed_then_rerun(tmp_path, run_ref, name, ready):
    out = tmp_path / "o"
    t0 = time.monotonic()
    cond = (lambda: time.monotonic() - t0 > 1.0) if ready is None else (lambda: ready(out))
    kill_when([*RUN, "--out", out], cond)
    _assert_not_partial(out, run_ref)       # absent, or the whole run (a kill after the rename)
    r = sh(*RUN, "--out", out)
    assert r.returncode == 0, r.stderr
    _same_run(out, run_ref)
    assert not _hidden(tmp_path, "o", "") and not (tmp_path / ".o.old").exists()   # leftovers removed


@pytest.mark.slow
def test_run_out_killed_while_replacing_an_older_result(tmp_path, run_ref):
    """A target holding an earlier run (another seed) stays that run, whole, until the new one
    replaces it: a kill while the new one is written leaves one of the two, never a mixture."""
    out = tmp_path / "o"
    other = [a if a != "5" else "6" for a in RUN]
    assert sh(*other, "--out", out).returncode == 0
    old_summary = (out / "summary.json").read_bytes()
    for ready in (lambda: bool(_hidden(tmp_path, "o", "results.nc")),
                  lambda: bool(_hidden(tmp_path, "o", "manifest.json"))):
        kill_when([*RUN, "--out", out], ready)
        if not out.exists():       # killed between save()'s two renames: the earlier run waits aside
            assert (tmp_path / ".o.old" / "manifest.json").is_file()
        else:
            _assert_not_partial(out)
            assert (out / "summary.json").read_bytes() in (old_summary, (run_ref / "summary.json").read_bytes())
    r = sh(*RUN, "--out", out)
    assert r.returncode == 0, r.stderr
    _same_run(out, run_ref)


def test_a_second_writer_of_the_same_out_is_refused(tmp_path):
    out = tmp_path / "o"
    with atomic.lock(out, "--out"):
        r = sh("run", "status-quo-2025", "--runs", "20", "--horizon", "2030", "--out", out)
    msg = one_line_error(r)
    assert str(out) in msg and f"pid {os.getpid()}" in msg and "being written by another process" in msg
    assert not out.exists()
    # the lock is released with its holder (even a SIGKILLed one: the kernel drops it)
    r = sh("run", "status-quo-2025", "--runs", "20", "--horizon", "2030", "--out", out)
    assert r.returncode == 0, r.stderr


@pytest.mark.slow
def test_two_concurrent_runs_on_one_out_do_not_corrupt_it(tmp_path, run_ref):
    out = tmp_path / "o"
    ps = [subprocess.Popen([*UMB, *RUN, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True) for _ in range(2)]
    res = [(p.wait(timeout=600), p.stderr.read()) for p in ps]
    for p in ps:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(c for c, _ in res)
    assert codes in ([0, 0], [0, 2]), res
    for c, err in res:
        if c == 2:
            assert "being written by another process" in err and "Traceback" not in err
    _same_run(out, run_ref)


def test_out_into_a_users_directory_is_refused(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("years of work")
    msg = one_line_error(cli("run", "status-quo-2025", "--runs", "20", "--out", tmp_path / "mine"))
    assert "is a directory of other files" in msg and "thesis.tex" in msg
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "years of work"
    (tmp_path / "f").write_text("x")
    msg = one_line_error(cli("run", "status-quo-2025", "--runs", "20", "--out", tmp_path / "f"))
    assert "is a file, not a directory" in msg


def test_run_out_and_json_on_an_unwritable_path(tmp_path):
    (tmp_path / "file").write_text("a regular file")
    under = tmp_path / "file" / "o"                 # unwritable for root too
    msg = one_line_error(cli("run", "status-quo-2025", "--runs", "20", "--horizon", "2030", "--out", under))
    assert str(under) in msg and "cannot be written" in msg
    msg = one_line_error(cli("run", "status-quo-2025", "--runs", "20", "--horizon", "2030", "--json", under))
    assert "--json" in msg and str(under) in msg and "cannot be written" in msg


def test_run_out_and_json_in_a_read_only_directory(tmp_path):
    ro = root_or_ro_dir(tmp_path)
    for opt in ("--out", "--json"):
        msg = one_line_error(cli("run", "status-quo-2025", "--runs", "20", "--horizon", "2030", opt, ro / "x"))
        assert str(ro / "x") in msg and "cannot be written" in msg
    assert list(ro.iterdir()) == []


def test_a_full_disk_during_run_out_is_a_clear_error(tmp_path, monkeypatch):
    import xarray as xr
    real = xr.Dataset.to_netcdf

    def full(self, path=None, *a, **k):
        Path(path).write_bytes(b"CDF\x01" + b"\0" * 64)       # a partial file, then the disk fills up
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", full)
    out = tmp_path / "o"
    msg = one_line_error(cli("run", "status-quo-2025", "--runs", "20", "--horizon", "2030", "--out", out))
    assert str(out) in msg and "the disk is full" in msg
    assert not out.exists() and not _hidden(tmp_path, "o", "")     # nothing half-written remains
    monkeypatch.setattr(xr.Dataset, "to_netcdf", real)
    r = cli("run", "status-quo-2025", "--runs", "20", "--horizon", "2030", "--out", out)
    assert r.exit_code == 0 and sorted(f.name for f in out.iterdir()) == sorted(OUT_FILES)


def test_a_full_disk_writing_json_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "s.json"
    target.write_text('{"old": true}')
    real = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    msg = one_line_error(cli("run", "status-quo-2025", "--runs", "20", "--horizon", "2030", "--json", target))
    assert "--json" in msg and "the disk is full" in msg
    monkeypatch.setattr(os, "fsync", real)
    assert target.read_text() == '{"old": true}' and [p.name for p in tmp_path.iterdir()] == ["s.json"]


# ---------------------------------------------------------------------------------------------
# explore run

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
UNITS = 6


@pytest.fixture(scope="module")
def sweep_ref(tmp_path_factory):
    d = tmp_path_factory.mktemp("sweep_ref")
    (d / "exp.yaml").write_text(SPEC)
    r = sh("explore", "run", d / "exp.yaml", "--store", d / "full", "--quiet")
    assert r.returncode == 0, r.stderr
    return d / "exp.yaml", d / "full"


def _units(s: Path) -> int:
    return len(list((s / "units").glob("u*.parquet"))) if (s / "units").is_dir() else 0


EXPLORE_POINTS = [
    ("lock taken", lambda s: (s / ".lock").exists()),
    ("design written", lambda s: (s / "design.parquet").exists()),
    ("manifest written", lambda s: (s / "manifest.json").exists()),
    ("a unit being written", lambda s: any((s / "units").glob(".u*"))),
    ("after 2 units", lambda s: _units(s) >= 2),
    ("after 4 units", lambda s: _units(s) >= 4),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,ready", EXPLORE_POINTS, ids=[p[0] for p in EXPLORE_POINTS])
def test_explore_run_killed_then_resumed(tmp_path, sweep_ref, name, ready):
    from umbrella.explore.store import Store
    spec, full = sweep_ref
    s = tmp_path / "s"
    kill_when(["explore", "run", spec, "--store", s, "--quiet"], lambda: ready(s))
    done = _units(s)
    if (s / "manifest.json").is_file() and done < UNITS:
        # a partial store never looks complete: `show` says so, and the analyses refuse it
        r = sh("explore", "show", s)
        assert r.returncode == 0 and f"{done}/{UNITS} units" in r.stdout and "(complete)" not in r.stdout
        msg = one_line_error(sh("explore", "analyze", s, "robust"))
        assert "a complete sweep" in msg
    r = sh("explore", "run", spec, "--store", s, "--quiet")
    assert r.returncode == 0, r.stderr
    assert f"{UNITS - done} units computed, {done} already stored" in " ".join(r.stdout.split())
    pd.testing.assert_frame_equal(Store(s).table(), Store(full).table(), check_exact=True)
    assert not [p for p in s.rglob(".*") if p.name != ".lock"]        # no temporary file left


def test_a_second_sweep_on_a_store_names_the_holder(tmp_path):
    from umbrella.explore.store import Store
    (tmp_path / "exp.yaml").write_text(SPEC)
    with Store(tmp_path / "s").locked():
        msg = one_line_error(cli("explore", "run", tmp_path / "exp.yaml", "--store", tmp_path / "s", "--quiet"))
    assert str(tmp_path / "s") in msg and f"pid {os.getpid()}" in msg


def test_explore_store_under_a_file(tmp_path):
    (tmp_path / "exp.yaml").write_text(SPEC)
    (tmp_path / "file").write_text("x")
    msg = one_line_error(cli("explore", "run", tmp_path / "exp.yaml", "--store", tmp_path / "file" / "s", "--quiet"))
    assert "cannot be written" in msg and str(tmp_path / "file" / "s") in msg


def test_explore_store_in_a_read_only_directory(tmp_path):
    ro = root_or_ro_dir(tmp_path)
    (tmp_path / "exp.yaml").write_text(SPEC)
    msg = one_line_error(cli("explore", "run", tmp_path / "exp.yaml", "--store", ro / "s", "--quiet"))
    assert "cannot be written" in msg


# ---------------------------------------------------------------------------------------------
# report

REPORT = ["report", "status-quo-2025", "--runs", "200", "--format", "both"]


def _report_files_whole(out: Path) -> None:
    """Every visible report file is whole: an HTML document to its end, a PDF to its %%EOF."""
    for p in out.glob("report-*"):
        b = p.read_bytes()
        if p.suffix == ".html":
            assert b.rstrip().endswith(b"</html>"), p
        else:
            assert b.startswith(b"%PDF") and b"%%EOF" in b[-64:], p


def _report_tmp(out: Path, fmt: str) -> bool:
    return any(out.glob(f".report-*.{fmt}{atomic.TMP}*"))


REPORT_POINTS = [
    ("after 1 s", None),
    ("html being written", lambda o: _report_tmp(o, "html")),
    ("pdf being written", lambda o: _report_tmp(o, "pdf")),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,ready", REPORT_POINTS, ids=[p[0] for p in REPORT_POINTS])
def test_report_killed_then_rerun(tmp_path, name, ready):
    out = tmp_path / "rep"
    t0 = time.monotonic()
    cond = (lambda: time.monotonic() - t0 > 1.0) if ready is None else (lambda: ready(out))
    killed = kill_when([*REPORT, "--out", out], cond)
    if out.exists():
        _report_files_whole(out)
        if killed:      # both formats are renamed into place only when both are complete
            assert not list(out.glob("report-*")), name
    r = sh(*REPORT, "--out", out)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [".report-status-quo-2025-en.lock",
                                                     "report-status-quo-2025-en.html",
                                                     "report-status-quo-2025-en.pdf"]
    _report_files_whole(out)


def _stub_report(monkeypatch):
    """The report's models and rendering are not the point here: a tiny context, HTML, PDF."""
    from umbrella.interfaces.briefing import report as R
    monkeypatch.setattr(R, "build", lambda scenario, **k: {"scenario": "status-quo-2025", "lang": k["lang"],
                                                           "timings": {}})
    monkeypatch.setattr(R, "render_html", lambda ctx, pdf=False: "<html><body>stub</body></html>\n")
    monkeypatch.setattr(R, "write_pdf", lambda html, path: Path(path).write_bytes(b"%PDF-1.7\n%%EOF\n"))
    return R


def test_a_second_report_to_the_same_target_is_refused(tmp_path, monkeypatch):
    R = _stub_report(monkeypatch)
    with R.writing(tmp_path, "status-quo-2025", "en"):
        msg = one_line_error(cli("report", "status-quo-2025", "--out", tmp_path))
    assert str(tmp_path / "report-status-quo-2025-en") in msg and f"pid {os.getpid()}" in msg
    assert not list(tmp_path.glob("report-*"))
    # another language is another target: not refused while the first is held
    with R.writing(tmp_path, "status-quo-2025", "en"):
        assert cli("report", "status-quo-2025", "--lang", "ja", "--out", tmp_path).exit_code == 0


def test_a_full_disk_during_a_report_keeps_the_previous_one(tmp_path, monkeypatch):
    R = _stub_report(monkeypatch)
    assert cli("report", "status-quo-2025", "--format", "both", "--out", tmp_path).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.glob("report-*")}

    def full(html, path):
        Path(path).write_bytes(b"%PDF-1.7\n")           # a partial PDF, then the disk fills up
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(R, "render_html", lambda ctx, pdf=False: "<html><body>new</body></html>\n")
    monkeypatch.setattr(R, "write_pdf", full)
    msg = one_line_error(cli("report", "status-quo-2025", "--format", "both", "--out", tmp_path))
    assert "the disk is full" in msg and "report-status-quo-2025-en.pdf" in msg
    # neither format was replaced (the HTML waits for the PDF), and no temporary file remains
    assert {p.name: p.read_bytes() for p in tmp_path.glob("report-*")} == before
    assert [p.name for p in tmp_path.glob(".*") if not p.name.endswith(".lock")] == []


def test_report_to_an_unwritable_path(tmp_path, monkeypatch):
    _stub_report(monkeypatch)
    (tmp_path / "file").write_text("x")
    msg = one_line_error(cli("report", "status-quo-2025", "--out", tmp_path / "file" / "rep"))
    assert str(tmp_path / "file" / "rep") in msg and "cannot be" in msg


def test_report_in_a_read_only_directory(tmp_path, monkeypatch):
    _stub_report(monkeypatch)
    ro = root_or_ro_dir(tmp_path)
    msg = one_line_error(cli("report", "status-quo-2025", "--out", ro))
    assert str(ro) in msg and "cannot be written" in msg


def test_json_to_a_fifo_or_device_writes_through(tmp_path):
    """`--json /dev/null` (or a FIFO) is written through: never renamed over (the device stays)."""
    import stat
    import threading
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = cli("run", "status-quo-2025", "--runs", "20", "--horizon", "2030", "--json", fifo)
    reader.join(timeout=60)
    assert r.exit_code == 0, r.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and json.loads(got[0])["runs"] == 20
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


@pytest.mark.parametrize("cmd", [["run", "status-quo-2025", "--runs", "100"],
                                 ["compare", "status-quo-2025", "rok-goes-first", "--runs", "100"]])
def test_an_unwritable_json_target_is_refused_before_the_run(tmp_path, cmd):
    """A --json file that cannot be written (under a regular file, or a directory in its place)
    is refused with exit 2 before anything runs: nothing printed, no result lost at the end."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for target in (blocker / "out.json", tmp_path):
        r = cli(*cmd, "--json", target)
        assert r.exit_code == 2, r.output
        assert "--json" in r.output and str(target) in r.output.replace("\n", "")
        assert "South Korea" not in r.output and "韓国" not in r.output      # no table: nothing ran
    assert not list(tmp_path.glob(".*tmp-*"))                                # no probe left behind


# ---------------------------------------------------------------------------------------------
# figures and tables written beside the runs (plot, explore analyze --png, backtest --out)

def _figure_writers():
    """Each writer of a figure file, as (name, write(path))."""
    from matplotlib.figure import Figure

    from umbrella.calibrate import scores
    from umbrella.interfaces import explore_figures
    from umbrella.interfaces.briefing import figures

    rel = pd.DataFrame({"bin": [0, 1], "n": [50, 50], "mean_p": [0.1, 0.6], "observed": [0.12, 0.55],
                        "lo": [0.06, 0.45], "hi": [0.2, 0.65], "events": [6, 27]})
    ranking = pd.DataFrame({"policy": ["a", "b"], "share": [0.9, 0.4], "rank": [1, 2]})

    def plot(p):
        fig = Figure()
        fig.add_subplot().plot([0, 1], [0, 1])
        figures.save(fig, p)

    return [("plot", plot),
            ("explore analyze --png", lambda p: explore_figures.policy_ranking(ranking, p)),
            ("backtest reliability.png", lambda p: scores.reliability_png({"x": rel}, p, scale="linear"))]


def test_figure_writers_replace_whole_or_not_at_all(tmp_path, monkeypatch):
    """A figure is written under a temporary name and renamed: a full disk keeps the previous file
    and leaves no temporary one; a writer that succeeds leaves only the figure."""
    for name, write in _figure_writers():
        d = tmp_path / name.split()[0]
        d.mkdir()
        target = d / "f.png"
        target.write_bytes(b"old")
        real = os.fsync

        def full(fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        with pytest.raises(atomic.InputError) as e:
            write(target)
        monkeypatch.setattr(os, "fsync", real)
        assert "the disk is full" in str(e.value), name
        assert target.read_bytes() == b"old" and [p.name for p in d.iterdir()] == ["f.png"], name
        write(target)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and [p.name for p in d.iterdir()] == ["f.png"], name


def test_figure_writers_under_a_file_are_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x")
    for name, write in _figure_writers():
        with pytest.raises(atomic.InputError) as e:
            write(tmp_path / "file" / "f.png")
        assert "file" in str(e.value) and "\n" not in str(e.value), name

"""Limits (issue 19, part 4; docs/reliability.md "Limits"): the bounds of `--runs` and the
horizon, and a memory and disk estimate before a run or a sweep, refused (exit 2, one line) when
it exceeds what is free, instead of an out-of-memory kill or a MemoryError traceback. The free
memory and disk are monkeypatched in process, so the refusals do not depend on the machine."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from umbrella.errors import InputError
from umbrella.interfaces.cli import app
from umbrella.results import limits

MB = 2 ** 20


def cli(*args):
    return CliRunner().invoke(app, list(map(str, args)))


def refused(r) -> str:
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and "error:" in r.output, r.output
    line = r.output[r.output.index("error:"):].strip()
    assert "\n" not in line, r.output
    return line


@pytest.mark.parametrize("args,needle", [
    (["--runs", "1000000000"], "an integer from 1 to 10,000,000"),
    (["--runs", "0"], "an integer from 1 to 10,000,000"),
    (["--horizon", "2101"], "an integer from 1945 to 2100"),
    (["--start-year", "1900"], "an integer from 1945 to 2100"),
    (["--start-year", "2030", "--horizon", "2030"], "horizon"),
])
def test_runs_and_horizon_bounds(args, needle):
    assert needle in refused(cli("run", "status-quo-2025", *args, "--json", "-"))


def test_a_batch_that_cannot_fit_is_refused_before_it_runs():
    """A real refusal, no monkeypatch: ten million runs in one batch (about 370 GB)."""
    r = cli("run", "status-quo-2025", "--runs", "10000000", "--batch-size", "10000000", "--json", "-")
    msg = refused(r)
    assert msg.startswith("error: --batch-size: 10000000 would need about") and "MB of memory" in msg
    assert "{" not in r.output          # nothing was summarised


def test_the_suggested_batch_size_fits(monkeypatch):
    monkeypatch.setattr(limits, "_mem_available", lambda: 40 * MB)
    args = ("run", "status-quo-2025", "--runs", "3000", "--horizon", "2030", "--seed", "4", "--json", "-")
    msg = refused(cli(*args))
    assert "40 MB available" in msg
    fit = int(re.search(r"--batch-size ([\d,]+) or less", msg).group(1).replace(",", ""))
    assert 1 <= fit < 3000
    r = cli(*args, "--batch-size", fit)
    assert r.exit_code == 0, r.output
    assert '"runs": 3000' in r.output


def test_run_out_refuses_what_does_not_fit_on_the_disk(monkeypatch, tmp_path):
    monkeypatch.setattr(limits, "free_disk", lambda path: 1 * MB)
    msg = refused(cli("run", "status-quo-2025", "--runs", "200", "--horizon", "2030", "--out", tmp_path / "o"))
    assert "--out" in msg and "on disk" in msg and "1 MB free" in msg
    assert not (tmp_path / "o").exists()


SPEC = """
id: big
base: status-quo-2025
runs: 1000
unit: 50
sampler: {method: lhs, n: 200, seed: 4}
uncertainties:
  parameters:
    cred.lr_troops: {}
outcomes:
  - status.KOR.arsenal.2040
  - npt.collapse
"""


def test_a_sweep_whose_units_do_not_fit_is_refused(tmp_path, monkeypatch):
    from umbrella.explore import design as D
    from umbrella.explore import sweep
    monkeypatch.setattr(limits, "_mem_available", lambda: 500 * MB)
    (tmp_path / "big.yaml").write_text(SPEC)
    msg = refused(cli("explore", "run", tmp_path / "big.yaml", "--store", tmp_path / "s", "--quiet"))
    assert msg.startswith("error: unit: 50 would hold 50,000 runs per unit") and "500 MB available" in msg
    assert not (tmp_path / "s").exists()                   # refused before the store is made
    unit = int(re.search(r"unit: ([\d,]+) or less", msg).group(1).replace(",", ""))
    ok = load_spec_text(tmp_path, SPEC.replace("unit: 50", f"unit: {unit}"))
    est = sweep.check_limits(ok, D.build(ok), tmp_path / "s")          # the suggestion fits
    assert est["memory"] <= 500 * MB
    # two local Dask workers hold two units at once
    with pytest.raises(InputError, match="2 units at once"):
        sweep.check_limits(ok, D.build(ok), tmp_path / "s", dask="local:2")
    # a run too big for any unit: fewer runs per experiment is the advice
    huge = load_spec_text(tmp_path, SPEC.replace("runs: 1000", "runs: 1000000"))
    with pytest.raises(InputError, match=r"runs: [\d,]+ or less per experiment"):
        sweep.check_limits(huge, D.build(huge), tmp_path / "s")


def load_spec_text(tmp_path, text):
    from umbrella.explore.spec import load_spec
    p = tmp_path / f"spec{abs(hash(text))}.yaml"
    p.write_text(text)
    return load_spec(p)


def test_a_store_that_does_not_fit_on_the_disk_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "free_disk", lambda path: 10_000)
    (tmp_path / "big.yaml").write_text(SPEC)
    msg = refused(cli("explore", "run", tmp_path / "big.yaml", "--store", tmp_path / "s", "--quiet"))
    assert msg.startswith(f"error: --store: '{tmp_path / 's'}' would need about") and "on disk" in msg
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("args", [
    ["compare", "status-quo-2025", "us-abandonment", "--runs", "100000", "--json", "-"],
    ["explain", "status-quo-2025", "--actor", "KOR", "--event", "pursue", "--runs", "100000", "--json", "-"],
])
def test_commands_that_keep_every_run_refuse_what_does_not_fit(args, monkeypatch):
    """compare and explain keep every run's arrays (three copies): refused, with the most runs
    that fit, before anything runs."""
    monkeypatch.setattr(limits, "_mem_available", lambda: 100 * MB)
    r = cli(*args)
    msg = refused(r)
    assert msg.startswith("error: --runs: 100000 would need about") and "100 MB available" in msg
    most = int(re.search(r"at most about ([\d,]+) runs", msg).group(1).replace(",", ""))
    assert 0 < most < 100_000 and "{" not in r.output

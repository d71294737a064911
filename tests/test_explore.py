"""The exploration framework: experiment files, designs, the engine's explicit design, the
outcome registry, the store (resume after SIGKILL, refusals), Dask, and the store-level
analyses (Sobol on Ishigami through the store's code path)."""

from __future__ import annotations

import json
import math
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

from umbrella.engine.run import Design, simulate
from umbrella.errors import InputError
from umbrella.explore import analyses as A
from umbrella.explore import design as D
from umbrella.explore import outcomes as O
from umbrella.explore import sweep
from umbrella.explore.spec import load_spec
from umbrella.explore.store import Store
from umbrella.interfaces.cli import app
from umbrella.results.summary import summarise
from umbrella.scenario import load_scenario, load_world

SMALL = """
id: small
base: status-quo-2025
runs: 12
unit: 2
sampler: {method: lhs, n: 3, seed: 4}
uncertainties:
  parameters:
    cred.lr_troops: {}
    crisis.korea.onset: {}
policies:
  named:
    status-quo: {}
    no-op: {levers.dprk_test_moratorium: false}
    no-troops: {levers.us_troops.KOR: 0}
outcomes:
  - status.KOR.arsenal.2040
  - {path: nuclear_use.any.2050, direction: min, threshold: 0.05}
  - credibility.KOR.p50.2035
  - new_arsenals.mean.2050
  - npt.collapse
"""


def spec_file(tmp_path: Path, text: str = SMALL, name: str = "exp.yaml", **subs) -> Path:
    for k, v in subs.items():
        text = text.replace(k, v)
    p = tmp_path / name
    p.write_text(text)
    return p


def cli(*args):
    return CliRunner().invoke(app, list(map(str, args)))


# ---------------------------------------------------------------------------------------------
# the experiment file


@pytest.mark.parametrize("old,new,needle", [
    ("cred.lr_troops: {}", "cred.lr_trops: {}", "cred.lr_trops.*is not a model parameter.*cred.lr_troops"),
    ("cred.lr_troops: {}", "cred.lr_troops: {low: 0.0, high: 5.0}", "lies outside the parameter's allowed range"),
    ("cred.lr_troops: {}", "cred.lr_troops: {low: 0.5, high: 0.5}", "is empty"),
    ("method: lhs, n: 3", "method: sobol, n: 3", "sampler.n.*power of two"),
    ("status.KOR.arsenal.2040", "status.KOR.bomb.2040", "lacks one of explore, pursue, arsenal"),
    ("status.KOR.arsenal.2040", "status.KOR.arsenal.2070", "lies outside the run"),
    ("status.KOR.arsenal.2040", "warheads.XXX.p50.2040", "not an actor of the base scenario"),
    ("status.KOR.arsenal.2040", "bogus.KOR", "is not a registered outcome"),
    ("no-troops: {levers.us_troops.KOR: 0}", "no-troops: {levers.consultation.KOR: maybe}", "consultation.KOR"),
    ("no-troops: {levers.us_troops.KOR: 0}", "no-troops: {levers.nonsense: 1}", "is not a known field"),
    ("base: status-quo-2025", "base: no-such-preset", "base"),
    ("runs: 12", "runs: many", "runs"),
    ("  - npt.collapse\n", "  - npt.collapse\n  - npt.collapse\n", "is declared twice"),
])
def test_bad_spec_names_key_value_and_allowed(tmp_path, old, new, needle):
    assert old in SMALL
    p = spec_file(tmp_path, SMALL.replace(old, new))
    with pytest.raises(InputError, match=needle):
        load_spec(p)
    r = cli("explore", "validate", p)
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_empty_space_and_sobol_over_categoricals(tmp_path):
    empty = SMALL.split("uncertainties:")[0] + "uncertainties: {}\noutcomes: [npt.collapse.2050]\n"
    with pytest.raises(InputError, match="uncertainties.*empty space"):
        load_spec(spec_file(tmp_path, empty))
    cat = SMALL.replace("method: lhs, n: 3", "method: sobol, n: 4").replace(
        "crisis.korea.onset: {}", "crisis.korea.onset: {}\n  worlds: [consensus, kelly]")
    with pytest.raises(InputError, match="does not fit the space.*Sobol and Morris need numeric ranges"):
        load_spec(spec_file(tmp_path, cat))
    lever_cat = SMALL.replace("method: lhs, n: 3", "method: morris, n: 4").replace(
        "crisis.korea.onset: {}", "crisis.korea.onset: {}\n  fields: {levers.consultation.KOR: {}}")
    with pytest.raises(InputError, match="does not fit"):
        load_spec(spec_file(tmp_path, lever_cat))


def test_unsafe_yaml_is_refused(tmp_path):
    p = spec_file(tmp_path, SMALL.replace("id: small", "id: !!python/object/apply:os.system ['true']"))
    with pytest.raises(InputError, match="malformed YAML"):
        load_spec(p)


def test_validate_prints_the_design_size(tmp_path):
    r = cli("explore", "validate", spec_file(tmp_path))
    assert r.exit_code == 0, r.output
    assert "3 points x 3 policies = 9 experiments x 12 runs" in " ".join(r.output.split())


def test_designs_have_the_samplers_shapes(tmp_path):
    ex = load_spec(spec_file(tmp_path))
    assert len(D.points(ex)) == 3
    sob = load_spec(spec_file(tmp_path, SMALL.replace("method: lhs, n: 3", "method: sobol, n: 8")))
    assert len(D.points(sob)) == 8 * (2 + 2)          # N (D + 2), Saltelli without second order
    mor = load_spec(spec_file(tmp_path, SMALL.replace("method: lhs, n: 3", "method: morris, n: 5")))
    assert len(D.points(mor)) == 5 * (2 + 1)          # trajectories x (D + 1)
    two_worlds = "crisis.korea.onset: {}\n  worlds: [consensus, kelly]"
    fac = load_spec(spec_file(tmp_path, SMALL.replace("method: lhs, n: 3", "method: factorial, levels: 3")
                              .replace("crisis.korea.onset: {}", two_worlds)))
    pts = D.points(fac)
    assert len(pts) == 3 * 3 * 2 and set(pts["world"]) == {"consensus", "kelly"}
    # every value inside its factor's range; the design is a function of the spec
    for f in ex.factors:
        assert pts[f.name].between(f.low, f.high).all() if f.numeric else True
    pd.testing.assert_frame_equal(D.points(ex), D.points(load_spec(spec_file(tmp_path))))
    d = D.build(ex)
    assert d.experiments == 9 and d.unit == 2 and d.units == 5
    # policy-major: each policy sees the same points
    t = d.table
    for p in d.policy_names:
        np.testing.assert_array_equal(t[t.policy == p]["cred.lr_troops"].to_numpy(),
                                      D.points(ex)["cred.lr_troops"].to_numpy())


# ---------------------------------------------------------------------------------------------
# the engine's explicit design and the outcome registry


def test_a_design_point_equals_a_run_with_the_parameter_fixed():
    sc = load_scenario("status-quo-2025", fields={"runs": 16, "seed": 5})
    w = load_world("consensus")
    vals = np.array([[0.3], [0.9]])
    res = simulate(sc, w, design=Design(("cred.lr_troops",), vals, 16))
    for i, v in enumerate(vals[:, 0]):
        fixed = load_scenario("status-quo-2025", fields={"runs": 16, "seed": 5},
                              overrides=[f"uncertain.cred.lr_troops={{dist: fixed, value: {v}}}"])
        ref = simulate(fixed, w)
        sl = slice(16 * i, 16 * (i + 1))
        for name in ("status", "warheads", "credibility", "npt_strength", "crisis_rung"):
            np.testing.assert_array_equal(getattr(res, name)[sl], getattr(ref, name), err_msg=name)
    # replicate k of every point replays global run k's random numbers: batch size changes nothing
    res2 = simulate(sc, w, design=Design(("cred.lr_troops",), vals, 16), batch_size=5)
    np.testing.assert_array_equal(res.warheads, res2.warheads)


def test_bad_designs_are_refused():
    with pytest.raises(InputError, match="not a model parameter"):
        Design(("nope",), np.zeros((1, 1)), 2)
    with pytest.raises(InputError, match="cannot vary per run"):
        Design(("crisis.steps",), np.zeros((1, 1)), 2)
    with pytest.raises(InputError, match="finite"):
        Design(("cred.lr_troops",), np.array([[np.nan]]), 2)


def test_outcomes_equal_the_json_summary(run_scenario):
    """Meaning is decided once: each registered outcome is the JSON summary's value at its path."""
    res = run_scenario("status-quo-2025", 400, 11)
    s = summarise(res)
    sc = res.scenario
    paths = ["status.KOR.arsenal.2040", "status.JPN.pursue.2035", "status.KOR.covert.2050",
             "credibility.KOR.p50.2035", "credibility.JPN.p10.2040", "warheads.CHN.p90.2035",
             "opinion.KOR.mean.2030", "alignment.KOR.accommodating.2050", "npt.collapse.2050",
             "npt.strength.p50.2040", "nuclear_use.any.2050", "nuclear_use.korea.2050", "war.taiwan.2045",
             "strategic_exchange.any.2050"]
    outs = [o for p in paths for o in O.parse(p, scenario=sc)]
    got = O.compute(outs, res, 1)
    for p in paths:
        parts = p.split(".")
        node = s
        for k in parts if parts[0] != "npt" or parts[1] == "collapse" else ["npt", "strength", parts[2], parts[3]]:
            node = node[k]
        assert got[p][0] == pytest.approx(node, abs=1e-6), p
    # new arsenals: the count of actors armed by the year that were not at the start
    (na,) = O.parse("new_arsenals.mean.2050", scenario=sc)
    expect = sum(s["status"][a]["arsenal"]["2050"] - s["status"][a]["arsenal"][str(sc.start_year)]
                 for a in s["actors"] if s["status"][a]["arsenal"][str(sc.start_year)] == 0)
    assert O.compute([na], res, 1)[na.name][0] == pytest.approx(expect, abs=1e-9)
    # a time series: one outcome per year of the run
    series = O.parse("npt.collapse", scenario=sc)
    assert [o.year for o in series] == list(range(sc.start_year, sc.horizon + 1))


# ---------------------------------------------------------------------------------------------
# sweeps and the store


@pytest.mark.slow
def test_sweep_store_resume_and_common_random_numbers(tmp_path):
    ex = load_spec(spec_file(tmp_path))
    r = sweep.run(ex, tmp_path / "s", progress=False)
    assert (r.units, r.computed) == (5, 5)
    t = Store(tmp_path / "s").table()
    assert len(t) == 9 and np.isfinite(t.select_dtypes("number")).all().all()
    # a policy that changes nothing gives zero differences, point by point (common random numbers)
    outs = [o.name for o in ex.outcomes]
    a = t[t.policy == "status-quo"][outs].to_numpy()
    b = t[t.policy == "no-op"][outs].to_numpy()
    np.testing.assert_array_equal(a, b)
    c = t[t.policy == "no-troops"]["credibility.KOR.p50.2035"].to_numpy()
    assert (c < t[t.policy == "status-quo"]["credibility.KOR.p50.2035"].to_numpy()).all()
    # a second run computes nothing; a lost unit is recomputed, identically
    assert sweep.run(ex, tmp_path / "s", progress=False).computed == 0
    (tmp_path / "s" / "units" / "u000002.parquet").unlink()
    assert sweep.run(ex, tmp_path / "s", progress=False).computed == 1
    pd.testing.assert_frame_equal(Store(tmp_path / "s").table(), t)
    # the unit size does not change an experiment's outcomes
    ex1 = load_spec(spec_file(tmp_path, name="e1.yaml", **{"unit: 2": "unit: 9"}))
    sweep.run(ex1, tmp_path / "s1", progress=False)
    pd.testing.assert_frame_equal(Store(tmp_path / "s1").table(), t)
    # exports: one Parquet file, an xarray Dataset with the time series over `year`
    f = Store(tmp_path / "s").export_parquet(tmp_path / "all.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(f), t)
    ds = Store(tmp_path / "s").to_xarray()
    assert ds["npt.collapse"].dims == ("experiment", "year") and ds.sizes["year"] == 26
    np.testing.assert_array_equal(ds["status.KOR.arsenal.2040"].to_numpy(), t["status.KOR.arsenal.2040"].to_numpy())
    r = cli("explore", "show", tmp_path / "s")
    assert r.exit_code == 0 and "5/5 units" in r.output and "complete" in r.output
    r = cli("explore", "export", tmp_path / "s", "--netcdf", tmp_path / "x.nc")
    assert r.exit_code == 0 and (tmp_path / "x.nc").stat().st_size > 0


def _files(p: Path) -> dict:
    return {f.relative_to(p).as_posix(): f.read_bytes() for f in p.rglob("*") if f.is_file() and f.name != ".lock"}


@pytest.mark.slow
def test_a_store_of_another_spec_or_a_locked_store_is_refused(tmp_path):
    ex = load_spec(spec_file(tmp_path))
    sweep.run(ex, tmp_path / "s", progress=False)
    before = _files(tmp_path / "s")
    other = spec_file(tmp_path, name="other.yaml", **{"runs: 12": "runs: 13"})
    r = cli("explore", "run", other, "--store", tmp_path / "s", "--quiet")
    assert r.exit_code == 2 and "was made by another experiment spec" in r.output
    assert _files(tmp_path / "s") == before
    # a directory that is not a store
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "notes.txt").write_text("mine")
    r = cli("explore", "run", spec_file(tmp_path), "--store", tmp_path / "junk", "--quiet")
    assert r.exit_code == 2 and "not a store" in r.output
    # a store locked by a running sweep
    st = Store(tmp_path / "s")
    with st.locked():
        r = cli("explore", "run", spec_file(tmp_path), "--store", tmp_path / "s", "--quiet")
    assert r.exit_code == 2 and "locked by a running sweep" in r.output
    assert _files(tmp_path / "s") == before


def test_an_unwritable_store_path_is_a_clear_error(tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/umbrella-store")      # root may write anywhere but /proc
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        target = ro / "s"
    r = cli("explore", "run", spec_file(tmp_path), "--store", target, "--quiet")
    assert r.exit_code == 2 and "cannot be written" in r.output and "Traceback" not in r.output


@pytest.mark.slow
def test_sigkill_then_resume_equals_an_uninterrupted_sweep(tmp_path):
    spec = spec_file(tmp_path, **{"runs: 12": "runs: 30", "unit: 2": "unit: 1"})
    full = tmp_path / "full"
    ex = load_spec(spec)
    sweep.run(ex, full, progress=False)
    killed = tmp_path / "killed"
    cmd = [sys.executable, "-m", "umbrella", "explore", "run", str(spec), "--store", str(killed), "--quiet"]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and len(list((killed / "units").glob("u*.parquet"))) < 3:
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    done = len(list((killed / "units").glob("u*.parquet")))
    assert 3 <= done < 9, done
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert f"{9 - done} units computed, {done} already stored" in " ".join(r.stdout.split())
    pd.testing.assert_frame_equal(Store(killed).table(), Store(full).table())


@pytest.mark.slow
def test_dask_local_cluster_equals_local(tmp_path):
    pytest.importorskip("distributed")
    ex = load_spec(spec_file(tmp_path))
    sweep.run(ex, tmp_path / "local", progress=False)
    sweep.run(ex, tmp_path / "dask", progress=False, dask="local:2")
    pd.testing.assert_frame_equal(Store(tmp_path / "dask").table(), Store(tmp_path / "local").table())


def test_bad_dask_address():
    from umbrella.explore.distributed import _parse
    with pytest.raises(InputError, match="local:N"):
        _parse("local:many")
    with pytest.raises(InputError, match="scheduler address"):
        _parse("nowhere")


# ---------------------------------------------------------------------------------------------
# analyses through the store


def _ishigami(x1, x2, x3, a=7.0, b=0.1):
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3 ** 4 * np.sin(x1)


def test_sobol_of_ishigami_through_the_store(tmp_path):
    """The model's path (spec -> Saltelli design -> store units -> analyses.sobol), with the
    engine replaced by the Ishigami function on the factors rescaled to (-pi, pi) (Sobol indices
    do not change under an affine map of an input). Known answers: Saltelli et al. (2008)."""
    text = """
id: ishigami
base: status-quo-2025
runs: 1
unit: 500
sampler: {method: sobol, n: 1024, seed: 3}
uncertainties:
  parameters:
    cred.lr_troops: {}
    cred.lr_hns: {}
    cred.lr_rhetoric: {}
outcomes: [status.KOR.arsenal.2040]
"""
    ex = load_spec(spec_file(tmp_path, text))
    d = D.build(ex)
    st = Store(tmp_path / "s")
    with st.locked():
        st.prepare(sweep.manifest(ex, d), D.for_store(d.table))
        for u in range(d.units):
            rows = d.unit_rows(u)
            x = [(rows[f.name].to_numpy() - f.low) / (f.high - f.low) * 2 * math.pi - math.pi for f in ex.factors]
            st.write_unit(u, pd.DataFrame({"experiment": rows["experiment"].to_numpy(),
                                           "status.KOR.arsenal.2040": _ishigami(*x)}))
    df = A.sobol(st).set_index("parameter")
    for name, s1, st_ in zip([f.name for f in ex.factors], (0.314, 0.442, 0.0), (0.558, 0.442, 0.244), strict=True):
        assert df.loc[name, "S1"] == pytest.approx(s1, abs=0.05)
        assert df.loc[name, "ST"] == pytest.approx(st_, abs=0.05)
    r = cli("explore", "analyze", tmp_path / "s", "sobol", "--png", tmp_path / "s.png")
    assert r.exit_code == 0 and (tmp_path / "s.png").stat().st_size > 1000
    r = cli("explore", "analyze", tmp_path / "s", "morris")
    assert r.exit_code == 2 and "does not fit" in r.output


@pytest.mark.slow
def test_prim_robust_and_signposts_on_a_model_sweep(tmp_path):
    text = SMALL.replace("n: 3, seed: 4", "n: 24, seed: 4").replace("runs: 12", "runs: 40")
    text = text.replace("unit: 2", "unit: 40")
    ex = load_spec(spec_file(tmp_path, text))
    sweep.run(ex, tmp_path / "s", progress=False)
    r = A.robustness(tmp_path / "s")
    rank = r.ranking.set_index("policy")
    assert rank.loc["status-quo", "share"] == rank.loc["no-op", "share"]
    box = A.prim(tmp_path / "s", "credibility.KOR.p50.2035", 0.2, above=False)
    assert "policy" in set(box.limits["parameter"])      # troops' withdrawal is what sinks credibility
    sp = A.run_signposts("status-quo-2025", "status.KOR.arsenal.2040", 2030, runs=2000)
    assert sp["ig"].iloc[0] > 0 and sp["observable"].iloc[0] in {"status.KOR", "opinion.KOR", "credibility.KOR"}
    c = cli("explore", "analyze", tmp_path / "s", "robust", "--json", "-")
    assert c.exit_code == 0 and json.loads(c.output)[0]["rank"] == 1


EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples" / "explore"


@pytest.mark.parametrize("name,experiments,runs", [("kor-drivers.yaml", 1408, 200), ("kor-policies.yaml", 480, 200),
                                                   ("kor-search.yaml", 64, 100)])
def test_the_worked_examples_are_valid_and_sized_as_documented(name, experiments, runs):
    ex = load_spec(EXAMPLES / name)
    d = D.build(ex)
    assert (d.experiments, ex.spec.runs) == (experiments, runs)
    doc = (EXAMPLES.parents[1] / "explore.md").read_text()
    assert f"docs/examples/explore/{name}" in doc


def test_explore_help_lists_the_commands():
    r = cli("explore", "--help")
    assert r.exit_code == 0
    for c in ("validate", "run", "show", "export", "analyze", "signposts", "search"):
        assert c in r.output


def test_a_full_disk_is_a_clear_error_and_leaves_no_partial_unit(tmp_path, monkeypatch):
    import errno

    from umbrella.explore import execute

    ex = load_spec(spec_file(tmp_path))
    rows = D.build(ex).unit_rows(0)
    fake = pd.DataFrame({"experiment": rows["experiment"].to_numpy(), **{o.name: 0.5 for o in ex.outcomes}})
    monkeypatch.setattr(execute, "run_unit", lambda *a, **k: fake)     # the engine is not the point here
    real = pd.DataFrame.to_parquet

    def full(self, path, *a, **k):
        if "units" in str(path):
            Path(path).write_bytes(b"PAR1")       # a partial write, then the disk fills up
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, path, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    r = cli("explore", "run", spec_file(tmp_path), "--store", tmp_path / "s", "--quiet")
    assert r.exit_code == 2 and "the disk is full" in r.output and "Traceback" not in r.output
    units = tmp_path / "s" / "units"
    assert list(units.iterdir()) == []                  # neither a unit nor a temporary file
    assert (tmp_path / "s" / "manifest.json").is_file()  # the store itself is intact and resumable


def test_fields_move_the_window_as_the_command_line_does():
    """A start-year factor drops the preset's shocks dated before it, as `--start-year` does."""
    from umbrella.scenario.load import with_fields
    base = load_scenario("status-quo-2025")
    moved = with_fields(base, {"start_year": 2030.0})
    assert moved == load_scenario("status-quo-2025", fields={"start_year": 2030})
    assert all(s.year >= 2030 for s in moved.shocks)
    with pytest.raises(InputError, match="consultation.KOR"):
        with_fields(base, {"levers.consultation.KOR": "maybe"})

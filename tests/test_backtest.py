"""The backbone against history: VALIDATION H3-H10 on simulated histories (historical mode),
the rolling-origin backtest (H6), and the `historical` preset and `backtest` command. Targets the
model misses are strict xfails that name the measured value: if the model starts meeting one,
the test fails and the target moves to the passing list (docs/validation.md)."""

import json
import subprocess
import sys

import numpy as np
import pytest

from umbrella.calibrate import backtest as bt
from umbrella.calibrate import historical

RUNS = 500   # the histories docs/validation.md reports (H6 AUC moves by points with fewer)


@pytest.fixture(scope="module")
def res():
    return bt.backtest(runs=RUNS, seed=1939)


@pytest.mark.slow
@pytest.mark.validation
def test_h3_onset_rates_within_35_percent(res):
    for stage in ("explore", "pursue"):
        sim, obs = res["onset_rates"][stage], res["onset_rates_observed"][stage]
        assert abs(sim / obs - 1) <= 0.35, (stage, sim, obs)
    assert res["onset_rates_observed"]["program_jg"] == pytest.approx(24 / 5861)


@pytest.mark.xfail(strict=True, reason="H3 JG programmes: simulated pursuit onsets 0.27 % vs JG 0.41 % (-35 %); "
                   "JG codes some of Bleek's explore spells as programmes")
@pytest.mark.slow
@pytest.mark.validation
def test_h3_jg_programme_rate(res):
    assert abs(res["onset_rates"]["program_jg"] / res["onset_rates_observed"]["program_jg"] - 1) <= 0.30


@pytest.mark.slow
@pytest.mark.validation
def test_h4_funnel(res):
    for level, (target, tol) in {"explore": (31, 6), "pursue": (17, 4), "arsenal": (10, 3)}.items():
        f = res["funnel"][level]
        assert f["observed"] == target                      # the panel holds Bleek's funnel
        assert abs(f["mean"] - target) <= tol, (level, f)
        assert f["p10"] <= target <= f["p90"], (level, f)


@pytest.mark.slow
@pytest.mark.validation
def test_h5_lag(res):
    assert 7 <= res["lag_median_years"] <= 13


@pytest.mark.slow
@pytest.mark.validation
def test_h7_pact_odds_ratios(res):
    o = res["odds_ratios"]
    assert 0.25 <= o["pact_explore"] <= 0.75
    assert 0.2 <= o["pact_pursue"] <= 1.0


@pytest.mark.slow
@pytest.mark.validation
def test_h8_rival_explore(res):
    assert 3 <= res["odds_ratios"]["rival_explore"] <= 8


@pytest.mark.xfail(strict=True, reason="H8 pursue: simulated unconditional OR about 2.4 > 1.6; rivals raise exploring, "
                   "and the fitted pursue-given-explore rival term (-0.6 +- 1.2) does not offset it")
@pytest.mark.slow
@pytest.mark.validation
def test_h8_rival_pursue(res):
    assert 0.7 <= res["odds_ratios"]["rival_pursue"] <= 1.6


@pytest.mark.slow
@pytest.mark.validation
def test_h9_npt(res):
    assert 0.15 <= res["odds_ratios"]["npt"] <= 0.45


@pytest.mark.slow
@pytest.mark.validation
def test_h6_brier_skill_positive(res):
    p = res["pooled"]
    assert p["brier_skill_base"] > 0 and p["brier_skill_persistence"] > 0
    assert p["events"] >= 8 and p["forecasts"] > 600


@pytest.mark.slow
@pytest.mark.validation
def test_h6_calibration_slope(res):
    assert 0.7 <= res["pooled"]["calibration_slope"] <= 1.3


@pytest.mark.slow
@pytest.mark.validation
def test_h6_auc(res):
    """Met at 0.83 (500 histories) since parameter draws are keyed by name; it sat at 0.76-0.78
    under the earlier column-keyed draws of the same model: with 10 events the pooled AUC moves
    by several points with the random stream (docs/validation.md), so this target is borderline."""
    assert res["pooled"]["auc"] >= 0.80


@pytest.mark.slow
@pytest.mark.validation
def test_h10_no_runaway(res):
    r = res["runaway"]
    assert r["from_1963"]["p_ge15_by_1975"] < 0.05
    assert 5 <= r["from_1963"]["median_1975"] <= 8
    assert r["from_2005"]["median_new_by_2015"] <= 1.5


@pytest.mark.slow
@pytest.mark.validation
def test_anchoring_on_simulated_history(res):
    """The cascade term, centred on the panel's exposure, stays near zero on simulated
    histories too (the simulated spread of programmes does not run away from the record)."""
    for stage, v in res["anchoring"].items():
        assert abs(v) < 0.15, (stage, v)


def test_historical_runs_do_not_depend_on_the_run_count():
    a = historical.run(1963, 1975, runs=40, seed=7)
    b = historical.run(1963, 1975, runs=15, seed=7)
    np.testing.assert_array_equal(a.status[:15], b.status)
    assert not np.array_equal(a.status[:15], historical.run(1963, 1975, runs=15, seed=8).status)


def test_majors_follow_the_record():
    h = historical.run(1950, 1970, runs=20, seed=1)
    chn = int(np.flatnonzero(h.ccodes == 710)[0])
    assert (h.status[:, h.years == 1965, chn] == 3).all()      # China's 1964 test, every run


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "umbrella.interfaces.cli", *args], capture_output=True, text=True,
                          timeout=900)


@pytest.mark.slow
def test_run_historical_preset_from_1963():
    r = _cli("run", "historical", "--start-year", "1963", "--horizon", "1975", "--runs", "60", "--json", "-")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["mode"] == "historical" and s["start_year"] == 1963 and s["horizon"] == 1975
    assert s["counts"]["arsenal"]["1975"]["observed"] == 6      # US, USSR, UK, France, China, Israel
    assert 0 <= s["p_armed_ge15"] <= 1 and len(s["top_states"]) == 10


@pytest.mark.parametrize("args, needle", [
    (("--horizon", "2030"), "2017"),
    (("--set", "levers.us_administration=america_first"), "levers"),
    (("--start-year", "1930"), "start_year"),
])
@pytest.mark.slow
def test_run_historical_bad_input(args, needle):
    r = _cli("run", "historical", "--runs", "20", *args)
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
@pytest.mark.usefixtures("needs_matplotlib")
def test_backtest_json_contract_and_plot(tmp_path):
    r = _cli("backtest", "--runs", "40", "--json", "-", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert set(s["jg_model1"]) >= {"latent_capability", "conventional_threat", "nuclear_threat", "nuclear_defender",
                                   "npt", "major_power", "regional_power"}
    assert set(s["jg_model1"]["npt"]) == {"published", "estimated", "se_published"}
    assert 0.7 < s["jg_pseudo_r2"] < 0.9
    for k in ("onset_rates", "onset_rates_observed"):
        assert set(s[k]) == {"explore", "pursue", "program_jg"}
    for level in ("explore", "pursue", "arsenal"):
        assert {"mean", "p10", "p90", "observed"} <= set(s["funnel"][level])
    assert isinstance(s["lag_median_years"], float)
    assert set(s["odds_ratios"]) >= {"pact_explore", "pact_pursue", "rival_explore", "rival_pursue", "npt"}
    assert [o["fit_through"] for o in s["origins"]] == list(bt.ORIGINS)
    for o in s["origins"]:
        assert {"fit_through", "auc", "brier", "brier_skill_base", "brier_skill_persistence",
                "calibration_slope"} <= set(o)
    assert set(s["runaway"]["from_1963"]) == {"p_ge15_by_1975", "median_1975"}
    assert "median_new_by_2015" in s["runaway"]["from_2005"]
    assert (tmp_path / "reliability.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((tmp_path / "backtest.json").read_text())["runs"] == 40

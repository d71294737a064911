"""Forecast scores for the proliferation backtest: known values, properties and bad inputs."""

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, logit

from umbrella.calibrate import scores
from umbrella.calibrate.scores import (
    auc,
    brier,
    brier_skill,
    calibration,
    log_score,
    reliability,
    reliability_png,
    wilson,
)
from umbrella.errors import InputError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
Z90 = 1.6448536269514722


# --- Brier ------------------------------------------------------------------------------------

def test_brier_perfect_is_zero_and_constant_half_is_quarter():
    y = np.array([0, 1, 1, 0, 1])
    assert brier(y, y.astype(float)) == 0.0
    assert brier(y, np.full(5, 0.5)) == pytest.approx(0.25)


def test_brier_known_value():
    # (0.1^2 + 0.3^2 + 0.8^2) / 3
    assert brier([0, 1, 0], [0.1, 0.7, 0.8]) == pytest.approx((0.01 + 0.09 + 0.64) / 3)


def test_brier_accepts_bools():
    assert brier(np.array([True, False]), [1.0, 0.0]) == 0.0


# --- Brier skill ------------------------------------------------------------------------------

def test_brier_skill_of_base_rate_against_itself_is_zero():
    rng = np.random.default_rng(1)
    y = rng.random(500) < 0.03
    base = y.mean()
    assert brier_skill(y, np.full(y.size, base), base) == pytest.approx(0.0, abs=1e-12)


def test_brier_skill_perfect_is_one_and_scalar_equals_array_reference():
    y = np.array([0, 0, 1, 0, 1, 0])
    assert brier_skill(y, y.astype(float), 0.3) == pytest.approx(1.0)
    p = np.array([0.1, 0.2, 0.6, 0.1, 0.4, 0.3])
    assert brier_skill(y, p, 1 / 3) == pytest.approx(brier_skill(y, p, np.full(6, 1 / 3)))
    assert brier_skill(y, p, 1 / 3) == pytest.approx(1 - brier(y, p) / brier(y, np.full(6, 1 / 3)))


def test_brier_skill_against_persistence_and_worse_than_reference_is_negative():
    y = np.array([0, 0, 1, 1, 1, 0, 0])
    persistence = np.r_[0.0, y[:-1]].astype(float)          # last period's state
    assert brier(y, persistence) == pytest.approx(2 / 7)
    always_wrong = 1.0 - y
    assert brier_skill(y, always_wrong, persistence) == pytest.approx(1 - 1 / (2 / 7))
    assert brier_skill(y, always_wrong, persistence) < 0


def test_brier_skill_perfect_reference_is_undefined():
    y = np.array([0, 1])
    with pytest.raises(ValueError, match="p_ref: reference forecast is perfect"):
        brier_skill(y, [0.5, 0.5], y.astype(float))


# --- log score --------------------------------------------------------------------------------

def test_log_score_known_values():
    assert log_score([1, 0], [0.8, 0.2]) == pytest.approx(-math.log(0.8))
    assert log_score([1, 0, 1, 1], np.full(4, 0.5)) == pytest.approx(math.log(2))
    assert log_score([1, 0], [0.25, 0.5]) == pytest.approx((math.log(4) + math.log(2)) / 2)


def test_log_score_clips_confident_misses():
    assert log_score([1], [0.0]) == pytest.approx(-math.log(1e-6))
    assert log_score([0], [1.0], eps=1e-3) == pytest.approx(-math.log(1e-3))
    assert log_score([1, 0], [1.0, 0.0]) == pytest.approx(-math.log1p(-1e-6))


def test_log_score_lower_is_better():
    y = np.array([1, 0, 0, 1])
    good, bad = np.array([0.9, 0.1, 0.2, 0.7]), np.array([0.6, 0.4, 0.5, 0.5])
    assert log_score(y, good) < log_score(y, bad)


# --- AUC --------------------------------------------------------------------------------------

def test_auc_perfect_reversed_and_ties():
    y = np.array([0, 0, 1, 1, 0, 1])
    s = np.array([0.1, 0.2, 0.8, 0.9, 0.3, 0.7])
    assert auc(y, s) == 1.0
    assert auc(y, -s) == 0.0
    assert auc(y, np.zeros(6)) == 0.5


def test_auc_counts_ties_half():
    # pairs (pos, neg): (2,1) win, (2,2) tie, (1,1) tie, (1,2) loss -> (1 + .5 + .5) / 4
    assert auc([1, 1, 0, 0], [2, 1, 1, 2]) == pytest.approx(0.5)
    assert auc([1, 0, 0], [1, 1, 0]) == pytest.approx(0.75)


def _auc_brute(y, s):
    pos = [b for a, b in zip(y, s, strict=False) if a == 1]
    neg = [b for a, b in zip(y, s, strict=False) if a == 0]
    total = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in pos for b in neg)
    return total / (len(pos) * len(neg))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(-5, 5)), min_size=2, max_size=60)
       .filter(lambda rows: 0 < sum(r[0] for r in rows) < len(rows)))
def test_auc_matches_brute_force_pair_count(rows):
    y = [r[0] for r in rows]
    s = [r[1] for r in rows]                                 # small integers: many ties
    assert auc(y, s) == pytest.approx(_auc_brute(y, s), abs=1e-12)


def test_auc_matches_brute_force_on_continuous_random_data():
    rng = np.random.default_rng(5)
    y = (rng.random(300) < 0.2).astype(int)
    s = rng.normal(size=300) + y
    assert auc(y, s) == pytest.approx(_auc_brute(y, s), abs=1e-12)


def test_auc_needs_both_outcomes():
    with pytest.raises(ValueError, match="y: AUC needs both outcomes, got only 0s"):
        auc([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="score: value nan at index 1 is not finite"):
        auc([0, 1], [0.1, np.nan])


# --- calibration ------------------------------------------------------------------------------

def _draws(a, b, n=200_000, seed=11):
    rng = np.random.default_rng(seed)
    p = rng.beta(a, b, n)
    return (rng.random(n) < p).astype(int), p


def test_calibration_of_calibrated_forecasts_is_zero_one():
    y, p = _draws(2.0, 5.0)
    a, b = calibration(y, p)
    assert abs(a) < 0.1
    assert abs(b - 1.0) < 0.1


def test_calibration_of_calibrated_rare_event_forecasts_is_zero_one():
    y, p = _draws(0.6, 40.0, seed=12)                        # mean rate ~1.5%
    assert 0.005 < y.mean() < 0.03
    a, b = calibration(y, p)
    assert abs(a) < 0.1
    assert abs(b - 1.0) < 0.1


def test_calibration_slope_half_when_forecasts_are_logit_doubled():
    y, p = _draws(2.0, 5.0)
    over = expit(2.0 * logit(p))                            # overconfident
    a, b = calibration(y, over)
    assert abs(a) < 0.1
    assert abs(b - 0.5) < 0.05
    under = expit(0.5 * logit(p))                           # underconfident
    assert abs(calibration(y, under)[1] - 2.0) < 0.1


def test_calibration_intercept_detects_a_shift():
    y, p = _draws(2.0, 5.0)
    shifted = expit(logit(p) - 1.0)                          # forecasts too low by 1 logit
    a, b = calibration(y, shifted)
    assert abs(a - 1.0) < 0.1
    assert abs(b - 1.0) < 0.1


def test_calibration_clips_zero_and_one():
    y = np.array([0, 1, 0, 1, 1, 0, 0, 1])
    p = np.array([0.0, 1.0, 0.3, 0.6, 0.4, 0.7, 0.2, 0.5])
    a, b = calibration(y, p)
    assert np.isfinite(a) and np.isfinite(b)


def test_calibration_rejects_degenerate_inputs():
    with pytest.raises(ValueError, match="y: calibration needs both outcomes, got only 0s"):
        calibration([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="p: calibration needs at least two distinct forecasts"):
        calibration([0, 1, 0], [0.2, 0.2, 0.2])
    with pytest.raises(ValueError, match="no finite maximum-likelihood fit"):
        calibration([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])    # perfectly separated


# --- reliability ------------------------------------------------------------------------------

def test_wilson_known_values():
    lo, hi = wilson([0, 5, 10], [10, 10, 10])
    assert lo[0] == 0.0 and hi[2] == 1.0
    assert lo[2] == pytest.approx(1 - Z90**2 / (10 + Z90**2))
    assert hi[0] == pytest.approx(Z90**2 / (10 + Z90**2))
    # symmetric about 1/2 at k = n/2
    assert lo[1] + hi[1] == pytest.approx(1.0)
    assert hi[1] - lo[1] == pytest.approx(2 * Z90 / (1 + Z90**2 / 10) * math.sqrt(0.025 + Z90**2 / 400))


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
def test_reliability_bins_partition_observations_and_means_match(strategy):
    rng = np.random.default_rng(3)
    p = rng.beta(0.8, 30.0, 5000)
    y = (rng.random(5000) < p).astype(int)
    t = reliability(y, p, bins=10, strategy=strategy)
    assert list(t.columns) == ["bin_lo", "bin_hi", "n", "mean_p", "observed", "lo", "hi"]
    assert t["n"].sum() == len(y)
    assert (t["n"] > 0).all()
    assert (t["bin_lo"].to_numpy()[1:] >= t["bin_hi"].to_numpy()[:-1]).all()
    # recompute each bin's members from its edges: [lo, hi), the last closed
    last = len(t) - 1
    seen = np.zeros(len(y), int)
    for i, r in enumerate(t.itertuples()):
        m = (p >= r.bin_lo) & ((p < r.bin_hi) if i < last else (p <= r.bin_hi))
        seen += m
        assert m.sum() == r.n
        assert r.mean_p == pytest.approx(p[m].mean())
        assert r.observed == pytest.approx(y[m].mean())
        assert r.bin_lo <= r.mean_p <= r.bin_hi
        assert r.lo <= r.observed <= r.hi
    assert (seen == 1).all()
    assert (t["observed"] * t["n"]).sum() == pytest.approx(y.sum())
    if strategy == "quantile":
        assert t["n"].min() >= 450 and t["n"].max() <= 550
    else:
        assert np.allclose(t["bin_hi"] - t["bin_lo"], 0.1)


def test_reliability_handles_ties_and_constant_forecasts():
    y = np.array([0, 1, 0, 0, 1, 0])
    t = reliability(y, np.full(6, 0.3))
    assert len(t) == 1 and t["n"].iloc[0] == 6
    assert t["observed"].iloc[0] == pytest.approx(1 / 3)
    t = reliability(y, [0.1, 0.1, 0.1, 0.1, 0.9, 0.9], bins=5)    # tied quantile edges merge
    assert t["n"].sum() == 6
    assert t["n"].tolist() == [4, 2]


def test_reliability_uniform_leaves_out_empty_bins_and_includes_one():
    t = reliability([0, 1, 1], [0.05, 0.95, 1.0], bins=10, strategy="uniform")
    assert t["n"].tolist() == [1, 2]
    assert t["bin_hi"].iloc[-1] == 1.0


def test_reliability_rejects_bad_options():
    with pytest.raises(ValueError, match="strategy: value 'equal' is not 'quantile' or 'uniform'"):
        reliability([0, 1], [0.2, 0.8], strategy="equal")
    with pytest.raises(ValueError, match="bins: value 0 is not a positive integer"):
        reliability([0, 1], [0.2, 0.8], bins=0)


# --- reliability diagram ----------------------------------------------------------------------

def _tables(rate_scale=1.0, seed=4):
    rng = np.random.default_rng(seed)
    p = rng.beta(0.7, 60.0, 20_000) * rate_scale
    y = (rng.random(p.size) < p).astype(int)
    return {"model": reliability(y, p), "base rate": reliability(y, np.full(p.size, y.mean())),
            "overconfident": reliability(y, expit(2 * logit(np.clip(p, 1e-6, 1 - 1e-6))))}


@pytest.mark.usefixtures("needs_matplotlib")
def test_reliability_png_writes_a_png_for_rare_events(tmp_path):
    tables = _tables()
    assert scores._choose_scale(tables) == "log"
    out = reliability_png(tables, tmp_path / "sub" / "rel.png", "Onset backtest")
    data = out.read_bytes()
    assert out == tmp_path / "sub" / "rel.png"
    assert data[:8] == PNG_MAGIC
    assert len(data) > 5000


@pytest.mark.usefixtures("needs_matplotlib")
def test_reliability_png_linear_axes_for_common_events(tmp_path):
    rng = np.random.default_rng(8)
    p = rng.random(2000)
    y = (rng.random(2000) < p).astype(int)
    tables = {"uniform": reliability(y, p, strategy="uniform")}
    assert scores._choose_scale(tables) == "linear"
    path = tmp_path / "lin.png"
    reliability_png(tables, str(path), "common")
    assert path.read_bytes()[:8] == PNG_MAGIC


def test_reliability_png_rejects_bad_tables(tmp_path):
    with pytest.raises(ValueError, match="tables: empty"):
        reliability_png({}, tmp_path / "x.png", "t")
    with pytest.raises(ValueError, match=r"tables\['a'\]: missing columns \['lo', 'hi'\]"):
        reliability_png({"a": pd.DataFrame({"n": [1], "mean_p": [0.1], "observed": [0.0]})},
                        tmp_path / "x.png", "t")
    with pytest.raises(ValueError, match="scale: value 'sqrt'"):
        reliability_png(_tables(), tmp_path / "x.png", "t", scale="sqrt")


def test_reliability_png_without_matplotlib_asks_for_the_plots_extra(tmp_path, monkeypatch):
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)      # import matplotlib -> ImportError
    with pytest.raises(InputError, match=r"matplotlib.*is not installed.*\.\[plots\]"):
        reliability_png(_tables(), tmp_path / "x.png", "t")
    assert not (tmp_path / "x.png").exists()


def test_importing_scores_does_not_import_matplotlib():
    code = ("import sys, umbrella.calibrate.scores, umbrella.calibrate; "
            "sys.exit(1 if any(m.split('.')[0] == 'matplotlib' for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# --- bad inputs -------------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [brier, log_score, calibration,
                                lambda y, p: reliability(y, p),
                                lambda y, p: brier_skill(y, p, 0.5)])
def test_bad_inputs_raise_with_precise_messages(fn):
    with pytest.raises(ValueError, match=r"y and p: lengths differ \(3 vs 2\)"):
        fn([0, 1, 0], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"p: value 1\.5 at index 1 is outside \[0, 1\]"):
        fn([0, 1], [0.2, 1.5])
    with pytest.raises(ValueError, match=r"p: value -0\.1 at index 0 is outside \[0, 1\]"):
        fn([0, 1], [-0.1, 0.5])
    with pytest.raises(ValueError, match=r"p: value nan at index 0 is outside \[0, 1\]"):
        fn([0, 1], [np.nan, 0.5])
    with pytest.raises(ValueError, match=r"y: value 2 at index 2 is not 0 or 1"):
        fn([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"y: empty input"):
        fn([], [])
    with pytest.raises(ValueError, match=r"y: expected a 1-D array, got shape \(2, 2\)"):
        fn([[0, 1], [1, 0]], [0.1, 0.2])


def test_bad_reference_and_score_inputs():
    with pytest.raises(ValueError, match=r"p_ref: value 1\.2 is outside \[0, 1\]"):
        brier_skill([0, 1], [0.2, 0.8], 1.2)
    with pytest.raises(ValueError, match=r"y and p_ref: lengths differ \(2 vs 3\)"):
        brier_skill([0, 1], [0.2, 0.8], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"y and score: lengths differ \(2 vs 1\)"):
        auc([0, 1], [0.3])
    with pytest.raises(ValueError, match=r"y: value 0\.5 at index 0 is not 0 or 1"):
        auc([0.5, 1], [0.3, 0.4])
    with pytest.raises(ValueError, match=r"score: empty input"):
        auc([0], [])
    with pytest.raises(ValueError, match=r"eps: value 0\.7 is outside \(0, 0\.5\)"):
        log_score([0, 1], [0.2, 0.8], eps=0.7)
    with pytest.raises(ValueError, match=r"p: expected numbers, got dtype"):
        brier([0, 1], ["a", "b"])

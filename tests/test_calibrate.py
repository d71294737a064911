"""Estimation code against a published table: Jo & Gartzke (2007) Model 1 (VALIDATION H1-H2),
and the probit estimator against data with known coefficients."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from umbrella.calibrate import jg
from umbrella.calibrate.binary import fit_probit
from umbrella.interfaces.cli import app

H1_TERMS = ("latent_capability", "conventional_threat", "nuclear_threat", "nuclear_defender", "npt",
            "major_power", "regional_power")


@pytest.fixture(scope="module")
def comparison():
    return jg.compare()


@pytest.mark.validation
def test_sample_is_the_published_n(comparison):
    assert comparison.fit.n == 4697


@pytest.mark.validation
def test_h1_each_coefficient_within_one_published_se(comparison):
    for term in H1_TERMS:
        row = comparison.table[term]
        assert abs(row["estimated"] - row["published"]) <= row["se_published"], term
    # every other term too (literature §1.2 reports the same)
    assert all(abs(r["z"]) <= 1.0 for r in comparison.table.values())


@pytest.mark.validation
def test_h1_pseudo_r2(comparison):
    published, estimated = comparison.pseudo_r2
    assert published == pytest.approx(0.824)
    assert estimated == pytest.approx(published, abs=0.02)


@pytest.mark.validation
def test_clustered_standard_errors_are_of_the_published_size(comparison):
    ratio = [r["se_estimated"] / r["se_published"] for r in comparison.table.values()]
    assert 0.6 < min(ratio) and max(ratio) < 1.7


@pytest.mark.validation
def test_h2_recycled_predictions(comparison):
    df = jg.panel()
    f = comparison.fit
    mean, top = df["nuk7set1"].mean(), df["nuk7set1"].max()
    assert jg.recycled(f, df, "latent_capability", mean) == pytest.approx(0.046, abs=0.03)
    assert jg.recycled(f, df, "latent_capability", top) == pytest.approx(0.188, abs=0.03)
    effect = jg.recycled(f, df, "nuclear_defender", 1) - jg.recycled(f, df, "nuclear_defender", 0)
    assert -0.03 <= effect <= 0.02  # a nuclear ally barely moves programme presence


def test_count1_counts_earlier_programme_free_years():
    import pandas as pd
    df = pd.DataFrame({"ccode1": [2, 2, 2, 2, 2, 365, 365], "year": [1950, 1951, 1952, 1953, 1954, 1950, 1951],
                       "nuk_a_p": [0, 0, 1, 0, 0, 1, 1]})
    assert list(jg.count1(df.iloc[::-1].reset_index(drop=True))[::-1]) == [0, 1, 2, 0, 1, 0, 0]


def test_probit_recovers_known_coefficients():
    rng = np.random.default_rng(3)
    n = 20_000
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    beta = np.array([-1.0, 0.8, -0.5])
    y = (X @ beta + rng.normal(size=n) > 0).astype(float)
    fit = fit_probit(y, X, ("c", "x", "d"))
    assert np.all(np.abs(fit.coef - beta) < 4 * fit.se)
    assert fit.se.max() < 0.05 and 0 < fit.pseudo_r2 < 1


def test_probit_rejects_bad_input():
    with pytest.raises(ValueError, match="0 or 1"):
        fit_probit(np.array([0, 2.0]), np.ones((2, 1)), ("c",))


def test_calibrate_cli_json_contract():
    r = CliRunner().invoke(app, ["calibrate", "--json", "-"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    for term in H1_TERMS:
        assert set(d["jg_model1"][term]) >= {"published", "estimated", "se_published"}
    assert 0 < d["jg_pseudo_r2"] < 1 and d["jg_n"] == 4697


# --- onset hazards: the re-analysis of literature §1.4 (VALIDATION H3, H7-H9) -------------

@pytest.fixture(scope="module")
def onset_models():
    from umbrella.calibrate import onsets
    return onsets.compare()


@pytest.mark.validation
def test_h3_crude_onset_rates(onset_models):
    assert onset_models["explore"]["crude_rate"]["estimated"] == pytest.approx(0.0060, abs=0.0005)
    assert onset_models["pursue"]["crude_rate"]["estimated"] == pytest.approx(0.0032, abs=0.0005)


@pytest.mark.validation
def test_risk_sets_match_the_reanalysis(onset_models):
    for stage in ("explore", "pursue"):
        m = onset_models[stage]
        assert m["events"]["estimated"] == m["events"]["reference"]
        assert abs(m["at_risk"]["estimated"] - m["at_risk"]["reference"]) <= 5


@pytest.mark.validation
def test_h7_h8_h9_odds_ratios(onset_models):
    e, p = onset_models["explore"]["odds_ratios"], onset_models["pursue"]["odds_ratios"]
    assert 0.25 <= e["nuclear_pact"]["estimated"] <= 0.75 and 0.2 <= p["nuclear_pact"]["estimated"] <= 1.0
    assert 3 <= e["rival_programme"]["estimated"] <= 8 and 0.7 <= p["rival_programme"]["estimated"] <= 1.6
    assert 0.15 <= e["npt"]["estimated"] <= 0.45 and 0.15 <= p["npt"]["estimated"] <= 0.45
    # and every reported odds ratio within 5 % of the re-analysis it reproduces
    for stage in (e, p):
        for term, v in stage.items():
            assert v["estimated"] == pytest.approx(v["reference"], rel=0.05), term


@pytest.mark.validation
def test_onset_models_discriminate(onset_models):
    for stage in ("explore", "pursue"):
        assert onset_models[stage]["auc"]["estimated"] == pytest.approx(0.89, abs=0.02)


def test_auc_is_the_mann_whitney_statistic():
    from umbrella.calibrate.onsets import auc
    assert auc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]) == 1.0
    assert auc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4]) == 0.0
    assert auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5


def test_cloglog_recovers_known_coefficients():
    from umbrella.calibrate.binary import fit_cloglog
    rng = np.random.default_rng(2)
    n = 200_000
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    beta = np.array([-4.0, 0.7, -0.8])
    y = (rng.random(n) < -np.expm1(-np.exp(X @ beta))).astype(float)
    fit = fit_cloglog(y, X, ("constant", "x", "d"))
    assert np.all(np.abs(fit.coef - beta) < 4 * fit.se)
    assert np.allclose(fit.predict(X[:3]), -np.expm1(-np.exp(X[:3] @ fit.coef)))

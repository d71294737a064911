"""The proliferation backbone: shipped tables regenerate from the panel, the world takes its
values from them, per-run draws follow the estimated covariance, and the engine's structural
terms average zero under historical conditions (literature §8.1, issue 3 item 4)."""

import numpy as np
import pandas as pd
import pytest

from umbrella.calibrate import backbone as bb
from umbrella.engine import layout as L
from umbrella.engine import params, proliferation
from umbrella.errors import InputError
from umbrella.scenario import load_world

W = load_world("consensus")


@pytest.fixture(scope="module")
def fit():
    return bb.fit(bb.history_panel())


def test_shipped_tables_are_the_fit_of_the_shipped_panel(fit):
    coef, cov = bb.shipped()
    t = fit.table()
    assert list(coef["transition"] + "." + coef["term"]) == list(t["transition"] + "." + t["term"])
    np.testing.assert_allclose(coef["coef"], t["coef"], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(coef["se"], t["se"], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(cov["cov"], fit.covariance()["cov"], rtol=1e-6, atol=1e-10)


def test_write_regenerates_identical_files(fit, tmp_path):
    bb.write(fit, tmp_path)
    from umbrella.data.load import TABLES_DIR
    for name in ("backbone.csv", "backbone_cov.csv"):
        assert (tmp_path / name).read_text() == (TABLES_DIR / name).read_text()


def test_risk_sets_and_events(fit):
    # Bleek's 31 explorers less the 7 major powers, some with two spells; 1939-2017
    assert fit.years == (1939, 2017)
    assert fit.events["explore"] == 28 and fit.events["pursue"] == 15
    df = bb.history_panel()
    assert (bb.risk_set(df, "explore")["majpow"] == 0).all()


@pytest.mark.validation
def test_signs_match_the_literature(fit):
    e = fit.fits["explore"].as_dict()
    assert e["latency"][0] > 0 and e["npt"][0] < 0 and e["umbrella"][0] < 0 and e["rival"][0] > 0
    # odds-ratio scale of the re-analysis (literature §1.4): pact 0.4, NPT 0.2-0.3, latency 1.6
    assert 0.2 < np.exp(e["umbrella"][0]) < 0.6
    assert 0.08 < np.exp(e["npt"][0]) < 0.35
    assert 1.3 < np.exp(e["latency"][0]) < 2.0


def test_world_takes_backbone_values_from_the_table():
    coef, _ = bb.shipped()
    for r in coef.itertuples():
        p = W.parameters[f"prolif.{r.transition}.{r.term}"]
        assert p.dist == "backbone"
        assert p.value == pytest.approx(r.coef)
        assert p.range == pytest.approx((r.coef - 2 * r.se, r.coef + 2 * r.se))


def test_a_world_cannot_restate_a_backbone_value(tmp_path):
    f = tmp_path / "w.yaml"
    f.write_text("id: w\ntitle: w\nextends: consensus\nparameters:\n"
                 "  prolif.explore.latency: {dist: backbone, value: 0.9, range: [0, 1], source: 'my own guess'}\n")
    with pytest.raises(InputError, match="backbone"):
        load_world(f)


def test_per_run_draws_follow_the_estimated_covariance():
    n = 40_000
    P = params.sample(W, {}, 11, 0, n)
    names, cov = bb.covariance_block("explore")
    cols = [params.INDEX[f"prolif.explore.{t}"] for t in names]
    mean = np.array([bb.estimate(f"prolif.explore.{t}")[0] for t in names])
    se = np.sqrt(np.diag(cov))
    assert np.all(np.abs(P[:, cols].mean(axis=0) - mean) < 5 * se / np.sqrt(n))
    emp = np.cov(P[:, cols], rowvar=False)
    np.testing.assert_allclose(np.sqrt(np.diag(emp)), se, rtol=0.03)
    corr = emp / np.outer(np.sqrt(np.diag(emp)), np.sqrt(np.diag(emp)))
    true = cov / np.outer(se, se)
    assert np.abs(corr - true).max() < 0.03


def test_draws_do_not_depend_on_the_batch():
    a = params.sample(W, {}, 3, 0, 1000)
    b = params.sample(W, {}, 3, 600, 400)
    np.testing.assert_array_equal(a[600:], b)


def test_backtest_backbone_override_changes_only_the_backbone(fit):
    early = bb.fit(bb.history_panel(), through=1975)
    a = params.sample(W, {}, 3, 0, 50)
    b = params.sample(W, {}, 3, 0, 50, backbone=early)
    changed = np.flatnonzero(np.any(a != b, axis=0))
    assert changed.size and all(params.PARAMS[k].startswith("prolif.") for k in changed)


def _engine_terms_on(d: pd.DataFrame, stage: str, P: np.ndarray):
    """The engine's `terms` evaluated on panel rows as if each row were an actor in a run."""
    n = len(d) + 1                       # + a placeholder rival with a programme
    xf = np.zeros((1, n, L.N_XF))
    xi = np.zeros((1, n, L.N_XI), np.int64)
    D = np.zeros((n, L.N_D))
    G = -np.ones((n, L.N_G, 1), np.int64)
    scr = np.zeros((n, L.N_B))
    scr[n - 1, L.B_STATUS0] = L.PURSUE
    sf = np.zeros((1, L.N_SF))
    si = np.zeros((1, L.N_SI), np.int64)
    sf[0, L.SF_NPT] = P[0, params.INDEX["npt.ref"]]
    D[:-1, L.D_LATENCY] = d["nuk7set1"]
    D[:-1, L.D_REGIONAL] = d["regpowt"]
    D[:-1, L.D_US_CLIENT] = d["nuke_a_d"]          # no US acceptance of any deterrent in history
    xf[0, :-1, L.XF_THREAT] = d["ln_ri_t"]
    xf[0, :-1, L.XF_UMBRELLA] = d["nuke_a_d"] * P[0, params.INDEX["prolif.cred_ref"]]
    xf[0, :-1, L.XF_CASCADE] = d["exposure"]
    xi[0, :-1, L.XI_NPT] = d["npt_rati"].astype(int)
    G[:-1, L.G_RIV, 0] = np.where(d["r_nukep"] > 0, n - 1, -1)
    idx, ck, sanc = ((proliferation.P_E, params.INDEX["prolif.cascade.explore"], False) if stage == "explore"
                     else (proliferation.P_P, params.INDEX["prolif.cascade.pursue"], True))
    out = np.zeros((len(d), L.N_TERMS))
    tv = np.zeros(L.N_TERMS)
    for a in range(len(d)):
        proliferation.terms(0, a, idx, ck, sanc, xf, xi, sf, si, P, D, G, scr, tv)
        out[a] = tv
    return out


@pytest.mark.parametrize("stage", ["explore", "pursue"])
def test_structural_terms_average_zero_on_history(stage):
    """Anchoring (literature §8.1): on the panel's risk set, with historical conditions (pacts at
    the reference credibility, no US acceptance of an ally's deterrent, no polls, regime at its
    reference strength), the engine's backbone terms are the fitted linear predictor and the
    cascade, sanctions and opinion terms average zero, so the backbone's fit survives."""
    df = bb.history_panel()
    df = df.assign(exposure=bb.exposure(df))
    d = bb.risk_set(df, stage)
    P = params.sample(W, {}, 1, 0, 1)
    for name in W.parameters:          # the point estimates, not a draw
        P[0, params.INDEX[name]] = W.parameters[name].value
    T = _engine_terms_on(d, stage, P)
    f = bb.shipped()[0]
    beta = f[f.transition == stage].set_index("term")["coef"]
    X = {"base": 1.0, "latency": d["nuk7set1"], "threat": d["ln_ri_t"], "rival": d["r_nukep"],
         "umbrella": d["nuke_a_d"], "npt": d["npt_rati"], "regional": d["regpowt"]}
    eta = sum(beta[k] * np.asarray(v, float) for k, v in X.items())
    backbone_sum = T[:, [L.T_BASE, L.T_LATENCY, L.T_THREAT, L.T_RIVAL, L.T_UMBRELLA, L.T_NPT, L.T_STATUS]].sum(axis=1)
    np.testing.assert_allclose(backbone_sum, eta, atol=1e-9)
    assert abs(T[:, L.T_CASCADE].mean()) < 1e-9
    assert np.all(T[:, L.T_SANCTIONS] == 0) and np.all(T[:, L.T_OPINION] == 0)
    assert np.all(T[:, L.T_RED_LINE] == 0)

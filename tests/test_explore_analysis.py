"""Known-answer and contract tests of the exploration analyses (sensitivity, PRIM, robustness, signposts,
search) and their figures. Fast: small designs, analytic test functions."""

import numpy as np
import pandas as pd
import pytest

from umbrella.analysis.discovery import PrimResult, prim
from umbrella.analysis.robust import robustness
from umbrella.analysis.search import search
from umbrella.analysis.sensitivity import morris, sobol
from umbrella.analysis.signposts import signposts
from umbrella.errors import InputError

ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}


def ishigami(X, a=7.0, b=0.1):
    """The Ishigami function (Saltelli et al. 2008): known Sobol' indices."""
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


# ---------------------------------------------------------------- sensitivity


@pytest.fixture(scope="module")
def ishigami_sobol():
    from SALib.sample import sobol as sobol_sample

    X = sobol_sample.sample(ISHIGAMI, 1024, calc_second_order=False, seed=1)
    Y = pd.DataFrame({"ishigami": ishigami(X), "flat": np.full(len(X), 3.0)})
    return X, Y, sobol(ISHIGAMI, Y, seed=0)


def test_sobol_ishigami_known_indices(ishigami_sobol):
    _, _, df = ishigami_sobol
    ish = df[df["outcome"] == "ishigami"].set_index("parameter")
    # analytic values for a = 7, b = 0.1 (Saltelli et al. 2008)
    for name, s1, st in [("x1", 0.314, 0.558), ("x2", 0.442, 0.442), ("x3", 0.0, 0.244)]:
        assert ish.loc[name, "S1"] == pytest.approx(s1, abs=0.05)
        assert ish.loc[name, "ST"] == pytest.approx(st, abs=0.05)
    assert ish.loc["x1", "rank"] == 1
    assert list(df.columns) == ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf", "rank", "note"]
    assert (ish["S1_conf"] > 0).all()


def test_sobol_constant_outcome_is_zero_and_deterministic(ishigami_sobol):
    _, Y, df = ishigami_sobol
    flat = df[df["outcome"] == "flat"]
    assert (flat[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy() == 0).all()
    assert set(flat["note"]) == {"constant"}
    assert not df.isna().any().any()
    # seed 0 is a real seed (SALib treats seed=0 as "no seed"; we pass a Generator)
    pd.testing.assert_frame_equal(df, sobol(ISHIGAMI, Y, seed=0))


def test_sobol_rejects_bad_inputs(ishigami_sobol):
    _, Y, _ = ishigami_sobol
    with pytest.raises(InputError, match=r"^Y: '5119 rows'.*multiple of 5"):
        sobol(ISHIGAMI, Y.iloc[:-1])
    bad = Y.copy()
    bad.loc[3, "ishigami"] = np.nan
    with pytest.raises(InputError, match=r"Y\[ishigami\]"):
        sobol(ISHIGAMI, bad)
    with pytest.raises(InputError, match="problem.bounds"):
        sobol({**ISHIGAMI, "bounds": [[1, 0]] * 3}, Y)
    with pytest.raises(InputError, match="problem.names"):
        sobol({**ISHIGAMI, "names": ["x1", "x1", "x3"]}, Y)
    with pytest.raises(InputError, match="^Y:.*empty"):
        sobol(ISHIGAMI, Y.iloc[:0])


def test_morris_ishigami_effects():
    from SALib.sample import morris as morris_sample

    X = morris_sample.sample(ISHIGAMI, 100, num_levels=4, seed=2)
    df = morris(ISHIGAMI, X, pd.DataFrame({"ishigami": ishigami(X)}), num_levels=4, seed=0)
    m = df.set_index("parameter")
    # x1 acts monotonically (mu close to mu*), x2 in both directions (|mu| << mu*),
    # x3 only through its interaction with x1 (no mean effect, a large spread)
    assert m.loc["x1", "mu"] > 0.9 * m.loc["x1", "mu_star"]
    assert abs(m.loc["x2", "mu"]) < 0.25 * m.loc["x2", "mu_star"]
    assert m.loc["x3", "sigma"] > 4 * abs(m.loc["x3", "mu"])
    assert m.loc["x3", "sigma"] > m.loc["x3", "mu_star"]
    assert sorted(df["rank"]) == [1, 2, 3]
    with pytest.raises(InputError, match="^X:"):
        morris(ISHIGAMI, X[:-1], pd.DataFrame({"y": ishigami(X[:-1])}))


# ---------------------------------------------------------------- PRIM


@pytest.fixture(scope="module")
def design():
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.uniform(size=(2000, 4)), columns=["x1", "x2", "x3", "x4"])
    X["world"] = rng.choice(["a", "b", "c", "d"], size=len(X))  # object dtype: made categorical
    return X


def test_prim_recovers_planted_box(design):
    y = ((design["x1"] > 0.6) & (design["x2"] < 0.3)).to_numpy()
    r = prim(design, y, threshold=0.8, pick="last")
    assert isinstance(r, PrimResult)
    lim = r.limits.set_index("parameter")
    assert set(lim.index) == {"x1", "x2"}
    assert lim.loc["x1", "low"] == pytest.approx(0.6, abs=0.05)
    assert lim.loc["x1", "side"] == "low"
    assert lim.loc["x2", "high"] == pytest.approx(0.3, abs=0.05)
    assert lim.loc["x2", "side"] == "high"
    assert r.density >= 0.8 and r.coverage >= 0.8 and r.meets_threshold
    assert (lim["qp"] < 1e-6).all()
    assert r.trajectory.loc[r.chosen, "density"] == r.density
    assert list(r.trajectory.columns[:5]) == ["box", "coverage", "density", "mass", "res_dim"]


def test_prim_default_box_has_the_highest_coverage_that_is_dense_enough(design):
    """On a noisy outcome the first dense-enough box keeps the planted dimensions; the last one
    buys density with restrictions whose quasi-p-values say they are noise."""
    rng = np.random.default_rng(5)
    y = ((design["x1"] > 0.6) & (design["x2"] < 0.3)).to_numpy() ^ (rng.uniform(size=len(design)) < 0.05)
    first, last = prim(design, y, threshold=0.7), prim(design, y, threshold=0.7, pick="last")
    assert first.meets_threshold and first.coverage >= last.coverage and first.density >= 0.7
    assert {"x1", "x2"} <= set(first.limits["parameter"])
    assert len(first.limits) <= len(last.limits)
    with pytest.raises(InputError, match="pick"):
        prim(design, y, pick="best")


def test_prim_recovers_categorical_box(design):
    y = (design["world"].isin(["a", "b"]) & (design["x3"] > 0.4)).to_numpy()
    r = prim(design, y, pick="last")
    lim = r.limits.set_index("parameter")
    assert set(lim.index) == {"world", "x3"}
    assert lim.loc["world", "values"] == ["a", "b"]
    assert lim.loc["world", "kind"] == "categorical"
    assert lim.loc["x3", "low"] == pytest.approx(0.4, abs=0.05)
    assert r.density >= 0.8 and r.coverage >= 0.8


def test_prim_rejects_degenerate_y(design):
    with pytest.raises(InputError, match="^y:.*no case of interest"):
        prim(design, np.zeros(len(design), bool))
    with pytest.raises(InputError, match="^y:.*every case"):
        prim(design, np.ones(len(design), bool))
    with pytest.raises(InputError, match="^y:"):
        prim(design, np.zeros(5, bool))


# ---------------------------------------------------------------- robustness


def _table():
    """Three policies on 4 points in 2 worlds; A is best everywhere, C beats B in w2 only."""
    rows = []
    for w in ("w1", "w2"):
        for pt in range(4):
            for p, base in (("A", 0.0), ("B", 1.0), ("C", 2.0 if w == "w1" else 0.5)):
                rows.append({"policy": p, "point": pt, "world": w, "cost": base + pt, "cred": 1 - base / 4})
    return pd.DataFrame(rows)


def test_robustness_dominant_policy():
    r = robustness(_table(), {"cost": "min", "cred": "max"}, thresholds={"cost": 2.5})
    a = r.stats[r.stats["policy"] == "A"]
    assert (a["max_regret"] == 0).all() and (a["mean_regret"] == 0).all()
    b = r.stats.set_index(["policy", "outcome"])
    assert b.loc[("B", "cost"), "max_regret"] == 1.0
    assert b.loc[("C", "cred"), "max_regret"] == 0.5
    assert b.loc[("A", "cost"), "mean"] == 1.5
    rank = r.ranking.set_index("policy")
    assert rank.loc["A", "rank"] == 1 and bool(rank.loc["A", "holds_in_every_world"])
    assert not rank.loc[["B", "C"], "holds_in_every_world"].any()
    concl = r.conclusions
    assert set(zip(concl["outcome"], concl["better"], concl["worse"], strict=True)) == {
        ("cost", "A", "B"), ("cost", "A", "C"), ("cred", "A", "B"), ("cred", "A", "C")}
    assert (concl["worlds"] == 2).all()


def test_robustness_satisficing_by_hand():
    # costs per point 0..3 (+ base): A 0,1,2,3; B 1,2,3,4; C 2,3,4,5 (w1) and .5,1.5,2.5,3.5 (w2)
    sat = robustness(_table(), {"cost": "min"}, thresholds={"cost": 2.5}).satisficing.set_index("policy")
    assert sat.loc["A", "share"] == 6 / 8 and sat.loc["B", "share"] == 4 / 8
    assert sat.loc["C", "share.w1"] == 1 / 4 and sat.loc["C", "share.w2"] == 3 / 4
    assert sat.loc["C", "min_world_share"] == 1 / 4
    assert sat.loc["C", "meets.cost"] == 4 / 8


def test_robustness_rejects_bad_inputs():
    t = _table()
    with pytest.raises(InputError, match="^table:.*same \\(point, world\\) keys"):
        robustness(t.iloc[1:], {"cost": "min"})
    with pytest.raises(InputError, match="^outcomes: 'nope'"):
        robustness(t, {"nope": "min"})
    with pytest.raises(InputError, match="^thresholds: 'cred'"):
        robustness(t, {"cost": "min"}, thresholds={"cred": 0.5})
    with pytest.raises(InputError, match="^outcomes.cost"):
        robustness(t, {"cost": "lowest"})


# ---------------------------------------------------------------- signposts


def test_signposts_rank_information():
    rng = np.random.default_rng(0)
    n = 2000
    a = rng.uniform(size=n)
    happened = a > np.quantile(a, 0.6)  # aligned with a quantile-bin edge: a settles the outcome
    obs = pd.DataFrame({"noise": rng.normal(size=n), "signal": a, "blurred": a + rng.normal(0, 0.3, n)})
    obs.loc[:99, "blurred"] = np.nan
    df = signposts(obs, happened, bins=5)
    assert list(df["observable"]) == ["signal", "blurred", "noise"]
    top = df.iloc[0]
    assert top["ig_share"] == pytest.approx(1.0, abs=1e-9)
    assert top["p_low"] == 0.0 and top["p_high"] == 1.0
    assert df.set_index("observable").loc["noise", "ig"] < 0.01
    assert df.set_index("observable").loc["blurred", "missing"] == 100
    with pytest.raises(InputError, match="^happened:.*no variation"):
        signposts(obs, np.zeros(n, bool))


# ---------------------------------------------------------------- search

LEVERS = [{"name": "x", "kind": "real", "low": -2.0, "high": 4.0},
          {"name": "penalty", "kind": "choice", "values": [False, True]}]


def _schaffer(calls):
    """Schaffer's problem (Pareto set x in [0, 2]) plus a choice that only makes things worse."""
    def evaluate(policies):
        calls.append(len(policies))
        x = np.array([p["x"] for p in policies])
        c = np.array([1.0 if p["penalty"] else 0.0 for p in policies])
        return np.c_[x**2 + c, -((x - 2) ** 2) - c]  # f1 to minimise, f2 to maximise
    return evaluate


def test_search_finds_nondominated_front():
    calls = []
    df = search(_schaffer(calls), LEVERS, objectives=["f1", "f2"], directions=["min", "max"], pop_size=16,
                n_gen=6, seed=1)
    assert calls == [16] * 6
    assert list(df.columns) == ["x", "penalty", "f1", "f2", "generation"]
    assert not df["penalty"].any()
    assert df["x"].between(-0.1, 2.1).all()
    F = np.c_[df["f1"], -df["f2"]]
    for i in range(len(F)):
        dominated = np.all(F <= F[i], axis=1) & np.any(F < F[i], axis=1)
        assert not dominated.any()
    again = search(_schaffer([]), LEVERS, objectives=["f1", "f2"], directions=["min", "max"], pop_size=16,
                   n_gen=6, seed=1)
    pd.testing.assert_frame_equal(df, again)


def test_search_rejects_bad_inputs():
    with pytest.raises(InputError, match=r"^levers\[1\].kind"):
        search(_schaffer([]), [LEVERS[0], {"name": "y", "kind": "int"}], objectives=["f1", "f2"],
               directions=["min", "max"])
    with pytest.raises(InputError, match="^directions"):
        search(_schaffer([]), LEVERS, objectives=["f1", "f2"], directions=["min"])
    with pytest.raises(InputError, match="^evaluate:.*shape"):
        search(lambda pols: np.zeros((len(pols), 3)), LEVERS, objectives=["f1", "f2"], directions=["min", "max"])


# ---------------------------------------------------------------- figures


def test_figures_write_pngs(tmp_path, needs_matplotlib, ishigami_sobol, design):
    from umbrella.interfaces import explore_figures as figs

    _, _, sob = ishigami_sobol
    mor = sob.rename(columns={"ST": "mu_star", "S1": "sigma"})
    y = ((design["x1"] > 0.6) & (design["x2"] < 0.3)).to_numpy()
    ranking = robustness(_table(), {"cost": "min"}, thresholds={"cost": 2.5}).ranking
    paths = [figs.sobol_bars(sob, "ishigami", tmp_path / "sobol.png"),
             figs.morris_plot(mor, "ishigami", tmp_path / "morris.png"),
             figs.prim_trajectory(prim(design, y), tmp_path / "prim.png"),
             figs.policy_ranking(ranking, tmp_path / "ranking.png")]
    for p in paths:
        assert p.is_file() and p.stat().st_size > 1000
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InputError, match="^outcome: 'nope'"):
        figs.sobol_bars(sob, "nope", tmp_path / "x.png")

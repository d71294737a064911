"""The crisis layer inside the annual model (engine/crises.py; issue 5 items 1, 5, 6; A9).

Each test compares runs on common random numbers: two scenarios with the same seed share every
draw, so a per-run difference is caused by the scenario difference alone."""

from __future__ import annotations

import numpy as np
import pytest

from umbrella.crisis.ladder import D_CONCEDES
from umbrella.engine import layout as L
from umbrella.engine.run import simulate
from umbrella.results.summary import summarise
from umbrella.scenario import load_scenario, load_world

WORLD = load_world("consensus")


def run(overrides=(), runs=400, horizon=2035, preset="status-quo-2025", **kw):
    sc = load_scenario(preset, overrides=list(overrides), fields={"runs": runs, "horizon": horizon})
    return simulate(sc, WORLD, **kw)


def pair(res, client):
    return res.inputs.pairs.index(("USA", client))


def test_theatres_and_onset_rates():
    """Onsets follow crisis.<theatre>.onset * exp(-beta (logit C - logit C0)) with C the local
    defender's credibility that year: the realised share equals the expected one within 4 s.e.
    (The allies' programmes are left out here: their term is tested below.)"""
    res = run([f"uncertain.crisis.{th}.programme_onset={{dist: fixed, value: 0}}"
               for th in ("korea", "taiwan", "east-china-sea", "europe")], runs=2000, horizon=2050)
    assert res.theatres == ("korea", "taiwan", "east-china-sea", "europe")
    beta = 0.5
    lo = lambda x: np.log(x / (1 - x))  # noqa: E731
    for k, (p0, ally) in enumerate(((0.12, "KOR"), (0.055, "TWN"), (0.04, "JPN"), (0.065, "POL"))):
        j = pair(res, ally)
        c = res.credibility[:, :, j].astype(float)
        rate = p0 * np.exp(-beta * (lo(c) - lo(res.inputs.pf0[j, L.PF_CRED])))
        got = (res.crisis_rung[:, :, k] > 0).mean()
        se = np.sqrt((rate * (1 - rate)).sum()) / rate.size
        assert abs(got - rate.mean()) < 4 * se, (res.theatres[k], got, rate.mean())
    # lower credibility, more challenges: the US abandonment preset has more Korean crises
    ab = run(runs=2000, horizon=2050, preset="us-abandonment")
    assert (ab.crisis_rung[:, :, 0] > 0).mean() > (res.crisis_rung[:, :, 0] > 0).mean()


def test_batch_size_does_not_change_crises():
    a = run(runs=300)
    b = run(runs=300, batch_size=77)
    for f in ("crisis_rung", "crisis_end", "crisis_first_user", "credibility", "reached", "ev_kind",
              "ev_actor", "ev_year", "ev_terms", "ev_n"):
        assert np.array_equal(getattr(a, f), getattr(b, f)), f


def test_year_split_kernel_matches_single_call_until_the_war():
    """With onsets off the kernel runs all years in one call; a war shock in the last year makes
    it run year by year. Everything before the war's feedback must be identical."""
    off = run(["levers.crisis_onsets=false"])
    sc = load_scenario("status-quo-2025", overrides=["levers.crisis_onsets=false"],
                       fields={"runs": 400, "horizon": 2035})
    sc_war = sc.model_copy(update={"shocks": [*sc.shocks, _war(2035, "korea")]})
    war = simulate(sc_war, WORLD)
    assert off.theatres == () and war.theatres
    for f in ("status", "reached", "warheads", "credibility", "npt_strength", "opinion", "posture"):
        assert np.array_equal(getattr(off, f), getattr(war, f), equal_nan=True), f
    assert (war.crisis_rung[:, -1, war.theatres.index("korea")] >= 4).all()


def _war(year, theatre, kind="war"):
    from umbrella.scenario.schema import CrisisShock
    return CrisisShock(year=year, type=kind, theatre=theatre)


def test_crisis_conduct_is_next_years_signal_for_every_client():
    """A forced Korean war in 2027: where the US backed down, every US client's credibility in
    2028 is lower than without the war (same random numbers); where it stood firm, higher; the
    ROK (local) moves more than Japan (spillover)."""
    sc = load_scenario("status-quo-2025", overrides=["levers.crisis_onsets=false"],
                       fields={"runs": 600, "horizon": 2029})
    base = simulate(sc, WORLD)
    war = simulate(sc.model_copy(update={"shocks": [*sc.shocks, _war(2027, "korea")]}), WORLD)
    t = 2027 - 2025
    end = war.crisis_end[:, t, war.theatres.index("korea")]
    assert (end == D_CONCEDES).any() and (end != D_CONCEDES).any()
    for c in ("KOR", "JPN", "TWN"):
        p = pair(base, c)
        assert np.array_equal(base.credibility[:, t, p], war.credibility[:, t, p])  # not yet heard
        d = war.credibility[:, t + 1, p].astype(float) - base.credibility[:, t + 1, p]
        assert (d[end == D_CONCEDES] < 0).all(), c
        assert (d[end != D_CONCEDES] > 0).all(), c   # a war is fought: rung >= 4 counts as firm
    lo = lambda x: np.log(x / (1 - x))  # noqa: E731
    dlo = {c: np.abs(lo(war.credibility[:, t + 1, pair(war, c)].astype(float))
                     - lo(base.credibility[:, t + 1, pair(base, c)].astype(float))) for c in ("KOR", "JPN")}
    # in log-odds the ROK hears the whole signal, Japan cred.spillover (0.3) of it
    assert np.median(dlo["KOR"]) > 2 * np.median(dlo["JPN"])


def test_crisis_events_are_logged():
    res = run(runs=300, horizon=2050)
    ok = res.ev_n <= L.MAX_EVENTS
    assert ok.mean() > 0.99      # the log's capacity holds nearly every run's history
    kinds = [res.ev_kind[r, :res.ev_n[r]] for r in np.nonzero(ok)[0]]
    n_crisis = sum(int((k == L.EV_CRISIS).sum()) for k in kinds)
    n_war = sum(int((k == L.EV_WAR).sum()) for k in kinds)
    n_use = sum(int((k == L.EV_NUCLEAR_USE).sum()) for k in kinds)
    assert n_crisis == int((res.crisis_rung[ok] > 0).sum()) > 0
    assert n_war == int((res.crisis_rung[ok] >= 4).sum())
    assert n_use == int((res.crisis_first_user[ok] >= 0).sum())


def test_summary_nuclear_use_and_war_series():
    res = run(runs=1500, horizon=2050)
    s = summarise(res)
    years = [str(y) for y in res.inputs.years]
    assert set(s["war"]) == set(res.theatres)
    assert set(s["nuclear_use"]) == {*res.theatres, "any"}
    for th in res.theatres:
        w = [s["war"][th][y] for y in years]
        u = [s["nuclear_use"][th][y] for y in years]
        assert all(0 <= v <= 1 for v in w + u)
        assert w == sorted(w) and u == sorted(u)      # cumulative: "by YEAR"
        assert all(s["nuclear_use"]["any"][y] >= s["nuclear_use"][th][y] for y in years)
    # the same numbers from the raw arrays
    k = res.theatres.index("korea")
    assert s["war"]["korea"]["2050"] == pytest.approx((res.crisis_rung[:, :, k] >= 4).any(axis=1).mean(), abs=1e-6)


@pytest.mark.validation
def test_korea_annual_nuclear_use_inside_the_expert_envelope():
    """literature §4.5: published expert estimates put nuclear use in a year at roughly 0.01-0.05 %
    per theatre-dyad of this kind; the annual model's Korean rate must stay inside (docs/validation.md)."""
    res = run(runs=6000, horizon=2050)
    k = res.theatres.index("korea")
    rate = (res.crisis_first_user[:, :, k] >= 0).mean()
    assert 0.0001 <= rate <= 0.0005, rate


def test_forced_war_in_every_run_and_war_output_is_one():
    res = run(["levers.crisis_onsets=false"], runs=200, horizon=2030, preset="korean-war")
    s = summarise(res)
    assert s["war"]["korea"]["2026"] == 1.0
    assert s["war"]["taiwan"]["2030"] == 0.0      # onsets off: nothing elsewhere


def _deal(coord, mrbm_cap=False):
    return [f"levers.dprk_deal={{no_decapitation_for_no_predelegation: true, icbm_cap: true, "
            f"mrbm_cap: {str(mrbm_cap).lower()}}}", f"levers.trilateral_coordination={coord}"]


@pytest.mark.validation
def test_a9_uncoordinated_deal_lowers_allied_credibility_japan_most():
    """VALIDATION A9 (credibility half): the same deal without trilateral coordination lowers the
    ROK's and Japan's credibility against the coordinated deal, Japan's most while DPRK MRBMs stay
    uncapped; a non-party (Taiwan) is unaffected. (The deal's ICBM cap itself raises the ROK's
    credibility through the geography layer: less decoupling, C3.12.)"""
    t = 0
    lo = lambda x: np.log(x / (1 - x))  # noqa: E731

    def drop(mrbm_cap):
        low = run(_deal("low", mrbm_cap), runs=500, horizon=2030)
        high = run(_deal("high", mrbm_cap), runs=500, horizon=2030)
        out = {}
        for c in ("KOR", "JPN", "TWN"):
            p = pair(low, c)
            out[c] = float(np.mean(lo(high.credibility[:, t, p].astype(float))
                                   - lo(low.credibility[:, t, p].astype(float))))
        return out

    open_, capped = drop(False), drop(True)
    assert open_["KOR"] > 0 and open_["JPN"] > 0 and open_["TWN"] == 0.0
    assert open_["JPN"] > 1.5 * open_["KOR"]
    # with MRBMs capped Japan's signal shrinks to the ROK's weight
    assert capped["JPN"] < open_["JPN"] and capped["JPN"] == pytest.approx(capped["KOR"], rel=0.35)
    # the ICBM cap: the coordinated deal raises the ROK's credibility against no deal
    base = run(runs=500, horizon=2030)
    high = run(_deal("high"), runs=500, horizon=2030)
    p = pair(base, "KOR")
    assert (high.credibility[:, t, p] > base.credibility[:, t, p]).all()


def test_deal_freeze_holds_dprk_arsenal():
    base = run(runs=300, horizon=2040)
    frozen = run(["levers.dprk_deal={freeze: true}"], runs=300, horizon=2040)
    i = frozen.inputs.actors.index("PRK")
    w0 = frozen.inputs.xf0[i, L.XF_WARHEADS]
    assert np.median(frozen.warheads[:, -1, i]) == pytest.approx(w0, rel=0.1)
    assert np.median(base.warheads[:, -1, i]) > 1.5 * w0


def test_crisis_layer_off_has_no_crises_and_zero_outputs():
    res = run(["levers.crisis_onsets=false"], runs=100, horizon=2030)
    s = summarise(res)
    assert res.theatres == () and s["war"] == {}
    assert set(s["nuclear_use"]) == {"any"} and max(s["nuclear_use"]["any"].values()) == 0.0


def test_saved_results_keep_the_crises():
    """`--out DIR` writes the dataset and the event log: both carry the crisis outcomes."""
    from umbrella.results.dataset import events, to_dataset
    res = run(runs=200, horizon=2040)
    ds = to_dataset(res)
    assert list(ds["theatre"].values) == list(res.theatres)
    assert np.array_equal(ds["crisis_rung"].values, res.crisis_rung)
    ev = events(res)
    crises = ev[ev["event"] == "crisis"]
    assert len(crises) == int((res.crisis_rung > 0).sum())
    assert set(crises["theatre"]) <= set(res.theatres)
    r0 = crises.iloc[0]
    k = res.theatres.index(r0["theatre"])
    assert res.crisis_rung[r0["run"], r0["year"] - 2025, k] == r0["crisis_rung"]

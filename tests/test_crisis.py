"""The crisis layer (issue 5; docs/crisis.md): JSON contract, reproducibility, the ladder's
invariants, and the article statements A8-A12 and the stability-instability check H15 as
tests. Every comparison between scenarios uses the same seed (common random numbers)."""

import functools
import json
import subprocess
import sys

import numpy as np
import pytest

from umbrella.analysis.crisis import crisis
from umbrella.crisis import ladder, outputs, params, payoffs, stability, theatres
from umbrella.crisis.inputs import from_scenario
from umbrella.crisis.run import run_crisis
from umbrella.scenario import load_scenario, load_world
from umbrella.scenario.schema import Levers

RUNS = 2000
SEED = 11
KEYS = {"theatre", "runs", "seed", "p_nuclear_use", "first_use", "first_use_rung", "p_inadvertent",
        "rung_reached", "p_homeland_strike", "p_strategic_exchange", "p_invasion_success",
        "p_coercion_success", "decoupling", "credibility_shift"}


@functools.cache
def _crisis(theatre, sets=(), runs=RUNS, seed=SEED):
    return crisis(theatre, runs=runs, seed=seed, overrides=list(sets))


def summary(theatre, *sets, runs=RUNS, seed=SEED):
    return _crisis(theatre, tuple(sets), runs, seed)[0]


def setup(theatre, *sets, runs=1):
    th = theatres.get(theatre)
    sc = load_scenario("status-quo-2025", overrides=list(sets))
    w = load_world(sc.world)
    P = params.point(w, sc.uncertain)
    return th, from_scenario(th, sc, w, P, runs=runs), P, w


def exact(theatre, *sets, start=4):
    th, x, P, _ = setup(theatre, *sets)
    T = payoffs.tables(th, x, P)
    return ladder.exact(T, P.one("crisis.steps"), start=start), T


# ------------------------------------------------------------------ contract and CLI

@pytest.mark.slow
def test_cli_json_contract_and_bad_theatre(tmp_path):
    umb = [sys.executable, "-m", "umbrella.interfaces.cli"]
    r = subprocess.run([*umb, "crisis", "korea", "--runs", "300", "--seed", "4", "--json", "-"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert set(s) == KEYS
    assert s["theatre"] == "korea" and s["runs"] == 300 and s["seed"] == 4
    assert set(s["first_use"]) == {"PRK", "USA"}
    assert set(s["first_use_rung"]) == {"p50"}
    assert set(s["rung_reached"]) == {str(r) for r in range(9)}
    assert s["p_invasion_success"] is None
    assert set(s["decoupling"]) == {"KOR", "JPN"}
    assert {"KOR", "JPN", "TWN", "AUS", "DEU", "POL"} <= set(s["credibility_shift"])
    # same call, same numbers; the table form prints the headline
    r2 = subprocess.run([*umb, "crisis", "korea", "--runs", "300", "--seed", "4", "--json", "-"],
                        capture_output=True, text=True, timeout=600)
    assert json.loads(r2.stdout) == s
    r = subprocess.run([*umb, "crisis", "taiwan", "--runs", "200"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0 and "invasion success" in r.stdout
    r = subprocess.run([*umb, "crisis", "narnia"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stdout == ""
    for t in theatres.THEATRES:
        assert t in r.stderr
    r = subprocess.run([*umb, "crisis", "korea", "--set", "levers.us_theater_nuclear=huge"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 2 and "levers.us_theater_nuclear" in r.stderr


def test_taiwan_json_has_invasion_success():
    s = summary("taiwan")
    assert set(s) == KEYS and 0.0 <= s["p_invasion_success"] <= 1.0
    assert set(s["first_use"]) == {"CHN", "USA"} and set(s["decoupling"]) == {"TWN", "JPN"}
    for t in ("east-china-sea", "europe"):
        assert summary(t)["p_invasion_success"] is None


# ------------------------------------------------------------------ reproducibility

def test_same_seed_identical_and_prefix_stable():
    a = crisis("korea", runs=700, seed=5)[0]
    assert crisis("korea", runs=700, seed=5)[0] == a
    assert crisis("korea", runs=700, seed=6)[0] != a
    th, x, P, _ = setup("korea", runs=1000)
    big = run_crisis(th, x, P, seed=5)
    small = run_crisis(th, x.take(slice(0, 500)), P, seed=5)
    for f in big.__dataclass_fields__:
        assert np.array_equal(getattr(big, f)[:500], getattr(small, f)), f
    # a run's draws depend on its global index, not on its position in the call
    part = run_crisis(th, x.take(slice(700, 1000)), P, seed=5, runs=np.arange(700, 1000))
    for f in big.__dataclass_fields__:
        assert np.array_equal(getattr(big, f)[700:], getattr(part, f)), f


# ------------------------------------------------------------------ invariants

@pytest.mark.parametrize("theatre", list(theatres.THEATRES))
def test_shares_and_monotone_rungs(theatre):
    s = summary(theatre)
    shares = [s["p_nuclear_use"], s["p_inadvertent"], s["p_homeland_strike"], s["p_strategic_exchange"],
              s["p_coercion_success"], *s["first_use"].values(), *s["rung_reached"].values(),
              *s["decoupling"].values()]
    assert all(0.0 <= v <= 1.0 for v in shares)
    reached = [s["rung_reached"][str(r)] for r in range(9)]
    assert all(a >= b for a, b in zip(reached, reached[1:], strict=False))
    assert reached[4] == 1.0                                   # conditional on war
    assert abs(sum(s["first_use"].values()) - s["p_nuclear_use"]) < 1e-12
    assert s["p_nuclear_use"] == reached[6]                    # a detonation is rung 6 or above
    assert s["p_inadvertent"] <= s["p_nuclear_use"] and s["p_homeland_strike"] <= s["p_strategic_exchange"]


@pytest.mark.parametrize("theatre", ["korea", "taiwan"])
def test_monte_carlo_agrees_with_exact(theatre):
    """The sampled ladder and the exact propagation are the same process (one set of inputs,
    the start year's, in every run)."""
    e, _ = exact(theatre)
    th, x, P, _ = setup(theatre, runs=RUNS)
    s = outputs.summarise(th, x, run_crisis(th, x, P, SEED), P.take(np.zeros(RUNS, np.int64)), SEED)
    se = lambda p: 4.0 * np.sqrt(max(p * (1 - p), 0.0) / RUNS) + 1e-3  # noqa: E731
    p_use = float(e.first_use[0].sum())
    assert abs(s["p_nuclear_use"] - p_use) < se(p_use)
    assert abs(s["first_use"][theatres.get(theatre).challenger] - e.first_use[0, 0]) < se(e.first_use[0, 0])
    assert abs(s["p_coercion_success"] - e.conceded[0, 1].sum()) < se(e.conceded[0, 1].sum())
    assert abs(s["p_inadvertent"] - e.inadvertent[0]) < se(e.inadvertent[0])
    for r in range(9):
        assert abs(s["rung_reached"][str(r)] - e.reached[0, r]) < se(e.reached[0, r])


def test_non_nuclear_side_cannot_cross_the_nuclear_threshold():
    th, x, P, _ = setup("korea")
    T = payoffs.tables(th, x.with_(w_challenger=0.0, w_challenger_theatre=0.0), P)
    probs = ladder.choice_table(T)
    assert np.all(probs[0, 0, 4:, ladder.ESCALATE] == 0.0)       # no escalation from rung 4 up
    assert np.all(probs[0, 0, :4, ladder.ESCALATE] > 0.0)
    e = ladder.exact(T, P.one("crisis.steps"))
    assert e.first_use[0, 0] == 0.0                             # only the patron can use first


# ------------------------------------------------------------------ calibration (A8, literature §4.5)

@pytest.mark.validation
def test_a8_korea_first_use_likely_and_early():
    s = summary("korea")
    assert s["p_nuclear_use"] > 0.5                             # "likely"
    assert s["first_use"]["PRK"] > 2 * s["first_use"]["USA"]    # the DPRK is the likeliest first user
    assert s["first_use_rung"]["p50"] <= 6                      # "early"


@pytest.mark.validation
def test_annual_rate_inside_the_expert_envelope():
    th, x, P, _ = setup("korea")
    r = stability.rates(th, x, P)
    assert 1e-4 <= r["annual_nuclear_use"] <= 5e-4              # literature §4.5: ~0.01-0.05 %/yr
    assert r["annual_nuclear_use"] == pytest.approx(r["onset"] * r["p_war_given_crisis"] * r["p_use_given_war"])


# ------------------------------------------------------------------ the articles

@pytest.mark.validation
def test_a8_decapitation_and_predelegation_make_first_use_likelier_and_no_later():
    on = ("levers.allied_decapitation_doctrine=true", "levers.dprk_predelegation=true")
    off = ("levers.allied_decapitation_doctrine=false", "levers.dprk_predelegation=false")
    a, b = summary("korea", *on), summary("korea", *off)
    assert a == summary("korea")                                # the data: both on
    assert a["first_use"]["PRK"] > b["first_use"]["PRK"] + 0.1
    assert a["p_nuclear_use"] > b["p_nuclear_use"]
    assert a["first_use_rung"]["p50"] <= b["first_use_rung"]["p50"]
    # and earlier in the war: the mean micro-step of DPRK first use
    th, x_on, P, _ = setup("korea", *on, runs=RUNS)
    _, x_off, _, _ = setup("korea", *off, runs=RUNS)
    o_on, o_off = run_crisis(th, x_on, P, SEED), run_crisis(th, x_off, P, SEED)
    step = lambda o: o.first_use_step[o.first_user == 0].mean()  # noqa: E731
    assert step(o_on) <= step(o_off)
    # each lever alone pushes the same way
    for one in (("levers.allied_decapitation_doctrine=false",), ("levers.dprk_predelegation=false",)):
        assert summary("korea", *one)["first_use"]["PRK"] < a["first_use"]["PRK"]


@pytest.mark.validation
def test_a9_risk_reduction_trade_lowers_use_and_inadvertent_escalation():
    base = summary("korea")
    deal = summary("korea", "levers.dprk_deal.no_decapitation_for_no_predelegation=true")
    assert deal["p_nuclear_use"] < base["p_nuclear_use"] - 0.1
    assert deal["p_inadvertent"] < base["p_inadvertent"]
    # the deal's other items: the negative security assurance lowers use-or-lose pressure
    nsa = summary("korea", "levers.dprk_deal.negative_security_assurance=true")
    assert nsa["first_use"]["PRK"] < base["first_use"]["PRK"]


@pytest.mark.validation
def test_a10_decoupling_monotone_in_dprk_capabilities():
    rok = [summary("korea", f"levers.dprk_icbm_capability={v}", runs=50)["decoupling"]["KOR"] for v in (0, 0.5, 1)]
    jpn = [summary("korea", f"levers.dprk_mrbm_capability={v}", runs=50)["decoupling"]["JPN"] for v in (0, 0.5, 1)]
    assert rok[0] == 0.0 and rok[0] < rok[1] < rok[2]
    assert jpn[0] < jpn[1] < jpn[2]
    # each index moves only with its own class
    assert summary("korea", "levers.dprk_icbm_capability=0", runs=50)["decoupling"]["JPN"] == pytest.approx(jpn[2])
    # the deal's caps lower both
    capped = summary("korea", "levers.dprk_deal.icbm_cap=true", "levers.dprk_deal.mrbm_cap=true", runs=50)
    assert capped["decoupling"]["KOR"] < rok[2] and capped["decoupling"]["JPN"] < jpn[2]


@pytest.mark.validation
def test_a11_chinese_buildup_taiwan():
    sets = ("start_year=2035", "horizon=2050")
    lo = summary("taiwan", *sets, "levers.china_warheads_target_2035=400")
    hi = summary("taiwan", *sets, "levers.china_warheads_target_2035=1500")
    assert hi["p_strategic_exchange"] <= lo["p_strategic_exchange"]
    assert hi["p_coercion_success"] > lo["p_coercion_success"] + 0.05
    assert hi["p_invasion_success"] > lo["p_invasion_success"]
    # exactly: the strategic exchange falls while the theatre balance tilts to China
    e_lo, t_lo = exact("taiwan", *sets, "levers.china_warheads_target_2035=400")
    e_hi, t_hi = exact("taiwan", *sets, "levers.china_warheads_target_2035=1500")
    assert e_hi.reached[0, 8] < e_lo.reached[0, 8]
    assert t_hi.p_c[0, 7] > t_lo.p_c[0, 7]


@pytest.mark.validation
def test_a12_theatre_forces_and_sharing_raise_credibility():
    low = summary("korea", "levers.us_theater_nuclear=low")
    high = summary("korea", "levers.us_theater_nuclear=high")
    assert high["p_coercion_success"] < low["p_coercion_success"]
    assert high["credibility_shift"]["KOR"] > low["credibility_shift"]["KOR"]
    assert high["credibility_shift"]["JPN"] > low["credibility_shift"]["JPN"]      # spill-over
    shared = summary("korea", "levers.us_theater_nuclear=low", "levers.nuclear_sharing.KOR=f35_certified")
    assert shared["p_coercion_success"] < low["p_coercion_success"]
    assert shared["credibility_shift"]["KOR"] > low["credibility_shift"]["KOR"]


def test_credibility_shift_signs():
    """Backing down is bad news (-lr_crisis), standing firm smaller good news (+lr_crisis / 2)."""
    s = summary("korea")
    w = load_world("consensus")
    lr, spill = w.parameters["cred.lr_crisis"].value, w.parameters["cred.spillover"].value
    p = s["p_coercion_success"]
    assert s["credibility_shift"]["KOR"] == pytest.approx(-lr * p + 0.5 * lr * (1 - p))
    assert s["credibility_shift"]["AUS"] == pytest.approx(spill * s["credibility_shift"]["KOR"])


# ------------------------------------------------------------------ H15

@pytest.mark.validation
@pytest.mark.parametrize("theatre", ["korea", "taiwan", "europe"])
def test_h15_stability_instability(theatre):
    th, x, P, _ = setup(theatre)
    h = stability.stability_instability(th, x, P)
    assert 0.1 <= h["war_ratio"] <= 1.0
    assert h["low_level_ratio"] >= 1.0
    assert h["war_ratio"] < 0.9          # a real reduction, not a rounding of 1


# ------------------------------------------------------------------ levers

def test_new_levers_default_to_the_data_and_validate():
    lv = Levers()
    assert lv.allied_decapitation_doctrine is None and lv.dprk_predelegation is None
    assert lv.us_declaratory_dprk is None and lv.dprk_deal is None and lv.tnw_forward_based == {}
    sc = load_scenario("status-quo-2025", ["levers.dprk_deal.freeze=true", "levers.tnw_forward_based.KOR=true",
                                           "levers.trilateral_coordination=high"])
    assert sc.levers.dprk_deal.freeze and not sc.levers.dprk_deal.icbm_cap
    assert sc.levers.tnw_forward_based == {"KOR": True}
    # forward-based weapons in the ROK strengthen the defender's theatre force
    _, x0, _, _ = setup("korea")
    _, x1, _, _ = setup("korea", "levers.tnw_forward_based.KOR=true")
    assert x1.w_defender_theatre[0] > x0.w_defender_theatre[0]


def test_crisis_levers_reach_the_annual_model(run_scenario):
    """The crisis levers act in the annual model through its crises (engine/crises.py): a forced
    Korean war in 2026 with more US theatre forces ends in fewer US climb-downs, so the ROK's
    credibility in 2027 is higher on the same random numbers."""
    from umbrella.engine.run import simulate
    res = {}
    for level in ("low", "high"):
        sc = load_scenario("korean-war", [f"levers.us_theater_nuclear={level}", "levers.crisis_onsets=false"])
        sc = sc.model_copy(update={"runs": 1500, "horizon": 2028})
        res[level] = simulate(sc, load_world(sc.world))
    k = res["low"].theatres.index("korea")
    backdown = {lv: (r.crisis_end[:, 1, k] == 2).mean() for lv, r in res.items()}
    assert backdown["high"] < backdown["low"]
    p = res["low"].inputs.pairs.index(("USA", "KOR"))
    assert res["high"].credibility[:, 2, p].mean() > res["low"].credibility[:, 2, p].mean()

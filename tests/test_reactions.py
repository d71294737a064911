"""Issue 14, defects 2 and 3: adversaries react to an allied programme, and a crisis reads the
annual state (engine/arsenals.py, engine/politics.py, engine/crises.py, crisis/inputs.py,
analysis/crisis.py). Scenarios are compared on common random numbers (the same seed), so a
per-run difference is caused by the scenario difference."""

from __future__ import annotations

import numpy as np
import pytest

from umbrella.analysis.crisis import crisis
from umbrella.crisis import ladder, params, payoffs, theatres
from umbrella.crisis.inputs import at_state, from_scenario
from umbrella.engine import layout as L
from umbrella.engine.run import simulate
from umbrella.scenario import load_scenario, load_world

CONS = load_world("consensus")


def run(preset="status-quo-2025", sets=(), runs=600, horizon=2045, **kw):
    sc = load_scenario(preset, overrides=list(sets), fields={"runs": runs, "horizon": horizon})
    return simulate(sc, CONS, **kw)


def ix(res, a):
    return res.inputs.actors.index(a)


def fixed(name, value):
    return f"uncertain.{name}={{dist: fixed, value: {value}}}"


# ------------------------------------------------------------------ defect 2: reactions

def test_china_and_russia_build_up_against_a_known_allied_programme_the_dprk_and_us_do_not():
    base = run()
    rok = run("rok-goes-first")
    t = -1
    chn, rus, prk, usa = (ix(base, a) for a in ("CHN", "RUS", "PRK", "USA"))
    # China's target is 1,500 x (1 + react.buildup) while the ROK's programme is known
    ratio = rok.warheads[:, t, chn].mean() / base.warheads[:, t, chn].mean()
    assert 1.05 < ratio < 1.2, ratio
    assert rok.warheads[:, t, rus].mean() > 1.03 * base.warheads[:, t, rus].mean()
    # the DPRK builds at its fissile capacity whatever the ROK does; the US answers no one
    assert np.allclose(rok.warheads[:, :, prk], base.warheads[:, :, prk])
    assert np.allclose(rok.warheads[:, :, usa], base.warheads[:, :, usa])
    # switched off, the ROK's programme changes no adversary arsenal
    off = [fixed("react.buildup", 0)]
    assert np.allclose(run("rok-goes-first", off).warheads[:, :, chn], run(sets=off).warheads[:, :, chn])


def test_china_coerces_a_known_rok_programme_even_when_the_us_permits_it():
    """Kelly's permitted deterrent: the permit lifts the US's sanctions, but China's coercion
    (react.coercion_rate a year while the programme is known) still slows it down."""
    sets = ["shocks_add=[{year: 2026, type: programme, target: KOR, level: pursue, covert: false}]"]
    kelly = run("kelly-permitted-rok-deterrent", sets, horizon=2040)
    free = run("kelly-permitted-rok-deterrent", [*sets, fixed("react.coercion_rate", 0)], horizon=2040)
    k = ix(kelly, "KOR")
    armed = lambda r: (r.reached[:, -1, k] == L.ARSENAL).mean()  # noqa: E731
    assert armed(kelly) < armed(free)


def test_an_allied_programme_raises_crisis_onsets_in_its_theatre():
    base = run(horizon=2040, runs=1500)
    rok = run("rok-goes-first", horizon=2040, runs=1500)
    k = base.theatres.index("korea")
    crises = lambda r: (r.crisis_rung[:, 2:, k] > 0).mean()  # noqa: E731  (2027 on: the programme is known)
    assert crises(rok) > 1.8 * crises(base), (crises(rok), crises(base))
    off = run("rok-goes-first", [fixed("crisis.korea.programme_onset", 0)], horizon=2040, runs=1500)
    assert crises(off) < 1.3 * crises(base)


def test_a_war_in_the_theatre_sets_back_a_known_programme():
    """Preventive strikes come with a war in the programme's theatre (crisis.preventive_strike),
    not at a flat yearly rate."""
    sets = ["shocks_add=[{year: 2027, type: war, theatre: korea}]"]
    war = run("rok-goes-first", sets, horizon=2028, runs=800)
    k = ix(war, "KOR")
    struck = ((war.ev_kind == L.EV_PREVENTIVE) & (war.ev_actor == k) & (war.ev_year == 2027)).any(axis=1)
    pursuing = war.status[:, 2, k] == L.PURSUE       # 2027 as recorded: the kernel's year, before the war
    share = struck[pursuing].mean()
    assert 0.55 < share < 0.85, share                # crisis.preventive_strike = 0.7
    calm = run("rok-goes-first", horizon=2028, runs=800)
    none = ((calm.ev_kind == L.EV_PREVENTIVE) & (calm.ev_actor == k)).any(axis=1)
    wars = (calm.crisis_rung[:, :, calm.theatres.index("korea")] >= 4).any(axis=1)
    assert not none[~wars].any()


# ------------------------------------------------------------------ defect 3: the crisis reads the state

def _tables(x, P, th="korea"):
    return payoffs.tables(theatres.get(th), x, P)


def test_an_allied_arsenal_deters_and_the_tripwire_and_administration_set_the_patrons_stake():
    th = theatres.get("korea")
    sc = load_scenario("status-quo-2025")
    P = params.point(CONS, sc.uncertain)
    x = from_scenario(th, sc, CONS, P)
    w = np.array([80.0])

    def exact(**kw):
        y = at_state(th, x, P, 2030, w_challenger=w, w_patron=np.array([3700.0]), sharing=np.zeros(1),
                     forward=np.zeros(1), **kw)
        e = ladder.exact(_tables(y, P), P.one("crisis.steps"), start=4)
        return {"p_nuclear_use": float(e.first_use.sum()), "p_coercion_success": float(e.conceded[0, 1].sum())}

    base = exact()
    armed = exact(w_local=60.0)                   # Kelly's option A: the ROK's own arsenal
    assert armed["p_nuclear_use"] < base["p_nuclear_use"]
    assert armed["p_coercion_success"] < base["p_coercion_success"]
    gone = exact(troops_ratio=0.0)                # US troops withdrawn: no tripwire
    assert gone["p_coercion_success"] > base["p_coercion_success"]
    af = exact(america_first=1.0)
    assert af["p_coercion_success"] > base["p_coercion_success"]
    doubt = exact(cred_ratio=0.5)                 # the challenger reads a weak commitment
    assert doubt["p_nuclear_use"] != base["p_nuclear_use"]


@pytest.mark.slow
def test_crisis_command_plays_the_annual_models_war_on_its_state():
    """One state feeds both: `umbrella crisis korea korean-war` is the 2026 Korean war of the
    annual preset, run by run (the same inputs, parameters and draws)."""
    s, x = crisis("korea", "korean-war", runs=400, seed=3)
    sc = load_scenario("korean-war", fields={"runs": 400, "seed": 3, "horizon": 2026})
    res = simulate(sc, CONS)
    t, k = 2026 - sc.start_year, res.theatres.index("korea")
    prk = ix(res, "PRK")
    assert abs(x["inputs"]["w_challenger"] - np.median(res.warheads[:, t, prk])) < 1e-3
    rung = res.crisis_rung[:, t, k]
    assert (rung >= 4).all()
    assert s["p_nuclear_use"] == pytest.approx((res.crisis_first_user[:, t, k] >= 0).mean())
    assert s["rung_reached"]["6"] == pytest.approx((rung >= 6).mean())


@pytest.mark.slow
def test_crisis_command_moves_with_troops_an_rok_arsenal_and_the_administration():
    base, _ = crisis("korea", runs=1500, seed=5)
    troops0, _ = crisis("korea", runs=1500, seed=5, overrides=["levers.us_troops.KOR=0"])
    assert troops0["p_coercion_success"] > base["p_coercion_success"] + 0.02
    armed, xa = crisis("korea", runs=1500, seed=5, overrides=[
        "levers.status.KOR=arsenal", "shocks_add=[{year: 2035, type: war, theatre: korea}]"])
    unarmed, xu = crisis("korea", runs=1500, seed=5, overrides=[
        "shocks_add=[{year: 2035, type: war, theatre: korea}]"])
    assert xa["inputs"]["w_local"] > 30 and xu["inputs"]["w_local"] == 0
    assert armed["p_coercion_success"] < unarmed["p_coercion_success"]
    engaged, _ = crisis("korea", runs=1500, seed=5, overrides=["levers.us_administration=engaged"])
    assert engaged["p_coercion_success"] < base["p_coercion_success"]


# ------------------------------------------------------------------ defect 5: Taiwan

def test_chinas_red_line_deters_a_taiwanese_programme():
    """red_lines.csv (the Anti-Secession Law): Taiwan pursues far less often than the ROK, and
    the red line is what holds it back (without it Taiwan pursued about as often as the ROK)."""
    res = run(runs=1500, horizon=2050)
    off = run(sets=[fixed("prolif.red_line", 0)], runs=1500, horizon=2050)
    tw, ko = ix(res, "TWN"), ix(res, "KOR")
    pursue = lambda r, a: (r.reached[:, -1, a] >= L.PURSUE).mean()  # noqa: E731
    assert pursue(res, tw) < 0.6 * pursue(res, ko)
    assert pursue(off, tw) > pursue(res, tw) + 0.08


@pytest.mark.slow
def test_most_taiwan_invasions_fail_and_fail_less_as_china_builds_up():
    """CSIS 2023 (24 iterations of a 2026 invasion): most invasions fail when the US fights from
    Japanese bases; China's build-up to 1,500 warheads raises its success (A11), still short of
    most wars."""
    now, _ = crisis("taiwan", runs=2000, seed=5)
    later, _ = crisis("taiwan", "taiwan-crisis", runs=2000, seed=5)
    assert now["p_invasion_success"] < 0.4
    assert now["p_invasion_success"] < later["p_invasion_success"] < 0.5

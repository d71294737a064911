"""Issue 14, defects 6 and 7: no drift without cause, and levers that move what their articles
say they move. Scenarios are compared on common random numbers (the same seed)."""

from __future__ import annotations

import numpy as np

from umbrella.engine.run import simulate
from umbrella.scenario import load_scenario, load_world

CONS = load_world("consensus")
QUIET = ["levers.us_administration=engaged", "shocks=[]", "levers.burden_sharing=spending_targets"]


def fixed(name, value):
    return f"uncertain.{name}={{dist: fixed, value: {value}}}"


def run(preset="status-quo-2025", sets=(), runs=1000, horizon=2040):
    sc = load_scenario(preset, overrides=list(sets), fields={"runs": runs, "horizon": horizon})
    return simulate(sc, CONS)


def cred(res, client, year):
    p = res.inputs.pairs.index(("USA", client))
    return float(np.median(res.credibility[:, year - res.inputs.years[0], p]))


def share(res, actor, year, posture):
    return float((res.posture[:, year - res.inputs.years[0], res.inputs.actors.index(actor)] == posture).mean())


def test_no_cause_no_drift():
    """With an engaged administration that is never voted out, no shocks, no HNS ultimatums and
    the DPRK's arsenal held at its start, nothing should move the allies' belief in the US:
    their median credibility in 2040 stays within 0.06 of the start (it once fell from 0.39 to
    about 0.2 for the ROK with no cause but the absence of good news)."""
    res = run(sets=[*QUIET, fixed("politics.us_flip", 0), fixed("arsenal.prk_adjust", 0),
                    fixed("arsenal.prk_fissile_rate", 0), "levers.china_warheads_target_2035=600"])
    for c in ("KOR", "JPN", "TWN"):
        c0 = float(res.inputs.pf0[res.inputs.pairs.index(("USA", c)), 0])
        assert abs(cred(res, c, 2040) - c0) < 0.06, (c, c0, cred(res, c, 2040))


def test_each_cause_of_decline_lowers_the_rok_belief():
    """The declines that remain have causes, each of which moves the belief on its own: the
    DPRK's growing arsenal, an America-first administration's ultimatums and statements."""
    base = run(sets=[*QUIET, fixed("politics.us_flip", 0), fixed("arsenal.prk_adjust", 0),
                     fixed("arsenal.prk_fissile_rate", 0)])
    dprk = run(sets=[*QUIET, fixed("politics.us_flip", 0)])
    af = run(sets=["levers.us_administration=america_first", "shocks=[]", fixed("politics.us_flip", 0),
                   fixed("arsenal.prk_adjust", 0), fixed("arsenal.prk_fissile_rate", 0)])
    assert cred(dprk, "KOR", 2035) < cred(base, "KOR", 2035) - 0.03
    assert cred(af, "KOR", 2035) < cred(base, "KOR", 2035) - 0.05


def test_dprk_arsenal_grows_without_a_first_year_jump():
    res = run(horizon=2027, runs=500)
    k = res.inputs.actors.index("PRK")
    w = np.median(res.warheads[:, :, k], axis=0)
    assert w[0] < 100 and w[0] - 50 < 40          # SIPRI's 50 at the start: no jump to 110
    assert np.all(np.diff(w) > 0)


def test_japan_keeps_balancing_as_china_grows():
    """A5 over the whole horizon: with no shocks Japan balances in 2050 too (China's rise made it
    accommodate in 46 % of runs by 2050 when the power term had one sign for every ally)."""
    res = run(sets=["shocks=[]"], horizon=2050)
    assert share(res, "JPN", 2050, 0) > 0.8
    assert share(res, "JPN", 2050, 2) < 0.1


def test_us_withdrawal_from_korea_lowers_japans_belief():
    """US forces leaving Korea are part of Japan's anchor (the forward line, F1:L26), so Japan's
    credibility ends lower than in the status quo, not higher."""
    base = run(horizon=2045)
    rupture = run("rok-rupture-fast", horizon=2045)
    for y in (2035, 2045):
        assert cred(rupture, "JPN", y) < cred(base, "JPN", y), y


def test_rok_camp_and_chinese_coercion_move_the_rok_posture():
    """The camp: conservatives accommodate China less than progressives (C0.26), still mostly
    accommodating (A5). China's THAAD-style coercion pushes the ROK off accommodation for
    several years (C0.28, remembered: align.coercion_memory)."""
    prog = run(sets=["levers.rok_camp=progressive", "shocks=[]", fixed("politics.kor_flip", 0)], horizon=2035)
    cons = run(sets=["levers.rok_camp=conservative", "shocks=[]", fixed("politics.kor_flip", 0)], horizon=2035)
    for y in (2026, 2030, 2035):
        assert share(cons, "KOR", y, 2) < share(prog, "KOR", y, 2) - 0.04, y
        assert share(cons, "KOR", y, 2) > 0.5
    base = run(horizon=2032)
    coerced = run("china-economic-coercion", horizon=2032)
    assert share(coerced, "KOR", 2026, 2) < share(base, "KOR", 2026, 2) - 0.03
    for y in range(2027, 2033):      # remembered: still lower years later
        assert share(coerced, "KOR", y, 2) < share(base, "KOR", y, 2) - 0.01, y


def test_the_french_offer_moves_the_european_umbrella():
    """Issue 14, defect 7: the French and British commitments sat at 0.50 from 2025 to 2050. A
    French consultation step (european-umbrella: Macron's offer of 2025, F1:L8) is good news for
    the French pairs and a standing anchor term; without one they move only with Russia's arms."""
    base = run(horizon=2040)
    offer = run("european-umbrella", horizon=2040)
    pairs = base.inputs.pairs
    for client in ("DEU", "POL"):
        p = pairs.index(("FRA", client))
        for y in (2025, 2030, 2040):
            t = y - 2025
            assert np.median(offer.credibility[:, t, p]) > np.median(base.credibility[:, t, p]) + 0.03, (client, y)
    g = pairs.index(("GBR", "DEU"))                 # the UK made no offer: unchanged
    assert np.allclose(np.median(offer.credibility[:, :, g], axis=0), np.median(base.credibility[:, :, g], axis=0),
                       atol=0.02)


def test_a_european_patron_shock_needs_a_pair_of_the_run():
    import pytest

    from umbrella.errors import InputError
    sc = load_scenario("status-quo-2025", overrides=[
        "shocks=[{year: 2026, type: consultation, patron: FRA, target: JPN, value: dialogue}]"], fields={"runs": 5})
    with pytest.raises(InputError, match="FRA->JPN"):
        simulate(sc, CONS)

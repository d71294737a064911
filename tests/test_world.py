"""The consensus world: complete, cited, and its data-derived values match the bundled data."""

import math

import numpy as np
from scipy.optimize import brentq

from umbrella.data import facts as F
from umbrella.calibrate.onsets import bleek_status
from umbrella.data.load import load_table
from umbrella.engine.params import PARAMS
from umbrella.scenario import load_world

W = load_world("consensus")


def v(name):
    return W.parameters[name].value


def test_every_parameter_defined_and_cited():
    assert set(W.parameters) == set(PARAMS)
    for name, p in W.parameters.items():
        assert len(p.source) > 10, name
        assert p.range[0] <= p.value <= p.range[1], name


def test_data_derived_values_match_the_bundled_data():
    assert v("politics.us_flip") == round(F.alternation_rate("USA"), 3)
    assert v("politics.kor_flip") == round(F.alternation_rate("KOR"), 3)
    assert v("npt.revcon_failure_rate") == F.revcon_failure_rate()
    assert v("arsenal.new_build_rate") == round(F.new_arsenal_build_rate(), 2)
    t = load_table("dprk_tests").set_index("year")
    yrs = range(2006, 2020)
    hits = sum(1 for y in yrs if y in t.index and t.loc[y, ["ICBM", "IRBM", "SLBM", "SLV"]].sum() > 0)
    assert v("politics.prk_provocation_rate") == hits / len(yrs)


def test_backbone_intercepts_reproduce_the_onset_rates():
    """The intercepts are fitted so that the mean hazard over the 1939-92 risk sets equals the
    observed onset rates (literature §1.4); recompute them from the bundled tables."""
    jg = load_table("jg")
    st = bleek_status()
    s = np.array([st.get((c, y), 0) for c, y in zip(jg.ccode1, jg.year)])
    sp = np.array([st.get((c, y - 1), 0) for c, y in zip(jg.ccode1, jg.year)])
    cols = ["nuk7set1", "ln_ri_t", "r_nukep", "nuke_a_d", "npt_rati", "majpow", "regpowt"]
    for stage, prev, ev in (("explore", 0, 1), ("pursue", 1, 2)):
        b = [v(f"prolif.{stage}.latency"), v(f"prolif.{stage}.threat"), v(f"prolif.{stage}.rival"),
             v(f"prolif.{stage}.umbrella"), v(f"prolif.{stage}.npt"),
             math.log(8.6 if stage == "explore" else 30), v(f"prolif.{stage}.regional")]
        m = (sp == prev) & jg[cols].notna().all(axis=1).to_numpy()
        eta = jg.loc[m, cols].to_numpy(dtype=float) @ np.array(b)
        rate = (s[m] >= ev).mean()
        a = brentq(lambda a: np.mean(1 - np.exp(-np.exp(a + eta))) - rate, -25, 5)
        assert abs(a - v(f"prolif.{stage}.base")) < 0.01, (stage, a)


def test_reversal_rates_from_bleek_spells():
    sp = load_table("bleek_spells")
    ex, pu, ac = (sp[sp.stage == s] for s in ("Explore", "Pursue", "Acquire"))
    years = ended = 0
    for r in ex.itertuples():
        p = pu[(pu.ccode == r.ccode) & (pu.start >= r.start) & (pu.start <= r.end)]
        years += (p.start.min() - 1 if len(p) else r.end) - r.start + 1
        ended += int(len(p) == 0 and r.end < 2017)
    assert abs(v("prolif.reversal_explore") - ended / years) < 0.001
    years = ended = 0
    for r in pu.itertuples():
        a = ac[(ac.ccode == r.ccode) & (ac.start >= r.start) & (ac.start <= r.end + 1)]
        years += (a.start.min() - 1 if len(a) else r.end) - r.start + 1
        ended += int(len(a) == 0 and r.end < 2017)
    assert abs(v("prolif.reversal_pursue") - ended / years) < 0.001

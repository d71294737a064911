"""The consensus world: complete, cited, and its data-derived values match the bundled data."""


from umbrella.data import facts as F
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


def test_ttw_reference_latency_is_the_pursuers_mean():
    """ttw.latency_ref: mean latent capability at the backbone's pursuit onsets (1939-2017)."""
    from umbrella.calibrate import backbone
    d = backbone.risk_set(backbone.history_panel(), "pursue")
    assert round(d.loc[d.event == 1, "nuk7set1"].mean(), 1) == v("ttw.latency_ref")

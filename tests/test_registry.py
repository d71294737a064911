"""One declared model (issue 13): one parameter registry for the annual and crisis layers, one
resolution of the scenario into schedules, per-run crisis parameters, the engine's signals in
the event log, and a `mode` field instead of a magic preset id."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from umbrella.crisis import inputs as cin
from umbrella.crisis import params as cparams
from umbrella.crisis import theatres
from umbrella.engine import init
from umbrella.engine import layout as L
from umbrella.engine.params import INDEX, PARAMS, sample
from umbrella.engine.run import simulate
from umbrella.errors import InputError
from umbrella.scenario import load_scenario, load_world, registry
from umbrella.scenario.schedule import LEVELS

DOCS = Path(__file__).resolve().parents[1] / "docs"
CONS = load_world("consensus")


def test_consensus_defines_exactly_the_registry():
    assert tuple(PARAMS) == registry.NAMES
    assert set(CONS.parameters) == set(registry.NAMES)
    assert set(registry.CRISIS) <= set(CONS.parameters)
    for n in registry.NAMES:
        p = CONS.parameters[n]
        assert p.range[0] <= p.value <= p.range[1] and len(p.source) > 10, n


def test_docs_parameter_table_is_the_registry():
    assert (DOCS / "parameters.md").read_text(encoding="utf-8") == registry.document()


def test_article_worlds_state_only_what_they_change():
    """Inheritance: an article world's entry is its value and claim (a range only to widen it);
    it never repeats the registry's source, unit or distribution."""
    for wid in ("kelly", "asano", "higuchi", "defense-one", "heginbotham-samuels"):
        from umbrella.scenario.load import WORLD_DIR, read_yaml
        raw = read_yaml(WORLD_DIR / f"{wid}.yaml", wid)["parameters"]
        for name, entry in raw.items():
            assert set(entry) <= {"value", "claim", "range"}, (wid, name, sorted(entry))
            assert "claim" in entry, (wid, name)


def _sq(runs=300, **kw):
    return load_scenario("status-quo-2025", fields={"runs": runs, **kw})


def test_crisis_parameter_varies_per_run_through_uncertain_and_set():
    sc = load_scenario("status-quo-2025", fields={"runs": 400},
                       overrides=["uncertain.crisis.korea.onset={dist: uniform, low: 0.0, high: 0.9}"])
    res = simulate(sc, CONS)
    col = res.params[:, INDEX["crisis.korea.onset"]]
    assert col.min() < 0.1 and col.max() > 0.8 and np.unique(col).size == col.size
    k = res.theatres.index("korea")
    crises = (res.crisis_rung[:, :, k] > 0).sum(axis=1)
    low, high = crises[col < 0.3].mean(), crises[col > 0.6].mean()
    assert high > 2 * low                       # each run's own onset rate drives its crises
    # the same column through the field path of a fixed distribution
    sc2 = load_scenario("status-quo-2025", fields={"runs": 50},
                        overrides=["uncertain.crisis.korea.onset={dist: fixed, value: 0.0}"])
    res2 = simulate(sc2, CONS)
    assert (res2.crisis_rung[:, :, res2.theatres.index("korea")] == 0).all()


def test_crisis_parameter_varies_per_run_through_a_world(tmp_path):
    f = tmp_path / "wide-lambda.yaml"
    f.write_text("id: wide-lambda\nextends: consensus\ntitle: wide lambda\nparameters:\n"
                 "  crisis.lambda: {value: 2.0, dist: uniform, claim: a test world}\n", encoding="utf-8")
    w = load_world(f)
    P = sample(w, {}, 1, 0, 200)[:, INDEX["crisis.lambda"]]
    assert P.min() < 0.7 and P.max() > 3.8          # uniform over the registry's range 0.5-4
    # the ladder reads each run's value: the same inputs at lambda 0.5 and 4 play differently
    th = theatres.get("korea")
    sc = _sq(runs=2)
    base = cparams.point(w).P
    two = cparams.Params(np.repeat(base, 2, axis=0))
    two.P[:, INDEX["crisis.lambda"]] = [0.5, 4.0]
    from umbrella.crisis import ladder, payoffs
    x = cin.from_scenario(th, sc, w, two)
    e = ladder.exact(payoffs.tables(th, x, two), two.one("crisis.steps"))
    assert abs(e.first_use[0].sum() - e.first_use[1].sum()) > 0.05


def test_structural_parameters_are_refused_per_run():
    """Refused where the scenario is loaded (validate, run, crisis ... alike), naming the --set."""
    with pytest.raises(InputError, match=r"--set uncertain\.crisis\.steps=.*cannot vary per run"):
        load_scenario("status-quo-2025", fields={"runs": 10},
                      overrides=["uncertain.crisis.steps={dist: uniform, low: 6, high: 24}"])


def test_unknown_parameter_in_set_names_the_closest():
    with pytest.raises(InputError) as e:
        load_scenario("status-quo-2025", overrides=["uncertain.crisis.lamda={dist: fixed, value: 1}"])
    assert "crisis.lambda" in str(e.value) and e.value.path == "uncertain.crisis.lamda"


def test_each_run_reads_its_own_reach_in_the_crisis_layer():
    """The first-run reach fix: a crisis's homeland decoupling uses each run's cred.reach_PRK."""
    th = theatres.get("korea")
    sc = _sq(runs=3)
    P = cparams.Params(np.repeat(cparams.point(CONS).P, 3, axis=0))
    P.P[:, INDEX["cred.reach_PRK"]] = [0.4, 0.7, 1.0]
    x = cin.from_scenario(th, sc, CONS, P)
    y = cin.at_state(th, x, P, 2026, w_challenger=np.full(3, 60.0), w_patron=np.full(3, 3700.0),
                     sharing=np.zeros(3), forward=np.zeros(3))
    r = y.home_decoupling
    assert r[0] < r[1] < r[2] and r[2] / r[0] == pytest.approx(2.5)


def test_china_target_is_rescaled_once_from_the_start_year():
    """One China path: the standalone crisis reads the schedule the engine reads."""
    sc = load_scenario("china-1500-by-2035", fields={"runs": 1})
    inp = init.build(sc, CONS)
    t35 = list(inp.years).index(2035)
    chn = inp.actors.index("CHN")
    assert inp.SCH[t35, chn, L.SC_DOCTRINE] == pytest.approx(1500.0)
    th = theatres.get("taiwan")
    for year in (2030, 2035, 2040):
        x = cin.from_scenario(th, sc, CONS, cparams.point(CONS), year=year)
        assert x.w_challenger[0] == pytest.approx(inp.SCH[year - 2025, chn, L.SC_DOCTRINE])


def test_dprk_freeze_is_the_schedule_only():
    sc = load_scenario("status-quo-2025", fields={"runs": 1}, overrides=["levers.dprk_deal={freeze: true}"])
    inp = init.build(sc, CONS)
    prk = inp.actors.index("PRK")
    assert np.allclose(inp.SCH[:, prk, L.SC_DOCTRINE], inp.xf0[prk, L.XF_WARHEADS])
    x = cin.from_scenario(theatres.get("korea"), sc, CONS, cparams.point(CONS), year=2030)
    assert x.w_challenger[0] == inp.xf0[prk, L.XF_WARHEADS]


def test_one_table_of_lever_levels():
    from umbrella.scenario import schema
    assert LEVELS["consultation"] == schema.CONSULTATION_LEVELS
    assert LEVELS["nuclear_sharing"] == schema.SHARING_LEVELS
    assert LEVELS["status"] == schema.STATUS_LEVELS == L.LEVEL_NAMES
    assert LEVELS["us_theater_nuclear"] == ("low", "medium", "high")
    from umbrella.data.catalog import ARRANGEMENT_LADDERS  # the data's vocabulary agrees
    for k in ("consultation", "nuclear_sharing"):
        assert ARRANGEMENT_LADDERS[k] == LEVELS[k]


def test_engine_logs_its_us_signals():
    """America-first statements and HNS ultimatums are events of the log (explain reads them)."""
    sc = load_scenario("status-quo-2025", fields={"runs": 200})   # burden sharing by HNS transfers
    res = simulate(sc, load_world(sc.world))
    E = res.ev_kind.shape[1]
    valid = np.arange(E)[None, :] < np.minimum(res.ev_n, E)[:, None]
    st = valid & (res.ev_kind == L.EV_US_STATEMENT)
    hns = valid & (res.ev_kind == L.EV_HNS_ULTIMATUM)
    assert st.any() and hns.any()
    assert (res.ev_actor[st] == -1).all()
    t = res.ev_year[st].astype(int) - sc.start_year
    assert (res.us_admin[np.nonzero(st)[0], t] == L.AMERICA_FIRST).all()   # only under America first
    assert (res.ev_n <= E).all()                                              # no overflow


def test_mode_field_replaces_the_magic_id(tmp_path):
    assert load_scenario("historical").mode == "historical"
    assert load_scenario("status-quo-2025").mode == "annual"
    f = tmp_path / "past.yaml"
    f.write_text("extends: historical\nid: my-history\n", encoding="utf-8")
    sc = load_scenario(f)
    assert sc.mode == "historical"
    with pytest.raises(InputError, match="mode"):
        simulate(sc, CONS)
    from umbrella.scenario import catalog
    assert "historical" not in {p["id"] for p in catalog.presets()}


def test_a_python_key_gives_the_kernels_numbers():
    """rng.run_key returns a Python int; below 2**63 numba reads it back as int64, which once
    turned the hash into float arithmetic: a caller outside the kernels now gets the same draw."""
    from umbrella import rng
    key = rng.run_key(20250101, 0)
    assert key < 2**63
    assert rng.uniform(key, 2026, rng.SIGNAL, 0) == rng.uniform_grid(20250101, [0], [2026], rng.SIGNAL, [0])[0, 0, 0]


def test_a_start_year_without_data_is_refused_by_name():
    """Issue 14 defect 1: the DPRK's economy is bundled from 2014 (2014-2023 back-cast from the
    Bank of Korea 2024 level with its growth rates); an earlier start year with the DPRK is
    refused, naming the actor, the field and the year, instead of running on NaN."""
    ok = load_scenario("status-quo-2025", fields={"runs": 5, "start_year": 2021, "horizon": 2023},
                       overrides=["shocks=[]"])
    inp = init.build(ok, CONS)
    assert np.isfinite(inp.xf0[inp.actors.index("PRK"), L.XF_MILEX])
    bad = load_scenario("status-quo-2025", fields={"runs": 5, "start_year": 2012, "horizon": 2014},
                        overrides=["shocks=[]"])
    with pytest.raises(InputError) as e:
        simulate(bad, CONS)
    assert e.value.path == "start_year" and e.value.value == 2012 and "PRK" in str(e.value)


def test_nan_in_the_state_is_an_error_naming_actor_and_year():
    sc = load_scenario("status-quo-2025", fields={"runs": 20},
                       overrides=["uncertain.cred.troops_soft={dist: fixed, value: 0}", "levers.us_troops.KOR=0"])
    with pytest.raises(InputError, match="USA->KOR in 2025"):
        simulate(sc, CONS)

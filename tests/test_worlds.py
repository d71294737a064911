"""The article worlds (DESIGN.md §6; docs/worlds.md): one world per seed article, each `extends:
consensus` and overriding only the parameters where that author's theory differs, each override
citing the article's claim (C#.# of seeds/EXTRACTION.md §4) and seed line (F#:L#).

Checks: the six bundled worlds load and resolve to consensus; every override is cited, keeps the
parameter's meaning (source, unit, distribution) and lies in its range; crisis-layer overrides
are known crisis parameters inside the crisis table's range; every world runs; and each article
world moves one of its author's headlines the way the article argues, against consensus on
common random numbers (same seed) or, for the crisis ladder, exactly (`ladder.exact`)."""

import re
from pathlib import Path

import numpy as np
import pytest

from umbrella.crisis import ladder, payoffs, theatres
from umbrella.crisis import params as cparams
from umbrella.crisis.inputs import from_scenario
from umbrella.engine.params import PARAMS
from umbrella.engine.run import simulate
from umbrella.scenario import list_worlds, load_scenario, load_world, registry

ARTICLE = {"heginbotham-samuels": 0, "defense-one": 1, "kelly": 2, "asano": 3, "higuchi": 4}
WORLDS = ["consensus", *ARTICLE]
CONS = load_world("consensus")
CRISIS = set(registry.CRISIS)
RUNS, SEED = 400, 11
DOCS = Path(__file__).resolve().parents[1] / "docs" / "worlds.md"


def baseline(name: str) -> float:
    """The value a world inherits when it does not set `name`: consensus's."""
    return CONS.parameters[name].value


def overrides(w) -> dict:
    return {k: p for k, p in w.parameters.items() if p.value != baseline(k)}


# ------------------------------------------------------------------ loading and citations

def test_bundled_and_loadable():
    assert set(WORLDS) <= set(list_worlds())
    for name in WORLDS:
        w = load_world(name)
        assert w.id == name
        assert w.title and w.title_ja and w.description
        assert set(PARAMS) <= set(w.parameters)


@pytest.mark.parametrize("name", ARTICLE)
def test_extends_consensus_and_keeps_meanings(name):
    w = load_world(name)
    assert w.extends == "consensus"
    changed = overrides(w)
    for k, p in CONS.parameters.items():
        q = w.parameters[k]
        if k not in changed:
            assert q == p, k                            # inherited untouched, no stray claim
            continue
        assert p.dist != "backbone", k                  # fitted to history: never overridden
        assert (q.source, q.unit, q.dist) == (p.source, p.unit, p.dist), k   # same meaning
        lo, hi = p.range
        if lo <= q.value <= hi:
            assert q.range == p.range, k                # a new range only when the value needs it
    assert set(w.parameters) == set(CONS.parameters) == set(registry.NAMES)   # one registry


@pytest.mark.parametrize("name", ARTICLE)
def test_every_override_cites_its_article(name):
    w, n = load_world(name), ARTICLE[name]
    changed = overrides(w)
    assert len(changed) >= 4
    for k, p in changed.items():
        assert p.claim and p.claim.strip(), k
        assert re.search(rf"\bC{n}\.\d+", p.claim), (k, p.claim)      # the article's claim
        assert re.search(rf"\bF{n}:L\d+", p.claim), (k, p.claim)      # and its seed line
    for k, p in w.parameters.items():
        assert p.claim is None or k in changed, k       # a claim only where the value moves
    assert all(p.claim is None for p in CONS.parameters.values())


@pytest.mark.parametrize("name", ARTICLE)
def test_crisis_overrides_are_known_and_in_range(name):
    w = load_world(name)
    P = cparams.point(w)
    for k, p in w.parameters.items():
        if not k.startswith("crisis."):
            continue
        assert k in CRISIS, k
        c = CONS.parameters[k]
        assert tuple(p.range) == tuple(c.range), k      # the registry's range, inherited
        assert p.range[0] <= p.value <= p.range[1], k
        assert p.dist == "fixed" and p.source == c.source, k
        assert P[k][0] == p.value                       # the crisis layer reads it


def test_docs_list_every_override():
    text = DOCS.read_text(encoding="utf-8")
    for name in ARTICLE:
        head = f"## `{name}`"
        assert head in text, name
        section = text.split(head, 1)[1].split("\n## ", 1)[0]
        for k in overrides(load_world(name)):
            assert f"`{k}`" in section, (name, k)


# ------------------------------------------------------------------ every world runs

@pytest.mark.parametrize("name", WORLDS)
def test_short_run(name):
    sc = load_scenario("status-quo-2025", fields={"world": name, "runs": 20, "seed": 3,
                                                  "horizon": 2030})
    r = simulate(sc, load_world(sc.world))
    assert r.status.shape == (20, 6, len(r.inputs.actors))
    assert r.status.min() >= 0 and r.status.max() <= 3
    assert np.all((r.credibility >= 0) & (r.credibility <= 1))
    assert np.all(np.isfinite(r.npt_strength))


# ------------------------------------------------------------------ directions


def annual(scenario, world, *sets, runs=RUNS, seed=SEED):
    sc = load_scenario(scenario, overrides=list(sets), fields={"world": world, "runs": runs, "seed": seed})
    r = simulate(sc, load_world(world))
    years = list(range(sc.start_year, sc.horizon + 1))
    return r, list(r.inputs.actors), years


def crisis_exact(theatre, world, *sets):
    """Exact outcome probabilities of a war (rung 4) in `theatre`, status-quo-2025 + sets."""
    th = theatres.get(theatre)
    sc = load_scenario("status-quo-2025", overrides=list(sets), fields={"world": world})
    w = load_world(world)
    P = cparams.point(w)
    x = from_scenario(th, sc, w, P, runs=1)
    return ladder.exact(payoffs.tables(th, x, P), P.one("crisis.steps"))


def us_backs_down(e) -> float:
    return float(e.conceded[0, 1].sum())


DOCTRINE_OFF = ("levers.allied_decapitation_doctrine=false", "levers.dprk_predelegation=false")
DEAL = ("levers.dprk_deal.no_decapitation_for_no_predelegation=true",)


@pytest.mark.validation
def test_defense_one_japan_follows_and_the_npt_breaks():
    """F1:L23-24, L41: a stronger cascade and a more fragile NPT: after US abandonment Japan
    pursues more often by 2040 and the NPT collapses more often by 2050 (same seed)."""
    out = {}
    for w in ("consensus", "defense-one"):
        r, a, years = annual("us-abandonment", w)
        out[w] = ((r.reached[:, years.index(2040), a.index("JPN")] >= 2).mean(),
                  r.npt_collapsed[:, years.index(2050)].mean())
    assert out["defense-one"][0] > out["consensus"][0]
    assert out["defense-one"][1] > out["consensus"][1] + 0.05


@pytest.mark.validation
def test_turtling_heginbotham_samuels_vs_kelly():
    """F0:L7, L160-162 vs F2:L14: a Japan with its own arsenal leaves balancing (an armed neutral
    that hedges or accommodates China: turtling) more often under Heginbotham & Samuels and less
    often under Kelly (a partner's deterrent) than under consensus, and the regional order leans
    further toward China under H&S."""
    acc, order = {}, {}
    for w in ("consensus", "heginbotham-samuels", "kelly"):
        r, a, years = annual("status-quo-2025", w, "levers.status.JPN=arsenal")
        y = years.index(2035)
        acc[w] = (r.posture[:, y, a.index("JPN")] != 0).mean()
        order[w] = float(np.nanmean(r.order[:, y]))
    assert acc["heginbotham-samuels"] > acc["consensus"] + 0.1
    assert acc["kelly"] < acc["consensus"] - 0.1
    assert order["heginbotham-samuels"] > order["consensus"]


@pytest.mark.validation
def test_an_armed_rok_turtles_too():
    """F0:L7, L160 (C0.6) for the ROK: an ROK arsenal makes it accommodate China more, not less,
    though China keeps coercing it (coercion backfires only on an unarmed ally, F0:L86-94), and
    by less under Kelly, who denies turtling (F2:L14). Under a conservative government with no
    shocks, so that the posture is not already saturated. (Before issue 14 closed, an ROK bomb
    lowered its accommodation in every world, H&S's included.)"""
    quiet = ("levers.rok_camp=conservative", "shocks=[]", "uncertain.politics.kor_flip={dist: fixed, value: 0}")
    rise = {}
    for w in ("consensus", "heginbotham-samuels", "kelly"):
        acc = []
        for extra in ((), ("levers.status.KOR=arsenal",)):
            r, a, years = annual("status-quo-2025", w, *quiet, *extra)
            acc.append((r.posture[:, years.index(2035), a.index("KOR")] == 2).mean())
        rise[w] = acc[1] - acc[0]
    assert rise["consensus"] > 0.05 and rise["heginbotham-samuels"] > 0.05
    assert rise["kelly"] < rise["consensus"] - 0.02


@pytest.mark.validation
def test_kelly_first_use_is_structural():
    """F2:L17-18: DPRK first use in a Korean war is likelier than under consensus even without
    allied decapitation plans or pre-delegation, and more of it survives their removal."""
    c, k = (crisis_exact("korea", w) for w in ("consensus", "kelly"))
    c0, k0 = (crisis_exact("korea", w, *DOCTRINE_OFF) for w in ("consensus", "kelly"))
    assert k.first_use[0, 0] > c.first_use[0, 0]
    assert k0.first_use[0, 0] > c0.first_use[0, 0] + 0.05
    assert k0.first_use[0, 0] / k.first_use[0, 0] > c0.first_use[0, 0] / c.first_use[0, 0]


@pytest.mark.validation
def test_asano_risk_reduction_trade_matters_more():
    """F3:L28-32: use-or-lose and pre-delegation make inadvertent escalation likelier, so the
    no-decapitation-for-no-pre-delegation trade lowers P(nuclear use | Korean war) by more than
    under consensus, and less of DPRK first use survives it than under Kelly."""
    drop, inadvertent, kept = {}, {}, {}
    for w in ("consensus", "asano", "kelly"):
        base, deal = crisis_exact("korea", w), crisis_exact("korea", w, *DEAL)
        drop[w] = base.reached[0, 6] - deal.reached[0, 6]
        inadvertent[w] = base.inadvertent[0]
        kept[w] = deal.first_use[0, 0] / base.first_use[0, 0]
    assert drop["asano"] > drop["consensus"] + 0.05
    assert inadvertent["asano"] > inadvertent["consensus"]
    assert kept["asano"] < kept["consensus"] < kept["kelly"]


@pytest.mark.validation
def test_higuchi_theatre_forces_and_sharing_matter_more():
    """F4:L69-71, L83-89: theatre-nuclear inferiority invites coercion; US theatre forces and
    bilateral sharing cut the chance that the US side backs down by more than under consensus;
    after China's build-up to 1,500 warheads (2035) coercion over Taiwan succeeds more often;
    and after US abandonment the NPT collapses more often by 2050."""
    gain, share, taiwan = {}, {}, {}
    for w in ("consensus", "higuchi"):
        low = us_backs_down(crisis_exact("korea", w, "levers.us_theater_nuclear=low"))
        high = us_backs_down(crisis_exact("korea", w, "levers.us_theater_nuclear=high"))
        shared = us_backs_down(crisis_exact("korea", w, "levers.us_theater_nuclear=low",
                                            "levers.nuclear_sharing.KOR=f35_certified"))
        gain[w], share[w] = low - high, low - shared
        taiwan[w] = us_backs_down(crisis_exact("taiwan", w, "start_year=2035", "horizon=2050",
                                               "levers.china_warheads_target_2035=1500"))
    assert gain["higuchi"] > gain["consensus"]
    assert share["higuchi"] > share["consensus"]
    assert taiwan["higuchi"] > taiwan["consensus"]
    collapse = {}
    for w in ("consensus", "higuchi"):
        r, _, years = annual("us-abandonment", w)
        collapse[w] = r.npt_collapsed[:, years.index(2050)].mean()
    assert collapse["higuchi"] > collapse["consensus"]


@pytest.mark.validation
def test_the_worlds_disagree_where_the_articles_do():
    """Issue 14, defect 8: the ROK's pursuit by 2040 once spanned 16.0-17.1 % over the six worlds.
    Defense One's cascade world (F1) has the ROK pursue and Japan follow more than the consensus;
    Heginbotham and Samuels's (F0: acquisition hard, opinion restrained by the alliance) less; the
    spread over the worlds is more than ten points by 2050."""
    pursue = {}
    for w in ("consensus", "defense-one", "heginbotham-samuels", "higuchi", "kelly", "asano"):
        r, a, years = annual("status-quo-2025", w, runs=1500)
        pursue[w] = {c: float((r.reached[:, -1, a.index(c)] >= 2).mean()) for c in ("KOR", "JPN")}
    assert pursue["defense-one"]["KOR"] > pursue["consensus"]["KOR"] + 0.04
    assert pursue["defense-one"]["JPN"] > pursue["consensus"]["JPN"] + 0.03
    assert pursue["heginbotham-samuels"]["KOR"] < pursue["consensus"]["KOR"] - 0.04
    kor = [v["KOR"] for v in pursue.values()]
    assert max(kor) - min(kor) > 0.10

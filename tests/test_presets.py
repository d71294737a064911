"""The bundled scenario presets of issue 6 (seeds/EXTRACTION.md §10, S1-S24): present, valid,
sourced, runnable, and listed by the catalogue."""

from __future__ import annotations

import re

import pytest

from umbrella.engine.run import simulate
from umbrella.results.summary import summarise
from umbrella.scenario import catalog
from umbrella.scenario.load import PRESET_DIR, list_presets, load_scenario, load_world

REQUIRED = [
    "baseline-2021", "trump-2019", "status-quo-2025", "us-abandonment", "rok-rupture-fast",
    "rok-rupture-gradual", "rok-goes-first", "japan-goes-first", "kelly-permitted-rok-deterrent",
    "kelly-massive-retaliation", "tnw-redeploy-korea", "bilateral-npg-sharing",
    "asian-multilateral-npg", "higuchi-package", "burden-sharing-reform", "dprk-risk-reduction",
    "dprk-risk-reduction-uncoordinated", "korean-war", "china-1500-by-2035", "taiwan-crisis",
    "global-npt-cascade", "us-arms-control-retrenchment", "china-economic-coercion",
    "dprk-test-moratorium", "rok-government-alternation", "european-umbrella",
]
FORWARD = sorted(p for p in list_presets() if load_scenario(p).mode == "annual")
JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_required_ids_exist():
    assert len(REQUIRED) == len(set(REQUIRED)) == 26
    assert sorted(REQUIRED) == FORWARD
    for pid in REQUIRED:
        assert (PRESET_DIR / f"{pid}.yaml").is_file(), pid


@pytest.mark.parametrize("pid", REQUIRED)
def test_preset_validates_and_is_sourced(pid):
    s = load_scenario(pid)
    load_world(s.world)
    assert s.id == pid
    assert s.title and s.description
    assert JA.search(s.title_ja), "title_ja is Japanese"
    assert s.sources, "at least one seed line"
    for src in s.sources:
        assert re.fullmatch(r"F[0-4]:L\d+(-\d+)?", src.ref), src.ref
        assert src.en and JA.search(src.ja)
    assert s.horizon > s.start_year
    assert all(s.start_year <= k.year <= s.horizon for k in s.shocks)


def test_start_years():
    assert load_scenario("baseline-2021").start_year == 2021
    assert load_scenario("trump-2019").start_year == 2019
    assert load_scenario("status-quo-2025").start_year == 2025


@pytest.mark.slow
@pytest.mark.parametrize("pid", REQUIRED)
def test_preset_runs(pid):
    full = load_scenario(pid)
    horizon = max([full.start_year + 5] + [k.year for k in full.shocks])
    dropped: list = []
    s = load_scenario(pid, fields={"runs": 20, "horizon": horizon}, dropped=dropped)
    assert not dropped and len(s.shocks) == len(full.shocks)
    res = simulate(s, load_world(s.world))
    summary = summarise(res)
    for a, levels in summary["status"].items():
        for lvl, series in levels.items():
            assert all(0.0 <= v <= 1.0 for v in series.values()), (pid, a, lvl)
    # a forced war or crisis is played in every run, in its year and theatre
    for k in s.shocks:
        if k.type in ("war", "crisis"):
            t = k.year - s.start_year
            j = res.theatres.index(k.theatre)
            assert (res.crisis_rung[:, t, j] >= (4 if k.type == "war" else 1)).all(), (pid, k)
            if k.type == "war":
                assert summary["war"][k.theatre][str(k.year)] == 1.0


def _numbers(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _numbers(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numbers(v, f"{path}[{i}]")
    elif isinstance(node, float):
        yield path, node


@pytest.mark.slow
@pytest.mark.parametrize("pid", FORWARD)
def test_headline_outcomes_are_neither_silent_zeros_nor_nan(pid):
    """Issue 14 defect 1: a missing fact once made every onset comparison false, so baseline-2021
    and trump-2019 showed 0.0 % on every status for the ROK and Japan. Every preset's headline
    outcomes must move: an ally explores in some run by the horizon, credibility is a number, and
    no number of the summary is NaN."""
    import math
    s = load_scenario(pid, fields={"runs": 300})
    summary = summarise(simulate(s, load_world(s.world)))
    y = str(s.horizon)
    explored = [summary["status"][a]["explore"][y] for a in ("KOR", "JPN", "TWN") if a in summary["status"]]
    assert max(explored) > 0.0, (pid, explored)
    assert 0.0 < summary["credibility"]["KOR"]["p50"][str(s.start_year)] < 1.0, pid
    nan = [p for p, v in _numbers(summary) if math.isnan(v) and not p.startswith(".regional_order")]
    assert not nan, (pid, nan[:5])


def test_catalogue_lists_every_preset():
    cat = catalog.presets()
    assert [c["id"] for c in cat] == sorted(REQUIRED)
    for c in cat:
        assert set(c) == {"id", "title", "title_ja", "sources"}
        assert c["title"] and JA.search(c["title_ja"]) and c["sources"]
        assert all(isinstance(r, str) for r in c["sources"])


def test_variations_extend_their_parent():
    assert load_scenario("us-abandonment").extends == "status-quo-2025"
    assert load_scenario("taiwan-crisis").extends == "china-1500-by-2035"
    assert load_scenario("dprk-risk-reduction-uncoordinated").extends == "dprk-risk-reduction"
    war = [k for k in load_scenario("korean-war").shocks if k.type == "war"]
    assert [(k.year, k.theatre) for k in war] == [(2026, "korea")]
    war = [k for k in load_scenario("taiwan-crisis").shocks if k.type == "war"]
    assert [(k.year, k.theatre) for k in war] == [(2035, "taiwan")]
    unc = load_scenario("dprk-risk-reduction-uncoordinated").levers
    assert unc.dprk_deal.no_decapitation_for_no_predelegation and unc.dprk_deal.icbm_cap
    assert not unc.dprk_deal.mrbm_cap and unc.trilateral_coordination == "low"


EXPECTING = sorted(p for p in FORWARD if load_scenario(p).expect)


def test_every_forward_preset_but_the_baselines_states_what_it_moves():
    """Issue 14, defect 7: a preset equal to the status quo is a defect; each states what its
    article says it moves (docs/presets.md lists them all)."""
    assert sorted(set(FORWARD) - set(EXPECTING)) == ["baseline-2021", "status-quo-2025", "trump-2019"]
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[1] / "docs" / "presets.md").read_text(encoding="utf-8")
    for pid in EXPECTING:
        for e in load_scenario(pid).expect:
            assert f"| `{pid}` | `{e.outcome}` | {e.direction} |" in doc, (pid, e.outcome)


@pytest.mark.slow
@pytest.mark.parametrize("pid", EXPECTING)
def test_preset_moves_what_its_article_says(pid):
    from umbrella.analysis.expectations import check
    rows = check(pid, runs=1500)
    bad = [r for r in rows if not r["ok"]]
    assert not bad, bad


def test_expectations_are_not_inherited_and_paths_are_checked():
    from umbrella.analysis.expectations import moved, value
    from umbrella.errors import InputError
    parent, child = load_scenario("china-1500-by-2035"), load_scenario("taiwan-crisis")
    assert child.extends == parent.id
    assert {e.outcome for e in child.expect}.isdisjoint({e.outcome for e in parent.expect})
    s = {"status": {"KOR": {"pursue": {"2050": 0.3}}}}
    assert value(s, "status.KOR.pursue.2050") == 0.3
    with pytest.raises(InputError, match="status.JPN.pursue.2050"):
        value(s, "status.JPN.pursue.2050")
    assert moved("up", 0.30, 0.31) and not moved("up", 0.30, 0.301) and moved("down", 1500.0, 1490.0)

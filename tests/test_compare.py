"""`umbrella.analysis.compare`: paired differences on common random numbers (issue 6 item 3).

Checks: deterministic and independent of batch size; a scenario against itself gives exact
zeros; antisymmetry; the known direction of US abandonment against the 2025 status quo; the
paired mean equals the difference of the two runs' `summarise` shares; runs of different windows
are intersected; several worlds with `robust` / `sign_flips` by their definitions; Scenario
objects and different worlds; the plain-text table; bad input; speed of `diff`."""

import functools
import json
from types import SimpleNamespace as NS

import numpy as np
import pytest

from umbrella.analysis.compare import Z90, compare, diff, headline_years, outcomes
from umbrella.engine.run import simulate
from umbrella.errors import InputError
from umbrella.interfaces.text import compare_text
from umbrella.results.summary import summarise
from umbrella.scenario import list_worlds, load_scenario, load_world

SQ, ABN = "status-quo-2025", "us-abandonment"
RUNS, SEED = 600, 3
SHORT = ("horizon=2040",)
OTHER_WORLD = "higuchi"  # an article world (docs/worlds.md): abandonment accelerates proliferation


@functools.cache
def cmp(a=SQ, b=ABN, runs=RUNS, seed=SEED, overrides=SHORT, batch_size=10_000, worlds=None,
        world=None):
    return compare(a, b, runs=runs, seed=seed, overrides=overrides, batch_size=batch_size,
                   worlds=list(worlds) if worlds else None, world=world)


def cells(result):
    return dict(outcomes(result["diff"]))


@pytest.mark.slow
def test_deterministic_and_batch_size_invariant():
    one = json.dumps(cmp(), sort_keys=True)
    again = json.dumps(compare(SQ, ABN, runs=RUNS, seed=SEED, overrides=SHORT), sort_keys=True)
    batched = json.dumps(cmp(batch_size=137), sort_keys=True)
    assert one == again == batched
    r = cmp()
    assert (r["a"], r["b"], r["runs"], r["seed"], r["world"]) == (SQ, ABN, RUNS, SEED, "consensus")
    assert set(r["diff"]) == {"status", "npt_collapse", "credibility", "nuclear_use", "warheads", "alignment",
                              "order", "war", "base_access"}
    assert set(r["diff"]["nuclear_use"]) == {"any", "korea", "taiwan", "east-china-sea", "europe"}
    assert {"CHN", "PRK", "RUS", "USA"} <= set(r["diff"]["warheads"]) and "SAU" not in r["diff"]["warheads"]
    assert set(r["diff"]["alignment"]) == {"JPN", "KOR", "TWN", "AUS"}
    assert set(r["diff"]["base_access"]) == {"korea", "taiwan"}
    assert list(r["diff"]["npt_collapse"]) == [str(y) for y in range(2025, 2041)]
    assert {"KOR", "JPN", "TWN"} <= set(r["diff"]["credibility"])
    assert set(r["diff"]["status"]["KOR"]) == {"explore", "pursue", "arsenal"}


def test_defaults_runs_2000_and_seed_of_a():
    # runs default to 2000 and the seed to A's (a short horizon keeps it quick)
    r = compare(SQ, ABN, overrides=("horizon=2027",))
    assert r["runs"] == 2000
    assert r["seed"] == load_scenario(SQ).seed


def test_self_comparison_is_exactly_zero():
    r = cmp(SQ, SQ, runs=300)
    cs = cells(r)
    assert len(cs) > 1000
    for name, c in cs.items():
        assert c == {"mean": 0.0, "lo": 0.0, "hi": 0.0}, name


def test_antisymmetric():
    ab, ba = cells(cmp(SQ, ABN)), cells(cmp(ABN, SQ))
    assert ab.keys() == ba.keys()
    for name, c in ab.items():
        d = ba[name]
        assert d["mean"] == -c["mean"] and d["lo"] == -c["hi"] and d["hi"] == -c["lo"], name


def test_abandonment_moves_korea_and_japan_the_expected_way():
    d = compare(SQ, ABN, runs=1000, seed=SEED, overrides=SHORT)["diff"]
    kor = d["status"]["KOR"]["pursue"]["2040"]
    jpn = d["credibility"]["JPN"]["2035"]
    kor_c = d["credibility"]["KOR"]["2035"]
    assert kor["lo"] > 0, kor     # more ROK programmes once the US leaves
    assert jpn["hi"] < 0, jpn     # lower credibility in Japan's eyes
    assert kor_c["hi"] < 0, kor_c
    for c in (kor, jpn):          # the interval is mean -/+ z * se, symmetric
        assert c["lo"] < c["mean"] < c["hi"]
        assert c["mean"] - c["lo"] == pytest.approx(c["hi"] - c["mean"], abs=2e-6)


@functools.cache
def _pair(runs=500, seed=SEED):
    a = load_scenario(SQ, overrides=SHORT, fields={"runs": runs, "seed": seed})
    b = load_scenario(ABN, overrides=SHORT, fields={"runs": runs, "seed": seed})
    w = load_world("consensus")
    return simulate(a, w), simulate(b, w)


def test_mean_is_difference_of_summary_shares():
    ra, rb = _pair()
    d = diff(ra, rb)
    sa, sb = summarise(ra), summarise(rb)
    tol = 1.5e-6  # both sides are rounded to 6 decimals
    for a in sa["actors"]:
        for lvl in ("explore", "pursue", "arsenal"):
            for y, c in d["status"][a][lvl].items():
                assert c["mean"] == pytest.approx(sb["status"][a][lvl][y] - sa["status"][a][lvl][y],
                                                  abs=tol), (a, lvl, y)
    for y, c in d["npt_collapse"].items():
        ref = sb["npt"]["collapse"][y] - sa["npt"]["collapse"][y]
        assert c["mean"] == pytest.approx(ref, abs=tol)
    for th, series in d["nuclear_use"].items():
        for y, c in series.items():
            assert c["mean"] == pytest.approx(sb["nuclear_use"][th][y] - sa["nuclear_use"][th][y], abs=tol)
    for th, series in d["war"].items():
        for y, c in series.items():
            assert c["mean"] == pytest.approx(sb["war"][th][y] - sa["war"][th][y], abs=tol)
    for a, series in d["warheads"].items():     # a mean of per-run differences: the means' difference
        for y, c in series.items():
            assert c["mean"] == pytest.approx(sb["warheads"][a]["mean"][y] - sa["warheads"][a]["mean"][y],
                                              rel=1e-4, abs=1e-2)
    for a, postures in d["alignment"].items():
        for name, series in postures.items():
            for y, c in series.items():
                assert c["mean"] == pytest.approx(sb["alignment"][a][name][y] - sa["alignment"][a][name][y],
                                                  abs=tol)
    for cli, series in d["credibility"].items():
        for y, c in series.items():
            ref = sb["credibility"][cli]["mean"][y] - sa["credibility"][cli]["mean"][y]
            assert c["mean"] == pytest.approx(ref, abs=1e-5), (cli, y)
    # compare() is that diff of those runs
    assert cmp(runs=500)["diff"] == d


def test_interval_is_paired_standard_error():
    ra, rb = _pair()
    d = diff(ra, rb)["status"]["KOR"]["pursue"]["2040"]
    t = list(ra.inputs.years).index(2040)
    k = list(ra.inputs.actors).index("KOR")
    x = (rb.reached[:, t, k] >= 2).astype(float) - (ra.reached[:, t, k] >= 2)
    se = x.std(ddof=1) / np.sqrt(len(x))
    assert d["mean"] == pytest.approx(x.mean(), abs=1e-6)
    assert d["lo"] == pytest.approx(x.mean() - Z90 * se, abs=1e-6)
    assert d["hi"] == pytest.approx(x.mean() + Z90 * se, abs=1e-6)


def test_different_windows_are_intersected():
    w = load_world("consensus")
    a = load_scenario(SQ, fields={"runs": 200, "seed": 1, "horizon": 2035})
    b = load_scenario(ABN, fields={"runs": 200, "seed": 1, "start_year": 2027, "horizon": 2038})
    d = diff(simulate(a, w), simulate(b, w))
    assert list(d["npt_collapse"]) == [str(y) for y in range(2027, 2036)]
    assert list(d["status"]["KOR"]["pursue"]) == list(d["npt_collapse"])
    with pytest.raises(InputError, match="runs"):
        diff(simulate(a, w), simulate(a.model_copy(update={"runs": 100}), w))


@pytest.mark.slow
def test_worlds_robust_and_sign_flips_follow_their_definitions():
    if OTHER_WORLD not in list_worlds():
        pytest.skip(f"world {OTHER_WORLD} not bundled")
    ws = ("consensus", OTHER_WORLD)
    r = cmp(worlds=ws)
    assert list(r["worlds"]) == list(ws)
    assert "diff" not in r and "world" not in r
    assert r["headline_years"] == [2025, 2030, 2035, 2040] == headline_years(range(2025, 2041))
    # each world's diff is the single-world comparison in that world
    for w in ws:
        assert r["worlds"][w]["diff"] == cmp(world=w)["diff"]
    per = {w: dict(outcomes(r["worlds"][w]["diff"], r["headline_years"])) for w in ws}
    robust, flips, contested = [], [], []
    for name in per["consensus"]:
        cs = [per[w][name] for w in ws]
        if all(c["lo"] > 0 for c in cs) or all(c["hi"] < 0 for c in cs):
            robust.append(name)
        if any(c["mean"] > 0 for c in cs) and any(c["mean"] < 0 for c in cs):
            flips.append(name)
        if any(c["lo"] > 0 for c in cs) and any(c["hi"] < 0 for c in cs):
            contested.append(name)
    assert r["robust"] == robust and r["sign_flips"] == flips and r["contested"] == contested
    assert "status.KOR.pursue.2040" in r["robust"]
    assert "credibility.JPN.2035" in r["robust"]
    assert not any(n.endswith(".2033") for n in r["robust"] + r["sign_flips"])
    text = compare_text(r)
    assert "across worlds" in text and OTHER_WORLD in text and "robust: up" in text


def test_scenario_objects_and_different_worlds():
    if OTHER_WORLD not in list_worlds():
        pytest.skip(f"world {OTHER_WORLD} not bundled")
    a = load_scenario(SQ, overrides=SHORT)
    b = load_scenario(ABN, overrides=SHORT, fields={"world": OTHER_WORLD})
    r = compare(a, b, runs=RUNS, seed=SEED)
    assert r["world"] == "consensus"  # A's world
    assert any("different worlds" in n for n in r["notes"])
    assert r["diff"] == cmp()["diff"]  # same as the preset ids in consensus
    r2 = compare(a, b, runs=RUNS, seed=SEED, world=OTHER_WORLD)
    assert r2["world"] == OTHER_WORLD and r2["notes"] == []


def test_compare_text_single_world():
    text = compare_text(cmp())
    for s in ("South Korea: has started a weapons programme", "Japan: has nuclear weapons",
              "Taiwan", "NPT has collapsed", "US credibility as seen by Japan",
              "A nuclear weapon has been used", "by 2035", "by 2040", "world: consensus",
              f"{ABN} minus {SQ}"):
        assert s in text, s
    assert "[" not in text and "]" not in text  # safe to print through rich
    assert "by 2050" not in text  # the horizon is 2040
    zero = compare_text(cmp(SQ, SQ, runs=300))
    assert "+" not in zero.split("---")[-1] and "-0.0" not in zero


@pytest.mark.parametrize("kwargs, key, shown", [
    (dict(a="no-such-preset"), "A", "status-quo-2025"),
    (dict(b="no-such-preset"), "B", "status-quo-2025"),
    (dict(world="nowhere"), "world", "consensus"),
    (dict(worlds=["consensus", "nowhere"]), "world", "consensus"),
    (dict(worlds=[]), "--worlds", "all"),
    (dict(world="consensus", worlds="all"), "--worlds", "not both"),
    (dict(runs=0), "--runs", ">= 1"),
    (dict(runs=-5), "--runs", ">= 1"),
    (dict(runs=2.5), "--runs", ">= 1"),
    (dict(seed=-1), "seed", "from 0"),
    (dict(a="historical", overrides=()), "A", "forward scenario"),   # (SHORT's horizon is past 2017)
    (dict(overrides=("levers.nope=1",)), "levers.nope", "allowed"),
])
def test_bad_input(kwargs, key, shown, monkeypatch):
    import umbrella.engine.run as engine_run

    def no_run(*a, **k):
        raise AssertionError("the engine ran before the bad input was refused")

    monkeypatch.setattr(engine_run, "simulate", no_run)   # refused before running anything
    args = {"a": SQ, "b": ABN, "runs": 10, "overrides": SHORT, **kwargs}
    a, b = args.pop("a"), args.pop("b")
    with pytest.raises(InputError) as e:
        compare(a, b, **args)
    msg = str(e.value)
    # the key, after the option that set it when it was one (`--world nowhere: world: ...`)
    assert msg.startswith(key) or msg.split(": ", 1)[1].startswith(key), msg
    assert shown in msg, msg
    if "runs" in kwargs:
        assert repr(kwargs["runs"]) in msg


def test_diff_of_10000_runs_of_fake_results():
    """diff on synthetic arrays of the real shapes (speed is benchmarked, not tested here)."""
    R, Y, A, P = 10_000, 26, 20, 15
    rng = np.random.default_rng(0)

    def fake():
        inp = NS(years=np.arange(2025, 2025 + Y), actors=tuple(f"A{i:02d}" for i in range(A)),
                 pairs=tuple(("USA", f"A{i:02d}") for i in range(9)) + (("CHN", "A01"),) * 6)
        posture = np.full((R, Y, A), -1, np.int8)
        posture[:, :, :3] = rng.integers(0, 3, (R, Y, 3), dtype=np.int8)
        return NS(inputs=inp,
                  reached=np.maximum.accumulate(rng.integers(0, 4, (R, Y, A), dtype=np.int8),
                                                axis=1),
                  credibility=rng.random((R, Y, P), dtype=np.float32),
                  npt_collapsed=rng.random((R, Y)) < 0.02, theatres=(),
                  crisis_first_user=np.full((R, Y, 0), -1, np.int8),
                  warheads=np.where(np.arange(A) < 4, 100.0, 0.0) * np.ones((R, Y, A), np.float32),
                  posture=posture, order=rng.random((R, Y), dtype=np.float32))

    ra, rb = fake(), fake()
    d = diff(ra, rb)
    assert len(d["status"]) == A and len(d["credibility"]) == 9
    assert set(d["warheads"]) == {"A00", "A01", "A02", "A03"} and set(d["alignment"]) == {"A00", "A01", "A02"}
    assert d["war"] == {} and d["base_access"] == {} and set(d["nuclear_use"]) == {"any"}

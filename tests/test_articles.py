"""Article statements under the default (consensus) world that need two scenarios: VALIDATION A2
and the annual-model half of A12 (the crisis half is in test_crisis.py). A1, A3, A4 and A5 are
in test_engine.py, A6 in test_geo.py, A7 in test_data.py, A8-A12 (crisis) in test_crisis.py, the
credibility half of A9 in test_crises_annual.py. Differences are paired on common random numbers
(umbrella.analysis.compare), so each is tested by its 90 % interval, not by two noisy shares."""

import pytest

from umbrella.analysis.compare import compare

pytestmark = [pytest.mark.validation, pytest.mark.slow]   # whole-model ensembles (A2, A12), about 5 s

RUNS = 1000


@pytest.fixture(scope="module")
def diffs():
    return {b: compare("status-quo-2025", b, runs=RUNS, seed=2025, world="consensus")["diff"]
            for b in ("rok-goes-first", "japan-goes-first", "bilateral-npg-sharing", "tnw-redeploy-korea")}


def up(c):
    return c["lo"] > 0


def down(c):
    return c["hi"] < 0


def test_a2_an_rok_programme_raises_japans_and_vice_versa(diffs):
    """A2: an ROK programme start raises Japan's programme probability substantially, and vice
    versa (F1:L23; F0:L156-158). 'Substantially': at least doubling the status-quo share."""
    base = _share("status-quo-2025")
    jp = diffs["rok-goes-first"]["status"]["JPN"]["pursue"]["2040"]
    kr = diffs["japan-goes-first"]["status"]["KOR"]["pursue"]["2040"]
    assert up(jp) and jp["mean"] >= base["JPN"]
    assert up(kr) and kr["mean"] >= base["KOR"]


def _share(pid):
    from umbrella.engine.run import simulate
    from umbrella.results.summary import summarise
    from umbrella.scenario import load_scenario, load_world
    sc = load_scenario(pid, fields={"runs": RUNS, "seed": 2025, "horizon": 2040})
    s = summarise(simulate(sc, load_world("consensus")))
    return {a: s["status"][a]["pursue"]["2040"] for a in ("KOR", "JPN")}


@pytest.mark.parametrize("preset", ["bilateral-npg-sharing", "tnw-redeploy-korea"])
def test_a12_sharing_and_theatre_forces_raise_credibility_and_lower_programmes(diffs, preset):
    d = diffs[preset]
    assert up(d["credibility"]["KOR"]["2035"])
    assert down(d["status"]["KOR"]["pursue"]["2040"])
    if preset == "bilateral-npg-sharing":
        assert up(d["credibility"]["JPN"]["2035"]) and down(d["status"]["JPN"]["pursue"]["2040"])


def test_a12_sharing_destabilises_less_than_an_indigenous_programme(diffs):
    """NPT collapse by 2050: bilateral sharing lowers it, an ROK programme raises it."""
    assert down(diffs["bilateral-npg-sharing"]["npt_collapse"]["2050"])
    assert up(diffs["rok-goes-first"]["npt_collapse"]["2050"])

"""The geography layer's inputs to the annual engine (issue 4 item 3): homeland reach gates the
decoupling term, theatre exposure weights the arms term, and the DPRK capability levers move
them (docs/model.md §5.4)."""

import numpy as np
import pytest

from umbrella.errors import InputError
from umbrella.geo.engine_inputs import engine_inputs
from umbrella.results.summary import summarise
from umbrella.scenario import load_scenario

ACTORS = ("USA", "CHN", "RUS", "PRK", "KOR", "JPN", "TWN", "AUS", "POL")


def _by(actors, arr):
    return dict(zip(actors, np.asarray(arr, float), strict=False))


def test_default_inputs_follow_the_bundled_missile_data():
    g = engine_inputs(ACTORS, 2025)
    reach = _by(ACTORS, g["home_reach"])
    assert reach["CHN"] == reach["PRK"] == reach["RUS"] == 1.0      # ICBM classes reach CONUS
    chn, prk = _by(ACTORS, g["expo"]["CHN"]), _by(ACTORS, g["expo"]["PRK"])
    assert chn["KOR"] == chn["JPN"] == chn["TWN"] == 1.0              # DF-21/DF-26 cover them
    assert chn["AUS"] == 0.0                                          # Canberra beyond 4,000 km
    assert prk["KOR"] == 1.0 and 0.3 < prk["JPN"] < 0.8               # SRBMs reach only western Japan
    assert _by(ACTORS, g["expo"]["RUS"])["POL"] == 1.0                # no Russian theatre data: unweighted


def test_capability_levers_move_the_inputs():
    none = engine_inputs(ACTORS, 2025, {"PRK": {"ICBM": 0.0}})
    half = engine_inputs(ACTORS, 2025, {"PRK": {"ICBM": 0.5}})
    assert _by(ACTORS, none["home_reach"])["PRK"] == 0.0
    assert _by(ACTORS, half["home_reach"])["PRK"] == 0.5
    no_mrbm = engine_inputs(ACTORS, 2025, {"PRK": {"MRBM": 0.0, "IRBM": 0.0}})
    assert _by(ACTORS, no_mrbm["expo"]["PRK"])["JPN"] < _by(ACTORS, engine_inputs(ACTORS, 2025)["expo"]["PRK"])["JPN"]


def test_years_outside_the_missile_table_use_the_nearest():
    assert engine_inputs(ACTORS, 2010)["year_used"] == 2023
    assert engine_inputs(ACTORS, 2040)["year_used"] == 2025


def test_rok_credibility_falls_with_dprk_icbm_capability(run_scenario):
    """The decoupling channel (seed F2:L21, F3:L34-38; VALIDATION A10's direction): the ROK's
    median credibility is lower the more capable the DPRK's ICBMs, on common random numbers."""
    med = []
    for cap in ("0.0", "0.5", "1.0"):
        s = summarise(run_scenario("status-quo-2025", runs=1000, sets=(f"levers.dprk_icbm_capability={cap}",)))
        med.append(s["credibility"]["KOR"]["p50"]["2035"])
    assert med[0] > med[1] > med[2], med


def test_capability_lever_is_validated():
    with pytest.raises(InputError, match="dprk_icbm_capability"):
        load_scenario("status-quo-2025", overrides=["levers.dprk_icbm_capability=1.5"])

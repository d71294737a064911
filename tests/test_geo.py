"""Geography (issue 4): geodesy, shapes, missile classes, exposure of bases, `umbrella exposure`.

Everything reads only the bundled data (tables/, data/geo/). The A6 figures asserted here are the
values measured with the bundled data; docs/geography.md compares them with the seed's.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from umbrella.data import load_table
from umbrella.errors import InputError
from umbrella.geo import exposure, geodesy, missiles, territory

UMB = [sys.executable, "-m", "umbrella.interfaces.cli"]


def _pt(name: str) -> tuple[float, float]:
    b = load_table("bases").set_index("name")
    return float(b.at[name, "lat"]), float(b.at[name, "lon"])


def _haversine(lat1, lon1, lat2, lon2, r=6371.0088):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def res():
    return exposure.compute()


# ------------------------------------------------------------------ geodesy

def test_seoul_pyongyang_distance():
    (la1, lo1), (la2, lo2) = _pt("Seoul (capital)"), _pt("Pyongyang (capital)")
    d = geodesy.distance_km(la1, lo1, la2, lo2)
    direct = Geodesic.WGS84.Inverse(la1, lo1, la2, lo2)["s12"] / 1000
    assert abs(d - direct) < 2.0
    assert abs(d - 194.0) < 5.0  # the reference pack's derived Seoul-Pyongyang distance (facts E)


def test_long_haul_jfk_lhr():
    # GeographicLib's own example (example-Geodesic-small.cpp, Karney 2013): JFK (40.6, -73.8) to
    # LHR (51.6, -0.5) is 5,551.76 km on WGS84; a sphere of the mean radius is within 0.5 %.
    d = geodesy.distance_km(40.6, -73.8, 51.6, -0.5)
    assert abs(d - 5551.76) < 0.01
    assert abs(d / _haversine(40.6, -73.8, 51.6, -0.5) - 1) < 0.005
    assert geodesy.distance_km(0, 0, 0, 0) == 0.0


@pytest.mark.parametrize("lat,lon,r", [(37.09, 127.03, 1000.0), (13.58, 144.93, 3400.0), (60.0, 179.5, 500.0),
                                       (-35.3, 149.1, 50.0)])
def test_circle_points_are_at_the_radius(lat, lon, r):
    lats, lons = geodesy.circle(lat, lon, r, n=72)
    assert lats.shape == lons.shape == (72,)
    for la, lo in zip(lats, lons, strict=True):
        assert abs(geodesy.distance_km(lat, lon, la, lo) - r) < 1e-6
    assert np.all((lons >= -180) & (lons < 180))
    # azimuth 0 is due north
    assert lats[0] > lat and abs(geodesy.azimuth_deg(lat, lon, lats[0], lons[0])) < 1e-6


def test_circle_unroll_is_continuous_across_the_antimeridian():
    _, lons = geodesy.circle(60.0, 179.5, 500.0, n=90, unroll=True)
    assert np.abs(np.diff(lons)).max() < 10  # no 360-degree jump
    _, wrapped = geodesy.circle(60.0, 179.5, 500.0, n=90)
    assert np.abs(np.diff(wrapped)).max() > 300


SQUARE = [np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]])]


def test_nearest_km_is_zero_inside():
    assert geodesy.nearest_km(0.5, 0.5, SQUARE) == 0.0
    assert geodesy.nearest_km(*_pt("Beijing (capital)"), territory.territory("CHN")) == 0.0
    assert geodesy.nearest_km(*_pt("Pyongyang (capital)"), territory.territory("PRK")) == 0.0
    # Taiwan is its own feature: Taipei is not on the PRC's territory
    assert geodesy.nearest_km(*_pt("Taipei (capital)"), territory.territory("CHN")) > 100


def test_nearest_km_densifies_edges():
    # The nearest point is the middle of the square's east edge, 0.5 deg from both corners:
    # without densification the answer would be the corner distance (~78 km), not ~56 km.
    d = geodesy.nearest_km(0.5, 1.5, SQUARE)
    exact = geodesy.distance_km(0.5, 1.5, 0.5, 1.0)
    assert exact - 0.01 <= d < exact + 0.5
    corner = geodesy.distance_km(0.5, 1.5, 0.0, 1.0)
    assert corner - d > 20


@pytest.mark.parametrize("name,iso3", [("Osan Air Base", "CHN"), ("Misawa Air Base", "CHN"),
                                       ("Kadena Air Base", "PRK"), ("Warsaw (capital)", "RUS")])
def test_nearest_km_matches_brute_force_vertex_search(name, iso3):
    lat, lon = _pt(name)
    b = territory.territory_boundary(iso3)
    fast = geodesy.nearest_km(lat, lon, b)
    # brute force over every densified boundary point (geographiclib throughout), kept to the
    # points within 2 % of the spherical minimum so that the test stays fast
    h = np.array([_haversine(lat, lon, la, lo) for la, lo in zip(b.lat, b.lon, strict=True)])
    idx = np.flatnonzero(h <= h.min() * 1.02 + 1)
    brute = min(geodesy.distance_km(lat, lon, b.lat[i], b.lon[i]) for i in idx)
    assert abs(fast - brute) < 0.05
    # and never farther than the nearest ORIGINAL polygon vertex
    raw = np.vstack(territory.territory(iso3))
    h_raw = np.array([_haversine(lat, lon, la, lo) for lo, la in raw])
    nearest_raw = min(geodesy.distance_km(lat, lon, raw[i, 1], raw[i, 0]) for i in np.argsort(h_raw)[:5])
    assert fast <= nearest_raw + 1e-9


def test_nearest_km_to_reference_points_and_sets():
    guam = territory.homeland("Guam")
    assert len(guam) == 1 and guam[0].shape == (2, 2)
    lat, lon = _pt("Andersen Air Force Base")
    assert geodesy.nearest_km(lat, lon, guam) == pytest.approx(0.0, abs=1e-6)
    d = geodesy.set_distance_km(territory.homeland("Guam"), territory.territory("CHN"))
    assert 2800 < d < 3000
    assert geodesy.nearest_km_many([0.5, 0.5], [0.5, 1.5], SQUARE)[0] == 0.0


# ------------------------------------------------------------------ shapes

def test_countries_and_fixed_codes():
    cs = territory.countries()
    assert len(cs) == 177
    codes = [c["iso3"] for c in cs]
    assert "-99" not in codes and len(set(codes)) == 177
    for iso in ("NOR", "FRA", "CYN", "SOL", "KOS", "CHN", "PRK", "KOR", "JPN", "TWN", "RUS", "USA"):
        assert iso in codes
    norway = next(c for c in cs if c["iso3"] == "NOR")
    assert norway["name"] == "Norway" and all(p.shape[1] == 2 for p in norway["polygons"])
    with pytest.raises(ValueError):
        norway["polygons"][0][0, 0] = 0.0  # shared arrays are read-only
    gj = territory.geojson()
    assert not [f for f in gj["features"] if f["id"] == "-99"]
    with pytest.raises(InputError, match="iso3"):
        territory.territory("XXX")


def test_homeland_regions():
    conus = territory.homeland("CONUS")
    assert len(conus) == 1 and conus[0][:, 0].min() > -126 and conus[0][:, 1].max() < 50
    assert len(territory.homeland("Hawaii")) == 5
    assert all(p[:, 1].min() > 50 for p in territory.homeland("Alaska"))
    assert territory.homeland_info("Guam")["kind"] == "points"
    assert territory.homeland_info("Hawaii")["kind"] == "polygons"
    with pytest.raises(InputError, match="CONUS"):
        territory.homeland("Puerto Rico")


# ------------------------------------------------------------------ missile classes

def test_missile_classes_table():
    lo, hi = missiles.year_range()
    assert (lo, hi) == (2023, 2025)
    for y in range(lo, hi + 1):
        df = missiles.classes(y)
        assert not df.duplicated(["state", "cls"]).any()
        for col in ("state", "cls", "systems", "range_km", "range_min_km", "range_max_km", "inventory",
                    "inventory_basis", "nuclear", "launch_area", "source", "confidence"):
            assert col in df.columns
        assert set(df["nuclear"]) <= {"conventional", "dual", "nuclear"}
        assert (df["range_min_km"] <= df["range_km"]).all()
    c25 = missiles.classes(2025).set_index(["state", "cls"])
    assert c25.at[("CHN", "MRBM"), "inventory"] == 1300  # CMPR 2024
    assert c25.at[("CHN", "ICBM"), "inventory"] == 400
    assert c25.at[("CHN", "SRBM"), "range_km"] == 1000  # upper value of 300-1,000
    assert missiles.classes(2023).set_index(["state", "cls"]).at[("CHN", "MRBM"), "inventory"] == 1000
    assert math.isnan(c25.at[("RUS", "ICBM"), "inventory"])
    for y in (2022, 2026, 1963):
        with pytest.raises(InputError, match="2023-2025"):
            missiles.classes(y)


def test_capability_validation():
    for cap, match in [({"USA": {"ICBM": 0}}, "adversary"), ({"PRK": {"SLBM": 0}}, "not a class"),
                       ({"PRK": {"ICBM": -1}}, "number >= 0"), ({"PRK": {"ICBM": {"speed": 1}}}, "capability field"),
                       ({"CHN": {"SRBM": {"range_km": "far"}}}, "range")]:
        with pytest.raises(InputError, match=match):
            exposure.compute(capability=cap)


# ------------------------------------------------------------------ exposure

def test_groups_contain_the_intended_bases(res):
    expect = {
        "ROK": {"Osan Air Base", "Kunsan Air Base", "Camp Humphreys (Desiderio AAF)", "Gimhae Air Base (Busan)",
                "Busan (Pusan) port / CNFK area", "Jinhae (Chinhae) Fleet Activities"},
        "Honshu": {"Misawa Air Base", "Yokota Air Base", "Naval Air Facility Atsugi", "MCAS Iwakuni",
                   "Fleet Activities Yokosuka"},
        "Kyushu": {"Fleet Activities Sasebo"},
        "Okinawa": {"Kadena Air Base", "MCAS Futenma", "Naha Airport / JASDF Naha", "White Beach Naval Facility"},
        "Guam": {"Andersen Air Force Base", "Naval Base Guam (Apra Harbor)"},
    }
    for g, names in expect.items():
        assert set(res["groups"][g]["bases"]) == names
        assert all(res["bases"][n]["group"] == g for n in names)
    # every Northeast-Asian base of the bundled table is in a group; nothing else is
    b = load_table("bases")
    nea = set(b.loc[b["category"].str.contains("japan|korea|guam"), "name"])
    assert set(res["bases"]) == nea
    assert "Seoul (capital)" in res["other_points"] and "Ramstein Air Base" in res["other_points"]
    assert res["bases"]["Andersen Air Force Base"]["country"] == "GUM"


def test_json_contract_shape(res):
    for _name, b in res["bases"].items():
        assert set(b) >= {"country", "group", "lat", "lon", "distance_km", "missiles_in_range"}
        assert set(b["distance_km"]) == {"CHN", "PRK", "RUS"}
        assert set(b["missiles_in_range"]) == {"CHN", "PRK", "RUS"}
        assert b["missiles_in_range"]["RUS"] is None  # no bundled Russian theatre classes
    for g in exposure.GROUPS:
        assert set(res["groups"][g]) >= {"mean_distance_km", "mean_missiles_in_range"}
    assert set(res["homeland_reach"]) == {"CHN", "PRK", "RUS"}
    for v in res["homeland_reach"].values():
        assert set(v) == {"CONUS", "Alaska", "Hawaii", "Guam"} and all(isinstance(x, bool) for x in v.values())
    json.dumps(res)  # serialisable
    assert exposure.compute() == res  # deterministic


def test_distances_known(res):
    b = res["bases"]
    assert b["Osan Air Base"]["distance_km"]["PRK"] == pytest.approx(84.8, abs=1)
    assert b["Kadena Air Base"]["distance_km"]["CHN"] == pytest.approx(636.5, abs=1)
    assert b["Misawa Air Base"]["distance_km"]["CHN"] == pytest.approx(835.6, abs=1)
    assert res["other_points"]["Beijing (capital)"]["distance_km"]["CHN"] == 0.0


def test_homeland_reach(res):
    assert res["homeland_reach"]["CHN"]["CONUS"] and res["homeland_reach"]["PRK"]["CONUS"]
    assert res["homeland"]["PRK"]["CONUS"]["classes_reaching"] == ["ICBM"]
    assert all(res["homeland_reach"]["RUS"].values())
    off = exposure.compute(capability={"PRK": {"ICBM": 0.0}, "CHN": {"ICBM": 0.0}})
    assert not off["homeland_reach"]["PRK"]["CONUS"] and not off["homeland_reach"]["CHN"]["CONUS"]
    assert not off["homeland_reach"]["PRK"]["Hawaii"]
    assert off["homeland_reach"]["PRK"]["Guam"]  # Hwasong-12 class (IRBM, 4,500 km) still reaches Guam
    assert off["capability"]["PRK"]["ICBM"]["inventory"] == 0.0
    # scaling (not zeroing) keeps the reach and scales the counts
    half = exposure.compute(capability={"CHN": {"MRBM": 0.5}})
    assert half["homeland_reach"] == res["homeland_reach"]
    assert (half["groups"]["ROK"]["mean_missiles_in_range"]["CHN"]
            == res["groups"]["ROK"]["mean_missiles_in_range"]["CHN"] - 650)


@given(ranges=st.lists(st.floats(0, 20000), min_size=1, max_size=6),
       inv=st.lists(st.floats(0, 2000), min_size=6, max_size=6),
       dist=st.lists(st.floats(0, 15000), min_size=1, max_size=10),
       bump=st.floats(0, 5000), k=st.integers(0, 5))
@settings(max_examples=200, deadline=None)
def test_count_in_range_monotone_in_range(ranges, inv, dist, bump, k):
    inv = inv[:len(ranges)]
    k = k % len(ranges)
    before = exposure.count_in_range(dist, ranges, inv)
    raised = list(ranges)
    raised[k] += bump
    after = exposure.count_in_range(dist, raised, inv)
    assert np.all(after >= before - 1e-9)


@given(cls=st.sampled_from(["SRBM", "MRBM", "IRBM", "GLCM"]), r1=st.floats(0, 4000), dr=st.floats(0, 3000))
@settings(max_examples=25, deadline=None)
def test_raising_a_class_range_never_lowers_any_count(cls, r1, dr):
    a = exposure.compute(capability={"CHN": {cls: {"range_km": r1}}})
    b = exposure.compute(capability={"CHN": {cls: {"range_km": r1 + dr}}})
    for name in a["bases"]:
        assert b["bases"][name]["missiles_in_range"]["CHN"] >= a["bases"][name]["missiles_in_range"]["CHN"]
        assert (b["bases"][name]["missiles_in_range_by_class"]["CHN"][cls]
                >= a["bases"][name]["missiles_in_range_by_class"]["CHN"][cls])


def test_inland_adds_the_offset_to_china_only(res):
    inl = exposure.compute(launch="inland:300")
    o = inl["bases"]["Osan Air Base"]
    assert o["distance_km"]["CHN"] == pytest.approx(res["bases"]["Osan Air Base"]["distance_km"]["CHN"] + 300, abs=0.11)
    assert o["distance_km"]["PRK"] == res["bases"]["Osan Air Base"]["distance_km"]["PRK"]
    assert inl["launch"] == "inland:300" and exposure.parse_launch("inland").offset_km == 300
    with pytest.raises(InputError, match="launch"):
        exposure.parse_launch("sea")


@pytest.mark.validation
def test_a6_figures(res):
    """The seed check (VALIDATION A6) at the values measured with the bundled data (2025,
    launch from anywhere on China's territory, upper ranges). Seed: ~5x, ~2x, ~0.5; see
    docs/geography.md for why they differ."""
    a6 = res["a6"]
    assert a6["classes"] == ["SRBM", "MRBM"] and a6["irbm_counted"] is False
    assert a6["mean_in_range"] == {"ROK": 1800.0, "Honshu": 1500.0, "Kyushu": 1800.0, "Okinawa": 1800.0, "Guam": 0.0}
    assert a6["rok_honshu_missile_ratio"] == pytest.approx(1.2)
    assert a6["rok_okinawa_missile_ratio"] == pytest.approx(1.0)
    assert a6["with_irbm"]["rok_honshu_missile_ratio"] == pytest.approx(1.15)
    assert a6["mean_distance_km"]["ROK"] == pytest.approx(501.1, abs=0.5)
    assert a6["mean_distance_km"]["Honshu"] == pytest.approx(994.3, abs=0.5)
    assert a6["mean_distance_km"]["Okinawa"] == pytest.approx(639.9, abs=0.5)
    assert a6["mean_distance_km"]["Japan"] == pytest.approx(828.3, abs=0.5)
    assert a6["rok_japan_distance_ratio"] == pytest.approx(0.605, abs=0.002)
    assert a6["rok_honshu_distance_ratio"] == pytest.approx(0.504, abs=0.002)
    # sensitivities quoted in docs/geography.md
    assert exposure.compute(year=2023)["a6"]["rok_honshu_missile_ratio"] == pytest.approx(1.25)
    inl = exposure.compute(launch="inland:300")["a6"]
    assert inl["rok_honshu_missile_ratio"] == pytest.approx(1.385, abs=0.001)
    assert inl["rok_okinawa_missile_ratio"] == pytest.approx(1.0)
    low = exposure.compute(launch="inland:500",
                           capability={"CHN": {"SRBM": {"range_km": 300}, "MRBM": {"range_km": 1500}}})
    assert low["a6"]["rok_honshu_missile_ratio"] == pytest.approx(2.5)


def test_aircraft_radius(res):
    assert res["aircraft"]["radius_km"] == {"CHN": 1000.0}
    share = {g: v["share_within_aircraft_radius"]["CHN"] for g, v in res["groups"].items()}
    assert share == {"ROK": 1.0, "Honshu": 0.4, "Kyushu": 1.0, "Okinawa": 1.0, "Guam": 0.0}
    land = res["aircraft"]["land_share_within_radius"]["CHN"]
    assert land["KOR"] == 1.0 and 0.78 < land["JPN"] < 0.87


def test_scenario_sets_the_year():
    r = exposure.compute(scenario="status-quo-2025")
    assert r["year"] == 2025 and "status-quo-2025" in r["year_source"]
    with pytest.raises(InputError, match="starts in 1945"):
        exposure.compute(scenario="historical")
    with pytest.raises(InputError):
        exposure.compute(scenario="no-such-preset")
    assert exposure.compute(year=2023, scenario="historical")["year"] == 2023  # an explicit year wins


def test_no_runtime_reference_to_the_pack():
    for path in Path(geodesy.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "/work/shared" not in text and "../shared" not in text, path.name


# ------------------------------------------------------------------ CLI

@pytest.mark.slow
def test_cli_exposure_json_contract(tmp_path):
    r = subprocess.run([*UMB, "exposure", "--json", "-"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["year"] == 2025 and s["launch"] == "territory"
    assert set(s["groups"]) == {"ROK", "Honshu", "Kyushu", "Okinawa", "Guam"}
    osan = s["bases"]["Osan Air Base"]
    assert osan["country"] == "KOR" and osan["group"] == "ROK"
    assert set(osan["distance_km"]) == {"CHN", "PRK", "RUS"} and osan["missiles_in_range"]["CHN"] == 2300
    assert s["homeland_reach"]["PRK"]["CONUS"] is True
    out = tmp_path / "e.json"
    r = subprocess.run([*UMB, "exposure", "--launch", "inland:200", "--scenario", "status-quo-2025",
                        "--json", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Group means" in r.stdout and "US homeland reach" in r.stdout
    assert json.loads(out.read_text())["launch"] == "inland:200"


@pytest.mark.parametrize("args,words", [
    (["--year", "2030"], ["--year", "2030", "2023-2025"]),
    (["--launch", "sea"], ["--launch", "sea", "territory"]),
    (["--scenario", "historical"], ["--scenario", "1945"]),
    (["--scenario", "no-such"], ["no-such", "status-quo-2025"]),
])
@pytest.mark.slow
def test_cli_exposure_bad_input(args, words):
    r = subprocess.run([*UMB, "exposure", *args], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    msg = " ".join(r.stderr.split())
    for w in words:
        assert w in msg

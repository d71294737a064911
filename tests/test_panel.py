"""Tests of the historical proliferation panel 1939-2017 (umbrella.calibrate.panel).

Run with: .venv/bin/python -m pytest tests/test_panel.py
Everything here reads only the bundled tables under src/umbrella/data/tables.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from umbrella.calibrate import panel as P
from umbrella.calibrate.onsets import bleek_status
from umbrella.data.load import load_table, table_header, table_path

EXT = range(1993, 2018)


@pytest.fixture(scope="module")
def built():
    return P.build_panel()


@pytest.fixture(scope="module")
def jg():
    return load_table("jg")


def _at(df, ccode, year, col):
    v = df[(df["ccode1"] == ccode) & (df["year"] == year)][col]
    assert len(v) == 1, (ccode, year)
    return v.iloc[0]


def _series(df, ccode, col, years=EXT):
    d = df[(df["ccode1"] == ccode) & df["year"].isin(list(years))].sort_values("year")
    return [None if pd.isna(v) else int(v) for v in d[col]]


# ------------------------------------------------------------------ shipped table

def test_shipped_csv_equals_build(built):
    pd.testing.assert_frame_equal(P.load_panel(), built)


def test_shipped_file_is_exactly_what_the_writer_produces(tmp_path):
    out = P.write_panel(tmp_path / "panel.csv")
    assert out.read_bytes() == table_path(P.TABLE).read_bytes()


def test_build_is_deterministic(built):
    # (its speed is not a test's business: benchmarks measure speed)
    pd.testing.assert_frame_equal(P.build_panel(), built)


def test_load_panel_returns_a_copy():
    a = P.load_panel()
    a.loc[:, "democ"] = -1.0
    assert (P.load_panel()["democ"] != -1.0).any()


def test_header_names_every_source_and_approximation():
    text = " ".join(table_header(P.TABLE))
    for f in ("jo_gartzke_2007_jg.csv", "jo_gartzke_nuccap_ncap7.csv", "nl_v1.2_facilities.csv",
              "atop_defense_pacts_major_patrons.csv", "npt_status.csv", "rivalries.csv", "actors.csv",
              "bleek_spells.csv"):
        assert f in text, f
    for col in P.COVARIATES + ("l_year_t",):
        assert col in text, col


def test_module_does_not_read_the_reference_pack():
    text = Path(P.__file__).read_text(encoding="utf-8")
    assert "/work/shared" not in text and "../shared" not in text


# ------------------------------------------------------------------ shape

def test_columns_and_years(built):
    assert tuple(built.columns) == P.COLUMNS
    assert (built["year"].min(), built["year"].max()) == (1939, 2017)
    assert set(built["year"]) == set(range(1939, 2018))
    assert not built.duplicated(["ccode1", "year"]).any()


def test_extension_covers_jg_1992_countries_except_czechoslovakia(built, jg):
    c92 = set(jg.loc[jg["year"] == 1992, "ccode1"])
    ext = built[built["source"] == "extended"]
    assert set(ext["ccode1"]) == c92 - {315}
    assert all(list(g) == list(EXT) for _, g in ext.groupby("ccode1")["year"])
    assert len(ext) == 25 * (len(c92) - 1) == 4500
    assert len(built) == len(jg) + 4500 == 10827
    assert built.loc[built["ccode1"] == 315, "year"].max() == 1992
    # COW 365 (USSR -> Russia), 345 (Yugoslavia -> Serbia) and 255 (Germany) continue.
    for c in (365, 345, 255):
        assert _at(built, c, 2017, "source") == "extended"


def test_jg_rows_unchanged(built, jg):
    old = built[built["source"] == "jg"].drop(columns=["status", "status_prev", "source", "approx"])
    ref = jg[list(old.columns)]
    m = ref.merge(old, on=["ccode1", "year"], how="outer", suffixes=("_jg", "_panel"), indicator=True)
    assert (m["_merge"] == "both").all() and len(m) == len(jg) == 6327
    for col in old.columns.drop(["ccode1", "year"]):
        a, b = m[f"{col}_jg"], m[f"{col}_panel"]
        assert (a.isna() == b.isna()).all(), col
        assert (a[a.notna()].astype(float) == b[b.notna()].astype(float)).all(), col
    assert (built.loc[built["source"] == "jg", "approx"] == "none").all()


def test_l_year_t_is_jg_definition(built, jg):
    # ln(year - 1937): 1939 -> ln 2; reproduces every JG value exactly.
    assert all(P.l_year_t(y) == v for y, v in zip(jg["year"], jg["l_year_t"], strict=True))
    ext = built[built["source"] == "extended"]
    assert np.allclose(ext["l_year_t"], np.log(ext["year"] - 1937), atol=1e-6)


# ------------------------------------------------------------------ Bleek status and funnel

def test_status_is_bleek(built):
    st = bleek_status()
    assert list(built["status"]) == [st.get((c, y), 0) for c, y in zip(built["ccode1"], built["year"], strict=True)]
    assert list(built["status_prev"]) == [st.get((c, y - 1), 0)
                                          for c, y in zip(built["ccode1"], built["year"], strict=True)]


def test_bleek_funnel(built):
    funnel = [built.loc[built["status"] >= k, "ccode1"].nunique() for k in (1, 2, 3)]
    assert funnel == [31, 17, 10]  # Bleek (2017): 31 explore, 17 pursue, 10 acquire
    # All 31 Bleek states are panel countries (Germany pre-1945 = 255, West Germany = 260).
    assert set(load_table("bleek_spells")["ccode"]) == set(built.loc[built["status"] >= 1, "ccode1"])
    # JG rows alone miss Syria (explore 2000, pursue 2002) and the DPRK's acquisition (2006).
    jg_only = built[built["source"] == "jg"]
    assert [jg_only.loc[jg_only["status"] >= k, "ccode1"].nunique() for k in (1, 2, 3)] == [30, 16, 9]
    assert _at(built, 652, 2002, "status") == 2 and _at(built, 731, 2006, "status") == 3


# ------------------------------------------------------------------ extension rules

def test_npt(built, jg):
    assert _series(built, 731, "npt_rati") == [1] * 10 + [0] * 15      # DPRK withdraws 2003
    assert _series(built, 369, "npt_rati") == [0] + [1] * 24           # Ukraine accedes 1994
    # At the seam the npt_status rule gives JG's own 1992 value for every actor.
    actors = load_table("actors").set_index("iso3")["cow_code"]
    j92 = jg[jg["year"] == 1992].set_index("ccode1")["npt_rati"]
    for r in load_table("npt_status").itertuples():
        rule = int(pd.notna(r.npt_joined) and r.npt_joined <= 1992
                   and (pd.isna(r.npt_withdrew) or 1992 < r.npt_withdrew))
        assert rule == j92[actors[r.iso3]], r.iso3


def test_atop_pacts(built):
    for c in (732, 740):                                              # ROK, Japan: US treaties
        assert _at(built, c, 2010, "nuke_a_d") == 1
    assert _at(built, 290, 1996, "nuke_a_d") == 0 and _at(built, 290, 1997, "nuke_a_d") == 1   # Poland, NATO 1997
    assert _at(built, 360, 2002, "nuke_a_d") == 0 and _at(built, 360, 2003, "nuke_a_d") == 1   # Romania
    assert _at(built, 731, 2017, "nuke_a_d") == 1                     # DPRK-China 1961 treaty
    assert _at(built, 713, 2017, "nuke_a_d") == 0                     # Taiwan: treaty ended 1980
    assert "nuke_a_d" not in _at(built, 732, 2010, "approx")
    assert "nuke_a_d" in _at(built, 20, 2010, "approx")               # Canada: not in ATOP table, carried


def test_atop_source_switches_at_1993_are_the_documented_ones(built, jg):
    # States whose 1993 value differs from JG's 1992 value with no ATOP spell starting or ending
    # at the seam: the change comes from ATOP's coding vs JG's (docs/calibration.md).
    j92 = jg[jg["year"] == 1992].set_index("ccode1")["nuke_a_d"]
    y93 = built[built["year"] == 1993].set_index("ccode1")["nuke_a_d"]
    switched = sorted(int(c) for c in y93.index if y93[c] != j92[c])
    assert switched == [2, 255, 370, 620, 732, 740, 770, 800, 840, 900]   # 370 Belarus: new pact 1993


def test_latency(built, jg):
    ncap = load_table("nuccap").set_index(["ccode", "year"])["N_CAP7"]
    # JG's nuk7set1 is N_CAP7 of the same year (justifies using nuccap for 1993-2001).
    m = jg.merge(ncap.reset_index(), left_on=["ccode1", "year"], right_on=["ccode", "year"])
    assert (m["nuk7set1"] == m["N_CAP7"]).mean() > 0.99
    ext = built[built["source"] == "extended"]
    assert ext["nuk7set1"].between(0, 7).all()
    assert (ext.sort_values("year").groupby("ccode1")["nuk7set1"].diff().dropna() >= 0).all()
    j92 = jg[jg["year"] == 1992].set_index("ccode1")["nuk7set1"]
    for r in ext[ext["year"] <= 2001].itertuples():
        assert r.nuk7set1 == max(j92[r.ccode1], ncap[(r.ccode1, r.year)])
        assert "nuk7set1" not in r.approx
    # DPRK: N_CAP7 4; first enrichment facility operates 2010 (NL) -> 5 from 2010.
    assert _series(built, 731, "nuk7set1") == [4] * 17 + [5] * 8
    assert "nuk7set1" in _at(built, 731, 2005, "approx")


def test_rival_programme_switches_only_on_post_1992_events(built, jg):
    j92 = jg[jg["year"] == 1992].set_index("ccode1")["r_nukep"]
    ext = built[built["source"] == "extended"]
    changed = ext[ext["r_nukep"] != ext["ccode1"].map(j92)]
    # Russia's rivalries with Poland and Ukraine (rivalries.csv, from 2014) switch them on.
    assert sorted(set(changed["ccode1"])) == [290, 369]
    assert set(changed["year"]) == set(range(2014, 2018))


def test_carried_columns_equal_1992(built, jg):
    j92 = jg[jg["year"] == 1992].set_index("ccode1")
    ext = built[built["source"] == "extended"]
    for col in ("ln_ri_t", "democ", "majpow", "regpowt"):
        ref = ext["ccode1"].map(j92[col])
        assert ((ext[col] == ref) | (ext[col].isna() & ref.isna())).all(), col
        assert ext["approx"].str.split(";").apply(lambda parts, c=col: c in parts).all(), col
    assert ext["democ"].isna().sum() == 25 * j92.drop(index=315)["democ"].isna().sum()

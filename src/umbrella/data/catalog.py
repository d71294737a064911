"""Registry of the bundled tables: file, column schema (dtype, range or allowed values, unit), source.

The schema is what `load.load_table` validates on every load. Ranges here are plausibility
bounds for validation (catching a corrupted or mistyped cell), not facts about the world; the
facts themselves live only in the CSV files under ``tables/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

CONFIDENCE = ("high", "medium", "low")
YEAR_MIN, YEAR_MAX = 1800, 2100  # plausibility bounds for any year column


@dataclass(frozen=True)
class Column:
    """One required column. kind: 'int', 'float' or 'str'."""

    name: str
    kind: str
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    allowed: tuple | None = None
    ref: tuple[str, str] | None = None  # (table, column) whose values this column must take
    unit: str = ""


@dataclass(frozen=True)
class Check:
    """A row-level rule across columns; `ok(df)` returns a boolean Series (True = row passes)."""

    column: str  # the column named in the error message
    rule: str
    ok: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class TableSpec:
    name: str
    file: str
    source: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns that must be unique together
    checks: tuple[Check, ...] = field(default_factory=tuple)


# Small constructors keep the registry readable.
def I(name, min=None, max=None, nullable=False, allowed=None, unit="", ref=None):  # noqa: E743, A002 - one-letter column constructors (I/F/S/Y) keep the registry tables readable
    return Column(name, "int", nullable, min, max, allowed, ref, unit)


def F(name, min=None, max=None, nullable=False, unit=""):  # noqa: A002
    return Column(name, "float", nullable, min, max, None, None, unit)


def S(name, nullable=False, allowed=None, ref=None):
    return Column(name, "str", nullable, None, None, tuple(allowed) if allowed else None, ref)


def Y(name, nullable=False, min=1800, max=YEAR_MAX):  # noqa: A002
    return I(name, min, max, nullable, unit="year")


FLAG = (0, 1)
ACTOR = ("actors", "iso3")
# the ladders of the arrangements table (the scenario schema's lever levels; a test checks they agree)
ARRANGEMENT_LADDERS = {
    "consultation": ("none", "dialogue", "consultative_group", "planning_group"),
    "nuclear_sharing": ("none", "planning", "f35_certified", "guam_ops", "slcm"),
    "forward_weapons": ("0", "1"),
}
ARRANGEMENT_LEVELS = tuple(sorted({lv for v in ARRANGEMENT_LADDERS.values() for lv in v}))
CONF = S("confidence", allowed=CONFIDENCE)
SRC = S("source")


def _le(a: str, b: str) -> Check:
    # Empty upper bounds mean "open-ended" and pass.
    return Check(b, f"{a} <= {b}", lambda df: df[b].isna() | (df[a] <= df[b]))


def _differ(a: str, b: str) -> Check:
    return Check(b, f"{a} != {b}", lambda df: df[a] != df[b])


_INDICATOR_RANGES = {
    "gdp_usd_bn": (0, 1e5),
    "gdp_growth_pct": (-50, 50),
    "milex_share_pct": (0, 100),
    "enr_operating": (0, 1),
    "sep_pu_t": (0, 1000),
    "nuclear_elec_share_pct": (0, 100),
}


def _indicator_in_range(df: pd.DataFrame) -> pd.Series:
    lo = df["indicator"].map(lambda k: _INDICATOR_RANGES[k][0])
    hi = df["indicator"].map(lambda k: _INDICATOR_RANGES[k][1])
    return (df["value"] >= lo) & (df["value"] <= hi)


def _dprk_total(df: pd.DataFrame) -> pd.Series:
    parts = ["ICBM", "IRBM", "MRBM", "SLBM", "SLV", "SRBM", "Unknown"]
    return df[parts].sum(axis=1) == df["total"]


ALLIANCE_SYSTEMS = ("indo_pacific", "euro_atlantic", "middle_east", "south_asia", "north_america")

_SPECS = (
    # ---------------------------------------------------------------- authored for Umbrella
    TableSpec(
        "actors", "actors.csv",
        "Umbrella actor registry (codes, names, region; majpow/regpowt from Jo & Gartzke 2007 at 1992)",
        (S("iso3"), I("cow_code", 1, 999), I("cow_code_alt", 1, 999, nullable=True), S("name_en"), S("name_ja"),
         S("region", allowed=("northeast_asia", "europe", "middle_east", "south_asia", "oceania", "north_america")),
         S("alliance_system", allowed=ALLIANCE_SYSTEMS),
         I("npt_nws", allowed=FLAG), I("major_power", allowed=FLAG), I("regional_power", allowed=FLAG),
         I("core", allowed=FLAG), SRC, CONF),
        key=("iso3",),
        checks=(Check("iso3", "three upper-case letters", lambda df: df["iso3"].str.fullmatch(r"[A-Z]{3}")),),
    ),
    TableSpec(
        "npt_status", "npt_status.csv",
        "NPT joined/withdrew years: latency snapshot 2025 (UNODA) + standard reference",
        (S("iso3", ref=ACTOR), Y("npt_joined", nullable=True, min=1968), Y("npt_withdrew", nullable=True, min=1968),
         I("nws", allowed=FLAG), SRC, CONF),
        key=("iso3",), checks=(_le("npt_joined", "npt_withdrew"),),
    ),
    TableSpec(
        "rivalries", "rivalries.csv",
        "Strategic rivalries coded for this project (cf. Thompson & Dreyer 2012); not re-checked",
        (S("a", ref=ACTOR), S("b", ref=ACTOR), Y("from_year"), Y("to_year", nullable=True), SRC, CONF,
         S("note", nullable=True)),
        key=("a", "b", "from_year"), checks=(_le("from_year", "to_year"), _differ("a", "b")),
    ),
    TableSpec(
        "breakout_estimates", "breakout_estimates.csv",
        "Published estimates of the time from a decision to a first weapon, the ROK and Japan",
        (S("actor", ref=ACTOR), F("low_years", 0.1, 20.0, unit="years"), F("high_years", 0.1, 20.0, unit="years"),
         S("measure"), SRC, Y("year", min=1990), S("kind", allowed=("government", "academic", "press", "think-tank")),
         CONF),
        key=("actor", "source"), checks=(_le("low_years", "high_years"),),
    ),
    TableSpec(
        "red_lines", "red_lines.csv",
        "Declared red lines against a state's weapons programme (law or doctrine)",
        (S("target", ref=ACTOR), S("by", ref=ACTOR), SRC, Y("year", min=1945), CONF, S("note", nullable=True)),
        key=("target", "by"), checks=(_differ("target", "by"),),
    ),
    TableSpec(
        "adversary_reactions", "adversary_reactions.csv",
        "Adversaries' answers to a US ally's programme: build-up and coercion (seeds F1:L44-45, F0:L86, L134-138)",
        (S("reactor", ref=ACTOR), S("target", ref=ACTOR), I("buildup", allowed=FLAG), I("coercion", allowed=FLAG),
         SRC, CONF, S("note", nullable=True)),
        key=("reactor", "target"), checks=(_differ("reactor", "target"),),
    ),
    TableSpec(
        "neighbours", "neighbours.csv",
        "Regional peers watched though not rivals; weights are project assumptions (JPN-KOR: seed F1:L23)",
        (S("a", ref=ACTOR), S("b", ref=ACTOR), F("weight", 0, 1), SRC, CONF, S("note", nullable=True)),
        key=("a", "b"), checks=(_differ("a", "b"),),
    ),
    TableSpec(
        "patron_pairs", "patron_pairs.csv",
        "Patron->client commitments: ATOP v5 spells, alliances timeline, standard reference",
        (S("patron", ref=ACTOR), S("client", ref=ACTOR), S("kind", allowed=("treaty", "informal")), Y("since"),
         Y("until", nullable=True), SRC, CONF, S("note", nullable=True)),
        key=("patron", "client", "since"), checks=(_le("since", "until"), _differ("patron", "client")),
    ),
    TableSpec(
        "arrangements", "arrangements.csv",
        "US extended-deterrence arrangements by host: consultation, nuclear sharing, forward weapons",
        (S("actor", ref=ACTOR), S("arrangement", allowed=("consultation", "nuclear_sharing", "forward_weapons")),
         S("level", allowed=ARRANGEMENT_LEVELS), Y("since"), Y("until", nullable=True), SRC, CONF,
         S("note", nullable=True)),
        key=("actor", "arrangement", "since"),
        checks=(_le("since", "until"),
                Check("level", "a level of its arrangement's ladder",
                      lambda d: pd.Series([str(lv) in ARRANGEMENT_LADDERS[a] for a, lv in
                                           zip(d["arrangement"], d["level"], strict=True)], index=d.index))),
    ),
    TableSpec(
        "jg_model1_published", "jg_model1_published.csv",
        "Jo & Gartzke (2007) Table 1, Model 1 coefficients as published",
        (S("term"), S("variable", nullable=True), F("coef"), F("se", 0, nullable=True), SRC, CONF),
        key=("term",),
    ),
    TableSpec(
        "onset_reanalysis_reference", "onset_reanalysis_reference.csv",
        "Onset re-analysis (Bleek codings, Jo & Gartzke covariates, 1939-92): reference odds ratios and rates",
        (S("stage", allowed=("explore", "pursue")), S("term"),
         S("quantity", allowed=("count", "rate", "odds_ratio", "auc")), F("value", 0), SRC, CONF),
        key=("stage", "term"),
    ),
    TableSpec(
        "backbone", "backbone.csv",
        "Proliferation backbone: cloglog onset and reversal hazards fitted on historical_panel.csv "
        "by `umbrella calibrate --write` (coefficients, country-clustered SEs, cascade anchors)",
        (S("transition", allowed=("explore", "pursue", "reversal_explore", "reversal_pursue")), S("term"),
         F("coef"), F("se", 0)),
        key=("transition", "term"),
    ),
    TableSpec(
        "backbone_cov", "backbone_cov.csv",
        "Proliferation backbone: covariance of each transition's coefficients (country-clustered)",
        (S("transition", allowed=("explore", "pursue", "reversal_explore", "reversal_pursue")),
         S("term_i"), S("term_j"), F("cov")),
        key=("transition", "term_i", "term_j"),
    ),
    TableSpec(
        "credibility_polls", "credibility_polls.csv",
        "Client publics believing the patron would defend them, from public_opinion_nuclear_polls.csv",
        (S("client", ref=ACTOR), S("patron", ref=ACTOR), Y("year", min=1945), I("month", 0, 12),
         F("value", 0, 1, unit="fraction"), S("pollster"), S("question"), SRC, S("derivation"), CONF),
        key=("client", "patron", "year", "month", "pollster"),
    ),
    TableSpec(
        "support_polls", "support_polls.csv",
        "Support for own nuclear weapons, selected from public_opinion_nuclear_polls.csv",
        (S("iso3", ref=ACTOR), Y("year", min=1945), I("month", 0, 12), F("value", 0, 1, unit="fraction"),
         S("population", allowed=("public", "elite")), S("pollster"), S("question"), SRC, S("derivation"), CONF),
        key=("iso3", "year", "month", "pollster"),
    ),
    TableSpec(
        "elections", "elections.csv",
        "US presidential 1952-2024 and ROK presidential 1987-2025 winners (standard reference)",
        (S("country", ref=ACTOR), Y("year", min=1788), S("winner"),
         S("camp", allowed=("republican", "democratic", "conservative", "progressive")),
         I("regular", allowed=FLAG), SRC, CONF),
        key=("country", "year"),
    ),
    TableSpec(
        "schedules", "schedules.csv",
        "Term lengths, next regular elections and NPT RevCon cycle (standard reference)",
        (S("scope"), S("item"), I("value", 1, YEAR_MAX), SRC, CONF, S("note", nullable=True)),
        key=("scope", "item"),
    ),
    TableSpec(
        "revcon_outcomes", "revcon_outcomes.csv",
        "NPT Review Conference final-document outcomes 1975-2022 (+2026 unverified), standard reference",
        (Y("year", min=1975), S("final_document", allowed=("yes", "no")), SRC, CONF, S("note", nullable=True)),
        key=("year",),
    ),
    TableSpec(
        "doctrine_paths", "doctrine_paths.csv",
        "Warhead target paths: DoD CMPR (China), RAND-Asan 2021 (DPRK)",
        (S("actor", ref=ACTOR), Y("year", min=1945), F("low", 0, 100000, unit="warheads"),
         F("high", 0, 100000, unit="warheads"), SRC, CONF, S("note", nullable=True)),
        key=("actor", "year"), checks=(_le("low", "high"),),
    ),
    TableSpec(
        "supplementary_indicators", "supplementary_indicators.csv",
        "DPRK economy (Bank of Korea, WMEAT) and codings of the 2025 latency snapshot",
        (S("iso3", ref=ACTOR), S("indicator", allowed=tuple(_INDICATOR_RANGES)), Y("year", min=1945),
         F("value"), S("unit"), SRC, CONF, S("note", nullable=True)),
        key=("iso3", "indicator", "year"),
        checks=(Check("value", "value within the indicator's range", _indicator_in_range),),
    ),
    TableSpec(
        "defaults", "defaults.csv",
        "Documented defaults (assumptions) used where data are missing",
        (S("key"), F("value"), S("unit"), SRC, CONF, S("note", nullable=True)),
        key=("key",),
    ),
    TableSpec(
        # Added to tables/ by the engine side (read directly by engine/calendar.py); catalogued so
        # that it is validated with the rest.
        "npt_key_states", "npt_key_states.csv",
        "States whose NPT withdrawal would make regime survival unlikely: seed F1:L41 (Defense One 2025)",
        (S("iso3", ref=ACTOR), SRC),
        key=("iso3",),
    ),
    TableSpec(
        # umbrella.geo: one row per (state, class, span of years); rules in the file's header
        "missile_classes", "missile_classes.csv",
        "Missile classes for umbrella.geo, derived from missiles_china_dprk.csv (DoD CMPR 2023-2025, CSIS, "
        "USFK 2019): range used, inventory used, nuclear role, launch-area assumption",
        (S("state", allowed=("CHN", "PRK", "RUS")), S("cls", allowed=("SRBM", "MRBM", "IRBM", "ICBM", "GLCM")),
         Y("year_from", min=2000), Y("year_to", min=2000), S("systems"), S("kind", allowed=("ballistic", "cruise")),
         S("role", allowed=("theatre", "strategic")), F("range_km", 0, 20000, unit="km"),
         F("range_min_km", 0, 20000, unit="km"), F("range_max_km", 0, 20000, nullable=True, unit="km"),
         S("range_rule"), F("inventory", 0, 100000, nullable=True, unit="missiles"), S("inventory_basis"),
         S("nuclear", allowed=("conventional", "dual", "nuclear")), S("launch_area"), SRC, CONF),
        key=("state", "cls", "year_from"),
        checks=(_le("year_from", "year_to"), _le("range_min_km", "range_km"), _le("range_km", "range_max_km")),
    ),
    TableSpec(
        "base_groups", "base_groups.csv",
        "Theatre groups (ROK, Honshu, Kyushu, Okinawa, Guam) and ISO codes of the bases table's points "
        "(general-reference geography)",
        (S("name", ref=("bases", "name")), S("iso3"), S("actor", nullable=True, ref=ACTOR),
         S("group", nullable=True, allowed=("ROK", "Honshu", "Kyushu", "Okinawa", "Guam")), SRC, CONF),
        key=("name",),
        checks=(Check("iso3", "three upper-case letters", lambda df: df["iso3"].str.fullmatch(r"[A-Z]{3}")),),
    ),
    TableSpec(
        "aircraft_radius", "aircraft_radius.csv",
        ("Unrefuelled combat radii: China-based aircraft ~1,000 km (seed F0:L27); F-35A/B/C (DoD SAR 2010) for "
         "comparison"),
        (S("state"), S("aircraft"), F("radius_km", 0, 5000, unit="km"),
         F("radius_nm", 0, 3000, nullable=True, unit="nm"), S("use", allowed=("exposure", "comparison")), SRC, CONF),
        key=("state", "aircraft"),
    ),
    # ---------------------------------------------------------------- copied from the reference pack
    TableSpec(
        "sipri_milex", "sipri_milex_2005_2024.csv",
        "SIPRI Military Expenditure Database 2025 release (2005-2024; EGY appended from the SIPRI workbook)",
        (S("iso3"), S("sipri_name"), Y("year", min=1949),
         F("milex_current_usd_m", 0, nullable=True, unit="US$ m current"),
         F("milex_const2023_usd_m", 0, nullable=True, unit="US$ m constant 2023"),
         F("milex_share_gdp", 0, 100, nullable=True, unit="% of GDP"),
         F("gdp_implied_usd_bn", 0, 1e5, nullable=True, unit="US$ bn current")),
        key=("iso3", "year"),
    ),
    TableSpec(
        "warhead_stockpiles", "nuclear_warhead_stockpiles_1945_2025.csv",
        "FAS estimates via OWID (1945-2023); SIPRI Yearbook 2024-2025",
        (S("country_name"), Y("year", min=1945), I("stockpile", 0, 100000, unit="warheads"), SRC),
        key=("country_name", "year"),
    ),
    TableSpec(
        "china_warheads", "china_warheads_estimates_projections.csv",
        "DoD China Military Power Reports 2020-2025; SIPRI Yearbook; FAS",
        (Y("year", min=1945), S("publication"), S("measure"), S("value"),
         S("status", allowed=("estimate", "projection")), SRC, S("confidence", allowed=CONFIDENCE),
         S("notes", nullable=True)),
    ),
    TableSpec(
        "latency_snapshot", "latency_status_snapshot_2025.csv",
        "NPT/AP dates, ENR, nuclear electricity share, separated Pu (UNODA, IAEA, JAEC/IPFM, WNN)",
        (S("state"), S("npt"), S("additional_protocol"), S("enrichment_reprocessing"), S("nuclear_share_elec_pct"),
         S("separated_pu_t"), S("us_123_agreement"), S("confidence")),
        key=("state",),
    ),
    TableSpec(
        "nl_summary", "nuclear_latency_nl_v1.2_country_summary.csv",
        "Fuhrmann & Tkach (2015) Nuclear Latency dataset v1.2, country summary",
        (S("country"), I("ccode", 1, 999), I("n_facilities", 0), I("n_enrichment", 0), I("n_reprocessing", 0),
         Y("first_enrichment_operation", nullable=True, min=1938),
         Y("first_reprocessing_operation", nullable=True, min=1938),
         Y("first_construction_start", nullable=True, min=1938), I("any_operating_2012", allowed=FLAG),
         I("n_commercial_scale", 0), I("any_covert", allowed=FLAG), I("any_military_purpose", allowed=FLAG),
         I("any_iaea_safeguarded", allowed=FLAG)),
        key=("ccode",),
    ),
    TableSpec(
        "nl_facilities", "nl_v1.2_facilities.csv",
        "Fuhrmann & Tkach (2015) Nuclear Latency dataset v1.2, facility records (7777 = operating in 2012)",
        (S("country_name"), I("ccode", 1, 999), S("facility_name"), I("enr_type", 1, 8), I("size", 1, 3),
         I("construction_start", -99, 9999, nullable=True), I("operation_start", -99, 9999),
         I("operation_end", -99, 9999), I("operation2_start", -99, 9999, nullable=True),
         I("operation2_end", -99, 9999, nullable=True), I("covert", -99, 1), I("military", -99, 1)),
    ),
    TableSpec(
        "bleek_status", "proliferation_status_country_year_bleek_owid.csv",
        "Bleek (2017) status panel 0-3, all states 1938-2022, expanded by OWID",
        (S("country_name"), Y("year", min=1938), I("nuclear_weapons_status", 0, 3),
         I("nuclear_weapons_consideration", allowed=FLAG), I("nuclear_weapons_pursuit", allowed=FLAG),
         I("nuclear_weapons_possession", allowed=FLAG)),
        key=("country_name", "year"),
    ),
    TableSpec(
        "bleek_spells", "bleek_spells.csv",
        "Bleek (2017) explore/pursue/acquire spells (OWID digitisation)",
        (I("ccode", 1, 999), S("country"), S("stage", allowed=("Explore", "Pursue", "Acquire")), Y("start", min=1938),
         Y("end", min=1938)),
        checks=(_le("start", "end"),),
    ),
    TableSpec(
        "atop_pacts", "atop_defense_pacts_major_patrons.csv",
        "ATOP v5 defense-pact spells of US/USSR/China/UK/France (via peacesciencer)",
        (S("patron"), I("patron_ccode", 1, 999), S("client"), I("client_ccode", 1, 999),
         Y("atop_defense_pact_from"), Y("atop_defense_pact_to")),
        checks=(_le("atop_defense_pact_from", "atop_defense_pact_to"),),
    ),
    TableSpec(
        "us_troops", "us_troops_abroad_selected_1950_2024.csv",
        "US active-duty troops abroad, troopdata (DMDC), 1950-2024",
        (S("countryname"), S("iso3c", nullable=True), Y("year", min=1950), I("troops_ad", 0, unit="persons"),
         I("army_ad", 0), I("navy_ad", 0), I("air_force_ad", 0),
         # as reported: the source has one small negative Marine Corps count (a reporting artifact)
         I("marine_corps_ad")),
        key=("countryname", "year"),
    ),
    TableSpec(
        "polls", "public_opinion_nuclear_polls.csv",
        "Polls on nuclear armament and US commitment (pollsters as reported per row)",
        (S("country"), S("fieldwork"), S("pollster"), S("question_short"), F("value_pct", 0, 100, unit="%"),
         S("reported_by"), S("notes", nullable=True)),
    ),
    TableSpec(
        "alliances_timeline", "alliances_arrangements_timeline.csv",
        "Extended-deterrence arrangements and alliance events 1949-2026 (per-row sources)",
        (S("date"), S("parties"), S("event"), S("confidence", allowed=CONFIDENCE), S("source_note")),
    ),
    TableSpec(
        "missiles", "missiles_china_dprk.csv",
        "Chinese and DPRK missile classes and inventories (DoD CMPR, CSIS, USFK)",
        (S("state"), S("class", allowed=("SRBM", "MRBM", "IRBM", "ICBM", "GLCM", "SLBM")), S("systems"),
         S("range_km"), S("inventory_estimate"), SRC, S("reach_example")),
    ),
    TableSpec(
        "dprk_tests", "dprk_missile_tests_by_year_cns.csv",
        "CNS/NTI North Korea Missile Test Database, missiles launched per year 1984-2019",
        (Y("year", min=1984), I("ICBM", 0), I("IRBM", 0), I("MRBM", 0), I("SLBM", 0), I("SLV", 0), I("SRBM", 0),
         I("Unknown", 0), I("total", 0)),
        key=("year",), checks=(Check("total", "total = sum of classes", _dprk_total),),
    ),
    TableSpec(
        "nuccap", "jo_gartzke_nuccap_ncap7.csv",
        "Jo & Gartzke (2007) latent nuclear capability index N_CAP7, 1938-2001",
        (I("ccode", 1, 999), Y("year", min=1938), I("N_CAP7", 0, 7), I("N_CAP7t", 0, 7)),
        key=("ccode", "year"),
    ),
    TableSpec(
        "jg", "jo_gartzke_2007_jg.csv",
        "Jo & Gartzke (2007) replication data, 1939-1992",
        (I("ccode1", 1, 999), Y("year", min=1938), I("nuk_a_p", allowed=FLAG), I("nuk_apl", allowed=FLAG),
         I("nuke_df", allowed=FLAG), I("nuke_dfl", allowed=FLAG), I("nuk7set1", 0, 7, nullable=True),
         F("new_econ", 0, 1, nullable=True), F("l_year_t", 0, nullable=True), F("ln_ri_t", 0, nullable=True),
         I("r_nukep", allowed=FLAG, nullable=True), I("r_nukeb", allowed=FLAG, nullable=True),
         I("nuke_a_d", allowed=FLAG, nullable=True), F("d_isol", 0, 1, nullable=True), F("ln_xst1", 0, nullable=True),
         F("democ", 0, 10, nullable=True), I("npt_rati", allowed=FLAG, nullable=True),
         F("npt_eff", 0, 200, nullable=True), I("majpow", allowed=FLAG), I("regpowt", allowed=FLAG)),
        key=("ccode1", "year"),
    ),
    TableSpec(
        # Derived, not copied: written by `python -m umbrella.calibrate.panel` from the bundled
        # tables; tests/test_panel.py checks it equals build_panel().
        "historical_panel", "historical_panel.csv",
        "Historical proliferation panel 1939-2017: Jo & Gartzke (2007) rows to 1992, extended with "
        "nuccap, NL v1.2, ATOP v5, npt_status, rivalries and Bleek (2017) status",
        (I("ccode1", 1, 999), Y("year", min=1939, max=2017), I("nuk7set1", 0, 7, nullable=True),
         F("ln_ri_t", 0, nullable=True), I("r_nukep", allowed=FLAG, nullable=True),
         I("nuke_a_d", allowed=FLAG, nullable=True), F("democ", 0, 10, nullable=True),
         I("npt_rati", allowed=FLAG, nullable=True), I("majpow", allowed=FLAG), I("regpowt", allowed=FLAG),
         F("l_year_t", 0), I("status", 0, 3), I("status_prev", 0, 3), S("source", allowed=("jg", "extended")),
         S("approx")),
        key=("ccode1", "year"),
        checks=(
            Check("source", "source is 'jg' exactly for years <= 1992",
                  lambda df: (df["source"] == "jg") == (df["year"] <= 1992)),
            Check("approx", "'none' or ';'-separated covariate names; 'none' on JG rows",
                  lambda df: df["approx"].str.fullmatch(
                      r"none|(nuk7set1|ln_ri_t|r_nukep|nuke_a_d|democ|npt_rati|majpow|regpowt)"
                      r"(;(nuk7set1|ln_ri_t|r_nukep|nuke_a_d|democ|npt_rati|majpow|regpowt))*")
                  & ((df["source"] == "extended") | (df["approx"] == "none"))),
        ),
    ),
    TableSpec(
        "nu_clear", "nu_clear_latency_selected_1938_2001.csv",
        "Smith & Spaniel (2019) nu-CLEAR latent nuclear proficiency, 32 states, 1938-2001",
        (S("country"), I("ccode", 1, 999), Y("year", min=1938), F("Nu_means", -10, 10), F("Nu_lower_95", -10, 10),
         F("Nu_upper_95", -10, 10)) + tuple(I(c, allowed=FLAG) for c in (
             "reprocess", "enrichment", "Non_HWR", "HWR", "test", "submarines", "explore", "pursue", "possession")),
        key=("ccode", "year"),
    ),
    TableSpec(
        "nca_summary", "nuclear_cooperation_agreements_nca_summary.csv",
        "Fuhrmann NCA dataset v2.0 (1945-2003), per-recipient summary",
        (S("recipient"), I("cow_ccode", 1, 999), I("n_nca_received_1945_2003", 0), I("n_distinct_suppliers", 0),
         Y("first_nca_year", min=1945), I("n_from_usa", 0), Y("first_from_usa", nullable=True, min=1945),
         I("n_from_ussr_russia", 0), I("n_unrestricted_power_type6", 0), I("n_military_assistance_type7", 0)),
        key=("cow_ccode",),
    ),
    TableSpec(
        "nuclear_forces", "nuclear_forces_sipri_2023_2025.csv",
        "SIPRI Yearbook 2023-2025 world nuclear forces (Kristensen & Korda)",
        (Y("year_jan", min=1945), S("country"), I("deployed", 0, nullable=True), I("stored", 0, nullable=True),
         I("retired", 0, nullable=True), I("military_stockpile", 0, nullable=True),
         I("total_inventory", 0, nullable=True), SRC),
        key=("year_jan", "country"),
    ),
    TableSpec(
        "proliferation_events", "proliferation_history_events.csv",
        "Bleek (2017) and Jo & Gartzke (2007) explore/pursue/acquire ranges with notes",
        (S("country"), S("bleek2017_explore"), S("bleek2017_pursue", nullable=True),
         S("bleek2017_acquire", nullable=True), S("jo_gartzke2007_program", nullable=True),
         S("jo_gartzke2007_possession", nullable=True),
         S("notes", nullable=True)),
        key=("country",),
    ),
    TableSpec(
        "us_treaty_allies", "us_treaty_allies_and_nato_sharing.csv",
        "US collective-defense treaties (State Dept) and NATO nuclear-sharing hosts (FAS)",
        (S("arrangement"), S("member_or_host"), S("type"), S("confidence", allowed=CONFIDENCE)),
    ),
    TableSpec(
        "validation_targets", "validation_targets.csv",
        "Expert-survey and forecast calibration targets (Atlantic Council, Metaculus, FRI, CSIS, Bleek)",
        (SRC, S("target"), F("value", nullable=True), S("unit"), S("notes", nullable=True)),
    ),
    TableSpec(
        "bases", "bases_and_reference_points.csv",
        "Coordinates of US/allied bases and reference points (OurAirports, troopdata, general reference)",
        (S("name"), S("icao", nullable=True), S("country"), S("operator_notes"), S("category"),
         F("lat", -90, 90, unit="deg"), F("lon", -180, 180, unit="deg"), S("coord_method")),
        key=("name",),
    ),
    TableSpec(
        "war1800", "war1800.csv",
        "Militarized disputes 1816-1899 (COW MIDs), dataset war1800 of R package games 1.1.2 "
        "(Kenkel & Signorino 2014, JSS 56(8)); test case of the strategic probit",
        (I("ccode1", 1, 999), I("ccode2", 1, 999), Y("year", max=1899), F("cap_1", 0, 1), F("cap_2", 0, 1),
         F("balanc", 0, 1), F("s_wt_re1", -1, 1), F("s_wt_re2", -1, 1), F("dem1", -10, 10, nullable=True),
         F("dem2", -10, 10, nullable=True), I("distance", 0, unit="miles"), I("peaceyrs", 0, unit="years"),
         I("midnum", 1), I("revis1", allowed=FLAG), I("revis2", allowed=FLAG), I("sq", allowed=FLAG),
         I("capit", allowed=FLAG), I("war", allowed=FLAG), I("esc", allowed=FLAG),
         S("regime1", nullable=True, allowed=("autoc", "dem", "mixed")),
         S("regime2", nullable=True, allowed=("autoc", "dem", "mixed"))),
        key=("midnum", "ccode1", "ccode2"),
        checks=(Check("war", "sq + capit + war = 1", lambda d: d["sq"] + d["capit"] + d["war"] == 1),
                Check("esc", "esc = 1 - sq", lambda d: d["esc"] == 1 - d["sq"]),
                Check("regime1", "missing exactly when dem1 is", lambda d: d["regime1"].isna() == d["dem1"].isna()),
                Check("regime2", "missing exactly when dem2 is", lambda d: d["regime2"].isna() == d["dem2"].isna())),
    ),
    TableSpec(
        # umbrella.interfaces.maps.render: the Japanese labels of `umbrella map --lang ja`
        "place_names_ja", "place_names_ja.csv",
        "Japanese names of the bases, reference points, capitals, base groups and extra countries on the map "
        "(standard Japanese usage)",
        (S("kind", allowed=("base", "reference", "capital", "group", "country")), S("key"), S("name_ja")),
        key=("kind", "key"),
    ),
)

CATALOG: dict[str, TableSpec] = {spec.name: spec for spec in _SPECS}

"""Scenario and world loading: presets, extends, --set, safe YAML, and the InputError messages.

Every bad-input test checks that the message names the key path, the value and what is allowed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from umbrella.data.facts import DEFAULT_ACTORS
from umbrella.errors import InputError
from umbrella.scenario import (
    Scenario,
    World,
    list_presets,
    list_worlds,
    load_scenario,
    load_world,
    scenario_hash,
    validate_file,
)
from umbrella.scenario.load import PRESET_DIR, WORLD_DIR, read_yaml
from umbrella.scenario.schema import SHOCK_TYPES

# --------------------------------------------------------------------------------------------
# helpers

WORLD_YAML = """\
id: tiny
title: Tiny test world
parameters:
  cred_decay:
    value: 0.1
    range: [0.0, 0.5]
    dist: uniform
    unit: per year
    source: "test fixture"
  cascade:
    value: 0.3
    range: [0.0, 1.0]
    source: "test fixture"
"""


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def world(tmp_path: Path) -> Path:
    return write(tmp_path, "tiny.yaml", WORLD_YAML)


@pytest.fixture
def base(tmp_path: Path, world: Path) -> Path:
    """A small valid scenario pointing at the tmp world."""
    return write(tmp_path, "base.yaml", f"""\
title: Base
start_year: 2025
horizon: 2040
runs: 100
seed: 7
world: {world}
levers:
  us_troops: {{KOR: 28500}}
  consultation: {{KOR: consultative_group}}
shocks:
  - {{year: 2030, type: rhetoric, tone: negative}}
""")


def error_of(fn, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        fn(*args, **kwargs)
    return info.value


def assert_names(e: InputError, path: str, value: object, *allowed: str) -> str:
    """The message starts with `path: <value>` (after the source that set it: a file and line,
    a --set argument or an option) and its allowed part names every `allowed`."""
    msg = str(e)
    assert e.path == path or e.path.endswith(f": {path}"), msg
    assert e.value == value, msg
    assert msg.startswith(f"{path}: {value!r}") or f": {path}: {value!r}" in msg, msg
    assert "; allowed: " in msg, msg
    tail = msg.split("; allowed: ", 1)[1]
    for a in allowed:
        assert a in tail, f"{a!r} not in allowed part of: {msg}"
    return msg


def scenario_file(tmp_path: Path, body: str, name: str = "s.yaml") -> Path:
    return write(tmp_path, name, body)


# --------------------------------------------------------------------------------------------
# presets


def test_list_presets_and_ids_match_file_stems():
    presets = list_presets()
    assert {"status-quo-2025", "us-abandonment"} <= set(presets)
    assert presets == sorted(presets)
    for pid in presets:
        s = load_scenario(pid)
        assert s.id == pid
        assert s.title and s.title_ja and s.description
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", s.title_ja), "title_ja is Japanese"
        assert s.sources, f"{pid} names the seed lines it encodes"
        for src in s.sources:
            assert re.fullmatch(r"F[0-4]:L\d+(-\d+)?", src.ref), src.ref
            assert src.en and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", src.ja)


def test_status_quo_2025_settings():
    s = load_scenario("status-quo-2025")
    assert (s.start_year, s.horizon, s.runs, s.seed, s.world) == (2025, 2050, 10000, 20250101,
                                                                   "consensus")
    lv = s.levers
    assert lv.us_administration == "america_first"
    assert lv.rok_camp == "progressive"
    assert lv.burden_sharing == "hns_transfer"
    # today's arrangements are the data's baseline, not levers (a lever would be a change)
    assert lv.consultation == {} and lv.nuclear_sharing == {} and lv.forward_weapons == {}
    from umbrella.engine import init
    from umbrella.engine import layout as L
    from umbrella.scenario.schema import CONSULTATION_LEVELS, SHARING_LEVELS
    inp = init.build(s, load_world("consensus"))
    xi = dict(zip(inp.actors, inp.xi0, strict=True))
    consult = {a: CONSULTATION_LEVELS[v[L.XI_CONSULT]] for a, v in xi.items()}
    assert consult["KOR"] == "consultative_group" and consult["JPN"] == "dialogue"
    assert consult["TWN"] == "none" and consult["FRA"] == "none"
    for a in ("DEU", "POL", "TUR", "GBR"):
        assert consult[a] == "planning_group"
    assert {a: SHARING_LEVELS[v[L.XI_SHARING]] for a, v in xi.items() if v[L.XI_SHARING]} == {
        "DEU": "f35_certified", "TUR": "planning"}
    assert {a for a, v in xi.items() if v[L.XI_FORWARD]} == {"DEU", "TUR"}
    assert not (inp.SCH[0, :, [L.SC_CONSULT, L.SC_SHARING, L.SC_FORWARD]] >= 0).any()
    assert [(k.year, k.type, k.target, k.tone) for k in s.shocks] == [
        (2025, "rhetoric", "all", "negative"), (2025, "rhetoric", "KOR", "negative")]


def test_us_abandonment_inherits_levers_and_appends_shocks():
    parent = load_scenario("status-quo-2025")
    child = load_scenario("us-abandonment")
    assert child.id == "us-abandonment"
    assert child.extends == "status-quo-2025"
    assert child.levers == parent.levers
    assert (child.start_year, child.horizon, child.runs, child.seed, child.world) == (
        parent.start_year, parent.horizon, parent.runs, parent.seed, parent.world)
    assert child.shocks[:len(parent.shocks)] == parent.shocks
    added = [(k.year, k.type, getattr(k, "target", None), getattr(k, "value", None))
             for k in child.shocks[len(parent.shocks):]]
    assert added == [
        (2026, "rhetoric", "all", None),
        (2027, "troops", "KOR", 0.0),
        (2027, "troops", "JPN", 0.0),
        (2027, "consultation", "KOR", "none"),
        (2027, "consultation", "JPN", "none"),
    ]
    assert child.sources != parent.sources  # lists are replaced, not merged
    assert {"F1:L26", "F0:L34", "F1:L3"} <= {s.ref for s in child.sources}


@pytest.mark.skipif("consensus" not in list_worlds(), reason="consensus world not written yet")
@pytest.mark.parametrize("pid", ["status-quo-2025", "us-abandonment"])
def test_presets_validate_with_their_world(pid):
    validate_file(PRESET_DIR / f"{pid}.yaml")


def test_package_dirs():
    assert PRESET_DIR.is_dir()
    assert list_presets() == sorted(p.stem for p in PRESET_DIR.glob("*.y*ml"))
    on_disk = sorted(p.stem for p in WORLD_DIR.glob("*.y*ml")) if WORLD_DIR.is_dir() else []
    assert list_worlds() == on_disk


# --------------------------------------------------------------------------------------------
# --set and fields


def test_set_override_applies():
    s = load_scenario("status-quo-2025", ["levers.us_troops.KOR=0"])
    assert s.levers.us_troops == {"KOR": 0.0}
    assert isinstance(s.levers.us_troops["KOR"], float)
    s = load_scenario("status-quo-2025", ["levers.rok_camp=conservative"])
    assert s.levers.rok_camp == "conservative"


def test_set_start_year(base):
    s = load_scenario(base, ["start_year=2030"])
    assert s.start_year == 2030
    # the preset's 2025 shocks then fall before the run: history, left out
    assert load_scenario("status-quo-2025", ["start_year=2030"]).shocks == []
    # a shock the caller sets outside the run is still an error, reported at the shock
    e = error_of(load_scenario, "status-quo-2025",
                 ["start_year=2030", "shocks=[{year: 2026, type: nuclear_test}]"])
    assert_names(e, "shocks[0].year", 2026, "2030", "2050")


def test_set_values_are_yaml(base):
    s = load_scenario(base, [
        "levers.dprk_test_moratorium=true",
        "actors=[USA, KOR, JPN]",
        "levers.defence_target.JPN={share: 0.02, by: 2030}",
        "levers.defence_target.JPN.share=0.03",  # a later override refines an earlier one
        "shocks[0].tone=positive",
        "title=no",  # a plain value for a text field stays text (YAML 1.1 would say False)
        "id=2030",
    ])
    assert s.levers.dprk_test_moratorium is True
    assert s.actors == ["USA", "KOR", "JPN"]
    assert (s.levers.defence_target["JPN"].share, s.levers.defence_target["JPN"].by) == (0.03,
                                                                                        2030)
    assert s.shocks[0].tone == "positive"
    assert s.title == "no" and s.id == "2030"


def test_set_keeps_sibling_keys(base):
    s = load_scenario(base, ["levers.us_troops.JPN=54000"])
    assert s.levers.us_troops == {"KOR": 28500.0, "JPN": 54000.0}


def test_fields_applied_last_and_none_skipped(base):
    s = load_scenario(base, ["runs=5"], fields={"runs": 42, "seed": None, "horizon": 2045})
    assert (s.runs, s.seed, s.horizon) == (42, 7, 2045)


def test_set_unknown_path():
    e = error_of(load_scenario, "status-quo-2025", ["levers.bogus=1"])
    assert_names(e, "levers.bogus", 1, "us_troops", "rok_camp", "consultation")
    e = error_of(load_scenario, "status-quo-2025", ["nope=1"])
    assert_names(e, "nope", 1, "start_year", "levers", "shocks")
    e = error_of(load_scenario, "status-quo-2025", ["start_year.x=1"])
    assert_names(e, "start_year.x", 1, "start_year itself")
    e = error_of(load_scenario, "status-quo-2025", ["shocks.9.year=2030"])
    assert_names(e, "shocks[9]", 2030, "index from 0 to 1")
    e = error_of(load_scenario, "status-quo-2025", ["shocks.0.value=1"])
    assert_names(e, "shocks[0].value", 1, "year", "target", "tone")
    e = error_of(load_scenario, "status-quo-2025", ["extends=status-quo-2025"])
    assert_names(e, "extends", "status-quo-2025", "start_year")
    e = error_of(load_scenario, "status-quo-2025", fields={"bogus": 3})
    assert_names(e, "bogus", 3, "runs", "seed")


def test_set_without_equals():
    e = error_of(load_scenario, "status-quo-2025", ["levers.rok_camp"])
    assert_names(e, "--set", "levers.rok_camp", "PATH=VALUE")


def test_set_unparsable_value():
    e = error_of(load_scenario, "status-quo-2025", ["levers.us_troops.KOR=[1"])
    assert_names(e, "levers.us_troops.KOR", "[1", "YAML")


# --------------------------------------------------------------------------------------------
# bad input: each names the path, the value and what is allowed


def test_unknown_top_level_key(tmp_path):
    f = scenario_file(tmp_path, "start_year: 2025\nhorizn: 2050\n")
    e = error_of(load_scenario, f)
    assert_names(e, "horizn", 2050, "horizon", "start_year", "levers", "shocks_add")


def test_unknown_lever_key(tmp_path):
    f = scenario_file(tmp_path, "levers:\n  us_troop: {KOR: 1}\n")
    e = error_of(load_scenario, f)
    assert_names(e, "levers.us_troop", {"KOR": 1}, "us_troops", "consultation",
                 "burden_sharing")


def test_wrong_type_runs():
    e = error_of(load_scenario, "status-quo-2025", ["runs=many"])
    assert_names(e, "runs", "many", "integer", "1 to 10,000,000")


@pytest.mark.parametrize("override, path, value, allowed", [
    ("runs=0", "runs", 0, "1 to 10,000,000"),
    ("seed=-1", "seed", -1, "0 to 9,223,372,036,854,775,807"),
    ("horizon=2020", "horizon", 2020, "after start_year (2025)"),
    ("start_year=1900", "start_year", 1900, "1945 to 2100"),
    ("levers.us_troops.KOR=-5", "levers.us_troops.KOR", -5, "between 0 and 1,000,000"),
    ("levers.defence_target.JPN={share: 0.5, by: 2030}", "levers.defence_target.JPN.share",
     0.5, "0.0 to 0.2"),
    ("levers.rok_camp=centrist", "levers.rok_camp", "centrist", "'progressive' or 'conservative'"),
    ("levers.consultation.KOR=npg", "levers.consultation.KOR", "npg",
     "'none', 'dialogue', 'consultative_group'"),
])
def test_out_of_range(override, path, value, allowed):
    e = error_of(load_scenario, "status-quo-2025", [override])
    assert_names(e, path, value, allowed)


def test_horizon_before_start_year_in_file(tmp_path):
    f = scenario_file(tmp_path, "start_year: 2040\nhorizon: 2030\n")
    assert_names(error_of(load_scenario, f), "horizon", 2030, "after start_year (2040)")


def test_unknown_actor_in_lever_key():
    e = error_of(load_scenario, "status-quo-2025", ["levers.consultation.XXX=dialogue"])
    msg = assert_names(e, "levers.consultation.XXX", "XXX", *DEFAULT_ACTORS)
    assert "unknown actor" in msg


def test_unknown_actor_in_shock_target(tmp_path):
    f = scenario_file(tmp_path, "shocks:\n  - {year: 2030, type: troops, target: XXX, value: 0}\n")
    assert_names(error_of(load_scenario, f), "shocks[0].target", "XXX", *DEFAULT_ACTORS)
    # rhetoric targets are 'all' or an actor: both alternatives are listed
    e = error_of(load_scenario, "status-quo-2025", ["shocks.1.target=XXX"])
    assert_names(e, "shocks[1].target", "XXX", "'all'", *DEFAULT_ACTORS)


def test_unknown_preset():
    e = error_of(load_scenario, "no-such-preset")
    assert_names(e, "scenario", "no-such-preset", "status-quo-2025", "us-abandonment")


def test_missing_scenario_file(tmp_path):
    e = error_of(load_scenario, str(tmp_path / "missing.yaml"))
    assert e.path == "scenario" and "status-quo-2025" in str(e)


def test_unknown_world(tmp_path):
    e = error_of(load_world, "no-such-world")
    assert_names(e, "world", "no-such-world", "a path to a .yaml/.yml file", *list_worlds())
    f = scenario_file(tmp_path, "world: no-such-world\n")
    e = error_of(validate_file, f)
    assert_names(e, "world", "no-such-world", "a path to a .yaml/.yml file")


def test_malformed_yaml_names_line(tmp_path):
    f = scenario_file(tmp_path,
                      "title: x\nlevers:\n  us_troops: {KOR: 1\n  rok_camp: progressive\n")
    e = error_of(load_scenario, f)
    assert re.fullmatch(rf"{re.escape(str(f))}:4:\d+", e.path), str(e)
    assert e.value == "rok_camp: progressive"
    assert "valid YAML (safe subset)" in str(e)
    e = error_of(read_yaml, "a: [1, 2\nb: 3\n", "inline.yaml")
    assert e.path == "inline.yaml:2:2" and e.value == "b: 3"


def test_python_tags_rejected(tmp_path):
    marker = tmp_path / "pwned"
    f = scenario_file(tmp_path, f"title: !!python/object/apply:os.system ['touch {marker}']\n")
    e = error_of(load_scenario, f)
    assert e.path.startswith(f"{f}:1:")
    assert "python/object" in str(e) and "valid YAML (safe subset)" in str(e)
    assert not marker.exists()
    e = error_of(read_yaml, "x: !!python/object:builtins.dict {}\n", "t.yaml")
    assert e.path == "t.yaml:1:4"


def test_duplicate_keys_and_non_mapping(tmp_path):
    e = error_of(read_yaml, "runs: 1\nruns: 2\n", "d.yaml")
    assert e.path == "d.yaml:2:1" and "duplicate key 'runs'" in str(e)
    e = error_of(read_yaml, "- a\n- b\n", "l.yaml")
    assert_names(e, "l.yaml", ["a", "b"], "mapping")
    e = error_of(read_yaml, "", "empty.yaml")
    assert e.path == "empty.yaml" and "mapping" in str(e)
    missing = str(tmp_path / "missing.yaml")
    assert_names(error_of(read_yaml, missing, "scenario"), "scenario", missing, "existing")
    assert read_yaml(write(tmp_path, "ok.yml", "a: 1\n"), "ok") == {"a": 1}


def test_bad_shock_type_lists_allowed(tmp_path):
    f = scenario_file(tmp_path, "shocks:\n  - {year: 2030, type: invasion, target: TWN}\n")
    assert_names(error_of(load_scenario, f), "shocks[0].type", "invasion", *SHOCK_TYPES)
    f = scenario_file(tmp_path, "shocks:\n  - {year: 2030, target: TWN}\n", "t.yaml")
    assert_names(error_of(load_scenario, f), "shocks[0].type", None, *SHOCK_TYPES)


def test_shock_fields_strip_union_tag(tmp_path):
    f = scenario_file(tmp_path, """\
shocks:
  - {year: 2030, type: rhetoric, tone: negative}
  - {year: 2031, type: rhetoric, tone: negative}
  - {year: 2032, type: troops, target: KOR, value: -1}
""")
    assert_names(error_of(load_scenario, f), "shocks[2].value", -1, "0 to 1,000,000")
    f = scenario_file(
        tmp_path, "shocks:\n  - {year: 2030, type: troops, target: KOR, value: 0, size: 1}\n",
        "t.yaml")
    assert_names(error_of(load_scenario, f), "shocks[0].size", 1, "year", "target", "value")


def test_shock_year_outside_run(tmp_path):
    f = scenario_file(tmp_path, """\
start_year: 2025
horizon: 2035
shocks:
  - {year: 2030, type: rhetoric, tone: negative}
  - {year: 2040, type: rhetoric, tone: negative}
""")
    assert_names(error_of(load_scenario, f), "shocks[1].year", 2040, "2025 to 2035")


def test_distribution_missing_fields(tmp_path):
    f = scenario_file(tmp_path, "uncertain:\n  cred.lr_troops: {dist: normal, mean: 0.1}\n")
    e = error_of(load_scenario, f)
    msg = assert_names(e, "uncertain.cred.lr_troops", {"dist": "normal", "mean": 0.1}, "mean, sd")
    assert "missing sd" in msg
    f = scenario_file(tmp_path, "uncertain:\n  cred.lr_troops: {dist: normal, mean: 0.1, sd: 1}\n")
    e = error_of(load_scenario, f, ["uncertain.cred.lr_troops.dist=lognormally"])
    assert_names(e, "uncertain.cred.lr_troops.dist", "lognormally", "'fixed'", "'triangular'")


def test_several_errors_reported_once_with_count(tmp_path):
    f = scenario_file(tmp_path, "runs: 0\nseed: -1\nlevers: {bogus: 1}\n")
    e = error_of(load_scenario, f)
    assert e.path == f"{f} line 1: runs" and "(+2 more)" in str(e)


# --------------------------------------------------------------------------------------------
# extends


def test_extends_cycle_detected(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    e = error_of(load_scenario, tmp_path / "a.yaml")
    assert e.path == "extends" and "cycle" in str(e) and "a -> b -> a" in str(e)
    write(tmp_path, "self.yaml", "extends: self.yaml\n")
    assert "cycle" in str(error_of(load_scenario, tmp_path / "self.yaml"))


def test_extends_unknown_parent(tmp_path):
    f = scenario_file(tmp_path, "extends: no-such-preset\n")
    assert_names(error_of(load_scenario, f), "extends", "no-such-preset", "status-quo-2025")


def test_extends_preset_deep_merge(tmp_path):
    write(tmp_path, "parent.yaml",
          "extends: status-quo-2025\nlevers:\n  consultation: {KOR: consultative_group}\n")
    f = scenario_file(tmp_path, """\
extends: parent.yaml
levers:
  rok_camp: conservative
  consultation: {JPN: consultative_group}
""", "mine.yaml")
    s = load_scenario(f)
    parent = load_scenario("status-quo-2025")
    assert s.id == "mine"  # an id is never inherited
    assert s.levers.rok_camp == "conservative"
    assert s.levers.consultation["JPN"] == "consultative_group"
    assert s.levers.consultation["KOR"] == "consultative_group"  # kept from the parent
    assert s.levers.us_administration == parent.levers.us_administration
    assert s.shocks == parent.shocks and s.sources == parent.sources


def test_shocks_replace_versus_shocks_add(tmp_path):
    write(tmp_path, "p.yaml", "shocks:\n  - {year: 2030, type: rhetoric, tone: negative}\n")
    write(tmp_path, "replace.yaml",
          "extends: p.yaml\nshocks:\n  - {year: 2031, type: nuclear_test}\n")
    write(tmp_path, "add.yaml",
          "extends: p.yaml\nshocks_add:\n  - {year: 2031, type: nuclear_test}\n")
    write(tmp_path, "both.yaml", "extends: p.yaml\nshocks: []\n"
          "shocks_add:\n  - {year: 2031, type: nuclear_test}\n")
    write(tmp_path, "grand.yaml",
          "extends: add.yaml\nshocks_add:\n  - {year: 2032, type: npt_withdrawal, target: KOR}\n")
    assert [k.type for k in load_scenario(tmp_path / "replace.yaml").shocks] == ["nuclear_test"]
    assert [k.type for k in load_scenario(tmp_path / "add.yaml").shocks] == ["rhetoric",
                                                                             "nuclear_test"]
    assert [k.type for k in load_scenario(tmp_path / "both.yaml").shocks] == ["nuclear_test"]
    assert [k.type for k in load_scenario(tmp_path / "grand.yaml").shocks] == [
        "rhetoric", "nuclear_test", "npt_withdrawal"]
    write(tmp_path, "badadd.yaml", "extends: p.yaml\nshocks_add: {year: 2031}\n")
    assert_names(error_of(load_scenario, tmp_path / "badadd.yaml"), "shocks_add", {"year": 2031},
                 "list")


# --------------------------------------------------------------------------------------------
# worlds and validate_file


def test_world_loads_and_extends(tmp_path, world):
    w = load_world(world)
    assert isinstance(w, World) and w.id == "tiny" and w.parameters["cred_decay"].value == 0.1
    child = write(tmp_path, "hawk.yaml", f"""\
extends: {world.name}
title: Hawkish test world
parameters:
  cred_decay: {{value: 0.4, claim: "F1:L6: trust badly damaged"}}
""")
    c = load_world(child)
    assert c.id == "hawk" and c.extends == world.name
    p = c.parameters["cred_decay"]
    assert (p.value, p.range, p.dist, p.source, p.claim) == (
        0.4, (0.0, 0.5), "uniform", "test fixture", "F1:L6: trust badly damaged")
    assert c.parameters["cascade"] == w.parameters["cascade"]


def test_world_errors(tmp_path, world):
    bad = write(tmp_path, "bad.yaml",
                f"extends: {world.name}\nparameters:\n  cascade: {{value: 2}}\n")
    assert_names(error_of(load_world, bad), "parameters.cascade", {
        "value": 2, "range": [0.0, 1.0], "source": "test fixture"}, "outside its range")
    cyc = write(tmp_path, "cyc.yaml", "id: cyc\ntitle: c\nextends: cyc.yaml\nparameters: {}\n")
    assert "cycle" in str(error_of(load_world, cyc))


@pytest.mark.skipif("consensus" not in list_worlds(), reason="consensus world not written yet")
def test_bundled_worlds_load():
    for name in list_worlds():
        assert load_world(name).id == name


def test_validate_file(base):
    s = validate_file(base)
    assert isinstance(s, Scenario) and s.id == "base"


# --------------------------------------------------------------------------------------------
# hash


def test_scenario_hash_stable_and_sensitive(base):
    a = load_scenario(base)
    assert re.fullmatch(r"[0-9a-f]{16}", scenario_hash(a))
    assert scenario_hash(a) == scenario_hash(load_scenario(base))
    assert scenario_hash(a) == scenario_hash(Scenario.model_validate(a.model_dump()))
    assert scenario_hash(a) != scenario_hash(load_scenario(base, fields={"seed": 8}))
    assert scenario_hash(a) != scenario_hash(load_scenario(base, ["levers.us_troops.KOR=28501"]))
    assert scenario_hash(load_scenario("status-quo-2025")) != scenario_hash(
        load_scenario("us-abandonment"))


# --------------------------------------------------------------------------------------------
# properties: valid combinations round-trip, invalid ones raise InputError and nothing else


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("plain")
    return write(d, "plain.yaml",
                 "levers: {us_troops: {KOR: 1}}\n"
                 "shocks:\n  - {year: 2040, type: rhetoric, tone: negative}\n")


def _valid(runs, seed, start, horizon) -> bool:
    return (1 <= runs <= 10_000_000 and 0 <= seed <= 2**63 - 1 and 1945 <= start <= 2100
            and 1945 <= horizon <= 2100 and horizon > start)


edge_ints = st.one_of(st.integers(-3, 3), st.integers(9_999_990, 10_000_010), st.integers())
years = st.integers(1930, 2115)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs=edge_ints, seed=st.one_of(edge_ints, st.integers(2**63 - 3, 2**63 + 3)),
       start=years, horizon=years)
def test_property_fields_round_trip(plain, runs, seed, start, horizon):
    fields = {"runs": runs, "seed": seed, "start_year": start, "horizon": horizon}
    if _valid(runs, seed, start, horizon):
        s = load_scenario(plain, fields=fields)
        assert (s.runs, s.seed, s.start_year, s.horizon) == (runs, seed, start, horizon)
        assert Scenario.model_validate(s.model_dump(mode="json")) == s
        # the document's 2040 shock is kept exactly when the moved window still holds it
        assert len(s.shocks) == (1 if start <= 2040 <= horizon else 0)
    else:
        with pytest.raises(InputError):
            load_scenario(plain, fields=fields)


junk = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                 st.text(max_size=20), st.lists(st.integers(), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["runs", "seed", "start_year", "horizon", "world", "levers",
                             "shocks", "actors", "uncertain", "title", "nope"]), value=junk)
def test_property_any_field_value_gives_scenario_or_input_error(plain, name, value):
    try:
        s = load_scenario(plain, fields={name: value})
    except InputError as e:
        assert str(e) and e.path is not None
    else:
        assert isinstance(s, Scenario)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=st.one_of(
    st.text(max_size=40),
    st.builds(lambda p, v: f"{p}={v}",
              st.sampled_from(["runs", "levers.us_troops.KOR", "levers.rok_camp", "shocks.0.year",
                               "shocks[0].tone", "levers.defence_target.JPN", "uncertain.x",
                               "levers", "levers.status.KOR", "a.b.c", "shocks.x"]),
              st.text(max_size=20))))
def test_property_any_override_gives_scenario_or_input_error(plain, item):
    try:
        s = load_scenario(plain, [item])
    except InputError as e:
        assert str(e)
    else:
        assert isinstance(s, Scenario)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_property_read_yaml_only_input_errors(text):
    try:
        d = read_yaml(text, "fuzz.yaml")
    except InputError as e:
        assert e.path.startswith("fuzz.yaml")
    else:
        assert isinstance(d, dict)


@settings(max_examples=200, deadline=None)
@given(ref=st.one_of(st.text(max_size=30), st.text(max_size=30).map(lambda t: t + ".yaml")))
def test_property_any_ref_gives_scenario_or_input_error(ref):
    for fn in (load_scenario, load_world):
        try:
            fn(ref)
        except InputError as e:
            assert e.path in ("scenario", "world") or e.path.endswith((".yaml", ".yml")) \
                or ":" in e.path


def test_moving_the_window_leaves_out_the_documents_past_shocks():
    dropped: list = []
    s = load_scenario("status-quo-2025", fields={"start_year": 2030}, dropped=dropped)
    assert s.start_year == 2030 and s.shocks == []
    assert [d["year"] for d in dropped] == [2025, 2025]
    # the document's own window keeps the strict check for shocks set by the caller
    with pytest.raises(InputError):
        load_scenario("status-quo-2025", overrides=["shocks=[{year: 2025, type: nuclear_test}]"],
                      fields={"start_year": 2030})
    # without a window change nothing is dropped
    assert len(load_scenario("status-quo-2025").shocks) == 2

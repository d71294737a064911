"""Every command that takes a scenario accepts and rejects exactly the same scenario inputs
(issue 19): `validate`, `run`, `crisis`, `compare`, `explain` and `explore validate/run`, in
process through the CLI's entry point. A reject is exit 2 with one line on stderr that names the
source: the file and line, the `--set` argument or the option."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from umbrella.errors import InputError
from umbrella.interfaces.cli import app
from umbrella.scenario import load_scenario

PARENT = "extends: status-quo-2025\ntitle: parent\n"

# (name, scenario file text, --set arguments, accepted?, text the rejection names)
CASES: list[tuple[str, str, list[str], bool, str]] = [
    ("plain", "extends: status-quo-2025\ntitle: plain\n", [], True, ""),
    ("lever", "extends: status-quo-2025\nlevers:\n  us_troops: {KOR: 0}\n", [], True, ""),
    ("set-lever", PARENT, ["levers.consultation.KOR=planning_group"], True, ""),
    ("uncertain-ok", PARENT + "uncertain:\n  cred.lr_troops: {dist: uniform, low: 0.4, high: 0.6}\n", [], True, ""),
    ("runs-in-file-replaced", PARENT + "runs: 50\n", [], True, ""),
    ("set-then-replaced-ok", PARENT, ["levers.us_troops.KOR=1000", "levers.us_troops.KOR=0"], True, ""),
    # bad values, even where a later layer (--runs, a later --set, a child file) replaces them
    ("runs-many", PARENT + "runs: many\n", [], False, "s.yaml line 3: runs: 'many'"),
    ("runs-negative", PARENT + "runs: -5\n", [], False, "s.yaml line 3: runs: -5"),
    ("uncertain-unknown", PARENT + "uncertain:\n  crisis.bogus: {dist: fixed, value: 1}\n", [], False,
     "s.yaml line 4: uncertain.crisis.bogus"),
    ("uncertain-structural", PARENT + "uncertain:\n  crisis.steps: {dist: uniform, low: 1, high: 3}\n", [],
     False, "s.yaml line 4: uncertain.crisis.steps.dist"),
    ("uncertain-lambda-zero", PARENT + "uncertain:\n  crisis.lambda: {dist: fixed, value: 0}\n", [], False,
     "uncertain.crisis.lambda.value"),
    ("nan", PARENT + "levers:\n  us_troops: {KOR: .nan}\n", [], False, "s.yaml line 4: levers.us_troops.KOR"),
    ("inf", PARENT + "uncertain:\n  cred.lr_troops: {dist: fixed, value: .inf}\n", [], False,
     "uncertain.cred.lr_troops.value"),
    ("unknown-world", PARENT + "world: nope\n", [], False, "s.yaml line 3: world: 'nope'"),
    ("unsafe-tag", PARENT + "runs: !!python/object/apply:os.system ['true']\n", [], False, "s.yaml:3"),
    ("window", PARENT + "start_year: 2040\nhorizon: 2030\n", [], False, "horizon: 2030"),
    ("shock-outside", PARENT + "shocks:\n  - {year: 2070, type: nuclear_test}\n", [], False, "shocks[0].year"),
    ("set-runs-many", PARENT, ["runs=many"], False, "--set runs=many: runs"),
    ("set-replaced-later", PARENT, ["levers.us_troops.KOR=-5", "levers.us_troops.KOR=0"], False,
     "--set levers.us_troops.KOR=-5: levers.us_troops.KOR: -5"),
    ("set-unknown-key", PARENT, ["levers.bogus=1"], False, "levers.bogus"),
    ("set-structural", PARENT, ["uncertain.crisis.steps={dist: uniform, low: 1, high: 3}"], False,
     "--set uncertain.crisis.steps="),
    ("set-world", PARENT, ["world=nope"], False, "--set world=nope: world"),
]

RUNS = ["--runs", "20"]

EXPERIMENT = """id: t
base: {base}
runs: 2
sampler: {{method: lhs, n: 2, seed: 1}}
uncertainties:
  parameters:
    cred.lr_troops: {{}}
outcomes:
  - status.KOR.pursue.2030
"""


def invoke(args: list[str]):
    return CliRunner().invoke(app, [str(a) for a in args])


def commands(f: Path, sets: list[str], tmp: Path) -> dict[str, list[str]]:
    s = [x for item in sets for x in ("--set", item)]
    cmds = {
        "validate": ["validate", f, *s, *RUNS],
        "run": ["run", f, *s, *RUNS, "--json", tmp / "run.json"],
        "crisis": ["crisis", "korea", f, *s, *RUNS, "--json", tmp / "crisis.json"],
        "compare": ["compare", f, f, *s, *RUNS, "--json", tmp / "compare.json"],
        "explain": ["explain", f, "--actor", "KOR", "--event", "arsenal", *s, *RUNS,
                    "--json", tmp / "explain.json"],
    }
    if not sets:   # an experiment file names its base scenario; it takes no --set
        exp = tmp / "exp.yaml"
        exp.write_text(EXPERIMENT.format(base=f))
        cmds["explore validate"] = ["explore", "validate", exp]
        cmds["explore run"] = ["explore", "run", exp, "--store", tmp / "store", "--quiet"]
    return cmds


@pytest.mark.slow
@pytest.mark.parametrize("name,text,sets,ok,names", CASES, ids=[c[0] for c in CASES])
def test_every_command_gives_the_same_verdict(tmp_path, name, text, sets, ok, names):
    f = tmp_path / "s.yaml"
    f.write_text(text)
    verdicts = {}
    for cmd, args in commands(f, sets, tmp_path).items():
        r = invoke(args)
        verdicts[cmd] = r.exit_code
        if ok:
            assert r.exit_code == 0, f"{cmd}: {r.output}"
        else:
            assert r.exit_code == 2, f"{cmd}: {r.output}"
            assert r.exception is None or isinstance(r.exception, SystemExit), f"{cmd}: {r.exception!r}"
            msg = r.output.strip()
            assert msg.startswith("error: ") and "\n" not in msg, f"{cmd}: {msg}"
            assert names in msg, f"{cmd}: {msg!r} does not name {names!r}"
    assert len(set(verdicts.values())) == 1, verdicts


def test_validate_takes_what_run_takes(tmp_path):
    """The fast part of the above: `validate` with --set and options, one line, exit 2."""
    f = tmp_path / "s.yaml"
    f.write_text(PARENT + "runs: many\n")
    r = invoke(["validate", f, "--runs", "20"])
    assert r.exit_code == 2 and r.output.strip().count("\n") == 0
    assert f"{f} line 3: runs: 'many' has the wrong type" in r.output
    r = invoke(["validate", "status-quo-2025", "--set", "runs=many", "--runs", "20"])
    assert r.exit_code == 2 and "--set runs=many: runs: 'many'" in r.output
    r = invoke(["validate", "status-quo-2025", "--runs", "0"])
    assert r.exit_code == 2 and "--runs 0: runs: 0 is out of range" in r.output
    r = invoke(["validate", "status-quo-2025", "--world", "nope"])
    assert r.exit_code == 2 and "--world nope: world: 'nope' is not a known world" in r.output
    r = invoke(["validate", "korean-war", "--set", "levers.rok_camp=progressive"])
    assert r.exit_code == 0, r.output


def test_each_layer_is_validated(tmp_path):
    """The file as written (each file of the extends chain), then each override, then the whole."""
    (tmp_path / "parent.yaml").write_text("extends: status-quo-2025\nruns: 0\n")
    child = tmp_path / "child.yaml"
    child.write_text("extends: parent.yaml\nruns: 100\n")
    with pytest.raises(InputError, match=r"parent\.yaml line 2: runs: 0 is out of range"):
        load_scenario(child)
    # a later override does not excuse an earlier one; the start year may move the window
    with pytest.raises(InputError, match=r"^--set start_year=1800: start_year"):
        load_scenario("status-quo-2025", ["start_year=1800", "start_year=2030"])
    sc = load_scenario("status-quo-2025", ["horizon=2080", "start_year=2060"])
    assert (sc.start_year, sc.horizon) == (2060, 2080)
    sc = load_scenario("status-quo-2025", fields={"start_year": 2060, "horizon": 2080})
    assert (sc.start_year, sc.horizon) == (2060, 2080)
    # a shock added by --set is a whole value: incomplete, it is an error of that --set
    n = len(load_scenario("status-quo-2025").shocks)
    with pytest.raises(InputError, match=rf"^--set shocks_add=.*: shocks\[{n}\]\.theatre"):
        load_scenario("status-quo-2025", ["shocks_add=[{year: 2030, type: war}]", f"shocks.{n}.theatre=korea"])
    # a shock's type changed by one --set and its fields given by the next are judged together
    sc = load_scenario("korean-war", [f"shocks.{n}.type=crisis"])
    assert sc.shocks[n].type == "crisis"
    with pytest.raises(InputError, match=r"^--runs -1: runs: -1 is out of range"):
        load_scenario("status-quo-2025", fields={"runs": -1})
    with pytest.raises(InputError, match=r"preset status-quo-2025|--set seed=x"):
        load_scenario("status-quo-2025", ["seed=x"], fields={"seed": 1})


def test_historical_bounds_agree_with_the_panel():
    from umbrella.calibrate import historical
    from umbrella.scenario.schema import HISTORICAL_LAST
    assert HISTORICAL_LAST == historical.LAST
    with pytest.raises(InputError, match=r"horizon: 2020 is after the historical"):   # across fields: the merged
        load_scenario("historical", ["horizon=2020"])
    with pytest.raises(InputError, match=r"levers: .* is set in historical mode"):
        load_scenario("historical", ["levers.rok_camp=progressive"])

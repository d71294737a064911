"""The status quo against expert surveys and forecasting crowds (analysis/anchors.py, the
bundled validation_targets.csv; docs/validation.md "Experts and crowds")."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from umbrella.analysis import anchors as A
from umbrella.data.load import load_table

DOCS = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


def test_every_bundled_row_is_compared_or_says_why_not():
    targets = [str(t) for t in load_table("validation_targets")["target"]]
    for t in targets:
        hits = [a.id for a in A.ANCHORS if t.startswith(a.row)] + [k for k in A.NOT_COMPARED if t.startswith(k)]
        assert hits, f"validation_targets.csv row neither compared nor excused: {t!r}"
    for key in [a.row for a in A.ANCHORS] + list(A.NOT_COMPARED):
        assert sum(t.startswith(key) for t in targets) == 1, key


def test_anchor_figures_are_the_bundled_ones_scaled_as_documented():
    v = {a.id: A.anchor_values(a) for a in A.ANCHORS}
    assert v["ac-kor-arsenal"] == [("Atlantic Council Global Foresight 2025: experts", pytest.approx(0.402))]
    assert [x for _, x in v["fri-catastrophe"]] == [pytest.approx(0.05 * 3 / 5), pytest.approx(0.01 * 3 / 5)]
    assert [x for _, x in v["fri-catastrophe-korea"]] == [pytest.approx(0.01), pytest.approx(0.002)]
    assert all(a.relation in A.RELATIONS for a in A.ANCHORS)


def test_verdicts():
    assert A.verdict("same", 0.4, 0.3, 0.5) == "agrees"
    assert A.verdict("same", 0.4, 0.05, 0.07) == "model below"
    assert A.verdict("same", 0.04, 0.05, 0.07) == "model above"
    assert A.verdict("upper", 0.01, 0.001, 0.005) == "model below a bound"
    assert A.verdict("upper", 0.004, 0.001, 0.005) == "consistent"
    assert A.verdict("lower", 0.5, 0.1, 0.12) == "consistent"
    assert A.verdict("lower", 0.05, 0.1, 0.12) == "model above a bound"


def test_the_model_figures_are_the_outcome_registry_on_the_same_runs():
    from umbrella.engine.run import simulate
    from umbrella.explore.outcomes import compute, parse
    from umbrella.scenario import load_scenario, load_world

    rows = A.measure(runs=400, worlds=["consensus", "defense-one"])
    sc = load_scenario(A.SCENARIO, fields={"runs": 400})
    outs = [o for a in A.ANCHORS for o in parse(a.outcome, scenario=sc)]
    ref = {k: float(x[0]) for k, x in compute(outs, simulate(sc, load_world("consensus")), 1).items()}
    assert len(rows) == sum(len(A.anchor_values(a)) for a in A.ANCHORS)
    for r in rows:
        assert r["model"] == ref[r["outcome"]]
        assert r["lo"] <= r["model"] <= r["hi"] and r["worlds_min"] <= r["model"] <= r["worlds_max"]
        assert all(np.isfinite([r["model"], r["lo"], r["hi"], r["anchor_value"]]))


@pytest.mark.validation
def test_the_status_quo_meets_the_bounds_the_superforecasters_set():
    """Nuclear use in the model's theatres contains a catastrophe there, so it must not fall
    below the superforecasters' catastrophe figure scaled to those theatres (the crisis layer's
    calibration envelope), and its new arsenals before 2030 are part of Metaculus's event."""
    rows = {(r["id"], r["anchor"].split(": ")[-1]): r for r in A.measure(runs=4000, worlds=["consensus"])}
    assert rows[("fri-catastrophe", "superforecasters")]["verdict"] == "consistent"
    assert rows[("fri-catastrophe-korea", "superforecasters")]["verdict"] == "consistent"
    assert rows[("metaculus-new-state", "forecasters")]["verdict"] == "consistent"


@pytest.mark.slow
def test_docs_table_is_the_current_one():
    text = DOCS.read_text(encoding="utf-8")
    m = re.search(r"`umbrella anchors --runs (\d+) --markdown`", text)
    assert m, "docs/validation.md lacks the anchors table"
    runs = int(m.group(1))
    assert A.markdown(A.measure(runs=runs), runs) in text


def test_cli_refuses_too_few_runs():
    from typer.testing import CliRunner

    from umbrella.interfaces.cli import app
    r = CliRunner().invoke(app, ["anchors", "--runs", "5"])
    assert r.exit_code == 2 and "--runs" in r.output

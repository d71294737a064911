"""The fuzzing harness (harness.py) as tests: a short bounded profile in the suite, the long
profile (100,000 inputs) only under `make fuzz` (`pytest -m fuzz tests/fuzz`)."""

from __future__ import annotations

import os

import harness
import pytest

SHORT = {"scenario files": 150, "experiment files": 50, "--set expressions": 150, "command lines": 50}
LONG = {"scenario files": 40_000, "experiment files": 10_000, "--set expressions": 40_000, "command lines": 10_000}


def _assert_clean(stats: harness.Stats, seconds: float) -> None:
    text = harness.report(stats, seconds)
    print(text)
    assert not stats.crashes, text
    assert not stats.bad_outputs, text
    assert not stats.multiline, text


@pytest.mark.slow
def test_fuzz_short_profile():
    """A few hundred generated inputs, the same strategies as `make fuzz` (under a minute)."""
    stats, seconds = harness.run(SHORT, seed=0, run_cap=40)
    assert sum(stats.inputs.values()) >= 300
    _assert_clean(stats, seconds)


@pytest.mark.fuzz
def test_fuzz_long_profile():
    """`make fuzz`: 100,000 inputs (UMBRELLA_FUZZ_SCALE scales them), figures printed."""
    scale = float(os.environ.get("UMBRELLA_FUZZ_SCALE", "1"))
    counts = {k: max(1, int(v * scale)) for k, v in LONG.items()}
    stats, seconds = harness.run(counts, seed=None)
    _assert_clean(stats, seconds)

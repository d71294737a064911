import functools

import pytest

from umbrella.engine.run import simulate
from umbrella.scenario import load_scenario, load_world


@functools.cache
def _run(ref: str, runs: int = 1000, seed: int = 7, batch_size: int = 10_000, sets: tuple = ()):
    sc = load_scenario(ref, overrides=sets, fields={"runs": runs, "seed": seed})
    return simulate(sc, load_world(sc.world), batch_size=batch_size)


@pytest.fixture(scope="session")
def run_scenario():
    return _run


@pytest.fixture
def needs_matplotlib():
    """Skip the test when the plots extra is missing: matplotlib not installed, or failing to import."""
    return pytest.importorskip("matplotlib", reason="the plots extra (matplotlib) is not installed",
                               exc_type=ImportError)

import functools
from pathlib import Path

import pytest

from umbrella.engine.run import simulate
from umbrella.scenario import load_scenario, load_world


def pytest_sessionstart(session):
    """The known-answer tests' numba wrappers (test_kernels.py) inline the engine's mechanisms and
    are cached on disk; numba keys that cache by the test file only, so drop it whenever the
    engine's sources changed (the engine's own stamp, umbrella/engine/__init__.py)."""
    import umbrella.engine as engine
    stamp = Path(engine.__file__).parent / "__pycache__" / "numba-sources.sha256"
    cache = Path(__file__).parent / "__pycache__"
    mine = cache / "numba-engine.sha256"
    if not stamp.is_file():
        return
    if mine.is_file() and mine.read_text() == stamp.read_text():
        return
    for f in [*cache.glob("*.nbi"), *cache.glob("*.nbc")]:
        f.unlink(missing_ok=True)
    cache.mkdir(exist_ok=True)
    mine.write_text(stamp.read_text())


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

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


# A small Sobol store (two parameters, two policies) for the briefings' and the dashboard's tests
SOBOL_STORE_SPEC = """
id: small-sobol
base: status-quo-2025
runs: 10
unit: 8
sampler: {method: sobol, n: 8, seed: 3}
uncertainties:
  parameters:
    cred.lr_troops: {}
    crisis.korea.onset: {}
policies:
  named:
    status-quo: {}
    no-troops: {levers.us_troops.KOR: 0}
outcomes:
  - status.KOR.arsenal.2040
  - {path: nuclear_use.any.2050, direction: min, threshold: 0.05}
"""


@pytest.fixture(scope="session")
def explore_root(tmp_path_factory):
    """A directory holding one exploration store, `stores/kd`, swept from SOBOL_STORE_SPEC."""
    from umbrella.explore import sweep
    from umbrella.explore.spec import load_spec
    d = tmp_path_factory.mktemp("explore-root")
    (d / "exp.yaml").write_text(SOBOL_STORE_SPEC)
    sweep.run(load_spec(d / "exp.yaml"), d / "stores" / "kd", progress=False)
    return d


def _offline_page(p, allowed: tuple[str, ...] = ("file:", "data:")):
    """A headless Chromium page (Debian's chromium, Playwright `p`) whose requests outside
    `allowed` prefixes are blocked and recorded: (browser, page, external, errors), errors being
    console errors and page exceptions."""
    import os
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page()
    external: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(allowed):
            return r.continue_()
        external.append(r.request.url)
        return r.abort()
    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return browser, page, external, errors


@pytest.fixture(scope="session")
def offline_page():
    """`offline_page(playwright, allowed_prefixes)` -> (browser, page, external, errors)."""
    return _offline_page

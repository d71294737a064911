"""The long fuzzing profile runs only when asked for by marker (`pytest -m fuzz`, `make fuzz`)."""

import pytest


def pytest_collection_modifyitems(config, items):
    if "fuzz" in (config.getoption("markexpr") or "") and "not fuzz" not in config.getoption("markexpr"):
        return
    skip = pytest.mark.skip(reason="the long fuzzing profile: `make fuzz` (pytest -m fuzz tests/fuzz)")
    for item in items:
        if item.get_closest_marker("fuzz") is not None:
            item.add_marker(skip)

PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint bench clean browser

$(BIN)/umbrella: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test,plots,lint,explore,distributed]"
	touch $(BIN)/umbrella

run: $(BIN)/umbrella
	$(BIN)/umbrella run status-quo-2025

test: $(BIN)/umbrella browser
	$(BIN)/python -m pytest

# the fast suite (under 2 minutes): leaves out the slow, validation and browser tests (pyproject.toml's markers)
test-fast: $(BIN)/umbrella
	$(BIN)/python -m pytest -m "not slow and not validation and not browser"

# ruff (pycodestyle, pyflakes, import order, bugbear) and a gradual mypy (pyproject.toml)
lint: $(BIN)/umbrella
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Debian's Chromium and a Japanese font for the map's browser test (tests/test_map.py; it skips
# without them). Installed only when missing, as root with apt-get; otherwise a note. Never fails.
IPAFONT := /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf
browser:
	@if [ -x /usr/bin/chromium ] && [ -f $(IPAFONT) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium and fonts-ipafont-gothic (browser test of the map)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-ipafont-gothic >/dev/null) \
	    || echo "note: installing chromium failed; the browser test of the map will be skipped"; \
	else \
	  echo "note: /usr/bin/chromium or the IPA Gothic font is missing and apt-get as root is not available;"; \
	  echo "      the browser test of the map will be skipped (install Debian's chromium and fonts-ipafont-gothic)"; \
	fi

bench: $(BIN)/umbrella
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_mechanisms.py
	$(BIN)/python benchmarks/bench_history.py
	$(BIN)/python benchmarks/bench_explore.py
	$(BIN)/python benchmarks/bench_scaling.py

clean:
	rm -rf $(VENV) build *.egg-info

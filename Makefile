PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint bench clean browser fuzz

$(BIN)/umbrella: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test,plots,lint,explore,distributed,report,dashboard]"
	touch $(BIN)/umbrella

run: $(BIN)/umbrella
	$(BIN)/umbrella run status-quo-2025

test: $(BIN)/umbrella browser
	$(BIN)/python -m pytest

# the fast suite (under 2 minutes): leaves out the slow, validation and browser tests (pyproject.toml's markers)
test-fast: $(BIN)/umbrella
	$(BIN)/python -m pytest -m "not slow and not validation and not browser"

# the long fuzzing profile (issue 19; docs/reliability.md): 100,000 generated scenario files,
# experiment files, --set expressions and command lines through the real entry points, in process;
# not part of `make test` (which runs its short profile). FUZZ_SCALE=0.1 for a tenth of it.
FUZZ_SCALE ?= 1
fuzz: $(BIN)/umbrella
	UMBRELLA_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/python -m pytest -m fuzz tests/fuzz -s -p no:cacheprovider

# ruff (pycodestyle, pyflakes, import order, bugbear) and a gradual mypy (pyproject.toml)
lint: $(BIN)/umbrella
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# System packages from Debian, installed only when missing, as root with apt-get; otherwise a
# note (never fails): Chromium and a Japanese font for the browser tests (map, reports; they skip
# without them), poppler-utils for reading the PDF reports back in the tests (pdftotext, pdffonts),
# and Pango for WeasyPrint's PDF reports (`umbrella report --format pdf` says what is missing).
IPAFONT := /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf
SYSTEM_PACKAGES := chromium fonts-ipafont-gothic poppler-utils libpango-1.0-0 libpangoft2-1.0-0
browser:
	@if [ -x /usr/bin/chromium ] && [ -f $(IPAFONT) ] && command -v pdftotext >/dev/null 2>&1 \
	    && ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's $(SYSTEM_PACKAGES) (browser tests, PDF reports)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null) \
	    || echo "note: installing $(SYSTEM_PACKAGES) failed; the browser and PDF tests will be skipped"; \
	else \
	  echo "note: some of $(SYSTEM_PACKAGES) are missing and apt-get as root is not available;"; \
	  echo "      the browser and PDF tests will be skipped (install them with your package manager)"; \
	fi

bench: $(BIN)/umbrella
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_mechanisms.py
	$(BIN)/python benchmarks/bench_history.py
	$(BIN)/python benchmarks/bench_explore.py
	$(BIN)/python benchmarks/bench_scaling.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/bench_faults.py

clean:
	rm -rf $(VENV) build *.egg-info

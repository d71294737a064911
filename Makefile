PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/umbrella: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test,plots]"
	touch $(BIN)/umbrella

run: $(BIN)/umbrella
	$(BIN)/umbrella run status-quo-2025

test: $(BIN)/umbrella
	$(BIN)/python -m pytest

bench: $(BIN)/umbrella
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_mechanisms.py

clean:
	rm -rf $(VENV) build *.egg-info

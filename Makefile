# The README's two commands are `make site` and `make test`; CI runs `make test` from .ci/run.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: site test serve lint format bench plotly clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/jixiao build --data data --site site

test: $(STAMP)
	$(BIN)/ruff check jixiao scripts tests
	$(BIN)/pytest

serve: $(STAMP)
	$(BIN)/jixiao serve

lint: $(STAMP)
	$(BIN)/ruff check jixiao scripts tests
	$(BIN)/ruff format --check jixiao scripts tests

format: $(STAMP)
	$(BIN)/ruff format jixiao scripts tests

bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py
	$(BIN)/python scripts/benchmark_import.py
	$(BIN)/python scripts/benchmark_scale.py

# Rebuild the vendored Plotly bundle from the pinned npm packages (needs node and npm).
plotly:
	scripts/build_plotly_bundle.sh

clean:
	rm -rf site .site.building .site.old .pytest_cache .ruff_cache

# The README's two commands are `make site` and `make test`; CI runs `make test` from .ci/run.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: site test serve lint format bench plotly lock clean

# The locked versions, checked against their hashes; then jixiao itself, editable, without resolving again.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
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

# Benchmarks report, they never gate: CI (make test) does not run them. 20,000 units: benchmark_scale.py --units 20000.
bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py
	$(BIN)/python scripts/benchmark_import.py
	$(BIN)/python scripts/benchmark_scale.py
	$(BIN)/python scripts/benchmark_pages.py

# Rebuild the vendored Plotly bundle from the pinned npm packages (needs node and npm).
plotly:
	scripts/build_plotly_bundle.sh

# Re-resolve requirements.lock from pyproject.toml's ranges (newest versions that fit), with hashes.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --universal --python-version 3.11.5 \
	  --no-header --upgrade -o requirements.lock.new
	(sed -n '1,2p' requirements.lock; cat requirements.lock.new) > requirements.lock.tmp
	rm requirements.lock.new && mv requirements.lock.tmp requirements.lock

clean:
	rm -rf site .site.building-* .site.old-* .site.lock .pytest_cache .ruff_cache

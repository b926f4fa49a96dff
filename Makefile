# riskpath: `make demo` runs it with demo data; `make test` runs every test.
# Everything is installed from the lock files (requirements.lock, package-lock.json).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.9.30
STAMP := $(VENV)/.installed
export RISKPATH_DATA_DIR ?= $(CURDIR)/var

.PHONY: install demo test test-fast lint bench bench-deps bench-matching assets clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(BIN)/uv requirements.lock pyproject.toml package.json package-lock.json
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip sync --quiet requirements.lock
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip install --quiet --no-deps -e .
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $(STAMP)

install: $(STAMP)

assets: install
	npm run --silent build

demo: install
	DEBUG=true $(BIN)/riskpath migrate --no-input
	DEBUG=true $(BIN)/riskpath demo-data
	# The web server, the job worker and the scheduler, started and stopped together.
	DEBUG=true $(BIN)/honcho --procfile Procfile.demo start

test: install
	bash scripts/ensure-chromium
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy riskpath
	$(BIN)/lint-imports
	DEBUG=true $(BIN)/riskpath makemigrations --check --dry-run

bench: bench-deps
	$(BIN)/python benchmarks/run.py

# The matching benchmark's references (recordlinkage, Splink on DuckDB): the `bench` extra of
# pyproject.toml, locked in requirements-bench.lock, never part of the application.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP) requirements-bench.lock
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip sync --quiet requirements-bench.lock
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip install --quiet --no-deps -e .
	touch $(BENCH_STAMP)

bench-deps: $(BENCH_STAMP)

bench-matching: bench-deps
	$(BIN)/python benchmarks/run.py --only matching

clean:
	rm -rf $(VENV) node_modules var riskpath/web/static/govuk riskpath/web/static/autocomplete riskpath/web/static/riskpath/app.css

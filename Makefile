# The README's commands: `make run` and `make test` do all the set-up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080
E2E := tests/e2e

.PHONY: install e2e-install run test lint typecheck unit bench lambda-zip clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The virtual-alexa (npm) client of tests/test_e2e_virtual_alexa.py. Without npm this only says
# so: the test skips where Node.js is missing and fails, naming the fix, where only npm is.
e2e-install: $(E2E)/node_modules/.installed

$(E2E)/node_modules/.installed: $(E2E)/package.json $(E2E)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(E2E) --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: not installing $(E2E)/node_modules (the virtual-alexa test)"; fi

run: install
	$(BIN)/spine-stretch serve --no-verify --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check skill tests benchmarks

typecheck: install
	$(BIN)/mypy

unit: install e2e-install
	$(BIN)/pytest

test: lint typecheck unit

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache $(E2E)/node_modules

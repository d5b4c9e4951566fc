# The README's commands: `make run` and `make test` do all the set-up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: install run test lint typecheck unit bench lambda-zip clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/spine-stretch serve --no-verify --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check skill tests benchmarks lambda

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

test: lint typecheck unit

bench: install
	$(BIN)/python -m benchmarks

# dist/lambda.zip for AWS Lambda (python3.11, x86_64): the same bytes from the same inputs.
lambda-zip: install
	$(BIN)/python lambda/build_zip.py --out dist/lambda.zip

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache

# The README's commands: `make run` and `make test` do all the set-up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: install run test lint typecheck unit audio-check bench lambda-zip clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/spine-stretch serve --no-verify --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check skill tests benchmarks

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

# The shipped audio/ agrees with content and Alexa's MP3 spec (exit 3: only new sentences
# are missing, and `spine-stretch render` adds just those).
audio-check: install
	$(BIN)/spine-stretch validate --out audio

test: lint typecheck unit audio-check

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache

# The two commands that do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export OMNIOPS_HOME ?= $(CURDIR)/data

.PHONY: demo test install install-dev lint run serve generate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/omniops demo

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

generate: install
	$(BIN)/omniops generate

run: install
	$(BIN)/omniops run

serve: install
	$(BIN)/omniops serve

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs

# make demo  — set up, then render example letters into ./out/
# make test  — set up, then ruff, mypy, the import contract (lint-imports) and pytest
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.appealgen-installed

.PHONY: setup system-packages demo test clean

setup: system-packages $(STAMP)

system-packages:
	@PYTHON=$(PYTHON) bash scripts/system-packages.sh

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "appealgen needs Python 3.11 or newer; run: make PYTHON=python3.11 ..." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: setup
	@bash scripts/demo.sh

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q -n auto

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache

# nq57 — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint lock data schema bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# constraints.txt pins every dependency to the versions the suite last passed with.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

## run: create .venv, install, show the status of the bundled data
run: $(STAMP)
	$(BIN)/nq57 status --data data

## test: install test dependencies, lint and run the whole suite
# the packages the type checker holds to --strict (pyproject's [tool.mypy])
TYPED := src/nq57/io src/nq57/model src/nq57/check src/nq57/analysis

test: $(STAMP)
	$(BIN)/ruff check src tests scripts tools
	$(BIN)/mypy $(TYPED)
	$(BIN)/python -m pytest -n auto

## lock: regenerate constraints.txt from a fresh install of pyproject.toml's ranges
## (run after adding or changing a dependency; commit the result)
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade -e ".[test]"
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts tools
	$(BIN)/mypy $(TYPED)

## data: rebuild the agencies registry (and its bundled copy), data/tasks and data/kpis
## from data/sources (+ recorded corrections)
data: $(STAMP)
	PYTHONPATH=tools $(BIN)/python -m databuild.agencies --sources data/sources
	PYTHONPATH=tools $(BIN)/python -m databuild.build --sources data/sources --out data

schema: $(STAMP)
	$(BIN)/nq57 schema --output schemas

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache

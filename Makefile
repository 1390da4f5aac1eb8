# The two commands of the README: `make serve` and `make test`. Each does all the set-up it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SOURCES := $(shell find seeds ontology queries/checks -type f 2>/dev/null)

.PHONY: setup build serve test lint format bench bench-engines conformance wikidata-standin clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP) $(NODE_STAMP)  ## create .venv, install Python and npm dependencies

build/kg.nq: $(SOURCES) $(STAMP)
	$(BIN)/kg build

build: build/kg.nq  ## build the dataset into build/

serve: setup build  ## set up, build, and serve on http://127.0.0.1:8000/
	$(BIN)/kg serve

test: setup  ## lint, then run every test (unit, data, query, server, browser)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/mypy

format:
	$(BIN)/ruff format .

bench: setup  ## this endpoint vs a bare Flask + pyoxigraph endpoint vs Oxigraph server (bench/)
	$(BIN)/python bench/run.py --articles 100

bench-engines: setup build  ## query engines alone: pyoxigraph vs rdflib on the built dataset
	$(BIN)/python scripts/bench.py

conformance: setup  ## W3C SPARQL suites against `kg serve` (needs ../shared/conformance)
	bash scripts/conformance.sh

wikidata-standin: setup  ## serve the local Wikidata stand-in on 127.0.0.1:7879 (offline demos)
	$(BIN)/kg wikidata standin --port 7879

clean:
	rm -rf build .build.* .build-* .kg-cache .pytest_cache .ruff_cache

# RSR Profile Editor — developer entry points.
#   make run    set up .venv (first time) and start the app
#   make test   set up .venv (first time) and run the whole test suite headless
#   make lint   ruff, mypy (strict, core) and the import-linter contract
#   make bundle build the desktop bundle for this OS into dist/ and smoke-test it

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bundle screenshot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,packaging]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/rsr-editor $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bundle: $(STAMP)
	$(BIN)/python packaging/build.py

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot.py

clean:
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache

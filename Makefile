# `make run` serves the demo programme; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app learning
LEARNING_DEMO ?= 1
SCALE ?= 0.1
# Test processes (pytest-xdist): one per core by default; `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto

.PHONY: run test install install-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(FLASK) db upgrade
	@if [ "$(LEARNING_DEMO)" != "0" ]; then $(FLASK) seed demo; fi
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-dev
	@if [ ! -d tests/js/node_modules/ical.js ] || [ ! -f tests/js/node_modules/axe-core/axe.min.js ]; then npm ci --prefix tests/js --no-audit --no-fund; fi
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench --scale $(SCALE)

clean:
	rm -rf $(VENV) .pytest_cache

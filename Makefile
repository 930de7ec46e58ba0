# The one index of commands: the README, CI and people all use these targets.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
DB      ?= $(or $(MISSION_DB),data/mission.duckdb)
HOST    ?= 127.0.0.1
PORT    ?= 8050
WORKERS ?= 2

.PHONY: run test db validate lint format bench bench-app bench-exports bench-load install install-test clean

$(VENV)/.stamp-install: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-install
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.stamp-install
install-test: $(VENV)/.stamp-test

BUNDLED_DB := data/mission.duckdb

# The bundled warehouse is rebuilt when the bundled data or the ETL changed since it was built.
$(BUNDLED_DB): $(wildcard data/*.csv data/*.xlsx data/external/cdp/*.csv) $(wildcard etl/*.py etl/sources/*.py) | $(VENV)/.stamp-install
	$(PY) -m etl build --db "$@"

## serve the dashboard on the bundled data (builds the warehouse first if it is missing or out of date)
run: install
	@if [ "$(DB)" = "$(BUNDLED_DB)" ]; then $(MAKE) --no-print-directory "$(BUNDLED_DB)"; \
	else test -f "$(DB)" || $(PY) -m etl build --db "$(DB)"; fi
	@echo "Cities Mission Dashboard: http://$(HOST):$(PORT)/"
	MISSION_DB="$(DB)" $(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) app:server

## install what the tests need and run them all
test: install-test
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

## (re)build the warehouse from data/
db: install
	$(PY) -m etl build --db "$(DB)"

validate: install
	$(PY) -m etl validate

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## ETL speed and memory at 112, 1,000 and 10,000 synthetic cities, against a pandas -> SQLite loader
bench: install-test
	$(PY) bench/etl_scale.py

## page and callback latency under gunicorn (2 workers), throughput with 8 clients, raw DuckDB time
bench-app: install-test
	@if [ "$(DB)" = "$(BUNDLED_DB)" ]; then $(MAKE) --no-print-directory "$(BUNDLED_DB)"; \
	else test -f "$(DB)" || $(PY) -m etl build --db "$(DB)"; fi
	MISSION_DB="$(DB)" $(PY) bench/app_latency.py

## PNG export time (first and warm), CSV time, brief time for the largest country and for one city
bench-exports: install-test
	@if [ "$(DB)" = "$(BUNDLED_DB)" ]; then $(MAKE) --no-print-directory "$(BUNDLED_DB)"; \
	else test -f "$(DB)" || $(PY) -m etl build --db "$(DB)"; fi
	MISSION_DB="$(DB)" $(PY) bench/exports.py

## 50 simulated users for 60 s against gunicorn (2 workers): requests/s, p50/p95/p99, errors, worker memory
bench-load: install-test
	@if [ "$(DB)" = "$(BUNDLED_DB)" ]; then $(MAKE) --no-print-directory "$(BUNDLED_DB)"; \
	else test -f "$(DB)" || $(PY) -m etl build --db "$(DB)"; fi
	MISSION_DB="$(DB)" $(PY) bench/load.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache "$(DB)"

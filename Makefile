# The one index of commands: the README, CI and people all use these targets.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
DB      ?= $(or $(MISSION_DB),data/mission.duckdb)
HOST    ?= 127.0.0.1
PORT    ?= 8050
WORKERS ?= 2

.PHONY: run worker test db validate lint format bench bench-app bench-exports bench-load bench-load-nginx bench-first-visit install \
	install-test lock lock-upgrade plotly-bundle clean i18n-extract i18n-update i18n-compile i18n-init

# Exact versions (with hashes) of everything installed: the runtime alone, and the runtime plus the test tools.
# pyproject.toml keeps the ranges for people who install the package elsewhere.
LOCK_RUN  := requirements/run.txt
LOCK_TEST := requirements/test.txt

$(VENV)/.stamp-install: $(LOCK_RUN) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK_RUN)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-install $(LOCK_TEST)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK_TEST)
	touch $@

# axe-core (npm) for the accessibility browser tests, read from disk at run time (tests/e2e/test_accessibility.py).
AXE := tools/axe/node_modules/axe-core/axe.min.js
$(AXE): tools/axe/package.json tools/axe/package-lock.json
	npm ci --prefix tools/axe --no-audit --no-fund --loglevel=error
	touch $@

# The interface's catalogues (locale/<lang>/LC_MESSAGES/messages.po, edited by translators) and their compiled form
# (messages.mo: built here, never edited or committed).
LANGS := fr de it es pl
CATALOGUES := $(foreach l,$(LANGS),locale/$(l)/LC_MESSAGES/messages.mo)
I18N_SOURCES := app.py i18n.py vocab.py mission ui pages
locale/%/LC_MESSAGES/messages.mo: locale/%/LC_MESSAGES/messages.po | $(VENV)/.stamp-install
	$(VENV)/bin/pybabel compile --domain messages --directory locale --locale $* --statistics

install: $(VENV)/.stamp-install $(CATALOGUES)
install-test: $(VENV)/.stamp-test $(AXE) $(CATALOGUES)

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

## the background-job worker for several hosts (briefs): Celery on the Redis that MISSION_REDIS_URL names, with the
## app's settings and warehouse (threads, not forked processes: see ui/jobs.py)
worker: install
	@test -n "$$MISSION_REDIS_URL" || { echo "make worker needs MISSION_REDIS_URL, e.g. redis://127.0.0.1:6379/0 (and MISSION_SECRET_KEY, as the app hosts)" >&2; exit 2; }
	@if [ "$(DB)" = "$(BUNDLED_DB)" ]; then $(MAKE) --no-print-directory "$(BUNDLED_DB)"; \
	else test -f "$(DB)" || $(PY) -m etl build --db "$(DB)"; fi
	MISSION_DB="$(DB)" $(VENV)/bin/celery --app app:celery_app worker --loglevel info

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

## bytes, requests, first chart and idle time of each main page on a first and a repeat visit at 10 Mbit/s, 40 ms
bench-first-visit: install-test
	@if [ "$(DB)" = "$(BUNDLED_DB)" ]; then $(MAKE) --no-print-directory "$(BUNDLED_DB)"; \
	else test -f "$(DB)" || $(PY) -m etl build --db "$(DB)"; fi
	MISSION_DB="$(DB)" $(PY) bench/first_visit.py

## ETL speed and memory at 112, 1,000 and 10,000 synthetic cities, against a pandas -> SQLite loader
bench: install-test
	$(PY) bench/etl_scale.py
	$(PY) bench/build_bundled.py

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

## the same users through nginx to 1 and then 2 app instances (Redis, a Celery worker), and a brief's time through
## Celery against the disk cache (needs Debian's redis-server and nginx)
bench-load-nginx: install-test
	@if [ "$(DB)" = "$(BUNDLED_DB)" ]; then $(MAKE) --no-print-directory "$(BUNDLED_DB)"; \
	else test -f "$(DB)" || $(PY) -m etl build --db "$(DB)"; fi
	MISSION_DB="$(DB)" $(PY) bench/load.py --nginx

## re-solve the lock files after a change to pyproject.toml's dependencies (versions already locked stay if they fit)
lock:
	test -x .venv-lock/bin/uv || $(PYTHON) -m venv .venv-lock
	test -x .venv-lock/bin/uv || .venv-lock/bin/python -m pip install --quiet "uv==0.13.9"
	.venv-lock/bin/uv pip compile pyproject.toml $(LOCK_FLAGS) -o $(LOCK_RUN)
	.venv-lock/bin/uv pip compile pyproject.toml --extra test $(LOCK_FLAGS) -c $(LOCK_RUN) -o $(LOCK_TEST)

## lock the newest versions that pyproject.toml's ranges allow (then `make test`, and commit requirements/)
lock-upgrade:
	$(MAKE) --no-print-directory lock LOCK_FLAGS="$(LOCK_FLAGS) --upgrade"

LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet --custom-compile-command "make lock"

## rebuild assets/vendor/plotly-traces.min.js (committed) from tools/plotly-bundle; needs Node.js and the npm registry
plotly-bundle: install
	cd tools/plotly-bundle && npm ci --no-audit --no-fund --ignore-scripts
	node tools/plotly-bundle/build.js "$$($(PY) -c 'import plotly.offline as o; print(o.get_plotlyjs_version())')"

clean:
	rm -rf $(VENV) .venv-lock tools/plotly-bundle/node_modules .pytest_cache .ruff_cache "$(DB)"

## gather the strings the code marks for translation into locale/messages.pot
i18n-extract: install
	$(VENV)/bin/pybabel extract --mapping-file babel.cfg --keywords N_ --keywords pgettext:1c,2 --keywords count:2,3 --no-location \
		--omit-header --sort-output --width 120 --output-file locale/messages.pot $(I18N_SOURCES)

## bring every catalogue up to date with locale/messages.pot (new strings empty, none guessed)
i18n-update: i18n-extract
	$(VENV)/bin/pybabel update --input-file locale/messages.pot --output-dir locale --domain messages \
		--no-fuzzy-matching --ignore-obsolete --width 120

## compile every catalogue (make run and make test do it too)
i18n-compile: $(CATALOGUES)

## start the catalogue of another language: make i18n-init LANG=nl (then add it to i18n.LANGUAGES)
i18n-init: i18n-extract
	$(VENV)/bin/pybabel init --input-file locale/messages.pot --output-dir locale --domain messages --locale $(LANG) \
		--width 120

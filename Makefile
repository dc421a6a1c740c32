# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Password of the demo accounts on a developer's machine (never in production:
# seed_demo refuses to run with DJANGO_DEBUG off).
DEMO_PASSWORD ?= Shahe-demo-2023

.PHONY: run worker test e2e e2e-deps screenshots install install-dev migrate seed messages check clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput

seed: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty --password '$(DEMO_PASSWORD)'

run: seed
	@echo ""
	@echo "  Portal: http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: $(DEMO_PASSWORD), unless you changed it):"
	@echo "    staff  - community staff of 沙河街社区"
	@echo "    grid   - grid worker (cells 1 and 2)"
	@echo "    member - in-service party member"
	@echo "    unit   - co-building unit liaison"
	@echo "    admin  - area admin (all communities, /admin/)"
	@echo ""
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# A Celery worker with the beat schedule, for background jobs when CELERY_BROKER_URL is
# set (e.g. CELERY_BROKER_URL=redis://127.0.0.1:6379/2 make worker, and the same for run).
worker: migrate
	DJANGO_DEBUG=1 $(BIN)/celery -A config worker -B --loglevel INFO

test: install-dev e2e-deps
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/pytest
	$(BIN)/pytest e2e

# The browser tests alone (e2e/: journeys in headless Chromium, axe-core, the Nu Html Checker).
e2e: install-dev e2e-deps
	$(BIN)/pytest e2e

# What the browser tests need: Debian's chromium, fonts-noto-cjk, Java and npm
# (apt-get, only what is missing), and axe-core and vnu-jar from package-lock.json.
e2e-deps:
	@bash e2e/install-deps.sh
	@$(MAKE) --no-print-directory node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Screenshots of the main pages (phone and desktop) on the demo data, for the README.
screenshots: install-dev e2e-deps
	$(BIN)/python e2e/screenshots.py --out docs/screenshots

# Refresh the translation catalogue after changing strings, then translate
# the new entries in locale/zh_Hans/LC_MESSAGES/django.po and compile.
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules

check: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py check

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm

# The benchmark on the current database (bench/RESULTS.md says how the recorded runs
# were made): every page in-process, then gunicorn + wrk (installed here if missing).
# BENCH_ARGS, e.g. BENCH_ARGS="--repeat 5 --format markdown".
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk) || \
		echo "Could not install wrk (root needed): the load part will be skipped."
	DJANGO_DEBUG=1 $(BIN)/python manage.py bench $(BENCH_ARGS)

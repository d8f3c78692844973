# Kaohe: what README tells a user to type.
#   make run    set up and serve the demo county on http://127.0.0.1:8000 (SQLite, no services)
#   make test   set up and run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)
#   make lint   ruff, formatting and migrations check

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench venv migrate demo messages worker beat stack clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	mkdir -p var/mail
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_schedules

demo: migrate
	$(PY) manage.py load_demo

run: demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# A fresh SQLite file of its own, so the first step measured is the demo load.
bench: $(STAMP)
	mkdir -p var
	rm -f var/bench.sqlite3
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(PY) manage.py bench

lint: $(STAMP)
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

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

# The two commands: `make run` and `make test`. Both work from a fresh clone and are idempotent.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
# Two workers: this machine (and CI's) has two cores.
PYTEST_ARGS ?= -n 2
BIN := $(VENV)/bin

.PHONY: run test lint format check migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-prod: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-prod

# PORT reaches the settings too: SITE_URL (ticket QR codes, e-mail links) follows it unless set.
run: export PORT := $(PORT)
run: $(VENV)/.installed-prod
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py seed_demo
	@# The web server and the task worker together; Ctrl-C stops both (the trap kills the worker).
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py db_worker --queue-name='*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(VENV)/.installed-prod
	$(BIN)/python manage.py check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Release step, before a new version takes traffic (docs/deployment.md): check --deploy,
# makemigrations --check, migrate (over DIRECT_DATABASE_URL when set), migrate --check.
# `make predeploy ARGS=--check` only reports unapplied migrations.
.PHONY: predeploy
predeploy: $(VENV)/.installed-prod
	$(BIN)/python manage.py predeploy $(ARGS)

# The two commands a new machine needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run setup test lint format clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when pyproject.toml changes.
$(VENV)/.runtime: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.runtime

# A local development key, never committed (.gitignore).
.secret_key:
	umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

DEV_ENV = DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat .secret_key)"

setup: $(VENV)/.runtime .secret_key
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) HOST=$(HOST) PORT=$(PORT) $(PY) manage.py setup_demo

# The web server and, beside it, a job worker (background imports, webhook deliveries); Ctrl-C
# stops both.
run: setup
	$(DEV_ENV) $(PY) manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles

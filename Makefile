# The two commands: `make run` (serve the demo) and `make test` (lint, then the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: install run test lint format messages db stop-db migrate seed browser help

help:
	@echo "make run    install, migrate, load the demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install, lint, run the whole test suite"

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found: install it, or name it with make PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,embedded]'
	mkdir -p var/staticfiles
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compilemessages --ignore '.venv' --ignore 'var' -v0

# The embedded PostgreSQL server in var/postgres (nothing to do where DATABASE_URL is set).
db: install
	$(PY) -m welfare_net.embedded_postgres start

stop-db: install
	$(PY) -m welfare_net.embedded_postgres stop

migrate: db
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: messages migrate
	$(PY) manage.py seed_demo
	@echo ""
	@echo "welfare_net is starting on http://127.0.0.1:$(PORT)  (admin: http://127.0.0.1:$(PORT)/admin/, Ctrl+C stops)"
	@echo "Log in with one of the demo accounts above."
	@echo ""
	@# Ctrl+C stops honcho's processes, then the embedded PostgreSQL server.
	@# (The INT/TERM trap: a POSIX sh such as dash runs no EXIT trap when a signal ends it.)
	trap '$(PY) -m welfare_net.embedded_postgres stop' EXIT; trap 'exit 130' INT TERM; \
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile -p $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/bandit -q -r welfare_net residents projects donations talents matching surveys impact visitors privacy -c pyproject.toml

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The end-to-end test drives Debian's chromium through Playwright (no browser download).
browser:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the end-to-end test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not found and not root: the end-to-end browser test will be skipped"; fi

test: lint messages browser
	$(PY) -m pytest

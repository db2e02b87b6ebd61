# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test worker install lint format system-packages

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Debian packages: WeasyPrint needs Pango and a font for the PDFs; the browser tests drive Debian's
# chromium (Playwright's own browser download does not work here). Installed only when missing.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core chromium
system-packages:
	@missing=$$(for package in $(SYSTEM_PACKAGES); do dpkg -s $$package >/dev/null 2>&1 || echo $$package; done); \
	if [ -n "$$missing" ]; then \
		sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		echo "Installing Debian packages:" $$missing; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

# Development server on http://127.0.0.1:8000 with demo data (SQLite unless DATABASE_URL is set).
run: $(STAMP) system-packages
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite. Uses PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set.
test: $(STAMP) system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# A Celery worker (needs REDIS_URL; without it tasks already run in-process).
worker: $(STAMP)
	$(BIN)/celery -A config worker --loglevel=info

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

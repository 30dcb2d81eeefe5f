# The two set-up commands of the README: `make run` and `make test`.
# Everything the project needs is installed from here, on a fresh machine.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-dev system-packages browser java redis varnish bench-tools bench messages lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# gettext compiles the French catalogue; WeasyPrint (press kits' PDFs) needs
# Debian's pango and a font; PostgreSQL is optional (DATABASE_URL).
system-packages:
	@command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext)
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0 && test -d /usr/share/fonts/truetype/dejavu || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

# The HTML validity test runs the Nu HTML Checker (a jar from PyPI) on Java.
java:
	@command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless)

# Browser tests drive Debian's Chromium; Playwright never downloads a browser.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# The two-app-server test starts its own redis-server on a free port
# (Debian's package); nothing else needs Redis in development.
redis:
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)

# The Varnish tests, and the benchmark's Varnish mode, start Debian's
# varnishd on free ports with deploy/varnish/newsroom.vcl.
varnish:
	@command -v varnishd >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish)

messages: system-packages
	$(MANAGE) compilemessages --ignore=.venv --verbosity 0

setup: $(VENV)/.installed messages
	$(MANAGE) migrate --noinput
	$(MANAGE) update_translation_fields --verbosity 0 >/dev/null
	$(MANAGE) load_seed_content
	$(if $(PARTNERS),$(MANAGE) demo_partner_newsrooms --port $(PORT))
	$(MANAGE) create_dev_admin --site-url http://$(HOST):$(PORT)

# Starts the site with its seed content on SQLite (or DATABASE_URL), the
# scheduler that lifts embargoes (publish_scheduled every 30 s) and the worker
# that sends the queued mail (alerts, review notifications).
# Links in mails (alerts, embargo links) lead to where the site runs.
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: setup
	trap 'kill 0' EXIT; \
	$(MANAGE) run_publish_scheduler --interval 30 & \
	$(MANAGE) db_worker --backend background --no-reload & \
	$(MANAGE) runserver $(HOST):$(PORT)

# The load test drives the site with wrk (Debian's package).
bench-tools:
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)

# The test suite reads calendars with ical.js (Thunderbird's parser), on
# Debian's Node.js, at the version package-lock.json pins.
node_modules/.installed: package.json package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup-dev: $(VENV)/.installed-dev messages browser java redis varnish bench-tools node_modules/.installed

# Builds the benchmark's database (SQLite, or PostgreSQL with DATABASE_URL),
# measures every public page cached, uncached and through Varnish, and the
# admin, writes docs/performance.md (bench/run.sh --help for options).
bench: setup-dev
	bash bench/run.sh $(BENCH_ARGS)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Sets up what the tests need and runs them (SQLite, or DATABASE_URL).
test: setup-dev lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media-test .hypothesis node_modules

# Two commands do everything: `make run` (serve the app) and `make test` (pass the tests).
# While working, `make test-fast` runs every test but the system tests (tests/system).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
LOCK_HASH := $(shell sha1sum requirements.lock | cut -c1-12)
STAMP := $(VENV)/.installed-$(LOCK_HASH)
CHROMIUM ?= /usr/bin/chromium
# A production-like environment for `check --deploy` (nothing here is a real secret).
DEPLOY_ENV := DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=commissioning.example.nhs.uk \
	DJANGO_SECRET_KEY=check-deploy-only-4c1f0b9e7d2a8c6b5e3f1a9d7c5b3e1f0a8c6e4d2b0f9e7c \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/0

.PHONY: install run test test-fast test-system lint checks typecheck pytest browser-deps vendor bench bench-scale-out clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py load_demo_data
	scripts/run_local.sh

test: install lint checks typecheck browser-deps test-fast test-system

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

checks: install
	@mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check --fail-level WARNING
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# Type checking (mypy.ini: django-stubs, djangorestframework-stubs): the kernel and every app's
# rules layer, its services, permissions and selectors, each a module or a package. An app in
# TYPECHECK_PENDING (empty now: every app is clean) is left out, said aloud; `make typecheck
# TYPECHECK_PENDING=` checks them all. New apps are covered from the start. One cache per set of
# paths: mypy 1.19 replays a cached module's errors even when it is only followed silently
# (python/mypy#20508), so a wider run would otherwise leak into a narrower one.
TYPECHECK_PENDING ?=
TYPECHECK_APPS = $(filter-out commissioning $(TYPECHECK_PENDING),$(patsubst %/apps.py,%,$(wildcard */apps.py)))
TYPECHECK_PATHS = commissioning/ $(wildcard $(foreach app,$(TYPECHECK_APPS),$(foreach layer,services permissions selectors,$(app)/$(layer).py $(app)/$(layer))))

typecheck: install
	@echo "mypy checks: $(TYPECHECK_PATHS)"
	@if [ -n "$(strip $(TYPECHECK_PENDING))" ]; then \
	  echo "mypy leaves out (not clean yet, TYPECHECK_PENDING): $(strip $(TYPECHECK_PENDING))"; fi
	$(BIN)/mypy --cache-dir .mypy_cache/$(shell echo '$(TYPECHECK_PATHS)' | sha1sum | cut -c1-12) \
	  $(TYPECHECK_PATHS)

# Browser journeys drive Debian's Chromium; install it when missing and we may.
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "Chromium is needed at $(CHROMIUM) for the browser journeys: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

# The fast lane: every test but the system tests, on as many processes as there are cores and
# in random order (the seed is printed; `--random-order-seed=N` repeats it), each on its own
# in-memory SQLite database (or PostgreSQL's test database when DATABASE_URL is set), built
# from the models rather than by running every migration (tests/conftest.py adds the data
# migrations' rows); the system lane and `make run`'s test still run the migrations.
test-fast: install
	@mkdir -p var
	$(BIN)/pytest -m "not system" -n auto --random-order --nomigrations $(PYTEST_ARGS)

# The system lane (tests/system): real worker processes, `make run`'s set-up, the compose files'
# processes, faults, browser journeys, schemathesis; two processes, each on its own file-backed
# SQLite database (or PostgreSQL test database); the modules that start workers or share the
# Redis broker run one after another on one of them (tests/system/conftest.py).
# Schemathesis' operations are collected as items that xdist's grouping modes (loadgroup,
# loadfile) fold into one, running a single operation: they get a plain `load` run of their own.
SCHEMATHESIS_TESTS := tests/system/test_api_schema.py tests/system/test_api_roles.py

test-system: install browser-deps
	@mkdir -p var
	$(BIN)/pytest -m system -n 2 --dist loadgroup $(SCHEMATHESIS_TESTS:%=--ignore=%) $(PYTEST_ARGS)
	$(BIN)/pytest -m system -n 2 --dist load $(SCHEMATHESIS_TESTS) $(PYTEST_ARGS)

# Everything in one run, in file order.
pytest: install
	@mkdir -p var
	$(BIN)/pytest $(PYTEST_ARGS)

# Refresh the committed NHS.UK frontend and htmx builds from npm.
vendor:
	npm ci --no-audit --no-fund
	$(PYTHON) scripts/vendor_frontend.py

# National scale (issue 7): generate 10 years of data into PostgreSQL, drive the main pages
# with wrk through gunicorn in production settings (between writes, then with a write every 2 s
# invalidating the page cache), each page's first view rendered in full, then the PDF and
# reminder-sweep figures. About 10 minutes on 2 cores; results are in bench/RESULTS.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/scale

bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
	  || { echo "wrk is needed for the load benchmark: sudo apt-get install wrk"; exit 1; }
	@psql "$(BENCH_DATABASE_URL)" -Atc 'select 1' >/dev/null 2>&1 || \
	  psql "$(dir $(BENCH_DATABASE_URL))postgres" -c "create database $(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/generate.py --reset --no-pages
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/load.py  # all three modes, one table
	env -u BENCH_DATABASE_URL $(BIN)/python bench/plan_pdf.py  # its own throwaway SQLite
	BENCH_DATABASE_URL= $(BIN)/python bench/reminders_sweep.py  # its own throwaway SQLite
	BENCH_DATABASE_URL= $(BIN)/python bench/register_pages.py --sizes 0,2000  # likewise
	@echo "make bench took $$(( $$(date +%s) - $(shell date +%s) )) s (target: under 900 s)"

# Scale-out proof (issue 20, docs/scale-out.md): two gunicorn instances and two Celery workers on
# one PostgreSQL database (SCALE_OUT_DATABASE_URL, default .../scaleout, created and refilled),
# Redis DBs 9 and 10 and one shared MEDIA_ROOT: PASS/FAIL for each sameness check (exits 1 on a
# FAIL), then requests/s on each instance and both together. About 3 minutes on 2 cores.
bench-scale-out: install
	$(BIN)/python bench/scale_out.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

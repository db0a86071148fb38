# Welfare Integrato — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE := config.settings
# `make run` is the local demo: DEBUG on unless the caller says otherwise; links in its emails (also those the
# demo data queues while it loads) point at this very server.
export DEBUG ?= true
export PORTAL_URL ?= http://$(HOST):$(PORT)

.PHONY: run test deps dev-deps setup messages clean worker scheduler bench

# The virtualenv is built from whatever Python >= 3.12 scripts/find-python finds.
$(VENV)/.created:
	@python=$$(scripts/find-python) || exit 1; \
	  echo "Using $$python"; \
	  $$python -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.deps: requirements.txt $(VENV)/.created
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: requirements-dev.txt requirements.txt $(VENV)/.deps
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# Everything the demo needs, safe to repeat: nothing is created twice.
setup: deps
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py spid_certificate
	$(PY) manage.py load_district
	$(PY) manage.py load_taxonomy
	$(PY) manage.py load_finder_rules
	$(PY) manage.py load_signal_rules
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --no-input -v 0

# The demo's staff accounts ask for a second factor like real ones; in the demo this code is accepted for any of them
# (allauth refuses it outside DEBUG).
run: export DEMO_TOTP_CODE ?= 000000

# The demo: the three processes of a real installation (docs/deploy.md) — the web server, the background worker
# that sends the emails (printed on this console) and the scheduler of the periodic commands; stopping `make run`
# (Ctrl-C) stops all three. Links in emails point at this very server.
run: setup
	@$(PY) manage.py demo_accounts --url http://$(HOST):$(PORT)/
	@$(PY) manage.py worker & worker=$$!; \
	  $(PY) manage.py scheduler & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi --bind $(HOST):$(PORT) --workers 2

# The background-task worker and the scheduler, each on its own (`make run` starts both).
worker: deps
	$(PY) manage.py worker
scheduler: deps
	$(PY) manage.py scheduler

test: dev-deps
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The benchmark (docs/performance.md): SQLite and PostgreSQL, 56,000 citizens and 10 times as many.
# Seeded databases are cached in var/bench/; BENCH_ARGS="--db sqlite --growth 1" for a quick run.
bench: deps
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) -m bench.run $(BENCH_ARGS)

# Regenerate the .po files after changing user-facing strings.
messages: deps
	$(PY) manage.py makemessages -l it -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l it -l en --ignore=.venv --ignore=staticfiles --no-obsolete

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache .mypy_cache .ruff_cache

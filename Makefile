# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10: from PATH, else from pyenv.
# (pyenv's shim can exist without 3.10 being active, so each candidate is tried, not just found.)
PYTHON310 ?= $(shell for c in python3.10 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.10.*/bin/python3.10 2>/dev/null) /usr/bin/python3.10; do \
  $$c -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo $$c; break; }; done)
VENV := .venv
LOAD_VENV := .venv-load
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
ENV := set -a; . deploy/local.env; set +a;
SPACY_MODEL := build/spacy_en/meta.json
CONCERN_MODEL := build/concern_model.joblib
PII_TAGGER := build/pii_tagger/meta.json
MODEL := models/current.tar.gz
# the chat widget: built from widget/src with the npm packages pinned in widget/package-lock.json
WIDGET_JS := widget/static/build/chat.js
WIDGET_NPM := widget/node_modules/.package-lock.json
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml data/*/*.yml) safeguarding/rasa_components.py \
	$(wildcard dialogue/*.py)

.PHONY: help run production test setup train system-packages lint validate unit stories nlu e2e production-test \
	console-test widget widget-test answers benchmark load-test clean purge forget
RUN_TESTS := $(ENV) PYTHONPATH=. $(PY) -m pytest -q -p no:cacheprovider

help:
	@echo "make run    set up, train if needed, and start the assistant on embedded defaults"
	@echo "make production  the production profile here: PostgreSQL, Redis, HAProxy, two Rasa"
	@echo "make test   the whole test suite (what CI runs); each stage alone: make lint, unit,"
	@echo "            validate, stories, nlu, e2e, production-test, console-test, widget-test"
	@echo "make purge  delete what is past its retention period now (the console also does, every"
	@echo "            PURGE_EVERY_HOURS); make forget CONVERSATION=<id> (or CASE=<case id>)"
	@echo "            [BY=<name>] deletes one person's conversation and cases (README: Data protection)"
	@echo "make load-test  200 simulated people for 5 minutes through the production profile's load"
	@echo "            balancer (Locust), with the checks and figures (LOAD_USERS=, LOAD_SECONDS=; README: Load)"

run: setup train
	./deploy/run_local.sh

# The production profile on this machine: PostgreSQL, Redis, HAProxy on :8000 in front of two
# Rasa servers, the action server, chat page and console (README: Production).
production: setup train system-packages
	./deploy/run_production.sh

# The stages in the order a failure is cheapest to find.
test: lint unit validate stories nlu e2e production-test console-test widget-test
	@echo "make test: every stage passed"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# needs no server, no model and no system package; prints redaction's figures on the marked sets
unit: setup
	$(ENV) PYTHONPATH=. $(PY) -m privacy.measure
	$(RUN_TESTS) tests/unit

validate: setup
	$(ENV) $(RASA) data validate --domain domain.yml --data data --config config.yml --quiet

stories: train
	@mkdir -p results
	@$(ENV) $(RASA) test core --stories tests/stories --model $(MODEL) --fail-on-prediction-errors \
	  --out results/core --no-plot > results/core.log 2>&1 \
	  || { grep -A25 "WrongPrediction" results/core.log || tail -n 40 results/core.log; exit 1; }
	@echo "test stories: all predicted as written"

nlu: train
	$(ENV) PYTHONPATH=. $(PY) -m tests.nlu.evaluate

e2e: train system-packages
	$(RUN_TESTS) -s tests/e2e

production-test: train system-packages $(LOAD_VENV)/.installed
	$(RUN_TESTS) tests/production

# The load test (README: Load): the production profile on free ports, Locust from its own
# virtualenv, then the checks and figures (results/load.json). Not part of make test, which runs
# a 30-second version of it (tests/production/test_load.py). LOAD_USERS, LOAD_SECONDS and
# LOAD_SPAWN_RATE (users started a second) set the load; tests/load/run.py has the defaults.
load-test: train system-packages $(LOAD_VENV)/.installed
	$(ENV) PYTHONPATH=. $(PY) -m tests.load.run

# Locust and its dependencies, pinned with hashes, in a virtualenv of their own: they never touch
# Rasa's pins in .venv
$(LOAD_VENV)/.installed: requirements/load.txt $(VENV)/.installed
	$(PYTHON310) -m venv $(LOAD_VENV)
	$(VENV)/bin/uv pip sync --python $(LOAD_VENV)/bin/python --quiet --require-hashes requirements/load.txt
	touch $@

console-test: train system-packages
	$(RUN_TESTS) tests/console

# The chat widget in Debian's Chromium (end to end with the console, axe-core, screenshots), and
# its pure helpers under node's test runner.
widget-test: train system-packages widget
	cd widget && node --test test/
	$(RUN_TESTS) -s tests/widget

# PostgreSQL, Redis, Chromium, poppler: Debian packages the tests start or use (root or sudo).
system-packages:
	./deploy/install_system_packages.sh

setup: $(VENV)/.installed $(SPACY_MODEL) $(CONCERN_MODEL) $(PII_TAGGER) $(WIDGET_JS)

widget: $(WIDGET_JS)
$(WIDGET_NPM): widget/package.json widget/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm build the chat widget: run deploy/install_system_packages.sh"; exit 1; }
	cd widget && npm ci --no-audit --no-fund --loglevel=error
$(WIDGET_JS): $(WIDGET_NPM) widget/build.mjs $(wildcard widget/src/*)
	cd widget && node build.mjs

$(VENV)/.installed: requirements/base.txt requirements/test.txt requirements/constraints.txt requirements/no-deps.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11+)"; exit 1; }
	$(PYTHON310) -m venv $(VENV)
	# bytecode is compiled at install: this environment may forbid writing it at run time, and
	# Rasa + TensorFlow then took 11 s to import at every start instead of 5 s
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip install --python $(PY) --quiet --compile-bytecode -r requirements/base.txt -r requirements/test.txt -c requirements/constraints.txt
	$(VENV)/bin/uv pip install --python $(PY) --quiet --no-deps -r requirements/no-deps.txt
	touch $@

$(SPACY_MODEL): safeguarding/nlp.py $(wildcard safeguarding/patterns/*.yml) $(VENV)/.installed
	$(PY) -m safeguarding.nlp build/spacy_en

# The concern classifier, trained on the labelled corpus (about a minute on 2 cores).
$(CONCERN_MODEL): safeguarding/concern_model.py safeguarding/reasons.py $(wildcard safeguarding/corpus/*.jsonl) $(VENV)/.installed
	$(PY) -m safeguarding.concern_model $@

# The personal-data tagger (privacy/tagger.py), trained on the marked corpus with a fixed seed
# (about two minutes on 2 cores).
$(PII_TAGGER): privacy/tagger.py $(wildcard privacy/corpus/*.jsonl) $(VENV)/.installed
	$(PY) -m privacy.tagger build $(dir $@)

# Rasa skips training when nothing changed since the last model (its own fingerprints).
train: setup $(MODEL)
$(MODEL): $(TRAIN_INPUTS) $(SPACY_MODEL)
	$(ENV) $(RASA) train --fixed-model-name current --out models --quiet

answers: setup
	$(PY) -m advice.content

# Retention (handoff/retention.py), on the databases the services use: production's when
# deploy/production.env exists, as deploy/run_local.sh does.
SERVICE_ENV := set -a; . deploy/local.env; [ ! -f deploy/production.env ] || . deploy/production.env; set +a;
purge: $(VENV)/.installed
	@$(SERVICE_ENV) PYTHONPATH=. $(PY) -m handoff.purge purge

forget: $(VENV)/.installed
	@test -n "$(CONVERSATION)$(CASE)" || { echo "make forget CONVERSATION=<conversation id> (or CASE=<case id>) [BY=<your name>]"; exit 2; }
	@$(SERVICE_ENV) PYTHONPATH=. $(PY) -m handoff.purge forget \
	  $(if $(CASE),--case '$(CASE)',--conversation '$(CONVERSATION)') $(if $(BY),--by '$(BY)') \
	  $(if $(EVEN_IF_OPEN),--even-if-open)

benchmark: setup train
	$(ENV) $(PY) -m tests.bench.benchmark

clean:
	rm -rf build models var results .rasa

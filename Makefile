# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10: from PATH, else from pyenv.
# (pyenv's shim can exist without 3.10 being active, so each candidate is tried, not just found.)
PYTHON310 ?= $(shell for c in python3.10 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.10.*/bin/python3.10 2>/dev/null) /usr/bin/python3.10; do \
  $$c -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo $$c; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
ENV := set -a; . deploy/local.env; set +a;
SPACY_MODEL := build/spacy_en/meta.json
MODEL := models/current.tar.gz
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml data/*/*.yml) safeguarding/rasa_components.py

.PHONY: help run test setup train system-packages validate unit stories nlu-eval e2e safety answers benchmark clean

help:
	@echo "make run    set up, train if needed, and start the assistant on embedded defaults"
	@echo "make test   the whole test suite (what CI runs)"

run: setup train
	./deploy/run_local.sh

test: setup train system-packages
	./tests/run_all.sh

# PostgreSQL, Redis, Chromium, poppler: Debian packages the tests start or use (root or sudo).
system-packages:
	./deploy/install_system_packages.sh

setup: $(VENV)/.installed $(SPACY_MODEL)

$(VENV)/.installed: requirements/base.txt requirements/test.txt requirements/constraints.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11+)"; exit 1; }
	$(PYTHON310) -m venv $(VENV)
	# bytecode is compiled at install: this environment may forbid writing it at run time, and
	# Rasa + TensorFlow then took 11 s to import at every start instead of 5 s
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip install --python $(PY) --quiet --compile-bytecode -r requirements/base.txt -r requirements/test.txt -c requirements/constraints.txt
	touch $@

$(SPACY_MODEL): safeguarding/nlp.py $(wildcard safeguarding/patterns/*.yml) $(VENV)/.installed
	$(PY) -m safeguarding.nlp build/spacy_en

# Rasa skips training when nothing changed since the last model (its own fingerprints).
train: setup $(MODEL)
$(MODEL): $(TRAIN_INPUTS) $(SPACY_MODEL)
	$(ENV) $(RASA) train --fixed-model-name current --out models --quiet

answers: setup
	$(PY) -m actions.content

benchmark: setup train
	$(ENV) $(PY) -m tests.bench.benchmark

clean:
	rm -rf build models var results .rasa

#!/usr/bin/env bash
# The whole test suite, in the order a failure is cheapest to find. `make test` calls this
# after setup and training; .ci/run calls `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . deploy/local.env; set +a
export PYTHONPATH=.
VENV=.venv/bin
mkdir -p results

echo "== 1/6 rasa data validate"
"$VENV/rasa" data validate --domain domain.yml --data data --config config.yml --quiet

echo "== 2/6 unit tests"
"$VENV/python" -m pytest tests/unit -q -p no:cacheprovider

echo "== 3/6 test stories"
if ! "$VENV/rasa" test core --stories tests/stories --model models/current.tar.gz \
    --fail-on-prediction-errors --out results/core --no-plot > results/core.log 2>&1; then
  grep -A25 "WrongPrediction" results/core.log || tail -n 40 results/core.log
  exit 1
fi
echo "test stories: all predicted as written"

echo "== 4/6 NLU on the held-back set"
"$VENV/python" -m tests.nlu.evaluate

echo "== 5/6 end to end against the real servers"
"$VENV/python" -m pytest tests/e2e -q -s -p no:cacheprovider

echo "== 6/6 production profile: PostgreSQL and Redis, started for real on loopback"
"$VENV/python" -m pytest tests/production -q -p no:cacheprovider

#!/usr/bin/env bash
# The whole test suite, in the order a failure is cheapest to find. `make test` calls this
# after setup and training; .ci/run calls `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . deploy/local.env; set +a
export PYTHONPATH=.
VENV=.venv/bin
mkdir -p results

echo "== 1/7 rasa data validate"
"$VENV/rasa" data validate --domain domain.yml --data data --config config.yml --quiet

echo "== 2/7 unit tests"
"$VENV/python" -m pytest tests/unit -q -p no:cacheprovider

echo "== 3/7 test stories"
if ! "$VENV/rasa" test core --stories tests/stories --model models/current.tar.gz \
    --fail-on-prediction-errors --out results/core --no-plot > results/core.log 2>&1; then
  grep -A25 "WrongPrediction" results/core.log || tail -n 40 results/core.log
  exit 1
fi
echo "test stories: all predicted as written"

echo "== 4/7 NLU on the held-back set"
"$VENV/python" -m tests.nlu.evaluate

echo "== 5/7 end to end against the real servers"
"$VENV/python" -m pytest tests/e2e -q -s -p no:cacheprovider

echo "== 6/7 production profile: PostgreSQL and Redis, started for real on loopback"
"$VENV/python" -m pytest tests/production -q -p no:cacheprovider

echo "== 7/7 staff console: store, sign-in, CSRF, lock-out, audit, socket.io takeover, real browser"
"$VENV/python" -m pytest tests/console -q -p no:cacheprovider

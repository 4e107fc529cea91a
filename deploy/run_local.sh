#!/usr/bin/env bash
# Starts the action server, the Rasa server (REST + socket.io) and the chat page, on loopback.
# Ctrl-C stops all of them. Called by `make run` after setup and training.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . deploy/local.env; [ -f deploy/production.env ] && . deploy/production.env; set +a
VENV=.venv/bin
mkdir -p var
pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; echo "stopped"; }
trap stop INT TERM EXIT

"$VENV/python" -m rasa_sdk --actions actions --port "$ACTION_PORT" &
pids+=($!)
"$VENV/rasa" run --model models --endpoints endpoints.yml --credentials credentials.yml \
  -i 127.0.0.1 --port "$RASA_PORT" --cors "http://127.0.0.1:$WIDGET_PORT" &
pids+=($!)
"$VENV/python" -m widget.serve --port "$WIDGET_PORT" &
pids+=($!)

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1 && break; sleep 1
done
cat <<MSG

  Chat page:      http://127.0.0.1:$WIDGET_PORT/
  REST channel:   POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook {"sender": "...", "message": "..."}
  Force:          $ADVICE_FORCE (set ADVICE_FORCE=devon_cornwall to change)
  Ctrl-C stops everything.

MSG
wait -n "${pids[@]}"

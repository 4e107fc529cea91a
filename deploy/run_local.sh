#!/usr/bin/env bash
# Starts the action server, the Rasa server (REST + socket.io, and its HTTP API for the staff
# console, behind a token), the chat page and the staff console, on loopback.
# Ctrl-C stops all of them. Called by `make run` after setup and training.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . deploy/local.env; [ -f deploy/production.env ] && . deploy/production.env; set +a
VENV=.venv/bin
pids=()
. deploy/supervise.sh
made_token=""
stop() {
  trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  if [ -n "$made_token" ]; then rm -f var/rasa_api_token; fi
  echo "stopped"
}
trap stop INT TERM EXIT

# Rasa's HTTP API lets whoever holds the token pause a chat and speak in it: only the console
# (and the operator's `make purge` / `make forget`) get it. Without one configured, each run makes
# its own and keeps it in var/rasa_api_token (0600) while it runs. It reaches Rasa through the
# environment (handoff/rasa_server.py), never the command line: `ps` would show it to anyone.
if [ -z "${RASA_API_TOKEN:-}" ]; then
  RASA_API_TOKEN=$("$VENV/python" -m handoff.rasa_api new-local-token)
  export RASA_API_TOKEN
  made_token=yes
fi

# Rasa authenticates its calls to the action server with a shared secret (endpoints.yml,
# rasa_sdk_plugins/): without one configured, each run makes its own.
if [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
  ACTION_SERVER_TOKEN=$("$VENV/python" -c 'import secrets; print(secrets.token_hex(32))')
  export ACTION_SERVER_TOKEN
fi

# each part is started again if it stops (deploy/supervise.sh): a crash loses no one the service
supervise "action server" "$VENV/python" -m actions --port "$ACTION_PORT"
supervise "Rasa" "$VENV/python" -m handoff.rasa_server run --model models --endpoints endpoints.yml \
  --credentials credentials.yml -i 127.0.0.1 --port "$RASA_PORT" --cors "http://127.0.0.1:$WIDGET_PORT" \
  --enable-api
supervise "chat page" "$VENV/python" -m widget.serve --port "$WIDGET_PORT"
supervise "staff console" "$VENV/python" -m console

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1 && break; sleep 1
done
first_account=""
if ! "$VENV/python" -c 'import sys; from handoff.staff import StaffStore; sys.exit(0 if StaffStore().has_accounts() else 1)' 2>/dev/null; then
  first_account="
  No staff account yet. Create the first supervisor (in another terminal, from this folder):
      set -a; . deploy/local.env; set +a; .venv/bin/python -m console create-supervisor
  then sign in to the console, go on duty, and add agents on its Staff page.
"
fi
cat <<MSG

  Chat page:      http://127.0.0.1:$WIDGET_PORT/ (a demo advice page of the force, with the chat widget)
  Staff console:  http://127.0.0.1:$CONSOLE_PORT/
  REST channel:   POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook {"sender": "...", "message": "..."}
  Force:          $ADVICE_FORCE (set ADVICE_FORCE=devon_cornwall to change)
$first_account  Ctrl-C stops everything.

MSG
# staffed hours the force has not confirmed are never shown as fact (content/forces/*.yml)
hours_warning=$("$VENV/python" -m advice.forces --warn-unconfirmed 2>/dev/null || true)
if [ -n "$hours_warning" ]; then printf '  %s\n\n' "$hours_warning"; fi
wait

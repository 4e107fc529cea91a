#!/usr/bin/env bash
# The production profile, started for real on this machine (make production): PostgreSQL
# (tracker store and cases), Redis (conversation locks, socket.io rooms), HAProxy on
# $LB_PORT in front of two Rasa servers, the action server, the chat page and the staff console,
# all on loopback. The first start creates the database cluster, user, databases and schema and
# the secrets; later starts reuse them. Ctrl-C stops everything this script started.
# Ports and folders: deploy/production_local.env. What a force runs instead: README, Production.
set -euo pipefail
cd "$(dirname "$0")/.."
# the files' settings, then whatever the caller set (the tests: free ports, their own folder)
callers_settings=$(export -p)
set -a; . deploy/local.env; . deploy/production_local.env; set +a
eval "$callers_settings"
VENV=.venv/bin
PYTHON="$VENV/python"
DIR=$(realpath -m "$PRODUCTION_DIR")
PGDATA="$DIR/pgdata"
RUN="$DIR/run"
LOGS="$DIR/logs"
mkdir -p "$DIR" "$RUN" "$LOGS" "$DIR/outbox" "$DIR/redis"
chmod 711 "$DIR"  # PostgreSQL (its own user) must reach pgdata; nothing else is readable
chmod 700 "$RUN" "$LOGS" "$DIR/outbox" "$DIR/redis"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
command -v haproxy >/dev/null || { echo "HAProxy is missing: run deploy/install_system_packages.sh"; exit 1; }
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL is missing: run deploy/install_system_packages.sh"; exit 1; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# --- secrets: made once, kept out of the repository (var/ is ignored), readable by this user only
if [ ! -f "$DIR/secrets.env" ]; then
  (umask 077; "$PYTHON" - > "$DIR/secrets.env.tmp" <<'PY'
import secrets
for name in ("PG_SUPERUSER_PASSWORD", "TRACKER_PASSWORD", "REDIS_PASSWORD", "RASA_API_TOKEN",
             "ACTION_SERVER_TOKEN", "CHAT_SESSION_SECRET"):
    print(f"{name}={secrets.token_urlsafe(32)}")
PY
  ) && mv "$DIR/secrets.env.tmp" "$DIR/secrets.env"
  echo "made new secrets in $DIR/secrets.env"
fi
set -a; . "$DIR/secrets.env"; set +a

# --- the environment every service gets (the same code as make run, on PostgreSQL and Redis)
set -a
TRACKER_DIALECT=postgresql TRACKER_HOST=127.0.0.1 TRACKER_PORT=$PG_PORT TRACKER_DB=rasa TRACKER_USER=advice
HANDOFF_DB_URL="postgresql://advice:$TRACKER_PASSWORD@127.0.0.1:$PG_PORT/handoff"
LOCK_STORE_TYPE=channels.lock_store.AtomicRedisLockStore REDIS_HOST=127.0.0.1 REDIS_DB=1
SOCKETIO_REDIS_URL="redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/2"
ACTION_SERVER_URL="http://127.0.0.1:$ACTION_PORT/webhook"
HANDOFF_OUTBOX_DIR="$DIR/outbox"
RASA_URL="http://127.0.0.1:$RASA_API_PORT"
# HAProxy reaches the Rasa servers from loopback and tells them the visitor's address
# (deploy/haproxy.cfg): without this every visitor would share one set of limits
CHAT_TRUSTED_PROXIES=127.0.0.1
CHAT_ALLOWED_ORIGINS="http://127.0.0.1:$WIDGET_PORT,http://localhost:$WIDGET_PORT"
set +a

pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -f "$DIR/redis/redis.pid" ] && kill "$(cat "$DIR/redis/redis.pid")" 2>/dev/null || true
  as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" stop -m fast >/dev/null 2>&1 || true
  rm -f "$RUN"/*.pid
  echo "stopped"
  exit 0  # not back into the supervising loop below
}
trap stop INT TERM EXIT

# --- PostgreSQL: a cluster of its own, password authentication, on loopback
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  (umask 077; printf '%s\n' "$PG_SUPERUSER_PASSWORD" > "$DIR/pg_superuser_password")
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PGDATA" "$DIR/pg_superuser_password"; fi
  as_postgres "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=scram-sha-256 \
    --pwfile="$DIR/pg_superuser_password" -E UTF8 >"$LOGS/initdb.log"
  rm -f "$DIR/pg_superuser_password"
fi
start_postgres() {
  as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/postgresql.log" -w -t 60 \
    -o "-p $PG_PORT -h 127.0.0.1 -k $PGDATA" start >/dev/null
}
start_postgres
psql_admin() { PGPASSWORD="$PG_SUPERUSER_PASSWORD" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtAX "$@"; }
if [ -z "$(psql_admin -c "select 1 from pg_roles where rolname = 'advice'")" ]; then
  psql_admin -c "create role advice login password '$TRACKER_PASSWORD'"
fi
for db in rasa handoff; do
  [ -n "$(psql_admin -c "select 1 from pg_database where datname = '$db'")" ] \
    || psql_admin -c "create database $db owner advice encoding 'UTF8'"
done
# the schema: the tracker store's tables and the cases, staff and audit tables
PYTHONPATH=. "$PYTHON" deploy/create_schema.py

# --- Redis: only the locks and socket.io's messages, so nothing to save on disk
(umask 077; cat > "$DIR/redis/redis.conf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
requirepass $REDIS_PASSWORD
save ""
appendonly no
daemonize yes
pidfile $DIR/redis/redis.pid
logfile $LOGS/redis.log
dir $DIR/redis
CONF
)
redis-server "$DIR/redis/redis.conf"

# --- the services
declare -A commands=()
start() {  # name, then the command; its pid in $RUN/<name>.pid, its output in $LOGS/<name>.log
  local name=$1; shift
  commands[$name]=$(printf '%q ' "$@")
  "$@" >>"$LOGS/$name.log" 2>&1 &
  pids+=($!); echo $! > "$RUN/$name.pid"
}
start actions "$PYTHON" -m actions --port "$ACTION_PORT"
for n in 1 2; do
  port_var="RASA_PORT_$n"
  start "rasa$n" "$PYTHON" -m handoff.rasa_server run --model models --endpoints endpoints.yml \
    --credentials credentials.yml -i 127.0.0.1 --port "${!port_var}" \
    --cors "http://127.0.0.1:$WIDGET_PORT" --enable-api
done
start haproxy haproxy -db -f deploy/haproxy.cfg
# the chat page talks to the load balancer, not to one Rasa server
start widget env RASA_PORT="$LB_PORT" "$PYTHON" -m widget.serve --port "$WIDGET_PORT"
start console "$PYTHON" -m console

# A part that stops is started again after RESTART_SECONDS, as systemd's Restart=always does
# (the other Rasa server carries the chats meanwhile).
restart_stopped() {
  for name in "${!commands[@]}"; do
    pid=$(cat "$RUN/$name.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "$name stopped; starting it again in ${RESTART_SECONDS:-5} s (log: $LOGS/$name.log)"
      sleep "${RESTART_SECONDS:-5}"
      eval "start $name ${commands[$name]}"
    fi
  done
}
answers() { curl -sf -o /dev/null "http://127.0.0.1:$1"; }
# ready only when every part answers (HAProxy once its health checks see the Rasa servers up); a
# part that stopped while starting (a port taken, say) is started again meanwhile
every_part_answers() {
  answers "$RASA_PORT_1/" && answers "$RASA_PORT_2/" && answers "$ACTION_PORT/health" \
    && answers "$CONSOLE_PORT/sign-in" && answers "$WIDGET_PORT/" && answers "$LB_PORT/"
}
for _ in $(seq 1 240); do
  restart_stopped
  every_part_answers && break
  sleep 1
done
echo ready > "$RUN/ready"
cat <<MSG

  Chat endpoint:  http://127.0.0.1:$LB_PORT/ (HAProxy: REST /webhooks/rest/webhook and /socket.io/)
  Chat page:      http://127.0.0.1:$WIDGET_PORT/
  Staff console:  http://127.0.0.1:$CONSOLE_PORT/
  Load balancer:  http://127.0.0.1:$LB_STATS_PORT/ (servers up/down, sessions, queues)
  Data and logs:  $DIR (secrets.env, pgdata/ and its postgresql.log, logs/, outbox/)
  First supervisor: set -a; . deploy/local.env; . deploy/production_local.env; . $DIR/secrets.env;
      HANDOFF_DB_URL=postgresql://advice:\$TRACKER_PASSWORD@127.0.0.1:$PG_PORT/handoff; set +a;
      .venv/bin/python -m console create-supervisor
  Ctrl-C stops everything.

MSG
# Ctrl-C ends everything.
while true; do
  wait -n || true
  restart_stopped
done

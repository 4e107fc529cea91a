# Sourced by deploy/run_local.sh: `supervise NAME COMMAND...` runs COMMAND in the background and
# starts it again RESTART_SECONDS (default 3) after it stops, as systemd's Restart=always does,
# so one part crashing does not leave the service without it. Its process id goes into `pids`;
# stopping that process (TERM) stops the part and its restarts.
supervise() {
  local name=$1
  shift
  (
    child=""
    trap '[ -n "$child" ] && kill "$child" 2>/dev/null; wait 2>/dev/null; exit 0' TERM INT
    while true; do
      "$@" &
      child=$!
      wait "$child" && code=0 || code=$?
      echo "$name stopped (exit $code): starting it again in ${RESTART_SECONDS:-3} s" >&2
      sleep "${RESTART_SECONDS:-3}"
    done
  ) &
  pids+=($!)
}

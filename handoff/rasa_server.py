"""Starts the Rasa server so that its HTTP API token never appears on a command line.

    python -m handoff.rasa_server run --model models --endpoints endpoints.yml ... --enable-api

takes `rasa`'s own arguments. With `--enable-api` it reads the token from RASA_API_TOKEN (the
environment, which only the service's user and root can read in /proc/PID/environ) and hands it
to Rasa inside this process: `ps` and /proc/PID/cmdline show the arguments above, never the
token. Without a token it refuses to open the API at all. A token given with --auth-token is
refused too: that is the leak this module exists to prevent.

It also makes an SQLite tracker store's file private (0600) before Rasa creates it
(handoff/private_files.py). deploy/run_local.sh and the tests (tests/servers.py) start Rasa here.
"""

from __future__ import annotations

import os
import sys

from handoff.private_files import private_sqlite
from handoff.tracker_events import tracker_db_url

TOKEN_ENV = "RASA_API_TOKEN"


def rasa_arguments(argv: list[str], env: dict) -> list[str]:
    """`rasa`'s arguments with the API token added from the environment."""
    if any(arg in ("-t", "--auth-token") or arg.startswith("--auth-token=") for arg in argv):
        raise SystemExit(f"Give Rasa's API token in {TOKEN_ENV}, not on the command line (ps shows it).")
    if "--enable-api" not in argv:
        return list(argv)
    token = env.get(TOKEN_ENV, "")
    if not token:
        raise SystemExit(f"--enable-api needs {TOKEN_ENV}: Rasa's HTTP API is never opened without a token.")
    # one argument with "=": a token that starts with "-" would otherwise read as an option
    return [*argv, f"--auth-token={token}"]


def main(argv: list[str]) -> None:
    arguments = rasa_arguments(argv, dict(os.environ))
    if (os.environ.get("TRACKER_DIALECT") or "sqlite") == "sqlite":
        private_sqlite(tracker_db_url(os.environ))
    # Rasa parses sys.argv; changing it here does not change what the kernel shows for the process
    sys.argv = ["rasa", *arguments]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])

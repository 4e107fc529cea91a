"""Creates the production schema before any service starts (deploy/run_production.sh): the
tracker store's tables in TRACKER_DB and the cases, staff and audit tables in HANDOFF_DB_URL.
Safe to run again: it only adds what is missing. Run from the project folder with PYTHONPATH=.
and the services' environment."""

import os

from rasa.core.tracker_store import SQLTrackerStore

from handoff.db import database_url, engine_for


def main() -> None:
    env = os.environ
    # Rasa's own tracker tables (two Rasa servers starting at once would race to make them)
    SQLTrackerStore(
        dialect=env["TRACKER_DIALECT"],
        host=env["TRACKER_HOST"],
        port=env["TRACKER_PORT"],
        db=env["TRACKER_DB"],
        username=env["TRACKER_USER"],
        password=env["TRACKER_PASSWORD"],
    )
    engine_for(database_url())  # makes the cases, staff, audit and statistics tables
    print("schema ready: tracker store and cases")


if __name__ == "__main__":
    main()

"""Reads conversations' new events from the tracker store's database (read-only).

The console follows open cases' chats from here rather than through Rasa's HTTP API: polling
`GET /conversations/{id}/tracker` every second costs a whole tracker per case per second, and its
full-tracker read races with the turns Rasa is saving. Only Rasa writes these tables (the console
writes to a conversation only through Rasa's HTTP API); the retention purge deletes from them
(handoff/retention.py).

The table is Rasa's SQLTrackerStore `events` (id, sender_id, data as JSON), and the database is
the one endpoints.yml names from TRACKER_* (SQLite by default, PostgreSQL in production).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import sqlalchemy as sa

from handoff.db import PROJECT_ROOT
from handoff.private_files import private_sqlite

events_table = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("timestamp", sa.Float),  # the event's time (Unix seconds, set by Rasa)
    sa.Column("data", sa.Text),
)


def tracker_db_url(env: dict | None = None) -> str:
    """The tracker store's URL, built from the same variables endpoints.yml uses."""
    env = os.environ if env is None else env
    dialect = env.get("TRACKER_DIALECT") or "sqlite"
    database = env.get("TRACKER_DB") or "var/tracker.db"
    if dialect == "sqlite":
        path = Path(database)
        return f"sqlite:///{path if path.is_absolute() else PROJECT_ROOT / path}"
    return str(
        sa.engine.URL.create(
            dialect,
            username=env.get("TRACKER_USER") or None,
            password=env.get("TRACKER_PASSWORD") or None,
            host=env.get("TRACKER_HOST") or None,
            port=int(env["TRACKER_PORT"]) if env.get("TRACKER_PORT") else None,
            database=database,
        )
    )


class TrackerEvents:
    def __init__(self, url: str):
        private_sqlite(url)  # reading a missing SQLite file creates it: private from the start
        self.engine = sa.create_engine(url, future=True, pool_pre_ping=True)

    def after(self, sender_id: str, last_id: int) -> tuple[list[dict], int]:
        """The conversation's events stored after event `last_id`, and the new last id."""
        with self.engine.connect() as db:
            rows = db.execute(
                sa.select(events_table.c.id, events_table.c.data)
                .where(events_table.c.sender_id == sender_id, events_table.c.id > last_id)
                .order_by(events_table.c.id)
            ).all()
        if not rows:
            return [], last_id
        return [json.loads(row.data) for row in rows], rows[-1].id

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


# Conversations read in one query (the size of SQL's IN list).
BATCH = 500


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

    def after_each(self, last_ids: dict[str, int]) -> dict[str, tuple[list[dict], int]]:
        """For each conversation, its events stored after its own last id, and the new last id
        (only conversations with new events). One query for up to BATCH conversations, not one
        each: the console follows every open case every second."""
        found: dict[str, tuple[list[dict], int]] = {}
        senders = sorted(last_ids)
        for start in range(0, len(senders), BATCH):
            batch = senders[start : start + BATCH]
            with self.engine.connect() as db:
                rows = db.execute(
                    sa.select(events_table.c.id, events_table.c.sender_id, events_table.c.data)
                    .where(
                        events_table.c.sender_id.in_(batch),
                        events_table.c.id > min(last_ids[s] for s in batch),
                    )
                    .order_by(events_table.c.id)
                ).all()
            for row in rows:
                if row.id > last_ids[row.sender_id]:
                    events, _ = found.get(row.sender_id, ([], 0))
                    events.append(json.loads(row.data))
                    found[row.sender_id] = (events, row.id)
        return found

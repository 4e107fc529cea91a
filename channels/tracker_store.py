"""Rasa's SQL tracker store, with its database work moved off Sanic's event loop.

Rasa 3.6's SQLTrackerStore does synchronous SQLAlchemy calls inside `async` methods, which
blocks every other conversation while one is read or written (measured: turn latency doubled
with SQLite). Its `_retrieve` and `save` never await anything real (no event broker here), so
this store runs them to completion in a worker thread instead.
"""
from __future__ import annotations

import asyncio
from typing import Any, Coroutine, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker


def _run_to_completion(coroutine: Coroutine) -> Any:
    """Runs a coroutine that never suspends, synchronously (in whatever thread calls this)."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise RuntimeError("the tracker store awaited real I/O; it cannot run in a worker thread")


class ThreadedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # endpoints.yml fills every field from the environment; SQLite leaves most of them empty
        for key in ("host", "port", "username", "password", "login_db", "query"):
            if kwargs.get(key) in ("", None):
                kwargs.pop(key, None)
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # WAL lets readers and the one writer work at once; NORMAL sync is safe with WAL.
            with self.engine.connect() as connection:
                connection.execute(sa.text("PRAGMA journal_mode=WAL"))
                connection.execute(sa.text("PRAGMA synchronous=NORMAL"))

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        parent = super()._retrieve(sender_id, fetch_events_from_all_sessions)
        return await asyncio.to_thread(_run_to_completion, parent)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if self.event_broker is not None:
            await super().save(tracker)   # a broker does real async work: stay on the loop
            return
        await asyncio.to_thread(_run_to_completion, super().save(tracker))

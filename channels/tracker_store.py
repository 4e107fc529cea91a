"""Rasa's SQL tracker store, made fast enough for a busy chat on SQLite.

Profiled under load, Rasa 3.6's SQLTrackerStore spent most of each turn in the database: its
synchronous SQLAlchemy calls ran on Sanic's event loop (blocking every other conversation),
every save counted all the sender's events, every read reloaded and decoded the whole session,
and events were inserted one ORM statement at a time. Late in a long conversation, rebuilding
the tracker from its events on every read was the largest cost of a turn, and it grew with
every turn.

This store:
- runs all database work in worker threads, off the event loop;
- on SQLite (the single-process default) keeps recent conversations in memory as trackers and
  hands out a copy of the cached tracker's state (channels/tracker_copy.py: no replay, so a read
  costs the same at turn 150 as at turn 1), and writes each turn's new events in one INSERT
  before the reply is sent: the database stays the complete record and a restart loses nothing.
  The memory is capped (deploy/local.env): at most TRACKER_CACHE_MAX_CONVERSATIONS
  conversations and TRACKER_CACHE_MAX_EVENTS events in all (the cached trackers' events), least
  recently used forgotten first, and only each conversation's current session (a full history
  is read from the database). Capped by conversations alone (5,000), it grew by about 45 KB for
  each 4-turn conversation: a flood of new conversations took Rasa from 700 MB to over 1 GB, and
  long conversations had no bound;
- on PostgreSQL (production: several Rasa processes share the database) keeps the same cache,
  but each read first asks the database for the conversation's newest event id (one indexed
  query): if another process has saved a turn since, or anything was removed, the id differs
  and the session is read again from the database. A turn handled by the other server after a
  failover is never missed, and a read costs the same at turn 150 as at turn 1;
- writes messages with personal data redacted (privacy/events.py): the originals are held in
  this process's memory for the session, given back to the trackers it reads, and copied into
  the conversation's case when it has been escalated (for the staff who act on it). A cached
  tracker carries what was typed only while `HeldOriginals` holds those originals: when it
  forgets one (its time, conversation and session limits), the cached tracker is dropped and the
  next read starts again from the database (as stored) with the originals still held.

Rasa wraps every tracker store in a FailSafeTrackerStore, which saves a tracker the database
refused into an in-memory store without a cap that nothing ever reads: during an outage every
conversation's whole tracker stayed in memory. `keep_no_fallback` swaps it for one that keeps
nothing (Rasa still logs the database's error; a disclosure's case is kept by handoff/outbox.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.pool import QueuePool

from channels.settings import positive_int
from channels.tracker_copy import fork, newest
from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.transcript import transcript
from privacy.events import HeldOriginals
from privacy.redaction import warm_up as warm_up_redaction

logger = logging.getLogger(__name__)
CASE_COPY_SECONDS = (
    0.5  # an escalated chat's originals wait this long for the cases database, then go on in the background
)
# Set on each tracker this store hands out: how many of its events are already in the database,
# and which cached version it was copied from. They live on the tracker, not per conversation,
# because two reads of one conversation (a turn and an API call) can be in flight at once.
STORED_COUNT = "_events_already_stored"
CACHE_VERSION = "_cached_version"


@dataclass
class _Cached:
    """One conversation's current session as stored, in memory."""

    tracker: DialogueStateTracker | None  # None: the database has no events for it
    domain: Domain | None
    version: int = 0
    # The database's id of the conversation's newest event when this was read or saved (None:
    # none stored): a cached copy is current while the database still says the same.
    newest_id: int | None = None
    used_at: float = 0.0  # when a turn last read or saved it (the store's clock)
    # The originals (HeldOriginals' own dicts) of the messages whose text, as typed, the
    # tracker's events carry; it may name more than it carries, never fewer.
    carried: tuple[dict, ...] = ()

    @property
    def events(self) -> int:
        return len(self.tracker.events) if self.tracker is not None else 0


def _run_to_completion(coroutine: Coroutine) -> Any:
    """Runs a coroutine that never suspends, synchronously (in whatever thread calls this)."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise RuntimeError("the tracker store awaited real I/O; it cannot run in a worker thread")


def _latest_session(events: list[dict]) -> list[dict]:
    """The events from the last session start on, as SQLTrackerStore.retrieve returns them."""
    for i in range(len(events) - 1, -1, -1):
        if events[i].get("event") == SessionStarted.type_name:
            # Rasa's query keeps events at or after the session start's timestamp, which
            # includes the action_session_start just before it
            start = events[i].get("timestamp")
            j = i
            while j > 0 and events[j - 1].get("timestamp") == start:
                j -= 1
            return events[j:]
    return events


class ThreadedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, clock: Clock = SYSTEM_CLOCK, **kwargs: Any) -> None:
        # endpoints.yml fills every field from the environment; SQLite leaves most of them empty
        for key in ("host", "port", "username", "password", "login_db", "query"):
            if kwargs.get(key) in ("", None):
                kwargs.pop(key, None)
        super().__init__(*args, **kwargs)
        self.originals = HeldOriginals()
        warm_up_redaction()  # at start, not in the first reply's time
        self._cases = None  # the cases database, opened when an escalated chat first needs it
        self._cache: OrderedDict[str, _Cached] | None = None
        self._cached_events = 0
        self._carrying: set[str] = set()  # cached conversations whose trackers carry originals
        self._loading: dict[str, object] = {}  # conversations being read from the database
        # one process on SQLite owns its conversations; on a shared database others may save
        self._shared = self.engine.dialect.name != "sqlite"
        if not self._shared:
            self._use_pooled_sqlite()
        self._cache = OrderedDict()
        self.max_cached_conversations = positive_int("TRACKER_CACHE_MAX_CONVERSATIONS")
        self.max_cached_events = positive_int("TRACKER_CACHE_MAX_EVENTS")
        # A conversation no turn has used for this long is let go: with several Rasa servers, a
        # conversation deleted through one server's API (a purge, a deletion) is otherwise still
        # held by the other until it is next read (where the newest-id check drops it).
        self.max_idle_seconds = positive_int("TRACKER_CACHE_IDLE_SECONDS")
        self.clock = clock

    def _use_pooled_sqlite(self) -> None:
        """A small pool of SQLite connections set up once: WAL (readers and the writer work at
        once) and NORMAL sync (safe with WAL, no fsync per commit)."""
        engine = sa.create_engine(
            self.engine.url,
            poolclass=QueuePool,
            pool_size=4,
            max_overflow=4,
            connect_args={"check_same_thread": False, "timeout": 15},
        )

        @sa.event.listens_for(engine, "connect")
        def _set_up(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        self.engine.dispose()
        self.engine = engine
        self.sessionmaker = sa.orm.session.sessionmaker(bind=engine)

    # --- reading --------------------------------------------------------------------------
    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        if self._cache is None:
            parent = super()._retrieve(sender_id, fetch_events_from_all_sessions)
            return self._with_originals(await asyncio.to_thread(_run_to_completion, parent))
        if self.domain is None:
            return None  # as Rasa: no tracker without a domain
        if fetch_events_from_all_sessions:
            # every session (Rasa's HTTP API, rarely): read from the database, as Rasa does
            events = await asyncio.to_thread(self._load_all_events, sender_id)
            if not events:
                return None
            tracker = self._with_originals(
                DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
            )
            setattr(tracker, STORED_COUNT, len(events))
            return tracker
        self._let_go_of_idle()
        cached = self._cache.get(sender_id)
        if (
            cached is not None
            and self._shared
            and await asyncio.to_thread(self._newest_id, sender_id) != cached.newest_id
        ):
            self._forget(sender_id)  # saved by another process, or removed: read again
            cached = None
        if cached is None or cached.domain is not self.domain:
            cached = await self._load_latest_session(sender_id)
        else:
            self._cache.move_to_end(sender_id)
            cached.used_at = self.clock.timestamp()
        if cached.tracker is None:
            return None
        tracker = fork(cached.tracker)
        setattr(tracker, STORED_COUNT, len(tracker.events))
        setattr(tracker, CACHE_VERSION, cached.version)
        return tracker

    async def _load_latest_session(self, sender_id: str) -> _Cached:
        """Once per conversation (or after a new model, or when the cache forgot it): the
        current session read from the database, replayed, with the originals held given back."""
        domain, loading = self.domain, object()
        self._loading[sender_id] = loading
        try:
            newest_id, events = await asyncio.to_thread(self._load_events, sender_id)
            events = _latest_session(events)
        finally:
            saved_meanwhile = self._loading.get(sender_id) is not loading
            if not saved_meanwhile:
                del self._loading[sender_id]
        if not events:
            cached = _Cached(None, domain, newest_id=newest_id)
        else:
            tracker = self._with_originals(DialogueStateTracker.from_dict(sender_id, events, domain.slots))
            carried = tuple(self.originals.originals(sender_id))
            cached = _Cached(tracker, domain, carried=carried, newest_id=newest_id)
        if not saved_meanwhile:  # else what was read may already be out of date: not kept
            self._remember(sender_id, cached)
        return cached

    def _with_originals(self, tracker: DialogueStateTracker | None) -> DialogueStateTracker | None:
        if tracker is not None:
            self.originals.restore(tracker)
        return tracker

    def _load_all_events(self, sender_id: str) -> list[dict]:
        return self._load_events(sender_id)[1]

    def _load_events(self, sender_id: str) -> tuple[int | None, list[dict]]:
        table = self.SQLEvent.__table__
        with self.engine.connect() as db:
            rows = db.execute(
                sa.select(table.c.id, table.c.data).where(table.c.sender_id == sender_id).order_by(table.c.id)
            ).all()
        return (rows[-1].id if rows else None), [json.loads(row.data) for row in rows]

    def _newest_id(self, sender_id: str) -> int | None:
        table = self.SQLEvent.__table__
        with self.engine.connect() as db:
            return db.execute(
                sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id)
            ).scalar()

    # --- the cache ----------------------------------------------------------------------------
    def _remember(self, sender_id: str, cached: _Cached) -> None:
        self._forget(sender_id)
        cached.used_at = self.clock.timestamp()
        self._cache[sender_id] = cached
        self._cached_events += cached.events
        if cached.carried:
            self._carrying.add(sender_id)
        self._keep_within_caps()

    def _forget(self, sender_id: str) -> None:
        cached = self._cache.pop(sender_id, None)
        if cached is not None:
            self._cached_events -= cached.events
            self._carrying.discard(sender_id)

    def _let_go_of_idle(self) -> None:
        """Forgets the conversations no turn has used for max_idle_seconds (the least recently
        used come first, so this stops at the first one still in use)."""
        oldest_kept = self.clock.timestamp() - self.max_idle_seconds
        while self._cache:
            sender_id, cached = next(iter(self._cache.items()))
            if cached.used_at >= oldest_kept:
                break
            self._forget(sender_id)

    def _keep_within_caps(self) -> None:
        while self._cache and (
            len(self._cache) > self.max_cached_conversations or self._cached_events > self.max_cached_events
        ):
            self._forget(next(iter(self._cache)))

    def _holds_all(self, sender_id: str, carried: tuple[dict, ...]) -> bool:
        if not carried:
            return True
        held = {id(original) for original in self.originals.originals(sender_id)}
        return all(id(original) in held for original in carried)

    def _drop_what_carries_forgotten_originals(self) -> None:
        """A cached tracker carries what was typed only while HeldOriginals holds it."""
        for sender_id in list(self._carrying):
            if not self._holds_all(sender_id, self._cache[sender_id].carried):
                self._forget(sender_id)  # read again from the database, as stored

    def cached(self) -> tuple[int, int]:
        """How many conversations and events the cache holds now."""
        return len(self._cache or {}), self._cached_events

    # --- writing --------------------------------------------------------------------------
    async def save(self, tracker: DialogueStateTracker) -> None:
        sender = tracker.sender_id
        cached = self._cache.get(sender) if self._cache is not None else None
        stored = getattr(tracker, STORED_COUNT, None)
        if stored is None and cached is not None and cached.tracker is None:
            stored = 0  # a conversation the database has no events for yet
        if self.event_broker is not None or self._cache is None or stored is None:
            # a tracker this store did not hand out (or a broker doing real async work):
            # Rasa's own way, which counts what is stored, off the loop
            as_stored = self._as_stored(tracker)
            await self._keep_originals_in_case(tracker)
            if self.event_broker is not None:
                await super().save(as_stored)
            else:
                await asyncio.to_thread(_run_to_completion, super().save(as_stored))
            if self._cache is not None:
                self._forget(sender)  # re-read from the database next time
                self._loading.pop(sender, None)
            return
        new_events = newest(tracker.events, stored)
        typed = [event.as_dict() for event in new_events]
        to_store = self._for_storage(sender, typed)
        await self._keep_originals_in_case(tracker)
        newest_id = cached.newest_id if cached is not None else None
        if to_store:
            self._loading.pop(sender, None)  # a read from the database under way is out of date
            newest_id = await asyncio.to_thread(self._insert, sender, to_store)
        if self._cache.get(sender) is not cached or cached is None:
            self._forget(sender)  # forgotten or read again meanwhile: read afresh next time
        elif any(isinstance(event, SessionStarted) for event in new_events):
            self._forget(sender)  # a new session: the next read starts it from the database
        elif cached.tracker is not None and getattr(tracker, CACHE_VERSION, None) != cached.version:
            self._forget(sender)  # copied before another save of it (both are in the database)
        else:
            carried = cached.carried + tuple(o for o, s in zip(typed, to_store, strict=True) if s is not o)
            if self._holds_all(sender, carried):
                version = cached.version + 1
                stored_tracker = fork(tracker) if tracker.events else None  # no events: none stored
                self._remember(
                    sender,
                    _Cached(stored_tracker, self.domain, version, carried=carried, newest_id=newest_id),
                )
                setattr(tracker, CACHE_VERSION, version)
            else:
                self._forget(sender)
        setattr(tracker, STORED_COUNT, len(tracker.events))

    def _for_storage(self, sender_id: str, events: list[dict]) -> list[dict]:
        """The events as stored (privacy/events.py); HeldOriginals holds the originals of those
        redacted, and may forget others: cached trackers carrying those are dropped."""
        stored = self.originals.for_storage(sender_id, events)
        if self._cache is not None and (
            any(s is not e for s, e in zip(stored, events, strict=True))
            or any(e.get("event") == SessionStarted.type_name for e in events)
        ):
            self._drop_what_carries_forgotten_originals()
        return stored

    def _insert(self, sender_id: str, events: list[dict]) -> int | None:
        """Writes the events in one INSERT; the conversation's newest event id after it."""
        rows = [
            {
                "sender_id": sender_id,
                "type_name": data.get("event"),
                "timestamp": data.get("timestamp"),
                "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                "action_name": data.get("name"),
                "data": json.dumps(data),
            }
            for data in events
        ]
        table = self.SQLEvent.__table__
        with self.engine.begin() as db:
            db.execute(sa.insert(table), rows)
            # read in the same transaction; a turn of one conversation is saved by one process at
            # a time (the lock store), so this is ours, and another process's save changes it
            return db.execute(
                sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id)
            ).scalar()

    # --- personal data ----------------------------------------------------------------------
    def _as_stored(self, tracker: DialogueStateTracker) -> DialogueStateTracker:
        """A copy of the tracker with its messages redacted (for Rasa's own save)."""
        events = self._for_storage(tracker.sender_id, [e.as_dict() for e in tracker.events])
        slots = self.domain.slots if self.domain else []
        return DialogueStateTracker.from_dict(tracker.sender_id, events, slots)

    async def _keep_originals_in_case(self, tracker: DialogueStateTracker) -> None:
        """An escalated conversation's messages as typed go to its case, before the redacted
        ones reach the tracker store (which the console copies from). Within CASE_COPY_SECONDS,
        or in the background: the reply never waits long on the cases database."""
        case_id = tracker.get_slot("case_id") if "case_id" in tracker.slots else None
        originals = self.originals.originals(tracker.sender_id) if case_id else []
        if not originals:
            return
        copy = asyncio.ensure_future(asyncio.to_thread(self._copy_to_case, case_id, originals))
        try:
            await asyncio.wait_for(asyncio.shield(copy), CASE_COPY_SECONDS)
        except asyncio.TimeoutError:
            logger.warning(
                "the cases database is slow: an escalated chat's messages are copied in the background"
            )

    def _copy_to_case(self, case_id: str, originals: list[dict]) -> None:
        try:
            if self._cases is None:
                from handoff.store import CaseStore

                self._cases = CaseStore()
            self._cases.transcripts.add(case_id, transcript(originals))
        except Exception as problem:  # the case keeps the redacted copy the console makes
            logger.error(
                "could not copy an escalated chat's messages into its case: %s", type(problem).__name__
            )


class KeepsNothing(InMemoryTrackerStore):
    """The fallback for a save the database refused: nothing reads it back, so nothing is kept."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        return None


def keep_no_fallback(tracker_store: Any) -> None:
    """Stops Rasa's FailSafeTrackerStore keeping refused trackers in memory (see the docstring)."""
    if isinstance(tracker_store, FailSafeTrackerStore):
        tracker_store._fallback_tracker_store = KeepsNothing(tracker_store.domain)
        logger.info("a tracker the database refuses will not be kept in memory")

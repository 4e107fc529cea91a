"""What the force learns without keeping data: how many conversations, topics, audiences,
escalations (by reason), first staff replies (by how long they took) and case outcomes there
were each day.

The counts table (handoff/db.py, `statistics_counts`) holds (day, measure, key, count) and nothing
else: no conversation or case id, no text, no staff name, no time finer than the day (in UK
time), and every key comes from the measure's fixed list below, so nothing a person typed can
ever be stored there. The time to the first staff reply is kept in bands, never as a time.

Counting never slows or fails what is counted. Callers decide *whether* something counts where a
retry cannot repeat it (a case opened once counts once: CaseStore decides in the case's own
transaction), then hand the count to a background writer, one thread per database, which adds
it in a short transaction of its own and keeps it while the database cannot be written (what
waits is one number per day, measure and key, so it cannot grow without bound).
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.db import database_url, engine_for, statistics_counts
from safeguarding.reasons import REASON_CODES

logger = logging.getLogger(__name__)

# Days are UK days: the service is for police forces in England and Wales (README), and
# every force file says Europe/London.
DAY_ZONE = ZoneInfo("Europe/London")

AUDIENCES = ("young_person", "parent", "school")  # the `audience` slot's values (domain.yml)
CASE_STATUSES = ("queued", "unavailable")  # the handoff status a case opened with
THRESHOLD_CHECK_TOPIC = "threshold_check"  # the schools' guided check (school_check/)

# Time from a case opening to the first staff message in it: (key, up to this many minutes).
REPLY_BANDS = (
    ("under_1_min", 1),
    ("1_to_5_min", 5),
    ("5_to_15_min", 15),
    ("15_to_60_min", 60),
    ("over_60_min", None),
)


def reply_band(waited: timedelta) -> str:
    minutes = waited.total_seconds() / 60
    return next(key for key, upper in REPLY_BANDS if upper is None or minutes < upper)


def _topics() -> Iterable[str]:
    from advice.content import library  # the advice content's answers are the topics

    return [*library().topics, THRESHOLD_CHECK_TOPIC]


def _outcomes() -> Iterable[str]:
    from handoff.store import OUTCOMES  # how staff close a case (store.py imports this module)

    return OUTCOMES


@dataclass(frozen=True)
class Measure:
    name: str
    vocabulary: Callable[[], Iterable[str]]  # every key it may count: nothing else is ever stored
    what: str  # what one count is


MEASURES = {
    m.name: m
    for m in (
        Measure("conversations", lambda: ("started",), "a conversation started (a chat session)"),
        Measure("topics", _topics, "an answer on that topic given"),
        Measure("audiences", lambda: AUDIENCES, "a conversation in which the person said who they are"),
        Measure("cases", lambda: CASE_STATUSES, "a case opened (an escalation), by its status then"),
        Measure("reasons", lambda: REASON_CODES, "a reason added to a case"),
        Measure("first_reply", lambda: [key for key, _ in REPLY_BANDS], "a case's first staff reply"),
        Measure("outcomes", _outcomes, "a case closed with that outcome"),
    )
}


class UnknownCount(ValueError):
    """A measure or key outside the fixed lists: refused, so no free text is ever stored."""


def check(measure: str, key: str) -> None:
    if measure not in MEASURES:
        raise UnknownCount(f"unknown measure {measure!r}")
    if key not in set(MEASURES[measure].vocabulary()):
        raise UnknownCount(f"{measure} has no key {key!r}")


class Statistics:
    """The counts of one cases database: added in the background, read for the console."""

    def __init__(self, url: str | None = None, clock: Clock = SYSTEM_CLOCK):
        self.url = database_url(url)
        self.clock = clock

    @property
    def engine(self) -> sa.engine.Engine:
        # only when reading or writing: adding a count never waits for a connection
        return engine_for(self.url)

    def day(self, at: datetime | None = None) -> date:
        return (at or self.clock.now()).astimezone(DAY_ZONE).date()

    def today(self) -> date:
        return self.day()

    # --- adding ------------------------------------------------------------------------
    def add(self, measure: str, key: str, at: datetime | None = None) -> None:
        """Counts one `measure`/`key` on the day of `at` (default now). Never raises for the
        caller's sake: an unknown key is logged (and not stored), the writing is in the background."""
        try:
            check(measure, key)
        except UnknownCount as problem:
            logger.error("statistics: %s (not counted)", problem)
            return
        _writer(self.url).add((self.day(at), measure, key))

    def flush(self, timeout: float = 10.0) -> bool:
        """Waits until every count added so far is written (tests; shutting down)."""
        return _writer(self.url).flush(timeout)

    def write(self, counts: Counter) -> None:
        """Adds the counts to the table in one transaction (the background writer calls this)."""
        table = statistics_counts
        dialect = self.engine.dialect.name
        with self.engine.begin() as db:
            for (day, measure, key), n in sorted(counts.items()):  # one lock order: no deadlocks
                row = {"day": day, "measure": measure, "key": key, "count": n}
                if dialect in ("sqlite", "postgresql"):
                    insert = _dialect_insert(dialect)(table).values(**row)
                    db.execute(
                        insert.on_conflict_do_update(
                            index_elements=[table.c.day, table.c.measure, table.c.key],
                            set_={"count": table.c.count + insert.excluded.count},
                        )
                    )
                    continue
                done = db.execute(
                    sa.update(table)
                    .where(table.c.day == day, table.c.measure == measure, table.c.key == key)
                    .values(count=table.c.count + n)
                )
                if done.rowcount == 0:
                    db.execute(sa.insert(table).values(**row))

    # --- reading -----------------------------------------------------------------------
    def totals(self, first: date, last: date) -> dict[str, Counter]:
        """Each measure's counts by key, added up over the days first..last (both included)."""
        table = statistics_counts
        query = (
            sa.select(table.c.measure, table.c.key, sa.func.sum(table.c.count))
            .where(table.c.day >= first, table.c.day <= last)
            .group_by(table.c.measure, table.c.key)
        )
        out: dict[str, Counter] = {name: Counter() for name in MEASURES}
        with self.engine.connect() as db:
            for measure, key, total in db.execute(query):
                if measure in out:
                    out[measure][key] = int(total)
        return out

    def by_day(self, measure: str, first: date, last: date) -> dict[date, int]:
        """One measure's count for every day first..last (all keys together; 0 on quiet days)."""
        table = statistics_counts
        query = (
            sa.select(table.c.day, sa.func.sum(table.c.count))
            .where(table.c.measure == measure, table.c.day >= first, table.c.day <= last)
            .group_by(table.c.day)
        )
        days = {first + timedelta(days=i): 0 for i in range((last - first).days + 1)}
        with self.engine.connect() as db:
            for day, total in db.execute(query):
                days[day] = int(total)
        return days


def _dialect_insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


# --- the background writer ---------------------------------------------------------------
RETRY_SECONDS = 5.0


class _Writer:
    """Writes the counts added in this process, in one thread, as soon as it can."""

    def __init__(self, url: str):
        self.url = url
        self._pending: Counter = Counter()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._writing = 0  # counts taken from _pending and not yet written

    def add(self, item: tuple) -> None:
        with self._lock:
            self._pending[item] += 1
            if self._thread is None:  # the thread ends when there is nothing left to write
                self._thread = threading.Thread(target=self._run, name="statistics-writer", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._thread = None
                    self._changed.notify_all()
                    return
                batch, self._pending = self._pending, Counter()
                self._writing = sum(batch.values())
            try:
                Statistics(self.url).write(batch)
                failed = False
            except Exception as problem:  # the database is down or locked: keep them, try later
                logger.warning(
                    "statistics: counts not written yet (%s); trying again", type(problem).__name__
                )
                failed = True
            with self._lock:
                self._writing = 0
                if failed:
                    self._pending.update(batch)
                self._changed.notify_all()
                if failed:
                    self._changed.wait(RETRY_SECONDS)

    def flush(self, timeout: float) -> bool:
        with self._lock:
            return self._changed.wait_for(lambda: not self._pending and not self._writing, timeout)


_writers: dict[str, _Writer] = {}
_writers_lock = threading.Lock()


def _writer(url: str) -> _Writer:
    with _writers_lock:
        if url not in _writers:
            _writers[url] = _Writer(url)
        return _writers[url]


@atexit.register
def _write_before_exit() -> None:
    for writer in list(_writers.values()):
        writer.flush(timeout=2.0)


# --- what a chat turn counts -------------------------------------------------------------
# Actions that are not an answer to the person's message: Rasa's own steps.
_NOT_ANSWERS = ("action_listen", "action_extract_slots", "action_session_start")


def chat_turn(events: list[dict]) -> list[tuple[str, str]]:
    """What the turn being answered adds to the counts, from the conversation's events as the
    action server gets them: a conversation started (its first message) and who the person is
    (the first turn they are known). Only the turn's first answering action counts, so however
    many actions answer one message, and whichever they are, a turn counts once.

    A conversation is a chat session (Rasa starts a new one after 2 hours of silence,
    domain.yml): a person who comes back the next day is a new conversation, and their
    audience, carried over, is counted in it again."""
    start = max((i for i, e in enumerate(events) if e.get("event") == "session_started"), default=-1)
    audience = None
    messages = 0
    unanswered = False  # the latest message has had no answering action yet
    audience_counted = False
    for event in events[start + 1 :]:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "audience":
            audience = event.get("value")
        elif kind == "user":
            messages += 1
            unanswered = True
        elif kind == "action" and event.get("name") not in _NOT_ANSWERS and unanswered:
            unanswered = False
            audience_counted = audience_counted or audience in AUDIENCES
    if not unanswered:
        return []
    out = [("conversations", "started")] if messages == 1 else []
    if audience in AUDIENCES and not audience_counted:
        out.append(("audiences", audience))
    return out


def count_chat_turn(
    statistics: Statistics, events: list[dict], topic: str | None = None, at: datetime | None = None
) -> None:
    """Counts a chat turn (chat_turn) and, if an answer on a topic was given, the topic.
    Never raises: an action's reply never depends on counting it."""
    try:
        counts = chat_turn(events)
        if topic:
            counts.append(("topics", topic))
        for measure, key in counts:
            statistics.add(measure, key, at)
    except Exception:
        logger.exception("statistics: a chat turn was not counted")

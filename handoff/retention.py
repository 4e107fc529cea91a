"""How long each record is kept, the purge that deletes what is older, and deletion on request.

The periods are the force's (content/forces/<force>.yml, `retention`; defaults in
advice/forces.py):

- a conversation that never escalated (Rasa's tracker store): deleted `conversation_days`
  (default 7) after its last event;
- a closed case, its transcript and its notes (the cases database): deleted `closed_case_days`
  (default 30, the period of the force the case belongs to) after it was closed;
- a conversation with a case (open or closed, or held in the outbox) is kept as long as the case
  is; once its last case is gone the first rule applies, so a month-old chat goes in the same run;
- open cases are kept until staff close them;
- the schools' check records go 24 hours after the decision (school_check/record_store.py),
  and sign-in records once they no longer matter (handoff/staff.py);
- the audit log is kept: it records who did what, with counts and outcomes, never message text.

The staff console runs the purge when it starts and every PURGE_EVERY_HOURS (keep_purging);
`make purge` runs it now and `make forget` deletes one person's conversation and cases
(handoff/purge.py). Each run and each deletion is written to the audit log, counts only.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from advice.forces import ForceConfigError, current_force
from handoff.audit import AuditLog
from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.db import (
    aware,
    case_messages,
    case_notes,
    cases,
    check_records,
    database_url,
    engine_for,
)
from handoff.outbox import Outbox
from handoff.private_files import private_sqlite
from handoff.rasa_api import RasaAPI, RasaUnavailable
from handoff.staff import StaffStore
from handoff.store import OPEN_STATUSES
from handoff.tracker_events import events_table, tracker_db_url

logger = logging.getLogger(__name__)

PURGE_EVERY_ENV = "PURGE_EVERY_HOURS"
DEFAULT_PURGE_EVERY_HOURS = 6.0
CLOSED_SUFFIX = "#closed-"  # a closed case's conversation id, once a new case opened (store.py)
BATCH = 500


def purge_every_hours(env: dict | None = None) -> float:
    env = os.environ if env is None else env
    try:
        return max(1 / 3600, float(env.get(PURGE_EVERY_ENV) or DEFAULT_PURGE_EVERY_HOURS))  # >= 1 s
    except ValueError:
        return DEFAULT_PURGE_EVERY_HOURS


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


@dataclass
class Deleted:
    """What a purge or a deletion removed (counts only; the ids are for dropping Rasa's copies)."""

    conversations: int = 0
    chat_events: int = 0
    cases: int = 0
    case_messages: int = 0
    case_notes: int = 0
    held_cases: int = 0
    check_records: int = 0
    sign_in_records: int = 0
    conversation_ids: list[str] = field(default_factory=list, repr=False)

    def describe(self) -> str:
        parts = [
            f"{_plural(self.conversations, 'conversation')} ({_plural(self.chat_events, 'chat event')})",
            f"{_plural(self.cases, 'case')} ({_plural(self.case_messages, 'message')}, "
            f"{_plural(self.case_notes, 'note')})",
        ]
        for count, one, many in (
            (self.held_cases, "case held in the outbox", "cases held in the outbox"),
            (self.check_records, "expired school check record", "expired school check records"),
            (self.sign_in_records, "old sign-in record", "old sign-in records"),
        ):
            if count:
                parts.append(_plural(count, one, many))
        return ", ".join(parts)


class CaseStillOpen(RuntimeError):
    """A deletion request names a conversation whose case staff are still working."""


def conversation_hash(conversation_id: str) -> str:
    """How the audit log names a deleted conversation: enough to confirm a request was carried
    out (hash the id you were given), nothing that leads back to it."""
    return hashlib.sha256(conversation_id.encode()).hexdigest()[:16]


class Retention:
    def __init__(
        self,
        cases_url: str | None = None,
        tracker_url: str | None = None,
        force_id: str | None = None,
        outbox: Outbox | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ):
        self.cases_url = database_url(cases_url)
        self.cases_db = engine_for(self.cases_url)
        self.tracker_url = tracker_url or tracker_db_url()
        private_sqlite(self.tracker_url)
        sqlite = self.tracker_url.startswith("sqlite")
        self.tracker_db = sa.create_engine(
            self.tracker_url,
            future=True,
            pool_pre_ping=True,
            # Rasa writes the same SQLite file: wait for its turn rather than fail
            **({"connect_args": {"timeout": 15}} if sqlite else {}),
        )
        if sqlite:

            @sa.event.listens_for(self.tracker_db, "connect")
            def _overwrite_what_is_deleted(connection, _record):
                # the deletes this connection makes zero the freed pages (the setting is the
                # deleting connection's, so Rasa's own connections need not have it)
                connection.execute("PRAGMA secure_delete=ON")

        # Rasa keeps recent SQLite conversations in memory too (channels/tracker_store.py)
        self.rasa_caches_conversations = sqlite
        self.force = current_force(force_id)
        self.outbox = outbox or Outbox()
        self.clock = clock
        self.audit = AuditLog(self.cases_url, clock=clock)
        self.staff = StaffStore(self.cases_url, clock=clock)

    # --- the periods ---------------------------------------------------------------------
    def closed_case_days(self, force_id: str | None) -> int:
        """The retention period of the force a case belongs to (this deployment's if unknown)."""
        try:
            force = current_force(force_id) if force_id else self.force
        except ForceConfigError:
            force = self.force
        return force.retention_days("closed_case_days")

    @property
    def conversation_days(self) -> int:
        return self.force.retention_days("conversation_days")

    # --- the purge -----------------------------------------------------------------------
    def purge(self, actor: str = "system") -> Deleted:
        """Deletes everything past its retention period, closed cases first (so a chat whose case
        has just gone is judged as a chat without one). Audited with the counts."""
        deleted = Deleted()
        self._purge_closed_cases(deleted)
        self._purge_idle_conversations(deleted)
        now = self.clock.now()
        with self.cases_db.begin() as db:
            deleted.check_records = db.execute(
                sa.delete(check_records).where(check_records.c.expires_at < now)
            ).rowcount
        deleted.sign_in_records = self.staff.delete_stale_sign_in_records()
        self.audit.record("purge", actor, detail=deleted.describe())
        logger.info("retention purge: deleted %s", deleted.describe())
        return deleted

    def _purge_closed_cases(self, deleted: Deleted) -> None:
        now = self.clock.now()
        with self.cases_db.connect() as db:
            closed = db.execute(
                sa.select(cases.c.id, cases.c.force_id, cases.c.closed_at).where(
                    cases.c.status == "closed", cases.c.closed_at.is_not(None)
                )
            ).all()
        days: dict[str | None, int] = {}
        expired = []
        for row in closed:
            if row.force_id not in days:
                days[row.force_id] = self.closed_case_days(row.force_id)
            if aware(row.closed_at) < now - timedelta(days=days[row.force_id]):
                expired.append(row.id)
        self._delete_cases(expired, deleted)

    def _delete_cases(self, case_ids: list[str], deleted: Deleted) -> None:
        for start in range(0, len(case_ids), BATCH):
            chunk = case_ids[start : start + BATCH]
            with self.cases_db.begin() as db:
                deleted.case_notes += db.execute(
                    sa.delete(case_notes).where(case_notes.c.case_id.in_(chunk))
                ).rowcount
                deleted.case_messages += db.execute(
                    sa.delete(case_messages).where(case_messages.c.case_id.in_(chunk))
                ).rowcount
                deleted.cases += db.execute(sa.delete(cases).where(cases.c.id.in_(chunk))).rowcount

    def conversations_with_cases(self) -> set[str]:
        """Every conversation that has a case, open or closed, or one held in the outbox."""
        with self.cases_db.connect() as db:
            ids = db.execute(sa.select(cases.c.conversation_id)).scalars().all()
        return {i.split(CLOSED_SUFFIX)[0] for i in ids} | self.outbox.conversations()

    def _tracker_has_events(self) -> bool:
        return sa.inspect(self.tracker_db).has_table(events_table.name)

    def _purge_idle_conversations(self, deleted: Deleted) -> None:
        if not self._tracker_has_events():
            return  # Rasa has not stored anything yet
        cutoff = (self.clock.now() - timedelta(days=self.conversation_days)).timestamp()
        with self.tracker_db.connect() as db:
            idle = (
                db.execute(
                    sa.select(events_table.c.sender_id)
                    .group_by(events_table.c.sender_id)
                    .having(sa.func.max(events_table.c.timestamp) < cutoff)
                )
                .scalars()
                .all()
            )
        # read after the idle list: a case opened meanwhile is seen (and a message written
        # meanwhile is caught by the delete's own check below)
        keep = self.conversations_with_cases()
        later = events_table.alias("later")
        for start in range(0, len(idle), BATCH):
            with self.tracker_db.begin() as db:
                for sender in idle[start : start + BATCH]:
                    if sender in keep:
                        continue
                    # deleted only if still idle at this moment
                    gone = db.execute(
                        sa.delete(events_table).where(
                            events_table.c.sender_id == sender,
                            ~sa.exists().where(later.c.sender_id == sender, later.c.timestamp >= cutoff),
                        )
                    ).rowcount
                    if gone:
                        deleted.conversations += 1
                        deleted.chat_events += gone
                        deleted.conversation_ids.append(sender)

    # --- deletion on request -------------------------------------------------------------
    def case_conversation(self, case_id: str) -> str | None:
        with self.cases_db.connect() as db:
            found = db.execute(sa.select(cases.c.conversation_id).where(cases.c.id == case_id)).scalar()
        return found.split(CLOSED_SUFFIX)[0] if found else None

    def forget(self, conversation_id: str, by: str, even_if_open: bool = False) -> Deleted:
        """Deletes one person's conversation: its cases (transcripts and notes), its events in the
        tracker store and any case of it held in the outbox. The audit log gets one entry per
        case (or one if there was none) with the counts, never the text.

        A case staff are still working is refused unless even_if_open: close it first."""
        deleted = Deleted()
        mine = sa.or_(
            cases.c.conversation_id == conversation_id,
            cases.c.conversation_id.startswith(conversation_id + CLOSED_SUFFIX, autoescape=True),
        )
        with self.cases_db.connect() as db:
            found = db.execute(sa.select(cases.c.id, cases.c.status).where(mine)).all()
        still_open = [row.id for row in found if row.status in OPEN_STATUSES]
        if still_open and not even_if_open:
            raise CaseStillOpen(
                f"case {', '.join(still_open)} is still open: close it on the console first "
                "(or delete it anyway with --even-if-open)"
            )
        case_ids = [row.id for row in found]
        self._delete_cases(case_ids, deleted)
        if self._tracker_has_events():
            with self.tracker_db.begin() as db:
                deleted.chat_events = db.execute(
                    sa.delete(events_table).where(events_table.c.sender_id == conversation_id)
                ).rowcount
        deleted.held_cases = self.outbox.discard(conversation_id)
        if deleted.chat_events:
            deleted.conversations = 1
        deleted.conversation_ids.append(conversation_id)
        detail = f"on request, conversation {conversation_hash(conversation_id)}: {deleted.describe()}"
        for case_id in case_ids or [None]:
            self.audit.record("forget", by, case_id=case_id, detail=detail)
        return deleted

    # --- Rasa's memory -------------------------------------------------------------------
    async def drop_from_rasa(self, rasa: RasaAPI | None, conversation_ids: list[str]) -> str | None:
        """Makes Rasa forget the deleted conversations it holds in memory; None when done (or
        nothing to do), else what went wrong (the copies then go when Rasa restarts)."""
        if not self.rasa_caches_conversations or not conversation_ids:
            return None
        if rasa is None:
            return (
                "Rasa's API token is not known (RASA_API_TOKEN), so a running Rasa keeps its "
                "in-memory copy of the deleted conversations until it restarts"
            )
        try:
            for conversation_id in conversation_ids:
                await rasa.drop_cached(conversation_id)
        except RasaUnavailable as problem:
            return (
                f"Rasa could not be asked to drop its in-memory copy ({problem}); if it is running, "
                "the copy goes when it restarts"
            )
        return None


async def keep_purging(retention: Retention, rasa: RasaAPI | None, every_hours: float) -> None:
    """The staff console's schedule: a purge when it starts, then every `every_hours`."""
    while True:
        try:
            deleted = await asyncio.to_thread(retention.purge)
            problem = await retention.drop_from_rasa(rasa, deleted.conversation_ids)
            if problem:
                logger.warning("retention purge: %s", problem)
        except Exception:  # a failed run must not stop the next one
            logger.exception("retention purge failed; trying again in %s hours", every_hours)
        await asyncio.sleep(every_hours * 3600)

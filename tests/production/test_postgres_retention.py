"""The retention purge and deletion on request on real PostgreSQL: Rasa's own SQL tracker store
writing the chats, the cases database beside it, in databases of this test's own (the purge
deletes every idle chat, so it must not share the other tests' databases). FixedClock: a record
just inside its period stays, one just outside goes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.tracker_store import ThreadedSQLTrackerStore
from handoff.audit import AuditLog
from handoff.clock import FixedClock
from handoff.outbox import Outbox
from handoff.retention import Retention
from handoff.store import CaseStore

NOW = datetime(2031, 5, 12, 9, 0, tzinfo=timezone.utc)
SECOND, DAY = timedelta(seconds=1), timedelta(days=1)


def new_database(postgres_url: dict, name: str) -> str:
    server = f"postgresql://{postgres_url['user']}@{postgres_url['host']}:{postgres_url['port']}"
    with sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT").connect() as db:
        db.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        db.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return f"{server}/{name}"


async def test_the_purge_and_a_deletion_on_request_on_postgresql(postgres_url, tmp_path):
    tracker_url = new_database(postgres_url, "retention_rasa")
    cases_url = new_database(postgres_url, "retention_handoff")
    domain = Domain.load("domain.yml")
    tracker = ThreadedSQLTrackerStore(
        domain,
        dialect="postgresql",
        host=postgres_url["host"],
        port=postgres_url["port"],
        db="retention_rasa",
        username=postgres_url["user"],
    )

    async def chat(sender: str, at: datetime) -> None:
        state = DialogueStateTracker(sender, domain.slots)
        state.update_with_events(
            [UserUttered(f"{sender} says hi", timestamp=at.timestamp())], domain, override_timestamp=False
        )
        await tracker.save(state)

    clock = FixedClock(NOW)
    cases = CaseStore(cases_url, clock=clock)

    def case(conversation: str, opened: datetime, closed: datetime | None = None):
        clock.set(opened)
        made = cases.escalate(
            conversation,
            ["grooming"],
            "high",
            "queued",
            None,
            "dorset",
            ["hi"],
            [{"sender": "user", "text": "hi"}],
        )
        if closed:
            clock.set(closed)
            made = cases.close(made.id, 1, "Sue", "advice_given", "closing note")
        clock.set(NOW)
        return made

    await chat("inside", NOW - 7 * DAY + SECOND)
    await chat("outside", NOW - 7 * DAY - SECOND)
    await chat("open-case", NOW - 90 * DAY)
    open_one = case("open-case", NOW - 90 * DAY)
    await chat("closed-inside", NOW - 60 * DAY)
    kept = case("closed-inside", NOW - 60 * DAY, NOW - 30 * DAY + SECOND)
    await chat("closed-outside", NOW - 60 * DAY)
    gone = case("closed-outside", NOW - 60 * DAY, NOW - 30 * DAY - SECOND)

    retention = Retention(cases_url, tracker_url, "dorset", Outbox(tmp_path / "outbox"), clock)
    assert not retention.rasa_caches_conversations  # PostgreSQL: every read goes to the database
    deleted = retention.purge()
    assert sorted(deleted.conversation_ids) == ["closed-outside", "outside"]
    assert (deleted.cases, deleted.case_messages, deleted.case_notes) == (1, 1, 1)
    assert cases.get(gone.id) is None and cases.get(kept.id) and cases.get(open_one.id)
    for sender, there in (
        ("inside", True),
        ("outside", False),
        ("open-case", True),
        ("closed-inside", True),
        ("closed-outside", False),
    ):
        assert (await tracker.retrieve(sender) is not None) is there, sender

    forgotten = retention.forget("open-case", "dpo", even_if_open=True)
    assert (forgotten.cases, forgotten.chat_events) == (1, 1)
    assert cases.get(open_one.id) is None and await tracker.retrieve("open-case") is None
    assert [e.action for e in AuditLog(cases_url).entries()] == ["forget", "purge"]

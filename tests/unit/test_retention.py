"""Retention: the purge and deletion on request, against real SQLite files (Rasa's own tracker
store writing the chats, the case store the cases) and a FixedClock: a record just inside its
period stays, one just outside goes."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import advice.forces as forces
import handoff.rasa_api as rasa_api
from channels.tracker_store import ThreadedSQLTrackerStore
from handoff import purge
from handoff.audit import AuditLog
from handoff.clock import FixedClock
from handoff.db import audit_log, case_messages, case_notes
from handoff.outbox import Outbox
from handoff.retention import CaseStillOpen, Retention, conversation_hash
from handoff.store import CaseStore

DOMAIN = Domain.load("domain.yml")
NOW = datetime(2031, 5, 12, 9, 0, tzinfo=timezone.utc)
SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


@pytest.fixture
def world(tmp_path):
    clock = FixedClock(NOW)
    tracker_path = tmp_path / "tracker.db"
    cases_url = f"sqlite:///{tmp_path / 'handoff.db'}"
    outbox = Outbox(tmp_path / "outbox", clock=clock)
    return SimpleNamespace(
        clock=clock,
        tracker_path=tracker_path,
        tracker=ThreadedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tracker_path)),
        cases_url=cases_url,
        cases=CaseStore(cases_url, clock=clock),
        outbox=outbox,
        retention=Retention(cases_url, f"sqlite:///{tracker_path}", "dorset", outbox, clock),
    )


def said(sender: str, n: int) -> str:
    return f"{sender} wrote message {n}"


async def chat(world, sender: str, *times: datetime) -> None:
    """A conversation in Rasa's tracker store: a message and a reply at each time."""
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    events = []
    for n, at in enumerate(times):
        events += [
            UserUttered(said(sender, n), timestamp=at.timestamp()),
            BotUttered("ok", timestamp=at.timestamp()),
        ]
    tracker.update_with_events(events, DOMAIN, override_timestamp=False)
    await world.tracker.save(tracker)


def open_case(world, conversation: str, at: datetime, force_id: str = "dorset"):
    world.clock.set(at)
    try:
        return world.cases.escalate(
            conversation,
            ["coercion_or_blackmail"],
            "high",
            "queued",
            "young_person",
            force_id,
            [said(conversation, 0)],
            [{"sender": "user", "text": said(conversation, 0), "sent_at": at}],
        )
    finally:
        world.clock.set(NOW)


def closed_case(world, conversation: str, closed_at: datetime, force_id: str = "dorset"):
    case = open_case(world, conversation, closed_at - DAY, force_id)
    world.clock.set(closed_at)
    try:
        world.cases.add_note(case.id, 1, "Sue", f"note about {conversation}")
        return world.cases.close(case.id, 1, "Sue", "advice_given", f"closing note about {conversation}")
    finally:
        world.clock.set(NOW)


async def stored_texts(world, sender: str) -> list[str]:
    """What a freshly started Rasa reads back for the conversation (nothing if it is gone)."""
    tracker = await ThreadedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(world.tracker_path)).retrieve(
        sender
    )
    return [e.text for e in tracker.events if isinstance(e, UserUttered)] if tracker else []


def rows(world, table, **where) -> int:
    with sa.create_engine(world.cases_url).connect() as db:
        query = sa.select(sa.func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        return db.execute(query).scalar_one()


def audit_text(url: str) -> str:
    with sa.create_engine(url).connect() as db:
        return " ".join(str(value) for row in db.execute(sa.select(audit_log)) for value in row)


async def test_a_chat_without_a_case_goes_seven_days_after_its_last_message_not_a_second_sooner(world):
    await chat(world, "inside", NOW - 20 * DAY, NOW - 7 * DAY + SECOND)
    await chat(world, "outside", NOW - 20 * DAY, NOW - 7 * DAY - SECOND)
    deleted = world.retention.purge()
    assert (deleted.conversations, deleted.chat_events, deleted.conversation_ids) == (1, 4, ["outside"])
    assert await stored_texts(world, "outside") == []
    assert await stored_texts(world, "inside") == [said("inside", 0), said("inside", 1)]
    # a second later "inside" is past its seven days too
    world.clock.advance(2 * SECOND)
    assert world.retention.purge().conversation_ids == ["inside"]
    assert await stored_texts(world, "inside") == []


async def test_an_escalated_chat_is_kept_while_its_case_is_and_closed_cases_go_after_thirty_days(world):
    long_ago = NOW - 100 * DAY
    await chat(world, "open", long_ago)
    open_case(world, "open", long_ago)
    await chat(world, "held", long_ago)
    world.outbox.put(
        {"conversation_id": "held", "case_id": "feedfeedfeed", "reasons": ["grooming"], "status": "queued"}
    )
    await chat(world, "closed-inside", NOW - 60 * DAY)
    kept = closed_case(world, "closed-inside", NOW - 30 * DAY + SECOND)
    await chat(world, "closed-outside", NOW - 60 * DAY)
    gone = closed_case(world, "closed-outside", NOW - 30 * DAY - SECOND)
    # a case closed long ago whose person came back two days ago: the case goes, the new chat stays
    await chat(world, "came-back", NOW - 60 * DAY, NOW - 2 * DAY)
    old_of_returner = closed_case(world, "came-back", NOW - 31 * DAY)
    # a conversation whose old case was closed (and renamed) when a new one opened
    await chat(world, "again", NOW - 90 * DAY)
    first = closed_case(world, "again", NOW - 40 * DAY)
    second = open_case(world, "again", NOW - 35 * DAY)
    assert world.cases.get(first.id).conversation_id == f"again#closed-{first.id}"

    deleted = world.retention.purge()

    assert (deleted.cases, deleted.case_messages, deleted.case_notes) == (3, 3, 6)
    assert deleted.conversation_ids == ["closed-outside"]
    for case in (gone, old_of_returner, first):
        assert world.cases.get(case.id) is None
        assert rows(world, case_messages, case_id=case.id) == rows(world, case_notes, case_id=case.id) == 0
    assert world.cases.get(kept.id).messages and world.cases.get(second.id).is_open
    assert world.cases.for_conversation("open").is_open
    assert await stored_texts(world, "closed-outside") == []
    for sender in ("open", "held", "closed-inside", "again"):
        assert await stored_texts(world, sender) == [said(sender, 0)], sender
    assert await stored_texts(world, "came-back") == [said("came-back", 0), said("came-back", 1)]

    (entry,) = AuditLog(world.cases_url).entries()
    assert (entry.action, entry.actor, entry.detail) == ("purge", "system", deleted.describe())
    assert "1 conversation (2 chat events), 3 cases (3 messages, 6 notes)" in entry.detail


async def test_each_case_is_kept_for_its_own_forces_period(world, tmp_path, monkeypatch):
    folder = tmp_path / "forces"
    folder.mkdir()
    for path in forces.FORCES_DIR.glob("*.yml"):
        (folder / path.name).write_text(path.read_text())
    quick = yaml.safe_load((forces.FORCES_DIR / "dorset.yml").read_text())
    quick.update(id="quick", name="Quick Police", retention={"conversation_days": 2, "closed_case_days": 10})
    (folder / "quick.yml").write_text(yaml.safe_dump(quick))
    monkeypatch.setattr(forces, "FORCES_DIR", folder)
    forces.current_force.cache_clear()
    try:
        quick_case = closed_case(world, "quick-case", NOW - 10 * DAY - SECOND, force_id="quick")
        dorset_case = closed_case(world, "dorset-case", NOW - 10 * DAY - SECOND)
        await chat(world, "three-days", NOW - 3 * DAY)
        retention = Retention(
            world.cases_url, f"sqlite:///{world.tracker_path}", "quick", world.outbox, world.clock
        )
        assert (retention.conversation_days, retention.closed_case_days("quick")) == (2, 10)
        deleted = retention.purge()
        assert world.cases.get(quick_case.id) is None and world.cases.get(dorset_case.id) is not None
        assert deleted.conversation_ids == ["three-days"]
    finally:
        forces.current_force.cache_clear()


@pytest.mark.parametrize(
    "retention",
    [{"closed_case_days": 0}, {"closed_case_days": "30"}, {"conversation_days": True}, {"keep_forever": 1}],
)
def test_a_force_file_with_a_bad_retention_period_is_refused(tmp_path, retention):
    raw = yaml.safe_load((forces.FORCES_DIR / "dorset.yml").read_text())
    raw["retention"] = retention
    (tmp_path / "bad.yml").write_text(yaml.safe_dump(raw))
    with pytest.raises(forces.ForceConfigError, match="retention"):
        forces.load_force(tmp_path / "bad.yml")


def test_the_shipped_forces_state_their_retention_periods():
    for force_id in forces.available_forces():
        force = forces.current_force(force_id)
        assert force.raw["retention"] == {"conversation_days": 7, "closed_case_days": 30}


async def test_deletion_on_request_takes_every_case_the_chat_and_the_held_copy_and_is_audited_without_text(
    world,
):
    await chat(world, "person", NOW - DAY)
    first = closed_case(world, "person", NOW - 3 * DAY)
    second = open_case(world, "person", NOW - DAY)
    world.outbox.put(
        {"conversation_id": "person", "case_id": second.id, "reasons": ["grooming"], "status": "queued"}
    )
    await chat(world, "person2", NOW - DAY)  # shares the name's beginning: untouched
    neighbour = open_case(world, "person2", NOW - DAY)

    with pytest.raises(CaseStillOpen, match=second.id):
        world.retention.forget("person", "sue.super")
    assert world.cases.get(second.id) is not None and await stored_texts(world, "person")

    deleted = world.retention.forget("person", "sue.super", even_if_open=True)
    assert (deleted.cases, deleted.chat_events, deleted.held_cases) == (2, 2, 1)
    assert world.cases.get(first.id) is None and world.cases.get(second.id) is None
    assert await stored_texts(world, "person") == [] and world.outbox.entries() == []
    assert world.cases.get(neighbour.id) is not None
    assert await stored_texts(world, "person2") == [said("person2", 0)]

    entries = AuditLog(world.cases_url).entries(actor="sue.super")
    assert sorted(e.case_id for e in entries) == sorted([first.id, second.id])
    assert all(e.action == "forget" and conversation_hash("person") in e.detail for e in entries)
    logged = audit_text(world.cases_url)
    for text in (said("person", 0), "note about person", "closing note about person", "person "):
        assert text not in logged


async def run_cli(argv, clock) -> int:
    return await asyncio.to_thread(purge.main, argv, clock)  # it runs its own event loop


async def test_make_purge_and_make_forget_print_what_they_deleted(world, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("HANDOFF_DB_URL", world.cases_url)
    monkeypatch.setenv("TRACKER_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(world.tracker_path))
    monkeypatch.setenv("HANDOFF_OUTBOX_DIR", str(world.outbox.directory))
    monkeypatch.setenv("ADVICE_FORCE", "dorset")
    monkeypatch.setenv("RASA_API_TOKEN", "")
    monkeypatch.setattr(rasa_api, "LOCAL_TOKEN_FILE", tmp_path / "no-token-here")
    await chat(world, "stale-1", NOW - 8 * DAY)
    await chat(world, "stale-2", NOW - 9 * DAY, NOW - 8 * DAY)
    await chat(world, "fresh", NOW - DAY)
    closed_case(world, "closed", NOW - 31 * DAY)
    open_one = open_case(world, "open", NOW - DAY)

    assert await run_cli(["purge"], world.clock) == 0
    printed = capsys.readouterr()
    assert "chats without a case after 7 days, closed cases after 30 days" in printed.out
    assert "deleted 2 conversations (6 chat events), 1 case (1 message, 2 notes)" in printed.out
    assert "Rasa's API token is not known" in printed.err  # said, not silently skipped

    assert await run_cli(["forget", "--case", open_one.id, "--by", "ops"], world.clock) == 1
    assert "is still open" in capsys.readouterr().err and world.cases.get(open_one.id)
    code = await run_cli(["forget", "--case", open_one.id, "--by", "ops", "--even-if-open"], world.clock)
    assert code == 0 and world.cases.get(open_one.id) is None
    assert "Deleted conversation open: 0 conversations (0 chat events), 1 case" in capsys.readouterr().out
    assert [e.action for e in AuditLog(world.cases_url).entries(actor="ops (command line)")] == ["forget"]
    assert await run_cli(["forget", "--case", "000000000000"], world.clock) == 1


async def test_what_the_purge_deletes_is_overwritten_in_the_sqlite_files_not_left_in_free_pages(world):
    await chat(world, "gone-for-good", NOW - 8 * DAY)
    closed_case(world, "gone-for-good", NOW - 31 * DAY)
    await chat(world, "still-here", NOW - DAY)
    world.retention.purge()
    for engine in (world.tracker.engine, world.retention.tracker_db, world.cases.engine):
        engine.dispose()  # the last connection to close checkpoints the WAL into the file
    on_disk = b"".join(path.read_bytes() for path in world.tracker_path.parent.glob("*.db*"))
    assert b"still-here wrote message 0" in on_disk  # the check can see text that is there
    for text in (said("gone-for-good", 0), "note about gone-for-good", "closing note about gone-for-good"):
        assert text.encode() not in on_disk, text

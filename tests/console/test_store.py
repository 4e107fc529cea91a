"""The cases database: opening cases, copying transcripts, claims, hand back, closing, notes, and
a database from before the console (migrated in place). Real SQLite files."""

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from handoff.db import engine_for
from handoff.store import CaseStateError, CaseStore
from handoff.transcript import transcript


def msg(sender, text, second):
    return {
        "sender": sender,
        "text": text,
        "sent_at": datetime(2026, 1, 1, 12, 0, second, tzinfo=timezone.utc),
    }


def open_case(store, conversation="web-1", reasons=("adult_involved",), messages=None):
    return store.escalate(
        conversation,
        list(reasons),
        "high",
        "queued",
        "young_person",
        "dorset",
        ["hes 30 and wants pics"],
        messages or [msg("user", "hes 30 and wants pics", 0)],
    )


def test_copying_a_transcript_twice_adds_only_what_is_new(db_url):
    store = CaseStore(db_url)
    case = open_case(store)
    conversation = [
        msg("user", "hes 30 and wants pics", 0),
        msg("bot", "This is not your fault.", 1),
        msg("user", "what do i do", 2),
    ]
    assert store.transcripts.add(case.id, conversation) == 2
    assert store.transcripts.add(case.id, conversation) == 0
    assert store.transcripts.add(case.id, conversation + [msg("agent", "Hi, I'm Sam", 3)]) == 1
    got = store.get(case.id).messages
    assert [m["sender"] for m in got] == ["user", "bot", "user", "agent"]
    assert [m["text"] for m in store.messages_after(case.id, got[1]["id"])] == ["what do i do", "Hi, I'm Sam"]


def test_copies_from_different_sessions_and_processes_merge_in_time_order(db_url):
    store = CaseStore(db_url)
    latest_session = [msg("user", "hes 30 and wants pics", 40), msg("bot", "This is not your fault.", 41)]
    case = open_case(store, messages=latest_session)  # the action server's copy
    everything = [msg("user", "hi", 1), msg("bot", "Hello.", 2)] + latest_session
    assert store.transcripts.add(case.id, everything) == 2  # the console's copy
    assert [m["text"] for m in store.get(case.id).messages] == [
        "hi",
        "Hello.",
        "hes 30 and wants pics",
        "This is not your fault.",
    ]
    same_words_later = [msg("user", "hi", 50)]  # said again: a new message
    assert store.transcripts.add(case.id, same_words_later) == 1


def test_a_staff_message_in_the_tracker_reads_back_as_the_agents():
    events = [
        {"event": "user", "text": "hello", "timestamp": 1.0},
        {
            "event": "bot",
            "text": "Hi, I'm Sam",
            "timestamp": 2.0,
            "metadata": {"from_person": True, "staff_name": "Sam"},
        },
        {"event": "bot", "text": None, "data": {"custom": {"handoff": {}}}, "timestamp": 3.0},
        {"event": "pause", "timestamp": 4.0},
    ]
    assert [(m["sender"], m["author"], m["text"]) for m in transcript(events)] == [
        ("user", None, "hello"),
        ("agent", "Sam", "Hi, I'm Sam"),
    ]


def test_one_person_has_a_case_and_a_colleague_needs_a_supervisors_take_over(db_url):
    store = CaseStore(db_url)
    case = open_case(store)
    claimed = store.claim(case.id, staff_id=1)
    assert claimed.status == "connected" and claimed.claimed_by == 1
    with pytest.raises(CaseStateError):
        store.claim(case.id, staff_id=2)
    assert store.claim(case.id, staff_id=2, take_from_colleague=True).claimed_by == 2


def test_an_escalation_while_someone_is_in_the_chat_keeps_it_connected(db_url):
    store = CaseStore(db_url)
    case = open_case(store)
    store.claim(case.id, staff_id=1)
    again = store.escalate(
        "web-1", ["coercion_or_blackmail", "adult_involved"], "high", "queued", None, "dorset", [], []
    )
    assert again.id == case.id and again.status == "connected"
    assert again.new_reasons == ["coercion_or_blackmail"] and again.audience == "young_person"


def test_a_failed_claim_is_undone_exactly(db_url):
    store = CaseStore(db_url)
    before = open_case(store)
    store.claim(before.id, staff_id=1)
    store.undo(before)
    after = store.get(before.id)
    assert (after.status, after.claimed_by, after.claimed_at) == ("queued", None, None)


def test_hand_back_keeps_the_case_with_its_owner_and_close_records_the_outcome(db_url):
    store = CaseStore(db_url)
    case = open_case(store)
    store.claim(case.id, staff_id=1)
    handed = store.hand_back(case.id, "queued")
    assert handed.status == "queued" and handed.claimed_by == 1 and handed.is_open
    with pytest.raises(CaseStateError):
        store.hand_back(case.id, "queued")  # the bot is already answering
    closed = store.close(case.id, 1, "Sam", "referred_social_care", "Referred to the MASH.")
    assert (closed.status, closed.outcome, closed.closed_by) == ("closed", "referred_social_care", 1)
    assert closed.notes[-1]["kind"] == "closing" and closed.notes[-1]["text"] == "Referred to the MASH."
    assert store.open_cases() == [] and [c.id for c in store.closed_cases()] == [case.id]
    with pytest.raises(CaseStateError):
        store.claim(case.id, staff_id=1)
    with pytest.raises(CaseStateError):
        store.close(case.id, 1, "Sam", "advice_given", "again")


def test_an_unknown_outcome_is_refused(db_url):
    store = CaseStore(db_url)
    case = open_case(store)
    with pytest.raises(CaseStateError):
        store.close(case.id, 1, "Sam", "sorted", "done")
    assert store.get(case.id).is_open


def test_a_new_concern_after_closing_opens_a_new_case_and_the_old_keeps_its_record(db_url):
    store = CaseStore(db_url)
    first = open_case(store)
    store.close(first.id, 1, "Sam", "advice_given", "Advice given.")
    second = open_case(store, reasons=("self_harm_risk",))
    assert second.id != first.id and second.conversation == "web-1"
    old = store.get(first.id)
    assert old.status == "closed" and old.conversation == "web-1" and old.messages


def test_notes_are_kept_in_order(db_url):
    store = CaseStore(db_url)
    case = open_case(store)
    store.add_note(case.id, 1, "Sam", "Called the MASH.")
    store.add_note(case.id, 2, "Sue", "Checked.")
    assert [(n["author"], n["text"]) for n in store.get(case.id).notes] == [
        ("Sam", "Called the MASH."),
        ("Sue", "Checked."),
    ]


def test_everything_survives_a_restart(db_url):
    case = open_case(CaseStore(db_url))
    CaseStore(db_url).claim(case.id, staff_id=7)
    engine_for.cache_clear()  # a new process: new engine, same file
    reopened = CaseStore(db_url).get(case.id)
    assert reopened.status == "connected" and reopened.claimed_by == 7 and len(reopened.messages) == 1


def test_a_database_from_before_the_console_is_brought_up_to_date(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = sa.create_engine(url)
    with old.begin() as db:  # the schema of the first release, with one case and two messages
        db.execute(
            sa.text(
                "CREATE TABLE cases (id VARCHAR(16) PRIMARY KEY, conversation_id VARCHAR(255) "
                "NOT NULL UNIQUE, status VARCHAR(16) NOT NULL, risk_level VARCHAR(16) NOT NULL, "
                "reasons TEXT NOT NULL, audience VARCHAR(16), force_id VARCHAR(64), summary TEXT "
                "NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, "
                "closed_at DATETIME, outcome VARCHAR(32))"
            )
        )
        db.execute(
            sa.text(
                "CREATE TABLE case_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id "
                "VARCHAR(16) NOT NULL, sender VARCHAR(16) NOT NULL, text TEXT NOT NULL, "
                "sent_at DATETIME NOT NULL)"
            )
        )
        db.execute(
            sa.text(
                "INSERT INTO cases VALUES ('abc', 'web-old', 'queued', 'high', '[\"grooming\"]', "
                "NULL, 'dorset', '[]', '2026-01-01 10:00:00', '2026-01-01 10:00:00', NULL, NULL)"
            )
        )
        db.execute(
            sa.text(
                "INSERT INTO case_messages (case_id, sender, text, sent_at) VALUES "
                "('abc', 'user', 'first', '2026-01-01 10:00:00'), "
                "('abc', 'bot', 'second', '2026-01-01 10:00:01')"
            )
        )
    old.dispose()
    store = CaseStore(url)
    case = store.get("abc")
    assert [m["text"] for m in case.messages] == ["first", "second"] and case.claimed_by is None

    def stamp(second):
        return datetime(2026, 1, 1, 10, 0, second, tzinfo=timezone.utc)

    assert (
        store.transcripts.add(
            "abc",
            [
                {"sender": "user", "text": "first", "sent_at": stamp(0)},
                {"sender": "bot", "text": "second", "sent_at": stamp(1)},
                {"sender": "user", "text": "third", "sent_at": stamp(2)},
            ],
        )
        == 1
    )

"""The outbox and the case store's write path, against real SQLite files made read-only for
real (chattr +i for root, whose writes ignore file modes; chmod otherwise)."""

from __future__ import annotations

import json
import sqlite3
import stat
import time
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from handoff.clock import FixedClock
from handoff.outbox import (
    DIRECT_WRITERS,
    Outbox,
    describe,
    keep_draining,
    save_or_hold,
    stop_draining,
    write_or_hold,
)
from handoff.store import CaseStore
from tests.faults import read_only

AT = datetime(2026, 3, 2, 14, 30, tzinfo=timezone.utc)


def case(conversation="conv-1", case_id="abc123def456", reasons=("coercion_or_blackmail",), risk="high"):
    return {
        "conversation_id": conversation,
        "reasons": list(reasons),
        "risk_level": risk,
        "status": "queued",
        "audience": None,
        "force_id": "dorset",
        "summary": ["he says he'll post them unless i pay"],
        "transcript": [
            {"sender": "user", "text": "he says he'll post them unless i pay", "author": None, "sent_at": AT}
        ],
        "case_id": case_id,
    }


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "handoff.db"
    CaseStore(f"sqlite:///{path}").engine.dispose()  # tables made while writable
    return path


@pytest.fixture(autouse=True)
def no_threads_left():
    yield
    stop_draining()


def test_a_held_case_is_on_disk_privately_and_reads_back_the_same(tmp_path):
    outbox = Outbox(tmp_path / "outbox", clock=FixedClock(AT))
    path = outbox.put(case())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.directory.stat().st_mode) == 0o700
    assert not list(outbox.directory.glob(".holding-*"))  # written under a temporary name, then renamed
    (entry,) = outbox.entries()
    assert entry["transcript"][0]["sent_at"] == AT and entry["held_at"] == AT
    assert entry["case_id"] == "abc123def456"


def test_drain_keeps_the_case_while_storage_fails_and_writes_it_with_its_id_when_it_returns(tmp_path, db):
    outbox = Outbox(tmp_path / "outbox")
    outbox.put(case())
    store = CaseStore(f"sqlite:///{db}")
    with read_only(db):
        store.engine.dispose()  # connections open from now on are read-only
        assert outbox.drain(store) == 0
        assert len(outbox.paths()) == 1
    assert outbox.drain(store) == 1  # the pool was reset: a fresh connection can write
    assert outbox.paths() == []
    written = store.get("abc123def456")
    assert written.conversation_id == "conv-1" and written.reasons == ["coercion_or_blackmail"]
    assert [m["text"] for m in written.messages] == ["he says he'll post them unless i pay"]


def test_draining_the_same_case_twice_changes_nothing(tmp_path, db):
    outbox = Outbox(tmp_path / "outbox")
    store = CaseStore(f"sqlite:///{db}")
    outbox.put(case())
    outbox.put(case())  # e.g. two processes held the same disclosure
    assert outbox.drain(store) == 2
    assert len(store.open_cases()) == 1
    assert len(store.get("abc123def456").messages) == 1


async def test_save_or_hold_writes_when_it_can(tmp_path, db):
    store = CaseStore(f"sqlite:///{db}")
    saved = await save_or_hold(lambda: store, Outbox(tmp_path / "outbox"), case())
    assert saved.case is not None and saved.case.id == "abc123def456" and not saved.held


async def test_save_or_hold_holds_a_case_the_database_refuses_and_retries_until_written(
    tmp_path, db, caplog, monkeypatch
):
    monkeypatch.setenv("HANDOFF_OUTBOX_RETRY_SECONDS", "0.1")
    store = CaseStore(f"sqlite:///{db}")
    outbox = Outbox(tmp_path / "outbox")
    with read_only(db):
        store.engine.dispose()
        saved = await save_or_hold(lambda: store, outbox, case(), budget=1.0)
        assert saved.held and saved.case is None and saved.kept and saved.case_id == "abc123def456"
        assert len(outbox.paths()) == 1
        keep_draining(outbox, lambda: store)  # already running (save_or_hold started it): wakes it
        time.sleep(0.3)
        assert store.get("abc123def456") is None
    deadline = time.monotonic() + 10
    while outbox.paths() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert outbox.paths() == [] and store.get("abc123def456").reasons == ["coercion_or_blackmail"]
    loud = [r for r in caplog.records if "CASE NOT SAVED" in r.getMessage()]
    assert loud and loud[0].levelname == "CRITICAL" and "abc123def456" in loud[0].getMessage()
    assert "unless i pay" not in caplog.text  # what was disclosed never reaches the log


async def test_when_even_the_outbox_cannot_be_written_it_says_so(tmp_path, db, caplog):
    store = CaseStore(f"sqlite:///{db}")
    blocked = tmp_path / "outbox"
    blocked.write_text("a file where the folder should be")
    with read_only(db):
        store.engine.dispose()
        saved = await save_or_hold(lambda: store, Outbox(blocked), case())
    assert not saved.kept
    assert "CASE NOT SAVED AND NOT HELD" in caplog.text


def test_a_database_error_is_described_without_its_parameters(db):
    store = CaseStore(f"sqlite:///{db}")
    with read_only(db):
        store.engine.dispose()
        with pytest.raises(Exception) as failure:
            store.escalate(**case())
    text = describe(failure.value)
    assert "readonly" in text and "unless i pay" not in text and "INSERT" not in text


# --- a case only ever grows (a forged or stale update had lowered a case's risk) ---------------


def test_an_update_never_lowers_the_risk_nor_removes_a_reason_nor_a_summary_line(db):
    store = CaseStore(f"sqlite:///{db}")
    first = store.escalate(
        "conv-1",
        ["coercion_or_blackmail", "adult_involved"],
        "high",
        "queued",
        None,
        "dorset",
        ["he says he'll post them unless i pay"],
        [],
    )
    later = store.escalate(
        "conv-1", ["user_request"], "low", "queued", None, "dorset", ["can i talk to someone"], []
    )
    assert later.id == first.id
    assert later.reasons == ["coercion_or_blackmail", "adult_involved", "user_request"]
    assert later.risk_level == "high"
    assert later.summary == ["he says he'll post them unless i pay", "can i talk to someone"]
    assert later.new_reasons == ["user_request"]
    worse = store.escalate("conv-1", ["immediate_danger"], "critical", "queued", None, "dorset", [], [])
    assert worse.risk_level == "critical" and worse.reasons[0] == "immediate_danger"


def test_a_given_case_id_names_a_new_case_but_never_takes_another_cases_id(db):
    store = CaseStore(f"sqlite:///{db}")
    store.escalate(**case(conversation="conv-1", case_id="samesameid01"))
    other = store.escalate(**case(conversation="conv-2", case_id="samesameid01"))
    assert other.id != "samesameid01" and len(store.open_cases()) == 2


def test_held_entries_are_plain_json(tmp_path):
    outbox = Outbox(tmp_path / "outbox")
    path = outbox.put(case())
    body = json.loads(path.read_text())
    assert body["conversation_id"] == "conv-1" and body["transcript"][0]["sent_at"] == {
        "$datetime": AT.isoformat()
    }


def test_several_writers_opening_one_conversations_case_at_once_make_one_case(db):
    # a late turn's safety reply, the action server and an outbox drain can all open the same
    # new case in the same moment: the losers of the race add to the winner's case
    import threading

    store = CaseStore(f"sqlite:///{db}")
    start = threading.Barrier(6)
    ids, failures = [], []

    def open_it(n):
        start.wait()
        try:
            ids.append(store.escalate(**case(case_id=f"{n:012d}")).id)
        except Exception as problem:  # the race lost without a second attempt
            failures.append(problem)

    threads = [threading.Thread(target=open_it, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(set(ids)) == 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from cases")).scalar() == 1


def test_while_the_database_hangs_new_cases_go_to_the_outbox_at_once_and_none_is_lost(tmp_path, db):
    """A write that does not come back keeps its thread: once every write thread waits on the
    database, the next case is held without queueing behind them (no build-up in an outage)."""
    store = CaseStore(f"sqlite:///{db}")
    outbox = Outbox(tmp_path / "outbox")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock: writers wait
    try:
        waiting = [
            write_or_hold(lambda: store, outbox, case(f"c{n}", f"id{n}"), budget=0.2)
            for n in range(DIRECT_WRITERS)
        ]
        started = time.monotonic()
        skipped = write_or_hold(lambda: store, outbox, case("last", "id-last"), budget=5.0)
        took = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert all(saved.held and saved.case is None for saved in waiting)
    assert skipped.held and took < 1.0  # not the 5 s budget: it never waited on the database
    deadline = time.monotonic() + 10
    while (
        not all(store.for_conversation(f"c{n}") for n in range(DIRECT_WRITERS))
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)  # the two waiting writes land once the lock is gone
    outbox.drain(store)
    assert outbox.paths() == []
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT conversation_id FROM cases ORDER BY conversation_id")).all()
    # each once: the held copies merged into what the waiting writes wrote
    assert sorted(row[0] for row in rows) == sorted([f"c{n}" for n in range(DIRECT_WRITERS)] + ["last"])
    assert write_or_hold(lambda: store, outbox, case("again", "id-again"), budget=2.0).case is not None

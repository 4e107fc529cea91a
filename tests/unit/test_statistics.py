"""The statistics counts (handoff/statistics.py) and the statistics page's numbers
(console/statistics.py): what is kept, when each thing counts (once), UK days from the clock,
the range of days, and the CSV. Real SQLite files; the clock is always a FixedClock."""

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.advice import ActionAdvise
from advice.content import library
from console.statistics import (
    CSV_COLUMNS,
    RangeProblem,
    build_report,
    chosen_range,
    csv_text,
    published,
)
from handoff import statistics as statistics_module
from handoff.clock import FixedClock
from handoff.db import engine_for, statistics_counts
from handoff.statistics import MEASURES, Statistics, chat_turn, reply_band
from handoff.store import CaseStateError, CaseStore
from tests.faults import read_only

# 23:30 on 30 June in UTC is 00:30 on 1 July in the UK (BST)
LATE_JUNE_NIGHT = datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)


def rows(url: str) -> list[tuple]:
    with engine_for(url).connect() as db:
        return sorted(tuple(r) for r in db.execute(sa.select(statistics_counts)))


def counts(statistics: Statistics, measure: str, first=date(2000, 1, 1), last=date(2100, 1, 1)) -> dict:
    assert statistics.flush(10), "the counts were not written"
    return dict(statistics.totals(first, last)[measure])


@pytest.fixture
def clock():
    return FixedClock(LATE_JUNE_NIGHT)


@pytest.fixture
def statistics(own_cases_database, clock):
    return Statistics(own_cases_database, clock)


# --- what is kept --------------------------------------------------------------------------
def test_the_counts_table_holds_a_day_a_measure_a_key_and_a_count_and_nothing_else(statistics):
    statistics.add("reasons", "grooming")
    statistics.flush(10)
    columns = {c["name"]: c["type"] for c in sa.inspect(statistics.engine).get_columns("statistics_counts")}
    assert set(columns) == {"day", "measure", "key", "count"}
    assert isinstance(columns["day"], sa.Date) and not isinstance(columns["day"], sa.DateTime)
    assert isinstance(columns["count"], sa.Integer)
    assert columns["measure"].length <= 32 and columns["key"].length <= 48
    # one row per day and thing counted
    primary = sa.inspect(statistics.engine).get_pk_constraint("statistics_counts")["constrained_columns"]
    assert primary == ["day", "measure", "key"]


def test_only_keys_from_the_fixed_lists_are_ever_stored(statistics):
    conversation_id = "web-3f9a2c"
    statistics.add("topics", "someone called Tilly Brightwater sent me a pic")
    statistics.add("reasons", conversation_id)
    statistics.add("outcomes", "Closed by Sue")
    statistics.add("no_such_measure", "started")
    statistics.add("reasons", "grooming")
    statistics.flush(10)
    assert rows(statistics.url) == [(date(2026, 7, 1), "reasons", "grooming", 1)]
    # every key of every measure is a code, never words: nothing typed fits
    for measure in MEASURES.values():
        for key in measure.vocabulary():
            assert key.replace("_", "").isalnum() and key == key.lower(), (measure.name, key)


def test_a_count_goes_on_the_uk_day_of_the_clock(statistics, clock):
    statistics.add("conversations", "started")  # 00:30 on 1 July in the UK
    clock.set(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc))  # GMT: still 31 December
    statistics.add("conversations", "started")
    statistics.add("conversations", "started")
    statistics.flush(10)
    assert statistics.by_day("conversations", date(2026, 6, 30), date(2026, 7, 1)) == {
        date(2026, 6, 30): 0,
        date(2026, 7, 1): 1,
    }
    assert statistics.by_day("conversations", date(2026, 12, 31), date(2026, 12, 31)) == {
        date(2026, 12, 31): 2
    }
    assert statistics.today() == date(2026, 12, 31)


def test_counts_wait_while_the_database_cannot_be_written_and_are_written_once_after(tmp_path, monkeypatch):
    monkeypatch.setattr(statistics_module, "RETRY_SECONDS", 0.2)
    folder = tmp_path / "locked"
    folder.mkdir()
    statistics = Statistics(f"sqlite:///{folder / 'handoff.db'}", FixedClock(LATE_JUNE_NIGHT))
    with read_only(folder):  # the database file cannot even be made
        statistics.add("outcomes", "referred_police")
        statistics.add("outcomes", "referred_police")
        assert not statistics.flush(1.0)
    assert statistics.flush(10)
    assert rows(statistics.url) == [(date(2026, 7, 1), "outcomes", "referred_police", 2)]


def test_time_to_the_first_reply_is_kept_in_bands():
    assert [reply_band(timedelta(seconds=s)) for s in (0, 59, 60, 299, 300, 899, 900, 3599, 3600, 86400)] == [
        "under_1_min",
        "under_1_min",
        "1_to_5_min",
        "1_to_5_min",
        "5_to_15_min",
        "5_to_15_min",
        "15_to_60_min",
        "15_to_60_min",
        "over_60_min",
        "over_60_min",
    ]


# --- chat turns ----------------------------------------------------------------------------
def session_start(audience=None):
    events = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"}]
    if audience:
        events.append({"event": "slot", "name": "audience", "value": audience})
    return events + [{"event": "action", "name": "action_listen"}]


def user(text="hello"):
    return [
        {"event": "user", "text": text},
        {"event": "action", "name": "action_extract_slots"},
    ]


def answered(name="action_advise"):
    return [{"event": "action", "name": name}, {"event": "bot", "text": "..."}]


def test_a_conversation_counts_at_its_first_message_and_once_whichever_actions_answer():
    first = session_start() + user()
    assert chat_turn(first) == [("conversations", "started")]
    # action_escalate answered, then the threshold check started in the same turn: no second count
    assert chat_turn(first + answered("action_escalate")) == []
    # the next message is the same conversation
    assert chat_turn(first + answered() + [{"event": "action", "name": "action_listen"}] + user()) == []


def test_who_they_are_counts_once_the_first_turn_it_is_known():
    events = session_start() + user("what do i do") + answered()
    said = events + user("im a parent") + [{"event": "slot", "name": "audience", "value": "parent"}]
    assert chat_turn(said) == [("audiences", "parent")]
    later = said + answered() + user("thanks")
    assert chat_turn(later) == []
    # changing their answer later does not count them twice
    assert (
        chat_turn(later + answered() + user() + [{"event": "slot", "name": "audience", "value": "school"}])
        == []
    )


def test_a_new_session_is_a_new_conversation_and_carries_who_they_are():
    old = session_start() + user() + [{"event": "slot", "name": "audience", "value": "school"}] + answered()
    returning = old + session_start(audience="school") + user("back again")
    assert chat_turn(returning) == [("conversations", "started"), ("audiences", "school")]


async def test_the_advice_action_counts_the_topic_it_answered_and_the_conversation(own_cases_database):
    intent = "received_image"
    events = [
        *session_start(),
        {
            "event": "user",
            "text": "Someone sent me a nude of Marigold Featherstonehaugh",
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": []},
        },
    ]
    tracker = Tracker("web-7c1", {}, events[-1]["parse_data"], events, False, None, {}, "action_listen")
    await ActionAdvise().run(CollectingDispatcher(), tracker, {})
    statistics = Statistics(own_cases_database)
    assert counts(statistics, "topics") == {library().by_intent[intent]: 1}
    assert counts(statistics, "conversations") == {"started": 1}
    stored = " ".join(str(value) for row in rows(own_cases_database) for value in row)
    assert "Marigold" not in stored and "web-7c1" not in stored


# --- cases ---------------------------------------------------------------------------------
def escalate(store, reasons, case_id=None, conversation="web-1"):
    return store.escalate(
        conversation, list(reasons), "high", "unavailable", None, "dorset", [], [], case_id=case_id
    )


def test_a_case_and_each_reason_count_once_however_often_the_escalation_is_written(own_cases_database, clock):
    store = CaseStore(own_cases_database, clock)
    case = escalate(store, ["grooming"], case_id="a1b2c3d4e5f6")
    escalate(store, ["grooming"], case_id="a1b2c3d4e5f6")  # the outbox writes it again
    escalate(store, ["grooming", "adult_involved"])  # a new reason on the same case
    assert counts(store.statistics, "cases") == {"unavailable": 1}
    assert counts(store.statistics, "reasons") == {"grooming": 1, "adult_involved": 1}
    store.close(case.id, 1, "Sue", "referred_police", "Passed to the police.")
    escalate(store, ["grooming"])  # a new concern after closing opens a new case
    assert counts(store.statistics, "cases") == {"unavailable": 2}
    assert counts(store.statistics, "reasons") == {"grooming": 2, "adult_involved": 1}


def test_a_case_closes_once_and_its_outcome_counts_once(own_cases_database, clock):
    store = CaseStore(own_cases_database, clock)
    case = escalate(store, ["user_request"])
    store.close(case.id, 1, "Sue", "advice_given", "Advice given.")
    with pytest.raises(CaseStateError):
        store.close(case.id, 1, "Sue", "called_999", "Again.")
    assert counts(store.statistics, "outcomes") == {"advice_given": 1}


def test_the_first_staff_reply_counts_once_in_its_band(own_cases_database, clock):
    store = CaseStore(own_cases_database, clock)
    earlier = clock.now() - timedelta(hours=3)
    case = store.escalate(
        "web-2",
        ["grooming"],
        "high",
        "queued",
        None,
        "dorset",
        [],
        # a staff message from an earlier case of this chat is not a reply to this one
        [{"sender": "agent", "text": "Earlier case", "author": "Sam", "sent_at": earlier}],
    )
    assert counts(store.statistics, "first_reply") == {}
    reply = {"sender": "agent", "text": "Hi, I'm Alex.", "author": "Alex", "sent_at": case.created_at}
    reply["sent_at"] += timedelta(minutes=7)
    store.transcripts.add(case.id, [reply])
    store.transcripts.add(case.id, [reply])  # copied again by the other process
    later = dict(reply, text="Are you safe?", sent_at=reply["sent_at"] + timedelta(minutes=1))
    store.transcripts.add(case.id, [reply, later])
    assert counts(store.statistics, "first_reply") == {"5_to_15_min": 1}


# --- the page's numbers --------------------------------------------------------------------
def test_the_range_is_the_last_28_days_ending_today_by_the_clock(clock):
    today = Statistics("sqlite://", clock).today()
    assert today == date(2026, 7, 1)
    assert chosen_range(None, None, today) == (date(2026, 6, 4), date(2026, 7, 1))
    assert chosen_range("2026-03-01", "2026-03-31", today) == (date(2026, 3, 1), date(2026, 3, 31))
    assert chosen_range(None, "2026-03-31", today) == (date(2026, 3, 4), date(2026, 3, 31))
    for first, last in (("01/03/2026", None), ("2026-03-05", "2026-03-01"), ("2025-01-01", "2026-03-01")):
        with pytest.raises(RangeProblem):
            chosen_range(first, last, today)


def test_the_csv_shows_counts_under_five_as_under_five_and_leaves_out_not_said(statistics, clock):
    for _ in range(7):
        statistics.add("conversations", "started")
    for _ in range(5):
        statistics.add("reasons", "coercion_or_blackmail")
    statistics.add("reasons", "under_13")
    statistics.add("audiences", "parent")
    statistics.flush(10)
    today = statistics.today()
    report = build_report(statistics, *chosen_range(None, None, today))
    audiences = next(c for c in report.charts if c.id == "audiences")
    assert {b.key: b.count for b in audiences.bars} == {
        "young_person": 0,
        "parent": 1,
        "school": 0,
        "not_said": 6,
    }

    table = list(csv.reader(io.StringIO(csv_text(report))))
    assert tuple(table[0]) == CSV_COLUMNS
    by_key = {(r[0], r[1], r[3]): r for r in table[1:]}
    assert by_key[("conversations", "started", today.isoformat())][5] == "7"
    assert by_key[("conversations", "started", (today - timedelta(days=1)).isoformat())][5] == "0"
    assert by_key[("reasons", "coercion_or_blackmail", "2026-06-04")][2:] == [
        "Threats, blackmail or coercion (including sextortion)",
        "2026-06-04",
        "2026-07-01",
        "5",
    ]
    assert by_key[("reasons", "under_13", "2026-06-04")][5] == "<5"
    assert by_key[("audiences", "parent", "2026-06-04")][5] == "<5"
    assert ("audiences", "not_said", "2026-06-04") not in by_key
    assert len([r for r in table[1:] if r[0] == "conversations"]) == 28
    assert [published(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]

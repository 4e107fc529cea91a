"""A case's handoff status is stored once, in the cases database. Rasa keeps no copy (no slot);
the bot reads it there when a turn needs it, and falls back to the last handoff signal the chat
was given (docs/contracts.md, 2) only while the database cannot say."""

from datetime import datetime, timezone

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions import escalation
from actions.advice import ActionAdvise
from actions.escalation import last_signal_status
from advice.content import library
from handoff.clock import FixedClock
from handoff.db import PROJECT_ROOT
from handoff.staff import StaffStore
from handoff.store import CaseStore
from tests.unit.test_actions import tracker, user_event

BLACKMAIL = "he says he'll post my nudes unless i pay him"
# Dorset's placeholder hours (content/forces/dorset.yml): weekdays 08:00-20:00, London time
TUESDAY_NOON = datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)
TUESDAY_NIGHT = datetime(2026, 3, 3, 23, 30, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path, monkeypatch):
    s = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    monkeypatch.setattr(escalation, "case_store", lambda: s)
    return s


def signal(status: str, case_id: str) -> dict:
    """The handoff signal as Rasa keeps it in the tracker (a bot event with a custom payload)."""
    return {
        "event": "bot",
        "text": None,
        "data": {"custom": {"handoff": {"case_id": case_id, "status": status, "reasons": ["x"]}}},
    }


def chat_after_escalation(case_id: str, said_status: str):
    """The person repeats the concern their case was raised for; the chat was told `said_status`."""
    events = [user_event(BLACKMAIL, "threat_blackmail"), signal(said_status, case_id)]
    events.append(user_event(BLACKMAIL, "threat_blackmail"))
    return tracker(events, {"case_id": case_id, "handoff_reasons": ["coercion_or_blackmail"]})


async def repeated_concern_reply(chat, clock=None) -> str:
    action = ActionAdvise()
    if clock is not None:
        action.clock = clock
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, chat, {})
    return dispatcher.messages[0]["text"]


def escalate(store: CaseStore, status: str = "queued"):
    return store.escalate("conv-1", ["coercion_or_blackmail"], "high", status, None, "dorset", [], [])


def test_the_domain_keeps_no_copy_of_the_handoff_status():
    slots = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["slots"]
    assert not [name for name in slots if "status" in name]


async def test_the_bot_tells_the_status_the_cases_database_holds_not_what_the_chat_was_told(store):
    case = escalate(store)
    staff = StaffStore(store.url)
    alex = staff.create("alex", "Alex", "agent", "maple orbit ferry wind")
    store.claim(case.id, alex.id)
    store.hand_back(case.id, "unavailable")  # the console: nobody on duty when Alex left
    reply = await repeated_concern_reply(chat_after_escalation(case.id, said_status="connected"))
    assert reply.endswith(library().handoff_text("unavailable"))


async def test_a_case_still_in_the_outbox_is_told_by_its_last_handoff_signal(store):
    reply = await repeated_concern_reply(chat_after_escalation("heldheldheld", said_status="unavailable"))
    assert reply.endswith(library().handoff_text("unavailable"))


async def test_a_closed_case_says_whether_a_person_could_pick_up_now(store):
    case = escalate(store)
    store.close(case.id, 1, "Sue", "advice_given", "Advice given.")
    chat = chat_after_escalation(case.id, said_status="connected")
    # no console accounts: the force's staffed hours decide, at the time the test sets
    in_hours = await repeated_concern_reply(chat, FixedClock(TUESDAY_NOON))
    assert in_hours.endswith(library().handoff_text("queued"))
    out_of_hours = await repeated_concern_reply(chat, FixedClock(TUESDAY_NIGHT))
    assert out_of_hours.endswith(library().handoff_text("unavailable"))


def test_the_last_signal_is_the_latest_bot_message_carrying_one():
    events = [signal("queued", "c1"), {"event": "bot", "text": "hello"}, signal("connected", "c1")]
    assert last_signal_status(events) == "connected"
    assert last_signal_status([{"event": "bot", "text": "hello"}]) is None

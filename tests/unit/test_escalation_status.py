"""action_escalate's handoff status comes from the console's duty register once it exists, and
from the force's staffed hours before."""

from datetime import datetime, timedelta, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import escalation
from actions.escalation import ActionEscalate
from advice.forces import current_force
from handoff.clock import FixedClock
from handoff.staff import StaffStore
from handoff.store import CaseStore
from safeguarding import screen
from tests.console.conftest import AGENT, FAST_PASSWORD_COST, add_staff


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'handoff.db'}"


@pytest.fixture
def stores(db_url, monkeypatch):
    cases = CaseStore(db_url)
    monkeypatch.setattr(escalation, "case_store", lambda: cases)
    return cases, StaffStore(db_url, password_cost=FAST_PASSWORD_COST)


A_MONDAY = datetime(2031, 3, 3, tzinfo=timezone.utc)


def a_time(staffed: bool) -> datetime:
    """The first hour of a week that the force's own hours call staffed (or not)."""
    hours = (A_MONDAY + timedelta(hours=h) for h in range(7 * 24))
    return next(at for at in hours if current_force().staffed_at(at) == staffed)


async def escalate(sender="conv-1", at: datetime = A_MONDAY) -> str:
    text = "hes 30 and wants pics of me, im 14"
    event = {
        "event": "user",
        "text": text,
        "timestamp": 1700000000.0,
        "parse_data": {
            "intent": {"name": "asked_for_image", "confidence": 0.9},
            "entities": screen(text).as_entities(),
        },
    }
    dispatcher = CollectingDispatcher()
    action = ActionEscalate()
    action.clock = FixedClock(at)
    await action.run(
        dispatcher, Tracker(sender, {}, event["parse_data"], [event], False, None, {}, "action_listen"), {}
    )
    return dispatcher.messages[-1]["custom"]["handoff"]["status"]


async def test_without_console_accounts_the_force_hours_decide(stores):
    assert await escalate(at=a_time(staffed=True)) == "queued"
    assert await escalate("conv-2", at=a_time(staffed=False)) == "unavailable"


async def test_with_accounts_but_nobody_on_duty_the_young_person_is_told_nobody_is_there(stores, db_url):
    add_staff(db_url, AGENT)
    assert await escalate() == "unavailable"


async def test_with_someone_on_duty_a_person_is_coming(stores, db_url):
    add_staff(db_url, AGENT)
    _, staff = stores
    staff.set_duty(staff.all()[0].id, True)
    assert await escalate() == "queued"


async def test_a_claimed_case_stays_connected_when_new_reasons_come(stores, db_url):
    add_staff(db_url, AGENT)
    cases, staff = stores
    await escalate()
    case = cases.for_conversation("conv-1")
    cases.claim(case.id, staff.all()[0].id)
    assert await escalate() == "connected"

"""What the widget says before the first message about when a person is there: the duty register
once the console has accounts, confirmed staffed hours otherwise, and never a guess."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from advice.forces import Force, current_force
from handoff.clock import FixedClock
from handoff.staff import StaffStore
from widget.availability import availability

WEDNESDAY_NOON = datetime(2031, 1, 8, 12, 0, tzinfo=timezone.utc)
SUNDAY_NOON = datetime(2031, 1, 12, 12, 0, tzinfo=timezone.utc)  # Dorset's placeholder hours: closed


@pytest.fixture
def clock():
    return FixedClock(WEDNESDAY_NOON)


@pytest.fixture
def staff(tmp_path, clock):
    return StaffStore(f"sqlite:///{tmp_path / 'handoff.db'}", password_cost=14, clock=clock)


def confirmed(force: Force) -> Force:
    raw = dict(force.raw, handoff=dict(force.raw["handoff"], confirmed=True))
    return Force(raw)


def test_unconfirmed_hours_and_no_console_say_nothing_they_do_not_know(staff, clock):
    answer = availability(current_force("dorset"), staff, clock)
    assert answer["person_on_duty"] is None and answer["hours_text"] is None
    assert answer["team_name"] == "Dorset Police"


def test_confirmed_hours_decide_while_the_console_has_no_accounts(staff, clock):
    force = confirmed(current_force("dorset"))
    assert availability(force, staff, clock)["person_on_duty"] is True
    assert "Monday to Friday" in availability(force, staff, clock)["hours_text"]
    clock.set(SUNDAY_NOON)
    assert availability(force, staff, clock)["person_on_duty"] is False


def test_the_duty_register_decides_once_the_console_is_used(staff, clock):
    force = confirmed(current_force("dorset"))  # in hours, but nobody on duty
    member = staff.create("alex.agent", "Alex", "agent", "maple orbit ferry wind")
    assert availability(force, staff, clock)["person_on_duty"] is False
    staff.set_duty(member.id, True)
    assert availability(current_force("dorset"), staff, clock)["person_on_duty"] is True
    clock.advance(timedelta(minutes=5))  # their console was closed: no longer counted
    assert availability(force, staff, clock)["person_on_duty"] is False


def test_an_unreadable_register_falls_back_to_what_is_known(clock):
    class Broken:
        def on_duty_count(self):
            raise OSError("database gone")

    assert availability(current_force("dorset"), Broken(), clock)["person_on_duty"] is None

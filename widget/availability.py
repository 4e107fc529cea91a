"""What the chat says, before the first message, about when a person is there.

Honest by construction: the staff console's duty register decides once the console has accounts
(only consoles open in the last minutes count, handoff/staff.py); without it, the force's staffed
hours decide only when the force has confirmed them. Otherwise the chat says it can't tell yet.
"""

from __future__ import annotations

import logging

from advice.forces import Force
from handoff.clock import Clock
from handoff.staff import StaffStore

logger = logging.getLogger(__name__)


def availability(force: Force, staff: StaffStore | None, clock: Clock) -> dict:
    """{"force_name", "team_name", "person_on_duty": True | False | None (can't tell),
    "hours_text": the confirmed staffed hours, or None}."""
    on_duty = None
    if staff is not None:
        try:
            on_duty = staff.on_duty_count()
        except Exception:  # the register can't be read: say nothing we don't know
            logger.exception("could not read the duty register for the chat's availability")
    if on_duty is not None:
        person = on_duty > 0
    elif force.hours_confirmed:
        person = force.staffed_at(clock.now())
    else:
        person = None
    return {
        "force_name": force.name,
        "team_name": force.placeholders()["team_name"],
        "person_on_duty": person,
        "hours_text": force.hours_text() if force.hours_confirmed else None,
    }

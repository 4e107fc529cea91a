"""action_escalate: a message raised a safeguarding concern.

Gives the safety advice for each new reason, most urgent first; says honestly that a trained
person will read the conversation, and when; opens or updates the conversation's case; and
sends the handoff signal (docs/contracts.md: custom.handoff with case_id, status and reasons).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from advice.content import library
from advice.forces import current_force
from advice.safety_advice import advice_reasons
from handoff.availability import handoff_status
from handoff.case_summary import raising_messages
from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.outbox import Outbox, new_case_id, read_or_none, save_or_hold
from handoff.staff import StaffStore
from handoff.statistics import Statistics, count_chat_turn
from handoff.store import CaseStore
from handoff.transcript import transcript
from safeguarding import assess, ordered, risk_level, turns_from_events
from safeguarding.assessment import adult_writer


@lru_cache(maxsize=1)
def case_store() -> CaseStore:
    return CaseStore()


def staff_store() -> StaffStore:
    # the console's duty register lives in the cases database (engines are shared per URL)
    return StaffStore(case_store().url)


MORE_ADVICE_PAYLOAD = "/more_advice"


class ActionEscalate(Action):
    clock: Clock = SYSTEM_CLOCK  # a test sets its own

    def name(self) -> str:
        return "action_escalate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lib, force = library(), current_force()
        # counts are written in the background: never in the way of the safety advice
        count_chat_turn(Statistics(), tracker.events, at=self.clock.now())
        turns = turns_from_events(tracker.events)
        reasons = ordered(assess(turns))
        # an adult writing about what they did to someone under 18 gets the advice for them
        advice_audience = {"adult_involved": "adult_writer"} if adult_writer(turns) else {}
        already = list(tracker.get_slot("handoff_reasons") or [])
        new = [r for r in reasons if r not in already] or reasons
        audience = tracker.get_slot("audience")
        # None (the staffed hours decide) if the duty register cannot be read in time
        on_duty = await read_or_none(lambda: staff_store().on_duty_count(), "the duty register")
        status = handoff_status(force.staffed_at(self.clock.now()), on_duty)

        # Saving: written within its time budget, or held in the outbox (handoff/outbox.py), so the
        # safety advice below never waits on, or depends on, the cases database.
        saved = await save_or_hold(
            case_store,
            Outbox(clock=self.clock),
            {
                "conversation_id": tracker.sender_id,
                "reasons": reasons,
                "risk_level": risk_level(reasons),
                "status": status,
                "audience": audience,
                "force_id": force.id,
                "summary": raising_messages(tracker.events),
                "transcript": transcript(tracker.events),
                "case_id": new_case_id(tracker.sender_id),
            },
        )

        parts = [lib.reason_text(r, advice_audience.get(r, audience)) for r in advice_reasons(new)]
        if saved.case is not None:
            # phone-sized: a short first message (the most urgent step, and that a person will
            # read this), then that reason's steps, then when and what happens; the other
            # reasons' advice is one button away
            lead, _, steps = parts[0].partition("\n")
            passed_on = lib.handoff_text("passed_on" if "999" in lead else "passed_on_with_999")
            dispatcher.utter_message(text=lead + "\n" + passed_on)
            if steps.strip():
                dispatcher.utter_message(text=steps.strip())
            closing = [lib.handoff_text(saved.status)]
            if not already:
                closing.append(lib.handoff_text("what_happens", audience=audience))
            more = [{"title": "More advice", "payload": MORE_ADVICE_PAYLOAD}] if len(parts) > 1 else None
            dispatcher.utter_message(text="\n\n".join(closing), buttons=more)
        else:  # not written: say so honestly, with 999, Childline and "try again"
            problem = "service_problem_held" if saved.held else "service_problem_not_passed_on"
            parts.append(lib.answers[problem].render(audience).text)
            dispatcher.utter_message(text="\n\n".join(parts))
        if not saved.kept:
            return []  # nothing kept anywhere: the next message escalates (and tries) again
        # a held case is written under the id given here (or merges into the conversation's open one)
        case_id = saved.case_id if saved.case is not None else (tracker.get_slot("case_id") or saved.case_id)
        dispatcher.utter_message(
            json_message={"handoff": {"case_id": case_id, "status": saved.status, "reasons": reasons}}
        )
        # the status is not kept in a slot: the cases database holds it (current_status)
        return [SlotSet("handoff_reasons", reasons), SlotSet("case_id", case_id)]


def last_signal_status(events: list[dict]) -> str | None:
    """The status of the latest handoff signal the chat was sent (docs/contracts.md, 2)."""
    for event in reversed(events):
        handoff = ((event.get("data") or {}).get("custom") or {}).get("handoff") or {}
        if event.get("event") == "bot" and handoff.get("status"):
            return handoff["status"]
    return None


async def current_status(tracker: Tracker, clock: Clock = SYSTEM_CLOCK) -> str:
    """What the bot tells the person about the handoff now.

    The cases database is the one record of a case's status (the console changes it there when
    a person joins or leaves). A closed case: whether a person could pick up a new one now. If the
    database cannot be read in time, or the case is still in the outbox: the last handoff signal
    the chat was given."""
    case_id = tracker.get_slot("case_id")
    status = (
        await read_or_none(lambda: case_store().status(case_id), "the case's status") if case_id else None
    )
    if status == "closed":
        on_duty = await read_or_none(lambda: staff_store().on_duty_count(), "the duty register")
        return handoff_status(current_force().staffed_at(clock.now()), on_duty)
    return status or last_signal_status(tracker.events) or "queued"

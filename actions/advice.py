"""action_advise: answers the latest message from the advice content.

It asks who the person is only when the answer depends on it (`needs_audience`) and the
audience is not known yet; the answer they were waiting for follows as soon as they say.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import current_status
from actions.replies import send
from advice.content import MORE_TITLE, MORE_TOPIC_ENTITY, Answer, Reply, library
from advice.follow_up import (
    OTHER_AGE_KNOWN_SLOT,
    may_ask_other_age,
    other_age_known,
    risk_advice_without_concern,
)
from advice.safety_advice import more_advice
from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.statistics import Statistics, count_chat_turn
from safeguarding.assessment import ASKED_OTHER_AGE_SLOT, INTENT_REASONS

# Intents the widget or channel sends for input that cannot be answered as written.
INPUT_PROBLEMS = {
    "empty_message": "empty_message",
    "attachment_refused": "attachment_refused",
    "too_long": "too_long",
    "not_english": "not_english",
    "unclear": "nlu_fallback",
    "nlu_fallback": "nlu_fallback",
}


class ActionAdvise(Action):
    clock: Clock = SYSTEM_CLOCK  # a test sets its own

    def name(self) -> str:
        return "action_advise"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        events, given = await self._answer(dispatcher, tracker, self.clock)
        # the topic counted is the advice actually given (not "who are you?" before it)
        topic = given.id if given is not None and given.id in library().topics else None
        count_chat_turn(Statistics(), tracker.events, topic=topic)
        return events

    @staticmethod
    async def _answer(
        dispatcher: CollectingDispatcher, tracker: Tracker, clock: Clock = SYSTEM_CLOCK
    ) -> tuple[list[dict[str, Any]], Answer | None]:
        """Sends the answer; returns the events and the content answer given, if one was."""
        lib = library()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        audience = tracker.get_slot("audience")
        pending = tracker.get_slot("pending_topic")

        # the concerns this conversation has raised: some answers change once there is one
        # ("am I in trouble?" from someone being blackmailed)
        reasons = tracker.get_slot("handoff_reasons") or []

        if intent == "identify":
            # the answer they were waiting for, or what the service can do for who they are
            answer = lib.answers.get(pending) if pending else lib.answers["audience_noted"]
            send(dispatcher, answer.render(audience, reasons=reasons))
            return [SlotSet("pending_topic", None)], answer

        more_topic = next(
            (
                e.get("value")
                for e in tracker.latest_message.get("entities") or []
                if e.get("entity") == MORE_TOPIC_ENTITY
            ),
            None,
        )
        if intent == "more_advice" and more_topic in lib.answers:  # "Tell me more" on a long answer
            reply = lib.answers[more_topic].render(audience, reasons=reasons)
            rest = [b for b in reply.buttons if b["title"] != MORE_TITLE]
            send(dispatcher, Reply(reply.more or reply.text, rest, reply.links))
            return [], None  # the same topic: counted when it was first given
        if intent == "more_advice":  # the escalation's "More advice" button
            text = more_advice(tracker.get_slot("handoff_reasons") or [], audience)
            send(
                dispatcher, lib.answers["nlu_fallback"].render(audience) if not text else Reply(text, [], [])
            )
            return [], None

        if intent in INTENT_REASONS and tracker.get_slot("case_id"):
            # already escalated for this reason: repeat the safety advice and where the case is
            reason = INTENT_REASONS[intent]
            status = await current_status(tracker, clock)
            dispatcher.utter_message(
                text=lib.reason_text(reason, audience) + "\n\n" + lib.handoff_text(status)
            )
            return [], None

        answer_id = INPUT_PROBLEMS.get(intent or "")
        if risk_advice_without_concern(intent, tracker.latest_message, tracker.slots):
            answer_id = "tell_me_more"
        answer = lib.answers.get(answer_id) if answer_id else lib.for_intent(intent)
        if answer is None:
            answer = lib.answers["nlu_fallback"]
        if answer.needs_audience and not audience:
            send(dispatcher, lib.answers["ask_audience"].render(None))
            return [SlotSet("pending_topic", answer.id)], None
        reply = answer.render(audience, reasons=reasons)
        runner_up = _runner_up_button(tracker.latest_message, answer.id)
        if runner_up and all(b["payload"] != runner_up["payload"] for b in reply.buttons):
            reply = Reply(reply.text, [runner_up] + reply.buttons, reply.links, reply.more)
        send(dispatcher, reply)
        events = [SlotSet("pending_topic", None)] if pending else []
        if may_ask_other_age(intent, tracker.slots):
            if other_age_known(tracker.events):
                events.append(SlotSet(OTHER_AGE_KNOWN_SLOT, True))  # never read the whole chat again for it
            else:
                send(dispatcher, lib.answers["ask_other_age"].render(audience))
                events.append(SlotSet(ASKED_OTHER_AGE_SLOT, True))
        return events, answer


# When the second intent is nearly as likely as the first, offer it first among the buttons.
CLOSE_SECOND = 0.15


def _runner_up_button(latest_message: dict, answered: str) -> dict | None:
    ranking = [r for r in latest_message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    if len(ranking) < 2 or ranking[0]["confidence"] - ranking[1]["confidence"] > CLOSE_SECOND:
        return None
    lib = library()
    second = lib.for_intent(ranking[1]["name"])
    title = lib.button_titles.get(f"/{ranking[1]['name']}")
    if second is None or second.id == answered or not title:
        return None
    return {"title": f"Or: {title}", "payload": f"/{ranking[1]['name']}"}

"""The schools' guided check (school_check/) in Rasa: a form (`threshold_check_form`) whose only
required slot is the decision.

- action_threshold_start        says how the check works and starts it afresh
- validate_threshold_check_form feeds every message to the engine and fills the decision
                                once the check is complete
- action_ask_threshold_decision asks the engine's next question, with buttons bound to it
- action_threshold_result       the result, the record as text and the link to its PDF
- action_threshold_stop         "stop": ends the check and forgets its answers
- action_threshold_reopen       a button pressed after the result ("Change an answer", or an
                                earlier question's answer): the check runs again on its answers

The engine's state lives in the slot `check_answers`. A message that answers nothing and is a
question the advice content covers, or "stop", makes the form step aside (the validation
returns nothing, so Rasa rejects the form) and the rules in data/school_check/rules.yml take
over; after an answer the form asks its question again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from advice.forces import current_force
from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.statistics import THRESHOLD_CHECK_TOPIC, Statistics, count_chat_turn
from safeguarding.facts import MessageFacts
from school_check import engine
from school_check.decision_record import build_record, format_answer, result_summary
from school_check.engine import BUTTON, REFER_NOW, REVIEW, UNDER_13, CheckState, Step
from school_check.reading import SHARING_VALUES, Utterance, allowed_values
from school_check.record_store import record_store
from school_check.wording import Question, Wording, fill, wording

log = logging.getLogger(__name__)

FORM = "threshold_check_form"
CHECK_SLOT = "check_answers"
DECISION_SLOT = "threshold_decision"
RECORD_SLOT = "check_record_token"
OPTION_ENTITY = "check_option"
OPTION_INTENT = "check_choice"
STOP_INTENT = "stop_check"
# Questions the advice content answers; mid-check the form steps aside for them
# (data/school_check/rules.yml).
SIDE_QUESTIONS = {
    "school_thresholds",
    "school_what_to_do",
    "school_image_handling",
    "support_services",
    "police_response",
    "report_to_police",
    "law_question",
    "criminal_record",
    "take_down",
    "privacy",
    "bot_identity",
    "help_menu",
}


def option_payload(option: str) -> str:
    return f"/{OPTION_INTENT}" + json.dumps({OPTION_ENTITY: option}, separators=(",", ":"))


def record_url(token: str) -> str:
    # relative by default: the chat page's own server (widget/serve.py) serves the records
    return f"{os.environ.get('RECORDS_BASE_URL', '').rstrip('/')}/records/{token}.pdf"


def utterance_from(message: dict) -> Utterance:
    entities = message.get("entities") or []
    option = next((str(e.get("value")) for e in entities if e.get("entity") == OPTION_ENTITY), None)
    return Utterance(
        text=message.get("text") or "",
        intent=(message.get("intent") or {}).get("name"),
        facts=MessageFacts.from_entities(entities),
        option=option,
    )


def actions_since_user(events: list[dict]) -> list[str]:
    """Actions that have already run for the latest user message."""
    names: list[str] = []
    for event in reversed(events):
        if event.get("event") == "user":
            break
        if event.get("event") == "action":
            names.append(event.get("name"))
    return names


def question_buttons(question: Question, words: Wording) -> list[dict]:
    if question.id == "sharing":
        labels = words.raw["sharing_options"]
        return [
            {"title": labels[v], "payload": option_payload(f"answer:sharing:{v}")} for v in SHARING_VALUES
        ]
    values = words.raw["values"]
    return [
        {"title": values[v], "payload": option_payload(f"answer:{question.id}:{v}")}
        for v in allowed_values(question.id)
    ]


def question_text(question: Question, state: CheckState) -> str:
    force, ages = current_force(), engine.known_ages(state)
    if question.id == "under_13_sexual_acts" and any(a < UNDER_13 for a in ages):
        return fill(question.extra["text_when_under_13"], force)
    text = fill(question.text, force)
    if question.id == "ages" and ages:
        text += "\n" + fill(question.extra["so_far"], force, ages=", ".join(map(str, ages)))
    return text


def acknowledgements(before: CheckState, step: Step, words: Wording) -> list[str]:
    """Says how a message was read, so the person can see (and correct) it."""
    force, notes = current_force(), []
    for change in step.changes:
        if change.new is None:
            continue
        if change.new.how == BUTTON and change.question == before.asked:
            continue  # the button they pressed already says it
        question = words.question(change.question)
        value = format_answer(change.question, change.new, words)
        if change.question == "ages":
            notes.append(words.text("notes.ages_noted", force, ages=value))
        elif change.old is not None and change.old.value != change.new.value:
            notes.append(
                words.text(
                    "notes.changed",
                    force,
                    label=question.label,
                    old=format_answer(change.question, change.old, words),
                    value=value,
                )
            )
        else:
            notes.append(words.text("notes.noted", force, label=question.label, value=value))
    if step.reopened:
        notes.append(words.text("notes.reopened", force, label=words.question(step.reopened).label))
    if step.adult_kept_by_ages:
        notes.append(words.text("notes.adult_from_ages", force))
    if step.first_referral:
        first = words.question(engine.decide(step.state).met[0])
        notes.append(words.text("notes.threshold_met", force, number=first.threshold, label=first.label))
    risk = [c for c in step.changes if c.question == "immediate_risk" and c.new and c.new.value == "yes"]
    if risk:
        notes.append(words.text("notes.risk_now", force))
    return notes


def not_understood(question: str | None, words: Wording) -> str:
    key = {"ages": "ages_not_understood", "sharing": "sharing_not_understood"}.get(
        question or "", "not_understood"
    )
    return words.text(f"notes.{key}", current_force())


def _starting_events(tracker: Tracker, state: CheckState) -> list[dict]:
    events = [SlotSet(CHECK_SLOT, state.to_slot()), SlotSet(DECISION_SLOT, None)]
    if not tracker.get_slot("audience"):
        events.append(SlotSet("audience", "school"))  # only staff use the check
    return events


class ActionThresholdStart(Action):
    def name(self) -> str:
        return "action_threshold_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=wording().text("intro", current_force()))
        count_chat_turn(Statistics(), tracker.events, topic=THRESHOLD_CHECK_TOPIC)
        return _starting_events(tracker, CheckState())


class ActionThresholdReopen(Action):
    def name(self) -> str:
        return "action_threshold_reopen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        state = CheckState.from_slot(tracker.get_slot(CHECK_SLOT))
        if not state.answers:
            dispatcher.utter_message(text=wording().text("intro", current_force()))
        return _starting_events(tracker, replace(state, asked=None, reviewing=False, result_now=False))


class ValidateThresholdCheckForm(Action):
    """The form's validation: every message goes to the engine."""

    def name(self) -> str:
        return f"validate_{FORM}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        words = wording()
        state = CheckState.from_slot(tracker.get_slot(CHECK_SLOT))
        utterance = utterance_from(tracker.latest_message)
        already = actions_since_user(tracker.events)
        step = engine.apply(state, utterance, words)
        if not step.understood:
            if "action_advise" in already:
                return []  # back from answering their question: the form asks again
            if utterance.intent in SIDE_QUESTIONS or utterance.intent == STOP_INTENT:
                return []  # nothing for the check: the form steps aside for the rules
            quiet = (
                state.asked is None
                or "action_escalate" in already
                or utterance.intent == "start_threshold_check"
            )
            if not quiet:
                dispatcher.utter_message(text=not_understood(state.asked, words))
            return [SlotSet(CHECK_SLOT, state.to_slot())]  # keeps the form going: it asks again
        notes = acknowledgements(state, step, words)
        if notes:
            dispatcher.utter_message(text="\n".join(notes))
        events = [SlotSet(CHECK_SLOT, step.state.to_slot())]
        if engine.complete(step.state, words):
            events.append(SlotSet(DECISION_SLOT, engine.decide(step.state).outcome))
        return events


class ActionAskThresholdDecision(Action):
    """Asks the next unanswered question (the form's way of asking for its one slot)."""

    def name(self) -> str:
        return "action_ask_threshold_decision"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        words, force = wording(), current_force()
        state = CheckState.from_slot(tracker.get_slot(CHECK_SLOT))
        question = engine.next_question(state, words)
        if question is None:
            return []
        buttons = words.raw["buttons"]
        if question == REVIEW:
            answered = engine.resolved(state)
            choices = [
                {"title": q.label, "payload": option_payload(f"change:{q.id}")}
                for q in words.questions
                if q.id in answered
            ]
            choices.append(
                {"title": words.text("buttons.no_change", force), "payload": option_payload("finish")}
            )
            dispatcher.utter_message(text=words.text("review_question", force), buttons=choices)
            return [SlotSet(CHECK_SLOT, replace(state, asked=REVIEW).to_slot())]
        choices = question_buttons(question, words)
        if engine.decide(state).outcome == REFER_NOW:
            choices.append({"title": buttons["result_now"], "payload": option_payload("finish")})
        dispatcher.utter_message(text=question_text(question, state), buttons=choices)
        return [SlotSet(CHECK_SLOT, replace(state, asked=question.id).to_slot())]


class ActionThresholdResult(Action):
    clock: Clock = SYSTEM_CLOCK  # a test sets its own

    def name(self) -> str:
        return "action_threshold_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        words, force = wording(), current_force()
        state = CheckState.from_slot(tracker.get_slot(CHECK_SLOT))
        decided_at = self.clock.now()
        record = build_record(state, decided_at, words, force)
        token = None
        try:
            token = await asyncio.to_thread(record_store().save, state.to_slot(), force.id, decided_at)
            replaced = tracker.get_slot(RECORD_SLOT)
            if replaced:  # an answer changed after the result: the old record goes
                await asyncio.to_thread(record_store().delete, replaced)
        except Exception:
            log.exception("could not store the incident decision record")
        buttons = words.raw["buttons"]
        dispatcher.utter_message(text=result_summary(state, words, force))
        text = (
            record.as_text()
            if token
            else record.as_text() + "\n\n" + words.text("result.record_unavailable", force)
        )
        dispatcher.utter_message(
            text=text,
            buttons=[
                {"title": buttons["change_an_answer"], "payload": option_payload("review")},
                {"title": buttons["new_check"], "payload": "/start_threshold_check"},
                {"title": buttons["staff_support"], "payload": "/support_services"},
            ],
        )
        if token:
            dispatcher.utter_message(
                json_message={
                    "links": [{"title": words.text("result.link_title", force), "url": record_url(token)}]
                }
            )
        finished = replace(state, asked=None, reviewing=False, result_now=False)
        return [
            SlotSet(DECISION_SLOT, None),
            SlotSet(CHECK_SLOT, finished.to_slot()),
            SlotSet(RECORD_SLOT, token),
        ]


class ActionThresholdStop(Action):
    def name(self) -> str:
        return "action_threshold_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=wording().text("notes.stopped", current_force()))
        return [SlotSet(CHECK_SLOT, None), SlotSet(DECISION_SLOT, None)]


__all__ = [
    "ActionAskThresholdDecision",
    "ActionThresholdReopen",
    "ActionThresholdResult",
    "ActionThresholdStart",
    "ActionThresholdStop",
    "ValidateThresholdCheckForm",
]

"""The check's Rasa actions, called as the action server calls them."""

import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import school_check as check_actions
from actions.school_check import (
    ActionAskThresholdDecision,
    ActionThresholdReopen,
    ActionThresholdResult,
    ActionThresholdStart,
    ValidateThresholdCheckForm,
    option_payload,
)
from safeguarding import screen
from school_check.engine import CheckState
from school_check.reading import Answer
from school_check.record_store import RecordStore


def user(text, intent="out_of_scope", option=None):
    entities = screen(text).as_entities() if not text.startswith("/") else []
    if option:
        entities.append({"entity": "check_option", "value": option})
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities},
    }


def tracker(events, state=None, **slots):
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    slots = {"check_answers": state.to_slot() if state else None, **slots}
    return Tracker(
        "conv-1", slots, latest, events, False, None, {"name": "threshold_check_form"}, "action_listen"
    )


def slot(events, name):
    return next(e["value"] for e in events if e["event"] == "slot" and e["name"] == name)


async def validate(events, state):
    dispatcher = CollectingDispatcher()
    out = await ValidateThresholdCheckForm().run(dispatcher, tracker(events, state), {})
    return dispatcher, out


async def test_start_explains_the_check_and_sets_the_audience_only_if_unknown():
    dispatcher = CollectingDispatcher()
    events = await ActionThresholdStart().run(dispatcher, tracker([user("check the thresholds")]), {})
    assert "Don't view the imagery" in dispatcher.messages[0]["text"]
    assert SlotSet("audience", "school") in events and SlotSet("threshold_decision", None) in events
    events = await ActionThresholdStart().run(CollectingDispatcher(), tracker([], audience="parent"), {})
    assert not [e for e in events if e["name"] == "audience"]


async def test_each_message_goes_to_the_engine_and_how_it_was_read_is_said():
    dispatcher, events = await validate([user("no, but she has SEN", "deny")], CheckState(asked="adult"))
    state = CheckState.from_slot(slot(events, "check_answers"))
    assert state.answers["adult"].value == "no" and state.answers["capacity"].value == "yes"
    assert "Noted: Concerns about capacity to consent" in dispatcher.messages[0]["text"]
    assert "meets threshold 2" in dispatcher.messages[0]["text"]
    assert not [e for e in events if e["name"] == "threshold_decision"]


async def test_the_last_answer_fills_the_decision_so_the_form_ends():
    answers = {
        q: Answer("no")
        for q in (
            "immediate_risk",
            "adult",
            "coercion",
            "capacity",
            "unusual_acts",
            "under_13_sexual_acts",
            "device_secured",
        )
    }
    answers.update(ages=Answer([14]), sharing=Answer("none"))
    _, events = await validate(
        [user(option_payload("answer:viewed:no"), "check_choice", "answer:viewed:no")],
        CheckState(answers, asked="viewed"),
    )
    assert slot(events, "threshold_decision") == "manage_in_school"


@pytest.mark.parametrize(
    "text, intent", [("should I look at the photo?", "school_image_handling"), ("stop", "stop_check")]
)
async def test_stop_and_questions_for_the_content_make_the_form_step_aside(text, intent):
    dispatcher, events = await validate([user(text, intent)], CheckState(asked="adult"))
    assert events == [] and dispatcher.messages == []


async def test_after_the_content_answered_the_form_asks_again_without_a_word():
    events = [
        user("should I look at the photo?", "school_image_handling"),
        {"event": "action", "name": "action_advise"},
    ]
    dispatcher, out = await validate(events, CheckState(asked="adult"))
    assert out == [] and dispatcher.messages == []


@pytest.mark.parametrize("text, intent", [("hmm", "nlu_fallback"), ("no", "deny")])
async def test_a_message_that_answers_nothing_says_so_and_keeps_the_form_going(text, intent):
    # "no" to "how widely has it been shared?" says nothing about how widely: asked again
    dispatcher, events = await validate([user(text, intent)], CheckState(asked="sharing"))
    assert "choose one of the options" in dispatcher.messages[0]["text"]
    assert events == [SlotSet("check_answers", CheckState(asked="sharing").to_slot())]


async def test_after_an_escalation_an_unanswering_message_is_not_told_off():
    events = [
        user("can i talk to a real person", "request_human"),
        {"event": "action", "name": "action_escalate"},
    ]
    dispatcher, out = await validate(events, CheckState(asked="adult"))
    assert dispatcher.messages == [] and out


async def test_the_ask_action_binds_each_button_to_its_question():
    dispatcher = CollectingDispatcher()
    state = CheckState({"immediate_risk": Answer("no")})
    events = await ActionAskThresholdDecision().run(dispatcher, tracker([], state), {})
    message = dispatcher.messages[0]
    assert message["text"].startswith("Is an adult")
    assert [b["payload"] for b in message["buttons"]] == [
        option_payload(f"answer:adult:{v}") for v in ("yes", "no", "unknown")
    ]
    assert CheckState.from_slot(slot(events, "check_answers")).asked == "adult"


async def test_the_ask_action_offers_the_result_early_once_a_referral_is_certain():
    dispatcher = CollectingDispatcher()
    await ActionAskThresholdDecision().run(
        dispatcher, tracker([], CheckState({"immediate_risk": Answer("yes")})), {}
    )
    assert dispatcher.messages[0]["buttons"][-1]["payload"] == option_payload("finish")


async def test_the_under_13_question_says_what_the_ages_showed():
    dispatcher = CollectingDispatcher()
    state = CheckState(
        {q: Answer("no") for q in ("immediate_risk", "adult", "coercion", "capacity", "unusual_acts")}
    )
    state.answers["ages"] = Answer([11, 14])
    await ActionAskThresholdDecision().run(dispatcher, tracker([], state), {})
    assert dispatcher.messages[0]["text"].startswith("You've said someone involved is under 13")


@pytest.fixture
def store(tmp_path, monkeypatch):
    s = RecordStore(f"sqlite:///{tmp_path / 'cases.db'}")
    monkeypatch.setattr(check_actions, "record_store", lambda: s)
    return s


async def test_the_result_gives_the_decision_the_text_record_and_a_link_and_replaces_an_old_record(store):
    state = CheckState({"adult": Answer("yes")}, result_now=True)
    old = store.save({}, "dorset")
    dispatcher = CollectingDispatcher()
    events = await ActionThresholdResult().run(dispatcher, tracker([], state, check_record_token=old), {})
    summary, record, link = dispatcher.messages
    assert summary["text"].startswith("Result: refer now.")
    assert record["text"].startswith("Incident decision record (plain text, to copy)")
    assert [b["title"] for b in record["buttons"]] == [
        "Change an answer",
        "Start a new check",
        "Support for staff",
    ]
    [url] = [item["url"] for item in link["custom"]["links"]]
    token = slot(events, "check_record_token")
    assert url == f"/records/{token}.pdf" and store.load(token) and store.load(old) is None
    assert CheckState.from_slot(slot(events, "check_answers")).result_now is False
    assert slot(events, "threshold_decision") is None


async def test_reopening_keeps_the_answers_for_a_change():
    state = CheckState({"adult": Answer("no")}, asked=None)
    events = await ActionThresholdReopen().run(
        CollectingDispatcher(), tracker([], state, audience="school"), {}
    )
    assert CheckState.from_slot(slot(events, "check_answers")).answers == {"adult": Answer("no")}


def test_option_payloads_are_valid_rasa_button_payloads():
    payload = option_payload("answer:adult:no")
    assert payload.startswith("/check_choice{") and json.loads(payload[len("/check_choice") :]) == {
        "check_option": "answer:adult:no"
    }

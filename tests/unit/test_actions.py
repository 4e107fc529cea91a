"""The custom actions, called as the action server calls them, asserting the exact events."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import escalation
from actions.advice import ActionAdvise
from actions.escalation import ActionEscalate
from advice.content import library
from handoff.store import CaseStore
from safeguarding import screen


def user_event(text, intent, confidence=0.9):
    return {
        "event": "user",
        "text": text,
        "timestamp": 1700000000.0,
        "parse_data": {
            "intent": {"name": intent, "confidence": confidence},
            "entities": screen(text).as_entities(),
        },
    }


def tracker(events, slots=None, sender="conv-1"):
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker(sender, slots or {}, latest, events, False, None, {}, "action_listen")


@pytest.fixture
def store(tmp_path, monkeypatch):
    s = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    monkeypatch.setattr(escalation, "case_store", lambda: s)
    return s


async def test_advice_answers_the_topic_without_asking_who_they_are():
    dispatcher = CollectingDispatcher()
    events = await ActionAdvise().run(
        dispatcher, tracker([user_event("someone sent me a nude", "received_image")]), {}
    )
    assert events == []
    assert dispatcher.messages[0]["text"] == library().for_intent("received_image").render(None).text


async def test_advice_asks_the_audience_only_when_the_answer_depends_on_it_and_remembers():
    dispatcher = CollectingDispatcher()
    events = await ActionAdvise().run(
        dispatcher, tracker([user_event("who can i talk to", "support_services")]), {}
    )
    assert events == [SlotSet("pending_topic", "support_services")]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]][0].startswith("/identify")

    dispatcher = CollectingDispatcher()
    events = await ActionAdvise().run(
        dispatcher,
        tracker(
            [user_event("I'm a parent", "identify")],
            {"audience": "parent", "pending_topic": "support_services"},
        ),
        {},
    )
    assert events == [SlotSet("pending_topic", None)]
    assert dispatcher.messages[0]["text"] == library().answers["support_services"].render("parent").text


async def test_escalation_opens_one_case_sends_the_signal_and_adds_reasons_later(store):
    first = [user_event("im 14", "identify"), user_event("hes 30 and wants pics", "asked_for_image")]
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate().run(dispatcher, tracker(first), {})
    handoff = dispatcher.messages[-1]["custom"]["handoff"]
    assert handoff["reasons"] == ["adult_involved"] and handoff["status"] in ("queued", "unavailable")
    # no slot copies the status: the cases database holds it (tests/unit/test_handoff_status.py)
    assert events == [SlotSet("handoff_reasons", ["adult_involved"]), SlotSet("case_id", handoff["case_id"])]
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert all(line in said for line in library().reason_text("adult_involved", None).splitlines())
    assert len(dispatcher.messages[0]["text"].splitlines()) <= 3  # a short first message

    second = first + [user_event("now he says he'll post them unless i pay", "threat_blackmail")]
    dispatcher = CollectingDispatcher()
    await ActionEscalate().run(dispatcher, tracker(second, {"handoff_reasons": ["adult_involved"]}), {})
    again = dispatcher.messages[-1]["custom"]["handoff"]
    assert again["case_id"] == handoff["case_id"]
    assert again["reasons"] == ["coercion_or_blackmail", "exploitation_or_profit", "adult_involved"]
    text = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert all(line in text for line in library().reason_text("coercion_or_blackmail", None).splitlines())
    case = store.get(handoff["case_id"])
    assert case.risk_level == "high" and len(store.open_cases()) == 1
    assert [m["text"] for m in case.messages if m["sender"] == "user"][-1].startswith("now he says")


async def test_danger_comes_first_and_gives_999(store):
    dispatcher = CollectingDispatcher()
    await ActionEscalate().run(
        dispatcher,
        tracker(
            [user_event("he knows where i live and says he is coming round tonight to hurt me", "in_danger")]
        ),
        {},
    )
    assert dispatcher.messages[0]["text"].find("999") >= 0
    assert dispatcher.messages[-1]["custom"]["handoff"]["reasons"][0] == "immediate_danger"


async def test_an_escalation_is_phone_sized_and_the_other_reasons_are_one_button_away(store):
    events = [user_event("im 14 and a man of 30 says hell post my pics unless i pay", "threat_blackmail")]
    dispatcher = CollectingDispatcher()
    slots = await ActionEscalate().run(dispatcher, tracker(events), {})
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    assert len(texts[0].splitlines()) <= 3 and "999" in texts[0]
    more = [b for m in dispatcher.messages for b in m.get("buttons") or [] if b["title"] == "More advice"]
    assert more and more[0]["payload"] == "/more_advice"

    reasons = next(e["value"] for e in slots if e["name"] == "handoff_reasons")
    dispatcher = CollectingDispatcher()
    await ActionAdvise().run(
        dispatcher,
        tracker(events + [user_event("/more_advice", "more_advice")], {"handoff_reasons": reasons}),
        {},
    )
    assert library().reason_text("adult_involved", None) in dispatcher.messages[0]["text"]


PHONE_SIZED_LINES = 10  # docs/content.md: at most 10 lines (a phone screen); longer ones are split


def test_every_answer_fits_a_phone_and_a_long_one_keeps_its_rest_one_button_away():
    lib = library()
    split = 0
    for answer in lib.answers.values():
        for audience in (None, "young_person", "parent", "school"):
            reply = answer.render(audience)
            lines = [line for line in reply.text.splitlines() if line.strip()]
            assert len(lines) <= PHONE_SIZED_LINES, (answer.id, audience, len(lines))
            if reply.more:
                split += 1
                assert reply.buttons[0]["title"] == "Tell me more"
    assert split >= 4  # the answers that were too long (police, take-down, schools, support)


async def test_tell_me_more_sends_the_rest_of_that_answer_for_that_audience():
    first = library().answers["take_down"].render(None)
    payload = first.buttons[0]["payload"]
    assert payload.startswith("/more_advice")
    pressed = user_event(payload, "more_advice")
    pressed["parse_data"]["entities"] = [{"entity": "more_topic", "value": "take_down"}]
    dispatcher = CollectingDispatcher()
    await ActionAdvise().run(dispatcher, tracker([pressed]), {})
    text = dispatcher.messages[0]["text"]
    assert text == first.more and "stopncii.org" in text and first.text not in text
    assert all(b["title"] != "Tell me more" for b in dispatcher.messages[0].get("buttons") or [])

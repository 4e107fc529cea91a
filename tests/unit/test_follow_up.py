"""The screen's follow-ups in ordinary answers: the one question about the other person's age
(and how its answer feeds the screen), and no risk advice without a person."""

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.advice import ActionAdvise
from advice.content import library
from safeguarding import screen
from safeguarding.assessment import ASKED_OTHER_AGE_SLOT, assess, turns_from_events


def user(text, intent, entities=None, confidence=0.9):
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": screen(text).as_entities() if entities is None else entities,
        },
    }


def tracker(events, slots=None):
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker("conv-1", slots or {}, latest, events, False, None, {}, "action_listen")


async def advise(events, slots=None):
    dispatcher = CollectingDispatcher()
    result = await ActionAdvise().run(dispatcher, tracker(events, slots), {})
    return dispatcher.messages, result


def asked_age(messages) -> bool:
    question = library().answers["ask_other_age"].render(None).text
    return any(m.get("text") == question for m in messages)


async def test_someone_asking_for_pics_with_no_age_known_brings_the_age_question_once():
    messages, events = await advise([user("this person keeps asking me for pics", "asked_for_image")])
    assert asked_age(messages)
    buttons = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert any('"age_band": "adult"' in p for p in buttons) and any("under_18" in p for p in buttons)
    assert SlotSet(ASKED_OTHER_AGE_SLOT, True) in events

    messages, _ = await advise(
        [user("this person keeps asking me for pics", "asked_for_image")], {ASKED_OTHER_AGE_SLOT: True}
    )
    assert not asked_age(messages)


async def test_no_age_question_when_the_other_persons_age_is_already_known():
    messages, _ = await advise([user("my boyfriend is 15 and keeps asking me for pics", "asked_for_image")])
    assert not asked_age(messages)


def test_the_18_or_over_button_is_an_adult_involved():
    events = [
        user("he wants pics", "asked_for_image"),
        {"event": "slot", "name": ASKED_OTHER_AGE_SLOT, "value": True},
        user('/other_age{"age_band": "adult"}', "other_age", [{"entity": "age_band", "value": "adult"}]),
    ]
    assert "adult_involved" in assess(turns_from_events(events))


def test_a_bare_age_typed_after_the_question_is_the_other_persons():
    asked = [
        user("im 14 and someone keeps asking for pics", "asked_for_image"),
        {"event": "slot", "name": ASKED_OTHER_AGE_SLOT, "value": True},
        user("23", "identify"),
    ]
    turns = turns_from_events(asked)
    assert turns[-1].facts.other_ages == [23] and "adult_involved" in assess(turns)
    not_asked = [asked[0], asked[2]]
    assert turns_from_events(not_asked)[-1].facts.self_ages == [23]


async def test_risk_advice_is_not_given_without_an_escalation():
    grooming = library().for_intent("grooming").render(None).text
    messages, _ = await advise(
        [user("my brother says hes gonna tell mum unless i let him have the xbox", "grooming")]
    )
    texts = [m.get("text") for m in messages]
    assert grooming not in texts and library().answers["tell_me_more"].render(None).text in texts


async def test_a_general_question_about_grooming_still_gets_the_information():
    grooming = library().for_intent("grooming").render(None).text
    messages, _ = await advise([user("what are the signs of grooming in general?", "grooming")])
    assert grooming in [m.get("text") for m in messages]


async def test_the_is_this_grooming_button_gets_the_information():
    grooming = library().for_intent("grooming").render(None).text
    messages, _ = await advise([user("/grooming", "grooming", entities=[])])
    assert grooming in [m.get("text") for m in messages]


async def test_an_age_said_long_ago_is_remembered_so_the_conversation_is_not_read_again():
    """The other person's age, said many messages earlier, stops the question; the answer
    notes it (other_age_known), so later answers need not read the whole conversation."""
    from advice.follow_up import OTHER_AGE_KNOWN_SLOT

    earlier = [user("he's 16", "identify")] + [user("ok thanks", "thanks") for _ in range(30)]
    messages, events = await advise(earlier + [user("he keeps asking for pics", "asked_for_image")])
    assert not asked_age(messages)
    assert SlotSet(OTHER_AGE_KNOWN_SLOT, True) in events

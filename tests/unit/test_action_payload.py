"""What Rasa sends the action server (channels/action_payload.py): Rasa's request, with the
recent events only, unless the action reads the whole conversation (channels/action_history.py)."""

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig

from advice.follow_up import OTHER_AGE_KNOWN_SLOT
from channels import action_payload
from safeguarding.assessment import ASKED_OTHER_AGE_SLOT

DOMAIN = Domain.load("domain.yml")
ORIGINAL = RemoteAction._action_call_format


def conversation(turns, last_intent="take_down", slots=()):
    tracker = DialogueStateTracker("c", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    for n in range(turns):
        intent = last_intent if n == turns - 1 else "greet"
        tracker.update_with_events(
            [
                UserUttered(f"message {n}", {"name": intent, "confidence": 0.9}),
                ActionExecuted("action_advise"),
            ]
            + ([BotUttered(f"answer {n}"), ActionExecuted("action_listen")] if n < turns - 1 else []),
            DOMAIN,
        )
    tracker.update_with_events([SlotSet(name, value) for name, value in slots], DOMAIN)
    return tracker


def request(action, tracker, selective=True):
    endpoint = EndpointConfig("http://localhost:5055/webhook", enable_selective_domain=selective)
    return action_payload._action_call_format(RemoteAction(action, endpoint), tracker, DOMAIN)


def test_an_ordinary_answer_is_sent_the_latest_turns_only():
    for turns in (3, 150):
        tracker = conversation(turns)
        sent = request("action_advise", tracker)
        texts = [e.get("text") for e in sent["tracker"]["events"] if e["event"] == "user"]
        assert texts == [f"message {turns - 2}", f"message {turns - 1}"]  # bounded, whatever the length
        rasa = ORIGINAL(RemoteAction("action_advise", None), tracker, DOMAIN)
        # everything else is Rasa's request as it was: slots, latest message, loop, ...
        assert {k: v for k, v in sent["tracker"].items() if k != "events"} == {
            k: v for k, v in rasa["tracker"].items() if k != "events"
        }
        assert rasa["tracker"]["events"][-len(sent["tracker"]["events"]) :] == sent["tracker"]["events"]
        assert "domain" not in sent and "domain" in rasa  # no action reads the domain


def test_the_escalation_is_sent_the_whole_conversation():
    tracker = conversation(40, "threat_blackmail")
    assert (
        request("action_escalate", tracker)["tracker"]["events"]
        == [e.as_dict() for e in tracker.events]
        == tracker.current_state(EventVerbosity.ALL)["events"]
    )


@pytest.mark.parametrize(
    "slots, whole",
    [
        ((), True),  # the age question may come: did any message say the other person's age?
        (((ASKED_OTHER_AGE_SLOT, True),), False),  # asked once already
        (((OTHER_AGE_KNOWN_SLOT, True),), False),  # a message said it
        ((("case_id", "abc"),), False),  # a person is coming
    ],
)
def test_the_answer_that_may_ask_the_other_persons_age_is_sent_all_only_while_it_may(slots, whole):
    tracker = conversation(30, "asked_for_image", slots)
    sent = request("action_advise", tracker)["tracker"]["events"]
    assert (len(sent) == len(tracker.events)) is whole

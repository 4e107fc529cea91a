"""The mechanism behind a turn cost that does not grow with the conversation (not timed): the
work each turn does touches a bounded number of events, and gives exactly what the work over the
whole conversation gave.

- BoundedRulePolicy builds the dialogue states of the latest turns only, and they are the
  conversation's own last states (dialogue/recent_turns.py);
- the safeguarding policy reads each message's facts once per conversation
  (dialogue/conversation_turns.py), and the assessment's check for cues in two different
  messages is one pass, not every pair (safeguarding/assessment.py `cues_across`);
- an action is sent the events it needs, a bounded number, and the statistics it counts from
  them are the ones the whole conversation gives (channels/action_history.py).
(The tracker store's reads: tests/unit/test_tracker_store.py; the action payload:
tests/unit/test_action_payload.py.)
"""

import json
import random

import pytest
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from channels.action_history import recent_start
from channels.tracker_copy import fork
from dialogue.conversation_turns import conversation_turns
from dialogue.recent_turns import RECENT_STATES_SKIPPED, recent_tracker
from dialogue.rule_policy import BoundedRulePolicy
from handoff.statistics import chat_turn
from safeguarding.assessment import cues_across, turns_from_events

DOMAIN = Domain.load("domain.yml")
FORM = "threshold_check_form"


def said(intent, entities=None, text=None):
    return [
        ActionExecuted("action_listen"),
        UserUttered(text or intent, {"name": intent, "confidence": 0.9}, entities or []),
        ActionExecuted("action_extract_slots"),
    ]


def answered(action="action_advise", *events):
    return [ActionExecuted(action), BotUttered("an answer"), *events]


def advice_turn(intent, entities=None):
    return said(intent, entities) + answered()


def guided_check(questions):
    """The schools' check: started, a question answered per turn (the form's happy path, which
    Rasa folds into one step), a question to the bot in the middle, then the result."""
    events = said("start_threshold_check") + [
        ActionExecuted("action_threshold_start"),
        ActionExecuted(FORM),
        ActiveLoop(FORM),
        SlotSet("requested_slot", "threshold_decision"),
    ]
    for n in range(questions):
        events += said("check_choice") + [ActionExecuted(FORM), SlotSet("check_answers", {"q": n})]
        if n == questions // 2:
            events += said("law_question") + answered() + [ActionExecuted(FORM)]
    return events + [
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        ActionExecuted("action_threshold_result"),
    ]


def conversation(turns):
    """A realistic mix: questions, an escalation, a guided check, a turn taken back."""
    events = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    for n in range(turns):
        kind = n % 9
        if kind == 3:
            events += said("threat_blackmail", [{"entity": "concern", "value": "coercion_or_blackmail"}])
            events += answered("action_escalate", SlotSet("handoff_reasons", ["coercion_or_blackmail"]))
        elif kind == 5:
            events += guided_check(4)
        elif kind == 7:
            events += advice_turn("nlu_fallback") + [UserUtteranceReverted()]
        else:
            events += advice_turn(["sent_image", "take_down", "law_question", "greet"][n % 4])
    return events + [ActionExecuted("action_listen")]


def tracker_of(events, domain=DOMAIN):
    tracker = DialogueStateTracker("c", domain.slots)
    tracker.update_with_events(events, domain)
    return tracker


def bounded_policy(tmp_path, longest=6):
    policy = BoundedRulePolicy(
        BoundedRulePolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("rules"),
        ExecutionContext(GraphSchema({}), "test"),
        lookup={RULES: {json.dumps([{}] * longest): "action_advise"}, RULES_FOR_LOOP_UNHAPPY_PATH: {}},
    )
    assert policy._longest_rule() == longest
    return policy


def test_the_recent_turns_have_the_conversations_last_states():
    events = conversation(30)
    for end in range(1, len(events) + 1):
        whole = tracker_of(events[:end])
        short = recent_tracker(whole, 5)
        if short is None:
            continue
        recent = short.past_states(DOMAIN)[RECENT_STATES_SKIPPED:]
        assert len(recent) >= 5
        assert recent == whole.past_states(DOMAIN)[-len(recent) :], f"after {end} events"


def test_slots_that_influence_the_conversation_are_carried_over():
    domain = Domain.from_yaml(
        """
        version: "3.1"
        intents: [greet, ask]
        slots:
          adult:
            type: bool
            influence_conversation: true
            mappings: [{type: custom}]
          topic:
            type: categorical
            values: [a, b]
            influence_conversation: true
            mappings: [{type: custom}]
        actions: [action_advise]
        """
    )
    events = [ActionExecuted("action_listen")]
    for n in range(40):
        events += said("ask" if n % 2 else "greet") + answered()
        if n == 3:
            events.append(SlotSet("adult", True))
        if n % 10 == 6:
            events.append(SlotSet("topic", "ab"[n % 20 // 10]))
        if n == 25:
            events.append(AllSlotsReset())
    events.append(ActionExecuted("action_listen"))
    for end in range(1, len(events) + 1):
        whole = tracker_of(events[:end], domain)
        short = recent_tracker(whole, 4)
        if short is not None:
            recent = short.past_states(domain)[RECENT_STATES_SKIPPED:]
            assert recent == whole.past_states(domain)[-len(recent) :], f"after {end} events"


def test_the_rule_policy_sees_the_same_last_states_and_no_more(tmp_path, monkeypatch):
    policy = bounded_policy(tmp_path)
    built = []
    real = Domain.get_active_state
    monkeypatch.setattr(Domain, "get_active_state", lambda *a, **k: built.append(1) or real(*a, **k))
    for turns in (20, 200):
        tracker = tracker_of(conversation(turns))
        built.clear()
        bounded = policy._prediction_states(tracker, DOMAIN)
        states_built = len(built)
        whole = RulePolicy._prediction_states(policy, tracker, DOMAIN)
        assert len(whole) > 3 * len(bounded)
        assert bounded == whole[-len(bounded) :] and len(bounded) >= 6
        # bounded work: the states of a few turns, whatever the length of the conversation
        assert states_built <= 6 + 12, f"{states_built} states built at {turns} turns"


def test_a_short_conversation_is_read_whole(tmp_path):
    tracker = tracker_of(conversation(1))
    assert BoundedRulePolicy._prediction_states(bounded_policy(tmp_path), tracker, DOMAIN) == (
        RulePolicy._prediction_states(bounded_policy(tmp_path), tracker, DOMAIN)
    )


@pytest.fixture
def facts_read(monkeypatch):
    from safeguarding.facts import MessageFacts

    reads = []
    real = MessageFacts.from_entities.__func__
    monkeypatch.setattr(
        MessageFacts, "from_entities", classmethod(lambda cls, e: reads.append(1) or real(cls, e))
    )
    return reads


def test_the_safeguarding_policy_reads_each_message_once(facts_read):
    """Turn by turn, as the tracker store hands out copies that share their events: every
    message's facts are read once in the whole conversation, and the turns are exactly those
    read from all its events (an age after the age question counts as the other person's)."""
    tracker = tracker_of([ActionExecuted("action_listen")])
    by_policy = 0
    for n in range(120):
        tracker = fork(tracker)
        age = [{"entity": "age", "value": "15", "role": "self"}, {"entity": "framing", "value": "bare_age"}]
        tracker.update_with_events(said("other_age", age if n % 7 == 1 else []), DOMAIN)
        before = len(facts_read)
        turns = conversation_turns(tracker)
        by_policy += len(facts_read) - before
        assert turns == turns_from_events(tracker.events)
        tracker.update_with_events(answered(), DOMAIN)
        if n % 7 == 0:
            tracker.update(SlotSet("asked_other_age", True))
    assert sum(t.facts.other_ages == [15] for t in turns) > 10  # read as the other person's
    assert by_policy == 120  # each message once in the whole conversation


def test_a_tracker_read_again_from_the_database_is_read_whole(facts_read):
    events = conversation(10)
    first = tracker_of(events)
    assert conversation_turns(first) == turns_from_events(first.events)
    again = DialogueStateTracker.from_dict("c", [e.as_dict() for e in events], DOMAIN.slots)
    again.update_with_events(said("greet"), DOMAIN)
    facts_read.clear()
    turns = conversation_turns(again)
    users = sum(isinstance(e, UserUttered) for e in again.events)
    assert len(facts_read) == users  # new event objects: nothing reused
    assert turns == turns_from_events(again.events)


def pairwise(markers_by_turn, first, second):
    """The assessment's check as it was: every pair of different messages."""
    return any(
        a & first and b & second
        for i, a in enumerate(markers_by_turn)
        for j, b in enumerate(markers_by_turn)
        if i != j
    )


def test_cues_in_two_different_messages_are_found_as_comparing_every_pair_found_them():
    rng = random.Random(3)
    cues = ["money", "threat", "wide", "shared", "share", "repeat"]
    pairs = [({"money"}, {"threat"}), ({"wide"}, {"shared"}), ({"repeat"}, {"share", "shared"})]
    for _ in range(3000):
        markers = [set(rng.sample(cues, rng.choice([0, 0, 0, 1, 1, 2]))) for _ in range(rng.randint(0, 8))]
        for first, second in pairs:
            assert cues_across(markers, first, second) == pairwise(markers, first, second), markers


# --- what an action is sent (channels/action_history.py) ----------------------------------------------


def statistics_conversation(rng: random.Random, turns: int) -> list:
    """Turns as Rasa logs them, with everything chat_turn reads: the audience said (and said
    again) in a message, set by an action, a turn taken over by staff (no answer while paused),
    an escalation followed by a second action, and a new session."""
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    paused = False
    for _ in range(turns):
        events.append(UserUttered("a message", {"name": "greet", "confidence": 0.9}))
        events.append(ActionExecuted("action_extract_slots"))
        if rng.random() < 0.2:
            events.append(SlotSet("audience", rng.choice(["parent", "young_person", "school"])))
        if rng.random() < 0.1:
            paused = not paused
        if paused:
            continue  # the bot does not answer while a person has the chat
        for action in rng.choice([["action_advise"], ["action_escalate", "action_threshold_start"]]):
            events.append(ActionExecuted(action))
            if rng.random() < 0.1:
                events.append(SlotSet("audience", "school"))
            events.append(BotUttered("an answer"))
        events.append(ActionExecuted("action_listen"))
        if rng.random() < 0.03:
            events += [
                ActionExecuted("action_session_start"),
                SessionStarted(),
                ActionExecuted("action_listen"),
            ]
    return events


def test_the_statistics_of_a_turn_are_the_same_from_the_events_an_action_is_sent():
    """At every point an action can be called, chat_turn counts the same from the events sent as
    from the whole conversation: a new conversation, and the audience the first time it is known."""
    counted = 0
    for seed in range(40):
        events = statistics_conversation(random.Random(seed), 60)
        for end in range(1, len(events) + 1):
            if not isinstance(events[end - 1], (UserUttered, SlotSet, ActionExecuted)):
                continue
            whole = [e.as_dict() for e in events[:end]]
            sent = whole[recent_start(events[:end]) :]
            assert chat_turn(sent) == chat_turn(whole), f"seed {seed}, after {end} events"
            counted += bool(chat_turn(whole))
    assert counted > 200  # the counts were really exercised


def test_an_action_is_sent_a_bounded_number_of_events():
    """Even for a parent who says who they are in many messages, the events sent stay few
    whatever the length of the conversation (far back only when the audience is said again
    long after it was last said, once)."""
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    sent = []
    for n in range(300):
        events += [UserUttered("my daughter...", {"name": "greet"}), ActionExecuted("action_extract_slots")]
        if (n < 200 and n % 3 == 0) or n == 250:
            events.append(SlotSet("audience", "parent"))
        sent.append(len(events) - recent_start(events))
        events += [ActionExecuted("action_advise"), BotUttered("an answer"), ActionExecuted("action_listen")]
    # two turns, or back to where the audience was last said: three turns here
    assert max(sent[1:250]) <= 3 * 6 + 1
    assert sent[250] > 100 and max(sent[251:]) <= 3 * 6 + 1  # said again after 50 turns: once

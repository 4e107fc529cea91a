"""Rasa's tracker methods as the server runs them (channels/applied_events.py,
channels/tracker_copy.py): the same results as Rasa 3.6's own, turn by turn, including undone
turns, restarts, new sessions, follow-up actions and the guided check's loop."""

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from channels import applied_events, tracker_copy
from channels.tracker_copy import fork

DOMAIN = Domain.load("domain.yml")
RASA_APPLIED = DialogueStateTracker.applied_events
RASA_COPY = DialogueStateTracker.copy
FORM = "threshold_check_form"


def turn(intent, *after):
    return [
        ActionExecuted("action_listen"),
        UserUttered(intent, {"name": intent, "confidence": 0.9}),
        ActionExecuted("action_extract_slots"),
        *after,
    ]


def conversation():
    """Every kind of event the fold treats on its own, more than once."""
    events = [ActionExecuted("action_session_start"), SessionStarted()]
    events += turn("greet", ActionExecuted("action_advise"), BotUttered("hello"))
    events += turn("start_threshold_check", ActionExecuted("action_threshold_start"), ActionExecuted(FORM))
    events += [ActiveLoop(FORM), SlotSet("requested_slot", "threshold_decision")]
    for n in range(4):
        events += turn("check_choice", ActionExecuted(FORM), SlotSet("check_answers", {"n": n}))
    events += turn("law_question", ActionExecuted("action_advise"), ActionExecuted(FORM))
    events += [ActiveLoop(None), SlotSet("requested_slot", None), ActionExecuted("action_threshold_result")]
    events += turn("nlu_fallback", ActionExecuted("action_advise"), UserUtteranceReverted())
    events += turn("greet", FollowupAction("action_advise"))
    events += [ActionExecuted("action_advise"), ActionReverted()]
    events += turn("thanks", ActionExecuted("action_advise"), Restarted())
    events += [ActionExecuted("action_session_start"), SessionStarted(), SlotSet("audience", "parent")]
    events += turn("start_threshold_check", ActionExecuted("action_threshold_start"), ActionExecuted(FORM))
    events += [ActiveLoop(FORM)] + turn("check_choice", ActionExecuted(FORM))
    return events + [ActionExecuted("action_listen")]


@pytest.fixture
def speedups(monkeypatch):
    monkeypatch.setattr(DialogueStateTracker, "applied_events", applied_events.applied_events)
    monkeypatch.setattr(DialogueStateTracker, "copy", tracker_copy.copy_without_replay)


def test_applied_events_continued_turn_by_turn_are_rasas(speedups):
    tracker = DialogueStateTracker("c", DOMAIN.slots)
    for event in conversation():
        tracker = fork(tracker)  # as the tracker store hands out each turn
        tracker.update(event)
        assert tracker.applied_events() == RASA_APPLIED(tracker)
        assert tracker.applied_events() == RASA_APPLIED(tracker)  # folded twice: the same


def test_applied_events_of_a_tracker_whose_events_are_not_the_folded_ones(speedups):
    events = conversation()
    tracker = DialogueStateTracker("c", DOMAIN.slots)
    tracker.update_with_events(events[:20], DOMAIN)
    tracker.applied_events()
    other = fork(tracker)  # shares what was folded, then its events change under it
    other.events.clear()
    other.events.extend(events[5:25])
    assert other.applied_events() == RASA_APPLIED(other)


def replayed_state(tracker):
    return (
        tracker.current_state(EventVerbosity.ALL),
        tracker.past_states(DOMAIN),
        {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
        tracker.followup_action,
        tracker.model_id,
        tracker.assistant_id,
        tracker.sender_source,
        tracker.active_loop,
    )


def test_a_copy_is_the_replayed_tracker(speedups, monkeypatch):
    replayed = []
    monkeypatch.setattr(tracker_copy, "_replaying_copy", lambda t: replayed.append(1) or RASA_COPY(t))
    tracker = DialogueStateTracker("c", DOMAIN.slots)
    tracker.model_id, tracker.assistant_id = "model", "assistant"
    events = conversation()
    for event in events:
        tracker.update(event)
        if isinstance(event, UserUttered):
            tracker.clear_followup_action()  # as the processor does before predicting
        copied = tracker.copy()
        assert replayed_state(copied) == replayed_state(RASA_COPY(tracker))
        before = replayed_state(tracker)
        copied.update_with_events([SlotSet("audience", "school"), ActiveLoop(FORM)], DOMAIN)
        assert replayed_state(tracker) == before  # the copy is independent
    assert len(replayed) <= 2  # only right after an undone turn or action

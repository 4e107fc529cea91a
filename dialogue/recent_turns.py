"""The latest turns of a conversation as a tracker of their own, with the same dialogue states.

Rasa's policies read a conversation as a list of dialogue states, one before each action (the
user's intent and entities, the previous action, the active loop, the slots that influence the
conversation). `DialogueStateTracker.past_states` builds that list for the whole conversation on
every prediction: profiled, the largest cost of a prediction late in a long conversation. A rule
looks only at the last few states, so `recent_tracker` builds a tracker of the latest turns
alone whose states, after the first, are exactly the last states of the whole conversation:

- it cuts where a user message starts a turn, in the events Rasa applies (`applied_events`:
  undone turns and a loop's repeated runs already removed), so each state after the cut sees the
  same latest message and previous action as in the whole conversation;
- it starts the short tracker with what the state at the cut carried over from before it: the
  active loop and the value of every slot that influences the conversation.

Its first state stands for everything before the cut and is not one of the conversation's: the
caller drops it (`RECENT_STATES_SKIPPED`).
"""

from __future__ import annotations

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, AllSlotsReset, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

RECENT_STATES_SKIPPED = 1  # the short tracker's first state, which stands for the cut-off past


def recent_tracker(tracker: DialogueStateTracker, states: int) -> DialogueStateTracker | None:
    """A tracker whose dialogue states, without its first, are at least the last `states` of
    `tracker`'s, exactly; None when the conversation is too short to be worth cutting."""
    applied = tracker.applied_events()
    cut = _cut(applied, states)
    if cut is None:
        return None
    short = tracker.init_copy()
    for event in _carried_over(applied[:cut], tracker) + applied[cut:]:
        short.update(event)
    return short


def _cut(applied: list[Event], states: int) -> int | None:
    """The index of the latest `action_listen` that a user message follows and that has at
    least `states` more actions after it."""
    actions = 0
    for i in range(len(applied) - 2, 0, -1):
        event = applied[i]
        if not isinstance(event, ActionExecuted):
            continue
        if (
            actions >= states
            and event.action_name == ACTION_LISTEN_NAME
            and isinstance(applied[i + 1], UserUttered)
        ):
            return i
        actions += 1
    return None


def _carried_over(before: list[Event], tracker: DialogueStateTracker) -> list[Event]:
    """Events that set, in an empty tracker, the active loop and the slots that influence the
    conversation to what they were at the cut."""
    featurized = {name for name, slot in tracker.slots.items() if slot.influence_conversation}
    values: dict[str, object] = {}
    loop: ActiveLoop | None = None
    slots_known = not featurized
    for event in reversed(before):
        if loop is None and isinstance(event, ActiveLoop):
            loop = event
        elif not slots_known and isinstance(event, AllSlotsReset):
            slots_known = True  # the slots not set since are at their initial values
        elif not slots_known and isinstance(event, SlotSet) and event.key in featurized:
            values.setdefault(event.key, event.value)
            slots_known = len(values) == len(featurized)
        if loop is not None and slots_known:
            break
    carried: list[Event] = [SlotSet(name, value) for name, value in values.items()]
    if loop is not None and loop.name:
        carried.append(ActiveLoop(loop.name))
    return carried

"""A copy of a tracker's current state, made without replaying its events.

Rasa rebuilds a tracker by replaying every event of the conversation (`from_dict`, `copy()`):
profiled, that was the largest cost of a turn late in a long conversation, and it grows with
every turn. A tracker's state is what replaying its events gives, so copying that state (the
slots, the active loop, the latest message and action...) gives the same tracker at a cost that
does not depend on the conversation's length. The events themselves are shared, not copied:
Rasa never changes an event once it is in a tracker; the copy gets its own list of them.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections import deque

from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    FollowupAction,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker


def newest(events: deque, start: int) -> list:
    """`list(events)[start:]`, read from the newest end: the work is the number of events
    after `start`, not the conversation's length."""
    out = list(itertools.islice(reversed(events), max(len(events) - start, 0)))
    out.reverse()
    return out


def fork(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """An independent tracker in the same state as `tracker`: changing one leaves the other."""
    twin = copy.copy(tracker)  # every attribute, then a copy of each mutable one
    twin.events = deque(tracker.events, tracker.events.maxlen)
    slots = type(tracker.slots)()  # a dict, or Rasa's AnySlotDict for a tracker without a domain
    slots.update({name: copy.copy(slot) for name, slot in tracker.slots.items()})
    twin.slots = slots
    if tracker.active_loop is not None:
        twin.active_loop = dataclasses.replace(tracker.active_loop)
    if tracker.latest_action is not None:
        twin.latest_action = dict(tracker.latest_action)
    return twin


# --- DialogueStateTracker.copy --------------------------------------------------------------

_replaying_copy = DialogueStateTracker.copy
# Attributes a copy made by replay does not have: the tracker store's bookkeeping
# (channels/tracker_store.py) and what the processor sets after reading a tracker.
_NOT_COPIED = ("_events_already_stored", "_cached_version")


def copy_without_replay(self: DialogueStateTracker) -> DialogueStateTracker:
    """`DialogueStateTracker.copy()` (Rasa replays every event into a new tracker; the
    processor does it before running each action), made from the state instead. The copy is
    the replayed one: the same state, and, as replay gives, no model or assistant id and the
    follow-up action the events set (the processor clears that one on its tracker without an
    event). Anything this cannot know without replaying is copied Rasa's way."""
    followup = _followup_after_replay(self)
    if followup is _UNKNOWN or self.events.maxlen is not None:
        return _replaying_copy(self)
    twin = fork(self)
    for name in _NOT_COPIED:
        twin.__dict__.pop(name, None)
    twin.sender_id = self.sender_id or DEFAULT_SENDER_ID
    twin.sender_source = None
    twin.model_id = None
    twin.assistant_id = None
    twin.followup_action = followup
    return twin


_UNKNOWN = object()


def _followup_after_replay(tracker: DialogueStateTracker) -> str | None | object:
    """The follow-up action replaying the tracker's events sets (events.py, each apply_to)."""
    for event in reversed(tracker.events):
        if isinstance(event, (ActionExecuted, UserUttered)):
            return None
        if isinstance(event, FollowupAction):
            return event.action_name
        if isinstance(event, Restarted):
            return ACTION_SESSION_START_NAME
        if isinstance(event, SessionStarted):
            return ACTION_LISTEN_NAME
        if isinstance(event, (UserUtteranceReverted, ActionReverted)):
            return _UNKNOWN  # these replay the applied events again
    return ACTION_LISTEN_NAME  # a new tracker's


def apply() -> None:
    DialogueStateTracker.copy = copy_without_replay

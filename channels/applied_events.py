"""Rasa's `DialogueStateTracker.applied_events`, continued from where it last stopped.

`applied_events` (the events that count, once undone turns and a loop's repeated runs are taken
out) walks every event of the conversation, and Rasa calls it several times a turn (the session
check, the rule policy's states...): profiled late in a long conversation, 15% of the Rasa
server's time. It is a left fold over the events, given the names of the loops that appear in
them; so when a tracker (or the copy it was made from) has already folded its first events and
no new loop name has appeared since, folding only the new events gives the same list. Anything
else (a tracker that drops its oldest events, a new loop name, events that are not the ones
folded before) is folded from the start, as Rasa does. The fold's body is Rasa 3.6's, unchanged.
"""

from __future__ import annotations

from typing import NamedTuple

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from channels.tracker_copy import newest

FOLDED = "_applied_events_folded"  # set on a tracker; copies made with copy.copy share it


class _Folded(NamedTuple):
    count: int  # how many events were folded
    first: Event | None  # the first and last of them, to know they are this tracker's own
    last: Event | None
    loop_names: frozenset[str]
    applied: tuple[Event, ...]  # never changed in place: copies of the tracker share it


def applied_events(self: DialogueStateTracker) -> list[Event]:
    events = self.events
    folded: _Folded | None = getattr(self, FOLDED, None)
    start = 0
    if (
        folded is not None
        and events.maxlen is None
        and 0 < folded.count <= len(events)
        and events[0] is folded.first
        and events[folded.count - 1] is folded.last
    ):
        start = folded.count
        loop_names = set(folded.loop_names) | _loop_names(events, start)
        if loop_names != folded.loop_names:
            start = 0  # a new loop: earlier runs of its action may count differently
    else:
        loop_names = _loop_names(events, 0)
    applied = list(folded.applied) if start else []
    for index in range(start, len(events)):
        _fold(self, events[index], applied, loop_names)
    if events:
        setattr(
            self, FOLDED, _Folded(len(events), events[0], events[-1], frozenset(loop_names), tuple(applied))
        )
    return applied


def _loop_names(events, start: int) -> set[str]:
    return {e.name for e in newest(events, start) if isinstance(e, ActiveLoop) and e.name}


def _fold(tracker: DialogueStateTracker, event: Event, applied: list[Event], loop_names: set[str]) -> None:
    """One step of Rasa 3.6's DialogueStateTracker.applied_events."""
    if isinstance(event, (Restarted, SessionStarted)):
        applied.clear()
    elif isinstance(event, ActionReverted):
        tracker._undo_till_previous(ActionExecuted, applied)
    elif isinstance(event, UserUtteranceReverted):
        # Seeing a user uttered event automatically implies there was a listen event right
        # before it, so first rewind the user utterance, then get the action right before it
        # (which also removes the `action_listen` action right before it).
        tracker._undo_till_previous(UserUttered, applied)
        tracker._undo_till_previous(ActionExecuted, applied)
    elif (
        isinstance(event, ActionExecuted)
        and event.action_name in loop_names
        and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
    ):
        tracker._undo_till_previous_loop_execution(event.action_name, applied)
    else:
        applied.append(event)


def apply() -> None:
    DialogueStateTracker.applied_events = applied_events

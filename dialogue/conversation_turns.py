"""The safeguarding screen's turns of a conversation, each message's facts read once.

`SafeguardingPolicy` (safeguarding/rasa_components.py) assesses the whole conversation after
every user message. `turns_from_events(tracker.events)` read every message's facts from its
entities again at every turn, a cost that grew with the conversation. `conversation_turns`
gives the same list, reading only the events added since this tracker, or the tracker it was
copied from, was last read. Exact: the turns read before are reused only when this tracker
holds the very events they came from (the tracker store hands out copies that share their
events, channels/tracker_copy.py, and a conversation's events are only ever appended), and
reading resumes just after a user message, where turns_from_events carries nothing over from
the events before it. What was read lives on the tracker (and its copies), so it is kept and
forgotten with the tracker store's cached copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.tracker_copy import newest
from safeguarding.assessment import Turn, turns_from_events

TURNS_READ = "_screened_turns"  # set on a tracker; copies made with copy.copy share it


@dataclass(frozen=True)
class _TurnsRead:
    events: int  # how many of the tracker's events were read: up to and including a user message
    last: Any  # that user message: the same object in every copy of the tracker
    turns: tuple[Turn, ...]


def conversation_turns(tracker: DialogueStateTracker) -> list[Turn]:
    """`turns_from_events(tracker.events)`, reading only the events not read before."""
    events = tracker.events
    known: _TurnsRead | None = getattr(tracker, TURNS_READ, None)
    if known is None or known.events > len(events) or events[known.events - 1] is not known.last:
        known = _TurnsRead(0, None, ())
    new = newest(events, known.events)
    last_user = max((i for i, event in enumerate(new) if isinstance(event, UserUttered)), default=-1)
    if last_user >= 0:
        read = turns_from_events(new[: last_user + 1])
        known = _TurnsRead(known.events + last_user + 1, new[last_user], known.turns + tuple(read))
        setattr(tracker, TURNS_READ, known)
    return list(known.turns)

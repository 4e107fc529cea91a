"""What Rasa sends the action server for a custom action: the conversation's recent events,
unless the action reads the whole conversation (channels/action_history.py says which).

Rasa 3.6 (`RemoteAction._action_call_format`) sends every event of the session with every call.
Profiled 150 turns into a conversation, turning those events into JSON and back took tens of
milliseconds a call on each side, and grew with every turn. This keeps Rasa's request exactly
(the same fields, the slots and latest message in full, the domain only if the action needs
it) but with the events from the latest user messages on (channels/action_history.py `recent_start`).
Applied when the channels load, like channels/speedups.py; no Rasa file is changed.
"""

from __future__ import annotations

from typing import Any

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from channels.action_history import needs_whole_conversation, recent_start
from channels.tracker_copy import newest


def recent_events(tracker: DialogueStateTracker) -> list[Event]:
    """The events the action needs when it does not read the whole conversation."""
    return newest(tracker.events, recent_start(tracker.events))


def _action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
    if needs_whole_conversation(self.name(), intent, tracker.current_slot_values()):
        state = tracker.current_state(EventVerbosity.ALL)
    else:
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in recent_events(tracker)]
    result = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        result["domain"] = domain.as_dict()
    return result


def apply() -> None:
    RemoteAction._action_call_format = _action_call_format

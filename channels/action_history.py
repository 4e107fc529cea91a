"""How much of the conversation each custom action reads: Rasa sends the action server no more
(channels/action_payload.py). Sending every event of the conversation with every action call
(serialised, sent, parsed) was a cost that grew with each turn of a long conversation.

Only two actions read the whole conversation:
- the escalation: the case's transcript, and the reasons of every message;
- the answer that may ask how old the other person is, when nothing has said so yet: at most
  once a conversation, as the answer then sets `asked_other_age` or `other_age_known`.
Every other action reads the latest message, the slots, the events since the last user message
(the guided check: actions/school_check.py `actions_since_user`), and what the
statistics of a chat turn read (handoff/statistics.py `chat_turn`): whether this is the
session's first message, and whether the audience is known for the first time at this answer.
`recent_start` says where those events begin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from advice.follow_up import may_ask_other_age
from handoff.statistics import _NOT_ANSWERS  # the actions chat_turn does not count as answers

# The events sent to the other actions start at least this many user messages back: with two,
# `chat_turn` sees whether the latest is the session's first.
RECENT_USER_MESSAGES = 2
AUDIENCE_SLOT = "audience"


def needs_whole_conversation(action: str, latest_intent: str | None, slots: Mapping[str, Any]) -> bool:
    if action == "action_escalate":
        return True
    if action == "action_advise":
        return may_ask_other_age(latest_intent, slots)
    return False


def recent_start(events: Sequence[Any]) -> int:
    """The index of the first event an action needs (Rasa events, oldest first): from the
    RECENT_USER_MESSAGES-th latest user message, or further back when the statistics need it.

    `chat_turn` counts the audience at the first answer given once it is known. Over the whole
    session, whether an earlier answer counted it depends on the latest answer to an earlier
    message (P) and the audience slot events: it did if one came before P. So when the latest
    audience event (L) comes after P, the events sent reach back to P's message and to the last
    audience event before P (or the session's start: the audience is new); with no earlier
    answer at all, to the session's start. The walk stops at the first point it needs: it goes
    far back only on the turn the audience is said again long after it was last said, so over a
    conversation the work per turn stays bounded."""
    users = 0
    latest_audience = None  # L
    answered = None  # P
    current_answered = False  # the latest message already has its answer (chat_turn counts nothing)
    audience_before_answer = False  # an audience event in P's own turn, before P
    segment_answer = segment_audience = None  # since the last user message passed (going back)
    for position in range(len(events) - 1, -1, -1):
        event = events[position]
        kind = getattr(event, "type_name", None)
        if kind == "session_started":
            return position  # chat_turn reads the session from here
        if kind == "slot" and getattr(event, "key", None) == AUDIENCE_SLOT:
            if answered is not None:
                return _message_at_or_before(events, position)  # before P's message: P counted it
            latest_audience = position if latest_audience is None else latest_audience
            segment_audience = position
        elif kind == "action" and getattr(event, "action_name", None) not in _NOT_ANSWERS:
            segment_answer = position  # going back: ends as the first answer to its message
        elif kind == "user":
            users += 1
            if users == 1:
                current_answered = segment_answer is not None
            elif answered is None and segment_answer is not None:
                answered = segment_answer
                audience_before_answer = segment_audience is not None and segment_audience < answered
            segment_answer = segment_audience = None
            if users >= RECENT_USER_MESSAGES and (
                current_answered
                or (answered is not None and (latest_audience is None or latest_audience < answered))
                or audience_before_answer
            ):
                return position
    return 0


def _message_at_or_before(events: Sequence[Any], position: int) -> int:
    while position > 0 and getattr(events[position], "type_name", None) not in ("user", "session_started"):
        position -= 1
    return position

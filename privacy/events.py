"""Rasa tracker events as they are stored, and what was typed, held in memory.

The tracker store writes each message with its personal data redacted: what a person typed
(the user event's text and parse_data.text) and what a member of staff wrote in a takeover (a
bot event marked as theirs). The bot's own messages hold no one's personal data (they never
repeat what was typed) and public helpline numbers, so they are stored as they are. The
safeguarding screen's entities hold reason codes and ages, never text.

Redaction happens when a message is stored, after the NLU and the safeguarding screen have read
it. So that a turn still reads what was typed earlier in the conversation (and an escalated case
gets it for the staff who must act on it), the originals of redacted messages are held in this
process's memory (`HeldOriginals`) for the conversation's current session, at most
HOLD_SECONDS after the message, and given back to the trackers this process reads. Never
written; a restart forgets them, and the conversation then reads as stored.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from handoff.transcript import is_person_message
from privacy.redaction import redact

logger = logging.getLogger(__name__)
WITHHELD = "[message withheld]"  # stored in place of a message that could not be redacted
HOLD_SECONDS = 2 * 60 * 60  # the session expiry in domain.yml: a longer pause starts a new session
MAX_CONVERSATIONS = 2000  # held at once; the least recently active are forgotten first


def _typed_text(data: dict) -> str | None:
    """The text of a message a person wrote (the young person, or staff in a takeover)."""
    kind = data.get("event")
    if kind == "user" or (kind == "bot" and is_person_message(data)):
        text = data.get("text")
        return text if isinstance(text, str) and text else None
    return None


def redact_event(data: dict) -> dict:
    """The event as it is stored (the same dict when there is nothing to redact)."""
    text = _typed_text(data)
    if text is None:
        return data
    try:
        redacted, kinds = _redacted(text)
    except Exception:  # never stored as typed: the message is withheld instead
        logger.exception("a message could not be redacted: it is stored withheld")
        redacted, kinds = WITHHELD, ("withheld",)
    if not kinds:
        return data
    stored = {**data, "text": redacted}
    if isinstance(data.get("parse_data"), dict):
        stored["parse_data"] = {**data["parse_data"], "text": redacted}
    return stored


@lru_cache(maxsize=4096)
def _redacted(text: str) -> tuple[str, tuple[str, ...]]:
    """redact(), remembered: a store that saves a whole session each turn (Rasa's own, on
    PostgreSQL) meets the same messages again."""
    return redact(text)


def _key(data: dict) -> tuple:
    return data.get("event"), data.get("timestamp"), data.get("text")


class HeldOriginals:
    def __init__(self, hold_seconds: float = HOLD_SECONDS, max_conversations: int = MAX_CONVERSATIONS):
        self.hold_seconds, self.max_conversations = hold_seconds, max_conversations
        # conversation -> (stored event's key -> the original event dict)
        self._held: OrderedDict[str, dict[tuple, dict]] = OrderedDict()

    def for_storage(self, sender_id: str, events: list[dict]) -> list[dict]:
        """`events` as they are to be stored; the originals of the redacted ones are held."""
        stored = [redact_event(e) for e in events]
        if any(e.get("event") == "session_started" for e in events):
            self._held.pop(sender_id, None)  # a new session: the earlier one is not read again
        for original, kept in zip(events, stored, strict=False):
            if kept is not original:
                self._held.setdefault(sender_id, {})[_key(kept)] = original
                self._held.move_to_end(sender_id)
                self._forget_old(original.get("timestamp"))
        return stored

    def _forget_old(self, now: float | None) -> None:
        while len(self._held) > self.max_conversations:
            self._held.popitem(last=False)
        if now is None:
            return
        for sender_id in list(self._held):
            kept = {
                k: v for k, v in self._held[sender_id].items() if (k[1] or now) >= now - self.hold_seconds
            }
            if kept:
                self._held[sender_id] = kept
            else:
                del self._held[sender_id]

    def originals(self, sender_id: str) -> list[dict]:
        """The held originals of the conversation's redacted messages, in the order held."""
        return list(self._held.get(sender_id, {}).values())

    def restore(self, tracker: Any) -> None:
        """Gives a tracker this process read back the text of the messages it holds."""
        held = self._held.get(getattr(tracker, "sender_id", None))
        if not held:
            return
        for event in tracker.events:
            key = (
                getattr(event, "type_name", None),
                getattr(event, "timestamp", None),
                getattr(event, "text", None),
            )
            original = held.get(key)
            if original is None:
                continue
            event.text = original["text"]
            if isinstance(getattr(event, "parse_data", None), dict):
                event.parse_data["text"] = original["text"]

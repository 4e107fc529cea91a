"""Button payloads versus typed text: people could type intents (docs/intents.md, "Button
payloads and typed text").

Rasa reads any message that starts with "/" as an intent, with entities in braces: typed by a
person, `/restart` restarted the conversation and `/request_human{"concern":"threat"}` set a
concern the screen never found. Only the bot's own buttons may speak that way.

How they are told apart: a message shaped like a payload goes to Rasa as a payload only if the
bot offered exactly that payload as a button in this conversation (its bot messages in the
tracker; the chat page and a REST client send a button's payload as it was given). Anything
else, typed by a person, is plain text: the leading slash goes (channels.input_cleaning.as_typed)
and the NLU reads the words. Pressing an older button still works, as the chat page allows; a
person who types a payload the bot did offer gets what the button gives, which is harmless.
Nothing secret is needed, and a REST client cannot forge what the bot never offered.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from channels.input_cleaning import as_typed

logger = logging.getLogger(__name__)
LOOKUP_BUDGET_SECONDS = 0.3


def offered_payloads(events) -> set[str]:
    """Every button payload the bot's messages offered (Rasa events or their dicts)."""
    offered: set[str] = set()
    for event in events:
        if isinstance(event, dict):
            if event.get("event") != "bot":
                continue
            data = event.get("data") or {}
        else:
            if getattr(event, "type_name", None) != "bot":
                continue
            data = getattr(event, "data", None) or {}
        for button in data.get("buttons") or data.get("quick_replies") or []:
            payload = button.get("payload") if isinstance(button, dict) else None
            if isinstance(payload, str):
                offered.add(payload.strip())
    return offered


async def pressed_or_typed(agent: Any, sender_id: str, text: str) -> str:
    """`text` as Rasa should see it: a payload the bot offered stays; anything else starting
    with "/" becomes plain text."""
    if not text.startswith("/"):
        return text
    try:
        tracker = await asyncio.wait_for(agent.tracker_store.retrieve(sender_id), LOOKUP_BUDGET_SECONDS)
    except Exception as problem:  # cannot check: treat it as typed, never as an intent
        logger.error("could not check a button payload for %s: %s", sender_id, problem or "timeout")
        tracker = None
    if tracker is not None and text.strip() in offered_payloads(tracker.events):
        return text.strip()
    return as_typed(text) or "/empty_message"

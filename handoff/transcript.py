"""A conversation's transcript, read from Rasa tracker events (the action server's view of the
tracker and the HTTP API's JSON have the same event dicts).

A message a staff member wrote is a bot event whose metadata carries `from_person`: the console
adds it that way so the young person's chat shows it, and it reads back here as the agent's.
"""

from __future__ import annotations

from datetime import datetime, timezone

PERSON_KEY = "from_person"  # BotUttered metadata: a staff member wrote this message
STAFF_NAME_KEY = "staff_name"  # BotUttered metadata: the name shown to the young person


def is_person_message(event: dict) -> bool:
    return bool((event.get("metadata") or {}).get(PERSON_KEY))


def transcript(events: list[dict]) -> list[dict]:
    """The user's, the bot's and staff members' messages, in order, as
    {"sender": user|bot|agent, "text", "sent_at", "author"}."""
    out = []
    for event in events:
        kind = event.get("event")
        if kind not in ("user", "bot") or not event.get("text"):
            continue
        ts = event.get("timestamp")
        sender, author = kind, None
        if kind == "bot" and is_person_message(event):
            sender, author = "agent", (event.get("metadata") or {}).get(STAFF_NAME_KEY)
        out.append(
            {
                "sender": sender,
                "text": event["text"],
                "author": author,
                "sent_at": datetime.fromtimestamp(ts, timezone.utc) if ts else None,
            }
        )
    return out

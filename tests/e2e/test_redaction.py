"""Personal data through the real Rasa server, action server and SQLite stores: the tracker store
keeps every message redacted; an escalated case keeps the messages as they were typed, for the
staff who act on it (privacy/, channels/tracker_store.py)."""

from __future__ import annotations

import sqlite3
import time
import uuid

from handoff.store import CaseStore
from tests.e2e.conftest import post

BLACKMAIL = "a man i met online says he will share my nudes unless i pay him 200 pounds today"


def stored(assistant, sender: str, user_messages: int) -> str:
    """The conversation's events as stored, once its user messages are (a first reply can be the
    safety net's while Rasa, still warming up, finishes the turn)."""
    deadline = time.monotonic() + 30
    while True:
        with sqlite3.connect(assistant["work"] / "tracker.db") as db:
            rows = db.execute("select type_name, data from events where sender_id = ?", (sender,)).fetchall()
        if sum(kind == "user" for kind, _ in rows) >= user_messages or time.monotonic() > deadline:
            return "\n".join(data for _, data in rows)
        time.sleep(0.2)


def say(assistant, sender: str, text: str) -> list[dict]:
    status, replies = post(assistant["url"], {"sender": sender, "message": text})
    assert status == 200 and replies
    return replies


def test_the_tracker_store_keeps_a_message_redacted(assistant):
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    say(assistant, sender, "can you email me the report remove link at jo.bloggs@example.com")
    record = stored(assistant, sender, 1)
    assert "jo.bloggs@example.com" not in record and "[email]" in record


def test_an_escalated_case_keeps_what_was_typed_and_the_tracker_store_does_not(assistant):
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    typed = [
        "hi im Chloe",
        f"{BLACKMAIL}, his number is 07700 900 456",
        "we're at 12 Oak Road, LS6 2AB",
    ]
    say(assistant, sender, typed[0])
    escalation = say(assistant, sender, typed[1])
    assert any("handoff" in (m.get("custom") or {}) for m in escalation)
    say(assistant, sender, typed[2])

    record = stored(assistant, sender, 3)
    assert not any(piece in record for piece in ("Chloe", "07700", "Oak Road", "LS6"))
    assert "[name]" in record and "[phone]" in record and "[address], [postcode]" in record
    case = CaseStore(f"sqlite:///{assistant['handoff_db']}").for_conversation(sender)
    assert [m["text"] for m in case.messages if m["sender"] == "user"] == typed
    assert typed[1] in case.summary

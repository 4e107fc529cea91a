"""The one writer of a case's messages (its transcript), with the rules that keep it whole.

Three parts of the service copy a chat into its case, all through `CaseTranscripts.add`:
- the action server, when a case opens or grows (`CaseStore.escalate`, and the outbox's retry);
- the staff console, as the chat goes on (console/live.py) and after its own messages
  (console/takeover.py), from the tracker store, where messages are kept redacted;
- the tracker store, an escalated chat's messages as they were typed (channels/tracker_store.py).

The rules (docs/privacy.md, "Escalated cases"):
- A message is known by `message_key`: its time, sender and text as the tracker store keeps it
  (redacted), so copies from any of them, in any order or at once, never duplicate a message.
- A copy as typed replaces a redacted copy of the same message, never the reverse.
- A closed case gets nothing more.

Reading a transcript from Rasa's events is handoff/transcript.py; reading a case is CaseStore.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.db import aware, case_messages, cases, database_url, engine_for
from handoff.statistics import Statistics, reply_band
from privacy import redact

CLOSED = "closed"


def message_key(sender: str, text: str, sent_at: datetime | None) -> str:
    """A message's identity in its case. Made from the text as the tracker store keeps it
    (redacted, privacy/), so a copy as typed and a copy as stored are one message."""
    stamp = sent_at.astimezone(timezone.utc).isoformat(timespec="microseconds") if sent_at else "-"
    return hashlib.sha1(f"{stamp}|{sender}|{redact(text)[0]}".encode()).hexdigest()


def give_keys_to_old_messages(db) -> None:
    """Messages copied before the staff console had no key: give them theirs (handoff/db.py's
    migration calls this in its transaction)."""
    for row in db.execute(sa.select(case_messages).where(case_messages.c.event_key.is_(None))).all():
        db.execute(
            sa.update(case_messages)
            .where(case_messages.c.id == row.id)
            .values(event_key=message_key(row.sender, row.text, aware(row.sent_at)))
        )


def is_typed_copy_of(text: str, stored: str) -> bool:
    """`text` is the message as typed and `stored` its redacted copy (not the same text)."""
    return text != stored and redact(text)[0] == stored


class CaseTranscripts:
    def __init__(self, url: str | None = None, clock: Clock = SYSTEM_CLOCK):
        self.url = database_url(url)
        self.engine = engine_for(self.url)
        self.clock = clock
        self.statistics = Statistics(self.url, clock)

    def add(self, case_id: str, messages: list[dict]) -> int:
        """Adds the messages ({"sender", "text", "sent_at", "author"?}) the case does not have
        yet, and puts typed copies in place of redacted ones; returns how many were added."""
        for _attempt in range(3):
            try:
                added, first_reply = self._add_once(case_id, messages)
            except IntegrityError:
                continue  # another process added some of the same messages: look again
            if first_reply is not None:
                self.statistics.add("first_reply", reply_band(first_reply[0]), first_reply[1])
            return added
        return 0

    def _add_once(self, case_id: str, messages: list[dict]) -> tuple[int, tuple[timedelta, datetime] | None]:
        with self.engine.begin() as db:
            status = db.execute(sa.select(cases.c.status).where(cases.c.id == case_id)).scalar()
            if status is None or status == CLOSED:
                return 0, None
            have = dict(
                db.execute(
                    sa.select(case_messages.c.event_key, case_messages.c.text).where(
                        case_messages.c.case_id == case_id
                    )
                ).all()
            )
            new: dict[str, dict] = {}
            for m in messages:
                key = message_key(m["sender"], m["text"], m.get("sent_at"))
                if key in new:  # twice in this copy: keep the one as typed
                    if is_typed_copy_of(m["text"], new[key]["text"]):
                        new[key]["text"] = m["text"]
                elif key in have:
                    if is_typed_copy_of(m["text"], have[key]):
                        db.execute(
                            sa.update(case_messages)
                            .where(case_messages.c.case_id == case_id, case_messages.c.event_key == key)
                            .values(text=m["text"])
                        )
                        have[key] = m["text"]
                else:
                    new[key] = {
                        "case_id": case_id,
                        "sender": m["sender"],
                        "text": m["text"],
                        "author": m.get("author"),
                        "sent_at": m.get("sent_at") or self.clock.now(),
                        "event_key": key,
                    }
            rows = list(new.values())
            first_reply = self._first_staff_reply(db, case_id, rows)
            if rows:
                db.execute(sa.insert(case_messages), rows)
                db.execute(sa.update(cases).where(cases.c.id == case_id).values(updated_at=self.clock.now()))
        return len(rows), first_reply

    def _first_staff_reply(self, db, case_id: str, rows: list[dict]) -> tuple[timedelta, datetime] | None:
        """(time since the case opened, when) if `rows` hold the case's first staff message.

        Staff messages from before the case opened belong to an earlier case of the same chat.
        Writing to the case row first takes its lock (PostgreSQL) or the write lock (SQLite)
        before looking, so two copies at once cannot both find "the first"."""
        staff_rows = [r for r in rows if r["sender"] == "agent"]
        if not staff_rows:
            return None
        db.execute(sa.update(cases).where(cases.c.id == case_id).values(updated_at=self.clock.now()))
        opened = db.execute(sa.select(cases.c.created_at).where(cases.c.id == case_id)).scalar()
        if opened is None:
            return None
        opened = aware(opened)
        since_open = sorted(aware(r["sent_at"]) for r in staff_rows if aware(r["sent_at"]) >= opened)
        if not since_open:
            return None
        earlier = db.execute(
            sa.select(case_messages.c.id)
            .where(
                case_messages.c.case_id == case_id,
                case_messages.c.sender == "agent",
                case_messages.c.sent_at >= opened,
            )
            .limit(1)
        ).first()
        return None if earlier else (since_open[0] - opened, since_open[0])

"""Incident decision records, kept for 24 hours so the chat can link to a PDF of one.

A record is the check's structured answers (never anything typed in the chat), the force and
the time of the decision, stored under an unguessable token (secrets.token_urlsafe) in a table
of its own in the cases database (handoff/db.py: check_records), reached the way the case store
reaches it (HANDOFF_DB_URL, or the SQLite default; one shared engine per database). The retention
purge (handoff/retention.py) deletes expired ones too.
Nothing links a record to a conversation. The PDF is made again from the answers on each
download (widget/serve.py, GET /records/<token>.pdf).
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import sqlalchemy as sa

from advice.forces import current_force
from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.db import check_records, database_url, engine_for
from school_check.decision_record import build_record
from school_check.engine import CheckState
from school_check.pdf import render

KEEP_FOR = timedelta(hours=24)
TOKEN_BYTES = 32  # 256 bits: unguessable
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what token_urlsafe(32) gives


@dataclass(frozen=True)
class StoredRecord:
    token: str
    force_id: str
    answers: dict
    decided_at: datetime


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written as UTC
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class RecordStore:
    def __init__(self, url: str | None = None, clock: Clock = SYSTEM_CLOCK):
        self.url = database_url(url)
        self.engine = engine_for(self.url)
        self.clock = clock

    def save(self, answers: dict, force_id: str, decided_at: datetime | None = None) -> str:
        decided_at = decided_at or self.clock.now()
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self.engine.begin() as db:
            db.execute(sa.delete(check_records).where(check_records.c.expires_at < self.clock.now()))
            db.execute(
                sa.insert(check_records).values(
                    token=token,
                    force_id=force_id,
                    answers=json.dumps(answers),
                    decided_at=decided_at,
                    expires_at=decided_at + KEEP_FOR,
                )
            )
        return token

    def load(self, token: str, now: datetime | None = None) -> StoredRecord | None:
        """The record, or None when the token is malformed, unknown or expired."""
        if not TOKEN_SHAPE.match(token or ""):
            return None
        with self.engine.connect() as db:
            row = db.execute(sa.select(check_records).where(check_records.c.token == token)).first()
        if row is None or _aware(row.expires_at) <= (now or self.clock.now()):
            return None
        return StoredRecord(row.token, row.force_id, json.loads(row.answers), _aware(row.decided_at))

    def delete(self, token: str) -> None:
        with self.engine.begin() as db:
            db.execute(sa.delete(check_records).where(check_records.c.token == token))


@lru_cache(maxsize=1)
def record_store() -> RecordStore:
    return RecordStore()


def pdf_for(name: str, store: RecordStore | None = None) -> bytes | None:
    """The PDF for a download name "<token>.pdf", or None if there is no such live record."""
    if not name.endswith(".pdf"):
        return None
    stored = (store or record_store()).load(name.removesuffix(".pdf"))
    if stored is None:
        return None
    state = CheckState.from_slot(stored.answers)
    return render(build_record(state, stored.decided_at, force=current_force(stored.force_id)))

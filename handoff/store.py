"""Cases: one per escalated conversation, with its reasons, risk level and transcript.

SQLite by default, PostgreSQL (or anything SQLAlchemy speaks) by URL:
    HANDOFF_DB_URL=postgresql://user:pass@127.0.0.1:5432/handoff
"""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'handoff.db'}"
OPEN_STATUSES = ("queued", "unavailable", "connected")

metadata = sa.MetaData()
cases = sa.Table(
    "cases", metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, unique=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("risk_level", sa.String(16), nullable=False),
    sa.Column("reasons", sa.Text, nullable=False),          # JSON list, urgency order
    sa.Column("audience", sa.String(16)),
    sa.Column("force_id", sa.String(64)),
    sa.Column("summary", sa.Text, nullable=False, default="[]"),  # JSON: the messages that raised it
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("outcome", sa.String(32)),
)
case_messages = sa.Table(
    "case_messages", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(16), sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("sender", sa.String(16), nullable=False),     # user | bot | agent
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass
class Case:
    id: str
    conversation_id: str
    status: str
    risk_level: str
    reasons: list[str]
    audience: str | None
    force_id: str | None
    summary: list[str]
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    outcome: str | None = None
    messages: list[dict] = field(default_factory=list)
    new_reasons: list[str] = field(default_factory=list)   # added by the latest update


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _row_to_case(row) -> Case:
    return Case(row.id, row.conversation_id, row.status, row.risk_level, json.loads(row.reasons),
                row.audience, row.force_id, json.loads(row.summary or "[]"), row.created_at,
                row.updated_at, row.closed_at, row.outcome)


class CaseStore:
    def __init__(self, url: str | None = None):
        self.url = url or os.environ.get("HANDOFF_DB_URL") or DEFAULT_URL
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(self.url, future=True, pool_pre_ping=True)
        metadata.create_all(self.engine)

    def escalate(self, conversation_id: str, reasons: list[str], risk_level: str, status: str,
                 audience: str | None, force_id: str | None, summary: list[str],
                 transcript: list[dict]) -> Case:
        """Opens the conversation's case, or adds reasons to it (one case per conversation)."""
        now = _now()
        with self.engine.begin() as db:
            row = db.execute(sa.select(cases).where(cases.c.conversation_id == conversation_id)
                             .with_for_update()).first()
            if row is None or row.status == "closed":
                if row is not None:   # a closed case stays closed; a new concern opens a new one
                    db.execute(sa.update(cases).where(cases.c.id == row.id)
                               .values(conversation_id=f"{conversation_id}#closed-{row.id}"))
                case_id = secrets.token_hex(6)
                db.execute(sa.insert(cases).values(
                    id=case_id, conversation_id=conversation_id, status=status, risk_level=risk_level,
                    reasons=json.dumps(reasons), audience=audience, force_id=force_id,
                    summary=json.dumps(summary), created_at=now, updated_at=now))
                new = list(reasons)
            else:
                case_id = row.id
                old = json.loads(row.reasons)
                new = [r for r in reasons if r not in old]
                keep_status = row.status if row.status == "connected" else status
                db.execute(sa.update(cases).where(cases.c.id == case_id).values(
                    reasons=json.dumps(reasons), risk_level=risk_level, status=keep_status,
                    audience=audience or row.audience, summary=json.dumps(summary), updated_at=now))
            self._replace_transcript(db, case_id, transcript)
        case = self.get(case_id)
        case.new_reasons = new
        return case

    @staticmethod
    def _replace_transcript(db, case_id: str, transcript: list[dict]) -> None:
        # The tracker is the record of the conversation; the case keeps a copy staff can read.
        db.execute(sa.delete(case_messages).where(case_messages.c.case_id == case_id,
                                                  case_messages.c.sender != "agent"))
        rows = [{"case_id": case_id, "sender": m["sender"], "text": m["text"],
                 "sent_at": m.get("sent_at") or _now()} for m in transcript if m.get("text")]
        if rows:
            db.execute(sa.insert(case_messages), rows)

    def get(self, case_id: str) -> Case | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(cases).where(cases.c.id == case_id)).first()
            if row is None:
                return None
            case = _row_to_case(row)
            case.messages = [dict(m._mapping) for m in db.execute(
                sa.select(case_messages).where(case_messages.c.case_id == case_id)
                .order_by(case_messages.c.sent_at, case_messages.c.id))]
            return case

    def for_conversation(self, conversation_id: str) -> Case | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(cases.c.id).where(cases.c.conversation_id == conversation_id)).first()
        return self.get(row.id) if row else None

    def open_cases(self) -> list[Case]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(cases).where(cases.c.status.in_(OPEN_STATUSES))).all()
        return [_row_to_case(r) for r in rows]

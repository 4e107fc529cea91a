"""The audit log: who viewed or did what, and when. Rows are only ever added, and never hold what
anyone wrote: a reply is logged by its length, a closing by its outcome, a deletion by its counts
(tests/console/test_socketio.py and tests/unit/test_retention.py check it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.db import audit_log, aware, database_url, engine_for

# What each action means, for the supervisor's audit page.
ACTIONS = {
    "sign_in": "signed in",
    "sign_in_failed": "failed to sign in",
    "sign_in_locked": "was refused sign-in (locked out)",  # before the back-off: old entries
    "sign_in_throttled": "was refused sign-in unchecked (too many wrong passwords, or one being checked)",
    "sign_out": "signed out",
    "csrf_rejected": "sent a form without a valid CSRF token",
    "forbidden": "tried a page their role does not allow",
    "duty_on": "went on duty",
    "duty_off": "went off duty",
    "view_queue": "viewed the queue",
    "view_case": "viewed the case",
    "claim": "claimed the case (bot paused)",
    "take_over": "took the case from a colleague (bot paused)",
    "reply": "replied to the young person",
    "hand_back": "handed the conversation back to the bot",
    "note": "added a note",
    "close": "closed the case",
    "view_closed": "viewed closed cases",
    "view_audit": "viewed the audit log",
    "view_statistics": "viewed the statistics",
    "export_statistics": "downloaded the statistics (CSV)",
    "staff_added": "added a staff account",
    "staff_disabled": "disabled a staff account",
    "staff_enabled": "enabled a staff account",
    "password_reset": "reset a password",
    "supervisor_created": "created a supervisor from the command line",
    "purge": "deleted records past their retention period (counts only)",
    "forget": "deleted a person's conversation and case on request (counts only)",
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    case_id: str | None
    detail: str
    ip: str | None

    @property
    def description(self) -> str:
        return ACTIONS.get(self.action, self.action)


class AuditLog:
    def __init__(self, url: str | None = None, clock: Clock = SYSTEM_CLOCK):
        self.engine = engine_for(database_url(url))
        self.clock = clock

    def record(
        self,
        action: str,
        actor: str,
        staff_id: int | None = None,
        case_id: str | None = None,
        detail: str = "",
        ip: str | None = None,
    ) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        with self.engine.begin() as db:
            db.execute(
                sa.insert(audit_log).values(
                    at=self.clock.now(),
                    staff_id=staff_id,
                    actor=actor[:64],
                    action=action,
                    case_id=case_id,
                    detail=detail[:2000],
                    ip=ip,
                )
            )

    def entries(
        self, case_id: str | None = None, actor: str | None = None, limit: int = 500
    ) -> list[AuditEntry]:
        query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if case_id:
            query = query.where(audit_log.c.case_id == case_id)
        if actor:
            query = query.where(audit_log.c.actor == actor)
        with self.engine.connect() as db:
            rows = db.execute(query).all()
        return [AuditEntry(r.id, aware(r.at), r.actor, r.action, r.case_id, r.detail, r.ip) for r in rows]

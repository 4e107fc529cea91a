"""Cases: one per escalated conversation, with its reasons, risk level, transcript, who has it,
the staff's notes and how it ended.

The action server opens and updates cases (`escalate`); the staff console claims, hands back
and closes them. The tables are in handoff/db.py; a case's messages are written by
handoff/case_transcript.py only.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from handoff.case_transcript import CaseTranscripts
from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.db import (
    DEFAULT_URL,
    aware,
    case_messages,
    case_notes,
    cases,
    database_url,
    engine_for,
    staff,
)
from handoff.statistics import Statistics
from safeguarding.reasons import REASON_CODES, RISK_LEVELS, ordered

__all__ = ["Case", "CaseStore", "CaseStateError", "DEFAULT_URL", "OPEN_STATUSES", "OUTCOMES"]

OPEN_STATUSES = ("queued", "unavailable", "connected")

# How a case ended. The keys are stored; the words are what staff read.
OUTCOMES = {
    "advice_given": "Advice given",
    "referred_police": "Referred to police",
    "referred_social_care": "Referred to children's social care / MASH",
    "called_999": "999 called",
    "person_left": "The person left",
}


def higher_risk(first: str | None, second: str | None) -> str:
    """The higher of two risk levels (an unknown level counts as the lowest)."""
    rank = {level: i for i, level in enumerate(RISK_LEVELS)}
    return max((first or "low", second or "low"), key=lambda level: rank.get(level, -1))


def merge_reasons(old: list[str], added: list[str]) -> list[str]:
    """Every reason of both, known codes in urgency order (unknown ones kept, after them)."""
    every = list(dict.fromkeys([*old, *added]))
    return ordered(every) + [r for r in every if r not in REASON_CODES]


class CaseStateError(ValueError):
    """The case is not in a state that allows this (closed, or someone else has it)."""


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
    claimed_by: int | None = None
    claimed_by_name: str | None = None
    claimed_at: datetime | None = None
    closed_by: int | None = None
    messages: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    new_reasons: list[str] = field(default_factory=list)  # added by the latest update

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def conversation(self) -> str:
        """The Rasa conversation id (a closed case's id is suffixed so a new case can open)."""
        return self.conversation_id.split("#closed-")[0]


_CASE_COLUMNS = [*cases.c, staff.c.display_name.label("claimed_by_name")]


def _case_query():
    return sa.select(*_CASE_COLUMNS).select_from(cases.outerjoin(staff, staff.c.id == cases.c.claimed_by))


def _row_to_case(row) -> Case:
    return Case(
        row.id,
        row.conversation_id,
        row.status,
        row.risk_level,
        json.loads(row.reasons),
        row.audience,
        row.force_id,
        json.loads(row.summary or "[]"),
        aware(row.created_at),
        aware(row.updated_at),
        aware(row.closed_at),
        row.outcome,
        row.claimed_by,
        row.claimed_by_name,
        aware(row.claimed_at),
        row.closed_by,
    )


class CaseStore:
    def __init__(self, url: str | None = None, clock: Clock = SYSTEM_CLOCK):
        self.url = database_url(url)
        self.engine = engine_for(self.url)
        self.clock = clock
        self.statistics = Statistics(self.url, clock)
        self.transcripts = CaseTranscripts(self.url, clock)  # the one writer of cases' messages

    # --- the action server -------------------------------------------------------------
    def escalate(
        self,
        conversation_id: str,
        reasons: list[str],
        risk_level: str,
        status: str,
        audience: str | None,
        force_id: str | None,
        summary: list[str],
        transcript: list[dict],
        case_id: str | None = None,
    ) -> Case:
        """Opens the conversation's case, or adds reasons to it (one case per conversation).

        `case_id` names a new case (the outbox gives the id the person was already told); an
        open case keeps its own. An update never lowers the risk level, never removes a reason
        and never drops a message from the summary: whatever calls it, and in whatever order
        (the action server, the outbox, a retry), a case only ever grows."""
        stamp = self.clock.now()

        def open_or_add() -> tuple[str, list[str], bool]:
            """One transaction: (the case's id, the reasons new to it, whether it was opened)."""
            with self.engine.begin() as db:
                row = db.execute(
                    sa.select(cases).where(cases.c.conversation_id == conversation_id).with_for_update()
                ).first()
                if row is not None and row.status != "closed":
                    old = json.loads(row.reasons)
                    old_summary = json.loads(row.summary or "[]")
                    db.execute(
                        sa.update(cases)
                        .where(cases.c.id == row.id)
                        .values(
                            reasons=json.dumps(merge_reasons(old, reasons)),
                            risk_level=higher_risk(row.risk_level, risk_level),
                            status=row.status if row.status == "connected" else status,
                            audience=audience or row.audience,
                            summary=json.dumps(old_summary + [m for m in summary if m not in old_summary]),
                            updated_at=stamp,
                        )
                    )
                    return row.id, [r for r in reasons if r not in old], False
                if row is not None:  # a closed case stays closed; a new concern opens a new one
                    db.execute(
                        sa.update(cases)
                        .where(cases.c.id == row.id)
                        .values(conversation_id=f"{conversation_id}#closed-{row.id}")
                    )
                taken = case_id and db.execute(sa.select(cases.c.id).where(cases.c.id == case_id)).first()
                new_id = case_id if case_id and not taken else secrets.token_hex(6)
                db.execute(
                    sa.insert(cases).values(
                        id=new_id,
                        conversation_id=conversation_id,
                        reasons=json.dumps(reasons),
                        risk_level=risk_level,
                        status=status,
                        audience=audience,
                        force_id=force_id,
                        summary=json.dumps(summary),
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
                return new_id, list(reasons), True

        try:
            written_id, new, opened = open_or_add()
        except sa.exc.IntegrityError:
            # another process opened this conversation's case at the same moment (a late turn's
            # safety reply and the action server): a second attempt finds it and adds to it
            written_id, new, opened = open_or_add()
        # counted once: the transaction decided what is new (a second attempt finds it there)
        if opened:
            self.statistics.add("cases", status, stamp)
        for reason in new:
            if reason in REASON_CODES:
                self.statistics.add("reasons", reason, stamp)
        self.transcripts.add(written_id, transcript)
        case = self.get(written_id)
        case.new_reasons = new
        return case

    # --- reading -----------------------------------------------------------------------
    def status(self, case_id: str) -> str | None:
        """The case's status (queued, unavailable, connected, closed): this is its one record."""
        with self.engine.connect() as db:
            return db.execute(sa.select(cases.c.status).where(cases.c.id == case_id)).scalar()

    def get(self, case_id: str) -> Case | None:
        with self.engine.connect() as db:
            row = db.execute(_case_query().where(cases.c.id == case_id)).first()
            if row is None:
                return None
            case = _row_to_case(row)
            case.messages = [
                _message(m)
                for m in db.execute(
                    sa.select(case_messages)
                    .where(case_messages.c.case_id == case_id)
                    .order_by(case_messages.c.sent_at, case_messages.c.id)
                )
            ]
            case.notes = [
                dict(n._mapping, written_at=aware(n.written_at))
                for n in db.execute(
                    sa.select(case_notes).where(case_notes.c.case_id == case_id).order_by(case_notes.c.id)
                )
            ]
            return case

    def messages_after(self, case_id: str, message_id: int) -> list[dict]:
        """Messages added to the case after the one with this id (in the order they were added)."""
        with self.engine.connect() as db:
            return [
                _message(m)
                for m in db.execute(
                    sa.select(case_messages)
                    .where(case_messages.c.case_id == case_id, case_messages.c.id > message_id)
                    .order_by(case_messages.c.id)
                )
            ]

    def for_conversation(self, conversation_id: str) -> Case | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(cases.c.id).where(cases.c.conversation_id == conversation_id)).first()
        return self.get(row.id) if row else None

    def open_cases(self) -> list[Case]:
        with self.engine.connect() as db:
            rows = db.execute(_case_query().where(cases.c.status.in_(OPEN_STATUSES))).all()
        return [_row_to_case(r) for r in rows]

    def closed_cases(self, limit: int = 200) -> list[Case]:
        with self.engine.connect() as db:
            rows = db.execute(
                _case_query()
                .where(cases.c.status == "closed")
                .order_by(cases.c.closed_at.desc())
                .limit(limit)
            ).all()
        return [_row_to_case(r) for r in rows]

    # --- the staff console -------------------------------------------------------------
    def claim(self, case_id: str, staff_id: int, take_from_colleague: bool = False) -> Case:
        """Gives the case to a staff member and marks it connected (the bot pauses).

        Only one person has a case: claiming one a colleague has needs take_from_colleague
        (a supervisor's decision, made in the console)."""
        with self.engine.begin() as db:
            row = self._locked(db, case_id)
            if row.claimed_by not in (None, staff_id) and not take_from_colleague:
                raise CaseStateError("someone else has this case")
            db.execute(
                sa.update(cases)
                .where(cases.c.id == case_id)
                .values(
                    claimed_by=staff_id,
                    claimed_at=self.clock.now(),
                    status="connected",
                    updated_at=self.clock.now(),
                )
            )
        return self.get(case_id)

    def undo(self, before: Case) -> None:
        """Puts a case's claim and status back as they were before a claim or a hand back the
        chat could not be told about."""
        with self.engine.begin() as db:
            db.execute(
                sa.update(cases)
                .where(cases.c.id == before.id)
                .values(
                    claimed_by=before.claimed_by,
                    claimed_at=before.claimed_at,
                    status=before.status,
                    updated_at=self.clock.now(),
                )
            )

    def hand_back(self, case_id: str, status: str) -> Case:
        """The bot answers again; the case stays open, with whoever had it."""
        with self.engine.begin() as db:
            row = self._locked(db, case_id)
            if row.status != "connected":
                raise CaseStateError("the bot is already answering this conversation")
            db.execute(
                sa.update(cases)
                .where(cases.c.id == case_id)
                .values(status=status, updated_at=self.clock.now())
            )
        return self.get(case_id)

    def close(self, case_id: str, staff_id: int, author: str, outcome: str, note: str) -> Case:
        if outcome not in OUTCOMES:
            raise CaseStateError(f"unknown outcome {outcome!r}")
        with self.engine.begin() as db:
            self._locked(db, case_id)
            stamp = self.clock.now()
            closing = db.execute(
                sa.update(cases)
                .where(cases.c.id == case_id, cases.c.status != "closed")  # closed once, counted once
                .values(
                    status="closed", outcome=outcome, closed_at=stamp, closed_by=staff_id, updated_at=stamp
                )
            )
            if closing.rowcount != 1:
                raise CaseStateError("the case is closed")
            db.execute(
                sa.insert(case_notes).values(
                    case_id=case_id,
                    staff_id=staff_id,
                    author=author,
                    kind="closing",
                    text=note,
                    written_at=stamp,
                )
            )
        self.statistics.add("outcomes", outcome, stamp)
        return self.get(case_id)

    def add_note(self, case_id: str, staff_id: int, author: str, text: str) -> None:
        with self.engine.begin() as db:
            self._locked(db, case_id, allow_closed=True)
            db.execute(
                sa.insert(case_notes).values(
                    case_id=case_id,
                    staff_id=staff_id,
                    author=author,
                    kind="note",
                    text=text,
                    written_at=self.clock.now(),
                )
            )
            db.execute(sa.update(cases).where(cases.c.id == case_id).values(updated_at=self.clock.now()))

    @staticmethod
    def _locked(db, case_id: str, allow_closed: bool = False):
        row = db.execute(sa.select(cases).where(cases.c.id == case_id).with_for_update()).first()
        if row is None:
            raise CaseStateError("no such case")
        if row.status == "closed" and not allow_closed:
            raise CaseStateError("the case is closed")
        return row


def _message(row) -> dict:
    return {
        "id": row.id,
        "sender": row.sender,
        "text": row.text,
        "author": row.author,
        "sent_at": aware(row.sent_at),
    }

"""What the console shows: the queue in order, reasons in plain words, waiting times, times in
the force's time zone. Everything here is data; the templates escape it and the page script
writes it with textContent."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from console.reasons import plain, risk_rank
from handoff.store import OUTCOMES, Case

AUDIENCES = {"young_person": "young person", "parent": "parent or carer", "school": "school staff"}
STATUS_WORDS = {
    "queued": "waiting for a person",
    "unavailable": "raised when nobody was on duty",
    "connected": "a person is in the chat (bot paused)",
    "closed": "closed",
}


def waiting_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} days"


def local_time(value: datetime | None, zone: ZoneInfo, seconds: bool = False) -> str:
    return value.astimezone(zone).strftime("%a %d %b %H:%M" + (":%S" if seconds else "")) if value else ""


def case_summary(case: Case, now: datetime, zone: ZoneInfo) -> dict:
    """One case as the queue and the case page show it (JSON-safe)."""
    waited = (now - case.created_at).total_seconds()
    if case.status == "closed":
        who = f"was with {case.claimed_by_name}" if case.claimed_by_name else "nobody claimed it"
    elif case.status == "connected":
        who = f"{case.claimed_by_name} is in the chat"
    elif case.claimed_by_name:
        who = f"{case.claimed_by_name} has it (bot answering)"
    else:
        who = "nobody yet"
    return {
        "id": case.id,
        "risk": case.risk_level,
        "risk_rank": risk_rank(case.risk_level),
        "reasons": [plain(r) for r in case.reasons],
        "reason_codes": list(case.reasons),
        "audience": AUDIENCES.get(case.audience or "", "not known yet"),
        "status": case.status,
        "status_text": STATUS_WORDS.get(case.status, case.status),
        "claimed_by": case.claimed_by,
        "claimed_by_name": case.claimed_by_name,
        "who": who,
        "waiting_seconds": int(waited),
        "waiting": waiting_text(waited),
        "opened": local_time(case.created_at, zone),
        "updated": case.updated_at.isoformat(),
        "outcome": OUTCOMES.get(case.outcome or "", ""),
        "closed": local_time(case.closed_at, zone),
    }


def ordered_queue(cases: list[Case], now: datetime, zone: ZoneInfo) -> list[dict]:
    """Open cases, most urgent first: risk level, then the longest wait."""
    items = [case_summary(c, now, zone) for c in cases if c.is_open]
    return sorted(items, key=lambda item: (item["risk_rank"], -item["waiting_seconds"], item["id"]))


def message_view(message: dict, zone: ZoneInfo) -> dict:
    sender = message["sender"]
    label = {"user": "Person chatting", "bot": "Bot"}.get(
        sender
    ) or f"{message.get('author') or 'Staff'} (staff)"
    return {
        "id": message["id"],
        "sender": sender,
        "label": label,
        "text": message["text"],
        "time": local_time(message.get("sent_at"), zone, seconds=True),
    }

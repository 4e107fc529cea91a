"""Who may do what to a case, and when: the one copy of these rules.

The console's pages (console/) ask here which buttons to show, and its takeover
(console/takeover.py) asks here before it acts, so a button is offered exactly when the action
behind it is allowed. Each `*_refusal` returns why not, in words staff read, or None when allowed.

Two roles (handoff/staff.py): an agent works cases; a supervisor also takes a case over from a
colleague, hands back or closes a case someone else has, reads and notes closed cases, and has
the supervisor pages (staff accounts, closed cases, the audit log, statistics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the store and staff modules need nothing from here
    from handoff.staff import StaffMember
    from handoff.store import Case

SUPERVISORS_ONLY = "Only a supervisor can do that."
OFF_DUTY = "Go on duty before you claim a case."


class NotAllowed(ValueError):
    """The staff member may not do this to this case now (the message says why, in plain words)."""


def require(refusal: str | None) -> None:
    """Raises NotAllowed with the refusal, if there is one."""
    if refusal is not None:
        raise NotAllowed(refusal)


# --- who they are and where they are ---------------------------------------------------------
def may_supervise(member: StaffMember) -> bool:
    """The supervisor pages and actions: staff accounts, closed cases, the audit log, statistics."""
    return member.is_supervisor


def has_case(case: Case, member: StaffMember) -> bool:
    return case.claimed_by == member.id


def in_the_chat(case: Case, member: StaffMember) -> bool:
    """The member is talking to the young person now (the bot is paused for them)."""
    return case.status == "connected" and has_case(case, member)


def colleague_has(case: Case, member: StaffMember) -> bool:
    """Someone else has claimed the case."""
    return case.claimed_by is not None and not has_case(case, member)


# --- the rules --------------------------------------------------------------------------------
def may_view(case: Case, member: StaffMember) -> bool:
    """Everyone reads open cases; only supervisors read closed ones."""
    return case.is_open or may_supervise(member)


def claim_refusal(case: Case, member: StaffMember) -> str | None:
    """Claiming pauses the bot and puts the member in the chat. Taking a case a colleague has is
    a supervisor's decision."""
    if not case.is_open:
        return "This case is closed."
    if in_the_chat(case, member):
        return "You are already in this chat."
    if colleague_has(case, member) and not may_supervise(member):
        return f"{case.claimed_by_name} has this case. A supervisor can take it over."
    if not member.on_duty:  # last: the case page offers the claim to whoever could claim on duty
        return OFF_DUTY
    return None


def reply_refusal(case: Case, member: StaffMember) -> str | None:
    """Only the person in the chat replies (a supervisor takes the case over first)."""
    if not in_the_chat(case, member):
        return "Claim the case before you reply: the bot is still answering."
    return None


def hand_back_refusal(case: Case, member: StaffMember) -> str | None:
    if case.status != "connected":
        return "The bot is already answering this conversation."
    if not has_case(case, member) and not may_supervise(member):
        return f"{case.claimed_by_name} is in this chat; only they or a supervisor can hand it back."
    return None


def close_refusal(case: Case, member: StaffMember) -> str | None:
    """Anyone closes an unclaimed case; a claimed one only its owner or a supervisor."""
    if not case.is_open:
        return "This case is already closed."
    if colleague_has(case, member) and not may_supervise(member):
        return f"{case.claimed_by_name} has this case; only they or a supervisor can close it."
    return None


def note_refusal(case: Case, member: StaffMember) -> str | None:
    if not case.is_open and not may_supervise(member):
        return "This case is closed."
    return None


def account_change_refusal(member: StaffMember, target: StaffMember, active: bool) -> str | None:
    """Enabling and disabling accounts (supervisors only, by their pages)."""
    if not may_supervise(member):
        return SUPERVISORS_ONLY
    if target.id == member.id and not active:
        return "You cannot disable your own account."
    return None


# --- what the case page offers ------------------------------------------------------------------
@dataclass(frozen=True)
class CaseActions:
    claim: bool
    reply: bool
    hand_back: bool
    close: bool
    note: bool
    taking_from: str | None  # the colleague a claim would take the case from


def case_actions(case: Case, member: StaffMember) -> CaseActions:
    """The buttons the case page shows this member. The claim button shows off duty too:
    pressing it says to go on duty first."""
    claim = claim_refusal(case, member)
    return CaseActions(
        claim=claim in (None, OFF_DUTY),
        reply=reply_refusal(case, member) is None,
        hand_back=hand_back_refusal(case, member) is None,
        close=close_refusal(case, member) is None,
        note=note_refusal(case, member) is None,
        taking_from=case.claimed_by_name if colleague_has(case, member) else None,
    )

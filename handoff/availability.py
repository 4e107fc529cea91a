"""Whether a person can pick up an escalated case now: the `status` of the handoff signal."""

from __future__ import annotations


def handoff_status(staffed_now: bool, staff_on_duty: int | None = None) -> str:
    """`queued` when a person can pick the case up, `unavailable` when nobody can.

    The staff console's duty register decides once it exists (staff_on_duty is a number, counting
    only consoles open in the last minutes); without console data, the force's staffed hours do.
    `connected` is the case's own state once someone has claimed it (see CaseStore.escalate).
    """
    if staff_on_duty is not None:
        return "queued" if staff_on_duty > 0 else "unavailable"
    return "queued" if staffed_now else "unavailable"

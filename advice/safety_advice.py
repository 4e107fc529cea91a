"""The safety advice an escalation gives: one block of advice per group of the conversation's
reasons, most urgent first (content/advice/safeguarding.yml). The escalation action
(actions/escalation.py) and the safety net when a part fails (channels/resilience.py) both give it.
"""

from __future__ import annotations

from advice.content import library
from safeguarding import ordered

# Reasons whose safety advice is the same: one block of advice per group in a reply.
ADVICE_GROUPS = (
    {"coercion_or_blackmail", "exploitation_or_profit"},
    {"adult_involved", "grooming", "under_13", "significant_age_gap"},
)


def advice_reasons(new: list[str]) -> list[str]:
    """The new reasons that need their own advice, most urgent first."""
    chosen, covered = [], set()
    for reason in new:
        if reason in covered:
            continue
        chosen.append(reason)
        for group in ADVICE_GROUPS:
            if reason in group:
                covered |= group
    return chosen


def more_advice(reasons: list[str], audience: str | None) -> str:
    """The advice for every escalated reason but the first, which the escalation gave in full."""
    lib = library()
    return "\n\n".join(lib.reason_text(r, audience) for r in advice_reasons(ordered(reasons))[1:])

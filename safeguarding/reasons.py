"""The fixed vocabulary of safeguarding reason codes (design.md, "Reason codes").

Order matters: it is the order in which safety advice is given, most urgent first.
"""

from __future__ import annotations

REASON_CODES: tuple[str, ...] = (
    "immediate_danger",
    "self_harm_risk",
    "violence_or_threat",
    "coercion_or_blackmail",
    "exploitation_or_profit",
    "adult_involved",
    "under_13",
    "grooming",
    "significant_age_gap",
    "malicious_or_wide_sharing",
    "capacity_to_consent",
    "atypical_or_violent_imagery",
    "repeat_behaviour",
    "child_protection_known",
    "user_request",
)

PLAIN_WORDS = {
    "immediate_danger": "at risk of harm right now",
    "self_harm_risk": "self-harm, suicidal thoughts or not coping",
    "violence_or_threat": "threats of violence or intent to harm",
    "coercion_or_blackmail": "threats, blackmail or coercion (including sextortion)",
    "exploitation_or_profit": "money, gifts or other gain; exploitation",
    "adult_involved": "an adult is involved",
    "under_13": "someone involved is under 13",
    "grooming": "signs of grooming",
    "significant_age_gap": "a large age gap between the young people",
    "malicious_or_wide_sharing": "shared widely or maliciously",
    "capacity_to_consent": "doubts about capacity to consent",
    "atypical_or_violent_imagery": "imagery unusual for the child's age, or violent",
    "repeat_behaviour": "repeated or persistent sharing",
    "child_protection_known": "a child in care or on a child protection plan",
    "user_request": "asked to talk to a person",
}

# Risk levels for the staff queue. "critical" means someone may be hurt now.
_CRITICAL = {"immediate_danger", "self_harm_risk"}
_HIGH = {
    "violence_or_threat",
    "coercion_or_blackmail",
    "exploitation_or_profit",
    "adult_involved",
    "under_13",
    "grooming",
}
RISK_LEVELS = ("low", "medium", "high", "critical")


def ordered(reasons) -> list[str]:
    """Known reason codes in urgency order; unknown codes are dropped."""
    wanted = set(reasons)
    return [code for code in REASON_CODES if code in wanted]


def risk_level(reasons) -> str:
    wanted = set(reasons)
    if wanted & _CRITICAL:
        return "critical"
    if wanted & _HIGH:
        return "high"
    if wanted - {"user_request"}:
        return "medium"
    return "low"

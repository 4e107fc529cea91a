"""Reason codes in plain words, and the queue's urgency order, for the console's pages."""

from __future__ import annotations

from safeguarding.reasons import (  # noqa: F401 (light: the screen loads lazily)
    PLAIN_WORDS,
    REASON_CODES,
    RISK_LEVELS,
)


def plain(reason: str) -> str:
    return PLAIN_WORDS.get(reason, reason.replace("_", " "))


def risk_rank(level: str) -> int:
    """0 for the most urgent level."""
    return len(RISK_LEVELS) - 1 - RISK_LEVELS.index(level) if level in RISK_LEVELS else len(RISK_LEVELS)

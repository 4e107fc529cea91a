"""Reason codes in plain words, and risk levels, from safeguarding/reasons.py.

That file is loaded on its own, by path: importing the `safeguarding` package builds the spaCy
pipeline and pulls in TensorFlow (12 s, 1 GB), which the console has no use for.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "safeguarding" / "reasons.py"
_spec = importlib.util.spec_from_file_location("_safeguarding_reasons", _PATH)
_reasons = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_reasons)

REASON_CODES: tuple[str, ...] = _reasons.REASON_CODES
PLAIN_WORDS: dict[str, str] = _reasons.PLAIN_WORDS
RISK_LEVELS: tuple[str, ...] = _reasons.RISK_LEVELS     # low ... critical


def plain(reason: str) -> str:
    return PLAIN_WORDS.get(reason, reason.replace("_", " "))


def risk_rank(level: str) -> int:
    """0 for the most urgent level."""
    return len(RISK_LEVELS) - 1 - RISK_LEVELS.index(level) if level in RISK_LEVELS else len(RISK_LEVELS)

"""A case's summary: what the person said that raised a concern, read from Rasa tracker events
(the messages whose screen facts carry one, or whose intent is a reason in itself). The escalation
(actions/escalation.py) and the safety net (channels/resilience.py) put it in the case they open.
"""

from __future__ import annotations

from safeguarding.assessment import INTENT_REASONS


def raising_messages(events: list[dict]) -> list[str]:
    """What the person said that raised a concern: the messages whose facts carry one."""
    out = []
    for event in events:
        if event.get("event") != "user":
            continue
        ents = (event.get("parse_data") or {}).get("entities") or []
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if any(e.get("entity") in ("concern", "age", "person") for e in ents) or intent in INTENT_REASONS:
            out.append(event.get("text") or "")
    return out

"""The safeguarding screen: finds concerns in what people write and names them with the
reason codes of design.md. Used inside Rasa (NLU component and policy) and by the actions.

    facts = screen("im 14 and hes 30")        # one message
    assess([Turn(facts)])                     # -> {"adult_involved"}
"""
from safeguarding.assessment import Turn, assess, turns_from_events
from safeguarding.facts import MessageFacts, extract
from safeguarding.nlp import pipeline
from safeguarding.reasons import REASON_CODES, ordered, risk_level


def screen(text: str) -> MessageFacts:
    """Facts in one message, using the pipeline built in memory."""
    return extract(pipeline()(text.lower()))


__all__ = ["MessageFacts", "REASON_CODES", "Turn", "assess", "extract", "ordered",
           "risk_level", "screen", "turns_from_events"]

"""The safeguarding screen: finds concerns in what people write and names them with the
reason codes of design.md. Used inside Rasa (NLU component and policy) and by the actions.

    facts = screen("im 14 and hes 30")        # one message
    assess([Turn(facts)])                     # -> {"adult_involved"}

Only the reason codes load eagerly: the screen needs spaCy (and, through it, TensorFlow), which
takes seconds to import, and parts such as the staff console need nothing but the codes.
"""

from importlib import import_module

from safeguarding.reasons import PLAIN_WORDS, REASON_CODES, ordered, risk_level

_LAZY = {
    "Turn": "assessment",
    "assess": "assessment",
    "turns_from_events": "assessment",
    "MessageFacts": "facts",
    "extract": "facts",
    "pipeline": "nlp",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"safeguarding.{_LAZY[name]}"), name)
    raise AttributeError(name)


def screen(text: str):
    """Facts in one message, using the pipeline built in memory."""
    from safeguarding.facts import extract
    from safeguarding.nlp import pipeline

    return extract(pipeline()(text.lower()))


__all__ = [
    "MessageFacts",
    "PLAIN_WORDS",
    "REASON_CODES",
    "Turn",
    "assess",
    "extract",
    "ordered",
    "risk_level",
    "screen",
    "turns_from_events",
]

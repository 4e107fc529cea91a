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
    """Facts in one message (the rules and the concern model), using the pipeline built in memory."""
    from safeguarding.facts import read_message
    from safeguarding.nlp import pipeline

    return read_message(text, pipeline()(text.lower()))


def screen_conversation(messages: list[str]) -> set[str]:
    """The reason codes a conversation raises, message by message, as SafeguardingPolicy adds them
    up (without the trained intents, which need the Rasa model)."""
    from safeguarding.assessment import Turn, assess

    reasons: set[str] = set()
    turns = []
    for text in messages:
        turns.append(Turn(screen(text)))
        reasons |= assess(turns)
    return reasons


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
    "screen_conversation",
    "turns_from_events",
]

"""How the unit tests read messages with the rules alone: each message's facts, and a
conversation's turns with the concern model's verdict set by the test (the model is not what
these tests are about)."""

from safeguarding.assessment import Turn
from safeguarding.facts import MessageFacts, extract
from safeguarding.nlp import pipeline


def facts(text: str) -> MessageFacts:
    return extract(pipeline()(text.lower()))


def rules_turns(*texts: str, model_clear: bool = False) -> list[Turn]:
    """Each message as the rules read it, with a model that read it and is either sure there is
    nothing to see (the hardest case for a rule) or supports what the rules found."""
    turns = []
    for text in texts:
        message = facts(text)
        message.model_read = True
        message.model_clear = model_clear
        if not model_clear:
            message.model_support = set(message.concerns) | {"adult_involved", "significant_age_gap"}
        turns.append(Turn(message))
    return turns

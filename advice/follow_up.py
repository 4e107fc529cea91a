"""What the screen's findings change in an ordinary answer (action_advise, actions/advice.py):

- the one question about the other person's age, asked when someone is asking for, holding or
  has been sent the writer's images and nothing says how old they are (the answer feeds the
  screen: safeguarding/assessment.py `turns_from_events`);
- no risk advice without a person: an answer about grooming, threats, danger or self-harm goes
  with an escalation, so when the words sound like one of those but the screen found no concern,
  the bot asks to hear more instead of telling them they may be at risk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from safeguarding.assessment import ASKED_OTHER_AGE_SLOT, turns_from_events
from safeguarding.facts import MessageFacts

# Set once a message has said how old the other person is (or that they are an adult, older,
# or the same age): the question is never needed again, and the whole conversation need not
# be read again to find out (channels/action_history.py).
OTHER_AGE_KNOWN_SLOT = "other_age_known"

# Answers about someone else and the writer's images: asking, sent to them, passed on.
ABOUT_ANOTHER_PERSON = {"asked_for_image", "sent_image", "image_shared"}
# Answers that tell someone they may be at risk: given only with an escalation.
RISK_ADVICE = {"grooming", "threat_blackmail", "self_harm", "in_danger"}


def may_ask_other_age(intent: str | None, slots: Mapping[str, Any]) -> bool:
    """Whether the age question could come now, from the latest intent and the slots alone:
    not asked yet, not known, no person already coming (case_id), and not school staff, who
    have the guided check for this."""
    return (
        intent in ABOUT_ANOTHER_PERSON
        and not slots.get(ASKED_OTHER_AGE_SLOT)
        and not slots.get(OTHER_AGE_KNOWN_SLOT)
        and not slots.get("case_id")
        and slots.get("audience") != "school"
    )


def other_age_known(events: Iterable[Any]) -> bool:
    """Some message of the conversation says how old the other person is, or that they are an
    adult, older, or the same age."""
    turns = turns_from_events(events)
    return any(
        t.facts.other_ages or t.facts.adult_other or t.facts.older_other or t.facts.peers for t in turns
    )


def risk_advice_without_concern(
    intent: str | None, latest_message: Mapping[str, Any], slots: Mapping[str, Any]
) -> bool:
    """Whether the answer to the latest message (Rasa's parse of it) would tell them they may be
    at risk with no escalation: then the bot asks to hear more instead."""
    if intent not in RISK_ADVICE or slots.get("case_id"):
        return False
    if (latest_message.get("text") or "").startswith("/"):
        return False  # a button the bot offered ("Is this grooming?") asks for the information
    # a general question ("what are the signs of grooming?") still gets the information
    return not MessageFacts.from_entities(latest_message.get("entities") or []).hypothetical

"""What the screen's findings change in an ordinary answer (action_advise):

- the one question about the other person's age, asked when someone is asking for, holding or
  has been sent the writer's images and nothing says how old they are (the answer feeds the
  screen: safeguarding/assessment.py `turns_from_events`);
- no risk advice without a person: an answer about grooming, threats, danger or self-harm goes
  with an escalation, so when the words sound like one of those but the screen found no concern,
  the bot asks to hear more instead of telling them they may be at risk.
"""

from __future__ import annotations

from rasa_sdk import Tracker

from safeguarding.assessment import ASKED_OTHER_AGE_SLOT, turns_from_events
from safeguarding.facts import MessageFacts

# Answers about someone else and the writer's images: asking, sent to them, passed on.
ABOUT_ANOTHER_PERSON = {"asked_for_image", "sent_image", "image_shared"}
# Answers that tell someone they may be at risk: given only with an escalation.
RISK_ADVICE = {"grooming", "threat_blackmail", "self_harm", "in_danger"}


def should_ask_other_age(intent: str | None, tracker: Tracker) -> bool:
    if intent not in ABOUT_ANOTHER_PERSON or tracker.get_slot(ASKED_OTHER_AGE_SLOT):
        return False
    if tracker.get_slot("case_id") or tracker.get_slot("audience") == "school":
        return False  # a person is already coming, or staff have the guided check for this
    turns = turns_from_events(tracker.events)
    known = any(
        t.facts.other_ages or t.facts.adult_other or t.facts.older_other or t.facts.peers for t in turns
    )
    return not known


def risk_advice_without_concern(intent: str | None, tracker: Tracker) -> bool:
    if intent not in RISK_ADVICE or tracker.get_slot("case_id"):
        return False
    if (tracker.latest_message.get("text") or "").startswith("/"):
        return False  # a button the bot offered ("Is this grooming?") asks for the information
    # a general question ("what are the signs of grooming?") still gets the information
    return not MessageFacts.from_entities(tracker.latest_message.get("entities") or []).hypothetical

"""Dialogue parts of the project that are not the safeguarding screen: a rule policy whose cost
per prediction does not grow with the conversation (rule_policy.py), built on an exact copy of
a conversation's latest turns (recent_turns.py)."""

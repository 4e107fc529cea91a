"""Custom actions for the Rasa action server (rasa-sdk): one module per concern.

- advice.py      answers from the advice content, for the audience and force
- escalation.py  the safeguarding escalation and the human handoff
"""

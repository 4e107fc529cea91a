"""Custom actions for the Rasa action server (rasa-sdk): one module per concern.

- advice.py      answers from the advice content, for the audience and force
- escalation.py  the safeguarding escalation and the human handoff
"""

from privacy.logs import redact_logs

redact_logs()  # the action server's log lines hold no personal data

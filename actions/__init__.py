"""Custom actions for the Rasa action server (rasa-sdk): the adapters between Rasa and the
project's packages (advice/, school_check/, safeguarding/, handoff/), one module per concern.

- advice.py        action_advise: answers from the advice content, for the audience and force
- escalation.py    action_escalate: the safeguarding escalation and the human handoff
- school_check.py  the schools' guided check as a Rasa form and its actions
- replies.py       sends rendered content in the shapes the widget and REST channel expect
"""

from privacy.logs import redact_logs

redact_logs()  # the action server's log lines hold no personal data

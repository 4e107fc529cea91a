"""What the assistant says, and for which police force (nothing here knows about Rasa: the
actions that say it are in actions/).

- content.py        the advice content library (content/advice/*.yml); `make answers`
- forces.py         the force this deployment serves (content/forces/*.yml)
- follow_up.py      what the screen's findings change in an ordinary answer
- safety_advice.py  which safety advice an escalation gives for the conversation's reasons
"""

"""The schools' guided check of an incident against the immediate-referral thresholds.

- wording.py   the questions, answers and result texts, from content/advice/school_check.yml
- reading.py   reads one message (buttons, screen facts, typed words) as answers
- engine.py    the check's state, the next question and the decision (pure Python, no Rasa)
- record.py    the incident decision record, as structured content and as plain text
- pdf.py       the record as a one-page PDF
- records.py   records kept for 24 hours under an unguessable token, for the download link
- rasa_actions.py  the Rasa form, its validation and the actions that start, ask, stop and finish
"""

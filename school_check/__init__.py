"""The schools' guided check of an incident against the immediate-referral thresholds, in plain
Python (nothing here knows about Rasa: the form and actions are actions/school_check.py).

- wording.py          the questions, answers and result texts, from content/advice/school_check.yml
- reading.py          reads one message (buttons, screen facts, typed words) as answers
- engine.py           the check's state, the next question and the decision
- decision_record.py  the incident decision record, as structured content and as plain text
- pdf.py              the record as a one-page PDF
- record_store.py     records kept for 24 hours under an unguessable token, for the download link
"""

"""The human handoff: what escalated conversations open and what the staff console works.

- db.py               every table (cases, messages, notes, staff, sessions, sign-in failures, audit,
                      statistics counts)
- store.py            cases: open, copy the transcript, claim, hand back, close, notes
- staff.py            staff accounts, roles, sign-in lock-out, sessions, duty
- passwords.py        salted scrypt hashes
- audit.py            who viewed or did what, when
- availability.py     the handoff status the bot gives (duty register, else staffed hours)
- transcript.py       a conversation's messages from Rasa tracker events
- tracker_events.py   reads chats from the tracker store (read-only)
- rasa_api.py         Rasa's HTTP API (with its token): pause, resume, speak in a chat
- statistics.py       counts of what happened each day (no text, no ids), for the statistics page
"""

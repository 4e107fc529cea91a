"""The human handoff: what escalated conversations open and what the staff console works.

- db.py               every table (cases, messages, notes, staff, sessions, sign-in back-off,
                      trusted browsers, audit, school check records, statistics counts)
- store.py            cases: open, claim, hand back, close, notes; a case's status (its one record)
- case_transcript.py  the one writer of a case's messages, and its rules (one copy of each
                      message, as typed; nothing more once closed)
- staff.py            staff accounts, roles, sign-in back-off, sessions, duty
- permissions.py      who may do what to a case, and when (claim, reply, hand back, close, notes,
                      supervisor pages): the console's pages and its takeover both ask here
- passwords.py        salted scrypt hashes
- audit.py            who viewed or did what, when
- availability.py     the handoff status the bot gives (duty register, else staffed hours)
- transcript.py       a conversation's messages from Rasa tracker events
- tracker_events.py   reads chats from the tracker store (read-only)
- rasa_api.py         Rasa's HTTP API (with its token): pause, resume, speak in a chat
- statistics.py       counts of what happened each day (no text, no ids), for the statistics page
- rasa_server.py      starts Rasa with that token from the environment, never the command line
- retention.py        how long records are kept; the purge and deletion on request
- purge.py            `make purge` and `make forget`
- private_files.py    database files and their folder readable by the service's user only
- outbox.py           cases held on disk while the cases database cannot take them
- clock.py            the one place that reads the time
"""

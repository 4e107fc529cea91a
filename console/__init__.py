"""The staff console: safeguarding staff sign in, watch the queue of escalated cases, and take
over a young person's chat live. A Sanic app on its own port, loopback by default.

    python -m console                       # serve (CONSOLE_PORT, default 8090)
    python -m console create-supervisor     # the first account

- config.py      settings from the environment
- security.py    cookies, CSRF, security headers, the signed-in guard
- auth.py        sign in and out (the back-off is in handoff/staff.py)
- cases.py       the queue, the case page and its actions
- takeover.py    claim / reply / hand back / close: the cases database and Rasa, together
- live.py        copies transcripts from Rasa and pushes changes to open pages (server-sent events)
- supervisor.py  staff accounts, closed cases, the audit log
- views.py       what the templates show (plain words, waiting times, the queue order)
"""

from privacy.logs import redact_logs

redact_logs()  # the console's log lines hold no personal data

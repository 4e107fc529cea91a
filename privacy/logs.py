"""Every log line redacted before any handler writes it.

The project's own log lines never hold message text, but Rasa's and Sanic's can (Rasa logs each
message it receives at debug level, and an exception's text may quote one). `redact_logs()`
wraps the logging module's record factory, so every record a process creates (only those at a
level that is written) carries a redacted message and a redacted traceback. Each process calls
it once as it starts: Rasa (channels/), the action server (actions/), the console (console/).

Log lines are redacted by the rules alone, not the learned tagger (privacy/tagger.py): it reads
chat messages and takes a service's own words (setting names, SQL types) for names, and a line
through spaCy costs a millisecond or more, which Rasa's debug logging would pay dozens of times a
turn. Message text reaches Rasa's log lines only at debug level.
"""

from __future__ import annotations

import logging

from privacy.redaction import redact

_installed = False


def redact_logs() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def redacted_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            text, kinds = redact(record.getMessage(), tagger=False)
            if kinds:
                record.msg, record.args = text, ()
            if record.exc_info and not record.exc_text:
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info), tagger=False)[
                    0
                ]
        except Exception:  # never written unredacted: the line says what it was, not what it said
            record.msg, record.args, record.exc_info = (
                "a log line was withheld: it could not be redacted",
                (),
                None,
            )
        return record

    logging.setLogRecordFactory(redacted_record)

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
import re
from functools import lru_cache

from privacy.online import service_names
from privacy.redaction import redact

_installed = False
# Case ids (12 hex characters) and conversation ids ("down-871c263f", "web-8f64...") fill the
# service's own log lines; an operator needs them to find a case, and none is a person's.
_SERVICE_IDS = r"\b[0-9a-f]{12}\b|\b[a-z]+-[0-9a-f]{8,32}\b"
_KEPT = re.compile("\ue000(\\d+)\ue001")


@lru_cache(maxsize=1)
def _service_words() -> re.Pattern:
    names = sorted(service_names(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b|" + _SERVICE_IDS)


def redact_line(text: str) -> tuple[str, tuple[str, ...]]:
    """A log line redacted, with the service's own words and ids kept as they are: the handle
    rules would otherwise read "action_escalate", a list of reason codes or a case id as
    usernames, and the line would no longer say which case failed."""
    kept: list[str] = []

    def hold(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\ue000{len(kept) - 1}\ue001"

    redacted, kinds = redact(_service_words().sub(hold, text), tagger=False)
    return _KEPT.sub(lambda m: kept[int(m.group(1))], redacted), kinds


def redact_logs() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def redacted_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            text, kinds = redact_line(record.getMessage())
            if kinds:
                record.msg, record.args = text, ()
            if record.exc_info and not record.exc_text:
                record.exc_text = redact_line(logging.Formatter().formatException(record.exc_info))[0]
        except Exception:  # never written unredacted: the line says what it was, not what it said
            record.msg, record.args, record.exc_info = (
                "a log line was withheld: it could not be redacted",
                (),
                None,
            )
        return record

    logging.setLogRecordFactory(redacted_record)

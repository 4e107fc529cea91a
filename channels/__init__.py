"""How people reach the assistant: the input channels (REST and socket.io, with the socket.io
channel able to carry a staff member's live takeover), which check and
clean every message before Rasa stores it, and the tracker store."""

from privacy.logs import redact_logs

redact_logs()  # Rasa's log lines (it logs every message at debug level) hold no personal data

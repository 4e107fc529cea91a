"""Who may speak in which socket.io conversation.

Rasa 3.6 lets any browser join any conversation by naming its id in `session_request`, and
then read its history, receive its messages (the handoff signal too) and write into it. Here:

- the server gives each new conversation a random id and a signed, expiring token for it
  (`session_token` event); the chat page keeps both for its tab and shows them again to come back;
- a `session_request` naming an id without that id's valid token starts a new conversation;
- a `user_uttered` for any conversation other than the one this connection was given is dropped;
- only the force websites' origins may open a socket (CHAT_ALLOWED_ORIGINS);
- REST ids may not start with the chat page's prefix, so REST never reaches its conversations.

Tokens are HMAC-SHA256 over the id and the expiry, with CHAT_SESSION_SECRET (generated per
process when unset: conversations then cannot be resumed across a restart; production sets one
shared by every Rasa server).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import timedelta

from handoff.clock import SYSTEM_CLOCK, Clock

TOKEN_LIFETIME = timedelta(hours=24)
# Conversations the chat page opens; REST clients may not use ids that start like this, so a
# REST caller can never reach a socket.io conversation (channels/rest.py).
SOCKET_ID_PREFIX = "web-"


class SessionTokens:
    def __init__(self, secret: bytes, clock: Clock = SYSTEM_CLOCK, lifetime: timedelta = TOKEN_LIFETIME):
        if len(secret) < 16:
            raise ValueError("the chat session secret must be at least 16 bytes")
        self.secret, self.clock, self.lifetime = secret, clock, lifetime

    @classmethod
    def from_env(cls) -> SessionTokens:
        configured = os.environ.get("CHAT_SESSION_SECRET", "")
        return cls(configured.encode() if configured else secrets.token_bytes(32))

    @staticmethod
    def new_session_id() -> str:
        return SOCKET_ID_PREFIX + secrets.token_hex(16)

    def _signature(self, session_id: str, expires: int) -> str:
        message = f"{session_id}.{expires}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def issue(self, session_id: str) -> str:
        expires = int((self.clock.now() + self.lifetime).timestamp())
        return f"{expires}.{self._signature(session_id, expires)}"

    def valid(self, session_id: object, token: object) -> bool:
        if not isinstance(session_id, str) or not isinstance(token, str) or token.count(".") != 1:
            return False
        expires, signature = token.split(".")
        if not expires.isdigit() or int(expires) <= self.clock.now().timestamp():
            return False
        return hmac.compare_digest(signature, self._signature(session_id, int(expires)))


def allowed_origins() -> list[str]:
    """The websites whose pages may open the chat (comma-separated CHAT_ALLOWED_ORIGINS)."""
    return [o.strip() for o in os.environ.get("CHAT_ALLOWED_ORIGINS", "").split(",") if o.strip()]

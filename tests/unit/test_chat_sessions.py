"""The socket.io conversation tokens: signed for one id, expiring, and useless for another id."""

from datetime import datetime, timedelta, timezone

from channels.chat_sessions import SOCKET_ID_PREFIX, TOKEN_LIFETIME, SessionTokens
from handoff.clock import FixedClock


def tokens(clock=None):
    return SessionTokens(b"k" * 32, clock or FixedClock(datetime(2031, 1, 1, tzinfo=timezone.utc)))


def test_a_token_opens_its_own_conversation_only():
    t = tokens()
    mine, theirs = t.new_session_id(), t.new_session_id()
    assert mine.startswith(SOCKET_ID_PREFIX) and mine != theirs
    token = t.issue(mine)
    assert t.valid(mine, token)
    assert not t.valid(theirs, token)
    assert not t.valid(mine, None) and not t.valid(mine, "") and not t.valid(mine, "1.abc")
    assert not SessionTokens(b"x" * 32, t.clock).valid(mine, token)  # another server secret


def test_a_token_expires():
    clock = FixedClock(datetime(2031, 1, 1, tzinfo=timezone.utc))
    t = tokens(clock)
    session = t.new_session_id()
    token = t.issue(session)
    clock.advance(TOKEN_LIFETIME - timedelta(seconds=1))
    assert t.valid(session, token)
    clock.advance(timedelta(seconds=2))
    assert not t.valid(session, token)

"""channels/rate_limits.py: token buckets, the limits per address and per conversation, and the
caps on what they remember. The clock is set and moved by hand: nothing waits for time to pass."""

from datetime import datetime, timedelta, timezone

import pytest

from channels.rate_limits import (
    BUSY,
    NEW_CONVERSATION,
    ChatLimits,
    LimitSettings,
    Rate,
    Recent,
    TokenBucket,
)
from channels.settings import LOCAL_ENV
from handoff.clock import FixedClock

START = datetime(2031, 3, 4, 10, 0, tzinfo=timezone.utc)


def settings(**changes) -> LimitSettings:
    values = dict(
        new_conversations_per_address=Rate(3, 60.0),
        messages_per_address=Rate(10, 60.0),
        messages_per_conversation=Rate(5, 60.0),
        in_flight_per_conversation=100,
        max_user_turns=300,
        max_in_flight=1000,
        max_addresses=1000,
        max_conversations=1000,
    )
    values.update(changes)
    return LimitSettings(**values)


def limits(**changes) -> tuple[ChatLimits, FixedClock]:
    clock = FixedClock(START)
    return ChatLimits(settings(**changes), clock), clock


def open_conversation(chat: ChatLimits, address: str, conversation: str):
    """The first message of a new conversation: its state, and the refusal if any."""
    state = chat.new_state()
    return state, chat.try_admit(address, conversation, state, new=True)


def send(chat: ChatLimits, address: str, conversation: str):
    """A message in a conversation the limits already know."""
    state = chat.conversation(conversation)
    refused = chat.try_admit(address, conversation, state, new=False)
    if refused is None:
        chat.finished(state)  # answered
    return refused


# --- rates and buckets --------------------------------------------------------------------


def test_a_rate_is_read_as_written_and_a_wrong_one_is_refused():
    assert Rate.parse("10/minute") == Rate(10, 60.0)
    assert Rate.parse(" 5 / second ") == Rate(5, 1.0)
    assert str(Rate.parse("100/hour")) == "100/hour"
    for wrong in ("", "10", "ten/minute", "0/minute", "-1/minute", "10/fortnight", "1.5/minute"):
        with pytest.raises(ValueError, match="CHAT_X"):
            Rate.parse(wrong, "CHAT_X")


def test_a_bucket_gives_its_burst_then_one_more_each_interval():
    bucket = TokenBucket(Rate(3, 60.0), now=1000.0)
    for _ in range(3):
        assert bucket.has_token(1000.0)
        bucket.take(1000.0)
    assert not bucket.has_token(1000.0)
    assert bucket.seconds_to_next(1000.0) == pytest.approx(20.0)
    assert not bucket.has_token(1019.0)
    assert bucket.has_token(1020.0)
    bucket.take(1020.0)
    # a long rest fills it up to its size, no further
    assert bucket.has_token(5000.0)
    for _ in range(3):
        bucket.take(5000.0)
    assert not bucket.has_token(5000.0)


def test_a_clock_set_back_refills_nothing():
    bucket = TokenBucket(Rate(1, 60.0), now=1000.0)
    bucket.take(1000.0)
    assert not bucket.has_token(400.0)
    assert not bucket.has_token(1059.0)
    assert bucket.has_token(1060.0)


def test_recent_keeps_at_most_its_capacity_and_forgets_the_least_recently_used():
    recent: Recent[str, int] = Recent(3)
    for i, key in enumerate("abc"):
        recent.put(key, i)
    assert recent.get("a") == 0  # "a" is now the most recent
    recent.put("d", 3)
    assert len(recent) == 3
    assert "b" not in recent and "a" in recent and "d" in recent


# --- the limits -----------------------------------------------------------------------------


def test_one_address_opens_only_its_share_of_new_conversations():
    chat, clock = limits()
    outcomes = [open_conversation(chat, "203.0.113.5", f"c{i}")[1] for i in range(5)]
    assert outcomes[:3] == [None, None, None]
    assert [o.kind for o in outcomes[3:]] == [NEW_CONVERSATION, NEW_CONVERSATION]
    assert outcomes[3].retry_after == 20  # a minute / 3
    # another address is not affected
    assert open_conversation(chat, "198.51.100.7", "other")[1] is None
    # a refused conversation is not remembered; known ones are still answered
    assert chat.conversation("c3") is None
    assert send(chat, "203.0.113.5", "c0") is None
    clock.advance(timedelta(seconds=20))
    assert open_conversation(chat, "203.0.113.5", "c5")[1] is None
    assert open_conversation(chat, "203.0.113.5", "c6")[1].kind == NEW_CONVERSATION


def test_a_conversation_sends_its_burst_then_waits():
    chat, clock = limits()
    assert open_conversation(chat, "203.0.113.5", "c")[1] is None
    outcomes = [send(chat, "203.0.113.5", "c") for _ in range(6)]
    assert outcomes[:4] == [None] * 4  # 5 in all with the first
    assert [o.kind for o in outcomes[4:]] == [BUSY, BUSY]
    assert outcomes[4].retry_after == 12  # a minute / 5
    clock.advance(timedelta(seconds=11))
    assert send(chat, "203.0.113.5", "c") is not None
    clock.advance(timedelta(seconds=1))
    assert send(chat, "203.0.113.5", "c") is None


def test_an_address_shares_its_messages_across_its_conversations():
    chat, _ = limits(new_conversations_per_address=Rate(100, 60.0))
    for i in range(4):
        assert open_conversation(chat, "203.0.113.5", f"c{i}")[1] is None
    answered = 4 + sum(send(chat, "203.0.113.5", f"c{i % 4}") is None for i in range(16))
    assert answered == 10  # the address's 10 a minute, though each conversation had room for 5
    refused = send(chat, "203.0.113.5", "c3")
    assert refused.kind == BUSY and refused.retry_after == 6
    assert open_conversation(chat, "198.51.100.7", "elsewhere")[1] is None


def test_a_refusal_takes_no_token_from_the_other_limits():
    chat, _ = limits(messages_per_conversation=Rate(2, 60.0), new_conversations_per_address=Rate(100, 60.0))
    open_conversation(chat, "203.0.113.5", "c")
    send(chat, "203.0.113.5", "c")
    for _ in range(20):
        assert send(chat, "203.0.113.5", "c").kind == BUSY
    # the address still has 8 of its 10: the refused messages took none
    answered = sum(open_conversation(chat, "203.0.113.5", f"d{i}")[1] is None for i in range(4))
    answered += sum(send(chat, "203.0.113.5", f"d{i % 4}") is None for i in range(8))
    assert answered == 8


def test_messages_waiting_for_a_reply_are_limited_per_conversation():
    chat, _ = limits(in_flight_per_conversation=2)
    state, refused = open_conversation(chat, "203.0.113.5", "c")
    assert refused is None and state.in_flight == 1
    assert chat.try_admit("203.0.113.5", "c", state, new=False) is None
    third = chat.try_admit("203.0.113.5", "c", state, new=False)
    assert third.kind == BUSY and third.retry_after == 1
    chat.finished(state)
    assert chat.try_admit("203.0.113.5", "c", state, new=False) is None


def test_an_escalated_conversation_takes_no_token_and_is_never_refused():
    chat, _ = limits(in_flight_per_conversation=1)
    state = chat.new_state(escalated=True)
    for _ in range(50):
        chat.admit_escalated("escalated", state)
    assert state.in_flight == 50
    assert chat.conversation("escalated") is state
    # the address's limits are untouched
    assert open_conversation(chat, "203.0.113.5", "c")[1] is None


def test_what_the_limits_remember_is_capped():
    chat, _ = limits(max_addresses=50, max_conversations=40, new_conversations_per_address=Rate(10, 60.0))
    for i in range(500):
        open_conversation(chat, f"10.0.{i // 250}.{i % 250}", f"c{i}")
    assert chat.remembered() == (50, 40)
    assert chat.conversation("c499") is not None and chat.conversation("c0") is None


# --- settings ---------------------------------------------------------------------------------


def test_settings_come_from_the_environment_and_wrong_ones_stop_the_start():
    environ = {
        "CHAT_NEW_CONVERSATIONS_PER_ADDRESS": "4/minute",
        "CHAT_MESSAGES_PER_ADDRESS": "50/minute",
        "CHAT_MESSAGES_PER_CONVERSATION": "1/second",
        "CHAT_MESSAGES_IN_FLIGHT_PER_CONVERSATION": "3",
        "CHAT_MAX_USER_TURNS": "40",
        "CHAT_MAX_MESSAGES_IN_FLIGHT": "12",
        "CHAT_LIMITS_MAX_ADDRESSES": "10",
        "CHAT_LIMITS_MAX_CONVERSATIONS": "20",
    }
    loaded = LimitSettings.from_env(environ)
    assert loaded.new_conversations_per_address == Rate(4, 60.0)
    assert loaded.messages_per_conversation == Rate(1, 1.0)
    assert (loaded.in_flight_per_conversation, loaded.max_user_turns, loaded.max_in_flight) == (3, 40, 12)
    with pytest.raises(ValueError, match="CHAT_MAX_USER_TURNS"):
        LimitSettings.from_env(dict(environ, CHAT_MAX_USER_TURNS="0"))
    with pytest.raises(ValueError, match="CHAT_MESSAGES_PER_ADDRESS"):
        LimitSettings.from_env(dict(environ, CHAT_MESSAGES_PER_ADDRESS="lots"))


def read_env_file(path) -> dict:
    return dict(
        line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#")
    )


def test_the_configured_limits_are_valid_locally_and_in_production():
    local = read_env_file(LOCAL_ENV)
    production = dict(local, **read_env_file(LOCAL_ENV.parent / "production.env.example"))
    for environ in (local, production):
        loaded = LimitSettings.from_env(environ)
        # a real conversation (5-20 turns, the schools' check about 15) never meets the length limit
        assert loaded.max_user_turns >= 100
        assert loaded.new_conversations_per_address.count < 20  # the flood that was found: 20 at once
    # unset in the environment, the limits still come from deploy/local.env (never none)
    assert LimitSettings.from_env({}) == LimitSettings.from_env(local)

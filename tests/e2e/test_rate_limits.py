"""The chat's rate limits against the real servers, as an attacker tried them (the privacy and
security issue): 20 disclosures at once from one address opened 20 high-risk cases in 0.6 s.

The assistant here is its own, with the limits of deploy/local.env, except two settings:
127.0.0.1 is a trusted proxy, so each test speaks from its own address (X-Forwarded-For) and
the tests do not share buckets; and the length limit is CHAT_MAX_USER_TURNS=8 instead of 300,
because a running server's clock cannot be moved and the per-conversation limit (20 a minute)
would stop a 300-turn conversation long before its end. Expectations are read from the
settings, never written here, and allow for the tokens the real clock adds while a test runs.
"""

from __future__ import annotations

import asyncio
import json
import math
import sqlite3
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import socketio

from channels.notes import note
from channels.rate_limits import LimitSettings
from handoff.outbox import Outbox
from tests.servers import Assistant

BLACKMAIL = "a man i met online says he will share my nudes unless i pay him 200 pounds today"
TEST_TURNS = 8


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    work = tmp_path_factory.mktemp("limits")
    running = Assistant(
        work,
        # a process cap of 3 messages at once: a burst of a few dozen overloads it for real
        overrides={
            "CHAT_TRUSTED_PROXIES": "127.0.0.1",
            "CHAT_MAX_USER_TURNS": str(TEST_TURNS),
            "CHAT_MAX_MESSAGES_IN_FLIGHT": "3",
        },
        address_limits=True,
    ).start()
    running.limits = LimitSettings.from_env(running.env)
    yield running
    running.stop()


_addresses = iter(range(1, 250))


def new_address() -> str:
    """A documentation address (RFC 5737) of this test's own."""
    return f"198.51.100.{next(_addresses)}"


def say(url: str, sender: str, text: str, address: str) -> tuple[list[dict], dict]:
    request = urllib.request.Request(
        url + "/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": address},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read()), dict(response.headers)


def texts(items: list[dict]) -> list[str]:
    return [item.get("text") or "" for item in items]


def refused_with(items: list[dict], answer_id: str) -> bool:
    return texts(items) == [note(answer_id)]


def has_childline_and_999(items: list[dict]) -> bool:
    joined = "\n".join(texts(items))
    return "0800 1111" in joined and "999" in joined


def refill(rate, seconds: float) -> int:
    """Tokens the real clock added to a bucket while a test ran."""
    return math.ceil(seconds * rate.count / rate.seconds)


def stored_user_messages(assistant, sender: str) -> int:
    with sqlite3.connect(assistant.work / "tracker.db") as db:
        return db.execute(
            "select count(*) from events where sender_id = ? and type_name = 'user'", (sender,)
        ).fetchone()[0]


def settled_user_messages(assistant, sender: str, expected: int) -> int:
    """The stored count once a message answered after its deadline has been stored too."""
    deadline = time.monotonic() + 10
    while stored_user_messages(assistant, sender) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return stored_user_messages(assistant, sender)


def session_starts(assistant, sender: str) -> int:
    with sqlite3.connect(assistant.work / "tracker.db") as db:
        return db.execute(
            "select count(*) from events where sender_id = ? and type_name = 'session_started'", (sender,)
        ).fetchone()[0]


def conversations_with_a_case(assistant, senders: list[str]) -> set[str]:
    """Cases in the cases database, and any still waiting in the outbox."""
    with sqlite3.connect(assistant.work / "handoff.db") as db:
        in_db = {row[0] for row in db.execute("select conversation_id from cases")}
    held = {entry.get("conversation_id") for entry in Outbox(assistant.work / "outbox").entries()}
    return (in_db | held) & set(senders)


def test_a_flood_of_new_conversations_from_one_address_opens_no_more_cases_than_allowed(limited):
    address, rate = new_address(), limited.limits.new_conversations_per_address
    senders = [f"flood-{uuid.uuid4().hex[:8]}-{i}" for i in range(20)]
    started = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        replies = list(pool.map(lambda s: say(limited.url, s, BLACKMAIL, address)[0], senders))
    allowed = rate.count + refill(rate, time.monotonic() - started)
    refused = [items for items in replies if refused_with(items, "limit_new_chats")]
    answered = [items for items in replies if not refused_with(items, "limit_new_chats")]
    assert len(refused) >= 20 - allowed, replies
    assert all(has_childline_and_999(items) for items in refused)
    assert 1 <= len(answered) <= allowed
    time.sleep(1)  # a case the database was too busy for is written from the outbox
    with_case = conversations_with_a_case(limited, senders)
    assert 1 <= len(with_case) <= allowed
    # another address is not held up by it
    items, _ = say(limited.url, f"other-{uuid.uuid4().hex[:8]}", "hello", new_address())
    assert not refused_with(items, "limit_new_chats") and items


def test_a_flood_in_one_conversation_is_asked_to_wait(limited):
    address, rate = new_address(), limited.limits.messages_per_conversation
    sender = f"chatty-{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    outcomes = [say(limited.url, sender, "what should i do", address) for _ in range(rate.count + 10)]
    allowed = rate.count + refill(rate, time.monotonic() - started)
    refused = [(items, headers) for items, headers in outcomes if refused_with(items, "limit_busy")]
    assert len(refused) >= rate.count + 10 - allowed
    assert all(has_childline_and_999(items) for items, _ in refused)
    assert all(int(headers["Retry-After"]) >= 1 for _, headers in refused)
    assert rate.count <= stored_user_messages(limited, sender) <= allowed  # the rest never reached Rasa


def test_many_messages_at_once_in_one_conversation_are_not_piled_up(limited):
    address, sender = new_address(), f"burst-{uuid.uuid4().hex[:8]}"
    say(limited.url, sender, "hello", address)
    with ThreadPoolExecutor(15) as pool:
        replies = list(pool.map(lambda _: say(limited.url, sender, "help", address)[0], range(15)))
    refused = [items for items in replies if refused_with(items, "limit_busy")]
    # a few are answered while the others are asked to wait, at once, with 999 and Childline
    assert len(refused) >= 15 - limited.limits.messages_per_conversation.count
    assert all(has_childline_and_999(items) for items in refused)
    assert settled_user_messages(limited, sender, 1 + 15 - len(refused)) == 1 + 15 - len(refused)


def test_a_disclosure_over_a_limit_still_gets_childline_and_999(limited):
    # in a conversation that has used up its messages
    address, rate = new_address(), limited.limits.messages_per_conversation
    sender = f"used-up-{uuid.uuid4().hex[:8]}"
    for _ in range(rate.count + 2):
        say(limited.url, sender, "ok", address)
    items, _ = say(limited.url, sender, BLACKMAIL, address)
    assert refused_with(items, "limit_busy") and has_childline_and_999(items)
    # and in a new conversation from an address that has opened its share
    address = new_address()
    for i in range(limited.limits.new_conversations_per_address.count + 2):
        say(limited.url, f"share-{uuid.uuid4().hex[:8]}-{i}", "hi", address)
    items, _ = say(limited.url, f"late-{uuid.uuid4().hex[:8]}", BLACKMAIL, address)
    assert refused_with(items, "limit_new_chats") and has_childline_and_999(items)


def test_an_escalated_conversation_is_never_blocked(limited):
    address, rate = new_address(), limited.limits.messages_per_conversation
    sender = f"escalated-{uuid.uuid4().hex[:8]}"
    first, _ = say(limited.url, sender, BLACKMAIL, address)
    assert any((item.get("custom") or {}).get("handoff") for item in first), first
    for _ in range(rate.count + 5):
        items, _ = say(limited.url, sender, "he messaged me again", address)
        assert items and not refused_with(items, "limit_busy"), items
        assert note("limit_fresh_start") not in texts(items)  # nor restarted past the length limit
    assert stored_user_messages(limited, sender) == rate.count + 6
    assert session_starts(limited, sender) == 1
    assert conversations_with_a_case(limited, [sender]) == {sender}


def test_a_long_conversation_starts_afresh_and_is_answered(limited):
    assert limited.limits.max_user_turns == TEST_TURNS
    address, sender = new_address(), f"long-{uuid.uuid4().hex[:8]}"
    for n in range(TEST_TURNS):
        items, _ = say(limited.url, sender, "hello" if n == 0 else "ok", address)
        assert note("limit_fresh_start") not in texts(items)
    items, _ = say(limited.url, sender, "what will the police do", address)
    assert texts(items)[0] == note("limit_fresh_start") and has_childline_and_999(items[:1])
    assert len(items) > 1  # and the message is answered, as the first of the new chat
    assert session_starts(limited, sender) == 2
    assert stored_user_messages(limited, sender) == TEST_TURNS + 1  # nothing deleted


def test_a_socketio_flood_gets_the_kind_reply_and_is_not_handled(limited):
    async def chat() -> tuple[list[dict], str]:
        received: list[dict] = []
        client = socketio.AsyncClient()
        client.on("bot_uttered", received.append)
        confirmed = asyncio.Event()
        given: list[str] = []
        # the token comes once the server has given this connection its conversation
        client.on("session_token", lambda data: (given.append(data["session_id"]), confirmed.set()))
        await client.connect(limited.url, transports=["polling"], headers={"X-Forwarded-For": new_address()})
        await client.emit("session_request", {})
        await asyncio.wait_for(confirmed.wait(), 10)
        for n in range(30):
            await client.emit("user_uttered", {"message": f"help {n}", "session_id": given[0]})
            if n % 8 == 7:  # engine.io refuses a polling request of more than 16 messages
                await asyncio.sleep(0.3)
        await asyncio.sleep(4)
        await client.disconnect()
        return received, given[0]

    received, session = asyncio.run(chat())
    busy = [m for m in received if m.get("text") == note("limit_busy")]
    assert len(busy) >= 30 - limited.limits.messages_per_conversation.count
    assert "0800 1111" in busy[0]["text"] and "999" in busy[0]["text"]
    assert 1 <= settled_user_messages(limited, session, 30 - len(busy)) == 30 - len(busy)


def test_under_overload_ordinary_messages_wait_and_every_disclosure_is_answered_and_escalated(limited):
    """More messages at once than the process takes (CHAT_MAX_MESSAGES_IN_FLIGHT): ordinary ones
    may be shed with the wait message, 999 and Childline; a disclosure never is."""
    cap = limited.limits.max_in_flight
    ordinary = [
        (f"crowd-{uuid.uuid4().hex[:8]}", "hi, what is this site for?", f"203.0.113.{n + 1}")
        for n in range(cap * 2)
    ]
    telling = [(f"tells-{uuid.uuid4().hex[:8]}", BLACKMAIL, f"203.0.113.{200 + n}") for n in range(4)]
    messages = ordinary[:cap] + telling[:2] + ordinary[cap:] + telling[2:]
    with ThreadPoolExecutor(len(messages)) as pool:
        replies = dict(
            zip((m[0] for m in messages), pool.map(lambda m: say(limited.url, *m)[0], messages), strict=True)
        )
    for sender, _, _ in telling:
        assert not refused_with(replies[sender], "limit_busy"), replies[sender]
        assert any((item.get("custom") or {}).get("handoff") for item in replies[sender]), replies[sender]
    shed = [replies[s] for s, _, _ in ordinary if refused_with(replies[s], "limit_busy")]
    assert shed and all(has_childline_and_999(items) for items in shed)
    assert all(replies[s] for s, _, _ in ordinary)  # answered or asked to wait: never silence

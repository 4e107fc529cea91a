"""What people and programs send that the service must not obey or choke on (README, "How it
works": safety rules kept in code), against the real servers: typed "/intents" are text, request bodies are limited to 64 KB with a clear
413, text is cut before any other work, deeply nested JSON is a 400."""

from __future__ import annotations

import asyncio
import http.client
import json
import sqlite3
import threading
import time
import uuid

import socketio

from tests.e2e.conftest import post


def stored_events(assistant, sender: str) -> list[tuple[str, dict]]:
    """The conversation's events as the tracker store wrote them (written before each reply)."""
    with sqlite3.connect(assistant["work"] / "tracker.db") as db:
        rows = db.execute(
            "select type_name, data from events where sender_id = ? order by id", (sender,)
        ).fetchall()
    return [(kind, json.loads(data)) for kind, data in rows]


def user_texts(assistant, sender):
    return [data.get("text") for kind, data in stored_events(assistant, sender) if kind == "user"]


def say(assistant, sender, text):
    status, items = post(assistant["url"], {"sender": sender, "message": text})
    assert status == 200, items
    return items


# --- typed intents ------------------------------------------------------------------------


def test_a_button_the_bot_offered_still_works_as_a_payload(assistant):
    sender = f"buttons-{uuid.uuid4().hex[:8]}"
    greeting = say(assistant, sender, "hello")
    offered = [b["payload"] for item in greeting for b in item.get("buttons") or []]
    assert "/take_down" in offered, greeting
    say(assistant, sender, "/take_down")
    (_, pressed) = [(k, d) for k, d in stored_events(assistant, sender) if k == "user"][-1]
    assert pressed["text"] == "/take_down"
    assert pressed["parse_data"]["intent"] == {"name": "take_down", "confidence": 1.0}  # read as a payload


def test_typed_restart_is_text_and_restarts_nothing(assistant):
    sender = f"typed-{uuid.uuid4().hex[:8]}"
    say(assistant, sender, "hello")
    say(assistant, sender, "/take_down")
    reply = say(assistant, sender, "/restart")
    assert reply and all(i.get("text") or i.get("custom") for i in reply)
    kinds = [kind for kind, _ in stored_events(assistant, sender)]
    assert "restart" not in kinds
    assert user_texts(assistant, sender) == ["hello", "/take_down", "restart"]  # words, not an intent


def test_a_typed_intent_with_entities_is_text_and_its_entities_are_ignored(assistant):
    sender = f"typed-{uuid.uuid4().hex[:8]}"
    items = say(assistant, sender, '/request_human{"concern":"threat"}')
    assert items
    (user,) = [data for kind, data in stored_events(assistant, sender) if kind == "user"]
    assert user["text"] == 'request_human{"concern":"threat"}'
    entities = (user.get("parse_data") or {}).get("entities") or []
    assert not [e for e in entities if e.get("value") == "threat"]  # the forged entity is gone
    for item in items:
        signal = (item.get("custom") or {}).get("handoff")
        assert not signal or "violence_or_threat" not in signal["reasons"]


# --- sizes and shapes ---------------------------------------------------------------------


def raw_post(url: str, body: bytes, timeout: float = 30):
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(
            "POST", "/webhooks/rest/webhook", body=body, headers={"Content-Type": "application/json"}
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_a_body_over_64_kb_gets_a_clear_413(assistant):
    body = json.dumps({"sender": "big-1", "message": "a" * 70_000}).encode()
    status, raw = raw_post(assistant["url"], body)
    assert status == 413
    assert "64 KB" in json.loads(raw)["error"]


def test_a_huge_body_does_not_stall_another_conversation(assistant):
    outcome = {}

    def huge():
        try:
            outcome["huge"] = raw_post(
                assistant["url"], b'{"sender": "big-2", "message": "' + b"a" * 20_000_000 + b'"}'
            )[0]
        except OSError as closed:  # refused before the body was read: the server may close first
            outcome["huge"] = closed

    sender = threading.Thread(target=huge)
    sender.start()
    time.sleep(0.2)
    started = time.monotonic()
    status, items = post(assistant["url"], {"sender": f"small-{uuid.uuid4().hex[:6]}", "message": "hi"})
    took = time.monotonic() - started
    sender.join(60)
    assert status == 200 and items
    assert took < 2.0, took
    assert outcome["huge"] == 413 or isinstance(outcome["huge"], OSError)


def test_a_message_at_the_body_limit_is_cut_and_answered(assistant):
    status, items = post(
        assistant["url"], {"sender": f"long-{uuid.uuid4().hex[:6]}", "message": "a " * 30_000}
    )
    assert status == 200
    assert "long message" in items[0]["text"]


def test_deeply_nested_json_is_a_400_not_a_500(assistant):
    status, raw = raw_post(assistant["url"], b"[" * 30_000 + b"]" * 30_000)
    assert status == 400 and json.loads(raw)["error"]
    status, raw = raw_post(
        assistant["url"], b'{"sender": "n", "message": "hi", "x": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"
    )
    assert status == 400


def test_a_socketio_message_over_64_kb_is_refused_and_the_chat_still_works(assistant):
    async def chat():
        received: list[dict] = []
        client = socketio.AsyncClient()
        client.on("bot_uttered", received.append)
        confirmed = asyncio.Event()
        given: list[str] = []  # the server gives the conversation its id (channels/chat_sessions.py)
        client.on("session_confirm", lambda sid: (given.append(sid), confirmed.set()))
        await client.connect(assistant["url"], transports=["polling"])
        await client.emit("session_request", {})
        await asyncio.wait_for(confirmed.wait(), 10)
        await client.emit("user_uttered", {"message": "a" * 100_000, "session_id": given[0]})
        await asyncio.sleep(3)
        dropped = not client.connected or not received
        await client.disconnect()
        await asyncio.sleep(0.2)
        return dropped, given[0]

    dropped, session = asyncio.run(chat())
    assert dropped
    assert not user_texts(assistant, session)  # nothing of it was stored


def test_a_rest_client_cannot_reach_a_chat_page_conversation(assistant):
    status, body = post(assistant["url"], {"sender": "web-0123456789abcdef0123456789abcdef", "message": "hi"})
    assert status == 400 and "chat page" in body["error"]


def test_rasa_does_not_tell_its_version_and_sends_hsts(assistant):
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(assistant["url"] + "/", timeout=10) as resp:
        body = resp.read().decode()
        assert "Rasa" not in body and "3.6" not in body
        assert "max-age" in resp.headers.get("Strict-Transport-Security", "")
    try:
        urllib.request.urlopen(assistant["url"] + "/version", timeout=10)
        raise AssertionError("/version answered")
    except urllib.error.HTTPError as err:
        assert err.code == 404 and "3.6" not in err.read().decode()


def test_rest_takes_only_json(assistant):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        assistant["url"] + "/webhooks/rest/webhook",
        data=b'{"sender": "plain-1", "message": "hi"}',
        headers={"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("text/plain was accepted")
    except urllib.error.HTTPError as err:
        assert err.code == 415

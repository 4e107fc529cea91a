"""Whatever part fails, a person who discloses gets a reply within 2 s: the safety advice that fits,
Childline and 999, and "try again"; a disclosure whose case could not be written waits in the
durable outbox and is written when storage returns (channels/resilience.py, handoff/outbox.py).

Everything here is real: the action server is stopped or frozen (SIGSTOP), the cases database
is a real SQLite file made read-only (immutable for root, whose writes ignore file modes), Rasa
is frozen for the chat page's own notice. These tests start their own servers (tests/servers.py)
because they break them.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import socketio

from handoff.outbox import Outbox
from handoff.store import CaseStore
from tests.e2e.conftest import post
from tests.faults import read_only
from tests.servers import VENV, Assistant, Service, free_port

BLACKMAIL = "a man i met online says he will share my nudes unless i pay him 200 pounds today"
DEADLINE = 2.0


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """An assistant of its own, with a short outbox retry so tests see storage come back."""
    work = tmp_path_factory.mktemp("failures")
    widget_port = free_port()  # the chat page's origin may open the socket
    running = Assistant(
        work,
        overrides={
            "HANDOFF_OUTBOX_RETRY_SECONDS": "0.5",
            "CHAT_ALLOWED_ORIGINS": f"http://127.0.0.1:{widget_port}",
        },
    ).start()
    running.widget_port = widget_port
    yield running
    running.stop()


@pytest.fixture
def assistant_up(broken):
    """Each test starts with both servers answering, whatever the previous one stopped."""
    broken.ensure_actions_running()
    yield broken
    broken.ensure_actions_running()


def timed_post(url: str, sender: str, text: str):
    started = time.monotonic()
    status, items = post(url, {"sender": sender, "message": text})
    return status, items, time.monotonic() - started


def all_text(items) -> str:
    return "\n".join(i.get("text") or "" for i in items or [])


def handoff(items):
    return next((i["custom"]["handoff"] for i in items or [] if (i.get("custom") or {}).get("handoff")), None)


def assert_safety_reply(items, elapsed, blackmail=True):
    text = all_text(items)
    assert elapsed < DEADLINE, f"the reply took {elapsed:.2f} s"
    assert "0800 1111" in text and "999" in text, text
    assert "try again" in text.lower(), text
    if blackmail:
        assert "Don't pay" in text, text  # the safety advice for this disclosure, from the screen
        signal = handoff(items)
        assert signal and "coercion_or_blackmail" in signal["reasons"], items
        assert signal["status"] in ("queued", "unavailable", "connected")
        return signal
    return None


def wait_for(check, timeout: float = 20.0, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen in {timeout} s")


def case_holding(store: CaseStore, sender: str, text: str):
    """The conversation's case once it holds the message: the case's row is written first and
    its messages just after (handoff/case_transcript.py), so a reader may see the row alone."""

    def written():
        case = store.for_conversation(sender)
        return case if case is not None and any(text in m["text"] for m in case.messages) else None

    return wait_for(written, what="the case being written with the message")


# --- the action server is down ------------------------------------------------------------


def test_action_server_down_a_disclosure_still_gets_the_safety_advice_and_a_case(assistant_up):
    assistant_up.actions.stop()
    sender = f"down-{uuid.uuid4().hex[:8]}"
    status, items, elapsed = timed_post(assistant_up.url, sender, BLACKMAIL)
    assert status == 200
    signal = assert_safety_reply(items, elapsed)
    # the Rasa process keeps the disclosure in the outbox and writes the case (storage is fine)
    store = CaseStore(assistant_up.env["HANDOFF_DB_URL"])
    case = case_holding(store, sender, BLACKMAIL)
    assert case.id == signal["case_id"] and "coercion_or_blackmail" in case.reasons
    assert "could not run action_escalate" in assistant_up.rasa.log_path.read_text()


def test_action_server_down_an_ordinary_message_is_not_met_with_silence(assistant_up):
    assistant_up.actions.stop()
    status, items, elapsed = timed_post(assistant_up.url, f"down-{uuid.uuid4().hex[:8]}", "hello")
    assert status == 200
    assert_safety_reply(items, elapsed, blackmail=False)
    assert handoff(items) is None


def test_action_server_down_socketio_gets_the_reply_too(assistant_up):
    assistant_up.actions.stop()

    async def chat():
        received: list[dict] = []
        confirmed = asyncio.Event()
        client = socketio.AsyncClient()
        client.on("bot_uttered", received.append)
        given: list[str] = []  # the server gives the conversation its id (channels/chat_sessions.py)
        client.on("session_confirm", lambda sid: (given.append(sid), confirmed.set()))
        await client.connect(assistant_up.url, transports=["polling"])
        try:
            await client.emit("session_request", {})
            await asyncio.wait_for(confirmed.wait(), 10)
            started = time.monotonic()
            first_safety: float | None = None
            await client.emit("user_uttered", {"message": BLACKMAIL, "session_id": given[0]})

            def complete() -> bool:  # the safety reply comes in several messages: wait for all
                text = "\n".join(r.get("text") or "" for r in received).lower()
                handoff = any(((r.get("custom") or {}).get("handoff") or {}).get("reasons") for r in received)
                return "0800 1111" in text and "999" in text and "try again" in text and handoff

            while time.monotonic() - started < 5 and not complete():
                if first_safety is None and any("0800 1111" in (r.get("text") or "") for r in received):
                    first_safety = time.monotonic() - started
                await asyncio.sleep(0.05)
            if first_safety is None and any("0800 1111" in (r.get("text") or "") for r in received):
                first_safety = time.monotonic() - started
            return received, first_safety if first_safety is not None else float("inf")
        finally:
            await client.disconnect()
            await asyncio.sleep(0.2)

    received, elapsed = asyncio.run(chat())
    text = "\n".join(r.get("text") or "" for r in received)
    assert "0800 1111" in text and "999" in text and "try again" in text.lower(), received
    assert elapsed < DEADLINE
    assert any(((r.get("custom") or {}).get("handoff") or {}).get("reasons") for r in received), received


def test_a_frozen_action_server_still_gets_a_reply_within_two_seconds(assistant_up):
    sender = f"frozen-{uuid.uuid4().hex[:8]}"
    assistant_up.actions.pause()
    try:
        status, items, elapsed = timed_post(assistant_up.url, sender, BLACKMAIL)
    finally:
        assistant_up.actions.resume()
    assert status == 200
    signal = assert_safety_reply(items, elapsed)
    store = CaseStore(assistant_up.env["HANDOFF_DB_URL"])
    case = wait_for(lambda: store.for_conversation(sender), what="the case being written")
    assert case.id == signal["case_id"] and "coercion_or_blackmail" in case.reasons


# --- the cases database is not writable ---------------------------------------------------


def test_cases_database_read_only_the_disclosure_is_answered_and_written_when_storage_returns(
    assistant_up,
):
    url = assistant_up.env["HANDOFF_DB_URL"]
    db_file = assistant_up.work / "handoff.db"
    store = CaseStore(url)  # the tables exist before the file is made read-only
    store.engine.dispose()
    outbox = Outbox(assistant_up.env["HANDOFF_OUTBOX_DIR"])
    sender = f"readonly-{uuid.uuid4().hex[:8]}"
    wait_for(lambda: not outbox.entries(), what="earlier tests' cases being written")
    log_before = assistant_up.actions.log_path.read_text() if assistant_up.actions.log_path.exists() else ""
    with read_only(db_file):
        # the action server reopens the database: a connection opened before would still write
        assistant_up.restart_actions()
        status, items, elapsed = timed_post(assistant_up.url, sender, BLACKMAIL)
        assert status == 200
        signal = assert_safety_reply(items, elapsed)
        assert store.for_conversation(sender) is None  # nothing could be written...
        held = [e["case_id"] for e in outbox.entries() if e["conversation_id"] == sender]
        assert held == [signal["case_id"]]  # ...it waits here
        log = assistant_up.actions.log_path.read_text()[len(log_before) :]
        assert "CASE NOT SAVED" in log and signal["case_id"] in log
        time.sleep(1.5)  # retries keep failing while the file stays read-only
        assert store.for_conversation(sender) is None
        assert any(e["conversation_id"] == sender for e in outbox.entries())

    # storage is back: the outbox writes the case, with the reasons and the conversation
    case = case_holding(store, sender, BLACKMAIL)
    assert case.id == signal["case_id"]
    assert "coercion_or_blackmail" in case.reasons and case.risk_level == "high"
    wait_for(lambda: not outbox.entries(), what="the outbox emptying")
    # and the next message of the same conversation goes on normally, on the same case
    status, items, _ = timed_post(assistant_up.url, sender, "ok thank you")
    assert status == 200 and all_text(items)
    assert len(store.open_cases()) >= 1 and store.for_conversation(sender).id == signal["case_id"]


# --- the chat page ------------------------------------------------------------------------


def test_the_chat_page_shows_a_notice_when_no_reply_arrives(broken):
    from tests.widget.browser import Browser, Widget

    port = broken.widget_port
    page = Service(
        "widget", [str(VENV / "python"), "-m", "widget.serve", "--port", str(port)], broken.env, broken.work
    ).start(ready_url=f"http://127.0.0.1:{port}/", timeout=60)
    browser = Browser()
    chat = Widget(browser.driver)
    try:
        browser.driver.get(f"http://127.0.0.1:{port}/")
        chat.open()
        chat.wait_for(lambda: "web-" in (chat.stored() or ""), "the socket conversation", timeout=30)
        broken.rasa.pause()  # Rasa holds the connection and answers nothing
        try:
            started = time.monotonic()
            chat.type("hello")
            notice = chat.wait_text(".msg.notice.no-reply", "try again", timeout=15)
            waited = time.monotonic() - started
        finally:
            broken.rasa.resume()
        assert 4 <= waited <= 10, waited
        assert "999" in notice and "0800 1111" in notice
        # once Rasa answers, the reply comes and no second notice follows
        chat.wait_for(lambda: chat.all(".msg.bot"), "the late reply", timeout=30)
        say_and_wait = time.monotonic()
        chat.say("thanks", timeout=10)
        time.sleep(max(0.0, 6 - (time.monotonic() - say_and_wait)))
        assert len(chat.all(".msg.notice.no-reply")) == 1
    finally:
        browser.quit()
        page.stop()

"""The chat's socket.io channel and the live takeover, against the real servers (`stack`).

The Python socket.io client uses the polling transport: inside the Rasa venv its websocket
transport trips over Rasa's aiohttp pin. The browser test covers websocket.
"""

import asyncio
import json
import re
import time
import urllib.parse
import urllib.request

import pytest
import socketio
import sqlalchemy as sa

from advice.content import library
from handoff.audit import AuditLog
from handoff.db import audit_log
from handoff.store import CaseStore
from tests.console.conftest import AGENT, SUPERVISOR

ESCALATING = "a man i met online says he will share my nudes unless i pay him"


class ChatUser:
    """A young person's browser tab: one session id, kept across reconnects."""

    def __init__(self, rasa_url: str, session_id: str | None = None, token: str | None = None):
        self.url = rasa_url
        self.session_id, self.token = session_id, token  # the server gives both
        self.received: list[dict] = []
        self.history: dict | None = None
        self.sio = socketio.AsyncClient()
        self.confirmed = asyncio.Event()
        self.sio.on("bot_uttered", self.received.append)
        self.sio.on("session_token", self._token)
        self.sio.on("history", self._history)

    def _token(self, data):
        self.session_id, self.token = data["session_id"], data["session_token"]
        self.confirmed.set()

    def _history(self, data):
        self.history = data

    async def connect(self) -> "ChatUser":
        await self.sio.connect(self.url, transports=["polling"])
        await self.sio.emit("session_request", {"session_id": self.session_id, "session_token": self.token})
        await asyncio.wait_for(self.confirmed.wait(), 10)
        return self

    async def say(self, text: str) -> None:
        await self.sio.emit("user_uttered", {"message": text, "session_id": self.session_id})

    async def wait_for(self, test, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for item in self.received:
                if test(item):
                    return item
            await asyncio.sleep(0.1)
        raise AssertionError(f"nothing matching arrived; got {self.received}")

    async def close(self) -> None:
        await self.sio.disconnect()
        await asyncio.sleep(0.2)  # let the client's polling tasks finish before the loop ends


def handoff_signal(item):
    return (item.get("custom") or {}).get("handoff")


async def test_round_trip_session_request_user_uttered_bot_uttered(stack):
    user = await ChatUser(stack["rasa"]).connect()
    try:
        await user.say("hello")
        reply = await user.wait_for(lambda item: item.get("text"))
        assert reply["text"]
        assert user.history is None  # a new session has no history to send
    finally:
        await user.close()


async def test_the_handoff_signal_and_links_reach_the_chat_as_custom_payloads(stack):
    user = await ChatUser(stack["rasa"]).connect()
    try:
        await user.say(ESCALATING)
        signal = handoff_signal(await user.wait_for(handoff_signal))
        assert signal["status"] in ("queued", "unavailable")
        assert "coercion_or_blackmail" in signal["reasons"]
        assert CaseStore(stack["db_url"]).get(signal["case_id"]).conversation == user.session_id
    finally:
        await user.close()


async def wait_until(check, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await asyncio.to_thread(check)
        if result:
            return result
        await asyncio.sleep(0.2)
    raise AssertionError("condition not met in time")


async def test_a_live_takeover_pause_reply_leave_come_back_hand_back_close(stack):
    console = stack["console"]
    cases = CaseStore(stack["db_url"])
    user = await ChatUser(stack["rasa"]).connect()
    agent = console.client()
    assert (await asyncio.to_thread(agent.sign_in, AGENT[0], AGENT[3])).status == 303
    token = (await asyncio.to_thread(agent.get, "/")).csrf()
    await asyncio.to_thread(agent.post, "/duty", {"csrf_token": token, "on_duty": "yes"})
    try:
        await user.say(ESCALATING)
        signal = handoff_signal(await user.wait_for(handoff_signal))
        assert signal["status"] == "queued"  # someone is on duty now
        case_id = signal["case_id"]

        page = await asyncio.to_thread(agent.get, f"/cases/{case_id}")
        assert page.status == 200 and "share my nudes unless i pay him" in page.body

        # claim: the bot pauses; the young person is told a person has joined, and gets the signal
        claim = await asyncio.to_thread(agent.post, f"/cases/{case_id}/claim", {"csrf_token": token})
        assert claim.status == 303
        joined = await user.wait_for(lambda i: "has joined this chat" in (i.get("text") or ""))
        assert not joined.get("from_person")
        assert (
            handoff_signal(
                await user.wait_for(lambda i: (handoff_signal(i) or {}).get("status") == "connected")
            )["case_id"]
            == case_id
        )

        # their message reaches the case (and the agent's screen); the bot stays quiet
        count = len(user.received)
        await user.say("is anyone there? <img src=x onerror=alert(1)>")
        await wait_until(
            lambda: any(m["text"].startswith("is anyone there?") for m in cases.get(case_id).messages)
        )
        await asyncio.sleep(2)
        assert len(user.received) == count, "the bot answered while paused"

        # the agent's reply arrives in the chat, marked as from a person
        answer = await asyncio.to_thread(
            agent.post,
            f"/cases/{case_id}/reply",
            {"csrf_token": token, "text": "Hi, I'm Alex. Are you safe right now?"},
            {"Accept": "application/json"},
        )
        assert answer.status == 200
        reply = await user.wait_for(lambda i: i.get("from_person"))
        assert reply["text"] == "Hi, I'm Alex. Are you safe right now?" and reply["staff_name"] == "Alex"

        # they leave; a reply sent meanwhile is waiting when they come back in the same tab
        await user.close()
        await asyncio.to_thread(
            agent.post,
            f"/cases/{case_id}/reply",
            {"csrf_token": token, "text": "I'm still here when you're ready."},
            {"Accept": "application/json"},
        )
        user = await ChatUser(stack["rasa"], user.session_id, user.token).connect()
        await wait_until(lambda: user.history is not None, timeout=10)
        assert user.history["paused"] is True
        texts = [m.get("text") for m in user.history["messages"]]
        assert "I'm still here when you're ready." in texts
        assert any(m.get("from_person") for m in user.history["messages"])

        # hand back: the bot says so, and answers again
        back = await asyncio.to_thread(agent.post, f"/cases/{case_id}/hand-back", {"csrf_token": token})
        assert back.status == 303
        await user.wait_for(lambda i: "talking to the bot again" in (i.get("text") or ""))
        count = len(user.received)
        await user.say("who can i talk to")
        await user.wait_for(lambda i: user.received.index(i) >= count and i.get("text"))
        assert cases.get(case_id).status == "queued"

        close = await asyncio.to_thread(
            agent.post,
            f"/cases/{case_id}/close",
            {
                "csrf_token": token,
                "outcome": "advice_given",
                "note": "Sextortion advice given; they blocked him.",
            },
        )
        assert close.status == 303
        closed = cases.get(case_id)
        assert closed.status == "closed" and closed.outcome == "advice_given"
        senders = [m["sender"] for m in closed.messages]
        assert senders.count("agent") == 2 and "user" in senders

        trail = [e.action for e in AuditLog(stack["db_url"]).entries(case_id=case_id)]
        for action in ("view_case", "claim", "reply", "hand_back", "close"):
            assert action in trail, action
        # who did what, never what anyone wrote: no message, reply or note text in any column
        with sa.create_engine(stack["db_url"]).connect() as db:
            logged = " ".join(str(v) for row in db.execute(sa.select(audit_log)) for v in row)
        for text in ("share my nudes", "is anyone there", "Are you safe", "still here", "they blocked him"):
            assert text not in logged, text
    finally:
        await user.close()
        await asyncio.to_thread(agent.post, "/duty", {"csrf_token": token, "on_duty": "no"})


async def test_the_rasa_api_refuses_requests_without_the_token(stack):
    import urllib.error
    import urllib.request

    for path in ("/conversations/anyone/tracker", "/status"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(stack["rasa"] + path, timeout=10)
        assert refused.value.code == 401
    with urllib.request.urlopen(f"{stack['rasa']}/status?token={stack['token']}", timeout=10) as ok:
        assert ok.status == 200


async def test_a_supervisor_can_take_a_case_from_a_colleague(stack):
    console = stack["console"]
    user = await ChatUser(stack["rasa"]).connect()
    agent, sue = console.client(), console.client()
    await asyncio.to_thread(agent.sign_in, AGENT[0], AGENT[3])
    await asyncio.to_thread(sue.sign_in, SUPERVISOR[0], SUPERVISOR[3])
    agent_token = (await asyncio.to_thread(agent.get, "/")).csrf()
    sue_token = (await asyncio.to_thread(sue.get, "/")).csrf()
    try:
        for client, token in ((agent, agent_token), (sue, sue_token)):
            await asyncio.to_thread(client.post, "/duty", {"csrf_token": token, "on_duty": "yes"})
        await user.say(ESCALATING)
        case_id = handoff_signal(await user.wait_for(handoff_signal))["case_id"]
        assert (
            await asyncio.to_thread(agent.post, f"/cases/{case_id}/claim", {"csrf_token": agent_token})
        ).status == 303
        page = await asyncio.to_thread(sue.get, f"/cases/{case_id}")
        assert re.search(r"Take over from Alex", page.body)
        assert (
            await asyncio.to_thread(sue.post, f"/cases/{case_id}/claim", {"csrf_token": sue_token})
        ).status == 303
        assert CaseStore(stack["db_url"]).get(case_id).claimed_by_name == "Sue"
        refused = await asyncio.to_thread(
            agent.post,
            f"/cases/{case_id}/reply",
            {"csrf_token": agent_token, "text": "hello"},
            {"Accept": "application/json"},
        )
        assert refused.status == 409
        assert "take_over" in [e.action for e in AuditLog(stack["db_url"]).entries(case_id=case_id)]
        await asyncio.to_thread(
            sue.post,
            f"/cases/{case_id}/close",
            {"csrf_token": sue_token, "outcome": "person_left", "note": "They left."},
        )
    finally:
        await user.close()
        for client, token in ((agent, agent_token), (sue, sue_token)):
            await asyncio.to_thread(client.post, "/duty", {"csrf_token": token, "on_duty": "no"})


async def claimed_chat(stack, agent_client):
    """A young person escalates and the agent claims the case; returns (user, case id, token)."""
    token = (await asyncio.to_thread(agent_client.get, "/")).csrf()
    await asyncio.to_thread(agent_client.post, "/duty", {"csrf_token": token, "on_duty": "yes"})
    user = await ChatUser(stack["rasa"]).connect()
    await user.say(ESCALATING)
    case_id = handoff_signal(await user.wait_for(handoff_signal))["case_id"]
    assert (
        await asyncio.to_thread(agent_client.post, f"/cases/{case_id}/claim", {"csrf_token": token})
    ).status == 303
    await user.wait_for(lambda i: "has joined this chat" in (i.get("text") or ""))
    return user, case_id, token


async def test_signing_out_hands_the_chat_back_to_the_bot(stack):
    agent = stack["console"].client()
    await asyncio.to_thread(agent.sign_in, AGENT[0], AGENT[3])
    user, case_id, token = await claimed_chat(stack, agent)
    try:
        assert (await asyncio.to_thread(agent.post, "/sign-out", {"csrf_token": token})).status == 303
        await user.wait_for(lambda i: "talking to the bot again" in (i.get("text") or ""))
        case = CaseStore(stack["db_url"]).get(case_id)
        assert case.status in ("queued", "unavailable") and case.is_open
    finally:
        await user.close()


async def test_the_handoff_status_is_kept_in_the_cases_database_and_nowhere_in_rasa(stack):
    """Claiming and handing back change the case's status in the cases database only: Rasa's
    tracker holds no status slot, and the bot, told the same concern again, says what the
    database holds (after the hand back), not the last signal the chat had ("connected")."""
    agent = stack["console"].client()
    await asyncio.to_thread(agent.sign_in, AGENT[0], AGENT[3])
    user, case_id, token = await claimed_chat(stack, agent)
    try:
        await asyncio.to_thread(agent.post, "/duty", {"csrf_token": token, "on_duty": "no"})
        back = await asyncio.to_thread(agent.post, f"/cases/{case_id}/hand-back", {"csrf_token": token})
        assert back.status == 303
        await user.wait_for(lambda i: "talking to the bot again" in (i.get("text") or ""))
        status = CaseStore(stack["db_url"]).status(case_id)
        assert status in ("queued", "unavailable")
        count = len(user.received)
        await user.say(ESCALATING)
        said = {library().handoff_text(key): key for key in ("queued", "unavailable", "connected")}
        told = await user.wait_for(lambda i: user.received.index(i) >= count and i.get("text") in said)
        assert said[told["text"]] == status
        query = urllib.parse.urlencode({"token": stack["token"]})
        with urllib.request.urlopen(
            f"{stack['rasa']}/conversations/{user.session_id}/tracker?{query}", timeout=10
        ) as answer:
            kept = json.loads(answer.read())
        assert not [name for name in kept["slots"] if "status" in name]
        assert not [e for e in kept["events"] if e["event"] == "slot" and "status" in e["name"]]
    finally:
        await user.close()


async def test_a_chat_whose_person_has_gone_is_handed_back_automatically(stack):
    from handoff.clock import SYSTEM_CLOCK
    from handoff.db import staff
    from handoff.staff import DUTY_LIVENESS, StaffStore

    agent = stack["console"].client()
    await asyncio.to_thread(agent.sign_in, AGENT[0], AGENT[3])
    user, case_id, token = await claimed_chat(stack, agent)
    try:
        # their laptop closes: the console stops seeing them
        store = StaffStore(stack["db_url"])
        with store.engine.begin() as db:
            db.execute(
                sa.update(staff)
                .where(staff.c.username == AGENT[0])
                .values(last_seen_at=SYSTEM_CLOCK.now() - DUTY_LIVENESS - DUTY_LIVENESS)
            )
        await user.wait_for(lambda i: "talking to the bot again" in (i.get("text") or ""), timeout=20)
        entry = await wait_until(
            lambda: next(
                (e for e in AuditLog(stack["db_url"]).entries(case_id=case_id) if e.actor == "system"), None
            )
        )
        assert entry.action == "hand_back" and "not seen" in entry.detail
        count = len(user.received)
        await user.say("who can i talk to")
        await user.wait_for(lambda i: user.received.index(i) >= count and i.get("text"))
    finally:
        await user.close()
        await asyncio.to_thread(agent.post, "/duty", {"csrf_token": token, "on_duty": "no"})


async def test_nobody_joins_another_conversation_by_naming_its_id(stack):
    """A browser that names someone else's conversation, without its token, gets a new one:
    none of the history, none of the new messages, and nothing it sends lands there."""
    owner = await ChatUser(stack["rasa"]).connect()
    intruder = None
    try:
        await owner.say("hi")
        await owner.wait_for(lambda item: item.get("text"))
        intruder = await ChatUser(stack["rasa"], owner.session_id, "0." + "0" * 64).connect()
        assert intruder.session_id != owner.session_id and intruder.history is None
        # writing into the owner's conversation with a hand-made message is dropped
        await intruder.sio.emit("user_uttered", {"message": "injected", "session_id": owner.session_id})
        await owner.say("someone says he'll post my pics unless i pay")
        await owner.wait_for(handoff_signal)
        await asyncio.sleep(1)
        assert not any(handoff_signal(item) for item in intruder.received)
        case = CaseStore(stack["db_url"]).for_conversation(owner.session_id)
        assert case is not None and all(m["text"] != "injected" for m in case.messages)
    finally:
        await owner.close()
        if intruder:
            await intruder.close()


async def test_a_page_from_another_website_cannot_open_the_chat_socket(stack):
    import aiohttp

    async with aiohttp.ClientSession() as http:
        url = stack["rasa"] + "/socket.io/?EIO=4&transport=polling"
        async with http.get(url, headers={"Origin": "https://evil.example"}) as refused:
            assert refused.status == 400
        async with http.get(url, headers={"Origin": stack["widget"]}) as allowed:
            assert allowed.status == 200

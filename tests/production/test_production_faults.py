"""Faults against the real production profile (deploy/run_production.sh: HAProxy, two Rasa
servers, the action server, PostgreSQL, Redis, console), every turn through the load balancer.
The stage's one profile (conftest.py); the tests run in file order and the last one kills a
Rasa server."""

import html
import time
import uuid

import pytest

from tests.console.http_client import ConsoleClient
from tests.e2e.conftest import post
from tests.servers import poll

DISCLOSURE = ["im 14", "a man in his 30s keeps asking me for pics"]


@pytest.fixture(scope="module")
def profile(production_profile):
    return production_profile


def new_conversation() -> str:
    return "prod-" + uuid.uuid4().hex[:10]


def texts(items) -> str:
    return "\n".join(i.get("text") or "" for i in items or [])


def handoff_of(items) -> dict | None:
    for item in items or []:
        if isinstance(item.get("custom"), dict) and "handoff" in item["custom"]:
            return item["custom"]["handoff"]
    return None


def turn(profile, conversation, message):
    started = time.monotonic()
    status, items = post(profile.url, {"sender": conversation, "message": message})
    return status, items, time.monotonic() - started


def wait_for(check, timeout=60.0):
    return poll(check, timeout=timeout, interval=0.5)


def test_the_load_balancer_passes_the_chat_and_nothing_else(profile):
    status, items, _ = turn(profile, new_conversation(), "hi")
    assert status == 200 and "chatbot" in texts(items)
    # Rasa's HTTP API is for the console only, never through the public endpoint
    status, _ = post(profile.url.replace("/webhooks/rest/webhook", ""), None, raw=b"{}")
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(
            f"{profile.url}/conversations/x/tracker?token={profile.secrets['RASA_API_TOKEN']}"
        )
    assert refused.value.code == 404


def first_turn_limited(profile, source: str, forwarded_for: str | None = None) -> bool:
    """A new conversation's first turn from this loopback address: was it turned away by a limit?"""
    import http.client
    import json

    connection = http.client.HTTPConnection(
        "127.0.0.1", profile.ports["LB_PORT"], timeout=30, source_address=(source, 0)
    )
    headers = {"Content-Type": "application/json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    body = json.dumps({"sender": new_conversation(), "message": "hi"})
    try:
        connection.request("POST", "/webhooks/rest/webhook", body, headers)
        answer = connection.getresponse()
        assert answer.status == 200 and json.loads(answer.read())
        return answer.getheader("Retry-After") is not None
    finally:
        connection.close()


def test_the_limits_count_each_visitor_not_the_load_balancer(profile):
    # 30 people from 30 addresses start a chat at once: none is limited (HAProxy tells Rasa each
    # one's address; before, all shared HAProxy's and the 21st new chat in a minute waited)
    assert not any(first_turn_limited(profile, f"127.20.1.{n}") for n in range(1, 31))
    # 30 new chats from one address are limited past 10 a minute per Rasa server, whatever
    # address the client writes in X-Forwarded-For (HAProxy replaces it)
    limited = [first_turn_limited(profile, "127.20.0.1", f"198.51.100.{n}") for n in range(1, 31)]
    assert sum(limited) >= 5


def test_postgresql_stopped_during_an_escalation(profile):
    conversation = new_conversation()
    status, _, _ = turn(profile, conversation, DISCLOSURE[0])
    assert status == 200
    profile.stop_postgres()
    try:
        status, items, took = turn(profile, conversation, DISCLOSURE[1])
        # the safety advice at once, and the handoff signal naming the case it will be
        assert status == 200 and took < 2.5
        assert "0800 1111" in texts(items) and "999" in texts(items)
        signal = handoff_of(items)
        assert signal and "adult_involved" in signal["reasons"]
        time.sleep(10)
        assert profile.outbox(), "the case waits in the outbox while PostgreSQL is down"
    finally:
        profile.start_postgres()
    assert wait_for(lambda: profile.cases_for(conversation), 60), (
        "the case was written when PostgreSQL came back"
    )
    assert wait_for(lambda: not profile.outbox(), 60), "the outbox emptied"
    cases = profile.cases_for(conversation)
    assert len(cases) == 1 and cases[0]["id"] == signal["case_id"]
    # and the conversation carries on
    status, items, _ = turn(profile, conversation, "what happens now")
    assert status == 200 and items


def test_the_action_server_down_then_back(profile):
    conversation = new_conversation()
    assert turn(profile, conversation, DISCLOSURE[0])[0] == 200
    old = profile.kill("actions")
    status, items, took = turn(profile, conversation, DISCLOSURE[1])
    assert status == 200 and took < 2.5 and "0800 1111" in texts(items)
    signal = handoff_of(items)
    assert signal and "adult_involved" in signal["reasons"]
    profile.wait_restarted("actions", old, f"http://127.0.0.1:{profile.ports['ACTION_PORT']}/health")
    assert wait_for(lambda: profile.cases_for(conversation), 60)
    assert wait_for(lambda: not profile.outbox(), 60)
    assert [c["id"] for c in profile.cases_for(conversation)] == [signal["case_id"]]
    status, items, _ = turn(profile, conversation, "what happens now")
    assert status == 200 and items


def test_redis_restarts_and_conversations_continue(profile):
    conversation = new_conversation()
    assert turn(profile, conversation, "hi")[0] == 200
    profile.restart_redis()
    status, items, _ = turn(profile, conversation, "what is sexting")
    assert status == 200 and items
    assert profile.user_texts(conversation) == ["hi", "what is sexting"]


def test_the_console_restarts_and_open_cases_claims_and_messages_are_all_there(profile):
    supervisor = ("prod.sup", "Sam", "a long enough password for tests")
    created = profile.console_command(
        "create-supervisor", "--username", supervisor[0], "--display-name", supervisor[1],
        stdin=f"{supervisor[2]}\n{supervisor[2]}\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    conversation = new_conversation()
    for message in DISCLOSURE:
        assert turn(profile, conversation, message)[0] == 200
    assert wait_for(lambda: profile.cases_for(conversation), 60)
    case_id = profile.cases_for(conversation)[0]["id"]

    staff = signed_in(profile, supervisor)
    token = staff.csrf()
    staff.post("/duty", {"csrf_token": token, "on_duty": "yes"})
    assert staff.post(f"/cases/{case_id}/claim", {"csrf_token": token}).status == 303
    reply = "Hello, I am Sam from the team. You did the right thing telling us."
    assert staff.post(f"/cases/{case_id}/reply", {"csrf_token": token, "text": reply}).status == 303
    assert turn(profile, conversation, "ok what do i do now")[0] == 200
    assert wait_for(lambda: "ok what do i do now" in staff.get(f"/cases/{case_id}").body, 30)

    old = profile.kill("console")
    console_url = f"http://127.0.0.1:{profile.ports['CONSOLE_PORT']}"
    profile.wait_restarted("console", old, f"{console_url}/sign-in")

    staff = signed_in(profile, supervisor)
    assert case_id in staff.get("/").body, "the open case is in the queue"
    page = staff.get(f"/cases/{case_id}").body
    assert 'data-status="connected"' in page, "still connected"
    assert 'data-claimed-by=""' not in page, "still claimed"
    for text in (*DISCLOSURE, reply, "ok what do i do now"):
        assert html.escape(text, quote=False) in page, text


def signed_in(profile, person) -> ConsoleClient:
    client = ConsoleClient(f"http://127.0.0.1:{profile.ports['CONSOLE_PORT']}")
    answer = client.sign_in(person[0], person[2])
    assert answer.status == 303 and answer.location == "/"
    return client


def test_one_rasa_server_killed_mid_conversation(profile):
    conversation = new_conversation()
    said = ["hi", "im 14", "what is sexting"]
    for message in said:
        assert turn(profile, conversation, message)[0] == 200
    profile.kill("rasa1")
    more = ["can i get in trouble", "thanks"]
    for message in more:
        status, items, _ = turn(profile, conversation, message)
        assert status == 200 and items and "something has gone wrong" not in texts(items).lower()
    # the whole history, each message once, in order
    assert profile.user_texts(conversation) == said + more

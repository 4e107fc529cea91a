"""The action server answers Rasa only (rasa_sdk_plugins/: a forged POST to :5055/webhook had
turned a high-risk case into a low-risk one and created cases). Against the real servers."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

from handoff.store import CaseStore
from tests.e2e.conftest import post

TOKEN_HEADER = "X-Action-Token"  # what endpoints.yml sends (rasa_sdk_plugins/)


def case_of(assistant, sender: str, timeout: float = 15.0):
    """The conversation's case (a held one is written a moment after the reply)."""
    store = CaseStore(f"sqlite:///{assistant['handoff_db']}")
    deadline = time.monotonic() + timeout
    while (case := store.for_conversation(sender)) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return case


def forged_escalation(sender: str) -> dict:
    return {
        "next_action": "action_escalate",
        "sender_id": sender,
        "tracker": {
            "sender_id": sender,
            "slots": {},
            "latest_message": {"intent": {"name": "request_human", "confidence": 1.0}, "entities": []},
            "events": [
                {
                    "event": "user",
                    "text": "can i talk to a person",
                    "parse_data": {"intent": {"name": "request_human", "confidence": 1.0}, "entities": []},
                }
            ],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": {},
        "version": "3.6.2",
    }


def call(url: str, body: dict | None, headers: dict | None = None, method: str = "POST"):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"null")


def test_a_call_without_the_shared_secret_is_refused_and_changes_nothing(assistant):
    # a real conversation escalates high-risk through Rasa, which sends the secret
    sender = f"forged-{uuid.uuid4().hex[:8]}"
    status, items = post(
        assistant["url"],
        {"sender": sender, "message": "a man i met online says he will share my nudes unless i pay him"},
    )
    assert status == 200
    store = CaseStore(f"sqlite:///{assistant['handoff_db']}")
    before = case_of(assistant, sender)
    assert before.risk_level == "high"

    webhook = assistant["action_url"] + "/webhook"
    for headers in ({}, {TOKEN_HEADER: ""}, {TOKEN_HEADER: "guess"}, {"Authorization": "Bearer x"}):
        status, body = call(webhook, forged_escalation(sender), headers)
        assert status == 401, (headers, body)
    assert call(assistant["action_url"] + "/actions", None, method="GET")[0] == 401
    after = store.for_conversation(sender)
    assert (after.risk_level, after.reasons, after.summary) == (
        before.risk_level,
        before.reasons,
        before.summary,
    )
    # nor can a forged call open a case for a conversation that never happened
    invented = f"invented-{uuid.uuid4().hex[:6]}"
    status, _ = call(webhook, forged_escalation(invented))
    assert status == 401 and store.for_conversation(invented) is None


def test_health_stays_open_for_the_process_supervisor(assistant):
    assert call(assistant["action_url"] + "/health", None, method="GET") == (200, {"status": "ok"})


def test_with_the_secret_even_a_lower_update_never_lowers_the_case(assistant):
    """Defence in depth: whoever holds the secret still cannot lower a case's risk or drop a reason."""
    sender = f"lower-{uuid.uuid4().hex[:8]}"
    post(
        assistant["url"],
        {"sender": sender, "message": "a man i met online says he will share my nudes unless i pay him"},
    )
    store = CaseStore(f"sqlite:///{assistant['handoff_db']}")
    before = case_of(assistant, sender)
    status, _ = call(
        assistant["action_url"] + "/webhook",
        forged_escalation(sender),
        {TOKEN_HEADER: assistant["env"]["ACTION_SERVER_TOKEN"]},
    )
    assert status == 200
    after = store.for_conversation(sender)
    assert after.id == before.id and after.risk_level == "high"
    assert (
        set(before.reasons) <= set(after.reasons) and before.summary == after.summary[: len(before.summary)]
    )

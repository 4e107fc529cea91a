"""channels/resilience.py: the safety reply when a part fails, Rasa's RemoteAction with a time limit
and no silence, and the channels' deadline. The action servers here are real sockets: a closed
port (nothing listening) and a server that accepts and never answers."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels import resilience
from handoff.outbox import Outbox, stop_draining
from handoff.store import CaseStore
from safeguarding import screen
from tests.faults import read_only
from tests.servers import free_port

DOMAIN = Domain.load("domain.yml")
BLACKMAIL = "he says he'll post my nudes unless i pay him"


@pytest.fixture(autouse=True)
def places(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("HANDOFF_DB_URL", f"sqlite:///{tmp_path / 'handoff.db'}")
    monkeypatch.setenv("HANDOFF_OUTBOX_RETRY_SECONDS", "0.2")
    resilience.apply()
    yield tmp_path
    stop_draining()


def conversation(
    sender: str, text: str, intent: str = "threat_blackmail", slots=None
) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    parse = {
        "intent": {"name": intent, "confidence": 0.95},
        "entities": screen(text).as_entities(),
        "text": text,
    }
    tracker.update_with_events(
        [ActionExecuted("action_listen"), UserUttered(text, parse["intent"], parse["entities"], parse)],
        DOMAIN,
    )
    for name, value in (slots or {}).items():
        tracker.update(SlotSet(name, value))
    return tracker


def texts(events) -> str:
    return "\n".join(e.text or "" for e in events if isinstance(e, BotUttered))


def handoff_of(events):
    return next(
        (
            e.data["custom"]["handoff"]
            for e in events
            if isinstance(e, BotUttered) and (e.data or {}).get("custom")
        ),
        None,
    )


async def run_remote(name: str, url: str, tracker) -> list:
    action = RemoteAction(name, EndpointConfig(url))
    return await action.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker, DOMAIN
    )


async def test_an_unreachable_action_server_gives_the_safety_reply_not_silence(places):
    events = await run_remote(
        "action_escalate", f"http://127.0.0.1:{free_port()}/webhook", conversation("c-down", BLACKMAIL)
    )
    text = texts(events)
    assert "Don't pay" in text and "999" in text and "0800 1111" in text and "try again" in text.lower()
    signal = handoff_of(events)
    assert signal and "coercion_or_blackmail" in signal["reasons"]
    slots = {e.key: e.value for e in events if isinstance(e, SlotSet)}
    assert slots == {"case_id": signal["case_id"], "handoff_reasons": signal["reasons"]}  # no status copy
    # held, and written by this process's retry (the database is fine)
    store = CaseStore()
    deadline = time.monotonic() + 10
    while (store.get(signal["case_id"]) is None or Outbox().paths()) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert store.get(signal["case_id"]).conversation_id == "c-down"
    assert Outbox().paths() == []


async def test_a_failure_with_nothing_disclosed_still_gives_999_childline_and_try_again():
    events = await run_remote(
        "action_advise", f"http://127.0.0.1:{free_port()}/webhook", conversation("c-hi", "hello", "greet")
    )
    text = texts(events)
    assert "999" in text and "0800 1111" in text and "try again" in text.lower()
    assert handoff_of(events) is None and not [e for e in events if isinstance(e, SlotSet)]


async def test_an_escalated_conversation_is_not_escalated_again_by_the_safety_reply():
    tracker = conversation(
        "c-again", BLACKMAIL, slots={"handoff_reasons": ["coercion_or_blackmail", "exploitation_or_profit"]}
    )
    events = await run_remote("action_advise", f"http://127.0.0.1:{free_port()}/webhook", tracker)
    assert handoff_of(events) is None and "try again" in texts(events).lower()


async def test_one_safety_reply_per_message_even_if_several_actions_fail():
    tracker = conversation("c-twice", "hello", "greet")
    url = f"http://127.0.0.1:{free_port()}/webhook"
    first = await run_remote("action_advise", url, tracker)
    second = await run_remote("action_threshold_start", url, tracker)
    assert texts(first) and second == []


@contextlib.asynccontextmanager
async def hung_server():
    """Accepts connections and never answers, like a frozen action server."""

    async def hold(reader, writer):
        await asyncio.sleep(60)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/webhook"
    finally:
        server.close()


async def test_a_hung_action_server_is_given_up_on_within_the_time_limit(monkeypatch):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "0.5")
    async with hung_server() as url:
        started = time.monotonic()
        events = await run_remote("action_escalate", url, conversation("c-hung", BLACKMAIL))
        elapsed = time.monotonic() - started
    assert elapsed < 1.5 and "Don't pay" in texts(events)


# --- the channels' deadline ----------------------------------------------------------------


async def test_a_message_whose_handling_fails_gets_the_safety_reply():
    async def broken(message):
        raise RuntimeError("tracker store unavailable")

    collector = CollectingOutputChannel()
    assert not await resilience.within_deadline(broken, UserMessage("hello", collector, "c-broken"))
    text = "\n".join(m.get("text") or "" for m in collector.messages)
    assert "999" in text and "0800 1111" in text and "try again" in text.lower()


async def test_a_message_whose_handling_is_too_slow_gets_the_safety_reply_in_time(monkeypatch):
    monkeypatch.setenv("REPLY_DEADLINE_SECONDS", "0.3")

    async def slow(message):
        await asyncio.sleep(3)

    collector = CollectingOutputChannel()
    started = time.monotonic()
    assert not await resilience.within_deadline(slow, UserMessage("hello", collector, "c-slow"))
    assert time.monotonic() - started < 1.0 and "0800 1111" in collector.messages[-1]["text"]


async def test_a_message_answered_in_time_gets_nothing_extra():
    async def fine(message):
        await message.output_channel.send_text_message(message.sender_id, "hello there")

    collector = CollectingOutputChannel()
    assert await resilience.within_deadline(fine, UserMessage("hello", collector, "c-fine"))
    assert [m["text"] for m in collector.messages] == ["hello there"]


def test_the_last_resort_text_has_the_numbers():
    assert "999" in resilience.LAST_RESORT and "0800 1111" in resilience.LAST_RESORT
    assert "try again" in resilience.LAST_RESORT.lower()


def test_the_time_limits_fit_inside_two_seconds():
    from handoff.outbox import READ_BUDGET_SECONDS, WRITE_BUDGET_SECONDS

    assert READ_BUDGET_SECONDS + WRITE_BUDGET_SECONDS < resilience.DEFAULT_ACTION_TIMEOUT
    assert resilience.DEFAULT_ACTION_TIMEOUT < resilience.DEFAULT_REPLY_DEADLINE < 2.0
    late_reply = (
        resilience.DEFAULT_REPLY_DEADLINE
        + resilience.PARSE_BUDGET_SECONDS
        + resilience.DIRECT_WRITE_BUDGET_SECONDS
    )
    assert late_reply < 2.0


def test_a_safety_reply_writes_the_case_at_once_when_the_database_answers(monkeypatch):
    # "answers" in the budget: a loaded machine (a CI runner) can take longer than the 0.1 s a
    # person waits, and then the case is held, as the hung-database test shows
    monkeypatch.setattr(resilience, "DIRECT_WRITE_BUDGET_SECONDS", 10.0)
    events = [e.as_dict() for e in conversation("c-at-once", BLACKMAIL).events]
    reply = resilience.safety_reply("c-at-once", events)
    case = CaseStore().get(reply.handoff["case_id"])
    assert case is not None and case.conversation_id == "c-at-once"
    assert Outbox().paths() == []  # nothing held: it is in the database
    assert "0800 1111" in reply.text and "999" in reply.text


def open_case(conversation_id: str, case_id: str):
    """The action server's escalation of a blackmail disclosure, as it writes it."""
    return CaseStore().escalate(
        conversation_id=conversation_id,
        reasons=["coercion_or_blackmail"],
        risk_level="high",
        status="queued",
        audience=None,
        force_id=None,
        summary=[],
        transcript=[],
        case_id=case_id,
    )


def test_a_late_turns_safety_reply_names_the_case_the_action_server_already_opened():
    # the turn ran late: the action server opened the conversation's case, then the deadline's
    # safety reply escalated the same message again; the person and staff must see one case
    opened = open_case("c-late", "aaaaaaaaaaaa")
    events = [e.as_dict() for e in conversation("c-late", BLACKMAIL).events]
    reply = resilience.safety_reply("c-late", events)
    assert reply.handoff["case_id"] == opened.id
    assert reply.slots["case_id"] == opened.id


def test_a_safety_reply_holds_the_case_when_the_database_cannot_be_written(places):
    path = places / "handoff.db"
    CaseStore().engine.dispose()  # tables made while writable
    events = [e.as_dict() for e in conversation("c-held", BLACKMAIL).events]
    with read_only(path):
        CaseStore().engine.dispose()  # connections open from now on are read-only
        reply = resilience.safety_reply("c-held", events)
        assert reply.handoff and len(Outbox().paths()) == 1
    assert "kept" in reply.text and "0800 1111" in reply.text


def test_a_conversations_case_id_is_the_same_in_every_process_and_kept_secret(monkeypatch):
    from handoff.outbox import new_case_id

    monkeypatch.setenv("ACTION_SERVER_TOKEN", "one-secret")
    first = new_case_id("c-same")
    assert new_case_id("c-same") == first and new_case_id("c-other") != first
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "another-secret")
    assert new_case_id("c-same") != first  # not to be worked out from the conversation id alone


def test_a_held_safety_reply_and_the_action_servers_later_escalation_name_one_case(places):
    from handoff.outbox import new_case_id

    path = places / "handoff.db"
    CaseStore().engine.dispose()
    events = [e.as_dict() for e in conversation("c-one-case", BLACKMAIL).events]
    with read_only(path):
        CaseStore().engine.dispose()
        held = resilience.safety_reply("c-one-case", events).handoff["case_id"]
    CaseStore().engine.dispose()
    # the action server escalates the same conversation once the database is back
    opened = open_case("c-one-case", new_case_id("c-one-case"))
    assert opened.id == held

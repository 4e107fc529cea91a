"""action_escalate when the cases database cannot be written: the safety advice still goes out at
once, with 999, Childline and "try again"; the case is held in the outbox under the id the
handoff signal gives. The database is a real SQLite file made read-only (tests/unit/test_outbox.py)."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import escalation
from actions.escalation import ActionEscalate
from handoff.outbox import Outbox, stop_draining
from handoff.store import CaseStore
from tests.unit.test_actions import tracker, user_event
from tests.unit.test_outbox import read_only

BLACKMAIL = "he says he'll post my nudes unless i pay him"


@pytest.fixture
def readonly_store(tmp_path, monkeypatch):
    path = tmp_path / "cases.db"
    store = CaseStore(f"sqlite:///{path}")
    store.engine.dispose()
    monkeypatch.setattr(escalation, "case_store", lambda: store)
    monkeypatch.setenv("HANDOFF_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("HANDOFF_OUTBOX_RETRY_SECONDS", "60")  # the test looks before any retry
    with read_only(path):
        yield store
    stop_draining()


def reply_text(dispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


async def test_a_case_that_cannot_be_written_is_held_and_the_advice_still_goes_out(readonly_store, tmp_path):
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate().run(
        dispatcher, tracker([user_event(BLACKMAIL, "threat_blackmail")], sender="held-1"), {}
    )
    text = reply_text(dispatcher)
    assert "Don't pay" in text  # the advice for this reason comes first, as ever
    assert "999" in text and "0800 1111" in text and "try again" in text.lower()
    assert "has been kept" in text  # honest: not passed on yet, but kept
    signal = dispatcher.messages[-1]["custom"]["handoff"]
    assert "coercion_or_blackmail" in signal["reasons"]
    (held,) = Outbox(tmp_path / "outbox").entries()
    assert held["case_id"] == signal["case_id"] and held["conversation_id"] == "held-1"
    assert held["summary"] == [BLACKMAIL]
    assert events == [SlotSet("handoff_reasons", signal["reasons"]), SlotSet("case_id", signal["case_id"])]
    assert readonly_store.for_conversation("held-1") is None


async def test_when_nothing_can_keep_the_case_it_says_so_and_escalates_again_next_time(
    readonly_store, tmp_path, monkeypatch
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("HANDOFF_OUTBOX_DIR", str(blocked))
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate().run(
        dispatcher, tracker([user_event(BLACKMAIL, "threat_blackmail")], sender="lost-1"), {}
    )
    text = reply_text(dispatcher)
    assert "Don't pay" in text and "999" in text and "0800 1111" in text and "try again" in text.lower()
    assert "couldn't pass this to a person" in text and "has been kept" not in text
    assert not any((m.get("custom") or {}).get("handoff") for m in dispatcher.messages)
    assert events == []  # no slot says it was escalated: the next message tries again

"""channels/admission.py: what a message over a limit gets, that an escalated conversation is never
refused or restarted, and the fresh start of a long conversation. Against Rasa's real tracker
store (the project's, on a SQLite file) and lock store; the clock is set by hand."""

import asyncio
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, ConversationPaused, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.admission import Gate
from channels.notes import note
from channels.rate_limits import ChatLimits, Rate
from channels.tracker_store import ThreadedSQLTrackerStore
from handoff.clock import FixedClock
from tests.unit.test_rate_limits import settings as limit_settings

DOMAIN = Domain.load("domain.yml")
ADDRESS = "203.0.113.5"


@pytest.fixture
def rasa(tmp_path):
    """Rasa's stores as the agent holds them (the tracker store wrapped as Rasa wraps it)."""
    store = ThreadedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    return SimpleNamespace(
        tracker_store=FailSafeTrackerStore(store), lock_store=InMemoryLockStore(), store=store
    )


def gate(**changes) -> tuple[Gate, FixedClock]:
    clock = FixedClock(datetime(2031, 3, 4, 10, 0, tzinfo=timezone.utc))
    changes.setdefault("messages_per_address", Rate(100, 60.0))
    return Gate(ChatLimits(limit_settings(**changes), clock), clock), clock


async def conversation(rasa, sender: str, user_turns: int, *extra) -> None:
    """A conversation Rasa has stored: `user_turns` exchanges, then `extra` events."""
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    events = [SlotSet("audience", "young_person")]
    for turn in range(user_turns):
        events += [UserUttered(f"message {turn}"), BotUttered(f"answer {turn}")]
    tracker.update_with_events(events + list(extra), DOMAIN)
    await rasa.tracker_store.save(tracker)


async def answered(admission, rasa=None, sender: str = "") -> bool:
    """Runs an admitted message through a stand-in for Rasa's handler, which stores the message
    and its answer as Rasa would (when given Rasa's stores and the conversation)."""
    if not admission.admitted:
        return False

    async def rasa_answers(text):
        if rasa is None:
            return
        async with rasa.lock_store.lock(sender):
            tracker = await rasa.tracker_store.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
            tracker.update_with_events([UserUttered(text), BotUttered("an answer")], DOMAIN)
            await rasa.tracker_store.save(tracker)

    await admission.handling(rasa_answers)("a message")
    return True


def user_texts(tracker) -> list[str]:
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def says_wait_with_childline_and_999(text: str) -> bool:
    return "0800 1111" in text and "999" in text and "wait" in text.lower()


async def test_a_flood_of_new_conversations_from_one_address_opens_only_its_share(rasa):
    limits, _ = gate()
    admissions = await asyncio.gather(*(limits.admit(rasa, ADDRESS, f"flood-{i}") for i in range(20)))
    refused = [a for a in admissions if not a.admitted]
    assert len(refused) == 17
    assert all(a.reply == note("limit_new_chats") and a.retry_after == 20 for a in refused)
    assert says_wait_with_childline_and_999(refused[0].reply)
    # someone else is not held up by it
    assert (await limits.admit(rasa, "198.51.100.7", "someone-else")).admitted


async def test_messages_sent_at_once_in_a_new_conversation_count_as_one_conversation(rasa):
    limits, _ = gate(in_flight_per_conversation=2)
    admissions = await asyncio.gather(*(limits.admit(rasa, ADDRESS, "at-once") for _ in range(10)))
    assert sum(a.admitted for a in admissions) == 2  # two may wait for a reply at a time
    assert all(a.reply == note("limit_busy") for a in admissions if not a.admitted)
    # it used one of the address's three new conversations
    assert all([(await limits.admit(rasa, ADDRESS, f"next-{i}")).admitted for i in range(2)])


async def test_a_busy_conversation_is_asked_to_wait_then_answered_when_the_clock_moves(rasa):
    limits, clock = gate()
    outcomes = [await answered(await limits.admit(rasa, ADDRESS, "busy")) for _ in range(7)]
    assert outcomes == [True] * 5 + [False] * 2
    refused = await limits.admit(rasa, ADDRESS, "busy")
    assert refused.reply == note("limit_busy") and refused.retry_after == 12
    assert says_wait_with_childline_and_999(refused.reply)
    clock.advance(timedelta(seconds=12))
    assert await answered(await limits.admit(rasa, ADDRESS, "busy"))


async def test_an_escalated_conversation_is_never_refused_and_takes_nothing_from_others(rasa):
    await conversation(rasa, "escalated", 1, SlotSet("case_id", "case-1"))
    limits, _ = gate(in_flight_per_conversation=1)
    admissions = await asyncio.gather(*(limits.admit(rasa, ADDRESS, "escalated") for _ in range(40)))
    assert all(a.admitted for a in admissions)  # 40 at once, over every limit
    # the address's own limits are untouched: three new conversations may still start
    assert all([(await limits.admit(rasa, ADDRESS, f"new-{i}")).admitted for i in range(3)])


async def test_a_conversation_escalated_after_it_was_first_seen_is_let_through(rasa):
    limits, _ = gate()
    for sender in ("will-escalate", "stays-calm"):
        await conversation(rasa, sender, 1)
        assert [await answered(await limits.admit(rasa, ADDRESS, sender)) for _ in range(5)] == [True] * 5
    # Rasa escalates one of them (action_escalate sets the case's slots)
    tracker = await rasa.tracker_store.retrieve("will-escalate")
    tracker.update(SlotSet("case_id", "case-2"))
    await rasa.tracker_store.save(tracker)
    for _ in range(10):
        assert await answered(await limits.admit(rasa, ADDRESS, "will-escalate"))
    assert not (await limits.admit(rasa, ADDRESS, "stays-calm")).admitted


async def test_a_chat_a_person_has_taken_over_is_never_refused(rasa):
    await conversation(rasa, "taken-over", 2, ConversationPaused())
    limits, _ = gate()
    assert all([await answered(await limits.admit(rasa, ADDRESS, "taken-over")) for _ in range(30)])


async def test_a_long_conversation_starts_afresh_and_the_message_is_answered_in_it(rasa):
    await conversation(rasa, "long", 3)
    limits, _ = gate(max_user_turns=3)
    admission = await limits.admit(rasa, ADDRESS, "long")
    assert admission.admitted and admission.note == note("limit_fresh_start")
    assert "0800 1111" in admission.note and "999" in admission.note
    fresh = await rasa.tracker_store.retrieve("long")
    assert user_texts(fresh) == [] and fresh.get_slot("audience") is None  # nothing carried over
    everything = await rasa.tracker_store.retrieve_full_tracker("long")
    assert user_texts(everything) == ["message 0", "message 1", "message 2"]  # kept, not shown
    # the admitted message is the new chat's first: two more, then the next fresh start
    await answered(admission, rasa, "long")
    for _ in range(2):
        admission = await limits.admit(rasa, ADDRESS, "long")
        assert admission.note is None
        await answered(admission, rasa, "long")
    assert (await limits.admit(rasa, ADDRESS, "long")).note == note("limit_fresh_start")


async def test_an_escalated_conversation_goes_on_past_the_length_limit(rasa):
    await conversation(rasa, "long-escalated", 3, SlotSet("case_id", "case-3"))
    limits, _ = gate(max_user_turns=3)
    for _ in range(5):
        admission = await limits.admit(rasa, ADDRESS, "long-escalated")
        assert admission.admitted and admission.note is None
    tracker = await rasa.tracker_store.retrieve("long-escalated")
    assert len(user_texts(tracker)) == 3 and tracker.get_slot("case_id") == "case-3"


async def test_turns_already_stored_count_towards_the_length(rasa):
    """A restarted Rasa (a new gate) counts the conversation's turns from its tracker."""
    await conversation(rasa, "restarted", 2)
    limits, _ = gate(max_user_turns=3)
    admission = await limits.admit(rasa, ADDRESS, "restarted")
    assert admission.note is None
    await answered(admission, rasa, "restarted")
    assert (await limits.admit(rasa, ADDRESS, "restarted")).note == note("limit_fresh_start")


async def test_a_count_above_what_rasa_stored_starts_nothing_afresh(rasa):
    """The tracker is the truth: messages counted here that Rasa never stored (it failed, or
    they were in another process) do not cut a conversation short."""
    await conversation(rasa, "unstored", 1)
    limits, _ = gate(max_user_turns=3)
    for _ in range(4):
        admission = await limits.admit(rasa, ADDRESS, "unstored")
        assert admission.note is None
        await answered(admission)  # answered, but nothing stored
    assert len(user_texts(await rasa.tracker_store.retrieve("unstored"))) == 1


async def test_a_message_waits_its_turn_until_rasa_has_answered_the_one_before(rasa):
    limits, _ = gate(in_flight_per_conversation=1)
    first = await limits.admit(rasa, ADDRESS, "one-at-a-time")
    assert first.admitted
    assert not (await limits.admit(rasa, ADDRESS, "one-at-a-time")).admitted
    assert await answered(first)
    second = await limits.admit(rasa, ADDRESS, "one-at-a-time")
    second.abandon()  # the channel failed before Rasa saw it
    third = await limits.admit(rasa, ADDRESS, "one-at-a-time")
    handler = third.handling(lambda _m: asyncio.sleep(0))
    third.abandon()  # handed over: only Rasa's end releases it
    assert not (await limits.admit(rasa, ADDRESS, "one-at-a-time")).admitted
    await handler("message")
    assert (await limits.admit(rasa, ADDRESS, "one-at-a-time")).admitted


async def test_without_the_tracker_store_the_limits_still_apply():
    limits, _ = gate()
    admissions = [await limits.admit(None, ADDRESS, f"nothing-{i}") for i in range(5)]
    assert [a.admitted for a in admissions] == [True, True, True, False, False]
    assert says_wait_with_childline_and_999(admissions[-1].reply)


# --- shedding load: the process, not the sender, is over its limit -----------------------------


async def rules_screen(_agent, text: str) -> bool:
    """The screen's rules on one message (what Rasa's NLU adds is the model's reading)."""
    from safeguarding.assessment import assess
    from tests.unit.rules_reading import rules_turns

    return bool(assess(rules_turns(text)))


def busy_process(screen=rules_screen) -> Gate:
    clock = FixedClock(datetime(2031, 3, 4, 10, 0, tzinfo=timezone.utc))
    return Gate(
        ChatLimits(limit_settings(messages_per_address=Rate(100, 60.0), max_in_flight=2), clock),
        clock,
        screen,
    )


async def test_an_overloaded_process_sheds_an_ordinary_message_at_once_with_999_and_childline(rasa):
    limits = busy_process()
    first = await limits.admit(rasa, ADDRESS, "chat-1", "hi")
    second = await limits.admit(rasa, "198.51.100.7", "chat-2", "what does the law say about sending pics")
    shed = await limits.admit(rasa, "192.0.2.9", "chat-3", "is this anonymous?")
    assert first.admitted and second.admitted and not shed.admitted
    assert says_wait_with_childline_and_999(shed.reply) and shed.retry_after >= 1
    assert await answered(first)
    assert (await limits.admit(rasa, "192.0.2.9", "chat-3", "is this anonymous?")).admitted


@pytest.mark.parametrize(
    "text",
    [
        "he says he will send my pics to everyone unless i pay him tonight",
        "i have the tablets next to me and i want it to stop",
    ],
)
async def test_a_disclosure_is_never_shed_however_busy_the_process(rasa, text):
    limits = busy_process()
    for n in range(2):
        assert (await limits.admit(rasa, ADDRESS, f"busy-{n}", "hello")).admitted
    assert (await limits.admit(rasa, "192.0.2.9", "telling", text)).admitted
    assert not (await limits.admit(rasa, "192.0.2.10", "asking", "how do i report a pic")).admitted


async def test_a_message_the_screen_cannot_read_in_time_is_let_through(rasa):
    async def no_answer(_agent, _text):
        return None

    limits = busy_process(no_answer)
    for n in range(2):
        assert (await limits.admit(rasa, ADDRESS, f"busy-{n}", "hello")).admitted
    assert (await limits.admit(rasa, "192.0.2.9", "unread", "something")).admitted


async def test_a_button_payload_is_shed_unread_and_an_escalated_chat_never_is(rasa):
    await conversation(rasa, "escalated", 2, SlotSet("case_id", "abc123def456"))
    limits = busy_process()
    for n in range(2):
        assert (await limits.admit(rasa, ADDRESS, f"busy-{n}", "hello")).admitted
    assert not (await limits.admit(rasa, "192.0.2.9", "pressing", "/affirm")).admitted
    assert (await limits.admit(rasa, "192.0.2.9", "escalated", "hello?")).admitted

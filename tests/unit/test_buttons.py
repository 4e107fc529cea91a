"""Typed "/intents" are text; only payloads the bot offered as buttons stay payloads
(channels/buttons.py). The tracker store is the real one, on a temporary SQLite file."""

from types import SimpleNamespace

from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.buttons import offered_payloads, pressed_or_typed
from tests.unit.test_tracker_store import DOMAIN, store

IDENTIFY_PARENT = '/identify{"audience":"parent"}'


async def agent_with_conversation(tmp_path, sender="c1"):
    tracker_store = store(tmp_path / "tracker.db")
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update_with_events(
        [
            UserUttered("who can i talk to"),
            BotUttered(
                "So I can give you the right advice, who are you?",
                data={"buttons": [{"title": "I'm a parent or carer", "payload": IDENTIFY_PARENT}]},
            ),
        ],
        DOMAIN,
    )
    await tracker_store.save(tracker)
    return SimpleNamespace(tracker_store=tracker_store)


def test_offered_payloads_come_from_the_bots_messages_only():
    events = [
        {"event": "user", "text": "/restart"},
        {"event": "bot", "text": "hi", "data": {"buttons": [{"title": "A", "payload": "/take_down"}]}},
        BotUttered("x", data={"buttons": [{"title": "B", "payload": "/help_menu"}]}),
    ]
    assert offered_payloads(events) == {"/take_down", "/help_menu"}


async def test_a_pressed_button_stays_a_payload(tmp_path):
    agent = await agent_with_conversation(tmp_path)
    assert await pressed_or_typed(agent, "c1", IDENTIFY_PARENT) == IDENTIFY_PARENT


async def test_typed_intents_become_plain_text(tmp_path):
    agent = await agent_with_conversation(tmp_path)
    assert await pressed_or_typed(agent, "c1", "/restart") == "restart"
    assert (
        await pressed_or_typed(agent, "c1", '/request_human{"concern":"threat"}')
        == 'request_human{"concern":"threat"}'
    )
    # the payload the bot offered, but with other entities: typed
    assert not (await pressed_or_typed(agent, "c1", '/identify{"audience":"school"}')).startswith("/")
    # another conversation's buttons do not count
    assert await pressed_or_typed(agent, "someone-else", IDENTIFY_PARENT) == 'identify{"audience":"parent"}'


async def test_when_the_check_cannot_be_made_it_is_text():
    assert await pressed_or_typed(None, "c1", "/take_down") == "take_down"

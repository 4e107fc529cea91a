"""The tracker store against a real SQLite file: what one process writes, a restarted one reads."""

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.tracker_store import ThreadedSQLTrackerStore

DOMAIN = Domain.load("domain.yml")


def store(path):
    return ThreadedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path))


def texts(tracker):
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


def rows(path):
    with sa.create_engine(f"sqlite:///{path}").connect() as db:
        return db.execute(sa.text("select count(*) from events")).scalar()


async def test_turns_are_written_through_and_survive_a_restart(tmp_path):
    db = tmp_path / "tracker.db"
    first = store(db)
    assert await first.retrieve("c1") is None
    tracker = DialogueStateTracker("c1", DOMAIN.slots)
    tracker.update_with_events(
        [UserUttered("hi"), BotUttered("hello"), SlotSet("audience", "parent")], DOMAIN
    )
    await first.save(tracker)
    again = await first.retrieve("c1")
    again.update_with_events([UserUttered("thanks"), BotUttered("you're welcome")], DOMAIN)
    await first.save(again)
    assert rows(db) == 5

    restarted = store(db)
    loaded = await restarted.retrieve("c1")
    assert texts(loaded) == ["hi", "hello", "thanks", "you're welcome"]
    assert loaded.get_slot("audience") == "parent"


async def test_a_new_session_returns_only_its_events_but_keeps_all(tmp_path):
    db = tmp_path / "tracker.db"
    s = store(db)
    await s.retrieve("c2")
    tracker = DialogueStateTracker("c2", DOMAIN.slots)
    tracker.update_with_events([UserUttered("old question"), BotUttered("old answer")], DOMAIN)
    await s.save(tracker)
    tracker = await s.retrieve("c2")
    tracker.update_with_events(
        [
            ActionExecuted("action_session_start", timestamp=2e9),
            SessionStarted(timestamp=2e9),
            UserUttered("new question", timestamp=2e9 + 1),
        ],
        DOMAIN,
    )
    await s.save(tracker)
    assert texts(await s.retrieve("c2")) == ["new question"]
    assert texts(await s.retrieve_full_tracker("c2")) == ["old question", "old answer", "new question"]
    assert texts(await store(db).retrieve("c2")) == ["new question"]
    assert rows(db) == 5


async def test_saving_a_tracker_never_read_still_stores_it(tmp_path):
    db = tmp_path / "tracker.db"
    s = store(db)
    tracker = DialogueStateTracker("c3", DOMAIN.slots)
    tracker.update(UserUttered("straight in"))
    await s.save(tracker)
    assert texts(await s.retrieve("c3")) == ["straight in"]
    assert texts(await store(db).retrieve("c3")) == ["straight in"]


async def test_two_reads_in_flight_do_not_lose_events(tmp_path):
    """A turn's read, then an API read of the full tracker, then the turn's save: the save must
    still store all of the turn's events (the count lives on each tracker)."""
    db = tmp_path / "tracker.db"
    s = store(db)
    await s.retrieve("c4")
    first = DialogueStateTracker("c4", DOMAIN.slots)
    first.update_with_events(
        [
            ActionExecuted("action_session_start", timestamp=1e9),
            SessionStarted(timestamp=1e9 + 0.001),
            UserUttered("hi", timestamp=1e9 + 1),
        ],
        DOMAIN,
    )
    await s.save(first)
    turn = await s.retrieve("c4")
    await s.retrieve_full_tracker("c4")  # the API reads in between
    turn.update_with_events([BotUttered("hello"), UserUttered("pause?")], DOMAIN)
    await s.save(turn)
    assert texts(await store(db).retrieve_full_tracker("c4")) == ["hi", "hello", "pause?"]
    assert rows(db) == 5

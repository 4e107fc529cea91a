"""The tracker store on a real PostgreSQL shared by two Rasa processes (two stores here): each
keeps recent conversations in memory, and a read still sees every turn the other one saved (a
failover, or a conversation whose turns reach both servers)."""

import uuid

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.tracker_store import ThreadedSQLTrackerStore

DOMAIN = Domain.load("domain.yml")


def store(pg) -> ThreadedSQLTrackerStore:
    return ThreadedSQLTrackerStore(
        DOMAIN, dialect="postgresql", host=pg["host"], port=pg["port"], db="rasa", username="rasa"
    )


def texts(tracker):
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


async def turn(s: ThreadedSQLTrackerStore, sender: str, message: str) -> None:
    tracker = await s.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update_with_events([UserUttered(message), BotUttered(f"answer to {message}")], DOMAIN)
    await s.save(tracker)


def stored_rows(pg, sender: str) -> int:
    engine = sa.create_engine(f"postgresql://rasa@{pg['host']}:{pg['port']}/rasa")
    with engine.connect() as db:
        return db.execute(sa.text("select count(*) from events where sender_id = :s"), {"s": sender}).scalar()


async def test_each_server_reads_the_turns_the_other_saved(postgres_url):
    first, second = store(postgres_url), store(postgres_url)
    sender = "pg-ts-" + uuid.uuid4().hex[:8]
    await turn(first, sender, "one")
    await turn(first, sender, "two")  # the first server now holds the conversation in memory
    await turn(second, sender, "three")  # the next turn reaches the other server
    assert texts(await first.retrieve(sender)) == [
        "one",
        "answer to one",
        "two",
        "answer to two",
        "three",
        "answer to three",
    ]
    await turn(first, sender, "four")
    assert texts(await second.retrieve(sender))[-2:] == ["four", "answer to four"]
    assert stored_rows(postgres_url, sender) == 8  # nothing lost, nothing written twice


async def test_a_read_of_a_conversation_held_in_memory_does_not_load_it_again(postgres_url, monkeypatch):
    server = store(postgres_url)
    sender = "pg-ts-" + uuid.uuid4().hex[:8]
    await turn(server, sender, "first")
    loaded = []
    real_load = server._load_events
    monkeypatch.setattr(server, "_load_events", lambda s: loaded.append(s) or real_load(s))
    for n in range(30):
        await turn(server, sender, f"message {n}")
    assert loaded == []  # one indexed query a read, whatever the conversation's length
    assert len(texts(await store(postgres_url).retrieve(sender))) == 62

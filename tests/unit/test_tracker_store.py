"""The tracker store against a real SQLite file: what one process writes, a restarted one reads."""

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from channels.tracker_store import ThreadedSQLTrackerStore, keep_no_fallback

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


async def started(s, sender: str, first) -> ThreadedSQLTrackerStore:
    """The store, with a new conversation whose first event is saved (read first, as Rasa does)."""
    await s.retrieve(sender)
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(first)
    await s.save(tracker)
    return s


def state(tracker):
    """Everything a turn reads from a tracker, as plain data."""
    return tracker.current_state(EventVerbosity.ALL), tracker.past_states(DOMAIN)


async def test_a_read_is_the_stored_conversation_replayed(tmp_path):
    """What a read hands out (a copy of the cached state, no replay) is what replaying the
    stored events gives: slots, the active loop, the latest message and action, the events."""
    db = tmp_path / "tracker.db"
    s = store(db)
    await s.retrieve("c5")
    tracker = DialogueStateTracker("c5", DOMAIN.slots)
    tracker.update_with_events(
        [
            ActionExecuted("action_listen"),
            UserUttered("we need to check this", {"name": "start_threshold_check", "confidence": 0.9}),
            ActionExecuted("action_threshold_start"),
            ActionExecuted("threshold_check_form"),
            ActiveLoop("threshold_check_form"),
            SlotSet("requested_slot", "threshold_decision"),
            SlotSet("audience", "school"),
            ActionExecuted("action_listen"),
        ],
        DOMAIN,
    )
    await s.save(tracker)
    turn = await s.retrieve("c5")
    turn.update_with_events([UserUttered("year 9", {"name": "identify", "confidence": 0.8})], DOMAIN)
    await s.save(turn)
    read = await s.retrieve("c5")
    replayed = await store(db).retrieve("c5")
    assert state(read) == state(replayed)
    assert read.active_loop_name == "threshold_check_form" and read.get_slot("audience") == "school"
    read.update(SlotSet("audience", "parent"))  # a copy: changing it leaves the cache
    assert (await s.retrieve("c5")).get_slot("audience") == "school"


async def test_reading_does_not_replay_the_conversation(tmp_path, monkeypatch):
    """The mechanism behind a flat turn cost: after the first read of a conversation, a read
    decodes no event and reads nothing from the database, however long the conversation, with
    personal data in it or not; and every turn is written through."""
    from rasa.shared.core import events as rasa_events

    db = tmp_path / "tracker.db"
    s = await started(store(db), "c6", ActionExecuted("action_listen"))
    decoded, loaded = [], []
    real = rasa_events.deserialise_events
    monkeypatch.setattr(
        rasa_events, "deserialise_events", lambda data: decoded.append(len(data)) or real(data)
    )
    real_load = s._load_events
    monkeypatch.setattr(s, "_load_events", lambda sender: loaded.append(sender) or real_load(sender))
    for turn in range(60):
        tracker = await s.retrieve("c6")
        message = f"message {turn}" if turn % 5 else f"call me on 07700 900 {turn:03d}"
        tracker.update_with_events(
            [UserUttered(message), ActionExecuted("action_advise"), BotUttered("answer")], DOMAIN
        )
        tracker.update(ActionExecuted("action_listen"))
        await s.save(tracker)
    assert decoded == [] and loaded == []
    read = await s.retrieve("c6")
    assert len(read.events) == 1 + 60 * 4
    assert "call me on 07700 900 055" in texts(read)  # what was typed, given back
    assert len((await store(db).retrieve("c6")).events) == 1 + 60 * 4  # all written through
    assert "07700" not in stored_texts(db)


async def test_two_copies_saved_one_after_the_other_keep_both_turns(tmp_path):
    """Two reads of one conversation in flight (a turn and an API call), both saved: the
    database keeps both sets of events and the next read has them all."""
    db = tmp_path / "tracker.db"
    s = await started(store(db), "c7", UserUttered("hi"))
    turn, api = await s.retrieve("c7"), await s.retrieve("c7")
    turn.update(BotUttered("hello"))
    api.update(BotUttered("a person here"))
    await s.save(turn)
    await s.save(api)
    assert texts(await s.retrieve("c7")) == ["hi", "hello", "a person here"]
    assert texts(await store(db).retrieve("c7")) == ["hi", "hello", "a person here"]


# --- personal data (privacy/) -------------------------------------------------------------------


def stored_texts(path) -> str:
    """Everything the tracker store's database holds, as text."""
    with sa.create_engine(f"sqlite:///{path}").connect() as db:
        return "\n".join(db.execute(sa.text("select data from events")).scalars())


async def test_a_phone_number_is_stored_as_a_placeholder(tmp_path):
    db = tmp_path / "tracker.db"
    s = store(db)
    await s.retrieve("p1")
    tracker = DialogueStateTracker("p1", DOMAIN.slots)
    tracker.update_with_events(
        [UserUttered("text me on 07700 900 123 pls", intent={"name": "contact"}), BotUttered("ok")], DOMAIN
    )
    await s.save(tracker)
    on_disk = stored_texts(db)
    assert "07700" not in on_disk and on_disk.count("text me on [phone] pls") == 2  # text and parse_data
    # this process still reads what was typed in the session; a restart reads what was stored
    assert texts(await s.retrieve("p1")) == ["text me on 07700 900 123 pls", "ok"]
    assert texts(await store(db).retrieve("p1")) == ["text me on [phone] pls", "ok"]


async def test_a_tracker_saved_without_being_read_is_stored_redacted_too(tmp_path):
    db = tmp_path / "tracker.db"
    tracker = DialogueStateTracker("p2", DOMAIN.slots)
    tracker.update(UserUttered("my email is jo.b@example.com"))
    await store(db).save(tracker)
    assert "jo.b@example.com" not in stored_texts(db)
    assert texts(await store(db).retrieve("p2")) == ["my email is [email]"]


async def test_an_escalated_case_keeps_what_was_typed_while_the_tracker_store_has_it_redacted(
    tmp_path, monkeypatch
):
    from handoff.store import CaseStore
    from handoff.tracker_events import TrackerEvents
    from handoff.transcript import transcript

    cases_url = f"sqlite:///{tmp_path / 'cases.db'}"
    monkeypatch.setenv("HANDOFF_DB_URL", cases_url)
    cases = CaseStore(cases_url)
    db = tmp_path / "tracker.db"
    s = store(db)
    await s.retrieve("p3")
    tracker = DialogueStateTracker("p3", DOMAIN.slots)
    tracker.update(UserUttered("hi im Chloe", timestamp=1e9))
    await s.save(tracker)

    # the turn that escalates: the action server is sent the tracker as this process read it
    tracker = await s.retrieve("p3")
    tracker.update(
        UserUttered("he'll share my pics unless i pay, his number is 07700 900 456", timestamp=1e9 + 1)
    )
    sent_to_actions = [event.as_dict() for event in tracker.events]
    case = cases.escalate(
        "p3", ["coercion_or_blackmail"], "high", "queued", None, "dorset", [], transcript(sent_to_actions)
    )
    tracker.update(SlotSet("case_id", case.id))
    await s.save(tracker)

    # later in the chat: the message as typed reaches the case; the console copies the chat from
    # the tracker store as it goes on (redacted there): one copy of each message, as typed
    tracker = await s.retrieve("p3")
    tracker.update(UserUttered("we're at 12 Oak Road, LS6 2AB", timestamp=1e9 + 2))
    await s.save(tracker)
    chat, _ = TrackerEvents(f"sqlite:///{db}").after("p3", 0)
    cases.transcripts.add(case.id, transcript(chat))

    typed = [m["text"] for m in cases.get(case.id).messages if m["sender"] == "user"]
    assert typed == [
        "hi im Chloe",
        "he'll share my pics unless i pay, his number is 07700 900 456",
        "we're at 12 Oak Road, LS6 2AB",
    ]
    on_disk = stored_texts(db)
    assert not any(piece in on_disk for piece in ("Chloe", "07700", "Oak Road", "LS6"))
    assert "hi im [name]" in on_disk and "we're at [address], [postcode]" in on_disk


async def test_a_closed_case_gets_no_more_of_the_chat(tmp_path, monkeypatch):
    from handoff.store import CaseStore

    cases_url = f"sqlite:///{tmp_path / 'cases.db'}"
    monkeypatch.setenv("HANDOFF_DB_URL", cases_url)
    cases = CaseStore(cases_url)
    case = cases.escalate("p4", ["user_request"], "low", "queued", None, "dorset", [], [])
    cases.close(case.id, 1, "Sam", "advice_given", "done")
    s = store(tmp_path / "tracker.db")
    await s.retrieve("p4")
    tracker = DialogueStateTracker("p4", DOMAIN.slots)
    tracker.update_with_events(
        [SlotSet("case_id", case.id), UserUttered("my number is 07700 900 789")], DOMAIN
    )
    await s.save(tracker)
    assert cases.get(case.id).messages == []


async def exchange(s, sender: str, text: str) -> None:
    """One turn as Rasa does it: read the tracker, add the user's message and the answer, save."""
    tracker = await s.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update_with_events([UserUttered(text), BotUttered(f"answer to {text}")], DOMAIN)
    await s.save(tracker)


async def test_the_memory_is_capped_by_events_and_conversations_and_nothing_is_lost(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_CACHE_MAX_EVENTS", "100")
    monkeypatch.setenv("TRACKER_CACHE_MAX_CONVERSATIONS", "30")
    db = tmp_path / "tracker.db"
    s = store(db)
    for turn in range(3):
        for n in range(40):
            await exchange(s, f"many-{n}", f"message {turn}")
            conversations, events = s.cached()
            assert conversations <= 30 and events <= 100
    assert s.cached()[1] > 50  # it does keep what fits
    # forgotten conversations are read back whole from the database
    for n in range(40):
        assert texts(await s.retrieve(f"many-{n}"))[::2] == ["message 0", "message 1", "message 2"]
    assert rows(db) == 40 * 3 * 2


async def test_one_conversation_longer_than_the_cap_is_served_from_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_CACHE_MAX_EVENTS", "10")
    s = store(tmp_path / "tracker.db")
    for turn in range(12):
        await exchange(s, "long", f"message {turn}")
        assert s.cached()[1] <= 10
    assert [t for t in texts(await s.retrieve("long")) if t.startswith("message")] == [
        f"message {turn}" for turn in range(12)
    ]


async def test_the_memory_holds_only_the_current_session(tmp_path):
    db = tmp_path / "tracker.db"
    s = store(db)
    for turn in range(5):
        await exchange(s, "sessions", f"old {turn}")
    assert s.cached() == (1, 10)
    tracker = await s.retrieve("sessions")
    tracker.update_with_events(
        [
            ActionExecuted("action_session_start", timestamp=2e9),
            SessionStarted(timestamp=2e9),
            ActionExecuted("action_listen", timestamp=2e9),
        ],
        DOMAIN,
        override_timestamp=False,
    )
    await s.save(tracker)
    await exchange(s, "sessions", "new")
    assert s.cached() == (1, 5)  # the new session's three events and one exchange
    assert texts(await s.retrieve("sessions")) == ["new", "answer to new"]
    assert len(texts(await s.retrieve_full_tracker("sessions"))) == 12


async def test_a_tracker_the_database_refuses_is_not_kept_in_memory(tmp_path):
    db = tmp_path / "tracker.db"
    rasas_default, ours = FailSafeTrackerStore(store(db)), FailSafeTrackerStore(store(db))
    keep_no_fallback(ours)
    with sa.create_engine(f"sqlite:///{db}").begin() as connection:
        connection.execute(sa.text("drop table events"))  # the database refuses every save now
    for n in range(20):
        tracker = DialogueStateTracker(f"outage-{n}", DOMAIN.slots)
        tracker.update(UserUttered("hello"))
        await rasas_default.save(tracker)
        await ours.save(tracker)
    assert len(rasas_default.fallback_tracker_store.store) == 20  # Rasa's: kept, and never read
    assert ours.fallback_tracker_store.store == {}


def typed_in_memory(s) -> set[str]:
    """The user messages' texts that the store's cached trackers hold."""
    return {
        event.text
        for cached in s._cache.values()
        if cached.tracker is not None
        for event in cached.tracker.events
        if isinstance(event, UserUttered)
    }


async def test_the_cache_holds_what_was_typed_only_while_the_originals_are_held(tmp_path):
    """The cached trackers carry the originals of redacted messages only as long as
    HeldOriginals holds them (its time and conversation limits): then the cached copy goes and
    the conversation reads as stored, as after a restart."""
    from privacy.events import HeldOriginals

    db = tmp_path / "tracker.db"
    s = store(db)
    s.originals = HeldOriginals(hold_seconds=60, max_conversations=2)
    for n, sender in enumerate(("a", "b")):
        tracker = await s.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
        tracker.update_with_events(
            [
                UserUttered(f"my number is 07700 900 10{n}", timestamp=1000 + n),
                BotUttered("ok", timestamp=1000 + n),
            ],
            DOMAIN,
            override_timestamp=False,
        )
        await s.save(tracker)
        await s.retrieve(sender)  # each turn reads the conversation back
    assert typed_in_memory(s) == {"my number is 07700 900 100", "my number is 07700 900 101"}
    assert texts(await s.retrieve("a"))[0] == "my number is 07700 900 100"

    # a third conversation with personal data: HeldOriginals forgets the least recent ("a")
    tracker = DialogueStateTracker("c", DOMAIN.slots)
    tracker.update(UserUttered("im Chloe", timestamp=1010))
    await s.save(tracker)
    assert s.originals.originals("a") == []
    assert "my number is 07700 900 100" not in typed_in_memory(s)
    assert texts(await s.retrieve("a"))[0] == "my number is [phone]"  # as stored
    assert texts(await s.retrieve("b"))[0] == "my number is 07700 900 101"  # still held

    # two minutes later: every original held before then is forgotten, and with it the typed text
    tracker = await s.retrieve("c")
    tracker.update(UserUttered("my email is c@example.com", timestamp=1130))
    await s.save(tracker)
    assert typed_in_memory(s) & {"my number is 07700 900 101", "im Chloe"} == set()
    assert texts(await s.retrieve("b"))[0] == "my number is [phone]"
    assert texts(await s.retrieve("c")) == ["im [name]", "my email is c@example.com"]
    assert "07700" not in stored_texts(db) and "Chloe" not in stored_texts(db)


async def test_a_read_from_the_database_while_a_turn_is_saved_is_not_kept(tmp_path, monkeypatch):
    """A conversation the cache had forgotten is read (an admission check) while its turn is
    being saved: what that read found may miss the turn, so it is not kept."""
    import asyncio

    db = tmp_path / "tracker.db"
    s = store(db)
    await exchange(s, "race", "first")
    turn = await s.retrieve("race")
    s._forget("race")  # forgotten (the cap), as it can be at any time
    reading = asyncio.Event()
    real_load = s._load_events

    def slow_load(sender):
        rows = real_load(sender)
        reading.set()
        import time

        time.sleep(0.3)  # the turn's save lands meanwhile
        return rows

    monkeypatch.setattr(s, "_load_events", slow_load)
    read = asyncio.ensure_future(s.retrieve("race"))
    await reading.wait()
    turn.update_with_events([UserUttered("second"), BotUttered("answer to second")], DOMAIN)
    await s.save(turn)
    await read
    monkeypatch.setattr(s, "_load_events", real_load)
    assert texts(await s.retrieve("race")) == ["first", "answer to first", "second", "answer to second"]


async def test_the_console_reads_every_open_chats_new_events_in_one_go(tmp_path, monkeypatch):
    from handoff import tracker_events
    from handoff.tracker_events import TrackerEvents

    db = tmp_path / "tracker.db"
    s = store(db)
    for n in range(5):
        await exchange(s, f"open-{n}", "first")
    chats = TrackerEvents(f"sqlite:///{db}")
    seen = {c: chats.after(c, 0)[1] for c in ("open-0", "open-1")}  # two already followed
    for n in range(5):
        await exchange(s, f"open-{n}", "second")
    monkeypatch.setattr(tracker_events, "BATCH", 2)  # several batches
    last_ids = {f"open-{n}": seen.get(f"open-{n}", 0) for n in range(5)}
    found = chats.after_each(last_ids)
    assert found == {c: chats.after(c, last) for c, last in last_ids.items()}
    assert chats.after_each({c: found[c][1] for c in last_ids}) == {}  # nothing new


async def test_a_conversation_no_turn_has_used_for_the_idle_time_is_let_go(tmp_path, monkeypatch):
    from datetime import datetime, timedelta, timezone

    from handoff.clock import FixedClock

    monkeypatch.setenv("TRACKER_CACHE_IDLE_SECONDS", "900")
    clock = FixedClock(datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc))
    s = ThreadedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"), clock=clock)
    await exchange(s, "quiet", "hello")
    clock.advance(timedelta(seconds=600))
    await exchange(s, "busy", "hello")
    assert s.cached()[0] == 2
    clock.advance(timedelta(seconds=301))  # "quiet" unused for 901 s, "busy" for 301 s
    await s.retrieve("busy")
    assert s.cached()[0] == 1
    assert texts(await s.retrieve("quiet")) == ["hello", "answer to hello"]  # read again as stored

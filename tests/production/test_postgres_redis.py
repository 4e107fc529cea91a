"""The production profile: the same code on PostgreSQL (tracker store and cases) and Redis
(lock store), all started for real on loopback."""

import uuid

import sqlalchemy as sa

from handoff.store import CaseStore
from tests.e2e.conftest import post
from tests.servers import Assistant


def test_the_case_store_on_postgresql(postgres_url):
    store = CaseStore(postgres_url["handoff_url"])
    conversation = "pg-" + uuid.uuid4().hex[:8]
    first = store.escalate(
        conversation,
        ["adult_involved"],
        "high",
        "queued",
        "young_person",
        "dorset",
        ["hes 30"],
        [{"sender": "user", "text": "hes 30"}],
    )
    second = store.escalate(
        conversation,
        ["coercion_or_blackmail", "adult_involved"],
        "high",
        "queued",
        None,
        "dorset",
        ["pay or else"],
        [{"sender": "user", "text": "hes 30"}, {"sender": "user", "text": "pay or else"}],
    )
    assert first.id == second.id and second.new_reasons == ["coercion_or_blackmail"]
    assert [m["text"] for m in store.get(first.id).messages] == ["hes 30", "pay or else"]
    assert store.get(first.id).audience == "young_person"


def test_the_assistant_on_postgresql_and_redis_survives_a_restart(tmp_path, postgres_url, redis_port):
    overrides = {
        "TRACKER_DIALECT": "postgresql",
        "TRACKER_HOST": postgres_url["host"],
        "TRACKER_PORT": str(postgres_url["port"]),
        "TRACKER_DB": "rasa",
        "TRACKER_USER": postgres_url["user"],
        "TRACKER_PASSWORD": "",
        "LOCK_STORE_TYPE": "redis",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis_port),
        "HANDOFF_DB_URL": postgres_url["handoff_url"],
    }
    sender = "prod-" + uuid.uuid4().hex[:8]
    running = Assistant(tmp_path, overrides).start()
    try:
        status, items = post(running.url, {"sender": sender, "message": "im 14"})
        assert status == 200 and items
        status, items = post(
            running.url, {"sender": sender, "message": "a man in his 30s keeps asking me for pics"}
        )
        handoff = [
            i["custom"]["handoff"]
            for i in items
            if isinstance(i.get("custom"), dict) and "handoff" in i["custom"]
        ]
        assert handoff and "adult_involved" in handoff[0]["reasons"]
    finally:
        running.stop()

    engine = sa.create_engine(f"postgresql://rasa@127.0.0.1:{postgres_url['port']}/rasa")
    with engine.connect() as db:
        stored = db.execute(
            sa.text("select count(*) from events where sender_id = :s"), {"s": sender}
        ).scalar()
    assert stored > 4
    assert CaseStore(postgres_url["handoff_url"]).for_conversation(sender).reasons[0] == "adult_involved"

    again = Assistant(tmp_path, overrides).start()
    try:
        # the restarted server reads the conversation back: the earlier facts still count
        status, items = post(
            again.url, {"sender": sender, "message": "now he says hell share them unless i pay"}
        )
        handoff = [
            i["custom"]["handoff"]
            for i in items
            if isinstance(i.get("custom"), dict) and "handoff" in i["custom"]
        ]
        assert handoff and {"adult_involved", "coercion_or_blackmail"} <= set(handoff[0]["reasons"])
    finally:
        again.stop()

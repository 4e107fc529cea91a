"""Data protection with the real servers: the console's scheduled purge, deletion on request
(from the databases and from Rasa's memory), private database files, and Rasa's API token kept
off every command line."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import stat
import subprocess
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.tracker_store import ThreadedSQLTrackerStore
from handoff.audit import AuditLog
from handoff.clock import SYSTEM_CLOCK, FixedClock
from handoff.db import audit_log
from handoff.retention import conversation_hash
from handoff.store import CaseStore
from handoff.tracker_events import TrackerEvents
from tests.console.conftest import Console
from tests.console.test_socketio import ESCALATING, ChatUser, handoff_signal, wait_until
from tests.servers import ROOT, VENV, free_port, load_env


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_rasas_api_token_is_on_no_command_line_and_reaches_rasa_by_its_environment(stack):
    token = stack["token"]
    rasa = stack["assistant"].rasa.proc
    processes = {
        "rasa": rasa,
        "actions": stack["assistant"].actions.proc,
        "console": stack["console"].proc,
    }
    for name, proc in processes.items():
        line = cmdline(proc.pid)
        assert token not in line, f"the token is on {name}'s command line"
    assert "--enable-api" in cmdline(rasa.pid) and "--auth-token" not in cmdline(rasa.pid)
    assert token.encode() in Path(f"/proc/{rasa.pid}/environ").read_bytes()
    # and Rasa did take it: its API answers with the token only (test_socketio checks refusals)
    with urllib.request.urlopen(f"{stack['rasa']}/status?token={token}", timeout=10) as ok:
        assert ok.status == 200


def test_the_databases_rasa_and_the_services_made_are_readable_by_their_user_only(stack):
    work = stack["work"]
    files = [work / "tracker.db", work / "handoff.db", *work.glob("*.db-wal"), *work.glob("*.db-shm")]
    assert len(files) >= 2
    for path in files:
        assert mode(path) == 0o600, path.name


async def test_forgetting_a_conversation_deletes_it_from_the_databases_and_from_rasas_memory(stack):
    user = await ChatUser(stack["rasa"]).connect()
    try:
        await user.say(ESCALATING)
        await user.wait_for(handoff_signal)
    finally:
        await user.close()
    sender = user.session_id
    tracker_url = f"sqlite:///{stack['work'] / 'tracker.db'}"
    await wait_until(lambda: TrackerEvents(tracker_url).after(sender, 0)[0])  # the turn is saved
    # the conversation's case (on a busy machine it may come through the outbox, under its own id)
    case_id = (await wait_until(lambda: CaseStore(stack["db_url"]).for_conversation(sender))).id
    assert "share my nudes" in json.dumps(rasa_tracker(stack, sender))

    env = dict(stack["console"].env)
    done = await asyncio.to_thread(
        subprocess.run,
        [str(VENV / "python"), "-m", "handoff.purge", "forget", "--case", case_id, "--by", "dpo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "still open" in done.stderr  # staff are working it: refused
    assert CaseStore(stack["db_url"]).get(case_id) is not None
    done = await asyncio.to_thread(
        subprocess.run,
        [
            str(VENV / "python"),
            "-m",
            "handoff.purge",
            "forget",
            "--case",
            case_id,
            "--by",
            "dpo",
            "--even-if-open",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"Deleted conversation {sender}: 1 conversation" in done.stdout and "1 case" in done.stdout
    assert "Warning" not in done.stderr  # Rasa was asked to drop its copy, and did

    assert CaseStore(stack["db_url"]).get(case_id) is None
    assert TrackerEvents(tracker_url).after(sender, 0) == ([], 0)
    # Rasa holds no copy in memory either: what it reads back is empty
    assert "share my nudes" not in json.dumps(rasa_tracker(stack, sender))
    (entry,) = AuditLog(stack["db_url"]).entries(case_id=case_id, actor="dpo (command line)")
    assert entry.action == "forget" and conversation_hash(sender) in entry.detail
    with sa.create_engine(stack["db_url"]).connect() as db:
        logged = " ".join(str(v) for row in db.execute(sa.select(audit_log)) for v in row)
    assert "share my nudes" not in logged and sender not in logged


def rasa_tracker(stack, sender: str) -> dict:
    url = f"{stack['rasa']}/conversations/{sender}/tracker?token={stack['token']}"
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())


async def write_chat(store: ThreadedSQLTrackerStore, domain: Domain, sender: str, at: datetime) -> None:
    tracker = DialogueStateTracker(sender, domain.slots)
    tracker.update_with_events(
        [UserUttered(f"{sender} says hello", timestamp=at.timestamp())], domain, override_timestamp=False
    )
    await store.save(tracker)


async def test_the_console_purges_when_it_starts_and_then_on_its_schedule(tmp_path):
    now = SYSTEM_CLOCK.now()
    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = ThreadedSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    await write_chat(tracker, domain, "stale", now - timedelta(days=8))
    await write_chat(tracker, domain, "fresh", now - timedelta(days=6))
    db_url = f"sqlite:///{tmp_path / 'handoff.db'}"
    old = CaseStore(db_url, clock=FixedClock(now - timedelta(days=31)))
    case = old.escalate("closed-long-ago", ["grooming"], "high", "queued", None, "dorset", [], [])
    old.close(case.id, 1, "Sue", "advice_given", "done")

    env = load_env()
    env.update(
        HANDOFF_DB_URL=db_url,
        TRACKER_DB=str(tmp_path / "tracker.db"),
        HANDOFF_OUTBOX_DIR=str(tmp_path / "outbox"),
        RASA_URL=f"http://127.0.0.1:{free_port()}",  # no Rasa: the purge still runs, and says so
        RASA_API_TOKEN=secrets.token_urlsafe(16),
        PURGE_EVERY_HOURS=str(1.5 / 3600),  # every second and a half
    )
    console = Console(tmp_path, env).start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            purges = [e for e in AuditLog(db_url).entries() if e.action == "purge"]
            if len(purges) >= 2:
                break
            await asyncio.sleep(0.3)
    finally:
        console.stop()
    assert len(purges) >= 2, "the console did not purge at start and again on schedule"
    first = purges[-1]
    assert first.actor == "system" and "1 conversation (1 chat event), 1 case" in first.detail
    remaining = TrackerEvents(f"sqlite:///{tmp_path / 'tracker.db'}")
    assert remaining.after("stale", 0) == ([], 0) and remaining.after("fresh", 0)[0]
    assert CaseStore(db_url).get(case.id) is None
    assert "could not be asked to drop" in (tmp_path / f"console-{console.port}.log").read_text()
    assert os.stat(tmp_path / "handoff.db").st_mode & 0o077 == 0

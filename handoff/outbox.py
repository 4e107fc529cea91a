"""The outbox: escalations whose case could not be written, kept on disk until it can be.

When the cases database cannot be written (a read-only file, a stopped PostgreSQL, a hung
connection) or the action server cannot be reached, the person still gets the safety advice at
once (actions/escalation.py, channels/resilience.py) and the case waits here:

- one JSON file per held case in HANDOFF_OUTBOX_DIR (default var/outbox), written to a temporary
  name, flushed to disk (fsync), renamed, and the folder flushed: a held case survives a crash
  or a power cut the moment `put` returns. Folder 0700, files 0600 (they hold what was disclosed);
- every process that holds a case also retries it (`keep_draining`, every
  HANDOFF_OUTBOX_RETRY_SECONDS, default 10 s), and the action server and Rasa look at the outbox
  when they start, so cases left by a process that died are written too;
- writing a held case is `CaseStore.escalate` with the case id given when it was held, so the
  handoff signal the person already got names the case staff will see. Writing the same entry
  twice (two processes draining at once) is harmless: one case per conversation, reasons and
  risk only ever grow, and transcript messages are never duplicated;
- the log says so loudly: CRITICAL "CASE NOT SAVED" when a case is held (with its case id,
  conversation id and reasons, never the text), WARNING "CASE SAVED FROM THE OUTBOX" when it is
  written, CRITICAL "CASE NOT SAVED AND NOT HELD" if even the outbox cannot be written (the
  conversation is still in the tracker store under its id).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import secrets
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.db import PROJECT_ROOT

logger = logging.getLogger(__name__)

OUTBOX_ENV = "HANDOFF_OUTBOX_DIR"
RETRY_ENV = "HANDOFF_OUTBOX_RETRY_SECONDS"
DEFAULT_DIR = PROJECT_ROOT / "var" / "outbox"
DEFAULT_RETRY_SECONDS = 10.0
# How long the action server waits for the cases database before it holds the case instead:
# the whole reply must reach the person within 2 s (channels/resilience.py has the other limits).
READ_BUDGET_SECONDS = 0.3
WRITE_BUDGET_SECONDS = 0.8
# Writes in flight at once per process: enough for a burst of escalations on a healthy database
# (each takes milliseconds); when all of them hang, the next case is held without waiting.
DIRECT_WRITERS = 8


def describe(problem: object) -> str:
    """A failure in one line, without what was written: a database error's own message (its
    SQL parameters would carry the disclosure into the log)."""
    original = getattr(problem, "orig", None)  # SQLAlchemy wraps the driver's error
    if isinstance(problem, BaseException):
        inner = original if original is not None else problem
        text = str(inner).splitlines()[0] if str(inner) else ""
        return f"{type(inner).__name__}: {text}"[:300] if text else type(inner).__name__
    return str(problem)[:300]


def new_case_id(conversation_id: str | None = None) -> str:
    """The id of a conversation's case: the same in every process that opens or holds it (the
    action server, a Rasa server's safety reply when a turn ran late, either server after a
    failover), so every handoff signal of a conversation names the one case staff see, whichever
    wrote it first and even when the cases database was down. Keyed with the action server's
    shared secret (ACTION_SERVER_TOKEN), so no one can work it out from a conversation id; where
    that secret is not set (tests, a process started by hand), it is a plain hash. A conversation whose case
    was closed gets a random id for its next case (CaseStore.escalate: the id is taken)."""
    if not conversation_id:
        return secrets.token_hex(6)
    key = hashlib.sha256(("case-id:" + os.environ.get("ACTION_SERVER_TOKEN", "")).encode()).digest()
    return hashlib.blake2b(conversation_id.encode(), key=key, digest_size=6).hexdigest()


def outbox_dir(directory: str | Path | None = None) -> Path:
    return Path(directory or os.environ.get(OUTBOX_ENV) or DEFAULT_DIR)


def _retry_seconds() -> float:
    try:
        return max(0.1, float(os.environ.get(RETRY_ENV) or DEFAULT_RETRY_SECONDS))
    except ValueError:
        return DEFAULT_RETRY_SECONDS


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    raise TypeError(f"cannot hold {type(value).__name__} in the outbox")


def _decode(obj: dict) -> Any:
    if set(obj) == {"$datetime"}:
        return datetime.fromisoformat(obj["$datetime"])
    return obj


class Outbox:
    """Held cases, one durable file each, written in the order they were held."""

    def __init__(self, directory: str | Path | None = None, clock: Clock = SYSTEM_CLOCK):
        self.directory = outbox_dir(directory)
        self.clock = clock

    def put(self, case: dict) -> Path:
        """Keeps one case (the keyword arguments of CaseStore.escalate, with case_id) on disk."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        held_at = self.clock.now()
        body = json.dumps({**case, "held_at": held_at}, default=_encode, ensure_ascii=False)
        name = f"{held_at:%Y%m%dT%H%M%S%f}-{case['case_id']}.json"
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".holding-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            final = self.directory / name
            os.replace(temporary, final)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        folder = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
        return final

    def paths(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.json"))

    def entries(self) -> list[dict]:
        out = []
        for path in self.paths():
            try:
                out.append(json.loads(path.read_text(encoding="utf-8"), object_hook=_decode))
            except (OSError, ValueError):
                continue
        return out

    def conversations(self) -> set[str]:
        """The conversations with a case held here (the purge keeps their chats)."""
        return {entry["conversation_id"] for entry in self.entries() if entry.get("conversation_id")}

    def discard(self, conversation_id: str) -> int:
        """Deletes the held cases of one conversation (a deletion on request); returns how many."""
        gone = 0
        for path in self.paths():
            try:
                held = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if held.get("conversation_id") == conversation_id:
                path.unlink(missing_ok=True)
                gone += 1
        return gone

    def drain(self, store) -> int:
        """Writes every held case it can, oldest first; returns how many were written.

        Stops at the first failure (the storage is still down: the rest would fail too)."""
        written = 0
        for path in self.paths():
            try:
                case = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode)
            except FileNotFoundError:
                continue  # another process wrote it a moment ago
            except (OSError, ValueError):
                logger.critical("CASE UNREADABLE in the outbox: %s is kept aside as .bad", path.name)
                path.replace(path.with_suffix(".bad"))
                continue
            held_at = case.pop("held_at", None)
            try:
                saved = store.escalate(**case)
            except Exception as problem:
                _reset_connections(store)
                logger.error(
                    "outbox: the cases database still cannot be written (%d case(s) waiting, oldest "
                    "held at %s): %s",
                    len(self.paths()),
                    held_at,
                    describe(problem),
                )
                return written
            path.unlink(missing_ok=True)
            written += 1
            logger.warning(
                "CASE SAVED FROM THE OUTBOX: case %s for conversation %s (reasons: %s), held at %s",
                saved.id,
                case["conversation_id"],
                ", ".join(saved.reasons),
                held_at,
            )
        return written


def _reset_connections(store) -> None:
    """A pooled SQLite connection opened while the file was read-only stays read-only: drop the
    pool so the next try opens a fresh connection."""
    try:
        store.engine.dispose()
    except Exception:  # the pool itself is beyond repair: the next CaseStore makes a new one
        logger.debug("could not reset the cases database's connections", exc_info=True)


def hold(outbox: Outbox, case: dict, problem: object) -> bool:
    """Puts a case that could not be written in the outbox, loudly. False if even that failed."""
    reasons = ", ".join(case.get("reasons") or [])
    try:
        path = outbox.put(case)
    except Exception as outbox_problem:
        logger.critical(
            "CASE NOT SAVED AND NOT HELD: case %s for conversation %s (reasons: %s) could not be "
            "written (%s) and the outbox %s could not keep it (%s). The conversation is in the "
            "tracker store under its id: open a case for it by hand.",
            case.get("case_id"),
            case.get("conversation_id"),
            reasons,
            describe(problem),
            outbox.directory,
            describe(outbox_problem),
        )
        return False
    logger.critical(
        "CASE NOT SAVED: case %s for conversation %s (reasons: %s) could not be written (%s). "
        "It is held in the outbox (%s) and is written as soon as the cases database takes it.",
        case.get("case_id"),
        case.get("conversation_id"),
        reasons,
        describe(problem),
        path,
    )
    return True


# --- retrying in the background ------------------------------------------------------------

_drainers: dict[Path, _Drainer] = {}
_drainers_lock = threading.Lock()


class _Drainer(threading.Thread):
    def __init__(self, outbox: Outbox, store_factory: Callable[[], Any], interval: float):
        super().__init__(name=f"outbox-drainer:{outbox.directory}", daemon=True)
        self.outbox, self.store_factory, self.interval = outbox, store_factory, interval
        self.wake = threading.Event()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            if self.outbox.paths():
                try:
                    self.outbox.drain(self.store_factory())
                except Exception as problem:  # the store could not even be made: try later
                    logger.error("outbox: the cases database is not reachable yet: %s", describe(problem))
            self.wake.wait(self.interval)
            self.wake.clear()


def keep_draining(outbox: Outbox, store_factory: Callable[[], Any], interval: float | None = None) -> None:
    """Makes sure this process retries the outbox's cases until they are written (one thread per
    outbox folder and process; it sleeps while the outbox is empty), and tries at once."""
    with _drainers_lock:
        drainer = _drainers.get(outbox.directory)
        if drainer is None or not drainer.is_alive():
            drainer = _Drainer(outbox, store_factory, interval or _retry_seconds())
            _drainers[outbox.directory] = drainer
            drainer.start()
        else:
            drainer.wake.set()


def stop_draining() -> None:
    """Stops this process's retry threads (for tests)."""
    with _drainers_lock:
        for drainer in _drainers.values():
            drainer.stopping.set()
            drainer.wake.set()
        _drainers.clear()


# --- the action server's write: within its time budget, or held ----------------------------


@dataclass
class Saved:
    """What became of one escalation's case: written (`case`), held in the outbox, or neither."""

    case_id: str
    status: str
    case: Any = None  # the written Case
    held: bool = False

    @property
    def kept(self) -> bool:
        return self.case is not None or self.held


async def read_or_none(read: Callable[[], Any], what: str, budget: float = READ_BUDGET_SECONDS) -> Any:
    """The result of a blocking read, or None if it fails or takes longer than the budget."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(read), budget)
    except Exception as problem:
        logger.error(
            "%s could not be read: %s",
            what,
            describe(problem) if str(problem) else f"no answer in {budget} s",
        )
        return None


class _Busy(Exception):
    """Every write thread is still waiting on the cases database."""


class _DirectWrites:
    """Case writes on their own few threads, each awaited for at most its budget. While the
    database hangs, the threads stay taken by writes that have not come back: a new case then
    goes straight to the outbox instead of queueing behind them, so nothing builds up."""

    def __init__(self, workers: int = DIRECT_WRITERS):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="case-write")
        self._free = threading.BoundedSemaphore(workers)

    def write(self, store_factory: Callable[[], Any], case: dict, budget: float) -> Any:
        if not self._free.acquire(blocking=False):
            raise _Busy("an earlier write is still waiting on the cases database")

        def write():
            try:
                return store_factory().escalate(**case)
            finally:
                self._free.release()

        try:
            future = self._pool.submit(write)
        except BaseException:
            self._free.release()
            raise
        try:
            return future.result(budget)
        except FutureTimeout:
            raise TimeoutError(f"no answer from the cases database in {budget} s") from None


_direct_writes = _DirectWrites()


def write_or_hold(
    store_factory: Callable[[], Any], outbox: Outbox, case: dict, budget: float = WRITE_BUDGET_SECONDS
) -> Saved:
    """Writes the case (CaseStore.escalate's arguments, with a case_id for a new case) within the
    time budget; if that fails or takes too long, holds it in the outbox and keeps retrying.
    Blocks for at most the budget (plus the outbox's own file write).

    A write that timed out may still land later: the outbox's copy then merges into it."""
    try:
        written = _direct_writes.write(store_factory, case, budget)
    except Exception as problem:
        if not isinstance(problem, (TimeoutError, _Busy)):
            try:
                _reset_connections(store_factory())
            except Exception:
                logger.debug("no cases store to reset", exc_info=True)
        held = hold(outbox, case, problem)
        if held:
            keep_draining(outbox, store_factory)
        return Saved(case["case_id"], case["status"], held=held)
    if outbox.paths():  # storage works: anything held earlier can go now
        keep_draining(outbox, store_factory)
    return Saved(written.id, written.status, case=written)


async def save_or_hold(
    store_factory: Callable[[], Any], outbox: Outbox, case: dict, budget: float = WRITE_BUDGET_SECONDS
) -> Saved:
    """write_or_hold, off the event loop."""
    return await asyncio.to_thread(write_or_hold, store_factory, outbox, case, budget)

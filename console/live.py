"""Live updates: the transcript copier, and server-sent event streams for open console pages.

One task per console process copies each open case's new messages from the tracker store (Rasa's
record of the chat; the young person's messages reach Rasa through their socket, wherever the
console is) into the cases database every CONSOLE_SYNC_SECONDS. After each pass it compares a
fingerprint of the open cases and wakes the streams if anything changed, including cases the
action server opened meanwhile.

A stream lives for STREAM_SECONDS and the browser's EventSource reconnects: each reconnect
checks the session again, so a disabled account or an expired session stops receiving case data
within a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.exc import SQLAlchemyError

from console.security import guard
from console.takeover import Takeover
from console.views import case_summary, message_view, ordered_queue
from handoff.audit import AuditLog
from handoff.permissions import may_view
from handoff.rasa_api import RasaUnavailable
from handoff.staff import StaffStore
from handoff.store import CaseStore
from handoff.tracker_events import TrackerEvents
from handoff.transcript import transcript

logger = logging.getLogger(__name__)
STREAM_SECONDS = 45
KEEPALIVE_SECONDS = 15
SEEN_EVERY_SECONDS = 30


class Watcher:
    def __init__(
        self,
        cases: CaseStore,
        staff: StaffStore,
        chats: TrackerEvents,
        interval: float,
        takeover: Takeover,
        audit: AuditLog,
    ):
        self.cases, self.staff, self.chats, self.interval = cases, staff, chats, interval
        self.takeover, self.audit = takeover, audit
        self.chat_problem: str | None = None  # shown on the console while chats cannot be read
        self._changed = asyncio.Event()
        self._fingerprint = None
        self._read_up_to: dict[str, int] = {}  # conversation id -> last tracker event copied

    def notify(self) -> None:
        """Wakes every stream waiting for a change (called after the console's own actions too)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    async def run(self) -> None:
        while True:
            try:
                await self.sync_once()
            except Exception:  # never let one bad pass stop live updates
                logger.exception("transcript copy pass failed")
            await asyncio.sleep(self.interval)

    async def sync_once(self) -> None:
        await self._hand_back_abandoned()
        open_cases = await asyncio.to_thread(self.cases.open_cases)
        try:
            await asyncio.to_thread(self._copy_new_messages, open_cases)
            self.chat_problem = None
        except SQLAlchemyError as problem:
            self.chat_problem = f"the chat record could not be read ({type(problem).__name__})"
            logger.warning("reading the tracker store failed: %s", problem)
        open_cases = await asyncio.to_thread(self.cases.open_cases)
        on_duty = await asyncio.to_thread(self.staff.on_duty)
        fingerprint = (
            sorted(
                (c.id, c.status, c.claimed_by, c.updated_at.isoformat(), tuple(c.reasons)) for c in open_cases
            ),
            sorted(m.id for m in on_duty),
            self.chat_problem,
        )
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            self.notify()

    async def _hand_back_abandoned(self) -> None:
        try:
            released = await self.takeover.hand_back_abandoned()
        except RasaUnavailable:
            return  # tried again next pass
        for case, why in released:
            await asyncio.to_thread(
                self.audit.record, "hand_back", "system", None, case.id, f"automatic: {why}"
            )

    def _copy_new_messages(self, open_cases) -> None:
        # every open case's new events in one query: a query per case every second cost the
        # console as much CPU as PostgreSQL under load (README: Load)
        case_of = {case.conversation: case for case in open_cases}
        new = self.chats.after_each({c: self._read_up_to.get(c, 0) for c in case_of})
        for conversation, (events, last) in new.items():
            self.cases.transcripts.add(case_of[conversation].id, transcript(events))
            self._read_up_to[conversation] = last


def _event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


async def _stream(request: Request, snapshot) -> None:
    """Sends `snapshot()`'s events whenever they change, until the stream's time is up."""
    app = request.app
    member = request.ctx.session.member
    stream = await request.respond(
        content_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )
    await stream.send("retry: 1500\n\n")
    loop = asyncio.get_running_loop()
    end = loop.time() + STREAM_SECONDS
    last_sent = last_seen = loop.time()
    state: dict = {}
    while loop.time() < end:
        for chunk in await snapshot(state):
            await stream.send(chunk)
            last_sent = loop.time()
        if state.get("done"):
            break
        if loop.time() - last_sent >= KEEPALIVE_SECONDS:
            await stream.send(": keepalive\n\n")
            last_sent = loop.time()
        if loop.time() - last_seen >= SEEN_EVERY_SECONDS:
            # an open console is what keeps someone counted as on duty
            await asyncio.to_thread(app.ctx.staff.seen, member.id)
            last_seen = loop.time()
        await app.ctx.watcher.wait(timeout=2.0)
    await stream.eof()


def blueprint() -> Blueprint:
    bp = Blueprint("live", url_prefix="/live")

    @bp.get("/alive")
    @guard()
    async def alive(request: Request):
        """Pages without a stream call this every 30 s: an open console keeps its person on duty."""
        await asyncio.to_thread(request.app.ctx.staff.seen, request.ctx.session.member.id)
        return response.empty()

    @bp.get("/queue")
    @guard()
    async def queue_stream(request: Request):
        app = request.app

        async def snapshot(state: dict) -> list[str]:
            cases = await asyncio.to_thread(app.ctx.cases.open_cases)
            on_duty = await asyncio.to_thread(app.ctx.staff.on_duty)
            data = {
                "cases": ordered_queue(cases, app.ctx.clock.now(), app.ctx.zone),
                "on_duty": sorted(m.display_name for m in on_duty),
                "chat_problem": app.ctx.watcher.chat_problem,
            }
            # compare what the queue shows, without the waiting times (they change every minute,
            # and are sent once a minute) or the last-change times (every copied message)
            key = json.dumps(
                {
                    **data,
                    "cases": [
                        {k: v for k, v in c.items() if not k.startswith(("waiting", "updated"))}
                        for c in data["cases"]
                    ],
                },
                sort_keys=True,
            )
            minute = int(asyncio.get_running_loop().time() // 60)
            if key == state.get("key") and minute == state.get("minute"):
                return []
            state.update(key=key, minute=minute)
            return [_event("queue", data)]

        await _stream(request, snapshot)

    @bp.get("/cases/<case_id:[0-9a-f]{1,16}>")
    @guard()
    async def case_stream(request: Request, case_id: str):
        app = request.app
        member = request.ctx.session.member
        try:
            after = int(request.headers.get("last-event-id") or request.args.get("after", "0"))
        except ValueError:
            after = 0

        async def snapshot(state: dict) -> list[str]:
            case = await asyncio.to_thread(app.ctx.cases.get, case_id)
            if case is None or not may_view(case, member):
                state["done"] = True
                return [_event("gone", {})]
            out = []
            last = state.get("last", after)
            for message in await asyncio.to_thread(app.ctx.cases.messages_after, case_id, last):
                last = message["id"]
                out.append(f"id: {last}\n" + _event("message", message_view(message, app.ctx.zone)))
            state["last"] = last
            summary = case_summary(case, app.ctx.clock.now(), app.ctx.zone)
            summary["notes"] = len(case.notes)
            if summary != state.get("summary"):
                state["summary"] = summary
                out.append(_event("case", summary))
            return out

        await _stream(request, snapshot)

    return bp

"""Live updates: the transcript copier, and server-sent event streams for open console pages.

One task per console process copies each open case's conversation from Rasa into the cases
database every CONSOLE_SYNC_SECONDS (Rasa is the record of the chat; the young person's messages
reach Rasa through their socket, wherever the console is). After each pass it compares a
fingerprint of the open cases and wakes the streams if anything changed, including cases the
action server opened meanwhile.

A stream lives for STREAM_SECONDS and the browser's EventSource reconnects: each reconnect
checks the session again, so a disabled account or an expired session stops receiving case data
within a minute.
"""
from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timezone

from sanic import Blueprint, response
from sanic.request import Request

from console.security import guard
from console.views import case_summary, message_view, ordered_queue
from handoff.rasa_api import RasaAPI, RasaUnavailable
from handoff.staff import StaffStore
from handoff.store import CaseStore
from handoff.transcript import transcript

logger = logging.getLogger(__name__)
STREAM_SECONDS = 45
KEEPALIVE_SECONDS = 15
SEEN_EVERY_SECONDS = 30


class Watcher:
    def __init__(self, cases: CaseStore, staff: StaffStore, rasa: RasaAPI, interval: float):
        self.cases, self.staff, self.rasa, self.interval = cases, staff, rasa, interval
        self.rasa_problem: str | None = None     # shown on the console while Rasa is unreachable
        self._changed = asyncio.Event()
        self._fingerprint = None
        self._limit = asyncio.Semaphore(8)

    def notify(self) -> None:
        """Wakes every stream waiting for a change (called after the console's own actions too)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except asyncio.TimeoutError:
            pass

    async def run(self) -> None:
        while True:
            try:
                await self.sync_once()
            except Exception:   # never let one bad pass stop live updates
                logger.exception("transcript copy pass failed")
            await asyncio.sleep(self.interval)

    async def sync_once(self) -> None:
        open_cases = await asyncio.to_thread(self.cases.open_cases)
        problems = await asyncio.gather(*(self._copy(case) for case in open_cases))
        self.rasa_problem = next((p for p in problems if p), None)
        open_cases = await asyncio.to_thread(self.cases.open_cases)
        on_duty = await asyncio.to_thread(self.staff.on_duty)
        fingerprint = (sorted((c.id, c.status, c.claimed_by, c.updated_at.isoformat(), tuple(c.reasons))
                              for c in open_cases), sorted(m.id for m in on_duty), self.rasa_problem)
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            self.notify()

    async def _copy(self, case) -> str | None:
        async with self._limit:
            try:
                events = await self.rasa.events(case.conversation)
            except RasaUnavailable as problem:
                return str(problem)
            await asyncio.to_thread(self.cases.copy_transcript, case.id, transcript(events))
            return None


def _event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


async def _stream(request: Request, snapshot) -> None:
    """Sends `snapshot()`'s events whenever they change, until the stream's time is up."""
    app = request.app
    member = request.ctx.session.member
    stream = await request.respond(content_type="text/event-stream",
                                   headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
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

    @bp.get("/queue")
    @guard()
    async def queue_stream(request: Request):
        app = request.app

        async def snapshot(state: dict) -> list[str]:
            cases = await asyncio.to_thread(app.ctx.cases.open_cases)
            on_duty = await asyncio.to_thread(app.ctx.staff.on_duty)
            data = {"cases": ordered_queue(cases, datetime.now(timezone.utc), app.ctx.zone),
                    "on_duty": sorted(m.display_name for m in on_duty),
                    "rasa_problem": app.ctx.watcher.rasa_problem}
            # waiting times change every minute: compare without them
            key = json.dumps({**data, "cases": [{k: v for k, v in c.items() if not k.startswith("waiting")}
                                                for c in data["cases"]]}, sort_keys=True)
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
            after = int(request.headers.get("last-event-id") or request.args.get("after", "-1"))
        except ValueError:
            after = -1

        async def snapshot(state: dict) -> list[str]:
            case = await asyncio.to_thread(app.ctx.cases.get, case_id)
            if case is None or (not case.is_open and not member.is_supervisor):
                state["done"] = True
                return [_event("gone", {})]
            out = []
            position = state.get("position", after)
            for message in case.messages:
                if message["position"] > position:
                    position = message["position"]
                    out.append(f"id: {position}\n" + _event("message", message_view(message, app.ctx.zone)))
            state["position"] = position
            summary = case_summary(case, datetime.now(timezone.utc), app.ctx.zone)
            summary["notes"] = len(case.notes)
            if summary != state.get("summary"):
                state["summary"] = summary
                out.append(_event("case", summary))
            return out

        await _stream(request, snapshot)

    return bp

"""The queue, the case page, and what staff do to a case: claim, reply, hand back, close, note;
and going on and off duty. Every view and action is written to the audit log."""

from __future__ import annotations

import asyncio
import re

from sanic import Blueprint, response
from sanic.request import Request

from console.reasons import plain
from console.security import guard, wants_json
from console.views import case_summary, message_view, ordered_queue
from handoff.permissions import NotAllowed, case_actions, may_view
from handoff.rasa_api import RasaUnavailable
from handoff.store import OUTCOMES

CASE_ID = "<case_id:[0-9a-f]{1,16}>"
# where "go on duty" may return to: this site only ("//host" would be another site)
LOCAL_PATH = re.compile(r"^/(?!/)[A-Za-z0-9/_-]*$")


def blueprint() -> Blueprint:
    bp = Blueprint("cases")

    @bp.get("/")
    @guard()
    async def queue(request: Request):
        app, member = request.app, request.ctx.session.member
        cases = await asyncio.to_thread(app.ctx.cases.open_cases)
        await app.ctx.record("view_queue", member, request=request)
        return await app.ctx.render(
            request, "queue.html", queue=ordered_queue(cases, app.ctx.clock.now(), app.ctx.zone)
        )

    async def case_page(request: Request, case_id: str, problem: str | None = None, status: int = 200):
        app, member = request.app, request.ctx.session.member
        case = await asyncio.to_thread(app.ctx.cases.get, case_id)
        if case is None or not may_view(case, member):
            return await app.ctx.render(
                request, "error.html", status=404, message="There is no open case with that number."
            )
        if problem is None:  # a page view (an action's own entry covers a page shown after it)
            await app.ctx.record("view_case", member, case_id=case.id, request=request)
        allowed = case_actions(case, member)
        procedures = [
            ("For every case" if key == "every_case" else plain(key), steps)
            for key, steps in app.ctx.force.procedures(case.reasons)
        ]
        return await app.ctx.render(
            request,
            "case.html",
            status=status,
            problem=problem,
            case=case_summary(case, app.ctx.clock.now(), app.ctx.zone),
            summary=case.summary,
            messages=[message_view(m, app.ctx.zone) for m in case.messages],
            last_message=max((m["id"] for m in case.messages), default=0),
            notes=case.notes,
            procedures=procedures,
            outcomes=OUTCOMES,
            can_claim=allowed.claim,
            taking_from=allowed.taking_from,
            can_reply=allowed.reply,
            can_hand_back=allowed.hand_back,
            can_close=allowed.close,
            can_note=allowed.note,
            is_open=case.is_open,
        )

    @bp.get(f"/cases/{CASE_ID}")
    @guard()
    async def show_case(request: Request, case_id: str):
        return await case_page(request, case_id)

    async def act(request: Request, case_id: str, audit_action: str, work, detail: str = ""):
        """Runs one action on a case; on success back to the case page, else the page with why."""
        app, member = request.app, request.ctx.session.member
        try:
            result = await work(member)
        except NotAllowed as problem:
            if wants_json(request):
                return response.json({"error": str(problem)}, status=409)
            return await case_page(request, case_id, problem=str(problem), status=409)
        except RasaUnavailable as problem:
            message = (
                "The chat server could not be reached, so nothing was changed. "
                f"Try again in a moment. ({problem})"
            )
            if wants_json(request):
                return response.json({"error": message}, status=503)
            return await case_page(request, case_id, problem=message, status=503)
        action = result if isinstance(result, str) else audit_action
        await app.ctx.record(action, member, case_id=case_id, detail=detail, request=request)
        app.ctx.watcher.notify()
        if wants_json(request):
            return response.json({"ok": True})
        return response.redirect(app.url_for("cases.show_case", case_id=case_id), status=303)

    @bp.post(f"/cases/{CASE_ID}/claim")
    @guard(csrf=True)
    async def claim(request: Request, case_id: str):
        async def work(member):
            _, audit_action = await request.app.ctx.takeover.claim(case_id, member)
            return audit_action

        return await act(request, case_id, "claim", work)

    @bp.post(f"/cases/{CASE_ID}/reply")
    @guard(csrf=True)
    async def reply(request: Request, case_id: str):
        text = request.form.get("text", "")
        return await act(
            request,
            case_id,
            "reply",
            lambda member: request.app.ctx.takeover.reply(case_id, member, text),
            detail=f"{len(text)} characters",
        )

    @bp.post(f"/cases/{CASE_ID}/hand-back")
    @guard(csrf=True)
    async def hand_back(request: Request, case_id: str):
        return await act(
            request, case_id, "hand_back", lambda member: request.app.ctx.takeover.hand_back(case_id, member)
        )

    @bp.post(f"/cases/{CASE_ID}/close")
    @guard(csrf=True)
    async def close(request: Request, case_id: str):
        outcome = request.form.get("outcome", "")
        note = request.form.get("note", "")
        return await act(
            request,
            case_id,
            "close",
            lambda member: request.app.ctx.takeover.close(case_id, member, outcome, note),
            detail=f"outcome: {OUTCOMES.get(outcome, outcome)}",
        )

    @bp.post(f"/cases/{CASE_ID}/note")
    @guard(csrf=True)
    async def note(request: Request, case_id: str):
        text = request.form.get("text", "")
        return await act(
            request, case_id, "note", lambda member: request.app.ctx.takeover.note(case_id, member, text)
        )

    @bp.post("/duty")
    @guard(csrf=True)
    async def duty(request: Request):
        app, member = request.app, request.ctx.session.member
        on = request.form.get("on_duty") == "yes"
        await asyncio.to_thread(app.ctx.staff.set_duty, member.id, on)
        await app.ctx.record("duty_on" if on else "duty_off", member, request=request)
        app.ctx.watcher.notify()
        back = request.form.get("back", "/")
        return response.redirect(back if LOCAL_PATH.match(back) else "/", status=303)

    return bp

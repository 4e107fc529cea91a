"""What only supervisors do: add, disable and re-enable staff, reset passwords, read closed cases
and the audit log."""

from __future__ import annotations

import asyncio

from sanic import Blueprint, response
from sanic.request import Request

from console.security import guard
from console.views import case_summary, local_time
from handoff.permissions import account_change_refusal
from handoff.staff import ROLES, StaffError


def blueprint() -> Blueprint:
    bp = Blueprint("supervisor")

    async def staff_page(
        request: Request, problem: str | None = None, done: str | None = None, status: int = 200
    ):
        app = request.app
        members = await asyncio.to_thread(app.ctx.staff.all)
        return await app.ctx.render(
            request,
            "staff.html",
            status=status,
            members=members,
            roles=ROLES,
            problem=problem,
            done=done,
            seen=lambda m: local_time(m.last_seen_at, app.ctx.zone),
        )

    @bp.get("/staff")
    @guard(supervisors_only=True)
    async def staff_list(request: Request):
        return await staff_page(request, done=request.args.get("done"))

    @bp.post("/staff")
    @guard(supervisors_only=True, csrf=True)
    async def add_staff(request: Request):
        app, member = request.app, request.ctx.session.member
        form = request.form
        if (form.get("password") or "") != (form.get("password_again") or ""):
            return await staff_page(request, problem="The two passwords are different.", status=400)
        try:
            added = await asyncio.to_thread(
                app.ctx.staff.create,
                form.get("username") or "",
                form.get("display_name") or "",
                form.get("role") or "agent",
                form.get("password") or "",
                member.id,
            )
        except StaffError as problem:
            return await staff_page(request, problem=str(problem), status=400)
        await app.ctx.record(
            "staff_added", member, detail=f"{added.username} ({added.role})", request=request
        )
        return response.redirect("/staff?done=added", status=303)

    async def target(request: Request, staff_id: int):
        found = await asyncio.to_thread(request.app.ctx.staff.get, staff_id)
        if found is None:
            raise StaffError("There is no such account.")
        return found

    @bp.post("/staff/<staff_id:int>/active")
    @guard(supervisors_only=True, csrf=True)
    async def set_active(request: Request, staff_id: int):
        app, member = request.app, request.ctx.session.member
        active = request.form.get("active") == "yes"
        try:
            who = await target(request, staff_id)
            refusal = account_change_refusal(member, who, active)
            if refusal:
                raise StaffError(refusal)
        except StaffError as problem:
            return await staff_page(request, problem=str(problem), status=400)
        await asyncio.to_thread(app.ctx.staff.set_active, staff_id, active)
        await app.ctx.record(
            "staff_enabled" if active else "staff_disabled", member, detail=who.username, request=request
        )
        app.ctx.watcher.notify()
        return response.redirect("/staff?done=" + ("enabled" if active else "disabled"), status=303)

    @bp.post("/staff/<staff_id:int>/password")
    @guard(supervisors_only=True, csrf=True)
    async def reset_password(request: Request, staff_id: int):
        app, member = request.app, request.ctx.session.member
        try:
            who = await target(request, staff_id)
            if (request.form.get("password") or "") != (request.form.get("password_again") or ""):
                raise StaffError("The two passwords are different.")
            await asyncio.to_thread(app.ctx.staff.set_password, staff_id, request.form.get("password") or "")
        except StaffError as problem:
            return await staff_page(request, problem=str(problem), status=400)
        await app.ctx.record("password_reset", member, detail=who.username, request=request)
        return response.redirect("/staff?done=password", status=303)

    @bp.get("/closed")
    @guard(supervisors_only=True)
    async def closed(request: Request):
        app, member = request.app, request.ctx.session.member
        cases = await asyncio.to_thread(app.ctx.cases.closed_cases)
        await app.ctx.record("view_closed", member, request=request)
        now = request.app.ctx.clock.now()
        return await app.ctx.render(
            request, "closed.html", cases=[case_summary(c, now, app.ctx.zone) for c in cases]
        )

    @bp.get("/audit")
    @guard(supervisors_only=True)
    async def audit(request: Request):
        app, member = request.app, request.ctx.session.member
        case_id = (request.args.get("case") or "")[:16] or None
        actor = (request.args.get("actor") or "")[:64] or None
        entries = await asyncio.to_thread(app.ctx.audit.entries, case_id, actor)
        await app.ctx.record(
            "view_audit", member, case_id=case_id, detail=f"actor: {actor}" if actor else "", request=request
        )
        return await app.ctx.render(
            request,
            "audit.html",
            entries=entries,
            case_id=case_id,
            actor=actor,
            when=lambda e: local_time(e.at, app.ctx.zone, seconds=True),
        )

    return bp

"""Signing in and out. The back-off rules are in handoff/staff.py; this is the HTTP side (and the
trusted-browser cookie that lets a person's own browser past strangers' guesses)."""

from __future__ import annotations

import asyncio
import hmac

from sanic import Blueprint, response
from sanic.request import Request

from console.security import (
    CSRF_FIELD,
    SIGN_IN_PATH,
    clear_cookie,
    client_ip,
    guard,
    new_token,
    same_origin,
    set_cookie,
)
from handoff.permissions import NotAllowed, in_the_chat
from handoff.rasa_api import RasaUnavailable
from handoff.staff import SESSION_LONGEST, TRUSTED_BROWSER_FOR, SignIn


def refusal_text(result: SignIn) -> str:
    if result.busy:
        return "Another sign-in to this account is being checked. Try again in a moment."
    seconds = max(1, int(result.wait.total_seconds() + 0.999))
    wait = f"{seconds} seconds" if seconds < 120 else f"{(seconds + 59) // 60} minutes"
    return (
        f"Too many wrong passwords for this account. Try again in {wait}, "
        "or ask a supervisor to reset your password."
    )


def blueprint() -> Blueprint:
    bp = Blueprint("auth")

    async def form(request: Request, problem: str | None = None, status: int = 200):
        """The sign-in form, with a fresh double-submit CSRF token (there is no session yet)."""
        app = request.app
        token = new_token()
        page = await app.ctx.render(
            request, "sign_in.html", status=status, problem=problem, signin_csrf=token, signed_in=False
        )
        set_cookie(page, app.ctx.signin_cookie, token, app.ctx.config.cookie_secure, max_age=3600)
        return page

    @bp.get(SIGN_IN_PATH)
    async def sign_in_page(request: Request):
        app = request.app
        if await asyncio.to_thread(app.ctx.staff.session, request.cookies.get(app.ctx.session_cookie)):
            return response.redirect("/", status=303)
        return await form(request)

    @bp.post(SIGN_IN_PATH)
    async def sign_in(request: Request):
        app = request.app
        cookie = request.cookies.get(app.ctx.signin_cookie) or ""
        submitted = request.form.get(CSRF_FIELD) or ""
        if not (same_origin(request) and cookie and hmac.compare_digest(cookie, submitted)):
            await app.ctx.record("csrf_rejected", None, detail=SIGN_IN_PATH, request=request)
            return await form(request, "The form expired. Please sign in again.", status=403)
        username = (request.form.get("username") or "").strip().lower()[:64]
        password = request.form.get("password") or ""
        ip = client_ip(request)
        browser = request.cookies.get(app.ctx.browser_cookie)
        result = await asyncio.to_thread(app.ctx.staff.sign_in, username, password, ip, browser)
        if result.member is None:
            action = "sign_in_throttled" if result.refused else "sign_in_failed"
            await app.ctx.record(action, None, actor=username or "-", request=request)
            if result.refused:
                page = await form(request, refusal_text(result), status=429)
                page.headers["Retry-After"] = str(max(1, int(result.wait.total_seconds() + 0.999)))
                return page
            return await form(request, "Wrong username or password.", status=401)
        old = request.cookies.get(app.ctx.session_cookie)
        if old:  # a new session on every sign-in: no fixation
            await asyncio.to_thread(app.ctx.staff.end_session, old)
        token = await asyncio.to_thread(app.ctx.staff.start_session, result.member.id, ip)
        await app.ctx.record("sign_in", result.member, request=request)
        done = response.redirect("/", status=303)
        set_cookie(
            done,
            app.ctx.session_cookie,
            token,
            app.ctx.config.cookie_secure,
            max_age=int(SESSION_LONGEST.total_seconds()),
        )
        clear_cookie(done, app.ctx.signin_cookie, app.ctx.config.cookie_secure)
        if result.browser_token:
            set_cookie(
                done,
                app.ctx.browser_cookie,
                result.browser_token,
                app.ctx.config.cookie_secure,
                max_age=int(TRUSTED_BROWSER_FOR.total_seconds()),
            )
        return done

    @bp.post("/sign-out")
    @guard(csrf=True)
    async def sign_out(request: Request):
        app, member = request.app, request.ctx.session.member
        # nobody is left talking to a paused bot: their chats go back to it
        for case in await asyncio.to_thread(app.ctx.cases.open_cases):
            if in_the_chat(case, member):
                try:
                    await app.ctx.takeover.hand_back(case.id, member)
                    await app.ctx.record(
                        "hand_back", member, case_id=case.id, detail="on signing out", request=request
                    )
                except (NotAllowed, RasaUnavailable):
                    pass  # the copier hands it back once their console is no longer seen
        if member.on_duty:  # nobody is on duty without the console open
            await asyncio.to_thread(app.ctx.staff.set_duty, member.id, False)
            await app.ctx.record("duty_off", member, request=request)
        await asyncio.to_thread(app.ctx.staff.end_session, request.cookies.get(app.ctx.session_cookie))
        await app.ctx.record("sign_out", member, request=request)
        app.ctx.watcher.notify()
        done = response.redirect(SIGN_IN_PATH, status=303)
        clear_cookie(done, app.ctx.session_cookie, app.ctx.config.cookie_secure)
        return done

    return bp

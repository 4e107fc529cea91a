"""Cookies, CSRF, security headers and the signed-in guard for every console page.

- Sessions: a random 256-bit token in an HTTP-only, Secure, SameSite=Strict cookie (`__Host-`
  prefix: no Domain, Path=/); the database keeps its hash (handoff/staff.py).
- CSRF: every form carries the session's token (synchronizer pattern); the sign-in form, before
  there is a session, uses a double-submit cookie. POSTs from another origin are refused too.
- Headers: a strict Content-Security-Policy (no inline script), no caching of case data, no
  framing.
"""

from __future__ import annotations

import asyncio
import secrets
from functools import wraps

from sanic import response
from sanic.request import Request

from handoff.permissions import SUPERVISORS_ONLY, may_supervise

SIGN_IN_PATH = "/sign-in"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # same-origin, not no-referrer: with no-referrer, browsers send "Origin: null" on the
    # console's own form posts, and the origin check below needs the real one
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    # for when the console is served over HTTPS, as it must be outside loopback
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Cache-Control": "no-store",
}


def cookie_name(base: str, secure: bool) -> str:
    # browsers accept the __Host- prefix only on Secure cookies
    return f"__Host-{base}" if secure else base


def set_cookie(resp, name: str, value: str, secure: bool, max_age: int | None = None) -> None:
    resp.cookies[name] = value
    cookie = resp.cookies[name]
    cookie["httponly"] = True
    cookie["secure"] = secure
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    if max_age is not None:
        cookie["max-age"] = max_age


def clear_cookie(resp, name: str, secure: bool) -> None:
    set_cookie(resp, name, "", secure, max_age=0)


def client_ip(request: Request) -> str:
    return (request.remote_addr or request.ip or "")[:64]


def same_origin(request: Request) -> bool:
    """A browser's POST from another site names it in Origin or Sec-Fetch-Site: refuse those."""
    origin = request.headers.get("origin")
    if origin and origin != f"{request.scheme}://{request.host}":
        return False
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def guard(supervisors_only: bool = False, csrf: bool = False):
    """The handler needs a signed-in, active staff member (a supervisor, if supervisors_only;
    handoff/permissions.py); with csrf, a same-origin request carrying the session's CSRF token.
    Sets request.ctx.session."""

    def decorate(handler):
        @wraps(handler)
        async def wrapper(request: Request, *args, **kwargs):
            app = request.app
            token = request.cookies.get(app.ctx.session_cookie)
            session = await asyncio.to_thread(app.ctx.staff.session, token)
            if session is None:
                if request.method == "GET" and not request.path.startswith("/live/"):
                    return response.redirect(SIGN_IN_PATH, status=303)
                return response.json({"error": "Sign in again."}, status=401)
            member = session.member
            if csrf:
                submitted = request.headers.get(CSRF_HEADER) or (request.form or {}).get(CSRF_FIELD)
                if not same_origin(request) or not app.ctx.staff.csrf_matches(session, submitted):
                    await app.ctx.record("csrf_rejected", member, detail=request.path, request=request)
                    return await app.ctx.render(
                        request,
                        "error.html",
                        status=403,
                        message="This form has expired or did not come "
                        "from the console. Go back, reload and try again.",
                    )
            if supervisors_only and not may_supervise(member):
                await app.ctx.record("forbidden", member, detail=request.path, request=request)
                return await app.ctx.render(request, "error.html", status=403, message=SUPERVISORS_ONLY)
            request.ctx.session = session
            return await handler(request, *args, **kwargs)

        return wrapper

    return decorate

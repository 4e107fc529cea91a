"""Builds the console's Sanic app: stores, the Rasa API client, the transcript copier, pages."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.exceptions import NotFound, SanicException
from sanic.request import Request

from advice.forces import current_force
from console import auth, cases, live, statistics, supervisor
from console.config import ConsoleConfig
from console.security import CSRF_FIELD, HEADERS, client_ip, cookie_name
from console.takeover import Takeover
from handoff.audit import AuditLog
from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.permissions import may_supervise
from handoff.rasa_api import RasaAPI
from handoff.retention import Retention, keep_purging
from handoff.staff import StaffMember, StaffStore
from handoff.statistics import Statistics
from handoff.store import CaseStore
from handoff.tracker_events import TrackerEvents
from privacy.redaction import warm_up as warm_up_redaction

HERE = Path(__file__).resolve().parent
logger = logging.getLogger(__name__)


def create_app(config: ConsoleConfig, name: str = "staff_console", clock: Clock = SYSTEM_CLOCK) -> Sanic:
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 1_000_000  # forms only: replies, notes, sign-in
    app.config.FALLBACK_ERROR_FORMAT = "text"
    ctx = app.ctx
    ctx.config = config
    ctx.clock = clock
    ctx.force = current_force(config.force_id)
    ctx.zone = ctx.force.timezone()
    ctx.cases = CaseStore(config.db_url, clock=clock)
    ctx.staff = StaffStore(config.db_url, password_cost=config.password_cost, clock=clock)
    ctx.audit = AuditLog(config.db_url, clock=clock)
    ctx.statistics = Statistics(config.db_url, clock=clock)
    ctx.rasa = RasaAPI(config.rasa_url, config.rasa_token)
    ctx.takeover = Takeover(ctx.cases, ctx.staff, ctx.rasa, ctx.force)
    # The console runs the retention purge: it works the cases database, already reads the
    # tracker store, and holds Rasa's API token (to drop Rasa's in-memory copy of a deleted chat)
    ctx.retention = Retention(config.db_url, config.tracker_url, config.force_id, clock=clock)
    ctx.session_cookie = cookie_name("console_session", config.cookie_secure)
    ctx.signin_cookie = cookie_name("console_signin", config.cookie_secure)
    ctx.browser_cookie = cookie_name("console_browser", config.cookie_secure)
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )

    async def render(request: Request, name: str, status: int = 200, **values):
        session = getattr(request.ctx, "session", None)
        page = templates.get_template(name).render(
            member=session.member if session else None,
            supervisor=bool(session) and may_supervise(session.member),
            csrf_field=CSRF_FIELD,
            csrf_token=session.csrf_token if session else "",
            force_name=ctx.force.name,
            path=request.path,
            **values,
        )
        return response.html(page, status=status)

    async def record(
        action: str,
        member: StaffMember | None,
        case_id: str | None = None,
        detail: str = "",
        request: Request | None = None,
        actor: str | None = None,
    ):
        await asyncio.to_thread(
            ctx.audit.record,
            action,
            actor or (member.username if member else "-"),
            member.id if member else None,
            case_id,
            detail,
            client_ip(request) if request is not None else None,
        )

    ctx.render, ctx.record = render, record

    static_folder = (HERE / "static").resolve()

    @app.get("/static/<name:path>")
    async def static_file(request, name: str):
        """The console's own CSS and script: only files directly in console/static/. Anything
        else (a folder, a missing file, a path out of the folder) is a 404, never an error."""
        path = (static_folder / name).resolve()
        if path.parent != static_folder or not path.is_file():
            raise NotFound("no such file")
        return await response.file(path)

    for module in (auth, cases, live, supervisor, statistics):
        app.blueprint(module.blueprint())

    @app.middleware("response")
    async def security_headers(_request, resp):
        for key, value in HEADERS.items():
            resp.headers.setdefault(key, value)

    @app.exception(NotFound)
    async def not_found(request, _exc):
        return await render(request, "error.html", status=404, message="That page does not exist.")

    @app.exception(SanicException)
    async def http_error(request, exc):
        return await render(
            request,
            "error.html",
            status=getattr(exc, "status_code", 400),
            message="The request could not be handled.",
        )

    @app.listener("after_server_start")
    async def start_watching(app_, _loop):
        # a case's messages are known by their redacted text: the name lists and the tagger load
        # now, off the loop (a few seconds), rather than in the first copy's time
        app_.ctx.warm_up = asyncio.create_task(asyncio.to_thread(warm_up_redaction))
        app_.ctx.watcher = live.Watcher(
            ctx.cases,
            ctx.staff,
            TrackerEvents(config.tracker_url),
            config.sync_seconds,
            ctx.takeover,
            ctx.audit,
        )
        app_.ctx.watch_task = asyncio.create_task(app_.ctx.watcher.run())
        app_.ctx.purge_task = asyncio.create_task(
            keep_purging(ctx.retention, ctx.rasa, config.purge_every_hours)
        )

    @app.listener("before_server_stop")
    async def stop_watching(app_, _loop):
        app_.ctx.watch_task.cancel()
        app_.ctx.purge_task.cancel()
        await ctx.rasa.close()

    return app

"""What the input channels set on Rasa's own Sanic server when Rasa registers them.

Rasa 3.6 gives no setting for these, and its files are not patched: each channel's blueprint
calls `attach`, which adds a listener that runs as Rasa's server starts, once per app:

- Request bodies are limited to MAX_BODY_BYTES (64 KB: a message is at most 5,000 characters).
  Sanic's default is 100 MB, and one 20 MB body stalled every other conversation for seconds
  (README, "How it works": safety rules kept in code). Larger bodies get a 413 with a plain JSON explanation, without the body being read
  (Sanic reads the limit for each new connection). socket.io messages have the same limit
  (python-engineio's max_http_buffer_size, set by the socket.io channel); Sanic's own websocket
  frame limit (1 MB) is fixed before any listener runs. The public proxy should refuse large
  bodies first (its limit: the same 64 KB).
- Rasa's version is not told to the world (`/` says only that the server is up, `/version` is
  not found), and every response carries HSTS for when the proxy serves it over HTTPS.
- The app is remembered for the safety net (channels/resilience.py parses a message with it).
- After start, in the background: the content and the escalation code are loaded, so a first
  failure answers as fast as any, and cases a previous process left in the outbox are written.
- After start: a tracker the database refuses is not kept in memory by Rasa's fail-safe wrapper
  (channels/tracker_store.py, keep_no_fallback).
- After start: the tracker store reads a conversation that does not exist, so the SQL of its
  reads is built (about 0.5 s, more on a busy machine) before anyone's first reply: on PostgreSQL
  the first reply of each new server was the safety reply for being too slow (the load test).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
TOO_LARGE = (
    f"The request is too large: at most {MAX_BODY_BYTES // 1024} KB, and a message at most 5,000 characters."
)

HSTS = "max-age=31536000; includeSubDomains"

_app: Any = None
_configured: set[int] = set()
_warmed = False
WARM_UP_CONVERSATION = "warm-up-read-nothing-stored"  # read at start, never written


def app() -> Any:
    """Rasa's Sanic app, once a channel is registered on it (None before)."""
    return _app


async def _too_large(request, exception):
    return response.json({"error": TOO_LARGE}, status=413, headers={"Connection": "close"})


def configure(sanic_app: Any) -> None:
    global _app
    _app = sanic_app
    if id(sanic_app) in _configured:
        return
    _configured.add(id(sanic_app))
    sanic_app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    sanic_app.error_handler.add(PayloadTooLarge, _too_large)
    sanic_app.register_middleware(_hide_version, "request")
    sanic_app.register_middleware(_security_headers, "response")


async def _hide_version(request):
    if request.path == "/":
        return response.json({"status": "ok"})
    if request.path == "/version":
        return response.json({"error": "not found"}, status=404)
    return None


async def _security_headers(_request, resp):
    if resp is not None:
        resp.headers.setdefault("Strict-Transport-Security", HSTS)


def attach(blueprint: Blueprint) -> Blueprint:
    """Configures the app this blueprint is registered on (see the module's docstring)."""

    async def configure_on_start(sanic_app, _loop) -> None:
        configure(sanic_app)

    async def warm_up_once(_app, _loop) -> None:
        global _warmed
        if not _warmed:
            _warmed = True
            asyncio.get_running_loop().run_in_executor(None, warm_up)

    async def no_memory_fallback(sanic_app, _loop) -> None:
        from channels.tracker_store import keep_no_fallback

        keep_no_fallback(getattr(getattr(sanic_app.ctx, "agent", None), "tracker_store", None))

    async def warm_up_tracker_store(sanic_app, _loop) -> None:
        store = getattr(getattr(sanic_app.ctx, "agent", None), "tracker_store", None)
        if store is not None:
            try:
                await store.retrieve(WARM_UP_CONVERSATION)
            except Exception:
                logger.exception("warming up the tracker store failed (its first read will be slower)")

    blueprint.listener("before_server_start")(configure_on_start)
    blueprint.listener("after_server_start")(warm_up_once)
    blueprint.listener("after_server_start")(no_memory_fallback)
    blueprint.listener("after_server_start")(warm_up_tracker_store)
    return blueprint


def warm_up() -> None:
    try:
        from advice.content import library
        from channels import resilience
        from handoff.outbox import Outbox, keep_draining

        library()
        # the safety reply's imports (resilience._safety_reply), loaded now
        import advice.safety_advice  # noqa: F401
        import handoff.availability
        import handoff.case_summary
        import handoff.store
        import handoff.transcript  # noqa: F401

        outbox = Outbox()
        if outbox.paths():
            logger.warning("%d case(s) wait in the outbox: writing them now", len(outbox.paths()))
            keep_draining(outbox, resilience._case_store)
    except Exception:
        logger.exception("warming up the safety net failed (it will load when first needed)")

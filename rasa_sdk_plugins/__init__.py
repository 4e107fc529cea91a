"""Extensions to the action server, through rasa-sdk's own plugin hook.

rasa-sdk 3.6 (rasa_sdk/plugin.py) imports a package named `rasa_sdk_plugins` if there is one and
calls its `init_hooks`; `rasa_sdk.endpoint.run` then calls `attach_sanic_app_extensions(app)`
before the action server starts. So rasa-sdk's server (`python -m actions`, actions/__main__.py,
as deploy/run_local.sh and tests/servers.py start it) gets these without any change to rasa-sdk:

1. Rasa's calls are authenticated (a forged POST to :5055/webhook had lowered a case's risk and
   created cases; tests/e2e/test_action_server_auth.py). Rasa sends the shared secret ACTION_SERVER_TOKEN in the X-Action-Token
   header (endpoints.yml); every request but /health without that exact value gets a 401. With
   no secret configured the action server refuses every call (and says so loudly): it never runs
   open. deploy/run_local.sh makes a random secret when deploy/local.env leaves it empty;
   production sets its own (deploy/production.env.example).
2. As soon as the action server is up, in the background: the content, the force file and the
   cases database (engine, tables) are loaded, so the first escalation is as fast as any (Rasa
   gives an action 1.4 s, channels/resilience.py); and cases a previous process left in the
   outbox (handoff/outbox.py) are written.

Beware: rasa-sdk treats a ModuleNotFoundError while importing this package as "no plugins" and
starts without them, so this file imports only the standard library, sanic and pluggy at the
top; the e2e tests check that an unauthenticated call is refused.
"""

from __future__ import annotations

import hmac
import logging
import os

import pluggy
from sanic import response

TOKEN_ENV = "ACTION_SERVER_TOKEN"
TOKEN_HEADER = "X-Action-Token"
OPEN_PATHS = ("/health",)

hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger(__name__)


def token_accepted(sent: str | None, expected: str) -> bool:
    """The header matches the configured secret (compared in constant time); no secret, no entry."""
    if not expected or not sent:
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


class ActionServerExtensions:
    @hookimpl
    def attach_sanic_app_extensions(self, app) -> None:
        expected = os.environ.get(TOKEN_ENV, "")
        if not expected:
            logger.critical(
                "%s is not set: the action server refuses every call. Set the same secret for Rasa "
                "(endpoints.yml sends it) and the action server; deploy/run_local.sh makes one.",
                TOKEN_ENV,
            )

        @app.middleware("request")
        async def authenticate(request):
            if request.path in OPEN_PATHS:
                return None
            if token_accepted(request.headers.get(TOKEN_HEADER), expected):
                return None
            logger.warning("refused a call to %s without the shared secret", request.path)
            return response.json({"error": "not authorised"}, status=401)

        @app.listener("after_server_start")
        async def warm_up(_app, loop) -> None:
            loop.run_in_executor(None, _warm_up)


def _warm_up() -> None:
    try:
        from actions.escalation import case_store, staff_store
        from advice.content import library
        from advice.forces import current_force
        from handoff.outbox import Outbox, keep_draining
        from privacy.redaction import warm_up as warm_up_redaction

        library()
        current_force()
        warm_up_redaction()  # a case's messages are keyed by their redacted text
        staff_store().on_duty_count()  # the cases database: engine, tables, a first connection
        outbox = Outbox()
        if outbox.paths():
            logger.warning("%d case(s) wait in the outbox: writing them now", len(outbox.paths()))
            keep_draining(outbox, case_store)
    except Exception:
        logger.exception("warming up the action server failed (each part loads when first needed)")


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(ActionServerExtensions())

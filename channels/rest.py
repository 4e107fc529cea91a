"""The REST channel (docs/contracts.md): POST /webhooks/rest/webhook with {"sender", "message"}.

Same contract as Rasa's RestInput (it keeps the name "rest", so the same URL), plus: a clear
400 for malformed requests (deeply nested JSON included) instead of a 500, a 413 for bodies over
64 KB (channels/server.py), input cut and cleaned before it is stored, attachments refused,
over-long messages cut with a note saying so, typed "/intents" read as text
(channels/buttons.py), rate limits per address and per conversation (channels/admission.py: a
message over a limit gets a 200 with a kind reply, 999 and Childline, and a Retry-After header),
and never silence: if Rasa fails or is slow, the safety reply within 2 s (channels/resilience.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from channels import resilience, server, speedups
from channels.admission import gate
from channels.buttons import pressed_or_typed
from channels.chat_sessions import SOCKET_ID_PREFIX
from channels.client_address import TrustedProxies
from channels.input_cleaning import BadRequest, check_request
from channels.notes import too_long_note

speedups.apply()
resilience.apply()

logger = logging.getLogger(__name__)


class GuardedRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)
        limits, proxies = gate(), TrustedProxies.from_env()  # a wrong setting stops Rasa here

        @webhook.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            if not (request.content_type or "").startswith("application/json"):
                # a plain-text form post from another website would skip the browser's CORS check
                return response.json({"error": "Send JSON (Content-Type: application/json)."}, status=415)
            try:
                body = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError, RecursionError):  # nested too deep: RecursionError
                return response.json(
                    {"error": 'The body must be JSON, like {"sender": "abc123", "message": "hello"}.'},
                    status=400,
                )
            try:
                message = check_request(body)
            except BadRequest as problem:
                return response.json({"error": str(problem)}, status=400)
            if message.sender.startswith(SOCKET_ID_PREFIX):
                return response.json(
                    {
                        "error": f'Conversation ids starting with "{SOCKET_ID_PREFIX}" belong to the chat page.'
                    },
                    status=400,
                )
            agent = getattr(request.app.ctx, "agent", None)
            address = proxies.client(request.ip, request.headers.get("x-forwarded-for"))
            admission = await limits.admit(agent, address, message.sender, message.text)
            if not admission.admitted:
                return response.json(
                    [{"recipient_id": message.sender, "text": admission.reply}],
                    headers={"Retry-After": str(admission.retry_after)},
                )
            try:
                text = message.text
                if message.looks_like_payload:
                    text = await pressed_or_typed(agent, message.sender, text)
                collector = CollectingOutputChannel()
                await resilience.within_deadline(
                    admission.handling(on_new_message),
                    UserMessage(text, collector, message.sender, input_channel=self.name()),
                )
            except BaseException:
                admission.abandon()
                raise
            replies = list(collector.messages)  # what came in time (a late part is dropped)
            notes = [n for n in (too_long_note() if message.truncated else None, admission.note) if n]
            replies = [{"recipient_id": message.sender, "text": n} for n in notes] + replies
            return response.json(replies)

        return server.attach(webhook)

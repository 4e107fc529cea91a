"""The REST channel of design.md: POST /webhooks/rest/webhook with {"sender", "message"}.

Same contract as Rasa's RestInput (it keeps the name "rest", so the same URL), plus: a clear
400 for malformed requests instead of a 500, input cleaned before it is stored, attachments
refused, and over-long messages cut with a note saying so.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from channels import speedups
from channels.input_cleaning import BadRequest, check_request
from channels.notes import too_long_note

speedups.apply()

logger = logging.getLogger(__name__)


class GuardedRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            try:
                body = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return response.json(
                    {"error": 'The body must be JSON, like {"sender": "abc123", "message": "hello"}.'},
                    status=400,
                )
            try:
                message = check_request(body)
            except BadRequest as problem:
                return response.json({"error": str(problem)}, status=400)
            collector = CollectingOutputChannel()
            await on_new_message(
                UserMessage(message.text, collector, message.sender, input_channel=self.name())
            )
            replies = collector.messages
            if message.truncated:
                replies = [{"recipient_id": message.sender, "text": too_long_note()}] + replies
            return response.json(replies)

        return webhook

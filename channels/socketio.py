"""The socket.io channel the chat page uses, with the same input checks as REST: input cut and
cleaned, typed "/intents" read as text (channels/buttons.py), messages over 64 KB refused
(channels/server.py), and never silence (channels/resilience.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from channels import resilience, server
from channels.buttons import pressed_or_typed
from channels.input_cleaning import BadRequest, check_request

resilience.apply()


class GuardedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def guarded(message: UserMessage) -> Any:
            try:
                clean = check_request({"sender": message.sender_id, "message": message.text})
            except BadRequest:
                clean = None
            if clean is None:
                message.text = "/empty_message"
            elif clean.looks_like_payload:
                agent = getattr(getattr(server.app(), "ctx", None), "agent", None)
                message.text = await pressed_or_typed(agent, message.sender_id, clean.text)
            else:
                message.text = clean.text
            # the safety reply goes out on this channel's own output (custom payloads included)
            message.output_channel = self.get_output_channel() or message.output_channel
            return await resilience.within_deadline(on_new_message, message)

        blueprint = super().blueprint(guarded)
        self.sio.eio.max_http_buffer_size = server.MAX_BODY_BYTES  # polling and websocket messages
        return server.attach(blueprint)

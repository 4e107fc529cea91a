"""The socket.io channel the chat page uses, with the same input checks as REST."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from channels.input_cleaning import BadRequest, check_request


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
            if clean is not None:
                message.text = clean.text
            else:
                message.text = "/empty_message"
            return await on_new_message(message)

        return super().blueprint(guarded)

"""The socket.io channel the chat page uses, with the same input checks as REST: input cut and
cleaned, typed "/intents" read as text (channels/buttons.py), messages over 64 KB refused
(channels/server.py), the same rate limits (channels/admission.py: a message over a limit gets a
kind reply with 999 and Childline instead of an answer), and never silence
(channels/resilience.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from channels import resilience, server, speedups
from channels.admission import gate
from channels.buttons import pressed_or_typed
from channels.client_address import UNKNOWN, TrustedProxies
from channels.input_cleaning import BadRequest, check_request

speedups.apply()
resilience.apply()

# The address of the socket whose message is being handled: Rasa's handler builds the
# UserMessage without the socket, so the address travels alongside it.
SOCKET_ADDRESS: ContextVar[str] = ContextVar("socket_address", default=UNKNOWN)


class GuardedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        limits, proxies = gate(), TrustedProxies.from_env()  # a wrong setting stops Rasa here

        async def guarded(message: UserMessage) -> Any:
            # the replies go out on this channel's own output (custom payloads included)
            message.output_channel = self.get_output_channel() or message.output_channel
            agent = getattr(getattr(server.app(), "ctx", None), "agent", None)
            admission = await limits.admit(agent, SOCKET_ADDRESS.get(), message.sender_id, message.text)
            if not admission.admitted:
                await message.output_channel.send_text_message(message.sender_id, admission.reply)
                return None
            try:
                try:
                    clean = check_request({"sender": message.sender_id, "message": message.text})
                except BadRequest:
                    clean = None
                if clean is None:
                    message.text = "/empty_message"
                elif clean.looks_like_payload:
                    message.text = await pressed_or_typed(agent, message.sender_id, clean.text)
                else:
                    message.text = clean.text
                if admission.note:
                    await message.output_channel.send_text_message(message.sender_id, admission.note)
                return await resilience.within_deadline(admission.handling(on_new_message), message)
            except BaseException:
                admission.abandon()
                raise

        blueprint = super().blueprint(guarded)
        self.sio.eio.max_http_buffer_size = server.MAX_BODY_BYTES  # polling and websocket messages
        rasa_handler = self.sio.handlers[self.namespace or "/"][self.user_message_evt]

        async def with_address(sid: str, data: Any) -> None:
            try:
                request = self.sio.get_environ(sid, namespace=self.namespace)["sanic.request"]
                address = proxies.client(request.ip, request.headers.get("x-forwarded-for"))
            except (KeyError, TypeError, AttributeError):
                address = UNKNOWN
            SOCKET_ADDRESS.set(address)  # this handler runs in its own task (python-socketio)
            await rasa_handler(sid, data)

        self.sio.on(self.user_message_evt, with_address, namespace=self.namespace)
        return server.attach(blueprint)

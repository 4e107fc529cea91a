"""The chat page's socket.io channel, with what a live human takeover needs.

It is channels.socketio.GuardedSocketIOInput (same input checks, same name "socketio", so the
same /socket.io path and `output_channel=latest`) plus three things:

1. Custom payloads reach the browser. Rasa 3.6's SocketIOOutput.send_custom_json calls
   `sio.emit(event, **payload)`, which raises TypeError for {"handoff": ...} or {"links": ...}
   and aborts the turn before the tracker is saved. Here they are emitted as {"custom": payload},
   the shape the REST channel returns.
2. A staff member's message (a BotUttered whose metadata has from_person) is emitted whole, with
   `from_person` and `staff_name`, so the chat can show it as from a person.
3. Coming back: when a browser asks for a session that already has a conversation, with that
   conversation's token (channels/chat_sessions.py), the conversation so far is sent to that
   browser alone (event `history`), so a young person who left and came back in the same tab
   sees everything, including replies sent while they were away (socket.io drops messages for a
   room nobody is in). Without the token nobody joins another's conversation.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint

from channels.chat_sessions import SessionTokens, allowed_origins
from channels.input_cleaning import BadRequest, check_request
from channels.socketio import GuardedSocketIOInput
from channels.socketio_cluster import share_rooms
from handoff.transcript import PERSON_KEY, STAFF_NAME_KEY

logger = logging.getLogger(__name__)
HISTORY_EVENT = "history"
SESSION_TOKEN_EVENT = "session_token"


class TakeoverSocketIOOutput(SocketIOOutput):
    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        if kwargs.get(PERSON_KEY):
            # a person's message stays one message, marked as theirs
            await self._send_message(
                recipient_id, {"text": text, PERSON_KEY: True, STAFF_NAME_KEY: kwargs.get(STAFF_NAME_KEY)}
            )
            return
        await super().send_text_message(recipient_id, text, **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


def history_messages(events: list[dict]) -> list[dict]:
    """The conversation so far, in the shapes the chat page renders live."""
    out: list[dict] = []
    for event in events:
        kind = event.get("event")
        if kind == "user" and event.get("text"):
            out.append({"sender": "user", "text": event["text"]})
        elif kind == "bot":
            metadata = event.get("metadata") or {}
            data = event.get("data") or {}
            item: dict = {"sender": "bot"}
            if event.get("text"):
                item["text"] = event["text"]
            if metadata.get(PERSON_KEY):
                item.update({PERSON_KEY: True, STAFF_NAME_KEY: metadata.get(STAFF_NAME_KEY)})
            if data.get("custom"):
                item["custom"] = data["custom"]
            if data.get("buttons"):
                item["buttons"] = data["buttons"]
            if len(item) > 1:
                out.append(item)
    # only the last message's buttons can still be pressed
    for item in out[:-1]:
        item.pop("buttons", None)
    return out


def _is_conversation_id(value: Any) -> bool:
    try:
        check_request({"sender": value, "message": ""})
    except BadRequest:
        return False
    return True


class TakeoverSocketIOInput(GuardedSocketIOInput):
    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return super().get_output_channel()
        return TakeoverSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_takeover_output(message: UserMessage) -> Any:
            message.output_channel = TakeoverSocketIOOutput(self.sio, self.bot_message_evt)
            return await on_new_message(message)

        blueprint = super().blueprint(with_takeover_output)
        share_rooms(self.sio)  # several Rasa servers: a staff message reaches the chat wherever it is
        namespace = self.namespace or "/"
        handlers = self.sio.handlers[namespace]
        confirm_session, handle_message = handlers["session_request"], handlers[self.user_message_evt]
        tokens = SessionTokens.from_env()
        given: dict[str, str] = {}  # socket id -> the conversation this connection was given

        async def session_request(sid: str, data: dict | None) -> None:
            data = dict(data) if isinstance(data, dict) else {}
            asked = data.get("session_id")
            returning = _is_conversation_id(asked) and tokens.valid(asked, data.get("session_token"))
            if not returning:  # a new conversation, or someone else's id without its token
                data["session_id"] = tokens.new_session_id()
            await confirm_session(sid, data)
            given[sid] = data["session_id"]
            await self.sio.emit(
                SESSION_TOKEN_EVENT,
                {"session_id": data["session_id"], "session_token": tokens.issue(data["session_id"])},
                room=sid,
                namespace=self.namespace,
            )
            if returning and self.session_persistence:
                await self._send_history(sid, data["session_id"])

        async def user_uttered(sid: str, data: dict | None) -> None:
            if not isinstance(data, dict) or given.get(sid) is None or data.get("session_id") != given[sid]:
                logger.warning("refused a socket.io message for a conversation this connection was not given")
                return
            await handle_message(sid, data)

        async def disconnect(sid: str) -> None:
            given.pop(sid, None)

        self.sio.on("session_request", session_request, namespace=self.namespace)
        self.sio.on(self.user_message_evt, user_uttered, namespace=self.namespace)
        self.sio.on("disconnect", disconnect, namespace=self.namespace)
        # None: same origin only, the safe default; [] would turn the check off
        self.sio.eio.cors_allowed_origins = allowed_origins() or None
        return blueprint

    async def _send_history(self, sid: str, session_id: str) -> None:
        try:
            request = self.sio.get_environ(sid, namespace=self.namespace)["sanic.request"]
            tracker = await request.app.ctx.agent.tracker_store.retrieve(session_id)
        except Exception:  # the history is a courtesy: never let it break the chat
            logger.exception("could not load the conversation history for a returning browser")
            return
        if tracker is None:
            return
        events = [event.as_dict() for event in tracker.events]
        await self.sio.emit(
            HISTORY_EVENT,
            {"messages": history_messages(events), "paused": tracker.is_paused()},
            room=sid,
            namespace=self.namespace,
        )

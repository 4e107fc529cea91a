"""The Rasa HTTP API, as the staff console uses it: add events to a conversation.

Rasa runs with `--enable-api --auth-token $RASA_API_TOKEN`; the token travels as the `token`
query parameter (Rasa 3.6's token auth). Only the console holds it: the public reaches Rasa's
channels, never this API.

Adding events with `output_channel=latest&execute_side_effects=true` makes the Rasa process that
holds the young person's socket send any BotUttered among them to their chat. (The console reads
chats from the tracker store instead: handoff/tracker_events.py says why.)
"""

from __future__ import annotations

from urllib.parse import quote

import aiohttp


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, or refused: the console says so and changes nothing."""


class RasaAPI:
    def __init__(self, base_url: str, token: str, timeout_s: float = 10.0):
        if not token:
            raise ValueError("RASA_API_TOKEN is empty: the console needs Rasa's API token")
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    def _url(self, conversation_id: str, tail: str) -> str:
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/{tail}"

    async def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def add_events(self, conversation_id: str, events: list[dict]) -> list[dict]:
        """Adds events and delivers the bot messages among them to the chat; returns the events."""
        params = {
            "token": self._token,
            "output_channel": "latest",
            "execute_side_effects": "true",
            "include_events": "AFTER_RESTART",
        }
        try:
            client = await self._client()
            async with client.post(
                self._url(conversation_id, "tracker/events"), params=params, json=events
            ) as resp:
                if resp.status != 200:
                    raise RasaUnavailable(f"Rasa answered {resp.status} adding events")
                return (await resp.json()).get("events") or []
        except (aiohttp.ClientError, TimeoutError) as problem:
            raise RasaUnavailable(f"Rasa could not be reached: {problem}") from problem


# --- the events a takeover adds (stamped by the caller's clock) -----------------------------
def pause(at: float) -> dict:
    return {"event": "pause", "timestamp": at}


def resume(at: float) -> dict:
    return {"event": "resume", "timestamp": at}


def set_slot(name: str, value, at: float) -> dict:
    return {"event": "slot", "name": name, "value": value, "timestamp": at}


def bot_text(text: str, at: float, metadata: dict | None = None) -> dict:
    return {"event": "bot", "text": text, "metadata": metadata or {}, "timestamp": at}


def bot_custom(payload: dict, at: float) -> dict:
    return {"event": "bot", "text": None, "data": {"custom": payload}, "timestamp": at}

"""The Rasa HTTP API, as the staff console uses it: add events to a conversation.

Rasa runs with `--enable-api` and the token from RASA_API_TOKEN (handoff/rasa_server.py hands it
over inside the process, never on a command line); the token travels as the `token` query
parameter (Rasa 3.6's token auth). Only the console (and the operator's `make purge` / `make
forget`) hold it: the public reaches Rasa's channels, never this API.

When `make run` makes the token itself it keeps it in var/rasa_api_token (0600) for the operator's
commands while it runs (`python -m handoff.rasa_api new-local-token`, deploy/run_local.sh).

Adding events with `output_channel=latest&execute_side_effects=true` makes the Rasa process that
holds the young person's socket send any BotUttered among them to their chat. (The console reads
chats from the tracker store instead: handoff/tracker_events.py says why.)
"""

from __future__ import annotations

import os
import secrets
import sys
from urllib.parse import quote

import aiohttp

from handoff.db import PROJECT_ROOT
from handoff.private_files import write_private

LOCAL_TOKEN_FILE = PROJECT_ROOT / "var" / "rasa_api_token"


def configured_token(env: dict | None = None) -> str:
    """RASA_API_TOKEN, or the token `make run` made for this run (empty if neither)."""
    env = os.environ if env is None else env
    if env.get("RASA_API_TOKEN"):
        return env["RASA_API_TOKEN"]
    try:
        return LOCAL_TOKEN_FILE.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def new_local_token() -> str:
    """A fresh token for one `make run`, kept where only the service's user can read it."""
    token = secrets.token_hex(32)
    write_private(LOCAL_TOKEN_FILE, token + "\n")
    return token


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

    async def drop_cached(self, conversation_id: str) -> None:
        """Makes Rasa forget its in-memory copy of a conversation whose events were deleted.

        On SQLite the tracker store keeps recent conversations in memory (channels/
        tracker_store.py); replacing the events with none stores nothing (the database has
        none left) and drops that copy, so the next message starts from what the database holds."""
        try:
            client = await self._client()
            async with client.put(
                self._url(conversation_id, "tracker/events"), params={"token": self._token}, json=[]
            ) as resp:
                if resp.status != 200:
                    raise RasaUnavailable(f"Rasa answered {resp.status} dropping a conversation")
        except (aiohttp.ClientError, TimeoutError) as problem:
            raise RasaUnavailable(f"Rasa could not be reached: {problem}") from problem


# --- the events a takeover adds (stamped by the caller's clock) -----------------------------
def pause(at: float) -> dict:
    return {"event": "pause", "timestamp": at}


def resume(at: float) -> dict:
    return {"event": "resume", "timestamp": at}


def bot_text(text: str, at: float, metadata: dict | None = None) -> dict:
    return {"event": "bot", "text": text, "metadata": metadata or {}, "timestamp": at}


def bot_custom(payload: dict, at: float) -> dict:
    return {"event": "bot", "text": None, "data": {"custom": payload}, "timestamp": at}


if __name__ == "__main__":
    # deploy/run_local.sh: a token for this run, printed for the script and kept in the file
    if sys.argv[1:] != ["new-local-token"]:
        sys.exit("usage: python -m handoff.rasa_api new-local-token")
    print(new_local_token())

"""The console's settings, from the environment (deploy/local.env sets the local defaults)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from handoff.db import database_url
from handoff.passwords import DEFAULT_LOG2_N
from handoff.retention import DEFAULT_PURGE_EVERY_HOURS, purge_every_hours
from handoff.tracker_events import tracker_db_url


@dataclass(frozen=True)
class ConsoleConfig:
    db_url: str
    tracker_url: str  # read-only: the chats as Rasa stored them
    rasa_url: str
    rasa_token: str
    force_id: str
    host: str = "127.0.0.1"
    port: int = 8090
    # Secure cookies need HTTPS, or http://127.0.0.1 / localhost (browsers treat loopback as
    # secure). Only a test over plain HTTP on another host would turn this off.
    cookie_secure: bool = True
    sync_seconds: float = 1.0  # how often transcripts are copied from Rasa
    password_cost: int = DEFAULT_LOG2_N
    # the retention purge (handoff/retention.py): at start, then every this many hours
    purge_every_hours: float = DEFAULT_PURGE_EVERY_HOURS

    @classmethod
    def from_env(cls) -> ConsoleConfig:
        env = os.environ
        rasa_url = env.get("RASA_URL") or f"http://127.0.0.1:{env.get('RASA_PORT', '5005')}"
        return cls(
            db_url=database_url(),
            tracker_url=tracker_db_url(env),
            rasa_url=rasa_url,
            rasa_token=env.get("RASA_API_TOKEN", ""),
            force_id=env.get("ADVICE_FORCE", "dorset"),
            host=env.get("CONSOLE_HOST", "127.0.0.1"),
            port=int(env.get("CONSOLE_PORT", "8090")),
            cookie_secure=env.get("CONSOLE_COOKIE_SECURE", "true").lower() != "false",
            sync_seconds=float(env.get("CONSOLE_SYNC_SECONDS", "1.0")),
            password_cost=int(env.get("CONSOLE_PASSWORD_COST", str(DEFAULT_LOG2_N))),
            purge_every_hours=purge_every_hours(env),
        )

"""Servers for the console tests, all real and on loopback with temporary databases:

- `console_only`: the console alone (its Rasa URL points at a closed port), for sign-in,
  sessions, CSRF, roles and the sign-in back-off over HTTP. Starts in about a second.
- `stack`: the action server and Rasa (API on, with a token), the console and the chat page, as
  `make run` starts them (`running_stack`, which the widget's tests use too). Starts in about a
  minute; shared by the socket.io and browser tests.
"""

from __future__ import annotations

import secrets
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from handoff.staff import StaffStore
from tests.console.http_client import ConsoleClient
from tests.servers import VENV, Assistant, Service, free_port, load_env, stop_all

FAST_PASSWORD_COST = 14  # scrypt N=2^14 keeps account set-up quick; test_staff checks the default
SUPERVISOR = ("sue.super", "Sue", "supervisor", "harbour lantern pebble")
AGENT = ("alex.agent", "Alex", "agent", "maple orbit ferry wind")


class Console:
    """The console as `make run` starts it: `python -m console` in its own process."""

    def __init__(self, work: Path, env: dict):
        self.port = free_port()
        self.env = dict(env, CONSOLE_PORT=str(self.port), CONSOLE_PASSWORD_COST=str(FAST_PASSWORD_COST))
        self.url = f"http://127.0.0.1:{self.port}"
        self.service = Service(
            f"console-{self.port}", [str(VENV / "python"), "-m", "console"], self.env, work
        )

    @property
    def proc(self) -> subprocess.Popen | None:
        return self.service.proc

    def start(self) -> Console:
        self.service.start(ready_url=self.url + "/sign-in", timeout=60)
        return self

    def stop(self) -> None:
        self.service.stop()

    def client(self) -> ConsoleClient:
        return ConsoleClient(self.url)


def add_staff(db_url: str, *people) -> None:
    store = StaffStore(db_url, password_cost=FAST_PASSWORD_COST)
    for username, display, role, password in people:
        store.create(username, display, role, password)


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'handoff.db'}"


@pytest.fixture(scope="session")
def console_only(tmp_path_factory):
    work = tmp_path_factory.mktemp("console_only")
    db_url = f"sqlite:///{work / 'handoff.db'}"
    add_staff(db_url, SUPERVISOR, AGENT)
    env = load_env()
    env.update(
        HANDOFF_DB_URL=db_url,
        TRACKER_DB=str(work / "tracker.db"),  # never the developer's var/ (the console purges it)
        HANDOFF_OUTBOX_DIR=str(work / "outbox"),
        RASA_URL=f"http://127.0.0.1:{free_port()}",
        RASA_API_TOKEN=secrets.token_urlsafe(16),
    )
    console = Console(work, env).start()
    console.db_url = db_url
    yield console
    console.stop()


@contextmanager
def running_stack(work: Path, widget_env: dict | None = None):
    """The action server, Rasa (API on), the console and the chat page, as `make run` starts them;
    `widget_env` adds to the chat page's environment."""
    token = secrets.token_urlsafe(24)
    widget_port = free_port()
    widget_url = f"http://127.0.0.1:{widget_port}"
    assistant = Assistant(
        work,
        overrides={"RASA_API_TOKEN": token, "CHAT_ALLOWED_ORIGINS": widget_url},
        rasa_args=["--enable-api", "--cors", widget_url],  # the token from RASA_API_TOKEN
    )
    db_url = f"sqlite:///{work / 'handoff.db'}"
    add_staff(db_url, SUPERVISOR, AGENT)
    services = [assistant.rasa, assistant.actions]
    try:
        assistant.start()
        env = dict(assistant.env, RASA_URL=assistant.url, CONSOLE_SYNC_SECONDS="0.5")
        console = Console(work, env)
        services.append(console.service)
        console.start()
        widget = Service(
            "widget",
            [str(VENV / "python"), "-m", "widget.serve", "--port", str(widget_port)],
            dict(assistant.env, **(widget_env or {})),
            work,
        )
        services.append(widget)
        widget.start(ready_url=widget_url + "/", timeout=60)
        yield {
            "assistant": assistant,
            "rasa": assistant.url,
            "token": token,
            "console": console,
            "widget": widget_url,
            "db_url": db_url,
            "work": work,
        }
    finally:
        stop_all(services)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running

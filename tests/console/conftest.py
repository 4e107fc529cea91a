"""Servers for the console tests, all real and on loopback with temporary databases:

- `console_only`: the console alone (its Rasa URL points at a closed port), for sign-in,
  sessions, CSRF, roles and lock-out over HTTP. Starts in about a second.
- `stack`: the action server and Rasa (API on, with a token), the console and the chat page, as
  `make run` starts them. Starts in about a minute; shared by the socket.io and browser tests.
"""
from __future__ import annotations

import secrets
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from handoff.staff import StaffStore
from tests.e2e.conftest import ROOT, VENV, Assistant, free_port, load_env
from tests.console.http_client import ConsoleClient

FAST_PASSWORD_COST = 14     # scrypt N=2^14 keeps account set-up quick; test_staff checks the default
SUPERVISOR = ("sue.super", "Sue", "supervisor", "harbour lantern pebble")
AGENT = ("alex.agent", "Alex", "agent", "maple orbit ferry wind")


def wait_for(url: str, procs: list[subprocess.Popen], what: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return          # it answered
        except OSError:
            if any(p.poll() is not None for p in procs):
                raise RuntimeError(f"{what} exited before it was ready") from None
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not start in {timeout} s")


class Console:
    """The console as `make run` starts it: `python -m console` in its own process."""

    def __init__(self, work: Path, env: dict):
        self.port = free_port()
        self.env = dict(env, CONSOLE_PORT=str(self.port), CONSOLE_PASSWORD_COST=str(FAST_PASSWORD_COST),
                        PYTHONPATH=str(ROOT))
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = work / f"console-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Console":
        self.proc = subprocess.Popen([str(VENV / "python"), "-m", "console"], cwd=ROOT, env=self.env,
                                     stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        wait_for(self.url + "/sign-in", [self.proc], f"the console (log: {self.log})")
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)

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
    env.update(HANDOFF_DB_URL=db_url, RASA_URL=f"http://127.0.0.1:{free_port()}",
               RASA_API_TOKEN=secrets.token_urlsafe(16))
    console = Console(work, env).start()
    console.db_url = db_url
    yield console
    console.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    work = tmp_path_factory.mktemp("stack")
    token = secrets.token_urlsafe(24)
    widget_port = free_port()
    widget_url = f"http://127.0.0.1:{widget_port}"
    assistant = Assistant(work, overrides={"RASA_API_TOKEN": token},
                          rasa_args=["--enable-api", f"--auth-token={token}", "--cors", widget_url])
    db_url = f"sqlite:///{work / 'handoff.db'}"
    add_staff(db_url, SUPERVISOR, AGENT)
    assistant.start()
    procs = list(assistant.procs)
    try:
        env = dict(assistant.env, RASA_URL=assistant.url, CONSOLE_SYNC_SECONDS="0.5")
        console = Console(work, env).start()
        procs.append(console.proc)
        widget = subprocess.Popen([str(VENV / "python"), "-m", "widget.serve", "--port", str(widget_port)],
                                  cwd=ROOT, env=assistant.env, stdout=open(work / "widget.log", "a"),
                                  stderr=subprocess.STDOUT)
        procs.append(widget)
        wait_for(widget_url + "/", [widget], f"the chat page (log: {work / 'widget.log'})")
        yield {"rasa": assistant.url, "token": token, "console": console, "widget": widget_url,
               "db_url": db_url, "work": work}
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

"""Starts the real action server and Rasa server (SQLite tracker store, in a temporary folder)
for the end-to-end tests, and stops them afterwards."""
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_env() -> dict:
    env = dict(os.environ)
    for line in (ROOT / "deploy" / "local.env").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env.setdefault(key, value)
    return env


class Assistant:
    """A running action server + Rasa server pair; stop() ends both."""

    def __init__(self, work: Path, overrides: dict | None = None, rasa_args: list | None = None):
        self.work = work
        self.env = load_env()
        self.rasa_port, self.action_port = free_port(), free_port()
        self.env.update(RASA_PORT=str(self.rasa_port), ACTION_PORT=str(self.action_port),
                        ACTION_SERVER_URL=f"http://127.0.0.1:{self.action_port}/webhook",
                        TRACKER_DB=str(work / "tracker.db"), HANDOFF_DB_URL=f"sqlite:///{work / 'handoff.db'}",
                        PYTHONPATH=str(ROOT))
        self.env.update(overrides or {})
        self.rasa_args = rasa_args or []
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.procs: list[subprocess.Popen] = []

    def start(self, timeout: float = 180) -> "Assistant":
        logs = {name: open(self.work / f"{name}.log", "a") for name in ("actions", "rasa")}
        self.procs = [
            subprocess.Popen([str(VENV / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port",
                              str(self.action_port)], cwd=ROOT, env=self.env, stdout=logs["actions"],
                             stderr=subprocess.STDOUT),
            subprocess.Popen([str(VENV / "rasa"), "run", "--model", "models", "--endpoints", "endpoints.yml",
                              "--credentials", "credentials.yml", "-i", "127.0.0.1", "--port",
                              str(self.rasa_port)] + self.rasa_args,
                             cwd=ROOT, env=self.env, stdout=logs["rasa"], stderr=subprocess.STDOUT),
        ]
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2)
                return self
            except OSError:
                if any(p.poll() is not None for p in self.procs):
                    raise RuntimeError(f"a server exited: see {self.work}")
                time.sleep(0.5)
        raise RuntimeError(f"Rasa did not start in {timeout} s: see {self.work}")

    def stop(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.wait(timeout=30)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    work = tmp_path_factory.mktemp("assistant")
    running = Assistant(work).start()
    yield {"url": running.url, "handoff_db": work / "handoff.db", "work": work}
    running.stop()


def post(url: str, body, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(body).encode()
    req = urllib.request.Request(url + "/webhooks/rest/webhook", data=data,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read().decode() or "null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read().decode() or "null")

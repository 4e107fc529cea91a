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


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    work = tmp_path_factory.mktemp("assistant")
    env = load_env()
    rasa_port, action_port = free_port(), free_port()
    env.update(RASA_PORT=str(rasa_port), ACTION_PORT=str(action_port),
               ACTION_SERVER_URL=f"http://127.0.0.1:{action_port}/webhook",
               TRACKER_DB=str(work / "tracker.db"), HANDOFF_DB_URL=f"sqlite:///{work / 'handoff.db'}",
               PYTHONPATH=str(ROOT))
    logs = {name: open(work / f"{name}.log", "w") for name in ("actions", "rasa")}
    procs = [
        subprocess.Popen([str(VENV / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port",
                          str(action_port)], cwd=ROOT, env=env, stdout=logs["actions"], stderr=subprocess.STDOUT),
        subprocess.Popen([str(VENV / "rasa"), "run", "--model", "models", "--endpoints", "endpoints.yml",
                          "--credentials", "credentials.yml", "-i", "127.0.0.1", "--port", str(rasa_port)],
                         cwd=ROOT, env=env, stdout=logs["rasa"], stderr=subprocess.STDOUT),
    ]
    url = f"http://127.0.0.1:{rasa_port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if any(p.poll() is not None for p in procs):
                raise RuntimeError("a server exited: see " + str(work))
            time.sleep(1)
    else:
        raise RuntimeError("Rasa did not start in 180 s: see " + str(work))
    yield {"url": url, "handoff_db": work / "handoff.db", "work": work}
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=30)


def post(url: str, body, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(body).encode()
    req = urllib.request.Request(url + "/webhooks/rest/webhook", data=data,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read().decode() or "null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read().decode() or "null")

"""The real action server and Rasa server (SQLite tracker store, in a temporary folder) for the
end-to-end tests (tests/servers.py starts them), and a REST helper."""

import json
import urllib.error
import urllib.request

import pytest

from tests.servers import Assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    work = tmp_path_factory.mktemp("assistant")
    running = Assistant(work).start()
    yield {
        "url": running.url,
        "handoff_db": work / "handoff.db",
        "work": work,
        "action_url": f"http://127.0.0.1:{running.action_port}",
        "env": running.env,
    }
    running.stop()


def post(url: str, body, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(body).encode()
    req = urllib.request.Request(
        url + "/webhooks/rest/webhook", data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read().decode() or "null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read().decode() or "null")

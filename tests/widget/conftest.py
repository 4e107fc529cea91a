"""The widget's tests run on the console's set-up (tests/console/conftest.py running_stack: the
action server, Rasa with its API, the staff console and the chat page server, all real), with the
quick exit pointed at a neutral page on this machine: no request may leave 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.console.conftest import AGENT, running_stack
from tests.servers import free_port
from tests.widget.browser import Browser, Widget

NEUTRAL_PAGES = {
    "/": b"<!doctype html><html lang=en><title>Weather</title><h1>Weather forecast</h1><p>Sunny spells.</p>",
    "/start": b"<!doctype html><html lang=en><title>Search</title><h1>Search results</h1>",
}


class NeutralPage(BaseHTTPRequestHandler):
    def do_GET(self):
        body = NEUTRAL_PAGES.get(self.path.split("?")[0])
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body or b"not found")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def neutral_site():
    """Another site on loopback: the quick exit's neutral page, and a page before the force's."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), NeutralPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, neutral_site):
    work = tmp_path_factory.mktemp("widget_stack")
    with running_stack(work, {"WIDGET_QUICK_EXIT_URL": neutral_site + "/"}) as running:
        yield running


@pytest.fixture
def browser():
    made = Browser()
    yield made
    made.quit()


@pytest.fixture
def widget(browser):
    return Widget(browser.driver)


@pytest.fixture
def agent(stack):
    """The console's agent, over HTTP as the console's own tests do, off duty to start with."""
    client = stack["console"].client()
    assert client.sign_in(AGENT[0], AGENT[3]).status == 303
    client.token = client.get("/").csrf()
    yield client
    client.post("/duty", {"csrf_token": client.token, "on_duty": "no"})

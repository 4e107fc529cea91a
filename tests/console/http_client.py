"""A small HTTP client for the console tests that behaves like a browser about cookies.

The console's cookies are Secure; Python's cookie jar will not send Secure cookies over plain
HTTP, but browsers do to loopback (a secure context). So this client keeps cookies itself, and
records each Set-Cookie header so tests can check the flags.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: dict
    body: str
    set_cookies: list[str]

    @property
    def location(self) -> str | None:
        return self.headers.get("location")

    def csrf(self) -> str:
        found = CSRF.search(self.body)
        assert found, "no CSRF field on the page"
        return found.group(1)


@dataclass
class ConsoleClient:
    base: str
    cookies: dict = field(default_factory=dict)
    origin: str | None = None  # sent as the Origin header on POSTs (a browser does)

    def _send(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            request.add_header("Origin", self.origin or self.base)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            resp = opener.open(request, timeout=30)
        except urllib.error.HTTPError as err:
            resp = err
        raw = resp.headers.get_all("Set-Cookie") or []
        for header in raw:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        text = resp.read().decode("utf-8", "replace")
        return Answer(resp.status, {k.lower(): v for k, v in resp.headers.items()}, text, raw)

    def get(self, path: str, headers: dict | None = None) -> Answer:
        return self._send("GET", path, headers=headers)

    def post(self, path: str, data: dict, headers: dict | None = None) -> Answer:
        return self._send("POST", path, data, headers)

    def sign_in(self, username: str, password: str) -> Answer:
        form = self.get("/sign-in")
        return self.post("/sign-in", {"csrf_token": form.csrf(), "username": username, "password": password})

    def csrf(self, path: str = "/") -> str:
        return self.get(path).csrf()

"""The built widget (`make setup` runs widget/build.mjs): its size, and nothing from third
parties baked in."""

from __future__ import annotations

import gzip
import re

from tests.servers import ROOT

BUILT = ROOT / "widget" / "static" / "build" / "chat.js"
LIMIT_KB = 100


def test_the_widget_script_and_styles_are_under_100_kb_gzipped():
    code = BUILT.read_bytes()
    size_kb = len(gzip.compress(code, 9)) / 1024
    print(f"\nwidget: chat.js (script and styles) {len(code) / 1024:.1f} KB, {size_kb:.1f} KB gzipped")
    assert size_kb < LIMIT_KB


def test_no_third_party_address_is_built_in():
    # the default quick exit page (a force sets its own), and socket.io's documentation named in
    # one of its error messages; the browser tests check that no request leaves 127.0.0.1
    hosts = set(re.findall(rb"https?://([A-Za-z0-9.-]+)", BUILT.read_bytes()))
    assert hosts <= {b"www.bbc.co.uk", b"socket.io"}, hosts

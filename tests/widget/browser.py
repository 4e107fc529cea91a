"""Debian's Chromium, driven by Selenium, for the chat widget's tests (and the console's and the
failure tests' chat steps): the browser, the widget inside its shadow root, every request the
pages made, axe-core, and screenshots.

Never a downloaded browser: /usr/bin/chromium and /usr/bin/chromedriver (tests/servers.py).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.servers import CHROMIUM_FLAGS, ROOT, require_chromium

SHOTS = ROOT / "tests" / "output" / "widget"
AXE = ROOT / "widget" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = CHROMIUM_FLAGS + [
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--window-size=1280,800",
]


def wait(driver, condition, timeout: float = 40, what: str = "the page"):
    """Waits until condition(driver) is true; on a timeout, a screenshot says what was on screen."""
    try:
        # live pages redraw: an element found a moment ago may be replaced; look again
        return WebDriverWait(
            driver, timeout, poll_frequency=0.2, ignored_exceptions=[StaleElementReferenceException]
        ).until(lambda d: condition(d))
    except TimeoutException:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "failed.png"))
        raise AssertionError(f"timed out waiting for {what}; screenshot in {SHOTS / 'failed.png'}") from None


class Browser:
    """One Chromium with its own profile; `requests` keeps every URL the pages asked for."""

    def __init__(self):
        chromium, chromedriver = require_chromium()
        self.profile = tempfile.mkdtemp(prefix="chromium-widget-")
        options = Options()
        options.binary_location = str(chromium)
        for flag in FLAGS + [f"--user-data-dir={self.profile}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(str(chromedriver)), options=options)
        self.requests: list[str] = []
        self.viewport(1280, 800)

    def quit(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def viewport(self, width: int, height: int) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    def requested(self) -> list[str]:
        """Every URL requested so far (pages, scripts, fetches, websockets), from DevTools."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])
            elif message["method"] == "Network.webSocketCreated":
                self.requests.append(params["url"])
        return self.requests

    def left_the_machine(self) -> list[str]:
        """Network requests (http, https, ws, wss) to anywhere but 127.0.0.1. The browser's own
        pages (chrome://, its new tab page) and data: are not network requests."""
        return [
            url
            for url in self.requested()
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).hostname != "127.0.0.1"
        ]

    def block(self, *patterns: str) -> None:
        """Requests matching these URL patterns fail, as if the server were unreachable.
        DevTools' blocking does not reach websockets: on the pages loaded from now on, opening a
        websocket to a URL with any pattern's text (its * removed) fails too."""
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": list(patterns)})
        parts = json.dumps([p.replace("*", "") for p in patterns])
        self.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument",
            {
                "source": f"""(() => {{
                const Real = window.WebSocket, blocked = {parts};
                function Blocked(url, protocols) {{
                  if (blocked.some((p) => String(url).includes(p))) throw new DOMException("blocked", "NetworkError");
                  return new Real(url, protocols);
                }}
                Blocked.prototype = Real.prototype;
                Object.assign(Blocked, {{CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3}});
                window.WebSocket = Blocked;
              }})();"""
            },
        )

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def wait(self, condition, timeout: float = 40, what: str = "the page"):
        return wait(self.driver, condition, timeout, what)

    def axe(self, label: str) -> list[dict]:
        """Runs axe-core (from npm, widget/package-lock.json) on the page as it is now, prints
        the report and returns the serious and critical violations."""
        self.driver.execute_script(AXE.read_text())
        result = self.driver.execute_async_script(
            """const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
              "wcag22aa", "best-practice"]}, resultTypes: ["violations"]})
              .then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.map(n => n.target.join(" > "))}))}))
              .catch(e => done({error: String(e)}));"""
        )
        assert "error" not in result, result
        violations = result["violations"]
        print(f"\naxe-core on {label}: {len(violations)} rule(s) violated")
        for v in violations:
            print(
                f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}): {', '.join(v['nodes'][:3])}"
            )
        return [v for v in violations if v["impact"] in ("serious", "critical")]


class Widget:
    """The chat widget on the page a driver shows, reached through its (open) shadow root."""

    def __init__(self, driver):
        self.driver = driver

    @property
    def root(self):
        return wait(
            self.driver, lambda d: d.find_element(By.ID, "advice-chat-widget").shadow_root, what="the widget"
        )

    def find(self, css: str):
        return self.root.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str):
        return self.root.find_elements(By.CSS_SELECTOR, css)

    def texts(self, css: str = ".msg") -> list[str]:
        return [m.get_attribute("textContent") for m in self.all(css)]

    def is_open(self) -> bool:
        return self.driver.execute_script(
            "const r = document.getElementById('advice-chat-widget').shadowRoot;"
            "return !r.querySelector('.panel').hidden"
        )

    def open(self) -> None:
        if not self.is_open():
            wait(self.driver, lambda d: self.find(".launcher").is_displayed(), what="the launcher")
            self.find(".launcher").click()
        wait(self.driver, lambda d: self.is_open(), what="the panel opening")

    def focused(self) -> str:
        """The focused element inside the widget, as tag.class ('' when focus is outside it)."""
        return self.driver.execute_script(
            "const r = document.getElementById('advice-chat-widget').shadowRoot;"
            "const a = r.activeElement; return a ? a.tagName.toLowerCase() + '.' + a.className : ''"
        )

    def type(self, text: str) -> None:
        box = self.find("textarea")
        box.send_keys(text)
        self.find("form button[type=submit]").click()

    def say(self, text: str, reply_css: str = ".msg.bot", timeout: float = 40) -> None:
        """Types a message, sends it, and waits for a new message of `reply_css`."""
        before = len(self.all(reply_css))
        self.type(text)
        self.wait_for(lambda: len(self.all(reply_css)) > before, f"a reply to {text!r}", timeout)

    def press(self, title: str, reply_css: str = ".msg.bot") -> None:
        before = len(self.all(reply_css))
        button = next(b for b in self.all(".replies button") if b.text == title)
        button.click()
        self.wait_for(lambda: len(self.all(reply_css)) > before, f"a reply to the button {title!r}")

    def wait_for(self, check, what: str, timeout: float = 40):
        return wait(self.driver, lambda d: check(), timeout, what)

    def wait_text(self, css: str, words: str, timeout: float = 40) -> str:
        return self.wait_for(
            lambda: next((t for t in self.texts(css) if words in t), None), f"{words!r} in {css}", timeout
        )

    def stored(self):
        return self.driver.execute_script("return window.sessionStorage.getItem('advice-chat')")

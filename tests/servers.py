"""The one place that starts servers for tests: a free port, the process with its log, a wait
until it answers, and a stop. The e2e, production and console suites all start theirs here."""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"


_HANDED_OUT: set[int] = set()


def _ephemeral_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def free_port() -> int:
    """A port nothing listens on, below the kernel's ephemeral range, and not handed out before in
    this run. The kernel gives ports in that range to outgoing connections (a load test opens
    hundreds), so a port picked there could be taken before its server binds it."""
    high = _ephemeral_start() - 1
    low = max(1024, high - 12000)
    while True:
        port = random.randint(low, high)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port


def load_env() -> dict:
    """The environment `make run` gives the services: this one, over deploy/local.env."""
    env = dict(os.environ)
    for line in (ROOT / "deploy" / "local.env").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env.setdefault(key, value)
    env["PYTHONPATH"] = str(ROOT)
    # as deploy/run_local.sh does: without a configured secret, one for this run
    if not env.get("ACTION_SERVER_TOKEN"):
        env["ACTION_SERVER_TOKEN"] = secrets.token_hex(32)
    return env


def wait_until_answering(url: str, procs: list[subprocess.Popen], what: str, timeout: float = 120) -> None:
    """Returns once `url` answers at all (any HTTP status); fails at once if a process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if any(p.poll() is not None for p in procs):
                raise RuntimeError(f"{what} exited before it was ready") from None
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer in {timeout} s")


class Service:
    """One server process, its output in `<work>/<name>.log`."""

    def __init__(self, name: str, cmd: list[str], env: dict, work: Path):
        self.name, self.cmd, self.env, self.work = name, cmd, env, work
        self.log_path = work / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, ready_url: str | None = None, timeout: float = 120) -> Service:
        self._log = open(self.log_path, "a")  # noqa: SIM115 - open for the life of the process
        self.proc = subprocess.Popen(
            self.cmd, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        if ready_url:
            wait_until_answering(ready_url, [self.proc], f"{self.name} (log: {self.log_path})", timeout)
        return self

    def stop(self) -> None:
        stop_all([self])

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def pause(self) -> None:
        """Freezes the process (SIGSTOP): it holds its port and answers nothing, as a hung server."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)


def stop_all(services: list[Service]) -> None:
    running = [s for s in services if s.proc and s.proc.poll() is None]
    for s in running:
        s.proc.send_signal(signal.SIGCONT)  # a paused process cannot act on SIGTERM
        s.proc.terminate()
    for s in running:
        try:
            s.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            s.proc.kill()
    for s in services:
        if s._log:
            s._log.close()
            s._log = None


# Every test client is one address (127.0.0.1) speaking for hundreds of people, which the
# per-address limits exist to stop. Suites about something else lift those two; the limits on
# each conversation stay as configured. tests/e2e/test_rate_limits.py keeps them all.
MANY_PEOPLE_ON_ONE_ADDRESS = {
    "CHAT_NEW_CONVERSATIONS_PER_ADDRESS": "1000000/minute",
    "CHAT_MESSAGES_PER_ADDRESS": "1000000/minute",
}


class Assistant:
    """The action server and the Rasa server, as `make run` starts them; stop() ends both."""

    def __init__(
        self,
        work: Path,
        overrides: dict | None = None,
        rasa_args: list | None = None,
        address_limits: bool = False,
    ):
        self.work = work
        self.env = load_env()
        if not address_limits:
            self.env.update(MANY_PEOPLE_ON_ONE_ADDRESS)
        self.rasa_port, self.action_port = free_port(), free_port()
        self.env.update(
            RASA_PORT=str(self.rasa_port),
            ACTION_PORT=str(self.action_port),
            ACTION_SERVER_URL=f"http://127.0.0.1:{self.action_port}/webhook",
            TRACKER_DB=str(work / "tracker.db"),
            HANDOFF_DB_URL=f"sqlite:///{work / 'handoff.db'}",
            HANDOFF_OUTBOX_DIR=str(work / "outbox"),
        )
        self.env.update(overrides or {})
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.actions = Service(
            "actions",
            [str(VENV / "python"), "-m", "actions", "--port", str(self.action_port)],
            self.env,
            work,
        )
        self.rasa = Service(
            "rasa",
            [
                # as deploy/run_local.sh starts it: the API token (if any) from the environment
                str(VENV / "python"),
                "-m",
                "handoff.rasa_server",
                "run",
                "--model",
                "models",
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
                "-i",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
            ]
            + (rasa_args or []),
            self.env,
            work,
        )

    @property
    def procs(self) -> list[subprocess.Popen]:
        return [s.proc for s in (self.actions, self.rasa) if s.proc]

    def start(self, timeout: float = 180) -> Assistant:
        self.actions.start()
        self.rasa.start()
        wait_until_answering(self.url + "/", self.procs, f"Rasa (logs in {self.work})", timeout)
        return self

    def stop(self) -> None:
        stop_all([self.rasa, self.actions])

    @property
    def actions_health(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/health"

    def restart_actions(self) -> None:
        self.actions.stop()
        self.actions.start(ready_url=self.actions_health, timeout=120)

    def ensure_actions_running(self) -> None:
        if not self.actions.running:
            self.actions.start(ready_url=self.actions_health, timeout=120)


CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


# Debian's Chromium for the browser tests: headless, and nothing that calls out to the network
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> tuple[Path, Path]:
    """Debian's chromium and chromedriver, or a loud failure (never a quiet skip)."""
    import pytest

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Debian's chromium and chromedriver are missing: run deploy/install_system_packages.sh")
    return CHROMIUM, CHROMEDRIVER


def poll(check, timeout: float = 20.0, interval: float = 0.05) -> bool:
    """True as soon as check() is, False when the time is up: the one polling loop tests share."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return False

"""The production profile as `make production` starts it (deploy/run_production.sh), on free
ports and in a folder of its own, with what the fault tests do to its parts."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from tests.servers import ROOT, free_port

PORTS = [
    *("LB_PORT", "LB_STATS_PORT", "RASA_API_PORT", "RASA_PORT_1", "RASA_PORT_2", "ACTION_PORT"),
    *("PG_PORT", "REDIS_PORT", "WIDGET_PORT", "CONSOLE_PORT"),
]


class ProductionProfile:
    def __init__(self):
        # not under pytest's temp root: PostgreSQL runs as its own user and must reach its data
        self.dir = Path(tempfile.mkdtemp(prefix="production-"))
        self.ports = {name: free_port() for name in PORTS}
        self.env = {
            **os.environ,
            **{name: str(port) for name, port in self.ports.items()},
            "PRODUCTION_DIR": str(self.dir),
            "HANDOFF_OUTBOX_RETRY_SECONDS": "1",  # the outbox retries quickly in the tests
            "RESTART_SECONDS": "1",
            "CONSOLE_PASSWORD_COST": "10",
        }
        self.url = f"http://127.0.0.1:{self.ports['LB_PORT']}"
        self.script: subprocess.Popen | None = None

    def start(self, timeout: float = 420) -> ProductionProfile:
        self._log = open(self.dir / "run_production.out", "a")  # noqa: SIM115 - for the script's life
        self.script = subprocess.Popen(
            [str(ROOT / "deploy" / "run_production.sh")],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while not (self.dir / "run" / "ready").exists():
            if self.script.poll() is not None:
                raise RuntimeError(
                    f"run_production.sh exited: {(self.dir / 'run_production.out').read_text()[-3000:]}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError("the production profile did not start in time")
            time.sleep(1)
        self.secrets = dict(
            line.split("=", 1) for line in (self.dir / "secrets.env").read_text().splitlines() if "=" in line
        )
        return self

    def stop(self) -> None:
        if self.script and self.script.poll() is None:
            self.script.send_signal(signal.SIGTERM)
            try:
                self.script.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.script.pid, signal.SIGKILL)
        self._log.close()
        if not os.environ.get("PRODUCTION_TEST_KEEP"):  # =1 keeps the logs and data to look at
            shutil.rmtree(self.dir, ignore_errors=True)

    def log_tails(self, lines: int = 25) -> str:
        """The end of the script's output and of each part's log, to see why a test failed."""
        logs = [self.dir / "run_production.out", *sorted((self.dir / "logs").glob("*.log"))]
        return "\n".join(
            f"--- {path.name} ---\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            for path in logs
            if path.exists()
        )

    # --- the parts ----------------------------------------------------------------------
    def pid(self, name: str) -> int:
        return int((self.dir / "run" / f"{name}.pid").read_text())

    def kill(self, name: str) -> int:
        pid = self.pid(name)
        os.kill(pid, signal.SIGKILL)
        return pid

    def wait_restarted(self, name: str, old_pid: int, ready_url: str, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.pid(name) != old_pid and _answers(ready_url):
                    return
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{name} was not started again")

    def _pg_ctl(self, *args: str) -> None:
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        cmd = [str(bindir / "pg_ctl"), "-D", str(self.dir / "pgdata"), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def stop_postgres(self) -> None:
        self._pg_ctl("stop", "-m", "fast", "-w")

    def start_postgres(self) -> None:
        pgdata = self.dir / "pgdata"
        self._pg_ctl(
            "-l", str(pgdata / "postgresql.log"), "-w",
            "-o", f"-p {self.ports['PG_PORT']} -h 127.0.0.1 -k {pgdata}", "start",
        )  # fmt: skip

    def restart_redis(self) -> None:
        os.kill(int((self.dir / "redis" / "redis.pid").read_text()), signal.SIGTERM)
        time.sleep(1)
        subprocess.run(["redis-server", str(self.dir / "redis" / "redis.conf")], check=True)

    def console_command(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        """`python -m console ARGS` on the profile's databases, as its first supervisor would."""
        env = {
            **self.env,
            **self.secrets,
            "HANDOFF_DB_URL": (
                f"postgresql://advice:{self.secrets['TRACKER_PASSWORD']}@127.0.0.1:{self.ports['PG_PORT']}/handoff"
            ),
        }
        return subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "-m", "console", *args],
            cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    # --- what was stored ----------------------------------------------------------------
    def _db(self, name: str) -> sa.engine.Engine:
        password = self.secrets["TRACKER_PASSWORD"]
        return sa.create_engine(f"postgresql://advice:{password}@127.0.0.1:{self.ports['PG_PORT']}/{name}")

    def user_texts(self, conversation: str) -> list[str]:
        """The person's messages as the tracker store holds them, in order."""
        import json

        with self._db("rasa").connect() as db:
            rows = db.execute(
                sa.text("select data from events where sender_id = :s and type_name = 'user' order by id"),
                {"s": conversation},
            ).all()
        return [json.loads(row[0]).get("text") for row in rows]

    def cases_for(self, conversation: str) -> list[dict]:
        with self._db("handoff").connect() as db:
            rows = db.execute(
                sa.text("select id, reasons from cases where conversation_id = :c"), {"c": conversation}
            ).all()
        return [{"id": row[0], "reasons": row[1]} for row in rows]

    def user_turn_counts(self, prefix: str) -> dict[str, int]:
        """How many user turns the tracker store holds for each conversation whose id starts so."""
        with self._db("rasa").connect() as db:
            rows = db.execute(
                sa.text(
                    "select sender_id, count(*) from events where type_name = 'user'"
                    " and sender_id like :p group by sender_id"
                ),
                {"p": prefix + "%"},
            ).all()
        return {row[0]: row[1] for row in rows}

    def case_ids(self, prefix: str) -> dict[str, list[str]]:
        """The ids of the cases of each conversation whose id starts so."""
        with self._db("handoff").connect() as db:
            rows = db.execute(
                sa.text("select conversation_id, id from cases where conversation_id like :p"),
                {"p": prefix + "%"},
            ).all()
        found: dict[str, list[str]] = {}
        for conversation, case_id in rows:
            found.setdefault(conversation, []).append(case_id)
        return found

    def outbox(self) -> list[Path]:
        return sorted((self.dir / "outbox").glob("*.json"))


def _answers(url: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(url, timeout=2)
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False

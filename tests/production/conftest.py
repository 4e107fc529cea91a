"""Real PostgreSQL and Redis servers on loopback, started for the production-profile tests
(Debian packages: deploy/install_system_packages.sh installs them)."""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.production.profile import ProductionProfile
from tests.servers import free_port


@pytest.fixture(scope="session")
def production_profile(request):
    """The production profile (deploy/run_production.sh), started once for the stage: it takes a
    minute or two. The short load test uses it first (file order); the fault tests, which kill its
    parts, last. If a test failed, the end of each part's log is printed before the folder goes."""
    running = ProductionProfile().start()
    yield running
    if request.session.testsfailed:
        # past pytest's capture: a session fixture's teardown output is otherwise never shown
        with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
            print(running.log_tails())
    running.stop()


def _as_postgres_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root, so use the package's postgres user.
    return ["runuser", "-u", "postgres", "--"] + cmd if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bindir:
        pytest.fail("PostgreSQL is not installed: run deploy/install_system_packages.sh")
    bindir = bindir[-1]
    # not under pytest's temp root: that is private to the user running the tests
    data = Path(tempfile.mkdtemp(prefix="pgdata-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres_user([f"{bindir}/initdb", "-D", str(data), "-U", "rasa", "--auth=trust", "-E", "UTF8"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    server = subprocess.Popen(
        _as_postgres_user(
            [f"{bindir}/postgres", "-D", str(data), "-p", str(port), "-h", "127.0.0.1", "-k", str(data)]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if (
            subprocess.run(
                [f"{bindir}/pg_isready", "-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL
            ).returncode
            == 0
        ):
            break
        time.sleep(0.2)
    for db in ("rasa", "handoff"):
        subprocess.run(
            [f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "rasa", db], check=True
        )
    yield {
        "host": "127.0.0.1",
        "port": port,
        "user": "rasa",
        "handoff_url": f"postgresql://rasa@127.0.0.1:{port}/handoff",
    }
    server.terminate()
    server.wait(timeout=30)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_port():
    if not shutil.which("redis-server"):
        pytest.fail("Redis is not installed: run deploy/install_system_packages.sh")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        if (
            subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip()
            == b"PONG"
        ):
            break
        time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=30)

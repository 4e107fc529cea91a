"""make run starts each part under deploy/supervise.sh: a part that dies is started again, and
stopping the supervisor stops the part for good (one process dying had stopped everything)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.servers import ROOT, poll

PART = "import os, time\nopen(os.environ['STARTS'], 'a').write(f'{os.getpid()}\\n')\ntime.sleep(120)\n"


def starts(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def until(condition, seconds=20.0):
    return poll(condition, timeout=seconds)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie has stopped too
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_a_part_that_dies_is_started_again_and_stopping_stops_it(tmp_path):
    log = tmp_path / "starts"
    script = f'. deploy/supervise.sh; pids=(); supervise part {sys.executable} -c "$PART"; wait'
    env = dict(os.environ, STARTS=str(log), PART=PART, RESTART_SECONDS="0.2")
    supervisor = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env, start_new_session=True)
    try:
        assert until(lambda: len(starts(log)) == 1)
        first = starts(log)[0]
        os.kill(first, signal.SIGKILL)  # a crash
        assert until(lambda: len(starts(log)) == 2), "the part was not started again"
        second = starts(log)[1]
        assert second != first and alive(second)
        # the run script stops each supervisor with TERM: the part goes, and is not restarted
        supervised = int(subprocess.check_output(["pgrep", "-P", str(supervisor.pid)]).split()[0])
        os.kill(supervised, signal.SIGTERM)
        assert until(lambda: not alive(second)), "stopping the supervisor left the part running"
        time.sleep(0.5)
        assert len(starts(log)) == 2
    finally:
        os.killpg(supervisor.pid, signal.SIGKILL)
        supervisor.wait(5)


def test_make_run_starts_every_part_under_the_supervisor():
    script = (ROOT / "deploy" / "run_local.sh").read_text()
    for part in ("-m actions", "handoff.rasa_server", "widget.serve", "-m console"):
        line = next(line for line in script.splitlines() if part in line and "supervise" in line)
        assert line.lstrip().startswith("supervise ")
